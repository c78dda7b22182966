package field

import "github.com/wirewatch/wirewatch/decode"

// HTTP/2 fields (Wireshark 4.0 names and types) from the frames a packet's
// decrypted TLS records completed (decode.HTTP2): one occurrence per frame
// for frame-header fields, per header field for http2.header.*. http2.time
// and http2.request_in (time from the request's HEADERS frame to the
// response's, per stream) are from later Wireshark releases; tshark 4.0
// does not have them.

func h2Of(f *decode.Frame) *decode.HTTP2 {
	if !f.Has(decode.ProtoHTTP2) {
		return nil
	}
	return &f.HTTP2
}

// h2Frames is a field with one occurrence per frame that get accepts.
func h2Frames(name, desc string, t Type, base Base, get func(fr *decode.H2Frame) (uint64, bool)) Field {
	return Field{Name: name, Desc: desc, Type: t, Base: base, Proto: decode.ProtoHTTP2,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if h := h2Of(f); h != nil {
				for i := range h.Frames {
					if v, ok := get(&h.Frames[i]); ok {
						dst = append(dst, Value{U: v})
					}
				}
			}
			return dst
		}}
}

// h2Headers is a string field with one occurrence per header field get accepts.
func h2Headers(name, desc string, get func(hf *decode.H2Header) ([]byte, bool)) Field {
	return Field{Name: name, Desc: desc, Type: FTString, Proto: decode.ProtoHTTP2,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if h := h2Of(f); h != nil {
				for i := range h.Headers {
					if v, ok := get(&h.Headers[i]); ok {
						dst = append(dst, Value{B: v})
					}
				}
			}
			return dst
		}}
}

// h2Named is http2.headers.<name>: the values of the header field called hdr.
func h2Named(name, desc, hdr string) Field {
	return h2Headers(name, desc, func(hf *decode.H2Header) ([]byte, bool) {
		return hf.Value, string(hf.Name) == hdr
	})
}

// h2NamedUint is an integer-valued http2.headers.<name>.
func h2NamedUint(name, desc, hdr string, t Type) Field {
	return Field{Name: name, Desc: desc, Type: t, Base: BaseDec, Proto: decode.ProtoHTTP2,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if h := h2Of(f); h != nil {
				for i := range h.Headers {
					if string(h.Headers[i].Name) != hdr {
						continue
					}
					if v, ok := parseUint(h.Headers[i].Value); ok {
						dst = append(dst, Value{U: v})
					}
				}
			}
			return dst
		}}
}

func parseUint(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return v, true
}

// h2Setting is http2.settings.<name>: the values of settings with identifier id.
func h2Setting(name, desc string, id uint32) Field {
	return Field{Name: name, Desc: desc, Type: FTUint32, Base: BaseDec, Proto: decode.ProtoHTTP2,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if h := h2Of(f); h != nil {
				for i := range h.Frames {
					fr := &h.Frames[i]
					for _, s := range fr.Settings[:fr.NSettings] {
						if s[0] == id {
							dst = append(dst, Value{U: uint64(s[1])})
						}
					}
				}
			}
			return dst
		}}
}

func h2Flag(name, desc string, mask uint8, types ...uint8) Field {
	return Field{Name: name, Desc: desc, Type: FTBoolean, Bitmask: uint64(mask), Proto: decode.ProtoHTTP2,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if h := h2Of(f); h != nil {
				for i := range h.Frames {
					fr := &h.Frames[i]
					for _, t := range types {
						if fr.Type == t {
							dst = append(dst, Value{U: b2u(fr.Flags&mask != 0)})
							break
						}
					}
				}
			}
			return dst
		}}
}

var http2Magic = []byte(h2PrefaceText)

const h2PrefaceText = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

// http2Fields are all of the desegmentation stage: HTTP/2 comes only from
// decrypted TLS, which package flow decrypts while it rebuilds PDUs.
var http2Fields = stageAll(StageDesegment, []Field{
	func() Field {
		f := protoField("http2", decode.ProtoHTTP2)
		f.Desc = "HyperText Transfer Protocol 2"
		return f
	}(),
	{Name: "http2.stream", Desc: "Stream", Type: FTNone, Proto: decode.ProtoHTTP2,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if h := h2Of(f); h != nil {
				if h.Magic {
					dst = append(dst, Value{})
				}
				for range h.Frames {
					dst = append(dst, Value{})
				}
			}
			return dst
		}},
	{Name: "http2.magic", Desc: "Magic", Type: FTString, Proto: decode.ProtoHTTP2,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if h := h2Of(f); h != nil && h.Magic {
				dst = append(dst, Value{B: http2Magic})
			}
			return dst
		}},
	h2Frames("http2.length", "Length", FTUint24, BaseDec, func(fr *decode.H2Frame) (uint64, bool) { return uint64(fr.Length), true }),
	h2Frames("http2.type", "Type", FTUint8, BaseDec, func(fr *decode.H2Frame) (uint64, bool) { return uint64(fr.Type), true }),
	h2Frames("http2.flags", "Flags", FTUint8, BaseHex, func(fr *decode.H2Frame) (uint64, bool) { return uint64(fr.Flags), true }),
	h2Frames("http2.streamid", "Stream Identifier", FTUint32, BaseDec, func(fr *decode.H2Frame) (uint64, bool) { return uint64(fr.StreamID), true }),
	h2Flag("http2.flags.end_stream", "End Stream", 0x1, decode.H2Data, decode.H2Headers),
	h2Flag("http2.flags.eh", "End Headers", 0x4, decode.H2Headers, decode.H2PushPromise, decode.H2Continuation),
	h2Flag("http2.flags.padded", "Padded", 0x8, decode.H2Data, decode.H2Headers, decode.H2PushPromise),
	h2Flag("http2.flags.priority", "Priority", 0x20, decode.H2Headers),
	h2Flag("http2.flags.ack.settings", "ACK", 0x1, decode.H2Settings),
	h2Flag("http2.flags.ack.ping", "ACK", 0x1, decode.H2Ping),
	h2Frames("http2.header.count", "Header Count", FTUint32, BaseDec, func(fr *decode.H2Frame) (uint64, bool) {
		return uint64(fr.HdrEnd - fr.HdrFirst + fr.SizeUpdates), fr.Type == decode.H2Headers && fr.Flags&0x4 != 0
	}),
	h2Headers("http2.header.name", "Name", func(hf *decode.H2Header) ([]byte, bool) { return hf.Name, true }),
	h2Headers("http2.header.value", "Value", func(hf *decode.H2Header) ([]byte, bool) { return hf.Value, true }),
	h2Named("http2.headers.method", "Method", ":method"),
	h2Named("http2.headers.path", "Path", ":path"),
	h2Named("http2.headers.authority", "Authority", ":authority"),
	h2Named("http2.headers.scheme", "Scheme", ":scheme"),
	h2NamedUint("http2.headers.status", "Status", ":status", FTUint16),
	h2NamedUint("http2.headers.content_length", "Content-Length", "content-length", FTUint64),
	h2Named("http2.headers.content_type", "Content-Type", "content-type"),
	h2Named("http2.headers.user_agent", "User-Agent", "user-agent"),
	h2Named("http2.headers.server", "Server", "server"),
	h2Named("http2.headers.accept", "Accept", "accept"),
	h2Named("http2.headers.accept_encoding", "Accept-Encoding", "accept-encoding"),
	h2Named("http2.headers.cache_control", "Cache-Control", "cache-control"),
	h2Named("http2.headers.date", "Date", "date"),
	h2Named("http2.headers.location", "Location", "location"),
	h2Named("http2.headers.referer", "Referer", "referer"),
	h2Named("http2.headers.cookie", "Cookie", "cookie"),
	h2Named("http2.headers.set_cookie", "Set-Cookie", "set-cookie"),
	{Name: "http2.request.full_uri", Desc: "Full request URI", Type: FTString, Proto: decode.ProtoHTTP2,
		Get: func(f *decode.Frame, dst []Value) []Value {
			h := h2Of(f)
			if h == nil {
				return dst
			}
			for i := range h.Frames {
				if u := h.Frames[i].FullURI; u != nil {
					dst = append(dst, Value{B: u})
				}
			}
			return dst
		}},
	{Name: "http2.settings.id", Desc: "Settings Identifier", Type: FTUint16, Base: BaseDec, Proto: decode.ProtoHTTP2,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if h := h2Of(f); h != nil {
				for i := range h.Frames {
					fr := &h.Frames[i]
					for _, s := range fr.Settings[:fr.NSettings] {
						dst = append(dst, Value{U: uint64(s[0])})
					}
				}
			}
			return dst
		}},
	h2Setting("http2.settings.header_table_size", "Header table size", 1),
	h2Setting("http2.settings.enable_push", "Enable PUSH", 2),
	h2Setting("http2.settings.max_concurrent_streams", "Max concurrent streams", 3),
	h2Setting("http2.settings.initial_window_size", "Initial Windows size", 4),
	h2Setting("http2.settings.max_frame_size", "Max frame size", 5),
	h2Setting("http2.settings.max_header_list_size", "Max header list size", 6),
	h2Frames("http2.window_update.window_size_increment", "Window Size Increment", FTUint32, BaseDec, func(fr *decode.H2Frame) (uint64, bool) {
		return uint64(fr.Increment), fr.Type == decode.H2WindowUpdate
	}),
	h2Frames("http2.rst_stream.error", "Error", FTUint32, BaseDec, func(fr *decode.H2Frame) (uint64, bool) {
		return uint64(fr.ErrorCode), fr.Type == decode.H2RstStream
	}),
	h2Frames("http2.goaway.error", "Error", FTUint32, BaseDec, func(fr *decode.H2Frame) (uint64, bool) {
		return uint64(fr.ErrorCode), fr.Type == decode.H2GoAway
	}),
	h2Frames("http2.goaway.last_stream_id", "Promised-Stream-ID", FTUint32, BaseDec, func(fr *decode.H2Frame) (uint64, bool) {
		return uint64(fr.LastStream), fr.Type == decode.H2GoAway
	}),
	h2Frames("http2.push_promise.promised_stream_id", "Promised-Stream-ID", FTUint32, BaseDec, func(fr *decode.H2Frame) (uint64, bool) {
		return uint64(fr.Promised), fr.Type == decode.H2PushPromise
	}),
	{Name: "http2.time", Desc: "Time since request", Type: FTRelTime, Proto: decode.ProtoHTTP2,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if h := h2Of(f); h != nil {
				for i := range h.Frames {
					if h.Frames[i].Time >= 0 && h.Frames[i].RequestIn != 0 {
						dst = append(dst, Value{I: h.Frames[i].Time})
					}
				}
			}
			return dst
		}},
	h2Frames("http2.request_in", "Request in frame", FTFrameNum, BaseNone, func(fr *decode.H2Frame) (uint64, bool) {
		return fr.RequestIn, fr.RequestIn != 0
	}),
})

// stageAll declares stage s for every field of a table.
func stageAll(s Stage, t []Field) []Field {
	for i := range t {
		t[i] = withStage(s, t[i])
	}
	return t
}
