package decode

// decodeUDP dissects a UDP datagram at b[off:]; repEnd is where the IP payload
// ends on the wire.
func (d *Decoder) decodeUDP(f *Frame, b []byte, off, repEnd int, reasm bool) {
	h := b[off:]
	u := &f.UDP
	if len(h) < 8 {
		f.anomaly(ProtoUDP, off, "UDP header truncated")
		if len(h) >= 4 {
			u.SrcPort, u.DstPort = be16(h), be16(h[2:])
			u.Length, u.Checksum = 0, 0
			f.addLayer(ProtoUDP, off, len(h), reasm)
			return
		}
		f.data(off, len(h), reasm)
		return
	}
	u.SrcPort, u.DstPort = be16(h), be16(h[2:])
	u.Length = be16(h[4:])
	u.Checksum = be16(h[6:])
	end := len(h)
	if ul := int(u.Length); ul < 8 || ul > repEnd-off {
		f.anomaly(ProtoUDP, off, "bad UDP length")
	} else if ul < end {
		end = ul
	}
	f.addLayer(ProtoUDP, off, end, reasm)
	d.udpConv(f)
	p := h[8:end]
	f.Payload = p
	if len(p) == 0 {
		return
	}
	if d.opts.SkipApp&AppDNS != 0 {
		return
	}
	if d.udpMedia(f, p) {
		return
	}
	lo, hi := u.SrcPort, u.DstPort
	if hi < lo {
		lo, hi = hi, lo
	}
	if (hi >= portTeredo && hi <= portGeneve || lo >= portTeredo && lo <= portGeneve) && d.udpTunnel(f, b, off+8, off+end, lo, hi) {
		return
	}
	if d.gquic.conns != nil && d.opts.SkipApp&AppOther == 0 && d.gquic.get(f, false) != nil && d.decodeGQUIC(f, p) {
		return // a conversation Wireshark's gQUIC heuristic claimed
	}
	if d.rpc.ports != nil && d.rpcUDP(f, p, false) {
		return // a port a portmapper GETPORT reply announced
	}
	for _, port := range [2]uint16{lo, hi} {
		switch port {
		case 53, 5353, 5355:
			if d.decodeDNS(f, p, false) {
				return
			}
		default:
			if d.udpOther(f, p, port) || d.udpVoIP(f, p, port) {
				return
			}
		}
	}
	if d.udpHeuristic(f, p) || d.udpVoIPHeuristic(f, p) || d.udpLateHeuristic(f, p) {
		return
	}
	f.data(off+8, len(p), reasm)
}
