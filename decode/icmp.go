package decode

import "net/netip"

// ICMP message types with an identifier and sequence number.
func icmpHasIDSeq(t uint8) bool {
	switch t {
	case 0, 8, 13, 14, 15, 16, 17, 18:
		return true
	}
	return false
}

// icmpIsError reports ICMP types that quote the offending datagram.
func icmpIsError(t uint8) bool {
	switch t {
	case 3, 4, 5, 11, 12:
		return true
	}
	return false
}

// decodeICMP dissects an ICMPv4 message at b[off:].
func (d *Decoder) decodeICMP(f *Frame, b []byte, off int, reasm bool) {
	h := b[off:]
	if len(h) < 4 {
		f.anomaly(ProtoICMP, off, "ICMP header truncated")
		f.data(off, len(h), reasm)
		return
	}
	c := &f.ICMP
	c.Type, c.Code = h[0], h[1]
	c.Checksum = be16(h[2:])
	c.ID, c.Seq, c.RequestIn = 0, 0, 0
	c.HasInner = false
	c.InnerL4 = nil
	f.addLayer(ProtoICMP, off, len(h), reasm)
	if len(h) < 8 {
		if icmpHasIDSeq(c.Type) || icmpIsError(c.Type) {
			f.anomaly(ProtoICMP, off, "ICMP message truncated")
		}
		return
	}
	switch {
	case icmpHasIDSeq(c.Type):
		c.ID, c.Seq = be16(h[4:]), be16(h[6:])
		c.RequestIn = 0
		if f.Has(ProtoIP) && (c.Type == 8 || c.Type == 0) {
			c.RequestIn = d.echo.match(c.Type == 8, f.IP.Src, f.IP.Dst, c.ID, c.Seq, f.Number)
		}
		if c.Type == 0 || c.Type == 8 {
			f.data(off+8, len(h)-8, reasm)
		}
	case icmpIsError(c.Type):
		q := h[8:]
		// RFC 4884 length of the original datagram (in 32-bit words): one
		// running past the message makes Wireshark's dissection fail (malformed).
		if (c.Type == 3 || c.Type == 11 || c.Type == 12) && h[5] != 0 && int(h[5])*4 > len(q) {
			f.anomaly(ProtoICMP, off+5, "malformed ICMP extension structure")
		}
		if len(q) >= 20 && q[0]>>4 == 4 {
			ihl := int(q[0]&0xf) * 4
			c.HasInner = true
			c.InnerProto = IPProto(q[9])
			c.InnerSrc = netip.AddrFrom4([4]byte(q[12:16]))
			c.InnerDst = netip.AddrFrom4([4]byte(q[16:20]))
			c.InnerSport, c.InnerDport = 0, 0
			c.InnerIP = IPv4{Version: 4, IHL: q[0] & 0xf, TOS: q[1], TotalLen: be16(q[2:]), ID: be16(q[4:]),
				Flags: q[6] >> 5, FragOffset: be16(q[6:]) & 0x1fff, TTL: q[8], Protocol: IPProto(q[9]), Checksum: be16(q[10:]),
				Src: c.InnerSrc, Dst: c.InnerDst}
			if ihl >= 20 && len(q) >= ihl {
				c.InnerL4 = q[ihl:]
				if c.InnerProto == IPProtoUDP {
					d.quotedUDP(f, c.InnerL4)
				}
			}
			if ihl >= 20 && len(q) >= ihl+4 {
				c.InnerSport, c.InnerDport = be16(q[ihl:]), be16(q[ihl+2:])
			} else {
				c.InnerProto = 0 // ports unknown
			}
		}
	}
}

// decodeICMPv6 dissects an ICMPv6 message at b[off:], including neighbour discovery.
func (d *Decoder) decodeICMPv6(f *Frame, b []byte, off int, reasm bool) {
	h := b[off:]
	if len(h) < 4 {
		f.anomaly(ProtoICMPv6, off, "ICMPv6 header truncated")
		f.data(off, len(h), reasm)
		return
	}
	c := &f.ICMP6
	*c = ICMPv6{Type: h[0], Code: h[1], Checksum: be16(h[2:])}
	f.addLayer(ProtoICMPv6, off, len(h), reasm)
	opts := -1
	switch c.Type {
	case 1, 2, 3, 4: // errors quoting the offending packet
		if c.Type == 2 && len(h) >= 8 {
			c.MTU = be32(h[4:])
		}
		q := h[min(8, len(h)):]
		if len(q) >= 40 && q[0]>>4 == 6 {
			c.HasInner = true
			c.InnerProto = IPProto(q[6])
			c.InnerSrc = netip.AddrFrom16([16]byte(q[8:24]))
			c.InnerDst = netip.AddrFrom16([16]byte(q[24:40]))
			if len(q) >= 44 && (c.InnerProto == IPProtoTCP || c.InnerProto == IPProtoUDP) {
				c.InnerSport, c.InnerDport = be16(q[40:]), be16(q[42:])
			} else {
				c.InnerProto = 0
			}
		}
	case 128, 129:
		if len(h) >= 8 {
			c.ID, c.Seq = be16(h[4:]), be16(h[6:])
			if f.Has(ProtoIPv6) {
				c.RequestIn = d.echo.match(c.Type == 128, f.IPv6.Src, f.IPv6.Dst, c.ID, c.Seq, f.Number)
			}
			f.data(off+8, len(h)-8, reasm)
		}
	case 133: // router solicitation
		opts = 8
	case 134: // router advertisement
		if len(h) >= 16 {
			c.HopLimit = h[4]
			c.NDFlags = uint32(h[5])
			c.RouterLifetime = be16(h[6:])
		}
		opts = 16
	case 135, 136: // neighbour solicitation / advertisement
		if len(h) >= 24 {
			if c.Type == 136 {
				c.NDFlags = be32(h[4:])
			}
			c.NDTarget = netip.AddrFrom16([16]byte(h[8:24]))
		}
		opts = 24
	case 137: // redirect
		if len(h) >= 40 {
			c.NDTarget = netip.AddrFrom16([16]byte(h[8:24]))
		}
		opts = 40
	}
	if opts < 0 {
		return
	}
	if opts > len(h) {
		f.anomaly(ProtoICMPv6, off, "neighbour discovery message truncated")
		return
	}
	for o := h[opts:]; len(o) >= 2; {
		n := int(o[1]) * 8
		if n == 0 || n > len(o) {
			f.anomaly(ProtoICMPv6, off, "bad neighbour discovery option length")
			return
		}
		switch o[0] {
		case 1, 2:
			if n >= 8 && !c.HasLinkAddr {
				copy(c.LinkAddr[:], o[2:8])
				c.HasLinkAddr = true
				c.LinkAddrSrc = o[0] == 1
			}
		case 5:
			if n >= 8 {
				c.MTU = be32(o[4:])
			}
		}
		o = o[n:]
	}
}

// echoTable remembers recent echo requests so a reply can name its request
// ("(request in N)"), in a fixed-size table: no allocation, bounded memory.
type echoTable struct {
	slots [1024]echoSlot
}

type echoSlot struct {
	src, dst netip.Addr // of the request
	id, seq  uint16
	frame    uint64
	reply    uint64 // the reply matched to it (Wireshark matches one)
}

func echoHash(a, b netip.Addr, id, seq uint16) int {
	x, y := a.As16(), b.As16()
	h := uint32(id)<<16 | uint32(seq)
	for i := 0; i < 16; i++ {
		h = h*31 + uint32(x[i]^y[i])
	}
	return int(h % 1024)
}

// match records a request (returns 0) or looks up the request a reply answers.
func (t *echoTable) match(request bool, src, dst netip.Addr, id, seq uint16, frame uint64) uint64 {
	if request {
		t.slots[echoHash(src, dst, id, seq)] = echoSlot{src, dst, id, seq, frame, 0}
		return 0
	}
	s := &t.slots[echoHash(dst, src, id, seq)]
	if s.frame != 0 && s.frame < frame && s.src == dst && s.dst == src && s.id == id && s.seq == seq &&
		(s.reply == 0 || s.reply == frame) {
		// A request is answered once: a duplicate reply names none.
		s.reply = frame
		return s.frame
	}
	return 0
}

// Quotes reports whether an ICMP or ICMPv6 error in the frame quotes a
// header of protocol p (TCP or UDP) of the packet that caused it: Wireshark
// dissects the quoted headers, so "udp" and "tcp" match such frames.
func (f *Frame) Quotes(p Proto) bool {
	var proto IPProto
	switch {
	case f.Has(ProtoICMP) && f.ICMP.HasInner:
		proto = f.ICMP.InnerProto
	case f.Has(ProtoICMPv6) && f.ICMP6.HasInner:
		proto = f.ICMP6.InnerProto
	default:
		return false
	}
	switch p {
	case ProtoUDP:
		return proto == IPProtoUDP
	case ProtoTCP:
		return proto == IPProtoTCP
	}
	return false
}
