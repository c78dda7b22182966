package serve

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/names"
	"github.com/wirewatch/wirewatch/pipeline"
	"github.com/wirewatch/wirewatch/report"
)

// row is one frame of the index: what the packet list, the IO graph and
// the index-only filters need, and where to read the frame again. 32 bytes.
type row struct {
	TS  int64
	Off uint64 // file<<offBits | byte offset of the record (noOff: cannot be read again alone)
	Len uint32
	// Stream is tcp.stream or udp.stream (UDP set); -1 none.
	Stream int32
	// An is where the frame's analysis encoding starts in the index's
	// analysis chunks (chunk<<chunkBits | offset), up to the next row's.
	An    uint32
	Flags uint16 // tcp.analysis.* bits (decode.AnRetransmission...)
	Color uint8  // colouring rule (colour.go); colourLater: from the frame decoded again
	Bits  uint8  // rowUDP, rowTCP, rowContext
}

const (
	rowUDP = 1 << iota
	rowTCP
	// rowContext: decoding the frame alone would not give what the pass
	// gave (desegmentation, IP reassembly, dissectors with connection
	// state): its column texts are kept, its details are rebuilt from its
	// stream.
	rowContext
	// rowWindow: its context is the frames before it, not its stream's
	// (IP fragments reassembled into it, the ICMP echo request it answers).
	rowWindow
	// rowSegment (with rowContext): a TCP segment whose payload the pass
	// kept for a PDU completed later ("[TCP segment of a reassembled
	// PDU]"). Its columns are not kept: decoded alone with its payload
	// left undissected, and with the three PDU-start flags below, it
	// gives them again (segmentCols). Most context frames of a capture
	// are such segments; keeping their texts made up half of the index.
	rowSegment
	rowTLSStart  // decode.Frame.TLSPDUStart
	rowH2Start   // decode.Frame.H2PDUStart
	rowNBSSStart // decode.Frame.NBSSPDUStart
)

const rowSize = 32

// The analysis encodings and the kept column texts live in chunks of
// 4 MiB (nothing crosses one), so the index grows without the slack and
// copies of one doubling slice.
const (
	chunkBits = 22
	chunkSize = 1 << chunkBits
	maxText   = 64 << 10 // longer column texts are cut (Info of a huge PDU)
)

// chunks is an append-only byte store addressed by chunk<<chunkBits|offset.
type chunks struct {
	full [][]byte
	cur  []byte
}

func (c *chunks) add(b []byte) uint32 {
	if len(c.cur)+len(b) > chunkSize || c.cur == nil {
		if c.cur != nil {
			c.full = append(c.full, c.cur)
		}
		c.cur = make([]byte, 0, min(chunkSize, max(len(b), 64<<10)))
	}
	if cap(c.cur)-len(c.cur) < len(b) { // grow the current chunk up to 4 MiB
		n := make([]byte, len(c.cur), min(chunkSize, max(2*cap(c.cur), len(c.cur)+len(b))))
		copy(n, c.cur)
		c.cur = n
	}
	at := uint32(len(c.full))<<chunkBits | uint32(len(c.cur))
	c.cur = append(c.cur, b...)
	return at
}

// view returns the chunk list readers may use while the writer goes on.
func (c *chunks) view() [][]byte {
	return append(c.full[:len(c.full):len(c.full)], c.cur)
}

// span returns the bytes from at up to next (or the end of at's chunk
// when next is in another chunk); nil when at is out of range.
func span(blob [][]byte, at, next uint32, last bool) []byte {
	c, o := at>>chunkBits, at&(chunkSize-1)
	if int(c) >= len(blob) || int(o) > len(blob[c]) {
		return nil
	}
	end := uint32(len(blob[c]))
	if !last && next>>chunkBits == c && next&(chunkSize-1) >= o {
		end = next & (chunkSize - 1)
	}
	return blob[c][o:end]
}

// textRef is a kept column text: frame n's, at Text in the text chunks.
type textRef struct {
	N, Text uint32
}

// index is what one pipeline pass over the capture learns: the rows, the
// analysis of each frame, the column texts of the frames that need their
// context, and every report the web app shows (statistics, diagnosis).
type index struct {
	mu     sync.RWMutex
	rows   []row
	an     [][]byte  // analysis chunks
	texts  []textRef // by frame
	tblob  [][]byte  // text chunks
	first  int64
	ifaces []capture.Interface
	ifmap  [][]int // per file: its interface index -> ifaces
	format string
	done   bool
	err    string
	built  time.Duration
	cached bool
	// reports are the JSON documents of the statistics tabs and the
	// diagnosis, keyed by name (reportNames).
	reports map[string][]byte
	count   atomic.Int64
	// progress: bytes of the files read while building, of total
	read, total atomic.Int64
}

// precision is the decimals tshark prints the capture's times with.
func (ix *index) precision() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return report.Precision(ix.format, ix.ifaces)
}

// percent is how much of the files the build has read (100 when done).
func (ix *index) percent() int {
	t := ix.total.Load()
	if t <= 0 {
		return 0
	}
	return int(min(100, 100*ix.read.Load()/t))
}

func (ix *index) n() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.rows)
}

// facts returns frame n's stored encoding (ix.mu held).
func (ix *index) facts(n uint64) []byte {
	i := int(n - 1)
	next := uint32(0)
	last := i+1 >= len(ix.rows)
	if !last {
		next = ix.rows[i+1].An
	}
	return span(ix.an, ix.rows[i].An, next, last)
}

// analysis decodes frame n's stored analysis into a (ix.mu held).
func (ix *index) analysis(n uint64, a *decode.Analysis) {
	readAnalysis(ix.facts(n), a, n)
}

// text returns frame n's kept column texts, ok false when none are kept
// (ix.mu held).
func (ix *index) text(n uint64) (src, dst, proto, info []byte, ok bool) {
	k := sort.Search(len(ix.texts), func(i int) bool { return uint64(ix.texts[i].N) >= n })
	if k == len(ix.texts) || uint64(ix.texts[k].N) != n {
		return nil, nil, nil, nil, false
	}
	next, last := uint32(0), k+1 == len(ix.texts)
	if !last {
		next = ix.texts[k+1].Text
	}
	parts := bytes.SplitN(span(ix.tblob, ix.texts[k].Text, next, last), []byte{0x1f}, 4)
	for len(parts) < 4 {
		parts = append(parts, nil)
	}
	return parts[0], parts[1], parts[2], parts[3], true
}

// needsContext reports whether f, decoded again alone, could differ from
// what the pass decoded: bytes from earlier segments or fragments, or a
// dissector that keeps state per connection (decode.Decoder's tables).
func needsContext(f *decode.Frame) bool {
	if f.PDUSegment || f.Reassembled != nil || f.Fragment || len(f.Decrypted) > 0 {
		return true
	}
	// desegmentation keeps payload that it did not decode (yet), and
	// skips retransmitted and out-of-order payload
	if len(f.Payload) > 0 && f.Has(decode.ProtoTCP) && len(f.Layers) > 0 && f.Layers[len(f.Layers)-1].Proto == decode.ProtoTCP {
		return true
	}
	if len(f.Payload) > 0 && f.Analysis.Flags&(decode.AnRetransmission|decode.AnFastRetransmission|decode.AnSpuriousRetransmission|decode.AnOutOfOrder|decode.AnLostSegment) != 0 {
		return true
	}
	for _, p := range contextProtos {
		if f.Has(p) {
			return true
		}
	}
	return false
}

// isSegment reports whether f is a segment row (rowSegment): a TCP
// segment whose payload the pass kept undissected for a later PDU, with
// nothing else that decoding it alone would miss.
func isSegment(f *decode.Frame) bool {
	if !f.PDUSegment || f.Reassembled != nil || f.Fragment || len(f.Decrypted) > 0 || f.IP.Reassembled || f.IPv6.Reassembled ||
		f.Tunnelled() || len(f.Layers) == 0 || f.Layers[len(f.Layers)-1].Proto != decode.ProtoTCP || f.Present.Any(contextSet) {
		return false
	}
	return true
}

// segmentBits are the row bits of a segment row.
func segmentBits(f *decode.Frame) uint8 {
	b := uint8(rowSegment)
	if f.TLSPDUStart {
		b |= rowTLSStart
	}
	if f.H2PDUStart {
		b |= rowH2Start
	}
	if f.NBSSPDUStart {
		b |= rowNBSSStart
	}
	return b
}

var contextSet = decode.Protos(contextProtos...)

var contextProtos = []decode.Proto{decode.ProtoTLS, decode.ProtoSSH, decode.ProtoQUIC, decode.ProtoSMB2, decode.ProtoSMTP,
	decode.ProtoWebSocket, decode.ProtoHTTP2, decode.ProtoICMP, decode.ProtoICMPv6}

// appendCols appends the four text columns of f, separated by 0x1f.
func appendCols(text []byte, f *decode.Frame) []byte {
	text = f.AppendSource(text)
	text = append(text, 0x1f)
	text = f.AppendDestination(text)
	text = append(text, 0x1f)
	text = f.AppendProtocolColumn(text)
	text = append(text, 0x1f)
	start := len(text)
	text = f.AppendInfo(text)
	for i := start; i < len(text); i++ {
		if text[i] == 0x1f {
			text[i] = ' '
		}
	}
	return text
}

// reportNames are the reports the index pass builds, in tab order.
// (The I/O graph is drawn from the rows at any interval: iograph.go.)
var reportNames = []string{"conv", "endpoints", "expert", "hierarchy", "diagnose"}

// build runs the one pipeline pass over the files (merged by time) that
// fills ix.
func (ix *index) build(ctx context.Context, files []string) error {
	start := time.Now()
	var total int64
	for _, p := range files {
		if st, err := os.Stat(p); err == nil {
			total += st.Size()
		}
	}
	ix.total.Store(total)
	src, err := openMerge(files, true)
	if err != nil {
		ix.mu.Lock()
		ix.done, ix.err = true, err.Error()
		ix.mu.Unlock()
		return err
	}
	defer src.Close()
	conv := report.NewConvTable(report.ConvTCP, "")
	ends := report.NewEndpointTable(report.ConvIP, "")
	expert := report.NewExpertTable("")
	expert.PerPacketOnly = true
	hier := report.NewHierarchy("")
	eng := analyze.New(analyze.Config{})
	res, _ := names.New("n") // names from the capture's DNS answers (-N n)
	cfg := pipeline.Config{Parallel: true, Warn: func(error) {}}
	cfg.Flow.OnEnd = conv.SetConn
	// The IP endpoints need the decoded frame alone: counted on the
	// decoding goroutine, the less busy one (the consumer's runs the
	// tracker, the index, the statistics and the diagnosis); the
	// consumer reads ends only after Run, when that goroutine has ended.
	cfg.Prefix = func(f *decode.Frame, dst []byte) []byte {
		ends.Add(f)
		return dst
	}
	p, err := pipeline.New(cfg)
	if err != nil {
		return err
	}
	var text, enc []byte
	var rows []row
	var an, tb chunks
	var texts []textRef
	flush := func() {
		ix.mu.Lock()
		// new outer slices: readers never see the writer's next append
		ix.rows, ix.an, ix.tblob, ix.texts = rows, an.view(), tb.view(), texts[:len(texts):len(texts)]
		ix.ifaces, ix.format = append([]capture.Interface(nil), src.Interfaces()...), src.Format()
		ix.mu.Unlock()
		ix.read.Store(src.done.Load())
	}
	err = p.Run(ctx, src, func(f *decode.Frame) error {
		n := len(rows)
		if n == 0 {
			ix.first = f.FirstTS
		}
		r := row{TS: f.TS, Off: src.rec(n), Len: uint32(f.Len), Stream: -1, Color: colourLater, Flags: uint16(f.Analysis.Flags)}
		if f.Analysis.Stream >= 0 && (f.Analysis.HasTCP || f.Analysis.IsUDP) {
			r.Stream = int32(f.Analysis.Stream)
		}
		if f.Analysis.IsUDP {
			r.Bits |= rowUDP
		}
		if f.Analysis.HasTCP {
			r.Bits |= rowTCP
		}
		enc = appendFacts(enc[:0], f)
		r.An = an.add(enc)
		if needsContext(f) || r.Off == noOff {
			r.Bits |= rowContext
			if f.IP.Reassembled || f.IPv6.Reassembled || f.Fragment || f.Has(decode.ProtoICMP) || f.Has(decode.ProtoICMPv6) {
				r.Bits |= rowWindow
			}
			if r.Off != noOff && isSegment(f) {
				r.Bits |= segmentBits(f) // columns and colour from decodeSegments
			} else {
				r.Color = colorOf(f)
				text = appendCols(text[:0], f)
				if len(text) > maxText {
					text = text[:maxText]
				}
				texts = append(texts, textRef{N: uint32(f.Number), Text: tb.add(text)})
			}
		}
		rows = append(rows, r)
		conv.Add(f)
		expert.Add(f)
		hier.Add(f)
		eng.Add(f)
		res.LearnFrame(f)
		if n := len(rows); n%4096 == 0 {
			ix.count.Store(int64(n))
		}
		if n := len(rows); n%65536 == 0 {
			if n == 65536 && total > 0 {
				// room for the whole capture at this rate, once
				if done := src.done.Load(); done > 0 {
					rows = slices.Grow(rows, max(0, int(float64(total)/float64(done)*float64(n)*1.05)-len(rows)))
				}
			}
			flush()
		}
		return nil
	})
	flush()
	ix.count.Store(int64(len(rows)))
	ix.mu.Lock()
	ix.ifmap = src.ifmap
	ix.mu.Unlock()
	eng.Flush(0)
	reps := map[string][]byte{}
	add := func(name string, w func(io.Writer) error) {
		var b bytes.Buffer
		if w(&b) == nil {
			reps[name] = b.Bytes()
		}
	}
	add("conv", conv.WriteJSON)
	add("endpoints", func(w io.Writer) error { return namedEndpoints(w, ends, res) })
	add("expert", expert.WriteJSON)
	add("hierarchy", hier.WriteJSON)
	name := filepath.Base(files[0])
	if len(files) > 1 {
		name = fmt.Sprintf("%s and %d more files", name, len(files)-1)
	}
	add("diagnose", func(w io.Writer) error {
		return report.WriteDiagnosisJSON(w, report.NewDiagnosis(name, eng))
	})
	ix.mu.Lock()
	ix.reports, ix.done, ix.built = reps, true, time.Since(start)
	if err != nil {
		ix.err = err.Error()
	}
	ix.mu.Unlock()
	ix.read.Store(total)
	return err
}

// namedEndpoints writes the endpoints report with a "name" for each
// address the capture's DNS answers named (tshark -N n).
func namedEndpoints(w io.Writer, ends *report.EndpointTable, res *names.Resolver) error {
	var b bytes.Buffer
	if err := ends.WriteJSON(&b); err != nil {
		return err
	}
	var doc map[string]any
	dec := json.NewDecoder(&b)
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return err
	}
	if l, ok := doc["endpoints"].([]any); ok {
		for _, e := range l {
			if m, ok := e.(map[string]any); ok {
				if s, ok := m["address"].(string); ok {
					if a, err := netip.ParseAddr(s); err == nil {
						if n := res.Addr(a); n != "" && n != a.String() {
							m["name"] = n
						}
					}
				}
			}
		}
	}
	return json.NewEncoder(w).Encode(doc)
}

// cacheKey names the cache file of the files served together: their
// absolute paths, sizes and modification times, so a changed file is
// indexed again.
func cacheKey(files []string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%d\x00", indexVersion)
	for _, path := range files {
		abs, err := filepath.Abs(path)
		if err != nil {
			return "", err
		}
		st, err := os.Stat(path)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00", abs, st.Size(), st.ModTime().UnixNano())
	}
	return hex.EncodeToString(h.Sum(nil)[:16]) + ".idx", nil
}

const indexVersion = 5

var cacheMagic = []byte("wirewatch-serve-index\n")

// save writes the finished index to file (atomically: a temp file renamed).
func (ix *index) save(file string) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".idx-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	w.Write(cacheMagic)
	var ub [8]byte
	u64 := func(v uint64) { binary.LittleEndian.PutUint64(ub[:], v); w.Write(ub[:]) }
	blobs := func(bs [][]byte) {
		u64(uint64(len(bs)))
		for _, c := range bs {
			u64(uint64(len(c)))
			w.Write(c)
		}
	}
	ix.mu.RLock()
	u64(uint64(len(ix.rows)))
	u64(uint64(ix.first))
	var b [rowSize]byte
	for _, r := range ix.rows {
		binary.LittleEndian.PutUint64(b[0:], uint64(r.TS))
		binary.LittleEndian.PutUint64(b[8:], r.Off)
		binary.LittleEndian.PutUint32(b[16:], r.Len)
		binary.LittleEndian.PutUint32(b[20:], uint32(r.Stream))
		binary.LittleEndian.PutUint32(b[24:], r.An)
		binary.LittleEndian.PutUint16(b[28:], r.Flags)
		b[30], b[31] = r.Color, r.Bits
		w.Write(b[:])
	}
	blobs(ix.an)
	u64(uint64(len(ix.texts)))
	for _, t := range ix.texts {
		u64(uint64(t.N)<<32 | uint64(t.Text))
	}
	blobs(ix.tblob)
	meta, _ := json.Marshal(indexMeta{Ifaces: ix.ifaces, Ifmap: ix.ifmap, Format: ix.format})
	u64(uint64(len(meta)))
	w.Write(meta)
	u64(uint64(len(ix.reports)))
	for _, name := range reportNames {
		if d, ok := ix.reports[name]; ok {
			u64(uint64(len(name)))
			w.WriteString(name)
			u64(uint64(len(d)))
			w.Write(d)
		}
	}
	ix.mu.RUnlock()
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}

// indexMeta is the part of the index kept as JSON in the cache.
type indexMeta struct {
	Ifaces []capture.Interface
	Ifmap  [][]int
	Format string
}

var errBadCache = errors.New("serve: damaged index cache")

// load reads an index save wrote; a damaged file is an error (and is rebuilt).
func (ix *index) load(file string) error {
	fh, err := os.Open(file)
	if err != nil {
		return err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return err
	}
	size := uint64(st.Size())
	r := bufio.NewReaderSize(fh, 1<<20)
	magic := make([]byte, len(cacheMagic))
	if _, err := io.ReadFull(r, magic); err != nil || !bytes.Equal(magic, cacheMagic) {
		return errBadCache
	}
	var ub [8]byte
	u64 := func() uint64 {
		if _, e := io.ReadFull(r, ub[:]); e != nil {
			err = errBadCache
			return 0
		}
		return binary.LittleEndian.Uint64(ub[:])
	}
	bytesOf := func(max uint64) []byte {
		l := u64()
		if err != nil || l > max || l > size {
			err = errBadCache
			return nil
		}
		d := make([]byte, l)
		if _, e := io.ReadFull(r, d); e != nil {
			err = errBadCache
		}
		return d
	}
	blobs := func() [][]byte {
		nc := u64()
		if err != nil || nc > 1<<(32-chunkBits) {
			err = errBadCache
			return nil
		}
		bs := make([][]byte, nc)
		for i := range bs {
			if bs[i] = bytesOf(chunkSize); err != nil {
				return nil
			}
		}
		return bs
	}
	n := u64()
	first := int64(u64())
	if err != nil || n > size/rowSize {
		return errBadCache
	}
	rows := make([]row, n)
	var b [rowSize]byte
	for i := range rows {
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return errBadCache
		}
		rows[i] = row{TS: int64(binary.LittleEndian.Uint64(b[0:])), Off: binary.LittleEndian.Uint64(b[8:]),
			Len: binary.LittleEndian.Uint32(b[16:]), Stream: int32(binary.LittleEndian.Uint32(b[20:])),
			An: binary.LittleEndian.Uint32(b[24:]), Flags: binary.LittleEndian.Uint16(b[28:]), Color: b[30], Bits: b[31]}
		if i > 0 && rows[i].An < rows[i-1].An {
			return errBadCache
		}
	}
	an := blobs()
	nt := u64()
	if err != nil || nt > n {
		return errBadCache
	}
	texts := make([]textRef, nt)
	for i := range texts {
		v := u64()
		texts[i] = textRef{N: uint32(v >> 32), Text: uint32(v)}
		if i > 0 && (texts[i].N <= texts[i-1].N || texts[i].Text < texts[i-1].Text) {
			return errBadCache
		}
	}
	tblob := blobs()
	var meta indexMeta
	if d := bytesOf(64 << 20); err != nil || json.Unmarshal(d, &meta) != nil {
		return errBadCache
	}
	nr := u64()
	reps := map[string][]byte{}
	for i := uint64(0); i < nr && err == nil; i++ {
		name := bytesOf(64)
		d := bytesOf(size)
		if err == nil {
			reps[string(name)] = d
		}
	}
	if err != nil {
		return errBadCache
	}
	ix.mu.Lock()
	ix.rows, ix.an, ix.texts, ix.tblob, ix.first, ix.reports, ix.done, ix.cached = rows, an, texts, tblob, first, reps, true, true
	ix.ifaces, ix.ifmap, ix.format = meta.Ifaces, meta.Ifmap, meta.Format
	ix.mu.Unlock()
	ix.count.Store(int64(n))
	return nil
}
