package decode

// Desegmentation of the protocols Wireshark reads with tcp_dissect_pdus
// (Gnutella, BitTorrent): a run of PDUs whose length the first fixed bytes
// give. What TCP hands the dissector (a segment, or the bytes reassembled
// for it) is read from a PDU boundary: the complete PDUs are shown, one cut
// off waits for the bytes it lacks (its length known) or, its header still
// incomplete, for one more segment, after which the lot is read afresh.

// tcpPDUs describes one such protocol.
type tcpPDUs struct {
	proto Proto
	fixed int // bytes that give a PDU's length
	// length is the length of the PDU starting b (len(b) >= fixed); it may
	// be len(b) (the rest is taken as it is).
	length func(b []byte) int
	// whole, when set, reports that the dissector takes all of b as one
	// unit (Gnutella's upload/download stream).
	whole func(b []byte) bool
	// decode records the complete PDUs at b's start (or b whole) as layers
	// of f and returns how many bytes they take.
	decode func(f *Frame, b []byte) int
}

// tcpPDUsOf returns the description of protocol p, nil when p has none.
func tcpPDUsOf(p Proto) *tcpPDUs {
	switch p {
	case ProtoGnutella:
		return gnutellaPDUs
	case ProtoBitTorrent:
		return bittorrentPDUs
	}
	return nil
}

// span returns the bytes of the complete PDUs at b's start.
func (t *tcpPDUs) span(b []byte) int {
	if t.whole != nil && t.whole(b) {
		return len(b)
	}
	n := 0
	for len(b)-n >= t.fixed {
		m := t.length(b[n:])
		if m <= 0 || n+m > len(b) {
			break
		}
		n += m
	}
	return n
}

// pdusStart reads p, handed over at a PDU boundary: the PDUs complete in p
// are decoded (by Decode when own and it recognised them, else here) and
// one cut off is kept. It returns true when p only starts a PDU ("[TCP
// segment of a reassembled PDU]", the dissector having cleared Info).
func (s *AppStream) pdusStart(d *Decoder, f *Frame, p []byte, own bool, t *tcpPDUs) bool {
	var n int
	if own && f.Has(t.proto) {
		n = t.span(p)
	} else {
		if own {
			f.drop(ProtoData)
		}
		n = t.decode(f, p)
	}
	if n >= len(p) {
		return false
	}
	q := p[n:]
	total := int64(-1) // header incomplete: one more segment
	if len(q) >= t.fixed {
		total = int64(t.length(q))
	}
	s.pend(t.proto, q, total)
	if own && n == 0 {
		f.ClearedPDUStart = true
		return true
	}
	return false
}

// pdusMore continues a pending PDU with p. A header still incomplete asked
// TCP for one more segment: the segment is then added whole and the lot
// read afresh; a known length waits for its bytes (the segments in between
// are TCP's: the dissector is not called, Info stays TCP's).
func (s *AppStream) pdusMore(d *Decoder, f *Frame, p []byte, t *tcpPDUs) bool {
	buf := append(s.bufs[s.cur], p...)
	s.bufs[s.cur] = buf
	if len(buf) > appStreamMax {
		s.clear()
		return false
	}
	if s.total >= 0 {
		if int64(len(buf)) < s.total {
			return true
		}
		n := int(s.total)
		s.complete(d, f, t.proto, buf[:n], buf[n:])
		return false
	}
	n := t.span(buf)
	if n == 0 {
		if len(buf) >= t.fixed {
			s.total = int64(t.length(buf))
		}
		f.ClearedPDUStart = true
		return true
	}
	s.complete(d, f, t.proto, buf[:n], buf[n:])
	return false
}
