package serve_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/filter"
	"github.com/wirewatch/wirewatch/internal/cli"
	"github.com/wirewatch/wirewatch/internal/hostile"
	"github.com/wirewatch/wirewatch/internal/testenv"
	"github.com/wirewatch/wirewatch/serve"
)

// startServer serves files (indexed, without a cache) on a loopback test
// server, each as a capture of its own (?c=0, ?c=1...).
func startServer(t *testing.T, files ...string) *httptest.Server {
	t.Helper()
	var caps [][]string
	for _, f := range files {
		caps = append(caps, []string{f})
	}
	s, err := serve.New(serve.Options{Captures: caps, CacheDir: "-"})
	if err != nil {
		t.Fatal(err)
	}
	s.Start(context.Background())
	s.Wait()
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// readFrames is what `wirewatch read -Y expr` selects: the frame numbers.
func readFrames(t *testing.T, path, expr string) []int {
	t.Helper()
	var out, errb bytes.Buffer
	if rc := cli.Main(context.Background(), []string{"read", "-Y", expr, "-T", "fields", "-e", "frame.number", path}, nil, &out, &errb); rc != 0 {
		t.Fatalf("read -Y %q: exit %d: %s", expr, rc, errb.String())
	}
	var ns []int
	for _, l := range strings.Fields(out.String()) {
		n, _ := strconv.Atoi(l)
		ns = append(ns, n)
	}
	return ns
}

// browser starts headless Chromium (Debian's) once for the test and
// returns a function opening a new tab; console messages and exceptions of
// every tab are collected in the returned log.
func browser(t *testing.T) (func() context.Context, *consoleLog) {
	t.Helper()
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
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.NoFirstRun,
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")), chromedp.WindowSize(1280, 900),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	bctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	log := &consoleLog{}
	return func() context.Context {
		ctx, cancel := chromedp.NewContext(bctx)
		t.Cleanup(cancel)
		if err := chromedp.Do(ctx); err != nil {
			t.Fatal(err)
		}
		chromedp.Listen(ctx, func(ev any) {
			switch e := ev.(type) {
			case *runtime.EventConsoleAPICalled:
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				log.add(string(e.Type) + ": " + strings.Join(parts, " "))
			case *runtime.EventExceptionThrown:
				log.add("exception: " + e.ExceptionDetails.Text + " " + fmt.Sprint(e.ExceptionDetails.Exception))
			}
		})
		ctx, cancel3 := context.WithTimeout(ctx, 3*time.Minute) // a loaded machine (8 engineers on 2 cores) is slow
		t.Cleanup(cancel3)
		return ctx
	}, log
}

type consoleLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *consoleLog) add(s string) { l.mu.Lock(); l.lines = append(l.lines, s); l.mu.Unlock() }
func (l *consoleLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.lines)
}

// artifacts is where screenshots go: $WIREWATCH_ARTIFACTS, else the test's temp dir.
func artifacts(t *testing.T) string {
	if d := os.Getenv("WIREWATCH_ARTIFACTS"); d != "" {
		os.MkdirAll(d, 0o755)
		return d
	}
	return t.TempDir()
}

func screenshot(t *testing.T, ctx context.Context, dir, name string) {
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Error(err)
	}
	t.Logf("screenshot: %s", p)
}

// listedFrames scrolls through the whole (virtualised) packet list and
// returns the frame numbers it shows, in order, once the list says it
// holds want rows.
func listedFrames(t *testing.T, ctx context.Context) []int {
	t.Helper()
	waitJS(t, ctx, `document.getElementById('status').dataset.total !== undefined && !document.getElementById('status').textContent.includes('…')`)
	seen := map[int]bool{}
	var out []int
	// The list's height, its total and its rows may still follow the previous
	// filter for a moment (a page in flight): all three are read again at each
	// step, and the walk ends at the bottom only once it has seen the total.
	deadline := time.Now().Add(60 * time.Second)
	for top := 0; ; {
		// Scroll, then let the scroll event render the rows (and any page arrive).
		evalJS[any](t, ctx, fmt.Sprintf(`(() => { document.getElementById('list').scrollTop = %d; return null; })()`, top))
		type view struct {
			Ns                   []int
			Height, Scroll, Rows int
			Total                int
		}
		var got view
		step := time.Now().Add(30 * time.Second)
		for {
			time.Sleep(60 * time.Millisecond)
			got = evalJS[view](t, ctx, `(() => { const l = document.getElementById('list');
				const rows = [...l.querySelectorAll('.row')].filter(r => !r.hidden && r.dataset.n);
				const vis = rows.filter(r => r.offsetTop + 18 > l.scrollTop && r.offsetTop < l.scrollTop + l.clientHeight)
				  .sort((a, b) => a.offsetTop - b.offsetTop);
				return {Ns: vis.map(r => parseInt(r.dataset.n, 10)), Height: l.clientHeight, Scroll: l.scrollHeight,
				  Rows: l.querySelectorAll('.row').length, Total: parseInt(document.getElementById('status').dataset.total, 10)}; })()`)
			if len(got.Ns) > 0 || got.Total == 0 || time.Now().After(step) {
				break
			}
		}
		if got.Rows > 200 {
			t.Fatalf("the list holds %d row elements: not virtualised", got.Rows)
		}
		for _, n := range got.Ns {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
		if top+got.Height >= got.Scroll {
			if len(out) >= got.Total || time.Now().After(deadline) {
				break
			}
			top = 0 // rows were still arriving: walk the list again
			continue
		}
		top += got.Height - 18
	}
	slices.Sort(out)
	return out
}

// clickFrame clicks frame n's row, first scrolling to list position pos (-1: where it is).
func clickFrame(t *testing.T, ctx context.Context, n, pos int) {
	t.Helper()
	if pos >= 0 {
		evalJS[any](t, ctx, fmt.Sprintf(`(() => { document.getElementById('list').scrollTop = %d; return null; })()`, pos*18))
	}
	waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#list .row[data-n="%d"]:not([hidden])')`, n))
	evalJS[any](t, ctx, fmt.Sprintf(`(() => { document.querySelector('#list .row[data-n="%d"]').click(); return null; })()`, n))
}

func waitJS(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(`+cond+`)`))
		if err != nil {
			t.Fatalf("%s: %v", cond, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			screenshot(t, ctx, artifacts(t), "timeout")
			t.Fatalf("timed out waiting for %s", cond)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func evalJS[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// TestBrowser drives the web app in headless Chromium over real example
// captures: filters typed and from the URL select exactly what read -Y
// selects, bad filters show their error position, details link to bytes,
// follow, diagnose findings, and a capture full of markup runs nothing.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	const failOpen = "../examples/fail-open.pcapng"
	ts := startServer(t, failOpen)
	tab, console := browser(t)
	shots := artifacts(t)

	t.Run("url-filter", func(t *testing.T) {
		ctx := tab()
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/?filter=dns")); err != nil {
			t.Fatal(err)
		}
		got, want := listedFrames(t, ctx), readFrames(t, failOpen, "dns")
		if !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("/?filter=dns lists %v, read -Y dns selects %v", got, want)
		}
		t.Logf("/?filter=dns: %d/%d frames as read -Y", len(got), len(want))
	})

	t.Run("typed-filter", func(t *testing.T) {
		ctx := tab()
		for _, expr := range []string{"tcp.flags.syn == 1 && tcp.flags.ack == 0", "ip.dst == 10.99.8.20 || http.request"} {
			if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#filter")),
				chromedp.SendKeys(chromedp.CSS("#filter"), expr), chromedp.SendKeys(chromedp.CSS("#filter"), kb.Enter)); err != nil {
				t.Fatal(err)
			}
			waitJS(t, ctx, `location.search.includes('filter=')`)
			got, want := listedFrames(t, ctx), readFrames(t, failOpen, expr)
			if !slices.Equal(got, want) || len(want) == 0 {
				t.Errorf("typed %q: the list shows %v, read -Y selects %v", expr, got, want)
			}
			t.Logf("typed %q: %d frames, as read -Y", expr, len(got))
			if u := evalJS[string](t, ctx, `new URLSearchParams(location.search).get('filter')`); u != expr {
				t.Errorf("URL filter %q, want %q", u, expr)
			}
		}
		screenshot(t, ctx, shots, "typed-filter")
	})

	t.Run("bad-filter", func(t *testing.T) {
		ctx := tab()
		for _, expr := range []string{"tcp.port == 80 && nosuchfield", "ip.addr == 10.0.0.1 )", "tcp.port =="} {
			_, err := filter.Compile(expr, field.Std())
			var el *filter.ErrorList
			if !errors.As(err, &el) {
				t.Fatalf("%q: want a filter error, got %v", expr, err)
			}
			want := el.Errors[0]
			if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#filter")), chromedp.SendKeys(chromedp.CSS("#filter"), expr)); err != nil {
				t.Fatal(err)
			}
			// the check of the whole text (typing checks each prefix too)
			waitJS(t, ctx, `(f => f.dataset.checked === f.value && f.classList.contains('bad'))(document.getElementById('filter'))`)
			msg := evalJS[string](t, ctx, `document.getElementById('filtererr').textContent`)
			pos := evalJS[string](t, ctx, `document.getElementById('filtererr').dataset.pos`)
			caret := evalJS[string](t, ctx, `document.getElementById('caret').textContent`)
			if pos != strconv.Itoa(want.Pos) || !strings.HasPrefix(msg, want.Msg) || strings.Index(caret, "^") != want.Pos {
				t.Errorf("%q: shows %q at %s (caret %q), filter check says %q at %d", expr, msg, pos, caret, want.Msg, want.Pos)
			}
		}
		screenshot(t, ctx, shots, "bad-filter")
	})

	t.Run("details-bytes-follow", func(t *testing.T) {
		ctx := tab()
		// The first HTTP request of the capture, selected by clicking its row.
		req := readFrames(t, failOpen, "http.request")[0]
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/?filter=http")); err != nil {
			t.Fatal(err)
		}
		listedFrames(t, ctx)
		clickFrame(t, ctx, req, 0)
		waitJS(t, ctx, `document.querySelectorAll('#tree div[data-i]').length > 10`)
		tree := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#tree div[data-i]')].map(d => d.textContent)`)
		if !slices.ContainsFunc(tree, func(s string) bool { return strings.HasPrefix(s, "Hypertext Transfer Protocol") }) ||
			!slices.ContainsFunc(tree, func(s string) bool { return strings.HasPrefix(s, "Transmission Control Protocol") }) {
			t.Errorf("details of frame %d: %q", req, tree)
		}
		// Clicking the TCP line highlights its header bytes; clicking a
		// byte of the HTTP request selects the deepest line covering it.
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('#tree div[data-i]')].find(d => d.textContent.startsWith('Transmission Control Protocol')).click()`)); err != nil {
			t.Fatal(err)
		}
		hl := evalJS[int](t, ctx, `document.querySelectorAll('#hex .srcbox[data-s="0"] .b.hl').length`)
		tcpLen := evalJS[int](t, ctx, `parseInt([...document.querySelectorAll('#tree div[data-i]')].find(d => d.textContent.startsWith('Transmission Control Protocol')).dataset.len, 10)`)
		if hl != 2*tcpLen || tcpLen < 20 { // hex and ASCII cells of the bytes the TCP line covers
			t.Errorf("the TCP line highlights %d byte cells, want %d", hl, 2*tcpLen)
		}
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('#hex .srcbox[data-s="0"] .b')].find(b => b.dataset.i === '70').click()`)); err != nil {
			t.Fatal(err)
		}
		sel := evalJS[string](t, ctx, `(document.querySelector('#tree div.sel')||{}).textContent || ''`)
		if !strings.HasPrefix(sel, "GET ") && !strings.Contains(sel, "Request") {
			t.Errorf("byte 70 of the request selects %q, want the request line", sel)
		}
		screenshot(t, ctx, shots, "details")
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#followbtn"))); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, `document.querySelectorAll('#followtext span').length > 0`)
		text := evalJS[string](t, ctx, `document.getElementById('followtext').textContent`)
		if !strings.Contains(text, "GET /") || !strings.Contains(text, "HTTP/1.1 ") {
			t.Errorf("follow shows %.200q", text)
		}
		flt := evalJS[string](t, ctx, `new URLSearchParams(location.search).get('filter')`)
		if !strings.HasPrefix(flt, "tcp.stream eq ") {
			t.Fatalf("following filtered on %q", flt)
		}
		got, want := listedFrames(t, ctx), readFrames(t, failOpen, flt)
		if !slices.Equal(got, want) {
			t.Errorf("%s lists %v, read -Y %v", flt, got, want)
		}
		screenshot(t, ctx, shots, "follow")
	})

	t.Run("diagnose-evidence", func(t *testing.T) {
		ctx := tab()
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/?tab=diagnose")); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, `document.querySelectorAll('.finding a.frame').length > 0`)
		n := evalJS[int](t, ctx, `parseInt(document.querySelector('.finding .frames a.frame').dataset.frame, 10)`)
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('.finding .frames a.frame').click()`)); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#list .row.sel[data-n="%d"]')`, n))
		flt := evalJS[string](t, ctx, `new URLSearchParams(location.search).get('filter')`)
		var d struct {
			Findings []struct {
				Filter   string `json:"display_filter"`
				Evidence []int  `json:"evidence_frames"`
			} `json:"findings"`
		}
		var out, errb bytes.Buffer
		cli.Main(context.Background(), []string{"diagnose", "--format", "json", failOpen}, nil, &out, &errb)
		if err := json.Unmarshal(out.Bytes(), &d); err != nil || len(d.Findings) == 0 {
			t.Fatalf("diagnose --format json: %v", err)
		}
		if flt != d.Findings[0].Filter || n != d.Findings[0].Evidence[0] {
			t.Errorf("evidence link: filter %q frame %d, diagnose says %q frame %d", flt, n, d.Findings[0].Filter, d.Findings[0].Evidence[0])
		}
		got := listedFrames(t, ctx)
		for _, e := range d.Findings[0].Evidence {
			if !slices.Contains(got, e) {
				t.Errorf("evidence frame %d not in the list under the finding's filter", e)
			}
		}
		if want := readFrames(t, failOpen, flt); !slices.Equal(got, want) {
			t.Errorf("finding filter lists %v, read -Y %v", got, want)
		}
		screenshot(t, ctx, shots, "diagnose")
	})

	t.Run("hostile", func(t *testing.T) {
		dir := t.TempDir()
		p := filepath.Join(dir, "markup.pcapng")
		if err := os.WriteFile(p, hostile.MarkupCapture(), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx := tab()
		before := len(console.all())
		for c, file := range []string{p, "../examples/hostile-http.pcapng"} {
			hts := startServer(t, file)
			n := len(readFrames(t, file, "frame"))
			if err := chromedp.Do(ctx, chromedp.Navigate(hts.URL+"/")); err != nil {
				t.Fatal(err)
			}
			frames := listedFrames(t, ctx)
			if len(frames) != n {
				t.Errorf("capture %d: %d frames listed, want %d", c, len(frames), n)
			}
			// Every frame's details and every report tab.
			for _, f := range frames {
				clickFrame(t, ctx, f, f-1)
				waitJS(t, ctx, fmt.Sprintf(`[...document.querySelectorAll('#tree div[data-i]')].some(d => d.textContent.startsWith('Frame %d:'))`, f))
			}
			for _, tabName := range []string{"conv", "endpoints", "expert", "hierarchy", "io", "diagnose"} {
				if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('#tabs button[data-tab="`+tabName+`"]').click()`)); err != nil {
					t.Fatal(err)
				}
				waitJS(t, ctx, `!document.getElementById('report').textContent.startsWith('Loading')`)
			}
			body := evalJS[string](t, ctx, `document.body.innerText`)
			if c == 0 && !strings.Contains(body, "<script>") {
				t.Errorf("the markup is not shown as text")
			}
			pwned := evalJS[string](t, ctx, `String(window.__pwned)`)
			elems := evalJS[int](t, ctx, `document.querySelectorAll('img,svg,iframe,object,embed').length + document.querySelectorAll('script').length - 1`)
			if pwned != "undefined" || elems != 0 {
				t.Errorf("capture %d: window.__pwned=%s, %d foreign elements in the DOM", c, pwned, elems)
			}
			screenshot(t, ctx, shots, fmt.Sprintf("hostile-%d", c))
		}
		for _, l := range console.all()[before:] {
			if strings.Contains(l, "pwned") || strings.Contains(l, "exception") || strings.Contains(l, "Content Security Policy") {
				t.Errorf("console: %s", l)
			}
		}
	})
	t.Run("views", func(t *testing.T) { browserViews(t, tab, console, shots) })
	t.Logf("console: %d messages", len(console.all()))
	for _, l := range console.all() {
		if strings.HasPrefix(l, "exception") || strings.HasPrefix(l, "error") {
			t.Errorf("console %s", l)
		}
	}
	_ = url.QueryEscape
}
