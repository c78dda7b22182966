package decode

// Small encapsulation headers: Cisco MetaData (EtherType 0x8909, on its own
// or after GRE), the Ethernet configuration test protocol ("loop", EtherType
// 0x9000) and the GRE Info column for a GRE payload nothing else dissects.

const (
	etherTypeCMD  uint16 = 0x8909
	etherTypeLoop uint16 = 0x9000
	etherTypePBB  uint16 = 0x88e7
)

// decodeCMD dissects a Cisco MetaData header (type, version, length,
// options, SGT: 8 bytes, as Wireshark reads it after GRE) and the packet of
// its type.
func (d *Decoder) decodeCMD(f *Frame, b []byte, off int) {
	if len(b)-off < 8 {
		f.anomaly(ProtoCMD, off, "Cisco MetaData header truncated")
		f.data(off, len(b)-off, false)
		return
	}
	f.addLayer(ProtoCMD, off, 8, false)
	switch be16(b[off:]) {
	case EtherTypeIPv4:
		d.decodeIPv4(f, b, off+8, false)
	case EtherTypeIPv6:
		d.decodeIPv6(f, b, off+8, false)
	default:
		f.data(off+8, len(b)-off-8, false)
	}
}

// decodeLoop dissects a configuration test protocol message: skip count,
// then function and receipt number (little-endian); the rest is data.
func (d *Decoder) decodeLoop(f *Frame, b []byte, off int) {
	if len(b)-off < 6 {
		f.anomaly(ProtoLoop, off, "loopback header truncated")
		f.data(off, len(b)-off, false)
		return
	}
	f.addLayer(ProtoLoop, off, len(b)-off, false)
	f.data(off+6, len(b)-off-6, false)
}

// encapProtos are this file's protocols that can end a frame's dissection.
var encapProtos = Protos(ProtoLoop, ProtoGRE)

// topEncap returns the last layer of f that is not data when it is one of
// encapProtos.
func (f *Frame) topEncap() (Layer, bool) {
	if !f.Present.Any(encapProtos) {
		return Layer{}, false
	}
	for i := len(f.Layers) - 1; i >= 0; i-- {
		if l := f.Layers[i]; l.Proto != ProtoData {
			return l, encapProtos.Has(l.Proto)
		}
	}
	return Layer{}, false
}

// appendEncapInfo appends the Info column of a frame whose dissection ends
// in a loopback message or a GRE payload nothing dissects ("Encapsulated
// 0x1234", Wireshark's GRE Info); ok false otherwise.
func appendEncapInfo(dst []byte, f *Frame) ([]byte, bool) {
	l, ok := f.topEncap()
	if !ok {
		return dst, false
	}
	b := f.LayerBytes(l)
	if l.Proto == ProtoLoop {
		switch uint16(b[2]) | uint16(b[3])<<8 {
		case 1:
			return append(dst, "Reply"...), true
		case 2:
			return append(dst, "Forward Data"...), true
		}
		return append(dst, "Unknown function"...), true
	}
	if len(b) < 4 {
		return dst, false
	}
	dst = append(dst, "Encapsulated "...)
	switch t := be16(b[2:]); t {
	case 0:
		dst = append(dst, "Possible GRE keepalive packet"...)
	case EtherTypeIPv4:
		dst = append(dst, "IP"...)
	case EtherTypeIPv6:
		dst = append(dst, "IPv6"...)
	case etherTypeCMD:
		dst = append(dst, "CiscoMetaData"...)
	case etherTypePPP:
		dst = append(dst, "PPP"...)
	default:
		dst = appendHex(dst, uint64(t), 4)
	}
	return dst, true
}

// encapColumn returns the Protocol column for appendEncapInfo's frames.
func (f *Frame) encapColumn() string {
	l, ok := f.topEncap()
	switch {
	case !ok:
		return ""
	case l.Proto == ProtoLoop:
		return "LOOP"
	}
	return "GRE"
}
