//go:build linux

package cli

import (
	"fmt"
	"io"
	"net"
	"os"
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

// TestCaptureExportBlastDrops (WIREWATCH_EXPORT_BLAST=1; CPU-heavy) blasts
// UDP over the veth pair into a sensor with and without --export and
// reports the packets each captured and the kernel dropped: the export must
// not make the sensor drop more.
func TestCaptureExportBlastDrops(t *testing.T) {
	if os.Getenv("WIREWATCH_EXPORT_BLAST") != "1" {
		t.Skip("set WIREWATCH_EXPORT_BLAST=1 (CPU-heavy)")
	}
	p := netns.NewPair(t)
	srv := chserver.StartIn(t, p.A)
	const n = 300000
	counts := func(extra ...string) (captured, dropped int) {
		args := append([]string{"capture", "-i", p.IfA, "-q", "udp port 9000"}, extra...)
		ww := wirewatch(t, p, p.A, args...)
		if _, err := p.Blast(n, 200, 9000); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second)
		out, err := ww.Stop(syscall.SIGINT)
		if err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		for _, l := range strings.Split(out, "\n") {
			f := strings.Fields(l)
			if len(f) > 2 && strings.HasSuffix(l, "captured") {
				captured, _ = strconv.Atoi(f[0])
			}
			if len(f) > 2 && strings.HasSuffix(l, "dropped by kernel") {
				dropped, _ = strconv.Atoi(f[0])
			}
		}
		return
	}
	for round := 0; round < 2; round++ {
		c0, d0 := counts()
		c1, d1 := counts("--export", srv.URL, "--spool", t.TempDir())
		t.Logf("blast of %d datagrams: without --export %d captured, %d dropped; with --export %d captured, %d dropped", n, c0, d0, c1, d1)
		if d1 > d0+n/100 || c1+n/100 < c0 {
			t.Errorf("with --export the sensor lost more: %d captured / %d dropped vs %d / %d", c1, d1, c0, d0)
		}
	}
}
