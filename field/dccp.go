package field

import "github.com/wirewatch/wirewatch/decode"

// DCCP fields (Wireshark 4.0 "dccp.*"): the generic header, relative and
// raw sequence and acknowledgement numbers, service and reset codes.

func dccpHeader(f *decode.Frame) (decode.DCCPHeader, []byte, bool) {
	b, ok := layerBytes(f, decode.ProtoDCCP)
	if !ok {
		return decode.DCCPHeader{}, nil, false
	}
	h, ok := decode.ParseDCCP(b)
	return h, b, ok
}

func dccpField(name string, t Type, base Base, get func(f *decode.Frame, h decode.DCCPHeader) (uint64, bool)) Field {
	return uintField(name, t, base, decode.ProtoDCCP, func(f *decode.Frame) (uint64, bool) {
		h, _, ok := dccpHeader(f)
		if !ok {
			return 0, false
		}
		return get(f, h)
	})
}

var dccpFields = []Field{
	protoField("dccp", decode.ProtoDCCP),
	layerUint("dccp.srcport", FTUint16, BaseDec, decode.ProtoDCCP, 0, 2, 0),
	layerUint("dccp.dstport", FTUint16, BaseDec, decode.ProtoDCCP, 2, 2, 0),
	layerField("dccp.port", FTUint16, BaseDec, decode.ProtoDCCP, func(b []byte, dst []Value) []Value {
		if len(b) >= 4 {
			dst = append(dst, Value{U: uint64(b[0])<<8 | uint64(b[1])}, Value{U: uint64(b[2])<<8 | uint64(b[3])})
		}
		return dst
	}),
	layerUint("dccp.data_offset", FTUint8, BaseDec, decode.ProtoDCCP, 4, 1, 0),
	layerUint("dccp.ccval", FTUint8, BaseDec, decode.ProtoDCCP, 5, 1, 0xf0),
	layerUint("dccp.cscov", FTUint8, BaseDec, decode.ProtoDCCP, 5, 1, 0x0f),
	layerUint("dccp.checksum", FTUint16, BaseHex, decode.ProtoDCCP, 6, 2, 0),
	layerUint("dccp.res1", FTUint8, BaseHex, decode.ProtoDCCP, 8, 1, 0xe0),
	layerUint("dccp.type", FTUint8, BaseDec, decode.ProtoDCCP, 8, 1, 0x1e),
	layerUint("dccp.x", FTBoolean, BaseNone, decode.ProtoDCCP, 8, 1, 0x01),
	// Short (24-bit) sequence numbers are shown as they are, without a raw twin.
	dccpField("dccp.seq", FTUint64, BaseDec, func(f *decode.Frame, h decode.DCCPHeader) (uint64, bool) {
		if !h.X {
			return h.Seq, true
		}
		return (h.Seq - f.DCCP.SeqBase) & 0xffffffffffff, f.DCCP.HasSeqBase
	}),
	dccpField("dccp.seq_raw", FTUint64, BaseDec, func(_ *decode.Frame, h decode.DCCPHeader) (uint64, bool) { return h.Seq, h.X }),
	dccpField("dccp.ack", FTUint64, BaseDec, func(f *decode.Frame, h decode.DCCPHeader) (uint64, bool) {
		return (h.Ack - f.DCCP.AckBase) & 0xffffffffffff, h.HasAck && f.DCCP.HasAckBase
	}),
	dccpField("dccp.ack_raw", FTUint64, BaseDec, func(_ *decode.Frame, h decode.DCCPHeader) (uint64, bool) { return h.Ack, h.HasAck }),
	dccpField("dccp.service_code", FTUint32, BaseDec, func(_ *decode.Frame, h decode.DCCPHeader) (uint64, bool) {
		return uint64(h.Service), h.HasSvc
	}),
	dccpField("dccp.reset_code", FTUint8, BaseDec, func(_ *decode.Frame, h decode.DCCPHeader) (uint64, bool) {
		return uint64(h.Reset), h.HasReset
	}),
}
