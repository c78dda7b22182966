package decode

import (
	"bytes"
	"net/netip"
	"strconv"
)

// STUN (RFC 5389/8489) and TURN (RFC 8656) over UDP: port 3478, and by
// Wireshark's enabled heuristic a message with the magic cookie whose
// length fills the datagram. A TURN method seen by the heuristic marks the
// 5-tuple as STUN, so its later ChannelData messages (which the heuristic
// never accepts) are STUN too. On port 3478 a message without the cookie
// is RFC 3489 "classic" STUN when its type is one classic STUN knows.

// STUNCookie is the RFC 5389 magic cookie.
const STUNCookie = 0x2112a442

// STUNHeaderLen is the length of the STUN message header.
const STUNHeaderLen = 20

// stunConvKey is a UDP 5-tuple in a canonical order.
type stunConvKey struct {
	a, b   netip.Addr
	ap, bp uint16
}

func stunKey(src, dst netip.Addr, sport, dport uint16) stunConvKey {
	if c := src.Compare(dst); c > 0 || c == 0 && sport > dport {
		src, dst, sport, dport = dst, src, dport, sport
	}
	return stunConvKey{src, dst, sport, dport}
}

// STUNMethod and STUNClass split a STUN message type.
func STUNMethod(t uint16) uint16 { return t&0x000f | t&0x00e0>>1 | t&0x3e00>>2 }

// STUNClass returns the class bits of message type t (0 request, 1
// indication, 2 success response, 3 error response).
func STUNClass(t uint16) uint8 { return uint8(t&0x0010>>4 | t&0x0100>>7) }

var stunClasses = [4]string{"Request", "Indication", "Success Response", "Error Response"}

// STUNMethodName returns Wireshark's name of STUN method m.
func STUNMethodName(m uint16) string {
	switch m {
	case 0x001:
		return "Binding"
	case 0x002:
		return "SharedSecret"
	case 0x003:
		return "Allocate"
	case 0x004:
		return "Refresh"
	case 0x006:
		return "Send"
	case 0x007:
		return "Data"
	case 0x008:
		return "CreatePermission"
	case 0x009:
		return "Channel-Bind"
	case 0x00a:
		return "Connect"
	case 0x00b:
		return "ConnectionBind"
	case 0x00c:
		return "ConnectionAttempt"
	case 0x080:
		return "GOOG-PING"
	}
	return "Unknown"
}

func stunTURNMethod(m uint16) bool {
	switch m {
	case 0x003, 0x004, 0x006, 0x007, 0x008, 0x009, 0x00a, 0x00b, 0x00c:
		return true
	}
	return false
}

// classicSTUNTypes are RFC 3489 message types (classicstun.type).
func classicSTUNTypeName(t uint16) string {
	switch t {
	case 0x0001:
		return "Binding Request"
	case 0x0101:
		return "Binding Response"
	case 0x0111:
		return "Binding Error Response"
	case 0x0002:
		return "Shared Secret Request"
	case 0x0102:
		return "Shared Secret Response"
	case 0x1112:
		return "Shared Secret Error Response"
	case 0x0003:
		return "Allocate Request"
	case 0x0103:
		return "Allocate Response"
	case 0x0113:
		return "Allocate Error Response"
	case 0x0004:
		return "Send Request"
	case 0x0104:
		return "Send Response"
	case 0x0114:
		return "Send Error Response"
	case 0x0115:
		return "Data Indication"
	case 0x0006:
		return "Set Active Destination Request"
	case 0x0106:
		return "Set Active Destination Response"
	case 0x0116:
		return "Set Active Destination Error Response"
	}
	return ""
}

// maxSTUNConvs bounds the TURN 5-tuples remembered.
const maxSTUNConvs = 1 << 12

// decodeSTUN records p as STUN when it is one: port (the registered port
// 3478) allows ChannelData and classic STUN, the heuristic does not.
func (d *Decoder) decodeSTUN(f *Frame, p []byte, port bool) bool {
	if len(p) < 4 {
		return false
	}
	src, dst, ok := udpAddrs(f)
	var k stunConvKey
	if ok {
		k = stunKey(src, dst, f.UDP.SrcPort, f.UDP.DstPort)
		if !port && d.voip.stun[k] {
			port = true
		}
	}
	t, n := be16(p), int(be16(p[2:]))
	if t&0xc000 != 0 { // TURN ChannelData
		if !port || t == 0xffff || len(p) != n+4 && len(p) != (n+4+3)&^3 {
			return false
		}
		f.voipLayer(ProtoSTUN, p)
		if len(p) > 4 {
			f.data(f.appOff(p)+4, len(p)-4, f.Layers[len(f.Layers)-1].Reasm)
		}
		return true
	}
	if len(p) < STUNHeaderLen || len(p) != n+STUNHeaderLen {
		return false
	}
	if be32(p[4:]) != STUNCookie {
		if !port || classicSTUNTypeName(t) == "" {
			return false
		}
		f.voipLayer(ProtoClassicSTUN, p)
		return true
	}
	f.voipLayer(ProtoSTUN, p)
	if ok && !port && stunTURNMethod(STUNMethod(t)) && len(d.voip.stun) < maxSTUNConvs {
		if d.voip.stun == nil {
			d.voip.stun = make(map[stunConvKey]bool)
		}
		d.voip.stun[k] = true
	}
	// a DATA attribute's value is "data"
	EachSTUNAttr(p, func(at uint16, v []byte) {
		if at == 0x0013 && len(v) > 0 {
			f.data(f.appOff(v), len(v), f.Layers[len(f.Layers)-1].Reasm)
		}
	})
	return true
}

// EachSTUNAttr calls fn with the type and value of each attribute of STUN
// message m (attributes past the message end are left out).
func EachSTUNAttr(m []byte, fn func(t uint16, v []byte)) {
	end := STUNHeaderLen + int(be16(m[2:]))
	if end > len(m) {
		end = len(m)
	}
	for off := STUNHeaderLen; off+4 <= end; {
		t, n := be16(m[off:]), int(be16(m[off+2:]))
		if off+4+n > end {
			return
		}
		fn(t, m[off+4:off+4+n])
		off += 4 + (n+3)&^3
	}
}

// STUNAttrName returns Wireshark's name of the STUN attributes the Info
// column shows.
func STUNAttrName(t uint16) string {
	switch t {
	case 0x0001:
		return "MAPPED-ADDRESS"
	case 0x0012:
		return "XOR-PEER-ADDRESS"
	case 0x0016:
		return "XOR-RELAYED-ADDRESS"
	case 0x0020:
		return "XOR-MAPPED-ADDRESS"
	case 0x0027:
		return "XOR-RESPONSE-TARGET"
	case 0x0028:
		return "XOR-REFLECTED-FROM"
	case 0x8020:
		return "MS-XOR-MAPPED-ADDRESS"
	case 0x8023:
		return "ALTERNATE-SERVER"
	case 0x802b:
		return "RESPONSE-ORIGIN"
	case 0x802c:
		return "OTHER-ADDRESS"
	}
	return ""
}

// STUNErrorName returns Wireshark's name of STUN error code c.
func STUNErrorName(c int) string {
	switch c {
	case 300:
		return "Try Alternate"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthenticated"
	case 403:
		return "Forbidden"
	case 405:
		return "Mobility Forbidden"
	case 420:
		return "Unknown Attribute"
	case 437:
		return "Allocation Mismatch"
	case 438:
		return "Stale Nonce"
	case 440:
		return "Address Family not Supported"
	case 441:
		return "Wrong Credentials"
	case 442:
		return "Unsupported Transport Protocol"
	case 443:
		return "Peer Address Family Mismatch"
	case 446:
		return "Connection Already Exists"
	case 447:
		return "Connection Timeout or Failure"
	case 486:
		return "Allocation Quota Reached"
	case 487:
		return "Role Conflict"
	case 500:
		return "Server Error"
	case 508:
		return "Insufficient Capacity"
	}
	return "*Unknown error code*"
}

// appendSTUNInfo writes Wireshark's Info text of STUN message b.
func appendSTUNInfo(dst []byte, p Proto, b []byte) []byte {
	if len(b) < 4 {
		return dst
	}
	t := be16(b)
	if p == ProtoClassicSTUN {
		return append(append(dst, "Message: "...), classicSTUNTypeName(t)...)
	}
	if t&0xc000 != 0 {
		return append(dst, "ChannelData TURN Message"...)
	}
	dst = append(dst, STUNMethodName(STUNMethod(t))...)
	dst = append(dst, ' ')
	dst = append(dst, stunClasses[STUNClass(t)]...)
	if len(b) < STUNHeaderLen {
		return dst
	}
	EachSTUNAttr(b, func(at uint16, v []byte) {
		switch at {
		case 0x0001, 0x8023, 0x802b, 0x802c: // plain addresses
			if a, port, ok := stunAddr(v, b, false); ok {
				dst = appendSTUNAddr(dst, at, a, port)
			}
		case 0x0012, 0x0016, 0x0020, 0x0027, 0x0028, 0x8020: // XOR'd addresses
			if a, port, ok := stunAddr(v, b, true); ok {
				dst = appendSTUNAddr(dst, at, a, port)
			}
		case 0x0006:
			dst = append(dst, " user: "...)
			if i := bytes.IndexByte(v, 0); i >= 0 {
				v = v[:i] // Wireshark formats the name as a C string
			}
			dst = append(dst, v...)
		case 0x0009:
			if len(v) >= 4 {
				c := int(v[2]&7)*100 + int(v[3])
				dst = append(dst, " error-code: "...)
				dst = strconv.AppendInt(dst, int64(c), 10)
				dst = append(dst, " ("...)
				dst = append(dst, STUNErrorName(c)...)
				dst = append(dst, ')')
				if len(v) > 4 {
					dst = append(dst, ' ')
					dst = append(dst, v[4:]...)
				}
			}
		case 0x0014:
			dst = append(dst, " realm: "...)
			dst = append(dst, v...)
		case 0x0015:
			dst = append(dst, " with nonce"...)
		case 0x0019:
			if len(v) >= 4 {
				dst = append(dst, ' ')
				switch v[0] {
				case 17:
					dst = append(dst, "UDP"...)
				case 6:
					dst = append(dst, "TCP"...)
				default:
					dst = append(dst, "Unknown"...)
				}
			}
		case 0x000c:
			if len(v) >= 4 {
				dst = append(dst, " ChannelNumber=0x"...)
				dst = strconv.AppendUint(dst, uint64(be16(v)), 16)
			}
		case 0x0010:
			if len(v) >= 4 {
				dst = append(dst, " bandwidth: "...)
				dst = strconv.AppendInt(dst, int64(int32(be32(v))), 10)
			}
		case 0x000d:
			if len(v) >= 4 {
				dst = append(dst, " lifetime: "...)
				dst = strconv.AppendInt(dst, int64(int32(be32(v))), 10)
			}
		}
	})
	return dst
}

// stunAddr reads an address attribute value v of message m (xor: XOR'd
// with the cookie and, for IPv6, the transaction ID).
func stunAddr(v, m []byte, xor bool) (netip.Addr, uint16, bool) {
	if len(v) < 8 {
		return netip.Addr{}, 0, false
	}
	port := be16(v[2:])
	var key [16]byte
	if xor {
		copy(key[:], m[4:20])
		port ^= be16(m[4:])
	}
	switch v[1] {
	case 1:
		var a [4]byte
		for i := range a {
			a[i] = v[4+i] ^ key[i]
		}
		return netip.AddrFrom4(a), port, true
	case 2:
		if len(v) < 20 {
			return netip.Addr{}, 0, false
		}
		var a [16]byte
		for i := range a {
			a[i] = v[4+i] ^ key[i]
		}
		return netip.AddrFrom16(a), port, true
	}
	return netip.Addr{}, 0, false
}

func appendSTUNAddr(dst []byte, at uint16, a netip.Addr, port uint16) []byte {
	dst = append(dst, ' ')
	dst = append(dst, STUNAttrName(at)...)
	dst = append(dst, ": "...)
	dst = a.AppendTo(dst)
	dst = append(dst, ':')
	return strconv.AppendUint(dst, uint64(port), 10)
}

// STUNUnframe strips the RFC 4571 2-byte length a STUN message over TCP
// may carry (Wireshark's test: the cookie sits at offset 6 instead of 4).
func STUNUnframe(b []byte, tcp bool) []byte {
	if tcp && len(b) >= 10 && be32(b[6:]) == STUNCookie {
		return b[2:]
	}
	return b
}

// STUNTCPMessages calls fn (when not nil) with each STUN message of TCP
// payload p, its RFC 4571 framing included; ok is false unless p is one or
// more whole messages (Wireshark's tcp_dissect_pdus shows each).
func STUNTCPMessages(p []byte, fn func(msg []byte)) (ok bool) {
	for len(p) > 0 {
		m := STUNUnframe(p, true)
		if len(m) < STUNHeaderLen || m[0]&0xc0 != 0 || be32(m[4:]) != STUNCookie {
			return false
		}
		n := len(p) - len(m) + STUNHeaderLen + int(be16(m[2:]))
		if n > len(p) {
			return false
		}
		if fn != nil {
			fn(p[:n])
		}
		p, ok = p[n:], true
	}
	return ok
}

// decodeSTUNTCP records a TCP segment holding whole STUN messages (port:
// on the registered port 3478; else by Wireshark's TCP heuristic, which
// wants the cookie).
func (d *Decoder) decodeSTUNTCP(f *Frame, p []byte) bool {
	if !STUNTCPMessages(p, nil) {
		return false
	}
	f.voipLayer(ProtoSTUN, p)
	return true
}
