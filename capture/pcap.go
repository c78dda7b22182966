package capture

import (
	"encoding/binary"
	"fmt"
	"io"
)

// pcap magic numbers as read little-endian from the first four bytes.
const (
	pcapMagicMicro    = 0xa1b2c3d4
	pcapMagicNano     = 0xa1b23c4d
	pcapMagicModified = 0xa1b2cd34 // Alexey Kuznetzov's patched libpcap: 24-byte record headers
)

// maxPcapRecord is the largest captured length accepted in a pcap record
// whatever the snaplen says: Wireshark's limit for ordinary link types. A
// larger value is the sign of a corrupt record header.
const maxPcapRecord = 262144

// pcapReader reads classic pcap (libpcap) files.
type pcapReader struct {
	fileReader
	nano   bool
	hdrLen int // record header length: 16, or 24 for the modified format
	maxCap int
}

// newPcapReader parses the 24-byte file header at the start of s.
func newPcapReader(s *source, name, suffix string, closer func() error) (*pcapReader, error) {
	if !s.fill(24) {
		if err := s.readErr(); err != nil {
			return nil, &FormatError{File: name, Offset: s.offset(), Msg: "reading pcap file header: " + err.Error(), Err: err}
		}
		return nil, &FormatError{File: name, Offset: int64(s.avail()), Msg: fmt.Sprintf("truncated pcap file header: %d of 24 bytes", s.avail())}
	}
	h := s.buf[s.pos : s.pos+24]
	r := &pcapReader{fileReader: fileReader{s: s, name: name, closer: closer}, hdrLen: 16}
	magic := binary.LittleEndian.Uint32(h)
	switch {
	case magic == pcapMagicMicro || magic == pcapMagicNano || magic == pcapMagicModified:
	case binary.BigEndian.Uint32(h) == pcapMagicMicro, binary.BigEndian.Uint32(h) == pcapMagicNano,
		binary.BigEndian.Uint32(h) == pcapMagicModified:
		r.be = true
		magic = binary.BigEndian.Uint32(h)
	}
	r.format = "pcap"
	switch magic {
	case pcapMagicNano:
		r.nano, r.format = true, "pcap-ns"
	case pcapMagicModified:
		r.hdrLen, r.format = 24, "pcap-modified"
	}
	r.format += suffix
	major, minor := r.u16(h[4:]), r.u16(h[6:])
	if major != 2 {
		return nil, &FormatError{File: name, Offset: 4, Msg: fmt.Sprintf("unsupported pcap major version %d.%d (tshark: \"pcap: major version %d unsupported\"); only version 2 exists, so the file header is damaged", major, minor, major)}
	}
	snaplen := r.u32(h[16:])
	network := r.u32(h[20:])
	if network&0x03FF0000 != 0 {
		return nil, &FormatError{File: name, Offset: 20, Msg: fmt.Sprintf("pcap network type reserved field not zero (0x%08x); the file header is damaged", network&0x03FF0000)}
	}
	ifc := Interface{LinkType: LinkType(network & 0xFFFF), SnapLen: int(snaplen), TSResol: 6, FCSLen: -1}
	if r.nano {
		ifc.TSResol = 9
	}
	if network&0x04000000 != 0 { // FCS length present, in 16-bit units
		ifc.FCSLen = int(network>>28) * 2
	}
	r.ifaces = []Interface{ifc}
	r.maxCap = maxPcapRecord
	if int64(snaplen) > int64(r.maxCap) && snaplen <= MaxRecordSize {
		r.maxCap = int(snaplen)
	}
	s.pos += 24
	return r, nil
}

// Next returns the next record; Data aliases the reader's buffer.
func (r *pcapReader) Next() (Packet, error) {
	if r.done != nil {
		return Packet{}, r.done
	}
	s := r.s
	off := s.offset()
	hl := r.hdrLen
	if !s.fill(hl) {
		if err := s.readErr(); err != nil {
			return r.fail(off, "reading record header: "+err.Error(), err)
		}
		if s.avail() == 0 {
			r.done = io.EOF
			return Packet{}, io.EOF
		}
		return r.fail(off, fmt.Sprintf("truncated record header: file ends after %d of its %d bytes", s.avail(), hl), io.ErrUnexpectedEOF)
	}
	if lt := r.ifaces[0].LinkType; !lt.Readable() {
		return r.fail(20, unsupported(lt), nil)
	}
	h := s.buf[s.pos : s.pos+hl]
	sec, frac := r.u32(h[0:]), r.u32(h[4:])
	caplen, wire := r.u32(h[8:]), r.u32(h[12:])
	if int64(caplen) > int64(r.maxCap) {
		return r.fail(off, fmt.Sprintf("record claims %d captured bytes, more than the limit of %d (snaplen %d): the record header is corrupt", caplen, r.maxCap, r.ifaces[0].SnapLen), nil)
	}
	n := hl + int(caplen)
	if !s.fill(n) {
		if err := s.readErr(); err != nil {
			return r.fail(off, "reading record: "+err.Error(), err)
		}
		return r.fail(off, fmt.Sprintf("truncated record: %d-byte packet, but the file ends after %d of them", caplen, s.avail()-hl), io.ErrUnexpectedEOF)
	}
	data := s.buf[s.pos+hl : s.pos+n : s.pos+n]
	s.pos += n
	ts := int64(sec) * 1e9
	if r.nano {
		ts += int64(frac)
	} else {
		ts += int64(frac) * 1000
	}
	return Packet{
		Info: Info{TS: ts, CapLen: int(caplen), Len: int(wire), LinkType: r.ifaces[0].LinkType, Offset: off},
		Data: data,
	}, nil
}
