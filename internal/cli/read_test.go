package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/corpus"
)

func runReadCmd(t *testing.T, stdin []byte, args ...string) (code int, out, errs string) {
	t.Helper()
	var o, e bytes.Buffer
	code = Main(context.Background(), args, bytes.NewReader(stdin), &o, &e)
	return code, o.String(), e.String()
}

func TestReadUsage(t *testing.T) {
	pcap := filepath.Join(corpus.Dir(t), "real", "chrissanders__http_espn.pcapng")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"read"}, "no capture file"},
		{[]string{"read", "-T", "xml", pcap}, "unknown format"},
		{[]string{"read", "-t", "x", pcap}, "unknown time format"},
		{[]string{"read", "-T", "fields", pcap}, "needs at least one -e"},
		{[]string{"read", "-T", "fields", "-e", "ip.nosuch", pcap}, "unknown field"},
		{[]string{"read", "-T", "fields", "-e", "ip.src", "-E", "occurrence=x", pcap}, "occurrence"},
		{[]string{"read", "-E", "nonsense", pcap}, "key=value"},
		{[]string{"read", pcap, pcap}, "one capture file"},
		{[]string{"read", "--bogus", pcap}, "unknown option --bogus"},
	} {
		code, _, errs := runReadCmd(t, nil, c.args...)
		if code != ExitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", c.args[1:], code, errs, c.want)
		}
	}
	code, out, _ := runReadCmd(t, nil, "read", "--help")
	if code != ExitOK || !strings.Contains(out, "Examples:") || !strings.Contains(out, "-T fields") {
		t.Errorf("--help: exit %d, output %q", code, out)
	}
}

func TestReadOutputs(t *testing.T) {
	pcap := filepath.Join(corpus.Dir(t), "real", "chrissanders__http_espn.pcapng")
	code, out, errs := runReadCmd(t, nil, "read", "-c", "3", pcap)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if code != 0 || len(lines) != 3 || lines[2] != "    3   0.011851 172.16.0.122 → 199.181.132.250 TCP 74 52166 → 80 [SYN] Seq=0 Win=5840 Len=0 MSS=1460 SACK_PERM TSval=343715279 TSecr=0 WS=64" {
		t.Errorf("text: exit %d %s\n%s", code, errs, out)
	}
	// -r FILE via the top-level tshark habit, stdin, tshark's -E options.
	data, err := os.ReadFile(pcap)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs = runReadCmd(t, data, "-r", "-", "-c", "2", "-T", "fields", "-e", "frame.number", "-e", "ip.addr",
		"-E", "header=y", "-E", "separator=/s", "-E", "quote=d", "-E", "aggregator=;")
	if want := "frame.number ip.addr\n\"1\" \"172.16.0.122;4.2.2.1\"\n\"2\" \"4.2.2.1;172.16.0.122\"\n"; code != 0 || out != want {
		t.Errorf("fields from stdin: exit %d %s\n got %q\nwant %q", code, errs, out, want)
	}
	for _, tf := range []struct{ t, want string }{
		{"e", "    2 1270661369.794599"}, {"ad", "    2 2010-04-07 17:29:29.794599"}, {"d", "    2   0.011665"},
	} {
		_, out, _ = runReadCmd(t, nil, "read", "-c", "2", "-t", tf.t, pcap)
		if l := strings.Split(out, "\n"); len(l) < 2 || !strings.HasPrefix(l[1], tf.want) {
			t.Errorf("-t %s: %q, want prefix %q", tf.t, out, tf.want)
		}
	}
}

// TestReadDamaged: a truncated file prints every good packet, then exits 1
// with a message naming the file and the byte offset.
func TestReadDamaged(t *testing.T) {
	src := filepath.Join(corpus.Dir(t), "real", "zeek__http-get.pcap")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.pcap")
	if err := os.WriteFile(cut, data[:len(data)-30], 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runReadCmd(t, nil, "read", "-T", "fields", "-e", "frame.number", cut)
	n := strings.Count(out, "\n")
	if code != ExitBadInput || n != 13 || !strings.Contains(errs, "cut.pcap") || !strings.Contains(errs, "offset") {
		t.Errorf("exit %d, %d packets printed (want 13 of 14), stderr %q", code, n, errs)
	}
	code, _, errs = runReadCmd(t, nil, "read", filepath.Join(t.TempDir(), "missing.pcap"))
	if code != ExitBadInput || !strings.Contains(errs, "missing.pcap") {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
}

func TestFieldsCommand(t *testing.T) {
	code, out, _ := runReadCmd(t, nil, "fields", "tcp.flags")
	if code != 0 || !strings.Contains(out, "F\tFlags\ttcp.flags\tFT_UINT16\ttcp\tBASE_HEX\t0xfff\tFlags (12 bits)\n") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	code, out, _ = runReadCmd(t, nil, "fields")
	if code != 0 || strings.Count(out, "\n") < 150 || !strings.Contains(out, "P\tInternet Protocol Version 4\tip\n") {
		t.Errorf("all fields: exit %d, %d lines", code, strings.Count(out, "\n"))
	}
	if code, _, errs := runReadCmd(t, nil, "fields", "nosuchproto."); code != ExitUsage || !strings.Contains(errs, "no field") {
		t.Errorf("unknown prefix: exit %d %q", code, errs)
	}
}

// TestInterruptedExits130 checks that a cancelled context (SIGINT or
// SIGTERM in the binary) stops read, stats and diagnose on one and two cores
// with exit status 130 and says so.
func TestInterruptedExits130(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	file := filepath.Join("..", "..", "examples", "http.pcapng")
	for _, args := range [][]string{{"read", file}, {"read", file, "--single-core"}, {"stats", "expert", file},
		{"stats", "conv", "tcp", file, "--single-core"}, {"diagnose", file}} {
		var stdout, stderr bytes.Buffer
		if code := Main(ctx, args, nil, &stdout, &stderr); code != ExitInterrupted {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, code, ExitInterrupted, stderr.String())
		}
		if !strings.Contains(stderr.String(), "interrupted") {
			t.Errorf("%v: stderr %q does not say it was interrupted", args, stderr.String())
		}
	}
}
