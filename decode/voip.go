package decode

import "net/netip"

// VoIP: SIP (sip.go) with its SDP bodies (sdp.go), the RTP and RTCP
// streams those set up (rtp.go), and STUN (stun.go).
//
// Wireshark does not find RTP by a heuristic (that one is off by default):
// the SDP of a SIP or MEGACO message registers each media address and port
// it announces ("RTP from SDP"), and the UDP dissector then hands every
// datagram to or from that address and port to RTP (RTCP on port+1) before
// it tries any port. This file keeps those registrations; the lookup costs
// nothing on a capture without SDP (the map stays nil).

// mediaKey is one endpoint an SDP announced.
type mediaKey struct {
	addr netip.Addr
	port uint16
}

// Media protocols a conversation can be set to.
const (
	mediaRTP uint8 = iota + 1
	mediaRTCP
	mediaT38 // UDPTL/T.38 (t38.go); it shadows an earlier RTP registration as in Wireshark
)

// maxDynPT bounds the dynamic payload type names kept per media.
const maxDynPT = 8

// dynPT is one a=rtpmap name of a dynamic payload type (96..127).
type dynPT struct {
	pt   uint8
	n    uint8
	name [28]byte
}

// mediaConv is what a registration sets: the protocol, the frame that set
// it up (rtp.setup-frame) and the payload type names of its media.
type mediaConv struct {
	kind    uint8
	srtp    bool
	srtpTag uint8 // SRTCP authentication tag length (DTLS-SRTP profiles), 0 unknown
	method  uint8 // what set it up: SetupSDP, SetupSkinny (rtp.setup-method)
	setup   uint64
	gen     uint64 // conversation identity: new with each setup frame (Frame.MediaConv)
	ndyn    uint8
	dyn     [maxDynPT]dynPT
	// trace lists the Call-IDs of the SIP messages that set RTP up on this
	// endpoint (sip.call_id_generated on its RTP), oldest first, without
	// repeats: Wireshark carries the list from one registration of the
	// endpoint to the next. Append-only, its entries never change, so a
	// frame keeps a snapshot by slice header.
	trace [][]byte
	// RTP sequence number extension state (rtp.extseq).
	seqSeen bool
	extSeq  uint32
}

// dynName returns the rtpmap name of dynamic payload type pt, if any.
func (c *mediaConv) dynName(pt uint8) []byte {
	for i := range c.dyn[:c.ndyn] {
		if c.dyn[i].pt == pt {
			return c.dyn[i].name[:c.dyn[i].n]
		}
	}
	return nil
}

// maxMediaConvs bounds the registrations kept (hostile SDP floods).
const maxMediaConvs = 1 << 14

// voipTable is the Decoder's VoIP state.
type voipTable struct {
	media map[mediaKey]*mediaConv
	sip   sipTable
	sdp   sdpTable
	stun  map[stunConvKey]bool // UDP 5-tuples a TURN message marked as STUN
	gen   uint64               // last mediaConv.gen given
	// callID is the Call-ID of the SIP message whose SDP is being applied.
	callID []byte
	// lastTrace is the trace of the last RTP registration of the SDP being
	// applied; sigTrace keeps it per signalling conversation, which is
	// what an SDP body shows (the SDP's "Generated Call-ID" items).
	lastTrace [][]byte
	traced    bool // an RTP registration set lastTrace (nil included, as Wireshark's 4.0 sets it)
	sigTrace  map[[2]uint64][][]byte
}

// maxSigTraces bounds the signalling conversations remembered.
const maxSigTraces = 1 << 14

// sigKey names f's signalling conversation (its UDP or TCP 5-tuple, either
// direction).
func sigKey(f *Frame) [2]uint64 {
	if f.Has(ProtoUDP) {
		a, b := udpEndHash(f, true), udpEndHash(f, false)
		return [2]uint64{min(a, b), max(a, b)}
	}
	return connKey(f)
}

// sdpTrace runs apply (which registers an SDP's media) and records on f
// the Call-IDs its signalling conversation shows (Frame.SDPTrace).
func (d *Decoder) sdpTrace(f *Frame, apply func()) {
	t := &d.voip
	t.lastTrace, t.traced = nil, false
	apply()
	k := sigKey(f)
	if t.traced {
		if t.sigTrace == nil || len(t.sigTrace) >= maxSigTraces {
			t.sigTrace = make(map[[2]uint64][][]byte)
		}
		t.sigTrace[k] = t.lastTrace
	}
	f.SDPTrace = t.sigTrace[k]
}

// addMedia registers addr:port as kind, set up by frame setup. As in
// Wireshark's conversation chains, a registration from an earlier setup
// frame than the one in force changes nothing visible; the same frame
// updates it (a T.38 media after an RTP one on the same port wins).
func (t *voipTable) addMedia(addr netip.Addr, port uint16, kind uint8, srtp bool, setup uint64, dyn []dynPT) {
	c := t.addMediaBy(addr, port, kind, SetupSDP, setup)
	if c == nil {
		return
	}
	c.srtp = srtp
	if kind == mediaRTP {
		c.ndyn = uint8(copy(c.dyn[:], dyn))
	}
}

// Setup methods of a media conversation (rtp.setup-method).
const (
	SetupSDP uint8 = iota + 1
	SetupSkinny
	SetupDTLS // a DTLS-SRTP handshake (dtlssrtp.go)
)

// addMediaBy registers addr:port as kind, set up by method in frame setup,
// and returns the registration (nil when ignored).
func (t *voipTable) addMediaBy(addr netip.Addr, port uint16, kind uint8, method uint8, setup uint64) *mediaConv {
	if !addr.IsValid() || port == 0 {
		return nil
	}
	k := mediaKey{addr.Unmap(), port}
	c := t.media[k]
	switch {
	case c != nil && c.setup > setup:
		return nil
	case c != nil && c.setup == setup:
	case c != nil:
		t.gen++
		c.gen = t.gen
	default:
		if t.media == nil {
			t.media = make(map[mediaKey]*mediaConv)
		}
		if len(t.media) >= maxMediaConvs {
			return nil
		}
		t.gen++
		c = &mediaConv{gen: t.gen}
		t.media[k] = c
	}
	if kind != mediaRTP && c.setup != setup {
		c.trace = nil // a new conversation without RTP data: the list starts again
	}
	c.kind, c.srtp, c.srtpTag, c.method, c.setup, c.ndyn = kind, false, 0, method, setup, 0
	if kind == mediaRTP {
		if len(t.callID) > 0 && !hasTrace(c.trace, t.callID) {
			c.trace = append(c.trace, append([]byte(nil), t.callID...))
		}
		t.lastTrace, t.traced = c.trace, true
	}
	return c
}

// hasTrace reports whether list holds id.
func hasTrace(list [][]byte, id []byte) bool {
	for _, v := range list {
		if string(v) == string(id) {
			return true
		}
	}
	return false
}

// lookupMedia finds the registration of a datagram: its destination
// first, then its source (Wireshark's try_conversation order for UDP).
func (t *voipTable) lookupMedia(src, dst netip.Addr, sport, dport uint16) *mediaConv {
	if c := t.media[mediaKey{dst, dport}]; c != nil {
		return c
	}
	return t.media[mediaKey{src, sport}]
}

// udpConv sets f.MediaConv for the UDP layer just added: the registration
// of its source endpoint, else of its destination, as Wireshark's
// find_conversation tries the wildcard conversations for a UDP packet.
func (d *Decoder) udpConv(f *Frame) {
	f.MediaConv = 0
	if len(d.voip.media) == 0 {
		return
	}
	src, dst, ok := udpAddrs(f)
	if !ok {
		return
	}
	if c := d.voip.media[mediaKey{src, f.UDP.SrcPort}]; c != nil {
		f.MediaConv = c.gen
	} else if c := d.voip.media[mediaKey{dst, f.UDP.DstPort}]; c != nil {
		f.MediaConv = c.gen
	}
}

// udpAddrs returns the addresses of the IP header f's last UDP layer sits in.
func udpAddrs(f *Frame) (src, dst netip.Addr, ok bool) {
	for i := len(f.Layers) - 1; i >= 1; i-- {
		if f.Layers[i].Proto != ProtoUDP {
			continue
		}
		switch f.Layers[i-1].Proto {
		case ProtoIP:
			return f.IP.Src, f.IP.Dst, true
		case ProtoIPv6:
			return f.IPv6.Src, f.IPv6.Dst, true
		}
		return src, dst, false
	}
	return src, dst, false
}

// udpMedia dissects p as the RTP, RTCP or T.38 an SDP set up for its
// addresses; false when none did or the bytes are not that protocol.
func (d *Decoder) udpMedia(f *Frame, p []byte) bool {
	if len(d.voip.media) == 0 && len(d.voip.stun) == 0 || d.opts.SkipApp&AppOther != 0 {
		return false
	}
	src, dst, ok := udpAddrs(f)
	if !ok {
		return false
	}
	if len(d.voip.stun) > 0 && d.voip.stun[stunKey(src, dst, f.UDP.SrcPort, f.UDP.DstPort)] && d.decodeSTUN(f, p, true) {
		return true
	}
	c := d.voip.lookupMedia(src, dst, f.UDP.SrcPort, f.UDP.DstPort)
	if c == nil {
		return false
	}
	switch c.kind {
	case mediaRTP:
		return decodeRTP(f, p, c)
	case mediaRTCP:
		return decodeRTCP(f, p, c)
	case mediaT38:
		return decodeT38(f, p, c)
	}
	return false
}

// voipLayer adds the layer of VoIP protocol pr over b.
func (f *Frame) voipLayer(pr Proto, b []byte) {
	off, reasm := f.locate(b)
	f.addLayer(pr, off, len(b), reasm)
}

// voipProtos are the protocols of this file's dissectors.
var voipProtos = Protos(ProtoSIP, ProtoSDP, ProtoRTP, ProtoRTCP, ProtoSTUN, ProtoClassicSTUN, ProtoMEGACO, ProtoRTPEvent, ProtoSkinny, ProtoT38)

// udpVoIP tries the VoIP dissector registered for UDP port port.
func (d *Decoder) udpVoIP(f *Frame, p []byte, port uint16) bool {
	if d.opts.SkipApp&AppOther != 0 {
		return false
	}
	switch port {
	case 5060:
		return d.decodeSIP(f, p)
	case 3478:
		return d.decodeSTUN(f, p, true)
	case 2944:
		return d.decodeMEGACO(f, p)
	}
	return false
}

// udpVoIPHeuristic tries the VoIP heuristics Wireshark enables on any UDP
// port: SIP start lines, STUN messages with the magic cookie, RTCP.
func (d *Decoder) udpVoIPHeuristic(f *Frame, p []byte) bool {
	if d.opts.SkipApp&AppOther != 0 || len(p) == 0 {
		return false
	}
	if LooksLikeSIP(p) {
		return d.decodeSIP(f, p)
	}
	if d.decodeSTUN(f, p, false) {
		return true
	}
	if RTCPLooks(p) {
		return decodeRTCP(f, p, nil)
	}
	return false
}

// voipTop returns the highest VoIP layer of f.
func (f *Frame) voipTop() (Proto, []byte, bool) {
	if !f.Present.Any(voipProtos) {
		return 0, nil, false
	}
	var p Proto
	var b []byte
	ok := false
	for _, l := range f.Layers {
		if voipProtos.Has(l.Proto) && l.Proto != ProtoSDP {
			p, b, ok = l.Proto, f.LayerBytes(l), true
		}
	}
	return p, b, ok
}

// appendVoIPInfo appends the Info column of f's VoIP protocol.
func appendVoIPInfo(dst []byte, f *Frame) ([]byte, bool) {
	p, b, ok := f.voipTop()
	if !ok || len(b) == 0 {
		return dst, false
	}
	switch p {
	case ProtoSIP:
		dst = appendSIPInfo(dst, f, b)
	case ProtoMEGACO:
		dst = appendMEGACOInfo(dst, b)
	case ProtoRTPEvent:
		dst = appendRTPEventInfo(dst, f, b)
	case ProtoRTP:
		dst = appendRTPInfo(dst, f, b)
	case ProtoRTCP:
		dst = appendRTCPInfo(dst, b)
	case ProtoSTUN, ProtoClassicSTUN:
		if p == ProtoSTUN && f.Has(ProtoTCP) {
			STUNTCPMessages(b, func(m []byte) { b = m }) // the last message's Info replaces the others'
		}
		dst = appendSTUNInfo(dst, p, STUNUnframe(b, f.Has(ProtoTCP)))
	case ProtoSkinny:
		dst = appendSkinnyInfo(dst, b)
	case ProtoT38:
		dst = appendT38Info(dst, b)
	}
	if f.Len > f.CapLen {
		dst = append(dst, "[Packet size limited during capture]"...)
	} else if f.voipMalformed() {
		dst = append(dst, "[Malformed Packet]"...)
	}
	return dst, true
}

// appendVoIPColumn appends the Protocol column of f's VoIP protocol.
func appendVoIPColumn(dst []byte, f *Frame) ([]byte, bool) {
	p, b, ok := f.voipTop()
	if !ok {
		return dst, false
	}
	switch p {
	case ProtoSIP:
		dst = append(dst, "SIP"...)
		if f.Has(ProtoSDP) {
			dst = append(dst, "/SDP"...)
		}
	case ProtoRTP:
		if f.RTP.SRTP {
			return append(dst, "SRTP"...), true
		}
		dst = append(dst, "RTP"...)
	case ProtoRTCP:
		if f.RTP.SRTP {
			return append(dst, "SRTCP"...), true
		}
		dst = append(dst, "RTCP"...)
	case ProtoMEGACO:
		dst = append(dst, "MEGACO"...)
		for _, l := range f.Layers {
			if l.Proto == ProtoSDP {
				dst = append(dst, "/SDP"...)
			}
		}
	case ProtoRTPEvent:
		dst = append(dst, "RTP EVENT"...)
	case ProtoSTUN:
		dst = append(dst, "STUN"...)
	case ProtoClassicSTUN:
		dst = append(dst, "CLASSIC-STUN"...)
	case ProtoSkinny:
		dst = append(dst, skinnyColumn(b)...)
	case ProtoT38:
		dst = append(dst, "T.38"...)
	}
	_ = b
	return dst, true
}

// voipMalformed reports an anomaly of this file's dissectors.
func (f *Frame) voipMalformed() bool {
	if !f.Present.Any(voipProtos) {
		return false
	}
	for _, a := range f.Anomalies {
		if voipProtos.Has(a.Proto) {
			return true
		}
	}
	return false
}
