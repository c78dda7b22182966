package flow

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// Key identifies a conversation by its two endpoints, in canonical order
// (A sorts before B), so both directions of a connection share one Key.
// It is a comparable value, usable as a map key.
type Key struct {
	a, b   [16]byte // addresses, IPv4 in IPv4-mapped form
	pa, pb uint16
	is4    uint8 // bit 0: a is IPv4, bit 1: b is IPv4
}

// A and B return the two endpoints, A sorting before B.
func (k Key) A() netip.AddrPort { return netip.AddrPortFrom(keyAddr(k.a, k.is4&1 != 0), k.pa) }
func (k Key) B() netip.AddrPort { return netip.AddrPortFrom(keyAddr(k.b, k.is4&2 != 0), k.pb) }

func keyAddr(a [16]byte, is4 bool) netip.Addr {
	x := netip.AddrFrom16(a)
	if is4 {
		return x.Unmap()
	}
	return x
}

// makeKey returns the canonical key for a packet from src to dst and whether
// the packet travels from Key.A to Key.B (dir 0) or back (dir 1). The key
// holds the addresses as 16-byte arrays (38 bytes in all, against 64 for two
// netip.AddrPort): there is one per connection and one per map slot.
func makeKey(src netip.Addr, sport uint16, dst netip.Addr, dport uint16) (Key, int) {
	dir := 0
	if c := src.Compare(dst); c > 0 || (c == 0 && sport > dport) {
		src, sport, dst, dport, dir = dst, dport, src, sport, 1
	}
	k := Key{a: src.As16(), b: dst.As16(), pa: sport, pb: dport}
	if src.Is4() {
		k.is4 |= 1
	}
	if dst.Is4() {
		k.is4 |= 2
	}
	return k, dir
}

// addrs returns the network addresses the transport layer of f belongs to
// (its innermost TCP, else its innermost UDP layer): those of the nearest
// IP header before it, as Wireshark's pinfo->src/dst when it dissects that
// layer. A Teredo datagram's UDP belongs to the outer IPv4 header, the TCP
// inside a VXLAN tunnel to the inner one. Without TCP or UDP, the innermost
// IP header's.
func addrs(f *decode.Frame) (src, dst netip.Addr, ok bool) {
	// One IP header and no tunnel (nearly every packet): it is the one
	// before the transport layer, found without walking the layers.
	if hasIP, hasIP6 := f.Has(decode.ProtoIP), f.Has(decode.ProtoIPv6); hasIP != hasIP6 && f.Repeated.Empty() && !f.Tunnelled() {
		if hasIP {
			return f.IP.Src, f.IP.Dst, f.IP.Src.IsValid()
		}
		return f.IPv6.Src, f.IPv6.Dst, f.IPv6.Src.IsValid()
	}
	if i := transportLayer(f); i >= 0 {
		return f.TransportAddrs(i)
	}
	last := decode.Proto(255)
	tun := f.Tunnelled()
	for i := range f.Layers {
		switch f.Layers[i].Proto {
		case decode.ProtoIP, decode.ProtoIPv6:
			last = f.Layers[i].Proto
		case decode.ProtoTCP, decode.ProtoUDP, decode.ProtoICMP, decode.ProtoICMPv6:
			if last != 255 && !tun {
				goto done
			}
		}
	}
done:
	if last == 255 {
		switch {
		case f.Has(decode.ProtoIP):
			last = decode.ProtoIP
		case f.Has(decode.ProtoIPv6):
			last = decode.ProtoIPv6
		default:
			return src, dst, false
		}
	}
	if last == decode.ProtoIPv6 {
		return f.IPv6.Src, f.IPv6.Dst, f.IPv6.Src.IsValid()
	}
	return f.IP.Src, f.IP.Dst, f.IP.Src.IsValid()
}

// transportLayer returns the index in f.Layers of f's innermost TCP layer,
// else of its innermost UDP layer; -1 without either.
func transportLayer(f *decode.Frame) int {
	p := decode.ProtoTCP
	if !f.Has(p) {
		if p = decode.ProtoUDP; !f.Has(p) {
			return -1
		}
	}
	for i := len(f.Layers) - 1; i >= 0; i-- {
		if f.Layers[i].Proto == p {
			return i
		}
	}
	return -1
}

// lru is an intrusive doubly linked list of connections, most recently seen
// at the front; expiry walks from the back.
type lruNode struct {
	prev, next *conn
}

type lru struct {
	head, tail *conn
	n          int
}

func (l *lru) pushFront(c *conn) {
	c.node.prev = nil
	c.node.next = l.head
	if l.head != nil {
		l.head.node.prev = c
	}
	l.head = c
	if l.tail == nil {
		l.tail = c
	}
	l.n++
}

func (l *lru) remove(c *conn) {
	if c.node.prev != nil {
		c.node.prev.node.next = c.node.next
	} else {
		l.head = c.node.next
	}
	if c.node.next != nil {
		c.node.next.node.prev = c.node.prev
	} else {
		l.tail = c.node.prev
	}
	c.node.prev, c.node.next = nil, nil
	l.n--
}

func (l *lru) touch(c *conn) {
	if l.head == c {
		return
	}
	l.remove(c)
	l.pushFront(c)
}

// Endpoints returns the network addresses f's transport header belongs to
// (the innermost IP header before it), as used for stream lookup.
func Endpoints(f *decode.Frame) (src, dst netip.Addr, ok bool) { return addrs(f) }
