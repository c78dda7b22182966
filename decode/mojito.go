package decode

import "encoding/binary"

// Mojito, LimeWire's Kademlia DHT over UDP, as Wireshark's heuristic
// dissector (packet-mojito.c) reads it: a 61-byte "Gnutella header" (message
// ID, the 0x44 DHT marker, version, little-endian payload length, opcode,
// originating contact, instance ID, flags, extended length) and an
// opcode-specific body. Hand-written: no Go library parses Mojito.

// Mojito opcodes.
const (
	MojitoPingRequest       = 1
	MojitoPingResponse      = 2
	MojitoStoreRequest      = 3
	MojitoStoreResponse     = 4
	MojitoFindNodeRequest   = 5
	MojitoFindNodeResponse  = 6
	MojitoFindValueRequest  = 7
	MojitoFindValueResponse = 8
)

// mojitoHeaderLen is MOJITO_HEADER_LENGTH: the header bytes after the
// payload length field (payload length = 38 + opcode data).
const mojitoHeaderLen = 38

var mojitoOpNames = [...]string{"", "PING REQUEST", "PING RESPONSE", "STORE REQUEST", "STORE RESPONSE",
	"FIND NODE REQUEST", "FIND NODE RESPONSE", "FIND VALUE REQUEST", "FIND VALUE RESPONSE",
	"STATS REQUEST (DEPRECATED)", "STATS RESPONSE (DEPRECATED)"}

// MojitoOpName is Wireshark's name of opcode op ("Unknown" when it has none).
func MojitoOpName(op uint8) string {
	if op > 0 && int(op) < len(mojitoOpNames) {
		return mojitoOpNames[op]
	}
	return "Unknown"
}

// MojitoLooks is Wireshark's heuristic: at least 60 bytes, the DHT marker
// 68 at offset 16 and the payload length at 19 (little-endian) equal to the
// datagram's reported length less 23.
func MojitoLooks(p []byte, reported int) bool {
	return len(p) >= 60 && p[16] == 68 && int64(binary.LittleEndian.Uint32(p[19:]))+23 == int64(reported)
}

// decodeMojito records p as a Mojito message when the heuristic accepts it.
func decodeMojito(f *Frame, p []byte, reported int) bool {
	if !MojitoLooks(p, reported) {
		return false
	}
	f.setProto(ProtoMojito)
	f.addAppLayer(ProtoMojito, p)
	if !WalkMojito(p, nil) {
		f.anomaly(ProtoMojito, 0, "Mojito message truncated")
	}
	return true
}

// MojitoItem names one item WalkMojito finds.
type MojitoItem uint8

// Items of a Mojito message (their Wireshark field names in field/p2p.go).
const (
	MjMessageID MojitoItem = iota
	MjFDHT
	MjMajor // mojito.majorversion (every version's major byte)
	MjMinor
	MjPayloadLen
	MjOpcode
	MjVendor
	MjKUID // mojito.kuid (originator, target, value and secondary KUIDs)
	MjSockVersion
	MjSockIPv4
	MjSockIPv6
	MjSockPort
	MjInstanceID
	MjFlags
	MjExtLength
	MjSecTokenLen
	MjSecToken
	MjDHTValueCount
	MjContactCount
	MjContactVendor
	MjContactVersion
	MjContactKUID
	MjValueValueType // mojito.dhtvaluevaluetype
	MjValueVersion
	MjValueLength
	MjValue // mojito.dhtvaluehexvalue (an ASCII string)
	MjBigIntLen
	MjBigIntVal
	MjBigIntHex
	MjStatusCount
	MjStatusKUID
	MjStatusSecondaryKUID
	MjStatusCode
	MjKUIDCount
	MjValueType // mojito.dhtvaluetype
	MjRequestLoad
	MjOpcodeData
	MjSockUnknown       // expert: unsupported socket address type (no bytes)
	MjBigIntUnsupported // expert: unsupported BigInt length (no bytes)
	// Subtree starts (no field): a contact of a FIND NODE response, a DHT
	// value, a status code; n is the item's index (from 1).
	MjContactStart
	MjValueStart
	MjStatusStart
	NumMojitoItems
)

// MojitoStringItem reports whether item it is an ASCII string field.
func MojitoStringItem(it MojitoItem) bool {
	switch it {
	case MjVendor, MjContactVendor, MjValueValueType, MjValue, MjValueType:
		return true
	}
	return false
}

// mojitoWalker walks a message, calling fn for each item that fits.
type mojitoWalker struct {
	b   []byte
	off int
	fn  func(it MojitoItem, off, n int)
	ok  bool
}

// item reports n bytes at the current offset as it and advances; false
// (and the walk ends malformed) when they run past the message, as
// Wireshark's exception ends the dissection.
func (w *mojitoWalker) item(it MojitoItem, n int) bool {
	if !w.ok {
		return false
	}
	if n < 0 || w.off+n > len(w.b) {
		w.ok = false
		return false
	}
	if w.fn != nil {
		w.fn(it, w.off, n)
	}
	w.off += n
	return true
}

// peek returns the byte at the current offset, marking the walk malformed
// when there is none.
func (w *mojitoWalker) peek() (uint8, bool) {
	if !w.ok || w.off >= len(w.b) {
		w.ok = false
		return 0, false
	}
	return w.b[w.off], true
}

// mark reports an item of no bytes (a subtree start or an expert).
func (w *mojitoWalker) mark(it MojitoItem, n int) {
	if w.ok && w.fn != nil {
		w.fn(it, w.off, n)
	}
}

// WalkMojito calls fn (when not nil) with every item of Mojito message b in
// Wireshark's tree order, with its offset and length (a subtree start's n is
// its index). It returns false when the message ends before an item
// (Wireshark's [Malformed Packet]). It allocates nothing.
func WalkMojito(b []byte, fn func(it MojitoItem, off, n int)) bool {
	w := mojitoWalker{b: b, fn: fn, ok: true}
	if len(b) < 24 {
		return false
	}
	w.item(MjMessageID, 16)
	w.item(MjFDHT, 1)
	w.item(MjMajor, 1)
	w.item(MjMinor, 1)
	plen := binary.LittleEndian.Uint32(b[19:])
	w.item(MjPayloadLen, 4)
	op := b[23]
	w.item(MjOpcode, 1)
	w.item(MjVendor, 4)
	w.item(MjMajor, 1)
	w.item(MjMinor, 1)
	w.item(MjKUID, 20)
	v, ok := w.peek()
	if !ok {
		return false
	}
	switch v {
	case 4:
		w.item(MjSockVersion, 1)
		w.item(MjSockIPv4, 4)
	case 16:
		w.item(MjSockVersion, 1)
		w.item(MjSockIPv6, 16)
	default:
		return w.ok // Wireshark stops here without a word
	}
	w.item(MjSockPort, 2)
	w.item(MjInstanceID, 1)
	w.item(MjFlags, 1)
	w.item(MjExtLength, 2)
	if !w.ok {
		return false
	}
	switch op {
	case MojitoPingResponse:
		w.pingResponse()
	case MojitoStoreRequest:
		w.item(MjSecTokenLen, 1)
		if n, ok := w.byteAt(-1); ok {
			w.item(MjSecToken, n)
		}
		w.item(MjDHTValueCount, 1)
		if n, ok := w.byteAt(-1); ok {
			w.values(n)
		}
	case MojitoStoreResponse:
		w.storeResponse()
	case MojitoFindNodeRequest:
		w.item(MjKUID, 20)
	case MojitoFindNodeResponse:
		w.item(MjSecTokenLen, 1)
		if n, ok := w.byteAt(-1); ok {
			w.item(MjSecToken, n)
		}
		w.item(MjContactCount, 1)
		if n, ok := w.byteAt(-1); ok {
			for i := 1; i <= n && w.ok; i++ {
				w.mark(MjContactStart, i)
				if !w.contact() {
					break
				}
			}
		}
	case MojitoFindValueRequest:
		w.item(MjKUID, 20)
		w.kuids()
		w.item(MjValueType, 4)
	case MojitoFindValueResponse:
		w.item(MjRequestLoad, 4)
		w.item(MjDHTValueCount, 1)
		if n, ok := w.byteAt(-1); ok && w.values(n) {
			w.kuids()
		}
	default:
		if n := int64(plen) - mojitoHeaderLen; n > 0 {
			if n > int64(len(b)) {
				return false
			}
			w.item(MjOpcodeData, int(n))
		}
	}
	return w.ok
}

// byteAt returns the byte at the current offset plus rel (after an item
// was read: rel -1 is that item's byte).
func (w *mojitoWalker) byteAt(rel int) (int, bool) {
	if !w.ok || w.off+rel < 0 || w.off+rel >= len(w.b) {
		return 0, false
	}
	return int(w.b[w.off+rel]), true
}

// sockAddr reads a contact's socket address; false after the unsupported
// address type Wireshark flags (and stops at).
func (w *mojitoWalker) sockAddr() bool {
	v, ok := w.peek()
	if !ok {
		return false
	}
	switch v {
	case 4:
		w.item(MjSockVersion, 1)
		w.item(MjSockIPv4, 4)
	case 16:
		w.item(MjSockVersion, 1)
		w.item(MjSockIPv6, 16)
	default:
		w.mark(MjSockUnknown, 0)
		return false
	}
	return w.item(MjSockPort, 2)
}

// contact reads one contact (vendor, version, KUID, socket address).
func (w *mojitoWalker) contact() bool {
	w.item(MjContactVendor, 4)
	if w.ok && w.off+2 <= len(w.b) {
		w.mark(MjContactVersion, 2)
	}
	w.item(MjMajor, 1)
	w.item(MjMinor, 1)
	w.item(MjContactKUID, 20)
	return w.ok && w.sockAddr()
}

// values reads n DHT values; false when one ended the walk.
func (w *mojitoWalker) values(n int) bool {
	for i := 1; i <= n; i++ {
		w.mark(MjValueStart, i)
		if !w.contact() {
			return false
		}
		w.item(MjKUID, 20)
		w.item(MjValueValueType, 4)
		if w.ok && w.off+2 <= len(w.b) {
			w.mark(MjValueVersion, 2)
		}
		w.item(MjMajor, 1)
		w.item(MjMinor, 1)
		if !w.item(MjValueLength, 2) {
			return false
		}
		vl := int(binary.BigEndian.Uint16(w.b[w.off-2:]))
		if !w.item(MjValue, vl) {
			return false
		}
	}
	return w.ok
}

// kuids reads a secondary KUID count and the KUIDs.
func (w *mojitoWalker) kuids() {
	if !w.item(MjKUIDCount, 1) {
		return
	}
	n := int(w.b[w.off-1])
	for i := 0; i < n && w.ok; i++ {
		w.item(MjKUID, 20)
	}
}

// pingResponse reads the requester's external address and the estimated
// DHT size (a BigInteger of 1 to 4 bytes).
func (w *mojitoWalker) pingResponse() {
	v, ok := w.peek()
	if !ok {
		return
	}
	switch v {
	case 4:
		w.item(MjSockVersion, 1)
		w.item(MjSockIPv4, 4)
	case 16:
		w.item(MjSockVersion, 1)
		w.item(MjSockIPv6, 16)
	default:
		w.mark(MjSockUnknown, 0)
		return
	}
	w.item(MjSockPort, 2)
	if !w.item(MjBigIntLen, 1) {
		return
	}
	n := int(w.b[w.off-1])
	if n < 1 || n > 4 {
		w.mark(MjBigIntUnsupported, 0)
		return
	}
	if w.off+n > len(w.b) {
		w.ok = false
		return
	}
	w.mark(MjBigIntVal, n)
	w.item(MjBigIntHex, n)
}

// storeResponse reads the status codes of a STORE RESPONSE.
func (w *mojitoWalker) storeResponse() {
	if !w.item(MjStatusCount, 1) {
		return
	}
	n := int(w.b[w.off-1])
	for i := 1; i <= n && w.ok; i++ {
		w.mark(MjStatusStart, i)
		w.item(MjStatusKUID, 20)
		if len(w.b)-(w.off+3) > 0 {
			w.item(MjStatusSecondaryKUID, 20)
		}
		w.item(MjStatusCode, 2)
		if !w.item(MjValueLength, 2) {
			return
		}
		vl := int(binary.BigEndian.Uint16(w.b[w.off-2:]))
		w.item(MjValue, vl)
	}
}

// MojitoStray reports whether ASCII string s has characters after a NUL
// (Wireshark's "Trailing stray characters" warning).
func MojitoStray(s []byte) bool {
	for i, c := range s {
		if c == 0 {
			for _, d := range s[i+1:] {
				if d != 0 {
					return true
				}
			}
			return false
		}
	}
	return false
}

// appendMojitoInfo writes the Info column: the opcode's name.
func appendMojitoInfo(dst []byte, b []byte) []byte {
	if len(b) < 24 {
		return dst
	}
	return append(dst, MojitoOpName(b[23])...)
}
