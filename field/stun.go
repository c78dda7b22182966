package field

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// STUN fields (Wireshark 4.0 "stun.*") of RFC 5389 messages and TURN
// ChannelData, parsed from the layer's bytes. Masked message and attribute
// type fields keep their bits in place, as Wireshark prints them.

// stunRaw calls fn with each message of the STUN layer as it was carried
// (a TCP segment may hold several, each with its framing).
func stunRaw(f *decode.Frame, fn func(raw []byte)) {
	b, ok := layerBytes(f, decode.ProtoSTUN)
	if !ok {
		return
	}
	if f.Has(decode.ProtoTCP) && decode.STUNTCPMessages(b, fn) {
		return
	}
	fn(b)
}

// stunEach calls fn with each STUN message of the layer (not ChannelData),
// unframed.
func stunEach(f *decode.Frame, fn func(b []byte)) {
	stunRaw(f, func(raw []byte) {
		b := decode.STUNUnframe(raw, f.Has(decode.ProtoTCP))
		if len(b) >= decode.STUNHeaderLen && b[0]&0xc0 == 0 {
			fn(b)
		}
	})
}

func stunHdr(name string, t Type, base Base, get func(b []byte) uint64) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoSTUN, Get: func(f *decode.Frame, dst []Value) []Value {
		stunEach(f, func(b []byte) { dst = append(dst, Value{U: get(b)}) })
		return dst
	}}
}

func stunHdrBytes(name string, off, n int) Field {
	return Field{Name: name, Type: FTBytes, Proto: decode.ProtoSTUN, Get: func(f *decode.Frame, dst []Value) []Value {
		stunEach(f, func(b []byte) { dst = append(dst, Value{B: b[off : off+n]}) })
		return dst
	}}
}

// stunAttrs is a field with what get finds in each attribute.
func stunAttrs(name string, t Type, base Base, get func(m []byte, at uint16, v []byte, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoSTUN,
		Get: func(f *decode.Frame, dst []Value) []Value {
			stunEach(f, func(b []byte) {
				decode.EachSTUNAttr(b, func(at uint16, v []byte) { dst = get(b, at, v, dst) })
			})
			return dst
		}}
}

func stunAttrUint(name string, t Type, base Base, get func(at uint16, v []byte) (uint64, bool)) Field {
	return stunAttrs(name, t, base, func(_ []byte, at uint16, v []byte, dst []Value) []Value {
		if u, ok := get(at, v); ok {
			dst = append(dst, Value{U: u})
		}
		return dst
	})
}

func stunAttrBytes(name string, t Type, get func(at uint16, v []byte) ([]byte, bool)) Field {
	return stunAttrs(name, t, BaseNone, func(_ []byte, at uint16, v []byte, dst []Value) []Value {
		if b, ok := get(at, v); ok {
			dst = append(dst, Value{B: b})
		}
		return dst
	})
}

// stunString is a string attribute of type typ.
func stunString(name string, typ uint16) Field {
	return stunAttrBytes(name, FTString, func(at uint16, v []byte) ([]byte, bool) { return v, at == typ })
}

// Address attribute kinds.
func stunPlainAddr(at uint16) bool {
	switch at {
	case 0x0001, 0x0002, 0x0004, 0x0005, 0x000b, 0x0011, 0x8023, 0x802b, 0x802c, 0x8090:
		return true
	}
	return false
}

func stunXorAddr(at uint16) bool {
	switch at {
	case 0x0012, 0x0016, 0x0020, 0x0027, 0x0028, 0x8020:
		return true
	}
	return false
}

func be16v(b []byte) uint64 { return uint64(b[0])<<8 | uint64(b[1]) }

var stunFields = []Field{
	protoField("stun", decode.ProtoSTUN),
	uintField("stun.channel", FTUint16, BaseHex, decode.ProtoSTUN, func(f *decode.Frame) (uint64, bool) {
		b, ok := layerBytes(f, decode.ProtoSTUN)
		if !ok || len(b) < 4 || b[0]&0xc0 == 0 {
			return 0, false
		}
		return be16v(b), true
	}),
	{Name: "stun.tcp_frame_length", Type: FTUint16, Base: BaseDec, Proto: decode.ProtoSTUN, Get: func(f *decode.Frame, dst []Value) []Value {
		stunRaw(f, func(b []byte) {
			if len(decode.STUNUnframe(b, f.Has(decode.ProtoTCP))) != len(b) {
				dst = append(dst, Value{U: be16v(b)})
			}
		})
		return dst
	}},
	{Name: "stun.length", Type: FTUint16, Base: BaseDec, Proto: decode.ProtoSTUN, Get: func(f *decode.Frame, dst []Value) []Value {
		stunRaw(f, func(b []byte) {
			if b = decode.STUNUnframe(b, f.Has(decode.ProtoTCP)); len(b) >= 4 {
				dst = append(dst, Value{U: be16v(b[2:])})
			}
		})
		return dst
	}},
	stunHdr("stun.type", FTUint16, BaseHex, func(b []byte) uint64 { return be16v(b) }),
	stunHdr("stun.type.class", FTUint16, BaseHex, func(b []byte) uint64 { return be16v(b) & 0x0110 >> 4 }),
	stunHdr("stun.type.method", FTUint16, BaseHex, func(b []byte) uint64 { return be16v(b) & 0x3eef }),
	stunHdr("stun.type.method-assignment", FTUint16, BaseHex, func(b []byte) uint64 { return be16v(b) & 0x2000 >> 13 }),
	stunHdrBytes("stun.cookie", 4, 4),
	stunHdrBytes("stun.id", 8, 12),
	// Wireshark names the version only when attributes tell (a bare request does not).
	{Name: "stun.network_version", Type: FTUint8, Base: BaseDec, Proto: decode.ProtoSTUN, Get: func(f *decode.Frame, dst []Value) []Value {
		stunEach(f, func(b []byte) {
			if be16v(b[2:]) != 0 {
				dst = append(dst, Value{U: 3})
			}
		})
		return dst
	}},
	{Name: "stun.attributes", Type: FTNone, Proto: decode.ProtoSTUN, Get: func(f *decode.Frame, dst []Value) []Value {
		stunEach(f, func(b []byte) {
			if be16v(b[2:]) != 0 {
				dst = append(dst, Value{})
			}
		})
		return dst
	}},
	stunAttrUint("stun.attribute", FTUint16, BaseHex, func(at uint16, _ []byte) (uint64, bool) { return uint64(at), true }),
	stunAttrUint("stun.att.type", FTUint16, BaseHex, func(at uint16, _ []byte) (uint64, bool) { return uint64(at), true }),
	stunAttrUint("stun.att.type.comprehension", FTUint16, BaseHex, func(at uint16, _ []byte) (uint64, bool) { return uint64(at >> 15), true }),
	stunAttrUint("stun.att.type.assignment", FTUint16, BaseHex, func(at uint16, _ []byte) (uint64, bool) { return uint64(at >> 14 & 1), true }),
	stunAttrUint("stun.att.length", FTUint16, BaseDec, func(_ uint16, v []byte) (uint64, bool) { return uint64(len(v)), true }),
	stunAttrUint("stun.att.family", FTUint8, BaseHex, func(at uint16, v []byte) (uint64, bool) {
		if len(v) < 2 || !stunPlainAddr(at) && !stunXorAddr(at) {
			return 0, false
		}
		return uint64(v[1]), true
	}),
	stunAttrUint("stun.att.port", FTUint16, BaseDec, func(at uint16, v []byte) (uint64, bool) {
		if len(v) < 4 {
			return 0, false
		}
		switch {
		case stunPlainAddr(at):
			return be16v(v[2:]), true
		case stunXorAddr(at):
			return be16v(v[2:]) ^ 0x2112, true
		}
		return 0, false
	}),
	stunAttrs("stun.att.ipv4", FTIPv4, BaseNone, func(m []byte, at uint16, v []byte, dst []Value) []Value {
		if len(v) >= 8 && v[1] == 1 && (stunPlainAddr(at) || stunXorAddr(at)) {
			var a [4]byte
			copy(a[:], v[4:8])
			if stunXorAddr(at) {
				for i := range a {
					a[i] ^= m[4+i]
				}
			}
			dst = append(dst, Value{A: netip.AddrFrom4(a)})
		}
		return dst
	}),
	stunAttrs("stun.att.ipv6", FTIPv6, BaseNone, func(m []byte, at uint16, v []byte, dst []Value) []Value {
		if len(v) >= 20 && v[1] == 2 && (stunPlainAddr(at) || stunXorAddr(at)) {
			var a [16]byte
			copy(a[:], v[4:20])
			if stunXorAddr(at) {
				for i := range a {
					a[i] ^= m[4+i]
				}
			}
			dst = append(dst, Value{A: netip.AddrFrom16(a)})
		}
		return dst
	}),
	stunAttrBytes("stun.att.port-xord", FTBytes, func(at uint16, v []byte) ([]byte, bool) {
		return v[min(2, len(v)):min(4, len(v))], stunXorAddr(at) && len(v) >= 4
	}),
	stunAttrBytes("stun.att.ipv4-xord", FTBytes, func(at uint16, v []byte) ([]byte, bool) {
		return v[min(4, len(v)):min(8, len(v))], stunXorAddr(at) && len(v) >= 8 && v[1] == 1
	}),
	stunAttrBytes("stun.att.ipv6-xord", FTBytes, func(at uint16, v []byte) ([]byte, bool) {
		return v[min(4, len(v)):min(20, len(v))], stunXorAddr(at) && len(v) >= 20 && v[1] == 2
	}),
	stunString("stun.att.username", 0x0006),
	stunString("stun.att.realm", 0x0014),
	stunString("stun.att.nonce", 0x0015),
	stunString("stun.att.software", 0x8022),
	stunAttrBytes("stun.att.hmac", FTBytes, func(at uint16, v []byte) ([]byte, bool) { return v, at == 0x0008 && len(v) >= 20 }),
	stunAttrUint("stun.att.crc32", FTUint32, BaseHex, func(at uint16, v []byte) (uint64, bool) {
		u, ok := beUint(v, 0, 4)
		return u, ok && at == 0x8028
	}),
	stunAttrUint("stun.att.lifetime", FTUint32, BaseDec, func(at uint16, v []byte) (uint64, bool) {
		u, ok := beUint(v, 0, 4)
		return u, ok && at == 0x000d
	}),
	stunAttrUint("stun.att.priority", FTUint32, BaseDec, func(at uint16, v []byte) (uint64, bool) {
		u, ok := beUint(v, 0, 4)
		return u, ok && at == 0x0024
	}),
	stunAttrBytes("stun.att.tie-breaker", FTBytes, func(at uint16, v []byte) ([]byte, bool) {
		return v[:min(8, len(v))], (at == 0x8029 || at == 0x802a) && len(v) >= 8
	}),
	stunAttrUint("stun.att.transp", FTUint8, BaseHex, func(at uint16, v []byte) (uint64, bool) {
		if at != 0x0019 || len(v) < 1 {
			return 0, false
		}
		return uint64(v[0]), true
	}),
	stunAttrUint("stun.att.channelnum", FTUint16, BaseHex, func(at uint16, v []byte) (uint64, bool) {
		if at != 0x000c || len(v) < 4 {
			return 0, false
		}
		return be16v(v), true
	}),
	stunAttrUint("stun.att.error.class", FTUint8, BaseDec, func(at uint16, v []byte) (uint64, bool) {
		if at != 0x0009 || len(v) < 3 {
			return 0, false
		}
		return uint64(v[2] & 7), true
	}),
	stunAttrUint("stun.att.error", FTUint8, BaseDec, func(at uint16, v []byte) (uint64, bool) {
		if at != 0x0009 || len(v) < 4 {
			return 0, false
		}
		return uint64(v[3]), true
	}),
	stunAttrBytes("stun.att.error.reason", FTString, func(at uint16, v []byte) ([]byte, bool) {
		return v[min(4, len(v)):], at == 0x0009 && len(v) >= 5
	}),
	stunAttrUint("stun.att.padding", FTUint16, BaseDec, func(at uint16, v []byte) (uint64, bool) {
		return uint64(4 - len(v)%4), len(v)%4 != 0
	}),
}

// classicSTUNFields are RFC 3489 STUN's header fields (Wireshark's "classicstun").
var classicSTUNFields = []Field{
	protoField("classicstun", decode.ProtoClassicSTUN),
	layerUint("classicstun.type", FTUint16, BaseHex, decode.ProtoClassicSTUN, 0, 2, 0),
	layerUint("classicstun.length", FTUint16, BaseHex, decode.ProtoClassicSTUN, 2, 2, 0),
	bytesField("classicstun.id", FTBytes, decode.ProtoClassicSTUN, func(f *decode.Frame) ([]byte, bool) {
		b, ok := layerBytes(f, decode.ProtoClassicSTUN)
		if !ok || len(b) < decode.STUNHeaderLen {
			return nil, false
		}
		return b[4:20], true
	}),
}

// megacoFields: the protocol of text MEGACO messages (their SDP is sdp.*).
var megacoFields = []Field{protoField("megaco", decode.ProtoMEGACO)}
