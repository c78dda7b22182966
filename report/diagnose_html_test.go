package report_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/internal/testenv"
	"github.com/wirewatch/wirewatch/pipeline"
	"github.com/wirewatch/wirewatch/report"
)

// hostile strings carried by the crafted capture's HTTP fields.
const (
	evilURI    = `/<script>window.__pwned=1</script><img/src=x/onerror=window.__pwned=2>"'`
	evilHost   = `<svg/onload=window.__pwned=3>`
	evilPhrase = `<script>window.__pwned=4</script>`
)

// craftCapture writes a pcap with one HTTP exchange whose request URI, Host
// and status phrase carry markup and script, and whose answer comes 3 s late
// (a server-think-time stall and an HTTP 500, so the strings reach the
// titles, explanations, tables and SVG of the report).
func craftCapture(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hostile.pcap")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := capture.NewPcapWriter(fh, capture.LinkEthernet, 65535, false)
	if err != nil {
		t.Fatal(err)
	}
	cli, srv := netip.MustParseAddr("10.1.1.10"), netip.MustParseAddr("192.0.2.5")
	cmac := [6]byte{2, 0, 0, 0, 0, 1}
	rmac := [6]byte{2, 0, 0, 0, 0, 0xfe}
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).UnixNano()
	req := "GET " + evilURI + " HTTP/1.1\r\nHost: " + evilHost + "\r\nUser-Agent: <b>ua</b>\r\n\r\n"
	resp := "HTTP/1.1 500 " + evilPhrase + "\r\nServer: <iframe src=javascript:alert(5)>\r\nContent-Length: 0\r\n\r\n"
	type pkt struct {
		ms       int64
		fromCli  bool
		flags    uint16
		seq, ack uint32
		payload  string
	}
	const ciss, siss = 1000, 5000
	pkts := []pkt{
		{0, true, decode.TCPSyn, ciss, 0, ""},
		{10, false, decode.TCPSyn | decode.TCPAck, siss, ciss + 1, ""},
		{20, true, decode.TCPAck, ciss + 1, siss + 1, ""},
		{21, true, decode.TCPAck | decode.TCPPsh, ciss + 1, siss + 1, req},
		{31, false, decode.TCPAck, siss + 1, ciss + 1 + uint32(len(req)), ""},
		{3031, false, decode.TCPAck | decode.TCPPsh, siss + 1, ciss + 1 + uint32(len(req)), resp},
		{3041, true, decode.TCPAck | decode.TCPFin, ciss + 1 + uint32(len(req)), siss + 1 + uint32(len(resp)), ""},
		{3051, false, decode.TCPAck | decode.TCPFin, siss + 1 + uint32(len(resp)), ciss + 2 + uint32(len(req)), ""},
		{3061, true, decode.TCPAck, ciss + 2 + uint32(len(req)), siss + 2 + uint32(len(resp)), ""},
	}
	for _, p := range pkts {
		src, dst, sm, dm, sp, dp, ttl := cli, srv, cmac, rmac, uint16(40000), uint16(80), uint8(64)
		if !p.fromCli {
			src, dst, sm, dm, sp, dp, ttl = srv, cli, rmac, cmac, 80, 40000, 57
		}
		b := ethIPv4TCP(sm, dm, src, dst, ttl, sp, dp, p.seq, p.ack, p.flags, []byte(p.payload))
		if err := w.WritePacket(capture.Info{TS: base + p.ms*1e6, Len: len(b)}, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	return path
}

func ethIPv4TCP(sm, dm [6]byte, src, dst netip.Addr, ttl uint8, sp, dp uint16, seq, ack uint32, flags uint16, payload []byte) []byte {
	b := make([]byte, 14+20+20+len(payload))
	copy(b[0:6], dm[:])
	copy(b[6:12], sm[:])
	binary.BigEndian.PutUint16(b[12:], 0x0800)
	ip := b[14:34]
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(20+20+len(payload)))
	ip[6] = 0x40
	ip[8] = ttl
	ip[9] = 6
	s4, d4 := src.As4(), dst.As4()
	copy(ip[12:16], s4[:])
	copy(ip[16:20], d4[:])
	var sum uint32
	for i := 0; i < 20; i += 2 {
		sum += uint32(binary.BigEndian.Uint16(ip[i:]))
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	binary.BigEndian.PutUint16(ip[10:], ^uint16(sum))
	tcp := b[34:54]
	binary.BigEndian.PutUint16(tcp[0:], sp)
	binary.BigEndian.PutUint16(tcp[2:], dp)
	binary.BigEndian.PutUint32(tcp[4:], seq)
	binary.BigEndian.PutUint32(tcp[8:], ack)
	tcp[12] = 5 << 4
	tcp[13] = byte(flags)
	binary.BigEndian.PutUint16(tcp[14:], 64240)
	copy(b[54:], payload)
	return b
}

func diagnose(t *testing.T, path string) *report.Diagnosis {
	t.Helper()
	eng := analyze.New(analyze.Config{})
	if err := pipeline.RunFile(context.Background(), path, pipeline.Config{}, func(f *decode.Frame) error { eng.Add(f); return nil }); err != nil {
		t.Fatal(err)
	}
	eng.Flush(0)
	return report.NewDiagnosis(path, eng)
}

// TestDiagnosisHTMLEscapes checks that markup from the capture never reaches
// the page unescaped, and that the stall made it into the report at all.
func TestDiagnosisHTMLEscapes(t *testing.T) {
	d := diagnose(t, craftCapture(t))
	var found bool
	for _, f := range d.Findings {
		if strings.Contains(f.Title+f.Explanation, "<script>") || len(f.Stalls) > 0 && strings.Contains(f.Stalls[0].What, "<script>") {
			found = true
		}
	}
	if !found {
		t.Fatalf("the hostile URI did not reach any finding (findings: %+v); the test would prove nothing", d.Findings)
	}
	var buf bytes.Buffer
	if err := report.WriteDiagnosisHTML(&buf, d); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, bad := range []string{"<script>window", "<img/src=x", "<svg/onload", "<iframe", "<b>ua</b>"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;window.__pwned=1") {
		t.Errorf("escaped URI not found in the page")
	}
	if !strings.Contains(page, "<svg") || !strings.Contains(page, "<title>") {
		t.Errorf("no SVG timeline with hover titles")
	}
	if strings.Contains(page, "http://") && !strings.Contains(page, "http://www.w3.org/2000/svg") {
		t.Errorf("page references the network")
	}
}

// TestDiagnosisHTMLChromium opens the report in real headless Chromium: no
// script from the capture runs, the SVG timeline renders, and a screenshot
// is saved ($WIREWATCH_SCREENSHOT or the test's temp dir) for a human to look at.
func TestDiagnosisHTMLChromium(t *testing.T) {
	bin := ""
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		bin = testenv.Tool(t, "chromium") // installs Debian's chromium when it can
	}
	d := diagnose(t, craftCapture(t))
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	var buf bytes.Buffer
	if err := report.WriteDiagnosisHTML(&buf, d); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.NoFirstRun,
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")), chromedp.WindowSize(1200, 1000),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel2 := chromedp.NewContext(actx)
	defer cancel2()
	ctx, cancel3 := context.WithTimeout(ctx, 60*time.Second)
	defer cancel3()
	err := chromedp.Do(ctx,
		chromedp.Navigate("file://"+page),
		chromedp.WaitReady("body"),
		chromedp.Sleep(300*time.Millisecond),
	)
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	pwned, err := chromedp.Run(ctx, chromedp.Evaluate[string](`String(window.__pwned)`))
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	svgs, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('svg rect.stall').length`))
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	scripts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('script,iframe,img').length`))
	if err != nil {
		t.Fatalf("chromium: %v", err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("chromium screenshot: %v", err)
	}
	if pwned != "undefined" {
		t.Errorf("script from the capture ran: window.__pwned = %s", pwned)
	}
	if scripts != 0 {
		t.Errorf("%d script/iframe/img elements in the DOM", scripts)
	}
	if svgs == 0 {
		t.Errorf("no shaded stall in the SVG timeline")
	}
	out := os.Getenv("WIREWATCH_SCREENSHOT")
	if out == "" {
		out = filepath.Join(dir, "report.png")
	}
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes); stalls drawn: %d", out, len(shot), svgs)
}

// TestDiagnosisHTMLEscapesLabCapture renders the lab's hostile capture
// (examples/hostile-http.pcapng: script and markup in the URI, headers, body
// and a DNS name) in every format and checks the HTML escapes all of it.
func TestDiagnosisHTMLEscapesLabCapture(t *testing.T) {
	p := filepath.Join("..", "examples", "hostile-http.pcapng")
	if _, err := os.Stat(p); err != nil {
		t.Skip("SKIP: examples/hostile-http.pcapng missing")
	}
	d := diagnose(t, p)
	var buf bytes.Buffer
	if err := report.WriteDiagnosisHTML(&buf, d); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if !strings.Contains(page, "&lt;script&gt;") {
		t.Errorf("the hostile strings did not reach the page; the test proves nothing")
	}
	for _, bad := range []string{"<script>alert", "<img src=x", "onerror=alert(1)>", "<svg onload", "<iframe"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	var js, txt bytes.Buffer
	if err := report.WriteDiagnosisJSON(&js, d); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteDiagnosisText(&txt, d); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(txt.String(), "\x1b\x00") {
		t.Errorf("text report carries control characters from the capture")
	}
}
