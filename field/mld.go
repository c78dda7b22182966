package field

import "github.com/wirewatch/wirewatch/decode"

// MLD (RFC 2710) and MLDv2 (RFC 3810) fields of ICMPv6 messages 130-132
// and 143 ("icmpv6.mld.*", "icmpv6.mldr.*"), parsed from the message bytes.

// mldMsg returns the ICMPv6 message when it is an MLD message.
func mldMsg(f *decode.Frame) ([]byte, bool) {
	b, ok := layerBytes(f, decode.ProtoICMPv6)
	if !ok || len(b) < 8 {
		return nil, false
	}
	switch b[0] {
	case 130, 131, 132, 143:
		return b, true
	}
	return nil, false
}

func mldField(name string, t Type, base Base, get func(b []byte, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoICMPv6,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if b, ok := mldMsg(f); ok {
				dst = get(b, dst)
			}
			return dst
		}}
}

// mldRecords calls fn for each multicast address record of an MLDv2 report.
func mldRecords(b []byte, fn func(rec []byte, ns int)) {
	if b[0] != 143 {
		return
	}
	o := 8
	for r := 0; r < int(b[6])<<8|int(b[7]) && o+20 <= len(b); r++ {
		ns, aux := int(b[o+2])<<8|int(b[o+3]), int(b[o+1])
		fn(b[o:], ns)
		o += 20 + 16*ns + 4*aux
	}
}

func mldRec(name string, t Type, base Base, get func(rec []byte, ns int, dst []Value) []Value) Field {
	return mldField(name, t, base, func(b []byte, dst []Value) []Value {
		mldRecords(b, func(rec []byte, ns int) { dst = get(rec, ns, dst) })
		return dst
	})
}

var mldFields = []Field{
	mldField("icmpv6.mld.maximum_response_delay", FTUint16, BaseDec, func(b []byte, dst []Value) []Value {
		if b[0] != 143 && len(b) >= 24 {
			dst = append(dst, Value{U: uint64(b[4])<<8 | uint64(b[5])})
		}
		return dst
	}),
	mldField("icmpv6.mld.multicast_address", FTIPv6, BaseNone, func(b []byte, dst []Value) []Value {
		if b[0] != 143 && len(b) >= 24 {
			dst = append(dst, Value{A: addr16(b[8:])})
		}
		return dst
	}),
	mldField("icmpv6.mldr.nb_mcast_records", FTUint16, BaseDec, func(b []byte, dst []Value) []Value {
		if b[0] == 143 {
			dst = append(dst, Value{U: uint64(b[6])<<8 | uint64(b[7])})
		}
		return dst
	}),
	mldRec("icmpv6.mldr.mar.record_type", FTUint8, BaseDec, func(rec []byte, ns int, dst []Value) []Value {
		return append(dst, Value{U: uint64(rec[0])})
	}),
	mldRec("icmpv6.mldr.mar.aux_data_len", FTUint8, BaseDec, func(rec []byte, ns int, dst []Value) []Value {
		return append(dst, Value{U: uint64(rec[1])})
	}),
	mldRec("icmpv6.mldr.mar.nb_sources", FTUint16, BaseDec, func(rec []byte, ns int, dst []Value) []Value {
		return append(dst, Value{U: uint64(ns)})
	}),
	mldRec("icmpv6.mldr.mar.multicast_address", FTIPv6, BaseNone, func(rec []byte, ns int, dst []Value) []Value {
		return append(dst, Value{A: addr16(rec[4:])})
	}),
	mldRec("icmpv6.mldr.mar.source_address", FTIPv6, BaseNone, func(rec []byte, ns int, dst []Value) []Value {
		for i := 0; i < ns && 20+16*i+16 <= len(rec); i++ {
			dst = append(dst, Value{A: addr16(rec[20+16*i:])})
		}
		return dst
	}),
}
