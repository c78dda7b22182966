package decode

// DTLS-SRTP (RFC 5764): a DTLS ServerHello that accepts the use_srtp
// extension makes Wireshark set the UDP conversation up as SRTP
// (srtp_add_address from packet-tls-utils.c, setup method "DTLS"), so the
// media that follows the handshake on the same ports is SRTP/SRTCP rather
// than the port's protocol (STUN's 3478 in WebRTC).

// dtlsSRTP registers the conversation of f when DTLS payload p holds a
// ServerHello with the use_srtp extension.
func (d *Decoder) dtlsSRTP(f *Frame, p []byte) {
	if d.opts.SkipApp&AppOther != 0 {
		return
	}
	EachDTLSRecord(p, func(r DTLSRecord) bool {
		if r.Type != 22 || r.Epoch != 0 {
			return true
		}
		EachDTLSHandshake(r.Body, func(m DTLSHandshake) bool {
			if m.Type != 2 || m.Encrypted || m.Fragment {
				return true
			}
			if profile, ok := dtlsHelloUseSRTP(m.Body); ok {
				if src, _, ok := udpAddrs(f); ok {
					if c := d.voip.addMediaBy(src, f.UDP.SrcPort, mediaRTP, SetupDTLS, f.Number); c != nil {
						c.srtp, c.srtpTag = true, 10      // SRTP_AES128_CM_HMAC_SHA1_80 and most others: 80-bit tag
						if profile == 2 || profile == 4 { // the _32 profiles: 32-bit tag
							c.srtpTag = 4
						}
					}
				}
			}
			return true
		})
		return true
	})
}

// dtlsHelloUseSRTP reports whether ServerHello body b carries the
// use_srtp extension (type 14), and the protection profile it chose.
func dtlsHelloUseSRTP(b []byte) (profile uint16, ok bool) {
	off := 2 + 32
	if off >= len(b) {
		return 0, false
	}
	off += 1 + int(b[off]) // session ID
	off += 2 + 1           // cipher suite, compression method
	if off+2 > len(b) {
		return 0, false
	}
	end := off + 2 + int(be16(b[off:]))
	if end > len(b) {
		end = len(b)
	}
	for off += 2; off+4 <= end; {
		t, n := be16(b[off:]), int(be16(b[off+2:]))
		if t == 14 {
			if n >= 4 && off+8 <= end {
				profile = be16(b[off+6:])
			}
			return profile, true
		}
		off += 4 + n
	}
	return 0, false
}
