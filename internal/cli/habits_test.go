package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// habit is a command line typed from tshark or tcpdump habits. It must do
// what tshark does: print what tshark prints (tshark set: compared with
// live tshark given the same words), or what the wirewatch command in same
// prints; or fail with exit status 2 and one line on stderr containing
// refuse, which names the alternative.
type habit struct {
	args   []string
	tshark bool     // stdout equals tshark's with the same arguments
	same   []string // stdout equals this wirewatch command's
	refuse string   // exit 2, one line naming the alternative
	want   string   // stdout contains this (exit 0)
}

func TestCommandLineHabits(t *testing.T) {
	f := filepath.Join("..", "..", "examples", "http.pcapng")
	out := filepath.Join(t.TempDir(), "out")
	habits := []habit{
		{args: []string{"-r", f}, same: []string{"read", f}}, // names off by default (tshark: use -n)
		{args: []string{"-nr", f}, tshark: true},
		{args: []string{"-n", "-r", f}, tshark: true},
		{args: []string{"-nn", "-r", f}, same: []string{"read", f}},
		{args: []string{"-r", f, "-c1", "-n"}, tshark: true},
		{args: []string{"-c1", "-nr", f}, same: []string{"read", "-c", "1", f}},
		{args: []string{"-n", "-r", f, "-c", "5"}, tshark: true},
		{args: []string{"-nr", f, "-Yhttp"}, tshark: true},
		{args: []string{"-nr", f, "-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 0"}, tshark: true},
		{args: []string{"-nr", f, "http.request"}, tshark: true},
		{args: []string{"-nr", f, "tcp.port == 80"}, tshark: true},
		{args: []string{"-nr", f, "tcp.port", "==", "80"}, same: []string{"read", "-Y", "tcp.port == 80", f}},
		{args: []string{"-nr", f, "-tad", "-c3"}, tshark: true},
		{args: []string{"-nr", f, "-t", "e", "-c3"}, tshark: true},
		{args: []string{"-nr", f, "-tud", "-c3"}, same: []string{"read", "-t", "ud", "-c", "3", f}},
		{args: []string{"-nr", f, "-t", "u", "-c3"}, same: []string{"read", "-t", "u", "-c", "3", f}},
		{args: []string{"-nr", f, "-T", "fields", "-e", "frame.number", "-e", "ip.src", "-e", "tcp.dstport"}, tshark: true},
		{args: []string{"-nr", f, "-Tfields", "-eip.src", "-c3"}, tshark: true},
		{args: []string{"-nr", f, "-T", "fields", "-E", "header=y", "-E", "separator=,", "-e", "frame.number", "-e", "frame.len"}, tshark: true},
		{args: []string{"-nr", f, "-V", "-c2"}, tshark: true},
		{args: []string{"-nr", f, "-x", "-c2"}, tshark: true},
		{args: []string{"-nr", f, "-Vx", "-c1"}, same: []string{"read", "-V", "-x", "-c", "1", f}},
		{args: []string{"-nr", f, "-q", "-z", "conv,tcp"}, tshark: true},
		{args: []string{"-nr", f, "-qz", "conv,udp"}, tshark: true},
		{args: []string{"-nr", f, "-q", "-z", "endpoints,ip"}, tshark: true},
		{args: []string{"-nr", f, "-q", "-z", "expert"}, tshark: true},
		{args: []string{"-nr", f, "-q", "-z", "follow,tcp,ascii,0"}, tshark: true},
		{args: []string{"-nr", f, "-q", "-z", "io,phs"}, tshark: true},
		{args: []string{"-nr", f, "-q", "-z", "io,stat,1"}, tshark: true},
		{args: []string{"-nr", f, "-q", "-z", "io,stat,0.01"}, tshark: true},
		{args: []string{"-nr", f, "-2", "-R", "dns"}, tshark: true},
		{args: []string{"-nr", f, "-2", "-R", "tcp.port == 80", "-T", "fields", "-e", "frame.number", "-e", "frame.time_relative", "-e", "tcp.stream", "-e", "tcp.seq", "-e", "tcp.analysis.ack_rtt"}, tshark: true},
		{args: []string{"-nr", f, "-R", "http"}, same: []string{"read", "-Y", "http", f}}, // without -2: as -Y
		{args: []string{"-nr", f, "-o", "tcp.relative_sequence_numbers:TRUE", "-c3"}, tshark: true},
		{args: []string{"-nr", f, "-o", "tcp.desegment_tcp_streams:TRUE", "-Y", "http"}, tshark: true},
		{args: []string{"-nr", f, "-o", "tcp.desegment_tcp_streams:FALSE", "-T", "fields", "-e", "frame.number", "-e", "http.request.method"}, tshark: true},
		{args: []string{"-nr", f, "-w", out + ".pcap", "-F", "pcap", "-Y", "http"}, want: ""},
		{args: []string{"-nr", f, "-w", out + ".pcapng", "-F", "pcapng"}, want: ""},
		{args: []string{"--version"}, want: "libpcap"},
		{args: []string{"help", "read"}, same: []string{"read", "--help"}},
		{args: []string{"-D"}, want: "any (Pseudo-device that captures on all interfaces)"},
		{args: []string{"completion", "bash"}, want: "complete -o filenames -F _wirewatch wirewatch"},
		{args: []string{"-nr", f, "-G"}, refuse: "wirewatch fields"},
		{args: []string{"-nr", f, "-z", "foo"}, refuse: "conv,TYPE"},
		{args: []string{"-nr", f, "--bogus"}, refuse: "wirewatch help read"},
		{args: []string{"-nr", f, "-o", "tcp.relative_sequence_numbers:FALSE"}, refuse: "tcp.seq_raw"},
		{args: []string{"-nr", f, "-o", "gui.column.format:x"}, refuse: "tls.keylog_file"},
		{args: []string{"-nr", f, "-d", "tcp.port==8080,http"}, refuse: "decode-as"},
		{args: []string{"-nr", f, "-f", "tcp port 80"}, refuse: "-Y"},
		{args: []string{"-nr", f, "-F", "pcap"}, refuse: "needs -w"},
		{args: []string{"-nr", f, "-w", out, "-F", "k12text"}, refuse: "editcap"},
		{args: []string{"-nr", f, "-c"}, refuse: "needs a value"},
		{args: []string{"-nr", f, "-A"}, refuse: "-x"},
		{args: []string{"capture", "-r", f}, refuse: "wirewatch read"},
		{args: []string{"capture", "-V"}, refuse: "read -V"},
		{args: []string{"-nr", f, "-Y", "http", "tcp"}, refuse: "give it once"},
		{args: []string{"stats", "conv", "tcp", f, "--frobnicate"}, refuse: "unknown option --frobnicate"},
		{args: []string{"diagnose", "-T", "json", f}, same: []string{"diagnose", "--format", "json", f}}, // tshark's -T for the output format
		{args: []string{"help", "nosuch"}, refuse: "the commands are"},
	}
	if len(habits) < 40 {
		t.Fatalf("only %d command lines", len(habits))
	}
	// tshark's outputs, two at a time (it takes half a second to start).
	_, tsharkErr := exec.LookPath("tshark")
	tsharkOut := make([][]byte, len(habits))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, h := range habits {
		if h.tshark && tsharkErr == nil {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				out, err := exec.Command("tshark", h.args...).Output()
				if err != nil {
					out = []byte("tshark failed: " + err.Error())
				}
				tsharkOut[i] = out
			}()
		}
	}
	wg.Wait()
	for i, h := range habits {
		name := strings.Join(h.args, " ")
		var o, e bytes.Buffer
		code := Main(context.Background(), h.args, nil, &o, &e)
		switch {
		case h.refuse != "":
			lines := strings.Split(strings.TrimRight(e.String(), "\n"), "\n")
			if code != ExitUsage || len(lines) != 1 || !strings.Contains(lines[0], h.refuse) || o.Len() > 0 {
				t.Errorf("%s: exit %d, stderr %q; want exit 2 and one line naming %q", name, code, e.String(), h.refuse)
			}
			continue
		case code != ExitOK:
			t.Errorf("%s: exit %d: %s", name, code, e.String())
			continue
		case h.tshark:
			if tsharkErr != nil {
				continue
			}
			want := tsharkOut[i]
			if o.String() != string(want) {
				t.Errorf("%s: output differs from tshark's:\n%s\ntshark:\n%s", name, clipOut(o.String()), clipOut(string(want)))
			}
		case h.same != nil:
			var o2, e2 bytes.Buffer
			if c := Main(context.Background(), h.same, nil, &o2, &e2); c != ExitOK || o.String() != o2.String() || o.Len() == 0 {
				t.Errorf("%s: output differs from 'wirewatch %s' (exit %d, %s)", name, strings.Join(h.same, " "), c, e2.String())
			}
		default:
			if !strings.Contains(o.String(), h.want) {
				t.Errorf("%s: output lacks %q:\n%s", name, h.want, clipOut(o.String()))
			}
		}
	}
	// -F: the written files are what they say, and tshark reads them.
	for _, c := range []struct{ path, magic string }{{out + ".pcap", "\x4d\x3c\xb2\xa1"}, {out + ".pcapng", "\x0a\x0d\x0d\x0a"}} {
		b, err := os.ReadFile(c.path)
		if err != nil || !bytes.HasPrefix(b, []byte(c.magic)) {
			t.Errorf("%s: %v, starts % x; want % x", c.path, err, b[:min(4, len(b))], c.magic)
		}
	}
	t.Logf("%d command lines from tshark and tcpdump habits", len(habits))
}

func clipOut(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// TestHelpOnce checks that help is printed once, on stdout, for every
// command and each way of asking, and that an unknown option prints one
// line and no help.
func TestHelpOnce(t *testing.T) {
	for _, name := range []string{"read", "capture", "stats", "follow", "diagnose", "fields", "filter"} {
		var ref string
		for i, args := range [][]string{{name, "--help"}, {name, "-h"}, {"help", name}} {
			var o, e bytes.Buffer
			if code := Main(context.Background(), args, nil, &o, &e); code != ExitOK || e.Len() > 0 {
				t.Errorf("%v: exit %d, stderr %q", args, code, e.String())
			}
			if n := strings.Count(o.String(), "Usage: wirewatch "+name); n != 1 {
				t.Errorf("%v: the usage line appears %d times", args, n)
			}
			if i == 0 {
				ref = o.String()
			} else if o.String() != ref {
				t.Errorf("%v: help differs from %s --help", args, name)
			}
		}
		var o, e bytes.Buffer
		if code := Main(context.Background(), []string{name, "--no-such-option"}, nil, &o, &e); code != ExitUsage ||
			strings.Count(e.String(), "\n") != 1 || o.Len() > 0 {
			t.Errorf("%s --no-such-option: exit %d, stdout %d bytes, stderr %q; want one line", name, code, o.Len(), e.String())
		}
	}
}
