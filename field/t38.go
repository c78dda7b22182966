package field

import "github.com/wirewatch/wirewatch/decode"

// T.38 fields (Wireshark 4.0 "t38.*"): the UDPTL sequence number and the
// setup of the conversation (the SDP that announced it).

func t38Setup(name string, t Type, v func(f *decode.Frame) Value) Field {
	return Field{Name: name, Type: t, Proto: decode.ProtoT38, Get: func(f *decode.Frame, dst []Value) []Value {
		if !f.Has(decode.ProtoT38) || f.RTP.Setup == 0 {
			return dst
		}
		return append(dst, v(f))
	}}
}

var t38Fields = []Field{
	protoField("t38", decode.ProtoT38),
	uintField("t38.seq_number", FTUint32, BaseDec, decode.ProtoT38, func(f *decode.Frame) (uint64, bool) {
		b, ok := layerBytes(f, decode.ProtoT38)
		if !ok {
			return 0, false
		}
		s, ok := decode.T38Seq(b)
		return uint64(s), ok
	}),
	t38Setup("t38.setup", FTString, func(*decode.Frame) Value { return Value{B: []byte{}} }),
	t38Setup("t38.setup-frame", FTFrameNum, func(f *decode.Frame) Value { return Value{U: f.RTP.Setup} }),
	t38Setup("t38.setup-method", FTString, func(*decode.Frame) Value { return Value{B: sbytes("SDP")} }),
}
