package field

import "github.com/wirewatch/wirewatch/decode"

func hasICMP(f *decode.Frame) bool { return f.Has(decode.ProtoICMP) }

func icmpIDSeq(f *decode.Frame) bool {
	if !hasICMP(f) || f.ICMP.HasInner {
		return false
	}
	switch f.ICMP.Type {
	case 0, 8, 13, 14, 15, 16, 17, 18:
		return true
	}
	return false
}

func swap16(v uint16) uint64 { return uint64(v>>8 | v<<8) }

// icmp.*: ICMP for IPv4.
var icmpFields = []Field{
	uintField("icmp.type", FTUint8, BaseDec, decode.ProtoICMP, func(f *decode.Frame) (uint64, bool) { return uint64(f.ICMP.Type), hasICMP(f) }),
	uintField("icmp.code", FTUint8, BaseDec, decode.ProtoICMP, func(f *decode.Frame) (uint64, bool) { return uint64(f.ICMP.Code), hasICMP(f) }),
	uintField("icmp.checksum", FTUint16, BaseHex, decode.ProtoICMP, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.ICMP.Checksum), hasICMP(f)
	}),
	uintField("icmp.ident", FTUint16, BaseDecHex, decode.ProtoICMP, func(f *decode.Frame) (uint64, bool) { return uint64(f.ICMP.ID), icmpIDSeq(f) }),
	uintField("icmp.ident_le", FTUint16, BaseDecHex, decode.ProtoICMP, func(f *decode.Frame) (uint64, bool) { return swap16(f.ICMP.ID), icmpIDSeq(f) }),
	uintField("icmp.seq", FTUint16, BaseDecHex, decode.ProtoICMP, func(f *decode.Frame) (uint64, bool) { return uint64(f.ICMP.Seq), icmpIDSeq(f) }),
	uintField("icmp.seq_le", FTUint16, BaseDecHex, decode.ProtoICMP, func(f *decode.Frame) (uint64, bool) { return swap16(f.ICMP.Seq), icmpIDSeq(f) }),
}
