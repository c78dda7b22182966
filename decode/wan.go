package decode

import "github.com/wirewatch/wirewatch/capture"

// WAN link types (Cisco HDLC, Frame Relay), the Solaris ipnet and IP over
// InfiniBand link types, and IPsec (ESP, AH). Like the dissectors of
// dissect.go they keep only their Layer; field/wan.go reads the fields from
// its bytes. Hand-written: gopacket has no Cisco HDLC, ipnet or IPoIB layer,
// and its Frame Relay-free decoders would not share this package's Frame.

// Link types of this file (pcap LINKTYPE_ values).
const (
	LinkCHDLC capture.LinkType = 104
	LinkFR    capture.LinkType = 107
	LinkIPNet capture.LinkType = 226
	LinkIPoIB capture.LinkType = 242
)

// IPsec protocol numbers.
const (
	IPProtoESP IPProto = 50
	IPProtoAH  IPProto = 51
)

const etherTypeSLARP uint16 = 0x8035

// decodeWANLink decodes the link types of this file; false for others.
func (d *Decoder) decodeWANLink(f *Frame, b []byte, lt capture.LinkType) bool {
	switch lt {
	case LinkCHDLC:
		d.decodeCHDLC(f, b, 0)
	case LinkFR:
		d.decodeFR(f, b)
	case LinkIPNet:
		d.decodeIPNet(f, b)
	case LinkIPoIB:
		d.decodeIPoIB(f, b)
	default:
		return false
	}
	return true
}

// decodeCHDLC dissects a Cisco HDLC header (address, control, protocol) at
// b[off:] and what it carries.
func (d *Decoder) decodeCHDLC(f *Frame, b []byte, off int) {
	if len(b)-off < 4 {
		f.anomaly(ProtoCHDLC, off, "Cisco HDLC header truncated")
		f.data(off, len(b)-off, false)
		return
	}
	f.addLayer(ProtoCHDLC, off, 4, false)
	d.wanPayload(f, b, off+4, be16(b[off+2:]))
}

// wanPayload dispatches b[off:] by the EtherType-like protocol of Cisco
// HDLC and of Cisco-encapsulated Frame Relay.
func (d *Decoder) wanPayload(f *Frame, b []byte, off int, typ uint16) {
	switch typ {
	case EtherTypeIPv4:
		d.decodeIPv4(f, b, off, false)
	case EtherTypeIPv6:
		d.decodeIPv6(f, b, off, false)
	case EtherTypeMPLS, EtherTypeMPLSMC:
		d.decodeMPLS(f, b, off)
	case etherTypeSLARP:
		if len(b)-off < 4 {
			f.anomaly(ProtoSLARP, off, "SLARP packet truncated")
			f.data(off, len(b)-off, false)
			return
		}
		f.addLayer(ProtoSLARP, off, len(b)-off, false)
	case 0x2000:
		if d.opts.SkipApp&AppOther != 0 || !decodeCDP(f, b, off) {
			f.data(off, len(b)-off, false)
		}
	default:
		f.data(off, len(b)-off, false)
	}
}

// decodeFR dissects a Frame Relay frame (Q.922 address of two octets, then
// either RFC 2427 encapsulation: UI control 0x03 and an NLPID, or Cisco's:
// an EtherType).
func (d *Decoder) decodeFR(f *Frame, b []byte) {
	if len(b) < 2 || b[0]&1 != 0 || b[1]&1 == 0 {
		f.anomaly(ProtoFR, 0, "Frame Relay address truncated or not two octets")
		f.data(0, len(b), false)
		return
	}
	if len(b) >= 4 && b[2] == 0x03 { // RFC 2427: control, then NLPID
		p := 3
		if b[p] == 0 && len(b) > 4 { // padding octet before the NLPID
			p++
		}
		f.addLayer(ProtoFR, 0, p+1, false)
		switch b[p] {
		case 0xcc:
			d.decodeIPv4(f, b, p+1, false)
		case 0x8e:
			d.decodeIPv6(f, b, p+1, false)
		default:
			f.data(p+1, len(b)-p-1, false)
		}
		return
	}
	if len(b) < 4 {
		f.addLayer(ProtoFR, 0, len(b), false)
		return
	}
	f.addLayer(ProtoFR, 0, 4, false)
	d.wanPayload(f, b, 4, be16(b[2:]))
}

// decodeIPNet dissects the 24-byte Solaris ipnet header (version, address
// family, hook, length, interface and zone ids) and the IP packet after it.
func (d *Decoder) decodeIPNet(f *Frame, b []byte) {
	if len(b) < 24 {
		f.anomaly(ProtoIPNet, 0, "ipnet header truncated")
		f.data(0, len(b), false)
		return
	}
	f.addLayer(ProtoIPNet, 0, 24, false)
	switch b[1] {
	case 2: // AF_INET
		d.decodeIPv4(f, b, 24, false)
	case 26: // Solaris AF_INET6
		d.decodeIPv6(f, b, 24, false)
	default:
		f.data(24, len(b)-24, false)
	}
}

// decodeIPoIB dissects LINKTYPE_IPOIB: 20 bytes before the destination
// address Wireshark does not show, the destination address (4-byte QPN
// word and 16-byte GID), then the RFC 4391 header (type, reserved).
func (d *Decoder) decodeIPoIB(f *Frame, b []byte) {
	if len(b) < 44 {
		f.anomaly(ProtoIPoIB, 0, "IPoIB header truncated")
		f.data(0, len(b), false)
		return
	}
	f.addLayer(ProtoIPoIB, 0, 44, false)
	switch be16(b[40:]) {
	case EtherTypeIPv4:
		d.decodeIPv4(f, b, 44, false)
	case EtherTypeIPv6:
		d.decodeIPv6(f, b, 44, false)
	case EtherTypeARP:
		d.decodeARP(f, b, 44)
	default:
		f.data(44, len(b)-44, false)
	}
}

// decodeESP records an ESP header (SPI, sequence number); the rest is
// encrypted and Wireshark shows no layer after it.
func (d *Decoder) decodeESP(f *Frame, b []byte, off int, reasm bool) {
	if len(b)-off < 8 {
		f.anomaly(ProtoESP, off, "ESP header truncated")
		f.data(off, len(b)-off, reasm)
		return
	}
	f.addLayer(ProtoESP, off, len(b)-off, reasm)
}

// decodeAH dissects an IPv4 Authentication Header ((length+2)*4 bytes) and
// the protocol after it.
func (d *Decoder) decodeAH(f *Frame, b []byte, off, repEnd int, reasm bool) {
	h := b[off:]
	if len(h) < 12 || (int(h[1])+2)*4 > len(h) {
		f.anomaly(ProtoAH, off, "AH header truncated")
		f.data(off, len(h), reasm)
		return
	}
	n := (int(h[1]) + 2) * 4
	f.addLayer(ProtoAH, off, n, reasm)
	if f.tunnelDepth() >= maxTunnelDepth {
		f.data(off+n, len(h)-n, reasm)
		return
	}
	d.ipPayload(f, IPProto(h[0]), b, off+n, repEnd, reasm)
}

// wanProtos are this file's protocols that end a frame's dissection and so
// set the Info and Protocol columns.
var wanProtos = Protos(ProtoSLARP, ProtoESP)

// appendWANInfo appends the Info column of a SLARP or ESP frame; ok false
// for others.
func appendWANInfo(dst []byte, f *Frame) ([]byte, bool) {
	if !f.Present.Any(wanProtos) {
		return appendEncapInfo(dst, f)
	}
	if b, ok := layerOf(f, ProtoESP); ok {
		dst = append(dst, "ESP (SPI="...)
		return append(appendHex(dst, uint64(be32(b)), 8), ')'), true
	}
	b, ok := layerOf(f, ProtoSLARP)
	if !ok || len(b) < 4 {
		return dst, false
	}
	switch be32(b) {
	case 0, 1:
		if be32(b) == 0 {
			dst = append(dst, "Request"...)
		} else {
			dst = append(dst, "Reply"...)
		}
		if len(b) >= 12 {
			dst = append(dst, ", from "...)
			dst = appendIPv4(dst, b[4:8])
			dst = append(dst, ", mask "...)
			dst = appendIPv4(dst, b[8:12])
		}
	case 2:
		dst = append(dst, "Line keepalive"...)
		if len(b) >= 12 {
			dst = append(dst, ", outgoing sequence "...)
			dst = appendUint(dst, uint64(be32(b[4:])))
			dst = append(dst, ", returned sequence "...)
			dst = appendUint(dst, uint64(be32(b[8:])))
		}
	default:
		dst = append(dst, "Unknown packet type "...)
		dst = appendHex(dst, uint64(be32(b)), 8)
	}
	return dst, true
}

// wanColumn returns the Protocol column of a SLARP or ESP frame, "" for others.
func (f *Frame) wanColumn() string {
	switch {
	case !f.Present.Any(wanProtos):
		return f.encapColumn()
	case f.Has(ProtoESP):
		return "ESP"
	}
	return "SLARP"
}

// layerOf returns the bytes of p's first layer in f.
func layerOf(f *Frame, p Proto) ([]byte, bool) {
	l, ok := f.Layer(p)
	if !ok {
		return nil, false
	}
	return f.LayerBytes(l), true
}
