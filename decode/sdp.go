package decode

import (
	"bytes"
	"net/netip"
	"unsafe"
)

// SDP (RFC 4566) bodies: each m= line with the c= in force (its own or the
// session's) registers address:port for RTP and port+1 for RTCP
// (RTP/AVP, RTP/AVPF; SRTP for the SAVP profiles), or for T.38 (udptl),
// keeping a=rtpmap names of dynamic payload types for the RTP Info column.

// SDP offer/answer states of a request (Wireshark's sdp_exchange_type).
const (
	sdpNone uint8 = iota
	sdpOffer
	sdpAccepted
	sdpRejected
)

// maxSDPTransports bounds the offer table.
const maxSDPTransports = 1 << 14

// sdpTable keeps the offer/answer state of requests that carried SDP.
type sdpTable struct {
	m map[uint64]uint8
}

func (t *sdpTable) get(frame uint64) uint8 { return t.m[frame] }
func (t *sdpTable) has(frame uint64) bool  { return t.m[frame] != sdpNone }
func (t *sdpTable) set(frame uint64, st uint8) {
	if t.m == nil {
		t.m = make(map[uint64]uint8)
	}
	if len(t.m) < maxSDPTransports || t.m[frame] != sdpNone {
		t.m[frame] = st
	}
}

func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// EachSDPLine calls fn with the type letter and value of each "x=value"
// line of SDP body b (lines without '=' in second place are skipped).
func EachSDPLine(b []byte, fn func(typ byte, value []byte)) {
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) < 2 {
			return // Wireshark stops at a line shorter than 2
		}
		if line[1] != '=' {
			continue
		}
		fn(line[0], line[2:])
	}
}

// SDPConnAddr parses a c= value ("IN IP4 192.0.2.1[/ttl]").
func SDPConnAddr(v []byte) (netip.Addr, bool) {
	f := bytes.Fields(v)
	if len(f) < 3 || !bytes.Equal(f[0], []byte("IN")) {
		return netip.Addr{}, false
	}
	a := f[2]
	if i := bytes.IndexByte(a, '/'); i >= 0 {
		a = a[:i]
	}
	ad, err := netip.ParseAddr(unsafeString(a))
	if err != nil {
		return netip.Addr{}, false
	}
	switch string(f[1]) {
	case "IP4":
		return ad, ad.Is4()
	case "IP6":
		return ad, ad.Is6()
	}
	return netip.Addr{}, false
}

// sdpMedia is one m= section being collected.
type sdpMedia struct {
	port  uint16
	kind  uint8
	srtp  bool
	addr  netip.Addr
	hasC  bool
	ndyn  int
	dyn   [maxDynPT]dynPT
	valid bool
}

// applySDP registers the media of SDP body b, set up by frame setup; T.38
// media are set up by frame own (Wireshark passes the SDP's own frame to
// T.38 but the request's to RTP).
func (d *Decoder) applySDP(b []byte, setup, own uint64) {
	var sessAddr netip.Addr
	var media [8]sdpMedia
	n := -1
	EachSDPLine(b, func(typ byte, v []byte) {
		switch typ {
		case 'c':
			a, ok := SDPConnAddr(v)
			if n < 0 {
				if ok {
					sessAddr = a
				}
			} else if ok {
				media[n].addr, media[n].hasC = a, true
			}
		case 'm':
			if n+1 >= len(media) {
				n = len(media) // ignore the rest
				return
			}
			if n >= len(media) {
				return
			}
			n++
			media[n] = sdpMedia{}
			m := &media[n]
			f := bytes.Fields(v)
			if len(f) < 3 {
				return
			}
			port := f[1]
			if i := bytes.IndexByte(port, '/'); i >= 0 {
				port = port[:i]
			}
			pn, ok := atou(port)
			if !ok || pn > 65535 {
				return
			}
			m.port = uint16(pn)
			switch p := f[2]; {
			case bytes.EqualFold(p, []byte("RTP/AVP")), bytes.EqualFold(p, []byte("RTP/AVPF")):
				m.kind = mediaRTP
			case bytes.EqualFold(p, []byte("RTP/SAVP")), bytes.EqualFold(p, []byte("RTP/SAVPF")):
				m.kind, m.srtp = mediaRTP, true
			case bytes.EqualFold(p, []byte("udptl")):
				m.kind = mediaT38
			}
			m.valid = true
		case 'a':
			if n < 0 || n >= len(media) {
				return
			}
			m := &media[n]
			rest, ok := bytes.CutPrefix(v, []byte("rtpmap:"))
			if !ok {
				return
			}
			pts, enc, _ := bytes.Cut(rest, []byte(" "))
			pt, ok := atou(pts)
			if !ok || pt < 96 || pt > 127 || m.ndyn >= maxDynPT {
				return
			}
			name, _, _ := bytes.Cut(bytes.TrimSpace(enc), []byte("/"))
			e := &m.dyn[m.ndyn]
			e.pt = uint8(pt)
			e.n = uint8(copy(e.name[:], name))
			m.ndyn++
		}
	})
	if n >= len(media) {
		n = len(media) - 1
	}
	for i := 0; i <= n; i++ {
		m := &media[i]
		if !m.valid || m.port == 0 || m.kind == 0 {
			continue
		}
		addr := sessAddr
		if m.hasC {
			addr = m.addr
		}
		if !addr.IsValid() {
			continue
		}
		switch m.kind {
		case mediaRTP:
			d.voip.addMedia(addr, m.port, mediaRTP, m.srtp, setup, m.dyn[:m.ndyn])
			d.voip.addMedia(addr, m.port+1, mediaRTCP, m.srtp, setup, nil)
		case mediaT38:
			if addr.Is4() {
				d.voip.addMedia(addr, m.port, mediaT38, false, own, nil)
			}
		}
	}
}

// atou parses an unsigned decimal (at most 9 digits).
func atou(b []byte) (uint32, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	var v uint32
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint32(c-'0')
	}
	return v, true
}

// megacoSDP applies the SDP of a text MEGACO/H.248 message (UDP port
// 2944): each Local{...} or Remote{...} descriptor (L{ R{ in compact form)
// holds one, which sets its media up from this frame. The MEGACO message
// itself is not dissected.
func (d *Decoder) megacoSDP(f *Frame, p []byte) {
	for i := 0; i < len(p); i++ {
		if p[i] != '{' {
			continue
		}
		j := i - 1
		for j >= 0 && (p[j] == ' ' || p[j] == '\t' || p[j] == '\r' || p[j] == '\n') {
			j--
		}
		k := j
		for k >= 0 && (p[k]|0x20 >= 'a' && p[k]|0x20 <= 'z') {
			k--
		}
		name := p[k+1 : j+1]
		if !bytes.EqualFold(name, []byte("L")) && !bytes.EqualFold(name, []byte("R")) &&
			!bytes.EqualFold(name, []byte("Local")) && !bytes.EqualFold(name, []byte("Remote")) {
			continue
		}
		end := bytes.IndexByte(p[i+1:], '}')
		if end < 0 {
			return
		}
		body := bytes.TrimLeft(p[i+1:i+1+end], " \t\r\n")
		if len(body) > 0 {
			f.voipLayer(ProtoSDP, body)
		}
		d.sdpTrace(f, func() { d.applySDP(body, f.Number, f.Number) })
		i += end
	}
}
