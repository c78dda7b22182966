package analyze

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"
)

// CatIPv6Broken: a dual-stack machine's IPv6 path to a server silently drops
// its connection attempts; its applications wait, give up and connect over
// IPv4, so every connection starts late by the fallback delay.
const CatIPv6Broken Category = "ipv6-broken"

func init() {
	register(&rule{cat: CatIPv6Broken, tcpPacket: v6NoteSYN, detect: detectIPv6Fallback, explain: ruleIPv6Broken,
		confidence: confIPv6Broken})
}

// v4SYN is the first SYN of an IPv4 connection from a machine with an
// unanswered IPv6 attempt to the same port in flight: a possible fallback.
type v4SYN struct {
	cli, srv Endpoint
	ts       int64
	frame    uint64
	stream   int64
	used     bool
}

// maxV4SYNs bounds the SYNs kept for the fallback search (a few MB).
const maxV4SYNs = 200000

// v6Key is a machine and a server port, for pending IPv6 attempts.
type v6Key struct {
	m    machineKey
	port uint16
}

// v6NoteSYN records the first SYN of IPv6 connections (pending, by machine
// and port) and of IPv4 connections whose client machine also sends from an
// IPv6 address (known from its MAC). An IPv4 SYN to the port of an IPv6
// attempt of the same machine that is still unanswered marks that attempt
// abandoned, so that it is a failure even when the capture ends before the
// stack's next retransmission would have been due. Machines with IPv4 only,
// the common case on a busy segment, cost one map lookup per SYN.
func v6NoteSYN(e *Engine, c *conn, p *tcpPkt) {
	if p.dir != 0 || p.flags&0x12 != 0x02 || c.synN != 1 || c.synFrame != p.frame || c.att == nil {
		return
	}
	a := c.cli.Addr
	if a.Is6() && !a.Is4In6() {
		if a.IsLinkLocalUnicast() || e.machineOf[a] == nil {
			return
		}
		if e.v6Pending == nil {
			e.v6Pending = map[v6Key][]*attempt{}
		}
		k := v6Key{e.machineKeyOf(a), c.srv.Port}
		l := e.v6Pending[k]
		// forget the answered and the old
		j := 0
		for _, x := range l {
			if x.answerTS == 0 && !x.refused && p.ts-x.start <= v6FallbackMax {
				l[j] = x
				j++
			}
		}
		l = l[:j]
		if len(l) < 64 && len(e.v6Pending) < 1<<16 {
			l = append(l, c.att)
		}
		e.v6Pending[k] = l
		return
	}
	if len(e.v4SYNs) >= maxV4SYNs {
		return
	}
	m := e.machineOf[a]
	if m == nil {
		return
	}
	dual := false
	for _, x := range m.addrs {
		if x.Is6() && !x.Is4In6() && !x.IsLinkLocalUnicast() {
			dual = true
			break
		}
	}
	if !dual {
		return
	}
	// only a SYN that can be a fallback is kept: the machine has an IPv6
	// attempt to the same port in flight, unanswered (a dual-stack machine
	// on a busy segment opens thousands of IPv4 connections otherwise)
	var pending *attempt
	for _, x := range e.v6Pending[v6Key{machineKey{mac: m.mac}, c.srv.Port}] {
		if x.answerTS == 0 && !x.refused && p.ts-x.start >= v6FallbackMin && p.ts-x.start <= v6FallbackMax {
			pending = x
			if x.used == 0 {
				break
			}
		}
	}
	if pending == nil {
		return
	}
	e.v4SYNs = append(e.v4SYNs, v4SYN{cli: c.cli, srv: c.srv, ts: p.ts, frame: p.frame, stream: c.stream})
	if pending.used == 0 && p.ts >= pending.last {
		pending.used++ // abandoned: the machine went to IPv4
	}
}

// The IPv4 fallback must come while the IPv6 attempt is being abandoned: not
// before the first IPv6 SYN has had a fair chance (200 ms, Happy Eyeballs
// waits 250–300 ms) and not after what any application waits (75 s, the
// kernel's own connect timeout with three retries is ~ 63–127 s).
const (
	v6FallbackMin = int64(200 * time.Millisecond)
	v6FallbackMax = int64(75 * time.Second)
)

// detectIPv6Fallback turns unanswered IPv6 connection attempts that are
// followed, on the same machine and to the same port, by an IPv4 connection
// into ipv6-broken stalls of that IPv4 connection. The pairing needs more than
// timing: the two server addresses must share a name the capture tells (DNS
// answer, SNI, Host), or, without names, at least two attempts of the same
// machine must agree on the fallback delay (within 10%), which chance does
// not produce.
func detectIPv6Fallback(e *Engine) {
	if len(e.v4SYNs) == 0 {
		return
	}
	type pair struct {
		s     *stallRec
		syn   *v4SYN
		named bool
	}
	// IPv4 SYNs by machine and port, in time order
	type mp struct {
		m    machineKey
		port uint16
	}
	byMP := map[mp][]*v4SYN{}
	for i := range e.v4SYNs {
		r := &e.v4SYNs[i]
		r.used = false
		k := mp{e.machineKeyOf(r.cli.Addr), r.srv.Port}
		byMP[k] = append(byMP[k], r)
	}
	var cands []int
	for i := range e.stalls {
		s := &e.stalls[i]
		if s.cat == CatConnTimeout && s.Server.Addr.Is6() && !s.Server.Addr.Is4In6() && s.Attempt != nil {
			cands = append(cands, i)
		}
	}
	sort.Slice(cands, func(a, b int) bool { return e.stalls[cands[a]].Start < e.stalls[cands[b]].Start })
	// per culprit (IPv6 server address and port) and machine
	type ck struct {
		ep Endpoint
		m  machineKey
	}
	pairs := map[ck][]pair{}
	var order []ck
	for _, i := range cands {
		s := &e.stalls[i]
		mk := e.machineKeyOf(s.Client.Addr)
		if mk.addr.IsValid() {
			continue // no MAC, no machine: the IPv4 address cannot be tied to it
		}
		syns := byMP[mp{mk, s.Server.Port}]
		first := s.Attempt.Start
		// from the earliest moment an application falls back (a Happy Eyeballs
		// client goes to IPv4 while its stack still retries the IPv6 SYN)
		j := sort.Search(len(syns), func(j int) bool { return syns[j].ts >= first+v6FallbackMin })
		for ; j < len(syns); j++ {
			r := syns[j]
			d := r.ts - first
			if d > v6FallbackMax {
				break
			}
			if r.used || d < v6FallbackMin {
				continue
			}
			named := e.shareName(r.srv.Addr, s.Server.Addr)
			if !named && e.hasNames(r.srv.Addr) && e.hasNames(s.Server.Addr) {
				continue // both named, differently: another server
			}
			r.used = true
			k := ck{s.Server, mk}
			if _, ok := pairs[k]; !ok {
				order = append(order, k)
			}
			pairs[k] = append(pairs[k], pair{s: s, syn: r, named: named})
			break
		}
	}
	for _, k := range order {
		ps := pairs[k]
		ds := make([]float64, len(ps))
		named := 0
		for i, p := range ps {
			ds[i] = float64(p.syn.ts - p.s.Attempt.Start)
			if p.named {
				named++
			}
		}
		d := median(ds)
		agree := 0
		for _, x := range ds {
			if abs(x-d) <= 0.1*d {
				agree++
			}
		}
		if named == 0 && agree < 2 {
			continue
		}
		for i, p := range ps {
			if named == 0 && abs(ds[i]-d) > 0.1*d {
				continue
			}
			s, r := p.s, p.syn
			v6cli, v6srv := s.Client, s.Server
			s.cat = CatIPv6Broken
			s.culprit, s.cproto = v6srv, "tcp"
			s.Client, s.Server, s.Stream = r.cli, r.srv, r.stream
			s.victim = r.cli.Addr
			s.End, s.EndFrame = r.ts, r.frame
			s.Start, s.StartFrame = s.Attempt.Start, s.Attempt.Frames[0]
			s.timeout = r.ts - s.Attempt.Start
			s.lost = s.timeout
			s.Open = false
			s.WaitingOn = WaitNetwork
			s.What = fmt.Sprintf("IPv6 connect (port %d) abandoned after %s, then IPv4", v6cli.Port, fmtMs(s.timeout))
			s.frames = append(s.frames, r.frame)
		}
	}
	// what is left of an IPv6 culprit that explained fallbacks: the same
	// machine's attempts with no IPv4 connection after them (the application
	// gave up, or the capture ended) belong to the same finding
	blamed := map[ck]bool{}
	for i := range e.stalls {
		s := &e.stalls[i]
		if s.cat == CatIPv6Broken {
			blamed[ck{s.culprit, e.machineKeyOf(s.victim)}] = true
		}
	}
	for _, i := range cands {
		s := &e.stalls[i]
		if s.cat == CatConnTimeout && blamed[ck{s.Server, e.machineKeyOf(s.Client.Addr)}] {
			s.cat = CatIPv6Broken
			s.culprit, s.cproto = s.Server, "tcp"
			s.What = "IPv6 connection attempt never answered"
		}
	}
}

// hasNames reports whether the capture tells a name for a.
func (e *Engine) hasNames(a netip.Addr) bool { return len(e.namesOf(a)) > 0 }

// shareName reports whether a and b have a name in common.
func (e *Engine) shareName(a, b netip.Addr) bool {
	na, nb := e.namesOf(a), e.namesOf(b)
	for _, x := range na {
		for _, y := range nb {
			if strings.EqualFold(x, y) {
				return true
			}
		}
	}
	return false
}

func confIPv6Broken(x *explainCtx) (float64, string) {
	n, named := 0, 0
	for _, s := range x.g.stalls {
		if s.Attempt == nil || s.Client.Addr.Is6() {
			continue
		}
		n++
		if x.e.shareName(s.Server.Addr, s.culprit.Addr) {
			named++
		}
	}
	if n == 0 {
		return 0.3, "IPv6 attempts never answered, but no IPv4 connection followed them."
	}
	c := 1 - 0.5/float64(n+1)
	basis := fmt.Sprintf("%s over IPv4 began after %s to %s was abandoned, all after the same delay", plural(n, "connection", "connections"),
		plural(n, "an unanswered IPv6 attempt", "unanswered IPv6 attempts"), x.ep)
	if named > 0 {
		c = 1 - 0.25/float64(n+1)
		basis += fmt.Sprintf("; %d of them to an IPv4 address with the same name", named)
	}
	// a broken IPv6 path repeats on the machine it breaks: one fallback per
	// machine is what scattered SYN loss produces by chance
	per := map[machineKey]int{}
	most := 0
	for _, s := range x.g.stalls {
		if s.Attempt == nil || s.Client.Addr.Is6() {
			continue
		}
		k := x.e.machineKeyOf(s.Client.Addr)
		per[k]++
		most = max(most, per[k])
	}
	if most < 2 {
		c *= 0.35
		basis += "; but no machine fell back more than once, which scattered SYN loss also produces"
	}
	return c, basis + "."
}

func ruleIPv6Broken(x *explainCtx) bool {
	e, g, st, k, ep, f, culprit, victimsS, unS := x.e, x.g, x.st, x.k, x.ep, x.f, x.c, x.victimsS, x.unS
	culprit.Role = "IPv6 address that never answers the affected machine (it falls back to IPv4)"
	fallbacks := 0
	var v4 []string
	seen := map[netip.Addr]bool{}
	for _, s := range g.stalls {
		if s.Client.Addr.Is6() {
			continue
		}
		fallbacks++
		if !seen[s.Server.Addr] {
			seen[s.Server.Addr] = true
			v4 = append(v4, e.named(s.Server.Addr))
		}
	}
	if fallbacks == 0 {
		return false
	}
	f.Severity = Warning
	if fallbacks >= 2 || st.lost >= int64(5*time.Second) {
		f.Severity = Critical
	}
	to := trimF(culprit.TimeoutS, 1) + " s"
	f.Title = fmt.Sprintf("%s waits %s for IPv6 %s, then falls back to IPv4 (%s, %s lost)", victimsS, to, e.namedEP(ep),
		plural(fallbacks, "connection", "connections"), secs(st.lost))
	others := ""
	if h := e.healthOf(ep); h.answered > 0 {
		others = fmt.Sprintf(" %s itself is up: it accepted %d of %d connection attempts in the capture, so the fault is on the path "+
			"from the affected machine (a firewall or router IPv6 rule, a broken tunnel or prefix, neighbour discovery), not the server.",
			ep.Addr, h.answered, h.total())
	}
	f.Explanation = fmt.Sprintf("%s is dual-stack. Its applications try the server's IPv6 address %s first (as getaddrinfo orders them), "+
		"but the SYNs get no answer at all (no SYN/ACK, no reset, no ICMPv6 error). After %s each application gives up and connects "+
		"to the IPv4 address %s, which answers at once: %s late by the fallback delay.%s Fix IPv6 on that path, or until then "+
		"stop announcing or using IPv6 there (remove the AAAA record or the machine's IPv6 default route); Happy Eyeballs clients "+
		"(RFC 8305) would hide most of this delay.%s",
		victimsS, ep, to, strings.Join(v4, ", "), fallbackWords(fallbacks), others, unS)
	f.DisplayFilter = fmt.Sprintf("(ipv6.dst == %s && tcp.dstport == %d && tcp.flags.syn == 1) || %s", k.host, k.port,
		frameSet(stallEnds(g), 300))
	x.c = culprit
	return true
}

func fallbackWords(n int) string {
	if n == 1 {
		return "the connection started"
	}
	return "each of the " + itoa(n) + " connections started"
}
