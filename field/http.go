package field

import "github.com/wirewatch/wirewatch/decode"

// HTTP/1.x fields (Wireshark 4.0 names, types and display names), from the
// message head decoded in the frame. http.time, http.request_in and
// http.response_in come from package flow with the other analysis fields.
// Values are the bytes as sent: escaping them is the output's job.

func httpOf(f *decode.Frame) *decode.HTTP {
	if !f.Has(decode.ProtoHTTP) && !f.Has(decode.ProtoSSDP) {
		return nil
	}
	return &f.HTTP
}

// httpStr is a string field; nil values are left out.
func httpStr(name, desc string, get func(h *decode.HTTP) []byte) Field {
	return Field{Name: name, Desc: desc, Type: FTString, Proto: decode.ProtoHTTP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if h := httpOf(f); h != nil {
				if v := get(h); v != nil {
					dst = append(dst, Value{B: v})
				}
			}
			return dst
		}}
}

// httpReq and httpResp restrict a getter to requests or responses.
func httpReq(get func(h *decode.HTTP) []byte) func(h *decode.HTTP) []byte {
	return func(h *decode.HTTP) []byte {
		if !h.Request {
			return nil
		}
		return get(h)
	}
}

func httpResp(get func(h *decode.HTTP) []byte) func(h *decode.HTTP) []byte {
	return func(h *decode.HTTP) []byte {
		if !h.Response {
			return nil
		}
		return get(h)
	}
}

// httpLines is http.request.line / http.response.line: every header line of
// a request (or response) with its line ending.
func httpLines(name, desc string, request bool) Field {
	return Field{Name: name, Desc: desc, Type: FTString, Proto: decode.ProtoHTTP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			h := httpOf(f)
			if h == nil || h.Request != request || httpNotify(h) {
				return dst
			}
			for i := range h.Headers {
				dst = append(dst, Value{B: h.HeaderLine(i)})
			}
			return dst
		}}
}

// httpNotify reports a GENA notification (decode.HTTP.Notification):
// http.notification instead of http.request, and no http.request.line.
func httpNotify(h *decode.HTTP) bool { return h.Notification() }

// httpFlag is http.request / http.response: FT_BOOLEAN, present (1) only when true.
func httpFlag(name, desc string, get func(h *decode.HTTP) bool) Field {
	return Field{Name: name, Desc: desc, Type: FTBoolean, Proto: decode.ProtoHTTP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if h := httpOf(f); h != nil && get(h) {
				dst = append(dst, Value{U: 1})
			}
			return dst
		}}
}

var httpFields = []Field{
	httpFlag("http.request", "Request", func(h *decode.HTTP) bool { return h.Request && !httpNotify(h) }),
	httpFlag("http.notification", "Notification", httpNotify),
	httpFlag("http.response", "Response", func(h *decode.HTTP) bool { return h.Response }),
	httpStr("http.request.method", "Request Method", httpReq(func(h *decode.HTTP) []byte { return h.Method })),
	httpStr("http.request.uri", "Request URI", httpReq(func(h *decode.HTTP) []byte { return h.URI })),
	httpStr("http.request.version", "Request Version", httpReq(func(h *decode.HTTP) []byte { return h.Version })),
	httpLines("http.request.line", "Request line", true),
	{Name: "http.response.code", Desc: "Status Code", Type: FTUint16, Base: BaseDec, Proto: decode.ProtoHTTP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if h := httpOf(f); h != nil && h.Response {
				dst = append(dst, Value{U: uint64(h.StatusCode)})
			}
			return dst
		}},
	httpStr("http.response.version", "Response Version", httpResp(func(h *decode.HTTP) []byte { return h.Version })),
	httpStr("http.response.phrase", "Response Phrase", httpResp(func(h *decode.HTTP) []byte {
		if h.Phrase == nil {
			return []byte{}
		}
		return h.Phrase
	})),
	httpLines("http.response.line", "Response line", false),
	httpStr("http.host", "Host", func(h *decode.HTTP) []byte { return h.Host }),
	httpStr("http.user_agent", "User-Agent", func(h *decode.HTTP) []byte { return h.UserAgent }),
	httpStr("http.content_type", "Content-Type", func(h *decode.HTTP) []byte { return h.ContentType }),
	httpStr("http.content_length_header", "Content-Length", func(h *decode.HTTP) []byte { return h.CLHeader }),
	{Name: "http.content_length", Desc: "Content length", Type: FTUint64, Base: BaseDec, Proto: decode.ProtoHTTP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if h := httpOf(f); h != nil && h.ContentLength >= 0 {
				dst = append(dst, Value{U: uint64(h.ContentLength)})
			}
			return dst
		}},
	httpStr("http.transfer_encoding", "Transfer-Encoding", func(h *decode.HTTP) []byte { return h.TransferEnc }),
	httpStr("http.location", "Location", func(h *decode.HTTP) []byte { return h.Location }),
	httpStr("http.server", "Server", func(h *decode.HTTP) []byte { return h.Server }),
	httpStr("http.referer", "Referer", func(h *decode.HTTP) []byte { return h.Referer }),
	httpStr("http.connection", "Connection", func(h *decode.HTTP) []byte { return h.Connection }),
	httpHeader("http.upgrade", "Upgrade", "Upgrade"),
	httpHeader("http.accept", "Accept", "Accept"),
	httpHeader("http.accept_encoding", "Accept Encoding", "Accept-Encoding"),
	httpHeader("http.accept_language", "Accept-Language", "Accept-Language"),
	httpHeader("http.authorization", "Authorization", "Authorization"),
	httpHeader("http.cache_control", "Cache-Control", "Cache-Control"),
	httpHeader("http.content_encoding", "Content-Encoding", "Content-Encoding"),
	httpHeader("http.cookie", "Cookie", "Cookie"),
	httpHeader("http.date", "Date", "Date"),
	httpHeader("http.last_modified", "Last-Modified", "Last-Modified"),
	httpHeader("http.set_cookie", "Set-Cookie", "Set-Cookie"),
	httpHeader("http.x_forwarded_for", "X-Forwarded-For", "X-Forwarded-For"),
}

// httpHeader is a field for every occurrence of the header called header.
func httpHeader(name, desc, header string) Field {
	return Field{Name: name, Desc: desc, Type: FTString, Proto: decode.ProtoHTTP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if h := httpOf(f); h != nil {
				for _, hv := range h.Headers {
					if equalFoldString(hv[0], header) {
						dst = append(dst, Value{B: hv[1]})
					}
				}
			}
			return dst
		}}
}

// equalFoldString compares ASCII b and s without case, allocating nothing.
func equalFoldString(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := 0; i < len(b); i++ {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
