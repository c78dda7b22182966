package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func runMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, nil, &out, &errb)
	return code, out.String(), errb.String()
}

// TestDiagnoseCLI covers the formats, -o, -Y and the exit codes on the lab's
// fail-open example.
func TestDiagnoseCLI(t *testing.T) {
	ex := filepath.Join("..", "..", "examples", "fail-open.pcapng")
	if _, err := os.Stat(ex); err != nil {
		t.Skip("SKIP: examples/fail-open.pcapng missing")
	}
	code, out, errs := runMain(t, "diagnose", ex)
	if code != 0 || !strings.Contains(out, "blocked-on-unreachable-dependency") {
		t.Fatalf("text: exit %d, stderr %q, out:\n%s", code, errs, out)
	}
	code, out, _ = runMain(t, "diagnose", "--format", "json", ex)
	if code != 0 {
		t.Fatalf("json: exit %d", code)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("json: %v", err)
	}
	if doc["version"].(float64) != 1 {
		t.Errorf("version %v", doc["version"])
	}
	for _, k := range []string{"file", "frames", "first_epoch", "last_epoch"} {
		if _, ok := doc["capture"].(map[string]any)[k]; !ok {
			t.Errorf("capture.%s missing", k)
		}
	}
	fs := doc["findings"].([]any)
	if len(fs) == 0 {
		t.Fatal("no findings")
	}
	for _, f := range fs {
		m := f.(map[string]any)
		for _, k := range []string{"category", "severity", "title", "explanation", "affected_hosts", "unaffected_hosts", "culprit",
			"stalls", "time_lost_s", "evidence_frames", "display_filter"} {
			if _, ok := m[k]; !ok {
				t.Errorf("finding key %s missing", k)
			}
		}
		for _, k := range []string{"affected_hosts", "unaffected_hosts", "stalls", "evidence_frames"} {
			if _, ok := m[k].([]any); !ok {
				t.Errorf("finding %s is %T, want an array", k, m[k])
			}
		}
	}
	// --fail-on
	if code, _, _ := runMain(t, "diagnose", "--fail-on", "critical", ex); code != ExitFindings {
		t.Errorf("--fail-on critical: exit %d, want %d", code, ExitFindings)
	}
	if code, _, _ := runMain(t, "diagnose", "--fail-on", "bogus", ex); code != ExitUsage {
		t.Errorf("--fail-on bogus: exit %d, want %d", code, ExitUsage)
	}
	// -Y restricts the input: without the culprit's packets there is no culprit
	code, out, _ = runMain(t, "diagnose", "-Y", "!(tcp.port == 9090)", "--format", "json", ex)
	if code != 0 || strings.Contains(out, "blocked-on-unreachable-dependency") {
		t.Errorf("-Y: exit %d; the culprit's packets were filtered out, yet:\n%s", code, out)
	}
	// html to a file
	html := filepath.Join(t.TempDir(), "r.html")
	if code, _, errs := runMain(t, "diagnose", "--format", "html", "-o", html, ex); code != 0 {
		t.Fatalf("html: exit %d %s", code, errs)
	}
	b, _ := os.ReadFile(html)
	if !bytes.Contains(b, []byte("<svg")) {
		t.Errorf("html report has no SVG")
	}
	if code, _, _ := runMain(t, "diagnose"); code != ExitUsage {
		t.Errorf("no file: exit %d", code)
	}
	if code, _, _ := runMain(t, "diagnose", filepath.Join(t.TempDir(), "missing.pcap")); code != ExitBadInput {
		t.Errorf("missing file: exit %d", code)
	}
}

// TestDiagnoseFiltersSelectEvidence checks, on every example and scenario,
// that each finding's display filter is accepted by wirewatch read -Y and by
// tshark (on the small captures, to keep the test quick), and selects its
// evidence frames.
func TestDiagnoseFiltersSelectEvidence(t *testing.T) {
	caps, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*.pcapng"))
	sc, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "scenarios", "*.pcapng"))
	caps = append(caps, sc...)
	if len(caps) == 0 {
		t.Skip("SKIP: no captures")
	}
	tshark, _ := exec.LookPath("tshark")
	tsharkDone := map[string]bool{} // one tshark run per category keeps the test quick
	for _, c := range caps {
		code, out, _ := runMain(t, "diagnose", "--format", "json", c)
		if code != 0 {
			t.Fatalf("%s: exit %d", c, code)
		}
		var doc struct {
			Findings []struct {
				Category string   `json:"category"`
				Filter   string   `json:"display_filter"`
				Evidence []uint64 `json:"evidence_frames"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		for _, f := range doc.Findings {
			code, out, errs := runMain(t, "read", "-Y", f.Filter, "-T", "fields", "-e", "frame.number", c)
			if code != 0 {
				t.Errorf("%s %s: wirewatch read -Y %q: exit %d %s", filepath.Base(c), f.Category, f.Filter, code, errs)
				continue
			}
			got := map[string]bool{}
			for _, l := range strings.Fields(out) {
				got[l] = true
			}
			miss := 0
			for _, n := range f.Evidence {
				if !got[jsonNum(n)] {
					miss++
				}
			}
			if len(got) == 0 || miss*2 > len(f.Evidence) {
				t.Errorf("%s %s: filter %q selects %d frames and misses %d of %d evidence frames", filepath.Base(c), f.Category, f.Filter, len(got), miss, len(f.Evidence))
			}
			if st, err := os.Stat(c); tshark != "" && err == nil && st.Size() < 1<<20 && !tsharkDone[f.Category] {
				tsharkDone[f.Category] = true
				cmd := exec.Command(tshark, "-r", c, "-Y", f.Filter, "-T", "fields", "-e", "frame.number")
				if b, err := cmd.CombinedOutput(); err != nil {
					t.Errorf("%s %s: tshark rejects %q: %v %s", filepath.Base(c), f.Category, f.Filter, err, b)
				}
			}
		}
	}
}

func jsonNum(n uint64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// BenchmarkDiagnose runs `wirewatch diagnose` over $WIREWATCH_BENCH_PCAP (for
// example bench/run.sh's pcapgen capture); skipped when unset. Profile it with
// -cpuprofile to see the per-packet cost of the pipeline and the engine.
func BenchmarkDiagnose(b *testing.B) {
	p := os.Getenv("WIREWATCH_BENCH_PCAP")
	if p == "" {
		b.Skip("set WIREWATCH_BENCH_PCAP to a capture file")
	}
	for i := 0; i < b.N; i++ {
		var out, errb bytes.Buffer
		if code := Main(context.Background(), []string{"diagnose", p}, nil, &out, &errb); code != 0 && code != ExitFindings {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
}
