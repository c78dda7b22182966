package decode

import "bytes"

// POP3 (RFC 1939) on TCP port 110: the client's commands and the server's
// +OK/-ERR replies; other server lines continue a multi-line reply. As
// Wireshark's POP, a continuation is message content handed to IMF: a
// RETR/TOP reply announcing its size ("+OK 1234 octets") is gathered until
// that many bytes came (the segments before the last show as DATA
// fragments), any other continuation is a message of its own.

// popConn is a POP connection's RETR/TOP state (Wireshark's pop_data_val).
type popConn struct {
	slot[[2]uint64]
	msgRequest bool // RETR or TOP sent, its reply not seen
	total      int  // announced size of the message being read, 0 none
	read       int  // bytes of it seen
	buf        []byte
}

type popTable struct{ conns []popConn }

// popMax bounds the bytes a connection keeps for one message.
const popMax = 1 << 20

func (t *popTable) get(f *Frame) *popConn {
	if t.conns == nil {
		t.conns = make([]popConn, textConns)
	}
	k := connKey(f)
	c, ok := lookupSlot[[2]uint64, popConn](t.conns, k, f.Number)
	if !ok {
		buf := c.buf[:0]
		*c = popConn{slot: newSlot(k, f.Number), buf: buf}
	}
	return c
}

func (d *Decoder) decodePOP(f *Frame, p []byte, port uint16) bool {
	st := d.starttls.get(f)
	if st.on || TLSRecordStart(p) {
		return d.afterStartTLS(f, p, st.on)
	}
	c := d.pop.get(f)
	t := &f.Text
	t.Request = f.TCP.DstPort == port
	t.Continuation = false
	l := FirstLine(p)
	if t.Request {
		if len(l) >= 4 && bytes.EqualFold(l[:4], []byte("STLS")) {
			st.asked = true
		}
		if len(l) >= 4 && bytes.EqualFold(l[:4], []byte("RETR")) || len(l) >= 3 && bytes.EqualFold(l[:3], []byte("TOP")) {
			c.msgRequest = true
		}
		f.addText(ProtoPOP, p)
		return true
	}
	t.Continuation = !bytes.HasPrefix(l, []byte("+OK")) && !bytes.HasPrefix(l, []byte("-ERR"))
	if !t.Continuation {
		ok := len(l) >= 4 && bytes.EqualFold(l[:4], []byte("+OK "))
		st.reply(ok)
		if c.msgRequest {
			if ok {
				c.total, c.read, c.buf = popSize(l[4:]), 0, c.buf[:0]
			}
			c.msgRequest = false
		}
		f.addText(ProtoPOP, p)
		return true
	}
	f.addText(ProtoPOP, p)
	c.read += len(p)
	if c.read < c.total {
		// A fragment of the announced message; the last one shows it.
		if len(c.buf)+len(p) <= popMax {
			c.buf = append(c.buf, p...)
		}
		t.DataFragment = true
		return true
	}
	msg := p
	if len(c.buf) > 0 && f.Reassembled == nil {
		// The frame keeps the message (a copy: the buffer serves the next).
		msg = append(append(make([]byte, 0, len(c.buf)+len(p)), c.buf...), p...)
		f.Reassembled = msg
	}
	c.total, c.read, c.buf = 0, 0, c.buf[:0]
	f.Present.Add(ProtoIMF)
	f.addAppLayer(ProtoIMF, msg)
	return true
}

// popSize is C's atoi on the rest of a "+OK " line: the leading decimal
// number after optional white space, 0 without one.
func popSize(s []byte) int {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	n := 0
	for _, ch := range s {
		if ch < '0' || ch > '9' || n > popMax*4 {
			break
		}
		n = n*10 + int(ch-'0')
	}
	return n
}
