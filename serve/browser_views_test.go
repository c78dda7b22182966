package serve_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/wirewatch/wirewatch/internal/cli"
	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/internal/hostile"
)

// readFields is `wirewatch read [-Y expr] -T fields -e frame.number -e name`:
// frame number -> value.
func readFields(t *testing.T, path, expr, name string) map[int]string {
	t.Helper()
	args := []string{"read", "-T", "fields", "-e", "frame.number", "-e", name}
	if expr != "" {
		args = append(args, "-Y", expr)
	}
	var out, errb bytes.Buffer
	if rc := cli.Main(context.Background(), append(args, path), nil, &out, &errb); rc != 0 {
		t.Fatalf("read %v: exit %d: %s", args, rc, errb.String())
	}
	m := map[int]string{}
	for _, l := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
		n, v, _ := strings.Cut(l, "\t")
		k, _ := strconv.Atoi(n)
		m[k] = v
	}
	return m
}

// rowsAt scrolls the list to fraction f of its height and checks that the
// rows shown are consecutive frames 18 px apart around f of total.
func rowsAt(t *testing.T, ctx context.Context, f float64, total int) {
	t.Helper()
	evalJS[any](t, ctx, fmt.Sprintf(`(() => { const l = document.getElementById('list'); l.scrollTop = %g * (l.scrollHeight - l.clientHeight); return null; })()`, f))
	var rows []struct{ N, Top int }
	for deadline := time.Now().Add(30 * time.Second); ; {
		rows = evalJS[[]struct{ N, Top int }](t, ctx, `(() => { const l = document.getElementById('list');
			return [...l.querySelectorAll('.row')].filter(r => !r.hidden && r.dataset.n && r.offsetTop + 18 > l.scrollTop && r.offsetTop < l.scrollTop + l.clientHeight)
			  .map(r => ({N: parseInt(r.dataset.n, 10), Top: Math.round(r.getBoundingClientRect().top)})).sort((a, b) => a.N - b.N); })()`)
		if len(rows) > 10 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(rows) < 10 {
		t.Fatalf("at %g: %d rows shown", f, len(rows))
	}
	for k := 1; k < len(rows); k++ {
		if rows[k].N != rows[k-1].N+1 || rows[k].Top-rows[k-1].Top != 18 {
			t.Fatalf("at %g: rows %+v then %+v", f, rows[k-1], rows[k])
		}
	}
	if mid := rows[len(rows)/2].N; float64(mid) < f*float64(total)-200 || float64(mid) > f*float64(total)+200 {
		t.Errorf("scrolled to %g shows frames around %d", f, mid)
	}
}

func mapValues(m map[int]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// readTimes is the Time column of `wirewatch read -t format`, by frame number.
func readTimes(t *testing.T, path, format string) map[int]string {
	t.Helper()
	var out, errb bytes.Buffer
	if rc := cli.Main(context.Background(), []string{"read", "-t", format, path}, nil, &out, &errb); rc != 0 {
		t.Fatalf("read -t %s: exit %d: %s", format, rc, errb.String())
	}
	m := map[int]string{}
	for _, l := range strings.Split(out.String(), "\n") {
		f := strings.Fields(l)
		if len(f) < 3 {
			continue
		}
		n, _ := strconv.Atoi(f[0])
		m[n] = f[1]
		if format == "ad" || format == "ud" {
			m[n] += " " + f[2]
		}
	}
	return m
}

// visibleCells returns the text of column col of the visible list rows, by frame number.
func visibleCells(t *testing.T, ctx context.Context, col int) map[int]string {
	t.Helper()
	var got map[string]string
	got = evalJS[map[string]string](t, ctx, fmt.Sprintf(`Object.fromEntries([...document.querySelectorAll('#list .row')]
		.filter(r => !r.hidden && r.dataset.n).map(r => [r.dataset.n, r.children[%d].textContent]))`, col))
	out := map[int]string{}
	for k, v := range got {
		n, _ := strconv.Atoi(k)
		out[n] = v
	}
	return out
}

func click(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { `+js+`.click(); return null; })()`)); err != nil {
		t.Fatalf("click %s: %v", js, err)
	}
}

// synthCapture writes a pcap of n UDP datagrams, 1 ms apart.
func synthCapture(t *testing.T, n int) string {
	var b bytes.Buffer
	le := binary.LittleEndian
	hdr := make([]byte, 24)
	le.PutUint32(hdr[0:], 0xa1b2c3d4)
	le.PutUint16(hdr[4:], 2)
	le.PutUint16(hdr[6:], 4)
	le.PutUint32(hdr[16:], 65535)
	le.PutUint32(hdr[20:], 1)
	b.Write(hdr)
	for i := 0; i < n; i++ {
		pkt := make([]byte, 14+20+8+4)
		copy(pkt[0:], []byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0})
		ip := pkt[14:]
		ip[0], ip[8], ip[9] = 0x45, 64, 17
		binary.BigEndian.PutUint16(ip[2:], 32)
		copy(ip[12:], []byte{10, 0, 0, 1, 10, 0, 0, 2})
		var sum uint32
		for k := 0; k < 20; k += 2 {
			sum += uint32(binary.BigEndian.Uint16(ip[k:]))
		}
		for sum > 0xffff {
			sum = sum&0xffff + sum>>16
		}
		binary.BigEndian.PutUint16(ip[10:], ^uint16(sum))
		udp := ip[20:]
		binary.BigEndian.PutUint16(udp[0:], 40000)
		binary.BigEndian.PutUint16(udp[2:], 9999)
		binary.BigEndian.PutUint16(udp[4:], 12)
		binary.BigEndian.PutUint32(udp[8:], uint32(i))
		rec := make([]byte, 16)
		ts := 1700000000_000000 + int64(i)*1000
		le.PutUint32(rec[0:], uint32(ts/1e6))
		le.PutUint32(rec[4:], uint32(ts%1e6))
		le.PutUint32(rec[8:], uint32(len(pkt)))
		le.PutUint32(rec[12:], uint32(len(pkt)))
		b.Write(rec)
		b.Write(pkt)
	}
	p := filepath.Join(t.TempDir(), "synth.pcap")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// browserViews exercises the workbench's views in TestBrowser's Chromium:
// time formats and time references, user columns, filter completion and
// history, apply/prepare as filter, follow as hex and raw, the zoomable IO
// graph, the diagnose timeline, and a bounded list over a bigger capture.
func browserViews(t *testing.T, tab func() context.Context, console *consoleLog, shots string) {
	const failOpen = "../examples/fail-open.pcapng"
	big := synthCapture(t, 150000)
	markup := filepath.Join(t.TempDir(), "markup.pcapng")
	if err := os.WriteFile(markup, hostile.MarkupCapture(), 0o644); err != nil {
		t.Fatal(err)
	}
	// one server per capture: several files given to one server are merged into one capture
	ts, tsBig, tsMarkup := startServer(t, failOpen), startServer(t, big), startServer(t, markup)
	ctx := tab()
	base := ts.URL
	nav := func(q string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"+q)); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, `document.querySelector('#list .row[data-n]:not([hidden])')`)
	}

	t.Run("columns-time", func(t *testing.T) {
		// A user column from the URL shows read -T fields' values; the UTC
		// date format; a time reference set on a frame.
		nav("?cols=ip.ttl&t=ud")
		waitJS(t, ctx, `[...document.querySelectorAll('#list .row')].some(r => !r.hidden && r.children[8] && r.children[8].textContent !== '…')`)
		head := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#listhead > span')].map(s => s.firstChild.textContent)`)
		if len(head) != 10 || head[8] != "ip.ttl" || head[9] != "Info" {
			t.Fatalf("header %q", head)
		}
		want := readFields(t, failOpen, "", "ip.ttl")
		got := visibleCells(t, ctx, 8)
		bad := 0
		for n, v := range got {
			if want[n] != v {
				bad++
				t.Errorf("frame %d ip.ttl %q, read says %q", n, v, want[n])
			}
		}
		t.Logf("user column ip.ttl: %d/%d visible cells as read -T fields", len(got)-bad, len(got))
		// every -t format read prints: the visible rows' Time column is read -t's,
		// to the page's number of decimals
		for _, f := range []string{"ud", "u", "a", "ad", "e", "r", "d", "dd"} {
			evalJS[any](t, ctx, `(() => { const s = document.getElementById('timefmt'); s.value = '`+f+`'; s.dispatchEvent(new Event('change')); return null; })()`)
			want := readTimes(t, failOpen, f)
			cells := visibleCells(t, ctx, 1)
			bad := 0
			for n, v := range cells {
				w := want[n]
				if dot := strings.LastIndexByte(v, '.'); dot < 0 || len(v)-dot-1 < 6 || !strings.HasPrefix(w, v) || strings.ContainsAny(w[len(v):], ".: -") {
					if bad++; bad <= 3 {
						t.Errorf("-t %s frame %d: %q, read -t %s %q", f, n, v, f, w)
					}
				}
			}
			if len(cells) == 0 {
				t.Errorf("-t %s: no rows", f)
			}
		}
		// time reference on frame 5: its row says *REF*, later rows count from it
		clickFrame(t, ctx, 5, -1)
		waitJS(t, ctx, `document.getElementById('refbtn')`)
		click(t, ctx, `document.getElementById('timefmt')`)
		evalJS[any](t, ctx, `(() => { const s = document.getElementById('timefmt'); s.value = 'r'; s.dispatchEvent(new Event('change')); return null; })()`)
		click(t, ctx, `document.getElementById('refbtn')`)
		waitJS(t, ctx, `document.querySelector('#list .row[data-n="5"]').children[1].textContent === '*REF*'`)
		rel := readFields(t, failOpen, "", "frame.time_relative")
		cells := visibleCells(t, ctx, 1)
		f5, _ := strconv.ParseFloat(rel[5], 64)
		for _, n := range []int{6, 20} {
			f, _ := strconv.ParseFloat(rel[n], 64)
			got, _ := strconv.ParseFloat(cells[n], 64)
			if d := got - (f - f5); d > 2e-6 || d < -2e-6 {
				t.Errorf("frame %d with reference 5: %s, want %.6f", n, cells[n], f-f5)
			}
		}
		// the details tree counts "Time since reference" from it too (frame 20)
		clickFrame(t, ctx, 20, -1)
		f20, _ := strconv.ParseFloat(rel[20], 64)
		waitJS(t, ctx, `[...document.querySelectorAll('#tree div')].some(d => d.textContent === 'Frame Number: 20')`)
		line := evalJS[string](t, ctx, `[...document.querySelectorAll('#tree div')].map(d => d.textContent).find(s => s.startsWith('[Time since reference or first frame: ')) || ''`)
		if got, _ := strconv.ParseFloat(strings.Fields(strings.TrimPrefix(line+" ", "[Time since reference or first frame: "))[0], 64); got-(f20-f5) > 2e-9 || got-(f20-f5) < -2e-9 {
			t.Errorf("frame 20's details with reference 5: %q, want %.9f seconds", line, f20-f5)
		}
		clickFrame(t, ctx, 5, -1)
		if u := evalJS[string](t, ctx, `location.search`); !strings.Contains(u, "ref=5") || !strings.Contains(u, "cols=ip.ttl") {
			t.Errorf("URL %s lacks ref=5 or cols", u)
		}
		screenshot(t, ctx, shots, "columns-time")
		// reload keeps it all
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, `(r => r && r.children[1].textContent === '*REF*' && r.children[8].textContent !== '…')(document.querySelector('#list .row[data-n="5"]'))`)
		// removing the column
		click(t, ctx, `document.querySelector('.rmcol[data-col="ip.ttl"]')`)
		waitJS(t, ctx, `document.querySelectorAll('#listhead > span').length === 9 && !location.search.includes('cols=')`)
		// the story's delta-time column, typed into "Add column" (completed from the field names)
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#addcol"), "tcp.time_del")); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, `[...document.querySelectorAll('#fieldlist option')].some(o => o.value === 'tcp.time_delta')`)
		if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS("#addcol"), "tcp.time_delta"), chromedp.SendKeys(chromedp.CSS("#addcol"), kb.Enter)); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, `location.search.includes('cols=tcp.time_delta') && [...document.querySelectorAll('#list .row')].some(r => !r.hidden && r.children[8] && r.children[8].textContent !== '…' && r.children[8].textContent !== '')`)
		wantDelta := readFields(t, failOpen, "", "tcp.time_delta")
		for n, v := range visibleCells(t, ctx, 8) {
			if v != wantDelta[n] {
				t.Errorf("frame %d tcp.time_delta %q, read %q", n, v, wantDelta[n])
			}
		}
		click(t, ctx, `document.querySelector('.rmcol[data-col="tcp.time_delta"]')`)
		waitJS(t, ctx, `!location.search.includes('cols=')`)
		// Ctrl+T on the selected frame 5 unsets its reference
		evalJS[any](t, ctx, `(() => { document.getElementById('list').focus(); return null; })()`)
		if err := chromedp.Do(ctx, chromedp.KeyEvent("t", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, `!location.search.includes('ref=') && (r => r && r.children[1].textContent !== '*REF*')(document.querySelector('#list .row[data-n="5"]'))`)
	})

	t.Run("completion-history-apply", func(t *testing.T) {
		nav("")
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#filter"), "tcp.analysis.retr")); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, `[...document.querySelectorAll('#suggest .sugg .name')].some(s => s.textContent === 'tcp.analysis.retransmission')`)
		screenshot(t, ctx, shots, "completion")
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#filter"), kb.Tab)); err != nil {
			t.Fatal(err)
		}
		if v := evalJS[string](t, ctx, `document.getElementById('filter').value`); !strings.HasPrefix(v, "tcp.analysis.retr") || v == "tcp.analysis.retr" {
			t.Errorf("Tab completed to %q", v)
		}
		// apply as filter from the details tree: the Source Address line of a DNS query
		dns := readFrames(t, failOpen, "dns")[0]
		nav(fmt.Sprintf("?frame=%d", dns))
		waitJS(t, ctx, `[...document.querySelectorAll('#tree div[data-i]')].some(d => d.title === 'ip.src')`)
		click(t, ctx, `[...document.querySelectorAll('#tree div[data-i]')].find(d => d.title === 'ip.src')`)
		click(t, ctx, `document.getElementById('applyfilter')`)
		waitJS(t, ctx, `new URLSearchParams(location.search).get('filter')`)
		flt := evalJS[string](t, ctx, `new URLSearchParams(location.search).get('filter')`)
		if !strings.HasPrefix(flt, "ip.src == ") {
			t.Fatalf("apply as filter on ip.src gave %q", flt)
		}
		got, want := listedFrames(t, ctx), readFrames(t, failOpen, flt)
		if !slices.Equal(got, want) {
			t.Errorf("%s lists %v, read -Y %v", flt, got, want)
		}
		// prepare "…and selected" on the protocol line: the bar holds (ip.src == X) && dns, not applied
		click(t, ctx, `[...document.querySelectorAll('#tree div[data-i]')].find(d => d.title === 'dns')`)
		click(t, ctx, `document.getElementById('andfilter')`)
		waitJS(t, ctx, `document.getElementById('filter').value.endsWith('&& dns')`)
		if v := evalJS[string](t, ctx, `document.getElementById('filter').value`); v != "("+flt+") && dns" {
			t.Errorf("prepared %q", v)
		}
		screenshot(t, ctx, shots, "apply-filter")
		// history: both applied filters, newest first
		evalJS[any](t, ctx, `(() => { const f = document.getElementById('filter'); f.value = ''; f.focus(); return null; })()`)
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.ArrowDown)); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, `document.getElementById('suggest').dataset.kind === 'history' && !document.getElementById('suggest').hidden`)
		hist := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#suggest .sugg .name')].map(s => s.textContent)`)
		if len(hist) == 0 || hist[0] != flt {
			t.Errorf("history %q, want %q first", hist, flt)
		}
	})

	t.Run("delta-displayed", func(t *testing.T) {
		// under a filter, the details' delta from the previous displayed frame
		// is the list's Delta displayed
		nav("?filter=http")
		ns := readFrames(t, failOpen, "http")
		for _, k := range []int{0, 3} {
			n := ns[k]
			clickFrame(t, ctx, n, k)
			waitJS(t, ctx, fmt.Sprintf(`[...document.querySelectorAll('#tree div[data-i]')].some(d => d.textContent.startsWith('Frame %d:'))`, n))
			tree := evalJS[string](t, ctx, `[...document.querySelectorAll('#tree div[data-i]')].map(d => d.textContent).find(s => s.includes('previous displayed frame')) || ''`)
			cell := visibleCells(t, ctx, 3)[n]
			_, v, _ := strings.Cut(tree, ": ")
			if cell == "" || !strings.HasPrefix(v, cell) {
				t.Errorf("frame %d: details %q, list Delta displayed %q", n, tree, cell)
			}
		}
	})

	t.Run("resize-column", func(t *testing.T) {
		// dragging the Source header's edge widens the column in the header
		// and the rows, and the width is kept for the next visit
		nav("")
		width := `(() => { const h = [...document.querySelectorAll('#listhead > span')].find(s => s.firstChild.textContent === 'Source');
			const r = document.querySelector('#list .row[data-n="1"]'); return [Math.round(h.getBoundingClientRect().width), Math.round(r.children[4].getBoundingClientRect().width)]; })()`
		w0 := evalJS[[]int](t, ctx, width)
		evalJS[any](t, ctx, `(() => { const h = [...document.querySelectorAll('#listhead > span')].find(s => s.firstChild.textContent === 'Source');
			const g = h.querySelector('.grip'), x = g.getBoundingClientRect().left + 2;
			g.dispatchEvent(new MouseEvent('mousedown', {clientX: x, bubbles: true}));
			window.dispatchEvent(new MouseEvent('mousemove', {clientX: x + 60}));
			window.dispatchEvent(new MouseEvent('mouseup', {clientX: x + 60})); return null; })()`)
		w1 := evalJS[[]int](t, ctx, width)
		if w1[0] != w0[0]+60 || w1[1] != w1[0] {
			t.Errorf("Source was %v px (header, row), after dragging 60 px %v", w0, w1)
		}
		nav("")
		if w2 := evalJS[[]int](t, ctx, width); w2[0] != w1[0] {
			t.Errorf("after a reload Source is %v px, want %d", w2, w1[0])
		}
		evalJS[any](t, ctx, `(() => { localStorage.removeItem('wirewatch.colwidths'); return null; })()`)
	})

	t.Run("context-menus", func(t *testing.T) {
		// right click on a packet: Conversation Filter; on a details line: Apply as Filter
		syn := readFrames(t, failOpen, "tcp.flags.syn == 1 && tcp.flags.ack == 0")[0]
		nav("")
		rightClick := func(sel string) {
			t.Helper()
			evalJS[any](t, ctx, `(() => { const e = `+sel+`; const r = e.getBoundingClientRect();
				e.dispatchEvent(new MouseEvent('contextmenu', {clientX: r.left + 20, clientY: r.top + 5, bubbles: true, cancelable: true})); return null; })()`)
			waitJS(t, ctx, `document.getElementById('ctxmenu')`)
		}
		choose := func(label string) {
			t.Helper()
			items := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#ctxmenu .item')].map(d => d.textContent)`)
			if !slices.ContainsFunc(items, func(s string) bool { return strings.HasPrefix(s, label) }) {
				t.Fatalf("context menu %q has no %q", items, label)
			}
			click(t, ctx, `[...document.querySelectorAll('#ctxmenu .item')].find(d => d.textContent.startsWith(`+strconv.Quote(label)+`))`)
		}
		rightClick(fmt.Sprintf(`document.querySelector('#list .row[data-n="%d"]')`, syn))
		choose("Conversation Filter (TCP)")
		waitJS(t, ctx, `(new URLSearchParams(location.search).get('filter') || '').startsWith('tcp.stream eq ') && !document.getElementById('ctxmenu')`)
		flt := evalJS[string](t, ctx, `new URLSearchParams(location.search).get('filter')`)
		if got, want := listedFrames(t, ctx), readFrames(t, failOpen, flt); !slices.Equal(got, want) || !slices.Contains(got, syn) {
			t.Errorf("conversation filter of frame %d: %s lists %v, read -Y %v", syn, flt, got, want)
		}
		waitJS(t, ctx, `[...document.querySelectorAll('#tree div[data-i]')].some(d => d.title === 'tcp.dstport')`)
		evalJS[any](t, ctx, `(() => { const d = [...document.querySelectorAll('#tree div[data-i]')].find(d => d.title === 'tcp');
			if (!d.classList.contains('open')) d.dispatchEvent(new MouseEvent('dblclick', {bubbles: true})); return null; })()`)
		waitJS(t, ctx, `!([...document.querySelectorAll('#tree div[data-i]')].find(d => d.title === 'tcp.dstport')).hidden`)
		rightClick(`[...document.querySelectorAll('#tree div[data-i]')].find(d => d.title === 'tcp.dstport')`)
		screenshot(t, ctx, shots, "context-menu")
		choose("Apply as Filter")
		waitJS(t, ctx, `(new URLSearchParams(location.search).get('filter') || '').startsWith('tcp.dstport == ')`)
		flt = evalJS[string](t, ctx, `new URLSearchParams(location.search).get('filter')`)
		if got, want := listedFrames(t, ctx), readFrames(t, failOpen, flt); !slices.Equal(got, want) || !slices.Contains(got, syn) {
			t.Errorf("%s lists %v, read -Y %v", flt, got, want)
		}
	})

	t.Run("tree-keys", func(t *testing.T) {
		// ↓ ↑ move, → opens, ← closes and goes to the parent; the hex pane follows
		nav("?frame=3")
		waitJS(t, ctx, `[...document.querySelectorAll('#tree div[data-i]')].some(d => d.textContent.startsWith('Ethernet II'))`)
		click(t, ctx, `[...document.querySelectorAll('#tree div[data-i]')].find(d => d.textContent.startsWith('Ethernet II'))`)
		key := func(k string) {
			t.Helper()
			evalJS[any](t, ctx, `(() => { document.getElementById('tree').focus(); return null; })()`)
			if err := chromedp.Do(ctx, chromedp.KeyEvent(k)); err != nil {
				t.Fatal(err)
			}
		}
		sel := func() string {
			return evalJS[string](t, ctx, `(document.querySelector('#tree div.sel') || {}).textContent || ''`)
		}
		key(kb.ArrowRight)
		waitJS(t, ctx, `[...document.querySelectorAll('#tree div[data-i]')].some(d => !d.hidden && d.textContent.startsWith('Destination: '))`)
		key(kb.ArrowDown)
		if s := sel(); !strings.HasPrefix(s, "Destination: ") {
			t.Errorf("↓ after opening Ethernet selects %q", s)
		}
		if hl := evalJS[int](t, ctx, `document.querySelectorAll('#hex .srcbox[data-s="0"] .b.hl').length`); hl != 12 {
			t.Errorf("Destination highlights %d byte cells, want 12", hl)
		}
		key(kb.ArrowLeft)
		if s := sel(); !strings.HasPrefix(s, "Ethernet II") {
			t.Errorf("← selects %q, want the parent", s)
		}
		key(kb.ArrowLeft)
		waitJS(t, ctx, `![...document.querySelectorAll('#tree div[data-i]')].some(d => !d.hidden && d.textContent.startsWith('Destination: '))`)
		key(kb.ArrowDown)
		if s := sel(); !strings.HasPrefix(s, "Internet Protocol") {
			t.Errorf("↓ from closed Ethernet selects %q", s)
		}
	})

	t.Run("conversation-filter", func(t *testing.T) {
		req := readFrames(t, failOpen, "http.request")[1]
		nav(fmt.Sprintf("?frame=%d", req))
		waitJS(t, ctx, `document.getElementById('convbtn')`)
		click(t, ctx, `document.getElementById('convbtn')`)
		waitJS(t, ctx, fmt.Sprintf(`(new URLSearchParams(location.search).get('filter') || '').startsWith('tcp.stream eq ') && document.querySelector('#list .row.sel[data-n="%d"]')`, req))
		flt := evalJS[string](t, ctx, `new URLSearchParams(location.search).get('filter')`)
		if got, want := listedFrames(t, ctx), readFrames(t, failOpen, flt); !slices.Equal(got, want) || !slices.Contains(got, req) {
			t.Errorf("conversation filter %s of frame %d lists %v, read -Y %v", flt, req, got, want)
		}
	})

	t.Run("follow-modes", func(t *testing.T) {
		req := readFrames(t, failOpen, "http.request")[0]
		nav(fmt.Sprintf("?frame=%d", req))
		waitJS(t, ctx, `document.getElementById('followbtn')`)
		click(t, ctx, `document.getElementById('followbtn')`)
		waitJS(t, ctx, `document.querySelectorAll('#followtext span').length > 0`)
		ascii := evalJS[string](t, ctx, `document.getElementById('followtext').textContent`)
		for _, mode := range []string{"hex", "raw"} {
			evalJS[any](t, ctx, `(() => { const s = document.getElementById('followmode'); s.value = '`+mode+`'; s.dispatchEvent(new Event('change')); return null; })()`)
			text := evalJS[string](t, ctx, `document.getElementById('followtext').textContent`)
			switch mode {
			case "hex":
				if !strings.HasPrefix(text, "00000000  47 45 54 20 ") || !strings.Contains(text, "GET ") {
					t.Errorf("hex dump starts %.120q", text)
				}
			case "raw":
				if !strings.HasPrefix(text, "47455420") || strings.ContainsAny(strings.ReplaceAll(text, "\n", ""), "GT ") {
					t.Errorf("raw starts %.120q", text)
				}
			}
			screenshot(t, ctx, shots, "follow-"+mode)
		}
		if !strings.HasPrefix(ascii, "GET /") {
			t.Errorf("ascii starts %.60q", ascii)
		}
		// a chunk selects its packet
		n := evalJS[int](t, ctx, `parseInt(document.querySelectorAll('#followtext span')[1].dataset.frame, 10)`)
		click(t, ctx, `document.querySelectorAll('#followtext span')[1]`)
		waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#list .row.sel[data-n="%d"]') && new URLSearchParams(location.search).get('frame') === '%d'`, n, n))
		if u := evalJS[string](t, ctx, `location.search`); !strings.Contains(u, "follow=tcp") || !strings.Contains(u, "fmode=raw") {
			t.Errorf("URL %s", u)
		}
		// a UDP stream (DNS): its datagrams, the list filtered on udp.stream
		dns := readFrames(t, failOpen, "dns")[0]
		nav(fmt.Sprintf("?frame=%d", dns))
		waitJS(t, ctx, `(b => b && b.textContent.startsWith('Follow UDP'))(document.getElementById('followbtn'))`)
		click(t, ctx, `document.getElementById('followbtn')`)
		waitJS(t, ctx, `document.querySelectorAll('#followtext span').length >= 2 && (new URLSearchParams(location.search).get('filter') || '').startsWith('udp.stream eq ')`)
		flt := evalJS[string](t, ctx, `new URLSearchParams(location.search).get('filter')`)
		spans := evalJS[[]int](t, ctx, `[...document.querySelectorAll('#followtext span')].map(s => parseInt(s.dataset.frame, 10))`)
		got, want := listedFrames(t, ctx), readFrames(t, failOpen, flt)
		if !slices.Equal(got, want) || !slices.Equal(spans, want) {
			t.Errorf("%s: list %v, follow chunks %v, read -Y %v", flt, got, spans, want)
		}
	})

	t.Run("iograph", func(t *testing.T) {
		nav("?tab=io")
		waitJS(t, ctx, `document.getElementById('iograph').dataset.buckets > 0`)
		iv := evalJS[string](t, ctx, `document.getElementById('iostatus').dataset.interval`)
		screenshot(t, ctx, shots, "iograph")
		// the wheel over the middle zooms in: a finer interval
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const c = document.getElementById('iocanvas'); const r = c.getBoundingClientRect();
			c.dispatchEvent(new WheelEvent('wheel', {deltaY: -100, clientX: r.left + r.width/2, clientY: r.top + r.height/2, bubbles: true, cancelable: true})); return null; })()`)); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, `document.getElementById('iostatus').dataset.interval !== '`+iv+`'`)
		iv2 := evalJS[string](t, ctx, `document.getElementById('iostatus').dataset.interval`)
		a, _ := strconv.ParseFloat(iv, 64)
		b, _ := strconv.ParseFloat(iv2, 64)
		if !(b < a) {
			t.Errorf("zooming in changed the interval %s -> %s", iv, iv2)
		}
		t.Logf("io graph: interval %s s, zoomed %s s", iv, iv2)
		// the zoom is in the URL: a reload shows the same span
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, `location.search.includes('io=') && document.getElementById('iostatus').dataset.interval === '`+iv2+`'`)
		screenshot(t, ctx, shots, "iograph-zoomed")
		// the interval picker over the whole capture: 10 ms intervals (Auto: 100 ms) that
		// hold every frame, kept in the URL across a reload
		click(t, ctx, `document.getElementById('ioreset')`)
		waitJS(t, ctx, `!location.search.includes('io=') && document.getElementById('iostatus').dataset.interval === '`+iv+`'`)
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('iointerval'); s.value = '0.01'; s.dispatchEvent(new Event('change')); return null; })()`)); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, `document.getElementById('iostatus').dataset.interval === '0.01' && location.search.includes('iv=0.01')`)
		all := readFrames(t, failOpen, "frame")
		if got := evalJS[string](t, ctx, `document.getElementById('iograph').dataset.frames`); got != strconv.Itoa(len(all)) {
			t.Errorf("10 ms intervals hold %s frames, the capture %d", got, len(all))
		}
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, `document.getElementById('iostatus').dataset.interval === '0.01' && document.getElementById('iointerval').value === '0.01'`)
		screenshot(t, ctx, shots, "iograph-interval")
	})

	t.Run("diagnose-timeline", func(t *testing.T) {
		nav("?tab=diagnose")
		waitJS(t, ctx, `document.querySelector('.track .stallbar')`)
		n := evalJS[int](t, ctx, `parseInt(document.querySelector('.track .attemptbar').dataset.frame, 10)`)
		click(t, ctx, `document.querySelector('.track .attemptbar')`)
		waitJS(t, ctx, fmt.Sprintf(`document.querySelector('#list .row.sel[data-n="%d"]')`, n))
		flt := evalJS[string](t, ctx, `new URLSearchParams(location.search).get('filter')`)
		if got, want := listedFrames(t, ctx), readFrames(t, failOpen, flt); !slices.Equal(got, want) || !slices.Contains(got, n) {
			t.Errorf("attempt frame %d: %s lists %v, read -Y %v", n, flt, got, want)
		}
		click(t, ctx, `document.querySelector('#tabs button[data-tab="diagnose"]')`)
		waitJS(t, ctx, `document.querySelector('.track .stallbar')`)
		screenshot(t, ctx, shots, "diagnose-timeline")
	})

	t.Run("statistics", func(t *testing.T) {
		// a row of each table filters the list on it: exactly read -Y's frames
		for _, tc := range []struct{ tab, prefix string }{
			{"conv", "tcp.stream eq "}, {"endpoints", "ip.addr=="}, {"expert", "_ws.expert.severity == "}, {"hierarchy", ""},
		} {
			nav("?tab=" + tc.tab)
			waitJS(t, ctx, `document.querySelectorAll('#report tr.act').length > 1`)
			screenshot(t, ctx, shots, "stats-"+tc.tab)
			if tc.tab == "endpoints" {
				// endpoint names from the capture's DNS answers
				named := evalJS[[][]string](t, ctx, `[...document.querySelectorAll('#report tr.act')].map(r => [r.children[0].textContent, r.children[1].textContent]).filter(r => r[1])`)
				if len(named) == 0 {
					t.Errorf("no endpoint has a name")
				}
				for _, r := range named {
					if qn := readFields(t, failOpen, "dns.a == "+r[0], "dns.qry.name"); !slices.ContainsFunc(mapValues(qn), func(v string) bool { return strings.Contains(v, r[1]) }) {
						t.Errorf("endpoint %s named %q; DNS answers name it %v", r[0], r[1], qn)
					}
				}
			}
			row := `document.querySelectorAll('#report tr.act')[1]`
			flt := evalJS[string](t, ctx, row+`.dataset.filter`)
			click(t, ctx, row)
			waitJS(t, ctx, `new URLSearchParams(location.search).get('filter') === `+strconv.Quote(flt))
			got, want := listedFrames(t, ctx), readFrames(t, failOpen, flt)
			if !strings.HasPrefix(flt, tc.prefix) || !slices.Equal(got, want) || len(want) == 0 {
				t.Errorf("%s row filter %q lists %v, read -Y %v", tc.tab, flt, got, want)
			}
		}
	})

	t.Run("statistics-kinds", func(t *testing.T) {
		// the address kinds of conversations and endpoints (Wireshark's tabs):
		// a row of each filters the list on exactly read -Y's frames
		for _, tab := range []string{"conv", "endpoints"} {
			nav("?tab=" + tab)
			waitJS(t, ctx, `document.querySelectorAll('#report .kinds button').length > 1`)
			kinds := evalJS[[]string](t, ctx, `[...document.querySelectorAll('#report .kinds button')].map(b => b.dataset.report)`)
			for _, k := range kinds[1:] { // the first is the tab's own (statistics above)
				click(t, ctx, `document.querySelector('#report .kinds button[data-report="`+k+`"]')`)
				waitJS(t, ctx, `document.querySelector('#report .kinds button.on[data-report="`+k+`"]') && document.querySelectorAll('#report .kindtable tr.act').length > 0`)
				if k == "conv_udp" {
					screenshot(t, ctx, shots, "stats-conv-udp")
				}
				row := `document.querySelectorAll('#report .kindtable tr.act')[0]`
				flt := evalJS[string](t, ctx, row+`.dataset.filter`)
				click(t, ctx, row)
				waitJS(t, ctx, `new URLSearchParams(location.search).get('filter') === `+strconv.Quote(flt))
				if got, want := listedFrames(t, ctx), readFrames(t, failOpen, flt); !slices.Equal(got, want) || len(want) == 0 {
					t.Errorf("%s first row filter %q lists %v, read -Y %v", k, flt, got, want)
				}
			}
			t.Logf("%s kinds: %v", tab, kinds)
		}
	})

	t.Run("bounded-list", func(t *testing.T) {
		// 150,000 frames: taller than the page's spacer (scaled scrolling);
		// wherever the list is scrolled its rows are consecutive frames 18 px
		// apart, and the page holds a bounded number of rows.
		base = tsBig.URL
		defer func() { base = ts.URL }()
		nav("")
		waitJS(t, ctx, `document.getElementById('status').dataset.total === '150000'`)
		for _, f := range []float64{0, 0.1, 0.9999, 0.5, 0.75, 0.05, 0.3, 0.85, 0.66, 0.42, 0.2, 0.58, 0.93, 0.01, 1} {
			rowsAt(t, ctx, f, 150000)
		}
		held := evalJS[int](t, ctx, `parseInt(document.getElementById('list').dataset.held, 10)`)
		elems := evalJS[int](t, ctx, `document.querySelectorAll('#list .row').length`)
		if held > 12*200 || elems > 200 {
			t.Errorf("after scrolling over 150000 frames the page holds %d rows in %d row elements", held, elems)
		}
		t.Logf("150000 frames: the page holds %d rows, %d row elements", held, elems)
		// go to frame; the last frame
		for _, n := range []int{123457, 150000} {
			evalJS[any](t, ctx, fmt.Sprintf(`(() => { const g = document.getElementById('goto'); g.value = '%d'; g.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'})); return null; })()`, n))
			waitJS(t, ctx, fmt.Sprintf(`(l => [...l.querySelectorAll('.row.sel[data-n="%d"]:not([hidden])')].some(r => r.offsetTop >= l.scrollTop && r.offsetTop + 18 <= l.scrollTop + l.clientHeight))(document.getElementById('list'))`, n))
		}
		screenshot(t, ctx, shots, "bounded-list")
	})

	t.Run("hex-sources", func(t *testing.T) {
		// a reassembled HTTP response has two data sources (the frame, the
		// reassembled PDU): one tab each; the tab of a selected field shows
		path := filepath.Join(corpus.Dir(t), "real", "chrissanders__http_espn.pcapng")
		srv := startServer(t, path)
		base = srv.URL
		defer func() { base = ts.URL }()
		nav("")
		waitJS(t, ctx, `document.querySelector('#list .row')`)
		n := -1
		for _, f := range readFrames(t, path, "http.response") {
			if evalJS[bool](t, ctx, fmt.Sprintf(`(() => { const x = new XMLHttpRequest(); x.open('GET', '/api/frame?n=%d', false); x.send(); return JSON.parse(x.responseText).sources.length > 1; })()`, f)) {
				n = f
				break
			}
		}
		if n < 0 {
			t.Fatal("no HTTP response with a reassembled data source")
		}
		nav(fmt.Sprintf("?frame=%d", n))
		waitJS(t, ctx, `document.querySelectorAll('#hex .srctab').length > 1`)
		shown := `[...document.querySelectorAll('#hex .srcbox')].filter(b => !b.hidden).map(b => b.dataset.s).join()`
		if v := evalJS[string](t, ctx, shown); v != "0" {
			t.Fatalf("frame %d: sources shown %q, want the frame's (0)", n, v)
		}
		click(t, ctx, `document.querySelectorAll('#hex .srctab')[1]`)
		waitJS(t, ctx, shown+` === '1' && document.querySelectorAll('#hex .srctab')[1].classList.contains('on')`)
		// a field of the frame's own bytes brings its tab back
		click(t, ctx, `[...document.querySelectorAll('#tree div[data-i]')].find(d => d.title === 'ip.src')`)
		waitJS(t, ctx, shown+` === '0'`)
		screenshot(t, ctx, shots, "hex-sources")
	})

	t.Run("hostile-views", func(t *testing.T) {
		// The markup capture's text fields as user columns, its HTTP stream
		// followed in each mode, its field values applied as filters: all text.
		base = tsMarkup.URL
		defer func() { base = ts.URL }()
		nav("?cols=http.request.uri,http.user_agent,dns.qry.name,tls.handshake.extensions_server_name,frame.comment")
		waitJS(t, ctx, `[...document.querySelectorAll('#list .row')].some(r => !r.hidden && r.children[8].textContent.includes('<'))`)
		http := readFrames(t, markup, "http.request")[0]
		clickFrame(t, ctx, http, http-1)
		waitJS(t, ctx, `document.getElementById('followbtn')`)
		click(t, ctx, `[...document.querySelectorAll('#tree div[data-i]')].find(d => d.title === 'http.request.uri')`)
		click(t, ctx, `document.getElementById('applyfilter')`)
		waitJS(t, ctx, `(new URLSearchParams(location.search).get('filter') || '').startsWith('http.request.uri == ')`)
		flt := evalJS[string](t, ctx, `new URLSearchParams(location.search).get('filter')`)
		got := listedFrames(t, ctx)
		want := readFrames(t, markup, flt)
		if !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("%s lists %v, read -Y %v", flt, got, want)
		}
		click(t, ctx, `document.getElementById('followbtn')`)
		waitJS(t, ctx, `document.querySelectorAll('#followtext span').length > 0`)
		for _, mode := range []string{"hex", "raw", "ascii"} {
			evalJS[any](t, ctx, `(() => { const s = document.getElementById('followmode'); s.value = '`+mode+`'; s.dispatchEvent(new Event('change')); return null; })()`)
		}
		if !strings.Contains(evalJS[string](t, ctx, `document.getElementById('followtext').textContent`), "<script>") {
			t.Errorf("the followed markup is not shown as text")
		}
		screenshot(t, ctx, shots, "hostile-views")
		pwned := evalJS[string](t, ctx, `String(window.__pwned)`)
		elems := evalJS[int](t, ctx, `document.querySelectorAll('img,svg,iframe,object,embed').length + document.querySelectorAll('script').length - 1`)
		if pwned != "undefined" || elems != 0 {
			t.Errorf("window.__pwned=%s, %d foreign elements in the DOM", pwned, elems)
		}
	})

	// (TestBrowser fails on any console error or exception afterwards)
	for _, l := range console.all() {
		if strings.Contains(l, "pwned") || strings.Contains(l, "Content Security Policy") {
			t.Errorf("console %s", l)
		}
	}
}
