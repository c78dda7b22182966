package cli

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/hostile"
	"github.com/wirewatch/wirewatch/internal/testenv"
)

// TestFloodBudgetNotes: a small SYN flood and UDP flood with a small
// --max-flows: every command reports what the full budget ended early (read
// and stats on standard error, stats expert as an expert note, diagnose in
// its summary and JSON), and stats conv udp still lists every flow.
func TestFloodBudgetNotes(t *testing.T) {
	syn := writeTemp(t, "syn.pcap", func(w io.Writer) error { return hostile.SYNFlood(w, 2000) })
	udp := writeTemp(t, "udp.pcap", func(w io.Writer) error { return hostile.UDPFlood(w, 3000) })
	udp5k := writeTemp(t, "udp5k.pcap", func(w io.Writer) error { return hostile.UDPFlood(w, 5000) })
	for _, c := range []struct {
		args   []string
		stdout string // what the output must say ("" none)
		stderr string
	}{
		{[]string{"read", "--max-flows", "200", syn}, "", "1800 TCP and 0 UDP conversations ended early"},
		{[]string{"stats", "expert", "--max-flows", "200", syn}, "1800 TCP and 0 UDP conversations ended early", ""},
		{[]string{"stats", "summary", "--max-flows", "200", udp}, "UDP streams:            3000", "0 TCP and 2800 UDP conversations ended early"},
		{[]string{"stats", "conv", "udp", "--max-flows", "200", udp}, "10.1.11.183:4023", "2800 UDP"},
		{[]string{"diagnose", "--max-flows", "200", syn}, "Budgets full (a flood or scan?): 1800 conversations ended early by the flow table", ""},
		{[]string{"diagnose", "--format", "json", "--max-flows", "200", syn}, `"flow_conversations_evicted": 1800`, ""},
		// 3001 addresses through a host table of 200: the least recently active are evicted and counted.
		{[]string{"diagnose", "--max-flows", "200", udp}, "2808 least recently active hosts forgotten by the host table", ""},
		{[]string{"diagnose", "--format", "json", "--max-flows", "200", udp}, `"hosts_evicted": 2808`, ""},
		// stats summary keeps 4096 live conversations by default; the tombs keep the count exact.
		{[]string{"stats", "summary", udp5k}, "UDP streams:            5000", "budget of 4096 live conversations per protocol full: 0 TCP and 904 UDP"},
		{[]string{"read", syn}, "", ""}, // the default budget holds them all
	} {
		code, out, errs := runReadCmd(t, nil, c.args...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", c.args, code, errs)
			continue
		}
		if c.stdout != "" && !strings.Contains(out, c.stdout) {
			t.Errorf("%v: output does not say %q:\n%.2000s", c.args, c.stdout, out)
		}
		if c.stderr != "" && !strings.Contains(errs, c.stderr) || c.stderr == "" && strings.Contains(errs, "ended early") {
			t.Errorf("%v: stderr %q, want %q", c.args, errs, c.stderr)
		}
	}
	_, out, _ := runReadCmd(t, nil, "stats", "conv", "udp", "--max-flows", "200", udp)
	if n := strings.Count(out, "<->"); n != 3000 {
		t.Errorf("stats conv udp lists %d conversations, want 3000", n)
	}
}

// TestFloodRSS measures the real binary on 200,000 half-open TCP connections
// and 1,000,000 one-packet UDP flows with the default budgets: read, stats
// expert, stats summary and diagnose must stay within 256 MiB of RSS, stats
// conv udp (which lists a million rows) within 512 MiB. It takes minutes:
// set WIREWATCH_FLOOD_RSS=1 (bench/flood.sh does).
func TestFloodRSS(t *testing.T) {
	if os.Getenv("WIREWATCH_FLOOD_RSS") == "" {
		t.Skip("set WIREWATCH_FLOOD_RSS=1 to measure RSS under floods (bench/flood.sh)")
	}
	timeBin := testenv.Tool(t, "time") // GNU time: max RSS of the real binary
	dir := t.TempDir()
	bin := filepath.Join(dir, "wirewatch")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/wirewatch").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	syn := writeTemp(t, "syn.pcap", func(w io.Writer) error { return hostile.SYNFlood(w, 200000) })
	udp := writeTemp(t, "udp.pcap", func(w io.Writer) error { return hostile.UDPFlood(w, 1000000) })
	var table strings.Builder
	table.WriteString("| capture | command | max RSS | limit | result |\n|---|---|---:|---:|---|\n")
	for _, file := range []struct{ name, path string }{{"200k half-open TCP", syn}, {"1M one-packet UDP", udp}} {
		for _, c := range []struct {
			args  []string
			limit int64 // MiB
			rows  int   // lines the output must have at least (0: no check)
		}{
			{[]string{"read"}, 256, 0},
			{[]string{"stats", "expert"}, 256, 0},
			{[]string{"stats", "summary"}, 256, 0},
			{[]string{"diagnose"}, 256, 0},
			{[]string{"stats", "conv", "udp"}, 512, 0},
		} {
			if file.path == udp && c.args[0] == "stats" && len(c.args) > 1 && c.args[1] == "conv" {
				c.rows = 1000000
			}
			// /usr/bin/time forks the binary from a small process: the
			// rusage of a child the test forks itself would include the test's
			// own memory (Go starts children sharing its address space until
			// exec, and Linux counts that in the child's maximum RSS).
			cmd := exec.Command(timeBin, append([]string{"-f", "%M", bin}, append(c.args, file.path)...)...)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Errorf("%s %v: %v\n%s", file.name, c.args, err, stderr.String())
				continue
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			kib, err := strconv.ParseInt(lines[len(lines)-1], 10, 64)
			if err != nil {
				t.Fatalf("/usr/bin/time: %q", stderr.String())
			}
			rss := kib / 1024
			result := "pass"
			if rss > c.limit {
				result = "FAIL"
				t.Errorf("%s: wirewatch %s: %d MiB RSS, limit %d MiB", file.name, strings.Join(c.args, " "), rss, c.limit)
			}
			if c.rows > 0 {
				if n := strings.Count(string(out), "<->"); n != c.rows {
					t.Errorf("%s: %v lists %d conversations, want %d", file.name, c.args, n, c.rows)
				}
			}
			fmt.Fprintf(&table, "| %s | %s | %d MiB | %d MiB | %s |\n", file.name, strings.Join(c.args, " "), rss, c.limit, result)
		}
	}
	t.Log("\n" + table.String())
}

// TestExpertTextBudget: stats expert lists at most --max-texts distinct HTTP
// start lines; the rest are counted in one item that says so, and the
// frame counts add up.
func TestExpertTextBudget(t *testing.T) {
	path := hostileFile("bogus-chunks.pcap")
	listed := func(out string) (n int) {
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "   HTTP  GET ") || strings.Contains(l, "   HTTP  HTTP/1.1 ") {
				n++
			}
		}
		return n
	}
	_, all, _ := runReadCmd(t, nil, "stats", "expert", "--all", path)
	code, out, errs := runReadCmd(t, nil, "stats", "expert", "--all", "--max-texts", "3", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "18   Sequence               HTTP  [further distinct texts not listed: the budget of 3 distinct texts is full]") {
		t.Errorf("--max-texts 3:\n%s", out)
	}
	if a, b := listed(all), listed(out); a != 21 || b != 3 {
		t.Errorf("%d distinct start lines listed without a budget (want 21), %d with --max-texts 3 (want 3)", a, b)
	}
}
