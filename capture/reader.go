package capture

import "encoding/binary"

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
