package decode

import "fmt"

// TCP option kinds.
const (
	tcpOptEOL      = 0
	tcpOptNOP      = 1
	tcpOptMSS      = 2
	tcpOptWScale   = 3
	tcpOptSACKPerm = 4
	tcpOptSACK     = 5
	tcpOptTS       = 8
	tcpOptMPTCP    = 30
)

// decodeTCP dissects a TCP segment at b[off:]; repEnd is where the segment
// ends on the wire (tcp.len counts to there even when the capture is shorter).
func (d *Decoder) decodeTCP(f *Frame, b []byte, off, repEnd int, reasm bool) {
	h := b[off:]
	t := &f.TCP
	if len(h) < 4 {
		f.anomaly(ProtoTCP, off, "TCP header truncated")
		f.data(off, len(h), reasm)
		return
	}
	t.SrcPort, t.DstPort = be16(h), be16(h[2:])
	t.HasMSS, t.HasWScale, t.SACKPerm, t.HasTS = false, false, false, false
	t.NSACK = 0
	t.OptNote, t.NOPs, t.NOP4 = 0, 0, false
	t.Options = nil
	t.PayloadLen = 0
	t.HdrAvail = len(h)
	f.addLayer(ProtoTCP, off, len(h), reasm)
	if len(h) < 20 {
		t.Short = true
		if len(h) >= 8 {
			t.Seq = be32(h[4:])
		}
		if len(h) >= 12 {
			t.Ack = be32(h[8:])
		}
		if len(h) >= 14 {
			t.HdrLen = h[12] >> 4 * 4
			t.Flags = uint16(h[12]&0x0f)<<8 | uint16(h[13])
		}
		if len(h) >= 16 {
			t.Window = be16(h[14:])
		}
		if len(h) >= 18 {
			t.Checksum = be16(h[16:])
		}
		f.anomaly(ProtoTCP, off, "TCP header truncated")
		return
	}
	t.Seq = be32(h[4:])
	t.Ack = be32(h[8:])
	t.HdrLen = h[12] >> 4 * 4
	t.Flags = uint16(h[12]&0x0f)<<8 | uint16(h[13])
	t.Window = be16(h[14:])
	t.Checksum = be16(h[16:])
	t.Urgent = be16(h[18:])
	hl := int(t.HdrLen)
	segLen := repEnd - off
	if hl < 20 { // Wireshark still counts tcp.len from the bogus header length
		t.PayloadLen = segLen - hl
		t.HdrAvail = 13 // Wireshark stops after the header length: no flags, window, checksum
		f.anomaly(ProtoTCP, off, "bogus TCP header length (must be at least 20)")
		return
	}
	if hl > segLen {
		t.BadHdrLen = true
		f.anomaly(ProtoTCP, off, "bogus TCP header length")
		return
	}
	t.PayloadLen = segLen - hl
	optEnd := hl
	if optEnd > len(h) {
		optEnd = len(h)
		f.anomaly(ProtoTCP, off, "TCP options truncated by the capture")
	}
	t.Options = h[20:optEnd]
	d.tcpOptions(f, t.Options, off+20, hl-20, reasm)
	if hl >= len(h) {
		return
	}
	payload := h[hl:]
	f.Payload = payload
	if d.opts.SkipApp&(AppDNS|AppHTTP|AppTLS) == AppDNS|AppHTTP|AppTLS {
		return
	}
	d.tcpApp(f, payload, off+hl, reasm)
}

// tcpOptions parses the options Wireshark summarises (MSS, window scale,
// SACK permitted, SACK blocks, timestamps); others are skipped by length.
// o holds the captured option bytes; declared is the header's options length.
func (d *Decoder) tcpOptions(f *Frame, o []byte, off int, declared int, reasm bool) {
	t := &f.TCP
	for i := 0; i < len(o); {
		kind := o[i]
		if kind == tcpOptEOL {
			return
		}
		if kind == tcpOptNOP {
			// Wireshark's count of "NOPs in a row within a uint32": a NOP
			// at a 4-aligned header offset after others restarts it
			// (without counting itself); the fourth draws "4 NOP in a row".
			if t.NOPs == 0 || (20+i)%4 != 0 {
				if t.NOPs++; t.NOPs == 4 {
					t.NOP4, t.NOP4First = true, t.OptNote == 0
				}
			} else {
				t.NOPs = 0
			}
			i++
			continue
		}
		if i+1 >= len(o) {
			f.anomaly(ProtoTCP, off+i, "TCP option truncated")
			return
		}
		n := int(o[i+1])
		switch {
		case n < 2:
			f.anomaly(ProtoTCP, off+i, "bad TCP option length")
			t.optNote(OptTooShort, kind, n, 0)
			return
		case i+n > declared:
			f.anomaly(ProtoTCP, off+i, "bad TCP option length")
			t.optNote(OptPastEnd, kind, n, 0)
			return
		case i+n > len(o):
			return // cut short by the capture (already noted)
		}
		if want := tcpOptLen(kind); want != 0 && n != want {
			t.optNote(OptBadLen, kind, n, want)
		}
		v := o[i+2 : i+n]
		switch kind {
		case tcpOptMSS:
			if n == 4 {
				t.MSS, t.HasMSS = be16(v), true
			}
		case tcpOptWScale:
			if n == 3 {
				t.WScale, t.HasWScale = v[0], true
			}
		case tcpOptSACKPerm:
			t.SACKPerm = true
		case tcpOptSACK:
			for j := 0; j+8 <= len(v) && t.NSACK < len(t.SACK); j += 8 {
				t.SACK[t.NSACK] = [2]uint32{be32(v[j:]), be32(v[j+4:])}
				t.NSACK++
			}
		case tcpOptTS:
			if n == 10 {
				t.TSVal, t.TSEcr, t.HasTS = be32(v), be32(v[4:]), true
			}
		case tcpOptMPTCP:
			if n >= 3 {
				f.Present.Add(ProtoMPTCP)
				f.addLayer(ProtoMPTCP, off+i, n, reasm)
			}
		}
		i += n
	}
}

// TCP option problems (TCP.OptNote).
const (
	OptTooShort = 1 + iota // length byte under 2
	OptPastEnd             // length runs past the end of the options
	OptBadLen              // a fixed-length option with another length
)

func (t *TCP) optNote(note uint8, kind byte, n, want int) {
	if t.OptNote == 0 {
		t.OptNote, t.OptKind, t.OptLen, t.OptWant = note, kind, uint8(n), uint8(want)
	}
}

// tcpOptLen is the length Wireshark requires of a fixed-length option, 0
// for the others.
func tcpOptLen(kind byte) int {
	switch kind {
	case tcpOptMSS:
		return 4
	case tcpOptWScale:
		return 3
	case tcpOptSACKPerm:
		return 2
	case tcpOptTS:
		return 10
	}
	return 0
}

// tcpOptionName is Wireshark's name for a TCP option kind.
func tcpOptionName(kind byte) string {
	switch kind {
	case tcpOptEOL:
		return "End of Option List (EOL)"
	case tcpOptNOP:
		return "No-Operation (NOP)"
	case tcpOptMSS:
		return "Maximum segment size"
	case tcpOptWScale:
		return "Window scale"
	case tcpOptSACKPerm:
		return "SACK permitted"
	case tcpOptSACK:
		return "SACK"
	case tcpOptTS:
		return "Timestamps"
	}
	return fmt.Sprintf("Unknown (0x%02x)", kind)
}

// Well-known ports Wireshark assigns by default.
func httpPort(p uint16) bool {
	switch p {
	case 80, 3128, 3132, 5985, 8080, 8088, 11371, 1900, 2869, 2710:
		return true
	}
	return false
}

func tlsPort(p uint16) bool {
	switch p {
	case 443, 465, 563, 585, 614, 636, 853, 989, 990, 992, 993, 994, 995, 3269, 4433, 5061, 5349, 8443:
		return true
	}
	return false
}

// tcpApp hands a segment's payload to DNS, HTTP or TLS by port (lower port
// first, as Wireshark does), then by heuristic; unclaimed bytes are data.
func (d *Decoder) tcpApp(f *Frame, p []byte, off int, reasm bool) {
	lo, hi := f.TCP.SrcPort, f.TCP.DstPort
	if hi < lo {
		lo, hi = hi, lo
	}
	claimed := false // a port's dissector keeps continuation bytes (no "data" layer), as in Wireshark
	if d.opts.SkipApp&AppOther == 0 && d.ws.has(f) && decodeWebSocket(f, p) {
		return
	}
	if d.ftp.data != nil && d.opts.SkipApp&AppOther == 0 && d.ftpDataConv(f, p) {
		return // a data connection an FTP control connection announced
	}
	if skip := d.opts.SkipApp; skip != 0 {
		d.tcpAppSome(f, p, lo, hi, skip)
		return
	}
	for _, port := range [2]uint16{lo, hi} {
		switch {
		case port == 53 || port == 5353:
			claimed = true
			if d.decodeDNS(f, p, true) {
				return
			}
		case httpPort(port):
			claimed = true
			if d.decodeHTTP(f, p) {
				return
			}
		case tlsPort(port):
			claimed = true
			if d.decodeTLS(f, p) {
				return
			}
		default:
			if d.tcpOther(f, p, port) {
				return
			}
		}
	}
	if looksHTTP(p) && d.decodeHTTP(f, p) {
		return
	}
	if looksTLS(p) && d.decodeTLS(f, p) {
		return
	}
	if d.decodeDCERPCTCP(f, p, false) { // Wireshark's heuristic, any port
		return
	}
	if d.rpcTCPAny(f, p) && d.decodeRPCTCP(f, p) { // a GETPORT-announced port or RPC's heuristic
		return
	}
	if d.opts.SkipApp&AppOther == 0 && d.decodeSTUNTCP(f, p) { // STUN's heuristic (and port 3478)
		return
	}
	if !claimed {
		f.data(off, len(p), reasm)
	}
}

// tcpAppSome is tcpApp with the dissectors in skip left out; the payload of
// a skipped or unrecognised protocol gets no layer.
func (d *Decoder) tcpAppSome(f *Frame, p []byte, lo, hi uint16, skip AppSet) {
	for _, port := range [2]uint16{lo, hi} {
		switch {
		case port == 53 || port == 5353:
			if skip&AppDNS == 0 && d.decodeDNS(f, p, true) {
				return
			}
		case httpPort(port):
			if skip&AppHTTP == 0 && d.decodeHTTP(f, p) {
				return
			}
		case tlsPort(port):
			if skip&AppTLS == 0 && d.decodeTLS(f, p) {
				return
			}
		}
	}
	if skip&AppHTTP == 0 && looksHTTP(p) && d.decodeHTTP(f, p) {
		return
	}
	if skip&AppTLS == 0 && looksTLS(p) {
		d.decodeTLS(f, p)
	}
}

// looksHTTP reports whether p starts like an HTTP/1.x request or response line.
func looksHTTP(p []byte) bool {
	if len(p) >= 5 && string(p[:5]) == "HTTP/" {
		return true
	}
	i := 0
	for i < len(p) && i < 20 && p[i] >= 'A' && p[i] <= 'Z' {
		i++
	}
	if i < 3 || i >= len(p) || p[i] != ' ' {
		return false
	}
	switch string(p[:i]) {
	case "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "CONNECT", "TRACE", "PATCH",
		"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH", "NOTIFY",
		"SUBSCRIBE", "UNSUBSCRIBE", "M-SEARCH", "REPORT":
		return true
	}
	return false
}

// looksTLS reports whether p starts with a TLS handshake record carrying a ClientHello or ServerHello.
func looksTLS(p []byte) bool {
	return len(p) >= 6 && p[0] == 22 && p[1] == 3 && p[2] <= 4 && (p[5] == 1 || p[5] == 2)
}
