package field

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// Fields of the PPP control protocols and of PPPoE discovery
// (decode/ppp.go), parsed from the layers' bytes.

// cpProtos are the control protocols with Wireshark's shared ppp.code,
// ppp.identifier and ppp.length header fields.
var cpProtos = decode.Protos(decode.ProtoLCP, decode.ProtoIPCP, decode.ProtoIPV6CP, decode.ProtoCCP)

// eachCP calls fn with every control-protocol layer of f in frame order
// (an LCP Protocol-Reject and the rejected packet inside it).
func eachCP(f *decode.Frame, fn func(p decode.Proto, b []byte)) {
	if !f.Present.Any(cpProtos) {
		return
	}
	for _, l := range f.Layers {
		if cpProtos.Has(l.Proto) {
			fn(l.Proto, f.LayerBytes(l))
		}
	}
}

// cpHeader is a field of the 4-byte control protocol header.
func cpHeader(name string, t Type, base Base, off, n int) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoLCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachCP(f, func(_ decode.Proto, b []byte) {
				if v, ok := beUint(b, off, n); ok && len(b) >= 4 {
					dst = append(dst, Value{U: v})
				}
			})
			return dst
		}}
}

// cpOptions calls fn with each option (type, whole option bytes) of a
// Configure-Request/Ack/Nak/Reject packet b.
func cpOptions(b []byte, fn func(t uint8, o []byte)) {
	if len(b) < 4 || b[0] < 1 || b[0] > 4 {
		return
	}
	for off := 4; off+2 <= len(b); {
		n := int(b[off+1])
		if n < 2 || off+n > len(b) {
			return
		}
		fn(b[off], b[off:off+n])
		off += n
	}
}

// cpOpt is a field of p's options: get appends the values of option o of
// type t (whole option bytes, type and length included).
func cpOpt(name string, ft Type, base Base, p decode.Proto, get func(t uint8, o []byte, dst []Value) []Value) Field {
	return Field{Name: name, Type: ft, Base: base, Proto: p,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachCP(f, func(q decode.Proto, b []byte) {
				if q == p {
					cpOptions(b, func(t uint8, o []byte) { dst = get(t, o, dst) })
				}
			})
			return dst
		}}
}

// cpOptUint is an option's unsigned value of n bytes at off when its type is typ.
func cpOptUint(name string, ft Type, base Base, p decode.Proto, typ uint8, off, n int) Field {
	return cpOpt(name, ft, base, p, func(t uint8, o []byte, dst []Value) []Value {
		if v, ok := beUint(o, off, n); ok && t == typ {
			dst = append(dst, Value{U: v})
		}
		return dst
	})
}

// cpOptAddr is an option's IPv4 address after its type and length.
func cpOptAddr(name string, p decode.Proto, typ uint8) Field {
	return cpOpt(name, FTIPv4, BaseNone, p, func(t uint8, o []byte, dst []Value) []Value {
		if t == typ && len(o) >= 6 {
			dst = append(dst, Value{A: netip.AddrFrom4([4]byte(o[2:6]))})
		}
		return dst
	})
}

// lcpBody is a field of an LCP packet whose code is in codes: get sees the
// bytes after the header.
func lcpBody(name string, ft Type, base Base, codes uint32, get func(code uint8, b []byte, dst []Value) []Value) Field {
	return Field{Name: name, Type: ft, Base: base, Proto: decode.ProtoLCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachCP(f, func(p decode.Proto, b []byte) {
				if p == decode.ProtoLCP && len(b) >= 4 && b[0] < 32 && codes&(1<<b[0]) != 0 {
					dst = get(b[0], b[4:], dst)
				}
			})
			return dst
		}}
}

// authField is a field of a PAP or CHAP packet b (header included).
func authField(name string, ft Type, base Base, p decode.Proto, get func(b []byte, dst []Value) []Value) Field {
	return layerField(name, ft, base, p, get)
}

// pppoedTag is a PPPoE discovery tag's value as bytes (FT_BYTES, FT_STRING).
func pppoedTag(name string, ft Type, typ uint16) Field {
	return layerField(name, ft, BaseNone, decode.ProtoPPPoED, func(b []byte, dst []Value) []Value {
		decode.EachPPPoETag(b, func(t uint16, v []byte) {
			if t == typ {
				dst = append(dst, Value{B: v})
			}
		})
		return dst
	})
}

const (
	lcpMagicCodes = 1<<9 | 1<<10 | 1<<11 | 1<<12 | 1<<13
	lcpDataCodes  = 1<<9 | 1<<10 | 1<<11
)

var pppFields = []Field{
	protoField("pppoed", decode.ProtoPPPoED),
	pppoedTag("pppoed.tags.service_name", FTString, 0x0101),
	pppoedTag("pppoed.tags.ac_name", FTString, 0x0102),
	pppoedTag("pppoed.tags.host_uniq", FTBytes, 0x0103),
	pppoedTag("pppoed.tags.ac_cookie", FTBytes, 0x0104),
	pppoedTag("pppoed.tags.relay_session_id", FTBytes, 0x0110),
	pppoedTag("pppoed.tags.max_payload", FTBytes, 0x0120),
	pppoedTag("pppoed.tags.service_name_error", FTString, 0x0201),
	pppoedTag("pppoed.tags.ac_system_error", FTString, 0x0202),
	pppoedTag("pppoed.tags.generic_error", FTString, 0x0203),
	layerField("pppoed.tags.vendor_id", FTUint32, BaseHex, decode.ProtoPPPoED, func(b []byte, dst []Value) []Value {
		decode.EachPPPoETag(b, func(t uint16, v []byte) {
			if x, ok := beUint(v, 0, 4); ok && t == 0x0105 {
				dst = append(dst, Value{U: x})
			}
		})
		return dst
	}),

	cpHeader("ppp.code", FTUint8, BaseDec, 0, 1),
	cpHeader("ppp.identifier", FTUint8, BaseDec, 1, 1),
	cpHeader("ppp.length", FTUint16, BaseDec, 2, 2),
	{Name: "ppp.data", Type: FTBytes, Proto: decode.ProtoLCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			// Termination Request/Ack carry opaque data.
			eachCP(f, func(_ decode.Proto, b []byte) {
				if len(b) > 4 && (b[0] == 5 || b[0] == 6) {
					dst = append(dst, Value{B: b[4:]})
				}
			})
			return dst
		}},

	protoField("lcp", decode.ProtoLCP),
	lcpBody("lcp.magic_number", FTUint32, BaseHex, lcpMagicCodes, func(_ uint8, b []byte, dst []Value) []Value {
		if v, ok := beUint(b, 0, 4); ok {
			dst = append(dst, Value{U: v})
		}
		return dst
	}),
	lcpBody("lcp.data", FTBytes, BaseNone, lcpDataCodes, func(_ uint8, b []byte, dst []Value) []Value {
		if len(b) > 4 {
			dst = append(dst, Value{B: b[4:]})
		}
		return dst
	}),
	lcpBody("lcp.message", FTString, BaseNone, 1<<12|1<<13, func(code uint8, b []byte, dst []Value) []Value {
		o := 4
		if code == 13 {
			o = 8
		}
		if len(b) > o {
			dst = append(dst, Value{B: b[o:]})
		}
		return dst
	}),
	lcpBody("lcp.secs_remaining", FTUint32, BaseDec, 1<<13, func(_ uint8, b []byte, dst []Value) []Value {
		if v, ok := beUint(b, 4, 4); ok {
			dst = append(dst, Value{U: v})
		}
		return dst
	}),
	lcpBody("lcp.rej_proto", FTUint16, BaseHex, 1<<8, func(_ uint8, b []byte, dst []Value) []Value {
		if v, ok := beUint(b, 0, 2); ok {
			dst = append(dst, Value{U: v})
		}
		return dst
	}),
	cpOpt("lcp.opt.type", FTUint8, BaseDec, decode.ProtoLCP, optHeader(0)),
	cpOpt("lcp.opt.length", FTUint8, BaseDec, decode.ProtoLCP, optHeader(1)),
	cpOptUint("lcp.opt.mru", FTUint16, BaseDec, decode.ProtoLCP, 1, 2, 2),
	cpOptUint("lcp.opt.asyncmap", FTUint32, BaseHex, decode.ProtoLCP, 2, 2, 4),
	cpOptUint("lcp.opt.auth_protocol", FTUint16, BaseHex, decode.ProtoLCP, 3, 2, 2),
	cpOpt("lcp.opt.algorithm", FTUint8, BaseDec, decode.ProtoLCP, func(t uint8, o []byte, dst []Value) []Value {
		if t == 3 && len(o) >= 5 && o[2] == 0xc2 && o[3] == 0x23 {
			dst = append(dst, Value{U: uint64(o[4])})
		}
		return dst
	}),
	cpOptUint("lcp.opt.quality_protocol", FTUint16, BaseHex, decode.ProtoLCP, 4, 2, 2),
	cpOptUint("lcp.opt.magic_number", FTUint32, BaseHex, decode.ProtoLCP, 5, 2, 4),
	cpOptUint("lcp.opt.mrru", FTUint16, BaseDec, decode.ProtoLCP, 17, 2, 2),

	protoField("ipcp", decode.ProtoIPCP),
	cpOpt("ipcp.opt.type", FTUint8, BaseDec, decode.ProtoIPCP, optHeader(0)),
	cpOpt("ipcp.opt.length", FTUint8, BaseDec, decode.ProtoIPCP, optHeader(1)),
	cpOptAddr("ipcp.opt.ip_address", decode.ProtoIPCP, 3),
	cpOptAddr("ipcp.opt.mobilenodehomeaddress", decode.ProtoIPCP, 4),
	cpOptAddr("ipcp.opt.pri_dns_address", decode.ProtoIPCP, 129),
	cpOptAddr("ipcp.opt.pri_nbns_address", decode.ProtoIPCP, 130),
	cpOptAddr("ipcp.opt.sec_dns_address", decode.ProtoIPCP, 131),
	cpOptAddr("ipcp.opt.sec_nbns_address", decode.ProtoIPCP, 132),
	cpOptUint("ipcp.opt.compress_proto", FTUint16, BaseHex, decode.ProtoIPCP, 2, 2, 2),
	cpOpt("ipcp.opt.max_slot_id", FTUint8, BaseDec, decode.ProtoIPCP, vjOpt(4, 0)),
	cpOpt("ipcp.opt.comp_slot_id", FTBoolean, BaseNone, decode.ProtoIPCP, vjOpt(5, 1)),

	protoField("ipv6cp", decode.ProtoIPV6CP),
	cpOpt("ipv6cp.opt.type", FTUint8, BaseDec, decode.ProtoIPV6CP, optHeader(0)),
	cpOpt("ipv6cp.opt.length", FTUint8, BaseDec, decode.ProtoIPV6CP, optHeader(1)),
	cpOpt("ipv6cp.interface_identifier", FTBytes, BaseSepColon, decode.ProtoIPV6CP, func(t uint8, o []byte, dst []Value) []Value {
		if t == 1 && len(o) >= 10 {
			dst = append(dst, Value{B: o[2:10]})
		}
		return dst
	}),

	protoField("ccp", decode.ProtoCCP),
	cpOpt("ccp.opt.type", FTUint8, BaseDec, decode.ProtoCCP, optHeader(0)),
	cpOpt("ccp.opt.length", FTUint8, BaseDec, decode.ProtoCCP, optHeader(1)),

	protoField("pap", decode.ProtoPAP),
	layerUint("pap.code", FTUint8, BaseDec, decode.ProtoPAP, 0, 1, 0),
	layerUint("pap.identifier", FTUint8, BaseDec, decode.ProtoPAP, 1, 1, 0),
	layerUint("pap.length", FTUint16, BaseDec, decode.ProtoPAP, 2, 2, 0),
	authField("pap.peer_id.length", FTUint8, BaseDec, decode.ProtoPAP, papPart(true, false, true)),
	authField("pap.peer_id", FTString, BaseNone, decode.ProtoPAP, papPart(true, false, false)),
	authField("pap.password.length", FTUint8, BaseDec, decode.ProtoPAP, papPart(true, true, true)),
	authField("pap.password", FTString, BaseNone, decode.ProtoPAP, papPart(true, true, false)),
	authField("pap.message.length", FTUint8, BaseDec, decode.ProtoPAP, papPart(false, false, true)),
	authField("pap.message", FTString, BaseNone, decode.ProtoPAP, papPart(false, false, false)),

	protoField("chap", decode.ProtoCHAP),
	layerUint("chap.code", FTUint8, BaseDec, decode.ProtoCHAP, 0, 1, 0),
	layerUint("chap.identifier", FTUint8, BaseDec, decode.ProtoCHAP, 1, 1, 0),
	layerUint("chap.length", FTUint16, BaseDec, decode.ProtoCHAP, 2, 2, 0),
	authField("chap.value_size", FTUint8, BaseDec, decode.ProtoCHAP, func(b []byte, dst []Value) []Value {
		if len(b) >= 5 && (b[0] == 1 || b[0] == 2) {
			dst = append(dst, Value{U: uint64(b[4])})
		}
		return dst
	}),
	authField("chap.value", FTBytes, BaseNone, decode.ProtoCHAP, func(b []byte, dst []Value) []Value {
		if v, _, ok := decode.CHAPFields(b); ok && len(v) > 0 {
			dst = append(dst, Value{B: v})
		}
		return dst
	}),
	authField("chap.name", FTString, BaseNone, decode.ProtoCHAP, func(b []byte, dst []Value) []Value {
		if _, n, ok := decode.CHAPFields(b); ok && (b[0] == 1 || b[0] == 2) && len(n) > 0 {
			dst = append(dst, Value{B: n})
		}
		return dst
	}),
	authField("chap.message", FTString, BaseNone, decode.ProtoCHAP, func(b []byte, dst []Value) []Value {
		if _, n, ok := decode.CHAPFields(b); ok && (b[0] == 3 || b[0] == 4) && len(n) > 0 {
			dst = append(dst, Value{B: n})
		}
		return dst
	}),
}

// optHeader is the option's type (i 0) or length (i 1).
func optHeader(i int) func(t uint8, o []byte, dst []Value) []Value {
	return func(_ uint8, o []byte, dst []Value) []Value { return append(dst, Value{U: uint64(o[i])}) }
}

// vjOpt is a field of IPCP's IP-Compression-Protocol option for Van
// Jacobson compression (0x002d): the byte at off, masked.
func vjOpt(off int, mask uint8) func(t uint8, o []byte, dst []Value) []Value {
	return func(t uint8, o []byte, dst []Value) []Value {
		if t != 2 || len(o) <= off || o[2] != 0 || o[3] != 0x2d {
			return dst
		}
		v := o[off]
		if mask != 0 {
			v &= mask
		}
		return append(dst, Value{U: uint64(v)})
	}
}

// papPart is a PAP field: of an Authenticate-Request (req: the peer id, or
// the password when pw) or of an Ack/Nak (the message); its length octet
// when length.
func papPart(req, pw, length bool) func(b []byte, dst []Value) []Value {
	return func(b []byte, dst []Value) []Value {
		if len(b) < 5 || (b[0] == 1) != req {
			return dst
		}
		a, p, ok := decode.PAPFields(b)
		v := a
		if pw {
			v = p
			if !ok {
				return dst
			}
		}
		if length {
			return append(dst, Value{U: uint64(len(v))})
		}
		return append(dst, Value{B: v})
	}
}
