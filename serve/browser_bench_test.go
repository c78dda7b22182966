package serve_test

import (
	"context"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/wirewatch/wirewatch/serve"
)

// TestBrowser1GB measures the web app in headless Chromium on a big
// capture (pcapgen -size 1GB -pcap F):
//
//	WIREWATCH_SERVE_BENCH=/tmp/bench-1g.pcap go test ./serve -run TestBrowser1GB -v
//
// the first screen once indexed, going to frame 1,000,000, the
// retransmission filter, and the rows the page holds after scrolling all
// over the list (bounded whatever the capture size).
func TestBrowser1GB(t *testing.T) {
	path := os.Getenv("WIREWATCH_SERVE_BENCH")
	if path == "" {
		t.Skip("set WIREWATCH_SERVE_BENCH to a big capture (pcapgen -size 1GB -pcap F)")
	}
	s, err := serve.New(serve.Options{Files: []string{path}, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	s.Start(context.Background())
	s.Wait()
	t.Logf("index built in %.2f s", time.Since(t0).Seconds())
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	ts := hs.URL
	tab, _ := browser(t)
	shots := artifacts(t)
	ctx := tab()
	timed := func(what string, f func()) {
		t.Helper()
		t0 := time.Now()
		f()
		t.Logf("%s: %d ms", what, time.Since(t0).Milliseconds())
	}
	timed("first screen (page load to rows shown)", func() {
		if err := chromedp.Do(ctx, chromedp.Navigate(ts+"/")); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, `document.querySelector('#list .row[data-n="1"]:not([hidden])')`)
	})
	total := evalJS[int](t, ctx, `parseInt(document.getElementById('status').dataset.total, 10)`)
	timed("go to frame 1,000,000 (row selected and shown)", func() {
		evalJS[any](t, ctx, `(() => { const g = document.getElementById('goto'); g.value = '1000000'; g.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'})); return null; })()`)
		waitJS(t, ctx, `document.querySelector('#list .row.sel[data-n="1000000"]:not([hidden])')`)
	})
	timed("details of frame 1,000,000 shown", func() {
		waitJS(t, ctx, `[...document.querySelectorAll('#tree div[data-i]')].some(d => d.textContent.startsWith('Frame 1000000:'))`)
	})
	timed("user column tcp.window_size added at frame 1,000,000 (values shown)", func() {
		evalJS[any](t, ctx, `(() => { const a = document.getElementById('addcol'); a.value = 'tcp.window_size'; a.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'})); return null; })()`)
		waitJS(t, ctx, `(r => r && r.children[8].textContent !== '…' && r.children[8].textContent !== '')(document.querySelector('#list .row[data-n="1000000"]:not([hidden])'))`)
	})
	screenshot(t, ctx, shots, "1gb-frame-1000000")
	for _, f := range []float64{0.14, 0.33, 0.5, 0.9999, 0.2, 0.75, 0, 0.66, 0.11, 0.83, 0.8, 0.25, 0.125, 0.875, 1} {
		rowsAt(t, ctx, f, total)
	}
	held := evalJS[int](t, ctx, `parseInt(document.getElementById('list').dataset.held, 10)`)
	rows := evalJS[int](t, ctx, `document.querySelectorAll('#list .row').length`)
	t.Logf("%d frames: after scrolling to 15 places (rows consecutive, 18 px apart) the page holds %d rows in %d row elements", total, held, rows)
	if held > 2400 || rows > 200 {
		t.Errorf("the page holds %d rows, %d row elements", held, rows)
	}
	timed("filter tcp.analysis.retransmission typed (Enter to rows shown)", func() {
		evalJS[any](t, ctx, `(() => { const f = document.getElementById('filter'); f.value = 'tcp.analysis.retransmission'; f.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'})); return null; })()`)
		for deadline := time.Now().Add(2 * time.Minute); !evalJS[bool](t, ctx, `!!(document.getElementById('status').textContent.startsWith('Displayed') && document.querySelector('#list .row[data-n]:not([hidden])'))`); {
			if time.Now().After(deadline) {
				t.Fatal("the filter did not finish in 2 minutes")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
	t.Logf("  %s", evalJS[string](t, ctx, `document.getElementById('status').textContent`))
	timed("I/O graph tab (drawn)", func() {
		evalJS[any](t, ctx, `(() => { document.querySelector('#tabs button[data-tab="io"]').click(); return null; })()`)
		waitJS(t, ctx, `document.getElementById('iograph').dataset.buckets > 0`)
	})
	iv := evalJS[string](t, ctx, `document.getElementById('iostatus').dataset.interval`)
	timed("I/O graph zoomed in by the wheel (drawn)", func() {
		evalJS[any](t, ctx, `(() => { const c = document.getElementById('iocanvas'); const r = c.getBoundingClientRect();
			c.dispatchEvent(new WheelEvent('wheel', {deltaY: -100, clientX: r.left + r.width/2, clientY: r.top + r.height/2, bubbles: true, cancelable: true})); return null; })()`)
		waitJS(t, ctx, `document.getElementById('iostatus').dataset.interval !== '`+iv+`'`)
	})
	screenshot(t, ctx, shots, "1gb-iograph")
	screenshot(t, ctx, shots, "1gb-retransmissions")
}
