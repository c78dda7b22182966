package field

import (
	"slices"

	"github.com/wirewatch/wirewatch/decode"
)

// IGMP fields (Wireshark 4.0 "igmp.*"), parsed from the message bytes.

func igmpMsg(f *decode.Frame) ([]byte, bool) { return layerBytes(f, decode.ProtoIGMP) }

// igmpHdr is a header field of n bytes at off for messages of the versions in vers (bit per version).
func igmpHdr(name string, t Type, base Base, off, n int, mask uint64, vers uint8) Field {
	fl := uintField(name, t, base, decode.ProtoIGMP, func(f *decode.Frame) (uint64, bool) {
		b, ok := igmpMsg(f)
		if !ok || vers&(1<<decode.IGMPVersion(b)) == 0 {
			return 0, false
		}
		v, ok := beUint(b, off, n)
		if mask != 0 {
			sh := 0
			for mask>>sh&1 == 0 {
				sh++
			}
			v = v & mask >> sh
		}
		return v, ok
	})
	fl.Bitmask = mask
	return fl
}

// igmpRecords calls fn for each group record of a v3 report.
func igmpRecords(b []byte, fn func(rec []byte, ns int)) {
	if len(b) < 8 || b[0] != 0x22 {
		return
	}
	o := 8
	for r := 0; r < int(b[6])<<8|int(b[7]) && o+8 <= len(b); r++ {
		ns, aux := int(b[o+2])<<8|int(b[o+3]), int(b[o+1])
		fn(b[o:], ns)
		o += 8 + 4*ns + 4*aux
	}
}

func igmpRec(name string, t Type, base Base, get func(rec []byte, ns int, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoIGMP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := igmpMsg(f)
			if !ok {
				return dst
			}
			igmpRecords(b, func(rec []byte, ns int) { dst = get(rec, ns, dst) })
			return dst
		}}
}

const (
	igmpV1   = 1 << 1
	igmpV2   = 1 << 2
	igmpV3   = 1 << 3
	igmpV123 = igmpV1 | igmpV2 | igmpV3
)

var igmpFields = []Field{
	protoField("igmp", decode.ProtoIGMP),
	uintField("igmp.version", FTUint8, BaseDec, decode.ProtoIGMP, func(f *decode.Frame) (uint64, bool) {
		b, ok := igmpMsg(f)
		return uint64(decode.IGMPVersion(b)), ok
	}),
	igmpHdr("igmp.type", FTUint8, BaseHex, 0, 1, 0, igmpV123),
	igmpOfTypes("igmp.max_resp", FTUint8, BaseDec, 1, 0, 0x11, 0x16, 0x17),
	igmpHdr("igmp.checksum", FTUint16, BaseHex, 2, 2, 0, igmpV123),
	{Name: "igmp.checksum.status", Type: FTUint8, Base: BaseNone, Proto: decode.ProtoIGMP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := igmpMsg(f)
			if !ok {
				return dst
			}
			var sum uint32
			for i := 0; i+1 < len(b); i += 2 {
				sum += uint32(b[i])<<8 | uint32(b[i+1])
			}
			if len(b)%2 == 1 {
				sum += uint32(b[len(b)-1]) << 8
			}
			for sum>>16 != 0 {
				sum = sum&0xffff + sum>>16
			}
			st := uint64(0)
			switch {
			case f.CapLen < f.Len:
				st = 2
			case sum == 0xffff:
				st = 1
			}
			return append(dst, Value{U: st})
		}},
	{Name: "igmp.maddr", Type: FTIPv4, Proto: decode.ProtoIGMP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := igmpMsg(f)
			if !ok {
				return dst
			}
			if b[0] == 0x22 {
				igmpRecords(b, func(rec []byte, ns int) {
					if len(rec) >= 8 {
						dst = append(dst, Value{A: addr4(rec[4:])})
					}
				})
				return dst
			}
			if len(b) >= 8 {
				dst = append(dst, Value{A: addr4(b[4:])})
			}
			return dst
		}},
	uintField("igmp.num_grp_recs", FTUint16, BaseDec, decode.ProtoIGMP, func(f *decode.Frame) (uint64, bool) {
		b, ok := igmpMsg(f)
		if !ok || b[0] != 0x22 || len(b) < 8 {
			return 0, false
		}
		return uint64(b[6])<<8 | uint64(b[7]), true
	}),
	igmpRec("igmp.record_type", FTUint8, BaseDec, func(rec []byte, ns int, dst []Value) []Value {
		return append(dst, Value{U: uint64(rec[0])})
	}),
	igmpRec("igmp.aux_data_len", FTUint8, BaseDec, func(rec []byte, ns int, dst []Value) []Value {
		return append(dst, Value{U: uint64(rec[1])})
	}),
	{Name: "igmp.num_src", Type: FTUint16, Base: BaseDec, Proto: decode.ProtoIGMP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := igmpMsg(f)
			if !ok {
				return dst
			}
			if b[0] == 0x11 && len(b) >= 12 {
				return append(dst, Value{U: uint64(b[10])<<8 | uint64(b[11])})
			}
			igmpRecords(b, func(rec []byte, ns int) { dst = append(dst, Value{U: uint64(ns)}) })
			return dst
		}},
	{Name: "igmp.saddr", Type: FTIPv4, Proto: decode.ProtoIGMP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := igmpMsg(f)
			if !ok {
				return dst
			}
			if b[0] == 0x11 && len(b) >= 12 {
				for i := 0; i < int(b[10])<<8|int(b[11]) && 12+4*i+4 <= len(b); i++ {
					dst = append(dst, Value{A: addr4(b[12+4*i:])})
				}
				return dst
			}
			igmpRecords(b, func(rec []byte, ns int) {
				for i := 0; i < ns && 8+4*i+4 <= len(rec); i++ {
					dst = append(dst, Value{A: addr4(rec[8+4*i:])})
				}
			})
			return dst
		}},
	igmpQuery3("igmp.s", FTBoolean, BaseNone, 8, 0x8),
	igmpQuery3("igmp.qrv", FTUint8, BaseDec, 8, 0x7),
	igmpQuery3("igmp.qqic", FTUint8, BaseDec, 9, 0),
}

// igmpQuery3 is a field of IGMPv3 queries (the byte at off, masked).
func igmpQuery3(name string, t Type, base Base, off int, mask uint64) Field {
	return igmpOfTypes(name, t, base, off, mask, 0x11)
}

// igmpOfTypes is the byte at off (masked) of version 2 and 3 messages of
// the types given (a query only when it is version 3, but for max_resp).
func igmpOfTypes(name string, t Type, base Base, off int, mask uint64, types ...byte) Field {
	fl := igmpHdr(name, t, base, off, 1, mask, igmpV2|igmpV3)
	get := fl.Get
	fl.Get = func(f *decode.Frame, dst []Value) []Value {
		b, ok := igmpMsg(f)
		if !ok || !slices.Contains(types, b[0]) || (b[0] == 0x11 && name != "igmp.max_resp" && decode.IGMPVersion(b) != 3) {
			return dst
		}
		return get(f, dst)
	}
	return fl
}
