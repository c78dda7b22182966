package decode

// ONC-RPC on any port, as Wireshark finds it: a portmapper GETPORT reply
// announces the port of a program on its server (Wireshark then dissects
// that server port's conversation as RPC), and RPC's heuristic takes a UDP
// datagram or TCP record that is a version-2 call of a program Wireshark
// knows or a reply whose XID answers a call seen on the same endpoints.
// The Decoder keeps the recent calls (XID, program, version, procedure,
// frame) and the announced ports in small fixed tables.

const (
	rpcCalls      = 256
	rpcPorts      = 64
	RPCNFSProgram = 100003
)

type rpcCallRec struct {
	key              [2]uint64 // both endpoints, ordered
	xid              uint32
	prog, vers, proc uint32
	frame            uint64
	getportProto     uint32 // a GETPORT call's protocol argument (6, 17)
	used             bool
	arg              uint32 // an NFSv3 ACCESS call's access mask
}

type rpcPort struct {
	server uint64 // address+port hash of the announced server port
	tcp    bool
	used   bool
}

type rpcState struct {
	calls []rpcCallRec
	next  int
	ports []rpcPort
	pnext int
}

// RPCCallInfo is what a reply's matching call said (RPCReplyCall).
type RPCCallInfo struct {
	Prog, Vers, Proc uint32
	Frame            uint64 // the call's frame
	Arg              uint32 // an NFSv3 ACCESS call's access mask
}

// rpcKnownProgram: programs Wireshark 4.0 has a dissector for (its RPC
// heuristic accepts only calls of those).
func rpcKnownProgram(p uint32) bool {
	switch p {
	case 100000, 100001, 100002, 100003, 100004, 100005, 100007, 100011, 100021, 100024, 100227, 100083, 100099,
		100008, 100009, 100012, 100026, 100028, 100029, 150001, 300019, 395650, 100232:
		return true
	}
	return false
}

// RPCProgramName is the name Wireshark gives program p, "" unknown.
func RPCProgramName(p uint32) string {
	switch p {
	case 100000:
		return "Portmap"
	case 100001:
		return "RSTAT"
	case 100002:
		return "RUSERS"
	case 100003:
		return "NFS"
	case 100004:
		return "YPSERV"
	case 100005:
		return "MOUNT"
	case 100007:
		return "YPBIND"
	case 100011:
		return "RQUOTA"
	case 100021:
		return "NLM"
	case 100024:
		return "STAT"
	case 100227:
		return "NFSACL"
	}
	return ""
}

func rpcEnds(f *Frame) (src, dst uint64) {
	if f.Has(ProtoTCP) {
		return tcpEndHash(f, true), tcpEndHash(f, false)
	}
	return udpEndHash(f, true), udpEndHash(f, false)
}

// noteCall remembers call message m of frame f.
func (s *rpcState) noteCall(f *Frame, m []byte) {
	if len(m) < 24 {
		return
	}
	if s.calls == nil {
		s.calls = make([]rpcCallRec, rpcCalls)
		s.ports = make([]rpcPort, rpcPorts)
	}
	a, b := rpcEnds(f)
	c := rpcCallRec{key: [2]uint64{min(a, b), max(a, b)}, xid: be32(m), prog: be32(m[12:]), vers: be32(m[16:]),
		proc: be32(m[20:]), frame: f.Number, used: true}
	if c.prog == RPCPortmapProgram && c.proc == 3 && c.vers == 2 {
		if off, ok := RPCCallBody(m); ok && off+16 <= len(m) {
			c.getportProto = be32(m[off+8:])
		}
	}
	if c.prog == RPCNFSProgram && c.vers == 3 && c.proc == 4 {
		if off, ok := RPCCallBody(m); ok {
			if _, next, ok := xdrOpaque(m, off); ok && next+4 <= len(m) {
				c.arg = be32(m[next:])
			}
		}
	}
	for i := range s.calls {
		if s.calls[i].used && s.calls[i].key == c.key && s.calls[i].xid == c.xid {
			s.calls[i] = c
			return
		}
	}
	s.calls[s.next] = c
	s.next = (s.next + 1) % len(s.calls)
}

// matchReply returns the call reply m answers (nil none) and, for a
// GETPORT reply with a port, notes the announced server port.
func (s *rpcState) matchReply(f *Frame, m []byte) *rpcCallRec {
	if s.calls == nil || len(m) < 8 {
		return nil
	}
	a, b := rpcEnds(f)
	k := [2]uint64{min(a, b), max(a, b)}
	xid := be32(m)
	for i := range s.calls {
		c := &s.calls[i]
		if !c.used || c.key != k || c.xid != xid {
			continue
		}
		if c.getportProto == 6 || c.getportProto == 17 {
			if off, ok := rpcReplyBody(m); ok && off+4 <= len(m) {
				if port := be32(m[off:]); port != 0 && port < 65536 {
					s.announce(f, uint16(port), c.getportProto == 6)
				}
			}
		}
		return c
	}
	return nil
}

// announce records port on the replying server (f's source address).
func (s *rpcState) announce(f *Frame, port uint16, tcp bool) {
	var a [16]byte
	if f.Has(ProtoIPv6) && !f.Has(ProtoIP) {
		a = f.IPv6.Src.As16()
	} else {
		a = f.IP.Src.As16()
	}
	h := fnv(a[:], uint64(port))
	for i := range s.ports {
		if s.ports[i].used && s.ports[i].server == h && s.ports[i].tcp == tcp {
			return
		}
	}
	s.ports[s.pnext] = rpcPort{server: h, tcp: tcp, used: true}
	s.pnext = (s.pnext + 1) % len(s.ports)
}

// announced reports whether either endpoint of f is a port a GETPORT reply
// announced for f's transport.
func (s *rpcState) announced(f *Frame) bool {
	if s.ports == nil {
		return false
	}
	tcp := f.Has(ProtoTCP)
	a, b := rpcEnds(f)
	for i := range s.ports {
		p := &s.ports[i]
		if p.used && p.tcp == tcp && (p.server == a || p.server == b) {
			return true
		}
	}
	return false
}

// rpcReplyBody returns the offset of an accepted reply's results in m.
func rpcReplyBody(m []byte) (int, bool) {
	if len(m) < 12 || be32(m[8:]) != 0 { // MSG_ACCEPTED
		return 0, false
	}
	off, ok := rpcSkipAuth(m, 12)                    // verifier
	if !ok || off+4 > len(m) || be32(m[off:]) != 0 { // SUCCESS
		return 0, false
	}
	return off + 4, true
}

// rpcHeuristic is Wireshark's RPC heuristic on message m: a version-2 call
// of a known program with plausible credentials, or a reply to a call the
// Decoder saw on the same endpoints.
func (d *Decoder) rpcHeuristic(f *Frame, m []byte) bool {
	if len(m) < 8 {
		return false
	}
	switch be32(m[4:]) {
	case 0:
		if len(m) < 32 || be32(m[8:]) != 2 || !rpcKnownProgram(be32(m[12:])) {
			return false
		}
		_, ok := RPCCallBody(m)
		return ok && be32(m[24:]) <= 6
	case 1:
		if len(m) < 12 || be32(m[8:]) > 1 || d.rpc.calls == nil {
			return false
		}
		a, b := rpcEnds(f)
		k := [2]uint64{min(a, b), max(a, b)}
		xid := be32(m)
		for i := range d.rpc.calls {
			if c := &d.rpc.calls[i]; c.used && c.key == k && c.xid == xid {
				return true
			}
		}
	}
	return false
}

// rpcUDP tries RPC on a UDP datagram of a port a GETPORT reply announced,
// or by the heuristic.
func (d *Decoder) rpcUDP(f *Frame, p []byte, heuristic bool) bool {
	if d.opts.SkipApp&AppOther != 0 || !rpcMsgOK(p) {
		return false
	}
	if heuristic && !d.rpcHeuristic(f, p) {
		return false
	}
	if !heuristic && !d.rpc.announced(f) {
		return false
	}
	return d.decodeRPCUDPMsg(f, p)
}

// rpcTCPAny reports whether a TCP payload p on another port than 111 is
// RPC: its connection's server port was announced, or its first record is
// a call or reply the heuristic accepts.
func (d *Decoder) rpcTCPAny(f *Frame, p []byte) bool {
	if d.opts.SkipApp&AppOther != 0 {
		return false
	}
	n := RPCRecordLen(p)
	if n == 0 {
		return false
	}
	if d.rpc.announced(f) {
		return true
	}
	return len(p) >= 12 && d.rpcHeuristic(f, p[4:min(n, len(p))])
}
