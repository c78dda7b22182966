package analyze

import (
	"fmt"
	"math"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/decode"
)

// Findings returns every finding so far, most important first. After Flush
// it covers the whole capture, including transactions open at the end.
func (e *Engine) Findings() []Finding {
	if e.cacheValidFrames == e.frames && e.cachedFindings != nil {
		return e.cachedFindings
	}
	fs := e.build()
	e.cachedFindings, e.cacheValidFrames = fs, e.frames
	return fs
}

// Ready returns the findings that became certain since the previous call:
// their latest evidence is at least Config.Settle older than now (packet
// time, ns), or they are critical and already seen three times (a pattern,
// not an accident), or Flush was called. A live capture calls it
// periodically to print findings as soon as they are certain; each finding
// (by Key) is returned once, as it stood then; Findings has the final state.
func (e *Engine) Ready(now int64) []Finding {
	var out []Finding
	for _, f := range e.Findings() {
		if e.reported[f.Key] {
			continue
		}
		certain := e.flushed || now-f.LastTS >= int64(e.cfg.Settle) || f.Severity == Critical && f.StallCount >= 3
		if !certain {
			continue
		}
		e.reported[f.Key] = true
		out = append(out, f)
	}
	return out
}

type groupKey struct {
	cat   Category
	host  netip.Addr
	port  uint16
	proto string
}

type group struct {
	key    groupKey
	stalls []*stallRec
	// others are further culprits merged into this group: DNS servers
	// that are down in the same outage
	others []Endpoint
}

func (e *Engine) groupKeyFor(s *stallRec) groupKey {
	k := groupKey{cat: s.cat, host: s.culprit.Addr, port: s.culprit.Port, proto: s.cproto}
	switch s.cat {
	case CatPacketLoss:
		k.host, k.port = netip.Addr{}, 0
	case CatClientDelay, CatZeroWindow, CatPMTUBlackhole:
		k.port = 0
	}
	return k
}

func (e *Engine) build() []Finding {
	e.ix = nil
	e.correlateConsistent()
	for _, r := range detectRules {
		r.detect(e)
	}
	for i := range e.stalls {
		s := &e.stalls[i]
		if s.cat == CatPeerReset {
			if clue := e.resetClue(s); clue != "" {
				s.cat = CatMiddleboxReset
				s.detail += clue
			}
		}
	}
	groups := map[groupKey]*group{}
	var order []groupKey
	// Port scans: one source trying many ports of one target.
	type pair struct{ a, b netip.Addr }
	scanPorts := map[pair]map[uint16]bool{}
	for i := range e.stalls {
		s := &e.stalls[i]
		if s.cat == CatRefused || s.cat == CatConnTimeout {
			p := pair{s.Client.Addr, s.Server.Addr}
			m := scanPorts[p]
			if m == nil {
				m = map[uint16]bool{}
				scanPorts[p] = m
			}
			if len(m) < 64 {
				m[s.Server.Port] = true
			}
		}
	}
	synServers := map[netip.Addr]map[Endpoint]bool{}
	for i := range e.stalls {
		s := &e.stalls[i]
		if s.cat == CatSYNRetrans {
			m := synServers[s.Client.Addr]
			if m == nil {
				m = map[Endpoint]bool{}
				synServers[s.Client.Addr] = m
			}
			m[s.Server] = true
		}
	}
	scans := map[pair]*group{}
	for i := range e.stalls {
		s := &e.stalls[i]
		if s.cat == catLatent {
			continue
		}
		if s.cat == CatRefused || s.cat == CatConnTimeout {
			p := pair{s.Client.Addr, s.Server.Addr}
			if len(scanPorts[p]) >= 10 {
				g := scans[p]
				if g == nil {
					g = &group{key: groupKey{cat: CatPortScan, host: p.a, proto: "tcp"}}
					scans[p] = g
				}
				g.stalls = append(g.stalls, s)
				continue
			}
		}
		k := e.groupKeyFor(s)
		if s.cat == CatSYNRetrans && len(synServers[s.Client.Addr]) >= 2 {
			k = groupKey{cat: CatSYNRetrans, host: s.Client.Addr, proto: "tcp"}
		}
		g := groups[k]
		if g == nil {
			g = &group{key: k}
			groups[k] = g
			order = append(order, k)
		}
		g.stalls = append(g.stalls, s)
	}
	// Culprits of correlated stalls absorb the standalone reports of their own failed attempts.
	for k := range groups {
		if k.cat == CatBlockedDependency {
			delete(groups, groupKey{cat: CatConnTimeout, host: k.host, port: k.port, proto: k.proto})
		}
	}
	e.mergeDNSOutage(groups, order)
	mergeDependency(groups, order)
	var out []Finding
	for _, k := range order {
		g := groups[k]
		if g == nil {
			continue
		}
		if f, ok := e.finding(g); ok {
			out = append(out, f)
		}
	}
	for p, g := range scans {
		out = append(out, e.scanFinding(p.a, p.b, g))
	}
	out = append(out, e.eventFindings()...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Severity != out[j].Severity {
			return out[i].Severity > out[j].Severity
		}
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		if out[i].TimeLost != out[j].TimeLost {
			return out[i].TimeLost > out[j].TimeLost
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// correlateConsistent finds, for each waiting host and target, the delay
// after which most of its stalls end once an unanswered attempt to that
// target began; when at least three stalls agree on it (within 3%), each of
// them is blamed on its attempt with that delay, even when the delay is not a
// round number or a coincidence paired a stall with another attempt online.
func (e *Engine) correlateConsistent() {
	type ck struct {
		host  netip.Addr
		peer  Endpoint
		proto string
	}
	groups := map[ck][]int{}
	for i := range e.stalls {
		s := &e.stalls[i]
		if (s.WaitingOn != WaitClient && s.WaitingOn != WaitServer) || len(s.cands) == 0 {
			continue
		}
		seen := map[ck]bool{}
		for _, a := range s.cands {
			k := ck{a.local.Addr, a.peer, a.proto}
			if a.kind == "tcp-connect" || a.kind == "udp" {
				k.peer.Port = a.peer.Port
			}
			if !seen[k] {
				seen[k] = true
				groups[k] = append(groups[k], i)
			}
		}
	}
	within := func(d, m float64) bool { return abs(d-m) <= 0.03*m }
	for k, idx := range groups {
		if len(idx) < 3 {
			continue
		}
		// the delay that explains the most stalls
		var bestD float64
		bestN := 0
		for _, i := range idx {
			for _, a := range e.stalls[i].cands {
				if a.peer.Addr != k.peer.Addr {
					continue
				}
				d := float64(e.stalls[i].End - a.start)
				n := 0
				for _, j := range idx {
					for _, b := range e.stalls[j].cands {
						if b.peer.Addr == k.peer.Addr && within(float64(e.stalls[j].End-b.start), d) {
							n++
							break
						}
					}
				}
				if n > bestN {
					bestN, bestD = n, d
				}
			}
		}
		if bestN < 3 {
			continue
		}
		// refine to the median of the agreeing delays
		var ds []float64
		for _, i := range idx {
			for _, a := range e.stalls[i].cands {
				if a.peer.Addr == k.peer.Addr && within(float64(e.stalls[i].End-a.start), bestD) {
					ds = append(ds, float64(e.stalls[i].End-a.start))
					break
				}
			}
		}
		D := median(ds)
		for _, i := range idx {
			s := &e.stalls[i]
			var pick *attempt
			for _, a := range s.cands {
				d := float64(s.End - a.start)
				if a.peer.Addr == k.peer.Addr && within(d, D) && (pick == nil || abs(d-D) < abs(float64(s.End-pick.start)-D)) {
					pick = a
				}
			}
			if pick == nil {
				continue
			}
			s.cat = catForAttempt(pick)
			s.culprit, s.cproto = pick.peer, pick.proto
			s.timeout = s.End - pick.start
			s.Attempt = pick.public()
			s.Start, s.StartFrame = s.from, s.fromFrame
			if s.WaitingOn == WaitClient && (s.idle || pick.start > s.from+int64(500*time.Millisecond)) {
				s.Start, s.StartFrame = pick.start, pick.frames[0]
			}
			s.lost = s.End - s.Start
		}
	}
}

// stats of a group of stalls.
type gstats struct {
	n           int
	lost        int64
	maxDur      int64
	victims     []netip.Addr
	timeouts    []float64
	evidence    []uint64
	last        int64
	services    map[svcKey]bool
	servers     map[Endpoint]bool
	serverAddrs map[netip.Addr]struct{}
	open        int
	maxRTT      int64
	wallLost    int64
	minDur      int64
	retrans     int
	pkts        int
	attemptsTo  map[Endpoint]int
}

func (e *Engine) stats(g *group) gstats {
	st := gstats{services: map[svcKey]bool{}, servers: map[Endpoint]bool{}, serverAddrs: map[netip.Addr]struct{}{}, attemptsTo: map[Endpoint]int{}, minDur: math.MaxInt64}
	seenV := map[netip.Addr]bool{}
	ev := map[uint64]bool{}
	addEv := func(n uint64) {
		if n != 0 && len(ev) < 2000 {
			ev[n] = true
		}
	}
	type iv struct{ a, b int64 }
	var ivs []iv
	for _, s := range g.stalls {
		st.n++
		st.lost += s.lost
		d := s.End - s.Start
		if d > st.maxDur {
			st.maxDur = d
		}
		if d < st.minDur {
			st.minDur = d
		}
		if !seenV[s.victim] {
			seenV[s.victim] = true
			st.victims = append(st.victims, s.victim)
		}
		if s.timeout > 0 {
			st.timeouts = append(st.timeouts, float64(s.timeout)/1e9)
		}
		addEv(s.StartFrame)
		addEv(s.EndFrame)
		for _, fr := range s.frames {
			addEv(fr)
		}
		if s.Attempt != nil {
			for _, fr := range s.Attempt.Frames {
				addEv(fr)
			}
			st.attemptsTo[s.Attempt.Server]++
		}
		if s.End > st.last {
			st.last = s.End
		}
		proto := decode.IPProtoTCP
		if s.Proto == decode.IPProtoUDP.String() {
			proto = decode.IPProtoUDP
		}
		st.services[svcKey{proto, s.Server.Port}] = true
		st.servers[s.Server] = true
		st.serverAddrs[s.Server.Addr] = struct{}{}
		if s.Open {
			st.open++
		}
		if s.rtt > st.maxRTT {
			st.maxRTT = s.rtt
		}
		st.retrans += s.count
		st.pkts += s.pkts
		ivs = append(ivs, iv{s.End - s.lost, s.End})
	}
	sort.Slice(ivs, func(i, j int) bool { return ivs[i].a < ivs[j].a })
	var cur iv
	for i, v := range ivs {
		if i == 0 || v.a > cur.b {
			st.wallLost += cur.b - cur.a
			cur = v
		} else if v.b > cur.b {
			cur.b = v.b
		}
	}
	st.wallLost += cur.b - cur.a
	for n := range ev {
		st.evidence = append(st.evidence, n)
	}
	sort.Slice(st.evidence, func(i, j int) bool { return st.evidence[i] < st.evidence[j] })
	sort.Slice(st.victims, func(i, j int) bool { return st.victims[i].Less(st.victims[j]) })
	return st
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	w := append([]float64(nil), v...)
	sort.Float64s(w)
	return w[len(w)/2]
}

// clientIndex maps servers and service ports to the hosts that used them as
// clients; built once per build for unaffected.
type clientIndex struct {
	byServer map[Endpoint][]netip.Addr
	byPort   map[svcKey][]netip.Addr
}

func (e *Engine) clientIndex() *clientIndex {
	ix := &clientIndex{byServer: map[Endpoint][]netip.Addr{}, byPort: map[svcKey][]netip.Addr{}}
	for a, h := range e.hosts {
		for _, s := range h.servers {
			ix.byServer[s] = append(ix.byServer[s], a)
		}
		for _, k := range h.ports {
			ix.byPort[k] = append(ix.byPort[k], a)
		}
	}
	for _, l := range ix.byServer {
		sort.Slice(l, func(i, j int) bool { return l[i].Less(l[j]) })
	}
	for _, l := range ix.byPort {
		sort.Slice(l, func(i, j int) bool { return l[i].Less(l[j]) })
	}
	return ix
}

// unaffected names hosts that did the same kind of traffic (same servers,
// else same service ports) and are not among the victims or the servers:
// the first 16 by address.
func (e *Engine) unaffected(st gstats, exclude ...netip.Addr) []netip.Addr {
	if e.ix == nil {
		e.ix = e.clientIndex()
	}
	skip := func(a netip.Addr) bool {
		for _, v := range st.victims {
			if v == a {
				return true
			}
		}
		for _, x := range exclude {
			if x == a {
				return true
			}
		}
		_, srv := st.serverAddrs[a]
		return srv
	}
	const max = 16
	// merge sorted lists, keeping the smallest max addresses
	collect := func(lists [][]netip.Addr) []netip.Addr {
		var out []netip.Addr
		for _, l := range lists {
			n := 0
			for _, a := range l {
				if n >= max {
					break // l is sorted: the rest cannot be among the smallest
				}
				if skip(a) {
					continue
				}
				n++
				i := sort.Search(len(out), func(i int) bool { return !out[i].Less(a) })
				if i < len(out) && out[i] == a {
					continue
				}
				if i >= max {
					continue
				}
				out = append(out, netip.Addr{})
				copy(out[i+1:], out[i:])
				out[i] = a
				if len(out) > max {
					out = out[:max]
				}
			}
		}
		return out
	}
	var ls [][]netip.Addr
	for s := range st.servers {
		ls = append(ls, e.ix.byServer[s])
	}
	out := collect(ls)
	if len(out) == 0 {
		ls = ls[:0]
		for k := range st.services {
			ls = append(ls, e.ix.byPort[k])
		}
		out = collect(ls)
	}
	return out
}

func addrList(v []netip.Addr, max int) string {
	var b strings.Builder
	for i, a := range v {
		if i == max {
			fmt.Fprintf(&b, " and %d more", len(v)-max)
			break
		}
		if i > 0 {
			if i == len(v)-1 {
				b.WriteString(" and ")
			} else {
				b.WriteString(", ")
			}
		}
		b.WriteString(a.String())
	}
	return b.String()
}

func ipField(a netip.Addr) string {
	if a.Is4() || a.Is4In6() {
		return "ip"
	}
	return "ipv6"
}

func frameSet(frames []uint64, max int) string {
	if len(frames) == 0 {
		return "frame.number == 0"
	}
	var b strings.Builder
	b.WriteString("frame.number in {")
	for i, n := range frames {
		if i == max {
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.FormatUint(n, 10))
	}
	b.WriteString("}")
	return b.String()
}

func secs(ns int64) string {
	s := float64(ns) / 1e9
	switch {
	case s >= 100:
		return trimF(s, 0) + " s"
	case s >= 10:
		return trimF(s, 1) + " s"
	case s >= 1:
		return trimF(s, 2) + " s"
	}
	return fmtMs(ns)
}

func trimF(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return itoa(n) + " " + many
}

func (e *Engine) finding(g *group) (Finding, bool) {
	st := e.stats(g)
	k := g.key
	ep := Endpoint{k.host, k.port}
	f := Finding{Category: k.cat, Affected: st.victims, StallCount: st.n, TimeLost: time.Duration(st.lost),
		Evidence: st.evidence, LastTS: st.last, Key: string(k.cat) + "|" + ep.String() + "|" + k.proto}
	f.Stalls = make([]Stall, 0, len(g.stalls))
	for _, s := range g.stalls {
		f.Stalls = append(f.Stalls, s.Stall)
	}
	if k.cat == CatPacketLoss {
		f.Key = string(k.cat)
	}
	ipf := ipField(k.host)
	culprit := &Culprit{Host: k.host, Port: k.port, Proto: k.proto}
	to := median(st.timeouts)
	if to > 0 {
		culprit.TimeoutS = math.Round(to*1000) / 1000
	}
	ms := e.machines(st.victims)
	f.Affected, f.AffectedMachines = machineAddrs(ms), ms
	um := e.unaffectedMachines(ms, e.unaffected(st, k.host))
	un := machineAddrs(um)
	victimsS := e.machineList(ms, 6)
	unS := ""
	if len(um) > 0 {
		unS = " " + e.machineList(um, 6) + " did the same kind of traffic without this problem."
	}
	x := &explainCtx{e: e, g: g, st: st, k: k, ep: ep, ipf: ipf, f: &f, c: culprit, victimsS: victimsS, unS: unS, un: un, machines: ms}
	conf := defaultConfidence
	if r := ruleFor(k.cat); r != nil && r.confidence != nil {
		conf = r.confidence
	}
	x.conf, x.basis = conf(x)
	if r := ruleFor(k.cat); r != nil && r.explain != nil {
		if !r.explain(x) {
			return f, false
		}
		culprit = x.c
	} else {
		f.Title = string(k.cat)
		f.DisplayFilter = frameSet(st.evidence, 300)
	}
	if st.open > 0 && k.cat != CatDNSTimeout {
		f.Explanation += fmt.Sprintf(" %s still open when the capture ended.", plural(st.open, "exchange was", "exchanges were"))
	}
	if st.wallLost < st.lost && st.n > 1 && k.cat != CatPacketLoss {
		f.Explanation += fmt.Sprintf(" In total %s of waiting (%s of wall-clock time, as some stalls overlapped).", secs(st.lost), secs(st.wallLost))
	}
	if culprit != nil {
		culprit.Names = e.Names(culprit.Host)
	}
	f.Names = e.findingNames(&f, culprit)
	f.Culprit = culprit
	f.Unaffected, f.UnaffectedMachines = un, um
	f.Confidence, f.Basis = math.Round(x.conf*100)/100, x.basis
	// a critical finding is one you would sign: it needs evidence that
	// chance does not explain
	if f.Severity == Critical && f.Confidence < 0.8 {
		f.Severity = Warning
	}
	if f.Severity == Warning && f.Confidence < 0.4 {
		f.Severity = Info
	}
	f.Score = score(&f, len(ms))
	return f, true
}

// commonPort is the culprit's port when every stall agrees on it (the
// receiver's port for zero windows), else 0.
func commonPort(g *group, receiver bool) uint16 {
	var p uint16
	for i, s := range g.stalls {
		q := s.culprit.Port
		if i > 0 && q != p {
			return 0
		}
		p = q
	}
	return p
}

// otherDNSAnswers counts DNS answers seen from servers other than srv.
func (e *Engine) otherDNSAnswers(srv netip.Addr) int {
	n := 0
	for a, c := range e.dnsAnswersBy {
		if a != srv {
			n += c
		}
	}
	return n
}

func secsOrUnknown(s float64) string {
	if s <= 0 {
		return "an unknown time"
	}
	return trimF(s, 3) + " s"
}

func stallEnds(g *group) []uint64 {
	seen := map[uint64]bool{}
	var out []uint64
	for _, s := range g.stalls {
		for _, n := range []uint64{s.StartFrame, s.EndFrame} {
			if n != 0 && !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func whatList(g *group, max int) string {
	seen := map[string]bool{}
	var out []string
	for _, s := range g.stalls {
		if s.What == "" || seen[s.What] {
			continue
		}
		seen[s.What] = true
		out = append(out, fmt.Sprintf("%q (%s)", s.What, secs(s.End-s.Start)))
		if len(out) == max {
			break
		}
	}
	return strings.Join(out, ", ")
}

func connFilter(g *group, max int) string {
	var parts []string
	seen := map[connKey]bool{}
	for _, s := range g.stalls {
		k, _ := mkKey(s.Client, s.Server)
		if seen[k] {
			continue
		}
		seen[k] = true
		if len(parts) == max {
			break
		}
		ipf := ipField(s.Client.Addr)
		parts = append(parts, fmt.Sprintf("(%s.addr == %s && %s.addr == %s && tcp.port == %d && tcp.port == %d)",
			ipf, s.Client.Addr, ipf, s.Server.Addr, s.Client.Port, s.Server.Port))
	}
	return strings.Join(parts, " || ")
}

// deviceFor names the router whose MAC carried a group's resets: the address
// on the victims' subnet that this MAC sends from, zero hops away.
func (e *Engine) deviceFor(g *group) netip.Addr {
	for _, s := range g.stalls {
		if !s.hasMAC {
			continue
		}
		m := e.macs[s.rstMAC]
		if m == nil {
			continue
		}
		var best netip.Addr
		for ip, h := range m.perIP {
			if h == 0 && ip != s.Client.Addr && sameSubnet(ip, s.Client.Addr) && (!best.IsValid() || ip.Less(best)) {
				best = ip
			}
		}
		for i := 0; i < m.nips; i++ {
			if ip := m.ips[i]; ip != s.Client.Addr && sameSubnet(ip, s.Client.Addr) && !best.IsValid() {
				best = ip
			}
		}
		if best.IsValid() {
			return best
		}
	}
	return netip.Addr{}
}

// sameSubnet guesses whether a and b share a LAN: the same /24 (IPv4) or /64 (IPv6).
func sameSubnet(a, b netip.Addr) bool {
	bits := 24
	if a.Is6() && !a.Is4In6() {
		bits = 64
	}
	if a.BitLen() != b.BitLen() {
		return false
	}
	pa, err1 := a.Prefix(bits)
	pb, err2 := b.Prefix(bits)
	return err1 == nil && err2 == nil && pa == pb
}

// resetClue explains why a reset cannot come from the real server, or "".
// A reset (and the "server" side) arriving through a router's MAC with an
// untouched TTL was generated by that router, not by a host behind it.
func (e *Engine) resetClue(s *stallRec) string {
	if !s.hasMAC || hops(s.rstTTL) != 0 || sameSubnet(s.Server.Addr, s.Client.Addr) {
		return ""
	}
	m := e.macs[s.rstMAC]
	if m == nil || !(m.many || m.nips >= 2) {
		return ""
	}
	n, minH := 0, 1000
	for ip, h := range m.perIP {
		if ip == s.Server.Addr || h == 0 {
			continue
		}
		n++
		minH = min(minH, h)
	}
	if n == 0 {
		return ""
	}
	out := fmt.Sprintf("it arrives through the router's MAC address with TTL %d, zero hops away, as if the router itself sent it, "+
		"although %s is not on the local network, while %s behind the same router %s at least %s away",
		s.rstTTL, s.Server.Addr, plural(n, "other address", "other addresses"), map[bool]string{true: "is", false: "are"}[n == 1], plural(minH, "hop", "hops"))
	if s.rtt > 0 && m.rttLo > 0 && s.rtt*5 < m.rttLo {
		out += fmt.Sprintf("; the handshake with %s took %s while real servers behind the router need %s",
			s.Server.Addr, fmtMs(s.rtt), rangeOf(fmtMs(m.rttLo), fmtMs(m.rttHi)))
	}
	return out
}

func (e *Engine) scanFinding(src, dst netip.Addr, g *group) Finding {
	st := e.stats(g)
	ports := map[uint16]bool{}
	for _, s := range g.stalls {
		ports[s.Server.Port] = true
	}
	ipf := ipField(src)
	f := Finding{Category: CatPortScan, Severity: Info, Affected: []netip.Addr{dst}, StallCount: st.n,
		Evidence: st.evidence, LastTS: st.last, Key: "port-scan|" + src.String() + "|" + dst.String(),
		Culprit: &Culprit{Host: src, Proto: "tcp", Role: "host probing many ports"}}
	if len(f.Evidence) > 200 {
		f.Evidence = f.Evidence[:200]
	}
	f.Title = fmt.Sprintf("%s probes %s on %s ports (port scan)", src, dst, itoa(len(ports)))
	f.Explanation = fmt.Sprintf("%s sent connection attempts to %s different ports of %s; most were refused or unanswered. That is a port scan "+
		"(a security scanner, a worm, or an inventory tool), not users' traffic: these failed connections are not a performance problem. "+
		"Make sure the scan is expected.", src, itoa(len(ports)), dst)
	f.DisplayFilter = fmt.Sprintf("%s.src == %s && %s.dst == %s && tcp.flags.syn == 1 && tcp.flags.ack == 0", ipf, src, ipf, dst)
	f.Confidence = 0.9
	f.Basis = fmt.Sprintf("%s connection attempts to %s ports of one host.", itoa(st.n), itoa(len(ports)))
	f.Score = score(&f, 1)
	return f
}

func (e *Engine) eventFindings() []Finding {
	groups := map[eventKey][]event{}
	var order []eventKey
	for _, ev := range e.events {
		k := eventKey{ev.cat, ev.key, ev.code, ev.proto}
		if ev.cat == CatICMPUnreachable || ev.cat == CatARPUnanswered {
			k.code = 0
		}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], ev)
	}
	var out []Finding
	for _, k := range order {
		evs := groups[k]
		vs := map[netip.Addr]bool{}
		var victims []netip.Addr
		var frames []uint64
		var last int64
		names := map[string]bool{}
		var nameList []string
		for _, ev := range evs {
			if !vs[ev.victim] {
				vs[ev.victim] = true
				victims = append(victims, ev.victim)
			}
			if len(frames) < 500 {
				frames = append(frames, ev.frame)
			}
			if ev.ts > last {
				last = ev.ts
			}
			if ev.detail != "" && !names[ev.detail] && len(nameList) < 5 {
				names[ev.detail] = true
				nameList = append(nameList, ev.detail)
			}
		}
		sort.Slice(victims, func(i, j int) bool { return victims[i].Less(victims[j]) })
		sort.Slice(frames, func(i, j int) bool { return frames[i] < frames[j] })
		ipf := ipField(k.key.Addr)
		f := Finding{Category: k.cat, Severity: Info, Affected: victims, Evidence: frames, LastTS: last, StallCount: 0,
			Key: string(k.cat) + "|" + k.key.String() + "|" + itoa(k.code)}
		ms := e.machines(victims)
		f.Affected, f.AffectedMachines = machineAddrs(ms), ms
		vS := e.machineList(ms, 6)
		if r := ruleFor(k.cat); r != nil && r.events != nil {
			r.events(&eventCtx{e: e, k: k, evs: evs, f: &f, vS: vS, names: nameList, frames: frames, ipf: ipf})
		}
		if f.Culprit != nil {
			f.Culprit.Names = e.Names(f.Culprit.Host)
		}
		f.Confidence = 0.9
		f.Basis = "Seen directly: " + plural(len(evs), "message", "messages") + " in the capture."
		f.Score = score(&f, len(ms))
		out = append(out, f)
	}
	return out
}

func tlsAlertName(d int) string {
	switch d {
	case 0:
		return "close_notify"
	case 10:
		return "unexpected_message"
	case 20:
		return "bad_record_mac"
	case 40:
		return "handshake_failure"
	case 42:
		return "bad_certificate"
	case 43:
		return "unsupported_certificate"
	case 44:
		return "certificate_revoked"
	case 45:
		return "certificate_expired"
	case 46:
		return "certificate_unknown"
	case 47:
		return "illegal_parameter"
	case 48:
		return "unknown_ca"
	case 49:
		return "access_denied"
	case 50:
		return "decode_error"
	case 51:
		return "decrypt_error"
	case 70:
		return "protocol_version"
	case 71:
		return "insufficient_security"
	case 80:
		return "internal_error"
	case 90:
		return "user_canceled"
	case 112:
		return "unrecognized_name"
	case 116:
		return "certificate_required"
	case 120:
		return "no_application_protocol"
	}
	return "alert " + itoa(d)
}

// rangeOf words a range of two formatted values: "879 ms" when they are
// equal, "1.2 s–3.4 s" otherwise.
func rangeOf(lo, hi string) string {
	if lo == hi {
		return lo
	}
	return lo + "–" + hi
}

// mergeDNSOutage makes one finding of the DNS servers that never answered
// anything in the capture: a client that fails over from one to the next
// (each with its own retry timing) suffers one outage, not one per server.
// The server with the most stalls becomes the culprit.
func (e *Engine) mergeDNSOutage(groups map[groupKey]*group, order []groupKey) {
	var dead []groupKey
	for _, k := range order {
		g := groups[k]
		if g == nil || k.cat != CatDNSTimeout {
			continue
		}
		if h := e.healthOf(Endpoint{k.host, k.port}); h.answered == 0 {
			dead = append(dead, k)
		}
	}
	if len(dead) < 2 {
		return
	}
	absorb(groups, dead)
}

// mergeDependency makes one finding of the waits blamed on one unreachable
// host, whatever port each attempt tried (an agent that tries its server on
// 443, then on 8443): the host with the port that held most waits is the
// culprit, the other ports are listed.
func mergeDependency(groups map[groupKey]*group, order []groupKey) {
	byHost := map[netip.Addr][]groupKey{}
	for _, k := range order {
		if g := groups[k]; g != nil && k.cat == CatBlockedDependency && k.proto != "arp" {
			byHost[k.host] = append(byHost[k.host], k)
		}
	}
	for _, ks := range byHost {
		if len(ks) < 2 {
			continue
		}
		absorb(groups, ks)
	}
}

// absorb makes one group of ks: the one that holds most stalls (the first
// of equals) takes the others' stalls, in time order, and lists their
// endpoints; the others are deleted.
func absorb(groups map[groupKey]*group, ks []groupKey) {
	main := ks[0]
	for _, k := range ks[1:] {
		if len(groups[k].stalls) > len(groups[main].stalls) {
			main = k
		}
	}
	gm := groups[main]
	for _, k := range ks {
		if k == main {
			continue
		}
		gm.stalls = append(gm.stalls, groups[k].stalls...)
		gm.others = append(gm.others, Endpoint{k.host, k.port})
		delete(groups, k)
	}
	sort.SliceStable(gm.stalls, func(i, j int) bool { return gm.stalls[i].Start < gm.stalls[j].Start })
}
