package decode

// Dispatch of the dissectors added for issue 15 (DHCP, DHCPv6, NTP, NBNS,
// SSH, QUIC, IGMP, SMB2, SMTP, ...), one file each. Unlike DNS, HTTP and TLS
// they keep nothing in Frame but their Layer: decoding only recognises the
// protocol (a few byte tests, no allocation), and their fields and columns
// parse the layer's bytes when asked. A capture without them (the 1 GB
// benchmark is DNS, HTTP and TLS) pays one port switch per datagram.

// otherProtos are the protocols of this file's dissectors.
var otherProtos = Protos(ProtoDHCP, ProtoDHCPv6, ProtoNTP, ProtoNBNS, ProtoSSH,
	ProtoQUIC, ProtoIGMP, ProtoNBSS, ProtoSMB2, ProtoSMTP, ProtoWebSocket,
	ProtoLLDP, ProtoCDP, ProtoSTP, ProtoRPC, ProtoPortmap, ProtoX11, ProtoDCERPC, ProtoRIP, ProtoBJNP, ProtoDBLSPDisc, ProtoGQUIC,
	ProtoFTP, ProtoFTPData, ProtoIMAP, ProtoPOP, ProtoSSDP, ProtoTelnet, ProtoSyslog, ProtoIRC, ProtoMQTT, ProtoNFS, ProtoMOUNT, ProtoPGSQL, ProtoIMF,
	ProtoTPKT, ProtoCOTP, ProtoRDP, ProtoMySQL, ProtoTDS, ProtoSOCKS)

// udpOther tries the dissector registered for UDP port port on payload p.
func (d *Decoder) udpOther(f *Frame, p []byte, port uint16) bool {
	if d.opts.SkipApp&AppOther != 0 {
		return false
	}
	if d.routingUDP(f, p, port) || d.asn1UDP(f, p, port) || d.cryptoUDP(f, p, port) || d.p2pUDP(f, p, port) {
		return true
	}
	switch port {
	case 67, 68:
		return decodeDHCP(f, p)
	case 123:
		return decodeNTP(f, p)
	case 137:
		return decodeNBNS(f, p)
	case 138:
		return decodeNBDGM(f, p)
	case 546, 547:
		return decodeDHCPv6(f, p)
	case RPCPort:
		return d.decodeRPCUDP(f, p)
	case ripPort:
		return decodeRIP(f, p)
	case dbLSPPort:
		return decodeDBLSP(f, p)
	}
	if bjnpPort(port) {
		return decodeBJNP(f, p)
	}
	return d.udpText(f, p, port)
}

// udpHeuristic tries the heuristic dissectors Wireshark enables on any UDP
// port (QUIC long headers of a known version, short headers of a QUIC
// connection seen before).
func (d *Decoder) udpHeuristic(f *Frame, p []byte) bool {
	if d.opts.SkipApp&AppOther != 0 || len(p) == 0 {
		return false
	}
	if p[0] >= 1 && p[0] <= 4 && d.decodeWG(f, p) {
		return true
	}
	if QUICLooksLong(p) || (d.quic.conns != nil && d.quic.get(f, false) != nil) {
		// A conversation the heuristic claimed stays QUIC (Wireshark sets
		// it as the conversation's dissector): version negotiation, short
		// headers, any version.
		return d.decodeQUIC(f, p)
	}
	if d.rpcUDP(f, p, true) || d.p2pUDPHeuristic(f, p) {
		return true
	}
	return d.decodeGQUIC(f, p)
}

// linkOther tries this file's link-layer dissectors on b[off:], the payload
// of an 802.2 LLC header (STP), a SNAP header (CDP) or an EtherType (LLDP),
// all of which f's last layer names.
func (d *Decoder) linkOther(f *Frame, b []byte, off int) bool {
	if d.opts.SkipApp&AppOther != 0 || off >= len(b) {
		return false
	}
	if len(f.Layers) == 0 {
		return false
	}
	if d.routingLink(f, b, off) {
		return true
	}
	if p := f.Layers[len(f.Layers)-1].Proto; (p == ProtoEth || p == ProtoVLAN || p == ProtoIEEE8021AD || p == ProtoSLL) && cryptoLink(f, b, off) {
		return true
	}
	switch f.Layers[len(f.Layers)-1].Proto {
	case ProtoLLC:
		if f.Eth.HasSNAP {
			if f.Eth.SNAPOUI != 0x00000c { // Cisco's OUI
				return false
			}
			switch f.Eth.SNAPType {
			case 0x010b: // PVST+ BPDU
				return decodeSTP(f, b, off)
			case 0x2000:
				return decodeCDP(f, b, off)
			}
			return false
		}
		if f.Eth.DSAP == 0x42 && f.Eth.SSAP == 0x42 {
			return decodeSTP(f, b, off)
		}
	case ProtoEth, ProtoVLAN, ProtoIEEE8021AD, ProtoSLL:
		if lastEtherType(f) == 0x88cc {
			return decodeLLDP(f, b, off)
		}
	}
	return false
}

// lastEtherType returns the EtherType that names the payload after f's last
// link layer.
func lastEtherType(f *Frame) uint16 {
	switch f.Layers[len(f.Layers)-1].Proto {
	case ProtoVLAN, ProtoIEEE8021AD:
		if len(f.VLANs) > 0 {
			return f.VLANs[len(f.VLANs)-1].Type
		}
	case ProtoSLL:
		return f.SLL.Protocol
	case ProtoEth:
		return f.Eth.Type
	}
	return 0
}

// tcpOther tries the dissector registered for TCP port port on payload p.
func (d *Decoder) tcpOther(f *Frame, p []byte, port uint16) bool {
	if d.opts.SkipApp&AppOther != 0 {
		return false
	}
	if x11Port(port) {
		return d.decodeX11(f, p, port)
	}
	if d.asn1TCP(f, p, port) {
		return true
	}
	switch port {
	case 22:
		return d.decodeSSH(f, p, port)
	case 445, 139:
		return d.decodeNBSS(f, p, false)
	case 25, 587:
		return d.decodeSMTP(f, p, port)
	case RPCPort:
		return d.decodeRPCTCP(f, p)
	case BGPPort:
		return decodeBGP(f, p)
	case SkinnyPort:
		return d.decodeSkinny(f, p)
	case TPKTPort:
		return d.decodeTPKT(f, p)
	case SOCKSPort:
		return d.decodeSOCKS(f, p)
	case GnutellaPort:
		decodeGnutella(f, p) // the port's dissector takes every segment
		return true
	}
	if bittorrentPort(port) {
		decodeBitTorrent(f, p)
		return true
	}
	return d.tcpText(f, p, port)
}

// otherLayer returns the bytes of the first layer of this file's
// protocols in f and which protocol it is; ok false when none.
func (f *Frame) otherLayer() (p Proto, b []byte, ok bool) {
	if !f.Present.Any(otherProtos) {
		return 0, nil, false
	}
	for _, l := range f.Layers {
		if otherProtos.Has(l.Proto) {
			p, b, ok = l.Proto, f.LayerBytes(l), true
		}
	}
	return p, b, ok
}

// appendOtherInfo appends the Info column of the highest protocol of this
// file's dissectors; ok is false when f has none.
func appendOtherInfo(dst []byte, f *Frame) ([]byte, bool) {
	if out, ok := appendCryptoInfo(dst, f); ok {
		return out, true
	}
	if out, ok := appendASN1Info(dst, f); ok {
		return out, true
	}
	if out, ok := appendRoutingInfo(dst, f); ok {
		return out, true
	}
	if out, ok := appendWANInfo(dst, f); ok {
		return out, true
	}
	if out, ok := appendPPPInfo(dst, f); ok {
		return out, true
	}
	if out, ok := appendP2PInfo(dst, f); ok {
		return out, true
	}
	if out, ok := appendNonIPInfo(dst, f); ok {
		return out, true
	}
	p, b, ok := f.otherLayer()
	if !ok {
		return dst, false
	}
	switch p {
	case ProtoDHCP:
		dst = appendDHCPInfo(dst, b)
	case ProtoNTP:
		dst = appendNTPInfo(dst, b)
	case ProtoNBNS:
		dst = appendNBNSInfo(dst, &f.NBNS)
	case ProtoDHCPv6:
		dst = appendDHCPv6Info(dst, b)
	case ProtoQUIC:
		dst = appendQUICInfo(dst, &f.QUIC)
	case ProtoIGMP:
		dst = appendIGMPInfo(dst, b)
	case ProtoSTP:
		dst = appendSTPInfo(dst, b)
	case ProtoSMB2:
		dst = appendSMB2Info(dst, &f.SMB2)
	case ProtoDCERPC:
		dst = appendDCERPCInfo(dst, f)
	case ProtoNBSS:
		dst = appendNBSSInfo(dst, b)
	case ProtoSMB:
		dst = appendSMBInfo(dst, b)
	case ProtoBrowser:
		dst = appendBrowserInfo(dst, b)
	case ProtoNBDGM:
		dst = appendNBDGMInfo(dst, b)
	case ProtoSMTP:
		dst = appendSMTPInfo(dst, &f.SMTP)
	case ProtoLLDP:
		dst = appendLLDPInfo(dst, b)
	case ProtoCDP:
		dst = appendCDPInfo(dst, b)
	case ProtoWebSocket:
		dst = appendWSInfo(dst, b)
	case ProtoRPC, ProtoPortmap, ProtoNFS, ProtoMOUNT:
		dst = appendRPCInfo(dst, f)
	case ProtoGQUIC:
		dst = appendGQUICInfo(dst, &f.GQUIC)
	case ProtoRIP:
		dst = appendRIPInfo(dst, b)
	case ProtoBJNP:
		dst = appendBJNPInfo(dst, b)
	case ProtoDBLSPDisc:
		dst = append(dst, "Dropbox LAN sync Discovery Protocol, JavaScript Object Notation"...)
	case ProtoTPKT, ProtoCOTP, ProtoRDP:
		dst = f.appendTPKTInfo(dst)
	case ProtoSOCKS:
		if f.socksInner() {
			return dst, false
		}
		dst = appendSOCKSInfo(dst, &f.SOCKS)
	case ProtoX11:
		if len(f.X11.Info) == 0 {
			return dst, false // nothing set the column: TCP's
		}
		dst = append(dst, f.X11.Info...)
	default:
		if dst, ok = appendTextInfo(dst, f, p, b); !ok {
			return dst, false
		}
	}
	if f.NBSSPDUStart && !f.PDUSegment {
		dst = append(dst, "Session message"...)
	}
	if f.Len > f.CapLen && p != ProtoQUIC {
		dst = append(dst, "[Packet size limited during capture]"...)
	} else if f.otherMalformed() {
		dst = append(dst, "[Malformed Packet]"...)
	}
	return dst, true
}

// otherProtoColumn returns the Protocol column of the highest protocol of
// this file's dissectors, "" when f has none.
func (f *Frame) otherProtoColumn() string {
	if s := f.cryptoColumn(); s != "" {
		return s
	}
	if s := f.asn1Column(); s != "" {
		return s
	}
	if s := f.routingColumn(); s != "" {
		return s
	}
	if s := f.wanColumn(); s != "" {
		return s
	}
	if s := f.pppColumn(); s != "" {
		return s
	}
	if s := f.p2pColumn(); s != "" {
		return s
	}
	if s := f.nonIPColumn(); s != "" {
		return s
	}
	p, b, ok := f.otherLayer()
	if !ok {
		return ""
	}
	switch p {
	case ProtoDHCP:
		return dhcpProtoColumn(b)
	case ProtoNTP:
		return "NTP"
	case ProtoNBNS:
		return "NBNS"
	case ProtoDHCPv6:
		return "DHCPv6"
	case ProtoQUIC:
		return "QUIC"
	case ProtoSTP:
		return "STP"
	case ProtoLLDP:
		return "LLDP"
	case ProtoSMB2:
		return "SMB2"
	case ProtoDCERPC:
		return dcerpcColumn(f)
	case ProtoNBSS:
		return "NBSS"
	case ProtoSMB:
		return "SMB"
	case ProtoBrowser:
		return "BROWSER"
	case ProtoNBDGM:
		return "NBDGM"
	case ProtoSMTP:
		return "SMTP"
	case ProtoCDP:
		return "CDP"
	case ProtoWebSocket:
		return "WebSocket"
	case ProtoRPC:
		for _, c := range f.RPCMatch {
			if n := RPCProgramName(c.Prog); n != "" {
				return n
			}
		}
		return "RPC"
	case ProtoPortmap:
		return "Portmap"
	case ProtoNFS:
		return "NFS"
	case ProtoMOUNT:
		return "MOUNT"
	case ProtoX11:
		return "X11"
	case ProtoIMF:
		return f.imfColumn()
	case ProtoTPKT, ProtoCOTP, ProtoRDP:
		return f.tpktColumn()
	case ProtoSOCKS:
		if f.socksInner() {
			return ""
		}
		return "Socks"
	case ProtoRIP:
		switch b[1] {
		case 1:
			return "RIPv1"
		case 2:
			return "RIPv2"
		}
		return "RIPv" + itoa(int(b[1]))
	case ProtoBJNP:
		return "BJNP"
	case ProtoGQUIC:
		return "GQUIC"
	case ProtoDBLSPDisc:
		return "DB-LSP-DISC/JSON"
	case ProtoIGMP:
		switch IGMPVersion(b) {
		case 1:
			return "IGMPv1"
		case 2:
			return "IGMPv2"
		}
		return "IGMPv3"
	case ProtoSSH:
		if f.SSH.Known {
			return "SSHv2"
		}
		return "SSH"
	}
	return textProtoColumn(p)
}

// otherMalformed reports an anomaly of this file's dissectors (each notes
// only what Wireshark flags as [Malformed Packet]).
func (f *Frame) otherMalformed() bool {
	if f.routingMalformed() || f.p2pMalformed() || f.cryptoMalformed() {
		return true
	}
	if !f.Present.Any(otherProtos) {
		return false
	}
	for _, a := range f.Anomalies {
		if otherProtos.Has(a.Proto) {
			return true
		}
	}
	return false
}

// otherTCPProtos are this file's protocols carried over TCP.
var otherTCPProtos = Protos(ProtoSSH, ProtoNBSS, ProtoSMB2, ProtoSMTP, ProtoWebSocket, ProtoRPC, ProtoPortmap, ProtoX11, ProtoBGP, ProtoDCERPC,
	ProtoFTP, ProtoFTPData, ProtoDataTextLines, ProtoIMAP, ProtoPOP, ProtoTelnet, ProtoIRC, ProtoMQTT, ProtoNFS, ProtoMOUNT, ProtoPGSQL, ProtoIMF, ProtoSkinny, ProtoGnutella, ProtoBitTorrent,
	ProtoTPKT, ProtoCOTP, ProtoRDP, ProtoMySQL, ProtoTDS, ProtoSOCKS)

// DroppedOnRetransmission tells whether AppStream.Skip removes p's layers
// from a TCP segment whose bytes were all seen before, so that a field of p
// is only right once the flow tracker has recognised the retransmission.
func DroppedOnRetransmission(p Proto) bool {
	switch p {
	case ProtoHTTP, ProtoTLS, ProtoDNS, ProtoKerberos, ProtoLDAP:
		return true
	}
	return otherTCPProtos.Has(p)
}

// dropOtherTCP removes this file's TCP protocols from f (a retransmission,
// which Wireshark does not dissect again).
func (f *Frame) dropOtherTCP() {
	if f.Present.Any(asn1TCPProtos) {
		f.drop(ProtoKerberos)
		f.drop(ProtoLDAP)
	}
	if !f.Present.Any(otherTCPProtos) {
		return
	}
	for p := ProtoDHCP; p < NumProtos; p++ {
		if otherTCPProtos.Has(p) && f.Has(p) {
			f.drop(p)
		}
	}
}
