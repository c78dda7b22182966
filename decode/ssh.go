package decode

import (
	"bytes"
	"strconv"
)

// SSH (RFC 4253) on TCP port 22: the identification banner, then binary
// packets (length, padding length, message code) in clear until each side
// sends New Keys, encrypted after. Like Wireshark, the side on port 22 is
// the server, and what a frame shows depends on the connection so far (the
// version from a banner, New Keys per direction, the negotiated key
// exchange and cipher), which the Decoder keeps in a small table of
// connections (sshTable) touched only by port-22 traffic.

// SSH describes the SSH content of a frame.
type SSH struct {
	Server    bool // sent by the server (from port 22)
	Known     bool // the connection's version was known before this frame (Protocol column "SSHv2")
	Banner    []byte
	Encrypted bool // the payload is encrypted (after New Keys, or the version is unknown)
	AEAD      bool // encrypted with a cipher whose length Wireshark cannot read (no "Encrypted packet")
	KexKind   uint8
	Pkts      []SSHPacket
}

// SSHPacket is one clear binary packet.
type SSHPacket struct {
	Len     uint32
	PadLen  uint8
	Code    uint8
	Payload []byte // from the message code to the padding (may be cut short)
	SeqNum  uint32
}

// Key exchange families, which name messages 30-34.
const (
	sshKexUnknown = iota
	sshKexDH
	sshKexGEX
	sshKexECDH
)

const sshConns = 32

type sshConn struct {
	used    bool
	key     [2]uint64
	last    uint64 // frame number of the last use (for replacement)
	ver2    bool
	newkeys [2]bool // client, server
	seq     [2]uint32
	cliKex  [256]byte // client's KEXINIT kex_algorithms (cut), for negotiation
	cliKexN int
	cliEnc  [256]byte
	cliEncN int
	srvKex  [256]byte
	srvKexN int
	srvEnc  [256]byte
	srvEncN int
	kex     uint8
	aead    bool
}

type sshTable struct {
	conns []sshConn
}

// sshKey identifies a connection whatever the direction.
func sshKey(f *Frame) [2]uint64 {
	var a, b [16]byte
	if f.Has(ProtoIPv6) && !f.Has(ProtoIP) {
		a, b = f.IPv6.Src.As16(), f.IPv6.Dst.As16()
	} else {
		a, b = f.IP.Src.As16(), f.IP.Dst.As16()
	}
	ha := fnv(a[:], uint64(f.TCP.SrcPort))
	hb := fnv(b[:], uint64(f.TCP.DstPort))
	if ha > hb {
		ha, hb = hb, ha
	}
	return [2]uint64{ha, hb}
}

func fnv(b []byte, x uint64) uint64 {
	h := uint64(14695981039346656037) ^ x
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

func (t *sshTable) get(f *Frame) *sshConn {
	if t.conns == nil {
		t.conns = make([]sshConn, sshConns)
	}
	k := sshKey(f)
	old := 0
	for i := range t.conns {
		c := &t.conns[i]
		if c.used && c.key == k {
			c.last = f.Number
			return c
		}
		if !c.used || (t.conns[old].used && c.last < t.conns[old].last) {
			old = i
		}
	}
	c := &t.conns[old]
	*c = sshConn{used: true, key: k, last: f.Number}
	return c
}

// decodeSSH decodes a segment of an SSH connection; port is the server port.
func (d *Decoder) decodeSSH(f *Frame, p []byte, port uint16) bool {
	s := &f.SSH
	*s = SSH{Pkts: s.Pkts[:0], Server: f.TCP.SrcPort == port}
	c := d.ssh.get(f)
	dir := 0
	if s.Server {
		dir = 1
	}
	s.Known = c.ver2
	f.Present.Add(ProtoSSH)
	f.addAppLayer(ProtoSSH, p)
	if len(p) >= 4 && string(p[:4]) == "SSH-" {
		line := p
		if i := bytes.IndexByte(p, '\n'); i >= 0 {
			line = p[:i]
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		s.Banner = line
		if !s.Server && bytes.HasPrefix(line, []byte("SSH-2.0-")) {
			// Wireshark learns the version from the client's banner.
			c.ver2 = true
		}
		return true
	}
	if !c.ver2 || c.newkeys[dir] {
		s.Encrypted, s.AEAD = true, c.ver2 && c.aead
		return true
	}
	s.KexKind = c.kex
	for off := 0; off+6 <= len(p); {
		n := int(be32(p[off:]))
		if n < 2 || n > 35000 {
			break
		}
		pk := SSHPacket{Len: uint32(n), PadLen: p[off+4], Code: p[off+5], SeqNum: c.seq[dir]}
		end := off + 4 + n
		if end > len(p) {
			end = len(p)
		}
		pk.Payload = p[off+5 : end]
		if pad := int(pk.PadLen); len(pk.Payload) > pad && off+4+n <= len(p) {
			pk.Payload = pk.Payload[:len(pk.Payload)-pad]
		}
		c.seq[dir]++
		s.Pkts = append(s.Pkts, pk)
		switch pk.Code {
		case 20:
			c.noteKexInit(dir, pk.Payload)
			s.KexKind = c.kex
		case 21:
			c.newkeys[dir] = true
		}
		off += 4 + n
		if len(s.Pkts) >= 8 {
			break
		}
	}
	return true
}

// noteKexInit keeps a KEXINIT's kex and cipher lists and, once both sides
// sent one, the negotiated key exchange family and whether the cipher is
// one whose packet length is not in clear (AEAD, ChaCha20-Poly1305).
func (c *sshConn) noteKexInit(dir int, msg []byte) {
	lists := SSHNameLists(msg)
	kex, enc := lists[0], lists[2]
	if dir == 0 {
		c.cliKexN = copy(c.cliKex[:], kex)
		c.cliEncN = copy(c.cliEnc[:], enc)
	} else {
		c.srvKexN = copy(c.srvKex[:], kex)
		c.srvEncN = copy(c.srvEnc[:], enc)
	}
	if c.cliKexN == 0 || c.srvKexN == 0 {
		return
	}
	k := negotiate(c.cliKex[:c.cliKexN], c.srvKex[:c.srvKexN])
	switch {
	case bytes.HasPrefix(k, []byte("diffie-hellman-group-exchange")):
		c.kex = sshKexGEX
	case bytes.HasPrefix(k, []byte("ecdh-")) || bytes.HasPrefix(k, []byte("curve")) || bytes.HasPrefix(k, []byte("sntrup")):
		c.kex = sshKexECDH
	case bytes.HasPrefix(k, []byte("diffie-hellman")):
		c.kex = sshKexDH
	}
	e := negotiate(c.cliEnc[:c.cliEncN], c.srvEnc[:c.srvEncN])
	c.aead = bytes.Contains(e, []byte("chacha20-poly1305")) || bytes.Contains(e, []byte("gcm"))
}

// negotiate returns the first name of the client list the server list has.
func negotiate(cli, srv []byte) []byte {
	for len(cli) > 0 {
		name := cli
		if i := bytes.IndexByte(cli, ','); i >= 0 {
			name, cli = cli[:i], cli[i+1:]
		} else {
			cli = nil
		}
		for s := srv; len(s) > 0; {
			n := s
			if i := bytes.IndexByte(s, ','); i >= 0 {
				n, s = s[:i], s[i+1:]
			} else {
				s = nil
			}
			if bytes.Equal(n, name) {
				return name
			}
		}
	}
	return nil
}

// SSHNameLists returns the ten name-lists of a KEXINIT message (msg starts
// at the message code): kex, host key, ciphers c→s, s→c, MACs c→s, s→c,
// compression c→s, s→c, languages c→s, s→c. Lists past the end are nil.
func SSHNameLists(msg []byte) (l [10][]byte) {
	off := 17 // code, cookie
	for i := range l {
		if off+4 > len(msg) {
			return l
		}
		n := int(be32(msg[off:]))
		off += 4
		if n > len(msg)-off {
			return l
		}
		l[i] = msg[off : off+n]
		off += n
	}
	return l
}

// SSHKexTail returns the bytes of a KEXINIT message after its ten
// name-lists (first_kex_packet_follows, reserved); ok false when the lists
// run past the message.
func SSHKexTail(msg []byte) (rest []byte, ok bool) {
	off := 17
	for i := 0; i < 10; i++ {
		if off+4 > len(msg) {
			return nil, false
		}
		n := int(be32(msg[off:]))
		off += 4
		if n > len(msg)-off {
			return nil, false
		}
		off += n
	}
	return msg[off:], true
}

func sshMsgName(code, kex uint8) string {
	switch code {
	case 1:
		return "Disconnect"
	case 2:
		return "Ignore"
	case 3:
		return "Unimplemented"
	case 4:
		return "Debug"
	case 5:
		return "Service Request"
	case 6:
		return "Service Accept"
	case 20:
		return "Key Exchange Init"
	case 21:
		return "New Keys"
	}
	switch kex {
	case sshKexDH:
		switch code {
		case 30:
			return "Diffie-Hellman Key Exchange Init"
		case 31:
			return "Diffie-Hellman Key Exchange Reply"
		}
	case sshKexGEX:
		switch code {
		case 30:
			return "Diffie-Hellman Group Exchange Request (Old)"
		case 31:
			return "Diffie-Hellman Group Exchange Group"
		case 32:
			return "Diffie-Hellman Group Exchange Init"
		case 33:
			return "Diffie-Hellman Group Exchange Reply"
		case 34:
			return "Diffie-Hellman Group Exchange Request"
		}
	case sshKexECDH:
		switch code {
		case 30:
			return "Elliptic Curve Diffie-Hellman Key Exchange Init"
		case 31:
			return "Elliptic Curve Diffie-Hellman Key Exchange Reply"
		}
	}
	return ""
}

// appendSSHInfo writes Wireshark's Info text: "Client: " or "Server: ",
// the TCP analysis labels (SSH writes its prefix first), then the banner
// ("Protocol (SSH-2.0-...)"), the clear messages or "Encrypted packet
// (len=N)".
func (f *Frame) appendSSHInfo(dst []byte) []byte {
	s := &f.SSH
	if s.Server {
		dst = append(dst, "Server: "...)
	} else {
		dst = append(dst, "Client: "...)
	}
	n := len(dst)
	dst = f.appendTCPAnalysis(dst)
	sep := len(dst) > n
	reverseLabels(dst[n:])
	add := func(b []byte) []byte {
		if sep {
			b = append(b, ", "...)
		}
		sep = true
		return b
	}
	switch {
	case s.Banner != nil:
		dst = add(dst)
		dst = append(dst, "Protocol ("...)
		dst = append(dst, s.Banner...)
		dst = append(dst, ')')
	case s.Encrypted:
		if !s.AEAD {
			dst = add(dst)
			dst = append(dst, "Encrypted packet (len="...)
			dst = strconv.AppendUint(dst, uint64(f.TCP.PayloadLen), 10)
			dst = append(dst, ')')
		}
	default:
		for _, pk := range s.Pkts {
			dst = add(dst)
			if name := sshMsgName(pk.Code, s.KexKind); name != "" {
				dst = append(dst, name...)
			} else {
				dst = append(dst, "Unknown ("...)
				dst = strconv.AppendUint(dst, uint64(pk.Code), 10)
				dst = append(dst, ')')
			}
		}
	}
	return dst
}

// reverseLabels reverses the order of the "[...] " labels in b in place:
// after SSH's "Client: " prefix, Wireshark shows TCP's labels in the
// opposite order to the one it uses at the start of the column.
func reverseLabels(b []byte) {
	if bytes.Count(b, []byte("] ")) < 2 {
		return
	}
	var tmp [256]byte
	if len(b) > len(tmp) {
		return
	}
	out := tmp[:0]
	rest := b
	for len(rest) > 0 {
		i := bytes.LastIndex(rest[:len(rest)-1], []byte("] "))
		var lab []byte
		if i < 0 {
			lab, rest = rest, nil
		} else {
			lab, rest = rest[i+2:], rest[:i+2]
		}
		out = append(out, lab...)
	}
	copy(b, out)
}
