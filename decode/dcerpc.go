package decode

import "strconv"

// DCE/RPC connection-oriented PDUs (the "dcerpc" protocol) over TCP, found
// as Wireshark finds them (its heuristic on any port: version 5.0/5.1 and
// a known PDU type), and inside SMB2 pipe reads, writes and
// FSCTL_PIPE_TRANSCEIVE ioctls. A PDU cut over segments is rebuilt by
// AppStream. Binds name the interface of each presentation context, so
// requests and responses show the operation's name as Wireshark does
// ("lsa_OpenPolicy2 request", Protocol "LSARPC"); that state lives in the
// Decoder that runs on the flow goroutine (TrackWindows).

// DCERPC holds the PDUs of a frame.
type DCERPC struct {
	PDUs []DCERPCPDU
}

// DCERPCPDU is one PDU and what its connection's binds tell about it.
type DCERPCPDU struct {
	B      []byte // header to frag_len
	Iface  int16  // index into dceIfaces; -1 unknown
	Opnum  uint16 // a response's request's operation
	HasOp  bool
	conn   uint64
	Sealed bool // stub encrypted (auth level privacy)
	// NoBind: a request whose context no Bind of its connection named, or
	// a response to no such request seen (Wireshark's "No bind info for
	// interface Context ID n - capture start too late?").
	NoBind bool
}

// DCERPC PDU types.
const (
	dceRequest  = 0
	dceResponse = 2
	dceFault    = 3
	dceBind     = 11
	dceBindAck  = 12
	dceBindNak  = 13
	dceAlter    = 14
	dceAlterAck = 15
	dceAuth3    = 16
)

// DCERPCLen returns the length of the PDU at the start of b when b starts
// like one (version 5.0 or 5.1, a known type, a length that holds the
// header), else 0.
func DCERPCLen(b []byte) int {
	if len(b) < 16 || b[0] != 5 || b[1] > 1 || b[2] > 20 {
		return 0
	}
	n := int(dce16(b, 8))
	if n < 16 {
		return 0
	}
	return n
}

// dce16 and dce32 read the PDU's integers in its data representation.
func dce16(b []byte, off int) uint16 {
	if b[4]&0x10 != 0 {
		return le16(b[off:])
	}
	return be16(b[off:])
}

func dce32(b []byte, off int) uint32 {
	if b[4]&0x10 != 0 {
		return le32(b[off:])
	}
	return uint32(be16(b[off:]))<<16 | uint32(be16(b[off+2:]))
}

// decodeDCERPC adds the complete PDUs at the start of b to f, with
// conn naming their conversation; it returns how many bytes they took.
func (d *Decoder) decodeDCERPC(f *Frame, b []byte, conn uint64, track bool) int {
	off := 0
	for len(f.DCERPC.PDUs) < 32 {
		n := DCERPCLen(b[off:])
		if n == 0 || off+n > len(b) {
			break
		}
		if !f.Has(ProtoDCERPC) {
			f.DCERPC.PDUs = f.DCERPC.PDUs[:0]
		}
		f.Present.Add(ProtoDCERPC)
		p := DCERPCPDU{B: b[off : off+n], Iface: -1, conn: conn}
		if al := int(dce16(p.B, 10)); al > 0 && al+8 <= n-16 {
			p.Sealed = p.B[n-al-8+1] == 6 // RPC_C_AUTHN_LEVEL_PKT_PRIVACY
		}
		f.addAppLayer(ProtoDCERPC, p.B)
		f.DCERPC.PDUs = append(f.DCERPC.PDUs, p)
		if track {
			d.dceTrack(&f.DCERPC.PDUs[len(f.DCERPC.PDUs)-1])
		}
		off += n
	}
	return off
}

// decodeDCERPCTCP decodes the PDUs of a TCP payload; true when p starts
// with one (whole or cut: AppStream rebuilds the rest).
func (d *Decoder) decodeDCERPCTCP(f *Frame, p []byte, track bool) bool {
	if d.opts.SkipApp&AppOther != 0 || DCERPCLen(p) == 0 {
		return false
	}
	d.decodeDCERPC(f, p, tcpConnHash(f), track)
	return true
}

// tcpConnHash names f's TCP connection the same in both directions.
func tcpConnHash(f *Frame) uint64 {
	a, b := tcpEndHash(f, true), tcpEndHash(f, false)
	return min(a, b) ^ max(a, b)*31
}

const dceRing = 256

type dceBinding struct {
	conn  uint64
	ctx   uint16
	iface int16
}

type dceCall struct {
	conn   uint64
	callID uint32
	iface  int16
	opnum  uint16
	bound  bool
}

// dceTable remembers the last bindings and calls (rings).
type dceTable struct {
	binds  []dceBinding
	calls  []dceCall
	nb, nc int
}

// dceTrack learns a Bind's contexts, and names the interface and
// operation of requests and responses.
func (d *Decoder) dceTrack(p *DCERPCPDU) {
	t := &d.dce
	if t.binds == nil {
		t.binds, t.calls = make([]dceBinding, dceRing), make([]dceCall, dceRing)
	}
	b := p.B
	switch b[2] {
	case dceBind, dceAlter:
		dceContexts(b, func(ctx uint16, uuid []byte, _, _ uint16, _ []byte) {
			t.binds[t.nb] = dceBinding{conn: p.conn, ctx: ctx, iface: dceIfaceIndex(b, uuid)}
			t.nb = (t.nb + 1) % dceRing
		})
	case dceRequest:
		if len(b) < 24 {
			return
		}
		ctx, op := dce16(b, 20), dce16(b, 22)
		p.Opnum, p.HasOp, p.NoBind = op, true, true
		for i := 1; i <= dceRing; i++ {
			e := &t.binds[(t.nb-i+dceRing)%dceRing]
			if e.conn == p.conn && e.ctx == ctx && e.conn != 0 {
				p.Iface, p.NoBind = e.iface, false
				break
			}
		}
		t.calls[t.nc] = dceCall{conn: p.conn, callID: dce32(b, 12), iface: p.Iface, opnum: op, bound: !p.NoBind}
		t.nc = (t.nc + 1) % dceRing
	case dceResponse, dceFault:
		id := dce32(b, 12)
		p.NoBind = b[2] == dceResponse && len(b) >= 24
		for i := 1; i <= dceRing; i++ {
			e := &t.calls[(t.nc-i+dceRing)%dceRing]
			if e.conn == p.conn && e.callID == id && e.conn != 0 {
				p.Iface, p.Opnum, p.HasOp = e.iface, e.opnum, true
				p.NoBind = p.NoBind && !e.bound
				break
			}
		}
	}
}

// dceContexts calls fn for each context item of a Bind or Alter_context.
func dceContexts(b []byte, fn func(ctx uint16, uuid []byte, ver, minor uint16, syntax []byte)) {
	if len(b) < 28 {
		return
	}
	n, off := int(b[24]), 28
	for i := 0; i < n && off+24 <= len(b); i++ {
		ctx, ntrans := dce16(b, off), int(b[off+2])
		uuid := b[off+4 : off+20]
		ver, minor := dce16(b, off+20), dce16(b, off+22)
		off += 24
		var syntax []byte
		if ntrans > 0 && off+16 <= len(b) {
			syntax = b[off : off+16]
		}
		fn(ctx, uuid, ver, minor, syntax)
		off += 20 * ntrans
	}
}

func dceIfaceIndex(b, uuid []byte) int16 {
	var s [36]byte
	u := appendUUID(s[:0], b, uuid)
	for i := range dceIfaces {
		if dceIfaces[i].uuid == string(u) {
			return int16(i)
		}
	}
	return -1
}

// appendUUID appends a UUID in the PDU's byte order as text.
func appendUUID(dst, b, u []byte) []byte {
	var d1 uint32
	var d2, d3 uint16
	if b[4]&0x10 != 0 {
		d1, d2, d3 = le32(u), le16(u[4:]), le16(u[6:])
	} else {
		d1, d2, d3 = uint32(be16(u))<<16|uint32(be16(u[2:])), be16(u[4:]), be16(u[6:])
	}
	dst = appendHexPad(dst, uint64(d1), 8)
	dst = append(dst, '-')
	dst = appendHexPad(dst, uint64(d2), 4)
	dst = append(dst, '-')
	dst = appendHexPad(dst, uint64(d3), 4)
	dst = append(dst, '-')
	dst = appendHexPad(dst, uint64(be16(u[8:])), 4)
	dst = append(dst, '-')
	for _, c := range u[10:16] {
		dst = appendHexPad(dst, uint64(c), 2)
	}
	return dst
}

var dceTypeNames = [...]string{"Request", "Ping", "Response", "Fault", "Working", "Nocall", "Reject", "Ack",
	"Cl_cancel", "Fack", "Cancel_ack", "Bind", "Bind_ack", "Bind_nak", "Alter_context", "Alter_context_resp",
	"AUTH3", "Shutdown", "Co_cancel", "Orphaned", "RTS"}

var dceFragNames = [...]string{"Mid", "1st", "Last", "Single"}

var dceAckResults = [...]string{"Acceptance", "User rejection", "Provider rejection", "Negotiate ACK"}

// named reports whether the PDU is a call of a known interface whose
// operation Wireshark names instead of the header's summary.
func (p *DCERPCPDU) named() bool {
	return p.Iface >= 0 && p.HasOp && !p.Sealed && p.B[3]&3 == 3 && (p.B[2] == dceRequest || p.B[2] == dceResponse)
}

// appendDCERPCInfo appends the Info text of f's PDUs.
func appendDCERPCInfo(dst []byte, f *Frame) []byte {
	for i := range f.DCERPC.PDUs {
		p := &f.DCERPC.PDUs[i]
		if i > 0 {
			dst = append(dst, "  "...)
		}
		dst = p.appendInfo(dst)
	}
	return dst
}

func (p *DCERPCPDU) appendInfo(dst []byte) []byte {
	b := p.B
	if p.named() {
		in := &dceIfaces[p.Iface]
		if int(p.Opnum) < len(in.ops) {
			dst = append(dst, in.ops[p.Opnum]...)
		} else {
			dst = append(dst, "Unknown operation "...)
			dst = strconv.AppendUint(dst, uint64(p.Opnum), 10)
		}
		if b[2] == dceRequest {
			return append(dst, " request"...)
		}
		return append(dst, " response"...)
	}
	dst = append(dst, dceTypeNames[b[2]]...)
	dst = append(dst, ": call_id: "...)
	dst = strconv.AppendUint(dst, uint64(dce32(b, 12)), 10)
	dst = append(dst, ", Fragment: "...)
	dst = append(dst, dceFragNames[b[3]&3]...)
	switch b[2] {
	case dceRequest:
		if len(b) >= 24 {
			dst = append(dst, ", opnum: "...)
			dst = strconv.AppendUint(dst, uint64(dce16(b, 22)), 10)
			dst = append(dst, ", Ctx: "...)
			dst = strconv.AppendUint(dst, uint64(dce16(b, 20)), 10)
		}
	case dceResponse, dceFault:
		if len(b) >= 24 {
			dst = append(dst, ", Ctx: "...)
			dst = strconv.AppendUint(dst, uint64(dce16(b, 20)), 10)
		}
	case dceBind, dceAlter:
		if len(b) >= 28 {
			dst = append(dst, ", "...)
			dst = strconv.AppendUint(dst, uint64(b[24]), 10)
			dst = append(dst, " context items: "...)
			first := true
			dceContexts(b, func(_ uint16, uuid []byte, ver, minor uint16, syntax []byte) {
				if !first {
					dst = append(dst, ", "...)
				}
				first = false
				if i := dceIfaceIndex(b, uuid); i >= 0 {
					dst = append(dst, dceIfaces[i].bind...)
				} else {
					dst = appendUUID(dst, b, uuid)
				}
				dst = append(dst, " V"...)
				dst = strconv.AppendUint(dst, uint64(ver), 10)
				dst = append(dst, '.')
				dst = strconv.AppendUint(dst, uint64(minor), 10)
				if syntax != nil {
					var s [36]byte
					u := appendUUID(s[:0], b, syntax)
					dst = append(dst, " ("...)
					if n := dceTransferSyntaxes[string(u)]; n != "" {
						dst = append(dst, n...)
					} else {
						dst = append(dst, u...)
					}
					dst = append(dst, ')')
				}
			})
		}
	case dceBindAck, dceAlterAck:
		dst = appendBindAck(dst, b)
	}
	if dce16(b, 10) > 0 {
		dst = appendNTLMSSPInfo(dst, b[16:])
	}
	return dst
}

func appendBindAck(dst, b []byte) []byte {
	if len(b) < 26 {
		return dst
	}
	dst = append(dst, ", max_xmit: "...)
	dst = strconv.AppendUint(dst, uint64(dce16(b, 16)), 10)
	dst = append(dst, " max_recv: "...)
	dst = strconv.AppendUint(dst, uint64(dce16(b, 18)), 10)
	off := 26 + int(dce16(b, 24))
	off = (off + 3) &^ 3
	if off+4 > len(b) {
		return dst
	}
	n := int(b[off])
	dst = append(dst, ", "...)
	dst = strconv.AppendUint(dst, uint64(n), 10)
	dst = append(dst, " results:"...)
	off += 4
	for i := 0; i < n && off+24 <= len(b); i++ {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, ' ')
		if r := dce16(b, off); int(r) < len(dceAckResults) {
			dst = append(dst, dceAckResults[r]...)
		} else {
			dst = append(dst, "Unknown"...)
		}
		off += 24
	}
	return dst
}

// dcerpcColumn is the Protocol column of f's DCE/RPC PDUs.
func dcerpcColumn(f *Frame) string {
	if n := len(f.DCERPC.PDUs); n > 0 {
		if p := &f.DCERPC.PDUs[n-1]; p.named() {
			return dceIfaces[p.Iface].column
		}
	}
	return "DCERPC"
}
