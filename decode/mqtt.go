package decode

// MQTT (3.1.1) on TCP port 1883: one layer per segment holding one or more
// control packets (fixed header, remaining length, variable header).
// Packets continued in later segments are read as far as they go.

// MQTTMsg is one MQTT control packet of a segment.
type MQTTMsg struct {
	Hdr   byte   // fixed header byte (type << 4 | flags)
	Len   uint64 // remaining length
	Off   int    // offset of the fixed header in the layer
	HdrN  int    // bytes of the fixed header (type + length)
	Body  []byte // variable header and payload present in the segment
	Whole bool   // all Len bytes are present
}

// Type is the control packet type (1 CONNECT … 15 AUTH).
func (m *MQTTMsg) Type() int { return int(m.Hdr >> 4) }

// EachMQTT calls fn for each control packet of b; it stops at a malformed
// length.
func EachMQTT(b []byte, fn func(m *MQTTMsg)) {
	var m MQTTMsg
	for off := 0; off < len(b); {
		m = MQTTMsg{Hdr: b[off], Off: off}
		n, mul, i := uint64(0), uint64(1), off+1
		for ; i < len(b) && i < off+5; i++ {
			n += uint64(b[i]&0x7f) * mul
			mul *= 128
			if b[i]&0x80 == 0 {
				break
			}
		}
		if i >= len(b) || b[i]&0x80 != 0 {
			return
		}
		i++
		m.Len, m.HdrN = n, i-off
		end := i + int(min(n, uint64(len(b)-i)))
		m.Body, m.Whole = b[i:end], uint64(end-i) == n
		fn(&m)
		off = end
	}
}

func decodeMQTT(f *Frame, p []byte) bool {
	if len(p) < 2 {
		return false
	}
	f.addText(ProtoMQTT, p)
	return true
}

var mqttNames = [...]string{"Reserved", "Connect Command", "Connect Ack", "Publish Message", "Publish Ack",
	"Publish Received", "Publish Release", "Publish Complete", "Subscribe Request", "Subscribe Ack",
	"Unsubscribe Request", "Unsubscribe Ack", "Ping Request", "Ping Response", "Disconnect Req", "Authentication Exchange"}

// MQTTString reads a 2-byte-length-prefixed string at b[off:].
func MQTTString(b []byte, off int) (s []byte, next int, ok bool) {
	if off+2 > len(b) {
		return nil, off, false
	}
	n := int(be16(b[off:]))
	if off+2+n > len(b) {
		return nil, off, false
	}
	return b[off+2 : off+2+n], off + 2 + n, true
}

// MQTTMsgID returns the packet identifier of m, when it has one.
func (m *MQTTMsg) MsgID() (uint16, bool) {
	switch m.Type() {
	case 3:
		if m.Hdr&0x06 == 0 {
			return 0, false
		}
		if _, next, ok := MQTTString(m.Body, 0); ok && next+2 <= len(m.Body) {
			return be16(m.Body[next:]), true
		}
	case 4, 5, 6, 7, 8, 9, 10, 11:
		if len(m.Body) >= 2 {
			return be16(m.Body), true
		}
	}
	return 0, false
}

// Topic returns the topic of a PUBLISH, or the first topic filter of a
// SUBSCRIBE or UNSUBSCRIBE.
func (m *MQTTMsg) Topic() ([]byte, bool) {
	switch m.Type() {
	case 3:
		s, _, ok := MQTTString(m.Body, 0)
		return s, ok
	case 8, 10:
		s, _, ok := MQTTString(m.Body, 2)
		return s, ok
	}
	return nil, false
}

func appendMQTTInfo(dst []byte, b []byte) []byte {
	n := 0
	EachMQTT(b, func(m *MQTTMsg) {
		if n > 0 {
			dst = append(dst, ", "...)
		}
		n++
		dst = append(dst, mqttNames[m.Type()]...)
		if m.Type() != 3 {
			if id, ok := m.MsgID(); ok {
				dst = append(dst, " (id="...)
				dst = append(appendUint(dst, uint64(id)), ')')
			}
		}
		if t, ok := m.Topic(); ok {
			dst = append(append(append(dst, " ["...), t...), ']')
		}
	})
	return dst
}
