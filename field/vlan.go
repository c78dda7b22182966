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
				dst = append(dst, Value{U: get(&f.VLANs[i])})
			}
			return dst
		}}
}

// vlan.*: 802.1Q / 802.1ad tags.
var vlanFields = []Field{
	vlanEach("vlan.priority", FTUint16, BaseDec, 0xe000, func(v *decode.VLAN) uint64 { return uint64(v.Priority) }),
	vlanEach("vlan.dei", FTBoolean, BaseNone, 0x1000, func(v *decode.VLAN) uint64 { return b2u(v.DEI) }),
	vlanEach("vlan.cfi", FTBoolean, BaseNone, 0x1000, func(v *decode.VLAN) uint64 { return b2u(v.DEI) }),
	vlanEach("vlan.id", FTUint16, BaseDec, 0xfff, func(v *decode.VLAN) uint64 { return uint64(v.ID) }),
	{Name: "vlan.etype", Type: FTUint16, Base: BaseHex, Proto: decode.ProtoVLAN,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if f.Has(decode.ProtoVLAN) {
				for i := range f.VLANs {
					if f.VLANs[i].Type > 1500 {
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
					if f.VLANs[i].Type <= 1500 {
						dst = append(dst, Value{U: uint64(f.VLANs[i].Type)})
					}
				}
			}
			return dst
		}},
}
