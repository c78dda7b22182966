package serve_test

import (
	"bufio"
	"context"
	"encoding/json"
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
// big capture (pcapgen -size 1GB -pcap F):
//
//	WIREWATCH_SERVE_BENCH=/tmp/bench-1g.pcap go test ./serve -run TestServe1GB -v
//
// index build, first screen, jumping to frame 1,000,000, a filter over all
// frames, one frame's details late in the file, the server's RSS, and the
// start from the cached index.
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
	cache := filepath.Join(dir, "cache")
	for _, run := range []string{"built", "loaded from the cache"} {
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
		go func() {
			for sc.Scan() {
			}
		}()
		get := func(what, u string) map[string]any {
			t0 := time.Now()
			resp, err := http.Get(base + u)
			if err != nil {
				t.Fatal(err)
			}
			var out any
			json.NewDecoder(resp.Body).Decode(&out)
			resp.Body.Close()
			if what != "" {
				t.Logf("%s: %.1f ms (status %d)", what, float64(time.Since(t0).Microseconds())/1000, resp.StatusCode)
			}
			m, _ := out.(map[string]any)
			if m == nil {
				if l, ok := out.([]any); ok && len(l) > 0 {
					m, _ = l[0].(map[string]any)
				}
			}
			return m
		}
		for {
			c := get("", "/api/captures")
			if c["done"] == true {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Logf("index %s: %.2f s after start", run, time.Since(start).Seconds())
		rss := func(what string) {
			b, _ := os.ReadFile("/proc/" + itoa(cmd.Process.Pid) + "/status")
			for _, l := range strings.Split(string(b), "\n") {
				if strings.HasPrefix(l, "VmRSS") || strings.HasPrefix(l, "VmHWM") {
					t.Logf("  server %s: %s", what, strings.Join(strings.Fields(l), " "))
				}
			}
		}
		rss("after indexing")
		get("first screen (100 rows)", "/api/packets?start=0&count=100")
		j := get("jump to frame 1,000,000", "/api/packets?frame=1000000&count=100")
		t.Logf("  position %v of %v", j["pos"], j["total"])
		f := get("filter tcp.analysis.retransmission over all frames", "/api/packets?filter=tcp.analysis.retransmission&count=100")
		t.Logf("  %v frames", f["total"])
		get("same filter, next page", "/api/packets?filter=tcp.analysis.retransmission&start=100&count=100")
		get("details of frame 1,000,000", "/api/frame?n=1000000")
		rss("at the end")
		cancel()
		cmd.Wait()
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
