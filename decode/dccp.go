package decode

// DCCP (RFC 4340), IP protocol 33. Sequence and acknowledgement numbers
// are shown relative, as Wireshark does: to the first sequence number seen
// in each direction of the connection; the packet that sets the base
// shows its number raw (and has no dccp.seq), as does an acknowledgement
// before the reverse direction's base is known.

// DCCP is what a packet knows from its connection: the sequence bases of
// its own and the reverse direction.
type DCCP struct {
	SeqBase, AckBase       uint64
	HasSeqBase, HasAckBase bool
}

type dccpDir struct {
	slot[uint64]
	base uint64
}

type dccpTable struct{ dirs []dccpDir }

func (t *dccpTable) get(key, now uint64, create bool) *dccpDir {
	if t.dirs == nil {
		if !create {
			return nil
		}
		t.dirs = make([]dccpDir, 64)
	}
	d, ok := lookupSlot[uint64, dccpDir](t.dirs, key, now)
	if !ok {
		if !create {
			return nil
		}
		*d = dccpDir{slot: newSlot(key, now)}
	}
	return d
}

// DCCPHeader is the parsed fixed part of a DCCP packet.
type DCCPHeader struct {
	Type     uint8
	X        bool
	Seq      uint64
	Ack      uint64
	HasAck   bool
	HdrLen   int // data offset in bytes
	Service  uint32
	HasSvc   bool
	Reset    uint8
	HasReset bool
}

// ParseDCCP reads the generic header, the acknowledgement subheader and the
// type's fixed fields of packet b; ok false when b is too short for them.
func ParseDCCP(b []byte) (h DCCPHeader, ok bool) {
	if len(b) < 12 {
		return h, false
	}
	h.HdrLen = int(b[4]) * 4
	h.Type = b[8] >> 1 & 0xf
	h.X = b[8]&1 != 0
	p := 12
	if h.X {
		if len(b) < 16 {
			return h, false
		}
		h.Seq = uint64(be16(b[10:]))<<32 | uint64(be32(b[12:]))
		p = 16
	} else {
		h.Seq = uint64(b[9])<<16 | uint64(be16(b[10:]))
	}
	if h.Type != 0 && h.Type != 2 {
		h.HasAck = true
		if h.X {
			if len(b) < p+8 {
				return h, false
			}
			h.Ack = uint64(be16(b[p+2:]))<<32 | uint64(be32(b[p+4:]))
			p += 8
		} else {
			if len(b) < p+4 {
				return h, false
			}
			h.Ack = uint64(b[p+1])<<16 | uint64(be16(b[p+2:]))
			p += 4
		}
	}
	switch h.Type {
	case 0, 1:
		if len(b) < p+4 {
			return h, false
		}
		h.Service, h.HasSvc = be32(b[p:]), true
	case 7:
		if len(b) < p+1 {
			return h, false
		}
		h.Reset, h.HasReset = b[p], true
	}
	return h, true
}

// decodeDCCP records the DCCP packet at b[off:], its payload as data and
// the sequence bases of its connection.
func (d *Decoder) decodeDCCP(f *Frame, b []byte, off int, reasm bool) bool {
	p := b[off:]
	f.DCCP = DCCP{}
	h, ok := ParseDCCP(p)
	end := len(p)
	if ok && h.HdrLen >= 12 && h.HdrLen <= len(p) {
		end = h.HdrLen
	}
	f.addLayer(ProtoDCCP, off, end, reasm)
	if !ok {
		if f.CapLen >= f.Len {
			f.anomaly(ProtoDCCP, off, "DCCP header truncated")
		}
		return true
	}
	t := &d.routing.dccp
	mine, rev := sctpKey(f, p, false), sctpKey(f, p, true)
	if dir := t.get(mine, f.Number, false); dir != nil {
		f.DCCP.SeqBase, f.DCCP.HasSeqBase = dir.base, true
	} else {
		dir = t.get(mine, f.Number, true)
		dir.base = h.Seq
	}
	if dir := t.get(rev, f.Number, false); dir != nil {
		f.DCCP.AckBase, f.DCCP.HasAckBase = dir.base, true
	}
	if end < len(p) && (h.Type == 2 || h.Type == 4) {
		f.data(off+end, len(p)-end, reasm)
	}
	return true
}

var dccpTypes = [...]string{"Request", "Response", "Data", "Ack", "DataAck", "CloseReq", "Close", "Reset", "Sync", "SyncAck"}

// DCCPTypeName returns the name of packet type t.
func DCCPTypeName(t uint8) string {
	if int(t) < len(dccpTypes) {
		return dccpTypes[t]
	}
	return "Reserved"
}

var dccpResets = [...]string{"Unspecified", "Closed", "Aborted", "No Connection", "Packet Error", "Option Error",
	"Mandatory Error", "Connection Refused", "Bad Service Code", "Too Busy", "Bad Init Cookie", "Aggression Penalty"}

// appendDCCPInfo writes Wireshark's Info text: "52921 → 5001 [Request]
// Seq=1337846929 (service=not specified)", "… [Ack] Seq=1 (Ack=0)",
// "… [Reset] Seq=2 (Ack=3) (code=Closed)".
func (f *Frame) appendDCCPInfo(dst []byte, b []byte) []byte {
	if len(b) < 4 {
		return dst
	}
	dst = appendUint(dst, uint64(be16(b)))
	dst = append(dst, " → "...)
	dst = appendUint(dst, uint64(be16(b[2:])))
	h, ok := ParseDCCP(b)
	if !ok {
		return dst
	}
	dst = append(dst, " ["...)
	dst = append(dst, DCCPTypeName(h.Type)...)
	dst = append(dst, "] Seq="...)
	seq := h.Seq
	if f.DCCP.HasSeqBase && h.X {
		seq = (seq - f.DCCP.SeqBase) & 0xffffffffffff
	}
	dst = appendUint(dst, seq)
	if h.HasAck {
		ack := h.Ack
		if f.DCCP.HasAckBase {
			ack = (ack - f.DCCP.AckBase) & 0xffffffffffff
		}
		dst = append(dst, " (Ack="...)
		dst = appendUint(dst, ack)
		dst = append(dst, ')')
	}
	if h.HasSvc {
		if h.Service == 0 {
			dst = append(dst, " (service=not specified)"...)
		} else {
			dst = append(dst, " (service=Unknown ("...)
			dst = appendUint(dst, uint64(h.Service))
			dst = append(dst, "))"...)
		}
	}
	if h.HasReset {
		dst = append(dst, " (code="...)
		if int(h.Reset) < len(dccpResets) {
			dst = append(dst, dccpResets[h.Reset]...)
		} else {
			dst = append(dst, "Unknown"...)
		}
		dst = append(dst, ')')
	}
	return dst
}
