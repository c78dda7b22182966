package decode

import (
	"bytes"
	"strconv"
)

// SMB2 over NetBIOS session service framing (NBSS, RFC 1002: a type byte and
// a 17-bit length) on TCP ports 445 and 139. An SMB2 message cut over
// segments is rebuilt by AppStream (flow) and decoded into the frame that
// completes it, as Wireshark does. Each header's request is matched with
// its response by connection and message ID in a small Decoder table, for
// smb2.time and smb2.response_to.

// SMB2 is the SMB2 content of a frame: the headers of its (chained)
// messages.
type SMB2 struct {
	Msgs []SMB2Msg
}

// SMB2Msg is one SMB2 message (header and body).
type SMB2Msg struct {
	B          []byte // from the header's protocol ID to the message's end
	Cmd        uint16
	Flags      uint32
	Status     uint32
	MsgID      uint64
	Time       int64  // response: ns since the request; -1 unknown
	ResponseTo uint64 // response: the request's frame
	Name       []byte // Create response: the request's file name (UTF-16LE; the Decoder's memory, valid until the next Decode)
	// File is the name of the file the message's file ID names (the
	// Decoder's memory), when FileKnown (smb2file.go).
	File      []byte
	FileKnown bool
	// FindLevel and Pattern: a Find response's request's info level and
	// search pattern (UTF-16LE, the Decoder's memory).
	FindLevel uint8
	Pattern   []byte
}

// NBSSMessageLen returns the length of the NBSS message (with its 4-byte
// header) that starts at b, or 0 when b is too short to say.
func NBSSMessageLen(b []byte) int {
	if len(b) < 4 {
		return 0
	}
	return 4 + int(b[1]&1)<<16 + int(be16(b[2:]))
}

func nbssPort(p uint16) bool { return p == 445 || p == 139 }

// decodeNBSS decodes the NBSS messages complete in b, which starts one
// (the flow package rebuilds cut ones): session messages carrying SMB2 or
// SMB, session requests and responses, keep-alives. track matches
// requests with responses and names files now (for messages rebuilt by
// the flow package); for the others TrackWindows does it.
func (d *Decoder) decodeNBSS(f *Frame, b []byte, track bool) bool {
	if !nbssStart(b) {
		return false
	}
	f.SMB2.Msgs = f.SMB2.Msgs[:0]
	for off, k := 0, 0; k < 16 && nbssStart(b[off:]); k++ {
		n := NBSSMessageLen(b[off:])
		if off+n > len(b) {
			break
		}
		m := b[off : off+n]
		f.Present.Add(ProtoNBSS)
		f.addAppLayer(ProtoNBSS, m)
		if m[0] == 0 {
			switch msg := m[4:]; {
			case len(msg) >= 64 && string(msg[:4]) == "\xfeSMB":
				d.decodeSMB2(f, msg, track)
			case len(msg) >= 32 && string(msg[:4]) == "\xffSMB":
				d.decodeSMB(f, msg, track)
			}
		}
		off += n
	}
	return true
}

// nbssStart reports whether b starts an NBSS message Wireshark accepts.
func nbssStart(b []byte) bool {
	if len(b) < 4 || b[1]&0xfe != 0 {
		return false
	}
	switch b[0] {
	case 0:
		return true
	case 0x81, 0x82, 0x83, 0x84, 0x85:
		return true
	}
	return false
}

// decodeSMB2 decodes the (chained) SMB2 messages of msg, and DCE/RPC PDUs
// carried by pipe reads, writes and transceive ioctls.
func (d *Decoder) decodeSMB2(f *Frame, msg []byte, track bool) {
	s := &f.SMB2
	first := len(s.Msgs)
	for off := 0; off+64 <= len(msg) && len(s.Msgs) < 16; {
		h := msg[off:]
		if string(h[:4]) != "\xfeSMB" {
			break
		}
		next := int(le32(h[20:]))
		end := len(h)
		if next > 0 && next < end {
			end = next
		}
		m := SMB2Msg{B: h[:end], Cmd: le16(h[12:]), Flags: le32(h[16:]), Status: le32(h[8:]), MsgID: le64(h[24:]), Time: -1}
		if track {
			d.smb2Match(f, &m)
		}
		s.Msgs = append(s.Msgs, m)
		if next <= 0 || next >= len(h) {
			break
		}
		off += next
	}
	f.Present.Add(ProtoSMB2)
	f.addAppLayer(ProtoSMB2, msg)
	for i := first; i < len(s.Msgs); i++ {
		f.addSecurityBlob(smb2SecurityBlob(&s.Msgs[i]))
		p := smb2PipeData(&s.Msgs[i])
		if DCERPCLen(p) > 0 && d.decodeDCERPC(f, p, tcpConnHash(f), track) > 0 {
			continue
		}
		if len(p) > 0 {
			f.addAppLayer(ProtoData, p)
		}
	}
}

// smb2PipeData returns the data of a Write request, Read response or
// FSCTL_PIPE_TRANSCEIVE ioctl, which a named pipe's DCE/RPC PDUs travel in.
func smb2PipeData(m *SMB2Msg) []byte {
	b := m.B
	resp := m.Flags&1 != 0
	switch {
	case m.Cmd == 9 && !resp && len(b) >= 64+8:
		return smb2Buf(b, int(le16(b[64+2:])), int(le32(b[64+4:])))
	case m.Cmd == 8 && resp && m.Status == 0 && len(b) >= 64+8:
		return smb2Buf(b, int(b[64+2]), int(le32(b[64+4:])))
	case m.Cmd == 11 && len(b) >= 64+40 && le32(b[64+4:]) == 0x0011c017:
		if resp {
			return smb2Buf(b, int(le32(b[64+32:])), int(le32(b[64+36:])))
		}
		return smb2Buf(b, int(le32(b[64+24:])), int(le32(b[64+28:])))
	}
	return nil
}

// TrackWindows matches the SMB2 requests and responses Decode found in f
// with earlier ones (smb2.time, smb2.response_to), names the files their
// file IDs stand for, and the DCE/RPC interfaces and operations of its
// PDUs. The flow package calls it with every frame in
// capture order, on the goroutine that rebuilds messages cut over
// segments: decoding itself may run ahead on another goroutine with its
// own Decoder (pipeline.Config.Parallel), which must not hold this state.
func (d *Decoder) TrackWindows(f *Frame) {
	if f.Has(ProtoSMB2) {
		for i := range f.SMB2.Msgs {
			d.smb2Match(f, &f.SMB2.Msgs[i])
		}
	}
	if f.Has(ProtoDCERPC) {
		for i := range f.DCERPC.PDUs {
			d.dceTrack(&f.DCERPC.PDUs[i])
		}
	}
	if f.Has(ProtoIMAP) {
		d.trackIMAP(f)
	}
}

func le16(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }
func le32(b []byte) uint32 { return uint32(le16(b)) | uint32(le16(b[2:]))<<16 }
func le64(b []byte) uint64 { return uint64(le32(b)) | uint64(le32(b[4:]))<<32 }

const smb2Pending = 256

type smb2Req struct {
	conn  uint64
	msgID uint64
	ts    int64
	frame uint64
	name  [128]byte // a Create request's file name or a Find request's pattern (UTF-16LE, cut)
	nameN int
	level uint8 // a Find request's info level
}

// smb2Table remembers the last requests seen (a ring), for matching.
type smb2Table struct {
	reqs []smb2Req
	next int
}

func (d *Decoder) smb2Match(f *Frame, m *SMB2Msg) {
	if m.Status == 0x103 && m.Flags&1 != 0 { // STATUS_PENDING: an interim response
		return
	}
	t := &d.smb2
	if t.reqs == nil {
		t.reqs = make([]smb2Req, smb2Pending)
	}
	a, b := tcpEndHash(f, true), tcpEndHash(f, false)
	conn := min(a, b) ^ max(a, b)*31
	defer d.smb2Files(le64(m.B[40:]), m)
	if m.Flags&1 == 0 {
		r := &t.reqs[t.next]
		*r = smb2Req{conn: conn, msgID: m.MsgID, ts: f.TS, frame: f.Number}
		switch m.Cmd {
		case 5:
			r.nameN = copy(r.name[:], smb2CreateName(m.B))
		case 14:
			if len(m.B) >= 64+4 {
				r.level = m.B[64+2]
				r.nameN = copy(r.name[:], smb2FindPattern(m.B))
			}
		}
		t.next = (t.next + 1) % len(t.reqs)
		return
	}
	for i := range t.reqs {
		r := &t.reqs[i]
		if r.frame != 0 && r.conn == conn && r.msgID == m.MsgID && r.frame < f.Number {
			m.Time, m.ResponseTo = f.TS-r.ts, r.frame
			switch m.Cmd {
			case 5:
				m.Name = r.name[:r.nameN]
			case 14:
				m.FindLevel, m.Pattern = r.level, r.name[:r.nameN]
			}
			return
		}
	}
}

var smb2CmdNames = [...]string{"Negotiate Protocol", "Session Setup", "Session Logoff", "Tree Connect",
	"Tree Disconnect", "Create", "Close", "Flush", "Read", "Write", "Lock", "Ioctl", "Cancel", "KeepAlive",
	"Find", "Notify", "GetInfo", "SetInfo", "Break"}

// SMB2CmdName returns the name of SMB2 command c, "" when unknown.
func SMB2CmdName(c uint16) string {
	if int(c) < len(smb2CmdNames) {
		return smb2CmdNames[c]
	}
	return ""
}

var ntStatusNames = map[uint32]string{
	0xc0000128: "STATUS_FILE_CLOSED", 0xc00000b0: "STATUS_PIPE_DISCONNECTED",
	0xc000009a: "STATUS_INSUFFICIENT_RESOURCES", 0xc00000b5: "STATUS_IO_TIMEOUT", 0xc0000033: "STATUS_OBJECT_NAME_INVALID",
	0xc0000061: "STATUS_PRIVILEGE_NOT_HELD", 0xc000015b: "STATUS_LOGON_TYPE_NOT_GRANTED", 0xc0000064: "STATUS_NO_SUCH_USER",
	0xc0000072: "STATUS_ACCOUNT_DISABLED", 0xc0000071: "STATUS_PASSWORD_EXPIRED", 0xc00000d0: "STATUS_REQUEST_NOT_ACCEPTED",
	0xc0000184: "STATUS_INVALID_DEVICE_STATE", 0xc0000101: "STATUS_DIRECTORY_NOT_EMPTY", 0xc0000102: "STATUS_FILE_CORRUPT_ERROR",
	0xc000007f: "STATUS_DISK_FULL", 0xc0000008: "STATUS_INVALID_HANDLE", 0xc0000002: "STATUS_NOT_IMPLEMENTED",
	0x00000103: "STATUS_PENDING", 0x0000010c: "STATUS_NOTIFY_ENUM_DIR",
	0x80000005: "STATUS_BUFFER_OVERFLOW", 0x80000006: "STATUS_NO_MORE_FILES",
	0xc0000004: "STATUS_INFO_LENGTH_MISMATCH", 0xc000000d: "STATUS_INVALID_PARAMETER",
	0xc000000f: "STATUS_NO_SUCH_FILE", 0xc0000010: "STATUS_INVALID_DEVICE_REQUEST",
	0xc0000011: "STATUS_END_OF_FILE", 0xc0000016: "STATUS_MORE_PROCESSING_REQUIRED",
	0xc0000022: "STATUS_ACCESS_DENIED", 0xc0000023: "STATUS_BUFFER_TOO_SMALL",
	0xc0000034: "STATUS_OBJECT_NAME_NOT_FOUND", 0xc0000035: "STATUS_OBJECT_NAME_COLLISION",
	0xc000003a: "STATUS_OBJECT_PATH_NOT_FOUND", 0xc0000043: "STATUS_SHARING_VIOLATION",
	0xc0000056: "STATUS_DELETE_PENDING", 0xc000006d: "STATUS_LOGON_FAILURE",
	0xc00000ba: "STATUS_FILE_IS_A_DIRECTORY", 0xc00000bb: "STATUS_NOT_SUPPORTED",
	0xc00000c9: "STATUS_NETWORK_NAME_DELETED", 0xc00000cc: "STATUS_BAD_NETWORK_NAME",
	0xc0000120: "STATUS_CANCELLED", 0xc000019c: "STATUS_FS_DRIVER_REQUIRED",
	0xc0000203: "STATUS_USER_SESSION_DELETED", 0xc0000225: "STATUS_NOT_FOUND",
}

// appendSMB2Info writes Wireshark's Info text for the (chained) messages:
// "Create Request File: a.txt;Close Request", "Session Setup Response,
// Error: STATUS_MORE_PROCESSING_REQUIRED".
func appendSMB2Info(dst []byte, s *SMB2) []byte {
	for i := range s.Msgs {
		m := &s.Msgs[i]
		if i > 0 {
			dst = append(dst, ';')
		}
		if n := SMB2CmdName(m.Cmd); n != "" {
			dst = append(dst, n...)
		} else {
			dst = append(dst, "Unknown ("...)
			dst = strconv.AppendUint(dst, uint64(m.Cmd), 10)
			dst = append(dst, ')')
		}
		if m.Flags&1 != 0 {
			dst = append(dst, " Response"...)
			if m.Cmd == 5 && m.ResponseTo != 0 && m.Status == 0 {
				dst = append(dst, " File: "...)
				dst = appendUTF16LE(dst, m.Name)
			}
			if m.Status != 0 {
				dst = append(dst, ", Error: "...)
				if n := ntStatusNames[m.Status]; n != "" {
					dst = append(dst, n...)
				} else {
					dst = append(dst, "Unknown (0x"...)
					dst = appendHexPad(dst, uint64(m.Status), 8)
					dst = append(dst, ')')
				}
			}
			dst = appendSMB2Body(dst, m)
		} else {
			dst = append(dst, " Request"...)
			switch m.Cmd {
			case 5: // Create: the file name (UTF-16LE)
				dst = append(dst, " File: "...)
				dst = appendUTF16LE(dst, smb2CreateName(m.B))
			case 3: // Tree Connect: the share's path
				if len(m.B) >= 64+8 {
					off, n := int(le16(m.B[64+4:])), int(le16(m.B[64+6:]))
					if off >= 64 && off+n <= len(m.B) {
						dst = append(dst, " Tree: "...)
						dst = appendUTF16LE(dst, m.B[off:off+n])
					}
				}
			default:
				dst = appendSMB2Body(dst, m)
			}
		}
		if m.Cmd == 1 {
			dst = appendNTLMSSPInfo(dst, m.B)
		}
	}
	return dst
}

// smb2CreateName returns the UTF-16LE name of a Create request.
func smb2CreateName(b []byte) []byte {
	if len(b) < 64+48 {
		return nil
	}
	off, n := int(le16(b[64+44:])), int(le16(b[64+46:]))
	if off < 64 || off+n > len(b) {
		return nil
	}
	return b[off : off+n]
}

// appendNTLMSSPInfo appends what Wireshark's NTLMSSP dissector adds to a
// Session Setup's Info: ", NTLMSSP_NEGOTIATE", ", NTLMSSP_CHALLENGE", ",
// NTLMSSP_AUTH, User: DOMAIN\user".
func appendNTLMSSPInfo(dst, b []byte) []byte {
	i := bytes.Index(b, []byte("NTLMSSP\x00"))
	if i < 0 || i+12 > len(b) {
		return dst
	}
	m := b[i:]
	switch le32(m[8:]) {
	case 1:
		return append(dst, ", NTLMSSP_NEGOTIATE"...)
	case 2:
		return append(dst, ", NTLMSSP_CHALLENGE"...)
	case 3:
		dst = append(dst, ", NTLMSSP_AUTH, User: "...)
		if len(m) < 64 {
			return dst
		}
		field := func(o int) []byte {
			n, off := int(le16(m[o:])), int(le32(m[o+4:]))
			if off+n > len(m) {
				return nil
			}
			return m[off : off+n]
		}
		unicode := le32(m[60:])&1 != 0
		put := func(dst, s []byte) []byte {
			if unicode {
				return appendUTF16LE(dst, s)
			}
			return append(dst, s...)
		}
		dst = put(dst, field(28))
		dst = append(dst, '\\')
		return put(dst, field(36))
	}
	return dst
}

func appendUTF16LE(dst, b []byte) []byte {
	for i := 0; i+1 < len(b); i += 2 {
		c := rune(le16(b[i:]))
		if c < 0x80 {
			dst = append(dst, byte(c))
		} else {
			dst = append(dst, string(c)...)
		}
	}
	return dst
}

func appendHexPad(dst []byte, v uint64, width int) []byte {
	const hx = "0123456789abcdef"
	for i := width - 1; i >= 0; i-- {
		dst = append(dst, hx[v>>(4*uint(i))&0xf])
	}
	return dst
}
