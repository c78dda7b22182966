package field

import "github.com/wirewatch/wirewatch/decode"

// expertOf returns f's expert items in buf's storage (no allocation for up
// to len(buf) items).
func expertOf(f *decode.Frame, buf *[16]decode.Expert) []decode.Expert {
	return f.AppendExpert(buf[:0])
}

// expertFields are Wireshark's _ws.expert pseudo-protocol fields: one
// occurrence per expert item of the frame (decode.Frame.AppendExpert).
var expertFields = []Field{
	{Name: "_ws.expert", Desc: "Expert Info", Type: FTProtocol, Proto: decode.ProtoFrame,
		Get: func(f *decode.Frame, dst []Value) []Value {
			var buf [16]decode.Expert
			for range expertOf(f, &buf) {
				dst = append(dst, Value{})
			}
			return dst
		}},
	{Name: "_ws.expert.severity", Desc: "Severity level", Type: FTUint32, Base: BaseDec, Proto: decode.ProtoFrame,
		Get: func(f *decode.Frame, dst []Value) []Value {
			var buf [16]decode.Expert
			for _, e := range expertOf(f, &buf) {
				dst = append(dst, Value{U: uint64(decode.ExpertDefs[e.Kind].Severity.PI())})
			}
			return dst
		}},
	{Name: "_ws.expert.group", Desc: "Group", Type: FTUint32, Base: BaseDec, Proto: decode.ProtoFrame,
		Get: func(f *decode.Frame, dst []Value) []Value {
			var buf [16]decode.Expert
			for _, e := range expertOf(f, &buf) {
				dst = append(dst, Value{U: uint64(decode.ExpertDefs[e.Kind].GroupPI)})
			}
			return dst
		}},
	{Name: "_ws.malformed.expert", Desc: "Malformed Packet (Exception occurred)", Type: FTNone, Proto: decode.ProtoFrame,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if f.Malformed() {
				dst = append(dst, Value{})
			}
			return dst
		}},
}
