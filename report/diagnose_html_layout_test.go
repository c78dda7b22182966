package report_test

import (
	"bytes"
	"context"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/internal/testenv"
	"github.com/wirewatch/wirewatch/report"
)

func init() {
	// the HTML report joins the golden files of TestDiagnoseGolden; the
	// capture is read from the test's directory for the machines' traffic
	goldenFormats["html"] = func(b *bytes.Buffer, d *report.Diagnosis) error {
		return report.WriteDiagnosisHTMLFrom(b, d, filepath.Join("..", d.File))
	}
}

// bigDiagnosis is a diagnosis as a busy capture gives it: many findings,
// each with hundreds of stalls from dozens of machines over an hour.
func bigDiagnosis() *report.Diagnosis {
	base := time.Date(2026, 3, 4, 8, 0, 0, 0, time.UTC).UnixNano()
	d := &report.Diagnosis{File: "big.pcapng", Frames: 9_000_000, First: base, Last: base + int64(time.Hour)}
	for i := 0; i < 60; i++ {
		culprit := netip.AddrFrom4([4]byte{10, 99, byte(i), 20})
		f := analyze.Finding{Category: analyze.CatBlockedDependency, Severity: analyze.Warning, Title: fmt.Sprintf("finding %d", i),
			Explanation: "many machines wait", Culprit: &analyze.Culprit{Host: culprit, Port: 9090, Proto: "tcp", TimeoutS: 2},
			Confidence: 0.9, Basis: "aligned", DisplayFilter: "ip.dst == " + culprit.String()}
		if i < 3 {
			f.Severity = analyze.Critical
		}
		for j := 0; j < 400; j++ {
			cli := netip.AddrFrom4([4]byte{10, 1, byte(j % 50), byte(10 + j%7)})
			t0 := base + int64(j)*int64(9*time.Second)
			a := &analyze.Attempt{Kind: "tcp-connect", Proto: "tcp", Client: analyze.Endpoint{Addr: cli, Port: uint16(40000 + j)},
				Server: analyze.Endpoint{Addr: culprit, Port: 9090}, Frames: []uint64{uint64(j*10 + 1), uint64(j*10 + 2)},
				Times: []int64{t0, t0 + int64(time.Second)}, Start: t0, Last: t0 + int64(time.Second), Outcome: "unanswered"}
			f.Stalls = append(f.Stalls, analyze.Stall{Proto: "tcp", Client: analyze.Endpoint{Addr: cli, Port: uint16(50000 + j)},
				Server: analyze.Endpoint{Addr: netip.AddrFrom4([4]byte{198, 18, byte(j % 9), 10}), Port: 443}, Stream: int64(j),
				StartFrame: uint64(j*10 + 1), EndFrame: uint64(j*10 + 5), Start: t0, End: t0 + int64(2*time.Second), WaitingOn: analyze.WaitClient,
				What: "first request after handshake", Attempt: a})
			f.Evidence = append(f.Evidence, uint64(j*10+1), uint64(j*10+5))
			if !containsAddr(f.Affected, cli) {
				f.Affected = append(f.Affected, cli)
			}
		}
		f.StallCount = len(f.Stalls)
		f.TimeLost = time.Duration(f.StallCount) * 2 * time.Second
		d.Findings = append(d.Findings, f)
	}
	return d
}

func containsAddr(v []netip.Addr, a netip.Addr) bool {
	for _, x := range v {
		if x == a {
			return true
		}
	}
	return false
}

// TestDiagnosisHTMLBigStaysSummary: on a busy capture the page is a summary
// (every finding in the table, a bounded number in full, bounded bars and
// table rows), not a wall of bars.
func TestDiagnosisHTMLBigStaysSummary(t *testing.T) {
	d := bigDiagnosis()
	var buf bytes.Buffer
	if err := report.WriteDiagnosisHTML(&buf, d); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	sections := strings.Count(page, `<section class="finding`)
	bars := strings.Count(page, `<rect class="stall`)
	rows := strings.Count(page, "<tr>")
	svgs := strings.Count(page, `<svg class="tl"`)
	t.Logf("60 findings × 400 stalls: %d KB, %d findings in full, %d timelines, %d stall bars, %d table rows", len(page)/1024, sections, svgs, bars, rows)
	if sections > 12 || svgs > 8 {
		t.Errorf("%d findings in full and %d timelines: not a summary", sections, svgs)
	}
	if n := strings.Count(page, `<tr><td class="num">`); n != 40 {
		t.Errorf("summary table has %d rows, want 40 of the 60 findings", n)
	}
	if bars > 8*3*5*40 {
		t.Errorf("%d stall bars: a wall of bars", bars)
	}
	if len(page) > 1<<20 {
		t.Errorf("page is %d bytes", len(page))
	}
	if !strings.Contains(page, "28 more findings are only in this table, 20 more in neither") {
		t.Errorf("the page does not say that findings are left out")
	}
}

// TestDiagnosisHTMLTicksRound: the axis has round ticks whatever the span.
func TestDiagnosisHTMLTicksRound(t *testing.T) {
	for _, span := range []time.Duration{1300 * time.Millisecond, 6475 * time.Millisecond, 47 * time.Second, 2 * time.Minute, 58 * time.Minute} {
		base := time.Date(2026, 1, 1, 0, 0, 0, 123456789, time.UTC).UnixNano()
		d := &report.Diagnosis{File: "x", First: base, Last: base + int64(span)}
		cli, srv := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")
		d.Findings = []analyze.Finding{{Category: analyze.CatServerThink, Severity: analyze.Warning, Title: "t", Affected: []netip.Addr{cli},
			StallCount: 1, Stalls: []analyze.Stall{{Proto: "tcp", Client: analyze.Endpoint{Addr: cli, Port: 1}, Server: analyze.Endpoint{Addr: srv, Port: 80},
				Start: base + int64(span)/3, End: base + int64(span)/2, WaitingOn: analyze.WaitServer}}}}
		var buf bytes.Buffer
		if err := report.WriteDiagnosisHTML(&buf, d); err != nil {
			t.Fatal(err)
		}
		var labels []string
		for _, part := range strings.Split(buf.String(), `class="tick"`)[1:] {
			l := part[strings.Index(part, ">")+1 : strings.Index(part, "<")]
			labels = append(labels, l)
		}
		if len(labels) < 3 || len(labels) > 12 {
			t.Errorf("span %v: %d ticks %v", span, len(labels), labels)
		}
		for _, l := range labels {
			// round: at most two significant decimals ("+0.25 s"), or whole seconds/minutes
			if i := strings.Index(l, "."); i >= 0 && len(strings.TrimSuffix(l[i+1:], " s")) > 2 {
				t.Errorf("span %v: tick %q is not round", span, l)
			}
		}
		t.Logf("span %v: ticks %v", span, labels)
	}
}

// TestDiagnosisHTMLLayout opens the reports of the lab examples (and the
// big synthetic one) in headless Chromium at 800 and 1400 px: no horizontal
// overflow of the page, no number, address, frame list or display-filter
// token broken across lines, and the timelines as wide as their finding.
// Screenshots (the first 2400 px) go to $WIREWATCH_SCREENSHOTS (a directory) or the test's temp
// dir, for a human to look at.
func TestDiagnosisHTMLLayout(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	bin := ""
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		bin = testenv.Tool(t, "chromium")
	}
	dir := t.TempDir()
	shots := os.Getenv("WIREWATCH_SCREENSHOTS")
	if shots == "" {
		shots = dir
	}
	pages := map[string][]byte{}
	for _, n := range []string{"dual-stack", "ipv6-broken", "nagle-delayed-ack", "office-mix", "hostile-http", "packet-loss"} {
		p := filepath.Join("..", "examples", n+".pcapng")
		if _, err := os.Stat(p); err != nil {
			continue
		}
		var buf bytes.Buffer
		if err := report.WriteDiagnosisHTML(&buf, diagnose(t, p)); err != nil {
			t.Fatal(err)
		}
		pages[n] = buf.Bytes()
	}
	var buf bytes.Buffer
	if err := report.WriteDiagnosisHTML(&buf, bigDiagnosis()); err != nil {
		t.Fatal(err)
	}
	pages["big"] = buf.Bytes()
	// the probe itself must see a broken page: numbers forced to wrap and a
	// block wider than any window
	if dual, ok := pages["dual-stack"]; ok {
		pages["selfcheck"] = bytes.Replace(dual, []byte("</style>"), []byte(".nw,.num{white-space:normal!important;word-break:break-all!important;"+
			"display:inline-block;max-width:2ch}body::after{content:'';display:block;width:3000px;height:1px}</style>"), 1)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.NoFirstRun,
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true), chromedp.UserDataDir(filepath.Join(dir, "profile")),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel2 := chromedp.NewContext(actx)
	defer cancel2()
	ctx, cancel3 := context.WithTimeout(ctx, 120*time.Second)
	defer cancel3()
	// the checks, in the page: overflow of the document, and every element
	// that must not wrap (numbers, addresses, frame lists, filter tokens)
	// laid out on one line
	const probe = `(() => {
		const out = {overflow: document.documentElement.scrollWidth - window.innerWidth, wrapped: [], svgOver: 0, checked: 0};
		// the lines a node's text occupies: distinct tops of its text boxes
		const lines = (node) => {
			const r = document.createRange();
			r.selectNodeContents(node);
			const tops = new Set();
			for (const b of r.getClientRects()) if (b.width > 0) tops.add(Math.round(b.top));
			return tops.size;
		};
		for (const el of document.querySelectorAll('.nw, .num, .sev')) {
			out.checked++;
			if (lines(el) > 1) out.wrapped.push(el.textContent.slice(0, 60));
		}
		for (const code of document.querySelectorAll('code.filter')) {
			// a filter wraps between tokens only: each line starts where a token starts
			const words = code.textContent.split(/\s+/).filter(Boolean);
			const range = document.createRange();
			let pos = 0;
			const text = code.firstChild;
			if (!text) continue;
			for (const w of words) {
				const i = text.textContent.indexOf(w, pos);
				pos = i + w.length;
				range.setStart(text, i); range.setEnd(text, pos);
				out.checked++;
				if (range.getClientRects().length > 1) out.wrapped.push(w);
			}
		}
		for (const svg of document.querySelectorAll('svg.tl')) {
			const p = svg.closest('section').getBoundingClientRect();
			const r = svg.getBoundingClientRect();
			if (r.right > p.right + 1 || r.width < p.width * 0.8) out.svgOver++;
		}
		return out;
	})()`
	type result struct {
		Overflow int      `json:"overflow"`
		Wrapped  []string `json:"wrapped"`
		SVGOver  int      `json:"svgOver"`
		Checked  int      `json:"checked"`
	}
	for name, html := range pages {
		page := filepath.Join(dir, name+".html")
		if err := os.WriteFile(page, html, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, width := range []int64{800, 1400} {
			err := chromedp.Do(ctx,
				chromedp.EmulateViewport(width, 2400),
				chromedp.Navigate("file://"+page),
				chromedp.WaitReady("body"),
			)
			if err != nil {
				t.Fatalf("chromium: %v", err)
			}
			res, err := chromedp.Run(ctx, chromedp.Evaluate[result](probe))
			if err != nil {
				t.Fatalf("chromium: %v", err)
			}
			// the first 2400 px of the page (PNG), what a reader sees first
			shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatalf("chromium screenshot: %v", err)
			}
			out := filepath.Join(shots, fmt.Sprintf("%s-%d.png", name, width))
			if err := os.WriteFile(out, shot, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s at %d px: overflow %d px, %d elements checked, %d wrapped, %d timelines too wide; %s", name, width, res.Overflow, res.Checked, len(res.Wrapped), res.SVGOver, out)
			if name == "selfcheck" {
				if res.Overflow <= 0 || len(res.Wrapped) == 0 {
					t.Errorf("the layout probe missed a page made to overflow and wrap (overflow %d, wrapped %d)", res.Overflow, len(res.Wrapped))
				}
				continue
			}
			if res.Overflow > 0 {
				t.Errorf("%s at %d px: the page is %d px wider than the window", name, width, res.Overflow)
			}
			if len(res.Wrapped) > 0 {
				t.Errorf("%s at %d px: %d wrapped inside, the first: %q", name, width, len(res.Wrapped), res.Wrapped[:min(len(res.Wrapped), 8)])
			}
			if res.SVGOver > 0 {
				t.Errorf("%s at %d px: %d timelines wider than their finding or much narrower", name, width, res.SVGOver)
			}
			if res.Checked == 0 {
				t.Errorf("%s: nothing checked; the test proves nothing", name)
			}
		}
	}
}
