package capture

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
)

// pcapng block types.
const (
	blockSHB     = 0x0A0D0D0A
	blockIDB     = 0x00000001
	blockPB      = 0x00000002 // obsolete Packet Block
	blockSPB     = 0x00000003
	blockNRB     = 0x00000004
	blockISB     = 0x00000005
	blockEPB     = 0x00000006
	blockJournal = 0x00000009 // systemd journal export
	blockDSB     = 0x0000000A
	blockCustom  = 0x00000BAD
	blockCustomN = 0x40000BAD // custom, not to be copied
	byteOrderBOM = 0x1A2B3C4D
)

func blockName(t uint32) string {
	switch t {
	case blockSHB:
		return "SHB"
	case blockIDB:
		return "IDB"
	case blockPB:
		return "PB"
	case blockSPB:
		return "SPB"
	case blockNRB:
		return "NRB"
	case blockISB:
		return "ISB"
	case blockEPB:
		return "EPB"
	case blockJournal:
		return "systemd journal block"
	case blockDSB:
		return "DSB"
	case blockCustom, blockCustomN:
		return "custom block"
	}
	return fmt.Sprintf("block type 0x%08x", t)
}

// minBlockLen is the smallest total length a block of a known type can have.
func minBlockLen(t uint32) int {
	switch t {
	case blockSHB:
		return 28
	case blockIDB:
		return 20
	case blockPB, blockEPB:
		return 32
	case blockSPB, blockCustom, blockCustomN:
		return 16
	case blockISB:
		return 24
	case blockNRB, blockJournal, blockDSB:
		return 12
	}
	return 0
}

// tsConv converts an interface's timestamps to nanoseconds.
type tsConv struct {
	units  uint64 // timestamp units per second
	mul    uint64 // ns per unit when units divides 1e9, else 0
	offset int64  // if_tsoffset in ns
}

func (c *tsConv) ns(ts uint64) int64 {
	if c.mul != 0 {
		return int64(ts*c.mul) + c.offset
	}
	sec, frac := ts/c.units, ts%c.units
	hi, lo := bits.Mul64(frac, 1e9)
	q, _ := bits.Div64(hi, lo, c.units) // frac < units, so q < 1e9: no overflow
	return int64(sec)*1e9 + int64(q) + c.offset
}

// pcapngReader reads pcapng files, all sections, either byte order.
type pcapngReader struct {
	fileReader          // ifaces: every IDB of every section so far
	conv       []tsConv // parallel to ifaces
	secBase    int      // index in ifaces of the current section's interface 0
	section    int      // current section number, -1 before the first
	skipSec    bool     // current section has an unsupported version: skip to the next SHB
}

func newPcapngReader(s *source, name, suffix string, closer func() error) (*pcapngReader, error) {
	r := &pcapngReader{fileReader: fileReader{s: s, name: name, format: "pcapng" + suffix, closer: closer}, section: -1}
	// The first block must be a usable SHB: anything wrong with it is fatal,
	// as in tshark.
	if !s.fill(12) {
		return nil, r.truncHeader(0)
	}
	if !r.setOrder(s.buf[s.pos+8 : s.pos+12]) {
		return nil, &FormatError{File: name, Offset: 8, Msg: fmt.Sprintf("pcapng section header has byte-order magic 0x%08x instead of 0x1A2B3C4D: not pcapng, or damaged", binary.BigEndian.Uint32(s.buf[s.pos+8:]))}
	}
	blen := int(r.u32(s.buf[s.pos+4:]))
	if msg := r.checkLen(blockSHB, blen); msg != "" {
		return nil, &FormatError{File: name, Offset: 4, Msg: "pcapng section header: " + msg}
	}
	if !s.fill(blen) {
		if err := s.readErr(); err != nil {
			return nil, &FormatError{File: name, Offset: 0, Msg: "reading section header: " + err.Error(), Err: err}
		}
		return nil, &FormatError{File: name, Offset: 0, Msg: fmt.Sprintf("truncated pcapng section header: %d-byte block, but the file ends after %d bytes", blen, s.avail()), Err: io.ErrUnexpectedEOF}
	}
	b := s.buf[s.pos : s.pos+blen]
	if t := r.u32(b[blen-4:]); int(t) != blen {
		return nil, &FormatError{File: name, Offset: int64(blen - 4), Msg: fmt.Sprintf("pcapng section header: trailing length %d differs from the leading length %d: damaged", t, blen)}
	}
	if msg := r.parseSHB(b); msg != "" {
		return nil, &FormatError{File: name, Offset: 0, Msg: msg}
	}
	if r.skipSec {
		return nil, &FormatError{File: name, Offset: 12, Msg: fmt.Sprintf("unsupported pcapng version %d.%d (tshark: \"pcapng: unknown SHB version\"); wirewatch reads 1.0", r.u16(b[12:]), r.u16(b[14:]))}
	}
	s.pos += blen
	return r, nil
}

func (r *pcapngReader) truncHeader(off int64) error {
	if err := r.s.readErr(); err != nil {
		return &FormatError{File: r.name, Offset: off, Msg: "reading section header: " + err.Error(), Err: err}
	}
	return &FormatError{File: r.name, Offset: off, Msg: fmt.Sprintf("truncated pcapng section header: file ends after %d bytes", r.s.avail()), Err: io.ErrUnexpectedEOF}
}

func (r *pcapngReader) setOrder(bom []byte) bool {
	switch {
	case binary.LittleEndian.Uint32(bom) == byteOrderBOM:
		r.be = false
	case binary.BigEndian.Uint32(bom) == byteOrderBOM:
		r.be = true
	default:
		return false
	}
	return true
}

// checkLen says what is wrong with a block length, "" when it is plausible.
func (r *pcapngReader) checkLen(typ uint32, blen int) string {
	switch {
	case blen%4 != 0:
		return fmt.Sprintf("%s length %d is not a multiple of 4", blockName(typ), blen)
	case blen < 12 || blen < minBlockLen(typ):
		return fmt.Sprintf("%s length %d is too small", blockName(typ), blen)
	case blen > MaxRecordSize:
		return fmt.Sprintf("%s length %d exceeds wirewatch's %d MiB block limit", blockName(typ), blen, MaxRecordSize>>20)
	}
	return ""
}

// options walks the options in b, calling f for each until opt_endofopt or
// the end of b. It returns what is wrong when an option overruns the block.
func (r *pcapngReader) options(b []byte, f func(code uint16, val []byte)) string {
	for len(b) >= 4 {
		code, n := r.u16(b), int(r.u16(b[2:]))
		if code == 0 {
			return ""
		}
		padded := (n + 3) &^ 3
		if 4+padded > len(b) {
			if 4+n <= len(b) { // unpadded last option: accept, as Wireshark does
				padded = n
			} else {
				return fmt.Sprintf("option %d of length %d runs past the end of the block (%d bytes left)", code, n, len(b)-4)
			}
		}
		f(code, b[4:4+n])
		b = b[4+padded:]
	}
	return ""
}

// parseSHB handles a section header block (whole block in b); the byte
// order is already set. It returns what is wrong, "" when fine.
func (r *pcapngReader) parseSHB(b []byte) string {
	major, minor := r.u16(b[12:]), r.u16(b[14:])
	r.secBase = len(r.ifaces)
	r.section++
	r.skipSec = !(major == 1 && (minor == 0 || minor == 2))
	if r.skipSec {
		return ""
	}
	if msg := r.options(b[24:len(b)-4], func(uint16, []byte) {}); msg != "" {
		return "pcapng section header: " + msg
	}
	return ""
}

// parseIDB appends the interface described by block b.
func (r *pcapngReader) parseIDB(b []byte) string {
	ifc := Interface{LinkType: LinkType(r.u16(b[8:])), SnapLen: int(r.u32(b[12:])), TSResol: 6, FCSLen: -1,
		Section: r.section, ID: len(r.ifaces) - r.secBase}
	bad := ""
	msg := r.options(b[16:len(b)-4], func(code uint16, v []byte) {
		switch code {
		case 2:
			ifc.Name = cstring(v)
		case 3:
			ifc.Desc = cstring(v)
		case 9:
			if len(v) >= 1 {
				ifc.TSResol = v[0]
			}
		case 13:
			if len(v) >= 1 {
				ifc.FCSLen = int(v[0])
			}
		case 14:
			if len(v) >= 8 {
				ifc.TSOffset = int64(r.u64(v))
			}
		}
	})
	c := tsConv{offset: ifc.TSOffset * 1e9}
	if e := ifc.TSResol & 0x7F; ifc.TSResol&0x80 != 0 && e <= 63 {
		c.units = 1 << e
	} else if ifc.TSResol&0x80 == 0 && e <= 19 {
		c.units = 1
		for range e {
			c.units *= 10
		}
	} else {
		bad = fmt.Sprintf("IDB if_tsresol 0x%02x is out of range; using microseconds", ifc.TSResol)
		c.units = 1e6
	}
	if 1e9%c.units == 0 {
		c.mul = 1e9 / c.units
	}
	r.ifaces = append(r.ifaces, ifc)
	r.conv = append(r.conv, c)
	if msg != "" {
		return "IDB: " + msg
	}
	return bad
}

// comments collects opt_comment values (code 1) from an options area.
func (r *pcapngReader) comments(b []byte) ([]string, string) {
	var cs []string
	msg := r.options(b, func(code uint16, v []byte) {
		if code == 1 {
			cs = append(cs, cstring(v))
		}
	})
	return cs, msg
}

// cstring converts a string option, stopping at a NUL as Wireshark does
// (some writers pad the value with a NUL and junk).
func cstring(v []byte) string {
	if i := bytes.IndexByte(v, 0); i >= 0 {
		v = v[:i]
	}
	return string(v)
}

// skipped reports a block that was skipped; reading goes on after it.
func (r *pcapngReader) skipped(off int64, msg string) (Packet, error) {
	return Packet{}, &FormatError{File: r.name, Offset: off, Msg: msg + "; block skipped", Resumable: true}
}

// Next returns the next packet record; Data aliases the reader's buffer.
func (r *pcapngReader) Next() (Packet, error) {
	if r.done != nil {
		return Packet{}, r.done
	}
	s := r.s
	for {
		off := s.offset()
		if !s.fill(8) {
			if err := s.readErr(); err != nil {
				return r.fail(off, "reading block header: "+err.Error(), err)
			}
			if s.avail() == 0 {
				r.done = io.EOF
				return Packet{}, io.EOF
			}
			return r.fail(off, fmt.Sprintf("truncated block header: file ends after %d of its 8 bytes", s.avail()), io.ErrUnexpectedEOF)
		}
		typ := r.u32(s.buf[s.pos:])
		if typ == blockSHB {
			if !s.fill(12) {
				return r.fail(off, fmt.Sprintf("truncated section header: file ends after %d bytes", s.avail()), io.ErrUnexpectedEOF)
			}
			save := r.be
			if !r.setOrder(s.buf[s.pos+8 : s.pos+12]) {
				r.be = save
				return r.resync(off, "section header with a bad byte-order magic")
			}
		}
		blen := int(r.u32(s.buf[s.pos+4:]))
		if msg := r.checkLen(typ, blen); msg != "" {
			return r.resync(off, msg)
		}
		if !s.fill(blen) {
			if err := s.readErr(); err != nil {
				return r.fail(off, "reading block: "+err.Error(), err)
			}
			return r.resync(off, fmt.Sprintf("%s of length %d, but the file ends after %d of its bytes", blockName(typ), blen, s.avail()))
		}
		b := s.buf[s.pos : s.pos+blen : s.pos+blen]
		if t := int(r.u32(b[blen-4:])); t != blen {
			return r.resync(off, fmt.Sprintf("%s trailing length %d differs from its leading length %d", blockName(typ), t, blen))
		}
		s.pos += blen // b stays valid until the next fill
		if r.skipSec && typ != blockSHB {
			continue
		}
		switch typ {
		case blockSHB:
			if msg := r.parseSHB(b); msg != "" {
				r.skipSec = true
				return r.skipped(off, msg+"; skipping its section")
			}
			if r.skipSec {
				return r.skipped(off, fmt.Sprintf("unsupported pcapng version %d.%d; skipping its section", r.u16(b[12:]), r.u16(b[14:])))
			}
		case blockIDB:
			if msg := r.parseIDB(b); msg != "" {
				return Packet{}, &FormatError{File: r.name, Offset: off, Msg: msg, Resumable: true}
			}
		case blockEPB:
			return r.epb(b, off)
		case blockSPB:
			return r.spb(b, off)
		case blockPB:
			return r.pb(b, off)
		case blockCustom, blockCustomN:
			data := b[12 : blen-4]
			return Packet{Info: Info{CapLen: len(data), Len: len(data), LinkType: LinkCustomBlock, Interface: -1, Offset: off, NoTS: true,
				CustomType: typ, CustomPEN: r.u32(b[8:])}, Data: data}, nil
		}
		// NRB, ISB, DSB, journal and unknown blocks are skipped.
	}
}

// iface maps a section-relative interface id to the global index.
func (r *pcapngReader) iface(id uint32) (int, bool) {
	if uint64(id) >= uint64(len(r.ifaces)-r.secBase) {
		return 0, false
	}
	return r.secBase + int(id), true
}

// epb handles an Enhanced Packet Block.
func (r *pcapngReader) epb(b []byte, off int64) (Packet, error) {
	return r.packetBlock(b, off, r.u32(b[8:]), "EPB")
}

// pb handles the obsolete Packet Block: the EPB layout with a 16-bit
// interface ID (followed by the drops count).
func (r *pcapngReader) pb(b []byte, off int64) (Packet, error) {
	return r.packetBlock(b, off, uint32(r.u16(b[8:])), "packet block")
}

// packetBlock decodes the layout EPB and PB share: timestamp at 12, captured
// and original lengths at 20 and 24, data at 28, then options.
func (r *pcapngReader) packetBlock(b []byte, off int64, rawID uint32, what string) (Packet, error) {
	blen := len(b)
	id, ok := r.iface(rawID)
	if !ok {
		return r.skipped(off, fmt.Sprintf("%s for interface %d, but its section declares %d interfaces", what, rawID, len(r.ifaces)-r.secBase))
	}
	caplen := r.u32(b[20:])
	if int64(caplen) > int64(blen-32) {
		return r.skipped(off, fmt.Sprintf("%s captured length %d exceeds its block (%d bytes of data room)", what, caplen, blen-32))
	}
	end := 28 + int(caplen)
	data := b[28:end:end]
	var cs []string
	if optStart := 28 + (int(caplen)+3)&^3; optStart < blen-4 {
		var msg string
		if cs, msg = r.comments(b[optStart : blen-4]); msg != "" {
			return r.skipped(off, what+": "+msg)
		}
	}
	if lt := r.ifaces[id].LinkType; !lt.Readable() {
		return r.fail(off, unsupported(lt), nil)
	}
	ts := uint64(r.u32(b[12:]))<<32 | uint64(r.u32(b[16:]))
	return Packet{Info: Info{
		TS: r.conv[id].ns(ts), CapLen: int(caplen), Len: int(r.u32(b[24:])), LinkType: r.ifaces[id].LinkType,
		Interface: id, Comments: cs, Offset: off,
	}, Data: data}, nil
}

// spb handles a Simple Packet Block: interface 0 of the section, no
// timestamp, captured length min(original length, IDB 0 snaplen, room).
func (r *pcapngReader) spb(b []byte, off int64) (Packet, error) {
	id, ok := r.iface(0)
	if !ok {
		return r.skipped(off, "SPB in a section without an interface")
	}
	wire := r.u32(b[8:])
	caplen := min(int64(wire), int64(len(b)-16))
	if sl := r.ifaces[id].SnapLen; sl > 0 && caplen > int64(sl) {
		caplen = int64(sl)
	}
	data := b[12 : 12+caplen : 12+caplen]
	return Packet{Info: Info{
		CapLen: int(caplen), Len: int(wire), LinkType: r.ifaces[id].LinkType, Interface: id, Offset: off, NoTS: true,
	}, Data: data}, nil
}

// resync handles a block whose framing is damaged (bad length, bad trailer,
// or running past the end of the file): it scans forward, byte by byte, for
// the next plausible block (known type, sane length, matching trailing
// length) and reports the damage as resumable when one is found. Without
// one, the damage is final.
func (r *pcapngReader) resync(off int64, what string) (Packet, error) {
	s := r.s
	s.pos++ // the damaged block starts at off: look after it
	for {
		if !s.fill(12) {
			if err := s.readErr(); err != nil {
				return r.fail(off, what+"; reading on: "+err.Error(), err)
			}
			s.pos = s.end
			return r.fail(off, what+"; no valid block follows (truncated or damaged file)", io.ErrUnexpectedEOF)
		}
		if r.plausible() {
			next := s.offset()
			return Packet{}, &FormatError{File: r.name, Offset: off, Resumable: true,
				Msg: fmt.Sprintf("damaged block: %s; skipped %d bytes to the next valid block at offset %d", what, next-off, next)}
		}
		s.pos++
	}
}

// plausible says whether a valid block starts at s.pos (12 bytes available);
// for an SHB it also switches the byte order.
func (r *pcapngReader) plausible() bool {
	s := r.s
	h := s.buf[s.pos:]
	typ := r.u32(h)
	be := r.be
	if typ == blockSHB {
		if !r.setOrder(h[8:12]) {
			return false
		}
	} else if minBlockLen(typ) == 0 {
		return false
	}
	blen := int(r.u32(h[4:]))
	if r.checkLen(typ, blen) != "" || !s.fill(blen) {
		r.be = be
		return false
	}
	b := s.buf[s.pos : s.pos+blen]
	ok := int(r.u32(b[blen-4:])) == blen
	switch {
	case !ok:
	case typ == blockEPB:
		_, ok = r.iface(r.u32(b[8:]))
		ok = ok && int64(r.u32(b[20:])) <= int64(blen-32)
	case typ == blockSHB:
		ok = r.u16(b[12:]) == 1
	}
	if !ok {
		r.be = be
	}
	return ok
}
