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
		for _, name := range corpus.OracleOK(t, dir) {
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

// TestExpertOracle compares stats expert --all with tshark -z expert: every
// (capture, severity, group, protocol, summary) count of either tool within
// 1%, on every capture. Items of protocols or checks wirewatch does not
// dissect (notExpert) are counted and reported, not compared. Without
// --all, the output must be the same minus the HTTP start lines and DNS
// retransmissions.
func TestExpertOracle(t *testing.T) {
	dir := corpus.Dir(t)
	checked, bad, skipped := 0, 0, 0
	why := map[string]int{}
	for _, name := range corpus.OracleOK(t, dir) {
		wantb, err := os.ReadFile(filepath.Join(dir, "oracle", name+".expert.txt"))
		if err != nil {
			continue
		}
		want := parseExpert(string(wantb))
		got := parseExpert(run(t, "stats", "expert", "--all", filepath.Join(dir, "real", name)))
		lean := parseExpert(run(t, "stats", "expert", filepath.Join(dir, "real", name)))
		for k, n := range got {
			if needsAll(k) {
				continue
			}
			if lean[k] != n {
				t.Errorf("%s: %s: stats expert %d, --all %d", name, k, lean[k], n)
			}
		}
		for k := range lean {
			if needsAll(k) {
				t.Errorf("%s: %s: stats expert shows an item only --all should", name, k)
			}
		}
		keys := map[string]bool{}
		for k := range want {
			keys[k] = true
		}
		for k := range got {
			keys[k] = true
		}
		for k := range keys {
			if r := notExpert(name, k); r != "" && got[k] == 0 {
				skipped++
				why[r]++
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
	t.Logf("expert: %d (capture, item) counts compared, %d outside 1%%; %d items of undissected kinds left out:", checked, bad, skipped)
	for r, n := range why {
		t.Logf("  %3d  %s", n, r)
	}
}

// needsAll reports whether expert item k is one only stats expert --all
// counts: an HTTP start line or a DNS retransmission.
func needsAll(k string) bool {
	p := strings.SplitN(k, "|", 4)
	return len(p) == 4 && (p[2] == "HTTP" && p[0] == "Chats" || strings.HasPrefix(p[3], "DNS query retransmission") ||
		strings.HasPrefix(p[3], "DNS response retransmission"))
}

// notExpert names why wirewatch does not produce the expert item k
// (severity|group|protocol|summary) of capture name, or returns "".
func notExpert(name, k string) string {
	p := strings.SplitN(k, "|", 4)
	if len(p) < 4 {
		return ""
	}
	proto, sum := p[2], p[3]
	switch {
	case proto == "HTTP" && name == "gopacket__pcapgo-le-test301.pcapng":
		return "HTTP inside TLS that tshark decrypts with the keys embedded in the capture"
	case proto == "HTTP" && strings.HasPrefix(sum, "HTTP body subdissector"):
		return "HTTP body subdissectors"
	case proto == "X11" || proto == "DHCP/BOOTP" || proto == "DLT_USER" || strings.HasPrefix(proto, "JFIF"):
		return "protocol not dissected (X11, DHCP, DLT_USER, JPEG)"
	case proto == "TLS":
		return "TLS session resumption (TLS sessions are not tracked)"
	case proto == "HTTP" && strings.HasPrefix(sum, "Illegal characters"):
		return "HTTP header-name character check"
	case proto == "Frame" && strings.HasPrefix(sum, "Arrival Time"):
		return "invalid fractional-second timestamps"
	}
	return ""
}

// TestParallelIdentical checks that the two-core pipeline gives exactly the
// single-core results for every stats report on every corpus capture.
func TestParallelIdentical(t *testing.T) {
	dir := corpus.Dir(t)
	reports := [][]string{{"conv", "tcp"}, {"conv", "udp"}, {"expert"}, {"hierarchy"}}
	n := 0
	for _, name := range corpus.OracleOK(t, dir) {
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

// TestReadParallelIdentical checks that read gives the same output on one
// and two cores on every corpus capture: text, fields, and display filters
// that run before the tracker (decode-only fields) or after it.
func TestReadParallelIdentical(t *testing.T) {
	dir := corpus.Dir(t)
	variants := [][]string{{}, {"-T", "fields", "-e", "frame.number", "-e", "tcp.stream", "-e", "ip.src"},
		{"-T", "fields", "-e", "ip.fragment", "-e", "ipv6.fragment", "-e", "_ws.col.Info"},
		{"-Y", "frame.len > 100 && !(tcp.port == 80) || udp"}, {"-Y", "tcp.analysis.flags || dns"},
		{"-Y", "ip.ttl < 64", "-t", "dd"}, {"-Y", "eth", "-c", "7"}}
	n := 0
	for _, name := range corpus.OracleOK(t, dir) {
		path := filepath.Join(dir, "real", name)
		for _, v := range variants {
			args := append([]string{"read", path}, v...)
			a := run(t, append(args, "--single-core")...)
			if b := run(t, args...); a != b {
				t.Errorf("%s %v: two-core output differs from single-core", name, v)
			}
			n++
		}
	}
	t.Logf("%d read runs identical on one and two cores", n)
}
