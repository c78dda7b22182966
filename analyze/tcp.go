package analyze

import (
	"net/netip"
	"time"

	"github.com/wirewatch/wirewatch/decode"
)

type connKey struct {
	a, b Endpoint
}

func mkKey(src, dst Endpoint) (connKey, bool) {
	c := src.Addr.Compare(dst.Addr)
	if c < 0 || (c == 0 && src.Port < dst.Port) {
		return connKey{src, dst}, false
	}
	return connKey{dst, src}, true
}

const (
	phIdle = iota
	phReq  // client sent data the server has not answered yet
	phResp // server is sending
)

type hole struct {
	seq, end uint32
	ts       int64
	frame    uint64
	dupacks  int // the receiver's duplicate ACK count when the hole appeared
}

// dirState is one direction of a connection (0 client→server, 1 server→client).
type dirState struct {
	seqInit       bool
	maxEnd        uint32
	lastAck       uint32
	ackInit       bool
	lastNewDataTS int64
	holes         [4]hole
	nholes        int
	retrans       int
	tailProbes    int       // tail loss probes not counted as loss
	probe         tailProbe // the last one, counted after all if loss follows before its ACK
	ooo           int
	dupacks       int
	dataPkts      int
	bytes         int64
	ttl           uint8
	ttlSet        bool
	mac           [6]byte
	// pmtu black hole suspicion: one large segment sent again and again
	bigSeq   uint32
	bigN     int
	bigLen   int
	bigTS    int64
	bigFrame uint64
	maxLen   int
	// zero window advertised by this direction's sender
	zeroWin      bool
	zeroWinTS    int64
	zeroWinFrame uint64
}

type tailProbe struct {
	frame     uint64
	ts, since int64
	end       uint32
	open      bool
}

type conn struct {
	key        connKey
	cli, srv   Endpoint
	cliH, srvH *host
	stream     int64

	synSeen              bool
	synISN               uint32
	synTS                int64
	synFrame             uint64
	synN                 int
	synackSeen           bool
	synackTS             int64
	synackFrame          uint64
	synackN              int
	est                  bool
	estTS                int64
	estFrame             uint64
	rtt                  int64
	midstream            bool
	closed               bool
	finSeen              [2]bool
	rst                  bool
	refused              bool
	refusedIdx           int
	refusedTTL           uint8
	att                  *attempt
	firstTS              int64
	firstFrame           uint64
	lastTS               int64
	lastFrame            uint64
	d                    [2]dirState
	phase                uint8
	anyCliData           bool
	anySrvData           bool
	reqTS, reqLastTS     int64
	reqFrame, reqLastFrm uint64
	reqAckTS             int64
	nreq                 int
	what                 [96]byte
	whatLen              int
	tlsHello             bool
	// loss accounting
	lossEvents int
	lossTime   int64
	lossFirst  uint64
	lossFirstT int64
	lossLast   uint64
	lossLastT  int64
	stalled    bool
	ng         nagleConn  // rules_nagle.go
	wl         [2]winConn // rules_window.go, per direction of data
}

func (c *conn) setWhat(parts ...[]byte) {
	n := 0
	for i, p := range parts {
		if i > 0 && n < len(c.what) {
			c.what[n] = ' '
			n++
		}
		n += copy(c.what[n:], p)
	}
	c.whatLen = n
}

func (c *conn) whatString(def string) string {
	if c.whatLen == 0 {
		return def
	}
	return string(c.what[:c.whatLen])
}

// thresh is the smallest gap that counts as a stall on this connection.
func (e *Engine) thresh(c *conn) int64 {
	t := int64(e.cfg.MinStall)
	if r := int64(float64(c.rtt) * e.cfg.RTTFactor); r > t {
		t = r
	}
	return t
}

// tailProbeMax is the longest wait before a retransmission of the newest
// segment that still counts as a tail loss probe: the stall threshold, or a
// probe's 2 RTT + 200 ms with room for the RTT to vary.
func (e *Engine) tailProbeMax(c *conn) int64 {
	t := e.thresh(c)
	if p := 3*c.rtt + int64(250*time.Millisecond); p > t {
		t = p
	}
	return t
}

func seqLT(a, b uint32) bool { return int32(a-b) < 0 }
func seqGT(a, b uint32) bool { return int32(a-b) > 0 }

func (e *Engine) addTCP(f *decode.Frame, src, dst netip.Addr, ttl uint8) {
	tcp := &f.TCP
	s := Endpoint{src, tcp.SrcPort}
	d := Endpoint{dst, tcp.DstPort}
	t := f.TS
	flags := tcp.Flags
	syn := flags&decode.TCPSyn != 0
	ack := flags&decode.TCPAck != 0
	rst := flags&decode.TCPRst != 0
	fin := flags&decode.TCPFin != 0

	// Find the connection: by flow's stream number (a cheap key) when the
	// addresses agree, else by the address/port pair.
	var c *conn
	stream := f.Analysis.Stream
	if f.Analysis.HasTCP && stream >= 0 {
		if c = e.byStream[stream]; c != nil && !((s == c.cli && d == c.srv) || (s == c.srv && d == c.cli)) {
			c = nil
		}
	}
	var key connKey
	if c == nil {
		key, _ = mkKey(s, d)
		c = e.conns[key]
	} else {
		key = c.key
	}
	if c != nil && syn && !ack && c.synSeen && tcp.Seq != c.synISN && (c.closed || c.est || c.refused || t-c.lastTS > int64(time.Minute)) {
		// port reuse: a new connection on the same ports
		e.finishConn(c, t, false)
		e.dropConn(c)
		c = nil
	}
	if c == nil {
		if rst && !syn {
			// a reset for a connection we never saw: note it only
			return
		}
		if len(e.conns) >= e.cfg.MaxConns {
			e.evictConns(t)
		}
		if n := len(e.freeConns); n > 0 {
			c = e.freeConns[n-1]
			e.freeConns = e.freeConns[:n-1]
			*c = conn{stream: f.Analysis.Stream, firstTS: t, firstFrame: f.Number}
		} else {
			c = &conn{stream: f.Analysis.Stream, firstTS: t, firstFrame: f.Number}
		}
		switch {
		case syn && !ack:
			c.cli, c.srv = s, d
		case syn && ack:
			c.cli, c.srv = d, s
			c.midstream = true
		default:
			c.midstream = true
			if s.Port < d.Port {
				c.cli, c.srv = d, s
			} else {
				c.cli, c.srv = s, d
			}
		}
		c.cliH, c.srvH = e.host(c.cli.Addr), e.host(c.srv.Addr)
		c.key = key
		e.conns[key] = c
		if f.Analysis.HasTCP && stream >= 0 {
			e.byStream[stream] = c
		}
		e.sum.TCPConnections++
		if syn && !ack {
			c.cliH.noteService(decode.IPProtoTCP, c.srv)
		}
	}
	if c.stream < 0 && stream >= 0 {
		c.stream = stream
		if f.Analysis.HasTCP {
			e.byStream[stream] = c
		}
	}
	dir := 0
	if s != c.cli {
		dir = 1
	}
	ds := &c.d[dir]
	os := &c.d[1-dir]
	if !ds.ttlSet && !rst {
		ds.ttl, ds.ttlSet = ttl, true
		if f.Has(decode.ProtoEth) {
			ds.mac = f.Eth.Src
		}
	}
	plen := tcp.PayloadLen
	gap := t - c.lastTS
	if c.lastTS == 0 {
		gap = 0
	}

	switch {
	case syn && !ack:
		if !ds.seqInit {
			ds.seqInit, ds.maxEnd = true, tcp.Seq+1
		}
		if !c.synSeen {
			c.synSeen, c.synISN, c.synTS, c.synFrame = true, tcp.Seq, t, f.Number
			a := &attempt{kind: "tcp-connect", proto: "tcp", local: c.cli, peer: c.srv}
			a.add(f.Number, t)
			c.att = a
			e.addAttempt(c.cliH, a)
		} else if t-c.att.last < int64(100*time.Millisecond) {
			// the same SYN seen twice (capture on two interfaces, VLAN copies): not a retransmission
			break
		} else if c.att != nil && !c.synackSeen {
			c.att.add(f.Number, t)
		}
		c.synN++
		if c.synN == 2 {
			e.sum.TCPSYNRetrans++
		}
	case syn && ack:
		if !ds.seqInit {
			ds.seqInit, ds.maxEnd = true, tcp.Seq+1
		}
		if c.refused && !c.synackSeen && c.refusedIdx < len(e.stalls) {
			// The server answers the SYN after all: the reset that "refused" it
			// was forged by something in the path.
			r := &e.stalls[c.refusedIdx]
			if r.Client == c.cli && r.Server == c.srv && r.cat == CatRefused {
				r.cat = CatMiddleboxReset
				r.WaitingOn = WaitNetwork
				r.What = "connection attempt reset by a forged RST"
				r.detail = "the RST (TTL " + itoa(int(c.refusedTTL)) + ") came " + fmtMs(r.End-r.Start) +
					" after the SYN, yet the real server answered the same SYN with a SYN/ACK " + fmtMs(t-r.End) +
					" later (TTL " + itoa(int(ttl)) + ")"
				r.frames = append(r.frames, f.Number)
				e.sum.TCPRefused--
			}
			c.refused, c.rst, c.closed = false, false, false
			if c.att != nil {
				c.att.refused = false
			}
		}
		if !c.synackSeen {
			c.synackSeen, c.synackTS, c.synackFrame = true, t, f.Number
			if c.synSeen {
				e.noteOutcome(c.srv, c.synTS, true)
			}
			if c.att != nil {
				c.att.answerTS = t
				c.att.done = true
			}
			if c.synSeen && c.synN > 1 {
				e.addStall(stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
					StartFrame: c.synFrame, EndFrame: f.Number, Start: c.synTS, End: t, WaitingOn: WaitNetwork,
					What: "connection setup (SYN retransmitted)"},
					cat: CatSYNRetrans, culprit: c.srv, cproto: "tcp", victim: c.cli.Addr, count: c.synN - 1, timeout: synRetryDelay(c.att)})
				c.stalled = true
			} else if c.synSeen && t-c.synTS >= int64(time.Second) {
				e.addStall(stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
					StartFrame: c.synFrame, EndFrame: f.Number, Start: c.synTS, End: t, WaitingOn: WaitServer,
					What: "connection setup (slow SYN/ACK)"},
					cat: CatServerThink, culprit: c.srv, cproto: "tcp", victim: c.cli.Addr})
				c.stalled = true
			}
		}
		c.synackN++
	}

	if rst {
		e.tcpReset(f, c, dir, ttl, t)
	}
	if fin {
		c.finSeen[dir] = true
		if c.finSeen[0] && c.finSeen[1] {
			c.closed = true
		}
	}

	// Handshake completion: the client's first ACK after the SYN/ACK.
	if !c.est && c.synackSeen && dir == 0 && ack && !syn && !rst {
		c.est, c.estTS, c.estFrame = true, t, f.Number
		e.sum.TCPEstablished++
		if c.synSeen {
			c.rtt = t - c.synTS
		} else {
			c.rtt = t - c.synackTS
		}
		if c.synSeen && c.synN == 1 && c.synackTS-c.synTS >= int64(300*time.Millisecond) && c.synackTS-c.synTS < int64(time.Second) {
			e.addStall(stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
				StartFrame: c.synFrame, EndFrame: c.synackFrame, Start: c.synTS, End: c.synackTS, WaitingOn: WaitNetwork,
				What: "connection setup: one round trip"},
				cat: CatHighLatency, culprit: c.srv, cproto: "tcp", victim: c.cli.Addr, rtt: c.rtt})
			c.stalled = true
		}
		if ds1 := &c.d[1]; ds1.ttlSet && hops(ds1.ttl) >= 1 {
			if m := e.macs[ds1.mac]; m != nil {
				m.remoteN++
				if h := hops(ds1.ttl); m.remoteMinHops == 0 || h < m.remoteMinHops {
					m.remoteMinHops = h
				}
				if m.rttLo == 0 || c.rtt < m.rttLo {
					m.rttLo = c.rtt
				}
				if c.rtt > m.rttHi {
					m.rttHi = c.rtt
				}
			}
		}
		if len(e.sum.handshakeRTTs) < 4096 {
			e.sum.handshakeRTTs = append(e.sum.handshakeRTTs, c.rtt)
		}
	}
	if !c.est && !syn && !rst && (plen > 0 || c.midstream) && c.midstream {
		// joined mid-stream: treat as established from here
		c.est, c.estTS, c.estFrame = true, t, f.Number
	}

	// Window: zero-window episodes, announced by the receiver.
	if !syn && !rst {
		if tcp.Window == 0 {
			if !ds.zeroWin {
				ds.zeroWin, ds.zeroWinTS, ds.zeroWinFrame = true, t, f.Number
			}
		} else if ds.zeroWin {
			ds.zeroWin = false
			if t > ds.zeroWinTS {
				recv := c.cli
				if dir == 1 {
					recv = c.srv
				}
				e.addStall(stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
					StartFrame: ds.zeroWinFrame, EndFrame: f.Number, Start: ds.zeroWinTS, End: t, WaitingOn: WaitReceiver,
					What: "receive window closed (zero window) by " + recv.String()},
					cat: CatZeroWindow, culprit: recv, cproto: "tcp", victim: c.cli.Addr, rtt: c.rtt})
				c.stalled = true
			}
		}
	}

	// Duplicate ACKs while data is outstanding: flow's
	// tcp.analysis.duplicate_ack (a pure ACK repeating the last ACK and
	// window at the expected sequence number), not tracked a second time.
	if f.Analysis.Flags&decode.AnDuplicateAck != 0 && f.Analysis.HasTCP && os.seqInit && seqLT(tcp.Ack, os.maxEnd) {
		ds.dupacks++
	}
	if ack && plen == 0 && !syn && !fin && !rst {
		if c.phase == phReq && dir == 1 && c.reqAckTS == 0 && c.d[0].seqInit && !seqLT(tcp.Ack, c.d[0].maxEnd) {
			c.reqAckTS = t
		}
	}
	if ack {
		ds.lastAck, ds.ackInit = tcp.Ack, true
	}

	if plen == 0 && !syn && !rst && ds.seqInit && seqGT(tcp.Seq, ds.maxEnd) && tcp.Seq-ds.maxEnd < 1<<24 {
		// the sender's sequence number reveals data that never reached the capture point
		ds.addHole(f, tcp.Seq, t, os.dupacks)
		ds.maxEnd = tcp.Seq
	}
	if plen > 0 && !rst {
		e.tcpData(f, c, dir, ds, t, gap)
	}
	if len(tcpPacketRules) > 0 {
		p := &e.pkt
		*p = tcpPkt{frame: f.Number, ts: t, dir: dir, flags: uint16(flags), seq: tcp.Seq, ack: tcp.Ack, win: tcp.Window, payload: int(plen),
			winSize: -1, inFlight: -1, ackRTT: -1}
		if f.Analysis.HasTCP {
			p.winSize, p.inFlight, p.ackRTT, p.an = f.Analysis.WindowSize, f.Analysis.BytesInFlight, f.Analysis.AckRTT, f.Analysis.Flags
		}
		for _, r := range tcpPacketRules {
			r.tcpPacket(e, c, p)
		}
	}
	c.lastTS, c.lastFrame = t, f.Number
}

// addHole notes the gap flow found before this segment
// (tcp.analysis.lost_segment: the bytes from the sender's expected next
// sequence number up to seq never reached the capture point).
func (ds *dirState) addHole(f *decode.Frame, seq uint32, t int64, dupacks int) {
	an := &f.Analysis
	if !an.HasTCP || an.Flags&decode.AnLostSegment == 0 || an.LostBytes == 0 || ds.nholes == len(ds.holes) {
		return
	}
	ds.holes[ds.nholes] = hole{seq - an.LostBytes, seq, t, f.Number, dupacks}
	ds.nholes++
}

// tcpData handles a segment with payload: loss analysis and the
// request/response exchange stalls.
func (e *Engine) tcpData(f *decode.Frame, c *conn, dir int, ds *dirState, t, gap int64) {
	tcp := &f.TCP
	plen := uint32(tcp.PayloadLen)
	seq := tcp.Seq
	if tcp.Flags&decode.TCPSyn != 0 {
		seq++
	}
	end := seq + plen
	ds.dataPkts++
	ds.bytes += int64(plen)
	if int(plen) > ds.maxLen {
		ds.maxLen = int(plen)
	}
	retrans := false
	switch {
	case !ds.seqInit:
		ds.seqInit, ds.maxEnd, ds.lastNewDataTS = true, end, t
	case seqGT(end, ds.maxEnd) && !seqLT(seq, ds.maxEnd):
		if seqGT(seq, ds.maxEnd) && seq-ds.maxEnd < 1<<24 {
			// previous segment not captured: lost before the capture point, or reordered
			ds.addHole(f, seq, t, c.d[1-dir].dupacks)
		}
		ds.maxEnd, ds.lastNewDataTS = end, t
	default:
		// at or below what was already sent: a hole being filled or a retransmission
		filled := false
		for i := 0; i < ds.nholes; i++ {
			h := &ds.holes[i]
			if seqLT(seq, h.end) && seqGT(end, h.seq) {
				filled = true
				delay := t - h.ts
				ooo := int64(3 * time.Millisecond)
				if c.rtt/2 > ooo {
					ooo = c.rtt / 2
				}
				if delay < ooo && c.d[1-dir].dupacks-h.dupacks < 2 {
					ds.ooo++
				} else {
					ds.retrans++
					retrans = true
					e.lossEvent(c, h.frame, h.ts, f.Number, t, delay)
				}
				if !seqGT(h.end, end) || !seqGT(h.seq, seq) {
					if !seqLT(seq, h.seq) && seqLT(end, h.end) {
						h.seq = end
					} else {
						ds.holes[i] = ds.holes[ds.nholes-1]
						ds.nholes--
					}
				}
				break
			}
		}
		os := &c.d[1-dir]
		spurious := os.ackInit && !seqGT(end, os.lastAck)
		probe := plen <= 1 || os.zeroWin
		since := t - ds.lastNewDataTS
		if since < 0 {
			since = 0
		}
		// A tail loss probe: the newest segment sent again before its ACK
		// came back. Linux sends one after two smoothed RTTs (plus 200 ms
		// when it is the only segment in flight), and an RTO fires no
		// sooner than 200 ms + RTT. The first one of a connection repairs
		// at most the last segment at the cost of a short wait nobody feels
		// (often the original arrived and only the ACK was late), so it is
		// no loss event. If it does not help, the next retransmission counts
		// with the whole wait since the last new data.
		tlp := !filled && end == ds.maxEnd && ds.tailProbes == 0 && since < e.tailProbeMax(c)
		if tlp {
			ds.tailProbes++
			ds.probe = tailProbe{frame: f.Number, ts: t, since: since, end: end, open: true}
		}
		if !filled && (spurious || probe || tlp) {
			ds.retrans++ // already acknowledged, a window probe or a tail probe: no data was lost
		} else if !filled {
			ds.retrans++
			retrans = true
			if p := &ds.probe; p.open {
				p.open = false
				if !(os.ackInit && !seqLT(os.lastAck, p.end)) {
					// the probe did not help: it was the first retransmission of this loss
					e.lossEvent(c, p.frame, p.ts-p.since, p.frame, p.ts, p.since)
				}
			}
			e.lossEvent(c, f.Number, t-since, f.Number, t, since)
		}
		if end-seq >= 1000 {
			if ds.bigN > 0 && seq == ds.bigSeq {
				ds.bigN++
			} else {
				ds.bigSeq, ds.bigN, ds.bigLen, ds.bigTS, ds.bigFrame = seq, 1, int(plen), t, f.Number
			}
		}
		if seqGT(end, ds.maxEnd) {
			ds.maxEnd = end
		}
	}
	if retrans {
		e.sum.TCPRetrans++
	}

	e.appEvents(f, c, dir)
	th := e.thresh(c)
	if dir == 0 {
		if c.phase != phReq {
			// a new request (or the client's first words)
			c.nreq++
			e.sum.Requests++
			switch {
			case !c.anyCliData && !c.anySrvData && c.est && !c.midstream:
				g := t - c.estTS
				if g >= th && g >= int64(e.cfg.MinStall) {
					e.clientStall(f, c, c.estTS, c.estFrame, t, false)
				}
			case c.anyCliData || c.anySrvData:
				if gap >= int64(900*time.Millisecond) {
					e.clientStall(f, c, c.lastTS, c.lastFrame, t, true)
				}
			}
			c.phase = phReq
			c.reqTS, c.reqFrame, c.reqAckTS = t, f.Number, 0
			c.whatLen = 0
			if m, u, host, ok := f.HTTPRequest(); ok { // HTTP/1.x or HTTP/2 (decrypted TLS)
				c.setWhat(m, u)
				e.noteName(c.srv.Addr, hostOnly(host))
			} else if f.Has(decode.ProtoTLS) && f.TLS.HandshakeType == 1 {
				c.setWhat([]byte("TLS ClientHello"), f.TLS.SNI)
				c.tlsHello = true
				e.noteName(c.srv.Addr, f.TLS.SNI)
			}
		} else if c.whatLen == 0 {
			// the request itself after other client bytes of this turn
			// (HTTP/2 WINDOW_UPDATE or SETTINGS before the HEADERS)
			if m, u, _, ok := f.HTTPRequest(); ok {
				c.setWhat(m, u)
			}
		}
		c.reqLastTS, c.reqLastFrm = t, f.Number
		c.anyCliData = true
	} else {
		if c.phase == phReq {
			if n, ok := e.answers[c.srv]; ok || len(e.answers) < 1<<16 {
				e.answers[c.srv] = n + 1
			}
		}
		switch {
		case c.phase == phReq:
			g := t - c.reqLastTS
			if g >= th && !retrans {
				what := c.whatString("request")
				if m, u, ok := f.HTTPAnswered(); ok {
					// HTTP/2: the stream this answer belongs to names the wait
					what = string(m) + " " + string(u)
				}
				e.serverStall(f, c, c.reqLastTS, c.reqLastFrm, t, what)
			}
			c.phase = phResp
		case !c.anySrvData && !c.anyCliData && c.est && !c.midstream:
			g := t - c.estTS
			if g >= th && g >= int64(e.cfg.MinStall) {
				e.serverStall(f, c, c.estTS, c.estFrame, t, "server greeting")
			}
			c.phase = phResp
		case c.phase == phResp && gap >= th && gap >= int64(time.Second) && !retrans && !c.d[0].zeroWin:
			what := "rest of the response (sender paused mid-transfer)"
			if m, u, ok := f.HTTPAnswered(); ok {
				// HTTP/2: the pause ends with the answer to another stream's request
				what = string(m) + " " + string(u)
			}
			e.serverStall(f, c, c.lastTS, c.lastFrame, t, what)
		}
		c.anySrvData = true
	}
}

// clientStall handles a client that sent its request late; idle says the
// connection was idle (keep-alive) rather than freshly set up.
func (e *Engine) clientStall(f *decode.Frame, c *conn, from int64, fromFrame uint64, t int64, idle bool) {
	what := "first request after the handshake"
	if idle {
		what = "request on an idle connection"
	}
	if m, u, _, ok := f.HTTPRequest(); ok {
		what = string(m) + " " + string(u)
	} else if c.tlsHello && c.nreq == 2 {
		what = "TLS handshake: the client's second flight, held after the server's certificate"
		if c.whatLen > 0 {
			what += " (" + c.whatString("") + ")"
		}
	}
	cands := e.candidates(c.cliH, from, t)
	if a := e.correlate(c.cliH, from, t, idle); a != nil {
		start, sf := from, fromFrame
		if idle || a.start > from+int64(500*time.Millisecond) {
			start, sf = a.start, a.frames[0]
		}
		e.addStall(stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
			StartFrame: sf, EndFrame: f.Number, Start: start, End: t, WaitingOn: WaitClient, What: what,
			Attempt: a.public()},
			cat: catForAttempt(a), culprit: a.peer, cproto: a.proto, victim: c.cli.Addr, timeout: t - a.start, rtt: c.rtt,
			cands: cands, idle: idle, from: from, fromFrame: fromFrame})
		c.stalled = true
		return
	}
	cat := CatClientDelay
	if idle {
		if len(cands) == 0 {
			return // an idle keep-alive connection is not a stall by itself
		}
		cat = catLatent
	}
	e.addStall(stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
		StartFrame: fromFrame, EndFrame: f.Number, Start: from, End: t, WaitingOn: WaitClient, What: what},
		cat: cat, culprit: c.cli, cproto: "tcp", victim: c.cli.Addr, rtt: c.rtt, cands: cands, idle: idle, from: from, fromFrame: fromFrame})
}

func catForAttempt(a *attempt) Category {
	if a.kind == "dns" {
		return CatDNSTimeout
	}
	return CatBlockedDependency
}

// serverStall handles a server that answered late.
func (e *Engine) serverStall(f *decode.Frame, c *conn, from int64, fromFrame uint64, t int64, what string) {
	cands := e.candidates(c.srvH, from, t)
	if a := e.correlate(c.srvH, from, t, false); a != nil {
		e.addStall(stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
			StartFrame: fromFrame, EndFrame: f.Number, Start: from, End: t, WaitingOn: WaitServer, What: what,
			Attempt: a.public()},
			cat: catForAttempt(a), culprit: a.peer, cproto: a.proto, victim: c.cli.Addr, timeout: t - a.start, rtt: c.rtt,
			cands: cands, from: from, fromFrame: fromFrame})
		c.stalled = true
		return
	}
	var ackd int64
	if c.reqAckTS != 0 {
		ackd = c.reqAckTS - from
	}
	e.addStall(stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
		StartFrame: fromFrame, EndFrame: f.Number, Start: from, End: t, WaitingOn: WaitServer, What: what},
		cat: CatServerThink, culprit: c.srv, cproto: "tcp", victim: c.cli.Addr, rtt: c.rtt, ack: ackd,
		known: c.whatLen > 0 || reqRespPort(c.srv.Port), cands: cands, from: from, fromFrame: fromFrame})
	c.stalled = true
}

func (e *Engine) lossEvent(c *conn, firstFrame uint64, firstT int64, frame uint64, t, delay int64) {
	if delay > int64(10*time.Second) {
		delay = int64(10 * time.Second)
	}
	if c.lossEvents == 0 {
		c.lossFirst, c.lossFirstT = firstFrame, firstT
	}
	c.lossEvents++
	// time lost is the union of the recovery intervals (they overlap in SACK recovery)
	start := t - delay
	switch {
	case start >= c.lossLastT || c.lossEvents == 1:
		c.lossTime += delay
	case t > c.lossLastT:
		c.lossTime += t - c.lossLastT
	}
	c.lossLast, c.lossLastT = frame, t
}

// tcpReset classifies a reset.
func (e *Engine) tcpReset(f *decode.Frame, c *conn, dir int, ttl uint8, t int64) {
	if c.rst {
		return
	}
	c.rst = true
	c.closed = true
	if dir == 1 && c.synSeen && !c.synackSeen && !c.est {
		// connection refused
		c.refused = true
		c.refusedIdx, c.refusedTTL = len(e.stalls), ttl
		e.sum.TCPRefused++
		e.noteOutcome(c.srv, c.synTS, false) // reachable, but not serving
		if c.att != nil {
			c.att.refused, c.att.done, c.att.failTS, c.att.failFrm = true, true, t, f.Number
			c.att.add(f.Number, t)
		}
		e.addStall(stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
			StartFrame: c.synFrame, EndFrame: f.Number, Start: c.synTS, End: t, WaitingOn: WaitServer,
			What: "connection attempt refused (RST)"},
			cat: CatRefused, culprit: c.srv, cproto: "tcp", victim: c.cli.Addr, count: c.synN})
		return
	}
	e.sum.TCPReset++
	if dir != 1 || !c.est || (!c.anyCliData && !c.anySrvData) || c.finSeen[0] || c.finSeen[1] {
		return // client aborts, resets after close and resets of idle handshakes are ordinary
	}
	// A reset from the server side of an established connection that carried data.
	srv := &c.d[1]
	clues := ""
	if srv.ttlSet && srv.ttl != ttl {
		clues += "its IP TTL is " + itoa(int(ttl)) + " while the server's own packets in this connection carry TTL " + itoa(int(srv.ttl)) + "; "
	}
	if c.rtt >= int64(5*time.Millisecond) && c.phase == phReq && t-c.reqLastTS < c.rtt/3 {
		clues += "it arrived " + fmtMs(t-c.reqLastTS) + " after the client's data, faster than the " + fmtMs(c.rtt) + " round trip to the real server allows; "
	}
	what := "reset by the server side"
	if c.phase == phReq {
		what += " while the client waited for an answer to " + c.whatString("its request")
	}
	rec := stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
		StartFrame: c.reqLastFrm, EndFrame: f.Number, Start: c.reqLastTS, End: t, WaitingOn: WaitNetwork, What: what},
		cat: CatPeerReset, culprit: c.srv, cproto: "tcp", victim: c.cli.Addr, rtt: c.rtt, detail: clues,
		frames: []uint64{c.synFrame, c.synackFrame, f.Number}, rstTTL: ttl}
	if f.Has(decode.ProtoEth) {
		rec.rstMAC, rec.hasMAC = f.Eth.Src, true
	}
	if c.reqLastFrm == 0 {
		rec.StartFrame, rec.Start = c.lastFrame, c.lastTS
	}
	if clues != "" {
		rec.cat = CatMiddleboxReset
	} else {
		rec.WaitingOn = WaitServer
	}
	e.addStall(rec)
	c.stalled = true
}

// dropConn forgets c (after finishConn).
func (e *Engine) dropConn(c *conn) {
	if e.conns[c.key] == c {
		delete(e.conns, c.key)
	}
	if c.stream >= 0 && e.byStream[c.stream] == c {
		delete(e.byStream, c.stream)
	}
	if len(e.freeConns) < 4096 {
		e.freeConns = append(e.freeConns, c)
	}
}

// finishConn closes the books on a connection: unanswered attempts, open
// requests, loss summary.
func (e *Engine) finishConn(c *conn, now int64, atEnd bool) {
	for _, r := range connEndRules {
		r.connEnd(e, c, now, atEnd)
	}
	if c.att != nil && c.att.answerTS == 0 && !c.att.refused {
		c.att.done = true
	}
	stillTrying := false
	if a := c.att; a != nil && a.n > 0 {
		// the stack would send its next SYN within about twice its last backoff
		next := int64(3 * time.Second)
		if a.n >= 2 {
			if d := 2 * (a.times[a.n-1] - a.times[a.n-2]); d > next {
				next = d
			}
		}
		// an attempt that explained a stall was abandoned when the stall ended
		stillTrying = now-a.last < next && a.used == 0
	}
	if atEnd && stillTrying && c.synSeen && !c.synackSeen && !c.refused {
		e.openAtEnd("tcp-connect", "tcp", c.cli, c.srv, "", c.synFrame, c.synTS, now)
	}
	if c.synSeen && !c.synackSeen && !c.refused {
		e.sum.TCPUnanswered++
		// still trying when the capture ended: unknown, not failed
		unknown := atEnd && stillTrying && c.att != nil && c.att.used == 0
		if !unknown {
			e.noteOutcome(c.srv, c.synTS, false)
		}
		if c.att != nil && !unknown {
			e.addStall(stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
				StartFrame: c.synFrame, EndFrame: c.att.frames[c.att.n-1], Start: c.synTS, End: c.att.last, WaitingOn: WaitNetwork,
				What: "connection attempt never answered", Open: atEnd && stillTrying,
				Attempt: c.att.public()},
				cat: CatConnTimeout, culprit: c.srv, cproto: "tcp", victim: c.cli.Addr, count: c.synN})
		}
	}
	if atEnd && !c.closed && c.est {
		e.sum.TCPOpenAtEnd++
	}
	// Data that never reached the capture point and was never repaired, while
	// small packets of the same sender did arrive: a path MTU black hole.
	pmtu := false
	for dir := 0; dir < 2 && !pmtu; dir++ {
		ds := &c.d[dir]
		var missing uint32
		var first hole
		for i := 0; i < ds.nholes; i++ {
			h := ds.holes[i]
			if h.end-h.seq >= 1000 {
				missing += h.end - h.seq
				if first.frame == 0 {
					first = h
				}
			}
		}
		rcvAck := &c.d[1-dir]
		if missing < 1000 || e.pmtuICMPSeen(c) || !rcvAck.ackInit || seqGT(rcvAck.lastAck, first.seq) {
			continue // the receiver acknowledged the data: only the capture missed it
		}
		start, sf := first.ts, first.frame
		if dir == 1 && c.reqLastTS != 0 && c.reqLastTS < first.ts {
			start, sf = c.reqLastTS, c.reqLastFrm
		}
		if c.lastTS-start < int64(time.Second) {
			continue
		}
		snd := c.srv
		if dir == 0 {
			snd = c.cli
		}
		pmtu = true
		e.addStall(stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
			StartFrame: sf, EndFrame: c.lastFrame, Start: start, End: c.lastTS, WaitingOn: WaitNetwork,
			What: itoa(int(missing)) + " bytes from " + snd.String() + " never arrived (its later sequence numbers reveal them)"},
			cat: CatPMTUBlackhole, culprit: snd, cproto: "tcp", victim: c.cli.Addr, count: int(missing), rtt: c.rtt,
			frames: []uint64{first.frame}})
	}
	if atEnd && c.phase == phReq && !c.closed {
		e.openAtEnd("request", "tcp", c.cli, c.srv, c.whatString(""), c.reqFrame, c.reqLastTS, now)
	}
	if atEnd && c.phase == phReq && !c.closed && !pmtu {
		g := now - c.reqLastTS
		if g >= e.thresh(c) && g >= int64(time.Second) {
			e.addStall(stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
				StartFrame: c.reqLastFrm, Start: c.reqLastTS, End: now, WaitingOn: WaitServer,
				What: c.whatString("request") + " (still unanswered when the capture ended)", Open: true},
				cat: CatServerThink, culprit: c.srv, cproto: "tcp", victim: c.cli.Addr, rtt: c.rtt})
		}
		if c.whatLen > 0 && c.tlsHello {
			e.sum.TLSOpenAtEnd++
		} else if c.whatLen > 0 {
			e.sum.HTTPOpenAtEnd++
		}
	}
	// A receive window that closed and never reopened.
	for dir := 0; dir < 2; dir++ {
		ds := &c.d[dir]
		if !ds.zeroWin || c.lastTS <= ds.zeroWinTS {
			continue
		}
		recv := c.cli
		if dir == 1 {
			recv = c.srv
		}
		e.addStall(stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
			StartFrame: ds.zeroWinFrame, EndFrame: c.lastFrame, Start: ds.zeroWinTS, End: c.lastTS, WaitingOn: WaitReceiver,
			What: "receive window closed by " + recv.String() + " and never reopened", Open: atEnd && !c.closed},
			cat: CatZeroWindow, culprit: recv, cproto: "tcp", victim: c.cli.Addr, rtt: c.rtt})
	}
	// Packet loss, summarised per connection.
	if c.lossEvents > 0 && c.lossTime > 0 {
		total := c.lossEvents
		pk := c.d[0].dataPkts + c.d[1].dataPkts
		e.addStall(stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
			StartFrame: c.lossFirst, EndFrame: c.lossLast, Start: c.lossFirstT, End: c.lossLastT, WaitingOn: WaitNetwork,
			What: "lost segments recovered by retransmission"},
			cat: CatPacketLoss, culprit: c.srv, cproto: "tcp", victim: c.cli.Addr, lost: c.lossTime, count: total, pkts: pk, rtt: c.rtt,
			detail: lossDetail(c)})
	}
	// PMTU black hole: a large segment sent again and again, never acknowledged.
	for dir := 0; dir < 2; dir++ {
		ds := &c.d[dir]
		if ds.bigN >= 3 && seqLT(c.d[1-dir].lastAck, ds.bigSeq+1) && !e.pmtuICMPSeen(c) {
			snd, rcv := c.cli, c.srv
			if dir == 1 {
				snd, rcv = c.srv, c.cli
			}
			e.addStall(stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
				StartFrame: ds.bigFrame, EndFrame: c.lastFrame, Start: ds.bigTS, End: c.lastTS, WaitingOn: WaitNetwork,
				What: itoa(ds.bigLen) + "-byte segments from " + snd.String() + " never reach " + rcv.String()},
				cat: CatPMTUBlackhole, culprit: snd, cproto: "tcp", victim: c.cli.Addr, count: ds.bigN, rtt: c.rtt})
		}
	}
}

func lossDetail(c *conn) string {
	dir := "server→client"
	if c.d[0].retrans > c.d[1].retrans {
		dir = "client→server"
	}
	return dir
}

func (e *Engine) pmtuICMPSeen(c *conn) bool {
	h := c.cliH
	if h == nil {
		return false
	}
	for _, a := range h.attempts {
		if a.kind == "icmp-too-big" {
			return true
		}
	}
	if h = c.srvH; h != nil {
		for _, a := range h.attempts {
			if a.kind == "icmp-too-big" {
				return true
			}
		}
	}
	return false
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

func fmtMs(ns int64) string {
	ms := float64(ns) / 1e6
	switch {
	case ms < 1:
		return trimF(ms, 2) + " ms"
	case ms < 100:
		return trimF(ms, 1) + " ms"
	case ms < 10000:
		return trimF(ms, 0) + " ms"
	}
	return trimF(ms/1000, 1) + " s"
}

// appEvents counts HTTP and TLS transactions and records their errors.
func (e *Engine) appEvents(f *decode.Frame, c *conn, dir int) {
	if f.Has(decode.ProtoHTTP) || f.Has(decode.ProtoHTTP2) {
		if _, _, _, ok := f.HTTPRequest(); ok {
			e.sum.HTTPRequests++
		}
		var buf [8]int
		for _, code := range f.AppendHTTPStatuses(buf[:0]) {
			if code < 100 {
				continue
			}
			e.sum.HTTPResponses++
			if n, ok := e.httpResp[c.srv]; ok || len(e.httpResp) < 1<<16 {
				e.httpResp[c.srv] = n + 1
			}
			if code >= 400 {
				e.sum.HTTPErrors++
				if code >= 500 || code == 403 || code == 407 {
					e.addEvent(event{cat: CatHTTPError, key: c.srv, proto: "tcp", victim: c.cli.Addr, frame: f.Number, ts: f.TS,
						code: code, detail: c.whatString("")})
				}
			}
		}
	}
	if f.Has(decode.ProtoTLS) {
		t := &f.TLS
		for _, m := range t.Msgs {
			if m.Content == decode.TLSHandshake && !m.Encrypted {
				switch m.Handshake {
				case 1:
					e.sum.TLSHandshakes++
				case 2:
					e.sum.TLSServerHellos++
				}
			}
		}
		if len(t.Msgs) == 0 {
			switch t.HandshakeType {
			case 1:
				e.sum.TLSHandshakes++
			case 2:
				e.sum.TLSServerHellos++
			}
		}
		if t.HasAlert && t.AlertLevel == 2 {
			e.sum.TLSAlerts++
			key := c.srv
			if dir == 0 {
				key = c.cli
			}
			e.addEvent(event{cat: CatTLSAlert, key: key, proto: "tcp", victim: c.cli.Addr, frame: f.Number, ts: f.TS, code: int(t.AlertDesc)})
		}
	}
}

// synRetryDelay is the time from the first SYN to its first retransmission:
// the stack's initial retransmission timeout.
func synRetryDelay(a *attempt) int64 {
	if a == nil || a.n < 2 {
		return 0
	}
	return a.times[1] - a.times[0]
}

// reqRespPort reports whether port is a well-known request/response service,
// where a late answer is the server's doing (unlike push protocols such as
// X11, chat or long polling).
func reqRespPort(p uint16) bool {
	switch p {
	case 21, 25, 53, 80, 110, 143, 389, 443, 445, 465, 587, 636, 993, 995, 1433, 1521, 3128, 3306, 5432, 6379, 8000, 8008, 8080, 8443, 8888, 9200:
		return true
	}
	return false
}

// hostOnly strips the port from an HTTP Host header value; an address
// literal is no name.
func hostOnly(h []byte) []byte {
	if len(h) > 0 && h[0] == '[' {
		return nil
	}
	for i, c := range h {
		if c == ':' {
			h = h[:i]
			break
		}
	}
	if len(h) > 0 && h[len(h)-1] >= '0' && h[len(h)-1] <= '9' {
		if _, err := netip.ParseAddr(string(h)); err == nil {
			return nil
		}
	}
	return h
}
