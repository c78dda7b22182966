package field

import "github.com/wirewatch/wirewatch/decode"

// Tunnel header fields (Wireshark 4.0 "gre.*", "vxlan.*", "geneve.*",
// "mpls.*", "erspan.*"); the decoders keep only the layer (decode/tunnel.go).

// greOptAt reads a GRE optional field from one GRE header b: present when
// the flags have bit, at the offset after the optional fields before it;
// v1 (when not nil) requires the version to be 1 (true) or not (false).
func greOptAt(b []byte, bit uint16, in, n int, v1 *bool) (uint64, bool) {
	if len(b) < 4 {
		return 0, false
	}
	fl := uint16(b[0])<<8 | uint16(b[1])
	if fl&bit == 0 || v1 != nil && (fl&7 == 1) != *v1 {
		return 0, false
	}
	off := 4
	if bit != 0xc000 && fl&0xc000 != 0 {
		off += 4
	}
	if bit == 0x1000 && fl&0x2000 != 0 {
		off += 4
	}
	if bit == 0x0080 {
		if fl&7 != 1 {
			return 0, false
		}
		if fl&0x2000 != 0 {
			off += 4
		}
		if fl&0x1000 != 0 {
			off += 4
		}
	}
	return beUint(b, off+in, n)
}

// greOpt is a GRE optional field of every GRE header of the frame.
func greOpt(name string, t Type, base Base, bit uint16, in, n int) Field {
	return greField(name, t, base, bit, in, n, nil)
}

func greField(name string, t Type, base Base, bit uint16, in, n int, v1 *bool) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoGRE,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachLayer(f, decode.ProtoGRE, func(b []byte) {
				if v, ok := greOptAt(b, bit, in, n, v1); ok {
					dst = append(dst, Value{U: v})
				}
			})
			return dst
		}}
}

// greKey is the GRE key (v1 false) or a part of the PPTP (version 1) key field.
func greKey(name string, t Type, base Base, v1 bool, in, n int) Field {
	return greField(name, t, base, 0x2000, in, n, &v1)
}

// erspan2 is a field of the ERSPAN type II header.
func erspan2(name string, t Type, off, n int, mask uint64) Field {
	fl := layerUint(name, t, BaseDec, decode.ProtoERSPAN, off, n, mask)
	get := fl.Get
	fl.Get = func(f *decode.Frame, dst []Value) []Value {
		if b, ok := layerBytes(f, decode.ProtoERSPAN); !ok || len(b) < 1 || b[0]>>4 != 1 {
			return dst
		}
		return get(f, dst)
	}
	return fl
}

// mplsLabel is a part of each label stack entry, one value per label down
// to the bottom of the stack (Wireshark shows every label).
func mplsLabel(name string, base Base, mask uint32, shift uint) Field {
	return Field{Name: name, Type: FTUint32, Base: base, Proto: decode.ProtoMPLS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := layerBytes(f, decode.ProtoMPLS)
			if !ok {
				return dst
			}
			for off := 0; off+4 <= len(b); off += 4 {
				e := uint32(b[off])<<24 | uint32(b[off+1])<<16 | uint32(b[off+2])<<8 | uint32(b[off+3])
				dst = append(dst, Value{U: uint64(e & mask >> shift)})
				if e&0x100 != 0 {
					break
				}
			}
			return dst
		}}
}

var tunnelFields = []Field{
	protoField("gre", decode.ProtoGRE),
	layerUint("gre.flags_and_version", FTUint16, BaseHex, decode.ProtoGRE, 0, 2, 0),
	layerUint("gre.flags.checksum", FTBoolean, BaseNone, decode.ProtoGRE, 0, 2, 0x8000),
	layerUint("gre.flags.routing", FTBoolean, BaseNone, decode.ProtoGRE, 0, 2, 0x4000),
	layerUint("gre.flags.key", FTBoolean, BaseNone, decode.ProtoGRE, 0, 2, 0x2000),
	layerUint("gre.flags.sequence_number", FTBoolean, BaseNone, decode.ProtoGRE, 0, 2, 0x1000),
	layerUint("gre.flags.strict_source_route", FTBoolean, BaseNone, decode.ProtoGRE, 0, 2, 0x0800),
	layerUint("gre.flags.recursion_control", FTUint16, BaseDec, decode.ProtoGRE, 0, 2, 0x0700),
	layerUint("gre.flags.version", FTUint16, BaseDec, decode.ProtoGRE, 0, 2, 0x0007),
	layerUint("gre.proto", FTUint16, BaseHex, decode.ProtoGRE, 2, 2, 0),
	greOpt("gre.checksum", FTUint16, BaseHex, 0xc000, 0, 2),
	greOpt("gre.offset", FTUint16, BaseDec, 0xc000, 2, 2),
	greKey("gre.key", FTUint32, BaseHex, false, 0, 4),
	greKey("gre.key.payload_length", FTUint16, BaseDec, true, 0, 2),
	greKey("gre.key.call_id", FTUint16, BaseDec, true, 2, 2),
	greOpt("gre.sequence_number", FTUint32, BaseDec, 0x1000, 0, 4),
	greOpt("gre.ack_number", FTUint32, BaseDec, 0x0080, 0, 4),

	protoField("vxlan", decode.ProtoVXLAN),
	layerUint("vxlan.flags", FTUint16, BaseHex, decode.ProtoVXLAN, 0, 2, 0),
	layerUint("vxlan.flag_g", FTBoolean, BaseNone, decode.ProtoVXLAN, 0, 2, 0x8000),
	layerUint("vxlan.flag_i", FTBoolean, BaseNone, decode.ProtoVXLAN, 0, 2, 0x0800),
	layerUint("vxlan.flag_d", FTBoolean, BaseNone, decode.ProtoVXLAN, 0, 2, 0x0040),
	layerUint("vxlan.flag_a", FTBoolean, BaseNone, decode.ProtoVXLAN, 0, 2, 0x0008),
	layerUint("vxlan.flags_reserved", FTUint16, BaseHex, decode.ProtoVXLAN, 0, 2, 0x77b7),
	layerUint("vxlan.vni", FTUint24, BaseDec, decode.ProtoVXLAN, 4, 3, 0),
	layerUint("vxlan.reserved8", FTUint8, BaseDec, decode.ProtoVXLAN, 7, 1, 0),

	protoField("geneve", decode.ProtoGeneve),
	layerUint("geneve.version", FTUint8, BaseDec, decode.ProtoGeneve, 0, 1, 0xc0),
	layerUint("geneve.flags", FTUint8, BaseHex, decode.ProtoGeneve, 1, 1, 0),
	layerUint("geneve.flags.oam", FTBoolean, BaseNone, decode.ProtoGeneve, 1, 1, 0x80),
	layerUint("geneve.flags.critical", FTBoolean, BaseNone, decode.ProtoGeneve, 1, 1, 0x40),
	layerUint("geneve.proto_type", FTUint16, BaseHex, decode.ProtoGeneve, 2, 2, 0),
	layerUint("geneve.vni", FTUint24, BaseHexDec, decode.ProtoGeneve, 4, 3, 0),
	layerUint("geneve.reserved", FTUint8, BaseHex, decode.ProtoGeneve, 7, 1, 0),

	protoField("mpls", decode.ProtoMPLS),
	mplsLabel("mpls.label", BaseDecHex, 0xfffff000, 12),
	mplsLabel("mpls.exp", BaseDec, 0xe00, 9),
	mplsLabel("mpls.bottom", BaseDec, 0x100, 8),
	mplsLabel("mpls.ttl", BaseDec, 0xff, 0),

	protoField("erspan", decode.ProtoERSPAN),
	erspan2("erspan.version", FTUint16, 0, 2, 0xf000),
	erspan2("erspan.vlan", FTUint16, 0, 2, 0x0fff),
	erspan2("erspan.cos", FTUint16, 2, 2, 0xe000),
	erspan2("erspan.encap", FTUint16, 2, 2, 0x1800),
	erspan2("erspan.truncated", FTUint16, 2, 2, 0x0400),
	erspan2("erspan.spanid", FTUint16, 2, 2, 0x03ff),
	erspan2("erspan.reserved", FTUint32, 4, 4, 0xfff00000),
	erspan2("erspan.index", FTUint32, 4, 4, 0x000fffff),

	protoField("teredo", decode.ProtoTeredo),
}
