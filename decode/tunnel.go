package decode

// Tunnels whose inner headers Wireshark decodes as a second layer: GRE (IP
// protocol 47, with ERSPAN type I/II/III and transparent Ethernet bridging),
// VXLAN (UDP 4789), Geneve (UDP 6081), MPLS (EtherTypes 0x8847/0x8848) and
// Teredo (UDP 3544). Like the dissectors of dissect.go they keep only their
// Layer (fields parse its bytes); the inner packet goes through the ordinary
// Ethernet/IP decoders, so the innermost TCP/UDP header is the one in
// Frame.TCP/Frame.UDP. The outer Ethernet header stays in Frame.Eth.

// Tunnel EtherTypes and ports.
const (
	EtherTypeMPLS   uint16  = 0x8847
	EtherTypeMPLSMC uint16  = 0x8848
	etherTypeTEB    uint16  = 0x6558 // transparent Ethernet bridging
	etherTypeERSPAN uint16  = 0x88be // ERSPAN type I/II
	etherTypeERSPN3 uint16  = 0x22eb // ERSPAN type III
	etherTypePPP    uint16  = 0x880b
	IPProtoGRE      IPProto = 47
	portVXLAN               = 4789
	portGeneve              = 6081
	portTeredo              = 3544
	maxTunnelDepth          = 4
)

// tunnelProtos are the protocols of this file.
var tunnelProtos = Protos(ProtoGRE, ProtoVXLAN, ProtoGeneve, ProtoMPLS, ProtoERSPAN, ProtoTeredo, ProtoPWEthCW)

// Tunnelled reports whether f carries a tunnel (GRE, VXLAN, Geneve, MPLS,
// ERSPAN, Teredo): then Frame.IP/IPv6 hold the innermost IP header, whose
// addresses Wireshark's columns, conversations and streams use.
func (f *Frame) Tunnelled() bool { return f.Present.Any(tunnelProtos) }

// tunnelDepth counts the tunnel layers in f, to bound nesting.
func (f *Frame) tunnelDepth() int {
	if !f.Present.Any(tunnelProtos) {
		return 0
	}
	n := 0
	for _, l := range f.Layers {
		if tunnelProtos.Has(l.Proto) {
			n++
		}
	}
	return n
}

// innerEthernet decodes an Ethernet frame carried in a tunnel, keeping the
// outer Ethernet header in f.Eth.
func (d *Decoder) innerEthernet(f *Frame, b []byte, off int) {
	outer := f.Eth
	d.decodeEthernet(f, b, off)
	if outer.Type != 0 {
		f.Eth = outer
	}
}

// decodeGRE dissects a GRE header (RFC 2784/2890, and version 1 of PPTP,
// RFC 2637) at b[off:] and the packet it carries.
func (d *Decoder) decodeGRE(f *Frame, b []byte, off int, reasm bool) {
	h := b[off:]
	if len(h) < 4 || f.tunnelDepth() >= maxTunnelDepth {
		f.data(off, len(h), reasm)
		return
	}
	flags := be16(h)
	n := 4
	if flags&0xc000 != 0 { // checksum or routing: checksum and offset
		n += 4
	}
	if flags&0x2000 != 0 { // key (version 1: payload length and call ID)
		n += 4
	}
	if flags&0x1000 != 0 { // sequence number
		n += 4
	}
	if flags&7 == 1 && flags&0x0080 != 0 { // PPTP acknowledgment number
		n += 4
	}
	if n > len(h) {
		f.anomaly(ProtoGRE, off, "GRE header truncated")
		f.addLayer(ProtoGRE, off, len(h), reasm)
		return
	}
	f.addLayer(ProtoGRE, off, n, reasm)
	if flags&0x4000 != 0 { // source routing entries: not followed
		f.data(off+n, len(h)-n, reasm)
		return
	}
	p := off + n
	switch typ := be16(h[2:]); typ {
	case EtherTypeIPv4:
		d.decodeIPv4(f, b, p, reasm)
	case EtherTypeIPv6:
		d.decodeIPv6(f, b, p, reasm)
	case etherTypeTEB:
		d.innerEthernet(f, b, p)
	case EtherTypeMPLS, EtherTypeMPLSMC:
		d.decodeMPLS(f, b, p)
	case etherTypeERSPAN, etherTypeERSPN3:
		d.decodeERSPAN(f, b, p, typ, flags&0x1000 != 0)
	case etherTypePPP:
		q := p
		if q+2 <= len(b) && b[q] == 0xff && b[q+1] == 0x03 {
			q += 2
		}
		d.decodePPPProto(f, b, p, q)
	case etherTypeCMD:
		d.decodeCMD(f, b, p)
	case 0x2000: // CDP over GRE keepalives and tunnels
		if reasm || d.opts.SkipApp&AppOther != 0 || !decodeCDP(f, b, p) {
			f.data(p, len(b)-p, reasm)
		}
	default:
		f.data(p, len(b)-p, reasm)
	}
}

// decodeERSPAN dissects an ERSPAN header after GRE: type I (no GRE sequence
// number: no header), type II (8 bytes) or type III (12, and 8 more with the
// platform-specific subheader), then the mirrored Ethernet frame.
func (d *Decoder) decodeERSPAN(f *Frame, b []byte, off int, typ uint16, seq bool) {
	n := 0
	if typ == etherTypeERSPN3 {
		n = 12
		if off+12 <= len(b) && b[off+11]&1 != 0 {
			n = 20
		}
	} else if seq {
		n = 8
	}
	if off+n > len(b) {
		f.anomaly(ProtoERSPAN, off, "ERSPAN header truncated")
		f.data(off, len(b)-off, false)
		return
	}
	f.addLayer(ProtoERSPAN, off, len(b)-off, false)
	d.innerEthernet(f, b, off+n)
}

// decodeMPLS dissects an MPLS label stack at b[off:] and guesses the payload
// after the bottom of stack as Wireshark does by its first nibble: 4 IPv4,
// 6 IPv6, 0 a pseudowire control word then Ethernet, else Ethernet.
func (d *Decoder) decodeMPLS(f *Frame, b []byte, off int) {
	if f.tunnelDepth() >= maxTunnelDepth {
		f.data(off, len(b)-off, false)
		return
	}
	f.addLayer(ProtoMPLS, off, len(b)-off, false)
	for {
		if off+4 > len(b) {
			f.anomaly(ProtoMPLS, off, "MPLS label truncated")
			f.data(off, len(b)-off, false)
			return
		}
		bos := b[off+2]&1 != 0
		off += 4
		if bos {
			break
		}
	}
	if off >= len(b) {
		return
	}
	switch b[off] >> 4 {
	case 4:
		d.decodeIPv4(f, b, off, false)
	case 6:
		d.decodeIPv6(f, b, off, false)
	case 0:
		if off+4 > len(b) {
			f.data(off, len(b)-off, false)
			return
		}
		f.addLayer(ProtoPWEthCW, off, 4, false)
		d.innerEthernet(f, b, off+4)
	default:
		d.innerEthernet(f, b, off)
	}
}

// udpTunnel decodes the tunnel on UDP port lo or hi whose payload is
// b[off:end]; false when neither port is a tunnel's or the payload is not one.
func (d *Decoder) udpTunnel(f *Frame, b []byte, off, end int, lo, hi uint16) bool {
	if f.tunnelDepth() >= maxTunnelDepth {
		return false
	}
	b = b[:end]
	h := b[off:]
	switch {
	case lo == portVXLAN || hi == portVXLAN:
		if len(h) < 8 {
			return false
		}
		f.addLayer(ProtoVXLAN, off, len(h), false)
		d.innerEthernet(f, b, off+8)
		return true
	case lo == portGeneve || hi == portGeneve:
		if len(h) < 8 || h[0]>>6 != 0 {
			return false
		}
		n := 8 + int(h[0]&0x3f)*4
		if n > len(h) {
			return false
		}
		f.addLayer(ProtoGeneve, off, len(h), false)
		switch be16(h[2:]) {
		case etherTypeTEB:
			d.innerEthernet(f, b, off+n)
		case EtherTypeIPv4:
			d.decodeIPv4(f, b, off+n, false)
		case EtherTypeIPv6:
			d.decodeIPv6(f, b, off+n, false)
		default:
			f.data(off+n, len(h)-n, false)
		}
		return true
	case lo == portTeredo || hi == portTeredo:
		// Optional authentication (00 01) and origin indication (00 00)
		// headers, then an IPv6 packet.
		p := 0
		if len(h) >= 4 && h[0] == 0 && h[1] == 1 {
			p = 4 + int(h[2]) + int(h[3]) + 9
		}
		if p+8 <= len(h) && h[p] == 0 && h[p+1] == 0 {
			p += 8
		}
		if p+40 > len(h) || h[p]>>4 != 6 {
			return false
		}
		f.addLayer(ProtoTeredo, off, len(h), false)
		d.decodeIPv6(f, b, off+p, false)
		return true
	}
	return false
}
