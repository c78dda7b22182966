package flow

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// Key identifies a conversation by its two endpoints, in canonical order
// (A sorts before B), so both directions of a connection share one Key.
// It is a comparable value, usable as a map key.
type Key struct {
	A, B netip.AddrPort
}

// makeKey returns the canonical key for a packet from src to dst and whether
// the packet travels from Key.A to Key.B (dir 0) or back (dir 1).
func makeKey(src netip.Addr, sport uint16, dst netip.Addr, dport uint16) (Key, int) {
	c := src.Compare(dst)
	if c < 0 || (c == 0 && sport <= dport) {
		return Key{netip.AddrPortFrom(src, sport), netip.AddrPortFrom(dst, dport)}, 0
	}
	return Key{netip.AddrPortFrom(dst, dport), netip.AddrPortFrom(src, sport)}, 1
}

// addrs returns the network addresses the transport layer of f belongs to:
// those of the innermost IP header decoded before it (as Wireshark's
// pinfo->src/dst).
func addrs(f *decode.Frame) (src, dst netip.Addr, ok bool) {
	last := decode.Proto(255)
	for i := range f.Layers {
		switch f.Layers[i].Proto {
		case decode.ProtoIP, decode.ProtoIPv6:
			last = f.Layers[i].Proto
		case decode.ProtoTCP, decode.ProtoUDP, decode.ProtoICMP, decode.ProtoICMPv6:
			if last != 255 {
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
