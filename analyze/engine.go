package analyze

import (
	"iter"
	"net/netip"
	"slices"
	"sort"
	"time"

	"github.com/wirewatch/wirewatch/decode"
)

// Config tunes the engine. The zero value of a field means its default.
type Config struct {
	// MinStall is the shortest idle gap ever called a stall (default 200 ms).
	MinStall time.Duration
	// RTTFactor: a gap must also exceed RTTFactor × the connection's
	// handshake RTT (default 10).
	RTTFactor float64
	// ThinkWarn is the server response delay that makes a server-think-time
	// finding a warning rather than info (default 1 s).
	ThinkWarn time.Duration
	// IdleTimeout expires connection state after this much packet time
	// without a packet (default 10 min); closed connections go after 1 min.
	IdleTimeout time.Duration
	// DNSGiveUp is how long a DNS query may stay unanswered before it counts
	// as lost (default 30 s).
	DNSGiveUp time.Duration
	// Settle is how long after its last evidence a finding is final for
	// Ready (default 30 s of packet time).
	Settle time.Duration
	// MaxStalls caps the stalls kept in memory (default 100000); beyond it
	// only counts and time lost are updated.
	MaxStalls int
	// MaxHosts caps the hosts tracked (default 100000): when the table is
	// full, the least recently active sixteenth of the hosts (and the
	// attempts they remember) is forgotten to make room, counted in
	// Summary.HostsEvicted.
	MaxHosts int
	// MaxConns is the budget of TCP connections held at once (default
	// DefaultMaxConns, far above the 20,000 connections of the 1 GB
	// benchmark capture): when it is full, the least recently active
	// sixteenth is closed early, as if idle past IdleTimeout, and counted
	// in Summary.ConnsEvicted (a SYN flood costs about 1.5 KB per
	// connection here).
	MaxConns int
}

// DefaultMaxConns is the default Config.MaxConns.
const DefaultMaxConns = 32768

func (c *Config) setDefaults() {
	if c.MinStall <= 0 {
		c.MinStall = 200 * time.Millisecond
	}
	if c.RTTFactor <= 0 {
		c.RTTFactor = 10
	}
	if c.ThinkWarn <= 0 {
		c.ThinkWarn = time.Second
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 10 * time.Minute
	}
	if c.DNSGiveUp <= 0 {
		c.DNSGiveUp = 30 * time.Second
	}
	if c.Settle <= 0 {
		c.Settle = 30 * time.Second
	}
	if c.MaxStalls <= 0 {
		c.MaxStalls = 100000
	}
	if c.MaxHosts <= 0 {
		c.MaxHosts = 100000
	}
	if c.MaxConns <= 0 {
		c.MaxConns = DefaultMaxConns
	}
}

// Engine consumes frames in capture order and diagnoses them. Add copies what
// it keeps, so frames may be reused. Not safe for concurrent use.
type Engine struct {
	// pkt is the per-packet view handed to the rules' TCP hooks: a field,
	// not a local, because a pointer passed through the rule interface
	// escapes and would be allocated for every packet.
	pkt tcpPkt
	cfg Config

	conns     map[connKey]*conn
	byStream  map[int64]*conn // the same connections by tcp.stream, a cheaper key
	freeConns []*conn         // dropped connections for reuse (no allocation per connection)
	ended     []*conn         // scratch for Flush and sweep
	hosts     map[netip.Addr]*host
	hostClock uint64   // counts host activity: the LRU clock of evictHosts
	hostLast  []uint64 // scratch for evictHosts
	macs      map[[6]byte]*macInfo
	machByMAC map[[6]byte]*machine
	machineOf map[netip.Addr]*machine
	names     map[netip.Addr]*hostNames
	dhcpNames map[[6]byte]string
	httpResp  map[Endpoint]int // HTTP responses per server
	answers   map[Endpoint]int // requests answered per server (first response byte)
	healthAll map[Endpoint]health
	healthBkt map[healthKey]health

	dnsPending   map[dnsKey]*dnsQuery
	dnsByName    map[dnsNameKey][]*dnsQuery
	arpPending   map[arpKey]*arpReq
	udp          map[connKey]*attempt // unicast UDP exchanges by address pair
	dnsAnswersBy map[netip.Addr]int   // answers per DNS server

	v4SYNs     []v4SYN              // IPv4 connection starts of dual-stack machines (rules_ipv6.go)
	v6Pending  map[v6Key][]*attempt // IPv6 connection attempts not yet answered (rules_ipv6.go)
	stalls     []stallRec
	stallsLost int // stalls not kept because of MaxStalls
	events     []event

	sum Summary

	frames           uint64
	firstTS, lastTS  int64
	nextSweep        int64
	flushed          bool
	reported         map[string]bool
	udpScratch       [256]byte
	cachedFindings   []Finding
	cacheValidFrames uint64
	ix               *clientIndex
}

// Summary counts the transactions the engine saw.
type Summary struct {
	Frames           uint64  `json:"frames"`
	TCPConnections   int     `json:"tcp_connections"`
	TCPEstablished   int     `json:"tcp_established"`
	TCPRefused       int     `json:"tcp_refused"`
	TCPUnanswered    int     `json:"tcp_unanswered"`
	TCPSYNRetrans    int     `json:"tcp_syn_retransmitted"`
	TCPReset         int     `json:"tcp_reset"`
	TCPOpenAtEnd     int     `json:"tcp_open_at_end"`
	TCPRetrans       int     `json:"tcp_retransmissions"`
	DNSQueries       int     `json:"dns_queries"`
	DNSAnswered      int     `json:"dns_answered"`
	DNSUnanswered    int     `json:"dns_unanswered"`
	DNSRetried       int     `json:"dns_retried"`
	DNSErrors        int     `json:"dns_errors"`
	DNSOpenAtEnd     int     `json:"dns_open_at_end"`
	HTTPRequests     int     `json:"http_requests"`
	HTTPResponses    int     `json:"http_responses"`
	HTTPErrors       int     `json:"http_errors"`
	HTTPOpenAtEnd    int     `json:"http_open_at_end"`
	TLSHandshakes    int     `json:"tls_client_hellos"`
	TLSServerHellos  int     `json:"tls_server_hellos"`
	TLSAlerts        int     `json:"tls_alerts"`
	TLSOpenAtEnd     int     `json:"tls_open_at_end"`
	Requests         int     `json:"tcp_requests"`
	MedianHandshakeS float64 `json:"median_handshake_rtt_s"`
	// ConnsEvicted counts the connections closed early because the
	// connection budget (Config.MaxConns) was full; HostsEvicted the hosts
	// forgotten because the host table (Config.MaxHosts) was full.
	ConnsEvicted int `json:"tcp_connections_evicted,omitempty"`
	HostsEvicted int `json:"hosts_evicted,omitempty"`
	// FlowEvicted counts the conversations the flow tracker ended early
	// because its budget (flow.Config.MaxConns, --max-flows) was full; the
	// caller that runs the tracker sets it.
	FlowEvicted int64 `json:"flow_conversations_evicted,omitempty"`
	// OpenAtEnd lists transactions still waiting for an answer when the
	// capture ended (at most 200): they are reported, not dropped.
	OpenAtEnd     []OpenTxn `json:"open_at_end"`
	handshakeRTTs []int64   `json:"-"`
}

// OpenTxn is a transaction without its answer at the end of the capture.
type OpenTxn struct {
	Kind   string  `json:"kind"` // "tcp-connect", "request", "dns"
	Proto  string  `json:"proto"`
	Client string  `json:"client"`
	Server string  `json:"server"`
	What   string  `json:"what,omitempty"`
	Frame  uint64  `json:"frame"`    // the frame that started it
	WaitS  float64 `json:"waited_s"` // how long it had waited when the capture ended
}

func (e *Engine) openAtEnd(kind, proto string, cli, srv Endpoint, what string, frame uint64, since, now int64) {
	if len(e.sum.OpenAtEnd) >= 200 {
		return
	}
	e.sum.OpenAtEnd = append(e.sum.OpenAtEnd, OpenTxn{Kind: kind, Proto: proto, Client: cli.String(), Server: srv.String(),
		What: what, Frame: frame, WaitS: float64(now-since) / 1e9})
}

// New returns an engine with cfg (zero fields take their defaults).
func New(cfg Config) *Engine {
	cfg.setDefaults()
	return &Engine{
		cfg:          cfg,
		conns:        map[connKey]*conn{},
		byStream:     map[int64]*conn{},
		hosts:        map[netip.Addr]*host{},
		macs:         map[[6]byte]*macInfo{},
		machByMAC:    map[[6]byte]*machine{},
		machineOf:    map[netip.Addr]*machine{},
		names:        map[netip.Addr]*hostNames{},
		healthAll:    map[Endpoint]health{},
		httpResp:     map[Endpoint]int{},
		dhcpNames:    map[[6]byte]string{},
		answers:      map[Endpoint]int{},
		healthBkt:    map[healthKey]health{},
		dnsPending:   map[dnsKey]*dnsQuery{},
		dnsByName:    map[dnsNameKey][]*dnsQuery{},
		arpPending:   map[arpKey]*arpReq{},
		udp:          map[connKey]*attempt{},
		dnsAnswersBy: map[netip.Addr]int{},
		reported:     map[string]bool{},
	}
}

// Frames returns how many frames were added and the first and last timestamps (ns).
func (e *Engine) Frames() (n uint64, first, last int64) { return e.frames, e.firstTS, e.lastTS }

// Summary returns the transaction counts so far.
func (e *Engine) Summary() Summary {
	s := e.sum
	s.Frames = e.frames
	if n := len(s.handshakeRTTs); n > 0 {
		v := append([]int64(nil), s.handshakeRTTs...)
		sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
		s.MedianHandshakeS = float64(v[n/2]) / 1e9
	}
	s.handshakeRTTs = nil
	s.OpenAtEnd = append([]OpenTxn{}, s.OpenAtEnd...)
	sort.Slice(s.OpenAtEnd, func(i, j int) bool { return s.OpenAtEnd[i].Frame < s.OpenAtEnd[j].Frame })
	return s
}

// Add feeds one frame (after flow.Tracker.Process). Frames must come in
// capture order.
func (e *Engine) Add(f *decode.Frame) {
	e.frames++
	t := f.TS
	if e.frames == 1 {
		e.firstTS = t
		e.nextSweep = t + int64(5*time.Second)
	}
	if t > e.lastTS {
		e.lastTS = t
	}
	e.cacheValidFrames = 0
	if t >= e.nextSweep {
		e.sweep(t)
		e.nextSweep = t + int64(5*time.Second)
	}
	switch {
	case f.Has(decode.ProtoARP):
		if f.Has(decode.ProtoEth) && f.ARP.SenderIP.IsValid() && f.ARP.SenderMAC == f.Eth.Src {
			e.learnMachine(f.ARP.SenderMAC, f.ARP.SenderIP, netip.Addr{}, 64)
		}
		e.addARP(f)
		return
	case f.Has(decode.ProtoTCP):
		src, dst, ttl, ok := addrs(f)
		if !ok {
			return
		}
		if f.TCP.Flags&(decode.TCPSyn|decode.TCPRst) != 0 {
			e.learnMAC(f, src, ttl)
			e.learnFrameMachine(f, src, dst, ttl)
		}
		e.addTCP(f, src, dst, ttl)
	case f.Has(decode.ProtoUDP):
		src, dst, ttl, ok := addrs(f)
		if !ok {
			return
		}
		if f.UDP.DstPort == 53 {
			e.learnFrameMachine(f, src, dst, ttl)
		}
		if f.Has(decode.ProtoDHCP) {
			e.learnDHCP(f.Payload)
		}
		e.addUDP(f, src, dst)
	case f.Has(decode.ProtoICMP) || f.Has(decode.ProtoICMPv6):
		src, dst, ttl, ok := addrs(f)
		if !ok {
			return
		}
		if f.Has(decode.ProtoICMPv6) && f.ICMP6.Type >= 133 && f.ICMP6.Type <= 136 {
			e.learnFrameMachine(f, src, dst, ttl) // neighbour discovery: hop limit 255, never routed
		}
		e.addICMP(f, src, dst)
	}
}

func addrs(f *decode.Frame) (src, dst netip.Addr, ttl uint8, ok bool) {
	if f.Has(decode.ProtoIP) {
		return f.IP.Src, f.IP.Dst, f.IP.TTL, true
	}
	if f.Has(decode.ProtoIPv6) {
		return f.IPv6.Src, f.IPv6.Dst, f.IPv6.HopLimit, true
	}
	return src, dst, 0, false
}

// Flush ends the capture at endTS (ns; 0 means the last frame's time):
// transactions still open are reported as open, not dropped.
func (e *Engine) Flush(endTS int64) {
	if endTS == 0 || endTS < e.lastTS {
		endTS = e.lastTS
	}
	for _, c := range e.inOrder(func(*conn) bool { return true }) {
		e.finishConn(c, endTS, true)
		e.dropConn(c)
	}
	all := func(int64) bool { return true }
	e.finishPending(endTS, true, all, all)
	e.dnsByName = map[dnsNameKey][]*dnsQuery{}
	e.flushed = true
	e.cacheValidFrames = 0
}

// inOrder returns the connections that keep selects, oldest first, so that
// the stalls they leave are recorded in the same order on every run.
func (e *Engine) inOrder(keep func(*conn) bool) []*conn {
	e.ended = e.ended[:0]
	for _, c := range e.conns {
		if keep(c) {
			e.ended = append(e.ended, c)
		}
	}
	sort.Slice(e.ended, func(i, j int) bool {
		a, b := e.ended[i], e.ended[j]
		if a.firstTS != b.firstTS {
			return a.firstTS < b.firstTS
		}
		return a.firstFrame < b.firstFrame
	})
	return e.ended
}

// evictConns closes the least recently active sixteenth of the
// connections, as the sweep closes idle ones, when the budget is full.
func (e *Engine) evictConns(now int64) {
	e.ended = e.ended[:0]
	for _, c := range e.conns {
		e.ended = append(e.ended, c)
	}
	sort.Slice(e.ended, func(i, j int) bool {
		a, b := e.ended[i], e.ended[j]
		if a.lastTS != b.lastTS {
			return a.lastTS < b.lastTS
		}
		return a.firstFrame < b.firstFrame
	})
	n := max(len(e.ended)/16, 1)
	for _, c := range e.ended[:n] {
		e.finishConn(c, now, false)
		e.dropConn(c)
	}
	e.sum.ConnsEvicted += n
}

// sweep expires state older than the timeouts (packet time).
func (e *Engine) sweep(now int64) {
	idle := int64(e.cfg.IdleTimeout)
	expired := e.inOrder(func(c *conn) bool {
		age := now - c.lastTS
		return age > idle || (c.closed && age > int64(time.Minute)) || (!c.synackSeen && !c.est && c.synSeen && age > int64(2*time.Minute))
	})
	for _, c := range expired {
		e.finishConn(c, now, false)
		e.dropConn(c)
	}
	give := int64(e.cfg.DNSGiveUp)
	e.finishPending(now, false, func(ts int64) bool { return now-ts > give },
		func(last int64) bool { return now-last > int64(time.Minute) })
	for k, l := range e.dnsByName {
		if len(l) == 0 || now-l[len(l)-1].ts > 2*give {
			delete(e.dnsByName, k)
		}
	}
	for k, a := range e.udp {
		if now-a.last > int64(2*time.Minute) {
			a.done = true
			delete(e.udp, k)
		}
	}
	// Forget old attempts.
	keep := now - int64(5*time.Minute)
	for _, h := range e.hosts {
		i := 0
		for i < len(h.attempts) && h.attempts[i].last < keep && h.attempts[i].done {
			i++
		}
		if i > 0 {
			h.attempts = append(h.attempts[:0], h.attempts[i:]...)
		}
	}
}

// host is what the engine remembers about one address.
type host struct {
	addr     netip.Addr
	attempts []*attempt // recent attempts, by start time
	// client-role activity, for naming unaffected hosts
	ports   []svcKey   // (proto, server port) used as a client, bounded
	servers []Endpoint // servers used as a client, most recent first, bounded
	mac     [6]byte
	hasMAC  bool
	minHops int    // fewest hops seen from this address as a source; -1 unknown
	last    uint64 // hostClock at its last activity (lookup, frame sent)
}

type svcKey struct {
	proto decode.IPProto
	port  uint16
}

func (e *Engine) host(a netip.Addr) *host {
	if h, ok := e.hosts[a]; ok {
		e.hostClock++
		h.last = e.hostClock
		return h
	}
	if len(e.hosts) >= e.cfg.MaxHosts {
		e.evictHosts()
	}
	e.hostClock++
	h := &host{addr: a, minHops: -1, last: e.hostClock}
	e.hosts[a] = h
	return h
}

// evictHosts forgets the least recently active sixteenth of the hosts when
// the table is full (a scan or flood from many addresses): one pass over
// the table per MaxHosts/16 new hosts, no allocation once the scratch has
// grown. Connections still holding a forgotten host keep their pointer; the
// address gets a new host when it is next seen.
func (e *Engine) evictHosts() {
	e.hostLast = e.hostLast[:0]
	for _, h := range e.hosts {
		e.hostLast = append(e.hostLast, h.last)
	}
	slices.Sort(e.hostLast)
	cut := e.hostLast[max(len(e.hostLast)/16, 1)-1] // evict those active at or before cut
	n := 0
	for a, h := range e.hosts {
		if h.last <= cut {
			delete(e.hosts, a)
			n++
		}
	}
	e.sum.HostsEvicted += n
}

func (h *host) noteService(proto decode.IPProto, srv Endpoint) {
	if h == nil {
		return
	}
	k := svcKey{proto, srv.Port}
	found := false
	for _, p := range h.ports {
		if p == k {
			found = true
			break
		}
	}
	if !found && len(h.ports) < 32 {
		h.ports = append(h.ports, k)
	}
	// the most recent server first: repeated use is found at once
	for i, s := range h.servers {
		if s == srv {
			if i > 0 {
				copy(h.servers[1:i+1], h.servers[:i])
				h.servers[0] = srv
			}
			return
		}
	}
	if len(h.servers) < 32 {
		h.servers = append(h.servers, Endpoint{})
	}
	copy(h.servers[1:], h.servers)
	h.servers[0] = srv
}

// macInfo learns which link-layer addresses are routers: a MAC that sources
// packets from several IP addresses forwards for others.
type macInfo struct {
	ips   [4]netip.Addr
	nips  int
	many  bool
	perIP map[netip.Addr]int // fewest hops per source address (routers only, bounded)
	// connections to hosts at least one hop behind this MAC
	remoteN       int
	remoteMinHops int
	rttLo, rttHi  int64
}

// hops guesses how many routers a packet crossed from its TTL (initial TTL
// 64, 128 or 255).
func hops(ttl uint8) int {
	switch {
	case ttl <= 64:
		return 64 - int(ttl)
	case ttl <= 128:
		return 128 - int(ttl)
	default:
		return 255 - int(ttl)
	}
}

func (e *Engine) learnMAC(f *decode.Frame, src netip.Addr, ttl uint8) {
	if !f.Has(decode.ProtoEth) {
		return
	}
	m := e.macs[f.Eth.Src]
	if m == nil {
		if len(e.macs) > 65536 {
			return
		}
		m = &macInfo{}
		e.macs[f.Eth.Src] = m
	}
	if !m.many {
		found := false
		for i := 0; i < m.nips; i++ {
			if m.ips[i] == src {
				found = true
				break
			}
		}
		if !found {
			if m.nips < len(m.ips) {
				m.ips[m.nips] = src
				m.nips++
			} else {
				m.many = true
			}
		}
	}
	if m.many || m.nips >= 2 {
		if m.perIP == nil {
			m.perIP = map[netip.Addr]int{}
		}
		hp := hops(ttl)
		if old, ok := m.perIP[src]; !ok && len(m.perIP) < 256 || ok && hp < old {
			m.perIP[src] = hp
		}
	}
	if h := e.hosts[src]; h != nil {
		e.hostClock++
		h.last = e.hostClock
		hp := hops(ttl)
		if h.minHops < 0 || hp < h.minHops {
			h.minHops = hp
		}
		h.mac, h.hasMAC = f.Eth.Src, true
	}
}

// attempt is an internal record of something a host tried.
type attempt struct {
	kind     string // tcp-connect, dns, arp
	proto    string
	local    Endpoint
	peer     Endpoint
	frames   [6]uint64
	times    [6]int64
	n        int
	start    int64
	last     int64
	answerTS int64 // 0 while unanswered
	refused  bool
	icmp     bool
	failTS   int64 // when a reset or ICMP error ended the attempt
	failFrm  uint64
	done     bool // no more packets expected
	used     int
	name     string
}

func (a *attempt) add(frame uint64, ts int64) {
	if a.n == 0 {
		a.start = ts
	}
	if a.n < len(a.frames) {
		a.frames[a.n] = frame
		a.times[a.n] = ts
		a.n++
	}
	a.last = ts
}

func (a *attempt) public() *Attempt {
	p := &Attempt{Kind: a.kind, Proto: a.proto, Client: a.local, Server: a.peer, Start: a.start, Last: a.last, Name: a.name}
	p.Frames = append([]uint64(nil), a.frames[:a.n]...)
	p.Times = append([]int64(nil), a.times[:a.n]...)
	switch {
	case a.refused:
		p.Outcome = "refused"
	case a.icmp:
		p.Outcome = "icmp-error"
	case a.answerTS != 0:
		p.Outcome = "answered-late"
	default:
		p.Outcome = "unanswered"
	}
	return p
}

func (e *Engine) addAttempt(h *host, a *attempt) {
	if h == nil {
		return
	}
	if len(h.attempts) >= 512 {
		copy(h.attempts, h.attempts[256:])
		h.attempts = h.attempts[:len(h.attempts)-256]
	}
	h.attempts = append(h.attempts, a)
}

// roundTimeouts are the delays after which software commonly gives up:
// round-number application timeouts and the cumulative SYN backoffs of common
// stacks (Linux 1, 3, 7, 15, 31 s; Windows 3, 9, 21 s).
var roundTimeouts = []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 21, 25, 30, 31, 45, 60, 63, 75, 90, 120}

// nearRound returns the round timeout d (seconds) is close to, or 0.
func nearRound(d float64, tight bool) float64 {
	for _, r := range roundTimeouts {
		tol := 0.02 * r
		if tight {
			tol = 0.01 * r
		}
		if tol < 0.03 {
			tol = 0.03
		}
		if d >= r-tol && d <= r+tol+0.05 { // the waiter wakes a little after the timer fires
			return r
		}
	}
	return 0
}

// correlate looks for an attempt of h, started in [from, to), still without
// an answer at to, after which the stall ending at to is explained: to falls
// right when the attempt gave up (a round-number timeout after its start).
func (e *Engine) correlate(h *host, from, to int64, tight bool) *attempt {
	if h == nil {
		return nil
	}
	var best *attempt
	bestScore := 1e9
	for a := range e.givenUpDuring(h, from, to) {
		d := float64(to-a.start) / 1e9
		if d < 0.9 {
			continue
		}
		var score float64
		if a.refused || a.icmp {
			// the attempt failed with a reset or an ICMP error: the stall
			// must end right after that failure
			if a.failTS == 0 || a.failTS > to || to-a.failTS > int64(150*time.Millisecond) {
				continue
			}
		} else {
			r := nearRound(d, tight)
			if r == 0 {
				continue
			}
			score = abs(d-r) / r
		}
		score += float64(a.used) // prefer attempts not yet explaining another stall
		if score < bestScore {
			best, bestScore = a, score
		}
	}
	if best != nil {
		best.used++
	}
	return best
}

// candidates returns up to 8 unanswered attempts of h that began inside the
// stall [from, to) (or were in progress when it began) and were over by to,
// whatever their delay: stalls that consistently end the same time after such
// attempts are correlated at build time even when the timeout is not round.
func (e *Engine) candidates(h *host, from, to int64) []*attempt {
	if h == nil {
		return nil
	}
	var out []*attempt
	for a := range e.givenUpDuring(h, from, to) {
		if len(out) == 8 {
			break
		}
		if a.refused || a.icmp || to-a.start < int64(900*time.Millisecond) || a.kind == "icmp-too-big" {
			continue
		}
		out = append(out, a)
	}
	return out
}

// givenUpDuring yields h's attempts, newest first, that could have held a
// stall [from, to): begun before to and either begun inside the stall or
// still in progress when it began (parallel requests queue behind one ARP
// resolution or one agent check), not answered by to, and not still trying
// after to (an attempt that goes on did not give up when the stall ended).
// Attempts older than 5 minutes before the stall end the search.
// The attempts of every address of h's machine count: a dual-stack PC's
// browser may wait on IPv6 while its agent tries a server over IPv4.
func (e *Engine) givenUpDuring(h0 *host, from, to int64) iter.Seq[*attempt] {
	return func(yield func(*attempt) bool) {
		slack := int64(50 * time.Millisecond)
		for _, h := range e.siblings(h0) {
			for i := len(h.attempts) - 1; i >= 0; i-- {
				a := h.attempts[i]
				if a.start >= to {
					continue
				}
				if a.start < from-slack && a.last < from {
					if a.start < from-int64(5*time.Minute) {
						break
					}
					continue
				}
				if (a.answerTS != 0 && a.answerTS <= to) || a.last > to {
					continue
				}
				if !yield(a) {
					return
				}
			}
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// stallRec is a stall with what it is blamed on.
type stallRec struct {
	Stall
	cat       Category
	culprit   Endpoint // host and port the stall is blamed on
	cproto    string
	victim    netip.Addr // the host whose user waited
	timeout   int64      // the give-up delay for correlated stalls, ns
	lost      int64      // time lost, ns (defaults to the duration)
	detail    string     // extra words for the explanation
	frames    []uint64   // extra evidence frames
	rtt       int64      // connection handshake RTT, ns (0 unknown)
	ack       int64      // server ACKed the request after this long, ns (0 unknown)
	count     int        // retransmissions etc.
	rstTTL    uint8      // TTL of a reset
	rstMAC    [6]byte    // source MAC of a reset
	hasMAC    bool
	pkts      int        // packets in the transfer
	known     bool       // the awaited exchange is a known request/response protocol
	cands     []*attempt // the waiting host's unanswered attempts in the gap, for the consistency check
	idle      bool       // a request on an idle keep-alive connection
	from      int64      // when the wait began (before any attempt)
	fromFrame uint64
}

func (e *Engine) addStall(s stallRec) {
	if s.End-s.Start > int64(time.Hour) {
		return // a clock jump in the capture, not a wait anyone noticed
	}
	if s.lost == 0 {
		s.lost = s.End - s.Start
	}
	if len(e.stalls) >= e.cfg.MaxStalls {
		e.stallsLost++
		return
	}
	e.stalls = append(e.stalls, s)
}

// event is a non-stall observation that can become a finding (errors, scans).
type event struct {
	cat    Category
	sev    Severity
	key    Endpoint // culprit
	proto  string
	victim netip.Addr
	frame  uint64
	ts     int64
	detail string
	code   int
}

func (e *Engine) addEvent(ev event) {
	if len(e.events) >= e.cfg.MaxStalls {
		return
	}
	e.events = append(e.events, ev)
}

// finishPending ends the DNS queries whose start dnsDue accepts and the ARP
// requests whose last try arpDue accepts, oldest first: maps iterate in random
// order, and the stalls, findings and open-at-end list they leave must be the
// same on every run.
func (e *Engine) finishPending(now int64, atEnd bool, dnsDue, arpDue func(int64) bool) {
	var qs []*dnsQuery
	for k, q := range e.dnsPending {
		if dnsDue(q.ts) {
			qs = append(qs, q)
			delete(e.dnsPending, k)
		}
	}
	sort.Slice(qs, func(i, j int) bool { return qs[i].frame < qs[j].frame })
	for _, q := range qs {
		e.finishDNS(q, now, atEnd)
	}
	var as []*arpReq
	for k, a := range e.arpPending {
		if arpDue(a.last) {
			as = append(as, a)
			delete(e.arpPending, k)
		}
	}
	sort.Slice(as, func(i, j int) bool { return as[i].frames[0] < as[j].frames[0] })
	for _, a := range as {
		e.finishARP(a)
	}
}
