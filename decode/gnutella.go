package decode

import "encoding/binary"

// Gnutella on TCP port 6346 as Wireshark's packet-gnutella.c reads it: a
// run of descriptors (a 23-byte header: ID, payload type, TTL, hops,
// little-endian payload length; then the payload), desegmented like
// tcp_dissect_pdus, unless the bytes at the start of what TCP hands over
// give a length beyond 4096, in which case the whole of it is an "upload /
// download stream" (the handshake text, file transfers). Hand-written: no
// Go library parses Gnutella descriptors.

// GnutellaPort is the TCP port Wireshark registers Gnutella on.
const GnutellaPort = 6346

// Gnutella descriptor header layout.
const (
	gnutellaHeaderLen = 23
	gnutellaMaxSnap   = 4096
)

// Gnutella payload descriptors.
const (
	GnutellaPing     = 0x00
	GnutellaPong     = 0x01
	GnutellaPush     = 0x40
	GnutellaQuery    = 0x80
	GnutellaQueryHit = 0x81
)

// GnutellaName is Wireshark's name of payload descriptor t.
func GnutellaName(t uint8) string {
	switch t {
	case GnutellaPing:
		return "Ping"
	case GnutellaPong:
		return "Pong"
	case GnutellaPush:
		return "Push"
	case GnutellaQuery:
		return "Query"
	case GnutellaQueryHit:
		return "QueryHit"
	}
	return "Unknown"
}

// gnutellaStream reports whether b, handed over by TCP, is a transfer
// stream rather than descriptors.
func gnutellaStream(b []byte) bool {
	return len(b) >= gnutellaHeaderLen && binary.LittleEndian.Uint32(b[19:]) > gnutellaMaxSnap
}

// gnutellaPDULen is the length of the descriptor starting b (at least a
// header long), its payload length capped at 4096 as Wireshark's.
func gnutellaPDULen(b []byte) int {
	return gnutellaHeaderLen + int(min(binary.LittleEndian.Uint32(b[19:]), gnutellaMaxSnap))
}

// GnutellaIsStream reports whether Gnutella layer b is a transfer stream
// (not one descriptor).
func GnutellaIsStream(b []byte) bool {
	return len(b) < gnutellaHeaderLen || gnutellaPDULen(b) != len(b)
}

// decodeGnutella records the descriptors complete in b (or b as a stream)
// as Gnutella layers and returns how many bytes they take; the rest (a
// descriptor cut off) waits for more segments.
func decodeGnutella(f *Frame, b []byte) int {
	f.setProto(ProtoGnutella)
	if gnutellaStream(b) {
		f.addAppLayer(ProtoGnutella, b)
		return len(b)
	}
	off := 0
	for len(b)-off >= gnutellaHeaderLen {
		n := gnutellaPDULen(b[off:])
		if off+n > len(b) {
			break
		}
		f.addAppLayer(ProtoGnutella, b[off:off+n])
		if !gnutellaPDUOK(b[off : off+n]) {
			f.anomaly(ProtoGnutella, off, "Gnutella descriptor truncated")
		}
		off += n
	}
	if off == 0 {
		f.Present.Del(ProtoGnutella)
	}
	return off
}

// gnutellaPDUOK reports whether descriptor b holds every item Wireshark
// reads from its payload (else its exception marks the frame malformed).
func gnutellaPDUOK(b []byte) bool {
	ok := true
	WalkGnutella(b, func(GnutellaItem, int, int) {}, &ok)
	return ok
}

// GnutellaItem names one item of a descriptor.
type GnutellaItem uint8

// Items of a Gnutella descriptor (field/p2p.go names them).
const (
	GnHeader GnutellaItem = iota
	GnID
	GnPayload
	GnTTL
	GnHops
	GnSize
	GnPong
	GnPongPort
	GnPongIP
	GnPongFiles
	GnPongKBytes
	GnQuery
	GnQueryMinSpeed
	GnQuerySearch
	GnQueryHit
	GnQHCount
	GnQHPort
	GnQHIP
	GnQHSpeed
	GnQHHit
	GnQHHitIndex
	GnQHHitSize
	GnQHHitName
	GnQHHitExtra
	GnQHExtra
	GnQHServentID
	GnPush
	GnPushServentID
	GnPushIndex
	GnPushIP
	GnPushPort
)

// WalkGnutella calls fn with each item of descriptor b (header and
// payload) in Wireshark's tree order, with offset and length. *ok (when not
// nil) is cleared when an item runs past b. It allocates nothing.
func WalkGnutella(b []byte, fn func(it GnutellaItem, off, n int), ok *bool) {
	if len(b) < gnutellaHeaderLen {
		return
	}
	bad := func() {
		if ok != nil {
			*ok = false
		}
	}
	item := func(it GnutellaItem, off, n int) bool {
		if off+n > len(b) {
			bad()
			return false
		}
		fn(it, off, n)
		return true
	}
	size := int(binary.LittleEndian.Uint32(b[19:]))
	fn(GnHeader, 0, gnutellaHeaderLen)
	fn(GnID, 0, 16)
	fn(GnPayload, 16, 1)
	fn(GnTTL, 17, 1)
	fn(GnHops, 18, 1)
	fn(GnSize, 19, 4)
	if size <= 0 || size > len(b)-gnutellaHeaderLen {
		if size > 0 {
			bad()
		}
		return
	}
	const h = gnutellaHeaderLen
	switch b[16] {
	case GnutellaPong:
		fn(GnPong, h, size)
		_ = item(GnPongPort, h, 2) && item(GnPongIP, h+2, 4) && item(GnPongFiles, h+6, 4) && item(GnPongKBytes, h+10, 4)
	case GnutellaPush:
		fn(GnPush, h, size)
		_ = item(GnPushServentID, h, 16) && item(GnPushIndex, h+16, 4) && item(GnPushIP, h+20, 4) && item(GnPushPort, h+24, 2)
	case GnutellaQuery:
		fn(GnQuery, h, size)
		if item(GnQueryMinSpeed, h, 2) && size > 2 {
			item(GnQuerySearch, h+2, size-2)
		}
	case GnutellaQueryHit:
		fn(GnQueryHit, h, size)
		if !(item(GnQHCount, h, 1) && item(GnQHPort, h+1, 2) && item(GnQHIP, h+3, 4) && item(GnQHSpeed, h+7, 4)) {
			return
		}
		count := int(b[h])
		off := h + 11
		for i := 0; i < count; i++ {
			idx := off
			off += 8
			name := off
			for off-h < size && off < len(b) && b[off] != 0 {
				off++
			}
			nameLen := off - name
			off++
			extra := off
			for off-h < size && off < len(b) && b[off] != 0 {
				off++
			}
			extraLen := off - extra
			off++
			if !item(GnQHHit, idx, 8+nameLen+extraLen+2) || !item(GnQHHitIndex, idx, 4) ||
				!item(GnQHHitSize, idx+4, 4) || !item(GnQHHitName, name, nameLen) {
				return
			}
			if extraLen > 0 && !item(GnQHHitExtra, extra, extraLen) {
				return
			}
		}
		sid := off
		if rem := size - (off - h); rem > 16 {
			sid = off + rem - 16
			if !item(GnQHExtra, off, sid-off) {
				return
			}
		}
		item(GnQHServentID, sid, 16)
	}
}

// appendGnutellaInfo writes the Info column: the names of the frame's
// descriptors, run together as Wireshark appends them; nothing for a
// stream.
func (f *Frame) appendGnutellaInfo(dst []byte) []byte {
	for _, l := range f.Layers {
		if l.Proto != ProtoGnutella {
			continue
		}
		if b := f.LayerBytes(l); !GnutellaIsStream(b) {
			dst = append(dst, GnutellaName(b[16])...)
		}
	}
	return dst
}

// gnutellaPDUs: Gnutella's tcp_dissect_pdus (23-byte headers), after the
// stream test dissect_gnutella makes on what TCP hands it.
var gnutellaPDUs = &tcpPDUs{proto: ProtoGnutella, fixed: gnutellaHeaderLen, length: gnutellaPDULen,
	whole: gnutellaStream, decode: decodeGnutella}
