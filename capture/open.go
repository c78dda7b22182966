package capture

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"
)

// ErrUnknownFormat is returned when the magic bytes match no supported format.
var ErrUnknownFormat = errors.New("unknown capture file format")

var errClosed = errors.New("capture reader is closed")

// zstdMaxWindow is the largest zstd window accepted, as the zstd command does
// by default (--long=27): a frame asking for more is refused rather than
// allowed to allocate it.
const zstdMaxWindow = 128 << 20

// Open opens a capture file by path ("-" is standard input), sniffing the
// format (pcap, pcapng, gzip/zstd-compressed either) from its first bytes.
// Close the Reader to close the file.
func Open(path string) (Reader, error) {
	if path == "-" {
		return NewReader(os.Stdin, "standard input")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r, err := newReader(f, path, f.Close)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// NewReader reads a capture from r; name is used in error messages. Closing
// the Reader releases the decompressor but does not close r.
func NewReader(r io.Reader, name string) (Reader, error) {
	return newReader(r, name, nil)
}

func newReader(r io.Reader, name string, closer func() error) (Reader, error) {
	s := newSource(r)
	suffix := ""
	magic, err := sniff(s, name)
	if err != nil {
		return nil, err
	}
	switch {
	case magic[0] == 0x1f && magic[1] == 0x8b:
		head := bytes.Clone(s.buf[s.pos:s.end])
		zr, err := gzip.NewReader(io.MultiReader(bytes.NewReader(head), r))
		if err != nil {
			return nil, &FormatError{File: name, Offset: 0, Msg: "bad gzip header: " + err.Error(), Err: err}
		}
		s = newSource(zr)
		suffix = "+gzip"
	case binary.LittleEndian.Uint32(magic) == 0xFD2FB528:
		head := bytes.Clone(s.buf[s.pos:s.end])
		zr, err := zstd.NewReader(io.MultiReader(bytes.NewReader(head), r),
			zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(zstdMaxWindow), zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, &FormatError{File: name, Offset: 0, Msg: "bad zstd stream: " + err.Error(), Err: err}
		}
		s = newSource(zr)
		suffix = "+zstd"
		inner := closer
		closer = func() error {
			zr.Close()
			if inner != nil {
				return inner()
			}
			return nil
		}
	}
	if suffix != "" {
		if magic, err = sniff(s, name); err != nil {
			return nil, err
		}
	}
	le, be := binary.LittleEndian.Uint32(magic), binary.BigEndian.Uint32(magic)
	switch {
	case le == 0x0A0D0D0A:
		return newPcapngReader(s, name, suffix, closer)
	case le == pcapMagicMicro || le == pcapMagicNano || le == pcapMagicModified ||
		be == pcapMagicMicro || be == pcapMagicNano || be == pcapMagicModified:
		return newPcapReader(s, name, suffix, closer)
	}
	what := "file"
	if suffix != "" {
		what = "decompressed " + suffix[1:] + " data"
	}
	return nil, &FormatError{File: name, Offset: 0, Err: ErrUnknownFormat,
		Msg: fmt.Sprintf("not a capture file: the %s starts with 0x%08x, which is no pcap, pcapng, gzip or zstd magic", what, be)}
}

// sniff returns the first four bytes of s without consuming them.
func sniff(s *source, name string) ([]byte, error) {
	if !s.fill(4) {
		if err := s.readErr(); err != nil {
			return nil, &FormatError{File: name, Offset: 0, Msg: "reading: " + err.Error(), Err: err}
		}
		if s.avail() == 0 {
			return nil, &FormatError{File: name, Offset: 0, Msg: "empty file: not a capture file", Err: ErrUnknownFormat}
		}
		return nil, &FormatError{File: name, Offset: 0, Msg: fmt.Sprintf("only %d bytes: too short to be a capture file", s.avail()), Err: ErrUnknownFormat}
	}
	return s.buf[s.pos : s.pos+4], nil
}
