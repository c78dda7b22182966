package decode

import (
	"bytes"
	"strconv"
)

// SMTP (RFC 5321) on TCP ports 25 and 587: the server's replies and the
// client's commands, line by line; after a DATA command the client's
// segments are message content until the line holding a lone ".". The
// Decoder keeps which connections are in DATA in a small table.

// SMTP is the SMTP content of a segment.
type SMTP struct {
	Server bool
	Data   bool   // message content (after DATA)
	Lines  []byte // the segment's text (commands or reply lines)
}

const smtpConns = 32

type smtpConn struct {
	slot[[2]uint64]
	data bool
	// starttls: the client sent STARTTLS; tls: the server accepted it
	// (220), so the connection's later bytes are TLS (Wireshark's
	// ssl_starttls_ack).
	starttls, tls bool
	bdat          int // bytes of a BDAT chunk still to come
}

type smtpTable struct{ conns []smtpConn }

func (t *smtpTable) get(f *Frame) *smtpConn {
	if t.conns == nil {
		t.conns = make([]smtpConn, smtpConns)
	}
	k := connKey(f)
	c, ok := lookupSlot[[2]uint64, smtpConn](t.conns, k, f.Number)
	if !ok {
		*c = smtpConn{slot: newSlot(k, f.Number)}
	}
	return c
}

func (d *Decoder) decodeSMTP(f *Frame, p []byte, port uint16) bool {
	c := d.smtp.get(f)
	if c.tls || TLSRecordStart(p) {
		return d.afterStartTLS(f, p, c.tls) // after STARTTLS
	}
	s := &f.SMTP
	*s = SMTP{Server: f.TCP.SrcPort == port, Lines: p}
	switch {
	case s.Server:
		if c.starttls {
			c.starttls = false
			c.tls = bytes.HasPrefix(p, []byte("220"))
		}
	case c.bdat > 0:
		s.Data = true
		c.bdat -= min(c.bdat, len(p))
	case c.data:
		s.Data = true
		if bytes.HasSuffix(p, []byte("\r\n.\r\n")) || bytes.Equal(p, []byte(".\r\n")) {
			c.data = false
		}
	default:
		cmd, param := smtpSplit(firstLine(p))
		switch {
		case bytes.EqualFold(cmd, []byte("DATA")):
			c.data = true
		case bytes.EqualFold(cmd, []byte("STARTTLS")):
			c.starttls = true
		case bytes.EqualFold(cmd, []byte("BDAT")):
			// The chunk follows the command line, in this segment or
			// the next ones.
			n := 0
			for _, ch := range param {
				if ch < '0' || ch > '9' || n > 1<<30 {
					break
				}
				n = n*10 + int(ch-'0')
			}
			c.bdat = max(0, n-(len(p)-len(firstLine(p))-2))
		}
	}
	f.Present.Add(ProtoSMTP)
	f.addAppLayer(ProtoSMTP, p)
	return true
}

// firstLine returns p's first line without its line end.
func firstLine(p []byte) []byte {
	if i := bytes.IndexByte(p, '\n'); i >= 0 {
		p = p[:i]
	}
	return bytes.TrimSuffix(p, []byte("\r"))
}

// smtpSplit splits a command line into the command and its parameter.
func smtpSplit(l []byte) (cmd, param []byte) {
	if i := bytes.IndexByte(l, ' '); i >= 0 {
		return l[:i], l[i+1:]
	}
	return l, nil
}

// EachSMTPLine calls fn with each line of b (without its line end).
func EachSMTPLine(b []byte, fn func(l []byte)) {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			fn(bytes.TrimSuffix(b, []byte("\r")))
			return
		}
		fn(bytes.TrimSuffix(b[:i], []byte("\r")))
		b = b[i+1:]
	}
}

// appendSMTPInfo writes Wireshark's Info text: "S: 250-mail.example.com
// Hello | CHUNKING | OK", "C: EHLO client", "C: DATA fragment, 78 bytes".
func appendSMTPInfo(dst []byte, s *SMTP) []byte {
	if s.Data {
		dst = append(dst, "C: DATA fragment, "...)
		dst = strconv.AppendUint(dst, uint64(len(s.Lines)), 10)
		return append(dst, " bytes"...)
	}
	if !s.Server {
		dst = append(dst, "C: "...)
		n := 0
		EachSMTPLine(s.Lines, func(l []byte) {
			if n > 0 {
				dst = append(dst, " | "...)
			}
			n++
			dst = append(dst, l...)
		})
		return dst
	}
	dst = append(dst, "S: "...)
	n := 0
	var code []byte
	EachSMTPLine(s.Lines, func(l []byte) {
		if n == 0 && len(l) >= 3 {
			code = l[:3]
		}
		if n > 0 {
			dst = append(dst, " | "...)
			// A continuation line of the same reply shows without its code.
			if len(l) >= 4 && (l[3] == '-' || l[3] == ' ') && bytes.Equal(l[:3], code) {
				l = l[4:]
			}
		}
		n++
		dst = append(dst, l...)
	})
	return dst
}
