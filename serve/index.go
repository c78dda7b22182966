package serve

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/pipeline"
	"github.com/wirewatch/wirewatch/report"
)

// row is one frame of the index: what the packet list needs without
// decoding the frame again. Its column texts live in the index's text blob
// from Text up to the next row's Text.
type row struct {
	TS     int64
	Text   uint32 // where "src\x1fdst\x1fproto\x1finfo" starts: chunk<<chunkBits | offset
	Len    uint32
	Stream int32 // tcp.stream or udp.stream; -1 none
	Color  uint8 // colouring rule (colour.go)
	UDP    uint8 // 1 when Stream is a udp.stream
	_      [2]byte
}

const rowSize = 24

// The column texts are kept in chunks of 4 MiB (no text crosses one), so
// the index grows without the slack and copies of one doubling slice.
const (
	chunkBits = 22
	chunkSize = 1 << chunkBits
	maxText   = 64 << 10 // longer column texts are cut (Info of a huge PDU)
)

// index is what one pipeline pass over a capture learns: the packet list
// rows and every report the web app shows (statistics, diagnosis).
type index struct {
	mu     sync.RWMutex
	rows   []row
	blob   [][]byte
	first  int64
	done   bool
	err    string
	built  time.Duration
	cached bool
	// reports are the JSON documents of the statistics tabs and the
	// diagnosis, keyed by name (conv, endpoints, expert, hierarchy, io, diagnose).
	reports map[string][]byte
	count   atomic.Int64
}

func (ix *index) n() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.rows)
}

// cols returns the four text columns of frame i (0-based).
func (ix *index) cols(i int) (src, dst, proto, info []byte) {
	start := ix.rows[i].Text
	chunk := ix.blob[start>>chunkBits]
	end := uint32(len(chunk))
	if i+1 < len(ix.rows) && ix.rows[i+1].Text>>chunkBits == start>>chunkBits {
		end = ix.rows[i+1].Text & (chunkSize - 1)
	}
	parts := bytes.SplitN(chunk[start&(chunkSize-1):end], []byte{0x1f}, 4)
	for len(parts) < 4 {
		parts = append(parts, nil)
	}
	return parts[0], parts[1], parts[2], parts[3]
}

// reportNames are the reports the index pass builds, in tab order.
var reportNames = []string{"conv", "endpoints", "expert", "hierarchy", "io", "diagnose"}

// build runs the one pipeline pass over path that fills ix.
func (ix *index) build(ctx context.Context, path string) error {
	start := time.Now()
	conv := report.NewConvTable(report.ConvTCP, "")
	ends := report.NewEndpointTable(report.ConvIP, "")
	expert := report.NewExpertTable("")
	expert.PerPacketOnly = true
	hier := report.NewHierarchy("")
	iot := report.NewIOTable(time.Second, "")
	eng := analyze.New(analyze.Config{})
	cfg := pipeline.Config{Parallel: true, Warn: func(error) {}}
	cfg.Flow.OnEnd = conv.SetConn
	var col, text []byte
	var rows []row
	var blob [][]byte // full chunks
	cur := make([]byte, 0, chunkSize)
	flush := func() {
		ix.mu.Lock()
		// a new outer slice: readers never see the writer's next append
		ix.rows, ix.blob = rows, append(blob[:len(blob):len(blob)], cur)
		ix.mu.Unlock()
	}
	err := pipeline.RunFile(ctx, path, cfg, func(f *decode.Frame) error {
		if len(rows) == 0 {
			ix.first = f.FirstTS
		}
		r := row{TS: f.TS, Len: uint32(f.Len), Stream: -1, Color: colorOf(f)}
		if f.Analysis.Stream >= 0 && (f.Analysis.HasTCP || f.Analysis.IsUDP) {
			r.Stream = int32(f.Analysis.Stream)
			if f.Analysis.IsUDP {
				r.UDP = 1
			}
		}
		text = f.AppendSource(text[:0])
		text = append(text, 0x1f)
		text = f.AppendDestination(text)
		text = append(text, 0x1f)
		text = f.AppendProtocolColumn(text)
		text = append(text, 0x1f)
		col = f.AppendInfo(col[:0])
		for i, c := range col {
			if c == 0x1f {
				col[i] = ' '
			}
		}
		text = append(text, col...)
		if len(text) > maxText {
			text = text[:maxText]
		}
		if len(cur)+len(text) > chunkSize {
			blob = append(blob, cur)
			cur = make([]byte, 0, chunkSize)
		}
		r.Text = uint32(len(blob))<<chunkBits | uint32(len(cur))
		cur = append(cur, text...)
		rows = append(rows, r)
		conv.Add(f)
		ends.Add(f)
		expert.Add(f)
		hier.Add(f)
		iot.Add(f)
		eng.Add(f)
		if n := ix.count.Add(1); n%65536 == 0 {
			flush()
		}
		return nil
	})
	flush()
	eng.Flush(0)
	reps := map[string][]byte{}
	add := func(name string, w func(io.Writer) error) {
		var b bytes.Buffer
		if w(&b) == nil {
			reps[name] = b.Bytes()
		}
	}
	add("conv", conv.WriteJSON)
	add("endpoints", ends.WriteJSON)
	add("expert", expert.WriteJSON)
	add("hierarchy", hier.WriteJSON)
	add("io", iot.WriteJSON)
	add("diagnose", func(w io.Writer) error {
		return report.WriteDiagnosisJSON(w, report.NewDiagnosis(filepath.Base(path), eng))
	})
	ix.mu.Lock()
	ix.reports, ix.done, ix.built = reps, true, time.Since(start)
	if err != nil {
		ix.err = err.Error()
	}
	ix.mu.Unlock()
	return err
}

// cacheKey names the cache file of path: its absolute path, size and
// modification time, so a changed file is indexed again.
func cacheKey(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d\x00%d\x00%d", abs, st.Size(), st.ModTime().UnixNano(), indexVersion))
	return hex.EncodeToString(h[:16]) + ".idx", nil
}

const indexVersion = 2

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
	u64 := func(v uint64) { w.Write(binary.LittleEndian.AppendUint64(nil, v)) }
	ix.mu.RLock()
	u64(uint64(len(ix.rows)))
	u64(uint64(ix.first))
	var b [rowSize]byte
	for _, r := range ix.rows {
		binary.LittleEndian.PutUint64(b[0:], uint64(r.TS))
		binary.LittleEndian.PutUint32(b[8:], r.Text)
		binary.LittleEndian.PutUint32(b[12:], r.Len)
		binary.LittleEndian.PutUint32(b[16:], uint32(r.Stream))
		b[20], b[21] = r.Color, r.UDP
		w.Write(b[:])
	}
	u64(uint64(len(ix.blob)))
	for _, c := range ix.blob {
		u64(uint64(len(c)))
		w.Write(c)
	}
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
		rows[i] = row{TS: int64(binary.LittleEndian.Uint64(b[0:])), Text: binary.LittleEndian.Uint32(b[8:]),
			Len: binary.LittleEndian.Uint32(b[12:]), Stream: int32(binary.LittleEndian.Uint32(b[16:])), Color: b[20], UDP: b[21]}
	}
	nc := u64()
	if err != nil || nc > 1<<(32-chunkBits) {
		return errBadCache
	}
	blob := make([][]byte, nc)
	for i := range blob {
		l := u64()
		if err != nil || l > chunkSize || l > size {
			return errBadCache
		}
		blob[i] = make([]byte, l)
		if _, err := io.ReadFull(r, blob[i]); err != nil {
			return errBadCache
		}
	}
	for i := range rows {
		c, off := rows[i].Text>>chunkBits, rows[i].Text&(chunkSize-1)
		if uint64(c) >= nc || int(off) > len(blob[c]) || (i > 0 && rows[i].Text < rows[i-1].Text) {
			return errBadCache
		}
	}
	nr := u64()
	reps := map[string][]byte{}
	for i := uint64(0); i < nr && err == nil; i++ {
		l := u64()
		if err != nil || l > 64 {
			return errBadCache
		}
		name := make([]byte, l)
		if _, e := io.ReadFull(r, name); e != nil {
			return errBadCache
		}
		l = u64()
		if err != nil || l > size {
			return errBadCache
		}
		d := make([]byte, l)
		if _, e := io.ReadFull(r, d); e != nil {
			return errBadCache
		}
		reps[string(name)] = d
	}
	if err != nil {
		return err
	}
	ix.mu.Lock()
	ix.rows, ix.blob, ix.first, ix.reports, ix.done, ix.cached = rows, blob, first, reps, true, true
	ix.mu.Unlock()
	ix.count.Store(int64(n))
	return nil
}
