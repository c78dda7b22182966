package field

import (
	"bytes"

	"github.com/wirewatch/wirewatch/decode"
)

// SMTP fields (Wireshark 4.0 "smtp.*") of commands and reply lines.

func smtpOf(f *decode.Frame) *decode.SMTP {
	if !f.Has(decode.ProtoSMTP) {
		return nil
	}
	return &f.SMTP
}

// smtpLines is a string field with what get finds in each line of a
// command (server false) or reply (server true) segment.
func smtpLines(name string, t Type, base Base, server bool, first bool, get func(l []byte, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoSMTP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			s := smtpOf(f)
			if s == nil || s.Data || s.Server != server {
				return dst
			}
			n := 0
			decode.EachSMTPLine(s.Lines, func(l []byte) {
				if first && n > 0 {
					return
				}
				n++
				dst = get(l, dst)
			})
			return dst
		}}
}

// lineWithEnd returns line l of b with its CR LF (l is a sub-slice of b).
func lineWithEnd(l []byte) []byte {
	n := len(l)
	if cap(l) >= n+2 && bytes.Equal(l[n:n+2], []byte("\r\n")) {
		return l[:n+2]
	}
	return l
}

var smtpFields = []Field{
	protoField("smtp", decode.ProtoSMTP),
	boolField("smtp.req", 0, decode.ProtoSMTP, func(f *decode.Frame) (bool, bool) {
		s := smtpOf(f)
		return true, s != nil && !s.Server
	}),
	boolField("smtp.rsp", 0, decode.ProtoSMTP, func(f *decode.Frame) (bool, bool) {
		s := smtpOf(f)
		return true, s != nil && s.Server
	}),
	smtpLines("smtp.command_line", FTString, BaseNone, false, false, func(l []byte, dst []Value) []Value {
		return append(dst, Value{B: lineWithEnd(l)})
	}),
	// Wireshark takes a command's first four characters as the command
	// and what follows the fifth as its parameter ("STARTTLS" is "STAR"
	// and "TLS").
	smtpLines("smtp.req.command", FTString, BaseNone, false, false, func(l []byte, dst []Value) []Value {
		return append(dst, Value{B: l[:min(4, len(l))]})
	}),
	smtpLines("smtp.req.parameter", FTString, BaseNone, false, false, func(l []byte, dst []Value) []Value {
		if len(l) > 5 {
			dst = append(dst, Value{B: l[5:]})
		}
		return dst
	}),
	smtpLines("smtp.response", FTString, BaseNone, true, true, func(l []byte, dst []Value) []Value {
		return append(dst, Value{B: lineWithEnd(l)})
	}),
	smtpLines("smtp.response.code", FTUint32, BaseDec, true, true, func(l []byte, dst []Value) []Value {
		if len(l) >= 3 {
			if v, ok := decimal3(l); ok {
				dst = append(dst, Value{U: v})
			}
		}
		return dst
	}),
	smtpLines("smtp.rsp.parameter", FTString, BaseNone, true, false, func(l []byte, dst []Value) []Value {
		if len(l) >= 4 {
			dst = append(dst, Value{B: l[4:]})
		}
		return dst
	}),
}

func decimal3(b []byte) (uint64, bool) {
	var v uint64
	for _, c := range b[:3] {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return v, true
}
