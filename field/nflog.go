package field

import (
	"github.com/wirewatch/wirewatch/decode"
)

// Fields of the Linux NFLOG link-layer header (decode/link.go decodeNFLOG):
// a 4-byte header and type-length-value attributes whose length and type
// are in the logging host's byte order (decode.EachNFLOGTLV), with values
// in network order.

// nflogTLVs calls fn with every attribute of f's NFLOG header.
func nflogTLVs(f *decode.Frame, fn func(typ uint16, tlv, v []byte)) {
	if f.Has(decode.ProtoNFLOG) {
		decode.EachNFLOGTLV(f.Data, fn)
	}
}

// nflogUint is an unsigned (or, with t FTInt32, signed) attribute value of
// n bytes at off of attribute typ.
func nflogUint(name string, t Type, base Base, typ uint16, off, n int) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoNFLOG,
		Get: func(f *decode.Frame, dst []Value) []Value {
			nflogTLVs(f, func(ty uint16, _, v []byte) {
				if x, ok := beUint(v, off, n); ok && ty == typ {
					if t == FTInt32 {
						dst = append(dst, Value{I: int64(int32(x))})
					} else {
						dst = append(dst, Value{U: x})
					}
				}
			})
			return dst
		}}
}

// nflogGeneric are the attribute types Wireshark shows only as nflog.tlv_value.
func nflogGeneric(t uint16) bool {
	switch t {
	case 1, 3, 4, 5, 6, 7, 9, 10, 11, 14:
		return false
	}
	return true
}

var nflogFields = []Field{
	layerUint("nflog.family", FTUint8, BaseDec, decode.ProtoNFLOG, 0, 1, 0),
	layerUint("nflog.version", FTUint8, BaseDec, decode.ProtoNFLOG, 1, 1, 0),
	layerUint("nflog.res_id", FTUint16, BaseDec, decode.ProtoNFLOG, 2, 2, 0),
	{Name: "nflog.tlv", Type: FTBytes, Proto: decode.ProtoNFLOG, Get: func(f *decode.Frame, dst []Value) []Value {
		nflogTLVs(f, func(_ uint16, tlv, _ []byte) { dst = append(dst, Value{B: tlv}) })
		return dst
	}},
	{Name: "nflog.tlv_length", Type: FTUint16, Base: BaseDec, Proto: decode.ProtoNFLOG, Get: func(f *decode.Frame, dst []Value) []Value {
		nflogTLVs(f, func(_ uint16, tlv, _ []byte) { dst = append(dst, Value{U: uint64(len(tlv))}) })
		return dst
	}},
	{Name: "nflog.tlv_type", Type: FTUint16, Base: BaseDec, Bitmask: 0x7fff, Proto: decode.ProtoNFLOG, Get: func(f *decode.Frame, dst []Value) []Value {
		nflogTLVs(f, func(t uint16, _, _ []byte) { dst = append(dst, Value{U: uint64(t)}) })
		return dst
	}},
	{Name: "nflog.tlv_value", Type: FTBytes, Proto: decode.ProtoNFLOG, Get: func(f *decode.Frame, dst []Value) []Value {
		nflogTLVs(f, func(t uint16, _, v []byte) {
			if nflogGeneric(t) && len(v) > 0 {
				dst = append(dst, Value{B: v})
			}
		})
		return dst
	}},
	nflogUint("nflog.protocol", FTUint16, BaseHex, 1, 0, 2),
	nflogUint("nflog.hook", FTUint8, BaseDec, 1, 2, 1),
	nflogUint("nflog.ifindex_indev", FTUint32, BaseDec, 4, 0, 4),
	nflogUint("nflog.ifindex_outdev", FTUint32, BaseDec, 5, 0, 4),
	nflogUint("nflog.ifindex_physindev", FTUint32, BaseDec, 6, 0, 4),
	nflogUint("nflog.ifindex_physoutdev", FTUint32, BaseDec, 7, 0, 4),
	nflogUint("nflog.uid", FTInt32, BaseDec, 11, 0, 4),
	nflogUint("nflog.gid", FTInt32, BaseDec, 14, 0, 4),
	{Name: "nflog.prefix", Type: FTString, Proto: decode.ProtoNFLOG, Get: func(f *decode.Frame, dst []Value) []Value {
		nflogTLVs(f, func(t uint16, _, v []byte) {
			if t == 10 {
				dst = append(dst, Value{B: cstr(v)})
			}
		})
		return dst
	}},
	{Name: "nflog.timestamp", Type: FTAbsTime, Proto: decode.ProtoNFLOG, Get: func(f *decode.Frame, dst []Value) []Value {
		nflogTLVs(f, func(t uint16, _, v []byte) {
			sec, ok1 := beUint(v, 0, 8)
			usec, ok2 := beUint(v, 8, 8)
			if t == 3 && ok1 && ok2 {
				dst = append(dst, Value{I: int64(sec)*1e9 + int64(usec)*1e3})
			}
		})
		return dst
	}},
}
