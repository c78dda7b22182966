package capture

import (
	"errors"
	"io"
)

// ErrUnknownFormat is returned when the magic bytes match no supported format.
var ErrUnknownFormat = errors.New("unknown capture file format")

// Open opens a capture file by path ("-" is standard input), sniffing the
// format (pcap, pcapng, gzip/zstd-compressed either) from its first bytes.
func Open(path string) (Reader, error) {
	// TODO(capture owner)
	return nil, ErrUnknownFormat
}

// NewReader reads a capture from r; name is used in error messages.
func NewReader(r io.Reader, name string) (Reader, error) {
	// TODO(capture owner)
	return nil, ErrUnknownFormat
}
