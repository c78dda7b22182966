package field

import (
	"encoding/binary"

	"github.com/wirewatch/wirewatch/decode"
)

// ISAKMP, WireGuard and RADIUS attribute fields (Wireshark 4.0 names).

func isakmpV2(b []byte) bool { return len(b) > 17 && b[17]>>4 >= 2 }
func isakmpV1(b []byte) bool { return len(b) > 17 && b[17]>>4 < 2 }

var isakmpFields = []Field{
	protoField("isakmp", decode.ProtoISAKMP),
	protoField("udpencap", decode.ProtoUDPEncap),
	layerField("isakmp.ispi", FTBytes, BaseNone, decode.ProtoISAKMP, func(b []byte, dst []Value) []Value {
		if len(b) >= 8 {
			dst = append(dst, Value{B: b[:8]})
		}
		return dst
	}),
	layerField("isakmp.rspi", FTBytes, BaseNone, decode.ProtoISAKMP, func(b []byte, dst []Value) []Value {
		if len(b) >= 16 {
			dst = append(dst, Value{B: b[8:16]})
		}
		return dst
	}),
	layerUint("isakmp.version", FTUint8, BaseHex, decode.ProtoISAKMP, 17, 1, 0),
	layerUint("isakmp.mjver", FTUint8, BaseHex, decode.ProtoISAKMP, 17, 1, 0xf0),
	layerUint("isakmp.mnver", FTUint8, BaseHex, decode.ProtoISAKMP, 17, 1, 0x0f),
	layerUint("isakmp.exchangetype", FTUint8, BaseDec, decode.ProtoISAKMP, 18, 1, 0),
	layerUint("isakmp.flags", FTUint8, BaseHex, decode.ProtoISAKMP, 19, 1, 0),
	when(layerUint("isakmp.flag_e", FTBoolean, BaseNone, decode.ProtoISAKMP, 19, 1, 0x01), isakmpV1),
	when(layerUint("isakmp.flag_c", FTBoolean, BaseNone, decode.ProtoISAKMP, 19, 1, 0x02), isakmpV1),
	when(layerUint("isakmp.flag_a", FTBoolean, BaseNone, decode.ProtoISAKMP, 19, 1, 0x04), isakmpV1),
	when(layerUint("isakmp.flag_i", FTBoolean, BaseNone, decode.ProtoISAKMP, 19, 1, 0x08), isakmpV2),
	when(layerUint("isakmp.flag_v", FTBoolean, BaseNone, decode.ProtoISAKMP, 19, 1, 0x10), isakmpV2),
	when(layerUint("isakmp.flag_r", FTBoolean, BaseNone, decode.ProtoISAKMP, 19, 1, 0x20), isakmpV2),
	layerUint("isakmp.messageid", FTUint32, BaseHex, decode.ProtoISAKMP, 20, 4, 0),
	layerUint("isakmp.length", FTUint32, BaseDec, decode.ProtoISAKMP, 24, 4, 0),
}

// wgLE is a little-endian field of n bytes at off of WireGuard messages of
// the given types.
func wgLE(name string, t Type, base Base, off, n int, types ...uint8) Field {
	return layerField(name, t, base, decode.ProtoWG, func(b []byte, dst []Value) []Value {
		if len(b) < off+n {
			return dst
		}
		for _, ty := range types {
			if b[0] == ty {
				var v uint64
				if n == 4 {
					v = uint64(binary.LittleEndian.Uint32(b[off:]))
				} else {
					v = binary.LittleEndian.Uint64(b[off:])
				}
				return append(dst, Value{U: v})
			}
		}
		return dst
	})
}

// wgBytes is n bytes at off of WireGuard messages of type ty; for
// handshake MACs (ty 1) the same bytes at off2 of responses.
func wgBytes(name string, ty uint8, off, n, off2 int) Field {
	return layerField(name, FTBytes, BaseNone, decode.ProtoWG, func(b []byte, dst []Value) []Value {
		switch {
		case b[0] == ty && len(b) >= off+n:
			dst = append(dst, Value{B: b[off : off+n]})
		case ty == 1 && b[0] == 2 && len(b) >= off2+n:
			dst = append(dst, Value{B: b[off2 : off2+n]})
		}
		return dst
	})
}

var wgFields = []Field{
	protoField("wg", decode.ProtoWG),
	layerUint("wg.type", FTUint8, BaseDec, decode.ProtoWG, 0, 1, 0),
	layerField("wg.reserved", FTBytes, BaseNone, decode.ProtoWG, func(b []byte, dst []Value) []Value {
		return append(dst, Value{B: b[1:4]})
	}),
	wgLE("wg.sender", FTUint32, BaseHex, 4, 4, 1, 2),
	{Name: "wg.receiver", Type: FTUint32, Base: BaseHex, Proto: decode.ProtoWG,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := layerBytes(f, decode.ProtoWG)
			if !ok {
				return dst
			}
			switch b[0] {
			case 2:
				return append(dst, Value{U: uint64(binary.LittleEndian.Uint32(b[8:]))})
			case 3, 4:
				return append(dst, Value{U: uint64(binary.LittleEndian.Uint32(b[4:]))})
			}
			return dst
		}},
	wgLE("wg.counter", FTUint64, BaseDec, 8, 8, 4),
	wgBytes("wg.mac1", 1, 116, 16, 60),
	wgBytes("wg.mac2", 1, 132, 16, 76),
	wgBytes("wg.nonce", 3, 8, 24, 0),
	wgBytes("wg.encrypted_cookie", 3, 32, 32, 0),
}

// radiusAttr is the value of each RADIUS attribute of type typ.
func radiusAttr(name string, t Type, base Base, typ uint8) Field {
	return layerField(name, t, base, decode.ProtoRADIUS, func(b []byte, dst []Value) []Value {
		decode.RADIUSAttrs(b, func(at uint8, v []byte, _ int) {
			if at != typ {
				return
			}
			switch t {
			case FTIPv4:
				if len(v) == 4 {
					dst = append(dst, Value{A: addr4(v)})
				}
			case FTUint32:
				if len(v) == 4 {
					dst = append(dst, Value{U: uint64(binary.BigEndian.Uint32(v))})
				}
			default:
				dst = append(dst, Value{B: v})
			}
		})
		return dst
	})
}

// eapMessage returns the EAP packet of a RADIUS message's first EAP-Message
// attribute (one attribute holds up to 253 bytes; longer packets, split
// over several, are cut to the first).
func eapMessage(f *decode.Frame) ([]byte, bool) {
	b, ok := layerBytes(f, decode.ProtoRADIUS)
	if !ok {
		return nil, false
	}
	var m []byte
	decode.RADIUSAttrs(b, func(t uint8, v []byte, _ int) {
		if t == 79 && m == nil {
			m = v
		}
	})
	return m, m != nil
}

func eapUint(name string, t Type, off, n int, requestResponse bool) Field {
	return Field{Name: name, Type: t, Base: BaseDec, Proto: decode.ProtoRADIUS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			m, ok := eapMessage(f)
			if !ok || len(m) < off+n || (requestResponse && m[0] != 1 && m[0] != 2) {
				return dst
			}
			v, _ := beUint(m, off, n)
			return append(dst, Value{U: v})
		}}
}

var radiusAttrFields = []Field{
	uintField("radius.dup", FTUint32, BaseDec, decode.ProtoRADIUS, func(f *decode.Frame) (uint64, bool) {
		b, ok := layerBytes(f, decode.ProtoRADIUS)
		if !ok || len(b) < 2 || f.RADIUSDupOf == 0 {
			return 0, false
		}
		return uint64(b[1]), true
	}),
	uintField("radius.req.dup", FTFrameNum, BaseNone, decode.ProtoRADIUS, func(f *decode.Frame) (uint64, bool) {
		return f.RADIUSDupOf, f.Has(decode.ProtoRADIUS) && f.RADIUSDupOf != 0
	}),
	radiusAttr("radius.User_Name", FTString, BaseNone, 1),
	radiusAttr("radius.NAS_IP_Address", FTIPv4, BaseNone, 4),
	radiusAttr("radius.NAS_Port", FTUint32, BaseDec, 5),
	radiusAttr("radius.Service_Type", FTUint32, BaseDec, 6),
	radiusAttr("radius.Reply_Message", FTString, BaseNone, 18),
	radiusAttr("radius.State", FTBytes, BaseNone, 24),
	radiusAttr("radius.Called_Station_Id", FTString, BaseNone, 30),
	radiusAttr("radius.Calling_Station_Id", FTString, BaseNone, 31),
	radiusAttr("radius.NAS_Identifier", FTString, BaseNone, 32),
	radiusAttr("radius.Acct_Status_Type", FTUint32, BaseDec, 40),
	radiusAttr("radius.Acct_Session_Id", FTString, BaseNone, 44),
	radiusAttr("radius.NAS_Port_Type", FTUint32, BaseDec, 61),
	radiusAttr("radius.Message_Authenticator", FTBytes, BaseNone, 80),
	{Name: "eap", Type: FTProtocol, Proto: decode.ProtoRADIUS, Get: func(f *decode.Frame, dst []Value) []Value {
		if m, ok := eapMessage(f); ok {
			dst = append(dst, Value{B: m})
		}
		return dst
	}},
	eapUint("eap.code", FTUint8, 0, 1, false),
	eapUint("eap.id", FTUint8, 1, 1, false),
	eapUint("eap.len", FTUint16, 2, 2, false),
	eapUint("eap.type", FTUint8, 4, 1, true),
}
