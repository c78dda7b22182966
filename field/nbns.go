package field

import "github.com/wirewatch/wirewatch/decode"

// NBNS fields (Wireshark 4.0 "nbns.*") from the message decode/nbns.go
// parsed.

func nbnsOf(f *decode.Frame) *decode.NBNS {
	if !f.Has(decode.ProtoNBNS) {
		return nil
	}
	return &f.NBNS
}

// nbnsHdr is a header field; respOnly ones exist in responses only.
func nbnsHdr(name string, t Type, base Base, mask uint64, respOnly bool, get func(m *decode.NBNS) uint64) Field {
	fl := uintField(name, t, base, decode.ProtoNBNS, func(f *decode.Frame) (uint64, bool) {
		m := nbnsOf(f)
		if m == nil || (respOnly && m.Flags&0x8000 == 0) {
			return 0, false
		}
		return get(m), true
	})
	fl.Bitmask = mask
	return fl
}

func nbnsFlag(name string, mask uint16, respOnly bool) Field {
	return nbnsHdr(name, FTBoolean, BaseNone, uint64(mask), respOnly, func(m *decode.NBNS) uint64 { return b2u(m.Flags&mask != 0) })
}

// nbnsRec is a field with one occurrence per record get accepts.
func nbnsRec(name string, t Type, base Base, get func(r *decode.NBNSRecord, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoNBNS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if m := nbnsOf(f); m != nil {
				for i := range m.Records {
					dst = get(&m.Records[i], dst)
				}
			}
			return dst
		}}
}

// nbnsEntries calls fn for each 6-byte NB entry (flags, address) of an NB record.
func nbnsEntries(r *decode.NBNSRecord, dst []Value, fn func(e []byte, dst []Value) []Value) []Value {
	if r.Section == 0 || r.Type != 32 {
		return dst
	}
	for d := r.RData; len(d) >= 6; d = d[6:] {
		dst = fn(d[:6], dst)
	}
	return dst
}

var nbnsFields = []Field{
	protoField("nbns", decode.ProtoNBNS),
	nbnsHdr("nbns.id", FTUint16, BaseHex, 0, false, func(m *decode.NBNS) uint64 { return uint64(m.ID) }),
	nbnsHdr("nbns.flags", FTUint16, BaseHex, 0, false, func(m *decode.NBNS) uint64 { return uint64(m.Flags) }),
	nbnsFlag("nbns.flags.response", 0x8000, false),
	nbnsHdr("nbns.flags.opcode", FTUint16, BaseDec, 0x7800, false, func(m *decode.NBNS) uint64 { return uint64(m.Flags >> 11 & 0xf) }),
	nbnsFlag("nbns.flags.authoritative", 0x400, true),
	nbnsFlag("nbns.flags.truncated", 0x200, false),
	nbnsFlag("nbns.flags.recdesired", 0x100, false),
	nbnsFlag("nbns.flags.recavail", 0x80, true),
	nbnsFlag("nbns.flags.broadcast", 0x10, false),
	nbnsHdr("nbns.flags.rcode", FTUint16, BaseDec, 0xf, true, func(m *decode.NBNS) uint64 { return uint64(m.Flags & 0xf) }),
	nbnsHdr("nbns.count.queries", FTUint16, BaseDec, 0, false, func(m *decode.NBNS) uint64 { return uint64(m.Counts[0]) }),
	nbnsHdr("nbns.count.answers", FTUint16, BaseDec, 0, false, func(m *decode.NBNS) uint64 { return uint64(m.Counts[1]) }),
	nbnsHdr("nbns.count.auth_rr", FTUint16, BaseDec, 0, false, func(m *decode.NBNS) uint64 { return uint64(m.Counts[2]) }),
	nbnsHdr("nbns.count.add_rr", FTUint16, BaseDec, 0, false, func(m *decode.NBNS) uint64 { return uint64(m.Counts[3]) }),
	nbnsRec("nbns.name", FTString, BaseNone, func(r *decode.NBNSRecord, dst []Value) []Value {
		if r.Section == 0 {
			return append(dst, Value{B: r.Name})
		}
		return append(dst, Value{B: r.NameDesc})
	}),
	nbnsRec("nbns.type", FTUint16, BaseDec, func(r *decode.NBNSRecord, dst []Value) []Value {
		return append(dst, Value{U: uint64(r.Type)})
	}),
	nbnsRec("nbns.class", FTUint16, BaseDec, func(r *decode.NBNSRecord, dst []Value) []Value {
		return append(dst, Value{U: uint64(r.Class)})
	}),
	nbnsRec("nbns.ttl", FTUint32, BaseDec, func(r *decode.NBNSRecord, dst []Value) []Value {
		if r.Section == 0 {
			return dst
		}
		return append(dst, Value{U: uint64(r.TTL)})
	}),
	nbnsRec("nbns.data_length", FTUint16, BaseDec, func(r *decode.NBNSRecord, dst []Value) []Value {
		if r.Section == 0 {
			return dst
		}
		return append(dst, Value{U: uint64(r.DataLen)})
	}),
	nbnsRec("nbns.nb_flags", FTUint16, BaseHex, func(r *decode.NBNSRecord, dst []Value) []Value {
		return nbnsEntries(r, dst, func(e []byte, dst []Value) []Value { return append(dst, Value{U: uint64(e[0])<<8 | uint64(e[1])}) })
	}),
	nbnsRec("nbns.nb_flags.group", FTBoolean, BaseNone, func(r *decode.NBNSRecord, dst []Value) []Value {
		return nbnsEntries(r, dst, func(e []byte, dst []Value) []Value { return append(dst, Value{U: uint64(e[0] >> 7)}) })
	}),
	nbnsRec("nbns.nb_flags.ont", FTUint16, BaseDec, func(r *decode.NBNSRecord, dst []Value) []Value {
		return nbnsEntries(r, dst, func(e []byte, dst []Value) []Value { return append(dst, Value{U: uint64(e[0] >> 5 & 3)}) })
	}),
	nbnsRec("nbns.addr", FTIPv4, BaseNone, func(r *decode.NBNSRecord, dst []Value) []Value {
		return nbnsEntries(r, dst, func(e []byte, dst []Value) []Value { return append(dst, Value{A: addr4(e[2:])}) })
	}),
	nbnsRec("nbns.number_of_names", FTUint8, BaseDec, func(r *decode.NBNSRecord, dst []Value) []Value {
		if r.Section == 0 || r.Type != 33 || len(r.RData) < 1 {
			return dst
		}
		return append(dst, Value{U: uint64(r.RData[0])})
	}),
}
