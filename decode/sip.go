package decode

import (
	"bytes"
	"net/netip"
	"strconv"
)

// SIP (RFC 3261) over UDP: port 5060 and, as Wireshark's enabled
// heuristic does, any port whose datagram starts with a SIP request or
// status line. A message is its start line, its header lines and a body;
// fields parse the layer's bytes (SIPHeaders). Decoding keeps what needs
// state: retransmissions and the request a response answers (the SIP
// transaction table), and the SDP offer/answer that sets up RTP.

// SIP is what decoding learnt about a frame's SIP message.
type SIP struct {
	Request  bool
	Resend   bool   // sip.resend: the same request or final response seen before
	Original uint64 // sip.resend-original: the frame first carrying it
	ReqFrame uint64 // sip.response-request: the request a response answers (0 unknown)
	BodyOff  int    // offset of the message body in the layer (-1: no body)
	HasSDP   bool
	// Tracked: the message has a Call-ID and a CSeq, so the transaction
	// table saw it (sip.resend is present).
	Tracked bool
	// ResponseMS is sip.response-time: ms from the request to this response.
	ResponseMS uint32
}

// SIPStartLine splits a SIP message's first line: a request (method, URI)
// or a status line (code, phrase). ok is false when b starts with neither.
func SIPStartLine(b []byte) (line []byte, request bool, method, uri []byte, code int, phrase []byte, ok bool) {
	line = b
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		line = b[:i]
	}
	line = bytes.TrimSuffix(line, []byte("\r"))
	if bytes.HasPrefix(line, []byte("SIP/2.0 ")) {
		rest := line[8:]
		if len(rest) < 3 {
			return line, false, nil, nil, 0, nil, false
		}
		for _, c := range rest[:3] {
			if c < '0' || c > '9' {
				return line, false, nil, nil, 0, nil, false
			}
			code = code*10 + int(c-'0')
		}
		if len(rest) > 3 && rest[3] != ' ' {
			return line, false, nil, nil, 0, nil, false
		}
		if len(rest) > 4 {
			phrase = rest[4:]
		}
		return line, false, nil, nil, code, phrase, true
	}
	sp := bytes.IndexByte(line, ' ')
	if sp <= 0 {
		return line, false, nil, nil, 0, nil, false
	}
	for _, c := range line[:sp] {
		if !sipTokenChar(c) {
			return line, false, nil, nil, 0, nil, false
		}
	}
	rest := line[sp+1:]
	sp2 := bytes.LastIndexByte(rest, ' ')
	if sp2 <= 0 || !bytes.Equal(rest[sp2+1:], []byte("SIP/2.0")) {
		return line, false, nil, nil, 0, nil, false
	}
	return line, true, line[:sp], rest[:sp2], 0, nil, true
}

func sipTokenChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return bytes.IndexByte([]byte("-.!%*_+`'~"), c) >= 0
}

// LooksLikeSIP reports whether p starts with a SIP request or status line.
func LooksLikeSIP(p []byte) bool {
	_, _, _, _, _, _, ok := SIPStartLine(p)
	return ok
}

// sipCompact maps the compact header forms to their full names.
var sipCompact = [26]string{
	'a' - 'a': "Accept-Contact", 'b' - 'a': "Referred-By", 'c' - 'a': "Content-Type", 'd' - 'a': "Request-Disposition",
	'e' - 'a': "Content-Encoding", 'f' - 'a': "From", 'i' - 'a': "Call-ID", 'j' - 'a': "Reject-Contact",
	'k' - 'a': "Supported", 'l' - 'a': "Content-Length", 'm' - 'a': "Contact", 'n' - 'a': "Identity-Info",
	'o' - 'a': "Event", 'r' - 'a': "Refer-To", 's' - 'a': "Subject", 't' - 'a': "To", 'u' - 'a': "Allow-Events",
	'v' - 'a': "Via", 'x' - 'a': "Session-Expires", 'y' - 'a': "Identity",
}

// SIPHeaderIs reports whether header name is canonical (or its compact form).
func SIPHeaderIs(name []byte, canonical string) bool {
	if len(name) == 1 {
		c := name[0] | 0x20
		if c >= 'a' && c <= 'z' && sipCompact[c-'a'] != "" {
			return sipCompact[c-'a'] == canonical
		}
	}
	return bytes.EqualFold(name, []byte(canonical))
}

// SIPHeaders calls fn with each header line of message b (continuation
// lines folded in: value spans them), in order; fn returns false to stop.
// It returns the offset of the body (-1 when the header section does not
// end) and whether a header line had no colon (Wireshark's
// sip.header_no_colon, a malformed message).
func SIPHeaders(b []byte, fn func(name, value []byte) bool) (body int, noColon bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return -1, false
	}
	off := i + 1
	for off < len(b) {
		end := bytes.IndexByte(b[off:], '\n')
		var line []byte
		next := len(b)
		if end < 0 {
			line = b[off:]
		} else {
			line = b[off : off+end]
			next = off + end + 1
			// folded continuation lines
			for next < len(b) && (b[next] == ' ' || b[next] == '\t') {
				e2 := bytes.IndexByte(b[next:], '\n')
				if e2 < 0 {
					line = b[off:]
					next = len(b)
					break
				}
				line = b[off : next+e2]
				next += e2 + 1
			}
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			if end < 0 {
				return -1, false
			}
			return next, false
		}
		c := bytes.IndexByte(line, ':')
		if c < 0 {
			return -1, true
		}
		name := bytes.TrimRight(line[:c], " \t")
		value := bytes.Trim(line[c+1:], " \t\r\n")
		if fn != nil && !fn(name, value) {
			fn = nil
		}
		if end < 0 {
			return -1, false
		}
		off = next
	}
	return -1, false
}

// SIPHeader returns the first value of header canonical in message b.
func SIPHeader(b []byte, canonical string) (v []byte, ok bool) {
	SIPHeaders(b, func(name, value []byte) bool {
		if SIPHeaderIs(name, canonical) {
			v, ok = value, true
			return false
		}
		return true
	})
	return v, ok
}

// SIPCSeq splits a CSeq value into its number and method.
func SIPCSeq(v []byte) (seq uint32, method []byte, ok bool) {
	v = bytes.TrimLeft(v, " \t")
	i := 0
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		seq = seq*10 + uint32(v[i]-'0')
		i++
	}
	if i == 0 {
		return 0, nil, false
	}
	return seq, bytes.TrimSpace(v[i:]), true
}

// decodeSIP records p as a SIP message when it starts like one.
func (d *Decoder) decodeSIP(f *Frame, p []byte) bool {
	_, request, method, _, code, _, ok := SIPStartLine(p)
	if !ok {
		return false
	}
	f.voipLayer(ProtoSIP, p)
	s := &f.SIP
	*s = SIP{Request: request, BodyOff: -1}
	var callID, cseqV, ctype []byte
	clen := -1
	body, noColon := SIPHeaders(p, func(name, value []byte) bool {
		switch {
		case SIPHeaderIs(name, "Call-ID"):
			callID = value
		case SIPHeaderIs(name, "CSeq"):
			cseqV = value
		case SIPHeaderIs(name, "Content-Type"):
			ctype = value
		case SIPHeaderIs(name, "Content-Length"):
			if n, err := strconv.Atoi(string(value)); err == nil {
				clen = n
			}
		}
		return true
	})
	if noColon {
		f.anomaly(ProtoSIP, f.appOff(p), "SIP header has no colon after the name")
	}
	if body >= 0 && body < len(p) && clen != 0 {
		s.BodyOff = body
	}
	seq, cmethod, haveCSeq := SIPCSeq(cseqV)
	if len(callID) > 0 && haveCSeq {
		s.Tracked = !noColon
		if request {
			d.voip.sip.request(f, s, callID, seq, method)
		} else {
			d.voip.sip.response(f, s, callID, seq, cmethod, code)
		}
	}
	if s.BodyOff < 0 {
		return true
	}
	bodyB := p[s.BodyOff:]
	if clen > 0 && clen < len(bodyB) {
		bodyB = bodyB[:clen]
	}
	if mt, _, _ := bytes.Cut(ctype, []byte(";")); bytes.EqualFold(bytes.TrimSpace(mt), []byte("application/sdp")) {
		s.HasSDP = true
		f.voipLayer(ProtoSDP, bodyB)
		d.voip.callID = callID
		d.sdpTrace(f, func() { d.sipSDP(f, s, bodyB, code) })
		d.voip.callID = nil
	}
	return true
}

// sipSDP applies the SDP body of a SIP message as Wireshark 4.0 does with
// its default preferences (SDP changes not delayed): a request's offer sets
// its media up at once, from its own frame; a 2xx or >= 400 answer sets the
// answer's media up from the request's frame, once per offer; a
// retransmission of a request that carried an offer changes nothing; any
// other SDP (provisional responses, retransmitted responses) sets its media
// up from its own frame.
func (d *Decoder) sipSDP(f *Frame, s *SIP, body []byte, code int) {
	t := &d.voip
	switch {
	case s.Resend && s.Request:
		if t.sdp.has(s.Original) {
			return
		}
	case s.Resend:
	case s.Request:
		t.sdp.set(f.Number, sdpOffer)
		d.applySDP(body, f.Number, f.Number)
		return
	case code >= 200 && code < 300 || code >= 400:
		if s.ReqFrame == 0 {
			break
		}
		if st := t.sdp.get(s.ReqFrame); st == sdpAccepted || st == sdpRejected {
			return
		}
		if code >= 400 {
			t.sdp.set(s.ReqFrame, sdpRejected)
		} else {
			t.sdp.set(s.ReqFrame, sdpAccepted)
		}
		d.applySDP(body, s.ReqFrame, f.Number)
		return
	}
	d.applySDP(body, f.Number, f.Number)
}

// sipKey names a SIP transaction's dialog side: the Call-ID and the
// request's addresses and ports.
type sipKey struct {
	callID     string
	src, dst   netip.Addr
	sport, dpt uint16
}

// sipTxn is the last transaction seen on a key.
type sipTxn struct {
	cseq       uint32
	method     string
	reqFrame   uint64
	finalCode  int
	finalFrame uint64
	reqTS      int64
}

// maxSIPTxns bounds the transaction table.
const maxSIPTxns = 1 << 14

type sipTable struct {
	m map[sipKey]*sipTxn
}

func sipFrameKey(f *Frame, callID []byte, response bool) (sipKey, bool) {
	src, dst, ok := udpAddrs(f)
	if !ok {
		return sipKey{}, false
	}
	k := sipKey{src: src, dst: dst, sport: f.UDP.SrcPort, dpt: f.UDP.DstPort}
	if response {
		k.src, k.dst, k.sport, k.dpt = dst, src, f.UDP.DstPort, f.UDP.SrcPort
	}
	k.callID = unsafeString(callID)
	return k, true
}

func (t *sipTable) lookup(k sipKey) *sipTxn {
	return t.m[k]
}

func (t *sipTable) create(k sipKey) *sipTxn {
	if t.m == nil {
		t.m = make(map[sipKey]*sipTxn)
	}
	if len(t.m) >= maxSIPTxns {
		return nil
	}
	k.callID = string([]byte(k.callID)) // own the bytes
	e := &sipTxn{}
	t.m[k] = e
	return e
}

func (t *sipTable) request(f *Frame, s *SIP, callID []byte, seq uint32, method []byte) {
	k, ok := sipFrameKey(f, callID, false)
	if !ok {
		return
	}
	e := t.lookup(k)
	if e == nil {
		if e = t.create(k); e == nil {
			return
		}
	} else if e.cseq == seq {
		switch {
		case string(method) == "ACK":
			// an ACK answers the transaction's last request like a response
			if e.reqFrame != 0 {
				s.ReqFrame = e.reqFrame
				s.ResponseMS = sipMS(e.reqTS, f.TS)
			}
		case e.method == string(method) && e.reqFrame != 0:
			s.Resend, s.Original = true, e.reqFrame
			return
		}
		e.reqFrame, e.reqTS = f.Number, f.TS
		return
	}
	*e = sipTxn{cseq: seq, method: string(method), reqFrame: f.Number, reqTS: f.TS}
}

// sipMS is Wireshark's sip.response-time from time from to time to (ns
// since the epoch): whole seconds apart times 1000 plus the nanosecond
// parts' difference in ms, truncated, without normalising the two.
func sipMS(from, to int64) uint32 {
	ds := to/1e9 - from/1e9
	dn := to%1e9 - from%1e9
	ms := ds*1000 + dn/1e6
	if ms < 0 {
		return 0
	}
	return uint32(ms)
}

func (t *sipTable) response(f *Frame, s *SIP, callID []byte, seq uint32, method []byte, code int) {
	k, ok := sipFrameKey(f, callID, true)
	if !ok {
		return
	}
	e := t.lookup(k)
	if e == nil {
		if e = t.create(k); e == nil {
			return
		}
		e.cseq, e.method = seq, string(method)
	} else if e.cseq != seq {
		*e = sipTxn{cseq: seq, method: string(method)}
	}
	if e.method != string(method) {
		return
	}
	s.ReqFrame = e.reqFrame
	if e.reqFrame != 0 {
		s.ResponseMS = sipMS(e.reqTS, f.TS)
	}
	if code < 200 {
		return
	}
	if e.finalCode == code && e.finalFrame != 0 {
		s.Resend, s.Original = true, e.finalFrame
		return
	}
	e.finalCode, e.finalFrame = code, f.Number
}

// appendSIPInfo writes Wireshark's Info text for SIP message b.
func appendSIPInfo(dst []byte, f *Frame, b []byte) []byte {
	_, request, method, uri, code, phrase, ok := SIPStartLine(b)
	if !ok {
		return dst
	}
	var cseqMethod []byte
	var toTag, register bool
	contacts, expires0, star := 0, 0, false
	expiresHdr0 := false
	SIPHeaders(b, func(name, value []byte) bool {
		switch {
		case SIPHeaderIs(name, "CSeq"):
			_, cseqMethod, _ = SIPCSeq(value)
		case SIPHeaderIs(name, "To"):
			toTag = sipParam(value, "tag") != nil
		case SIPHeaderIs(name, "Expires"):
			expiresHdr0 = bytes.Equal(value, []byte("0"))
		case SIPHeaderIs(name, "Contact"):
			if bytes.Equal(value, []byte("*")) {
				star = true
				return true
			}
			EachSIPListItem(value, func(item []byte) {
				contacts++
				if e := sipParam(item, "expires"); e != nil && bytes.Equal(e, []byte("0")) {
					expires0++
				}
			})
		}
		return true
	})
	if request {
		dst = append(dst, "Request: "...)
		dst = append(dst, method...)
		dst = append(dst, ' ')
		dst = append(dst, uri...)
		register = bytes.Equal(method, []byte("REGISTER"))
		if bytes.Equal(method, []byte("INVITE")) && toTag {
			dst = append(dst, ", in-dialog"...)
		}
	} else {
		dst = append(dst, "Status: "...)
		dst = strconv.AppendInt(dst, int64(code), 10)
		dst = append(dst, ' ')
		dst = append(dst, phrase...)
		if code >= 200 && code < 300 && len(cseqMethod) > 0 {
			dst = append(dst, " ("...)
			dst = append(dst, cseqMethod...)
			dst = append(dst, ')')
			register = bytes.Equal(cseqMethod, []byte("REGISTER"))
		}
	}
	if register {
		if expiresHdr0 {
			expires0 += contacts
		}
		switch {
		case star:
			dst = append(dst, "  (remove all bindings)"...)
		case expires0 > 0:
			dst = append(dst, "  (remove "...)
			dst = appendBindings(dst, expires0)
			dst = append(dst, ')')
		case contacts > 0:
			dst = append(dst, "  ("...)
			dst = appendBindings(dst, contacts)
			dst = append(dst, ')')
		default:
			dst = append(dst, "  (fetch bindings)"...)
		}
	}
	if !f.sipMalformed() {
		dst = append(dst, " | "...)
	}
	return dst
}

func appendBindings(dst []byte, n int) []byte {
	dst = strconv.AppendInt(dst, int64(n), 10)
	dst = append(dst, " binding"...)
	if n != 1 {
		dst = append(dst, 's')
	}
	return dst
}

func (f *Frame) sipMalformed() bool {
	for _, a := range f.Anomalies {
		if a.Proto == ProtoSIP {
			return true
		}
	}
	return false
}

// EachSIPListItem calls fn with each comma-separated item of a header
// value, commas inside <> or quotes not counting.
func EachSIPListItem(v []byte, fn func(item []byte)) {
	start, angle, quote := 0, false, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case quote:
			if c == '\\' {
				i++
			} else if c == '"' {
				quote = false
			}
		case c == '"':
			quote = true
		case c == '<':
			angle = true
		case c == '>':
			angle = false
		case c == ',' && !angle:
			fn(bytes.TrimSpace(v[start:i]))
			start = i + 1
		}
	}
	if it := bytes.TrimSpace(v[start:]); len(it) > 0 {
		fn(it)
	}
}

// sipParam returns the value of ;name= after the address part of a
// From/To/Contact/Via value (nil when absent; empty for a bare ;name).
func sipParam(v []byte, name string) []byte {
	rest := v
	if i := bytes.LastIndexByte(v, '>'); i >= 0 {
		rest = v[i+1:]
	}
	for {
		i := bytes.IndexByte(rest, ';')
		if i < 0 {
			return nil
		}
		rest = rest[i+1:]
		p := rest
		if j := bytes.IndexAny(p, ";,"); j >= 0 {
			p = p[:j]
		}
		k, val, _ := bytes.Cut(p, []byte("="))
		if bytes.EqualFold(bytes.TrimSpace(k), []byte(name)) {
			val = bytes.TrimSpace(val)
			if val == nil {
				val = p[:0]
			}
			return val
		}
	}
}
