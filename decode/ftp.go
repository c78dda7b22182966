package decode

import (
	"bytes"
	"net/netip"
)

// FTP (RFC 959) control connections on TCP port 21 and their data
// connections: on port 20, or announced by a PORT or EPRT command or a 227
// (PASV) or 229 (EPSV) reply, which Wireshark turns into a conversation of
// the announced address and port with any port of the other side. The
// Decoder keeps each control connection's working directory and last
// command, and the announced data connections, in small tables.

type ftpConn struct {
	slot[[2]uint64]
	cwd      []byte
	lastCmd  []byte // the last request line
	lastCmdN uint64
	data     int // index+1 of its current data connection in ftpTable.data, 0 none
}

// ftpData is an announced data connection: addr:port exactly, any port
// of peer.
type ftpData struct {
	addr, peer netip.Addr
	port       uint16
	setup      uint64
	method     string
	cmd        []byte
	cmdFrame   uint64
	seen       uint64 // last frame that used it
}

type ftpTable struct {
	conns []ftpConn
	data  []ftpData
}

const ftpDataConns = 32

func (t *ftpTable) conn(f *Frame) *ftpConn {
	if t.conns == nil {
		t.conns = make([]ftpConn, textConns)
	}
	k := connKey(f)
	c, ok := lookupSlot[[2]uint64, ftpConn](t.conns, k, f.Number)
	if !ok {
		*c = ftpConn{slot: newSlot(k, f.Number), cwd: c.cwd[:0], lastCmd: c.lastCmd[:0]}
	}
	return c
}

// frameAddrs returns the frame's IP source and destination.
func frameAddrs(f *Frame) (src, dst netip.Addr) {
	if f.Has(ProtoIP) {
		return f.IP.Src, f.IP.Dst
	}
	return f.IPv6.Src, f.IPv6.Dst
}

// addData records a data connection announced in frame f and returns its index+1.
func (t *ftpTable) addData(f *Frame, addr netip.Addr, port uint16, peer netip.Addr, method string) int {
	if t.data == nil {
		t.data = make([]ftpData, ftpDataConns)
	}
	old := 0
	for i := range t.data {
		e := &t.data[i]
		if e.setup != 0 && e.addr == addr && e.port == port && e.peer == peer {
			old = i
			break
		}
		if e.seen < t.data[old].seen {
			old = i
		}
	}
	e := &t.data[old]
	*e = ftpData{addr: addr, port: port, peer: peer, setup: f.Number, method: method, seen: f.Number, cmd: e.cmd[:0]}
	return old + 1
}

// findData returns the data connection segment f belongs to, nil when none.
func (t *ftpTable) findData(f *Frame) *ftpData {
	if t.data == nil || !f.Has(ProtoTCP) {
		return nil
	}
	src, dst := frameAddrs(f)
	var best *ftpData
	for i := range t.data {
		e := &t.data[i]
		if e.setup == 0 {
			continue
		}
		if (e.addr == src && e.port == f.TCP.SrcPort && e.peer == dst) ||
			(e.addr == dst && e.port == f.TCP.DstPort && e.peer == src) {
			if best == nil || e.setup > best.setup {
				best = e
			}
		}
	}
	return best
}

// ftpDataCmd reports whether an FTP command's reply travels on the data
// connection.
func ftpDataCmd(l []byte) bool {
	tok, _ := Token(l)
	for _, c := range [...]string{"APPE", "LIST", "MLSD", "NLST", "RETR", "STOR", "STOU"} {
		if bytes.EqualFold(tok, []byte(c)) {
			return true
		}
	}
	return false
}

func (d *Decoder) decodeFTP(f *Frame, p []byte, port uint16) bool {
	st := d.starttls.get(f)
	if st.on || TLSRecordStart(p) {
		return d.afterStartTLS(f, p, st.on)
	}
	t := &f.Text
	t.Request = f.TCP.DstPort == port
	c := d.ftp.conn(f)
	line := FirstLine(p)
	if t.Request && string(line) == "AUTH TLS" {
		st.asked = true
	} else if code, ok := FTPCode(line); ok && !t.Request && code == 234 {
		st.reply(true)
	}
	src, dst := frameAddrs(f)
	if t.Request {
		c.lastCmd = append(c.lastCmd[:0], line...)
		c.lastCmdN = f.Number
		if c.data > 0 && d.ftp.data != nil {
			e := &d.ftp.data[c.data-1]
			if len(e.cmd) == 0 || (!ftpDataCmd(e.cmd) && ftpDataCmd(line)) {
				e.cmd = append(e.cmd[:0], line...)
				e.cmdFrame = f.Number
			}
		}
		cmd, arg := Token(line)
		if string(cmd) == "PORT" {
			if ip, pt, ok := FTPHostPort(arg); ok {
				c.data = d.ftp.addData(f, dst, 20, ip, "PORT")
				_ = pt
			}
		}
	} else if code, ok := FTPCode(line); ok {
		arg := FTPResponseArg(line)
		switch code {
		case 227:
			if ip, pt, ok := FTPHostPort(arg); ok {
				c.data = d.ftp.addData(f, ip, pt, dst, "PASV")
			}
		case 229:
			if pt, ok := FTPEPSVPort(arg); ok {
				c.data = d.ftp.addData(f, src, pt, dst, "EPASV")
			}
		case 250:
			if bytes.HasPrefix(c.lastCmd, []byte("CWD ")) {
				c.cwd = ftpCWD(c.cwd, c.lastCmd[4:])
			} else if bytes.HasPrefix(c.lastCmd, []byte("CDUP")) {
				c.cwd = ftpCWD(c.cwd, []byte(".."))
			}
		case 257:
			if len(line) >= 4 {
				if dir, ok := ftpPWD(line[4:]); ok {
					c.cwd = append(c.cwd[:0], dir...)
				}
			}
		}
	}
	t.cwdBuf = append(t.cwdBuf[:0], c.cwd...)
	t.CWD = nil
	if len(c.cwd) > 0 {
		t.CWD = t.cwdBuf
	}
	f.addText(ProtoFTP, p)
	return true
}

// FTPCode returns the reply code a response line starts with.
func FTPCode(l []byte) (uint64, bool) {
	if len(l) < 3 || !isDigit(l[0]) || !isDigit(l[1]) || !isDigit(l[2]) {
		return 0, false
	}
	return uint64(l[0]-'0')*100 + uint64(l[1]-'0')*10 + uint64(l[2]-'0'), true
}

// FTPResponseArg returns what follows a response line's code (and the one
// space or hyphen after it); the whole line when it has no code.
func FTPResponseArg(l []byte) []byte {
	if _, ok := FTPCode(l); !ok {
		return l
	}
	if len(l) >= 4 {
		return l[4:]
	}
	return l[len(l):]
}

// FTPHostPort finds the first "h1,h2,h3,h4,p1,p2" in s (a PORT argument or
// a 227 reply), as Wireshark's parse_port_pasv.
func FTPHostPort(s []byte) (netip.Addr, uint16, bool) {
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		var v [6]int
		j, n := i, 0
		for n < 6 {
			for n > 0 && j < len(s) && s[j] == ' ' {
				j++
			}
			k := j
			x := 0
			for k < len(s) && isDigit(s[k]) && k-j < 10 {
				x = x*10 + int(s[k]-'0')
				k++
			}
			if k == j {
				break
			}
			v[n] = x
			n++
			j = k
			if n < 6 {
				if j >= len(s) || s[j] != ',' {
					break
				}
				j++
			}
		}
		if n == 6 {
			ip := netip.AddrFrom4([4]byte{byte(v[0]), byte(v[1]), byte(v[2]), byte(v[3])})
			return ip, uint16(v[4]&0xff)<<8 | uint16(v[5]&0xff), true
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	return netip.Addr{}, 0, false
}

// FTPEPSVPort parses the port of a 229 reply's "(|||port|)".
func FTPEPSVPort(s []byte) (uint16, bool) {
	i := bytes.IndexByte(s, '(')
	if i < 0 || i+4 >= len(s) {
		return 0, false
	}
	d := s[i+1]
	if s[i+2] != d || s[i+3] != d {
		return 0, false
	}
	v, j := 0, i+4
	for j < len(s) && isDigit(s[j]) && v < 1<<16 {
		v = v*10 + int(s[j]-'0')
		j++
	}
	if j == i+4 || j >= len(s) || s[j] != d || v > 65535 {
		return 0, false
	}
	return uint16(v), true
}

// ftpPWD extracts the directory of a 257 reply ("\"/home/x\" is current").
func ftpPWD(l []byte) ([]byte, bool) {
	if len(l) < 2 || l[0] != '"' {
		return nil, false
	}
	for i := 1; i < len(l); i++ {
		if l[i] == '"' {
			if i+1 < len(l) && l[i+1] == '"' {
				i++
				continue
			}
			return bytes.ReplaceAll(l[1:i], []byte(`""`), []byte(`"`)), true
		}
	}
	return nil, false
}

// ftpCWD applies a successful CWD to dir, as Wireshark normalises it.
func ftpCWD(dir, arg []byte) []byte {
	if len(arg) > 0 && arg[0] == '/' {
		return append(dir[:0], arg...)
	}
	if len(dir) == 0 {
		return append(dir, arg...)
	}
	abs := dir[0] == '/'
	var path []byte
	path = append(path, dir...)
	if path[len(path)-1] != '/' {
		path = append(path, '/')
	}
	path = append(path, arg...)
	out := dir[:0]
	if abs {
		out = append(out, '/')
	}
	for _, seg := range bytes.Split(path, []byte("/")) {
		switch {
		case len(seg) == 0 || string(seg) == ".":
		case string(seg) == "..":
			for len(out) > 0 && out[len(out)-1] != '/' {
				out = out[:len(out)-1]
			}
			if len(out) > 1 && out[len(out)-1] == '/' {
				out = out[:len(out)-1]
			}
		default:
			if len(out) > 0 && out[len(out)-1] != '/' {
				out = append(out, '/')
			}
			out = append(out, seg...)
		}
	}
	return out
}

// decodeFTPData dissects a data connection's segment; e is its announced
// connection (nil on port 20 without one).
func (d *Decoder) decodeFTPData(f *Frame, p []byte, e *ftpData) bool {
	t := &f.Text
	t.DataSetup, t.DataMethod, t.DataCmd, t.DataCmdSeen = 0, "", nil, 0
	if e == nil {
		e = d.ftp.findData(f)
	}
	if e == nil && f.Has(ProtoTCP) {
		// Port 20 without an announcement: the connection is its own setup.
		src, dst := frameAddrs(f)
		if f.TCP.SrcPort == 20 {
			e = &d.ftp.data[d.ftp.addData(f, src, 20, dst, "")-1]
		} else {
			e = &d.ftp.data[d.ftp.addData(f, dst, 20, src, "")-1]
		}
	}
	if e != nil {
		e.seen = f.Number
		t.DataSetup, t.DataMethod = e.setup, e.method
		if len(e.cmd) > 0 {
			t.dataBuf = append(t.dataBuf[:0], e.cmd...)
			t.DataCmd = t.dataBuf
			t.DataCmdSeen = e.cmdFrame
		}
	}
	t.DataText = true
	for _, c := range p[:min(20, len(p))] {
		if c != '\r' && c != '\n' && (c < 0x20 || c > 0x7e) {
			t.DataText = false
			break
		}
	}
	f.addText(ProtoFTPData, p)
	if t.DataText && len(p) > 0 {
		f.addText(ProtoDataTextLines, p)
	}
	return true
}

// ftpDataConv dissects f as FTP-DATA when it belongs to an announced data
// connection.
func (d *Decoder) ftpDataConv(f *Frame, p []byte) bool {
	if d.ftp.data == nil {
		return false
	}
	e := d.ftp.findData(f)
	if e == nil {
		return false
	}
	return d.decodeFTPData(f, p, e)
}
