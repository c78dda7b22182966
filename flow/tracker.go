package flow

import (
	"net/netip"
	"time"

	"github.com/wirewatch/wirewatch/decode"
)

// Config tunes a Tracker. The zero value is usable: zero fields take the defaults.
type Config struct {
	// IdleTimeout ends a TCP connection that has seen no packet for this
	// long (by packet timestamps). Default 5 seconds; an ended connection
	// leaves a small tomb, so a later packet continues its stream.
	IdleTimeout time.Duration
	// ClosedTimeout ends a TCP connection this long after it was closed by
	// FIN in both directions or by RST. Default 1 second (a later packet
	// still continues the stream, see TombTimeout), so that memory follows
	// the live connections.
	ClosedTimeout time.Duration
	// UDPTimeout ends a UDP conversation idle this long. Default 1 second:
	// a later datagram continues it from its tomb (same udp.stream, and the
	// conversation figures add up), and most UDP conversations are one DNS
	// exchange, so holding them longer only costs memory.
	UDPTimeout time.Duration
	// TombTimeout is how long an ended connection's stream number and
	// sequence anchors are remembered. Default 15 minutes.
	TombTimeout time.Duration
	// MaxTombs caps the ended connections remembered per protocol (TCP,
	// UDP): tombs live in two generations of MaxTombs/2; when the newer
	// one fills up the older one is forgotten (a later packet of those
	// connections then starts a new stream), so a capture with very many
	// short connections within TombTimeout cannot grow memory without
	// bound. Default 65536 (at most about 10 MB per protocol).
	MaxTombs int
	// OnEnd, when set, receives the summary of each connection when it
	// expires or at Flush. The summary is reused after the call returns.
	OnEnd func(s *ConnSummary)
	// OnData, when set, receives each direction's TCP byte stream in order
	// (see Chunk); TCP reassembly runs only when it is set.
	OnData func(ch *Chunk)
	// Decoder, when set, decodes HTTP and DNS messages that span TCP
	// segments on the frame that completes them (decode.Decoder.DecodeStream),
	// as Wireshark does. Use a Decoder not used concurrently elsewhere.
	Decoder *decode.Decoder
	// NoTransactions turns off DNS/HTTP request-response matching (dns.time,
	// http.time) for reports that do not show it.
	NoTransactions bool
	// NoDesegment turns off the application-PDU reassembly that Decoder
	// enables (reports that look only at TCP do not need it).
	NoDesegment bool
	// MaxBuffered caps the out-of-order bytes held per connection direction
	// for reassembly; beyond it the gap is skipped and marked. Default 1 MiB.
	MaxBuffered int
	// MaxConns is the budget of live conversations per protocol (TCP, UDP):
	// when a new one would exceed it, the least recently active one is
	// ended early (buried as if idle, so a later packet still continues its
	// stream while its tomb lasts) and counted in Evictions. A SYN flood or
	// a scan cannot grow memory without bound this way (about 700 bytes per
	// TCP connection, 350 per UDP conversation). Default DefaultMaxConns.
	MaxConns int
	// Evictions, when set, counts the conversations MaxConns ended early.
	Evictions *Evictions
}

// DefaultMaxConns is the default Config.MaxConns: far above the
// concurrent conversations of ordinary captures (the 1 GB benchmark
// capture and every shared scenario stay below it, so nothing is evicted
// there), and it bounds the tracker near 90 MiB for TCP, 45 MiB for UDP.
const DefaultMaxConns = 65536

// Evictions counts the live conversations ended early because the
// tracker's budget (Config.MaxConns) was full.
type Evictions struct {
	TCP, UDP int64
}

// Total is TCP + UDP.
func (e *Evictions) Total() int64 { return e.TCP + e.UDP }

func (c *Config) defaults() {
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 5 * time.Second
	}
	if c.TombTimeout <= 0 {
		c.TombTimeout = 15 * time.Minute
	}
	if c.MaxTombs <= 0 {
		c.MaxTombs = 65536
	}
	if c.ClosedTimeout <= 0 {
		c.ClosedTimeout = 1 * time.Second
	}
	if c.UDPTimeout <= 0 {
		c.UDPTimeout = 1 * time.Second
	}
	if c.MaxBuffered <= 0 {
		c.MaxBuffered = 1 << 20
	}
	if c.MaxConns <= 0 {
		c.MaxConns = DefaultMaxConns
	}
}

// makeRoom ends the least recently active conversation of protocol p when
// the live ones fill the budget (Config.MaxConns).
func (t *Tracker) makeRoom(p decode.Proto, ts int64) {
	var c *conn
	if p == decode.ProtoUDP {
		if t.udpl.n < t.cfg.MaxConns {
			return
		}
		c = t.udpl.tail
		if t.cfg.Evictions != nil {
			t.cfg.Evictions.UDP++
		}
	} else {
		if t.open.n+t.closed.n < t.cfg.MaxConns {
			return
		}
		// A closed connection first (it is waiting only to catch stray
		// packets), then the open one idle longest.
		c = t.closed.tail
		if c == nil {
			c = t.open.tail
		}
		if t.cfg.Evictions != nil {
			t.cfg.Evictions.TCP++
		}
	}
	if c != nil {
		t.bury(c, ts)
		t.end(c)
	}
}

// Analysis-variant switches, matching Wireshark 4.0's behaviour.
var (
	reuseAfterClose    = false // a SYN with the same ISN after FIN/RST starts a new stream (Wireshark ≥ 4.2)
	sackFastRetx       = false // SACK-based fast-retransmission rules (Wireshark ≥ 4.2)
	oooSeenCheck       = false // a segment already in the unacked list is a plain retransmission (≥ 4.2)
	oooFromNextSeqTime = true  // out-of-order threshold measured from the highest segment's time (4.0)
	partialAcks        = false // partial ACKs give acks_frame/ack_rtt (≥ 4.2)
	ackLostTail        = false // ACKed-unseen pushes the mark over contiguous unacked segments (≥ 4.2)
	oooLastAckLen      = false // an OOO segment closing a series after a pure ACK (≥ 4.2, issue 17214)
	ackLostMarksDup    = true  // ACKed-unseen with nothing new seen marks the reverse dup-ACK counter -1 (4.0)
	fastNeedsDupAcks   = true  // fast retransmission needs ≥ 2 duplicate ACKs (or the -1 mark above)
)

// Tracker assigns streams and fills decode.Frame.Analysis, one frame at a
// time in capture order. Not safe for concurrent use.
type Tracker struct {
	txn txnTable // DNS/HTTP request ↔ response matching (txn.go)

	cfg         Config
	tcp         map[Key]*conn
	udp         map[Key]*conn
	open        lru // TCP connections not closed, most recent first
	closed      lru // TCP connections closed by FIN/RST
	udpl        lru // UDP conversations
	free        []*conn
	freeTCP     []*tcpState
	tcpStreams  int64
	udpStreams  int64
	wild        map[uint64]int64 // udp.stream of each media conversation (decode.Frame.MediaConv), see wild.go
	lastExpire  int64
	lastSweep   int64
	tcpTombs    generations[tomb] // see tomb.go
	closedTombs generations[closedTomb]
	udpTombs    generations[udpTomb]
	sum         ConnSummary
}

// NewTracker returns an empty Tracker with the default Config.
func NewTracker() *Tracker { return NewTrackerConfig(Config{}) }

// NewTrackerConfig returns an empty Tracker using cfg.
func NewTrackerConfig(cfg Config) *Tracker {
	cfg.defaults()
	return &Tracker{txn: newTxnTable(), cfg: cfg, tcp: map[Key]*conn{}, udp: map[Key]*conn{},
		tcpTombs: newGenerations[tomb](), closedTombs: newGenerations[closedTomb](), udpTombs: newGenerations[udpTomb]()}
}

// Process updates connection state with f and fills f.Analysis.
func (t *Tracker) Process(f *decode.Frame) {
	t.processConn(f)
	if !t.cfg.NoTransactions {
		t.txn.process(f)
	}
}

// Live returns the number of connections currently held.
func (t *Tracker) Live() int { return t.open.n + t.closed.n + t.udpl.n }

// conn is one TCP or UDP conversation.
type conn struct {
	key          Key
	proto        decode.Proto
	closed       bool
	completeness uint8
	zFlipped     bool
	first        uint8 // direction of the first packet
	zOrig        uint8 // direction of Zeek's originator
	nhist        uint8

	node   lruNode
	t      *tcpState // nil for UDP
	stream int64
	wild   bool // UDP found a media conversation first: its stream follows Frame.MediaConv

	firstTS, prevTS, lastTS int64
	initialRTT              int64
	mruSyn                  int64

	z       [2]zeekDir
	pkts    [2]uint64
	bytes   [2]uint64 // frame bytes
	payload [2]uint64
	history [24]byte
	zSeen   uint32 // once-per-direction letters already recorded
}

// tcpState is the per-connection TCP analysis, reassembly and
// desegmentation state (kept apart so UDP conversations stay small).
type tcpState struct {
	dirs [2]tcpDir
	rs   *[2]reasmDir       // allocated when byte-stream reassembly runs (Config.OnData)
	pdu  *[2]pduDir         // allocated when application desegmentation runs
	tls  *decode.TLSDecrypt // allocated for a TLS connection when the Decoder has a key log, or for h2c
	// h2cAsked: the client asked to upgrade to h2c (a 101 then switches to HTTP/2)
	h2cAsked bool
	// tlsVer: the TLS version a connection revived from its tomb had
	// negotiated, for the desegmentation state allocated with its next
	// payload (TLS on a port nothing else names stays TLS after an idle spell).
	tlsVer uint16
}

func (t *Tracker) alloc() *conn {
	if n := len(t.free); n > 0 {
		c := t.free[n-1]
		t.free = t.free[:n-1]
		return c
	}
	return new(conn)
}

func (t *Tracker) newConn(key Key, dir int, p decode.Proto, ts int64) *conn {
	t.makeRoom(p, ts)
	c := t.alloc()
	*c = conn{key: key, proto: p, firstTS: ts, prevTS: ts, lastTS: ts, first: uint8(dir), zOrig: uint8(dir)}
	if p == decode.ProtoTCP {
		c.t = t.tcpState()
		c.stream = t.tcpStreams
		t.tcpStreams++
	} else {
		c.stream = t.udpStreams
		t.udpStreams++
	}
	t.list(c).pushFront(c)
	return c
}

// tcpState returns a reset TCP state from the pool.
func (t *Tracker) tcpState() *tcpState {
	var s *tcpState
	if n := len(t.freeTCP); n > 0 {
		s = t.freeTCP[n-1]
		t.freeTCP = t.freeTCP[:n-1]
	} else {
		s = new(tcpState)
	}
	for i := range s.dirs {
		s.dirs[i].reset()
		if s.rs != nil {
			s.rs[i].reset()
		}
		if s.pdu != nil {
			s.pdu[i].reset()
		}
	}
	s.tls, s.h2cAsked, s.tlsVer = nil, false, 0
	return s
}

// replaceConn ends c and starts a new conversation on the same key (port reuse).
func (t *Tracker) replaceConn(c *conn, key Key, dir int, ts int64) *conn {
	t.end(c)
	n := t.newConn(key, dir, c.proto, ts)
	if n.proto == decode.ProtoTCP {
		t.tcp[key] = n
	} else {
		t.udp[key] = n
	}
	return n
}

// end emits c's summary, removes it from the tables and recycles it.
func (t *Tracker) end(c *conn) {
	t.list(c).remove(c)
	m := t.tcp
	if c.proto == decode.ProtoUDP {
		m = t.udp
	}
	if m[c.key] == c {
		delete(m, c.key)
	}
	t.flushReasm(c)
	if t.cfg.OnEnd != nil {
		c.summary(&t.sum)
		t.cfg.OnEnd(&t.sum)
	}
	if c.t != nil {
		c.t.trim()
		t.freeTCP = append(t.freeTCP, c.t)
		c.t = nil
	}
	t.free = append(t.free, c)
}

// touch records activity on c and expires idle connections.
func (t *Tracker) touch(c *conn, ts int64) {
	c.lastTS = ts
	switch {
	case c.proto == decode.ProtoUDP:
		t.udpl.touch(c)
	case !c.closed && (c.completeness&CompRst != 0 || (c.z[0].state == zClosed && c.z[1].state == zClosed)):
		t.open.remove(c)
		c.closed = true
		t.closed.pushFront(c)
	case c.closed:
		t.closed.touch(c)
	default:
		t.open.touch(c)
	}
	t.expire(ts)
}

func (t *Tracker) list(c *conn) *lru {
	switch {
	case c.proto == decode.ProtoUDP:
		return &t.udpl
	case c.closed:
		return &t.closed
	}
	return &t.open
}

func (t *Tracker) expire(ts int64) {
	if ts-t.lastExpire < int64(time.Second) && ts >= t.lastExpire {
		return
	}
	t.lastExpire = ts
	for _, e := range [...]struct {
		l   *lru
		max time.Duration
	}{{&t.closed, t.cfg.ClosedTimeout}, {&t.open, t.cfg.IdleTimeout}, {&t.udpl, t.cfg.UDPTimeout}} {
		for e.l.tail != nil && ts-e.l.tail.lastTS > int64(e.max) {
			c := e.l.tail
			t.bury(c, ts) // a later packet continues the stream
			t.end(c)
		}
	}
	t.sweepTombs(ts)
}

// Flush ends every connection (at the end of a capture), emitting
// summaries oldest first.
func (t *Tracker) Flush() {
	for {
		var oldest *conn
		for _, l := range [...]*lru{&t.closed, &t.open, &t.udpl} {
			if c := l.tail; c != nil && (oldest == nil || c.firstTS < oldest.firstTS) {
				oldest = c
			}
		}
		if oldest == nil {
			return
		}
		t.end(oldest)
	}
}

func (c *conn) count(dir int, f *decode.Frame, payload int) {
	c.pkts[dir]++
	c.bytes[dir] += uint64(f.Len)
	c.payload[dir] += uint64(payload)
}

// processConn is connection tracking and TCP analysis.
func (t *Tracker) processConn(f *decode.Frame) {
	if f.Has(decode.ProtoUDP) && (f.Repeated.Has(decode.ProtoUDP) || f.Has(decode.ProtoTCP)) {
		t.outerUDP(f)
	}
	switch {
	case f.Has(decode.ProtoTCP):
		src, dst, ok := addrs(f)
		if !ok {
			return
		}
		key, dir := makeKey(src, f.TCP.SrcPort, dst, f.TCP.DstPort)
		t.tcpSegment(f, key, dir)
	case f.Has(decode.ProtoUDP):
		src, dst, ok := addrs(f)
		if !ok {
			return
		}
		key, dir := makeKey(src, f.UDP.SrcPort, dst, f.UDP.DstPort)
		t.udpDatagram(f, key, dir, int(f.UDP.Length)-8)
	case f.Has(decode.ProtoICMP) && f.ICMP.HasInner:
		t.quoted(f, f.ICMP.InnerProto, f.ICMP.InnerSrc, f.ICMP.InnerDst, f.ICMP.InnerSport, f.ICMP.InnerDport)
	case f.Has(decode.ProtoICMPv6) && f.ICMP6.HasInner:
		t.quoted(f, f.ICMP6.InnerProto, f.ICMP6.InnerSrc, f.ICMP6.InnerDst, f.ICMP6.InnerSport, f.ICMP6.InnerDport)
	}
}

func (t *Tracker) udpDatagram(f *decode.Frame, key Key, dir int, payload int) {
	c := t.udp[key]
	if c == nil {
		if f.MediaConv != 0 {
			c = t.newWildUDP(key, dir, f.TS)
		} else {
			c = t.reviveOrNew(key, dir, decode.ProtoUDP, f.TS)
		}
		t.udp[key] = c
	}
	an := &f.Analysis
	an.IsUDP = true
	if c.wild && f.MediaConv != 0 {
		c.stream = t.wildStream(f.MediaConv)
	}
	an.Stream = c.stream
	an.TimeRelative = f.TS - c.firstTS
	an.TimeDelta = f.TS - c.prevTS
	c.prevTS = f.TS
	if payload < 0 {
		payload = 0
	}
	c.count(dir, f, payload)
	c.zeekUDP(dir)
	t.touch(c, f.TS)
}

// outerUDP gives the UDP layers of a tunnel before f's innermost transport
// layer their conversations and streams, in frame order (Wireshark numbers
// the outer VXLAN/Geneve/Teredo datagram's conversation before the inner
// one's): f.Analysis.OuterUDP.
func (t *Tracker) outerUDP(f *decode.Frame) {
	end := transportLayer(f)
	an := &f.Analysis
	for i := 0; i < end && int(an.NOuterUDP) < len(an.OuterUDP); i++ {
		l := f.Layers[i]
		if l.Proto != decode.ProtoUDP {
			continue
		}
		u, ok := decode.ParseUDP(f.LayerBytes(l))
		src, dst, ok2 := f.TransportAddrs(i)
		if !ok || !ok2 {
			continue
		}
		key, dir := makeKey(src, u.SrcPort, dst, u.DstPort)
		c := t.udp[key]
		if c == nil {
			c = t.reviveOrNew(key, dir, decode.ProtoUDP, f.TS)
			t.udp[key] = c
		}
		c.prevTS = f.TS
		payload := int(u.Length) - 8
		if payload < 0 {
			payload = 0
		}
		c.count(dir, f, payload)
		c.zeekUDP(dir)
		t.touch(c, f.TS)
		an.OuterUDP[an.NOuterUDP] = int32(c.stream)
		an.NOuterUDP++
	}
}

// quoted handles the transport header quoted in an ICMP error: Wireshark
// dissects it and so looks up (or creates) its conversation, giving the
// ICMP frame that conversation's stream number.
func (t *Tracker) quoted(f *decode.Frame, proto decode.IPProto, src, dst netip.Addr, sport, dport uint16) {
	if !src.IsValid() || !dst.IsValid() {
		return
	}
	key, dir := makeKey(src, sport, dst, dport)
	var m map[Key]*conn
	var p decode.Proto
	switch proto {
	case decode.IPProtoTCP:
		m, p = t.tcp, decode.ProtoTCP
	case decode.IPProtoUDP:
		m, p = t.udp, decode.ProtoUDP
	default:
		return
	}
	c := m[key]
	if c == nil {
		c = t.reviveOrNew(key, dir, p, f.TS)
		m[key] = c
	}
	f.Analysis.Stream = c.stream
	f.Analysis.IsUDP = p == decode.ProtoUDP
	t.touch(c, f.TS)
}
