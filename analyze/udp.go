package analyze

import (
	"net/netip"
	"time"

	"github.com/wirewatch/wirewatch/decode"
)

type dnsKey struct {
	cli, srv Endpoint
	id       uint16
}

type dnsNameKey struct {
	cli   netip.Addr
	hash  uint64
	qtype uint16
}

type dnsQuery struct {
	cli, srv   Endpoint
	id         uint16
	qtype      uint16
	hash       uint64
	name       string
	ts         int64
	frame      uint64
	stream     int64
	resent     int
	answered   bool
	retriedAt  int64
	retryFrame uint64
	att        *attempt
}

var rcodeNames = [...]string{"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"}

func rcodeName(r int) string {
	if r >= 0 && r < len(rcodeNames) {
		return rcodeNames[r]
	}
	return "RCODE" + itoa(r)
}

// dnsHeader is the little of a DNS message the engine needs.
type dnsHeader struct {
	id       uint16
	response bool
	rcode    uint8
	qtype    uint16
	hash     uint64
	name     []byte // the question name, in the engine's scratch buffer
}

// parseDNS reads the header and first question from a DNS message (no
// allocation; the name is written into scratch).
func parseDNS(b []byte, scratch []byte) (h dnsHeader, ok bool) {
	if len(b) < 12 {
		return h, false
	}
	h.id = uint16(b[0])<<8 | uint16(b[1])
	h.response = b[2]&0x80 != 0
	h.rcode = b[3] & 0x0f
	qd := uint16(b[4])<<8 | uint16(b[5])
	h.hash = 14695981039346656037
	if qd == 0 {
		return h, true
	}
	i := 12
	n := 0
	for {
		if i >= len(b) {
			return h, false
		}
		l := int(b[i])
		if l == 0 {
			i++
			break
		}
		if l&0xc0 != 0 || i+1+l > len(b) {
			return h, false // compression in a question is unusual; stop
		}
		if n > 0 && n < len(scratch) {
			scratch[n] = '.'
			n++
		}
		for _, c := range b[i+1 : i+1+l] {
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			h.hash ^= uint64(c)
			h.hash *= 1099511628211
			if n < len(scratch) {
				scratch[n] = c
				n++
			}
		}
		h.hash ^= '.'
		h.hash *= 1099511628211
		i += 1 + l
	}
	if i+2 <= len(b) {
		h.qtype = uint16(b[i])<<8 | uint16(b[i+1])
	}
	h.name = scratch[:n]
	return h, true
}

func (e *Engine) addUDP(f *decode.Frame, src, dst netip.Addr) {
	s := Endpoint{src, f.UDP.SrcPort}
	d := Endpoint{dst, f.UDP.DstPort}
	if s.Port != 53 && d.Port != 53 {
		e.udpFlow(f, s, d)
		return
	}
	var h dnsHeader
	var ok bool
	if f.Has(decode.ProtoDNS) {
		dn := &f.DNS
		h = dnsHeader{id: dn.ID, response: dn.Response, rcode: dn.Rcode, hash: 14695981039346656037}
		if len(dn.Questions) > 0 {
			q := &dn.Questions[0]
			h.qtype = q.Type
			n := copy(e.udpScratch[:], q.Name)
			h.name = e.udpScratch[:n]
			for _, c := range h.name {
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				if c == '.' {
					continue
				}
				h.hash ^= uint64(c)
				h.hash *= 1099511628211
			}
		}
		ok = true
	} else {
		h, ok = parseDNS(f.Payload, e.udpScratch[:])
		if ok {
			// re-hash in the same way as the decoded path (labels without dots)
			h.hash = 14695981039346656037
			for _, c := range h.name {
				if c == '.' {
					continue
				}
				h.hash ^= uint64(c)
				h.hash *= 1099511628211
			}
		}
	}
	if !ok {
		return
	}
	t := f.TS
	if !h.response {
		if d.Port != 53 {
			return
		}
		e.dnsQuery(f, s, d, &h, t)
		return
	}
	if s.Port != 53 {
		return
	}
	q := e.dnsPending[dnsKey{d, s, h.id}]
	if q == nil {
		return
	}
	delete(e.dnsPending, dnsKey{d, s, h.id})
	e.dropByName(q)
	if f.Has(decode.ProtoDNS) && len(f.DNS.Questions) > 0 {
		for i := range f.DNS.Answers {
			if rr := &f.DNS.Answers[i]; rr.Section == 1 && (rr.Type == 1 || rr.Type == 28) && rr.Addr.IsValid() {
				e.noteName(rr.Addr, f.DNS.Questions[0].Name)
			}
		}
	}
	q.answered = true
	e.sum.DNSAnswered++
	e.noteOutcome(q.srv, q.ts, true)
	if _, ok := e.dnsAnswersBy[q.srv.Addr]; ok || len(e.dnsAnswersBy) < 1024 {
		e.dnsAnswersBy[q.srv.Addr]++
	}
	if q.att != nil {
		q.att.answerTS, q.att.done = t, true
	}
	dt := t - q.ts
	if h.rcode != 0 {
		e.sum.DNSErrors++
		e.addEvent(event{cat: CatDNSError, key: q.srv, proto: "udp", victim: q.cli.Addr, frame: f.Number, ts: t,
			detail: q.name, code: int(h.rcode)})
	}
	if q.retriedAt == 0 && dt >= dnsSlowMin {
		what := "DNS " + qtypeName(q.qtype) + " " + q.name
		if q.resent > 0 {
			what += " (answered only after " + plural(q.resent, "retransmission", "retransmissions") + ")"
		}
		e.addStall(stallRec{Stall: Stall{Proto: "udp", Client: q.cli, Server: q.srv, Stream: q.stream,
			StartFrame: q.frame, EndFrame: f.Number, Start: q.ts, End: t, WaitingOn: WaitServer,
			What: what},
			cat: CatDNSSlow, culprit: q.srv, cproto: "udp", victim: q.cli.Addr, count: q.resent})
	}
}

func qtypeName(t uint16) string {
	switch t {
	case 1:
		return "A"
	case 28:
		return "AAAA"
	case 5:
		return "CNAME"
	case 12:
		return "PTR"
	case 15:
		return "MX"
	case 16:
		return "TXT"
	case 33:
		return "SRV"
	case 2:
		return "NS"
	case 6:
		return "SOA"
	case 65:
		return "HTTPS"
	}
	return "type" + itoa(int(t))
}

func (e *Engine) dnsQuery(f *decode.Frame, cli, srv Endpoint, h *dnsHeader, t int64) {
	k := dnsKey{cli, srv, h.id}
	if q := e.dnsPending[k]; q != nil {
		// the same query again to the same server: a retransmission
		// the same query again to the same server: a retransmission; it counts
		// as a timeout only if no answer ever comes (finishDNS)
		q.resent++
		if q.att != nil {
			q.att.add(f.Number, t)
		}
		if q.resent == 1 {
			e.sum.DNSRetried++
		}
		return
	}
	e.sum.DNSQueries++
	hst := e.host(cli.Addr)
	hst.noteService(decode.IPProtoUDP, srv)
	nk := dnsNameKey{cli.Addr, h.hash, h.qtype}
	// The same name and type asked again: which earlier query timed out? A
	// query to another server is a failover; to the same server it counts
	// only at a round-number timeout (else it is an independent lookup).
	var best *dnsQuery
	bestScore := 2.0
	for _, p := range e.dnsByName[nk] {
		if p.answered || p.retriedAt != 0 || t-p.ts < int64(500*time.Millisecond) {
			continue
		}
		d := float64(t-p.ts) / 1e9
		score := 1.0
		if r := nearRound(d, false); r != 0 {
			score = abs(d-r) / r
		} else if p.srv == srv {
			continue
		}
		if score < bestScore {
			best, bestScore = p, score
		}
	}
	if best != nil {
		best.retriedAt, best.retryFrame = t, f.Number
		e.sum.DNSRetried++
		e.dnsTimedOut(best, f.Number, t)
		e.dropByName(best)
	}
	q := &dnsQuery{cli: cli, srv: srv, id: h.id, qtype: h.qtype, hash: h.hash, name: string(h.name), ts: t, frame: f.Number, stream: f.Analysis.Stream}
	a := &attempt{kind: "dns", proto: "udp", local: cli, peer: srv, name: q.name}
	a.add(f.Number, t)
	q.att = a
	e.addAttempt(hst, a)
	if len(e.dnsPending) < 1<<20 {
		e.dnsPending[k] = q
		l := e.dnsByName[nk]
		if len(l) >= 8 {
			l = append(l[:0], l[1:]...)
		}
		e.dnsByName[nk] = append(l, q)
	}
}

// dnsTimedOut records that q got no answer before the client asked again.
func (e *Engine) dnsTimedOut(q *dnsQuery, frame uint64, t int64) {
	if q.att != nil {
		q.att.done = true
	}
	e.noteOutcome(q.srv, q.ts, false)
	e.addStall(stallRec{Stall: Stall{Proto: "udp", Client: q.cli, Server: q.srv, Stream: q.stream,
		StartFrame: q.frame, EndFrame: frame, Start: q.ts, End: t, WaitingOn: WaitServer,
		What: "DNS " + qtypeName(q.qtype) + " " + q.name + " (no answer; asked again)"},
		cat: CatDNSTimeout, culprit: q.srv, cproto: "udp", victim: q.cli.Addr, timeout: t - q.ts})
}

func (e *Engine) finishDNS(q *dnsQuery, now int64, atEnd bool) {
	if q.answered || q.retriedAt != 0 {
		return
	}
	e.sum.DNSUnanswered++
	if q.att != nil {
		q.att.done = true
	}
	end := now
	open := atEnd
	var to int64
	if q.resent > 0 && q.att != nil && q.att.n > 1 {
		to = q.att.times[1] - q.att.times[0] // the resolver's retransmission timeout
	}
	if !atEnd {
		end = q.ts + int64(e.cfg.DNSGiveUp)
	} else {
		e.sum.DNSOpenAtEnd++
		e.openAtEnd("dns", "udp", q.cli, q.srv, qtypeName(q.qtype)+" "+q.name, q.frame, q.ts, now)
		// less than the resolver's timeout (its own retry delay, else the
		// shortest common one, 1 s) left before the end: the outcome is
		// unknown, not a failure
		wait := to
		if wait < int64(time.Second) {
			wait = int64(time.Second)
		}
		if q.resent == 0 && now-q.ts < wait {
			return
		}
	}
	e.noteOutcome(q.srv, q.ts, false)
	// the time the user lost: until the resolver's last try timed out when
	// it retransmitted, else a resolver's common timeout (5 s); not the
	// whole time the engine waited for a late answer
	lost := int64(5 * time.Second)
	if q.resent > 0 && q.att != nil && to > 0 {
		lost = q.att.last - q.ts + to
	}
	if lost > end-q.ts {
		lost = end - q.ts
	}
	e.addStall(stallRec{Stall: Stall{Proto: "udp", Client: q.cli, Server: q.srv, Stream: q.stream,
		StartFrame: q.frame, Start: q.ts, End: end, WaitingOn: WaitServer, Open: open,
		What: "DNS " + qtypeName(q.qtype) + " " + q.name + " (never answered)"},
		cat: CatDNSTimeout, culprit: q.srv, cproto: "udp", victim: q.cli.Addr, timeout: to, count: q.resent, lost: lost})
}

type arpKey struct{ from, target netip.Addr }

type arpReq struct {
	key    arpKey
	n      int
	first  int64
	last   int64
	frames [4]uint64
	att    *attempt
}

func (e *Engine) addARP(f *decode.Frame) {
	a := &f.ARP
	if !a.SenderIP.IsValid() || !a.TargetIP.IsValid() {
		return
	}
	t := f.TS
	switch a.Opcode {
	case 1:
		if a.SenderIP == a.TargetIP || a.SenderIP.IsUnspecified() {
			return // gratuitous ARP or probe
		}
		k := arpKey{a.SenderIP, a.TargetIP}
		r := e.arpPending[k]
		if r != nil && (r.att.n >= 3 || t-r.att.last > int64(2*time.Second)) {
			// a new resolution: stacks give up after three requests
			r.att.done = true
			r.att = &attempt{kind: "arp", proto: "arp", local: Endpoint{Addr: a.SenderIP}, peer: Endpoint{Addr: a.TargetIP}}
			e.addAttempt(e.host(a.SenderIP), r.att)
		}
		if r == nil {
			if len(e.arpPending) > 1<<16 {
				return
			}
			r = &arpReq{key: k, first: t}
			r.att = &attempt{kind: "arp", proto: "arp", local: Endpoint{Addr: a.SenderIP}, peer: Endpoint{Addr: a.TargetIP}}
			e.addAttempt(e.host(a.SenderIP), r.att)
			e.arpPending[k] = r
		}
		if r.n < len(r.frames) {
			r.frames[r.n] = f.Number
		}
		r.n++
		r.last = t
		r.att.add(f.Number, t)
	case 2:
		k := arpKey{a.TargetIP, a.SenderIP}
		if r := e.arpPending[k]; r != nil {
			r.att.answerTS, r.att.done = t, true
			delete(e.arpPending, k)
		}
	}
}

func (e *Engine) finishARP(r *arpReq) {
	r.att.done = true
	if r.n < 3 || r.last-r.first < int64(time.Second) {
		return
	}
	n := r.n
	if n > len(r.frames) {
		n = len(r.frames)
	}
	for _, fr := range r.frames[:n] {
		e.addEvent(event{cat: CatARPUnanswered, key: Endpoint{Addr: r.key.target}, proto: "arp", victim: r.key.from,
			frame: fr, ts: r.last, code: r.n})
	}
}

func (e *Engine) addICMP(f *decode.Frame, src, dst netip.Addr) {
	var typ, code uint8
	var has bool
	var inProto decode.IPProto
	var inSrc, inDst netip.Addr
	var inSport, inDport uint16
	tooBig := false
	unreach, expired := false, false
	if f.Has(decode.ProtoICMP) {
		ic := &f.ICMP
		typ, code, has = ic.Type, ic.Code, ic.HasInner
		inProto, inSrc, inDst, inSport, inDport = ic.InnerProto, ic.InnerSrc, ic.InnerDst, ic.InnerSport, ic.InnerDport
		unreach, expired = typ == 3, typ == 11
		tooBig = typ == 3 && code == 4
	} else {
		ic := &f.ICMP6
		typ, code, has = ic.Type, ic.Code, ic.HasInner
		inProto, inSrc, inDst, inSport, inDport = ic.InnerProto, ic.InnerSrc, ic.InnerDst, ic.InnerSport, ic.InnerDport
		unreach, expired = typ == 1, typ == 3
		tooBig = typ == 2
	}
	if !has || !inSrc.IsValid() {
		return
	}
	if tooBig {
		a := &attempt{kind: "icmp-too-big", proto: "icmp", local: Endpoint{Addr: inSrc}, peer: Endpoint{Addr: inDst}, done: true}
		a.add(f.Number, f.TS)
		e.addAttempt(e.host(inSrc), a)
		return
	}
	if (unreach || expired) && inProto == 17 {
		// the datagram got its answer, an error: the attempt ended here
		// (traceroute probes end this way), it did not time out later
		k, _ := mkKey(Endpoint{inSrc, inSport}, Endpoint{inDst, inDport})
		if a := e.udp[k]; a != nil && a.answerTS == 0 && !a.icmp {
			a.icmp, a.failTS, a.failFrm, a.done = true, f.TS, f.Number, true
		}
	}
	if !unreach {
		return
	}
	proto := "udp"
	if inProto == decode.IPProtoTCP {
		proto = "tcp"
		k, _ := mkKey(Endpoint{inSrc, inSport}, Endpoint{inDst, inDport})
		if c := e.conns[k]; c != nil && c.att != nil && !c.synackSeen {
			c.att.icmp, c.att.failTS, c.att.failFrm, c.att.done = true, f.TS, f.Number, true
			c.att.add(f.Number, f.TS)
		}
	} else if inProto != decode.IPProtoUDP {
		proto = "ip"
	}
	e.addEvent(event{cat: CatICMPUnreachable, key: Endpoint{inDst, inDport}, proto: proto, victim: inSrc, frame: f.Number,
		ts: f.TS, code: int(code), detail: src.String()})
}

// dropByName forgets q in the by-name index.
func (e *Engine) dropByName(q *dnsQuery) {
	nk := dnsNameKey{q.cli.Addr, q.hash, q.qtype}
	l := e.dnsByName[nk]
	for i, p := range l {
		if p == q {
			l = append(l[:i], l[i+1:]...)
			break
		}
	}
	if len(l) == 0 {
		delete(e.dnsByName, nk)
	} else {
		e.dnsByName[nk] = l
	}
}

// udpFlow tracks unicast UDP exchanges other than DNS as attempts, so a stall
// can be blamed on datagrams its host sent that were never answered (an agent
// asking a cloud service over UDP, a RADIUS or Kerberos server, ...).
func (e *Engine) udpFlow(f *decode.Frame, s, d Endpoint) {
	if !d.Addr.IsGlobalUnicast() && !d.Addr.IsPrivate() || d.Addr.IsMulticast() || isBroadcast(d.Addr) || oneWayUDP(d.Port) || oneWayUDP(s.Port) {
		return
	}
	t := f.TS
	k, _ := mkKey(s, d)
	a := e.udp[k]
	if a != nil && s == a.peer {
		// a reply answers the attempt
		if a.answerTS == 0 {
			a.answerTS, a.done = t, true
		}
		return
	}
	if a == nil {
		if len(e.udp) >= 1<<16 {
			return
		}
		a = &attempt{kind: "udp", proto: "udp", local: s, peer: d}
		e.udp[k] = a
		if f.Has(decode.ProtoIP) {
			e.learnFrameMachine(f, s.Addr, d.Addr, f.IP.TTL)
		} else if f.Has(decode.ProtoIPv6) {
			e.learnFrameMachine(f, s.Addr, d.Addr, f.IPv6.HopLimit)
		}
		e.addAttempt(e.host(s.Addr), a)
	}
	if a.answerTS == 0 {
		a.add(f.Number, t)
	}
}

func isBroadcast(a netip.Addr) bool {
	if !a.Is4() {
		return false
	}
	b := a.As4()
	return b[3] == 255
}

// oneWayUDP lists ports whose traffic is not request/response (logs, traps,
// discovery, streaming), so silence there is no failed attempt.
func oneWayUDP(p uint16) bool {
	switch p {
	case 67, 68, 137, 138, 162, 514, 1900, 5353, 5355, 3702, 4789, 6343, 2055, 9995, 9996:
		return true
	}
	return false
}
