package detail

import (
	"fmt"

	"github.com/wirewatch/wirewatch/decode"
)

// -V trees of the line-based protocols (decode/textproto.go): FTP,
// FTP-DATA, IMAP, POP, SSDP, TELNET, syslog, IRC and MQTT, with the lines
// and fields Wireshark shows for them.

func init() {
	Register(decode.ProtoFTP, buildFTP)
	Register(decode.ProtoFTPData, buildFTPData)
	Register(decode.ProtoDataTextLines, buildTextLines)
	Register(decode.ProtoIMAP, buildIMAP)
	Register(decode.ProtoPOP, buildPOP)
	Register(decode.ProtoSSDP, buildSSDP)
	Register(decode.ProtoTelnet, titleOnly("telnet", "Telnet"))
	Register(decode.ProtoSyslog, buildSyslog)
	Register(decode.ProtoIRC, buildIRC)
	Register(decode.ProtoMQTT, buildMQTT)
}

func titleOnly(name, title string) BuildFunc {
	return func(b *Builder, l decode.Layer, d []byte) {
		b.Open(name, 0, min(l.Len, len(d)), title)
		b.Close()
	}
}

// textLine is line l (at off) with its line end, as Wireshark labels it.
func textLine(d []byte, off int) (label string, n, next int) {
	n, next = lineEndOf(d[off:])
	label = Esc(d[off : off+n])
	switch next - n {
	case 2:
		label += `\r\n`
	case 1:
		if d[off+n] == '\n' {
			label += `\n`
		} else {
			label += `\r`
		}
	}
	return label, n, next
}

func lineEndOf(b []byte) (n, next int) {
	l := decode.FirstLine(b)
	n = len(l)
	next = n
	if next < len(b) && b[next] == '\r' {
		next++
	}
	if next < len(b) && b[next] == '\n' && (next == n || b[n] == '\r') {
		next++
	}
	return n, next
}

func buildFTP(b *Builder, l decode.Layer, d []byte) {
	f := b.Frame
	n := min(l.Len, len(d))
	d = d[:n]
	b.Open("ftp", 0, n, "File Transfer Protocol (FTP)")
	label, ln, next := textLine(d, 0)
	b.Open("", 0, next, label)
	line := d[:ln]
	if f.Text.Request {
		cmd, arg := decode.Token(line)
		if len(cmd) > 0 {
			b.AddKV("ftp.request.command", 0, len(cmd), "Request command", Esc(cmd))
		}
		if len(arg) > 0 {
			b.AddKV("ftp.request.arg", len(cmd)+1, len(arg), "Request arg", Esc(arg))
		}
		if v, ok := b.Value("ftp.active.cip"); ok {
			b.AddKV("ftp.active.cip", -1, 0, "Active IP address", v.A.String())
		}
		if v, ok := b.Value("ftp.active.port"); ok {
			b.AddKV("ftp.active.port", -1, 0, "Active port", fmt.Sprint(v.U))
		}
	} else {
		if code, ok := decode.FTPCode(line); ok {
			b.AddKV("ftp.response.code", 0, 3, "Response code", fmt.Sprintf("%s (%d)", valueName("ftp.response.code", code, "Unknown"), code))
		}
		if arg := decode.FTPResponseArg(line); len(arg) > 0 {
			b.AddKV("ftp.response.arg", ln-len(arg), len(arg), "Response arg", Esc(arg))
		}
		if v, ok := b.Value("ftp.passive.ip"); ok {
			b.AddKV("ftp.passive.ip", -1, 0, "Passive IP address", v.A.String())
		}
		if v, ok := b.Value("ftp.passive.port"); ok {
			b.AddKV("ftp.passive.port", -1, 0, "Passive port", fmt.Sprint(v.U))
		}
	}
	b.Close()
	for off := next; off < len(d); {
		label, _, nx := textLine(d, off)
		b.Add("", off, nx, label)
		off += nx
	}
	b.Close()
	b.Gen("ftp.current-working-directory", "Current working directory: %s", Esc(f.Text.CWD))
}

func buildFTPData(b *Builder, l decode.Layer, d []byte) {
	f := b.Frame
	n := min(l.Len, len(d))
	b.Open("ftp-data", 0, n, fmt.Sprintf("FTP Data (%d bytes data)", n))
	b.Close()
	t := &f.Text
	if t.DataSetup != 0 {
		b.Gen("ftp-data.setup-frame", "Setup frame: %d", t.DataSetup)
	}
	if t.DataMethod != "" {
		b.Gen("ftp-data.setup-method", "Setup method: %s", t.DataMethod)
	}
	if t.DataCmd != nil {
		b.Gen("ftp-data.command", "Command: %s", Esc(t.DataCmd))
		b.Add("ftp-data.command-frame", -1, 0, fmt.Sprintf("Command frame: %d", t.DataCmdSeen))
	}
}

// buildTextLines is Wireshark's data-text-lines tree of an FTP-DATA payload.
func buildTextLines(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	lines := 0
	decode.EachLine(d[:n], func([]byte) { lines++ })
	b.Open("data-text-lines", 0, n, fmt.Sprintf("Line-based text data (%d lines)", lines))
	for off := 0; off < n; {
		label, _, nx := textLine(d[:n], off)
		b.Add("", off, nx, label)
		off += nx
	}
	b.Close()
}

func buildIMAP(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	d = d[:n]
	b.Open("imap", 0, n, "Internet Message Access Protocol")
	req := b.Frame.Text.Request
	for off := 0; off < n; {
		label, ln, nx := textLine(d, off)
		line := d[off : off+ln]
		if len(line) > 0 && line[0] == '*' {
			b.AddKV("imap.line", off, nx, "Line", label)
			off += nx
			continue
		}
		b.Open("imap.line", off, nx, "Line: "+label)
		decode.EachIMAPLine(d[off:off+nx], req, func(x *decode.IMAPLine) {
			kind, tagName, tagField := "Response", "Response Tag", "imap.response_tag"
			if req {
				kind, tagName, tagField = "Request", "Request Tag", "imap.request_tag"
			}
			if len(x.Line) > 0 {
				b.AddKV("imap."+map[bool]string{true: "request", false: "response"}[req], off, len(x.Line), kind, Esc(x.Line))
			}
			if x.Tag != nil {
				b.AddKV(tagField, off, len(x.Tag), tagName, Esc(x.Tag))
			}
			if req {
				if x.UID {
					b.AddKV("imap.request.command.uid", -1, 0, "Request isUID", "True")
				}
				if x.Cmd != nil {
					b.AddKV("imap.request.command", -1, 0, "Request Command", Esc(x.Command))
				}
				if len(x.Folder) > 0 {
					b.AddKV("imap.request.folder", -1, 0, "Request Folder", Esc(x.Folder))
				}
			} else {
				if x.Status != nil {
					b.AddKV("imap.response.status", -1, 0, "Response Status", Esc(x.Status))
				}
				if len(x.Command) > 0 {
					b.AddKV("imap.response.command", -1, 0, "Response Command", Esc(x.Command))
				}
				if t := &b.Frame.Text; t.ReqFrame != 0 {
					b.Gen("imap.response_to", "Request In: %d", t.ReqFrame)
					b.Gen("imap.time", "Response Time: %s", RelTime(b.Frame.TS-t.ReqTS))
				}
			}
		})
		b.Close()
		off += nx
	}
	b.Close()
}

func buildPOP(b *Builder, l decode.Layer, d []byte) {
	t := &b.Frame.Text
	n := min(l.Len, len(d))
	d = d[:n]
	b.Open("pop", 0, n, "Post Office Protocol")
	defer b.Close()
	if t.Continuation {
		return
	}
	label, ln, next := textLine(d, 0)
	b.Open("", 0, next, label)
	tok, rest := decode.TokenSkip(d[:ln])
	if t.Request {
		if len(tok) > 0 {
			b.AddKV("pop.request.command", 0, len(tok), "Request command", Esc(tok))
		}
		if len(rest) > 0 {
			b.AddKV("pop.request.parameter", ln-len(rest), len(rest), "Request parameter", Esc(rest))
		}
	} else {
		if len(tok) > 0 {
			b.AddKV("pop.response.indicator", 0, len(tok), "Response indicator", Esc(tok))
		}
		if len(rest) > 0 {
			b.AddKV("pop.response.description", ln-len(rest), len(rest), "Response description", Esc(rest))
		}
	}
	b.Close()
	for off := next; off < n; {
		label, _, nx := textLine(d, off)
		b.Add("", off, nx, label)
		off += nx
	}
}

// buildSSDP is HTTP's tree under SSDP's name.
func buildSSDP(b *Builder, l decode.Layer, d []byte) {
	start := len(b.t.Nodes)
	buildHTTP(b, l, d)
	if len(b.t.Nodes) > start {
		b.t.Nodes[start].Field = "ssdp"
		b.t.Nodes[start].Label = "Simple Service Discovery Protocol"
	}
}

func buildSyslog(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	d = d[:n]
	info := string(b.Frame.AppendInfo(nil))
	if i := len(info); i > 0 {
		info = string(decode.AppendDisplayText(nil, []byte(info)))
	}
	b.Open("syslog", 0, n, "Syslog message: "+info)
	defer b.Close()
	pri, off := decode.SyslogPRI(d)
	if pri >= 0 {
		fac, lev := uint64(pri&0x03f8)>>3, uint64(pri&7)
		b.Add("syslog.facility", 1, off-1, BitLine(8, 0xf8, uint64(pri)&0xff, fmt.Sprintf("Facility: %s (%d)", valueName("syslog.facility", fac, "Unknown"), fac)))
		b.Add("syslog.level", 1, off-1, BitLine(8, 0x07, uint64(pri)&0xff, fmt.Sprintf("Level: %s (%d)", valueName("syslog.level", lev, "Unknown"), lev)))
	}
	if off < n {
		b.AddKV("syslog.msg", off, n-off, "Message", Esc(d[off:]))
	}
}

func buildIRC(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	d = d[:n]
	b.Open("irc", 0, n, "Internet Relay Chat")
	defer b.Close()
	kind := "Response"
	if b.Frame.Text.Request {
		kind = "Request"
	}
	for off := 0; off < n; {
		ln, nx := lineEndOf(d[off:])
		if ln > 0 {
			line := d[off : off+ln]
			b.Open("irc."+map[bool]string{true: "request", false: "response"}[kind == "Request"], off, ln, kind+": "+Esc(line))
			if prefix, cmd, _, ok := decode.IRCCommand(line); ok {
				if prefix != nil {
					b.AddKV("", -1, 0, "Prefix", Esc(prefix))
				}
				b.AddKV("", -1, 0, "Command", Esc(cmd))
			}
			b.Close()
		}
		if nx == 0 {
			break
		}
		off += nx
	}
}

func buildMQTT(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	names := [...]string{"Reserved", "Connect Command", "Connect Ack", "Publish Message", "Publish Ack",
		"Publish Received", "Publish Release", "Publish Complete", "Subscribe Request", "Subscribe Ack",
		"Unsubscribe Request", "Unsubscribe Ack", "Ping Request", "Ping Response", "Disconnect Req", "Authentication Exchange"}
	decode.EachMQTT(d[:n], func(m *decode.MQTTMsg) {
		name := names[m.Type()]
		b.Open("mqtt", m.Off, m.HdrN+len(m.Body), "MQ Telemetry Transport Protocol, "+name)
		b.Add("mqtt.hdrflags", m.Off, 1, fmt.Sprintf("Header Flags: 0x%02x, Message Type: %s", m.Hdr, name))
		b.Add("mqtt.len", m.Off+1, m.HdrN-1, fmt.Sprintf("Msg Len: %d", m.Len))
		if t, ok := m.Topic(); ok {
			b.AddKV("mqtt.topic", -1, 0, "Topic", Esc(t))
		}
		if id, ok := m.MsgID(); ok {
			b.AddKV("mqtt.msgid", -1, 0, "Message Identifier", fmt.Sprint(id))
		}
		b.Close()
	})
}
