package flow

import "github.com/wirewatch/wirewatch/decode"

// TCP header flag bits used here (same values as decode.TCPFin...).
const (
	thFIN = decode.TCPFin
	thSYN = decode.TCPSyn
	thRST = decode.TCPRst
	thPSH = decode.TCPPsh
	thACK = decode.TCPAck
)

// Conversation completeness bits (tcp.completeness).
const (
	CompSyn    uint8 = 1
	CompSynAck uint8 = 2
	CompAck    uint8 = 4
	CompData   uint8 = 8
	CompFin    uint8 = 16
	CompRst    uint8 = 32
)

// maxUnacked bounds the per-direction list of unacknowledged segments, as
// Wireshark does (TCP_MAX_UNACKED_SEGMENTS).
const maxUnacked = 1000

// Window scale sentinels (tcp.window_size_scalefactor).
const (
	wsUnknown = -1 // handshake not seen
	wsNone    = -2 // no scaling negotiated
)

// Sequence-space comparisons (RFC 1982 style, as Wireshark's GT_SEQ etc.).
func seqGT(a, b uint32) bool { return int32(b-a) < 0 }
func seqLT(a, b uint32) bool { return int32(a-b) < 0 }
func seqGE(a, b uint32) bool { return int32(a-b) >= 0 }
func seqLE(a, b uint32) bool { return int32(b-a) >= 0 }

// unacked is a segment sent and not yet acknowledged. Its frame number is
// 32 bits, as Wireshark's frame.number (24 bytes per segment instead of 32:
// these lists are most of a connection's memory).
type unacked struct {
	ts      int64
	frame   uint32
	seq     uint32
	nextseq uint32
	karn    bool
}

// tcpDir is the analysis state of one direction of a TCP connection
// (Wireshark's tcp_flow_t). Fields are ordered by size so the struct packs
// without padding; frame numbers are 32 bits, as Wireshark's.
type tcpDir struct {
	nextSeqTime int64
	lastAckTime int64
	segs        segList // unacknowledged segments, oldest first

	baseSeq         uint32
	window          uint32 // last raw window
	nextSeq         uint32
	maxSeqToBeAcked uint32
	lastAck         uint32
	lastNonDupAck   uint32
	dupAckNum       uint32
	lastSegFlags    uint32
	lastAckLen      uint32
	sackL, sackR    [4]uint32

	mss        uint16
	winScale   int8
	nSack      uint8
	baseSet    bool
	sawSyn     bool
	isFirstAck bool
	closing    bool // sent the first FIN
	validBIF   bool
}

func (d *tcpDir) reset() {
	segs := d.segs
	segs.reset()
	// Bytes in flight are valid from the start, as in Wireshark (a connection
	// caught mid-stream shows them on its first segment); a lost segment
	// invalidates them until the other side ACKs.
	*d = tcpDir{winScale: wsUnknown, window: ^uint32(0), segs: segs, validBIF: true}
}

// tcpSegment runs Wireshark's per-segment TCP logic: conversation lookup
// with port-reuse detection, relative numbers, sequence analysis,
// completeness, iRTT and window scaling.
func (t *Tracker) tcpSegment(f *decode.Frame, key Key, dir int) {
	th := &f.TCP
	flags := th.Flags
	an := &f.Analysis
	c := t.tcp[key]
	isNew := false
	reused := false
	if c == nil {
		if b, ok := t.takeTCPTomb(compactKey(key)); ok {
			c = t.revive(key, &b, f.TS)
		} else {
			c = t.newConn(key, dir, decode.ProtoTCP, f.TS)
			isNew = true
		}
		t.tcp[key] = c
	}
	fwd, rev := &c.t.dirs[dir], &c.t.dirs[1-dir]

	// Port reuse: a SYN (or SYN-ACK) whose ISN differs from the one the
	// conversation started with begins a new conversation.
	if flags&(thSYN|thACK) == thSYN && fwd.baseSet {
		if th.Seq != fwd.baseSeq || (reuseAfterClose && c.completeness&(CompRst|CompFin) != 0) {
			c = t.replaceConn(c, key, dir, f.TS)
			reused, isNew = true, true
		} else if reuseAfterClose {
			fwd.nextSeq = fwd.maxSeqToBeAcked
		}
	}
	fwd, rev = &c.t.dirs[dir], &c.t.dirs[1-dir]
	if flags&(thSYN|thACK) == thSYN|thACK && fwd.baseSet && th.Seq != fwd.baseSeq {
		// A SYN-ACK with a new ISN: Wireshark 4.0 rebases the direction
		// (the SYN was missed) rather than starting a new stream.
		fwd.baseSeq = th.Seq
		fwd.sawSyn = true
		reused = true
	}

	an.Stream = c.stream
	if th.Short || th.BadHdrLen {
		// Header cut short by the snapshot length, or a header longer than
		// the segment: Wireshark finds the conversation from the ports, then
		// gives up on the segment (sequence numbers stay absolute).
		if th.BadHdrLen {
			an.WindowSize = int64(th.Window)
			if fwd := &c.t.dirs[dir]; fwd.winScale >= 0 {
				an.WindowSize <<= uint(fwd.winScale)
			}
		}
		t.touch(c, f.TS)
		return
	}
	an.HasTCP = true
	an.TimeRelative = f.TS - c.firstTS
	an.TimeDelta = f.TS - c.prevTS
	c.prevTS = f.TS

	// Base sequence numbers: the ISN, or one before the first seq seen.
	if !fwd.baseSet {
		if flags&thSYN != 0 {
			fwd.baseSeq = th.Seq
			fwd.sawSyn = true
		} else {
			fwd.baseSeq = th.Seq - 1
		}
		fwd.baseSet = true
	}
	if !rev.baseSet && flags&thACK != 0 {
		rev.baseSeq = th.Ack - 1
		rev.baseSet = true
	}
	an.RelSeq = th.Seq - fwd.baseSeq
	if flags&thACK != 0 {
		an.RelAck = th.Ack - rev.baseSeq
	} else {
		an.RelAck = th.Ack
	}
	seglen := uint32(th.PayloadLen)
	if th.PayloadLen < 0 {
		seglen = 0
	}
	an.NextSeq = an.RelSeq + seglen
	if flags&(thSYN|thFIN) != 0 {
		an.NextSeq++
	}

	t.analyzeSeq(f, c, fwd, rev, th.Seq, th.Ack, seglen, flags, uint32(th.Window), reused)
	bogusHdr := th.HdrLen < 20
	if bogusHdr {
		// A header length under 20: Wireshark analyses the segment but
		// stops dissecting before it shows the ACK, window and analysis.
		an.Flags, an.AckedFrame, an.AckRTT, an.DupAckNum, an.DupAckFrame, an.BytesInFlight, an.LostBytes = 0, 0, -1, 0, 0, -1, 0
	}

	// Completeness. Wireshark 4.0 shows the conversation's value before
	// this segment (it adds the tree item before it updates the flags), so
	// a first segment shows 0 and the SYN-ACK after a SYN shows 1.
	comp := c.completeness
	if isNew {
		comp = 0
	}
	an.Completeness = comp
	if isNew {
		// The first segment of a conversation counts only as a SYN: one
		// caught mid-stream starts at 0 whatever its flags and data.
		if flags&(thSYN|thACK) == thSYN {
			comp |= CompSyn
			if seglen > 0 {
				comp |= CompData
			}
		}
	} else {
		comp = completenessAdd(comp, flags, seglen)
	}
	c.completeness = comp

	if flags&thSYN != 0 {
		if flags&thACK == 0 {
			c.mruSyn = f.TS
		}
		fwd.isFirstAck = true
	}
	if flags&thFIN != 0 {
		if !rev.closing {
			fwd.closing = true
			an.Closing = 1
		} else {
			an.Closing = 2
		}
	}
	if flags&(thSYN|thACK) == thACK {
		if c.mruSyn != 0 && c.initialRTT == 0 {
			c.initialRTT = f.TS - c.mruSyn
		}
		fwd.isFirstAck = false
	}
	if c.initialRTT > 0 && !bogusHdr && (an.Flags != 0 || an.AckedFrame != 0 || an.BytesInFlight >= 0) {
		an.InitialRTT = c.initialRTT
	}

	// Calculated window size (SYNs are never scaled); absent when the
	// header length is bogus (Wireshark stops dissecting there).
	an.WinScale = int(fwd.winScale)
	if th.HdrLen >= 20 {
		an.WindowSize = int64(th.Window)
		if flags&thSYN == 0 && fwd.winScale >= 0 {
			an.WindowSize <<= uint(fwd.winScale)
		}
	}

	// Options seen after the analysis, as in Wireshark.
	if flags&thSYN != 0 {
		if th.HasWScale {
			ws := th.WScale
			if ws > 14 {
				ws = 14
			}
			fwd.winScale = int8(ws)
		}
		if fwd.winScale == wsUnknown {
			fwd.winScale, rev.winScale = wsNone, wsNone
		} else if flags&thACK != 0 && rev.winScale == wsNone {
			fwd.winScale = wsNone
		}
	}
	if th.HasMSS {
		fwd.mss = th.MSS
	}
	fwd.nSack = 0
	for i := 0; i < th.NSACK && i < 4; i++ {
		fwd.sackL[i], fwd.sackR[i] = th.SACK[i][0], th.SACK[i][1]
		fwd.nSack++
	}

	c.count(dir, f, int(seglen))
	t.zeekTCP(c, dir, flags, th.Seq, seglen, an.Flags, th.Window)
	t.reassemble(c, dir, f, th.Seq, seglen, flags)
	t.desegment(c, dir, f, th.Seq, seglen, flags)
	t.touch(c, f.TS)
}

// analyzeSeq is Wireshark's tcp_analyze_sequence_number: it sets the
// tcp.analysis flags, duplicate-ACK numbering, ack_rtt and bytes in flight
// in f.Analysis and advances the per-direction state. seq and ack are absolute.
func (t *Tracker) analyzeSeq(f *decode.Frame, c *conn, fwd, rev *tcpDir, seq, ack, seglen uint32, flags uint16, window uint32, reused bool) {
	an := &f.Analysis
	var fl uint32
	if reused {
		fl |= decode.AnReusedPorts
	}
	noSFR := flags&(thSYN|thFIN|thRST) == 0
	if flags&thACK != 0 {
		rev.validBIF = true
	}
	var nextseq uint32

	// Zero window probe.
	if seglen == 1 && seq == fwd.nextSeq && rev.window == 0 {
		fl |= decode.AnZeroWindowProbe
		goto finishedFwd
	}
	if window == 0 && noSFR {
		fl |= decode.AnZeroWindow
	}
	if fwd.nextSeq != 0 && seqGT(seq, fwd.nextSeq) && flags&thRST == 0 {
		fl |= decode.AnLostSegment
		an.LostBytes = seq - fwd.nextSeq
		fwd.validBIF = false
	}
	if seglen <= 1 && seq == fwd.nextSeq-1 && noSFR {
		fl |= decode.AnKeepAlive
	}
	if seglen == 0 && window != 0 && window != fwd.window && seq == fwd.nextSeq && ack == fwd.lastAck && noSFR {
		fl |= decode.AnWindowUpdate
	}
	if seglen > 0 && rev.winScale != wsUnknown && noSFR {
		sh := uint(0)
		if !rev.isFirstAck && rev.winScale > 0 {
			sh = uint(rev.winScale)
		}
		if seq+seglen == rev.lastAck+(rev.window<<sh) {
			fl |= decode.AnWindowFull
		}
	}
	if seglen == 0 && window != 0 && window == fwd.window && seq == fwd.nextSeq && ack == fwd.lastAck &&
		rev.lastSegFlags&decode.AnKeepAlive != 0 && noSFR {
		fl |= decode.AnKeepAliveAck
		goto finishedFwd
	}
	if seglen == 0 && window == 0 && window == fwd.window && seq == fwd.nextSeq &&
		(ack == fwd.lastAck || ack == fwd.lastAck+1) && rev.lastSegFlags&decode.AnZeroWindowProbe != 0 && noSFR {
		fl |= decode.AnZeroWindowProbeAck
		if ack == fwd.lastAck+1 {
			rev.nextSeq = ack
			rev.maxSeqToBeAcked = ack
		}
		goto finishedFwd
	}
	if seglen == 0 && window != 0 && window == fwd.window && seq == fwd.nextSeq && ack == fwd.lastAck && noSFR {
		if fwd.dupAckNum == ^uint32(0) {
			fwd.dupAckNum = 1
		} else {
			fwd.dupAckNum++
		}
		fl |= decode.AnDuplicateAck
		an.DupAckNum = fwd.dupAckNum
		an.DupAckFrame = uint64(fwd.lastNonDupAck)
		goto finishedFwd
	}

finishedFwd:
	if ack != fwd.lastAck {
		fwd.lastNonDupAck = uint32(f.Number)
		fwd.dupAckNum = 0
	}

	// ACKed unseen segment.
	// (Wireshark 4.0 only looks when the ACK number moved.)
	if rev.maxSeqToBeAcked != 0 && seqGT(ack, rev.maxSeqToBeAcked) && flags&thACK != 0 {
		if ack == fwd.lastAck+1 && seq == fwd.nextSeq && rev.lastSegFlags&decode.AnZeroWindowProbe != 0 {
			rev.nextSeq = ack
			rev.maxSeqToBeAcked = ack
			fl |= decode.AnWindowUpdate
		} else if !ackLostTail {
			// Wireshark 4.0: when the other side has sent something new
			// since the mark, move the mark to it and flag. Otherwise the
			// other side is stalled: flag only the first such ACK and set
			// its duplicate-ACK counter to -1 (all ones, unsigned), which
			// the fast-retransmission test below reads as "≥ 2 duplicate
			// ACKs": that is how 4.0 calls retransmitted FINs after an
			// ACK of unseen data fast retransmissions.
			if !ackLostMarksDup || rev.nextSeq > rev.maxSeqToBeAcked {
				rev.maxSeqToBeAcked = rev.nextSeq
				fl |= decode.AnAckLostSegment
			} else {
				if rev.dupAckNum == 0 {
					fl |= decode.AnAckLostSegment
				}
				rev.dupAckNum = ^uint32(0)
			}
		} else {
			var tailLE, tailRE uint32
			rs := rev.segs.live()
			for i := len(rs) - 1; i >= 0; i-- {
				u := &rs[i]
				if tailLE == tailRE {
					tailLE, tailRE = u.seq, u.nextseq
				}
				if seqGE(u.seq, ack) {
					if u.nextseq == tailLE {
						tailLE = u.seq
					} else {
						tailLE, tailRE = u.seq, u.nextseq
					}
				}
			}
			if ack == tailLE && seqGT(tailRE, ack) {
				rev.maxSeqToBeAcked = tailRE
			} else {
				rev.maxSeqToBeAcked = ack
			}
			fl |= decode.AnAckLostSegment
		}
	}

	// Retransmission, fast retransmission, spurious retransmission, out of order.
	if seglen > 0 || flags&(thSYN|thFIN) != 0 {
		seqNotAdvanced := fwd.nextSeq != 0 && seqLT(seq, fwd.nextSeq)
		if fl&decode.AnKeepAlive != 0 {
			goto finishedRetx
		}
		if seglen > 1 && fwd.nextSeq-1 == seq {
			seqNotAdvanced = false
		}
		if seglen > 0 && rev.lastAck != 0 && seqLE(seq+seglen, rev.lastAck) {
			fl |= decode.AnSpuriousRetransmission
			goto finishedRetx
		}
		nextseq = seq + seglen
		if !seqNotAdvanced {
			goto finishedRetx
		}
		var dt int64
		if f.TS > rev.lastAckTime {
			dt = f.TS - rev.lastAckTime
		}
		// Fast retransmission takes precedence over out-of-order.
		if dt < 20e6 && (rev.dupAckNum >= 2 || !fastNeedsDupAcks) && rev.lastAck == seq {
			fl |= decode.AnFastRetransmission
			goto finishedRetx
		}
		if sackFastRetx && dt < 20e6 && rev.nSack > 0 && rev.lastAck == seq {
			var sacked uint32
			isSacked := true
			for i := 0; i < int(rev.nSack); i++ {
				sacked += rev.sackR[i] - rev.sackL[i]
				isSacked = isSacked && seq >= rev.sackL[i] && nextseq <= rev.sackR[i]
			}
			if !isSacked && sacked > 2*uint32(rev.mss) {
				fl |= decode.AnFastRetransmission
				goto finishedRetx
			}
		}
		if sackFastRetx && dt < 20e6 && rev.dupAckNum >= 2 && rev.nSack > 0 {
			isSacked := false
			for i := 0; i < int(rev.nSack) && !isSacked; i++ {
				isSacked = seq >= rev.sackL[i] && nextseq <= rev.sackR[i]
			}
			if !isSacked {
				fl |= decode.AnFastRetransmission
				goto finishedRetx
			}
		}
		{
			thres := int64(3e6)
			if c.initialRTT != 0 {
				thres = c.initialRTT
			}
			seen := false
			if oooSeenCheck {
				fs := fwd.segs.live()
				for i := len(fs) - 1; i >= 0; i-- {
					u := &fs[i]
					if seqGE(seq, u.seq) && seqLE(seq+seglen, u.nextseq) {
						seen = true
						u.karn = true
						break
					}
				}
			}
			ot := dt
			if oooFromNextSeqTime {
				ot = f.TS - fwd.nextSeqTime
			}
			if ot < thres && !seen {
				extra := uint32(0)
				if flags&(thSYN|thFIN) != 0 {
					extra = 1
				}
				if fwd.nextSeq != seq+seglen+extra || (oooLastAckLen && fwd.lastAckLen == 0) {
					fl |= decode.AnOutOfOrder
					goto finishedRetx
				}
			}
		}
		fl |= decode.AnRetransmission
	}
finishedRetx:

	nextseq = seq + seglen
	if (seglen > 0 || flags&(thSYN|thFIN) != 0) && fwd.segs.len() < maxUnacked {
		if flags&(thSYN|thFIN) != 0 {
			nextseq++
		}
		fwd.segs.push(unacked{
			frame: uint32(f.Number), ts: f.TS, seq: seq, nextseq: nextseq,
			karn: fl&(decode.AnRetransmission|decode.AnFastRetransmission|decode.AnSpuriousRetransmission) != 0,
		})
	}
	{
		extra := uint32(0)
		if flags&(thSYN|thFIN) != 0 {
			extra = 1
		}
		if fwd.nextSeq == 0 || seqGT(nextseq, fwd.nextSeq+extra) {
			fwd.lastAckLen = seglen
		}
	}
	// A bare RST does not move nextseq: its sequence number may be anything
	// (an answer to an ACK of unseen data), and the data that follows a
	// reused or revived connection would all look retransmitted.
	if (seqGT(nextseq, fwd.nextSeq) || fwd.nextSeq == 0) && (seglen > 0 || flags&(thSYN|thFIN) != 0 || flags&thRST == 0) {
		if fl&decode.AnZeroWindowProbe == 0 {
			fwd.nextSeq = nextseq
			fwd.nextSeqTime = f.TS
		}
	}
	if seq == fwd.maxSeqToBeAcked || fwd.maxSeqToBeAcked == 0 {
		if fl&decode.AnZeroWindowProbe == 0 {
			fwd.maxSeqToBeAcked = fwd.nextSeq
		}
	}
	fwd.window = window
	fwd.lastAck = ack
	fwd.lastAckTime = f.TS
	fwd.lastSegFlags = fl

	// Remove what this ACK acknowledges from the reverse list; the oldest
	// exactly-acked segment gives acks_frame and ack_rtt.
	if rev.segs.len() > 0 {
		if u, ok := rev.segs.ack(ack); ok {
			an.AckedFrame = uint64(u.frame)
			if rtt := f.TS - u.ts; rtt != 0 {
				an.AckRTT = rtt
			}
		}
	}

	// Bytes in flight (Wireshark's default payload-based method).
	if seglen != 0 && fwd.segs.len() > 0 && fwd.validBIF {
		first, lastSeq := fwd.segs.span(fwd.baseSeq)
		inFlight := lastSeq - first
		for i := 0; i < int(rev.nSack); i++ {
			inFlight -= rev.sackR[i] - rev.sackL[i]
		}
		if inFlight > 0 && inFlight < 2000000000 {
			an.BytesInFlight = int64(inFlight)
			if flags&(thSYN|thFIN) != 0 {
				an.BytesInFlight--
			}
		}
	}
	an.Flags |= fl
}

// segList holds one direction's unacknowledged segments, oldest first. It
// keeps a start offset so acknowledged segments leave from the front
// without copying, and knows whether the segments are in nextseq order, the
// common case where acknowledging is a prefix cut.
type segList struct {
	s        []unacked
	head     int
	unsorted bool
}

func (l *segList) reset() {
	l.s, l.head, l.unsorted = l.s[:0], 0, false
}

func (l *segList) live() []unacked { return l.s[l.head:] }

func (l *segList) len() int { return len(l.s) - l.head }

func (l *segList) push(u unacked) {
	if n := len(l.s); n > l.head && seqLT(u.nextseq, l.s[n-1].nextseq) {
		l.unsorted = true
	}
	if l.head > 0 && len(l.s) == cap(l.s) {
		// Compact before growing.
		n := copy(l.s, l.s[l.head:])
		l.s, l.head = l.s[:n], 0
	}
	l.s = append(l.s, u)
}

// ack removes every segment that ack covers (nextseq ≤ ack) and returns the
// oldest one whose nextseq equals ack, as Wireshark's list walk finds it.
func (l *segList) ack(ack uint32) (acked unacked, found bool) {
	live := l.s[l.head:]
	if !l.unsorted {
		i := 0
		for i < len(live) && !seqGT(live[i].nextseq, ack) {
			if !found && live[i].nextseq == ack {
				acked, found = live[i], true
			}
			i++
		}
		l.head += i
	} else {
		for i := range live {
			if live[i].nextseq == ack {
				acked, found = live[i], true
				break
			}
		}
		keep := live[:0]
		for _, u := range live {
			if seqGT(u.nextseq, ack) {
				keep = append(keep, u)
			}
		}
		l.s = l.s[:l.head+len(keep)]
	}
	if l.head == len(l.s) {
		l.reset()
		if cap(l.s) > keepSegsIdle {
			// Everything is acknowledged: give back what a burst grew, so
			// that idle connections hold little (trim.go).
			l.s = nil
		}
	}
	return acked, found
}

// span returns the lowest seq and highest nextseq of the segments, relative to base.
func (l *segList) span(base uint32) (first, last uint32) {
	live := l.s[l.head:]
	n := len(live) - 1
	first, last = live[n].seq-base, live[n].nextseq-base
	if !l.unsorted && live[0].seq-base <= first {
		// In nextseq order the oldest segment starts lowest unless a
		// retransmission reached further back; check both ends.
		return live[0].seq - base, last
	}
	for i := n; i >= 0; i-- {
		u := &live[i]
		if u.nextseq-base > last {
			last = u.nextseq - base
		}
		if u.seq-base < first {
			first = u.seq - base
		}
	}
	return first, last
}

// completenessAdd adds the tcp.completeness bits a segment after the first
// one of its conversation contributes.
func completenessAdd(comp uint8, flags uint16, seglen uint32) uint8 {
	if flags&(thSYN|thACK) == thSYN|thACK {
		comp |= CompSynAck
	}
	if flags&(thSYN|thACK) == thACK {
		if seglen > 0 {
			comp |= CompData
		} else {
			comp |= CompAck
		}
	}
	if flags&(thFIN|thACK) == thFIN|thACK {
		comp |= CompFin
	}
	if flags&thRST != 0 {
		comp |= CompRst
	}
	return comp
}
