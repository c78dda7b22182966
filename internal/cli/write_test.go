package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/internal/testenv"
	"github.com/wirewatch/wirewatch/pipeline"
)

// tsharkRecords lists what tshark sees of each frame of path (after the
// display filter expr, if any): time, lengths, interface and comments.
func tsharkRecords(t *testing.T, path, expr string) []string {
	t.Helper()
	args := []string{"-n", "-r", path, "-T", "fields", "-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len",
		"-e", "frame.interface_id", "-e", "frame.interface_name", "-e", "frame.comment", "-e", "frame.encap_type"}
	if expr != "" {
		args = append(args, "-Y", expr)
	}
	cmd := exec.Command("tshark", args...)
	cmd.Env = append(os.Environ(), "TZ=UTC")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark %v: %v", args, err)
	}
	return strings.Split(strings.TrimRight(string(out), "\n"), "\n")
}

// wwRecords lists what wirewatch's pipeline sees of the displayed frames.
func wwRecords(t *testing.T, path, expr string) []string {
	t.Helper()
	var recs []string
	env := &Env{Ctx: context.Background(), Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}
	err := runFile(env, path, pipeline.Config{Filter: expr}, func(f *decode.Frame) error {
		recs = append(recs, fmt.Sprintf("%d %d %d %d %q %q %d", f.TS, f.Len, f.CapLen, f.Interface, f.InterfaceName, f.Comments, f.LinkType))
		return nil
	})
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return recs
}

// TestReadWrite checks that read -Y EXPR -w FILE saves the displayed frames
// so that tshark (and wirewatch) read FILE as they read those frames of the
// original: timestamps, lengths, interfaces and comments.
func TestReadWrite(t *testing.T) {
	testenv.Tool(t, "tshark")
	dir := filepath.Join(corpus.Dir(t), "real")
	tmp := t.TempDir()
	for i, tc := range []struct{ capture, expr, ext string }{
		{"pcapplusplus__pcapng-example.pcapng", "frame.number > 50", "pcapng"}, // comments, two interfaces and link types
		{"zeek__pcapng-multi-interface.pcapng", "frame.interface_id == 1 || frame.number == 1", "pcapng"},
		{"pcapplusplus__many_interfaces-1.pcapng", "frame.interface_id >= 5", "pcapng"},
		{"zeek__http-get.pcap", "tcp.len > 0", "pcap"},
		{"zeek__http-get.pcap", "tcp.len > 0", "pcapng"},
		{"chrissanders__http_espn.pcapng", "tcp.port == 80 && frame.number < 100", "pcap"},
	} {
		in := filepath.Join(dir, tc.capture)
		out := filepath.Join(tmp, fmt.Sprintf("out%d.%s", i, tc.ext))
		var stdout, stderr bytes.Buffer
		if code := Main(context.Background(), []string{"read", "-r", in, "-Y", tc.expr, "-w", out}, nil, &stdout, &stderr); code != 0 {
			t.Errorf("%s -Y %q -w %s: exit %d: %s", tc.capture, tc.expr, tc.ext, code, stderr.String())
			continue
		}
		if stdout.Len() != 0 {
			t.Errorf("%s: -w printed packets: %q", tc.capture, stdout.String())
		}
		want, got := tsharkRecords(t, in, tc.expr), tsharkRecords(t, out, "")
		if len(want) != len(got) {
			t.Errorf("%s -Y %q -w %s: tshark reads %d frames, want %d", tc.capture, tc.expr, tc.ext, len(got), len(want))
			continue
		}
		for j := range want {
			w, g := strings.Split(want[j], "\t"), strings.Split(got[j], "\t")
			if tc.ext == "pcap" || strings.HasSuffix(tc.capture, ".pcap") {
				// pcap has no interface table: a pcap output shows none, and a
				// pcap input gets one unnamed interface in pcapng (as with tshark -w).
				w, g = append(w[:3:3], w[5:]...), append(g[:3:3], g[5:]...)
			}
			// Timestamps past 2262 overflow wirewatch's int64 nanoseconds (and
			// pcapng-example has such frames): compare the rest of them.
			if sec, _ := strconv.ParseFloat(w[0], 64); sec > 9.2e9 {
				w, g = w[1:], g[1:]
			}
			if strings.Join(w, "\t") != strings.Join(g, "\t") {
				t.Errorf("%s -Y %q -w %s: frame %d of the output:\n got %q\nwant %q", tc.capture, tc.expr, tc.ext, j+1, g, w)
				break
			}
		}
		if tc.ext == "pcapng" && !strings.HasSuffix(tc.capture, ".pcap") {
			wr, gr := wwRecords(t, in, tc.expr), wwRecords(t, out, "")
			if strings.Join(wr, "\n") != strings.Join(gr, "\n") {
				t.Errorf("%s -Y %q: wirewatch reads the output differently:\n got %v\nwant %v", tc.capture, tc.expr, head(gr), head(wr))
			}
		}
	}
}

func head(s []string) []string {
	if len(s) > 3 {
		return s[:3]
	}
	return s
}

// -w - writes pcapng to standard output.
func TestReadWriteStdout(t *testing.T) {
	in := filepath.Join(corpus.Dir(t), "real", "zeek__http-get.pcap")
	var stdout, stderr bytes.Buffer
	if code := Main(context.Background(), []string{"read", "-r", in, "-Y", "tcp.len > 0", "-w", "-"}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out := filepath.Join(t.TempDir(), "stdout.pcapng")
	if err := os.WriteFile(out, stdout.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	want, got := wwRecords(t, in, "tcp.len > 0"), wwRecords(t, out, "")
	if len(want) != len(got) || len(got) == 0 {
		t.Fatalf("stdout capture has %d frames, want %d", len(got), len(want))
	}
	for i := range want { // the pcap's interface becomes a pcapng IDB: compare time and lengths
		if w, g := strings.Fields(want[i])[:3], strings.Fields(got[i])[:3]; strings.Join(w, " ") != strings.Join(g, " ") {
			t.Fatalf("frame %d: got %v, want %v", i+1, g, w)
		}
	}
}

// A bad filter writes no file and exits 2.
func TestReadWriteBadFilter(t *testing.T) {
	in := filepath.Join(corpus.Dir(t), "real", "zeek__http-get.pcap")
	out := filepath.Join(t.TempDir(), "x.pcapng")
	var stdout, stderr bytes.Buffer
	if code := Main(context.Background(), []string{"read", "-r", in, "-Y", "tcp.port in {80 443}", "-w", out}, nil, &stdout, &stderr); code != ExitUsage {
		t.Fatalf("exit %d, want %d", code, ExitUsage)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a file was written for a bad filter")
	}
	if want := "    tcp.port in {80 443}\n                    ^~~\n"; !strings.HasSuffix(stderr.String(), want) {
		t.Errorf("stderr %q, want the caret under 443", stderr.String())
	}
}
