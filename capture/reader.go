package capture

import (
	"encoding/binary"
	"errors"
	"io"
	"strings"
)

// fileReader is the state and behaviour the pcap and pcapng readers share:
// the byte source, the file's byte order, its interfaces, and a sticky
// terminal result.
type fileReader struct {
	s      *source
	name   string
	format string
	be     bool
	ifaces []Interface
	done   error // sticky terminal result (io.EOF or *FormatError)
	closer func() error
}

func (r *fileReader) u16(b []byte) uint16 {
	if r.be {
		return binary.BigEndian.Uint16(b)
	}
	return binary.LittleEndian.Uint16(b)
}

func (r *fileReader) u32(b []byte) uint32 {
	if r.be {
		return binary.BigEndian.Uint32(b)
	}
	return binary.LittleEndian.Uint32(b)
}

func (r *fileReader) u64(b []byte) uint64 {
	if r.be {
		return binary.BigEndian.Uint64(b)
	}
	return binary.LittleEndian.Uint64(b)
}

// Interfaces lists the interfaces seen so far.
func (r *fileReader) Interfaces() []Interface { return r.ifaces }

// Format names the file format.
func (r *fileReader) Format() string { return r.format }

// Close releases the underlying file; later Next calls fail.
func (r *fileReader) Close() error {
	r.done = errClosed
	if r.closer != nil {
		c := r.closer
		r.closer = nil
		return c()
	}
	return nil
}

// fail ends the reader with a FormatError at byte offset off.
func (r *fileReader) fail(off int64, msg string, err error) (Packet, error) {
	fe := &FormatError{File: r.name, Offset: off, Msg: msg, Err: err}
	r.done = fe
	return Packet{}, fe
}

// Seeker is a capture file read in place (neither compressed nor a pipe)
// that can go back to a record a sequential read reported (Info.Offset):
// random access for an index of the file (wirewatch serve). Open returns
// one for such files.
type Seeker interface {
	Source
	// SeekRecord makes the next Next read the record at byte offset off,
	// with what the reader learnt so far (byte order, interfaces, current
	// pcapng section). An offset inside the bytes it holds costs no read.
	SeekRecord(off int64) error
}

// ErrNotSeekable is SeekRecord's error for compressed files and pipes.
var ErrNotSeekable = errors.New("capture: not a seekable capture file")

// SeekRecord implements Seeker.
func (r *fileReader) SeekRecord(off int64) error {
	if r.done == errClosed {
		return errClosed
	}
	sk, ok := r.s.r.(io.Seeker)
	if !ok || strings.Contains(r.format, "+") || off < 0 {
		return ErrNotSeekable
	}
	s := r.s
	if off >= s.base && off < s.base+int64(s.end) {
		s.pos = int(off - s.base)
	} else {
		if _, err := sk.Seek(off, io.SeekStart); err != nil {
			return ErrNotSeekable
		}
		s.pos, s.end, s.base, s.rerr, s.small = 0, 0, off, nil, true
	}
	r.done = nil
	return nil
}
