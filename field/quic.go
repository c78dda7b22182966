package field

import "github.com/wirewatch/wirewatch/decode"

// QUIC fields (Wireshark 4.0 "quic.*") of the packets of a datagram; frame
// fields come from decrypted Initial packets only.

// quicPkts is a field with the values get finds in each packet.
func quicPkts(name string, t Type, base Base, get func(p *decode.QUICPacket, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoQUIC,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if f.Has(decode.ProtoQUIC) {
				for i := range f.QUIC.Pkts {
					dst = get(&f.QUIC.Pkts[i], dst)
				}
			}
			return dst
		}}
}

// quicLong is a field of long header packets.
func quicLong(name string, t Type, base Base, get func(p *decode.QUICPacket) (uint64, bool)) Field {
	return quicPkts(name, t, base, func(p *decode.QUICPacket, dst []Value) []Value {
		if !p.Long {
			return dst
		}
		if v, ok := get(p); ok {
			dst = append(dst, Value{U: v})
		}
		return dst
	})
}

// quicFrames is a field with the values get finds in each frame of each
// decrypted packet.
func quicFrames(name string, t Type, base Base, get func(fr decode.QUICFrame, dst []Value) []Value) Field {
	return quicPkts(name, t, base, func(p *decode.QUICPacket, dst []Value) []Value {
		if !p.Decrypted {
			return dst
		}
		decode.EachQUICFrame(p.Payload, func(fr decode.QUICFrame) bool {
			dst = get(fr, dst)
			return true
		})
		return dst
	})
}

var quicFields = []Field{
	protoField("quic", decode.ProtoQUIC),
	quicPkts("quic.packet_length", FTUint32, BaseDec, func(p *decode.QUICPacket, dst []Value) []Value {
		return append(dst, Value{U: uint64(p.Len)})
	}),
	quicPkts("quic.header_form", FTUint8, BaseDec, func(p *decode.QUICPacket, dst []Value) []Value {
		return append(dst, Value{U: uint64(p.First >> 7)})
	}),
	quicPkts("quic.fixed_bit", FTBoolean, BaseNone, func(p *decode.QUICPacket, dst []Value) []Value {
		if p.Long && (p.Version == 0 || p.Type == decode.QUICRetry) {
			return dst
		}
		return append(dst, Value{U: uint64(p.First >> 6 & 1)})
	}),
	quicPkts("quic.spin_bit", FTBoolean, BaseNone, func(p *decode.QUICPacket, dst []Value) []Value {
		if p.Long {
			return dst
		}
		return append(dst, Value{U: uint64(p.First >> 5 & 1)})
	}),
	quicLong("quic.long.packet_type", FTUint8, BaseDec, func(p *decode.QUICPacket) (uint64, bool) {
		return uint64(p.First >> 4 & 3), p.Version != 0 && !quicV2(p.Version)
	}),
	quicLong("quic.long.packet_type_v2", FTUint8, BaseDec, func(p *decode.QUICPacket) (uint64, bool) {
		return uint64(p.First >> 4 & 3), quicV2(p.Version)
	}),
	quicLong("quic.version", FTUint32, BaseHex, func(p *decode.QUICPacket) (uint64, bool) { return uint64(p.Version), true }),
	quicLong("quic.dcil", FTUint8, BaseDec, func(p *decode.QUICPacket) (uint64, bool) { return uint64(len(p.DCID)), true }),
	quicLong("quic.scil", FTUint8, BaseDec, func(p *decode.QUICPacket) (uint64, bool) { return uint64(len(p.SCID)), p.HasSCID }),
	quicPkts("quic.dcid", FTBytes, BaseNone, func(p *decode.QUICPacket, dst []Value) []Value {
		if len(p.DCID) > 0 {
			dst = append(dst, Value{B: p.DCID})
		}
		return dst
	}),
	quicPkts("quic.scid", FTBytes, BaseNone, func(p *decode.QUICPacket, dst []Value) []Value {
		if len(p.SCID) > 0 {
			dst = append(dst, Value{B: p.SCID})
		}
		return dst
	}),
	quicLong("quic.token_length", FTUint64, BaseDec, func(p *decode.QUICPacket) (uint64, bool) {
		return p.TokenLen, p.Type == decode.QUICInitial
	}),
	quicLong("quic.length", FTUint64, BaseDec, func(p *decode.QUICPacket) (uint64, bool) { return p.Length, p.HasLength }),
	quicPkts("quic.packet_number", FTUint64, BaseDec, func(p *decode.QUICPacket, dst []Value) []Value {
		if p.Unprotected {
			dst = append(dst, Value{U: p.PN})
		}
		return dst
	}),
	quicPkts("quic.packet_number_length", FTUint8, BaseDec, func(p *decode.QUICPacket, dst []Value) []Value {
		if p.Unprotected {
			dst = append(dst, Value{U: uint64(p.PNLen - 1)})
		}
		return dst
	}),
	quicPkts("quic.remaining_payload", FTBytes, BaseNone, func(p *decode.QUICPacket, dst []Value) []Value {
		if !p.Unprotected && len(p.Protected) > 0 {
			dst = append(dst, Value{B: p.Protected})
		}
		return dst
	}),
	quicFrames("quic.frame_type", FTUint64, BaseDec, func(fr decode.QUICFrame, dst []Value) []Value {
		return append(dst, Value{U: fr.Type})
	}),
	quicFrames("quic.padding_length", FTUint32, BaseDec, func(fr decode.QUICFrame, dst []Value) []Value {
		if fr.Type == 0 {
			dst = append(dst, Value{U: uint64(fr.Len)})
		}
		return dst
	}),
	quicFrames("quic.crypto.offset", FTUint64, BaseDec, func(fr decode.QUICFrame, dst []Value) []Value {
		if fr.Type == 6 {
			dst = append(dst, Value{U: fr.Offset})
		}
		return dst
	}),
	quicFrames("quic.crypto.length", FTUint64, BaseDec, func(fr decode.QUICFrame, dst []Value) []Value {
		if fr.Type == 6 {
			dst = append(dst, Value{U: uint64(len(fr.Data))})
		}
		return dst
	}),
}

// quicV2 reports whether v is QUIC version 2 (RFC 9369, or its draft
// version), whose long packet types Wireshark names quic.long.packet_type_v2.
func quicV2(v uint32) bool { return v == 0x6b3343cf || v == 0x709a50c4 }
