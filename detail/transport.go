package detail

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
)

func init() {
	Register(decode.ProtoTCP, buildTCP)
	Register(decode.ProtoUDP, buildUDP)
}

// PortLabel is a port as tshark shows it in protocol lines: "name (80)" with -N t, else the number.
func (b *Builder) PortLabel(p decode.Proto, port uint16) string {
	if n := b.Names.Port(p, port); n != "" {
		return fmt.Sprintf("%s (%d)", n, port)
	}
	return fmt.Sprint(port)
}

func buildUDP(b *Builder, l decode.Layer, d []byte) {
	if len(d) < 8 {
		return
	}
	f := b.Frame
	n := min(l.Len, len(d))
	ulen := udpHeader(b, d, n)
	if v, ok := b.Value("udp.stream"); ok {
		b.Gen("udp.stream", "Stream index: %d", v.U)
		a := &f.Analysis
		b.Open("", -1, 0, "[Timestamps]")
		b.Gen("udp.time_relative", "Time since first frame: %s", RelTime(a.TimeRelative))
		b.Gen("udp.time_delta", "Time since previous frame: %s", RelTime(a.TimeDelta))
		b.Close()
	}
	if pl := int(ulen) - 8; pl > 0 && n > 8 {
		b.Addf("udp.payload", 8, min(pl, n-8), "UDP payload (%s)", Plural(pl, "byte"))
	}
	b.Close()
}

var tcpFlagNames = [...]string{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"}

var completeness = map[uint8]string{0: "Incomplete", 1: "Incomplete, SYN_SENT", 3: "Incomplete, CLIENT_ESTABLISHED",
	7: "Incomplete, ESTABLISHED", 15: "Incomplete, DATA", 31: "Complete, WITH_DATA", 47: "Complete, WITH_DATA",
	63: "Complete, WITH_DATA", 23: "Complete, NO_DATA", 39: "Complete, NO_DATA", 55: "Complete, NO_DATA"}

var tcpOptKinds = map[uint8]string{0: "End of Option List", 1: "No-Operation", 2: "Maximum Segment Size", 3: "Window Scale",
	4: "SACK Permitted", 5: "SACK", 8: "Time Stamp Option", 19: "TCP MD5 signature", 28: "User Timeout", 29: "TCP Authentication Option",
	30: "Multipath TCP", 34: "TCP Fast Open Cookie", 254: "RFC3692-style Experiment 2", 253: "RFC3692-style Experiment 1", 6: "Echo", 7: "Echo Reply", 27: "Quick-Start Response"}

// tcpState is what the TCP tree needs from earlier frames: the bytes sent
// since the last PSH flag in each direction (tcp.analysis.push_bytes_sent).
type tcpState struct {
	push map[tcpDir]pushCount
	comp map[int64]uint8     // stream → completeness after its last frame
	segs map[tcpDir][]seg    // PDU segments waiting for the frame that completes the PDU
	data map[tcpDir][]byte   // their bytes
	sent map[segKey][2]int64 // first transmission of a sequence number: frame, time
}

type seg struct {
	frame uint64
	n     int
}

// originalSegment is the first frame that sent this segment's sequence
// number in its direction, and its time; it records first transmissions.
func (b *Builder) originalSegment() (uint64, int64, bool) {
	f := b.Frame
	a := &f.Analysis
	if b.Opts.State == nil || !a.HasTCP {
		return 0, 0, false
	}
	st := &b.Opts.State.tcp
	if st.sent == nil || len(st.sent) > 1<<18 {
		st.sent = map[segKey][2]int64{}
	}
	k := segKey{a.Stream, f.TCP.SrcPort, a.RelSeq}
	if x, ok := st.sent[k]; ok {
		return uint64(x[0]), x[1], true
	}
	return 0, 0, false
}

// noteSegment records a first transmission (for the RTO of its retransmissions).
func (b *Builder) noteSegment() {
	f := b.Frame
	a := &f.Analysis
	if b.Opts.State == nil || !a.HasTCP || (f.TCP.PayloadLen == 0 && f.TCP.Flags&(decode.TCPSyn|decode.TCPFin) == 0) {
		return
	}
	st := &b.Opts.State.tcp
	if st.sent == nil || len(st.sent) > 1<<18 {
		st.sent = map[segKey][2]int64{}
	}
	k := segKey{a.Stream, f.TCP.SrcPort, a.RelSeq}
	if _, ok := st.sent[k]; !ok {
		st.sent[k] = [2]int64{int64(f.Number), f.TS}
	}
}

type segKey struct {
	stream int64
	port   uint16
	seq    uint32
}

// pduSegments adds "TCP segment data" on a segment of a PDU completed later,
// and on the completing frame returns the segments before it (nil when none).
func (b *Builder) pduSegments(hdr, n int) []seg {
	f := b.Frame
	a := &f.Analysis
	if b.Opts.State == nil || !a.HasTCP || f.TCP.PayloadLen == 0 {
		return nil
	}
	st := &b.Opts.State.tcp
	if st.segs == nil {
		st.segs = map[tcpDir][]seg{}
	}
	k := tcpDir{a.Stream, f.TCP.SrcPort}
	if st.data == nil {
		st.data = map[tcpDir][]byte{}
	}
	if f.PDUSegment {
		b.Addf("tcp.segment_data", hdr, n-hdr, "TCP segment data (%s)", Plural(f.TCP.PayloadLen, "byte"))
		st.segs[k] = append(st.segs[k], seg{f.Number, f.TCP.PayloadLen})
		if len(st.data[k])+len(f.Payload) <= maxPDU && len(f.Payload) >= f.TCP.PayloadLen {
			st.data[k] = append(st.data[k], f.Payload[:f.TCP.PayloadLen]...)
		} else {
			st.data[k] = st.data[k][:0:0] // too big or cut short: the PDU cannot be rebuilt
		}
		return nil
	}
	prev, data := st.segs[k], st.data[k]
	delete(st.segs, k)
	delete(st.data, k)
	if len(prev) == 0 || f.Reassembled == nil || (f.IP.Reassembled && f.Has(decode.ProtoIP)) || (f.IPv6.Reassembled && f.Has(decode.ProtoIPv6)) {
		return nil
	}
	// Rebuild the whole PDU (the flow package keeps only what its
	// dissector needs, e.g. an HTTP head): the earlier segments and this
	// segment's part of the message.
	sum := 0
	for _, s := range prev {
		sum += s.n
	}
	if len(data) == sum && len(f.Payload) >= f.TCP.PayloadLen && bytes.HasPrefix(append(data[:len(data):len(data)], f.Payload...), f.Reassembled) {
		need := f.TCP.PayloadLen
		if h := &f.HTTP; f.Has(decode.ProtoHTTP) && h.ContentLength >= 0 && !h.Chunked {
			need = min(need, h.HeadLen+int(h.ContentLength)-sum)
		}
		if need > 0 {
			b.t.PDU = append(data, f.Payload[:need]...)
		}
	}
	return prev
}

// maxPDU bounds the bytes kept to rebuild one reassembled PDU.
const maxPDU = 16 << 20

type tcpDir struct {
	stream int64
	port   uint16
}

type pushCount struct {
	n       int64
	lastPSH bool
}

func buildTCP(b *Builder, l decode.Layer, d []byte) {
	f := b.Frame
	t := &f.TCP
	if len(d) < 4 {
		return
	}
	n := min(l.Len, len(d))
	a := &f.Analysis
	sp, dp := be16(d), be16(d[2:])
	title := fmt.Sprintf("Transmission Control Protocol, Src Port: %s, Dst Port: %s", b.PortLabel(decode.ProtoTCP, sp), b.PortLabel(decode.ProtoTCP, dp))
	if len(d) < 20 || t.Short {
		b.Open("tcp", 0, n, title)
		b.Add("tcp.srcport", 0, 2, "Source Port: "+b.PortLabel(decode.ProtoTCP, sp))
		b.Add("tcp.dstport", 2, 2, "Destination Port: "+b.PortLabel(decode.ProtoTCP, dp))
		b.Close()
		return
	}
	seqv, _ := b.Value("tcp.seq")
	ackv, hasAck := b.Value("tcp.ack")
	flags := uint64(be16(d[12:])) & 0x0fff
	title += fmt.Sprintf(", Seq: %d", seqv.U)
	if flags&uint64(decode.TCPAck) != 0 && hasAck {
		title += fmt.Sprintf(", Ack: %d", ackv.U)
	}
	if !t.BadHdrLen {
		title += fmt.Sprintf(", Len: %d", t.PayloadLen)
	}
	b.Open("tcp", 0, n, title)
	b.Add("tcp.srcport", 0, 2, "Source Port: "+b.PortLabel(decode.ProtoTCP, sp))
	b.Add("tcp.dstport", 2, 2, "Destination Port: "+b.PortLabel(decode.ProtoTCP, dp))
	if v, ok := b.Value("tcp.stream"); ok {
		b.Gen("tcp.stream", "Stream index: %d", v.U)
	}
	if a.HasTCP {
		c := a.Completeness // the value before this segment, as tshark shows it
		b.Gen("tcp.completeness", "Conversation completeness: %s (%d)", mapName(completeness, c, "Incomplete"), c)
	}
	if !t.BadHdrLen {
		b.Gen("tcp.len", "TCP Segment Len: %d", t.PayloadLen)
	}
	rel := a.HasTCP
	if rel {
		b.Addf("tcp.seq", 4, 4, "Sequence Number: %d    (relative sequence number)", seqv.U)
	} else {
		b.Addf("tcp.seq", 4, 4, "Sequence Number: %d", seqv.U)
	}
	b.Addf("tcp.seq_raw", 4, 4, "Sequence Number (raw): %d", be32(d[4:]))
	if v, ok := b.Value("tcp.nxtseq"); ok && !t.BadHdrLen {
		b.Gen("tcp.nxtseq", "Next Sequence Number: %d    (relative sequence number)", v.U)
	}
	if hasAck {
		if rel && flags&uint64(decode.TCPAck) != 0 {
			b.Addf("tcp.ack", 8, 4, "Acknowledgment Number: %d    (relative ack number)", ackv.U)
		} else if flags&uint64(decode.TCPAck) == 0 && be32(d[8:]) != 0 {
			b.Openf("tcp.ack", 8, 4, "Acknowledgment Number: %d", ackv.U)
			b.expert("tcp.ack.nonzero", "Note", "Protocol", "The acknowledgment number field is nonzero while the ACK flag is not set")
			b.Close()
		} else {
			b.Addf("tcp.ack", 8, 4, "Acknowledgment Number: %d", ackv.U)
		}
		b.Addf("tcp.ack_raw", 8, 4, "Acknowledgment number (raw): %d", be32(d[8:]))
	}
	hl := uint64(d[12])
	b.Add("tcp.hdr_len", 12, 1, BitLine(8, 0xf0, hl, fmt.Sprintf("Header Length: %d bytes (%d)", hl>>4*4, hl>>4)))
	var names []string
	for i, nm := range tcpFlagNames {
		if flags&(1<<uint(i)) != 0 {
			names = append(names, nm)
		}
	}
	fl := fmt.Sprintf("Flags: 0x%03x", flags)
	if len(names) > 0 {
		fl += " (" + strings.Join(names, ", ") + ")"
	}
	b.Open("tcp.flags", 12, 2, fl)
	b.Add("tcp.flags.res", 12, 2, BoolBit(12, 0xe00, flags, "Reserved"))
	b.Add("tcp.flags.ae", 12, 2, BoolBit(12, 0x100, flags, "Accurate ECN"))
	b.Add("tcp.flags.cwr", 12, 2, BoolBit(12, 0x080, flags, "Congestion Window Reduced"))
	b.Add("tcp.flags.ece", 12, 2, BoolBit(12, 0x040, flags, "ECN-Echo"))
	b.Add("tcp.flags.urg", 12, 2, BoolBit(12, 0x020, flags, "Urgent"))
	b.Add("tcp.flags.ack", 12, 2, BoolBit(12, 0x010, flags, "Acknowledgment"))
	b.Add("tcp.flags.push", 12, 2, BoolBit(12, 0x008, flags, "Push"))
	if flags&4 != 0 {
		b.Open("tcp.flags.reset", 12, 2, BoolBit(12, 0x004, flags, "Reset"))
		b.expert("tcp.connection.rst", "Warning", "Sequence", "Connection reset (RST)")
		b.Close()
	} else {
		b.Add("tcp.flags.reset", 12, 2, BoolBit(12, 0x004, flags, "Reset"))
	}
	if flags&2 != 0 {
		b.Open("tcp.flags.syn", 12, 2, BoolBit(12, 0x002, flags, "Syn"))
		b.tcpSynExpert(flags)
		b.Close()
	} else {
		b.Add("tcp.flags.syn", 12, 2, BoolBit(12, 0x002, flags, "Syn"))
	}
	if flags&1 != 0 {
		b.Open("tcp.flags.fin", 12, 2, BoolBit(12, 0x001, flags, "Fin"))
		b.tcpFinExpert()
		b.Close()
	} else {
		b.Add("tcp.flags.fin", 12, 2, BoolBit(12, 0x001, flags, "Fin"))
	}
	const letters = "RRRACEUAPRSF"
	var sb strings.Builder
	for i := 0; i < 12; i++ {
		if flags&(1<<uint(11-i)) != 0 {
			sb.WriteByte(letters[i])
		} else {
			sb.WriteString("·")
		}
	}
	if flags&1 != 0 && a.Closing != 0 {
		b.Open("tcp.flags.str", -1, 0, "[TCP Flags: "+sb.String()+"]")
		b.tcpClosingExpert()
		b.Close()
	} else {
		b.Gen("tcp.flags.str", "TCP Flags: %s", sb.String())
	}
	b.Close()
	win := be16(d[14:])
	b.Addf("tcp.window_size_value", 14, 2, "Window: %d", win)
	if v, ok := b.Value("tcp.window_size"); ok {
		b.Gen("tcp.window_size", "Calculated window size: %d", v.U)
	}
	if v, ok := b.Value("tcp.window_size_scalefactor"); ok {
		switch v.I {
		case -1:
			b.Gen("tcp.window_size_scalefactor", "Window size scaling factor: -1 (unknown)")
		case -2:
			b.Gen("tcp.window_size_scalefactor", "Window size scaling factor: -2 (no window scaling used)")
		default:
			b.Gen("tcp.window_size_scalefactor", "Window size scaling factor: %d", v.I)
		}
	}
	b.Addf("tcp.checksum", 16, 2, "Checksum: 0x%04x [unverified]", be16(d[16:]))
	b.Gen("tcp.checksum.status", "Checksum Status: Unverified")
	if up := be16(d[18:]); up != 0 && flags&0x20 == 0 {
		b.Openf("tcp.urgent_pointer", 18, 2, "Urgent Pointer: %d", up)
		b.expert("tcp.urgent_pointer.non_zero", "Note", "Protocol", "The urgent pointer field is nonzero while the URG flag is not set")
		b.Close()
	} else {
		b.Addf("tcp.urgent_pointer", 18, 2, "Urgent Pointer: %d", up)
	}
	hdr := int(hl>>4) * 4
	if hdr > 20 && hdr <= len(d) {
		b.tcpOptions(d[20:hdr])
	}
	if a.HasTCP {
		b.Open("", -1, 0, "[Timestamps]")
		b.Gen("tcp.time_relative", "Time since first frame in this TCP stream: %s", RelTime(a.TimeRelative))
		b.Gen("tcp.time_delta", "Time since previous frame in this TCP stream: %s", RelTime(a.TimeDelta))
		b.Close()
	}
	push := b.pushBytes(flags)
	if a.HasTCP && (hasSeqAck(a) || push > 0) {
		b.Open("tcp.analysis", -1, 0, "[SEQ/ACK analysis]")
		if a.AckedFrame != 0 {
			b.Gen("tcp.analysis.acks_frame", "This is an ACK to the segment in frame: %d", a.AckedFrame)
			if a.AckRTT >= 0 {
				b.Gen("tcp.analysis.ack_rtt", "The RTT to ACK the segment was: %s", RelTime(a.AckRTT))
			}
		}
		if a.InitialRTT >= 0 {
			b.Gen("tcp.analysis.initial_rtt", "iRTT: %s", RelTime(a.InitialRTT))
		}
		if a.BytesInFlight >= 0 {
			b.Gen("tcp.analysis.bytes_in_flight", "Bytes in flight: %d", a.BytesInFlight)
		}
		if push > 0 {
			b.Gen("tcp.analysis.push_bytes_sent", "Bytes sent since last PSH flag: %d", push)
		}
		b.tcpAnalysisFlags(a)
		b.Close()
	}
	b.noteSegment()
	var prev []seg
	if t.PayloadLen > 0 && hdr <= n {
		b.Addf("tcp.payload", hdr, n-hdr, "TCP payload (%s)", Plural(t.PayloadLen, "byte"))
		if a.Flags&(decode.AnFastRetransmission|decode.AnSpuriousRetransmission) == 0 && a.Flags&decode.AnRetransmission != 0 {
			b.Addf("tcp.segment_data", hdr, n-hdr, "Retransmitted TCP segment data (%s)", Plural(t.PayloadLen, "byte"))
		} else {
			prev = b.pduSegments(hdr, n)
		}
	}
	b.Close()
	if prev != nil {
		b.reassembledTree(prev)
	}
}

// reassembledTree adds "[N Reassembled TCP Segments (M bytes): #a(x), ...]"
// after the TCP tree of the frame that completes a PDU.
func (b *Builder) reassembledTree(prev []seg) {
	f := b.Frame
	total := len(f.Reassembled)
	pdu := f.Reassembled
	if b.t.PDU != nil {
		total, pdu = len(b.t.PDU), b.t.PDU
	}
	sum := 0
	for _, s := range prev {
		sum += s.n
	}
	last := total - sum
	if last <= 0 || last > f.TCP.PayloadLen {
		return
	}
	all := append(prev[:len(prev):len(prev)], seg{f.Number, last})
	var sb strings.Builder
	for i, s := range all {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, "#%d(%d)", s.frame, s.n)
	}
	label := fmt.Sprintf("[%d Reassembled TCP Segments (%d bytes): %s", len(all), total, sb.String())
	if len(label) > 239 {
		label = label[:239]
	}
	b.depth = 0
	b.Open("tcp.segments", -1, 0, label+"]")
	off := 0
	for _, s := range all {
		b.Gen("tcp.segment", "Frame: %d, payload: %d-%d (%s)", s.frame, off, off+s.n-1, Plural(s.n, "byte"))
		off += s.n
	}
	b.Gen("tcp.segment.count", "Segment count: %d", len(all))
	b.Gen("tcp.reassembled.length", "Reassembled TCP length: %d", total)
	b.Gen("tcp.reassembled.data", "Reassembled TCP Data: %s", BytesLabel(pdu))
	b.Close()
}

func hasSeqAck(a *decode.Analysis) bool {
	return a.Flags != 0 || a.AckedFrame != 0 || a.BytesInFlight >= 0 || a.DupAckNum != 0 || a.InitialRTT >= 0
}

// pushBytes is tcp.analysis.push_bytes_sent: payload bytes this direction
// sent since its last PSH, counting this segment (0: not shown).
func (b *Builder) pushBytes(flags uint64) int64 {
	f := b.Frame
	a := &f.Analysis
	if !a.HasTCP || b.Opts.State == nil || f.TCP.PayloadLen == 0 {
		return 0
	}
	st := &b.Opts.State.tcp
	if st.push == nil {
		st.push = map[tcpDir]pushCount{}
	}
	k := tcpDir{a.Stream, f.TCP.SrcPort}
	c := st.push[k]
	if c.lastPSH {
		c.n = 0
	}
	c.n += int64(f.TCP.PayloadLen)
	c.lastPSH = flags&uint64(decode.TCPPsh) != 0
	st.push[k] = c
	return c.n
}

// expert adds Wireshark's expert-info subtree.
func (b *Builder) expert(field, severity, group, msg string) {
	b.Open(field, -1, 0, fmt.Sprintf("[Expert Info (%s/%s): %s]", severity, group, msg))
	b.Gen(field, "%s", msg)
	b.Gen("_ws.expert.severity", "Severity level: %s", severity)
	b.Gen("_ws.expert.group", "Group: %s", group)
	b.Close()
}

func (b *Builder) tcpSynExpert(flags uint64) {
	if flags&0x10 != 0 {
		b.expert("tcp.connection.synack", "Chat", "Sequence", "Connection establish acknowledge (SYN+ACK): server port "+fmt.Sprint(b.Frame.TCP.SrcPort))
	} else {
		b.expert("tcp.connection.syn", "Chat", "Sequence", "Connection establish request (SYN): server port "+fmt.Sprint(b.Frame.TCP.DstPort))
	}
}

func (b *Builder) tcpFinExpert() {
	b.expert("tcp.connection.fin", "Chat", "Sequence", "Connection finish (FIN)")
}

// tcpClosingExpert is the note under [TCP Flags] on a FIN that starts or
// answers the connection's closing.
func (b *Builder) tcpClosingExpert() {
	switch b.Frame.Analysis.Closing {
	case 1:
		b.expert("tcp.connection.fin_active", "Note", "Sequence", "This frame initiates the connection closing")
	case 2:
		b.expert("tcp.connection.fin_passive", "Note", "Sequence", "This frame undergoes the connection closing")
	}
}

func (b *Builder) tcpAnalysisFlags(a *decode.Analysis) {
	if a.Flags == 0 && a.DupAckNum == 0 {
		return
	}
	b.Open("tcp.analysis.flags", -1, 0, "[TCP Analysis Flags]")
	type ex struct {
		bit                  uint32
		field, sev, grp, msg string
	}
	for _, e := range []ex{
		{decode.AnSpuriousRetransmission, "tcp.analysis.spurious_retransmission", "Note", "Sequence", "This frame is a (suspected) spurious retransmission"},
		{decode.AnFastRetransmission, "tcp.analysis.fast_retransmission", "Note", "Sequence", "This frame is a (suspected) fast retransmission"},
		{decode.AnRetransmission, "tcp.analysis.retransmission", "Note", "Sequence", "This frame is a (suspected) retransmission"},
		{decode.AnOutOfOrder, "tcp.analysis.out_of_order", "Warning", "Sequence", "This frame is a (suspected) out-of-order segment"},
		{decode.AnLostSegment, "tcp.analysis.lost_segment", "Warning", "Sequence", "Previous segment(s) not captured (common at capture start)"},
		{decode.AnAckLostSegment, "tcp.analysis.ack_lost_segment", "Warning", "Sequence", "ACKed segment that wasn't captured (common at capture start)"},
		{decode.AnWindowUpdate, "tcp.analysis.window_update", "Chat", "Sequence", "TCP window update"},
		{decode.AnWindowFull, "tcp.analysis.window_full", "Warning", "Sequence", "TCP window specified by the receiver is now completely full"},
		{decode.AnKeepAlive, "tcp.analysis.keep_alive", "Note", "Sequence", "TCP keep-alive segment"},
		{decode.AnKeepAliveAck, "tcp.analysis.keep_alive_ack", "Note", "Sequence", "ACK to a TCP keep-alive segment"},
		{decode.AnZeroWindowProbe, "tcp.analysis.zero_window_probe", "Note", "Sequence", "TCP Zero Window Probe"},
		{decode.AnZeroWindow, "tcp.analysis.zero_window", "Warning", "Sequence", "TCP Zero Window segment"},
		{decode.AnZeroWindowProbeAck, "tcp.analysis.zero_window_probe_ack", "Note", "Sequence", "ACK to a TCP Zero Window Probe"},
	} {
		if a.Flags&e.bit != 0 || e.bit == decode.AnRetransmission && a.Flags&(decode.AnFastRetransmission|decode.AnSpuriousRetransmission) != 0 {
			b.expert(e.field, e.sev, e.grp, e.msg)
		}
	}
	if a.Flags&(decode.AnRetransmission|decode.AnFastRetransmission|decode.AnSpuriousRetransmission) != 0 {
		if fr, ts, ok := b.originalSegment(); ok {
			b.Gen("tcp.analysis.rto", "The RTO for this segment was: %s", RelTime(b.Frame.TS-ts))
			b.Gen("tcp.analysis.rto_frame", "RTO based on delta from frame: %d", fr)
		}
	}
	dup := a.Flags&decode.AnDuplicateAck != 0 || a.DupAckNum != 0
	if dup {
		b.Gen("tcp.analysis.duplicate_ack", "This is a TCP duplicate ack")
	}
	b.Close()
	if dup {
		// As tshark: the expert item hangs under the frame it duplicates.
		b.Gen("tcp.analysis.duplicate_ack_num", "Duplicate ACK #: %d", a.DupAckNum)
		b.Open("tcp.analysis.duplicate_ack_frame", -1, 0, fmt.Sprintf("[Duplicate to the ACK in frame: %d]", a.DupAckFrame))
		b.expert("tcp.analysis.duplicate_ack", "Note", "Sequence", fmt.Sprintf("Duplicate ACK (#%d)", a.DupAckNum))
		b.Close()
	}
}

func (b *Builder) tcpOptions(o []byte) {
	var names []string
	for i := 0; i < len(o); {
		k := o[i]
		names = append(names, tcpOptSummary(k))
		if k <= 1 {
			i++ // tshark goes on after an EOL: each later zero byte is one more
			continue
		}
		if i+1 >= len(o) || o[i+1] < 2 {
			break
		}
		i += int(o[i+1])
	}
	b.Openf("tcp.options", 20, len(o), "Options: (%d bytes), %s", len(o), strings.Join(names, ", "))
	sackLE, sackRE := b.Values("tcp.options.sack_le"), []uint64(nil)
	le := make([]uint64, len(sackLE))
	for i, v := range sackLE {
		le[i] = v.U
	}
	for _, v := range b.Values("tcp.options.sack_re") {
		sackRE = append(sackRE, v.U)
	}
	si, nops := 0, 0
	for i := 0; i < len(o); {
		k := o[i]
		off := 20 + i
		kind := fmt.Sprintf("Kind: %s (%d)", mapName(tcpOptKinds, k, "Unknown"), k)
		if k <= 1 {
			name := map[uint8]string{0: "End of Option List (EOL)", 1: "No-Operation (NOP)"}[k]
			b.Open("tcp.options."+map[uint8]string{0: "eol", 1: "nop"}[k], off, 1, "TCP Option - "+name)
			b.Add("tcp.option_kind", off, 1, kind)
			if k == 1 && (nops == 0 || off%4 != 0) {
				if nops++; nops == 4 {
					b.expert("tcp.nop", "Warning", "Protocol", "4 NOP in a row - a router may have removed some options")
				}
			} else if k == 1 {
				nops = 0
			}
			b.Close()
			i++
			continue
		}
		if i+1 >= len(o) {
			break
		}
		ln := int(o[i+1])
		if ln < 2 || i+ln > len(o) {
			break
		}
		v := o[i+2 : i+ln]
		lenLine := func() { b.Addf("tcp.option_len", off+1, 1, "Length: %d", ln) }
		switch {
		case k == 2 && ln == 4:
			mss := be16(v)
			b.Openf("tcp.options.mss", off, ln, "TCP Option - Maximum segment size: %d bytes", mss)
			b.Add("tcp.option_kind", off, 1, kind)
			lenLine()
			b.Addf("tcp.options.mss_val", off+2, 2, "MSS Value: %d", mss)
		case k == 3 && ln == 3:
			sh := v[0]
			b.Openf("tcp.options.wscale", off, ln, "TCP Option - Window scale: %d (multiply by %d)", sh, 1<<min(sh, 14))
			b.Add("tcp.option_kind", off, 1, kind)
			lenLine()
			b.Addf("tcp.options.wscale.shift", off+2, 1, "Shift count: %d", sh)
			b.Gen("tcp.options.wscale.multiplier", "Multiplier: %d", 1<<min(sh, 14))
		case k == 4 && ln == 2:
			b.Open("tcp.options.sack_perm", off, ln, "TCP Option - SACK permitted")
			b.Add("tcp.option_kind", off, 1, kind)
			lenLine()
		case k == 5 && ln >= 2:
			nb := (ln - 2) / 8
			var sb strings.Builder
			for j := 0; j < nb && si+j < len(le) && si+j < len(sackRE); j++ {
				fmt.Fprintf(&sb, " %d-%d", le[si+j], sackRE[si+j])
			}
			b.Openf("tcp.options.sack", off, ln, "TCP Option - SACK%s", sb.String())
			b.Add("tcp.option_kind", off, 1, kind)
			lenLine()
			for j := 0; j < nb && si < len(le) && si < len(sackRE); j++ {
				b.Addf("tcp.options.sack_le", off+2+8*j, 4, "left edge = %d (relative)", le[si])
				b.Addf("tcp.options.sack_re", off+6+8*j, 4, "right edge = %d (relative)", sackRE[si])
				si++
			}
			b.Gen("tcp.options.sack.count", "TCP SACK Count: %d", nb)
			if a := &b.Frame.Analysis; a.HasTCP {
				// D-SACK and the sum are not kept by the flow package.
			}
		case k == 8 && ln == 10:
			tv, te := be32(v), be32(v[4:])
			b.Openf("tcp.options.timestamp", off, ln, "TCP Option - Timestamps: TSval %d, TSecr %d", tv, te)
			b.Add("tcp.option_kind", off, 1, kind)
			lenLine()
			b.Addf("tcp.options.timestamp.tsval", off+2, 4, "Timestamp value: %d", tv)
			b.Addf("tcp.options.timestamp.tsecr", off+6, 4, "Timestamp echo reply: %d", te)
		default:
			b.Openf("tcp.options.unknown", off, ln, "TCP Option - %s", tcpOptSummary(k))
			b.Add("tcp.option_kind", off, 1, kind)
			lenLine()
			if ln > 2 {
				b.Add("tcp.options.unknown.payload", off+2, ln-2, "Payload: "+HexBytes(v))
			}
		}
		b.Close()
		i += ln
	}
	b.Close()
}

func tcpOptSummary(k uint8) string {
	switch k {
	case 0:
		return "End of Option List (EOL)"
	case 1:
		return "No-Operation (NOP)"
	case 2:
		return "Maximum segment size"
	case 3:
		return "Window scale"
	case 4:
		return "SACK permitted"
	case 5:
		return "SACK"
	case 8:
		return "Timestamps"
	}
	return fmt.Sprintf("Unknown (0x%02x)", k)
}

// udpHeader opens the UDP tree over n bytes of d (at least 8) and adds the
// header's lines as tshark -V prints them, for a UDP layer and for the UDP
// header an ICMP error quotes; it returns the length field.
func udpHeader(b *Builder, d []byte, n int) uint16 {
	sp, dp := be16(d), be16(d[2:])
	b.Openf("udp", 0, n, "User Datagram Protocol, Src Port: %s, Dst Port: %s", b.PortLabel(decode.ProtoUDP, sp), b.PortLabel(decode.ProtoUDP, dp))
	b.Add("udp.srcport", 0, 2, "Source Port: "+b.PortLabel(decode.ProtoUDP, sp))
	b.Add("udp.dstport", 2, 2, "Destination Port: "+b.PortLabel(decode.ProtoUDP, dp))
	ulen := be16(d[4:])
	b.Addf("udp.length", 4, 2, "Length: %d", ulen)
	if ck := be16(d[6:]); ck == 0 {
		b.Add("udp.checksum", 6, 2, "Checksum: 0x0000 [zero-value ignored]")
		b.Gen("udp.checksum.status", "Checksum Status: Not present")
	} else {
		b.Addf("udp.checksum", 6, 2, "Checksum: 0x%04x [unverified]", ck)
		b.Gen("udp.checksum.status", "Checksum Status: Unverified")
	}
	return ulen
}
