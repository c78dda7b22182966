package decode

// SOCKS 4/4a and 5 (RFC 1928, RFC 1929) on TCP port 1080, as Wireshark 4.0
// follows a connection: the client's greeting and the server's method
// choice, the username/password exchange, the command and its reply; after
// a successful Connect the bytes are the tunnelled protocol's, handed to
// the dissector of the remote port (the proxy's port taking the remote
// port's place, as Wireshark's SOCKS does) under a SOCKS layer.

// SOCKSPort is the SOCKS server's TCP port.
const SOCKSPort = 1080

// SOCKS message kinds (SOCKS.Kind).
const (
	SOCKSGreeting    = iota + 1 // v5 client: methods
	SOCKSMethod                 // v5 server: chosen method
	SOCKSAuth                   // v5 client: username/password
	SOCKSAuthReply              // v5 server: status
	SOCKSCommand                // client command (v4 or v5)
	SOCKSCommandResp            // server reply
	SOCKSData                   // tunnelled bytes
)

// SOCKS is a SOCKS segment's place in its connection.
type SOCKS struct {
	Version uint8
	Kind    uint8
	// For SOCKSData: the command's values.
	Cmd      uint8
	Port     uint16 // remote port
	AddrType uint8  // 1 IPv4, 3 name, 4 IPv6
	Addr     [16]byte
}

type socksConn struct {
	slot[[2]uint64]
	version uint8
	next    uint8 // the kind expected next
	s       SOCKS // the command's values
}

type socksTable struct{ conns []socksConn }

func (t *socksTable) get(f *Frame) *socksConn {
	if t.conns == nil {
		t.conns = make([]socksConn, textConns)
	}
	k := connKey(f)
	c, ok := lookupSlot[[2]uint64, socksConn](t.conns, k, f.Number)
	if !ok {
		*c = socksConn{slot: newSlot(k, f.Number)}
	}
	return c
}

// decodeSOCKS decodes p on a SOCKS connection; off is p's offset in the
// frame.
func (d *Decoder) decodeSOCKS(f *Frame, p []byte) bool {
	if len(p) == 0 {
		return false
	}
	c := d.socks.get(f)
	toServer := f.TCP.DstPort == SOCKSPort
	s := &f.SOCKS
	*s = SOCKS{}
	if c.next == 0 {
		// A connection's first bytes: the client's greeting or command.
		if !toServer || (p[0] != 4 && p[0] != 5) {
			return false
		}
		c.version = p[0]
		c.next = SOCKSGreeting
		if c.version == 4 {
			c.next = SOCKSCommand
		}
	}
	s.Version = c.version
	switch c.next {
	case SOCKSGreeting, SOCKSAuth, SOCKSCommand:
		if !toServer {
			break // out of turn (a retransmission): the port's bytes still
		}
		s.Kind = c.next
		switch c.next {
		case SOCKSGreeting:
			c.next = SOCKSMethod
		case SOCKSAuth:
			c.next = SOCKSAuthReply
		case SOCKSCommand:
			c.s = *s
			c.s.Cmd, c.s.Port, c.s.AddrType = socksCommand(p, c.version, &c.s.Addr)
			c.next = SOCKSCommandResp
		}
	case SOCKSMethod, SOCKSAuthReply, SOCKSCommandResp:
		if toServer {
			break
		}
		s.Kind = c.next
		switch c.next {
		case SOCKSMethod:
			c.next = SOCKSCommand
			if len(p) >= 2 && p[1] == 2 {
				c.next = SOCKSAuth
			}
		case SOCKSAuthReply:
			c.next = SOCKSCommand
		case SOCKSCommandResp:
			c.next = SOCKSData
		}
	case SOCKSData:
		*s = c.s
		s.Version, s.Kind = c.version, SOCKSData
	default:
		return false
	}
	f.Present.Add(ProtoSOCKS)
	f.addAppLayer(ProtoSOCKS, p)
	if s.Kind == SOCKSData && s.Cmd == 1 && s.Port != SOCKSPort && s.Port != 0 {
		// The tunnelled protocol, by the remote port in the proxy's place.
		src, dst := f.TCP.SrcPort, f.TCP.DstPort
		if toServer {
			f.TCP.DstPort = s.Port
		} else {
			f.TCP.SrcPort = s.Port
		}
		d.tcpApp(f, p, f.appOff(p), false)
		f.TCP.SrcPort, f.TCP.DstPort = src, dst
	}
	return true
}

// socksCommand reads a command request: the command, the remote port and
// address (type 1 IPv4, 3 name, 4 IPv6; SOCKS 4 is IPv4, or a name for 4a).
func socksCommand(p []byte, v uint8, addr *[16]byte) (cmd uint8, port uint16, at uint8) {
	if v == 4 {
		if len(p) < 8 {
			return 0, 0, 0
		}
		copy(addr[:4], p[4:8])
		return p[1], be16(p[2:]), 1
	}
	if len(p) < 5 {
		return 0, 0, 0
	}
	cmd, at = p[1], p[3]
	var n int
	switch at {
	case 1:
		n = 4
	case 4:
		n = 16
	case 3:
		n = 1 + int(p[4])
	default:
		return cmd, 0, at
	}
	if len(p) < 4+n+2 {
		return cmd, 0, at
	}
	if at != 3 {
		copy(addr[:], p[4:4+n])
	}
	return cmd, be16(p[4+n:]), at
}

// SOCKSAddr splits a v5 command request or reply (b from its start) into
// its address bytes (for a name, without its length byte) and port; ok
// false when b is too short.
func SOCKSAddr(b []byte) (at uint8, addr []byte, port uint16, ok bool) {
	if len(b) < 5 {
		return 0, nil, 0, false
	}
	at = b[3]
	var n, o int
	switch at {
	case 1:
		n, o = 4, 4
	case 4:
		n, o = 16, 4
	case 3:
		n, o = int(b[4]), 5
	default:
		return at, nil, 0, false
	}
	if len(b) < o+n+2 {
		return at, nil, 0, false
	}
	return at, b[o : o+n], be16(b[o+n:]), true
}

// appendSOCKSInfo writes SOCKS's Info column: "Version: 5" (Wireshark adds
// the message's name only when it builds the tree).
func appendSOCKSInfo(dst []byte, s *SOCKS) []byte {
	dst = append(dst, "Version: "...)
	return appendUint(dst, uint64(s.Version))
}

// socksInner reports a SOCKS frame whose tunnelled bytes another protocol
// took (its Info and Protocol columns are that protocol's).
func (f *Frame) socksInner() bool {
	return f.SOCKS.Kind == SOCKSData && f.Present.Any(socksInnerProtos)
}

var socksInnerProtos = Protos(ProtoTLS, ProtoHTTP, ProtoDNS, ProtoHTTP2)
