package field

import "github.com/wirewatch/wirewatch/decode"

// SCTP fields (Wireshark 4.0 "sctp.*"): the common header and, one
// occurrence per chunk, the chunk header and the fields of DATA, SACK,
// INIT and INIT_ACK chunks. TSNs are relative (sctp.data_tsn,
// sctp.sack_cumulative_tsn_ack) as Wireshark shows them, with the raw
// values beside.

// sctpChunkField lists a value of every chunk of type typ (-1: any) of the
// packet; get appends it from the chunk's type, flags and value.
func sctpChunkField(name string, t Type, base Base, typ int, get func(f *decode.Frame, ct, flags uint8, v []byte, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoSCTP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := layerBytes(f, decode.ProtoSCTP)
			if !ok {
				return dst
			}
			decode.SCTPChunks(b, func(ct, flags uint8, v []byte, _ int) bool {
				if typ < 0 || int(ct) == typ {
					dst = get(f, ct, flags, v, dst)
				}
				return true
			})
			return dst
		}}
}

// sctpUint is n bytes at off of the value of each chunk of type typ.
func sctpUint(name string, t Type, base Base, typ, off, n int, mask uint64) Field {
	shift := 0
	for mask != 0 && mask>>shift&1 == 0 {
		shift++
	}
	return sctpChunkField(name, t, base, typ, func(_ *decode.Frame, _, _ uint8, v []byte, dst []Value) []Value {
		u, ok := beUint(v, off, n)
		if !ok {
			return dst
		}
		if mask != 0 {
			u = u & mask >> shift
		}
		return append(dst, Value{U: u})
	})
}

// sctpFlag is a flag bit of each chunk of type typ.
func sctpFlag(name string, typ int, mask uint8) Field {
	fl := sctpChunkField(name, FTBoolean, BaseNone, typ, func(_ *decode.Frame, _, flags uint8, _ []byte, dst []Value) []Value {
		return append(dst, Value{U: b2u(flags&mask != 0)})
	})
	fl.Bitmask = uint64(mask)
	return fl
}

// sctpTSN is a TSN at off of chunks of type typ, relative (ack: to the
// reverse direction's base) unless raw.
func sctpTSN(name string, typ, off int, ack, raw bool) Field {
	return sctpChunkField(name, FTUint32, BaseDec, typ, func(f *decode.Frame, _, _ uint8, v []byte, dst []Value) []Value {
		u, ok := beUint(v, off, 4)
		if !ok {
			return dst
		}
		if !raw {
			u = uint64(f.SCTPRelTSN(uint32(u), ack))
		}
		return append(dst, Value{U: u})
	})
}

var sctpFields = []Field{
	protoField("sctp", decode.ProtoSCTP),
	layerUint("sctp.srcport", FTUint16, BaseDec, decode.ProtoSCTP, 0, 2, 0),
	layerUint("sctp.dstport", FTUint16, BaseDec, decode.ProtoSCTP, 2, 2, 0),
	{Name: "sctp.port", Type: FTUint16, Base: BaseDec, Proto: decode.ProtoSCTP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := layerBytes(f, decode.ProtoSCTP)
			if !ok || len(b) < 4 {
				return dst
			}
			return append(dst, Value{U: uint64(b[0])<<8 | uint64(b[1])}, Value{U: uint64(b[2])<<8 | uint64(b[3])})
		}},
	layerUint("sctp.verification_tag", FTUint32, BaseHex, decode.ProtoSCTP, 4, 4, 0),
	layerUint("sctp.checksum", FTUint32, BaseHex, decode.ProtoSCTP, 8, 4, 0),
	sctpChunkField("sctp.chunk_type", FTUint8, BaseDec, -1, func(_ *decode.Frame, ct, _ uint8, _ []byte, dst []Value) []Value {
		return append(dst, Value{U: uint64(ct)})
	}),
	sctpChunkField("sctp.chunk_bit_1", FTBoolean, BaseNone, -1, func(_ *decode.Frame, ct, _ uint8, _ []byte, dst []Value) []Value {
		return append(dst, Value{U: b2u(ct&0x80 != 0)})
	}),
	sctpChunkField("sctp.chunk_bit_2", FTBoolean, BaseNone, -1, func(_ *decode.Frame, ct, _ uint8, _ []byte, dst []Value) []Value {
		return append(dst, Value{U: b2u(ct&0x40 != 0)})
	}),
	sctpChunkField("sctp.chunk_flags", FTUint8, BaseHex, -1, func(_ *decode.Frame, _, flags uint8, _ []byte, dst []Value) []Value {
		return append(dst, Value{U: uint64(flags)})
	}),
	sctpChunkField("sctp.chunk_length", FTUint16, BaseDec, -1, func(_ *decode.Frame, _, _ uint8, v []byte, dst []Value) []Value {
		return append(dst, Value{U: uint64(len(v) + 4)})
	}),
	sctpFlag("sctp.data_e_bit", 0, 0x01),
	sctpFlag("sctp.data_b_bit", 0, 0x02),
	sctpFlag("sctp.data_u_bit", 0, 0x04),
	sctpFlag("sctp.data_i_bit", 0, 0x08),
	sctpTSN("sctp.data_tsn", 0, 0, false, false),
	sctpTSN("sctp.data_tsn_raw", 0, 0, false, true),
	sctpUint("sctp.data_sid", FTUint16, BaseHex, 0, 4, 2, 0),
	sctpUint("sctp.data_ssn", FTUint16, BaseDec, 0, 6, 2, 0),
	sctpUint("sctp.data_payload_proto_id", FTUint32, BaseDec, 0, 8, 4, 0),
	sctpTSN("sctp.sack_cumulative_tsn_ack", 3, 0, true, false),
	sctpTSN("sctp.sack_cumulative_tsn_ack_raw", 3, 0, true, true),
	sctpUint("sctp.sack_a_rwnd", FTUint32, BaseDec, 3, 4, 4, 0),
	sctpUint("sctp.sack_number_of_gap_blocks", FTUint16, BaseDec, 3, 8, 2, 0),
	sctpUint("sctp.sack_number_of_duplicated_tsns", FTUint16, BaseDec, 3, 10, 2, 0),
	sctpUint("sctp.init_initiate_tag", FTUint32, BaseHex, 1, 0, 4, 0),
	sctpUint("sctp.init_credit", FTUint32, BaseDec, 1, 4, 4, 0),
	sctpUint("sctp.init_nr_out_streams", FTUint16, BaseDec, 1, 8, 2, 0),
	sctpUint("sctp.init_nr_in_streams", FTUint16, BaseDec, 1, 10, 2, 0),
	sctpUint("sctp.init_initial_tsn", FTUint32, BaseDec, 1, 12, 4, 0),
	sctpUint("sctp.initack_initiate_tag", FTUint32, BaseHex, 2, 0, 4, 0),
	sctpUint("sctp.initack_credit", FTUint32, BaseDec, 2, 4, 4, 0),
	sctpUint("sctp.initack_nr_out_streams", FTUint16, BaseDec, 2, 8, 2, 0),
	sctpUint("sctp.initack_nr_in_streams", FTUint16, BaseDec, 2, 10, 2, 0),
	sctpUint("sctp.initack_initial_tsn", FTUint32, BaseDec, 2, 12, 4, 0),
	sctpUint("sctp.shutdown_cumulative_tsn_ack", FTUint32, BaseDec, 7, 0, 4, 0),
}
