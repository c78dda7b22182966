// Package export writes what wirewatch finds in a capture — connections with
// their Zeek conn_state and history, DNS, HTTP and TLS transactions, stalls
// and diagnose findings — into ClickHouse tables over its HTTP interface
// (batched, gzip-compressed RowBinary; schema in schema.go and
// docs/export.md), and as Zeek logs (zeek.go).
//
// A Exporter is fed by one pipeline run: Frame for every frame (after the
// flow tracker filled the frame's analysis), Conn for every connection the
// tracker ends (flow.Config.OnEnd), Findings once the analysis is done,
// then Close.
package export

import (
	"fmt"
	"net/netip"
	"strconv"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/flow"
)

// Sink receives the rows of one capture.
type Sink interface {
	Conn(r *ConnRow) error
	DNS(r *DNSRow) error
	HTTP(r *HTTPRow) error
	TLS(r *TLSRow) error
	Finding(f *analyze.Finding) error
	Close() error
}

// ConnRow is one connection: the tracker's summary plus what the exporter
// counted from its frames.
type ConnRow struct {
	flow.ConnSummary
	HandshakeRTT    int64 // ns, -1 unknown (tcp.analysis.initial_rtt)
	Retransmissions uint64
	// Update: the stream was ended before; this row replaces that one.
	Update bool
}

// DNSRow is one DNS response (with dns.time when its query was seen). TS is
// the query's time when it was seen, else the response's; Frame the response's.
type DNSRow struct {
	TS             int64
	Frame          uint64
	Stream         int64
	Client, Server netip.AddrPort
	Proto          string // udp or tcp
	TransID        uint16
	Query          string
	QType          uint16
	Rcode          uint8
	Answers        []string
	RTT            int64 // ns, -1 unknown
}

// HTTPRow is one HTTP response with the request it answers (when seen).
type HTTPRow struct {
	TS             int64 // the request's time when seen, else the response's
	Frame          uint64
	Stream         int64
	Client, Server netip.AddrPort
	Method, Host   string
	URI, UA        string
	Version        string
	Status         uint16
	Phrase         string
	RespBodyLen    int64
	RTT            int64
}

// TLSRow is one TLS handshake as its ClientHello (and ServerHello) show it.
type TLSRow struct {
	TS             int64
	Frame          uint64
	Stream         int64
	Client, Server netip.AddrPort
	SNI            string
	Version        uint16 // negotiated (ServerHello), else offered
	Cipher         uint16 // selected suite, 0 unknown
	ALPN           string
	Established    bool
}

type streamInfo struct {
	rtt   int64
	retx  uint64
	req   *HTTPRow // pending request
	tls   *TLSRow
	fresh bool
}

// Exporter turns frames and connection summaries into rows for its sinks.
type Exporter struct {
	sinks   []Sink
	streams map[int64]*streamInfo // TCP streams
	// ended keeps the cumulative row of every connection already ended: the
	// tracker may end a connection (idle, closed) and later packets of the
	// same stream continue it (flow/tomb.go); the row then written again
	// carries the totals and the latest conn_state and history, as stats
	// conv shows them, and replaces the first (same identity).
	//
	// The rows are forgotten (and handed to ConnDone sinks) once the
	// tracker can no longer continue their stream: after Retention.Idle of
	// packet time since they ended, or oldest first when more than
	// Retention.Max rows of one protocol are held. The defaults follow the
	// tracker's tombs (flow.Config.TombTimeout, MaxTombs), so that a
	// connection is forgotten only after its tomb is gone.
	ended    [2]map[int64]*endedRow
	head     [2]*endedRow // least recently ended, per protocol
	tail     [2]*endedRow
	ret      Retention
	stats    RetentionStats
	endedAll [2]bitset // streams ended at least once
	seen     [2]bitset // udp, tcp streams with a frame of their own (stats conv's rows)
	err      error
}

// endedRow is a retained cumulative row, in a list ordered by when the
// connection last ended.
type endedRow struct {
	ConnRow
	endAt      int64 // packet time it ended (the frame that ended it)
	p          int
	fresh      bool // ended since the last frame: endAt is stamped with its time
	prev, next *endedRow
}

// Retention bounds the rows of ended connections an Exporter keeps to add
// a continuation's figures to.
type Retention struct {
	// Idle forgets a row this long in packet time after its connection
	// ended. Default DefaultRetentionIdle.
	Idle time.Duration
	// Max is the most rows held per protocol (TCP, UDP); beyond it the
	// least recently ended is forgotten. Default DefaultRetentionMax.
	Max int
}

// DefaultRetentionIdle is the tracker's default tomb timeout (15 min,
// flow.Config.TombTimeout) plus two minutes for its once-a-minute sweep:
// a stream idle longer cannot be continued.
const DefaultRetentionIdle = 17 * time.Minute

// DefaultRetentionMax is the tracker's default MaxTombs (65536 per
// protocol): a tomb with that many connections buried after it is gone.
const DefaultRetentionMax = 65536

// RetentionStats counts what the retention did.
type RetentionStats struct {
	Forgotten [2]int64 // rows forgotten (udp, tcp): by idle time or budget
	ByBudget  [2]int64 // of those, forgotten because Max was full
	// Split counts connections continued after their row was forgotten:
	// the new row holds only the continuation's figures and replaces the
	// earlier row in ClickHouse (same identity). 0 with the defaults.
	Split [2]int64
	Held  int // rows held now
	Peak  int // most rows held at once (both protocols)
}

// Total is the number of rows forgotten.
func (s RetentionStats) Total() int64 { return s.Forgotten[0] + s.Forgotten[1] }

// Note is the line a command prints about the retention (as the tracker's
// budget notes: "" when nothing was forgotten by the budget and nothing
// split; forgetting after the idle time is the normal course).
func (s RetentionStats) Note(r Retention) string {
	by := s.ByBudget[0] + s.ByBudget[1]
	split := s.Split[0] + s.Split[1]
	if by == 0 && split == 0 {
		return ""
	}
	n := fmt.Sprintf("export: %d rows of ended connections forgotten because %d per protocol were held (udp %d, tcp %d)",
		by, r.Max, s.ByBudget[0], s.ByBudget[1])
	if split > 0 {
		n += fmt.Sprintf("; %d connections continued after their row was forgotten (udp %d, tcp %d): their rows hold only the continuation", split, s.Split[0], s.Split[1])
	}
	return n
}

// Retention returns the bounds in force.
func (x *Exporter) Retention() Retention { return x.ret }

// ConnDoner is a Sink that wants each connection's final row once, when
// the Exporter forgets it or at Close (Zeek's conn.log: one record per
// connection, written as it is removed).
type ConnDoner interface {
	ConnDone(r *ConnRow) error
}

type bitset []uint64

func (b *bitset) set(i int64) {
	for int64(len(*b))*64 <= i {
		*b = append(*b, 0)
	}
	(*b)[i/64] |= 1 << (i % 64)
}

func (b bitset) has(i int64) bool { return i >= 0 && i/64 < int64(len(b)) && b[i/64]&(1<<(i%64)) != 0 }

// New returns an Exporter writing to sinks.
func New(sinks ...Sink) *Exporter {
	return &Exporter{sinks: sinks, streams: map[int64]*streamInfo{},
		ended: [2]map[int64]*endedRow{{}, {}},
		ret:   Retention{Idle: DefaultRetentionIdle, Max: DefaultRetentionMax}}
}

// SetRetention sets the bounds on retained rows (zero fields keep their
// defaults). Call it before the first frame.
func (x *Exporter) SetRetention(r Retention) {
	if r.Idle > 0 {
		x.ret.Idle = r.Idle
	}
	if r.Max > 0 {
		x.ret.Max = r.Max
	}
}

// Retained reports what the retention of ended rows did so far.
func (x *Exporter) Retained() RetentionStats { return x.stats }

func (x *Exporter) unlink(e *endedRow) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		x.head[e.p] = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		x.tail[e.p] = e.prev
	}
	e.prev, e.next = nil, nil
}

func (x *Exporter) push(e *endedRow) {
	e.prev = x.tail[e.p]
	if e.prev != nil {
		e.prev.next = e
	} else {
		x.head[e.p] = e
	}
	x.tail[e.p] = e
}

// forget drops a retained row and gives it to the ConnDone sinks.
func (x *Exporter) forget(e *endedRow, budget bool) {
	x.unlink(e)
	delete(x.ended[e.p], e.Stream)
	x.stats.Held--
	x.stats.Forgotten[e.p]++
	if budget {
		x.stats.ByBudget[e.p]++
	}
	x.done(&e.ConnRow)
}

func (x *Exporter) done(r *ConnRow) {
	for _, s := range x.sinks {
		if d, ok := s.(ConnDoner); ok {
			x.setErr(d.ConnDone(r))
		}
	}
}

// expire forgets the rows idle longer than Retention.Idle at packet time now.
func (x *Exporter) expire(now int64) {
	for p := range x.head {
		for e := x.head[p]; e != nil && !e.fresh && now-e.endAt > int64(x.ret.Idle); e = x.head[p] {
			x.forget(e, false)
		}
	}
}

func (x *Exporter) setErr(err error) {
	if err != nil && x.err == nil {
		x.err = err
	}
}

func (x *Exporter) each(fn func(s Sink) error) {
	for _, s := range x.sinks {
		x.setErr(fn(s))
	}
}

func (x *Exporter) stream(id int64) *streamInfo {
	s := x.streams[id]
	if s == nil {
		s = &streamInfo{rtt: -1}
		x.streams[id] = s
	}
	return s
}

func ends(f *decode.Frame) (src, dst netip.AddrPort) {
	var a, b netip.Addr
	switch {
	case f.Has(decode.ProtoIP):
		a, b = f.IP.Src, f.IP.Dst
	case f.Has(decode.ProtoIPv6):
		a, b = f.IPv6.Src, f.IPv6.Dst
	}
	switch {
	case f.Has(decode.ProtoTCP):
		return netip.AddrPortFrom(a, f.TCP.SrcPort), netip.AddrPortFrom(b, f.TCP.DstPort)
	case f.Has(decode.ProtoUDP):
		return netip.AddrPortFrom(a, f.UDP.SrcPort), netip.AddrPortFrom(b, f.UDP.DstPort)
	}
	return netip.AddrPortFrom(a, 0), netip.AddrPortFrom(b, 0)
}

// Frame looks at one frame.
func (x *Exporter) Frame(f *decode.Frame) {
	// Rows ended while the tracker handled this frame ended at its time
	// (the tracker buries them at it).
	for p := range x.tail {
		for e := x.tail[p]; e != nil && e.fresh; e = e.prev {
			e.endAt, e.fresh = max(e.endAt, f.TS), false
		}
	}
	if h := x.head; (h[0] != nil && f.TS-h[0].endAt > int64(x.ret.Idle)) || (h[1] != nil && f.TS-h[1].endAt > int64(x.ret.Idle)) {
		x.expire(f.TS)
	}
	an := &f.Analysis
	if an.Stream >= 0 {
		if f.Has(decode.ProtoTCP) && !an.IsUDP {
			x.seen[1].set(an.Stream)
		} else if f.Has(decode.ProtoUDP) && an.IsUDP {
			x.seen[0].set(an.Stream)
		}
	}
	var si *streamInfo
	if an.HasTCP && an.Stream >= 0 {
		si = x.stream(an.Stream)
		if an.InitialRTT > 0 && si.rtt < 0 {
			si.rtt = an.InitialRTT
		}
		if an.Flags&decode.AnRetransmission != 0 {
			si.retx++
		}
	}
	if f.Has(decode.ProtoDNS) && f.DNS.Response {
		x.dns(f)
	}
	if si != nil && f.Has(decode.ProtoHTTP) {
		x.http(f, si, an.Stream)
	}
	if si != nil && f.Has(decode.ProtoTLS) {
		x.tls(f, si, an.Stream)
	}
}

func (x *Exporter) dns(f *decode.Frame) {
	src, dst := ends(f)
	r := &DNSRow{TS: f.TS, Frame: f.Number, Stream: f.Analysis.Stream, Client: dst, Server: src, Proto: "udp",
		TransID: f.DNS.ID, Rcode: f.DNS.Rcode, RTT: -1}
	if f.DNS.TCP {
		r.Proto = "tcp"
	}
	if f.Analysis.DNSTime >= 0 && f.Analysis.DNSRespTo != 0 {
		r.RTT = f.Analysis.DNSTime
		r.TS = f.TS - r.RTT // Zeek's ts: the query's time
	}
	if len(f.DNS.Questions) > 0 {
		r.Query, r.QType = string(f.DNS.Questions[0].Name), f.DNS.Questions[0].Type
	}
	for i := range f.DNS.Answers {
		if a := &f.DNS.Answers[i]; a.Section == 1 {
			r.Answers = append(r.Answers, rrText(a))
		}
	}
	x.each(func(s Sink) error { return s.DNS(r) })
}

func rrText(a *decode.DNSRR) string {
	if a.Addr.IsValid() {
		return a.Addr.String()
	}
	if len(a.Target) > 0 {
		return string(a.Target)
	}
	return "TYPE" + strconv.Itoa(int(a.Type))
}

func (x *Exporter) http(f *decode.Frame, si *streamInfo, stream int64) {
	h := &f.HTTP
	src, dst := ends(f)
	if h.Request {
		if si.req != nil { // a request never answered
			x.each(func(s Sink) error { return s.HTTP(si.req) })
		}
		si.req = &HTTPRow{TS: f.TS, Frame: f.Number, Stream: stream, Client: src, Server: dst,
			Method: string(h.Method), Host: string(h.Host), URI: string(h.URI), UA: string(h.UserAgent),
			Version: string(h.Version), RTT: -1, RespBodyLen: -1}
	}
	if h.Response {
		if h.StatusCode >= 100 && h.StatusCode < 200 && h.StatusCode != 101 {
			return
		}
		r := si.req
		si.req = nil
		if r == nil {
			r = &HTTPRow{TS: f.TS, Frame: f.Number, Stream: stream, Client: dst, Server: src, Version: string(h.Version)}
		}
		r.Status, r.Phrase, r.RespBodyLen = h.StatusCode, string(h.Phrase), h.ContentLength
		if f.Analysis.HTTPTime >= 0 {
			r.RTT = f.Analysis.HTTPTime
		}
		x.each(func(s Sink) error { return s.HTTP(r) })
	}
}

func (x *Exporter) tls(f *decode.Frame, si *streamInfo, stream int64) {
	t := &f.TLS
	src, dst := ends(f)
	switch t.HandshakeType {
	case 1:
		x.flushTLS(si)
		si.tls = &TLSRow{TS: f.TS, Frame: f.Number, Stream: stream, Client: src, Server: dst, SNI: string(t.SNI),
			Version: t.HelloVersion}
		if t.SupportedVersion != 0 {
			si.tls.Version = t.SupportedVersion
		}
		if len(t.ALPN) > 0 {
			si.tls.ALPN = string(t.ALPN[0])
		}
	case 2:
		if si.tls == nil {
			si.tls = &TLSRow{TS: f.TS, Frame: f.Number, Stream: stream, Client: dst, Server: src}
		}
		si.tls.Version, si.tls.Cipher, si.tls.Established = t.HelloVersion, t.CipherSuite, true
		if t.SupportedVersion != 0 {
			si.tls.Version = t.SupportedVersion
		}
		if len(t.ALPN) > 0 {
			si.tls.ALPN = string(t.ALPN[0])
		}
	}
}

func (x *Exporter) flushTLS(si *streamInfo) {
	if si.tls != nil {
		r := si.tls
		si.tls = nil
		x.each(func(s Sink) error { return s.TLS(r) })
	}
}

// Conn is the flow tracker's OnEnd: one connection ended (or the capture did).
// A stream no frame was counted in (one only quoted inside an ICMP error)
// is not a connection: stats conv does not list it either.
func (x *Exporter) Conn(c *flow.ConnSummary) {
	p := 0
	if c.Proto == decode.ProtoTCP {
		p = 1
	}
	if !x.seen[p].has(c.Stream) {
		return
	}
	r := &ConnRow{ConnSummary: *c, HandshakeRTT: -1}
	if c.Proto == decode.ProtoTCP {
		if si := x.streams[c.Stream]; si != nil {
			r.HandshakeRTT, r.Retransmissions = si.rtt, si.retx
			if si.req != nil {
				x.each(func(s Sink) error { return s.HTTP(si.req) })
			}
			x.flushTLS(si)
			delete(x.streams, c.Stream)
		}
	}
	prev := x.ended[p][c.Stream]
	if prev == nil && x.endedAll[p].has(c.Stream) {
		x.stats.Split[p]++
		r.Update = true
	}
	x.endedAll[p].set(c.Stream)
	if prev != nil {
		r.Update = true
		r.First = min(prev.First, r.First)
		r.Last = max(prev.Last, r.Last)
		r.OrigPkts += prev.OrigPkts
		r.RespPkts += prev.RespPkts
		r.OrigBytes += prev.OrigBytes
		r.RespBytes += prev.RespBytes
		r.OrigIPBytes += prev.OrigIPBytes
		r.RespIPBytes += prev.RespIPBytes
		r.Retransmissions += prev.Retransmissions
		if r.HandshakeRTT < 0 {
			r.HandshakeRTT = prev.HandshakeRTT
		}
		if prev.Orig.IsValid() && prev.OrigPkts > 0 {
			r.Orig, r.Resp = prev.Orig, prev.Resp
		}
	}
	e := prev
	if e == nil && len(x.ended[p]) >= x.ret.Max {
		x.forget(x.head[p], true)
	}
	if e == nil {
		e = &endedRow{p: p}
		x.ended[p][c.Stream] = e
		x.stats.Held++
		x.stats.Peak = max(x.stats.Peak, x.stats.Held)
	} else {
		x.unlink(e)
	}
	e.ConnRow, e.endAt, e.fresh = *r, c.Last, true
	x.push(e)
	x.each(func(s Sink) error { return s.Conn(r) })
}

// Findings exports diagnose's findings and their stalls.
func (x *Exporter) Findings(fs []analyze.Finding) {
	for i := range fs {
		f := &fs[i]
		x.each(func(s Sink) error { return s.Finding(f) })
	}
}

// Flush sends the sinks' pending batches where a sink has a Flush method
// (ClickHouse), for live sensors.
func (x *Exporter) Flush() error {
	for _, s := range x.sinks {
		if f, ok := s.(interface{ Flush() error }); ok {
			x.setErr(f.Flush())
		}
	}
	err := x.err
	x.err = nil
	return err
}

// Close flushes what is pending (requests and handshakes of streams the
// tracker never ended) and closes the sinks. It returns the first error.
func (x *Exporter) Close() error {
	for _, si := range x.streams {
		if si.req != nil {
			r := si.req
			x.each(func(s Sink) error { return s.HTTP(r) })
		}
		x.flushTLS(si)
	}
	x.streams = map[int64]*streamInfo{}
	for x.head[0] != nil || x.head[1] != nil { // the rest, in the order they ended
		e := x.head[0]
		if e == nil || (x.head[1] != nil && x.head[1].endAt < e.endAt) {
			e = x.head[1]
		}
		x.unlink(e)
		delete(x.ended[e.p], e.Stream)
		x.done(&e.ConnRow)
	}
	x.stats.Held = 0
	for _, s := range x.sinks {
		x.setErr(s.Close())
	}
	return x.err
}

func connProto(r *ConnRow) string { return protoName(r.Proto == decode.ProtoTCP) }
