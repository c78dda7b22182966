package cli

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/corpus"
)

// run executes wirewatch with args and returns stdout.
func run(t testing.TB, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, nil, &out, &errb)
	if code != ExitOK {
		t.Fatalf("wirewatch %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	return out.String()
}

// oracleOK lists the corpus captures tshark read.
func oracleOK(t testing.TB, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "oracle", "INDEX.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Split(l, "\t")
		if len(f) >= 2 && f[1] == "ok" {
			out = append(out, f[0])
		}
	}
	return out
}

// convRows returns the data rows of a -z conv table.
func convRows(s string) []string {
	var rows []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, " <-> ") {
			rows = append(rows, l)
		}
	}
	return rows
}

// TestConversationsOracle compares stats conv tcp|udp with tshark -z conv
// row by row: at least 98% of tshark's conversations must be identical.
func TestConversationsOracle(t *testing.T) {
	dir := corpus.Dir(t)
	for _, kind := range []string{"tcp", "udp"} {
		total, same, files, identical := 0, 0, 0, 0
		for _, name := range oracleOK(t, dir) {
			want, err := os.ReadFile(filepath.Join(dir, "oracle", name+".conv_"+kind+".txt"))
			if err != nil {
				continue
			}
			got := run(t, "stats", "conv", kind, filepath.Join(dir, "real", name))
			files++
			if got == string(want) {
				identical++
			}
			have := map[string]int{}
			for _, r := range convRows(got) {
				have[r]++
			}
			for _, r := range convRows(string(want)) {
				total++
				if have[r] > 0 {
					have[r]--
					same++
				} else if testing.Verbose() {
					t.Logf("%s %s: missing row %q", name, kind, r)
				}
			}
		}
		p := 100.0
		if total > 0 {
			p = 100 * float64(same) / float64(total)
		}
		t.Logf("conv %s: %d/%d conversations equal (%.2f%%); %d/%d files byte-identical", kind, same, total, p, identical, files)
		if p < 98 {
			t.Errorf("conv %s: only %.2f%% of conversations equal tshark's", kind, p)
		}
	}
}

var expertLine = regexp.MustCompile(`^\s+(\d+)\s+(\S+)\s+(\S+)\s+(.*)$`)

// parseExpert reads tshark -z expert text into severity|group|proto|summary → count.
func parseExpert(s string) map[string]uint64 {
	m := map[string]uint64{}
	sev := ""
	for _, l := range strings.Split(s, "\n") {
		if i := strings.Index(l, " ("); i > 0 && !strings.HasPrefix(l, " ") {
			sev = l[:i]
			continue
		}
		g := expertLine.FindStringSubmatch(l)
		if g == nil || g[1] == "" {
			continue
		}
		n, _ := strconv.ParseUint(g[1], 10, 64)
		m[sev+"|"+g[2]+"|"+g[3]+"|"+g[4]] += n
	}
	return m
}

// TestExpertOracle compares stats expert with tshark -z expert for the
// kinds wirewatch produces (TCP connection and sequence analysis): every
// count within 1% on every capture.
func TestExpertOracle(t *testing.T) {
	dir := corpus.Dir(t)
	kinds := map[string]bool{}
	for _, d := range expertKinds() {
		kinds[d] = true
	}
	known := func(k string) bool {
		p := strings.SplitN(k, "|", 4)
		if len(p) < 4 || p[2] != "TCP" {
			return false
		}
		s := regexp.MustCompile(`\d+`).ReplaceAllString(p[3], "N")
		return kinds[s]
	}
	checked, bad := 0, 0
	for _, name := range oracleOK(t, dir) {
		wantb, err := os.ReadFile(filepath.Join(dir, "oracle", name+".expert.txt"))
		if err != nil {
			continue
		}
		want := parseExpert(string(wantb))
		got := parseExpert(run(t, "stats", "expert", filepath.Join(dir, "real", name)))
		keys := map[string]bool{}
		for k := range want {
			keys[k] = true
		}
		for k := range got {
			keys[k] = true
		}
		for k := range keys {
			if !known(k) {
				continue
			}
			checked++
			w, g := float64(want[k]), float64(got[k])
			if math.Abs(w-g) > 0.01*w {
				bad++
				t.Errorf("%s: %s: wirewatch %v, tshark %v", name, k, g, w)
			}
		}
	}
	t.Logf("expert: %d (capture, kind) counts compared, %d outside 1%%", checked, bad)
}

// expertKinds lists the summaries wirewatch produces, numbers replaced by N.
func expertKinds() []string {
	var out []string
	for _, s := range []string{
		"Connection establish request (SYN): server port N", "Connection establish acknowledge (SYN+ACK): server port N",
		"Connection finish (FIN)", "This frame initiates the connection closing", "This frame undergoes the connection closing",
		"Connection reset (RST)", "This frame is a (suspected) retransmission", "This frame is a (suspected) fast retransmission",
		"This frame is a (suspected) spurious retransmission", "This frame is a (suspected) out-of-order segment",
		"A new tcp session is started with the same ports as an earlier session in this trace",
		"Previous segment(s) not captured (common at capture start)", "ACKed segment that wasn't captured (common at capture start)",
		"TCP window update", "TCP window specified by the receiver is now completely full", "TCP keep-alive segment",
		"ACK to a TCP keep-alive segment", "Duplicate ACK (#N)", "TCP Zero Window Probe", "TCP Zero Window segment",
		"ACK to a TCP Zero Window Probe", "The acknowledgment number field is nonzero while the ACK flag is not set",
		"The urgent pointer field is nonzero while the URG flag is not set",
	} {
		out = append(out, s)
	}
	return out
}

// TestParallelIdentical checks that the two-core pipeline gives exactly the
// single-core results for every stats report on every corpus capture.
func TestParallelIdentical(t *testing.T) {
	dir := corpus.Dir(t)
	reports := [][]string{{"conv", "tcp"}, {"conv", "udp"}, {"expert"}, {"hierarchy"}}
	n := 0
	for _, name := range oracleOK(t, dir) {
		path := filepath.Join(dir, "real", name)
		for _, r := range reports {
			args := append(append([]string{"stats"}, r...), path, "--format", "json")
			a := run(t, append(args, "--single-core")...)
			b := run(t, args...)
			if a != b {
				t.Errorf("%s %v: two-core output differs from single-core", name, r)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("nothing compared")
	}
	t.Log(fmt.Sprintf("%d report runs identical on one and two cores", n))
}
