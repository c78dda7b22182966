package decode

import "encoding/binary"

// Google QUIC (gQUIC, versions Q02x-Q04x) as Wireshark recognises it: a UDP
// datagram whose public flags announce a version that starts with "Q02",
// "Q03" or "Q04" marks its conversation as gQUIC, and every later datagram
// of that conversation, either way, is gQUIC. Only the public header is
// decoded (flags, connection ID, version, packet number) and whether the
// payload is a cleartext handshake message (CHLO, SHLO, REJ) for the Info
// column. Hand-written: no maintained Go library parses gQUIC.

// GQUIC is a gQUIC packet's public header.
type GQUIC struct {
	Flags   uint8
	CID     uint64
	HasCID  bool
	Version uint16 // Qnnn as a number (25 for Q025); 0 unknown
	HasVer  bool
	PKN     uint64
	PKNLen  int
	HdrLen  int    // bytes of the public header
	Tag     uint32 // the cleartext handshake message's tag, 0 encrypted
	LE      bool   // little-endian connection ID and packet number (before Q039)
	Conv    uint16 // the conversation's version (for the cleartext layout)
}

const (
	gquicConns = 16
	gquicCHLO  = 0x43484c4f
	gquicSHLO  = 0x53484c4f
	gquicREJ   = 0x52454a00
)

type gquicConn struct {
	slot[[2]uint64]
	version uint16
}

type gquicTable struct{ conns []gquicConn }

func (t *gquicTable) get(f *Frame, create bool) *gquicConn {
	if t.conns == nil {
		if !create {
			return nil
		}
		t.conns = make([]gquicConn, gquicConns)
	}
	a, b := udpEndHash(f, true), udpEndHash(f, false)
	k := [2]uint64{min(a, b), max(a, b)}
	c, ok := lookupSlot[[2]uint64, gquicConn](t.conns, k, f.Number)
	if !ok {
		if !create {
			return nil
		}
		*c = gquicConn{slot: newSlot(k, f.Number)}
	}
	return c
}

// gquicVersion reads a "Q0nn" version at b[0:4]; ok false when it is not one.
func gquicVersion(b []byte) (uint16, bool) {
	if len(b) < 4 || b[0] != 'Q' || b[1] != '0' || b[2] < '2' || b[2] > '4' || b[3] < '0' || b[3] > '9' {
		return 0, false
	}
	return uint16(b[2]-'0')*10 + uint16(b[3]-'0'), true
}

// gquicLooks is Wireshark's gQUIC heuristic: at least 14 bytes, the
// version flag set, the reserved bit clear and a Q02x/Q03x/Q04x version.
func gquicLooks(p []byte) bool {
	if len(p) < 14 || p[0]&0x01 == 0 || p[0]&0x80 != 0 {
		return false
	}
	off := 1
	if p[0]&0x08 != 0 {
		off += 8
	}
	_, ok := gquicVersion(p[off:])
	return ok && p[off+2] >= '2'
}

// decodeGQUIC decodes p as gQUIC when it starts a gQUIC conversation or
// belongs to one.
func (d *Decoder) decodeGQUIC(f *Frame, p []byte) bool {
	if d.opts.SkipApp&AppOther != 0 || len(p) == 0 {
		return false
	}
	c := d.gquic.get(f, false)
	if c == nil {
		if !gquicLooks(p) {
			return false
		}
		c = d.gquic.get(f, true)
	}
	g := &f.GQUIC
	*g = GQUIC{Flags: p[0]}
	off := 1
	cidOff := -1
	if p[0]&0x08 != 0 && off+8 <= len(p) {
		cidOff, g.HasCID = off, true
		off += 8
	}
	if p[0]&0x01 != 0 {
		if v, ok := gquicVersion(p[off:]); ok {
			g.Version, g.HasVer = v, true
			c.version = v
		}
		off += 4
	}
	// Before Q039 the connection ID and packet number are little-endian.
	le := c.version < 39
	g.LE = le
	if cidOff >= 0 {
		if le {
			g.CID = binary.LittleEndian.Uint64(p[cidOff:])
		} else {
			g.CID = binary.BigEndian.Uint64(p[cidOff:])
		}
	}
	g.PKNLen = [4]int{1, 2, 4, 6}[p[0]>>4&3]
	if off+g.PKNLen <= len(p) {
		for i := range g.PKNLen {
			x := p[off+i]
			if le {
				x = p[off+g.PKNLen-1-i]
			}
			g.PKN = g.PKN<<8 | uint64(x)
		}
	}
	off += g.PKNLen
	g.HdrLen = min(off, len(p))
	g.Conv = c.version
	if c.version != 0 {
		g.Tag = gquicCleartextTag(p[g.HdrLen:], c.version)
	}
	f.Present.Add(ProtoGQUIC)
	f.addAppLayer(ProtoGQUIC, p)
	return true
}

// gquicCleartextTag returns the handshake message tag of a cleartext
// packet whose first frame is a STREAM frame (after the message
// authentication hash and, before Q034, the private flags); 0 otherwise.
func gquicCleartextTag(b []byte, version uint16) uint32 {
	off := 0
	if version < 37 {
		off += 12
	}
	if version < 34 {
		off++
	}
	if off >= len(b) || b[off]&0x80 == 0 {
		return 0
	}
	ft := b[off]
	off++
	off += int(ft&0x03) + 1 // stream ID
	if o := int(ft >> 2 & 0x07); o > 0 {
		off += o + 1 // offset
	}
	if ft&0x20 != 0 {
		off += 2 // data length
	}
	if off+4 > len(b) {
		return 0
	}
	switch t := binary.BigEndian.Uint32(b[off:]); t {
	case gquicCHLO, gquicSHLO, gquicREJ:
		return t
	}
	return 0
}

// GQUICTagName is the Info text of a handshake message tag.
func GQUICTagName(t uint32) string {
	switch t {
	case gquicCHLO:
		return "Client Hello"
	case gquicSHLO:
		return "Server Hello"
	case gquicREJ:
		return "Rejection"
	}
	return "Payload (Encrypted)"
}

func appendGQUICInfo(dst []byte, g *GQUIC) []byte {
	dst = append(dst, GQUICTagName(g.Tag)...)
	dst = append(dst, ", PKN: "...)
	dst = appendUint(dst, g.PKN)
	if g.HasCID {
		dst = append(dst, ", CID: "...)
		dst = appendUint(dst, g.CID)
	}
	return dst
}
