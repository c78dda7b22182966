package decode

// Dispatch of the peer-to-peer dissectors: Mojito (LimeWire's Kademlia DHT,
// a UDP heuristic), Gnutella (TCP 6346) and the Port Control Protocol /
// NAT-PMP (UDP 5350-5351) peers use to open ports on their NAT. As the dissectors of dissect.go
// they keep only their Layer: decoding recognises the protocol with a few
// byte tests, and fields and columns parse the layer's bytes when asked.

// p2pProtos are this file's protocols.
var p2pProtos = Protos(ProtoMojito, ProtoGnutella, ProtoPortControl, ProtoBitTorrent)

// udpPortTaken reports a UDP port whose Wireshark dissector (registered on
// the port, so tried before any heuristic) takes every datagram: OpenVPN's
// 1194, which tshark shows as "MessageType: Unknown Messagetype" where
// wirewatch's OpenVPN decoder declines the datagram. Heuristics must leave
// those datagrams alone, as they never see them in Wireshark.
func udpPortTaken(f *Frame) bool {
	return f.UDP.SrcPort == 1194 || f.UDP.DstPort == 1194
}

// p2pUDP tries this file's dissectors registered on UDP port port.
func (d *Decoder) p2pUDP(f *Frame, p []byte, port uint16) bool {
	switch port {
	case pcpStatusPort, pcpPort:
		return decodePortControl(f, p)
	}
	return false
}

// p2pUDPHeuristic tries this file's UDP heuristics on payload p.
func (d *Decoder) p2pUDPHeuristic(f *Frame, p []byte) bool {
	if udpPortTaken(f) {
		return false
	}
	rep := len(p)
	if f.Len > f.CapLen && f.UDP.Length >= 8 {
		rep = int(f.UDP.Length) - 8 // cut by the snapshot length
	}
	return decodeMojito(f, p, rep)
}

// quotedUDP tries this file's UDP heuristics on the payload of UDP
// datagram u quoted in an ICMP error, which Wireshark dissects too (with the
// columns left to ICMP).
func (d *Decoder) quotedUDP(f *Frame, u []byte) {
	if d.opts.SkipApp&AppOther != 0 || len(u) <= 8 {
		return
	}
	if rep := int(be16(u[4:])) - 8; rep > 0 && MojitoLooks(u[8:], rep) {
		f.setProto(ProtoMojito)
		f.addAppLayer(ProtoMojito, u[8:])
	}
}

// p2pLayer returns the last layer of this file's protocols in f and its
// bytes, unless another application protocol follows it.
func (f *Frame) p2pLayer() (p Proto, b []byte, ok bool) {
	if !f.Present.Any(p2pProtos) || f.Has(ProtoICMP) {
		return 0, nil, false // quoted in an ICMP error: ICMP's columns
	}
	for _, l := range f.Layers {
		switch {
		case p2pProtos.Has(l.Proto):
			p, b, ok = l.Proto, f.LayerBytes(l), true
		case ok && l.Proto != ProtoData:
			return 0, nil, false
		}
	}
	return p, b, ok
}

// appendP2PInfo appends the Info column of this file's highest protocol;
// ok is false when f has none.
func appendP2PInfo(dst []byte, f *Frame) ([]byte, bool) {
	p, b, ok := f.p2pLayer()
	if !ok {
		return dst, false
	}
	switch p {
	case ProtoMojito:
		dst = appendMojitoInfo(dst, b)
	case ProtoGnutella:
		dst = f.appendGnutellaInfo(dst)
	case ProtoPortControl:
		dst = appendPortControlInfo(dst, b)
	case ProtoBitTorrent:
		dst = f.appendBitTorrentInfo(dst)
	}
	if f.Len > f.CapLen {
		dst = append(dst, "[Packet size limited during capture]"...)
	} else if f.p2pMalformed() {
		dst = append(dst, "[Malformed Packet]"...)
	}
	return dst, true
}

// p2pColumn returns the Protocol column of this file's highest protocol,
// "" when f has none.
func (f *Frame) p2pColumn() string {
	p, b, ok := f.p2pLayer()
	if !ok {
		return ""
	}
	switch p {
	case ProtoPortControl:
		return portControlColumn(b)
	case ProtoMojito:
		return "Mojito"
	case ProtoGnutella:
		return "Gnutella"
	case ProtoBitTorrent:
		return "BitTorrent"
	}
	return ""
}

// p2pMalformed reports an anomaly of this file's dissectors.
func (f *Frame) p2pMalformed() bool {
	if !f.Present.Any(p2pProtos) {
		return false
	}
	for _, a := range f.Anomalies {
		if p2pProtos.Has(a.Proto) {
			return true
		}
	}
	return false
}

// appendP2PExpert adds the expert items of this file's dissectors: strings
// with characters after a NUL (proto.c's "Trailing stray characters"),
// Mojito's unsupported socket address type and BigInteger length.
func (f *Frame) appendP2PExpert(dst []Expert) []Expert {
	if !f.Has(ProtoMojito) {
		return dst
	}
	for _, l := range f.Layers {
		if l.Proto != ProtoMojito {
			continue
		}
		b := f.LayerBytes(l)
		WalkMojito(b, func(it MojitoItem, off, n int) {
			switch {
			case MojitoStringItem(it) && MojitoStray(b[off:off+n]):
				dst = append(dst, Expert{Kind: ExStrayChars})
			case it == MjSockUnknown:
				dst = append(dst, Expert{Kind: ExMojitoSockAddr})
			case it == MjBigIntUnsupported:
				dst = append(dst, Expert{Kind: ExMojitoBigInt})
			}
		})
	}
	return dst
}
