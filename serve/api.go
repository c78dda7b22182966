package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/detail"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/filter"
	"github.com/wirewatch/wirewatch/pipeline"
	"github.com/wirewatch/wirewatch/report"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

type apiError struct {
	Error  string            `json:"error"`
	Filter *filter.ErrorList `json:"filter_errors,omitempty"`
}

func (s *Server) capture(w http.ResponseWriter, r *http.Request) *Capture {
	c := 0
	if v := r.URL.Query().Get("c"); v != "" {
		var err error
		if c, err = strconv.Atoi(v); err != nil || c < 0 || c >= len(s.caps) {
			writeJSON(w, http.StatusNotFound, apiError{Error: "no such capture"})
			return nil
		}
	}
	return s.caps[c]
}

// apiCaptures lists the captures served and how far their indexes are:
//
//	GET /api/captures
//
// answers [{id, name, files: [paths as given], size, frames (indexed so
// far), percent (of the files' bytes read), precision (decimals of the
// times), done, cached, built_s,
// error}]; poll it for the progress while the index builds.
func (s *Server) apiCaptures(w http.ResponseWriter, r *http.Request) {
	type capInfo struct {
		ID      int      `json:"id"`
		Name    string   `json:"name"`
		Files   []string `json:"files"`
		Size    int64    `json:"size"`
		Frames  int64    `json:"frames"`
		Percent int      `json:"percent"`
		// Precision is the decimals read prints times with (6, 9 for
		// nanosecond captures), as t, d and dd in /api/packets.
		Precision int     `json:"precision"`
		Done      bool    `json:"done"`
		Cached    bool    `json:"cached"`
		Built     float64 `json:"built_s"`
		Error     string  `json:"error,omitempty"`
	}
	out := []capInfo{}
	for i, c := range s.caps {
		c.ix.mu.RLock()
		out = append(out, capInfo{ID: i, Name: c.Name, Files: c.Files, Size: c.Size, Frames: c.ix.count.Load(), Percent: c.ix.percent(), Precision: c.ix.precision(),
			Done: c.ix.done, Cached: c.ix.cached, Built: c.ix.built.Seconds(), Error: c.ix.err})
		c.ix.mu.RUnlock()
	}
	writeJSON(w, http.StatusOK, out)
}

// checkFilter compiles expr; the error list says where it is wrong.
func checkFilter(expr string) (*filter.Filter, *filter.ErrorList, error) {
	f, err := filter.Compile(expr, field.Std())
	if err == nil {
		return f, nil, nil
	}
	var el *filter.ErrorList
	if errors.As(err, &el) {
		return nil, el, err
	}
	return nil, &filter.ErrorList{Src: expr, Errors: []*filter.Error{{Pos: 0, End: len(expr), Msg: err.Error()}}}, err
}

// apiCheck checks a display filter as `wirewatch filter check` does:
//
//	GET /api/check?filter=EXPR
//
// answers {ok: true} or {ok: false, errors: [{pos, end, msg}]} (byte
// offsets of the text each error is about).
func (s *Server) apiCheck(w http.ResponseWriter, r *http.Request) {
	expr := r.URL.Query().Get("filter")
	if strings.TrimSpace(expr) == "" {
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
		return
	}
	_, el, _ := checkFilter(expr)
	if el == nil {
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": false, "errors": el.Errors})
}

func (c *Capture) isReady() bool {
	select {
	case <-c.ready:
		return true
	default:
		return false
	}
}

// filterResult is the frame numbers a display filter selects in a capture.
type filterResult struct {
	once   sync.Once
	frames []uint32
	err    error
}

const keepFilters = 8

// filtered returns the frames expr selects, running one pipeline pass the
// first time (the last few filters are kept).
func (c *Capture) filtered(ctx context.Context, expr string) ([]uint32, error) {
	c.fmu.Lock()
	fr, ok := c.filts[expr]
	if !ok {
		fr = &filterResult{}
		c.filts[expr] = fr
		c.forder = append(c.forder, expr)
		if len(c.forder) > keepFilters {
			delete(c.filts, c.forder[0])
			c.forder = c.forder[1:]
		}
	}
	c.fmu.Unlock()
	fr.once.Do(func() {
		if c.isReady() {
			if out, ok := c.indexFilter(ctx, expr); ok {
				fr.frames = out
				return
			}
		}
		var out []uint32
		cfg := pipeline.Config{Filter: expr, Parallel: true, Warn: func(error) {}}
		err := c.runAll(context.WithoutCancel(ctx), cfg, func(f *decode.Frame) error {
			out = append(out, uint32(f.Number))
			return nil
		})
		// A damaged tail keeps what was read, as read -Y does; only a
		// filter that does not compile is an error.
		var fe *pipeline.FilterError
		if errors.As(err, &fe) {
			fr.err = err
		}
		fr.frames = out
	})
	if fr.err != nil {
		c.fmu.Lock()
		delete(c.filts, expr)
		c.fmu.Unlock()
	}
	return fr.frames, fr.err
}

type pktRow struct {
	N      uint64 `json:"n"`
	Time   string `json:"t"`
	Abs    string `json:"ts"` // epoch seconds.nanoseconds: the page formats the -t formats and time references
	Delta  string `json:"d"`
	DeltaD string `json:"dd"`
	Src    string `json:"src"`
	Dst    string `json:"dst"`
	Proto  string `json:"proto"`
	Len    uint32 `json:"len"`
	Info   string `json:"info"`
	Colour uint8  `json:"c"`
	Stream int32  `json:"s"`
	UDP    bool   `json:"udp,omitempty"`
}

func epoch(ns int64) string {
	sec, frac := ns/1e9, ns%1e9
	if frac < 0 {
		sec, frac = sec-1, frac+1e9
	}
	return fmt.Sprintf("%d.%09d", sec, frac)
}

func secs(ns int64, prec int) string { return string(report.AppendRelTime(nil, ns, prec)) }

// apiPackets is a page of the packet list:
//
//	GET /api/packets?[filter=EXPR][&start=I][&count=N][&frame=F]
//
// The rows from list position I (count N, at most 1,000; default 100) of
// the frames EXPR selects (all frames without it); with frame=F and no
// start, the page around frame F (or the first displayed frame after it).
// Answers {total, start, pos (F's list position, -1), indexed, done,
// rows: [{n, t (relative), ts (epoch), d (delta), dd (delta displayed),
// src, dst, proto, len, info, c (colouring rule, 1-based, 0 none: see
// /api/colours), s (stream, -1), udp}]}; a bad filter is a 400 with
// filter_errors as /api/check gives them. A filter the index answers
// alone runs over it; others run a pipeline pass, kept for the next pages.
func (s *Server) apiPackets(w http.ResponseWriter, r *http.Request) {
	c := s.capture(w, r)
	if c == nil {
		return
	}
	q := r.URL.Query()
	expr := strings.TrimSpace(q.Get("filter"))
	start, _ := strconv.Atoi(q.Get("start"))
	count, _ := strconv.Atoi(q.Get("count"))
	if count <= 0 || count > 1000 {
		count = 100
	}
	var sel []uint32
	if expr != "" {
		<-c.ready // a filter runs over the whole capture: wait for the index it pages through
		if _, el, err := checkFilter(expr); err != nil {
			writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error(), Filter: el})
			return
		}
		var err error
		if sel, err = c.filtered(r.Context(), expr); err != nil {
			writeJSON(w, http.StatusBadRequest, apiError{Error: err.Error()})
			return
		}
	}
	ix := c.ix
	prec := ix.precision()
	ix.mu.RLock()
	total := len(ix.rows)
	frameAt := func(i int) int { return i } // list position -> row index
	if sel != nil || expr != "" {
		total = len(sel)
		frameAt = func(i int) int { return int(sel[i]) - 1 }
	}
	pos := -1
	if v := q.Get("frame"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			if expr == "" {
				pos = min(n-1, total-1)
			} else {
				pos = sort.Search(len(sel), func(i int) bool { return int(sel[i]) >= n })
				if pos == len(sel) {
					pos = len(sel) - 1
				}
			}
			if q.Get("start") == "" && pos >= 0 {
				start = max(0, pos-count/2)
			}
		}
	}
	if start < 0 {
		start = 0
	}
	rows := []pktRow{}
	var alone []uint64 // frames whose columns come from decoding them again
	var segs []uint64  // segment rows: decoded again with their payload undissected
	at := map[uint64]int{}
	for i := start; i < total && i < start+count; i++ {
		k := frameAt(i)
		if k < 0 || k >= len(ix.rows) {
			break // a filter result over frames the index has not reached
		}
		rw := &ix.rows[k]
		pr := pktRow{N: uint64(k + 1), Abs: epoch(rw.TS), Time: secs(rw.TS-ix.first, prec), Len: rw.Len, Colour: rw.Color, Stream: rw.Stream, UDP: rw.Bits&rowUDP != 0}
		if k > 0 {
			pr.Delta = secs(rw.TS-ix.rows[k-1].TS, prec)
		} else {
			pr.Delta = secs(0, prec)
		}
		if i > 0 {
			if p := frameAt(i - 1); p >= 0 && p < len(ix.rows) {
				pr.DeltaD = secs(rw.TS-ix.rows[p].TS, prec)
			}
		} else {
			pr.DeltaD = secs(0, prec)
		}
		if src, dst, proto, info, ok := ix.text(pr.N); ok {
			pr.Src, pr.Dst, pr.Proto, pr.Info = string(src), string(dst), string(proto), string(info)
		} else {
			at[pr.N] = len(rows)
			if rw.Bits&rowSegment != 0 {
				segs = append(segs, pr.N)
			} else {
				alone = append(alone, pr.N)
			}
		}
		rows = append(rows, pr)
	}
	indexed, done := ix.count.Load(), ix.done
	ix.mu.RUnlock()
	var text []byte
	cols := func(f *decode.Frame) {
		text = appendCols(text[:0], f)
		p := bytes.SplitN(text, []byte{0x1f}, 4)
		if len(p) == 4 {
			pr := &rows[at[f.Number]]
			pr.Src, pr.Dst, pr.Proto, pr.Info = string(p[0]), string(p[1]), string(p[2]), string(p[3])
			if pr.Colour == colourLater {
				pr.Colour = colorOf(f)
			}
		}
	}
	if err := c.decodeSegments(r.Context(), segs, cols); err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: err.Error()})
		return
	}
	if len(alone) > 0 {
		err := c.decodeFrames(r.Context(), alone, cols)
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, apiError{Error: err.Error()})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": total, "start": start, "pos": pos, "rows": rows,
		"indexed": indexed, "done": done})
}

type treeNode struct {
	Depth int    `json:"d"`
	Label string `json:"l"`
	Field string `json:"f,omitempty"`
	Off   int    `json:"o"`
	Len   int    `json:"n"`
	Src   int    `json:"s"`
}

type dataSource struct {
	Name string `json:"name"`
	Data []byte `json:"data"`
}

// apiFrame decodes one frame with its details tree and bytes:
//
//	GET /api/frame?n=N[&prev=P][&ref=R]
//
// P is the previous displayed frame (frame.time_delta_displayed; default
// N-1); R a time reference frame at or before N set in the page: "Time
// since reference or first frame" (frame.time_relative) counts from it,
// as in Wireshark. The frame is read alone from its offset with the connection
// analysis the index keeps (decodeFrames), so its tcp.analysis.* are what
// tshark shows; the answer is {n, tree: [{d depth, l label, f field, o
// offset, n length, s source}], sources: [{name, data base64}], stream,
// proto, colour}.
func (s *Server) apiFrame(w http.ResponseWriter, r *http.Request) {
	c := s.capture(w, r)
	if c == nil {
		return
	}
	q := r.URL.Query()
	n, err := strconv.ParseUint(q.Get("n"), 10, 64)
	if err != nil || n == 0 {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "n: want a frame number"})
		return
	}
	prev := n - 1
	if v := q.Get("prev"); v != "" {
		if p, err := strconv.ParseUint(v, 10, 64); err == nil && p < n {
			prev = p
		}
	}
	var out map[string]any
	c.ix.mu.RLock()
	bo := detail.Options{PcapNG: strings.HasPrefix(c.ix.format, "pcapng"), Interfaces: c.ix.ifaces}
	colour := uint8(0)
	if n <= uint64(len(c.ix.rows)) {
		colour = c.ix.rows[n-1].Color
	}
	refTS, ref := int64(0), false
	if v, err := strconv.ParseUint(q.Get("ref"), 10, 64); err == nil && v >= 1 && v <= n && n <= uint64(len(c.ix.rows)) {
		refTS, ref = c.ix.rows[v-1].TS, true
	}
	c.ix.mu.RUnlock()
	err = c.decodeFramesPrev(r.Context(), []uint64{n}, []uint64{prev}, func(f *decode.Frame) {
		if ref {
			f.FirstTS = refTS // frame.time_relative from the time reference
		}
		var t detail.Tree
		detail.Build(&t, f, bo)
		nodes := make([]treeNode, len(t.Nodes))
		for i, nd := range t.Nodes {
			nodes[i] = treeNode{Depth: nd.Depth, Label: nd.Label, Field: nd.Field, Off: nd.Off, Len: nd.Len, Src: int(nd.Src)}
		}
		var srcs []dataSource
		for _, d := range detail.Sources(f, &t, nil) {
			srcs = append(srcs, dataSource{Name: d.Name, Data: append([]byte(nil), d.Data...)})
		}
		stream := int64(-1)
		if f.Analysis.HasTCP || f.Analysis.IsUDP {
			stream = f.Analysis.Stream
		}
		proto := "tcp"
		if f.Analysis.IsUDP {
			proto = "udp"
		}
		if colour == colourLater {
			colour = colorOf(f)
		}
		out = map[string]any{"n": f.Number, "tree": nodes, "sources": srcs, "stream": stream, "proto": proto, "colour": colour}
	})
	if out == nil {
		msg := "no such frame"
		if err != nil {
			msg = err.Error()
		}
		writeJSON(w, http.StatusNotFound, apiError{Error: msg})
		return
	}
	writeJSON(w, http.StatusOK, out)
}

const maxFollow = 8 << 20

// streamFrames lists the frames of a TCP or UDP stream, from the index.
func (c *Capture) streamFrames(udp bool, stream int32) []uint64 {
	kind := uint8(rowTCP)
	if udp {
		kind = rowUDP
	}
	var out []uint64
	c.ix.mu.RLock()
	for i := range c.ix.rows {
		if r := &c.ix.rows[i]; r.Stream == stream && r.Bits&(rowTCP|rowUDP) == kind {
			out = append(out, uint64(i+1))
		}
	}
	c.ix.mu.RUnlock()
	return out
}

// apiFollow follows a TCP or UDP stream:
//
//	GET /api/follow?proto=tcp|udp&stream=N[&format=ascii|hex|raw]
//
// answers {filter, nodes: [a, b], chunks: [{node, frame, data base64,
// gap}], frames: [the stream's frame numbers], text: tshark's -z
// follow,PROTO,FORMAT output, truncated}. Once the index is built only
// the stream's frames are read (by offset); before, the whole capture.
func (s *Server) apiFollow(w http.ResponseWriter, r *http.Request) {
	c := s.capture(w, r)
	if c == nil {
		return
	}
	q := r.URL.Query()
	proto := q.Get("proto")
	stream, err := strconv.ParseUint(q.Get("stream"), 10, 31)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "stream: want a stream number"})
		return
	}
	format, ok := report.ParseFollowFormat(q.Get("format"))
	if !ok {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "format: ascii, hex or raw"})
		return
	}
	if proto != "tcp" && proto != "udp" {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "proto: tcp or udp"})
		return
	}
	var frames []uint64
	select {
	case <-c.ready:
		frames = c.streamFrames(proto == "udp", int32(stream))
	default:
	}
	follow := func(sel string, run func(pipeline.Config, pipeline.Consumer) error) (*report.FollowSelector, error) {
		fs, err := report.NewFollowSelector(proto, sel, format)
		if err != nil {
			return nil, err
		}
		cfg := pipeline.Config{Warn: func(error) {}}
		cfg.Flow.OnData = fs.OnData()
		if err := run(cfg, fs.Frame); err != nil {
			return fs, err
		}
		return fs, fs.Done()
	}
	var fs *report.FollowSelector
	if len(frames) > 0 {
		// only the stream's frames: the tracker numbers it 0
		fs, err = follow("0", func(cfg pipeline.Config, fn pipeline.Consumer) error {
			cfg.Number = func(pos uint64) uint64 { return frames[pos-1] }
			p, err := pipeline.New(cfg)
			if err != nil {
				return err
			}
			src := &recSource{c: c, frames: frames}
			defer src.Close()
			return p.Run(r.Context(), src, fn)
		})
		if fs != nil {
			fs.F.Filter = fmt.Sprintf("%s.stream eq %d", proto, stream)
		}
	}
	if len(frames) == 0 || err != nil {
		fs, err = follow(strconv.FormatUint(stream, 10), func(cfg pipeline.Config, fn pipeline.Consumer) error {
			return c.runAll(r.Context(), cfg, fn)
		})
	}
	if err != nil {
		writeJSON(w, http.StatusNotFound, apiError{Error: err.Error()})
		return
	}
	type chunk struct {
		Node  int    `json:"node"`
		Frame uint64 `json:"frame"`
		Data  []byte `json:"data"`
		Gap   int    `json:"gap,omitempty"`
	}
	chunks := []chunk{}
	total, cut := 0, false
	for i, ch := range fs.F.Chunks {
		if total+len(ch.Data) > maxFollow {
			cut = true
			fs.F.Chunks = fs.F.Chunks[:i]
			break
		}
		total += len(ch.Data)
		chunks = append(chunks, chunk{Node: ch.Node, Frame: ch.Frame, Data: ch.Data, Gap: ch.Gap})
	}
	var text bytes.Buffer
	fs.F.WriteText(&text)
	if frames == nil {
		frames = c.streamFrames(proto == "udp", int32(stream))
	}
	nodes := []string{fs.F.Nodes[0].String(), fs.F.Nodes[1].String()}
	writeJSON(w, http.StatusOK, map[string]any{"filter": fs.F.Filter, "nodes": nodes, "chunks": chunks, "truncated": cut,
		"frames": frames, "format": format.String(), "text": text.String()})
}

// apiReport is one of the reports the index pass builds:
//
//	GET /api/report?name=conv|endpoints|expert|hierarchy|diagnose
//	GET /api/report?name=conv_eth|conv_ip|conv_udp|endpoints_eth|endpoints_tcp|endpoints_udp
//
// the JSON of `wirewatch stats ... -T json` / `diagnose -T json` (the
// endpoints with a name for each address the capture's DNS answers
// name, as tshark -N dn); 202 {building, indexed} until the index is done.
// The second list (conv is TCP, endpoints IP) is built by a pass of its
// own on first request (lazyreport.go), which the request waits for.
func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) {
	c := s.capture(w, r)
	if c == nil {
		return
	}
	name := r.URL.Query().Get("name")
	if d, ok, err := c.lazy(r.Context(), name); ok {
		if err != nil && len(d) == 0 {
			writeJSON(w, http.StatusInternalServerError, apiError{Error: err.Error()})
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(d)
		return
	}
	c.ix.mu.RLock()
	d, ok := c.ix.reports[name]
	done := c.ix.done
	c.ix.mu.RUnlock()
	if !done {
		writeJSON(w, http.StatusAccepted, map[string]any{"building": true, "indexed": c.ix.count.Load()})
		return
	}
	if !ok {
		writeJSON(w, http.StatusNotFound, apiError{Error: "no such report"})
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(d)
}

// apiColoursCSS serves the colouring rules as classes c1, c2, ... (a
// stylesheet, so the page needs no inline style).
func (s *Server) apiColoursCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	for i, c := range colourRules {
		fmt.Fprintf(w, "#list .row.c%d{color:%s;background:%s}\n", i+1, c.FG, c.BG)
	}
}

func (s *Server) apiColours(w http.ResponseWriter, r *http.Request) {
	type rule struct {
		Name   string `json:"name"`
		Filter string `json:"filter"`
		FG     string `json:"fg"`
		BG     string `json:"bg"`
	}
	out := []rule{}
	for _, c := range colourRules {
		out = append(out, rule{c.Name, c.Filter, c.FG, c.BG})
	}
	writeJSON(w, http.StatusOK, out)
}
