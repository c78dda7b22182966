package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/internal/hostile"
	"github.com/wirewatch/wirewatch/internal/testenv"
)

// Tests with the crafted captures of package hostile (internal/hostile):
// terminal escape injection, invalid UTF-8 in JSON, HTTP messages that
// outgrow the buffers or carry bogus chunk sizes, custom pcapng blocks.

func hostileFile(name string) string { return filepath.Join("..", "hostile", "testdata", name) }

// rawControls counts the control bytes in s other than TAB and LF.
func rawControls(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f {
			n++
		}
	}
	return n
}

// allControls counts every control byte in s but LF (TAB included: -T fields
// separates with it, so the caller counts cells).
func fieldControls(s string) int {
	n := 0
	for _, line := range strings.Split(s, "\n") {
		for _, cell := range strings.Split(line, "\t") {
			n += rawControls(cell)
		}
	}
	return n
}

// hostileTextFields are the text fields the crafted captures fill.
var hostileTextFields = []string{"frame.number", "dns.qry.name", "dns.cname", "dns.ptr.domain_name", "http.request.method",
	"http.request.uri", "http.request.version", "http.host", "http.user_agent", "http.referer", "http.server",
	"http.content_type", "http.location", "http.response.phrase", "tls.handshake.extensions_server_name",
	"frame.comment", "frame.interface_name", "_ws.col.Info"}

func fieldArgs(fields []string) []string {
	var a []string
	for _, f := range fields {
		a = append(a, "-e", f)
	}
	return a
}

// TestHostileControlCharsText: the packet list of a capture with terminal
// escapes and every other control character in every text field writes no
// raw control byte but TAB and LF, agreeing with tshark's escaping line by
// line; -T fields writes no more raw control bytes than tshark in any cell.
func TestHostileControlCharsText(t *testing.T) {
	path := hostileFile("control-chars.pcapng")
	code, out, errs := runReadCmd(t, nil, "read", path)
	if code != 0 {
		t.Fatalf("read: exit %d: %s", code, errs)
	}
	if n := rawControls(out); n != 0 {
		t.Errorf("packet list: %d raw control bytes", n)
	}
	if !strings.Contains(out, `GET /\033[2J\033]0;pwned\a\u009B31m\\001\002`) {
		t.Errorf("packet list: the request line is not escaped as tshark does:\n%s", out)
	}
	t.Logf("packet list: %d raw control bytes other than TAB and LF", rawControls(out))

	args := append([]string{"read", "-T", "fields"}, fieldArgs(hostileTextFields)...)
	code, fout, errs := runReadCmd(t, nil, append(args, path)...)
	if code != 0 {
		t.Fatalf("read -T fields: exit %d: %s", code, errs)
	}

	testenv.Tool(t, "tshark")
	want, err := exec.Command("tshark", "-n", "-r", path).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	got, wl := strings.Split(strings.TrimSuffix(out, "\n"), "\n"), strings.Split(strings.TrimSuffix(string(want), "\n"), "\n")
	same := 0
	for i := range wl {
		if i < len(got) && got[i] == wl[i] {
			same++
		} else if i < len(got) && rawControls(wl[i]) == 0 {
			// Lines differ only where tshark itself lets a raw control byte through.
			t.Errorf("line %d:\n got %q\nwant %q", i+1, got[i], wl[i])
		}
	}
	t.Logf("packet list: %d of %d lines identical to tshark's (tshark writes %d raw control bytes)", same, len(wl), rawControls(string(want)))

	tw, err := exec.Command("tshark", append([]string{"-n", "-r", path, "-T", "fields"}, fieldArgs(hostileTextFields)...)...).Output()
	if err != nil {
		t.Fatalf("tshark -T fields: %v", err)
	}
	gotF, wantF := strings.Split(fout, "\n"), strings.Split(string(tw), "\n")
	if len(gotF) != len(wantF) {
		t.Fatalf("-T fields: %d lines, tshark %d", len(gotF), len(wantF))
	}
	cells, more := 0, 0
	for i := range wantF {
		gc, wc := strings.Split(gotF[i], "\t"), strings.Split(wantF[i], "\t")
		for j := range wc {
			if j >= len(gc) {
				break
			}
			cells++
			if g, w := rawControls(gc[j]), rawControls(wc[j]); g > w {
				more++
				t.Errorf("frame %d %s: %d raw control bytes, tshark %d:\n got %q\nwant %q", i+1, hostileTextFields[j], g, w, gc[j], wc[j])
			}
		}
	}
	t.Logf("-T fields: %d cells, %d with more raw control bytes than tshark's; %d raw control bytes in all, tshark %d",
		cells, more, fieldControls(fout), fieldControls(string(tw)))
}

// strictJSON checks b with a strict UTF-8 decoder, then parses it.
func strictJSON(t *testing.T, what string, b []byte, lines bool) bool {
	t.Helper()
	if !utf8.Valid(b) {
		i := 0
		for i < len(b) {
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			i += n
		}
		t.Errorf("%s: not valid UTF-8 at byte %d: %q", what, i, b[max(0, i-20):min(len(b), i+20)])
		return false
	}
	docs := [][]byte{b}
	if lines {
		docs = bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	}
	for _, d := range docs {
		var v any
		if err := json.Unmarshal(d, &v); err != nil {
			t.Errorf("%s: %v", what, err)
			return false
		}
	}
	return true
}

// badUTF8Text is hostile.BadUTF8 as every JSON output writes it: each byte
// that is not UTF-8 as the text \xHH (decode.ValidText).
var badUTF8Text = decode.ValidText(hostile.BadUTF8)

// TestHostileInvalidUTF8JSON: every JSON output of a capture with invalid
// UTF-8 (surrogate, out-of-range, overlong, stray and cut sequences) in
// every text field is strict UTF-8 and parses, and the bytes are escaped
// as \xHH, not dropped: each output that quotes capture text holds every
// invalid byte of the capture recoverably and no U+FFFD.
func TestHostileInvalidUTF8JSON(t *testing.T) {
	if !strings.Contains(badUTF8Text, `\xed\xa0\x80`) || strings.ContainsRune(badUTF8Text, utf8.RuneError) {
		t.Fatalf("ValidText(BadUTF8) = %q", badUTF8Text)
	}
	// A cut copy of each capture ends with a request open (POST /upload…,
	// frame 12), so diagnose quotes its text (open_at_end).
	cut := map[string]string{}
	for _, file := range []string{"invalid-utf8.pcapng", "control-chars.pcapng"} {
		cut[file] = filepath.Join(t.TempDir(), "cut-"+file)
		if code, _, errs := runReadCmd(t, nil, "read", "-Y", "frame.number <= 13", "-w", cut[file], hostileFile(file)); code != 0 {
			t.Fatalf("read -w: exit %d: %s", code, errs)
		}
	}
	ok, recovered := 0, 0
	for _, file := range []string{"invalid-utf8.pcapng", "control-chars.pcapng"} {
		for _, c := range []struct {
			args  []string
			lines bool
			text  bool // quotes capture text
			cut   bool
		}{
			{[]string{"read", "-T", "json"}, false, true, false},
			{[]string{"read", "-T", "jsonl"}, true, true, false},
			{append([]string{"read", "-T", "json"}, fieldArgs(hostileTextFields)...), false, true, false},
			{append([]string{"read", "-T", "jsonl"}, fieldArgs(hostileTextFields)...), true, true, false},
			{[]string{"stats", "expert", "--all", "--format", "json"}, false, true, false},
			{[]string{"stats", "conv", "tcp", "--format", "json"}, false, false, false},
			{[]string{"stats", "endpoints", "ip", "--format", "json"}, false, false, false},
			{[]string{"stats", "summary", "--format", "json"}, false, false, false},
			{[]string{"stats", "io", "--format", "json"}, false, false, false},
			{[]string{"stats", "hierarchy", "--format", "json"}, false, false, false},
			{[]string{"diagnose", "--format", "json"}, false, false, false},
			{[]string{"diagnose", "--format", "json"}, false, true, true},
		} {
			path := hostileFile(file)
			what := file + ": " + strings.Join(c.args[:min(3, len(c.args))], " ")
			if c.cut {
				path, what = cut[file], "cut "+what
			}
			code, out, errs := runReadCmd(t, nil, append(c.args, path)...)
			if code != 0 {
				t.Errorf("%s: exit %d: %s", what, code, errs)
				continue
			}
			if !strictJSON(t, what, []byte(out), c.lines) {
				continue
			}
			ok++
			if file != "invalid-utf8.pcapng" {
				continue
			}
			// The strings as a JSON decoder gives them: no U+FFFD, and the
			// capture's invalid bytes as \xHH text.
			var all strings.Builder
			docs := []string{out}
			if c.lines {
				docs = strings.Split(strings.TrimRight(out, "\n"), "\n")
			}
			for _, d := range docs {
				var v any
				json.Unmarshal([]byte(d), &v)
				jsonStrings(v, &all)
			}
			if strings.ContainsRune(all.String(), utf8.RuneError) {
				i := strings.IndexRune(all.String(), utf8.RuneError)
				t.Errorf("%s: a byte that is not UTF-8 became U+FFFD: %q", what, all.String()[max(0, i-60):min(all.Len(), i+20)])
			}
			if c.text {
				if !strings.Contains(all.String(), badUTF8Text) {
					t.Errorf("%s: the capture's invalid bytes are not all there as \\xHH (want %q)", what, badUTF8Text)
				} else {
					recovered++
				}
			}
		}
	}
	t.Logf("%d JSON outputs decode with a strict UTF-8 decoder and parse; %d of those quoting text of the invalid-UTF-8 capture keep each invalid byte as \\xHH", ok, recovered)
}

// jsonStrings writes every string (keys and values) of a decoded JSON value to b.
func jsonStrings(v any, b *strings.Builder) {
	switch v := v.(type) {
	case string:
		b.WriteString(v)
		b.WriteByte('\n')
	case []any:
		for _, e := range v {
			jsonStrings(e, b)
		}
	case map[string]any:
		for k, e := range v {
			b.WriteString(k)
			b.WriteByte('\n')
			jsonStrings(e, b)
		}
	}
}

// TestHostileControlCharsReports: stats, diagnose and read -V text quote capture text
// (expert summaries, comments, names) with no raw control byte other than
// TAB and LF; follow's ASCII view shows control bytes as '.' (LF and CR as
// they are, byte-identical to tshark).
func TestHostileControlCharsReports(t *testing.T) {
	path := hostileFile("control-chars.pcapng")
	for _, args := range [][]string{
		{"stats", "expert", "--all"}, {"stats", "expert", "-Y", "http"}, {"stats", "summary"}, {"stats", "conv", "tcp"},
		{"stats", "endpoints", "udp"}, {"stats", "io"}, {"stats", "hierarchy"}, {"diagnose"},
		{"follow", "tcp", "0"}, {"follow", "tcp", "2"}, {"follow", "udp", "0"},
		{"read", "-V"}, {"read", "-V", "-x"}, {"read", "-O", "http,dns"},
	} {
		code, out, errs := runReadCmd(t, nil, append(args, path)...)
		if code != 0 && code != ExitFindings {
			t.Errorf("%v: exit %d: %s", args, code, errs)
			continue
		}
		n := rawControls(out)
		if args[0] == "follow" {
			n -= strings.Count(out, "\r")
		}
		if n != 0 {
			t.Errorf("%v: %d raw control bytes:\n%q", args, n, out)
		}
	}
	_, out, _ := runReadCmd(t, nil, "stats", "expert", "--all", path)
	if !strings.Contains(out, `GET /\033[2J\033]0;pwned\a\u009B31m\\001`) {
		t.Errorf("stats expert: the HTTP chat item is not escaped as tshark does:\n%s", out)
	}
}

// writeTemp writes a generated capture into the test's temporary directory.
func writeTemp(t *testing.T, name string, gen func(io.Writer) error) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := gen(fh); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestHostileHTTPStaysHTTP: a request with 100,000 header lines, one with a
// header line longer than the reassembly buffer (1 MB; 10 MB with
// WIREWATCH_HOSTILE_BIG=1, where tshark takes a minute), and responses with
// bogus chunk sizes stay HTTP messages: -Y http selects exactly tshark's
// frames, the oversized head carries an expert warning, and diagnose counts
// every request.
func TestHostileHTTPStaysHTTP(t *testing.T) {
	testenv.Tool(t, "tshark")
	line := 1 << 20
	if os.Getenv("WIREWATCH_HOSTILE_BIG") != "" {
		line = 10 << 20
	}
	captures := []struct {
		path      string
		oversized int // requests whose head outgrows the buffer
		requests  int
	}{
		{writeTemp(t, "many-headers.pcap", func(w io.Writer) error { return hostile.ManyHeaders(w, 100000) }), 1, 2},
		{writeTemp(t, "long-line.pcap", func(w io.Writer) error { return hostile.LongHeaderLine(w, line) }), 1, 2},
		{hostileFile("many-headers.pcap"), 0, 2},
		{hostileFile("bogus-chunks.pcap"), 0, 20},
	}
	agree, total := 0, 0
	for _, c := range captures {
		name := filepath.Base(c.path)
		// One run each: the frames -Y http selects, with what makes them
		// requests, responses or continuations.
		args := []string{"-Y", "http", "-T", "fields", "-e", "frame.number", "-e", "http.request", "-e", "http.response",
			"-e", "http.request.uri", "-e", "http.response.code"}
		want, err := exec.Command("tshark", append([]string{"-n", "-r", c.path}, args...)...).Output()
		if err != nil {
			t.Fatalf("tshark %s: %v", name, err)
		}
		code, got, errs := runReadCmd(t, nil, append(append([]string{"read"}, args...), c.path)...)
		wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
		total += len(wl) - 1
		for i := range wl[:len(wl)-1] {
			if i < len(gl) && gl[i] == wl[i] {
				agree++
			}
		}
		if code != 0 || got != string(want) {
			t.Errorf("%s -Y http: exit %d %s\n got %q\nwant %q", name, code, errs, got, want)
		}
		_, out, _ := runReadCmd(t, nil, "stats", "expert", "-Y", "http", c.path)
		if n := strings.Count(out, "only its start is decoded"); (n > 0) != (c.oversized > 0) {
			t.Errorf("%s: stats expert: oversized-head warning %d times, want %d:\n%s", name, n, c.oversized, out)
		}
		_, out, _ = runReadCmd(t, nil, "diagnose", c.path)
		if !strings.Contains(out, fmt.Sprintf("HTTP %d requests", c.requests)) {
			t.Errorf("%s: diagnose does not count %d HTTP requests:\n%s", name, c.requests, out)
		}
	}
	t.Logf("-Y http on the oversized-head and bogus-chunk captures: %d of %d frames tshark selects selected alike (number, request, response, URI, code)", agree, total)
	// The whole packet list of the bogus-chunk capture, [Malformed Packet]
	// on the refused chunk sizes and Continuation after them included.
	path := hostileFile("bogus-chunks.pcap")
	want, err := exec.Command("tshark", "-n", "-r", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	if _, got, _ := runReadCmd(t, nil, "read", path); got != string(want) {
		t.Errorf("bogus-chunks.pcap: the packet list differs from tshark's:\n got %s\nwant %s", got, want)
	}
}

// TestHostileWriteCustomBlocks: read -w copies the pcapng custom blocks that
// may be copied, as tshark -w does, so tshark lists the same frames, with
// the same numbers, in both written files (with and without a filter).
func TestHostileWriteCustomBlocks(t *testing.T) {
	testenv.Tool(t, "tshark")
	path := hostileFile("custom-blocks.pcapng")
	dir := t.TempDir()
	same := 0
	for i, filter := range []string{"", "frame.number > 3", "!dns || dns.id == 2"} {
		mine, theirs := filepath.Join(dir, fmt.Sprintf("ww%d.pcapng", i)), filepath.Join(dir, fmt.Sprintf("ts%d.pcapng", i))
		args := []string{"read", "-w", mine, path}
		targs := []string{"-r", path, "-w", theirs}
		if filter != "" {
			args = append(args, "-Y", filter)
			targs = append(targs, "-Y", filter)
		}
		if code, _, errs := runReadCmd(t, nil, args...); code != 0 {
			t.Fatalf("read -w: exit %d: %s", code, errs)
		}
		if out, err := exec.Command("tshark", targs...).CombinedOutput(); err != nil {
			t.Fatalf("tshark -w: %v\n%s", err, out)
		}
		list := func(p string) string {
			out, err := exec.Command("tshark", "-n", "-r", p).Output()
			if err != nil {
				t.Fatalf("tshark -r %s: %v", p, err)
			}
			return string(out)
		}
		if got, want := list(mine), list(theirs); got != want {
			t.Errorf("-Y %q: tshark reads the file read -w wrote as\n%s\nand the one tshark -w wrote as\n%s", filter, got, want)
		} else {
			same++
		}
	}
	t.Logf("read -w: %d of 3 written files list exactly the frames of tshark -w's", same)
}

// TestTruncatedCaptureExitStatus: on a capture cut short every subcommand
// prints what it read and then the error, and exits 1 as read does (tshark
// prints its statistics with the error, too).
func TestTruncatedCaptureExitStatus(t *testing.T) {
	full, err := os.ReadFile(hostileFile("bogus-chunks.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cut.pcap")
	if err := os.WriteFile(path, full[:len(full)-30], 0o644); err != nil { // the last record cut short
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string // in the output
	}{
		{[]string{"read"}, "GET /after9 HTTP/1.1"},
		{[]string{"stats", "expert", "--all"}, "Chats"},
		{[]string{"stats", "conv", "tcp"}, "TCP Conversations"},
		{[]string{"stats", "summary"}, "Number of packets"},
		{[]string{"stats", "io", "--format", "json"}, "intervals"},
		{[]string{"follow", "tcp", "0"}, "GET /chunk0"},
		{[]string{"diagnose"}, "Transactions:"},
		{[]string{"diagnose", "--format", "json"}, `"summary"`},
	} {
		code, out, errs := runReadCmd(t, nil, append(c.args, path)...)
		if code != ExitBadInput || !strings.Contains(out, c.want) || !strings.Contains(errs, "cut.pcap") {
			t.Errorf("%v: exit %d (want 1), output has %q: %v, stderr %q", c.args, code, c.want, strings.Contains(out, c.want), errs)
		}
	}
}
