package field

import "github.com/wirewatch/wirewatch/decode"

// WebSocket fields (Wireshark 4.0 "websocket.*"), one occurrence per frame
// of the segment, parsed from the layer's bytes.

// wsField is a field with what get finds in each frame (get appends to dst).
func webSocketField(name string, t Type, base Base, mask uint64, get func(w *decode.WSFrame, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Bitmask: mask, Proto: decode.ProtoWebSocket,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := layerBytes(f, decode.ProtoWebSocket)
			if !ok {
				return dst
			}
			decode.EachWSFrame(b, func(w *decode.WSFrame) { dst = get(w, dst) })
			return dst
		}}
}

func wsU(v uint64) Value { return Value{U: v} }

// wsPayload is the unmasked payload of w (a copy when masked).
func wsPayload(w *decode.WSFrame) []byte {
	if w.Key == nil {
		return w.Payload
	}
	return decode.WSUnmask(nil, w.Payload, w.Key)
}

func wsOp(op uint8, get func(p []byte, dst []Value) []Value) func(w *decode.WSFrame, dst []Value) []Value {
	return func(w *decode.WSFrame, dst []Value) []Value {
		if w.Opcode != op {
			return dst
		}
		return get(wsPayload(w), dst)
	}
}

var websocketFields = []Field{
	protoField("websocket", decode.ProtoWebSocket),
	webSocketField("websocket.fin", FTBoolean, BaseNone, 0x80, func(w *decode.WSFrame, dst []Value) []Value {
		if w.Fin {
			return append(dst, wsU(1))
		}
		return append(dst, wsU(0))
	}),
	webSocketField("websocket.rsv", FTUint8, BaseHex, 0x70, func(w *decode.WSFrame, dst []Value) []Value {
		return append(dst, wsU(uint64(w.RSV)))
	}),
	webSocketField("websocket.opcode", FTUint8, BaseDec, 0x0f, func(w *decode.WSFrame, dst []Value) []Value {
		return append(dst, wsU(uint64(w.Opcode)))
	}),
	webSocketField("websocket.mask", FTBoolean, BaseNone, 0x80, func(w *decode.WSFrame, dst []Value) []Value {
		if w.Masked {
			return append(dst, wsU(1))
		}
		return append(dst, wsU(0))
	}),
	webSocketField("websocket.payload_length", FTUint8, BaseDec, 0x7f, func(w *decode.WSFrame, dst []Value) []Value {
		return append(dst, wsU(uint64(w.LenField)))
	}),
	webSocketField("websocket.payload_length_ext_16", FTUint16, BaseDec, 0, func(w *decode.WSFrame, dst []Value) []Value {
		if w.LenField == 126 {
			dst = append(dst, wsU(w.Len))
		}
		return dst
	}),
	webSocketField("websocket.payload_length_ext_64", FTUint64, BaseDec, 0, func(w *decode.WSFrame, dst []Value) []Value {
		if w.LenField == 127 {
			dst = append(dst, wsU(w.Len))
		}
		return dst
	}),
	webSocketField("websocket.masking_key", FTBytes, BaseNone, 0, func(w *decode.WSFrame, dst []Value) []Value {
		if w.Key != nil {
			dst = append(dst, Value{B: w.Key})
		}
		return dst
	}),
	webSocketField("websocket.masked_payload", FTNone, BaseNone, 0, func(w *decode.WSFrame, dst []Value) []Value {
		if w.Key != nil && w.Len > 0 {
			dst = append(dst, Value{})
		}
		return dst
	}),
	webSocketField("websocket.payload", FTNone, BaseNone, 0, func(w *decode.WSFrame, dst []Value) []Value {
		if w.Len > 0 {
			dst = append(dst, Value{})
		}
		return dst
	}),
	webSocketField("websocket.payload.text", FTString, BaseNone, 0, wsOp(1, func(p []byte, dst []Value) []Value {
		if len(p) > 0 {
			dst = append(dst, Value{B: p})
		}
		return dst
	})),
	webSocketField("websocket.payload.ping", FTBytes, BaseNone, 0, wsOp(9, func(p []byte, dst []Value) []Value {
		if len(p) > 0 {
			dst = append(dst, Value{B: p})
		}
		return dst
	})),
	webSocketField("websocket.payload.pong", FTBytes, BaseNone, 0, wsOp(10, func(p []byte, dst []Value) []Value {
		if len(p) > 0 {
			dst = append(dst, Value{B: p})
		}
		return dst
	})),
	webSocketField("websocket.payload.close.status_code", FTUint16, BaseDec, 0, wsOp(8, func(p []byte, dst []Value) []Value {
		if len(p) >= 2 {
			dst = append(dst, wsU(uint64(p[0])<<8|uint64(p[1])))
		}
		return dst
	})),
	webSocketField("websocket.payload.close.reason", FTString, BaseNone, 0, wsOp(8, func(p []byte, dst []Value) []Value {
		if len(p) > 2 {
			dst = append(dst, Value{B: p[2:]})
		}
		return dst
	})),
}
