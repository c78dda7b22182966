package decode

import "bytes"

// POP3 (RFC 1939) on TCP port 110: the client's commands and the server's
// +OK/-ERR replies; other server lines are the continuation of a
// multi-line reply. Message content (Wireshark reassembles a RETR/TOP
// reply into an IMF layer) is not decoded.

func (d *Decoder) decodePOP(f *Frame, p []byte, port uint16) bool {
	if TLSRecordStart(p) {
		return false // after STLS
	}
	t := &f.Text
	t.Request = f.TCP.DstPort == port
	t.Continuation = false
	if !t.Request {
		l := FirstLine(p)
		t.Continuation = !bytes.HasPrefix(l, []byte("+OK")) && !bytes.HasPrefix(l, []byte("-ERR"))
	}
	f.addText(ProtoPOP, p)
	return true
}
