package field

import "github.com/wirewatch/wirewatch/decode"

// vlanEach builds a field with one occurrence per VLAN tag, outermost first.
func vlanEach(name string, t Type, base Base, mask uint64, get func(v *decode.VLAN) uint64) Field {
	return Field{Name: name, Type: t, Base: base, Bitmask: mask, Proto: decode.ProtoVLAN,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !f.Has(decode.ProtoVLAN) {
				return dst
			}
			for i := range f.VLANs {
				if f.VLANs[i].TPID != decode.EtherTypeQinQ {
					dst = append(dst, Value{U: get(&f.VLANs[i])})
				}
			}
			return dst
		}}
}

// vlan.*: 802.1Q / 802.1ad tags.
var vlanFields = []Field{
	vlanEach("vlan.priority", FTUint16, BaseDec, 0xe000, func(v *decode.VLAN) uint64 { return uint64(v.Priority) }),
	vlanEach("vlan.dei", FTBoolean, BaseNone, 0x1000, func(v *decode.VLAN) uint64 { return b2u(v.DEI) }),
	vlanEach("vlan.id", FTUint16, BaseDec, 0xfff, func(v *decode.VLAN) uint64 { return uint64(v.ID) }),
	{Name: "vlan.etype", Type: FTUint16, Base: BaseHex, Proto: decode.ProtoVLAN,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if f.Has(decode.ProtoVLAN) {
				for i := range f.VLANs {
					if f.VLANs[i].Type > 1500 && f.VLANs[i].TPID != decode.EtherTypeQinQ {
						dst = append(dst, Value{U: uint64(f.VLANs[i].Type)})
					}
				}
			}
			return dst
		}},
	{Name: "vlan.len", Type: FTUint16, Base: BaseDec, Proto: decode.ProtoVLAN,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if f.Has(decode.ProtoVLAN) {
				for i := range f.VLANs {
					if f.VLANs[i].Type <= 1500 && f.VLANs[i].TPID != decode.EtherTypeQinQ {
						dst = append(dst, Value{U: uint64(f.VLANs[i].Type)})
					}
				}
			}
			return dst
		}},
}

// sTagEach builds an ieee8021ad.* field, one occurrence per 802.1ad tag.
func sTagEach(name string, mask uint64, get func(v *decode.VLAN) uint64) Field {
	return Field{Name: name, Type: FTUint16, Base: BaseDec, Bitmask: mask, Proto: decode.ProtoIEEE8021AD,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !f.Has(decode.ProtoIEEE8021AD) {
				return dst
			}
			for i := range f.VLANs {
				if f.VLANs[i].TPID == decode.EtherTypeQinQ {
					dst = append(dst, Value{U: get(&f.VLANs[i])})
				}
			}
			return dst
		}}
}

// ieee8021adFields: 802.1ad service tags (TPID 0x88a8).
var ieee8021adFields = []Field{
	sTagEach("ieee8021ad.priority", 0xe000, func(v *decode.VLAN) uint64 { return uint64(v.Priority) }),
	sTagEach("ieee8021ad.dei", 0x1000, func(v *decode.VLAN) uint64 { return b2u(v.DEI) }),
	sTagEach("ieee8021ad.id", 0xfff, func(v *decode.VLAN) uint64 { return uint64(v.ID) }),
}

func hasPPPoE(f *decode.Frame) bool { return f.Has(decode.ProtoPPPoE) || f.Has(decode.ProtoPPPoED) }

// pppoeFields: PPPoE session header and the PPP protocol.
var pppoeFields = []Field{
	uintField("pppoe.version", FTUint8, BaseDec, decode.ProtoPPPoE, func(f *decode.Frame) (uint64, bool) { return uint64(f.PPPoE.Version), hasPPPoE(f) }),
	uintField("pppoe.type", FTUint8, BaseDec, decode.ProtoPPPoE, func(f *decode.Frame) (uint64, bool) { return uint64(f.PPPoE.Type), hasPPPoE(f) }),
	uintField("pppoe.code", FTUint8, BaseHex, decode.ProtoPPPoE, func(f *decode.Frame) (uint64, bool) { return uint64(f.PPPoE.Code), hasPPPoE(f) }),
	uintField("pppoe.session_id", FTUint16, BaseHex, decode.ProtoPPPoE, func(f *decode.Frame) (uint64, bool) { return uint64(f.PPPoE.Session), hasPPPoE(f) }),
	uintField("pppoe.payload_length", FTUint16, BaseDec, decode.ProtoPPPoE, func(f *decode.Frame) (uint64, bool) { return uint64(f.PPPoE.Length), hasPPPoE(f) }),
	uintField("ppp.protocol", FTUint16, BaseHex, decode.ProtoPPP, func(f *decode.Frame) (uint64, bool) { return uint64(f.PPPoE.PPPProto), f.Has(decode.ProtoPPP) }),
}
