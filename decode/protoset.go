package decode

// ProtoSet holds one bit per Proto: Frame.Present and the protocol sets of
// the decoders and filters. Proto is a uint8, so all its 256 values fit and
// a protocol appended to the Proto list needs nothing else. It is a small
// value type (no allocation); its methods inline.
type ProtoSet [4]uint64

// Protos returns the set of ps (for package-level sets, built once).
func Protos(ps ...Proto) ProtoSet {
	var s ProtoSet
	for _, p := range ps {
		s.Add(p)
	}
	return s
}

// Has reports whether p is in s.
func (s ProtoSet) Has(p Proto) bool { return s[p>>6]&(1<<(p&63)) != 0 }

// Add puts p in s.
func (s *ProtoSet) Add(p Proto) { s[p>>6] |= 1 << (p & 63) }

// Del removes p from s.
func (s *ProtoSet) Del(p Proto) { s[p>>6] &^= 1 << (p & 63) }

// Any reports whether s and o have a protocol in common.
func (s ProtoSet) Any(o ProtoSet) bool {
	return s[0]&o[0]|s[1]&o[1]|s[2]&o[2]|s[3]&o[3] != 0
}

// Empty reports whether s holds no protocol.
func (s ProtoSet) Empty() bool { return s[0]|s[1]|s[2]|s[3] == 0 }

// String lists the protocols of s by filter name ("frame eth ip"), for
// tests and debugging.
func (s ProtoSet) String() string {
	var b []byte
	for p := 0; p < 256; p++ {
		if s.Has(Proto(p)) {
			if len(b) > 0 {
				b = append(b, ' ')
			}
			b = append(b, Proto(p).String()...)
		}
	}
	return string(b)
}
