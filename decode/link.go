package decode

// EtherTypes the decoder follows.
const (
	EtherTypeIPv4  uint16 = 0x0800
	EtherTypeARP   uint16 = 0x0806
	EtherTypeVLAN  uint16 = 0x8100 // 802.1Q
	EtherTypeQinQ  uint16 = 0x88a8 // 802.1ad
	EtherTypeQinQ9 uint16 = 0x9100 // old QinQ
	EtherTypeIPv6  uint16 = 0x86dd
	EtherTypeRARP  uint16 = 0x8035
	EtherTypePPPoE uint16 = 0x8864 // PPPoE session stage
)

// decodeEthernet dissects an Ethernet II or 802.3 frame starting at b[off:].
func (d *Decoder) decodeEthernet(f *Frame, b []byte, off int) {
	h := b[off:]
	if len(h) < 14 {
		f.anomaly(ProtoEth, off, "Ethernet header truncated")
		f.data(off, len(h), false)
		return
	}
	copy(f.Eth.Dst[:], h[0:6])
	copy(f.Eth.Src[:], h[6:12])
	f.Eth.Type = be16(h[12:14])
	f.Eth.HasSNAP = false
	f.addLayer(ProtoEth, off, len(h), false)
	if f.Eth.Type <= 1500 {
		end := off + 14 + int(f.Eth.Type)
		if end > len(b) {
			end = len(b)
		}
		if end >= off+16 && h[14] == 0xff && h[15] == 0xff { // Novell raw 802.3: IPX without LLC
			d.decodeIPX(f, b[:end], off+14)
			return
		}
		d.decodeLLC(f, b[:end], off+14)
		return
	}
	d.etherType(f, f.Eth.Type, b, off+14)
}

// decodeLLC dissects an 802.2 LLC header (and SNAP) at b[off:].
func (d *Decoder) decodeLLC(f *Frame, b []byte, off int) {
	h := b[off:]
	if len(h) < 3 {
		f.anomaly(ProtoLLC, off, "LLC header truncated")
		f.data(off, len(h), false)
		return
	}
	f.Eth.DSAP, f.Eth.SSAP, f.Eth.Control = h[0], h[1], uint16(h[2])
	f.addLayer(ProtoLLC, off, len(h), false)
	n := 3
	if h[2]&3 != 3 { // I or S format: 2-byte control
		n = 4
		if len(h) >= 4 {
			f.Eth.Control |= uint16(h[3]) << 8
		}
	}
	if h[0] == 0xaa && h[1] == 0xaa && h[2] == 3 {
		if len(h) < 8 {
			f.anomaly(ProtoLLC, off, "SNAP header truncated")
			return
		}
		f.Eth.HasSNAP = true
		f.Eth.SNAPOUI = uint32(h[3])<<16 | uint32(h[4])<<8 | uint32(h[5])
		f.Eth.SNAPType = be16(h[6:8])
		if f.Eth.SNAPOUI == 0 {
			d.etherType(f, f.Eth.SNAPType, b, off+8)
			return
		}
		if d.linkOther(f, b, off+8) {
			return
		}
		f.data(off+8, len(h)-8, false)
		return
	}
	if n > len(h) {
		n = len(h)
	}
	if d.nonIPLLC(f, b, off+n, h[0], h[1]) {
		return
	}
	if d.linkOther(f, b, off+n) {
		return
	}
	f.data(off+n, len(h)-n, false)
}

// etherType dispatches the payload at b[off:] by EtherType.
func (d *Decoder) etherType(f *Frame, typ uint16, b []byte, off int) {
	for depth := 0; ; depth++ {
		switch typ {
		case EtherTypeIPv4:
			d.decodeIPv4(f, b, off, false)
			return
		case EtherTypeIPv6:
			d.decodeIPv6(f, b, off, false)
			return
		case EtherTypeARP, EtherTypeRARP:
			d.decodeARP(f, b, off)
			return
		case EtherTypePPPoE:
			d.decodePPPoE(f, b, off)
			return
		case EtherTypePPPoED:
			d.decodePPPoED(f, b, off)
			return
		case EtherTypeMPLS, EtherTypeMPLSMC:
			d.decodeMPLS(f, b, off)
			return
		case etherTypeCMD:
			d.decodeCMD(f, b, off)
			return
		case etherTypeLoop:
			d.decodeLoop(f, b, off)
			return
		case etherTypePBB:
			if depth >= maxVLANDepth || len(b)-off < 18 {
				f.anomaly(ProtoPBB, off, "802.1ah header truncated or nested too deep")
				f.data(off, len(b)-off, false)
				return
			}
			f.addLayer(ProtoPBB, off, 18, false)
			typ = be16(b[off+16:])
			off += 18
			if typ <= 1500 {
				d.decodeLLC(f, b, off)
				return
			}
		case EtherTypeVLAN, EtherTypeQinQ, EtherTypeQinQ9:
			if depth >= maxVLANDepth {
				f.anomaly(ProtoVLAN, off, "too many nested VLAN tags")
				f.data(off, len(b)-off, false)
				return
			}
			h := b[off:]
			if len(h) < 4 {
				f.anomaly(ProtoVLAN, off, "VLAN tag truncated")
				f.data(off, len(h), false)
				return
			}
			tci := be16(h)
			v := VLAN{TPID: typ, Priority: uint8(tci >> 13), DEI: tci&0x1000 != 0, ID: tci & 0xfff, Type: be16(h[2:])}
			f.VLANs = append(f.VLANs, v)
			if typ == EtherTypeQinQ {
				f.addLayer(ProtoIEEE8021AD, off, len(h), false)
			} else {
				f.addLayer(ProtoVLAN, off, len(h), false)
			}
			off += 4
			typ = v.Type
			if typ <= 1500 { // 802.3 length inside the tag
				end := off + int(typ)
				if end > len(b) {
					end = len(b)
				}
				d.decodeLLC(f, b[:end], off)
				return
			}
		default:
			if d.linkOther(f, b, off) {
				return
			}
			f.data(off, len(b)-off, false)
			return
		}
	}
}

// decodeSLL dissects a Linux cooked v1 header.
func (d *Decoder) decodeSLL(f *Frame, b []byte) {
	if len(b) < 16 {
		f.anomaly(ProtoSLL, 0, "Linux cooked header truncated")
		f.data(0, len(b), false)
		return
	}
	s := &f.SLL
	s.Version = 1
	s.PktType = be16(b[0:])
	s.HAType = be16(b[2:])
	s.AddrLen = be16(b[4:])
	copy(s.Addr[:], b[6:14])
	s.Protocol = be16(b[14:])
	s.IfIndex = 0
	f.addLayer(ProtoSLL, 0, len(b), false)
	d.sllPayload(f, b, 16)
}

// decodeSLL2 dissects a Linux cooked v2 header.
func (d *Decoder) decodeSLL2(f *Frame, b []byte) {
	if len(b) < 20 {
		f.anomaly(ProtoSLL, 0, "Linux cooked v2 header truncated")
		f.data(0, len(b), false)
		return
	}
	s := &f.SLL
	s.Version = 2
	s.Protocol = be16(b[0:])
	s.IfIndex = be32(b[4:])
	s.HAType = be16(b[8:])
	s.PktType = uint16(b[10])
	s.AddrLen = uint16(b[11])
	copy(s.Addr[:], b[12:20])
	f.addLayer(ProtoSLL, 0, len(b), false)
	d.sllPayload(f, b, 20)
}

func (d *Decoder) sllPayload(f *Frame, b []byte, off int) {
	switch p := f.SLL.Protocol; {
	case p == 4: // 802.2 LLC frames
		d.decodeLLC(f, b, off)
	case p > 1500:
		d.etherType(f, p, b, off)
	default:
		f.data(off, len(b)-off, false)
	}
}

// decodeNull dissects BSD loopback: a 4-byte address family in host byte
// order (LINKTYPE_NULL; guessed as Wireshark does) or network order (LINKTYPE_LOOP).
func (d *Decoder) decodeNull(f *Frame, b []byte, network bool) {
	if len(b) < 4 {
		f.anomaly(ProtoNull, 0, "loopback header truncated")
		f.data(0, len(b), false)
		return
	}
	af := be32(b)
	if !network {
		le := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
		switch {
		case le <= 0xffff:
			af = le
		case af > 0xffff: // neither order is an address family: an EtherType follows the first 2 bytes
			f.Null = 0
			f.addLayer(ProtoNull, 0, len(b), false)
			d.etherType(f, be16(b[2:]), b, 4)
			return
		}
	}
	f.Null = af
	f.addLayer(ProtoNull, 0, len(b), false)
	switch af {
	case 2:
		d.decodeIPv4(f, b, 4, false)
	case 10, 24, 28, 30:
		d.decodeIPv6(f, b, 4, false)
	default:
		f.data(4, len(b)-4, false)
	}
}

// read fills p from the 6-byte PPPoE header at h[0:] (session and discovery
// stages share it; the caller checked its length) and returns p.
func (p *PPPoE) read(h []byte) *PPPoE {
	p.Version, p.Type = h[0]>>4, h[0]&0xf
	p.Code = h[1]
	p.Session = be16(h[2:])
	p.Length = be16(h[4:])
	return p
}

// decodePPPoE dissects a PPPoE session header and the PPP protocol field.
// The IP packet inside is cut to the PPPoE payload length, so Ethernet
// padding never becomes TCP data.
func (d *Decoder) decodePPPoE(f *Frame, b []byte, off int) {
	h := b[off:]
	if len(h) < 7 {
		f.anomaly(ProtoPPPoE, off, "PPPoE header truncated")
		f.data(off, len(h), false)
		return
	}
	p := f.PPPoE.read(h)
	end := off + 6 + int(p.Length)
	if end > len(b) || p.Length < 1 {
		end = len(b)
	}
	f.addLayer(ProtoPPPoE, off, end-off, false)
	d.decodePPPProto(f, b[:end], off+6, off+6)
}

// decodePPP dissects a PPP frame of the PPP link types (LINKTYPE_PPP,
// LINKTYPE_PPP_HDLC): an optional HDLC address and control (ff 03), then
// the protocol field.
func (d *Decoder) decodePPP(f *Frame, b []byte) {
	off := 0
	if len(b) >= 2 && b[0] == 0xff && b[1] == 0x03 {
		off = 2
	}
	d.decodePPPProto(f, b, 0, off)
}

// decodePPPProto records the PPP layer starting at start and dissects the
// protocol field at off: one byte when its low bit is set (RFC 1661
// protocol-field compression), else two.
func (d *Decoder) decodePPPProto(f *Frame, b []byte, start, off int) {
	f.addLayer(ProtoPPP, start, len(b)-start, false)
	n := 2
	switch {
	case off < len(b) && b[off]&1 == 1:
		f.PPPoE.PPPProto, n = uint16(b[off]), 1
	case off+2 <= len(b):
		f.PPPoE.PPPProto = be16(b[off:])
	default:
		f.anomaly(ProtoPPP, off, "PPP protocol field truncated")
		f.data(off, len(b)-off, false)
		return
	}
	off += n
	switch f.PPPoE.PPPProto {
	case 0x0021:
		d.decodeIPv4(f, b, off, false)
	case 0x0057:
		d.decodeIPv6(f, b, off, false)
	case 0x0281, 0x0283: // MPLS unicast, multicast
		d.decodeMPLS(f, b, off)
	default:
		if p, ok := pppControlProto(f.PPPoE.PPPProto); ok {
			decodePPPControl(f, p, b, off)
			return
		}
		f.data(off, len(b)-off, false)
	}
}

// decodeNFLOG dissects a LINKTYPE_NFLOG record: a 4-byte header (address
// family, version, resource id) and type-length-value attributes whose
// lengths and types are in the logging host's byte order (little-endian
// tried first, as on the hosts that write these files); the NFULA_PAYLOAD
// attribute (type 9) holds the IP packet.
func (d *Decoder) decodeNFLOG(f *Frame, b []byte) {
	if len(b) < 4 {
		f.anomaly(ProtoNFLOG, 0, "NFLOG header truncated")
		f.data(0, len(b), false)
		return
	}
	fam := b[0]
	done := false
	EachNFLOGTLV(b, func(t uint16, tlv, v []byte) {
		if t != 9 || done { // NFULA_PAYLOAD
			return
		}
		done = true
		off := cap(b) - cap(tlv) // tlv's offset in b (its capacity ends with b's)
		f.addLayer(ProtoNFLOG, 0, off+4, false)
		end := off + len(tlv)
		switch {
		case fam == 2 || fam != 10 && len(v) > 0 && v[0]>>4 == 4:
			d.decodeIPv4(f, b[:end], off+4, false)
		case fam == 10 || len(v) > 0 && v[0]>>4 == 6:
			d.decodeIPv6(f, b[:end], off+4, false)
		default:
			f.data(off+4, len(v), false)
		}
	})
	if !done {
		f.addLayer(ProtoNFLOG, 0, len(b), false)
	}
}

// EachNFLOGTLV calls fn with each attribute of the NFLOG record b (after
// its 4-byte header): its type (the nested-attribute bit cleared), the
// whole attribute and its value. Lengths and types are in the logging
// host's byte order: little-endian is tried first, as on the hosts that
// write these files.
func EachNFLOGTLV(b []byte, fn func(typ uint16, tlv, v []byte)) {
	for off := 4; off+4 <= len(b); {
		l, t := int(b[off])|int(b[off+1])<<8, uint16(b[off+2])|uint16(b[off+3])<<8
		if l < 4 || off+l > len(b) {
			l, t = int(be16(b[off:])), be16(b[off+2:])
			if l < 4 || off+l > len(b) {
				return
			}
		}
		fn(t&0x7fff, b[off:off+l], b[off+4:off+l])
		off += (l + 3) &^ 3
	}
}
