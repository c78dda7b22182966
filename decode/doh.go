package decode

// DNS over HTTPS (RFC 8484): Wireshark hands an HTTP/2 body of media type
// application/dns-message to its DNS dissector once the stream's DATA
// frames are complete (END_STREAM), names the protocol "DoH" and lets the
// DNS Info replace what the HTTP/2 frames before it wrote. GET requests
// (?dns= in the path) are not decoded, as in tshark.

const dohMaxBody = 65535 // a DNS message is at most 64 KiB

// isDNSMessage reports whether Content-Type ct is application/dns-message.
func isDNSMessage(ct []byte) bool {
	mt := mediaTypeBytes(ct)
	const want = "application/dns-message"
	if len(mt) != len(want) {
		return false
	}
	for i := range mt {
		c := mt[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != want[i] {
			return false
		}
	}
	return true
}

// dohData collects the body bytes p of DATA frame fr on stream st and, on
// the frame that ends the stream's side, dissects the body as DNS into f.
func (c *h2Conn) dohData(f *Frame, st *h2Stream, fr *H2Frame, p []byte, fromClient bool) {
	side := 0
	if !fromClient {
		side = 1
	}
	if fromClient && !st.reqDoH || !fromClient && !isDNSMessage(st.media) {
		return
	}
	if len(st.doh[side])+len(p) <= dohMaxBody {
		st.doh[side] = append(st.doh[side], p...)
	}
	if fr.Flags&0x1 == 0 {
		return
	}
	body := st.doh[side]
	st.doh[side] = body[:0]
	h := &f.HTTP2
	if len(body) == 0 || f.Has(ProtoDNS) || len(h.Frames) >= h2MaxFrames {
		return
	}
	dohDNS(f, body)
	h.DoHFrame = len(h.Frames) + 1
}

// dohDNS dissects body, a DNS message carried by HTTP, into f.
func dohDNS(f *Frame, body []byte) {
	b := f.keep(body)
	if len(b) < dnsHeaderLen {
		// tshark reads the header fields that are there and marks
		// the message malformed
		var hdr [dnsHeaderLen]byte
		copy(hdr[:], b)
		parseDNS(f, hdr[:])
		f.DNS.Len = len(b)
		f.DNS.Malformed = true
	} else {
		parseDNS(f, b)
	}
	f.DNS.DoH = true
	f.Present.Add(ProtoDNS)
	f.addAppLayer(ProtoDNS, b)
	if f.DNS.Malformed {
		f.Anomalies = append(f.Anomalies, Anomaly{Proto: ProtoDNS, Off: -1, Msg: "DNS message shorter than its counts and lengths say"})
	}
}

// appendDoHInfo writes the Info of an HTTP/2 frame that carried a DNS
// message: the DNS Info, then the HTTP/2 frames after the one that ended
// the message.
func appendDoHInfo(dst []byte, f *Frame) []byte {
	h := &f.HTTP2
	dst = appendDNSInfo(dst, f)
	for i := h.DoHFrame; i < len(h.Frames); i++ {
		dst = append(dst, ", "...)
		dst = appendH2FrameInfo(dst, h, i)
	}
	return dst
}

// DoHColumn reports whether the Protocol column says "DoH": the DNS message
// ended the packet's last HTTP/2 frame (a later frame sets HTTP2 again).
func (f *Frame) DoHColumn() bool {
	return f.Has(ProtoDNS) && f.DNS.DoH && f.HTTP2.DoHFrame == len(f.HTTP2.Frames)
}
