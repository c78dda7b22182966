package decode

import (
	"bytes"
	"strconv"
)

// Application-layer entry points. The transport decoders (udp.go, tcp.go) call
// decodeDNS, decodeHTTP and decodeTLS (dns.go, http.go, tls.go) on their
// payload when the ports or a heuristic suggest the protocol; package flow
// calls DecodeStream on reassembled TCP data. Each returns whether it
// recognised the protocol (and then set its Present bit and appended a Layer).

// DecodeStream decodes reassembled TCP bytes b as protocol proto (ProtoDNS:
// DNS over TCP with its 2-byte length prefix; ProtoHTTP; ProtoTLS) into f,
// which already holds the frame that completed them. It sets f.Reassembled
// to b (unless IP reassembly already set it), replaces any earlier decode of
// that protocol in f, and reports whether the bytes held a complete message.
// b must stay valid as long as f is used.
func (d *Decoder) DecodeStream(f *Frame, proto Proto, b []byte) bool {
	if proto == ProtoRPC {
		// One record of several in the frame: the others stay.
		f.drop(ProtoData)
	} else {
		f.drop(proto)
	}
	if f.Reassembled == nil {
		// Keep IP-reassembled bytes when the lower layers point into them;
		// the message's layer then records offset 0 of b.
		f.Reassembled = b
	}
	switch proto {
	case ProtoDNS:
		return d.decodeDNS(f, b, true)
	case ProtoHTTP:
		return d.decodeHTTP(f, b)
	case ProtoTLS:
		return d.decodeTLS(f, b)
	case ProtoNBSS:
		f.drop(ProtoSMB2)
		return d.decodeNBSS(f, b, true)
	case ProtoRPC:
		return d.decodeRPCTCP(f, b)
	case ProtoDCERPC:
		return d.decodeDCERPC(f, b, tcpConnHash(f), true) > 0
	case ProtoKerberos:
		return decodeKerberosTCP(f, b)
	case ProtoLDAP:
		return decodeLDAP(f, b)
	case ProtoGnutella:
		return decodeGnutella(f, b) > 0
	case ProtoBitTorrent:
		return decodeBitTorrent(f, b) > 0
	case ProtoIMAP:
		f.drop(ProtoIMF)
		return d.decodeIMAP(f, b, imapServerPort(f))
	}
	return false
}

// addAppLayer appends a Layer for b, which is a sub-slice of f.Reassembled
// or of f.Data.
func (f *Frame) addAppLayer(p Proto, b []byte) {
	if o, ok := subOffset(f.Decrypted, b); ok {
		f.Layers = append(f.Layers, Layer{Proto: p, Off: o, Len: len(b), Dec: true})
		return
	}
	off, reasm := f.locate(b)
	f.Layers = append(f.Layers, Layer{Proto: p, Off: off, Len: len(b), Reasm: reasm})
}

// appOff returns b's offset in the frame (see locate).
func (f *Frame) appOff(b []byte) int {
	off, _ := f.locate(b)
	return off
}

// locate finds b's offset in f.Reassembled (reasm true) or f.Data. A slice
// taken from a buffer by re-slicing keeps the buffer's capacity minus the
// offset, which gives the offset without unsafe; the element addresses
// confirm it. Unknown origins give offset 0.
func (f *Frame) locate(b []byte) (off int, reasm bool) {
	if o, ok := subOffset(f.Reassembled, b); ok {
		return o, true
	}
	if o, ok := subOffset(f.Data, b); ok {
		return o, false
	}
	return 0, false
}

func subOffset(outer, inner []byte) (int, bool) {
	if len(outer) == 0 || len(inner) == 0 {
		return 0, false
	}
	o := cap(outer) - cap(inner)
	if o < 0 || o+len(inner) > len(outer) || &outer[o] != &inner[0] {
		return 0, false
	}
	return o, true
}

// appendAppInfo appends the Info column text of the highest application
// protocol present (DNS, HTTP, TLS) to dst; ok is false when none is present.
func appendAppInfo(dst []byte, f *Frame) (out []byte, ok bool) {
	if out, ok := appendOtherInfo(dst, f); ok {
		return out, true
	}
	if out, ok := appendVoIPInfo(dst, f); ok {
		return out, true
	}
	switch {
	case f.Has(ProtoHTTP2):
		if f.Has(ProtoHTTP) {
			// an h2c upgrade: the 101 response, then the server's first frames
			dst = append(appendHTTPInfo(dst, &f.HTTP), ", "...)
		}
		if f.HTTP2.DoHFrame > 0 && f.Has(ProtoDNS) {
			return appendDoHInfo(dst, f), true
		}
		return appendHTTP2Info(dst, &f.HTTP2), true
	case f.Has(ProtoHTTP):
		return appendHTTPInfo(dst, &f.HTTP), true
	case f.Has(ProtoDNS):
		return appendDNSInfo(dst, f), true
	case f.Has(ProtoTLS):
		return appendTLSInfo(dst, &f.TLS), true
	}
	return dst, false
}

// dnsPort returns 5353 or 5355 when either UDP or TCP port is mDNS or LLMNR, else 0.
func dnsPort(f *Frame) uint16 {
	var ports [2]uint16
	switch {
	case f.Has(ProtoUDP):
		ports = [2]uint16{f.UDP.SrcPort, f.UDP.DstPort}
	case f.Has(ProtoTCP):
		ports = [2]uint16{f.TCP.SrcPort, f.TCP.DstPort}
	}
	for _, p := range ports {
		if p == 5353 || p == 5355 {
			return p
		}
	}
	return 0
}

// IsMDNS reports whether f's DNS message is multicast DNS (port 5353), whose
// classes carry the QU and cache-flush bits.
func (f *Frame) IsMDNS() bool { return dnsPort(f) == 5353 }

// IsLLMNR reports whether f's DNS message is LLMNR (port 5355), whose flags
// differ from DNS's.
func (f *Frame) IsLLMNR() bool { return dnsPort(f) == 5355 }

// IsPlainDNS reports whether f's DNS-format message is DNS proper (neither
// mDNS nor LLMNR): Wireshark's "dns" protocol.
func (f *Frame) IsPlainDNS() bool { p := dnsPort(f); return p != 5353 && p != 5355 }

func appendHex16(dst []byte, v uint16) []byte {
	const hex = "0123456789abcdef"
	return append(dst, '0', 'x', hex[v>>12], hex[v>>8&0xf], hex[v>>4&0xf], hex[v&0xf])
}

// appendDNSInfo writes tshark's DNS Info text, for example
// "Standard query response 0xb10b A www.espn.com CNAME redir.espn.gns.go.com A 68.71.212.158".
func appendDNSInfo(dst []byte, f *Frame) []byte {
	m := &f.DNS
	mdns := dnsPort(f) == 5353
	if s := DNSOpcodeName(m.Opcode); s != "" {
		dst = append(dst, s...)
	} else {
		dst = append(dst, "Unknown operation ("...)
		dst = strconv.AppendUint(dst, uint64(m.Opcode), 10)
		dst = append(dst, ')')
	}
	if m.Response {
		dst = append(dst, " response"...)
	}
	dst = append(dst, ' ')
	dst = appendHex16(dst, m.ID)
	if m.Response && m.Rcode != 0 {
		dst = append(dst, ' ')
		if s := DNSRcodeName(uint16(m.Rcode)); s != "" {
			dst = append(dst, s...)
		} else {
			dst = append(dst, "Unknown error ("...)
			dst = strconv.AppendUint(dst, uint64(m.Rcode), 10)
			dst = append(dst, ')')
		}
	}
	for i := range m.Questions {
		q := &m.Questions[i]
		dst = append(dst, ' ')
		dst = appendDNSType(dst, q.Type)
		dst = append(dst, ' ')
		dst = append(dst, q.Name...)
		if mdns {
			if q.Class&0x8000 != 0 {
				dst = append(dst, `, "QU" question`...)
			} else {
				dst = append(dst, `, "QM" question`...)
			}
		}
	}
	for i := range m.Answers {
		rr := &m.Answers[i]
		dst = append(dst, ' ')
		dst = appendDNSType(dst, rr.Type)
		if mdns && rr.Class&0x8000 != 0 && rr.Type != DNSTypeOPT {
			dst = append(dst, ", cache flush"...)
		}
		switch rr.Type {
		case DNSTypeA, DNSTypeAAAA:
			if rr.Addr.IsValid() {
				dst = append(dst, ' ')
				dst = rr.Addr.AppendTo(dst)
			}
		case DNSTypeNS, DNSTypeCNAME, DNSTypePTR, DNSTypeSOA, DNSTypeNSEC:
			if rr.Target != nil {
				dst = append(dst, ' ')
				dst = append(dst, rr.Target...)
			}
		case DNSTypeMX:
			if rr.Target != nil {
				dst = append(dst, ' ')
				dst = strconv.AppendUint(dst, uint64(rr.Pref), 10)
				dst = append(dst, ' ')
				dst = append(dst, rr.Target...)
			}
		case DNSTypeSRV:
			if rr.Target != nil && len(rr.RData) >= 6 {
				for j := 0; j < 6; j += 2 {
					dst = append(dst, ' ')
					dst = strconv.AppendUint(dst, uint64(rr.RData[j])<<8|uint64(rr.RData[j+1]), 10)
				}
				dst = append(dst, ' ')
				dst = append(dst, rr.Target...)
			}
		}
	}
	if m.Malformed {
		dst = append(dst, "[Malformed Packet]"...)
	} else if m.Cut {
		dst = append(dst, "[Packet size limited during capture]"...)
	}
	return dst
}

func appendDNSType(dst []byte, t uint16) []byte {
	if s := DNSTypeName(t); s != "" {
		return append(dst, s...)
	}
	dst = append(dst, "Unknown ("...)
	dst = strconv.AppendUint(dst, uint64(t), 10)
	return append(dst, ')')
}

// appendHTTPInfo writes tshark's HTTP Info text: the start line and a space,
// then the body's media type when the body is present, for example
// "HTTP/1.1 200 OK  (text/html)".
func appendHTTPInfo(dst []byte, h *HTTP) []byte {
	if !h.Request && !h.Response {
		return append(dst, "Continuation"...)
	}
	dst = append(dst, h.Line...)
	dst = append(dst, ' ')
	if h.Malformed {
		return append(dst, "[Malformed Packet]"...)
	}
	if h.Truncated {
		return append(dst, "[Packet size limited during capture]"...)
	}
	if h.BodyLen <= 0 || len(h.ContentType) == 0 || emptyGzip(h) {
		return dst
	}
	switch mt := mediaType(h.ContentType); mt {
	case "image/png":
		dst = append(dst, " (PNG)"...)
	case "image/gif":
		dst = append(dst, " (GIF89a)"...)
	case "image/jpeg":
		dst = append(dst, " (JPEG JFIF image)"...)
	case "text/xml", "application/xml", "application/octet-stream":
		// No media dissector adds to the Info column.
	case "application/json":
		dst = append(dst, ", JavaScript Object Notation (application/json)"...)
	default:
		dst = append(dst, " ("...)
		dst = appendLower(dst, mediaTypeBytes(h.ContentType))
		dst = append(dst, ')')
	}
	return dst
}

// emptyGzip reports whether the body is a gzip stream of nothing: 20 bytes
// (header, empty deflate block, trailer) cannot hold a byte of content, and
// tshark, which inflates it, then has no body to name.
func emptyGzip(h *HTTP) bool {
	if h.BodyLen != 20 {
		return false
	}
	for _, hv := range h.Headers {
		if bytes.EqualFold(hv[0], []byte("Content-Encoding")) && containsFold(hv[1], []byte("gzip")) {
			return true
		}
	}
	return false
}

// mediaTypeBytes returns the media type of a Content-Type value without parameters.
func mediaTypeBytes(ct []byte) []byte {
	if i := bytes.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return bytes.TrimSpace(ct)
}

// mediaType returns the lower-case media type for the few types that change
// the Info or Protocol text; other types return "" (no allocation).
func mediaType(ct []byte) string {
	mt := mediaTypeBytes(ct)
	for _, s := range [...]string{"image/png", "image/gif", "image/jpeg", "text/xml", "application/xml", "application/json", "application/octet-stream"} {
		if bytes.EqualFold(mt, []byte(s)) {
			return s
		}
	}
	return ""
}

func appendLower(dst, s []byte) []byte {
	for _, c := range s {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// tlsContinuation shows p, bytes of a TLS connection that start no record,
// as Wireshark's TLS "Continuation Data".
func tlsContinuation(f *Frame, p []byte) {
	f.drop(ProtoData)
	resetTLS(&f.TLS, 0, 0)
	f.TLS.Msgs = append(f.TLS.Msgs, TLSMsg{Continuation: true})
	f.Present.Add(ProtoTLS)
	f.addAppLayer(ProtoTLS, p)
}

// appendTLSInfo writes tshark's TLS Info text, for example
// "Server Hello, Change Cipher Spec, Encrypted Handshake Message".
func appendTLSInfo(dst []byte, t *TLS) []byte {
	sep := false
	partials := 0
	for _, m := range t.Msgs {
		if m.Continuation {
			dst = append(dst, "Continuation Data"...)
			continue
		}
		if m.Partial {
			// tshark writes this at most twice however many records of
			// the frame only continue a message (seen with 3 to 5)
			if partials < 2 {
				dst = append(dst, "[TLS segment of a reassembled PDU]"...)
			}
			partials++
			continue
		}
		if sep {
			dst = append(dst, ", "...)
		}
		sep = true
		switch m.Content {
		case TLSChangeCipherSpec:
			dst = append(dst, "Change Cipher Spec"...)
		case TLSAlert:
			if m.Encrypted {
				dst = append(dst, "Encrypted Alert"...)
				break
			}
			dst = append(dst, "Alert (Level: "...)
			dst = appendName(dst, TLSAlertLevelName(t.AlertLevel), t.AlertLevel)
			dst = append(dst, ", Description: "...)
			dst = appendName(dst, TLSAlertDescName(t.AlertDesc), t.AlertDesc)
			dst = append(dst, ')')
		case TLSHandshake:
			switch {
			case m.Encrypted:
				dst = append(dst, "Encrypted Handshake Message"...)
			case m.HRR:
				dst = append(dst, "Hello Retry Request"...)
			default:
				dst = appendName(dst, tlsHandshakeName(m.Handshake), m.Handshake)
			}
		case TLSApplicationData:
			dst = append(dst, "Application Data"...)
		case TLSHeartbeat:
			dst = append(dst, "Heartbeat"...)
		}
	}
	return dst
}

func appendName(dst []byte, name string, v uint8) []byte {
	if name != "" {
		return append(dst, name...)
	}
	dst = append(dst, "Unknown ("...)
	dst = strconv.AppendUint(dst, uint64(v), 10)
	return append(dst, ')')
}

// tlsHTTPDNS: a segment with one of these was dissected already.
var tlsHTTPDNS = Protos(ProtoTLS, ProtoHTTP, ProtoDNS)

// appStreamMax bounds the bytes an AppStream buffers for one message: an
// HTTP head (or a chunked body), a TLS record, a DNS message.
const appStreamMax = 256 << 10

// appStreamKeep is the buffer capacity an AppStream keeps between messages.
const appStreamKeep = 32 << 10

// AppStream reassembles application messages (HTTP/1.x, TLS records, DNS
// over TCP) from one direction of a TCP connection, the way Wireshark does:
// a message split over segments is decoded, with DecodeStream, into the frame
// whose segment completes it, and removed from the frame that started it.
// Package flow keeps one per direction and feeds it the in-order payload of
// each segment, after Decode. Memory stays bounded: an HTTP body with a
// Content-Length is counted, not kept. The zero value is ready to use.
type AppStream struct {
	bufs    [2][]byte // double buffer: the frame may alias the one just completed
	cur     int
	proto   Proto // protocol of the pending message; 0 none
	total   int64 // length of the pending message; -1 until known
	seen    int64 // bytes of the pending message consumed so far
	headLen int   // HTTP head length once complete
	chunked bool  // HTTP body is chunked
	// A TLS record other than a handshake is counted, not kept: only its
	// header is, in tlsHdr.
	tlsCount bool
	tlsHdr   [tlsRecordHeader]byte
	// tlsGap: bytes of the counted record were not captured (Gap); the
	// record's end is still known, but it cannot be shown reassembled.
	tlsGap bool
	// TLS version the connection negotiated (from the ServerHello), shared
	// with the other direction's stream when paired.
	tlsVer uint16
	peer   *AppStream
	// Requests the peer sent and this direction has not answered yet: was
	// each a HEAD (whose response has no body whatever its headers say)?
	heads    [16]bool
	hr, hw   uint8
	decided  bool // the pending HTTP message was matched with its request
	bodyless bool // the pending HTTP response answers a HEAD request
	// The pending HTTP head outgrew appStreamMax: its first appStreamMax
	// bytes are kept and its end is looked for with nl (0 mid-line, 1 at a
	// line start, 2 after a CR at a line start).
	oversized bool
	nl        uint8
	// A chunk error ended the last message early: until the next message
	// starts, Wireshark shows the direction's data as HTTP "Continuation".
	lost   bool
	chunks chunkParser
	// bittorrent: the connection began with a BitTorrent handshake
	// (Wireshark's heuristic then names the conversation BitTorrent).
	bittorrent bool
}

// Reset drops any pending message (call it after a gap in the stream). What
// the stream knows of its connection (the TLS version) stays.
func (s *AppStream) Reset() { s.clear() }

// Forget resets the stream for another connection.
func (s *AppStream) Forget() {
	s.clear()
	s.tlsVer, s.peer, s.hr, s.hw, s.lost, s.bittorrent = 0, nil, 0, 0, false, false
}

// clear drops the pending message.
func (s *AppStream) clear() {
	s.bufs[s.cur] = s.bufs[s.cur][:0]
	s.proto, s.total, s.seen, s.headLen, s.chunked, s.tlsCount, s.tlsGap = 0, -1, 0, 0, false, false, false
	s.oversized, s.nl = false, 0
	s.chunks = chunkParser{}
	s.decided, s.bodyless = false, false
}

// noteRequest records a request head sent in this direction, for matching
// the peer's responses with it.
func (s *AppStream) noteRequest(h *HTTP) {
	q := s.peer
	if q == nil {
		return
	}
	if q.hw-q.hr >= uint8(len(q.heads)) {
		q.hr++ // forget the oldest
	}
	q.heads[q.hw%uint8(len(q.heads))] = string(h.Method) == "HEAD"
	q.hw++
}

// answersHEAD takes the oldest unanswered request off the queue and reports
// whether it was a HEAD.
func (s *AppStream) answersHEAD() bool {
	if s.hr == s.hw {
		return false
	}
	v := s.heads[s.hr%uint8(len(s.heads))]
	s.hr++
	return v
}

// matchHTTP matches a message head with the request queue once.
func (s *AppStream) matchHTTP(h *HTTP) {
	if s.decided {
		return
	}
	s.decided = true
	switch {
	case h.Request:
		s.noteRequest(h)
	case h.StatusCode >= 200:
		s.bodyless = s.answersHEAD()
	}
}

// Segment takes p, the next in-order payload bytes of this direction carried
// by frame f, which Decode has filled. It returns true when p only
// continues or starts a message completed later (tshark then shows the frame
// as "[TCP segment of a reassembled PDU]"). Byte slices DecodeStream leaves in
// f alias the stream's buffer and stay valid until the next-but-one Segment.
func (s *AppStream) Segment(d *Decoder, f *Frame, p []byte) (partial bool) {
	if len(p) == 0 {
		return false
	}
	if s.proto == 0 {
		if d.opts.SkipApp&AppTLS != 0 && TLSRecordStart(p) && !HTTPStart(p) {
			return false // TLS is not dissected: no records to rebuild
		}
		if s.tlsVer != 0 && !f.Has(ProtoTLS) && TLSRecordStart(p) && d.decodeTLS(f, p) {
			// TLS on a port the per-segment decoders do not try it on,
			// known from the connection's hellos.
			f.drop(ProtoData)
		}
		partial = s.start(d, f, p, true)
		if s.proto == 0 && !partial && d.opts.SkipApp&AppTLS == 0 && !f.Present.Any(tlsHTTPDNS) &&
			s.tlsVer != 0 && !TLSRecordStart(p) && !HTTPStart(p) {
			// A connection that negotiated TLS (a gap lost the record
			// boundaries). Without hellos seen Wireshark's choice depends
			// on more than the port (FTP on 443 stays TCP), so those stay TCP.
			tlsContinuation(f, p)
		}
		if s.lost && s.proto == 0 && !f.Has(ProtoHTTP) && !partial {
			f.drop(ProtoData)
			f.HTTP = HTTP{ContentLength: -1, Headers: f.HTTP.Headers[:0]}
			f.Present.Add(ProtoHTTP)
			f.addAppLayer(ProtoHTTP, p)
		}
	} else {
		// p continues a message: what Decode read in it as NBSS or
		// DCE/RPC message starts was not.
		for _, q := range [...]Proto{ProtoNBSS, ProtoSMB2, ProtoSMB, ProtoDCERPC, ProtoGSSAPI, ProtoSPNEGO, ProtoNTLMSSP, ProtoKerberos, ProtoLDAP, ProtoGnutella, ProtoBitTorrent, ProtoData} {
			if f.Has(q) && (q != ProtoData || s.proto == ProtoNBSS || s.proto == ProtoDCERPC || s.proto == ProtoKerberos || s.proto == ProtoLDAP || s.proto == ProtoGnutella || s.proto == ProtoBitTorrent) {
				f.drop(q)
			}
		}
		partial = s.more(d, f, p)
	}
	if f.Has(ProtoTLS) {
		s.tlsSession(f)
	}
	return partial
}

// TLSVersion is the TLS version the connection negotiated (its
// ServerHello), 0 when none was seen.
func (s *AppStream) TLSVersion() uint16 { return s.tlsVer }

// SetTLSVersion tells a fresh stream the version its connection negotiated
// before (a connection revived after an idle spell).
func (s *AppStream) SetTLSVersion(v uint16) { s.tlsVer = v }

// Pair makes s and peer the two directions of one connection, so that the
// TLS version one learns from a ServerHello names the other's records too.
func (s *AppStream) Pair(peer *AppStream) {
	s.peer, peer.peer = peer, s
}

// tlsSession learns the negotiated version from a ServerHello and marks f
// with the connection's version.
func (s *AppStream) tlsSession(f *Frame) {
	t := &f.TLS
	if t.HandshakeType == TLSServerHello && t.HelloVersion != 0 {
		v := t.HelloVersion
		if t.SupportedVersion != 0 {
			v = t.SupportedVersion
		}
		s.tlsVer = v
		if s.peer != nil {
			s.peer.tlsVer = v
		}
	}
	t.SessionVersion = s.tlsVer
}

// Skip tells the stream that f's payload holds only bytes it has seen
// before (a retransmission): what the decoders found in them is removed from
// f, since Wireshark does not dissect retransmitted bytes again.
// Gap tells the stream that n bytes before the next segment were not
// captured. A counted TLS record (application data) that the missing bytes
// fall inside keeps its known end, as Wireshark's reassembly keeps the
// record's place across a hole, so the records after it are found again;
// any other pending message is given up (false: Reset it).
func (s *AppStream) Gap(n uint32) bool {
	if s.proto == ProtoTLS && s.tlsCount && int64(n) < s.total-s.seen {
		s.seen += int64(n)
		s.tlsGap = true
		return true
	}
	return false
}

func (s *AppStream) Skip(f *Frame) {
	f.drop(ProtoHTTP)
	f.drop(ProtoTLS)
	if f.Has(ProtoTCP) {
		f.drop(ProtoDNS)
		f.dropOtherTCP()
	}
}

// Close ends the stream at frame f (a FIN or RST): an HTTP response whose
// body runs to the connection's close is decoded into f.
func (s *AppStream) Close(d *Decoder, f *Frame) {
	if s.proto == ProtoHTTP && s.headLen > 0 && s.total < 0 && !s.chunked {
		buf := s.bufs[s.cur]
		d.httpOversized = s.oversized
		d.DecodeStream(f, ProtoHTTP, buf[:min(s.headLen, len(buf))])
		d.httpOversized = false
		f.HTTP.BodyLen = int(s.seen) - s.headLen
	}
	s.clear()
}

// start looks at the beginning of a message in p. own tells whether p's
// first message belongs to f (false for bytes left after a message that f
// already shows).
func (s *AppStream) start(d *Decoder, f *Frame, p []byte, own bool) bool {
	s.clear()
	if own && f.Present.Any(noStreamProtos) {
		return false // a port's dissector that takes every segment as it comes
	}
	var tcpPorts [2]uint16
	if f.Has(ProtoTCP) {
		tcpPorts = [2]uint16{f.TCP.SrcPort, f.TCP.DstPort}
	}
	dnsPort := tcpPorts[0] == 53 || tcpPorts[1] == 53 || tcpPorts[0] == 5353 || tcpPorts[1] == 5353
	switch {
	case dnsPort && (!own || !f.Has(ProtoDNS)):
		n := DNSTCPMessageLen(p)
		if n == 0 || n > len(p) {
			s.pend(ProtoDNS, p, int64(n))
			return own
		}
	case (nbssPort(tcpPorts[0]) || nbssPort(tcpPorts[1])) && d.opts.SkipApp&AppOther == 0:
		// NBSS messages, length-prefixed: those complete in p are decoded
		// (by Decode when own, else here); one cut off is kept.
		for off := 0; ; {
			q := p[off:]
			if len(q) >= 4 && !nbssStart(q) || len(q) == 1 /* a keep-alive byte */ {
				return false
			}
			n := NBSSMessageLen(q)
			if n == 0 || n > len(q) {
				if n > appStreamMax {
					return false
				}
				s.pend(ProtoNBSS, q, int64(n))
				f.NBSSPDUStart = n > 0 && q[0] == 0
				return own && off == 0
			}
			if !own {
				d.decodeNBSS(f, q[:n], true)
			}
			off += n
			if off == len(p) {
				return false
			}
		}
	case d.opts.SkipApp&AppOther == 0 && (tcpPorts[0] == KerberosPort || tcpPorts[1] == KerberosPort || tcpPorts[0] == LDAPPort || tcpPorts[1] == LDAPPort):
		return s.asn1Start(d, f, p, own, tcpPorts[0] == KerberosPort || tcpPorts[1] == KerberosPort)
	case (tcpPorts[0] == GnutellaPort || tcpPorts[1] == GnutellaPort) && d.opts.SkipApp&AppOther == 0:
		return s.pdusStart(d, f, p, own, gnutellaPDUs)
	case d.opts.SkipApp&AppOther == 0 && (bittorrentPort(tcpPorts[0]) || bittorrentPort(tcpPorts[1]) || s.bittorrent || BitTorrentHandshake(p)):
		s.bittorrent = true
		if s.peer != nil {
			s.peer.bittorrent = true
		}
		return s.pdusStart(d, f, p, own, bittorrentPDUs)
	case (tcpPorts[0] == RPCPort || tcpPorts[1] == RPCPort) && d.opts.SkipApp&AppOther == 0 && rpcTCPStart(p) || d.rpcTCPAny(f, p):
		// RPC records: those complete in p are decoded (by Decode when own,
		// else here); one cut off is kept.
		off := 0
		for {
			n := RPCRecordLen(p[off:])
			if n == 0 || n > appStreamMax {
				return false
			}
			if off+n > len(p) {
				s.pend(ProtoRPC, p[off:], int64(n))
				return own && off == 0
			}
			if !own {
				if !rpcMsgOK(p[off+4 : off+n]) {
					return false
				}
				d.addRPC(f, p[off:off+n], p[off+4:off+n])
			}
			off += n
			if off == len(p) {
				return false
			}
		}
	case d.opts.SkipApp&AppOther == 0 && DCERPCLen(p) > 0 && !nbssPort(tcpPorts[0]) && !nbssPort(tcpPorts[1]):
		// DCE/RPC PDUs: those complete in p are decoded (by Decode when
		// own, else here); one cut off is kept.
		off := 0
		for {
			n := DCERPCLen(p[off:])
			if n == 0 || n > appStreamMax {
				return false
			}
			if off+n > len(p) {
				s.pend(ProtoDCERPC, p[off:], int64(n))
				return own && off == 0
			}
			if !own {
				d.decodeDCERPC(f, p[off:off+n], tcpConnHash(f), true)
			}
			off += n
			if off == len(p) {
				return false
			}
		}
	case own && f.Has(ProtoIMAP) || !own && (tcpPorts[0] == 143 || tcpPorts[1] == 143) && d.opts.SkipApp&AppOther == 0:
		// IMAP lines and FETCH literals: what is complete stays (decoded
		// again alone when the segment holds more); the rest waits.
		done, more := IMAPComplete(p)
		if !more {
			if !own {
				d.decodeIMAP(f, p, imapServerPort(f))
			}
			return false
		}
		s.pend(ProtoIMAP, p[done:], -1)
		if done == 0 {
			if own {
				f.drop(ProtoIMAP)
				f.drop(ProtoIMF)
				_, _, f.IMAPPDUStart = imapLineEnd(p)
			}
			return own
		}
		f.drop(ProtoIMAP)
		f.drop(ProtoIMF)
		d.decodeIMAP(f, p[:done], imapServerPort(f))
		return false
	case HTTPStart(p):
		s.lost = false
		if parseHTTP(&d.httpHdr, p) {
			s.matchHTTP(&d.httpHdr)
		}
		n, known := httpMessageLen(&d.httpHdr, p, s.bodyless)
		if known && n > 0 && n <= len(p) {
			if h := &d.httpHdr; h.Chunked && n == len(p) {
				// Did a chunk error end the body with p?
				var c chunkParser
				c.feed(p[h.HeadLen:])
				s.lost = c.failed
				if own && c.refused && f.Has(ProtoHTTP) {
					f.HTTP.Malformed = true
				}
			}
			if n < len(p) {
				s.start(d, f, p[n:], false)
			}
			return false
		}
		if own {
			f.drop(ProtoHTTP)
		}
		s.pend(ProtoHTTP, nil, -1)
		return s.httpMore(d, f, p, true) || own
	case TLSRecordStart(p) && (tlsPort(tcpPorts[0]) || tlsPort(tcpPorts[1]) || s.tlsVer != 0 || looksTLS(p)):
		// Complete records are already decoded; keep the one cut off.
		off := 0
		for TLSRecordStart(p[off:]) {
			n := tlsRecordHeader + (int(p[off+3])<<8 | int(p[off+4]))
			if off+n > len(p) {
				if p[off] == TLSHandshake {
					s.pend(ProtoTLS, p[off:], int64(n))
				} else {
					s.proto, s.total, s.seen, s.tlsCount = ProtoTLS, int64(n), int64(len(p)-off), true
					copy(s.tlsHdr[:], p[off:])
				}
				if own && off == 0 {
					// Wireshark's TLS dissector took this segment and asked
					// TCP for more: Info is only "[TCP segment of a
					// reassembled PDU]" and "tls" is in frame.protocols.
					f.TLSPDUStart = true
				}
				return own && off == 0
			}
			off += n
			if off == len(p) {
				break
			}
		}
		if tlsHeaderPrefix(p[off:]) {
			s.pend(ProtoTLS, p[off:], -1) // a record header cut by the segment's end
		}
	case !own && tlsHeaderPrefix(p) && (tlsPort(tcpPorts[0]) || tlsPort(tcpPorts[1]) || s.tlsVer != 0):
		s.pend(ProtoTLS, p, -1)
	}
	return false
}

// tlsHeaderPrefix reports whether b, shorter than a record header, starts
// like one (content type, major version 3, minor version up to 4).
func tlsHeaderPrefix(b []byte) bool {
	switch {
	case len(b) == 0 || len(b) >= tlsRecordHeader:
		return false
	case b[0] < TLSChangeCipherSpec || b[0] > TLSHeartbeat:
		return false
	case len(b) > 1 && b[1] != 3:
		return false
	}
	return len(b) < 3 || b[2] <= 4
}

// tlsHeaderMore continues a TLS record whose header the last segment cut:
// once the header is whole, the record is counted (or, a handshake, kept)
// like one that started in p. The segment that completes the header shows
// only "[TCP segment of a reassembled PDU]" when the record goes on, as
// Wireshark's TLS dissector then asks TCP for more.
func (s *AppStream) tlsHeaderMore(d *Decoder, f *Frame, p []byte) bool {
	have := len(s.bufs[s.cur])
	k := tlsRecordHeader - have // header bytes still missing
	if len(p) < k {
		s.bufs[s.cur] = append(s.bufs[s.cur], p...)
		s.seen += int64(len(p))
		return true
	}
	var h [tlsRecordHeader]byte
	copy(h[:], s.bufs[s.cur])
	copy(h[have:], p[:k])
	if !TLSRecordStart(h[:]) {
		s.clear()
		return false
	}
	n := int64(tlsRecordHeader + (int(h[3])<<8 | int(h[4])))
	if h[0] == TLSHandshake {
		s.total = n
		if int64(have+len(p)) < n {
			f.TLSPDUStart = true
		}
		return s.more(d, f, p)
	}
	s.tlsCount, s.tlsHdr, s.total, s.seen = true, h, n, int64(have)
	if need := s.total - s.seen; int64(len(p)) < need {
		s.seen += int64(len(p))
		f.TLSPDUStart = true
		return true
	}
	return s.completeCounted(d, f, p, int(s.total-s.seen))
}

// noStreamProtos take their segments whole: no other protocol's message
// is looked for in them (TLS under TPKT stays TPKT continuation data).
var noStreamProtos = Protos(ProtoTPKT)

// pend starts a pending message of protocol p with the bytes b.
func (s *AppStream) pend(p Proto, b []byte, total int64) {
	s.proto, s.total, s.seen = p, total, int64(len(b))
	if total == 0 {
		s.total = -1
	}
	s.bufs[s.cur] = append(s.bufs[s.cur][:0], b...)
}

// more continues the pending message with p.
func (s *AppStream) more(d *Decoder, f *Frame, p []byte) bool {
	switch s.proto {
	case ProtoHTTP:
		return s.httpMore(d, f, p, false)
	case ProtoGnutella, ProtoBitTorrent:
		return s.pdusMore(d, f, p, tcpPDUsOf(s.proto))
	case ProtoIMAP:
		buf := append(s.bufs[s.cur], p...)
		s.bufs[s.cur] = buf
		f.drop(ProtoIMAP)
		f.drop(ProtoIMF)
		if len(buf) > appStreamMax {
			s.clear()
			return false
		}
		done, more := IMAPComplete(buf)
		if done == 0 {
			_, _, f.IMAPPDUStart = imapLineEnd(buf)
			return true
		}
		if !more {
			s.complete(d, f, ProtoIMAP, buf, nil)
			return false
		}
		d.DecodeStream(f, ProtoIMAP, buf[:done])
		// The rest waits for the next segment, in the other buffer (the
		// frame keeps this one).
		s.cur ^= 1
		s.pend(ProtoIMAP, buf[done:], -1)
		return false
	case ProtoTLS:
		if !s.tlsCount && s.total < 0 {
			return s.tlsHeaderMore(d, f, p)
		}
		if s.tlsCount {
			need := s.total - s.seen
			if int64(len(p)) < need {
				s.seen += int64(len(p))
				return true
			}
			return s.completeCounted(d, f, p, int(need))
		}
		fallthrough
	case ProtoDNS, ProtoNBSS, ProtoRPC, ProtoDCERPC, ProtoKerberos, ProtoLDAP:
		buf := append(s.bufs[s.cur], p...)
		s.bufs[s.cur] = buf
		if len(buf) > appStreamMax {
			s.clear()
			return false
		}
		if s.total < 0 && s.proto == ProtoDNS {
			if n := DNSTCPMessageLen(buf); n > 0 {
				s.total = int64(n)
			}
		}
		if s.total < 0 && s.proto == ProtoNBSS {
			if n := NBSSMessageLen(buf); n > 0 {
				s.total = int64(n)
			}
		}
		if s.total < 0 || int64(len(buf)) < s.total {
			return true
		}
		n := int(s.total)
		if s.proto == ProtoRPC {
			// The rest is p's tail: its records point into the frame.
			s.complete(d, f, s.proto, buf[:n], p[len(p)-(len(buf)-n):])
			return false
		}
		if s.proto == ProtoTLS {
			// As Wireshark, the reassembled PDU is the one record TLS asked
			// for; the records after it in this segment are a second TLS
			// layer (a record cut off there stays pending).
			if !TLSRecordStart(buf) {
				s.clear()
				return false
			}
			rest := p[len(p)-(len(buf)-n):]
			d.DecodeStream(f, ProtoTLS, buf[:n])
			s.cur ^= 1
			if cap(s.bufs[s.cur]) > appStreamKeep {
				s.bufs[s.cur] = nil
			}
			s.clear()
			if len(rest) > 0 {
				f.tlsRest(rest)
				s.start(d, f, rest, false)
			}
			return false
		}
		s.complete(d, f, s.proto, buf[:n], buf[n:])
		return false
	}
	return false
}

// httpMore adds p to a pending HTTP message. first is set when called from
// start for the first segment (the message cannot be complete there).
func (s *AppStream) httpMore(d *Decoder, f *Frame, p []byte, first bool) bool {
	buf := s.bufs[s.cur]
	if s.headLen == 0 {
		var hl int
		if s.oversized {
			// Only the head's start is kept: look for its end in p.
			s.seen += int64(len(p))
			end := s.scanHeadEnd(p)
			if end < 0 {
				return true
			}
			hl = int(s.seen) - len(p) + end
		} else {
			buf = append(buf, p...)
			s.bufs[s.cur] = buf
			s.seen += int64(len(p))
			hl = HTTPHeadLen(buf)
			if hl == 0 && len(buf) > appStreamMax {
				// The head outgrows the buffer: keep its start, which has
				// the start line, and go on scanning for its end, so the
				// message is still shown (as Wireshark shows it) and
				// marked (HTTP.Oversized, an expert warning).
				if bytes.IndexByte(buf, '\n') < 0 {
					s.clear() // a start line longer than the buffer
					return false
				}
				s.oversized = true
				s.nl = 0
				s.scanHeadEnd(buf[len(buf)-min(len(buf), 3):])
				buf = buf[:appStreamMax]
				s.bufs[s.cur] = buf
				return true
			}
			if hl == 0 {
				return true
			}
		}
		s.headLen = hl
		h := &d.httpHdr
		if !parseHTTPHead(h, buf, s.oversized) {
			s.clear()
			return false
		}
		s.chunked = h.Chunked
		s.matchHTTP(h)
		switch {
		case h.Response && (s.bodyless || h.StatusCode/100 == 1 || h.StatusCode == 204 || h.StatusCode == 304):
			s.total, s.chunked = int64(hl), false
		case h.Chunked:
			s.total = -1
		case h.ContentLength >= 0:
			s.total = int64(hl) + h.ContentLength
		case h.Request:
			s.total = int64(hl)
		default:
			s.total = -1 // runs to the connection's close
		}
		if s.chunked {
			// Body bytes that came with the head.
			if n := s.chunks.feed(buf[hl:]); n >= 0 {
				s.total = int64(hl + n)
			}
		}
	} else {
		s.seen += int64(len(p))
		if s.chunked && s.total < 0 {
			if n := s.chunks.feed(p); n >= 0 {
				s.total = s.seen - int64(len(p)) + int64(n)
			}
		}
	}
	if s.total < 0 || s.seen < s.total || first {
		return true
	}
	// Complete: decode the head (and what is kept of the body) into f.
	keep := min(s.headLen, len(buf))
	extra := int(s.seen - s.total) // bytes of p after the message
	var rest []byte
	if extra > 0 && extra <= len(p) {
		rest = p[len(p)-extra:]
	}
	bodyLen := int(s.total) - s.headLen
	d.httpOversized = s.oversized
	lost, refused := s.chunked && s.chunks.failed, s.chunked && s.chunks.refused
	s.complete(d, f, ProtoHTTP, buf[:keep], rest)
	d.httpOversized = false
	s.lost = s.lost || lost
	if refused && f.Has(ProtoHTTP) {
		f.HTTP.Malformed = true
	}
	f.HTTP.BodyLen = bodyLen
	return false
}

// scanHeadEnd looks for the blank line that ends an oversized head in p,
// carrying the line-start state across calls in s.nl; it returns the
// offset just after the blank line, or -1.
func (s *AppStream) scanHeadEnd(p []byte) int {
	for i, c := range p {
		switch {
		case c == '\n' && s.nl != 0:
			s.nl = 0
			return i + 1
		case c == '\n':
			s.nl = 1 // at a line start
		case c == '\r' && s.nl == 1:
			s.nl = 2 // CR at a line start
		default:
			s.nl = 0
		}
	}
	return -1
}

// completeCounted shows in f the counted TLS record that ends at p[:end],
// with the complete records after it in p; a record cut off stays pending.
func (s *AppStream) completeCounted(d *Decoder, f *Frame, p []byte, end int) (partial bool) {
	h := s.tlsHdr
	f.drop(ProtoTLS)
	t := &f.TLS
	v := uint16(h[1])<<8 | uint16(h[2])
	if s.tlsGap {
		// Bytes of the record were lost: Wireshark cannot show it, only
		// the records after it (or, when the segment only starts the
		// next one, a segment of a reassembled PDU).
		s.clear()
		rest := p[end:]
		if !TLSRecordStart(rest) {
			return len(rest) == 0
		}
		resetTLS(t, rest[0], uint16(rest[1])<<8|uint16(rest[2]))
		if m := parseTLSRecords(t, rest); m == 0 {
			s.start(d, f, rest, false)
			f.TLSPDUStart = true
			return true
		}
		resetTLS(t, rest[0], uint16(rest[1])<<8|uint16(rest[2]))
		f.tlsRest(rest)
		s.start(d, f, rest, false)
		return false
	}
	resetTLS(t, h[0], v)
	n := int(h[3])<<8 | int(h[4])
	t.Records = 1
	t.Msgs = append(t.Msgs, TLSMsg{RecordStart: true, Version: v, Length: uint16(n), Content: h[0],
		Encrypted: h[0] == TLSAlert || h[0] == TLSHandshake})
	f.Present.Add(ProtoTLS)
	if end > 0 && !s.tlsGap {
		f.addAppLayer(ProtoTLS, p[:end])
		t.CountedTail = end
	}
	s.clear()
	if rest := p[end:]; len(rest) > 0 {
		f.tlsRest(rest)
		s.start(d, f, rest, false)
	}
	return false
}

// tlsRest shows rest, the bytes of a segment after the TLS record that TCP
// reassembly completed, as Wireshark does: a second TLS layer with the
// complete records in rest (empty when rest only starts a record, which
// stays pending).
func (f *Frame) tlsRest(rest []byte) {
	m := 0
	if TLSRecordStart(rest) {
		m = parseTLSRecords(&f.TLS, rest)
	}
	f.Present.Add(ProtoTLS)
	off, reasm := f.locate(rest)
	f.Layers = append(f.Layers, Layer{Proto: ProtoTLS, Off: off, Len: m, Reasm: reasm})
}

// complete decodes msg into f and starts the next message with rest.
func (s *AppStream) complete(d *Decoder, f *Frame, p Proto, msg, rest []byte) {
	d.DecodeStream(f, p, msg)
	s.cur ^= 1
	if cap(s.bufs[s.cur]) > appStreamKeep {
		s.bufs[s.cur] = nil // a large message is rare: do not hold its memory
	}
	if len(rest) > 0 {
		s.start(d, f, rest, false)
	} else {
		s.clear()
	}
}

// drop removes protocol p's decode from f.
func (f *Frame) drop(p Proto) {
	f.Present.Del(p)
	f.Repeated.Del(p)
	for i := 0; i < len(f.Layers); i++ {
		if f.Layers[i].Proto == p {
			f.Layers = append(f.Layers[:i], f.Layers[i+1:]...)
			i--
		}
	}
}

// chunkParser finds the end of a chunked HTTP body fed in pieces, keeping
// no body bytes. A chunk-size line is read as Wireshark 4.0 reads it
// (sscanf "%x" on the line: leading blanks, a sign, "0x", then hex digits
// up to the first other character; a size over 2^31 is refused). A line
// with no number ("zz") or a refused one ("-5", 17 digits) is a chunk
// error: like Wireshark, which stops reassembling there and dissects what
// it has, the body (and so the message) ends with the piece that holds the
// error, and the direction's data up to the next message is shown as HTTP
// "Continuation".
type chunkParser struct {
	state  uint8
	num    uint8 // chunk-size line: numPre ... numRest
	neg    bool  // the size has a minus sign
	size   int64 // current chunk size, then bytes of it still to come
	digits bool
	failed bool // a chunk error ended the body
	// refused: the error was a size Wireshark reads but refuses (negative,
	// over 2^31), which it flags as [Malformed Packet]; a line with no
	// number at all it is not.
	refused bool
}

const (
	chunkSize = iota
	chunkData
	chunkDataEnd
	chunkTrailerStart
	chunkTrailer
	chunkDone
)

// States of a chunk-size line.
const (
	numPre    = iota // leading blanks, then a sign
	numSigned        // after the sign
	numZero          // a leading 0, perhaps of "0x"
	numDigits        // hex digits (or right after "0x")
	numRest          // after the number: ignored up to the line's end
)

// feed consumes p and returns how many of its bytes complete the body
// (through the empty line after the last chunk, or all of p on a chunk
// error), or -1 when the body goes on.
func (c *chunkParser) feed(p []byte) int {
	for i := 0; i < len(p); i++ {
		b := p[i]
		switch c.state {
		case chunkSize:
			if b == '\n' {
				if !c.digits || (c.neg && c.size != 0) || c.size > 1<<31 {
					c.refused = c.digits
					return c.fail(p)
				}
				c.startData()
				continue
			}
			v := hexVal(b)
			switch {
			case c.num == numRest:
			case c.num == numPre && (b == ' ' || b == '\t' || b == '\v' || b == '\f' || b == '\r'):
			case c.num == numPre && (b == '+' || b == '-'):
				c.num, c.neg = numSigned, b == '-'
			case c.num == numZero && (b == 'x' || b == 'X'):
				c.num = numDigits // "0x" alone reads as 0, as glibc's sscanf
			case v >= 0:
				if c.num < numZero && v == 0 {
					c.num = numZero
				} else {
					c.num = numDigits
				}
				if c.size <= 1<<32 {
					c.size = c.size*16 + int64(v)
				}
				c.digits = true
			default:
				c.num = numRest
			}
		case chunkData:
			n := int64(len(p) - i)
			if n > c.size {
				n = c.size
			}
			c.size -= n
			i += int(n) - 1
			if c.size == 0 {
				c.state = chunkDataEnd
			}
		case chunkDataEnd:
			if b == '\n' {
				c.state, c.size, c.num, c.digits, c.neg = chunkSize, 0, numPre, false, false
			}
		case chunkTrailerStart:
			switch b {
			case '\n':
				c.state = chunkDone
				return i + 1
			case '\r':
			default:
				c.state = chunkTrailer
			}
		case chunkTrailer:
			if b == '\n' {
				c.state = chunkTrailerStart
			}
		case chunkDone:
			return 0
		}
	}
	return -1
}

// startData ends a chunk-size line: the last chunk's trailer or the data.
func (c *chunkParser) startData() {
	if c.size == 0 {
		c.state = chunkTrailerStart
	} else {
		c.state = chunkData
	}
}

// fail ends the body at the end of p (a chunk error).
func (c *chunkParser) fail(p []byte) int {
	c.state, c.failed = chunkDone, true
	return len(p)
}

func hexVal(b byte) int {
	switch {
	case b >= '0' && b <= '9':
		return int(b - '0')
	case b >= 'a' && b <= 'f':
		return int(b-'a') + 10
	case b >= 'A' && b <= 'F':
		return int(b-'A') + 10
	}
	return -1
}
