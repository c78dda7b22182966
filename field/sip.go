package field

import (
	"bytes"

	"github.com/wirewatch/wirewatch/decode"
)

// SIP fields (Wireshark 4.0 "sip.*"): the start line, each header by name
// (one occurrence per header line), the From/To/Contact/Via parts, and
// the transaction fields decoding worked out (resend, response-request).

func sipMsg(f *decode.Frame) ([]byte, bool) { return layerBytes(f, decode.ProtoSIP) }

// sipEach is a SIP field with what get finds in each header line.
func sipEach(name string, t Type, base Base, get func(hname, v []byte, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoSIP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := sipMsg(f)
			if !ok {
				return dst
			}
			decode.SIPHeaders(b, func(n, v []byte) bool {
				dst = get(n, v, dst)
				return true
			})
			return dst
		}}
}

// sipHeader is header canonical's value as a string, or as a number.
func sipHeader(name, canonical string, t Type) Field {
	return sipEach(name, t, baseFor(t), func(n, v []byte, dst []Value) []Value {
		if !decode.SIPHeaderIs(n, canonical) {
			return dst
		}
		if t == FTString {
			return append(dst, Value{B: v})
		}
		if u, ok := atoiBytes(v); ok {
			dst = append(dst, Value{U: u})
		}
		return dst
	})
}

func baseFor(t Type) Base {
	if t == FTString {
		return BaseNone
	}
	return BaseDec
}

func atoiBytes(b []byte) (uint64, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || len(b) > 10 {
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

// sipStart is a part of the start line.
func sipStart(name string, get func(line []byte, request bool, method, uri []byte, code int) (Value, bool), t Type) Field {
	return Field{Name: name, Type: t, Base: baseFor(t), Proto: decode.ProtoSIP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := sipMsg(f)
			if !ok {
				return dst
			}
			line, req, method, uri, code, _, ok := decode.SIPStartLine(b)
			if !ok {
				return dst
			}
			if v, ok := get(line, req, method, uri, code); ok {
				dst = append(dst, v)
			}
			return dst
		}}
}

// sipAddr splits a From/To/Contact item: display name, URI, and the
// parameters after it.
func sipAddr(v []byte) (display, uri, params []byte) {
	if i := bytes.IndexByte(v, '<'); i >= 0 {
		display = bytes.TrimLeft(v[:i], " \t")
		if len(display) > 1 && display[0] == '"' {
			if j := bytes.IndexByte(display[1:], '"'); j >= 0 {
				display = display[:j+2]
			}
		}
		rest := v[i+1:]
		j := bytes.IndexByte(rest, '>')
		if j < 0 {
			return display, rest, nil
		}
		return display, rest[:j], rest[j+1:]
	}
	uri = v
	if i := bytes.IndexByte(v, ';'); i >= 0 {
		uri, params = v[:i], v[i:]
	}
	return nil, bytes.TrimSpace(uri), params
}

// sipURIParts splits a sip: URI into user, host and port.
func sipURIParts(uri []byte) (user, host, port []byte) {
	rest := uri
	if i := bytes.IndexByte(rest, ':'); i >= 0 && i < 6 {
		rest = rest[i+1:]
	}
	if i := bytes.IndexAny(rest, ";?>"); i >= 0 {
		rest = rest[:i]
	}
	if i := bytes.LastIndexByte(rest, '@'); i >= 0 {
		user, rest = rest[:i], rest[i+1:]
		if j := bytes.IndexByte(user, ':'); j >= 0 {
			user = user[:j]
		}
	}
	host = rest
	if len(host) > 0 && host[0] == '[' {
		if j := bytes.IndexByte(host, ']'); j >= 0 {
			if j+1 < len(host) && host[j+1] == ':' {
				port = host[j+2:]
			}
			return user, host[:j+1], port
		}
	}
	if j := bytes.IndexByte(host, ':'); j >= 0 {
		host, port = host[:j], host[j+1:]
	}
	return user, host, port
}

// sipAddrField is a part of each item of the From/To/Contact headers.
func sipAddrField(name string, headers []string, part func(display, uri, params []byte) ([]byte, bool)) Field {
	return sipEach(name, FTString, BaseNone, func(n, v []byte, dst []Value) []Value {
		for _, h := range headers {
			if !decode.SIPHeaderIs(n, h) {
				continue
			}
			if h == "Contact" {
				if bytes.Equal(v, []byte("*")) {
					return dst
				}
				decode.EachSIPListItem(v, func(it []byte) {
					if p, ok := part(sipAddr(it)); ok {
						dst = append(dst, Value{B: p})
					}
				})
				return dst
			}
			if p, ok := part(sipAddr(v)); ok {
				dst = append(dst, Value{B: p})
			}
		}
		return dst
	})
}

// sipParamOf returns ;name's value in params (ok false when absent).
func sipParamOf(params []byte, name string) ([]byte, bool) {
	for len(params) > 0 {
		i := bytes.IndexByte(params, ';')
		if i < 0 {
			return nil, false
		}
		params = params[i+1:]
		p := params
		if j := bytes.IndexByte(p, ';'); j >= 0 {
			p = p[:j]
		}
		k, v, _ := bytes.Cut(p, []byte("="))
		if bytes.EqualFold(bytes.TrimSpace(k), []byte(name)) {
			return bytes.TrimSpace(v), true
		}
	}
	return nil, false
}

// sipVia is a part of each Via header: SIP/2.0/UDP host:port;params.
func sipVia(name string, t Type, get func(transport, host, port, params []byte) ([]byte, bool)) Field {
	return sipEach(name, t, baseFor(t), func(n, v []byte, dst []Value) []Value {
		if !decode.SIPHeaderIs(n, "Via") {
			return dst
		}
		decode.EachSIPListItem(v, func(it []byte) {
			proto, rest, _ := bytes.Cut(it, []byte(" "))
			transport := proto
			if i := bytes.LastIndexByte(proto, '/'); i >= 0 {
				transport = proto[i+1:]
			}
			rest = bytes.TrimSpace(rest)
			sent, params := rest, []byte(nil)
			if i := bytes.IndexByte(rest, ';'); i >= 0 {
				sent, params = rest[:i], rest[i:]
			}
			host, port := sent, []byte(nil)
			if len(sent) > 0 && sent[0] == '[' {
				if j := bytes.IndexByte(sent, ']'); j >= 0 {
					host = sent[:j+1]
					if j+1 < len(sent) && sent[j+1] == ':' {
						port = sent[j+2:]
					}
				}
			} else if j := bytes.IndexByte(sent, ':'); j >= 0 {
				host, port = sent[:j], sent[j+1:]
			}
			b, ok := get(transport, bytes.TrimSpace(host), bytes.TrimSpace(port), params)
			if !ok {
				return
			}
			if t == FTString {
				dst = append(dst, Value{B: b})
			} else if u, ok := atoiBytes(b); ok {
				dst = append(dst, Value{U: u})
			}
		})
		return dst
	})
}

var fromTo = []string{"From", "To"}
var fromToContact = []string{"From", "To", "Contact"}

func sipAddrParts(prefix, header string) []Field {
	h := []string{header}
	return []Field{
		sipAddrField(prefix+".addr", h, func(_, uri, _ []byte) ([]byte, bool) { return uri, len(uri) > 0 }),
		sipAddrField(prefix+".user", h, func(_, uri, _ []byte) ([]byte, bool) {
			u, _, _ := sipURIParts(uri)
			return u, len(u) > 0
		}),
		sipAddrField(prefix+".host", h, func(_, uri, _ []byte) ([]byte, bool) {
			_, host, _ := sipURIParts(uri)
			return host, len(host) > 0
		}),
		sipAddrField(prefix+".port", h, func(_, uri, _ []byte) ([]byte, bool) {
			_, _, p := sipURIParts(uri)
			return p, len(p) > 0
		}),
		sipAddrField(prefix+".display.info", h, func(d, _, _ []byte) ([]byte, bool) { return d, len(d) > 0 }),
	}
}

var sipFields = append(append(append([]Field{
	protoField("sip", decode.ProtoSIP),
	sipStart("sip.Method", func(_ []byte, req bool, m, _ []byte, _ int) (Value, bool) { return Value{B: m}, req }, FTString),
	sipStart("sip.Request-Line", func(l []byte, req bool, _, _ []byte, _ int) (Value, bool) { return Value{B: l}, req }, FTString),
	sipStart("sip.r-uri", func(_ []byte, req bool, _, u []byte, _ int) (Value, bool) { return Value{B: u}, req }, FTString),
	sipStart("sip.r-uri.user", func(_ []byte, req bool, _, u []byte, _ int) (Value, bool) {
		user, _, _ := sipURIParts(u)
		return Value{B: user}, req && len(user) > 0
	}, FTString),
	sipStart("sip.r-uri.host", func(_ []byte, req bool, _, u []byte, _ int) (Value, bool) {
		_, host, _ := sipURIParts(u)
		return Value{B: host}, req && len(host) > 0
	}, FTString),
	sipStart("sip.r-uri.port", func(_ []byte, req bool, _, u []byte, _ int) (Value, bool) {
		_, _, port := sipURIParts(u)
		return Value{B: port}, req && len(port) > 0
	}, FTString),
	sipStart("sip.Status-Line", func(l []byte, req bool, _, _ []byte, _ int) (Value, bool) { return Value{B: l}, !req }, FTString),
	sipStart("sip.Status-Code", func(_ []byte, req bool, _, _ []byte, c int) (Value, bool) { return Value{U: uint64(c)}, !req }, FTUint32),
	bytesField("sip.msg_hdr", FTString, decode.ProtoSIP, func(f *decode.Frame) ([]byte, bool) {
		b, ok := sipMsg(f)
		if !ok {
			return nil, false
		}
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return nil, false
		}
		return b[i+1:], true // Wireshark's string runs on over the body
	}),
	{Name: "sip.msg_body", Type: FTNone, Proto: decode.ProtoSIP, Get: func(f *decode.Frame, dst []Value) []Value {
		if f.Has(decode.ProtoSIP) && f.SIP.BodyOff >= 0 {
			dst = append(dst, Value{})
		}
		return dst
	}},
	sipHeader("sip.Accept", "Accept", FTString),
	sipHeader("sip.Allow", "Allow", FTString),
	sipHeader("sip.Authorization", "Authorization", FTString),
	sipHeader("sip.Call-ID", "Call-ID", FTString),
	// Wireshark repeats the generated Call-ID in the SDP tree of a body.
	{Name: "sip.call_id_generated", Type: FTString, Proto: decode.ProtoSIP, Get: func(f *decode.Frame, dst []Value) []Value {
		if f.Has(decode.ProtoRTP) {
			for _, id := range f.RTP.Trace { // the calls that set the stream up
				dst = append(dst, Value{B: id})
			}
			return dst
		}
		if b, ok := sipMsg(f); ok {
			if v, ok := decode.SIPHeader(b, "Call-ID"); ok {
				dst = append(dst, Value{B: v})
			}
		}
		if len(f.SDPTrace) > 0 {
			for _, l := range f.Layers {
				if l.Proto == decode.ProtoSDP {
					for _, id := range f.SDPTrace {
						dst = append(dst, Value{B: id})
					}
				}
			}
		}
		return dst
	}},
	sipHeader("sip.Contact", "Contact", FTString),
	sipHeader("sip.Content-Length", "Content-Length", FTUint32),
	sipHeader("sip.Content-Type", "Content-Type", FTString),
	sipHeader("sip.CSeq", "CSeq", FTString),
	sipEach("sip.CSeq.seq", FTUint32, BaseDec, func(n, v []byte, dst []Value) []Value {
		if s, _, ok := decode.SIPCSeq(v); ok && decode.SIPHeaderIs(n, "CSeq") {
			dst = append(dst, Value{U: uint64(s)})
		}
		return dst
	}),
	sipEach("sip.CSeq.method", FTString, BaseNone, func(n, v []byte, dst []Value) []Value {
		if _, m, ok := decode.SIPCSeq(v); ok && decode.SIPHeaderIs(n, "CSeq") && len(m) > 0 {
			dst = append(dst, Value{B: m})
		}
		return dst
	}),
	sipHeader("sip.Date", "Date", FTString),
	sipHeader("sip.Expires", "Expires", FTUint32),
	sipHeader("sip.From", "From", FTString),
	sipHeader("sip.Max-Forwards", "Max-Forwards", FTUint32),
	sipHeader("sip.Min-SE", "Min-SE", FTString),
	sipHeader("sip.Reason", "Reason", FTString),
	sipHeader("sip.Record-Route", "Record-Route", FTString),
	sipHeader("sip.Server", "Server", FTString),
	sipHeader("sip.Supported", "Supported", FTString),
	sipHeader("sip.To", "To", FTString),
	sipHeader("sip.User-Agent", "User-Agent", FTString),
	sipHeader("sip.Via", "Via", FTString),
	sipHeader("sip.Warning", "Warning", FTString),
	sipHeader("sip.WWW-Authenticate", "WWW-Authenticate", FTString),
	sipVia("sip.Via.transport", FTString, func(t, _, _, _ []byte) ([]byte, bool) { return t, len(t) > 0 }),
	sipVia("sip.Via.sent-by.address", FTString, func(_, h, _, _ []byte) ([]byte, bool) { return h, len(h) > 0 }),
	sipVia("sip.Via.sent-by.port", FTUint16, func(_, _, p, _ []byte) ([]byte, bool) { return p, len(p) > 0 }),
	sipVia("sip.Via.branch", FTString, func(_, _, _, params []byte) ([]byte, bool) { return sipParamOf(params, "branch") }),
	sipVia("sip.Via.received", FTString, func(_, _, _, params []byte) ([]byte, bool) { return sipParamOf(params, "received") }),
	sipVia("sip.Via.rport", FTString, func(_, _, _, params []byte) ([]byte, bool) {
		v, ok := sipParamOf(params, "rport")
		if ok && len(v) == 0 {
			return sbytes("rport"), true
		}
		return v, ok
	}),
	sipAddrField("sip.display.info", fromToContact, func(d, _, _ []byte) ([]byte, bool) { return d, len(d) > 0 }),
	sipAddrField("sip.tag", fromTo, func(_, _, params []byte) ([]byte, bool) { return sipParamOf(params, "tag") }),
	sipAddrField("sip.from.tag", []string{"From"}, func(_, _, params []byte) ([]byte, bool) { return sipParamOf(params, "tag") }),
	sipAddrField("sip.to.tag", []string{"To"}, func(_, _, params []byte) ([]byte, bool) { return sipParamOf(params, "tag") }),
	sipAddrField("sip.contact.uri", []string{"Contact"}, func(_, uri, _ []byte) ([]byte, bool) { return uri, len(uri) > 0 }),
	boolField("sip.resend", 0, decode.ProtoSIP, func(f *decode.Frame) (bool, bool) {
		return f.SIP.Resend, f.Has(decode.ProtoSIP) && f.SIP.Tracked
	}),
	uintField("sip.resend-original", FTFrameNum, BaseNone, decode.ProtoSIP, func(f *decode.Frame) (uint64, bool) {
		return f.SIP.Original, f.Has(decode.ProtoSIP) && f.SIP.Resend
	}),
	uintField("sip.response-request", FTFrameNum, BaseNone, decode.ProtoSIP, func(f *decode.Frame) (uint64, bool) {
		return f.SIP.ReqFrame, f.Has(decode.ProtoSIP) && f.SIP.ReqFrame != 0
	}),
	uintField("sip.response-time", FTUint32, BaseDec, decode.ProtoSIP, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.SIP.ResponseMS), f.Has(decode.ProtoSIP) && f.SIP.ReqFrame != 0
	}),
}, sipAddrParts("sip.from", "From")...), sipAddrParts("sip.to", "To")...),
	sipAddrField("sip.contact.user", []string{"Contact"}, func(_, uri, _ []byte) ([]byte, bool) {
		u, _, _ := sipURIParts(uri)
		return u, len(u) > 0
	}),
	sipAddrField("sip.contact.host", []string{"Contact"}, func(_, uri, _ []byte) ([]byte, bool) {
		_, host, _ := sipURIParts(uri)
		return host, len(host) > 0
	}),
	sipAddrField("sip.contact.port", []string{"Contact"}, func(_, uri, _ []byte) ([]byte, bool) {
		_, _, p := sipURIParts(uri)
		return p, len(p) > 0
	}),
	sipAddrField("sip.contact.display.info", []string{"Contact"}, func(d, _, _ []byte) ([]byte, bool) { return d, len(d) > 0 }),
)
