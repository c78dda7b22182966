package decode

import "encoding/binary"

// VPN key exchange and tunnels: ISAKMP/IKE (UDP 500, and 4500 after the
// 4-byte non-ESP marker of RFC 3948's UDP encapsulation) and WireGuard
// (found heuristically on any UDP port, as Wireshark does: a message type
// of 1-4, three zero bytes and the exact length of the type; transport
// data only for a receiver index a handshake announced).

// decodeISAKMP records an ISAKMP message (p after any non-ESP marker); on
// port 4500 a datagram without the marker is ESP (RFC 3948).
func (d *Decoder) decodeISAKMP(f *Frame, p []byte, port uint16) bool {
	if port == 4500 {
		if len(p) >= 8 && be32(p) != 0 {
			off, reasm := f.locate(p)
			src := f.Data
			if reasm {
				src = f.Reassembled
			}
			if off+len(p) > len(src) || &src[off] != &p[0] {
				return false
			}
			f.setProto(ProtoUDPEncap)
			f.addLayer(ProtoUDPEncap, off, 0, reasm)
			d.decodeESP(f, src[:off+len(p)], off, reasm)
			return true
		}
		if len(p) < 4+28 || be32(p) != 0 {
			return false
		}
		f.setProto(ProtoUDPEncap)
		f.addAppLayer(ProtoUDPEncap, p[:4])
		p = p[4:]
	}
	if len(p) < 28 {
		return false
	}
	f.setProto(ProtoISAKMP)
	f.addAppLayer(ProtoISAKMP, p)
	return true
}

var isakmpV1Exchanges = map[uint8]string{0: "NONE", 1: "Base", 2: "Identity Protection (Main Mode)",
	3: "Authentication Only", 4: "Aggressive", 5: "Informational", 6: "Transaction (Config Mode)",
	32: "Quick Mode", 33: "New Group Mode"}

var isakmpV2Exchanges = map[uint8]string{34: "IKE_SA_INIT", 35: "IKE_AUTH", 36: "CREATE_CHILD_SA",
	37: "INFORMATIONAL", 38: "IKE_SESSION_RESUME", 43: "IKE_INTERMEDIATE", 44: "IKE_FOLLOWUP_KE"}

// appendISAKMPInfo writes Wireshark's Info text: "Identity Protection (Main
// Mode)" (IKEv1), "IKE_SA_INIT MID=00 Initiator Request" (IKEv2).
func appendISAKMPInfo(dst []byte, b []byte) []byte {
	if len(b) < 28 {
		return dst
	}
	typ, flags := b[18], b[19]
	if b[17]>>4 < 2 {
		if s, ok := isakmpV1Exchanges[typ]; ok {
			return append(dst, s...)
		}
		dst = append(dst, "Unknown ("...)
		dst = appendUint(dst, uint64(typ))
		return append(dst, ')')
	}
	if s, ok := isakmpV2Exchanges[typ]; ok {
		dst = append(dst, s...)
	} else {
		dst = append(dst, "Unknown ("...)
		dst = appendUint(dst, uint64(typ))
		dst = append(dst, ')')
	}
	dst = append(dst, " MID="...)
	if mid := be32(b[20:]); mid < 10 {
		dst = append(dst, '0')
	}
	dst = appendUint(dst, uint64(be32(b[20:])))
	if flags&0x08 != 0 {
		dst = append(dst, " Initiator"...)
	} else {
		dst = append(dst, " Responder"...)
	}
	if flags&0x20 != 0 {
		return append(dst, " Response"...)
	}
	return append(dst, " Request"...)
}

// wgLenOK reports whether n is the length of a WireGuard message of type t.
func wgLenOK(t uint8, n int) bool {
	switch t {
	case 1:
		return n == 148
	case 2:
		return n == 92
	case 3:
		return n == 64
	case 4:
		return n >= 32 && n%16 == 0
	}
	return false
}

// wgTable remembers the sender indexes of the handshakes seen (a ring).
type wgTable struct {
	idx  [64]uint32
	next int
	n    int
}

func (t *wgTable) add(i uint32) {
	t.idx[t.next] = i
	t.next = (t.next + 1) % len(t.idx)
	if t.n < len(t.idx) {
		t.n++
	}
}

func (t *wgTable) has(i uint32) bool {
	for _, x := range t.idx[:t.n] {
		if x == i {
			return true
		}
	}
	return false
}

// decodeWG records p as a WireGuard message when it is one (heuristic).
func (d *Decoder) decodeWG(f *Frame, p []byte) bool {
	if len(p) < 16 || p[1] != 0 || p[2] != 0 || p[3] != 0 || !wgLenOK(p[0], len(p)) {
		return false
	}
	t := &d.routing.wg
	switch p[0] {
	case 1, 2:
		t.add(binary.LittleEndian.Uint32(p[4:]))
	case 4:
		if !t.has(binary.LittleEndian.Uint32(p[4:])) {
			return false
		}
	}
	f.setProto(ProtoWG)
	f.addAppLayer(ProtoWG, p)
	return true
}

// appendWGInfo writes Wireshark's Info text: "Handshake Initiation,
// sender=0x30D037D8", "Transport Data, receiver=0xAB7DF406, counter=0,
// datalen=96", "Keepalive, receiver=…, counter=0", "Cookie Reply, receiver=…".
func appendWGInfo(dst []byte, b []byte) []byte {
	le := binary.LittleEndian
	hex := func(dst []byte, v uint32) []byte {
		const hx = "0123456789ABCDEF"
		dst = append(dst, '0', 'x')
		for i := 7; i >= 0; i-- {
			dst = append(dst, hx[v>>(4*uint(i))&0xf])
		}
		return dst
	}
	switch b[0] {
	case 1:
		dst = append(dst, "Handshake Initiation, sender="...)
		return hex(dst, le.Uint32(b[4:]))
	case 2:
		dst = append(dst, "Handshake Response, sender="...)
		dst = hex(dst, le.Uint32(b[4:]))
		dst = append(dst, ", receiver="...)
		return hex(dst, le.Uint32(b[8:]))
	case 3:
		dst = append(dst, "Cookie Reply, receiver="...)
		return hex(dst, le.Uint32(b[4:]))
	}
	n := len(b) - 32
	if n == 0 {
		dst = append(dst, "Keepalive, receiver="...)
	} else {
		dst = append(dst, "Transport Data, receiver="...)
	}
	dst = hex(dst, le.Uint32(b[4:]))
	dst = append(dst, ", counter="...)
	dst = appendUint(dst, le.Uint64(b[8:]))
	if n > 0 {
		dst = append(dst, ", datalen="...)
		dst = appendUint(dst, uint64(n))
	}
	return dst
}
