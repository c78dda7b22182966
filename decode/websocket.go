package decode

// WebSocket (RFC 6455) after an HTTP/1.1 upgrade: a "101 Switching
// Protocols" response with "Upgrade: websocket" switches its TCP connection
// to WebSocket frames from the next segment on, as Wireshark does. Each
// segment is read as whole frames (a frame split over segments is not
// reassembled); its fields parse the layer's bytes when asked. The Decoder
// keeps the upgraded connections in a small table.

const wsConns = 32

type wsTable struct {
	conns [][2]uint64
	last  []uint64
}

func wsKey(f *Frame) [2]uint64 {
	a, b := tcpEndHash(f, true), tcpEndHash(f, false)
	return [2]uint64{min(a, b), max(a, b)}
}

func (t *wsTable) has(f *Frame) bool {
	if t.conns == nil || !f.Has(ProtoTCP) {
		return false
	}
	k := wsKey(f)
	for i, c := range t.conns {
		if c == k && t.last[i] != 0 {
			t.last[i] = f.Number
			return true
		}
	}
	return false
}

func (t *wsTable) mark(f *Frame) {
	if t.conns == nil {
		t.conns, t.last = make([][2]uint64, wsConns), make([]uint64, wsConns)
	}
	k := wsKey(f)
	old := 0
	for i, c := range t.conns {
		if c == k && t.last[i] != 0 {
			old = i
			break
		}
		if t.last[i] < t.last[old] {
			old = i
		}
	}
	t.conns[old], t.last[old] = k, max(f.Number, 1)
}

// wsUpgrade reports whether h is a 101 response upgrading to WebSocket.
func wsUpgrade(h *HTTP) bool {
	if !h.Response || h.StatusCode != 101 {
		return false
	}
	for _, hv := range h.Headers {
		if len(hv[0]) == 7 && string(appendLower(nil, hv[0])) == "upgrade" && containsFold(hv[1], []byte("websocket")) {
			return true
		}
	}
	return false
}

// WSFrame is one WebSocket frame header of a segment.
type WSFrame struct {
	Fin      bool
	RSV      uint8
	Opcode   uint8
	Masked   bool
	LenField uint8  // the 7-bit length (126, 127: extended)
	Len      uint64 // payload length
	Key      []byte // masking key, nil when unmasked
	Payload  []byte // payload as sent (masked when Key != nil), cut at the segment's end
	HdrLen   int
}

// ParseWSFrame parses the frame at the start of b; n is its length in b
// (the payload cut at len(b)); ok false when b holds no whole header.
func ParseWSFrame(b []byte) (w WSFrame, n int, ok bool) {
	if len(b) < 2 {
		return w, 0, false
	}
	w.Fin, w.RSV, w.Opcode = b[0]&0x80 != 0, b[0]>>4&7, b[0]&0xf
	w.Masked, w.LenField = b[1]&0x80 != 0, b[1]&0x7f
	o := 2
	switch w.LenField {
	case 126:
		if len(b) < 4 {
			return w, 0, false
		}
		w.Len, o = uint64(b[2])<<8|uint64(b[3]), 4
	case 127:
		if len(b) < 10 {
			return w, 0, false
		}
		for _, c := range b[2:10] {
			w.Len = w.Len<<8 | uint64(c)
		}
		o = 10
	default:
		w.Len = uint64(w.LenField)
	}
	if w.Masked {
		if len(b) < o+4 {
			return w, 0, false
		}
		w.Key, o = b[o:o+4], o+4
	}
	w.HdrLen = o
	end := len(b)
	if w.Len < uint64(len(b)-o) {
		end = o + int(w.Len)
	}
	w.Payload = b[o:end]
	return w, end, true
}

// EachWSFrame calls fn with each frame of a WebSocket layer's bytes b.
func EachWSFrame(b []byte, fn func(w *WSFrame)) {
	for len(b) > 0 {
		w, n, ok := ParseWSFrame(b)
		if !ok {
			return
		}
		fn(&w)
		b = b[n:]
	}
}

// WSUnmask appends p unmasked with key to dst.
func WSUnmask(dst, p, key []byte) []byte {
	for i, c := range p {
		if len(key) == 4 {
			c ^= key[i&3]
		}
		dst = append(dst, c)
	}
	return dst
}

// decodeWebSocket decodes p, a segment of an upgraded connection, as
// WebSocket frames under an (empty) HTTP layer, as Wireshark lists them
// ("http:websocket", then "data" for binary and continuation payloads).
func decodeWebSocket(f *Frame, p []byte) bool {
	if _, _, ok := ParseWSFrame(p); !ok {
		return false
	}
	data := false
	EachWSFrame(p, func(w *WSFrame) {
		if (w.Opcode == 0 || w.Opcode == 2) && len(w.Payload) > 0 {
			data = true
		}
	})
	f.addAppLayer(ProtoHTTP, p[:0])
	f.Present.Add(ProtoWebSocket)
	f.addAppLayer(ProtoWebSocket, p)
	if data {
		f.Present.Add(ProtoData)
		f.addAppLayer(ProtoData, p)
	}
	return true
}

var wsOpNames = [16]string{0: "Continuation", 1: "Text", 2: "Binary", 8: "Connection Close", 9: "Ping", 10: "Pong"}

// WSOpcodeName returns Wireshark's name of opcode op.
func WSOpcodeName(op uint8) string {
	if s := wsOpNames[op&0xf]; s != "" {
		return s
	}
	return "Unknown"
}

// appendWSInfo writes Wireshark's Info: "WebSocket Text [FIN] [MASKED]"
// (the segment's last frame, as Wireshark's column ends up).
func appendWSInfo(dst []byte, b []byte) []byte {
	var last WSFrame
	EachWSFrame(b, func(w *WSFrame) { last = *w })
	dst = append(dst, "WebSocket "...)
	dst = append(dst, WSOpcodeName(last.Opcode)...)
	if last.Fin {
		dst = append(dst, " [FIN]"...)
	}
	dst = append(dst, ' ')
	if last.Masked {
		dst = append(dst, "[MASKED]"...)
	}
	return dst
}
