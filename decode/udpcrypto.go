package decode

// Dispatch of DTLS, OpenVPN, PTP and BFD (dtls.go, openvpn.go, ptp.go,
// bfd.go). As the dissectors of dissect.go they keep only their Layer (and
// DTLS its conversation's version): decoding recognises the protocol, and
// the fields and columns parse the layer's bytes when asked.

// cryptoState is the Decoder's per-capture state of these dissectors.
type cryptoState struct {
	dtls []dtlsSession
}

// cryptoProtos are this file's protocols.
var cryptoProtos = Protos(ProtoDTLS, ProtoOpenVPN, ProtoPTP, ProtoBFD)

// cryptoUDP tries the dissectors registered for UDP port port on payload p.
func (d *Decoder) cryptoUDP(f *Frame, p []byte, port uint16) bool {
	switch port {
	case 853, 2221, 5684, 5868:
		return d.decodeDTLS(f, p)
	case 319, 320:
		return decodePTP(f, p)
	case 3784, 4784, 6784, 7784, 3785:
		return decodeBFD(f, p, port == 3785)
	case 1194:
		return d.decodeOpenVPN(f, p)
	}
	return false
}

// cryptoLink tries PTP over Ethernet (EtherType 0x88f7) at b[off:].
func cryptoLink(f *Frame, b []byte, off int) bool {
	if lastEtherType(f) != 0x88f7 {
		return false
	}
	return decodePTP(f, b[off:])
}

// cryptoLayer returns the last layer of this file's protocols in f and its
// bytes, unless a protocol of another file follows it (data aside).
func (f *Frame) cryptoLayer() (p Proto, b []byte, ok bool) {
	if !f.Present.Any(cryptoProtos) {
		return 0, nil, false
	}
	for _, l := range f.Layers {
		switch {
		case cryptoProtos.Has(l.Proto):
			p, b, ok = l.Proto, f.LayerBytes(l), true
		case ok && l.Proto != ProtoData:
			return 0, nil, false
		}
	}
	return p, b, ok
}

// appendCryptoInfo appends the Info column of this file's highest
// protocol; ok is false when f has none.
func appendCryptoInfo(dst []byte, f *Frame) ([]byte, bool) {
	p, b, ok := f.cryptoLayer()
	if !ok {
		return dst, false
	}
	switch p {
	case ProtoDTLS:
		dst = appendDTLSInfo(dst, b)
	case ProtoPTP:
		dst = appendPTPInfo(dst, b)
	case ProtoBFD:
		dst = appendBFDInfo(dst, b, f.bfdEcho())
	case ProtoOpenVPN:
		dst = appendOpenVPNInfo(dst, b)
	}
	if f.Len > f.CapLen {
		dst = append(dst, "[Packet size limited during capture]"...)
	} else if f.cryptoMalformed() {
		dst = append(dst, "[Malformed Packet]"...)
	}
	return dst, true
}

// cryptoColumn returns the Protocol column of this file's highest
// protocol, "" when f has none.
func (f *Frame) cryptoColumn() string {
	p, b, ok := f.cryptoLayer()
	if !ok {
		return ""
	}
	switch p {
	case ProtoDTLS:
		return dtlsColumn(f.DTLSVersion)
	case ProtoPTP:
		return ptpColumn(b)
	case ProtoBFD:
		if f.bfdEcho() {
			return "BFD Echo"
		}
		return "BFD Control"
	case ProtoOpenVPN:
		return "OpenVPN"
	}
	return ""
}

// cryptoMalformed reports an anomaly of this file's dissectors.
func (f *Frame) cryptoMalformed() bool {
	if !f.Present.Any(cryptoProtos) {
		return false
	}
	for _, a := range f.Anomalies {
		if cryptoProtos.Has(a.Proto) {
			return true
		}
	}
	return false
}
