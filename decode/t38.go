package decode

import (
	"encoding/hex"
	"strconv"
)

// T.38 fax relay over UDPTL (ITU-T T.38 annex, aligned PER) on the UDP
// conversations an SDP "image ... udptl t38" media set up (voip.go), as
// Wireshark 4.0's packet-t38.c shows them: the Info column is built while
// the PER decoder walks the UDPTLPacket, so it is rebuilt here by walking
// it again with Wireshark's PER rules, including where they give up: a
// construct packet-per.c does not decode appends "[UNKNOWN PER: reason]"
// and ends the packet as malformed, as does reading past its end.
//
// Hand-written: no Go library decodes aligned PER as Wireshark does (its
// error texts and the open type's callback reading past its length are
// part of what tshark shows).

// perReader reads aligned-PER bits from b; a failure stops every later read.
type perReader struct {
	b      []byte
	off    int    // bit offset
	fail   bool   // an exception: reading past the end, or a PER construct given up
	reason []byte // the PER construct given up (nil for a bounds error)
	info   []byte // the Info text as it grows (nil: not collected)
	nBig   int    // constrained values above their bound (packet-per.c's "Size constraint: value too big" items)
}

func (r *perReader) bounds() {
	if !r.fail {
		r.fail = true
	}
}

// PER constructs packet-per.c gives up on (its texts).
var (
	perFragCount  = []byte("10.9 Unconstrained unexpected fragment count")
	perLength     = []byte("10.9.3.8.1")
	perSmallLong  = []byte("too long integer(per_normally_small_nonnegative_whole_number)")
	perIntegerLen = []byte("too long integer(per_integer)")
)

func (r *perReader) unknown(reason []byte) {
	if !r.fail {
		r.fail, r.reason = true, reason
		if r.info != nil {
			r.info = append(append(append(r.info, "[UNKNOWN PER: "...), reason...), ']')
		}
	}
}

func (r *perReader) align() {
	if r.off&7 != 0 {
		r.off = r.off&^7 + 8
	}
}

// bits reads n (<= 32) bits big-endian.
func (r *perReader) bits(n int) uint32 {
	if r.fail {
		return 0
	}
	if r.off+n > 8*len(r.b) {
		r.bounds()
		return 0
	}
	var v uint32
	for i := 0; i < n; i++ {
		o := r.off + i
		v = v<<1 | uint32(r.b[o>>3]>>(7-o&7)&1)
	}
	r.off += n
	return v
}

// constrained is a constrained whole number of range values (X.691 10.5,
// aligned; ranges above 64K not used by T.38).
func (r *perReader) constrained(rng uint32) uint32 {
	v := r.constrainedBits(rng)
	if !r.fail && rng > 0 && v > rng-1 {
		r.nBig++
	}
	return v
}

func (r *perReader) constrainedBits(rng uint32) uint32 {
	switch {
	case rng <= 1:
		return 0
	case rng <= 255:
		n := 0
		for v := rng - 1; v > 0; v >>= 1 {
			n++
		}
		return r.bits(n)
	case rng == 256:
		r.align()
		return r.bits(8)
	default:
		r.align()
		return r.bits(16)
	}
}

// length is a length determinant (10.9); frag non-nil allows the
// fragmented form (16K units), as packet-per.c does for open types.
func (r *perReader) length(frag *bool) uint32 {
	r.align()
	b := r.bits(8)
	if r.fail {
		return 0
	}
	switch {
	case b&0x80 == 0:
		return b
	case b&0xc0 == 0x80:
		return (b&0x3f)<<8 | r.bits(8)
	case frag != nil:
		n := b & 0x3f
		if n > 4 || n == 0 {
			r.unknown(perFragCount)
			return 0
		}
		*frag = true
		return n * 0x4000
	}
	r.unknown(perLength)
	return 0
}

// smallNumber is a normally small non-negative whole number (10.6).
func (r *perReader) smallNumber() uint32 {
	if r.bits(1) == 0 {
		return r.bits(6)
	}
	n := r.length(nil)
	if r.fail {
		return 0
	}
	if n > 4 {
		r.unknown(perSmallLong)
		return 0
	}
	r.align()
	return r.bits(8 * int(n))
}

// enumerated is an extensible ENUMERATED with root values.
func (r *perReader) enumerated(root uint32) uint32 {
	if r.bits(1) == 1 {
		return r.smallNumber() + root
	}
	return r.constrained(root)
}

// octets skips n octets after aligning (content past the end fails).
func (r *perReader) octets(n uint32) []byte {
	r.align()
	if r.fail {
		return nil
	}
	end := r.off + 8*int(n)
	if end > 8*len(r.b) {
		r.bounds()
		return nil
	}
	v := r.b[r.off>>3 : end>>3]
	r.off = end
	return v
}

// openType reads an open type's length and runs fn at its start (on the
// same bytes, as packet-per.c's callback does: it may read past the
// length); the reader then continues after the length.
func (r *perReader) openType(fn func()) {
	var n uint32
	for {
		frag := false
		l := r.length(&frag)
		r.align()
		if r.fail {
			return
		}
		if !frag {
			n += l
			break
		}
		r.off += 8 * int(l) // fragments: the type is decoded from a copy Wireshark makes
		n += l
	}
	start := r.off
	fn()
	if r.fail {
		return
	}
	r.off = start + 8*int(n)
	if r.off > 8*len(r.b) {
		r.bounds()
	}
}

// t38Names are Wireshark's names of T.30 indicators, data rates and data
// field types.
var (
	t38Indicators = [...]string{"no-signal", "cng", "ced", "v21-preamble", "v27-2400-training", "v27-4800-training",
		"v29-7200-training", "v29-9600-training", "v17-7200-short-training", "v17-7200-long-training",
		"v17-9600-short-training", "v17-9600-long-training", "v17-12000-short-training", "v17-12000-long-training",
		"v17-14400-short-training", "v17-14400-long-training", "v8-ansam", "v8-signal", "v34-cntl-channel-1200",
		"v34-pri-channel", "v34-CC-retrain", "v33-12000-training", "v33-14400-training"}
	t38Data = [...]string{"v21", "v27-2400", "v27-4800", "v29-7200", "v29-9600", "v17-7200", "v17-9600", "v17-12000",
		"v17-14400", "v8", "v34-pri-rate", "v34-CC-1200", "v34-pri-ch", "v33-12000", "v33-14400"}
	t38FieldTypes = [...]string{"hdlc-data", "hdlc-sig-end", "hdlc-fcs-OK", "hdlc-fcs-BAD", "hdlc-fcs-OK-sig-end",
		"hdlc-fcs-BAD-sig-end", "t4-non-ecm-data", "t4-non-ecm-sig-end", "cm-message", "jm-message", "ci-message", "v34rate"}
)

func t38Name(names []string, v uint32) string {
	if int(v) < len(names) {
		return names[v]
	}
	return "<unknown>"
}

// ifp decodes an IFPPacket; primary adds to the Info text.
func (r *perReader) ifp(primary bool) {
	dataField := r.bits(1) == 1
	if r.bits(1) == 0 { // t30-indicator
		v := r.enumerated(16)
		if r.fail {
			return
		}
		if primary && r.info != nil {
			r.info = append(append(r.info, " t30ind: "...), t38Name(t38Indicators[:], v)...)
		}
	} else { // t30-data
		v := r.enumerated(9)
		if r.fail {
			return
		}
		if primary && r.info != nil {
			r.info = append(append(append(r.info, " data:"...), t38Name(t38Data[:], v)...), ':')
		}
	}
	if !dataField || r.fail {
		return
	}
	n := r.length(nil)
	for i := uint32(0); i < n && !r.fail; i++ {
		hasData := r.bits(1) == 1
		ft := r.enumerated(8)
		if r.fail {
			return
		}
		if primary && r.info != nil {
			r.info = append(append(r.info, ' '), t38Name(t38FieldTypes[:], ft)...)
		}
		if !hasData {
			continue
		}
		l := r.constrained(65535) + 1
		v := r.octets(l)
		if r.fail {
			return
		}
		if primary && r.info != nil {
			r.info = append(r.info, '[')
			if len(v) < 8 {
				r.info = hex.AppendEncode(r.info, v)
				r.info = append(r.info, ']')
			} else {
				r.info = hex.AppendEncode(r.info, v[:7])
				r.info = append(r.info, "...]"...)
			}
		}
	}
}

// integer is an unconstrained INTEGER (up to 4 octets).
func (r *perReader) integer() {
	n := r.length(nil)
	if r.fail {
		return
	}
	if n > 4 {
		r.unknown(perIntegerLen)
		return
	}
	r.octets(n)
}

// udptl walks a UDPTLPacket: seq-number, primary IFP packet (open type),
// error recovery (secondary IFP packets or FEC information).
func (r *perReader) udptl() (seq uint32) {
	seq = r.constrained(65536)
	if r.fail {
		return seq
	}
	if r.info != nil {
		r.info = append(r.info, "Seq="...)
		s := strconv.AppendUint(nil, uint64(seq), 10)
		for i := len(s); i < 5; i++ {
			r.info = append(r.info, '0')
		}
		r.info = append(append(r.info, s...), ' ')
	}
	r.openType(func() { r.ifp(true) })
	if r.fail {
		return seq
	}
	if r.bits(1) == 0 { // secondary-ifp-packets
		n := r.length(nil)
		for i := uint32(0); i < n && !r.fail; i++ {
			r.openType(func() { r.ifp(false) })
		}
		return seq
	}
	r.integer() // fec-npackets
	n := r.length(nil)
	for i := uint32(0); i < n && !r.fail; i++ {
		frag := true
		for frag && !r.fail {
			frag = false
			l := r.length(&frag)
			r.octets(l)
		}
	}
	return seq
}

// T38Seq returns the sequence number of UDPTL packet b.
func T38Seq(b []byte) (uint32, bool) {
	if len(b) < 2 {
		return 0, false
	}
	return uint32(be16(b)), true
}

// decodeT38 records p as a UDPTL/T.38 packet of conversation c.
func decodeT38(f *Frame, p []byte, c *mediaConv) bool {
	f.RTP = RTP{Setup: c.setup, Method: c.method}
	f.voipLayer(ProtoT38, p)
	r := perReader{b: p}
	r.udptl()
	if r.fail {
		f.anomaly(ProtoT38, f.appOff(p), "T.38 PER decoding stopped")
	}
	return true
}

// T38Undecoded returns the reason the PER decoder gave up on UDPTL packet
// b (nil when it did not, or when it ran past the end; shared, read-only)
// and how many constrained values it found above their bound before.
func T38Undecoded(b []byte) (reason []byte, tooBig int) {
	r := perReader{b: b}
	r.udptl()
	return r.reason, r.nBig
}

// appendT38Info writes "UDP: UDPTLPacket Seq=NNNNN " and what the packet's
// primary IFP holds, as Wireshark builds it.
func appendT38Info(dst []byte, b []byte) []byte {
	r := perReader{b: b, info: append(dst, "UDP: UDPTLPacket "...)}
	r.udptl()
	return r.info
}
