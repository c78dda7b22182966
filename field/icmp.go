package field

import "github.com/wirewatch/wirewatch/decode"

func hasICMP(f *decode.Frame) bool { return f.Has(decode.ProtoICMP) }

func swap16(v uint16) uint64 { return uint64(v>>8 | v<<8) }

// innerICMP returns the header of an ICMP message quoted in an ICMP error.
func innerICMP(f *decode.Frame) []byte {
	if hasICMP(f) && f.ICMP.HasInner && f.ICMP.InnerIP.Protocol == decode.IPProtoICMP && len(f.ICMP.InnerL4) >= 4 {
		return f.ICMP.InnerL4
	}
	return nil
}

func isEchoLike(t byte) bool {
	switch t {
	case 0, 8, 13, 14, 15, 16, 17, 18:
		return true
	}
	return false
}

// icmpHdr builds an icmp.* field from the header, then from a quoted ICMP header.
func icmpHdr(name string, t Type, base Base, outer func(c *decode.ICMP) (uint64, bool), inner func(h []byte) (uint64, bool)) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoICMP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !hasICMP(f) {
				return dst
			}
			if v, ok := outer(&f.ICMP); ok {
				dst = append(dst, Value{U: v})
			}
			if h := innerICMP(f); h != nil {
				if v, ok := inner(h); ok {
					dst = append(dst, Value{U: v})
				}
			}
			return dst
		}}
}

func innerIDSeq(h []byte, off int, swap bool) (uint64, bool) {
	if len(h) < 8 || !isEchoLike(h[0]) {
		return 0, false
	}
	v := uint16(h[off])<<8 | uint16(h[off+1])
	if swap {
		return swap16(v), true
	}
	return uint64(v), true
}

// icmp.*: ICMP for IPv4.
var icmpFields = []Field{
	icmpHdr("icmp.type", FTUint8, BaseDec, func(c *decode.ICMP) (uint64, bool) { return uint64(c.Type), true },
		func(h []byte) (uint64, bool) { return uint64(h[0]), true }),
	icmpHdr("icmp.code", FTUint8, BaseDec, func(c *decode.ICMP) (uint64, bool) { return uint64(c.Code), true },
		func(h []byte) (uint64, bool) { return uint64(h[1]), true }),
	icmpHdr("icmp.checksum", FTUint16, BaseHex, func(c *decode.ICMP) (uint64, bool) { return uint64(c.Checksum), true },
		func(h []byte) (uint64, bool) { return uint64(h[2])<<8 | uint64(h[3]), true }),
	icmpHdr("icmp.ident", FTUint16, BaseDecHex, func(c *decode.ICMP) (uint64, bool) { return uint64(c.ID), !c.HasInner && isEchoLike(c.Type) },
		func(h []byte) (uint64, bool) { return innerIDSeq(h, 4, false) }),
	icmpHdr("icmp.ident_le", FTUint16, BaseDecHex, func(c *decode.ICMP) (uint64, bool) { return swap16(c.ID), !c.HasInner && isEchoLike(c.Type) },
		func(h []byte) (uint64, bool) { return innerIDSeq(h, 4, true) }),
	icmpHdr("icmp.seq", FTUint16, BaseDecHex, func(c *decode.ICMP) (uint64, bool) { return uint64(c.Seq), !c.HasInner && isEchoLike(c.Type) },
		func(h []byte) (uint64, bool) { return innerIDSeq(h, 6, false) }),
	icmpHdr("icmp.seq_le", FTUint16, BaseDecHex, func(c *decode.ICMP) (uint64, bool) { return swap16(c.Seq), !c.HasInner && isEchoLike(c.Type) },
		func(h []byte) (uint64, bool) { return innerIDSeq(h, 6, true) }),
}
