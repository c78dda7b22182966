package serve

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/wirewatch/wirewatch/capture"
)

// expandArgs turns the command line's FILE|DIR arguments into capture
// files: a directory stands for the capture files directly inside it
// (by name, sorted; no recursion, no other file is ever opened).
func expandArgs(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("serve: %w", err)
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		ents, err := os.ReadDir(a)
		if err != nil {
			return nil, fmt.Errorf("serve: %w", err)
		}
		n := len(out)
		for _, e := range ents {
			if e.Type().IsRegular() && isCaptureName(e.Name()) {
				out = append(out, filepath.Join(a, e.Name()))
			}
		}
		if len(out) == n {
			return nil, fmt.Errorf("serve: %s holds no capture file (*.pcap, *.pcapng, *.cap, also .gz/.zst)", a)
		}
		sort.Strings(out[n:])
	}
	return out, nil
}

func isCaptureName(name string) bool {
	name = strings.ToLower(name)
	name = strings.TrimSuffix(strings.TrimSuffix(name, ".gz"), ".zst")
	for _, ext := range []string{".pcap", ".pcapng", ".cap", ".ntar"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// mergeSource reads several capture files as one, merged by time as
// mergecap does (the earliest record next; equal times keep the order of
// the files), for the index pass and the passes of filters and follow.
// Interfaces are numbered in the order they first appear. It notes the
// file and byte offset of each record it returns (rec), which the index
// keeps to read frames again one by one.
type mergeSource struct {
	rs    []capture.Reader
	heads []capture.Packet
	state []int // 0 head not read, 1 head held, 2 file done
	errs  []error
	// ifmap maps each file's interface index to the merged list's.
	ifmap  [][]int
	ifaces []capture.Interface
	pcapng bool
	// done counts the bytes of the files read so far (progress).
	done atomic.Int64
	// recs are (file, offset) of the records returned, 64 Ki per chunk;
	// the index pass reads them from its consumer.
	recMu sync.Mutex
	recs  [][]uint64
	nrec  int
	keep  bool
}

func openMerge(paths []string, keepRecs bool) (*mergeSource, error) {
	m := &mergeSource{keep: keepRecs}
	for _, p := range paths {
		r, err := capture.Open(p)
		if err != nil {
			m.Close()
			return nil, err
		}
		m.rs = append(m.rs, r)
		if strings.HasPrefix(r.Format(), "pcapng") {
			m.pcapng = true
		}
	}
	m.heads = make([]capture.Packet, len(m.rs))
	m.state = make([]int, len(m.rs))
	m.errs = make([]error, len(m.rs))
	m.ifmap = make([][]int, len(m.rs))
	return m, nil
}

// Close closes every file.
func (m *mergeSource) Close() error {
	for _, r := range m.rs {
		r.Close()
	}
	return nil
}

func (m *mergeSource) Interfaces() []capture.Interface { return m.ifaces }

func (m *mergeSource) Format() string {
	if len(m.rs) == 1 {
		return m.rs[0].Format()
	}
	if m.pcapng {
		return "pcapng" // what mergecap writes
	}
	return m.rs[0].Format()
}

// Next returns the earliest held record. A file's damage it recovered
// from is returned as is (the pipeline skips it); a fatal one ends that
// file only, and is returned once every file is done.
func (m *mergeSource) Next() (capture.Packet, error) {
	best := -1
	for i, r := range m.rs {
		if m.state[i] == 0 {
			p, err := r.Next()
			if err != nil {
				var fe *capture.FormatError
				if errors.As(err, &fe) && fe.Resumable {
					return p, err
				}
				m.state[i] = 2
				if err != io.EOF {
					m.errs[i] = err
				}
				continue
			}
			m.heads[i], m.state[i] = p, 1
		}
		if m.state[i] == 1 && (best < 0 || m.heads[i].TS < m.heads[best].TS) {
			best = i
		}
	}
	if best < 0 {
		for _, err := range m.errs {
			if err != nil {
				return capture.Packet{}, err
			}
		}
		return capture.Packet{}, io.EOF
	}
	p := m.heads[best]
	m.state[best] = 0 // the next call reads the file on: p.Data stays valid until then
	r := m.rs[best]
	for ifs := r.Interfaces(); len(m.ifmap[best]) < len(ifs); {
		j := len(m.ifmap[best])
		m.ifmap[best] = append(m.ifmap[best], len(m.ifaces))
		m.ifaces = append(m.ifaces, ifs[j])
	}
	if p.Interface >= 0 && p.Interface < len(m.ifmap[best]) {
		p.Interface = m.ifmap[best][p.Interface]
	}
	m.done.Store(m.done.Load() + int64(p.CapLen) + 16)
	if m.keep {
		m.recMu.Lock()
		if m.nrec&(recChunk-1) == 0 {
			m.recs = append(m.recs, make([]uint64, recChunk))
		}
		m.recs[m.nrec/recChunk][m.nrec&(recChunk-1)] = packOff(best, p.Offset)
		m.nrec++
		m.recMu.Unlock()
	}
	return p, nil
}

const recChunk = 1 << 16

// rec returns the packed file and offset of the i-th record returned (0-based).
func (m *mergeSource) rec(i int) uint64 {
	m.recMu.Lock()
	defer m.recMu.Unlock()
	if i >= m.nrec {
		return noOff
	}
	return m.recs[i/recChunk][i&(recChunk-1)]
}

// A row's Off packs the file (top 16 bits) and the record's byte offset.
const (
	offBits = 48
	noOff   = ^uint64(0) // a record that cannot be read again by offset
)

func packOff(file int, off int64) uint64 {
	if off < 0 || off >= 1<<offBits || file >= 1<<(64-offBits)-1 {
		return noOff
	}
	return uint64(file)<<offBits | uint64(off)
}

func unpackOff(o uint64) (file int, off int64) {
	return int(o >> offBits), int64(o & (1<<offBits - 1))
}

// recSource reads given frames of a Capture again, in the order given,
// each from its file and offset (capture.Seeker), as a pipeline source.
// A file whose reader cannot seek, or a record that is not where the
// index says, is an error: the caller falls back to reading in order.
type recSource struct {
	c      *Capture
	frames []uint64
	i      int
	rs     []capture.Reader
}

func (s *recSource) Interfaces() []capture.Interface { return s.c.ix.ifaces }
func (s *recSource) Format() string                  { return s.c.ix.format }

var errNoSeek = errors.New("serve: frame cannot be read again by its offset")

func (s *recSource) Next() (capture.Packet, error) {
	if s.i >= len(s.frames) {
		return capture.Packet{}, io.EOF
	}
	n := s.frames[s.i]
	s.i++
	ix := s.c.ix
	ix.mu.RLock()
	var o uint64 = noOff
	if n >= 1 && n <= uint64(len(ix.rows)) {
		o = ix.rows[n-1].Off
	}
	ix.mu.RUnlock()
	if o == noOff {
		return capture.Packet{}, errNoSeek
	}
	file, off := unpackOff(o)
	if file >= len(s.c.Files) {
		return capture.Packet{}, errNoSeek
	}
	if s.rs == nil {
		s.rs = make([]capture.Reader, len(s.c.Files))
	}
	r := s.rs[file]
	if r == nil {
		var err error
		if r, err = capture.Open(s.c.Files[file]); err != nil {
			return capture.Packet{}, err
		}
		s.rs[file] = r
		if _, err := r.Next(); err != nil { // reads the headers before the first record
			return capture.Packet{}, errNoSeek
		}
	}
	sk, ok := r.(capture.Seeker)
	if !ok || sk.SeekRecord(off) != nil {
		return capture.Packet{}, errNoSeek
	}
	p, err := sk.Next()
	if err != nil || p.Offset != off {
		return capture.Packet{}, errNoSeek
	}
	if m := ix.ifmap; file < len(m) && p.Interface >= 0 {
		if p.Interface >= len(m[file]) {
			return capture.Packet{}, errNoSeek // an interface declared later in the file
		}
		p.Interface = m[file][p.Interface]
	}
	return p, nil
}

func (s *recSource) Close() {
	for _, r := range s.rs {
		if r != nil {
			r.Close()
		}
	}
}
