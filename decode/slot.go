package decode

// slot is the bookkeeping of one entry of a bounded per-connection table
// (the SMTP, FTP, STARTTLS, X11, gQUIC, SCTP and DCCP states): such tables
// hold a few dozen entries, a lookup scans them, and a new key takes a free
// entry, else the least recently used one. State types embed it.
type slot[K comparable] struct {
	key  K
	last uint64 // frame number (or time) of the entry's last use
	used bool
}

func (s *slot[K]) slotOf() *slot[K] { return s }

// newSlot is the bookkeeping of an entry taken for key at now.
func newSlot[K comparable](key K, now uint64) slot[K] {
	return slot[K]{key: key, last: now, used: true}
}

// lookupSlot returns key's entry in tab with its last use set to now and
// true; else the entry a new key takes (a free one, else the least recently
// used) and false, for the caller to reset with newSlot (keeping any buffers
// of the old state it wants to reuse).
func lookupSlot[K comparable, T any, P interface {
	*T
	slotOf() *slot[K]
}](tab []T, key K, now uint64) (P, bool) {
	old := 0
	for i := range tab {
		s := P(&tab[i]).slotOf()
		if s.used && s.key == key {
			s.last = now
			return &tab[i], true
		}
		if o := P(&tab[old]).slotOf(); !s.used || (o.used && s.last < o.last) {
			old = i
		}
	}
	return &tab[old], false
}

// ipEndHash hashes one end of f's innermost IP header and port (0: the
// address only), the key half of the tables above.
func ipEndHash(f *Frame, src bool, port uint16) uint64 {
	var a [16]byte
	switch {
	case f.Has(ProtoIPv6) && !f.Has(ProtoIP):
		a = f.IPv6.Dst.As16()
		if src {
			a = f.IPv6.Src.As16()
		}
	default:
		a = f.IP.Dst.As16()
		if src {
			a = f.IP.Src.As16()
		}
	}
	return fnv(a[:], uint64(port))
}

// tcpEndHash and udpEndHash hash one end of f's TCP or UDP conversation.
func tcpEndHash(f *Frame, src bool) uint64 {
	if src {
		return ipEndHash(f, true, f.TCP.SrcPort)
	}
	return ipEndHash(f, false, f.TCP.DstPort)
}

func udpEndHash(f *Frame, src bool) uint64 {
	if src {
		return ipEndHash(f, true, f.UDP.SrcPort)
	}
	return ipEndHash(f, false, f.UDP.DstPort)
}
