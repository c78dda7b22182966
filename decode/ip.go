package decode

import (
	"net/netip"
	"strconv"
)

// IPProto is an IP protocol number (IPv4 protocol, IPv6 next header).
type IPProto uint8

// IP protocol numbers the decoder follows.
const (
	IPProtoICMP   IPProto = 1
	IPProtoIPIP   IPProto = 4
	IPProtoTCP    IPProto = 6
	IPProtoUDP    IPProto = 17
	IPProtoIPv6   IPProto = 41
	IPProtoFrag   IPProto = 44
	IPProtoICMPv6 IPProto = 58
	IPProtoNoNext IPProto = 59
)

// String is the protocol's lower-case name as wirewatch reports it ("tcp",
// "udp", "icmp"), or "ip proto N" for one the decoder does not follow.
func (p IPProto) String() string {
	switch p {
	case IPProtoICMP:
		return "icmp"
	case IPProtoIPIP:
		return "ipip"
	case IPProtoTCP:
		return "tcp"
	case IPProtoUDP:
		return "udp"
	case IPProtoIPv6:
		return "ipv6"
	case IPProtoFrag:
		return "ipv6-frag"
	case IPProtoICMPv6:
		return "icmpv6"
	case IPProtoNoNext:
		return "ipv6-nonxt"
	}
	return "ip proto " + strconv.Itoa(int(p))
}

// decodeIPv4 dissects an IPv4 header at b[off:]; reasm says b is Frame.Reassembled.
func (d *Decoder) decodeIPv4(f *Frame, b []byte, off int, reasm bool) {
	h := b[off:]
	if len(h) < 20 {
		f.anomaly(ProtoIP, off, "IPv4 header truncated")
		f.data(off, len(h), reasm)
		return
	}
	if h[0]>>4 != 4 {
		f.anomaly(ProtoIP, off, "bogus IP version")
		f.data(off, len(h), reasm)
		return
	}
	ihl := int(h[0]&0xf) * 4
	if ihl < 20 {
		f.anomaly(ProtoIP, off, "bogus IP header length (must be at least 20)")
		if !f.Has(ProtoIP) {
			f.IP = IPv4{Version: 4, IHL: h[0] & 0xf, Bogus: true}
			f.addLayer(ProtoIP, off, len(h), reasm)
		}
		return
	}
	if ihl > len(h) {
		f.anomaly(ProtoIP, off, "IPv4 header truncated")
		f.data(off, len(h), reasm)
		return
	}
	outer := !f.Has(ProtoIP) || f.Tunnelled()
	var ip IPv4
	ip.Version, ip.IHL = 4, h[0]&0xf
	ip.TOS = h[1]
	ip.TotalLen = be16(h[2:])
	ip.ID = be16(h[4:])
	ff := be16(h[6:])
	ip.Flags = uint8(ff >> 13)
	ip.FragOffset = ff & 0x1fff
	ip.TTL = h[8]
	ip.Protocol = IPProto(h[9])
	ip.Checksum = be16(h[10:])
	ip.Src = netip.AddrFrom4([4]byte(h[12:16]))
	ip.Dst = netip.AddrFrom4([4]byte(h[16:20]))
	ip.Options = h[20:ihl]
	tot := int(ip.TotalLen)
	if tot == 0 { // TCP segmentation offload: length unknown, use what was captured
		tot = len(h)
	}
	if tot < ihl {
		if outer {
			f.IP = ip
		}
		f.addLayer(ProtoIP, off, ihl, reasm)
		f.anomaly(ProtoIP, off, "bogus IP length (less than header length)")
		return
	}
	repEnd := off + tot
	if lim := f.reportedEnd(b, reasm); repEnd > lim {
		repEnd = lim // the IP length claims more than the frame had on the wire
	}
	capEnd := repEnd
	if capEnd > len(b) {
		capEnd = len(b)
	}
	if outer {
		f.IP = ip
	}
	f.addLayer(ProtoIP, off, capEnd-off, reasm)
	more := ip.Flags&1 != 0
	if (more || ip.FragOffset != 0) && !reasm && d.opts.ReassembleIP {
		f.Fragment = true
		if repEnd > len(b) {
			f.anomaly(ProtoIP, off, "fragment truncated by the capture; not reassembled")
			f.data(off+ihl, capEnd-off-ihl, reasm)
			return
		}
		k := fragKey{proto: uint8(ip.Protocol), id: uint32(ip.ID), src: ip.Src, dst: ip.Dst}
		payload, _, done, msg := d.frag.add(k, int(ip.FragOffset)*8, b[off+ihl:capEnd], more, f.TS, 0, f.Number)
		if msg != "" {
			f.anomaly(ProtoIP, off, msg)
		}
		if !done {
			f.data(off+ihl, capEnd-off-ihl, reasm)
			return
		}
		f.Fragment = false
		if outer {
			f.IP.Reassembled = true
		}
		f.ownReassembly(payload, d.frag.outFrames)
		payload = f.Reassembled
		d.ipPayload(f, ip.Protocol, payload, 0, len(payload), true)
		return
	}
	d.ipPayload(f, ip.Protocol, b[:capEnd], off+ihl, repEnd, reasm)
}

// ipPayload dispatches the upper-layer protocol at b[off:]; repEnd is where
// the payload ends on the wire (may exceed len(b) when the capture truncated it).
func (d *Decoder) ipPayload(f *Frame, proto IPProto, b []byte, off, repEnd int, reasm bool) {
	if off > len(b) {
		return
	}
	switch proto {
	case IPProtoTCP:
		d.decodeTCP(f, b, off, repEnd, reasm)
	case IPProtoUDP:
		d.decodeUDP(f, b, off, repEnd, reasm)
	case IPProtoICMP:
		d.decodeICMP(f, b, off, reasm)
	case IPProtoICMPv6:
		d.decodeICMPv6(f, b, off, reasm)
	case IPProtoIPIP:
		d.decodeIPv4(f, b, off, reasm)
	case IPProtoIPv6:
		d.decodeIPv6(f, b, off, reasm)
	case IPProtoNoNext:
	case IPProtoGRE:
		d.decodeGRE(f, b, off, reasm)
	case IPProtoESP:
		d.decodeESP(f, b, off, reasm)
	case IPProtoAH:
		d.decodeAH(f, b, off, repEnd, reasm)
	case 2: // IGMP (igmp.go)
		if !d.decodeIGMP(f, b, off, reasm) {
			f.data(off, len(b)-off, reasm)
		}
	default:
		if !d.routingIP(f, proto, b, off, reasm) {
			f.data(off, len(b)-off, reasm)
		}
	}
}

// decodeIPv6 dissects an IPv6 header and its extension headers at b[off:].
func (d *Decoder) decodeIPv6(f *Frame, b []byte, off int, reasm bool) {
	h := b[off:]
	if len(h) < 40 {
		f.anomaly(ProtoIPv6, off, "IPv6 header truncated")
		f.data(off, len(h), reasm)
		return
	}
	if h[0]>>4 != 6 {
		f.anomaly(ProtoIPv6, off, "bogus IPv6 version")
		f.data(off, len(h), reasm)
		return
	}
	outer := !f.Has(ProtoIPv6) || f.Tunnelled()
	var ip IPv6
	vtf := be32(h)
	ip.TrafficClass = uint8(vtf >> 20)
	ip.FlowLabel = vtf & 0xfffff
	ip.PayloadLen = be16(h[4:])
	ip.NextHeader = IPProto(h[6])
	ip.HopLimit = h[7]
	ip.Src = netip.AddrFrom16([16]byte(h[8:24]))
	ip.Dst = netip.AddrFrom16([16]byte(h[24:40]))
	repEnd := off + 40 + int(ip.PayloadLen)
	if ip.PayloadLen == 0 { // jumbogram or offload: use what was captured
		repEnd = len(b)
	}
	if lim := f.reportedEnd(b, reasm); repEnd > lim {
		repEnd = lim
	}
	capEnd := repEnd
	if capEnd > len(b) {
		capEnd = len(b)
	}
	f.addLayer(ProtoIPv6, off, capEnd-off, reasm)
	b = b[:capEnd]
	nh := ip.NextHeader
	p := off + 40
	// Walk the extension headers.
	for {
		switch nh {
		case 0, 43, 60, 135, 139, 140, 51:
			if p+2 > len(b) {
				f.anomaly(ProtoIPv6, p, "IPv6 extension header truncated")
				ip.Proto = nh
				d.setIPv6(f, &ip, outer)
				return
			}
			n := (int(b[p+1]) + 1) * 8
			if nh == 51 {
				n = (int(b[p+1]) + 2) * 4
			}
			if nh == 0 || nh == 60 {
				// An option header (or an option in it) that runs past the
				// packet: Wireshark shows the header, then throws.
				var bad bool
				if p+n <= len(b) {
					var unknown uint8
					unknown, bad = ipv6UnknownOpts(b[p+2:p+n], &ip)
					if int(ip.NExt) < len(ip.UnknownOpts) {
						ip.UnknownOpts[ip.NExt] = unknown
					}
				}
				if bad || p+n > len(b) && capEnd == repEnd {
					ip.addExt(nh)
					msg := ipv6OptsDest
					if nh == 0 {
						msg = ipv6OptsHop
					}
					f.anomaly(ProtoIPv6, p, msg)
					ip.Proto = nh
					d.setIPv6(f, &ip, outer)
					return
				}
			}
			if p+n > len(b) {
				f.anomaly(ProtoIPv6, p, "IPv6 extension header truncated")
				ip.Proto = nh
				d.setIPv6(f, &ip, outer)
				return
			}
			ip.addExt(nh)
			if nh == IPProtoAH { // Wireshark shows AH as its own protocol
				f.addLayer(ProtoAH, p, n, reasm)
			}
			if nh == 43 && b[p+2] == 0 {
				ip.RH0 = true
			}
			nh = IPProto(b[p])
			p += n
			continue
		case IPProtoFrag:
			if p+8 > len(b) {
				f.anomaly(ProtoIPv6, p, "IPv6 fragment header truncated")
				ip.Proto = nh
				d.setIPv6(f, &ip, outer)
				return
			}
			fo := be16(b[p+2:])
			ip.HasFrag = true
			ip.addExt(IPProtoFrag)
			ip.FragOffset = fo >> 3
			ip.MoreFrags = fo&1 != 0
			ip.FragID = be32(b[p+4:])
			nh = IPProto(b[p])
			p += 8
			if (ip.FragOffset != 0 || ip.MoreFrags) && !reasm && d.opts.ReassembleIP {
				ip.Proto = nh
				d.setIPv6(f, &ip, outer)
				f.Fragment = true
				if repEnd > capEnd {
					f.anomaly(ProtoIPv6, off, "fragment truncated by the capture; not reassembled")
					f.data(p, len(b)-p, reasm)
					return
				}
				k := fragKey{v6: true, id: ip.FragID, src: ip.Src, dst: ip.Dst}
				payload, fnh, done, msg := d.frag.add(k, int(ip.FragOffset)*8, b[p:], ip.MoreFrags, f.TS, nh, f.Number)
				if msg != "" {
					f.anomaly(ProtoIPv6, off, msg)
				}
				if !done {
					f.data(p, len(b)-p, reasm)
					return
				}
				f.Fragment = false
				if outer {
					f.IPv6.Reassembled = true
					f.IPv6.Proto = fnh
				}
				f.ownReassembly(payload, d.frag.outFrames)
				payload = f.Reassembled
				d.ipv6Upper(f, fnh, payload, 0, len(payload), true)
				return
			}
			continue
		}
		break
	}
	ip.Proto = nh
	d.setIPv6(f, &ip, outer)
	d.ipPayload(f, nh, b, p, repEnd, reasm)
}

func (d *Decoder) setIPv6(f *Frame, ip *IPv6, outer bool) {
	if outer {
		f.IPv6 = *ip
	}
}

// ipv6Upper walks extension headers left in a reassembled IPv6 payload, then dispatches.
func (d *Decoder) ipv6Upper(f *Frame, nh IPProto, b []byte, p, repEnd int, reasm bool) {
	for {
		switch nh {
		case 0, 43, 60, 135, 139, 140:
			if p+2 > len(b) || p+(int(b[p+1])+1)*8 > len(b) {
				f.anomaly(ProtoIPv6, p, "IPv6 extension header truncated")
				return
			}
			n := (int(b[p+1]) + 1) * 8
			nh = IPProto(b[p])
			p += n
			continue
		}
		break
	}
	d.ipPayload(f, nh, b, p, repEnd, reasm)
}

// reportedEnd is where b ends on the wire: frame.len for the packet data (it
// may exceed what was captured), len(b) for reassembled bytes.
func (f *Frame) reportedEnd(b []byte, reasm bool) int {
	if reasm || f.Len < len(b) {
		return len(b)
	}
	return f.Len
}

func (ip *IPv6) addExt(t IPProto) {
	if int(ip.NExt) < len(ip.Ext) {
		ip.Ext[ip.NExt] = uint8(t)
		ip.NExt++
	}
}

// ownReassembly gives f its own copy of a reassembled datagram and of its
// fragments' frame numbers. The fragment table hands out buffers that a
// later reassembly reuses; a frame must stay valid while it waits in the
// two-core pipeline's batches, after later packets were decoded.
func (f *Frame) ownReassembly(payload []byte, frames []uint64) {
	f.reasmBuf = append(f.reasmBuf[:0], payload...)
	f.fragBuf = append(f.fragBuf[:0], frames...)
	f.Reassembled, f.FragFrames = f.reasmBuf, f.fragBuf
}

// IPv6FinalDst is the final destination of the (outer) IPv6 header, that of
// the upper-layer checksum pseudo-header and of Wireshark's Destination column: the last
// address of a routing header with segments left (RFC 8200 8.1; the first
// segment of a segment routing header), else the header's destination.
func (f *Frame) IPv6FinalDst() netip.Addr {
	dst := f.IPv6.Dst
	l, ok := f.Layer(ProtoIPv6)
	if !ok || l.Reasm || l.Off+40 > len(f.Data) {
		return dst
	}
	b := f.Data[l.Off:]
	nxt, off := b[6], 40
	for off+8 <= len(b) {
		var n int
		switch nxt {
		case 0, 60:
			n = (int(b[off+1]) + 1) * 8
		case 44:
			n = 8
		case 51:
			n = (int(b[off+1]) + 2) * 4
		case 43:
			n = (int(b[off+1]) + 1) * 8
			if off+n > len(b) || b[off+3] == 0 {
				return dst
			}
			var a int
			switch b[off+2] {
			case 0, 2: // type 0, type 2 (mobile IPv6): the last address
				a = off + 8 + 16*(int(b[off+1])/2-1)
			case 4: // segment routing: segment list[0]
				a = off + 8
			default:
				return dst
			}
			if a >= off+8 && a+16 <= off+n {
				dst = netip.AddrFrom16([16]byte(b[a : a+16]))
			}
			return dst
		default:
			return dst
		}
		nxt = b[off]
		off += n
	}
	return dst
}

// Anomalies (and Info) of an IPv6 option header that runs past the packet.
const (
	ipv6OptsDest = "IPv6 destination options"
	ipv6OptsHop  = "IPv6 hop-by-hop options"
)

// ipv6UnknownOpts counts the options in an option header's body whose
// type Wireshark 4.0 has no dissector for (ipv6.opt.type values); bad
// when an option runs past the body.
func ipv6UnknownOpts(o []byte, ip *IPv6) (n uint8, bad bool) {
	for i := 0; i < len(o); {
		t := o[i]
		if t == 0 { // Pad1
			i++
			continue
		}
		if i+1 >= len(o) || i+2+int(o[i+1]) > len(o) {
			return n, true
		}
		switch t {
		case 1, 4, 5, 7, 8, 15, 30, 38, 48, 49, 62, 65, 94, 99, 109, 126, 138, 139, 140, 158, 190, 194, 201, 222, 238, 254:
		default:
			if n < 255 {
				n++
			}
		}
		if t == 201 { // Home Address: Wireshark reads 16 bytes whatever the length says
			if i+18 > len(o) {
				return n, true
			}
			if o[i+1] != 16 && !ip.HomeAddrBad {
				ip.HomeAddrBad, ip.HomeAddrLen = true, o[i+1]
			}
			i += 18
			continue
		}
		i += 2 + int(o[i+1])
	}
	return n, false
}
