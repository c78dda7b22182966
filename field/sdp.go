package field

import (
	"bytes"

	"github.com/wirewatch/wirewatch/decode"
)

// SDP fields (Wireshark 4.0 "sdp.*") of a SIP message body: each line's
// value and its parts, in document order.

// sdpLine is a field with what get finds in each SDP line (media: the line
// follows an m= line; proto: that m= line's transport protocol).
func sdpLine(name string, t Type, get func(typ byte, v []byte, media bool, proto []byte, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: baseFor(t), Proto: decode.ProtoSDP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !f.Has(decode.ProtoSDP) {
				return dst
			}
			for _, l := range f.Layers { // MEGACO carries one per Local/Remote descriptor
				if l.Proto != decode.ProtoSDP {
					continue
				}
				media := false
				var proto []byte
				decode.EachSDPLine(f.LayerBytes(l), func(typ byte, v []byte) {
					if typ == 'm' {
						media = true
						proto = nthField(v, 2)
					}
					dst = get(typ, v, media, proto, dst)
				})
			}
			return dst
		}}
}

// sdpValue is the whole value of each line of type typ.
func sdpValue(name string, typ byte) Field {
	return sdpLine(name, FTString, func(t byte, v []byte, _ bool, _ []byte, dst []Value) []Value {
		if t == typ {
			dst = append(dst, Value{B: v})
		}
		return dst
	})
}

// sdpPart is the n-th space-separated part of each line of type typ.
func sdpPart(name string, typ byte, n int) Field {
	return sdpLine(name, FTString, func(t byte, v []byte, _ bool, _ []byte, dst []Value) []Value {
		if t == typ {
			if p := nthField(v, n); p != nil {
				dst = append(dst, Value{B: p})
			}
		}
		return dst
	})
}

// nthField returns the n-th (from 0) space-separated token of v.
func nthField(v []byte, n int) []byte {
	for i := 0; ; i++ {
		v = bytes.TrimLeft(v, " ")
		if len(v) == 0 {
			return nil
		}
		tok := v
		if j := bytes.IndexByte(v, ' '); j >= 0 {
			tok, v = v[:j], v[j+1:]
		} else {
			v = nil
		}
		if i == n {
			return tok
		}
	}
}

// sdpAttr is a part of each a= line, in the session (media false) or a
// media description.
func sdpAttr(name string, inMedia bool, get func(field, value []byte, dst []Value) []Value) Field {
	return sdpLine(name, FTString, func(t byte, v []byte, media bool, _ []byte, dst []Value) []Value {
		if t != 'a' || media != inMedia {
			return dst
		}
		i := bytes.IndexByte(v, ':')
		if i < 0 {
			return dst
		}
		return get(v[:i], v[i+1:], dst)
	})
}

// ptNames are Wireshark's names of RTP payload types 0..127, as the
// sdp.media.format values of RTP media show them.
var ptNames = func() (n [128][]byte) {
	for i := range n {
		n[i] = decode.AppendRTPPayloadType(nil, uint8(i))
	}
	return n
}()

func isRTPProto(p []byte) bool { return bytes.HasPrefix(p, []byte("RTP/")) }

var sdpFields = []Field{
	protoField("sdp", decode.ProtoSDP),
	sdpValue("sdp.version", 'v'),
	sdpValue("sdp.owner", 'o'),
	sdpPart("sdp.owner.username", 'o', 0),
	sdpPart("sdp.owner.sessionid", 'o', 1),
	sdpPart("sdp.owner.version", 'o', 2),
	sdpPart("sdp.owner.network_type", 'o', 3),
	sdpPart("sdp.owner.address_type", 'o', 4),
	sdpPart("sdp.owner.address", 'o', 5),
	sdpValue("sdp.session_name", 's'),
	sdpValue("sdp.uri", 'u'),
	sdpValue("sdp.email", 'e'),
	sdpValue("sdp.phone", 'p'),
	sdpValue("sdp.connection_info", 'c'),
	sdpPart("sdp.connection_info.network_type", 'c', 0),
	sdpPart("sdp.connection_info.address_type", 'c', 1),
	sdpLine("sdp.connection_info.address", FTString, func(t byte, v []byte, _ bool, _ []byte, dst []Value) []Value {
		if t == 'c' {
			if a := nthField(v, 2); a != nil {
				a, _, _ = bytes.Cut(a, []byte("/"))
				dst = append(dst, Value{B: a})
			}
		}
		return dst
	}),
	sdpValue("sdp.bandwidth", 'b'),
	sdpLine("sdp.bandwidth.modifier", FTString, func(t byte, v []byte, _ bool, _ []byte, dst []Value) []Value {
		if m, _, ok := bytes.Cut(v, []byte(":")); t == 'b' && ok {
			dst = append(dst, Value{B: m})
		}
		return dst
	}),
	sdpLine("sdp.bandwidth.value", FTString, func(t byte, v []byte, _ bool, _ []byte, dst []Value) []Value {
		if _, val, ok := bytes.Cut(v, []byte(":")); t == 'b' && ok {
			dst = append(dst, Value{B: val})
		}
		return dst
	}),
	sdpValue("sdp.time", 't'),
	sdpPart("sdp.time.start", 't', 0),
	sdpPart("sdp.time.stop", 't', 1),
	sdpValue("sdp.repeat_time", 'r'),
	sdpValue("sdp.media", 'm'),
	sdpPart("sdp.media.media", 'm', 0),
	sdpLine("sdp.media.port_string", FTString, func(t byte, v []byte, _ bool, _ []byte, dst []Value) []Value {
		if t == 'm' {
			if p := nthField(v, 1); p != nil {
				p, _, _ = bytes.Cut(p, []byte("/"))
				dst = append(dst, Value{B: p})
			}
		}
		return dst
	}),
	sdpLine("sdp.media.port", FTUint16, func(t byte, v []byte, _ bool, _ []byte, dst []Value) []Value {
		if t == 'm' {
			p, _, _ := bytes.Cut(nthField(v, 1), []byte("/"))
			if n, ok := atoiBytes(p); ok && n <= 65535 {
				dst = append(dst, Value{U: n})
			}
		}
		return dst
	}),
	sdpLine("sdp.media.portcount", FTString, func(t byte, v []byte, _ bool, _ []byte, dst []Value) []Value {
		if _, c, ok := bytes.Cut(nthField(v, 1), []byte("/")); t == 'm' && ok {
			dst = append(dst, Value{B: c})
		}
		return dst
	}),
	sdpPart("sdp.media.proto", 'm', 2),
	sdpLine("sdp.media.format", FTString, func(t byte, v []byte, _ bool, proto []byte, dst []Value) []Value {
		switch t {
		case 'm':
			for i := 3; ; i++ {
				tok := nthField(v, i)
				if tok == nil {
					return dst
				}
				if n, ok := atoiBytes(tok); ok && isRTPProto(proto) && n < 128 {
					tok = ptNames[n]
				}
				dst = append(dst, Value{B: tok})
			}
		case 'a':
			for _, pre := range []string{"rtpmap:", "fmtp:"} {
				if rest, ok := bytes.CutPrefix(v, []byte(pre)); ok {
					pt, _, _ := bytes.Cut(rest, []byte(" "))
					dst = append(dst, Value{B: pt})
				}
			}
		}
		return dst
	}),
	sdpLine("sdp.media_attr", FTString, func(t byte, v []byte, media bool, _ []byte, dst []Value) []Value {
		if t == 'a' && media {
			dst = append(dst, Value{B: v})
		}
		return dst
	}),
	sdpLine("sdp.session_attr", FTString, func(t byte, v []byte, media bool, _ []byte, dst []Value) []Value {
		if t == 'a' && !media {
			dst = append(dst, Value{B: v})
		}
		return dst
	}),
	sdpAttr("sdp.media_attribute.field", true, func(fl, _ []byte, dst []Value) []Value { return append(dst, Value{B: fl}) }),
	sdpAttr("sdp.media_attribute.value", true, func(fl, v []byte, dst []Value) []Value {
		if string(fl) == "rtpmap" || string(fl) == "fmtp" {
			return dst
		}
		return append(dst, Value{B: v})
	}),
	sdpAttr("sdp.session_attr.field", false, func(fl, _ []byte, dst []Value) []Value { return append(dst, Value{B: fl}) }),
	sdpAttr("sdp.session_attr.value", false, func(fl, v []byte, dst []Value) []Value {
		if string(fl) == "rtpmap" || string(fl) == "fmtp" {
			return dst
		}
		return append(dst, Value{B: v})
	}),
	sdpAttr("sdp.mime.type", true, func(fl, v []byte, dst []Value) []Value {
		if string(fl) != "rtpmap" {
			return dst
		}
		_, enc, _ := bytes.Cut(v, []byte(" "))
		name, _, _ := bytes.Cut(enc, []byte("/"))
		return append(dst, Value{B: name})
	}),
	sdpAttr("sdp.sample_rate", true, func(fl, v []byte, dst []Value) []Value {
		if string(fl) != "rtpmap" {
			return dst
		}
		_, enc, _ := bytes.Cut(v, []byte(" "))
		if _, rate, ok := bytes.Cut(enc, []byte("/")); ok {
			rate, _, _ = bytes.Cut(rate, []byte("/"))
			dst = append(dst, Value{B: rate})
		}
		return dst
	}),
	sdpAttr("sdp.fmtp.parameter", true, func(fl, v []byte, dst []Value) []Value {
		if string(fl) != "fmtp" {
			return dst
		}
		if _, p, ok := bytes.Cut(v, []byte(" ")); ok {
			dst = append(dst, Value{B: p})
		}
		return dst
	}),
}
