package decode

import "net/netip"

// IP fragment reassembly with bounded memory: at most max sets in progress,
// each at most maxDatagram bytes; sets idle longer than timeout (packet time)
// are dropped; when the table is full the oldest set is dropped. Buffers are
// recycled, so steady-state reassembly does not allocate.

const (
	maxDatagram = 65535 + 8 // IPv4 offsets reach 65528 + 8-byte tail; IPv6 payload limit
	maxSpans    = 64        // distinct received ranges per set before it is given up
)

type fragKey struct {
	v6       bool
	proto    uint8 // IPv4 protocol (part of the IPv4 key)
	id       uint32
	src, dst netip.Addr
}

type span struct{ lo, hi int }

type fragSet struct {
	used   bool
	key    fragKey
	buf    []byte
	spans  []span
	total  int     // datagram payload length once the last fragment is seen, else -1
	first  int64   // packet time of the first fragment
	nh     IPProto // IPv6: next header from the offset-0 fragment
	haveNH bool
	frames []uint64 // frame numbers of the fragments, in arrival order
}

type fragTable struct {
	max       int
	timeout   int64
	sets      []fragSet
	out       []byte   // buffer handed to the last completed frame
	outFrames []uint64 // its fragments' frame numbers
}

// add stores a fragment. It returns the reassembled payload (valid until the
// next completed reassembly) when this fragment completes the datagram. msg is
// non-empty when the fragment was rejected.
func (t *fragTable) add(k fragKey, off int, data []byte, more bool, ts int64, nh IPProto, frame uint64) (payload []byte, nhOut IPProto, done bool, msg string) {
	end := off + len(data)
	if end > maxDatagram {
		return nil, 0, false, "fragment extends past the maximum datagram size"
	}
	var s *fragSet
	free := -1
	oldest := -1
	for i := range t.sets {
		e := &t.sets[i]
		if e.used && ts-e.first > t.timeout {
			e.used = false // expired
		}
		if !e.used {
			if free < 0 {
				free = i
			}
			continue
		}
		if e.key == k {
			s = e
			break
		}
		if oldest < 0 || e.first < t.sets[oldest].first {
			oldest = i
		}
	}
	if s == nil {
		switch {
		case free >= 0:
			s = &t.sets[free]
		case len(t.sets) < t.max:
			t.sets = append(t.sets, fragSet{})
			s = &t.sets[len(t.sets)-1]
		default:
			s = &t.sets[oldest]
		}
		s.used = true
		s.key = k
		s.spans = s.spans[:0]
		s.total = -1
		s.first = ts
		s.haveNH = false
		s.frames = s.frames[:0]
		if cap(s.buf) < maxDatagram {
			s.buf = make([]byte, maxDatagram)
		}
	}
	copy(s.buf[off:end], data)
	if len(s.frames) < maxSpans {
		if cap(s.frames) == 0 {
			s.frames = make([]uint64, 0, 8)
		}
		s.frames = append(s.frames, frame)
	}
	if off == 0 {
		s.nh, s.haveNH = nh, true
	}
	if !more {
		if s.total >= 0 && s.total != end {
			s.used = false
			return nil, 0, false, "conflicting last fragments"
		}
		s.total = end
	}
	if !s.insert(off, end) {
		s.used = false
		return nil, 0, false, "too many fragments in one datagram"
	}
	if s.total < 0 || len(s.spans) != 1 || s.spans[0].lo != 0 || s.spans[0].hi < s.total {
		return nil, 0, false, ""
	}
	// Complete: hand out this set's buffer, recycle the previous output buffer.
	full := s.buf[:s.total]
	s.buf, t.out = t.out, s.buf
	s.frames, t.outFrames = t.outFrames, s.frames
	s.used = false
	return full, s.nh, true, ""
}

// insert merges [lo,hi) into the sorted, disjoint span list.
func (s *fragSet) insert(lo, hi int) bool {
	if hi <= lo {
		return true
	}
	i := 0
	for i < len(s.spans) && s.spans[i].hi < lo {
		i++
	}
	j := i
	for j < len(s.spans) && s.spans[j].lo <= hi {
		if s.spans[j].lo < lo {
			lo = s.spans[j].lo
		}
		if s.spans[j].hi > hi {
			hi = s.spans[j].hi
		}
		j++
	}
	if i == j { // insert a new span at i
		if len(s.spans) >= maxSpans {
			return false
		}
		if cap(s.spans) == 0 {
			s.spans = make([]span, 0, 8)
		}
		s.spans = append(s.spans, span{})
		copy(s.spans[i+1:], s.spans[i:])
		s.spans[i] = span{lo, hi}
		return true
	}
	s.spans[i] = span{lo, hi}
	s.spans = append(s.spans[:i+1], s.spans[j:]...)
	return true
}
