package decode

import "strconv"

// ONC-RPC (RFC 5531) and the portmapper (RFC 1833, program 100000), on
// TCP and UDP port 111. Over TCP each message is a record behind a 4-byte
// record mark (RFC 5531 section 11: last-fragment bit, 31-bit length), and a
// segment carries as many records as fit; Wireshark shows one "Remote
// Procedure Call" tree (and one "Portmap" tree) per record, and a record cut
// over segments in the frame that completes it (AppStream). Only
// single-fragment records are decoded. Hand-written: no maintained Go
// library dissects ONC-RPC from packet bytes.

// RPCPort is the portmapper's port, on TCP and UDP.
const RPCPort = 111

// RPCPortmapProgram is the portmapper's RPC program number.
const RPCPortmapProgram = 100000

// RPCRecordLen returns the length of the TCP record that b starts with (its
// 4-byte mark included), 0 when b is too short for the mark or the record
// is not a last fragment.
func RPCRecordLen(b []byte) int {
	if len(b) < 4 || b[0]&0x80 == 0 {
		return 0
	}
	n := int(be32(b) & 0x7fffffff)
	if n < 8 || n > 1<<24 {
		return 0
	}
	return 4 + n
}

// rpcMsgOK reports whether m (an RPC message, no record mark) looks like a
// call of RPC version 2 or a reply.
func rpcMsgOK(m []byte) bool {
	if len(m) < 8 {
		return false
	}
	switch be32(m[4:]) {
	case 0:
		return len(m) >= 24 && be32(m[8:]) == 2
	case 1:
		return len(m) >= 12 && be32(m[8:]) <= 1
	}
	return false
}

// RPCCallBody returns the offset in m (an RPC call message) of the
// procedure's arguments, after the credentials and verifier; ok false when
// m is cut short.
func RPCCallBody(m []byte) (off int, ok bool) {
	off, ok = rpcSkipAuth(m, 24) // credentials
	if ok {
		off, ok = rpcSkipAuth(m, off) // verifier
	}
	if !ok || off > len(m) {
		return 0, false
	}
	return off, true
}

// rpcSkipAuth returns the offset after the opaque_auth (flavor, length,
// body padded to 4 bytes; at most 400 bytes, RFC 5531) at off in m.
func rpcSkipAuth(m []byte, off int) (int, bool) {
	if off+8 > len(m) {
		return 0, false
	}
	n := int(be32(m[off+4:]))
	if n > 400 {
		return 0, false
	}
	return off + 8 + (n+3)&^3, true
}

// addRPC records the RPC message m (rec with its record mark, or m itself
// over UDP) and, for a procedure other than NULL of a program decoded here
// (portmapper, NFS, MOUNT), that program's layer: a call's arguments, or
// the results of a reply whose call the Decoder saw.
func (d *Decoder) addRPC(f *Frame, rec, m []byte) {
	f.Present.Add(ProtoRPC)
	f.addAppLayer(ProtoRPC, rec)
	var ci RPCCallInfo
	var body int
	ok := false
	if be32(m[4:]) == 0 {
		d.rpc.noteCall(f, m)
		ci = RPCCallInfo{Prog: be32(m[12:]), Vers: be32(m[16:]), Proc: be32(m[20:])}
		body, ok = RPCCallBody(m)
	} else if c := d.rpc.matchReply(f, m); c != nil {
		ci = RPCCallInfo{Prog: c.prog, Vers: c.vers, Proc: c.proc, Frame: c.frame, Arg: c.arg}
		body, ok = rpcReplyBody(m)
	}
	f.RPCMatch = append(f.RPCMatch, ci)
	// Wireshark's NFS and MOUNT are not called for procedure NULL, so they
	// are no layer of frame.protocols; RPC still adds their protocol item
	// (program version and procedure), which '-Y nfs' matches. The
	// portmapper's dissector runs for every procedure.
	p := rpcProgProto(ci.Prog)
	if p != 0 && ci.Proc == 0 && p != ProtoPortmap && ok {
		f.Present.Add(p)
	}
	if p != 0 && (ci.Proc != 0 || p == ProtoPortmap) && ok && body <= len(m) {
		f.Present.Add(p)
		if body < len(m) {
			f.addAppLayer(p, m[body:])
		} else { // no arguments (DUMP): an empty layer after the message
			off, reasm := f.locate(m)
			f.Layers = append(f.Layers, Layer{Proto: p, Off: off + len(m), Reasm: reasm})
		}
	}
}

// decodeRPCTCP decodes the complete records at the start of p (a TCP
// payload from or to port 111); false when p does not start with one.
func (d *Decoder) decodeRPCTCP(f *Frame, p []byte) bool {
	found := false
	for len(p) > 0 {
		n := RPCRecordLen(p)
		if n == 0 || n > len(p) || !rpcMsgOK(p[4:n]) {
			break
		}
		d.addRPC(f, p[:n], p[4:n])
		found = true
		p = p[n:]
	}
	return found
}

// decodeRPCUDP decodes p, a UDP datagram from or to port 111.
func (d *Decoder) decodeRPCUDP(f *Frame, p []byte) bool {
	if !rpcMsgOK(p) {
		return false
	}
	return d.decodeRPCUDPMsg(f, p)
}

func (d *Decoder) decodeRPCUDPMsg(f *Frame, p []byte) bool {
	d.addRPC(f, p, p)
	return true
}

// rpcTCPStart reports whether p may start an RPC record on a port-111
// connection (its mark and, when present, its first words).
func rpcTCPStart(p []byte) bool {
	n := RPCRecordLen(p)
	if n == 0 {
		return false
	}
	if len(p) >= 16 {
		return rpcMsgOK(p[4:min(n, len(p))])
	}
	return true
}

var portmapProcs = [...]string{"NULL", "SET", "UNSET", "GETPORT", "DUMP", "CALLIT"}
var portmapProcs34 = [...]string{"NULL", "SET", "UNSET", "GETADDR", "DUMP", "CALLIT", "GETTIME", "UADDR2TADDR",
	"TADDR2UADDR", "GETVERSADDR", "INDIRECT", "GETADDRLIST", "GETSTAT"}

// PortmapProcName returns the name of procedure proc of portmapper version
// vers as Wireshark prints it, "" when unknown.
func PortmapProcName(vers, proc uint32) string {
	switch {
	case vers == 2 && proc < uint32(len(portmapProcs)):
		return portmapProcs[proc]
	case (vers == 3 || vers == 4) && proc < uint32(len(portmapProcs34)):
		if vers == 4 && proc == 5 {
			return "BCAST"
		}
		return portmapProcs34[proc]
	}
	return ""
}

// RPCMessage returns the RPC message of an RPC layer's bytes b (without the
// record mark over TCP).
func (f *Frame) RPCMessage(l Layer) []byte {
	b := f.LayerBytes(l)
	if f.Has(ProtoTCP) && len(b) >= 4 {
		return b[4:]
	}
	return b
}

// appendRPCInfo writes Wireshark's Info for every RPC message of f:
// "V2 GETPORT Call" for a portmapper call, joined by "  ; " (none after a
// message reassembled from earlier segments, as Wireshark prints it).
func appendRPCInfo(dst []byte, f *Frame) []byte {
	first, fence := true, false
	i := -1
	for li, l := range f.Layers {
		if l.Proto != ProtoRPC {
			continue
		}
		i++
		var ci RPCCallInfo
		if i < len(f.RPCMatch) {
			ci = f.RPCMatch[i]
		}
		var args []byte // the program layer's bytes after this RPC layer
		if li+1 < len(f.Layers) && f.Layers[li+1].Proto != ProtoRPC && f.Layers[li+1].Proto == rpcProgProto(ci.Prog) {
			args = f.LayerBytes(f.Layers[li+1])
		}
		if !first && !fence {
			dst = append(dst, "  ; "...)
		}
		first, fence = false, l.Reasm
		m := f.RPCMessage(l)
		if len(m) < 8 {
			continue
		}
		if be32(m[4:]) == 1 {
			name := RPCProcName(ci.Prog, ci.Vers, ci.Proc)
			if ci.Frame == 0 || name == "" {
				dst = append(dst, "Reply XID 0x"...)
				dst = strconv.AppendUint(dst, uint64(be32(m)), 16)
				continue
			}
			dst = append(dst, 'V')
			dst = strconv.AppendUint(dst, uint64(ci.Vers), 10)
			dst = append(dst, ' ')
			dst = append(dst, name...)
			dst = append(dst, " Reply (Call In "...)
			dst = strconv.AppendUint(dst, ci.Frame, 10)
			dst = append(dst, ')')
			if ci.Prog == RPCPortmapProgram && ci.Vers == 2 && ci.Proc == 3 && len(args) >= 4 {
				dst = append(dst, " Port:"...)
				dst = strconv.AppendUint(dst, uint64(be32(args)), 10)
			}
			if ci.Prog == RPCNFSProgram && ci.Vers == 3 {
				dst = appendNFS3ReplyInfo(dst, ci, args)
			}
			continue
		}
		prog, vers, proc := be32(m[12:]), be32(m[16:]), be32(m[20:])
		name := RPCProcName(prog, vers, proc)
		dst = append(dst, 'V')
		dst = strconv.AppendUint(dst, uint64(vers), 10)
		dst = append(dst, ' ')
		if name != "" {
			dst = append(dst, name...)
		} else {
			dst = append(dst, "Program "...)
			dst = strconv.AppendUint(dst, uint64(prog), 10)
			dst = append(dst, " Procedure "...)
			dst = strconv.AppendUint(dst, uint64(proc), 10)
		}
		dst = append(dst, " Call"...)
		switch {
		case prog == RPCPortmapProgram && vers == 2 && proc == 3:
			dst = appendGetportInfo(dst, args)
		case prog == RPCNFSProgram && vers == 3:
			dst = appendNFS3CallInfo(dst, proc, args)
		case prog == RPCMountProgram && (proc == 1 || proc == 3):
			if p, _, ok := xdrOpaque(args, 0); ok {
				dst = append(dst, ' ')
				dst = AppendDisplayText(dst, p)
			}
		}
	}
	return dst
}
