package capture

import (
	"errors"
	"io"
)

const (
	// MaxRecordSize caps the size of one record (pcap packet or pcapng
	// block). A length field above it is reported as damage instead of being
	// trusted with memory.
	MaxRecordSize = 256 << 20

	readChunk = 256 << 10 // initial buffer and read size
)

// source is the one reusable buffer a reader parses from. Records are sliced
// out of buf in place (no second copy); a slice stays valid until the next
// fill, which may move the bytes. The buffer grows only as data actually
// arrives, so a lying length field cannot make it allocate more than twice the
// bytes really present.
type source struct {
	r        io.Reader
	buf      []byte
	pos, end int   // unread data is buf[pos:end]
	base     int64 // stream offset of buf[0]
	rerr     error // sticky error from r (io.EOF at the clean end)
	// small, set by a seek (random access), reads at most seekRead bytes
	// at a time instead of filling the buffer.
	small bool
}

const seekRead = 16 << 10

func newSource(r io.Reader) *source {
	return &source{r: r, buf: make([]byte, readChunk)}
}

func (s *source) avail() int    { return s.end - s.pos }
func (s *source) offset() int64 { return s.base + int64(s.pos) }

// fill makes at least n bytes available at buf[pos:]. It returns false when
// the stream ends (or fails) first; s.rerr then says why.
func (s *source) fill(n int) bool {
	if s.end-s.pos >= n {
		return true
	}
	if s.rerr != nil {
		return false
	}
	zeros := 0
	for s.end-s.pos < n {
		if s.end == len(s.buf) {
			s.makeRoom(n)
		}
		dst := s.buf[s.end:]
		if s.small && len(dst) > seekRead {
			dst = dst[:min(len(dst), max(seekRead, n-(s.end-s.pos)))]
		}
		m, err := s.r.Read(dst)
		s.end += m
		if err != nil {
			s.rerr = err
			return s.end-s.pos >= n
		}
		if m == 0 {
			if zeros++; zeros > 100 {
				s.rerr = io.ErrNoProgress
				return false
			}
		}
	}
	return true
}

// makeRoom frees space after end: it moves unread data to the front and, when
// the buffer is too small for n bytes, doubles it (never beyond what n needs).
func (s *source) makeRoom(n int) {
	if s.pos > 0 && (s.pos >= len(s.buf)/2 || n <= len(s.buf)) {
		copy(s.buf, s.buf[s.pos:s.end])
		s.base += int64(s.pos)
		s.end -= s.pos
		s.pos = 0
		if s.end < len(s.buf) {
			return
		}
	}
	size := min(2*len(s.buf), max(n, readChunk)+readChunk)
	if size <= len(s.buf) {
		size = len(s.buf) + readChunk
	}
	nb := make([]byte, size)
	copy(nb, s.buf[s.pos:s.end])
	s.base += int64(s.pos)
	s.end -= s.pos
	s.pos = 0
	s.buf = nb
}

// readErr describes why fill failed: nil for a clean end of stream.
func (s *source) readErr() error {
	if s.rerr == io.EOF {
		return nil
	}
	if errors.Is(s.rerr, io.ErrUnexpectedEOF) {
		return errors.New("compressed stream ends early (truncated file)")
	}
	return s.rerr
}
