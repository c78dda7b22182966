package flow

import (
	"bytes"
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// txnTable matches DNS queries with responses and HTTP requests with
// responses, filling dns.time / http.time and their frame links, the way
// Wireshark 4.0 does in a single pass:
//
//   - DNS: a query opens a transaction keyed by its conversation (addresses
//     and ports) and DNS id. The same query again while unanswered and within
//     5 s is a retransmission (dns.retransmission,
//     dns.retransmit_request_in = the first query) and keeps the first query's
//     time. The first response takes the transaction's request frame as
//     dns.response_to and dns.time = its time − the query's; later responses,
//     at any time, are retransmissions (dns.retransmit_response_in = the first
//     response) and get neither.
//   - HTTP: per TCP stream, each request appends a transaction; a response
//     fills the newest transaction unless that one already has a response
//     (then it opens one without a request), except that a final response
//     after a 1xx joins the same transaction. http.time = response time −
//     request time.
//
// The frame links that point forward (dns.response_in, http.response_in on
// the request) are unknown in one pass and stay 0. State is bounded: entries
// older than txnMaxAge of packet time are dropped.
type txnTable struct {
	dns      map[dnsTxnKey]*dnsTxn
	http     map[httpConvKey]*httpConv
	lastGC   int64
	pending  int // conversations with an HTTP body still arriving
	freeDNS  []*dnsTxn
	freeHTTP []*httpConv
}

const txnMaxAge = int64(10 * 60 * 1e9) // 10 minutes of packet time

// Memory follows the live transactions, not the capture (gc, every
// txnSweep of packet time): an answered DNS transaction is kept only
// dnsAnsweredAge after its last packet (it serves to flag retransmitted
// responses; the corpus has them up to 32 s apart), and an HTTP
// conversation whose newest transaction is complete is dropped after
// httpDoneAge: a new entry behaves the same (the next response without a
// request opens a transaction without one, the next request starts afresh).
const (
	txnSweep       = int64(1e9)
	dnsAnsweredAge = int64(60 * 1e9)
	httpDoneAge    = int64(1e9)
)

// dnsRetransWindow is Wireshark's dns.retransmission_timer (5 s): a query
// repeating an unanswered one within it is a retransmission.
const dnsRetransWindow = int64(5 * 1e9)

type dnsTxnKey struct {
	conv Key
	tcp  bool
	id   uint16
}

type dnsTxn struct {
	reqFrame uint64
	reqTS    int64
	repFrame uint64
	last     int64
}

type httpConvKey struct {
	stream int64
	conv   Key
}

type httpConv struct {
	// the newest transaction only: Wireshark 4.0 matches against the tail
	reqFrame uint64
	reqTS    int64
	resFrame uint64
	resCode  uint16
	has      bool
	last     int64
	headReq  bool // the newest request was HEAD: its response has no body
	// a message whose head was seen but whose body is still arriving;
	// Wireshark shows the message on the frame that completes it
	pend httpPending
}

type httpPending struct {
	active  bool
	src     netip.AddrPort
	end     uint32 // absolute TCP sequence number where the body ends
	chunked bool
	toClose bool // no length: the body ends when the sender closes
	isReq   bool
	code    uint16
}

func newTxnTable() txnTable {
	return txnTable{dns: map[dnsTxnKey]*dnsTxn{}, http: map[httpConvKey]*httpConv{}}
}

func (t *txnTable) process(f *decode.Frame) {
	if !f.Has(decode.ProtoDNS) && !f.Has(decode.ProtoHTTP) {
		if t.pending > 0 && f.Has(decode.ProtoTCP) && (f.TCP.PayloadLen > 0 || f.TCP.Flags&(decode.TCPFin|decode.TCPRst) != 0) {
			t.continueHTTP(f)
		}
		return
	}
	if f.TS-t.lastGC > txnSweep || f.TS < t.lastGC {
		t.gc(f.TS)
	}
	if f.Has(decode.ProtoDNS) {
		t.processDNS(f)
	}
	if f.Has(decode.ProtoHTTP) {
		t.processHTTP(f)
	}
}

// convKey builds the conversation key (addresses and transport ports).
func convKey(f *decode.Frame) (Key, bool, bool) {
	var sport, dport uint16
	tcp := false
	switch {
	case f.Has(decode.ProtoTCP):
		sport, dport, tcp = f.TCP.SrcPort, f.TCP.DstPort, true
	case f.Has(decode.ProtoUDP):
		sport, dport = f.UDP.SrcPort, f.UDP.DstPort
	default:
		return Key{}, false, false
	}
	switch {
	case f.Has(decode.ProtoIP):
		k, _ := makeKey(f.IP.Src, sport, f.IP.Dst, dport)
		return k, tcp, true
	case f.Has(decode.ProtoIPv6):
		k, _ := makeKey(f.IPv6.Src, sport, f.IPv6.Dst, dport)
		return k, tcp, true
	}
	return Key{}, false, false
}

func (t *txnTable) processDNS(f *decode.Frame) {
	conv, tcp, ok := convKey(f)
	if !ok {
		return
	}
	k := dnsTxnKey{conv: conv, tcp: tcp, id: f.DNS.ID}
	a := &f.Analysis
	if !f.DNS.Response {
		tx := t.dns[k]
		if tx != nil && tx.repFrame == 0 && f.TS-tx.reqTS < dnsRetransWindow {
			// a retransmitted query: the clock keeps running from the first
			tx.last = f.TS
			a.DNSRetransReqIn = tx.reqFrame
			return
		}
		if tx == nil {
			if n := len(t.freeDNS); n > 0 {
				tx = t.freeDNS[n-1]
				t.freeDNS = t.freeDNS[:n-1]
			} else {
				tx = &dnsTxn{}
			}
			t.dns[k] = tx
		}
		*tx = dnsTxn{reqFrame: f.Number, reqTS: f.TS, last: f.TS}
		return
	}
	tx := t.dns[k]
	if tx == nil || tx.reqFrame == 0 {
		return
	}
	if tx.repFrame != 0 && tx.repFrame != f.Number {
		// a retransmitted response carries no dns.time
		a.DNSRetransRespIn = tx.repFrame
		tx.last = f.TS
		return
	}
	tx.repFrame = f.Number
	tx.last = f.TS
	a.DNSRespTo = tx.reqFrame
	a.DNSTime = f.TS - tx.reqTS
}

func httpKey(f *decode.Frame) (httpConvKey, bool) {
	k := httpConvKey{stream: f.Analysis.Stream}
	if k.stream < 0 {
		conv, _, ok := convKey(f)
		if !ok {
			return k, false
		}
		k.conv = conv
	}
	return k, true
}

func srcAP(f *decode.Frame) netip.AddrPort {
	if f.Has(decode.ProtoIP) {
		return netip.AddrPortFrom(f.IP.Src, f.TCP.SrcPort)
	}
	return netip.AddrPortFrom(f.IPv6.Src, f.TCP.SrcPort)
}

func (t *txnTable) processHTTP(f *decode.Frame) {
	h := &f.HTTP
	if !h.Request && !h.Response || h.Notification() {
		return // Wireshark matches no response to a GENA notification
	}
	k, ok := httpKey(f)
	if !ok {
		return
	}
	c := t.http[k]
	if c == nil {
		if n := len(t.freeHTTP); n > 0 {
			c = t.freeHTTP[n-1]
			t.freeHTTP = t.freeHTTP[:n-1]
			*c = httpConv{}
		} else {
			c = &httpConv{}
		}
		t.http[k] = c
	}
	c.last = f.TS
	if !f.Has(decode.ProtoTCP) {
		t.completeHTTP(c, f, h.Request, h.StatusCode)
		return
	}
	src := srcAP(f)
	if c.pend.active && c.pend.src == src {
		// A new head at or beyond the end of the pending body starts a new
		// message: the old body ended in segments the capture missed.
		fresh := !c.pend.chunked && !c.pend.toClose && int32(f.TCP.Seq-c.pend.end) >= 0
		if !fresh && t.pendDone(c, f) {
			return
		}
		// a new message although the last body never completed: drop it
		c.pend.active = false
		t.pending--
	}
	// Does the body follow in later segments?
	bodyless := h.Response && (h.StatusCode < 200 || h.StatusCode == 204 || h.StatusCode == 304 || c.headReq)
	incomplete := false
	var end uint32
	chunked, toClose := false, false
	if !bodyless && f.Reassembled == nil && len(f.Decrypted) == 0 {
		switch {
		case h.ContentLength > 0 && int64(h.BodyLen) < h.ContentLength:
			incomplete = true
			end = f.TCP.Seq + uint32(h.HeadLen) + uint32(h.ContentLength)
		case h.ContentLength < 0 && h.Chunked && !bytes.HasSuffix(f.Payload, []byte("0\r\n\r\n")):
			incomplete, chunked = true, true
		case h.Response && h.ContentLength < 0 && !h.Chunked && f.TCP.Flags&decode.TCPFin == 0:
			incomplete, toClose = true, true
		}
	}
	if h.Request {
		c.headReq = string(h.Method) == "HEAD"
	}
	if incomplete {
		c.pend = httpPending{active: true, src: src, end: end, chunked: chunked, toClose: toClose, isReq: h.Request, code: h.StatusCode}
		t.pending++
		return
	}
	t.completeHTTP(c, f, h.Request, h.StatusCode)
}

// pendDone completes c's pending message if f (from the same sender) ends it.
func (t *txnTable) pendDone(c *httpConv, f *decode.Frame) bool {
	p := &c.pend
	done := false
	switch {
	case p.toClose:
		done = f.TCP.Flags&(decode.TCPFin|decode.TCPRst) != 0
	case p.chunked:
		done = bytes.HasSuffix(f.Payload, []byte("0\r\n\r\n"))
	default:
		end := f.TCP.Seq + uint32(f.TCP.PayloadLen)
		done = int32(end-p.end) >= 0
	}
	if !done {
		return false
	}
	p.active = false
	t.pending--
	t.completeHTTP(c, f, p.isReq, p.code)
	return true
}

// continueHTTP follows a body in a segment without an HTTP head.
func (t *txnTable) continueHTTP(f *decode.Frame) {
	k, ok := httpKey(f)
	if !ok {
		return
	}
	c := t.http[k]
	if c == nil || !c.pend.active || c.pend.src != srcAP(f) {
		return
	}
	c.last = f.TS
	t.pendDone(c, f)
}

// completeHTTP records a complete request or response on frame f.
func (t *txnTable) completeHTTP(c *httpConv, f *decode.Frame, isReq bool, code uint16) {
	if isReq {
		c.reqFrame, c.reqTS, c.resFrame, c.resCode, c.has = f.Number, f.TS, 0, 0, true
		return
	}
	if !c.has || (c.resFrame != 0 && c.resFrame != f.Number && !(c.resCode >= 100 && c.resCode < 200)) {
		// a response with no request of its own
		c.reqFrame, c.reqTS, c.has = 0, 0, true
	}
	c.resFrame, c.resCode = f.Number, code
	if c.reqFrame != 0 {
		f.Analysis.HTTPReqIn = c.reqFrame
		f.Analysis.HTTPTime = f.TS - c.reqTS
	}
}

func (t *txnTable) gc(now int64) {
	t.lastGC = now
	for k, tx := range t.dns {
		if age := now - tx.last; age > txnMaxAge || (tx.repFrame != 0 && age > dnsAnsweredAge) {
			delete(t.dns, k)
			if len(t.freeDNS) < 1024 {
				t.freeDNS = append(t.freeDNS, tx)
			}
		}
	}
	for k, c := range t.http {
		age := now - c.last
		done := c.has && c.resFrame != 0 && c.resCode >= 200 && !c.pend.active
		if age > txnMaxAge || (done && age > httpDoneAge) {
			if c.pend.active {
				t.pending--
			}
			delete(t.http, k)
			if len(t.freeHTTP) < 1024 {
				t.freeHTTP = append(t.freeHTTP, c)
			}
		}
	}
}
