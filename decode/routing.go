package decode

// Dispatch of the routing, infrastructure and transport dissectors (TFTP,
// PIM, SCTP, OSPF, IS-IS, HSRP, VRRP, EIGRP, BGP, RADIUS, LACP), one file
// each (tftp.go, iproute.go, sctp.go, linkroute.go, ...). As the dissectors
// of dissect.go they keep little in Frame beyond their Layer: decoding
// recognises the protocol with a few byte tests, and the fields and columns
// parse the layer's bytes when asked.

// routingState is the Decoder's per-capture state of these dissectors.
type routingState struct {
	tftp tftpTable
	sctp sctpTable
	wg   wgTable
	dccp dccpTable
	rad  radiusTable
}

// setProto marks p present in f without adding a layer.
func (f *Frame) setProto(p Proto) { f.Present.Add(p) }

// routingProtos are this file's protocols.
var routingProtos = Protos(ProtoTFTP, ProtoPIM, ProtoSCTP, ProtoOSPF, ProtoISIS, ProtoHSRP, ProtoVRRP,
	ProtoEIGRP, ProtoBGP, ProtoRADIUS, ProtoLACP, ProtoISAKMP, ProtoUDPEncap, ProtoWG, ProtoDCCP)

// isRouting reports whether p is one of this file's protocols.
func isRouting(p Proto) bool { return routingProtos.Has(p) }

// routingUDP tries the dissectors of this file registered for UDP port
// port (and TFTP's conversations) on payload p.
func (d *Decoder) routingUDP(f *Frame, p []byte, port uint16) bool {
	if d.routing.tftp.convs != nil && d.tftpConv(f, p) {
		return true
	}
	switch port {
	case TFTPPort:
		return d.decodeTFTP(f, p, nil)
	case 1985, 2029:
		return decodeHSRP(f, p)
	case 1812, 1813, 1645, 1646, 3799:
		return d.decodeRADIUS(f, p)
	case 500, 4500:
		return d.decodeISAKMP(f, p, port)
	}
	return false
}

// routingIP dispatches IP protocol proto at b[off:]; false when this file
// has no dissector for it.
func (d *Decoder) routingIP(f *Frame, proto IPProto, b []byte, off int, reasm bool) bool {
	if d.opts.SkipApp&AppOther != 0 || off >= len(b) {
		return false
	}
	var p Proto
	switch proto {
	case 103:
		p = ProtoPIM
	case 89:
		p = ProtoOSPF
	case 112:
		p = ProtoVRRP
	case 88:
		p = ProtoEIGRP
	case 132:
		return d.decodeSCTP(f, b, off, reasm)
	case 33:
		return d.decodeDCCP(f, b, off, reasm)
	default:
		return false
	}
	return decodeIPRouting(f, p, b, off, reasm)
}

// routingLayer returns the last layer of this file's protocols in f and its
// bytes, unless a protocol of another file follows it (data aside).
func (f *Frame) routingLayer() (p Proto, b []byte, ok bool) {
	if !f.Present.Any(routingProtos) {
		return 0, nil, false
	}
	for _, l := range f.Layers {
		switch {
		case isRouting(l.Proto):
			p, b, ok = l.Proto, f.LayerBytes(l), true
		case ok && l.Proto != ProtoData && !(p == ProtoSCTP && l.Proto == ProtoHTTP):
			return 0, nil, false
		}
	}
	return p, b, ok
}

// appendRoutingInfo appends the Info column of this file's highest protocol;
// ok is false when f has none.
func appendRoutingInfo(dst []byte, f *Frame) ([]byte, bool) {
	p, b, ok := f.routingLayer()
	if !ok {
		return dst, false
	}
	switch p {
	case ProtoTFTP:
		dst = appendTFTPInfo(dst, f, b)
	case ProtoPIM:
		dst = appendPIMInfo(dst, b)
	case ProtoOSPF:
		dst = appendOSPFInfo(dst, b)
	case ProtoVRRP:
		dst = appendVRRPInfo(dst, b)
	case ProtoEIGRP:
		dst = appendEIGRPInfo(dst, b)
	case ProtoSCTP:
		if f.Has(ProtoHTTP) {
			dst = appendHTTPInfo(dst, &f.HTTP)
			break
		}
		dst = f.appendSCTPInfo(dst)
	case ProtoISIS:
		dst = appendISISInfo(dst, b)
	case ProtoHSRP:
		dst = appendHSRPInfo(dst, b)
	case ProtoLACP:
		dst = appendLACPInfo(dst, b)
	case ProtoBGP:
		dst = f.appendBGPInfo(dst)
	case ProtoRADIUS:
		dst = appendRADIUSInfo(dst, b)
		if f.RADIUSDupOf != 0 {
			dst = append(dst, ", Duplicate Request"...)
		}
	case ProtoISAKMP:
		dst = appendISAKMPInfo(dst, b)
	case ProtoWG:
		dst = appendWGInfo(dst, b)
	case ProtoDCCP:
		dst = f.appendDCCPInfo(dst, b)
	}
	if _, whole := ParseDCCP(b); f.Len > f.CapLen && (p != ProtoDCCP || !whole) {
		dst = append(dst, "[Packet size limited during capture]"...)
	} else if f.routingMalformed() {
		dst = append(dst, "[Malformed Packet]"...)
	}
	return dst, true
}

// routingColumn returns the Protocol column of this file's highest
// protocol, "" when f has none.
func (f *Frame) routingColumn() string {
	p, b, ok := f.routingLayer()
	if !ok {
		return ""
	}
	switch p {
	case ProtoTFTP:
		return "TFTP"
	case ProtoPIM:
		if len(b) > 0 && b[0]>>4 == 1 {
			return "PIMv1"
		}
		return "PIMv2"
	case ProtoOSPF:
		return "OSPF"
	case ProtoVRRP:
		return "VRRP"
	case ProtoEIGRP:
		return "EIGRP"
	case ProtoSCTP:
		if f.Has(ProtoHTTP) {
			return "HTTP"
		}
		return "SCTP"
	case ProtoISIS:
		return isisColumn(b)
	case ProtoHSRP:
		if hsrpVersion(b) == 2 {
			return "HSRPv2"
		}
		return "HSRP"
	case ProtoLACP:
		return "LACP"
	case ProtoBGP:
		return "BGP"
	case ProtoRADIUS:
		return "RADIUS"
	case ProtoISAKMP:
		return "ISAKMP"
	case ProtoWG:
		return "WireGuard"
	case ProtoDCCP:
		return "DCCP"
	}
	return ""
}

// routingMalformed reports an anomaly of this file's dissectors (each notes
// only what Wireshark flags as [Malformed Packet]).
func (f *Frame) routingMalformed() bool {
	if !f.Present.Any(routingProtos) {
		return false
	}
	for _, a := range f.Anomalies {
		if isRouting(a.Proto) {
			return true
		}
	}
	return false
}

// appendRoutingProtocols appends the frame.protocols names of layer l of
// this file's protocols (IS-IS and LACP name more than one); add appends one.
func (f *Frame) appendRoutingProtocols(l Layer, add func(string)) {
	switch l.Proto {
	case ProtoISIS:
		add("osi")
		add("isis")
		if s := isisPDUName(f.LayerBytes(l)); s != "" {
			add(s)
		}
	case ProtoLACP:
		add("slow")
		add("lacp")
	default:
		add(l.Proto.String())
	}
}
