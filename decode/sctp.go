package decode

// SCTP (RFC 9260), IP protocol 132: a common header and chunks. TSNs are
// shown relative, as Wireshark does: to the initial TSN an INIT or INIT_ACK
// announced for that direction, else to the first TSN seen in it. DATA
// chunk payloads become a data layer (the protocols Wireshark runs on them
// by PPID or port are not decoded).

// SCTP is what a packet knows from its association: the TSN bases of its
// own direction (DATA) and of the reverse one (SACK acknowledgements).
type SCTP struct {
	TSNBase, AckBase       uint32
	HasTSNBase, HasAckBase bool
}

const sctpDirs = 64

type sctpDir struct {
	slot[uint64] // key: hash of the source and destination address and port
	base         uint32
}

type sctpTable struct{ dirs []sctpDir }

func sctpKey(f *Frame, b []byte, rev bool) uint64 {
	sp, dp := be16(b), be16(b[2:])
	s, d := ipEndHash(f, true, sp), ipEndHash(f, false, dp)
	if rev {
		s, d = d, s
	}
	return s*0x9e3779b97f4a7c15 ^ d
}

func (t *sctpTable) get(key uint64, now uint64, create bool) *sctpDir {
	if t.dirs == nil {
		if !create {
			return nil
		}
		t.dirs = make([]sctpDir, sctpDirs)
	}
	d, ok := lookupSlot[uint64, sctpDir](t.dirs, key, now)
	if !ok {
		if !create {
			return nil
		}
		*d = sctpDir{slot: newSlot(key, now)}
	}
	return d
}

// SCTPChunks calls fn for each chunk of SCTP packet b (common header
// included): its type, flags, value (after the 4-byte chunk header, cut to
// the chunk length) and the chunk's offset in b; fn returns false to stop.
func SCTPChunks(b []byte, fn func(typ, flags uint8, v []byte, off int) bool) {
	for off := 12; off+4 <= len(b); {
		n := int(be16(b[off+2:]))
		end := off + n
		if n < 4 {
			end = off + 4
		}
		if end > len(b) {
			end = len(b)
		}
		if !fn(b[off], b[off+1], b[off+4:end], off) || n < 4 {
			return
		}
		off += (n + 3) &^ 3
	}
}

// decodeSCTP records the SCTP packet at b[off:], its DATA chunks' user data
// as a data layer, and the TSN bases of its association.
func (d *Decoder) decodeSCTP(f *Frame, b []byte, off int, reasm bool) bool {
	h := b[off:]
	f.addLayer(ProtoSCTP, off, len(h), reasm)
	f.SCTP = SCTP{}
	if len(h) < 12 {
		if f.CapLen >= f.Len {
			f.anomaly(ProtoSCTP, off, "SCTP header truncated")
		}
		return true
	}
	t := &d.routing.sctp
	dataOff, dataLen, dataFlags := -1, 0, uint8(0)
	SCTPChunks(h, func(typ, flags uint8, v []byte, coff int) bool {
		switch typ {
		case 1, 2: // INIT, INIT_ACK: the sender's initial TSN
			if len(v) >= 16 {
				dir := t.get(sctpKey(f, h, false), f.Number, true)
				dir.base = be32(v[12:])
				if rev := t.get(sctpKey(f, h, true), f.Number, false); rev != nil && typ == 1 {
					rev.used = false // a new association: forget the peer's old base
				}
			}
		case 0:
			if len(v) >= 12 {
				dir := t.get(sctpKey(f, h, false), f.Number, false)
				if dir == nil {
					dir = t.get(sctpKey(f, h, false), f.Number, true)
					dir.base = be32(v)
				}
				if dataOff < 0 && len(v) > 12 {
					dataOff, dataLen, dataFlags = off+coff+16, len(v)-12, flags
				}
			}
		}
		return true
	})
	if dir := t.get(sctpKey(f, h, false), f.Number, false); dir != nil {
		f.SCTP.TSNBase, f.SCTP.HasTSNBase = dir.base, true
	}
	if rev := t.get(sctpKey(f, h, true), f.Number, false); rev != nil {
		f.SCTP.AckBase, f.SCTP.HasAckBase = rev.base, true
	}
	switch {
	case dataOff < 0:
	case dataFlags&3 == 3: // a whole message: HTTP by port, else data
		if (httpPort(be16(h)) || httpPort(be16(h[2:]))) && d.opts.SkipApp&AppHTTP == 0 &&
			d.decodeHTTP(f, b[dataOff:dataOff+dataLen]) {
			return true
		}
		f.data(dataOff, dataLen, reasm)
	case dataFlags&1 != 0: // the last fragment, where Wireshark reassembles the message
		if (httpPort(be16(h)) || httpPort(be16(h[2:]))) && d.opts.SkipApp&AppHTTP == 0 {
			// HTTP shows a message that starts no head as Continuation
			f.HTTP = HTTP{ContentLength: -1}
			f.setProto(ProtoHTTP)
			f.addLayer(ProtoHTTP, dataOff, dataLen, reasm)
		}
		f.data(dataOff, dataLen, reasm)
	}
	return true
}

var sctpChunkNames = map[uint8]string{0: "DATA", 1: "INIT", 2: "INIT_ACK", 3: "SACK", 4: "HEARTBEAT",
	5: "HEARTBEAT_ACK", 6: "ABORT", 7: "SHUTDOWN", 8: "SHUTDOWN_ACK", 9: "ERROR", 10: "COOKIE_ECHO",
	11: "COOKIE_ACK", 12: "ECNE", 13: "CWR", 14: "SHUTDOWN_COMPLETE", 15: "AUTH", 64: "I_DATA",
	128: "ASCONF_ACK", 129: "PKTDROP", 130: "RE_CONFIG", 132: "PAD", 192: "FORWARD_TSN", 193: "ASCONF",
	194: "I_FORWARD_TSN"}

// SCTPChunkName returns the name of chunk type t.
func SCTPChunkName(t uint8) string {
	if s, ok := sctpChunkNames[t]; ok {
		return s
	}
	return "UNKNOWN"
}

// SCTPRelTSN returns tsn relative to the packet's base (data: its own
// direction; ack: the reverse direction).
func (f *Frame) SCTPRelTSN(tsn uint32, ack bool) uint32 {
	if ack {
		if f.SCTP.HasAckBase {
			return tsn - f.SCTP.AckBase
		}
		return tsn
	}
	if f.SCTP.HasTSNBase {
		return tsn - f.SCTP.TSNBase
	}
	return tsn
}

// appendSCTPInfo writes Wireshark's Info text: each chunk's name and a
// space, "DATA (TSN=1) (Message Fragment) ", "SACK (Ack=2, Arwnd=103632) ".
func (f *Frame) appendSCTPInfo(dst []byte) []byte {
	l, ok := f.Layer(ProtoSCTP)
	if !ok {
		for _, x := range f.Layers {
			if x.Proto == ProtoSCTP {
				l, ok = x, true
			}
		}
		if !ok {
			return dst
		}
	}
	b := f.LayerBytes(l)
	SCTPChunks(b, func(typ, flags uint8, v []byte, _ int) bool {
		dst = append(dst, SCTPChunkName(typ)...)
		switch typ {
		case 0:
			if len(v) >= 4 {
				dst = append(dst, " (TSN="...)
				dst = appendUint(dst, uint64(f.SCTPRelTSN(be32(v), false)))
				dst = append(dst, ')')
				if flags&3 != 3 {
					dst = append(dst, " (Message Fragment)"...)
				}
			}
		case 3:
			if len(v) >= 8 {
				dst = append(dst, " (Ack="...)
				dst = appendUint(dst, uint64(f.SCTPRelTSN(be32(v), true)))
				dst = append(dst, ", Arwnd="...)
				dst = appendUint(dst, uint64(be32(v[4:])))
				dst = append(dst, ')')
			}
		}
		dst = append(dst, ' ')
		return true
	})
	return dst
}
