//go:build linux

package cli

import (
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/internal/chserver"
	"github.com/wirewatch/wirewatch/internal/netns"
)

// TestCaptureExportOutage runs a live sensor (capture --export, and -w for
// the reference) in a network namespace while HTTP clients in the other one
// make connections; ClickHouse is killed in the middle and started again.
// Every connection of the capture file (stats conv tcp+udp) must be in
// ClickHouse exactly once, with the same conn_state and history.
func TestCaptureExportOutage(t *testing.T) {
	p := netns.NewPair(t)
	srv := chserver.StartIn(t, p.A)
	stop, err := netns.ServeHTTP(p.A, 8080)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	dir := t.TempDir()
	file, spool := filepath.Join(dir, "live.pcapng"), filepath.Join(dir, "spool")
	ww := wirewatch(t, p, p.A, "capture", "-i", p.IfA, "-q", "-w", file, "--export", srv.URL, "--database", "live",
		"--sensor", "ns-a", "--spool", spool, "tcp port 8080")
	gets := 0
	phase := func(n int) {
		for i := 0; i < n; i++ {
			err := netns.Do(p.B, func() error {
				c, err := net.DialTimeout("tcp", net.JoinHostPort(p.A4.String(), "8080"), 2*time.Second)
				if err != nil {
					return err
				}
				defer c.Close()
				c.SetDeadline(time.Now().Add(2 * time.Second))
				fmt.Fprintf(c, "GET /%d HTTP/1.1\r\nHost: lab\r\n\r\n", gets)
				_, err = io.ReadAll(c)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			gets++
		}
		time.Sleep(2500 * time.Millisecond) // a flush into the spool
	}
	phase(15)
	srv.Stop()
	phase(15) // spooled while ClickHouse is down
	srv.Restart()
	phase(15)
	out, err := ww.Stop(syscall.SIGINT)
	if err != nil {
		t.Fatalf("capture: %v\n%s", err, out)
	}
	t.Logf("capture: %s", strings.TrimSpace(out))
	if !strings.Contains(out, "0 batches (0 bytes) left in the spool, 0 batches (0 rows) dropped") {
		t.Errorf("the spool did not drain or dropped: %s", out)
	}
	if left, _ := filepath.Glob(filepath.Join(spool, "*")); len(left) > 0 {
		t.Errorf("spool not empty: %v", left)
	}
	want := map[string]string{}
	for _, c := range statsConv(t, "tcp", file).Conversations {
		want[strconv.FormatInt(c.Stream, 10)] = c.ConnState + " " + c.History
	}
	if len(want) != gets {
		t.Errorf("the capture file has %d TCP connections, the clients made %d", len(want), gets)
	}
	q := func(sql string) string {
		s, err := srv.Query(sql)
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(s)
	}
	got := map[string]string{}
	for _, l := range strings.Split(q("SELECT stream, conn_state, history FROM live.connections FINAL WHERE proto = 'tcp' FORMAT TabSeparated"), "\n") {
		if f := strings.Split(l, "\t"); len(f) == 3 {
			got[f[0]] = f[1] + " " + f[2]
		}
	}
	agree := 0
	for k, w := range want {
		if got[k] == w {
			agree++
		} else {
			t.Errorf("stream %s: ClickHouse %q, stats conv of the capture file %q", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("ClickHouse has %d TCP connections, the capture file %d", len(got), len(want))
	}
	n, err := srv.Optimize("live.connections", len(want))
	if err != nil || n != len(want) {
		t.Errorf("%d connection rows after merging, want %d (%v): doubled", n, len(want), err)
	}
	if h := q("SELECT count() FROM live.http FINAL"); h != strconv.Itoa(gets) {
		t.Errorf("%s http rows, the clients made %d requests", h, gets)
	}
	t.Logf("ClickHouse stopped for a third of the capture: %d/%d connections exported once with conn_state and history of the capture file", agree, len(want))
}
