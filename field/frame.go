package field

import "github.com/wirewatch/wirewatch/decode"

// frame.*: capture metadata, times and the protocol list.
var frameFields = []Field{
	uintField("frame.number", FTUint32, BaseDec, decode.ProtoFrame, func(f *decode.Frame) (uint64, bool) { return f.Number, true }),
	uintField("frame.len", FTUint32, BaseDec, decode.ProtoFrame, func(f *decode.Frame) (uint64, bool) { return uint64(f.Len), true }),
	uintField("frame.cap_len", FTUint32, BaseDec, decode.ProtoFrame, func(f *decode.Frame) (uint64, bool) { return uint64(f.CapLen), true }),
	uintField("frame.interface_id", FTUint32, BaseDec, decode.ProtoFrame, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.Interface), f.Interface >= 0 && f.InterfaceName != "" // pcapng only, as tshark
	}),
	bytesField("frame.interface_name", FTString, decode.ProtoFrame, func(f *decode.Frame) ([]byte, bool) {
		if f.InterfaceName == "" {
			return nil, false
		}
		return sbytes(f.InterfaceName), true
	}),
	timeField("frame.time", FTAbsTime, decode.ProtoFrame, func(f *decode.Frame) (int64, bool) { return f.TS, !f.NoTS }),
	timeField("frame.time_epoch", FTRelTime, decode.ProtoFrame, func(f *decode.Frame) (int64, bool) { return f.TS, !f.NoTS }),
	timeField("frame.time_relative", FTRelTime, decode.ProtoFrame, func(f *decode.Frame) (int64, bool) { return f.TS - f.FirstTS, !f.NoTS }),
	timeField("frame.time_delta", FTRelTime, decode.ProtoFrame, func(f *decode.Frame) (int64, bool) { return f.TS - f.PrevTS, !f.NoTS }),
	withStage(StageColumns, // depends on what the filter displayed before
		timeField("frame.time_delta_displayed", FTRelTime, decode.ProtoFrame, func(f *decode.Frame) (int64, bool) {
			return f.TS - f.PrevDisplayedTS, !f.NoTS
		})),
	{Name: "frame.comment", Type: FTString, Proto: decode.ProtoFrame,
		Get: func(f *decode.Frame, dst []Value) []Value {
			for _, c := range f.Comments {
				dst = append(dst, Value{B: sbytes(c)})
			}
			return dst
		}},
	bytesField("frame.protocols", FTString, decode.ProtoFrame, func(f *decode.Frame) ([]byte, bool) { return f.Protocols(), true }),
	boolField("frame.marked", 0, decode.ProtoFrame, func(f *decode.Frame) (bool, bool) { return false, true }),
	boolField("frame.ignored", 0, decode.ProtoFrame, func(f *decode.Frame) (bool, bool) { return false, true }),
}
