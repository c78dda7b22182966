package field

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// Fields of the line-based protocols of decode/textproto.go (Wireshark 4.0
// names): FTP and FTP-DATA, IMAP, POP, SSDP (whose http.* fields are
// http.go's), TELNET, syslog, IRC, MQTT. Each parses its layer's bytes.

// textField is a field of protocol p read from the layer's bytes.
func textField(name string, t Type, base Base, p decode.Proto, get func(f *decode.Frame, b []byte, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: p,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if b, ok := layerBytes(f, p); ok {
				return get(f, b, dst)
			}
			return dst
		}}
}

// withEnd returns line l of b with its line end (l is a sub-slice of b).
func withEnd(l []byte) []byte {
	n := len(l)
	if cap(l) > n {
		switch l[:n+1][n] {
		case '\n':
			return l[:n+1]
		case '\r':
			if cap(l) > n+1 && l[:n+2][n+1] == '\n' {
				return l[:n+2]
			}
			return l[:n+1]
		}
	}
	return l
}

// ftpLine is an FTP field of the first line of a request (req) or response.
func ftpLine(name string, t Type, base Base, req bool, get func(f *decode.Frame, l []byte, dst []Value) []Value) Field {
	return textField(name, t, base, decode.ProtoFTP, func(f *decode.Frame, b []byte, dst []Value) []Value {
		if f.Text.Request != req {
			return dst
		}
		return get(f, decode.FirstLine(b), dst)
	})
}

// ftpPort reports a PORT command (Wireshark compares the token's length of
// "PORT", so a prefix such as "P" counts).
func ftpPort(l []byte) ([]byte, bool) {
	tok, arg := decode.Token(l)
	if len(tok) == 0 || len(tok) > 4 || string(tok) != "PORT"[:len(tok)] {
		return nil, false
	}
	return arg, true
}

func ftpActive(f *decode.Frame, l []byte) (netip.Addr, uint16, bool) {
	arg, ok := ftpPort(l)
	if !ok {
		return netip.Addr{}, 0, false
	}
	return decode.FTPHostPort(arg)
}

func ftpPassive(l []byte) (netip.Addr, uint16, bool) {
	if c, ok := decode.FTPCode(l); !ok || c != 227 {
		return netip.Addr{}, 0, false
	}
	return decode.FTPHostPort(decode.FTPResponseArg(l))
}

func ftpEPSV(l []byte) (uint16, bool) {
	if c, ok := decode.FTPCode(l); !ok || c != 229 {
		return 0, false
	}
	return decode.FTPEPSVPort(decode.FTPResponseArg(l))
}

func srcAddr(f *decode.Frame) netip.Addr {
	if f.Has(decode.ProtoIP) {
		return f.IP.Src
	}
	return f.IPv6.Src
}

var ftpFields = []Field{
	protoField("ftp", decode.ProtoFTP),
	boolField("ftp.request", 0, decode.ProtoFTP, func(f *decode.Frame) (bool, bool) {
		return f.Text.Request, f.Has(decode.ProtoFTP)
	}),
	boolField("ftp.response", 0, decode.ProtoFTP, func(f *decode.Frame) (bool, bool) {
		return !f.Text.Request, f.Has(decode.ProtoFTP)
	}),
	ftpLine("ftp.request.command", FTString, BaseNone, true, func(f *decode.Frame, l []byte, dst []Value) []Value {
		if tok, _ := decode.Token(l); len(tok) > 0 {
			dst = append(dst, Value{B: tok})
		}
		return dst
	}),
	ftpLine("ftp.request.arg", FTString, BaseNone, true, func(f *decode.Frame, l []byte, dst []Value) []Value {
		if _, arg := decode.Token(l); len(arg) > 0 {
			dst = append(dst, Value{B: arg})
		}
		return dst
	}),
	ftpLine("ftp.response.code", FTUint32, BaseDec, false, func(f *decode.Frame, l []byte, dst []Value) []Value {
		if c, ok := decode.FTPCode(l); ok {
			dst = append(dst, Value{U: c})
		}
		return dst
	}),
	ftpLine("ftp.response.arg", FTString, BaseNone, false, func(f *decode.Frame, l []byte, dst []Value) []Value {
		if a := decode.FTPResponseArg(l); len(a) > 0 {
			dst = append(dst, Value{B: a})
		}
		return dst
	}),
	ftpLine("ftp.active.cip", FTIPv4, BaseNone, true, func(f *decode.Frame, l []byte, dst []Value) []Value {
		if a, _, ok := ftpActive(f, l); ok {
			dst = append(dst, Value{A: a})
		}
		return dst
	}),
	ftpLine("ftp.active.port", FTUint16, BaseDec, true, func(f *decode.Frame, l []byte, dst []Value) []Value {
		if _, p, ok := ftpActive(f, l); ok {
			dst = append(dst, Value{U: uint64(p)})
		}
		return dst
	}),
	ftpLine("ftp.active.nat", FTBoolean, BaseNone, true, func(f *decode.Frame, l []byte, dst []Value) []Value {
		if a, _, ok := ftpActive(f, l); ok && a != srcAddr(f) {
			dst = append(dst, Value{U: 1})
		}
		return dst
	}),
	ftpLine("ftp.passive.ip", FTIPv4, BaseNone, false, func(f *decode.Frame, l []byte, dst []Value) []Value {
		if a, _, ok := ftpPassive(l); ok {
			dst = append(dst, Value{A: a})
		}
		return dst
	}),
	ftpLine("ftp.passive.port", FTUint16, BaseDec, false, func(f *decode.Frame, l []byte, dst []Value) []Value {
		if _, p, ok := ftpPassive(l); ok {
			dst = append(dst, Value{U: uint64(p)})
		}
		return dst
	}),
	ftpLine("ftp.passive.nat", FTBoolean, BaseNone, false, func(f *decode.Frame, l []byte, dst []Value) []Value {
		if a, _, ok := ftpPassive(l); ok && a != srcAddr(f) {
			dst = append(dst, Value{U: 1})
		}
		return dst
	}),
	ftpLine("ftp.epsv.port", FTUint16, BaseDec, false, func(f *decode.Frame, l []byte, dst []Value) []Value {
		if p, ok := ftpEPSV(l); ok {
			dst = append(dst, Value{U: uint64(p)})
		}
		return dst
	}),
	ftpLine("ftp.epsv.ip", FTIPv4, BaseNone, false, func(f *decode.Frame, l []byte, dst []Value) []Value {
		if _, ok := ftpEPSV(l); ok && f.Has(decode.ProtoIP) {
			dst = append(dst, Value{A: f.IP.Src})
		}
		return dst
	}),
	ftpLine("ftp.epsv.ipv6", FTIPv6, BaseNone, false, func(f *decode.Frame, l []byte, dst []Value) []Value {
		if _, ok := ftpEPSV(l); ok && !f.Has(decode.ProtoIP) && f.Has(decode.ProtoIPv6) {
			dst = append(dst, Value{A: f.IPv6.Src})
		}
		return dst
	}),
	textField("ftp.current-working-directory", FTString, BaseNone, decode.ProtoFTP, func(f *decode.Frame, b []byte, dst []Value) []Value {
		// Wireshark shows it on every FTP packet, empty before a PWD or CWD.
		return append(dst, Value{B: f.Text.CWD})
	}),
	protoField("ftp-data", decode.ProtoFTPData),
	uintField("ftp-data.setup-frame", FTFrameNum, BaseNone, decode.ProtoFTPData, func(f *decode.Frame) (uint64, bool) {
		return f.Text.DataSetup, f.Has(decode.ProtoFTPData) && f.Text.DataSetup != 0
	}),
	bytesField("ftp-data.setup-method", FTString, decode.ProtoFTPData, func(f *decode.Frame) ([]byte, bool) {
		return sbytes(f.Text.DataMethod), f.Has(decode.ProtoFTPData) && f.Text.DataMethod != ""
	}),
	bytesField("ftp-data.command", FTString, decode.ProtoFTPData, func(f *decode.Frame) ([]byte, bool) {
		return f.Text.DataCmd, f.Has(decode.ProtoFTPData) && f.Text.DataCmd != nil
	}),
	uintField("ftp-data.command-frame", FTFrameNum, BaseNone, decode.ProtoFTPData, func(f *decode.Frame) (uint64, bool) {
		return f.Text.DataCmdSeen, f.Has(decode.ProtoFTPData) && f.Text.DataCmd != nil
	}),
}

// imapLines is an IMAP field of each line that is not untagged.
func imapLines(name string, t Type, get func(f *decode.Frame, x *decode.IMAPLine, dst []Value) []Value) Field {
	return textField(name, t, BaseNone, decode.ProtoIMAP, func(f *decode.Frame, b []byte, dst []Value) []Value {
		decode.EachIMAPLine(b, f.Text.Request, func(x *decode.IMAPLine) { dst = get(f, x, dst) })
		return dst
	})
}

func imapStr(name string, req, resp bool, get func(x *decode.IMAPLine) []byte) Field {
	return imapLines(name, FTString, func(f *decode.Frame, x *decode.IMAPLine, dst []Value) []Value {
		if (f.Text.Request && !req) || (!f.Text.Request && !resp) {
			return dst
		}
		if v := get(x); v != nil {
			dst = append(dst, Value{B: v})
		}
		return dst
	})
}

func nonEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

var imapFields = []Field{
	{Name: "imap", Type: FTProtocol, Proto: decode.ProtoIMAP, Get: func(f *decode.Frame, dst []Value) []Value {
		if f.IMAPPDUStart && f.PDUSegment {
			return append(dst, Value{})
		}
		return protoField("imap", decode.ProtoIMAP).Get(f, dst)
	}},
	boolField("imap.isrequest", 0, decode.ProtoIMAP, func(f *decode.Frame) (bool, bool) {
		return f.Text.Request, f.Has(decode.ProtoIMAP) || f.IMAPPDUStart && f.PDUSegment
	}),
	textField("imap.line", FTString, BaseNone, decode.ProtoIMAP, func(f *decode.Frame, b []byte, dst []Value) []Value {
		decode.EachIMAPText(b, func(l []byte, _ bool, _ []byte) { dst = append(dst, Value{B: withEnd(l)}) })
		return dst
	}),
	imapStr("imap.request", true, false, func(x *decode.IMAPLine) []byte { return nonEmpty(x.Line) }),
	imapStr("imap.response", false, true, func(x *decode.IMAPLine) []byte { return nonEmpty(x.Line) }),
	imapStr("imap.request_tag", true, false, func(x *decode.IMAPLine) []byte { return x.Tag }),
	imapStr("imap.response_tag", false, true, func(x *decode.IMAPLine) []byte { return x.Tag }),
	imapStr("imap.tag", true, true, func(x *decode.IMAPLine) []byte { return x.Tag }),
	imapStr("imap.request.command", true, false, func(x *decode.IMAPLine) []byte {
		if x.Cmd == nil {
			return nil
		}
		return x.Command
	}),
	imapStr("imap.response.status", false, true, func(x *decode.IMAPLine) []byte { return x.Status }),
	imapStr("imap.response.command", false, true, func(x *decode.IMAPLine) []byte { return nonEmpty(x.Command) }),
	imapStr("imap.command", true, true, func(x *decode.IMAPLine) []byte { return nonEmpty(x.Cmd) }),
	imapStr("imap.request.folder", true, false, func(x *decode.IMAPLine) []byte { return nonEmpty(x.Folder) }),
	imapLines("imap.request.command.uid", FTBoolean, func(f *decode.Frame, x *decode.IMAPLine, dst []Value) []Value {
		if f.Text.Request && x.UID {
			dst = append(dst, Value{U: 1})
		}
		return dst
	}),
	uintField("imap.response_to", FTFrameNum, BaseNone, decode.ProtoIMAP, func(f *decode.Frame) (uint64, bool) {
		return f.Text.ReqFrame, f.Has(decode.ProtoIMAP) && !f.Text.Request && f.Text.ReqFrame != 0
	}),
	timeField("imap.time", FTRelTime, decode.ProtoIMAP, func(f *decode.Frame) (int64, bool) {
		return f.TS - f.Text.ReqTS, f.Has(decode.ProtoIMAP) && !f.Text.Request && f.Text.ReqFrame != 0
	}),
}

// popFirst is a POP field of a request's (req) or reply's first line.
func popFirst(name string, req bool, get func(l []byte) []byte) Field {
	return textField(name, FTString, BaseNone, decode.ProtoPOP, func(f *decode.Frame, b []byte, dst []Value) []Value {
		if f.Text.Request != req || f.Text.Continuation {
			return dst
		}
		if v := get(decode.FirstLine(b)); v != nil {
			dst = append(dst, Value{B: v})
		}
		return dst
	})
}

// popMore is pop.request.data / pop.response.data: one empty string per
// line after the first.
func popMore(name string, req bool) Field {
	return textField(name, FTString, BaseNone, decode.ProtoPOP, func(f *decode.Frame, b []byte, dst []Value) []Value {
		if f.Text.Request != req || f.Text.Continuation {
			return dst
		}
		n := 0
		decode.EachLine(b, func(l []byte) {
			if n > 0 {
				dst = append(dst, Value{B: l[:0]})
			}
			n++
		})
		return dst
	})
}

var popFields = []Field{
	protoField("pop", decode.ProtoPOP),
	popFirst("pop.request", true, func(l []byte) []byte { return l[:0] }),
	popFirst("pop.response", false, func(l []byte) []byte { return l[:0] }),
	popFirst("pop.request.command", true, func(l []byte) []byte {
		tok, _ := decode.TokenSkip(l)
		return nonEmpty(tok)
	}),
	popFirst("pop.request.parameter", true, func(l []byte) []byte {
		_, rest := decode.TokenSkip(l)
		return nonEmpty(rest)
	}),
	popFirst("pop.response.indicator", false, func(l []byte) []byte {
		tok, _ := decode.TokenSkip(l)
		return nonEmpty(tok)
	}),
	popFirst("pop.response.description", false, func(l []byte) []byte {
		_, rest := decode.TokenSkip(l)
		return nonEmpty(rest)
	}),
	popMore("pop.request.data", true),
	popMore("pop.response.data", false),
}

func syslogMsg(b []byte) ([]byte, bool) {
	_, off := decode.SyslogPRI(b)
	return b[off:], true
}

var miscTextFields = []Field{
	protoField("ssdp", decode.ProtoSSDP),
	protoField("telnet", decode.ProtoTelnet),
	protoField("irc", decode.ProtoIRC),
	protoField("syslog", decode.ProtoSyslog),
	textField("syslog.facility", FTUint8, BaseDec, decode.ProtoSyslog, func(f *decode.Frame, b []byte, dst []Value) []Value {
		if pri, _ := decode.SyslogPRI(b); pri >= 0 {
			dst = append(dst, Value{U: uint64(pri&0x03f8) >> 3})
		}
		return dst
	}),
	textField("syslog.level", FTUint8, BaseDec, decode.ProtoSyslog, func(f *decode.Frame, b []byte, dst []Value) []Value {
		if pri, _ := decode.SyslogPRI(b); pri >= 0 {
			dst = append(dst, Value{U: uint64(pri & 7)})
		}
		return dst
	}),
	textField("syslog.msg", FTString, BaseNone, decode.ProtoSyslog, func(f *decode.Frame, b []byte, dst []Value) []Value {
		if m, _ := syslogMsg(b); len(m) > 0 {
			dst = append(dst, Value{B: m})
		}
		return dst
	}),
	textField("syslog.timestamp_rfc3164", FTString, BaseNone, decode.ProtoSyslog, func(f *decode.Frame, b []byte, dst []Value) []Value {
		m, _ := syslogMsg(b)
		if ts, _, ok := decode.SyslogRFC3164(m); ok {
			dst = append(dst, Value{B: ts})
		}
		return dst
	}),
	textField("syslog.hostname", FTString, BaseNone, decode.ProtoSyslog, func(f *decode.Frame, b []byte, dst []Value) []Value {
		m, _ := syslogMsg(b)
		if _, h, ok := decode.SyslogRFC3164(m); ok && len(h) > 0 {
			dst = append(dst, Value{B: h})
		}
		return dst
	}),
}

// mqttMsgs is an MQTT field of each control packet of the segment.
func mqttMsgs(name string, t Type, base Base, get func(m *decode.MQTTMsg, dst []Value) []Value) Field {
	return textField(name, t, base, decode.ProtoMQTT, func(f *decode.Frame, b []byte, dst []Value) []Value {
		decode.EachMQTT(b, func(m *decode.MQTTMsg) { dst = get(m, dst) })
		return dst
	})
}

var mqttFields = []Field{
	protoField("mqtt", decode.ProtoMQTT),
	mqttMsgs("mqtt.msgtype", FTUint8, BaseDec, func(m *decode.MQTTMsg, dst []Value) []Value {
		return append(dst, Value{U: uint64(m.Type())})
	}),
	mqttMsgs("mqtt.len", FTUint64, BaseDec, func(m *decode.MQTTMsg, dst []Value) []Value {
		return append(dst, Value{U: m.Len})
	}),
	mqttMsgs("mqtt.hdrflags", FTUint8, BaseHex, func(m *decode.MQTTMsg, dst []Value) []Value {
		return append(dst, Value{U: uint64(m.Hdr)})
	}),
	mqttMsgs("mqtt.topic", FTString, BaseNone, func(m *decode.MQTTMsg, dst []Value) []Value {
		if t, ok := m.Topic(); ok {
			dst = append(dst, Value{B: t})
		}
		return dst
	}),
	mqttMsgs("mqtt.msgid", FTUint16, BaseDec, func(m *decode.MQTTMsg, dst []Value) []Value {
		if id, ok := m.MsgID(); ok {
			dst = append(dst, Value{U: uint64(id)})
		}
		return dst
	}),
	mqttMsgs("mqtt.clientid", FTString, BaseNone, func(m *decode.MQTTMsg, dst []Value) []Value {
		if m.Type() != 1 {
			return dst
		}
		if _, next, ok := decode.MQTTString(m.Body, 0); ok && next+4 <= len(m.Body) && m.Body[next] < 5 {
			if id, _, ok := decode.MQTTString(m.Body, next+4); ok {
				dst = append(dst, Value{B: id})
			}
		}
		return dst
	}),
	mqttMsgs("mqtt.ver", FTUint8, BaseDec, func(m *decode.MQTTMsg, dst []Value) []Value {
		if m.Type() != 1 {
			return dst
		}
		if _, next, ok := decode.MQTTString(m.Body, 0); ok && next < len(m.Body) {
			dst = append(dst, Value{U: uint64(m.Body[next])})
		}
		return dst
	}),
}

// pgsqlMsgs is a PGSQL field of each message of the segment.
func pgsqlMsgs(name string, t Type, base Base, get func(f *decode.Frame, m *decode.PgsqlMsg, dst []Value) []Value) Field {
	return textField(name, t, base, decode.ProtoPGSQL, func(f *decode.Frame, b []byte, dst []Value) []Value {
		decode.EachPgsql(b, f.Text.Request, func(m *decode.PgsqlMsg) { dst = get(f, m, dst) })
		return dst
	})
}

var pgsqlFields = []Field{
	protoField("pgsql", decode.ProtoPGSQL),
	pgsqlMsgs("pgsql.frontend", FTBoolean, BaseNone, func(f *decode.Frame, m *decode.PgsqlMsg, dst []Value) []Value {
		return append(dst, Value{U: b2u(f.Text.Request)})
	}),
	pgsqlMsgs("pgsql.type", FTString, BaseNone, func(f *decode.Frame, m *decode.PgsqlMsg, dst []Value) []Value {
		return append(dst, Value{B: sbytes(m.Name(f.Text.Request))})
	}),
	pgsqlMsgs("pgsql.length", FTUint32, BaseDec, func(f *decode.Frame, m *decode.PgsqlMsg, dst []Value) []Value {
		return append(dst, Value{U: uint64(m.Length)})
	}),
}
