package decode

import "bytes"

// Line-based application protocols (FTP and FTP-DATA, IMAP, POP, TELNET,
// IRC on TCP; SSDP and syslog on UDP; MQTT). Like the dissectors of
// dissect.go each keeps its Layer and its fields parse the layer's bytes on
// demand; what Wireshark learns from earlier packets of a conversation (the
// request an IMAP response answers, FTP's working directory and the data
// connections PORT and PASV announce) is kept in Frame.Text by small
// per-Decoder tables, bounded and allocation-free once warm.

// textProtos are the protocols of this file.
var textProtos = Protos(ProtoFTP, ProtoFTPData, ProtoIMAP, ProtoPOP, ProtoSSDP, ProtoTelnet, ProtoSyslog,
	ProtoIRC, ProtoMQTT, ProtoPGSQL, ProtoIMF)

// TextProto is what a line-based protocol's packet learnt from the packets
// before it.
type TextProto struct {
	Request bool // sent to the protocol's port (Wireshark's match_uint == destport)
	// POP: a server line that is neither +OK nor -ERR; DataFragment: one
	// that continues a message announced with its size (not its last).
	Continuation, DataFragment bool
	// IMAP: the request a tagged response answers and its time.
	ReqFrame uint64
	ReqTS    int64
	// FTP: the current working directory (owned, reused).
	CWD []byte
	// FTP-DATA: the control connection's setup of this data connection.
	DataSetup   uint64 // frame of the PORT/PASV/EPSV/EPRT
	DataMethod  string // "PORT", "PASV", "EPASV", "EPRT"
	DataCmd     []byte // the command the data answers (owned, reused)
	DataCmdSeen uint64 // its frame
	// DataText: the FTP-DATA payload looks like text (data-text-lines).
	DataText bool

	cwdBuf, dataBuf []byte // owners of CWD and DataCmd
}

// textConns is the size of each protocol's connection table.
const textConns = 32

// connKey identifies a TCP connection (either direction).
func connKey(f *Frame) [2]uint64 {
	a, b := tcpEndHash(f, true), tcpEndHash(f, false)
	return [2]uint64{min(a, b), max(a, b)}
}

// lineEnd is Wireshark's tvb_find_line_end: the length of b's first line
// (up to CR, LF or CR LF) and the offset of the next.
func lineEnd(b []byte) (n, next int) {
	for i, c := range b {
		switch c {
		case '\n':
			return i, i + 1
		case '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				return i, i + 2
			}
			return i, i + 1
		}
	}
	return len(b), len(b)
}

// EachLine calls fn with each line of b as Wireshark splits them (without
// the line end).
func EachLine(b []byte, fn func(l []byte)) {
	for len(b) > 0 {
		n, next := lineEnd(b)
		fn(b[:n])
		b = b[next:]
	}
}

// FirstLine returns b's first line without its line end.
func FirstLine(b []byte) []byte {
	n, _ := lineEnd(b)
	return b[:n]
}

// Token is Wireshark's tvb_get_token_len on line l: the first token (up to
// a space) and the rest after that one space.
func Token(l []byte) (tok, rest []byte) {
	if i := bytes.IndexByte(l, ' '); i >= 0 {
		return l[:i], l[i+1:]
	}
	return l, nil
}

// TokenSkip is Wireshark's get_token_len: Token, then any more spaces skipped.
func TokenSkip(l []byte) (tok, rest []byte) {
	tok, rest = Token(l)
	for len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
	}
	return tok, rest
}

// tcpText tries this file's TCP dissectors for port on payload p.
func (d *Decoder) tcpText(f *Frame, p []byte, port uint16) bool {
	switch port {
	case 21:
		return d.decodeFTP(f, p, port)
	case 20:
		return d.decodeFTPData(f, p, nil)
	case 143:
		return d.decodeIMAP(f, p, port)
	case 110:
		return d.decodePOP(f, p, port)
	case 23:
		return decodeTelnet(f, p, port)
	case 6667:
		return decodeIRC(f, p, port)
	case 1883:
		return decodeMQTT(f, p)
	case 5432:
		return decodePgsql(f, p, port)
	}
	return false
}

// udpText tries this file's UDP dissectors for port on payload p.
func (d *Decoder) udpText(f *Frame, p []byte, port uint16) bool {
	switch port {
	case 1900:
		return d.decodeSSDP(f, p)
	case 514:
		return decodeSyslog(f, p)
	}
	return false
}

// addText records protocol pr for p.
func (f *Frame) addText(pr Proto, p []byte) {
	f.Present.Add(pr)
	f.addAppLayer(pr, p)
}

// decodeSSDP dissects HTTP over UDP port 1900 (Wireshark's SSDP: the HTTP
// dissector under the name SSDP, with the http.* fields).
func (d *Decoder) decodeSSDP(f *Frame, p []byte) bool {
	if !parseHTTPHead(&f.HTTP, p, true) {
		return false
	}
	f.addText(ProtoSSDP, p)
	return true
}

// appendTextInfo appends the Info column of protocol p (bytes b) of this file.
func appendTextInfo(dst []byte, f *Frame, p Proto, b []byte) ([]byte, bool) {
	t := &f.Text
	switch p {
	case ProtoSSDP:
		return appendHTTPInfo(dst, &f.HTTP), true
	case ProtoFTP:
		dst = appendReqResp(dst, t.Request, "Request: ", "Response: ")
		return append(dst, FirstLine(b)...), true
	case ProtoFTPData:
		dst = append(dst, "FTP Data: "...)
		dst = appendUint(dst, uint64(f.TCP.PayloadLen))
		dst = append(dst, " bytes"...)
		if t.DataMethod != "" {
			dst = append(append(append(dst, " ("...), t.DataMethod...), ')')
		}
		if t.DataCmd != nil {
			dst = append(append(append(dst, " ("...), t.DataCmd...), ')')
		}
		return dst, true
	case ProtoIMAP:
		return appendIMAPInfo(dst, t, b), true
	case ProtoPOP:
		if t.DataFragment {
			dst = append(dst, "S: DATA fragment, "...)
			dst = appendUint(dst, uint64(len(b)))
			if len(b) == 1 {
				return append(dst, " byte"...), true
			}
			return append(dst, " bytes"...), true
		}
		dst = appendReqResp(dst, t.Request, "C: ", "S: ")
		return append(dst, FirstLine(b)...), true
	case ProtoTelnet:
		return append(dst, "Telnet Data ..."...), true
	case ProtoSyslog:
		return appendSyslogInfo(dst, b), true
	case ProtoIRC:
		return appendIRCInfo(dst, t.Request, b), true
	case ProtoMQTT:
		return appendMQTTInfo(dst, b), true
	case ProtoPGSQL:
		return appendPgsqlInfo(dst, t.Request, b), true
	case ProtoIMF:
		return f.appendIMFInfos(dst), true
	}
	return dst, false
}

func appendReqResp(dst []byte, req bool, q, r string) []byte {
	if req {
		return append(dst, q...)
	}
	return append(dst, r...)
}

// textProtoColumn is the Protocol column of protocol p of this file.
func textProtoColumn(p Proto) string {
	switch p {
	case ProtoFTP:
		return "FTP"
	case ProtoFTPData:
		return "FTP-DATA"
	case ProtoIMAP:
		return "IMAP"
	case ProtoPOP:
		return "POP"
	case ProtoSSDP:
		return "SSDP"
	case ProtoTelnet:
		return "TELNET"
	case ProtoSyslog:
		return "Syslog"
	case ProtoIRC:
		return "IRC"
	case ProtoMQTT:
		return "MQTT"
	case ProtoPGSQL:
		return "PGSQL"
	}
	return ""
}

// startTLS follows STARTTLS (IMAP), STLS (POP) and AUTH TLS (FTP): once
// the server accepts, the connection's later bytes are TLS, as Wireshark's
// ssl_starttls_ack.
type startTLS struct {
	slot[[2]uint64]
	asked bool // the client asked; the next reply decides
	on    bool // TLS from now on
}

type startTLSTable struct{ conns []startTLS }

func (t *startTLSTable) get(f *Frame) *startTLS {
	if t.conns == nil {
		t.conns = make([]startTLS, textConns)
	}
	k := connKey(f)
	c, ok := lookupSlot[[2]uint64, startTLS](t.conns, k, f.Number)
	if !ok {
		*c = startTLS{slot: newSlot(k, f.Number)}
	}
	return c
}

// reply settles a pending request with the server's verdict.
func (c *startTLS) reply(ok bool) {
	if c.asked {
		c.on = ok
		c.asked = false
	}
}

// afterStartTLS dissects p of a connection that switched to TLS (on) or
// starts a TLS record before any STARTTLS was seen (the TLS heuristic's
// case): records are TLS, and a segment continuing one is claimed with no
// layer of its own for the TLS reassembly of package flow.
func (d *Decoder) afterStartTLS(f *Frame, p []byte, on bool) bool {
	if !on {
		return false
	}
	if TLSRecordStart(p) {
		d.decodeTLS(f, p)
	}
	return true
}
