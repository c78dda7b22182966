package serve_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestServe1GB measures `wirewatch serve` (the real binary, over HTTP) on a
// big capture (pcapgen -size 1GB -pcap F) against the targets of issue 13:
//
//	WIREWATCH_SERVE_BENCH=/tmp/bench-1g.pcap go test ./serve -run TestServe1GB -v
//
// index built <= 3 s, first screen <= 1 s after it, jump to frame 1,000,000
// and its details <= 100 ms each, tcp.analysis.retransmission over all
// frames <= 3 s, server RSS <= 300 MiB (peak), progress reported while
// indexing; then the same from the cached index. The load average is
// printed with the numbers: on a shared machine they are only as good as
// the machine is quiet.
func TestServe1GB(t *testing.T) {
	path := os.Getenv("WIREWATCH_SERVE_BENCH")
	if path == "" {
		t.Skip("set WIREWATCH_SERVE_BENCH to a big capture (pcapgen -size 1GB -pcap F)")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "wirewatch")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/wirewatch").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	load := func() string {
		b, _ := os.ReadFile("/proc/loadavg")
		return strings.Join(strings.Fields(string(b))[:3], " ")
	}
	check := func(what string, got, limit float64, unit string) {
		mark := "ok"
		if got > limit {
			mark = "OVER"
			t.Errorf("%s: %.3g %s, target <= %g %s (load average %s)", what, got, unit, limit, unit, load())
		}
		t.Logf("%-52s %9.3f %-3s (target <= %g) %s", what, got, unit, limit, mark)
	}
	cache := filepath.Join(dir, "cache")
	for _, run := range []string{"built", "from the cache"} {
		t.Logf("--- index %s; load average %s", run, load())
		start := time.Now()
		ctx, cancel := context.WithCancel(context.Background())
		cmd := exec.CommandContext(ctx, bin, "serve", "--listen", "127.0.0.1:0", "--cache-dir", cache, path)
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stderr)
		base := ""
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "wirewatch serve: http://"); ok {
				base = "http://" + strings.TrimSuffix(u, "/")
				break
			}
		}
		progressLines := make(chan int, 1)
		go func() {
			n := 0
			for sc.Scan() {
				if strings.Contains(sc.Text(), "%)") {
					n++
				}
			}
			progressLines <- n
		}()
		get := func(u string) (map[string]any, time.Duration) {
			t0 := time.Now()
			resp, err := http.Get(base + u)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			d := time.Since(t0)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("%s: status %d: %.200s", u, resp.StatusCode, b)
			}
			var out any
			json.Unmarshal(b, &out)
			m, _ := out.(map[string]any)
			if l, ok := out.([]any); ok && len(l) > 0 {
				m, _ = l[0].(map[string]any)
			}
			return m, d
		}
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		percents := map[float64]bool{}
		var first time.Duration
		for {
			c, _ := get("/api/captures")
			if p, ok := c["percent"].(float64); ok && p > 0 && p < 100 {
				percents[p] = true
			}
			if c["done"] == true {
				break
			}
			if first == 0 && c["frames"].(float64) > 0 {
				_, d := get("/api/packets?start=0&count=100")
				first = time.Since(start)
				t.Logf("first screen while indexing: %.1f ms, %.2f s after start", ms(d), first.Seconds())
			}
			time.Sleep(20 * time.Millisecond)
		}
		indexed := time.Since(start)
		cpu := cpuSeconds(cmd.Process.Pid)
		check("index "+run+" (start to done)", indexed.Seconds(), 3, "s")
		t.Logf("  server CPU so far %.2f s (user+sys); progress values seen while indexing: %d", cpu, len(percents))
		if run == "built" && len(percents) == 0 {
			t.Errorf("no progress reported while indexing")
		}
		_, d := get("/api/packets?start=0&count=100")
		check("first screen (100 rows) after the index", ms(d), 1000, "ms")
		j, d := get("/api/packets?frame=1000000&count=100")
		check("jump to frame 1,000,000 (100 rows around it)", ms(d), 100, "ms")
		t.Logf("  position %v of %v", j["pos"], j["total"])
		fr, d := get("/api/frame?n=1000000")
		check("details + bytes of frame 1,000,000", ms(d), 100, "ms")
		worst := 0.0
		for _, n := range []int{1, 250000, 500001, 777777, 1177000} {
			_, d := get("/api/frame?n=" + strconv.Itoa(n))
			worst = max(worst, ms(d))
		}
		check("details of 5 other frames (worst)", worst, 100, "ms")
		// the worst case: the last frame of the longest TCP stream (decoded
		// after its stream's frames when it needs them)
		conv, _ := get("/api/report?name=conv")
		longest, most := -1.0, 0.0
		if l, ok := conv["conversations"].([]any); ok {
			for _, c := range l {
				m, _ := c.(map[string]any)
				fa, _ := m["frames_ab"].(float64)
				fb, _ := m["frames_ba"].(float64)
				if fa+fb > most {
					most, longest = fa+fb, m["stream"].(float64)
				}
			}
		}
		if longest >= 0 {
			fl, _ := get(fmt.Sprintf("/api/follow?proto=tcp&stream=%d&format=raw", int(longest)))
			if frames, ok := fl["frames"].([]any); ok && len(frames) > 0 {
				last := int(frames[len(frames)-1].(float64))
				_, d := get(fmt.Sprintf("/api/frame?n=%d", last))
				check(fmt.Sprintf("details of the last frame of the longest stream (%d frames)", len(frames)), ms(d), 1000, "ms")
			}
		}
		f, d := get("/api/packets?filter=tcp.analysis.retransmission&count=100")
		check("tcp.analysis.retransmission over all frames", d.Seconds(), 3, "s")
		t.Logf("  %v frames", f["total"])
		_, d = get("/api/packets?filter=tcp.analysis.retransmission&start=100&count=100")
		check("same filter, next page", ms(d), 100, "ms")
		_, d = get("/api/packets?filter=dns&count=100")
		t.Logf("filter dns (decodes every frame): %.2f s", d.Seconds())
		if s, ok := fr["stream"].(float64); ok && s >= 0 {
			_, d = get(fmt.Sprintf("/api/follow?proto=%s&stream=%d&format=hex", fr["proto"], int(s)))
			check("follow the stream of frame 1,000,000", ms(d), 1000, "ms")
		}
		_, d = get("/api/iograph?interval=1")
		t.Logf("IO graph (1 s): %.1f ms", ms(d))
		_, d = get("/api/report?name=diagnose")
		t.Logf("diagnose report: %.1f ms", ms(d))
		rss, peak := memory(cmd.Process.Pid)
		check("server RSS now", rss, 300, "MiB")
		check("server RSS peak (VmHWM)", peak, 300, "MiB")
		cancel()
		cmd.Wait()
		if n := <-progressLines; run == "built" {
			t.Logf("  progress lines on stderr: %d", n)
		}
	}
}

func memory(pid int) (rss, peak float64) {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		v, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = v / 1024
		case "VmHWM:":
			peak = v / 1024
		}
	}
	return rss, peak
}

func cpuSeconds(pid int) float64 {
	b, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		f := strings.Fields(s[i+1:])
		if len(f) > 13 {
			u, _ := strconv.ParseFloat(f[11], 64)
			st, _ := strconv.ParseFloat(f[12], 64)
			return (u + st) / 100
		}
	}
	return 0
}
