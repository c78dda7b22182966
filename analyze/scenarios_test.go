package analyze_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/internal/corpus"
)

type truthCulprit struct {
	Host     string  `json:"host"`
	Port     int     `json:"port"`
	Proto    string  `json:"proto"`
	TimeoutS float64 `json:"timeout_s"`
	Refused  *struct {
		Host string `json:"host"`
		Port int    `json:"port"`
	} `json:"refused"`
	Reset *struct {
		SpoofedSource string `json:"spoofed_source"`
	} `json:"reset"`
}

type truthFile struct {
	Scenario  string `json:"scenario"`
	RootCause struct {
		Category   string                     `json:"category"`
		Categories []string                   `json:"categories"`
		Culprit    truthCulprit               `json:"culprit"`
		CulpritRaw map[string]json.RawMessage `json:"-"`
	} `json:"root_cause"`
	Affected   []string `json:"affected_clients"`
	Unaffected []string `json:"unaffected_clients"`
	Victims    []struct {
		Category  string `json:"category"`
		Client    string `json:"client"`
		FiveTuple *struct {
			Proto string `json:"proto"`
			Src   string `json:"src"`
			Sport int    `json:"sport"`
			Dst   string `json:"dst"`
			Dport int    `json:"dport"`
		} `json:"five_tuple"`
	} `json:"victims"`
}

// expectCulprit is one culprit the truth names, for the finding of category cat.
type expectCulprit struct {
	cat     string
	host    string
	port    int
	timeout float64
}

// parseTruth reads a truth file, keeping sub-culprits named by role.
func parseTruth(raw []byte) (*truthFile, error) {
	var tf truthFile
	if err := json.Unmarshal(raw, &tf); err != nil {
		return nil, err
	}
	var rc struct {
		RootCause struct {
			Culprit json.RawMessage `json:"culprit"`
		} `json:"root_cause"`
	}
	if json.Unmarshal(raw, &rc) == nil && len(rc.RootCause.Culprit) > 0 {
		var m map[string]json.RawMessage
		if json.Unmarshal(rc.RootCause.Culprit, &m) == nil {
			for k, v := range m {
				if len(v) > 0 && v[0] == '{' && k != "refused" && k != "reset" && k != "configured" && k != "emulator_stats" && k != "resolv_conf" && k != "urls" {
					if tf.RootCause.CulpritRaw == nil {
						tf.RootCause.CulpritRaw = map[string]json.RawMessage{}
					}
					tf.RootCause.CulpritRaw[k] = v
				}
			}
		}
	}
	return &tf, nil
}

func (tf *truthFile) categories() []string {
	if len(tf.RootCause.Categories) > 0 {
		return tf.RootCause.Categories
	}
	return []string{tf.RootCause.Category}
}

func (tf *truthFile) culprits() []expectCulprit {
	c := tf.RootCause.Culprit
	var out []expectCulprit
	if c.Host != "" {
		out = append(out, expectCulprit{cat: tf.categories()[0], host: c.Host, port: c.Port, timeout: c.TimeoutS})
	}
	if c.Refused != nil {
		out = append(out, expectCulprit{cat: "connection-refused", host: c.Refused.Host, port: c.Refused.Port})
	}
	if c.Reset != nil && c.Reset.SpoofedSource != "" {
		ap, err := netip.ParseAddrPort(c.Reset.SpoofedSource)
		if err == nil {
			out = append(out, expectCulprit{cat: "middlebox-reset", host: ap.Addr().String(), port: int(ap.Port())})
		}
	}
	// several culprits named by role ("blocked", "dns", ...): each must be
	// the culprit of a finding of one of the truth's categories
	for _, sub := range tf.RootCause.CulpritRaw {
		var x struct {
			Host     string  `json:"host"`
			Port     int     `json:"port"`
			TimeoutS float64 `json:"timeout_s"`
		}
		if json.Unmarshal(sub, &x) == nil && x.Host != "" {
			out = append(out, expectCulprit{cat: "*", host: x.Host, port: x.Port, timeout: x.TimeoutS})
		}
	}
	return out
}

// TestScenarios runs diagnose over every shared scenario capture and checks
// the criteria against its truth file. It prints a table per scenario.
func TestScenarios(t *testing.T) {
	dir := corpus.Scenarios(t)
	forTruths(t, dir, "no scenarios", func(t *testing.T, name string, tf *truthFile) {
		capPath := filepath.Join(dir, name+".pcapng")
		if _, err := os.Stat(capPath); err != nil {
			capPath = filepath.Join(dir, name+".pcap")
		}
		checkScenario(t, name, tf, diagnoseFile(t, capPath, analyze.Config{}).Findings())
	})
}

// TestExamples runs the same checks over the lab's example captures in
// examples/ (made by lab/run.sh; truth files in the scenarios' format).
func TestExamples(t *testing.T) {
	dir := filepath.Join("..", "examples")
	forTruths(t, dir, "SKIP: no examples/*.truth.json", func(t *testing.T, name string, tf *truthFile) {
		fs := diagnoseFile(t, filepath.Join(dir, name+".pcapng"), analyze.Config{}).Findings()
		if tf.RootCause.Category == "" && len(tf.RootCause.Categories) == 0 {
			for _, f := range fs {
				if f.Severity == analyze.Critical {
					t.Errorf("%s: clean capture has a critical finding: %s", name, f.Title)
				}
			}
			return
		}
		checkScenario(t, name, tf, fs)
		// the lab's examples are single-problem captures: the planted finding
		// comes first and nothing else is critical
		cats := tf.categories()
		if len(fs) == 0 || !containsStr(cats, string(fs[0].Category)) {
			t.Errorf("%s: the first finding is not of the planted category %v", name, cats)
		}
		for _, f := range fs {
			if f.Severity == analyze.Critical && !containsStr(cats, string(f.Category)) {
				t.Errorf("%s: critical finding outside the planted categories: %s", name, f.Title)
			}
		}
	})
}

// forTruths runs fn as a subtest for every NAME.truth.json in dir, in name
// order, with its parsed truth; it skips the test with skipMsg when there
// are none.
func forTruths(t *testing.T, dir, skipMsg string, fn func(t *testing.T, name string, tf *truthFile)) {
	truths, _ := filepath.Glob(filepath.Join(dir, "*.truth.json"))
	if len(truths) == 0 {
		t.Skip(skipMsg)
	}
	sort.Strings(truths)
	for _, tp := range truths {
		name := strings.TrimSuffix(filepath.Base(tp), ".truth.json")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(tp)
			if err != nil {
				t.Fatal(err)
			}
			tf, err := parseTruth(raw)
			if err != nil {
				t.Fatal(err)
			}
			fn(t, name, tf)
		})
	}
}

func checkScenario(t *testing.T, name string, tf *truthFile, fs []analyze.Finding) {
	var tab strings.Builder
	fmt.Fprintf(&tab, "\n%s (truth: %s)\n", name, strings.Join(tf.categories(), " + "))
	fmt.Fprintf(&tab, "  %-8s %-34s %-24s %8s %6s %9s  %s\n", "severity", "category", "culprit", "timeout", "stalls", "lost", "affected / unaffected")
	for _, f := range fs {
		cul := "-"
		to := "-"
		if f.Culprit != nil {
			cul = analyze.Endpoint{Addr: f.Culprit.Host, Port: f.Culprit.Port}.String()
			if f.Culprit.TimeoutS > 0 {
				to = fmt.Sprintf("%.3f", f.Culprit.TimeoutS)
			}
		}
		fmt.Fprintf(&tab, "  %-8s %-34s %-24s %8s %6d %8.3fs  %v / %v\n", f.Severity, f.Category, cul, to, f.StallCount,
			f.TimeLost.Seconds(), f.Affected, f.Unaffected)
	}
	// criterion: a finding of each truth category with its culprit
	pass := map[string]string{}
	for _, cat := range tf.categories() {
		ok := false
		for _, f := range fs {
			if string(f.Category) == cat && f.Severity >= analyze.Warning {
				ok = true
			}
		}
		pass["category "+cat] = verdict(ok)
		if !ok {
			t.Errorf("%s: no warning/critical finding of category %s", name, cat)
		}
	}
	for _, c := range tf.culprits() {
		ok := false
		for _, f := range fs {
			if f.Culprit == nil || (c.cat != "*" && string(f.Category) != c.cat) || (c.cat == "*" && !containsStr(tf.categories(), string(f.Category))) {
				continue
			}
			if f.Culprit.Host.String() != c.host || (c.port != 0 && int(f.Culprit.Port) != c.port) {
				continue
			}
			if c.timeout > 0 && math.Abs(f.Culprit.TimeoutS-c.timeout) > 0.1*c.timeout {
				t.Errorf("%s: %s culprit %s timeout %.3f, truth %.3f", name, c.cat, c.host, f.Culprit.TimeoutS, c.timeout)
				continue
			}
			ok = true
		}
		pass[fmt.Sprintf("culprit %s %s:%d", c.cat, c.host, c.port)] = verdict(ok)
		if !ok {
			t.Errorf("%s: no %s finding with culprit %s:%d (timeout %.3f)", name, c.cat, c.host, c.port, c.timeout)
		}
	}
	// every affected client among affected_hosts of a finding of the truth's categories
	cats := map[string]bool{}
	for _, c := range tf.categories() {
		cats[c] = true
	}
	affected := map[string]bool{}
	for _, f := range fs {
		if !cats[string(f.Category)] {
			continue
		}
		for _, a := range f.Affected {
			affected[a.String()] = true
		}
	}
	for _, a := range tf.Affected {
		if !affected[a] {
			t.Errorf("%s: affected client %s not in affected_hosts", name, a)
			pass["affected "+a] = "FAIL"
		} else {
			pass["affected "+a] = "ok"
		}
	}
	// no unaffected client in affected_hosts of critical/warning findings
	for _, u := range tf.Unaffected {
		ok := true
		for _, f := range fs {
			if f.Severity < analyze.Warning {
				continue
			}
			for _, a := range f.Affected {
				if a.String() == u {
					ok = false
					t.Errorf("%s: unaffected client %s is in affected_hosts of %s finding %q", name, u, f.Severity, f.Title)
				}
			}
		}
		pass["unaffected "+u] = verdict(ok)
	}
	// ≥90% of victims by endpoints in stalls
	type ep struct{ cli, srv string }
	have := map[ep]bool{}
	for _, f := range fs {
		for _, s := range f.Stalls {
			have[ep{s.Client.String(), s.Server.String()}] = true
		}
	}
	n, hit := 0, 0
	for _, v := range tf.Victims {
		if v.FiveTuple == nil {
			continue
		}
		n++
		src, _ := netip.ParseAddr(v.FiveTuple.Src)
		dst, _ := netip.ParseAddr(v.FiveTuple.Dst)
		k := ep{netip.AddrPortFrom(src, uint16(v.FiveTuple.Sport)).String(), netip.AddrPortFrom(dst, uint16(v.FiveTuple.Dport)).String()}
		if have[k] {
			hit++
		} else {
			t.Logf("%s: victim %s → %s not in any stall", name, k.cli, k.srv)
		}
	}
	if n > 0 {
		frac := float64(hit) / float64(n)
		pass[fmt.Sprintf("victims in stalls %d/%d", hit, n)] = verdict(frac >= 0.9)
		if frac < 0.9 {
			t.Errorf("%s: only %d of %d victims in stalls", name, hit, n)
		}
	}
	keys := make([]string, 0, len(pass))
	for k := range pass {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&tab, "  [%s] %s\n", pass[k], k)
	}
	t.Log(tab.String())
}

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "FAIL"
}

func containsStr(v []string, s string) bool {
	for _, x := range v {
		if x == s {
			return true
		}
	}
	return false
}
