package analyze

import (
	"math"
	"net/netip"
)

// A rule is one root-cause category, in three steps:
//
//   - detect: stalls and events are recorded while frames stream in (tcp.go,
//     udp.go, and a rule's optional tcpPacket and connEnd hooks); at build
//     time a rule's optional detect hook may reclassify stalls of other
//     categories before they are grouped (a client delay that is really an
//     IPv6 fallback, say).
//   - score: confidence says how sure the finding is (0–1) and names the
//     evidence it rests on in one sentence; build combines it with the time
//     lost and the machines affected into the finding's score (ranking).
//   - explain: severity, title, explanation, culprit role and display filter
//     of one group of stalls with the same category and culprit; false drops
//     the group (it was not a problem after all).
//
// Rules register themselves from an init function in their own file
// (register), so adding a category touches no switch: see rules_*.go.
type rule struct {
	cat Category
	// tcpPacket, when set, sees every TCP packet of a tracked connection
	// after the engine's own bookkeeping (dir 0 is client→server). It runs
	// per packet: no allocation, no map lookups beyond what it must.
	tcpPacket func(e *Engine, c *conn, p *tcpPkt)
	// connEnd, when set, runs when a TCP connection's state is dropped
	// (closed, expired or at the end of the capture).
	connEnd func(e *Engine, c *conn, now int64, atEnd bool)
	// detect, when set, runs once per build before stalls are grouped.
	detect func(e *Engine)
	// explain writes the finding of one group (see above).
	explain func(x *explainCtx) bool
	// confidence, when set, returns how sure the finding is and why; nil
	// means the default of the category (defaultConfidence).
	confidence func(x *explainCtx) (float64, string)
	// events, when set, writes the finding of one group of non-stall
	// observations (event: error answers, ICMP, ARP) of this category.
	events func(x *eventCtx)
}

// eventKey groups events into one finding.
type eventKey struct {
	cat   Category
	key   Endpoint // culprit
	code  int
	proto string
}

// eventCtx is what a rule's events hook sees of one group of events.
type eventCtx struct {
	e      *Engine
	k      eventKey
	evs    []event
	f      *Finding // category, affected hosts, evidence and key already set; severity Info
	vS     string   // the affected hosts in words
	names  []string // the events' details (names, URIs), at most 5
	frames []uint64
	ipf    string
}

// tcpPkt is what a rule's tcpPacket hook sees of one TCP segment.
type tcpPkt struct {
	frame   uint64
	ts      int64
	dir     int
	flags   uint16
	seq     uint32
	ack     uint32
	win     uint16
	payload int
	// from flow's analysis of the frame (-1 unknown): tcp.window_size
	// (scaled), tcp.analysis.bytes_in_flight, tcp.analysis.* flags
	winSize  int64
	inFlight int64
	ackRTT   int64 // tcp.analysis.ack_rtt, ns
	an       uint32
}

// explainCtx is what a rule's explain and confidence see of one group.
type explainCtx struct {
	e        *Engine
	g        *group
	st       gstats
	k        groupKey
	ep       Endpoint // culprit host and port
	ipf      string   // "ip" or "ipv6", for display filters
	f        *Finding
	c        *Culprit
	victimsS string // the affected machines in words
	unS      string // " X and Y did the same kind of traffic without this problem." or ""
	un       []netip.Addr
	machines []Machine // the affected machines
	// conf and basis are the rule's confidence, computed before explain
	// so that explain can word (and rank) the finding by it
	conf  float64
	basis string
}

var (
	rulesByCat = map[Category]*rule{}
	rulesAll   []*rule
	// hooks, collected at registration so the per-packet path loops over
	// only the rules that asked
	tcpPacketRules []*rule
	connEndRules   []*rule
	detectRules    []*rule
)

// register adds a rule; call it from an init function.
func register(r *rule) {
	if _, dup := rulesByCat[r.cat]; dup {
		panic("analyze: two rules for category " + string(r.cat))
	}
	rulesByCat[r.cat] = r
	rulesAll = append(rulesAll, r)
	if r.tcpPacket != nil {
		tcpPacketRules = append(tcpPacketRules, r)
	}
	if r.connEnd != nil {
		connEndRules = append(connEndRules, r)
	}
	if r.detect != nil {
		detectRules = append(detectRules, r)
	}
}

func ruleFor(c Category) *rule { return rulesByCat[c] }

// defaultConfidence is a category's confidence when its rule has no
// confidence hook: the stall was measured directly (a reset, a window, a
// late answer), so the finding is as sure as its count of stalls makes it.
func defaultConfidence(x *explainCtx) (float64, string) {
	n := x.st.n
	c := 1 - 0.4/float64(n+1) // 1 stall 0.8, 3 stalls 0.9, 9 stalls 0.96
	return c, "Measured directly on " + plural(n, "exchange", "exchanges") + " in the capture."
}

// score ranks a finding: seconds lost (log-scaled, so a thousand tiny stalls
// do not outrank one outage), times the machines affected (log-scaled),
// times confidence, with severity as the leading term.
func score(f *Finding, machines int) float64 {
	lost := f.TimeLost.Seconds()
	if machines < 1 {
		machines = 1
	}
	impact := math.Log1p(lost) * (1 + math.Log2(float64(machines)))
	if f.StallCount == 0 {
		impact = 0.1 * math.Log1p(float64(len(f.Evidence)))
	}
	return math.Round((float64(f.Severity)*100+impact*10*f.Confidence)*1000) / 1000
}
