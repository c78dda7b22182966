package decode

// BGP-4 (RFC 4271) on TCP port 179 and RADIUS (RFC 2865/2866) on UDP ports
// 1812/1813 (and the old 1645/1646, CoA 3799).

// BGPPort is BGP's TCP port.
const BGPPort = 179

// decodeBGP records the BGP messages of segment p: each starts with a
// 16-byte marker of all ones. A segment that starts no message is left to
// TCP (Wireshark reassembles those; this does not).
func decodeBGP(f *Frame, p []byte) bool {
	if len(p) < 19 || !bgpMarker(p) {
		return false
	}
	f.setProto(ProtoBGP)
	f.addAppLayer(ProtoBGP, p)
	return true
}

func bgpMarker(p []byte) bool {
	for _, c := range p[:16] {
		if c != 0xff {
			return false
		}
	}
	return true
}

// BGPMessages calls fn with each whole BGP message of b (header included).
func BGPMessages(b []byte, fn func(m []byte)) {
	for len(b) >= 19 && bgpMarker(b) {
		n := int(be16(b[16:]))
		if n < 19 || n > len(b) {
			return
		}
		fn(b[:n])
		b = b[n:]
	}
}

var bgpTypes = [...]string{"", "OPEN Message", "UPDATE Message", "NOTIFICATION Message", "KEEPALIVE Message",
	"ROUTE-REFRESH Message", "CAPABILITY Message"}

// appendBGPInfo writes Wireshark's Info text, the message types joined by
// ", " ("KEEPALIVE Message").
func (f *Frame) appendBGPInfo(dst []byte) []byte {
	p, b, _ := f.routingLayer()
	if p != ProtoBGP {
		return dst
	}
	first := true
	BGPMessages(b, func(m []byte) {
		if !first {
			dst = append(dst, ", "...)
		}
		first = false
		if t := int(m[18]); t >= 1 && t < len(bgpTypes) {
			dst = append(dst, bgpTypes[t]...)
		} else {
			dst = append(dst, "Unknown Message"...)
		}
	})
	return dst
}

// radiusTable remembers recent requests (a ring) to tell retransmissions.
type radiusTable struct {
	reqs [64]radiusReq
	next int
}

type radiusReq struct {
	key   uint64 // client and server address and port, code and identifier
	auth  [16]byte
	frame uint64
}

// dupOf returns the frame of an earlier identical request (0: none) and
// remembers this one.
func (t *radiusTable) dupOf(f *Frame, p []byte) uint64 {
	key := (ipEndHash(f, true, f.UDP.SrcPort)*0x9e3779b97f4a7c15^ipEndHash(f, false, f.UDP.DstPort))*31 + uint64(p[0])<<8 + uint64(p[1])
	for i := range t.reqs {
		r := &t.reqs[i]
		if r.frame != 0 && r.frame != f.Number && r.key == key && string(r.auth[:]) == string(p[4:20]) {
			return r.frame
		}
	}
	r := &t.reqs[t.next]
	t.next = (t.next + 1) % len(t.reqs)
	r.key, r.frame = key, f.Number
	copy(r.auth[:], p[4:20])
	return 0
}

// decodeRADIUS records a RADIUS message (code, identifier, length,
// authenticator, attributes) and whether a request repeats an earlier one.
func (d *Decoder) decodeRADIUS(f *Frame, p []byte) bool {
	if len(p) < 20 {
		return false
	}
	n := int(be16(p[2:]))
	if n < 20 || n > 4096 {
		return false
	}
	if n < len(p) {
		p = p[:n]
	}
	f.setProto(ProtoRADIUS)
	f.addAppLayer(ProtoRADIUS, p)
	f.RADIUSDupOf = 0
	switch p[0] {
	case 1, 4, 12, 40, 43: // requests
		f.RADIUSDupOf = d.routing.rad.dupOf(f, p)
	}
	return true
}

// RADIUSAttrs calls fn for each attribute of RADIUS message b (type, value
// and the value's offset in b).
func RADIUSAttrs(b []byte, fn func(t uint8, v []byte, off int)) {
	for off := 20; off+2 <= len(b); {
		t, n := b[off], int(b[off+1])
		if n < 2 || off+n > len(b) {
			return
		}
		fn(t, b[off+2:off+n], off+2)
		off += n
	}
}

// RADIUSHasEAP reports an EAP-Message attribute in b (Wireshark adds an
// eap layer).
func RADIUSHasEAP(b []byte) bool {
	has := false
	RADIUSAttrs(b, func(t uint8, _ []byte, _ int) { has = has || t == 79 })
	return has
}

var radiusCodes = map[uint8]string{1: "Access-Request", 2: "Access-Accept", 3: "Access-Reject",
	4: "Accounting-Request", 5: "Accounting-Response", 11: "Access-Challenge", 12: "Status-Server",
	13: "Status-Client", 40: "Disconnect-Request", 41: "Disconnect-ACK", 42: "Disconnect-NAK",
	43: "CoA-Request", 44: "CoA-ACK", 45: "CoA-NAK"}

// RADIUSCodeName returns the name of RADIUS code c.
func RADIUSCodeName(c uint8) (string, bool) {
	s, ok := radiusCodes[c]
	return s, ok
}

// appendRADIUSInfo writes Wireshark's Info text: "Access-Request id=5".
func appendRADIUSInfo(dst []byte, b []byte) []byte {
	if s, ok := radiusCodes[b[0]]; ok {
		dst = append(dst, s...)
	} else {
		dst = append(dst, "Unknown Packet("...)
		dst = appendUint(dst, uint64(b[0]))
		dst = append(dst, ')')
	}
	dst = append(dst, " id="...)
	return appendUint(dst, uint64(b[1]))
}
