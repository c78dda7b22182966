package decode

import "bytes"

// POP3 (RFC 1939) on TCP port 110: the client's commands and the server's
// +OK/-ERR replies; other server lines are the continuation of a
// multi-line reply. Message content (Wireshark reassembles a RETR/TOP
// reply into an IMF layer) is not decoded.

func (d *Decoder) decodePOP(f *Frame, p []byte, port uint16) bool {
	st := d.starttls.get(f)
	if st.on || TLSRecordStart(p) {
		return d.afterStartTLS(f, p, st.on)
	}
	t := &f.Text
	t.Request = f.TCP.DstPort == port
	t.Continuation = false
	l := FirstLine(p)
	if !t.Request {
		t.Continuation = !bytes.HasPrefix(l, []byte("+OK")) && !bytes.HasPrefix(l, []byte("-ERR"))
		if !t.Continuation {
			st.reply(len(l) >= 4 && string(l[:4]) == "+OK ")
		}
	} else if len(l) >= 4 && bytes.EqualFold(l[:4], []byte("STLS")) {
		st.asked = true
	}
	f.addText(ProtoPOP, p)
	return true
}
