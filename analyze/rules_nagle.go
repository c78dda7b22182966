package analyze

import (
	"fmt"
	"sort"
	"time"
)

// CatNagle: a client writes each request in two small sends with Nagle's
// algorithm on; the second waits until the server acknowledges the first,
// and the server delays that ACK (delayed ACK: 40 ms on Linux, up to 200 ms
// on Windows), so every request waits the delayed-ACK timer.
const CatNagle Category = "nagle-delayed-ack"

func init() {
	register(&rule{cat: CatNagle, tcpPacket: naglePacket, explain: ruleNagle, confidence: confNagle})
}

// nagleConn follows one connection's client data for the write-write-read
// pattern: a small segment sent with nothing else in flight (the head), a
// pure ACK of exactly it from the server after a delay (the delayed ACK),
// and the client's next small segment right after that ACK (what Nagle held).
type nagleConn struct {
	state     uint8 // 0 idle, 1 head in flight alone, 2 head ACKed by a pure ACK
	unaSet    bool
	una       uint32 // the server's latest cumulative ACK
	headSeq   uint32
	headEnd   uint32
	headTS    int64
	headFrame uint64
	ackTS     int64
	ackFrame  uint64
}

// Thresholds: a segment Nagle would hold is smaller than any MSS in use; a
// delayed ACK is at least 20 ms late and clearly later than the path's round
// trip; the held segment leaves as soon as the ACK is in (at the client) or
// a round trip after it (at the server).
const (
	nagleSmall    = 1200
	nagleMinDelay = int64(20 * time.Millisecond)
	nagleOverRTT  = int64(10 * time.Millisecond)
	nagleRelease  = int64(3 * time.Millisecond)
)

func naglePacket(e *Engine, c *conn, p *tcpPkt) {
	ng := &c.ng
	if p.flags&(0x01|0x02|0x04) != 0 { // FIN, SYN, RST end the pattern
		ng.state = 0
		if p.dir == 1 && p.flags&0x12 == 0x12 {
			ng.unaSet, ng.una = true, p.ack
		}
		return
	}
	if p.dir == 1 {
		if p.flags&0x10 != 0 && (!ng.unaSet || int32(p.ack-ng.una) > 0) {
			ng.unaSet, ng.una = true, p.ack
		}
		switch {
		case p.payload > 0:
			ng.state = 0 // the server answered before the rest of the request: not waiting for it
		case ng.state == 1 && p.ack == ng.headEnd:
			ng.state, ng.ackTS, ng.ackFrame = 2, p.ts, p.frame
		}
		return
	}
	if p.payload == 0 {
		return
	}
	if ng.state == 2 && p.seq == ng.headEnd && p.payload < nagleSmall {
		delay := ng.ackTS - ng.headTS
		if delay >= nagleMinDelay && delay-c.rtt >= nagleOverRTT && p.ts-ng.ackTS <= c.rtt+nagleRelease {
			e.addStall(stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
				StartFrame: ng.headFrame, EndFrame: p.frame, Start: ng.headTS, End: p.ts, WaitingOn: WaitClient,
				What: "second small send held by Nagle until the server's delayed ACK"},
				cat: CatNagle, culprit: Endpoint{Addr: c.cli.Addr, Port: c.srv.Port}, cproto: "tcp", victim: c.cli.Addr,
				timeout: delay, ack: delay, rtt: c.rtt, frames: []uint64{ng.ackFrame}})
		}
	}
	ng.state = 0
	if p.payload < nagleSmall && ng.unaSet && p.seq == ng.una {
		ng.state, ng.headSeq, ng.headEnd, ng.headTS, ng.headFrame = 1, p.seq, p.seq+uint32(p.payload), p.ts, p.frame
	}
}

// confNagle: the pattern repeated, with the server's ACK delay the same each
// time (a timer, not a slow path), is what makes it Nagle.
func confNagle(x *explainCtx) (float64, string) {
	n := x.st.n
	ds := make([]float64, 0, n)
	for _, s := range x.g.stalls {
		ds = append(ds, float64(s.ack))
	}
	sort.Float64s(ds)
	m := median(ds)
	same := 0
	for _, d := range ds {
		if abs(d-m) <= 0.25*m {
			same++
		}
	}
	frac := float64(same) / float64(max(n, 1))
	c := (1 - 0.5/float64(n+1)) * (0.5 + 0.5*frac)
	return c, fmt.Sprintf("%s: a small segment, a pure ACK of exactly it %s later (%d%% of them within 25%% of that), then at once the "+
		"next small segment.", plural(n, "request", "requests"), fmtMs(int64(m)), int(100*frac+0.5))
}

func ruleNagle(x *explainCtx) bool {
	e, g, st, k, f, culprit, victimsS, unS := x.e, x.g, x.st, x.k, x.f, x.c, x.victimsS, x.unS
	culprit.Role = "client whose second small send waits for the server's delayed ACK (Nagle)"
	if st.n < 3 {
		return false // once or twice is chance (a handshake, a keep-alive), not the pattern of an application
	}
	ds := make([]float64, 0, len(g.stalls))
	var rtt int64
	servers := map[Endpoint]bool{}
	var sv []string
	for _, s := range g.stalls {
		ds = append(ds, float64(s.End-s.Start))
		rtt = max(rtt, s.rtt)
		if !servers[s.Server] && len(sv) < 4 {
			servers[s.Server] = true
			sv = append(sv, e.namedEP(s.Server))
		}
	}
	wait := int64(median(ds))
	f.Severity = Info
	if st.n >= 10 && st.lost >= int64(time.Second) {
		f.Severity = Warning
	}
	f.Title = fmt.Sprintf("%s: each request to port %d waits for the server's delayed ACK (Nagle): %s, %s each, %s lost",
		victimsS, k.port, plural(st.n, "request", "requests"), fmtMs(wait), secs(st.lost))
	f.Explanation = fmt.Sprintf("%s sends each request to %s in two small pieces (typically the header block, then the body). "+
		"With Nagle's algorithm on, the second piece may not leave while the first is unacknowledged, and the server's TCP delays its "+
		"ACK of the first (delayed ACK, waiting for data to send with it, which cannot come before the rest of the request). So %s "+
		"waited about %s (the server's ACK came %s after the first piece on a path with a %s round trip) before the rest left. "+
		"The network and the server are not slow. Fix the client: write each request in one send, or set TCP_NODELAY on its socket.%s",
		victimsS, joinMax(sv, 4), plural(st.n, "request", "requests"), fmtMs(wait), fmtMs(int64(median(ackDelays(g)))), fmtMs(rtt), unS)
	f.DisplayFilter = fmt.Sprintf("%s.src == %s && tcp.dstport == %d && tcp.len > 0 && tcp.len < %d", x.ipf, k.host, k.port, nagleSmall)
	x.c = culprit
	return true
}

func ackDelays(g *group) []float64 {
	out := make([]float64, 0, len(g.stalls))
	for _, s := range g.stalls {
		out = append(out, float64(s.ack))
	}
	return out
}

func joinMax(v []string, n int) string {
	if len(v) <= n {
		return joinAnd(v)
	}
	return joinAnd(append(v[:n:n], "others"))
}

func joinAnd(v []string) string {
	switch len(v) {
	case 0:
		return ""
	case 1:
		return v[0]
	}
	s := ""
	for i, x := range v {
		switch {
		case i == 0:
		case i == len(v)-1:
			s += " and "
		default:
			s += ", "
		}
		s += x
	}
	return s
}
