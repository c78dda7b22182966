package decode

import "net/netip"

// Repeated layers. A tunnel (GRE, VXLAN, ERSPAN, Teredo, MPLS, IP in IP)
// puts a protocol into one frame more than once, and Wireshark reports every
// occurrence of its fields in frame order (ip.src "1.1.1.2,2.2.2.3"). The
// decoders keep one struct per protocol (Frame.IP, Frame.Eth, Frame.UDP) for
// the common frame; Frame.Repeated says which protocols occur more than once,
// and for those the field layer re-reads each occurrence from its Layer bytes
// with the parsers below (a few fixed-offset reads, no allocation).

// NthLayer returns the n-th (0-based) layer of protocol p in frame order.
func (f *Frame) NthLayer(p Proto, n int) (Layer, bool) {
	for _, l := range f.Layers {
		if l.Proto == p {
			if n == 0 {
				return l, true
			}
			n--
		}
	}
	return Layer{}, false
}

// ParseIPv4 reads the IPv4 header at the start of b (an IP Layer's bytes).
// A header length under 20 gives a Bogus header; ok is false when b is not
// an IPv4 header at all.
func ParseIPv4(b []byte) (ip IPv4, ok bool) {
	if len(b) < 1 || b[0]>>4 != 4 {
		return ip, false
	}
	ip.Version, ip.IHL = 4, b[0]&0xf
	ihl := int(ip.IHL) * 4
	if ihl < 20 || len(b) < 20 {
		ip.Bogus = true
		return ip, true
	}
	ip.TOS = b[1]
	ip.TotalLen = be16(b[2:])
	ip.ID = be16(b[4:])
	ff := be16(b[6:])
	ip.Flags = uint8(ff >> 13)
	ip.FragOffset = ff & 0x1fff
	ip.TTL = b[8]
	ip.Protocol = IPProto(b[9])
	ip.Checksum = be16(b[10:])
	ip.Src = netip.AddrFrom4([4]byte(b[12:16]))
	ip.Dst = netip.AddrFrom4([4]byte(b[16:20]))
	if ihl <= len(b) {
		ip.Options = b[20:ihl]
	}
	return ip, true
}

// ParseIPv6 reads the fixed IPv6 header at the start of b (an IPv6 Layer's
// bytes): traffic class, flow label, payload length, next header, hop limit
// and addresses (extension headers are not walked: Proto is NextHeader).
func ParseIPv6(b []byte) (ip IPv6, ok bool) {
	if len(b) < 40 || b[0]>>4 != 6 {
		return ip, false
	}
	v := be32(b)
	ip.TrafficClass = uint8(v >> 20)
	ip.FlowLabel = v & 0xfffff
	ip.PayloadLen = be16(b[4:])
	ip.NextHeader = IPProto(b[6])
	ip.Proto = ip.NextHeader
	ip.HopLimit = b[7]
	ip.Src = netip.AddrFrom16([16]byte(b[8:24]))
	ip.Dst = netip.AddrFrom16([16]byte(b[24:40]))
	return ip, true
}

// ParseUDP reads the UDP header at the start of b (a UDP Layer's bytes); a
// truncated header (4 to 7 bytes) gives the ports with Length 0.
func ParseUDP(b []byte) (u UDP, ok bool) {
	if len(b) < 4 {
		return u, false
	}
	u.SrcPort, u.DstPort = be16(b), be16(b[2:])
	if len(b) >= 8 {
		u.Length, u.Checksum = be16(b[4:]), be16(b[6:])
	}
	return u, true
}

// ParseEthernet reads the Ethernet header at the start of b (an Eth Layer's
// bytes) and, for an 802.3 length, the LLC/SNAP header after it.
func ParseEthernet(b []byte) (e Ethernet, ok bool) {
	if len(b) < 14 {
		return e, false
	}
	copy(e.Dst[:], b[0:6])
	copy(e.Src[:], b[6:12])
	e.Type = be16(b[12:14])
	if e.Type <= 1500 {
		e.parseLLC(b[14:])
	}
	return e, true
}

// ParseLLC reads the 802.2 LLC (and SNAP) header at the start of b (an LLC
// Layer's bytes) into the LLC part of an Ethernet.
func ParseLLC(b []byte) (e Ethernet, ok bool) {
	if len(b) < 3 {
		return e, false
	}
	e.parseLLC(b)
	return e, true
}

func (e *Ethernet) parseLLC(h []byte) {
	if len(h) < 3 {
		return
	}
	e.DSAP, e.SSAP, e.Control = h[0], h[1], uint16(h[2])
	if h[2]&3 != 3 && len(h) >= 4 { // I or S format: 2-byte control, little-endian as Wireshark shows it
		e.Control = uint16(h[2]) | uint16(h[3])<<8
	}
	if h[0] == 0xaa && h[1] == 0xaa && h[2] == 3 && len(h) >= 8 {
		e.HasSNAP = true
		e.SNAPOUI = uint32(h[3])<<16 | uint32(h[4])<<8 | uint32(h[5])
		e.SNAPType = be16(h[6:8])
	}
}

// TransportAddrs returns the network addresses the transport layer t (a TCP
// or UDP Layer of f) belongs to: those of the nearest IP or IPv6 layer
// before it, as Wireshark's conversations and streams use (pinfo->src/dst
// when the transport is dissected). ok is false without one.
func (f *Frame) TransportAddrs(t int) (src, dst netip.Addr, ok bool) {
	for i := t - 1; i >= 0; i-- {
		switch l := f.Layers[i]; l.Proto {
		case ProtoIP:
			if !f.Repeated.Has(ProtoIP) {
				return f.IP.Src, f.IP.Dst, f.IP.Src.IsValid()
			}
			ip, ok := ParseIPv4(f.LayerBytes(l))
			return ip.Src, ip.Dst, ok && !ip.Bogus
		case ProtoIPv6:
			if !f.Repeated.Has(ProtoIPv6) {
				return f.IPv6.Src, f.IPv6.Dst, f.IPv6.Src.IsValid()
			}
			ip, ok := ParseIPv6(f.LayerBytes(l))
			return ip.Src, ip.Dst, ok
		}
	}
	return src, dst, false
}
