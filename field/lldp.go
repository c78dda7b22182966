package field

import "github.com/wirewatch/wirewatch/decode"

// LLDP ("lldp.*") and CDP ("cdp.*") fields, from their TLVs.

// lldpTLV is a field with the values get finds in each TLV.
func lldpTLV(name string, t Type, base Base, get func(typ uint8, v []byte, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoLLDP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := layerBytes(f, decode.ProtoLLDP)
			if !ok {
				return dst
			}
			decode.EachLLDPTLV(b, func(typ uint8, v []byte) bool {
				dst = get(typ, v, dst)
				return true
			})
			return dst
		}}
}

// lldpSub is the subtype byte of chassis (1) or port (2) ID TLVs.
func lldpSub(name string, tlv uint8) Field {
	return lldpTLV(name, FTUint8, BaseDec, func(typ uint8, v []byte, dst []Value) []Value {
		if typ == tlv && len(v) >= 1 {
			dst = append(dst, Value{U: uint64(v[0])})
		}
		return dst
	})
}

// lldpMAC is a chassis or port ID that is a MAC address (subtype sub).
func lldpMAC(name string, tlv, sub uint8) Field {
	return lldpTLV(name, FTEther, BaseNone, func(typ uint8, v []byte, dst []Value) []Value {
		if typ == tlv && len(v) == 7 && v[0] == sub {
			dst = append(dst, Value{B: v[1:]})
		}
		return dst
	})
}

// lldpText is a TLV whose value is text.
func lldpText(name string, tlv uint8) Field {
	return lldpTLV(name, FTString, BaseNone, func(typ uint8, v []byte, dst []Value) []Value {
		if typ == tlv {
			dst = append(dst, Value{B: v})
		}
		return dst
	})
}

// cdpTLV is a CDP field with the values get finds in each TLV.
func cdpTLV(name string, t Type, base Base, get func(typ uint16, v []byte, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoCDP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := layerBytes(f, decode.ProtoCDP)
			if !ok {
				return dst
			}
			decode.EachCDPTLV(b, func(typ uint16, v []byte) bool {
				dst = get(typ, v, dst)
				return true
			})
			return dst
		}}
}

func cdpText(name string, tlv uint16) Field {
	return cdpTLV(name, FTString, BaseNone, func(typ uint16, v []byte, dst []Value) []Value {
		if typ == tlv {
			dst = append(dst, Value{B: v})
		}
		return dst
	})
}

var lldpFields = []Field{
	protoField("lldp", decode.ProtoLLDP),
	lldpTLV("lldp.tlv.type", FTUint16, BaseDec, func(typ uint8, v []byte, dst []Value) []Value {
		return append(dst, Value{U: uint64(typ)})
	}),
	lldpTLV("lldp.tlv.len", FTUint16, BaseDec, func(typ uint8, v []byte, dst []Value) []Value {
		return append(dst, Value{U: uint64(len(v))})
	}),
	lldpSub("lldp.chassis.subtype", 1),
	lldpMAC("lldp.chassis.id.mac", 1, 4),
	lldpSub("lldp.port.subtype", 2),
	lldpMAC("lldp.port.id.mac", 2, 3),
	lldpTLV("lldp.port.id", FTString, BaseNone, func(typ uint8, v []byte, dst []Value) []Value {
		if typ == 2 && len(v) >= 1 && v[0] != 3 && v[0] != 4 {
			dst = append(dst, Value{B: v[1:]})
		}
		return dst
	}),
	lldpTLV("lldp.time_to_live", FTUint16, BaseDec, func(typ uint8, v []byte, dst []Value) []Value {
		if typ == 3 && len(v) >= 2 {
			dst = append(dst, Value{U: uint64(v[0])<<8 | uint64(v[1])})
		}
		return dst
	}),
	lldpText("lldp.port.desc", 4),
	lldpText("lldp.tlv.system.name", 5),
	lldpText("lldp.tlv.system.desc", 6),
}

var cdpFields = []Field{
	protoField("cdp", decode.ProtoCDP),
	layerUint("cdp.version", FTUint8, BaseDec, decode.ProtoCDP, 0, 1, 0),
	layerUint("cdp.ttl", FTUint8, BaseDec, decode.ProtoCDP, 1, 1, 0),
	layerUint("cdp.checksum", FTUint16, BaseHex, decode.ProtoCDP, 2, 2, 0),
	cdpTLV("cdp.tlv.type", FTUint16, BaseHex, func(typ uint16, v []byte, dst []Value) []Value {
		return append(dst, Value{U: uint64(typ)})
	}),
	cdpTLV("cdp.tlv.len", FTUint16, BaseDec, func(typ uint16, v []byte, dst []Value) []Value {
		return append(dst, Value{U: uint64(len(v) + 4)})
	}),
	cdpText("cdp.deviceid", 1),
	cdpText("cdp.portid", 3),
	cdpText("cdp.platform", 6),
	cdpTLV("cdp.capabilities", FTUint32, BaseHex, func(typ uint16, v []byte, dst []Value) []Value {
		if typ == 4 && len(v) >= 4 {
			dst = append(dst, Value{U: uint64(v[0])<<24 | uint64(v[1])<<16 | uint64(v[2])<<8 | uint64(v[3])})
		}
		return dst
	}),
}
