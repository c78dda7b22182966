package decode

import (
	"bytes"
	"net/netip"

	"github.com/wirewatch/wirewatch/capture"
)

// Column text as Wireshark's packet list shows it (Protocol, Source,
// Destination, Info) and frame.protocols. All Append* functions append to dst
// and allocate only when dst must grow.

// Protocols returns frame.protocols ("eth:ethertype:ip:tcp:http"), built in
// the frame's own buffer (valid until the next Decode).
func (f *Frame) Protocols() []byte {
	f.text = f.AppendProtocols(f.text[:0])
	return f.text
}

// Column identifies a packet-list column for ColumnText.
type Column uint8

// Columns of the packet list.
const (
	ColProtocol Column = iota
	ColInfo
	ColSource
	ColDestination
)

// ColumnText returns a column's text built in the frame's own buffer (valid
// until the next Decode or the next ColumnText call).
func (f *Frame) ColumnText(c Column) []byte {
	b := f.col[:0]
	switch c {
	case ColProtocol:
		b = f.AppendProtocolColumn(b)
	case ColInfo:
		b = EscapeDisplayTail(f.AppendInfo(b), 0) // as tshark's column text
	case ColSource:
		b = f.AppendSource(b)
	case ColDestination:
		b = f.AppendDestination(b)
	}
	f.col = b
	return b
}

// AppendProtocols appends frame.protocols to dst.
func (f *Frame) AppendProtocols(dst []byte) []byte {
	first := true
	add := func(s string) {
		if !first {
			dst = append(dst, ':')
		}
		first = false
		dst = append(dst, s...)
	}
	if f.LinkType == capture.LinkCustomBlock {
		add("pcapng")
		return dst
	}
	ethertype := func(t uint16) {
		if t > 1500 {
			add("ethertype")
		}
	}
	vi := 0
	rpcReasm := 2 // over TCP: Reasm of the last "rpc" written, 2 none
	rpcs := 0
	if f.Has(ProtoTCP) && f.Has(ProtoRPC) {
		for _, l := range f.Layers {
			if l.Proto == ProtoRPC {
				rpcs++
			}
		}
	}
	for i, l := range f.Layers {
		switch l.Proto {
		case ProtoNBIPX, ProtoNMPI, ProtoIPXRIP, ProtoIPXSAP:
			// Not in Wireshark 4.0's frame.protocols (nor SMB straight on an IPX socket).
		case ProtoSMB:
			if i == 0 || f.Layers[i-1].Proto != ProtoIPX {
				add("smb")
			}
		case ProtoRPC, ProtoPortmap, ProtoNFS, ProtoMOUNT:
			// Over TCP Wireshark 4.0 lists "rpc" once for the message
			// reassembled from earlier segments and once for those the
			// segment holds whole, and the program's protocol only when
			// the segment holds one message.
			if !f.Has(ProtoTCP) || (l.Proto != ProtoRPC && rpcs == 1) {
				add(l.Proto.String())
			} else if r := b2i(l.Reasm); r != rpcReasm {
				rpcReasm = r
				add("rpc")
			}
		case ProtoEth:
			add("eth")
			if h := f.LayerBytes(l); len(h) >= 14 {
				ethertype(be16(h[12:])) // an inner (tunnelled) header has its own
			}
		case ProtoVLAN, ProtoIEEE8021AD:
			add(l.Proto.String())
			if vi < len(f.VLANs) {
				ethertype(f.VLANs[vi].Type)
			}
			vi++
		case ProtoPBB:
			add("ieee8021ah")
			if h := f.LayerBytes(l); len(h) >= 18 {
				ethertype(be16(h[16:]))
			}
		case ProtoSLL:
			add("sll")
			ethertype(f.SLL.Protocol)
		case ProtoDNS:
			add(dnsProtoName(f))
		case ProtoBFD:
			if f.bfdEcho() {
				add("bfd_echo")
			} else {
				add("bfd")
			}
		case ProtoDBLSPDisc:
			add("db-lsp-disc")
			add("json")
		case ProtoLLC:
			add("llc")
		case ProtoIPv6:
			add("ipv6")
			for _, t := range f.IPv6.Ext[:f.IPv6.NExt] {
				switch t {
				case 0:
					add("ipv6.hopopts")
				case 43:
					add("ipv6.routing")
				case 60:
					add("ipv6.dstopts")
				case uint8(IPProtoFrag):
					if f.IPv6.FragOffset != 0 || f.IPv6.MoreFrags || f.IPv6.Reassembled {
						add("ipv6.fraghdr")
					}
				}
			}
		case ProtoRaw:
			if f.LinkType != capture.LinkIPv4 && f.LinkType != capture.LinkIPv6 {
				add("raw") // LINKTYPE_IPV4/IPV6 have no raw layer in Wireshark
			}
		case ProtoICMP:
			add("icmp")
			if f.ICMP.HasInner {
				add("ip")
				switch f.ICMP.InnerProto {
				case IPProtoICMP:
					add("icmp")
				case IPProtoUDP:
					add("udp")
				case IPProtoTCP:
					add("tcp")
				}
			}
		case ProtoSPNEGO:
			add("spnego")
			if f.spnegoKrb5 {
				add("spnego-krb5")
			}
		case ProtoTLS, ProtoISAKMP:
			add(l.Proto.String())
			appendX509Protocols(l.Proto, f.LayerBytes(l), add)
		case ProtoGSSAPI:
			add("gss-api")
			if b := f.LayerBytes(l); len(b) > 2 && b[0] == 0x05 && b[1] == 0x04 {
				add("spnego-krb5") // a krb5 wrap token (RFC 4121)
			}
		case ProtoLDAP:
			if i == 0 || !ldapLayer(f.Layers[i-1].Proto) {
				add("ldap") // the messages of one segment are one layer
			}
		case ProtoHTTP2:
			if f.HTTP2.ViaHTTP && !f.Has(ProtoHTTP) {
				add("http")
			}
			add("http2")
		case ProtoISIS, ProtoLACP:
			f.appendRoutingProtocols(l, add)
		case ProtoTPKT, ProtoCOTP, ProtoRDP:
			f.appendTPKTProtocols(l, add)
		case ProtoIMF:
			add("imf")
			if m := IMFMediaLayer(f.LayerBytes(l)); m != "" {
				add(m)
			}
		case ProtoRADIUS:
			add("radius")
			if RADIUSHasEAP(f.LayerBytes(l)) {
				add("eap")
			}
		default:
			add(l.Proto.String())
		}
	}
	if f.TLSPDUStart && f.PDUSegment {
		add("tls")
	}
	if f.IMAPPDUStart && f.PDUSegment {
		add("imap")
	}
	if f.Has(ProtoHTTP) || f.Has(ProtoHTTP2) {
		if m := f.mediaLayer(); m != "" {
			add(m)
		}
	}
	return dst
}

// dnsProtoName tells DNS, mDNS and LLMNR apart by port, as Wireshark does.
func dnsProtoName(f *Frame) string {
	var s, d uint16
	switch {
	case f.Has(ProtoUDP):
		s, d = f.UDP.SrcPort, f.UDP.DstPort
	case f.Has(ProtoTCP):
		s, d = f.TCP.SrcPort, f.TCP.DstPort
	}
	switch {
	case s == 5353 || d == 5353:
		return "mdns"
	case s == 5355 || d == 5355:
		return "llmnr"
	}
	return "dns"
}

// AppendProtocolColumn appends the Protocol column (the highest protocol's short name).
func (f *Frame) AppendProtocolColumn(dst []byte) []byte {
	if s := f.otherProtoColumn(); s != "" {
		return append(dst, s...)
	}
	if out, ok := appendVoIPColumn(dst, f); ok {
		return out
	}
	switch {
	case f.Has(ProtoHTTP2):
		if f.DoHColumn() {
			return append(dst, "DoH"...)
		}
		dst = append(dst, "HTTP2"...)
		return appendMediaColumn(dst, f)
	case f.Has(ProtoHTTP) && len(f.Decrypted) > 0:
		dst = append(dst, "HTTP"...) // HTTP inside TLS
		return appendMediaColumn(dst, f)
	case f.Has(ProtoTLS):
		return append(dst, tlsVersionName(f)...)
	case f.Has(ProtoHTTP):
		return appendMediaColumn(append(dst, "HTTP"...), f)
	case f.Has(ProtoDNS):
		switch dnsProtoName(f) {
		case "mdns":
			return append(dst, "MDNS"...)
		case "llmnr":
			return append(dst, "LLMNR"...)
		}
		return append(dst, "DNS"...)
	case f.Has(ProtoMPTCP):
		return append(dst, "MPTCP"...)
	case f.Has(ProtoTCP):
		return append(dst, "TCP"...)
	case f.Has(ProtoUDP):
		return append(dst, "UDP"...)
	case f.Has(ProtoICMPv6):
		return append(dst, "ICMPv6"...)
	case f.Has(ProtoICMP):
		return append(dst, "ICMP"...)
	case f.Has(ProtoIPv6):
		return append(dst, "IPv6"...)
	case f.Has(ProtoIP):
		return append(dst, "IPv4"...)
	case f.Has(ProtoARP):
		return append(dst, "ARP"...)
	case f.Has(ProtoLLC):
		return append(dst, "LLC"...)
	case f.Has(ProtoVLAN):
		return append(dst, "802.1Q"...)
	case f.ethUnknownType():
		return appendHex(dst, uint64(f.Eth.Type), 4)
	case f.Has(ProtoEth):
		return append(dst, "Ethernet"...)
	case f.Has(ProtoSLL):
		return append(dst, "SLL"...)
	case f.Has(ProtoNull):
		return append(dst, "NULL"...)
	case f.LinkType == capture.LinkCustomBlock:
		return append(dst, "PCAPNG"...)
	case f.LinkType == capture.LinkEthernet && len(f.Data) < 14:
		return append(dst, "Ethernet"...)
	}
	return append(dst, "DATA"...)
}

// appendMediaColumn adds "/JSON" or "/XML" to an HTTP protocol column, as
// those dissectors do.
func appendMediaColumn(dst []byte, f *Frame) []byte {
	switch f.mediaLayer() {
	case "json":
		return append(dst, "/JSON"...)
	case "xml":
		return append(dst, "/XML"...)
	}
	return dst
}

func tlsVersionName(f *Frame) string {
	v := f.TLS.Version()
	if v == 0 && len(f.TLS.Msgs) > 0 && f.TLS.Msgs[0].Continuation {
		return "SSL" // Wireshark's name while no version is known
	}
	return TLSVersionName(v)
}

// AppendSource appends the Source column (network address, else link address).
func (f *Frame) AppendSource(dst []byte) []byte { return f.appendAddr(dst, true) }

// AppendDestination appends the Destination column.
func (f *Frame) AppendDestination(dst []byte) []byte { return f.appendAddr(dst, false) }

func (f *Frame) appendAddr(dst []byte, src bool) []byte {
	pick := func(s, d netip.Addr) netip.Addr {
		if src {
			return s
		}
		return d
	}
	// The innermost layer that sets addresses wins, as in Wireshark (a
	// tunnel's inner IP header, an ERSPAN or VXLAN frame's inner Ethernet
	// when nothing above it has addresses).
	for i := len(f.Layers) - 1; i >= 0; i-- {
		switch l := f.Layers[i]; l.Proto {
		case ProtoIP:
			ip := &f.IP
			if f.Repeated.Has(ProtoIP) {
				p, ok := ParseIPv4(f.LayerBytes(l))
				if !ok {
					continue
				}
				ip = &p
			}
			if !ip.Bogus {
				return pick(ip.Src, ip.Dst).AppendTo(dst)
			}
		case ProtoIPv6:
			if !f.Repeated.Has(ProtoIPv6) {
				return pick(f.IPv6.Src, f.IPv6FinalDst()).AppendTo(dst)
			}
			if ip, ok := ParseIPv6(f.LayerBytes(l)); ok {
				return pick(ip.Src, ip.Dst).AppendTo(dst)
			}
		case ProtoEth:
			e := &f.Eth
			if f.Repeated.Has(ProtoEth) {
				p, ok := ParseEthernet(f.LayerBytes(l))
				if !ok {
					continue
				}
				e = &p
			}
			if src {
				return AppendMAC(dst, e.Src[:])
			}
			return AppendMAC(dst, e.Dst[:])
		case ProtoCHDLC:
			return append(dst, "N/A"...) // Cisco HDLC: direction unknown
		case ProtoIPX:
			return IPXAddr(dst, f.LayerBytes(l), src)
		}
	}
	if f.Has(ProtoSLL) && src {
		n := int(f.SLL.AddrLen)
		if n > 8 {
			n = 8
		}
		return AppendMAC(dst, f.SLL.Addr[:n])
	}
	return dst
}

// AppendMAC appends b as colon-separated lower-case hex ("00:1a:2b:...").
func AppendMAC(dst, b []byte) []byte {
	const hx = "0123456789abcdef"
	for i, c := range b {
		if i > 0 {
			dst = append(dst, ':')
		}
		dst = append(dst, hx[c>>4], hx[c&0xf])
	}
	return dst
}

func appendHex(dst []byte, v uint64, width int) []byte {
	const hx = "0123456789abcdef"
	dst = append(dst, '0', 'x')
	var buf [16]byte
	i := len(buf)
	for v > 0 || len(buf)-i < width {
		i--
		buf[i] = hx[v&0xf]
		v >>= 4
		if i == 0 {
			break
		}
	}
	return append(dst, buf[i:]...)
}

func appendUint(dst []byte, v uint64) []byte { return AppendUint(dst, v) }

// AppendUint appends v in decimal, as strconv.AppendUint(dst, v, 10),
// writing the digits in place in dst's spare room: the packet list
// formats several numbers a packet (ports, sequence numbers, window,
// length, frame number), and strconv's copy of each through a scratch
// buffer was a tenth of the text output's time.
func AppendUint(dst []byte, v uint64) []byte {
	if v < 10 {
		return append(dst, byte('0'+v))
	}
	n := 2
	for x := v / 100; x > 0; x /= 10 {
		n++
	}
	l := len(dst)
	if cap(dst)-l >= n {
		dst = dst[:l+n]
	} else {
		dst = append(dst, make([]byte, n)...)
	}
	for i := l + n - 1; i > l; i-- {
		q := v / 10
		dst[i] = byte('0' + v - q*10)
		v = q
	}
	dst[l] = byte('0' + v)
	return dst
}

// AppendInfo appends the Info column.
func (f *Frame) AppendInfo(dst []byte) []byte {
	if f.Has(ProtoSSH) {
		return f.appendSSHInfo(dst)
	}
	if f.Has(ProtoTCP) {
		// Wireshark prepends the TCP analysis labels to whatever protocol writes the Info.
		n := len(dst)
		dst = f.appendTCPAnalysis(dst)
		if len(dst) > n && f.Has(ProtoTLS) && !f.Has(ProtoHTTP) && !f.Has(ProtoHTTP2) && !f.Has(ProtoDNS) &&
			len(f.TLS.Msgs) > 0 && f.TLS.Msgs[0].Continuation {
			dst = append(dst, ", "...) // TLS appends with its separator after the labels
		}
	}
	if out, ok := appendAppInfo(dst, f); ok {
		return out
	}
	switch {
	case f.Fragment && f.Has(ProtoIPv6) && f.IPv6.HasFrag:
		dst = append(dst, "IPv6 fragment (off="...)
		dst = appendUint(dst, uint64(f.IPv6.FragOffset)*8)
		dst = append(dst, " more="...)
		if f.IPv6.MoreFrags {
			dst = append(dst, 'y')
		} else {
			dst = append(dst, 'n')
		}
		dst = append(dst, " ident="...)
		dst = appendHex(dst, uint64(f.IPv6.FragID), 8)
		dst = append(dst, " nxt="...)
		dst = appendUint(dst, uint64(f.IPv6.Proto))
		return append(dst, ')')
	case f.Fragment && f.Has(ProtoIP):
		dst = append(dst, "Fragmented IP protocol (proto="...)
		dst = append(dst, ipProtoName(f.IP.Protocol)...)
		dst = append(dst, ' ')
		dst = appendUint(dst, uint64(f.IP.Protocol))
		dst = append(dst, ", off="...)
		dst = appendUint(dst, uint64(f.IP.FragOffset)*8)
		dst = append(dst, ", ID="...)
		const hex = "0123456789abcdef" // four digits, as Wireshark's %04x
		id := f.IP.ID
		dst = append(dst, hex[id>>12], hex[id>>8&0xf], hex[id>>4&0xf], hex[id&0xf])
		return append(dst, ')')
	case f.Has(ProtoTCP) && f.PDUSegment && (f.TLSPDUStart || f.H2PDUStart || f.ASN1PDUStart || f.ClearedPDUStart):
		dst = append(dst, "[TCP segment of a reassembled PDU]"...)
	case f.Has(ProtoTCP) && f.PDUSegment && f.NBSSPDUStart:
		dst = append(dst, "Session message [TCP segment of a reassembled PDU]"...)
	case f.Has(ProtoTCP):
		if f.PDUSegment && looksHTTP(f.Payload) && bytes.Contains(f.Payload, []byte("\r\n\r\n")) {
			// Wireshark's HTTP dissector has already written the start line when
			// it asks TCP for the rest of the body.
			line := f.Payload
			for i, c := range line {
				if c == '\r' || c == '\n' {
					line = line[:i]
					break
				}
			}
			dst = append(dst, line...)
			dst = append(dst, ' ')
		} else {
			dst = f.appendTCPInfo(dst)
		}
		if f.PDUSegment {
			dst = append(dst, " [TCP segment of a reassembled PDU]"...)
		}
	case f.Has(ProtoUDP):
		dst = appendUint(dst, uint64(f.UDP.SrcPort))
		dst = append(dst, " → "...)
		dst = appendUint(dst, uint64(f.UDP.DstPort))
		dst = append(dst, " Len="...)
		n := int(f.UDP.Length) - 8
		if n < 0 {
			n = len(f.Payload)
		}
		dst = appendUint(dst, uint64(n))
	case f.Has(ProtoICMP):
		dst = f.appendICMPInfo(dst)
	case f.Has(ProtoICMPv6):
		dst = f.appendICMPv6Info(dst)
	case f.Has(ProtoARP):
		dst = f.appendARPInfo(dst)
	case f.Has(ProtoIP) && f.IP.Bogus:
		dst = append(dst, "Bogus IP header length ("...)
		dst = appendUint(dst, uint64(f.IP.IHL)*4)
		dst = append(dst, ", must be at least 20)"...)
	case f.Has(ProtoIP) || f.Has(ProtoIPv6):
		for _, a := range f.Anomalies {
			if a.Proto == ProtoIP || a.Proto == ProtoIPv6 {
				dst = append(dst, a.Msg...)
				if a.Msg == ipv6OptsDest || a.Msg == ipv6OptsHop {
					dst = append(dst, "[Malformed Packet]"...)
				}
				return dst
			}
		}
	case f.Has(ProtoLLC):
		dst = appendLLCInfo(dst, f)
	case f.ethUnknownType():
		dst = append(dst, "Ethernet II"...)
	case !f.Has(ProtoEth) && !f.Has(ProtoSLL) && !f.Has(ProtoNull) && !f.Has(ProtoRaw):
		if f.LinkType != capture.LinkEthernet && f.LinkType != capture.LinkCustomBlock {
			dst = append(dst, "Link type "...)
			dst = appendUint(dst, uint64(f.LinkType))
			if n := f.LinkType.Name(); n != "" {
				dst = append(dst, " ("...)
				dst = append(dst, n...)
				if n == "USER" {
					dst = appendUint(dst, uint64(f.LinkType-147))
				}
				dst = append(dst, ')')
			}
			dst = append(dst, ", not decoded"...)
		}
	}
	if f.Len > f.CapLen && f.truncatedHeaders() {
		dst = append(dst, "[Packet size limited during capture]"...)
	} else if f.malformed() {
		dst = append(dst, "[Malformed Packet]"...)
	}
	return dst
}

// truncatedHeaders reports a header cut short by the snapshot length.
func (f *Frame) truncatedHeaders() bool {
	if f.Has(ProtoX11) && f.X11.Short {
		return true // X11 messages cut short (their dissector sets no Info then)
	}
	for _, a := range f.Anomalies {
		switch a.Msg {
		case "TCP options truncated by the capture", "Ethernet header truncated", "TCP header truncated",
			"IPv4 header truncated", "IPv6 header truncated", "UDP header truncated", "ICMP message truncated":
			return true
		}
	}
	return false
}

// Malformed reports an anomaly Wireshark flags as [Malformed Packet] (_ws.malformed).
func (f *Frame) Malformed() bool {
	return f.malformed() || (f.Has(ProtoDNS) && f.DNS.Malformed) || (f.Has(ProtoHTTP) && f.HTTP.Malformed)
}

func (f *Frame) malformed() bool {
	if f.otherMalformed() || f.voipMalformed() {
		return true
	}
	for _, a := range f.Anomalies {
		switch a.Msg {
		case "bogus TCP header length", "ICMP message truncated", "malformed ICMP extension structure", ipv6OptsDest, ipv6OptsHop:
			return true
		}
	}
	return false
}

func ipProtoName(p IPProto) string {
	switch p {
	case IPProtoICMP:
		return "ICMP"
	case IPProtoTCP:
		return "TCP"
	case IPProtoUDP:
		return "UDP"
	case IPProtoICMPv6:
		return "ICMPv6"
	case IPProtoIPIP:
		return "IPIP"
	case IPProtoIPv6:
		return "IPv6"
	case 47:
		return "GRE"
	case 50:
		return "ESP"
	case 51:
		return "AH"
	case 132:
		return "SCTP"
	}
	return "Unknown"
}

// tcpFlagNames in Wireshark's order for the Info column.
var tcpFlagNames = [...]struct {
	bit  uint16
	name string
}{
	{TCPFin, "FIN"}, {TCPSyn, "SYN"}, {TCPRst, "RST"}, {TCPPsh, "PSH"}, {TCPAck, "ACK"},
	{TCPUrg, "URG"}, {TCPEce, "ECE"}, {TCPCwr, "CWR"}, {TCPAE, "AE"}, {0xe00, "Reserved"},
}

// analysisNames are the tcp.analysis conditions in the order they stand in
// the Info column: Wireshark prints them reused ports first, then
// retransmissions, lost segments, window, keep-alive, duplicate ACK and
// zero-window conditions, each prepended, so the Info column shows them
// in the reverse order. AnDuplicateAck stands for "[TCP Dup ACK f#n] ".
var analysisNames = [...]struct {
	bit  uint32
	name string
}{
	{AnZeroWindowProbeAck, "[TCP ZeroWindowProbeAck] "},
	{AnZeroWindow, "[TCP ZeroWindow] "},
	{AnZeroWindowProbe, "[TCP ZeroWindowProbe] "},
	{AnDuplicateAck, ""},
	{AnKeepAliveAck, "[TCP Keep-Alive ACK] "},
	{AnKeepAlive, "[TCP Keep-Alive] "},
	{AnWindowFull, "[TCP Window Full] "},
	{AnWindowUpdate, "[TCP Window Update] "},
	{AnAckLostSegment, "[TCP ACKed unseen segment] "},
	{AnLostSegment, "[TCP Previous segment not captured] "},
	{AnOutOfOrder, "[TCP Out-Of-Order] "},
	{AnSpuriousRetransmission, "[TCP Spurious Retransmission] "},
	{AnFastRetransmission, "[TCP Fast Retransmission] "},
	{AnRetransmission, "[TCP Retransmission] "},
	{AnReusedPorts, "[TCP Port numbers reused] "},
}

// appendTCPAnalysis appends the "[TCP Retransmission] "-style labels of Analysis.Flags.
func (f *Frame) appendTCPAnalysis(dst []byte) []byte {
	a := &f.Analysis
	if a.HasTCP {
		for _, n := range analysisNames {
			if a.Flags&n.bit == 0 {
				continue
			}
			if n.bit == AnRetransmission && a.Flags&(AnFastRetransmission|AnSpuriousRetransmission) != 0 {
				continue
			}
			if n.bit == AnDuplicateAck {
				dst = append(dst, "[TCP Dup ACK "...)
				dst = appendUint(dst, a.DupAckFrame)
				dst = append(dst, '#')
				dst = appendUint(dst, uint64(a.DupAckNum))
				dst = append(dst, "] "...)
				continue
			}
			dst = append(dst, n.name...)
		}
	}
	return dst
}

func (f *Frame) appendTCPInfo(dst []byte) []byte {
	t := &f.TCP
	a := &f.Analysis
	dst = appendUint(dst, uint64(t.SrcPort))
	dst = append(dst, " → "...)
	dst = appendUint(dst, uint64(t.DstPort))
	if t.Short && t.HdrAvail < 14 {
		return dst
	}
	dst = append(dst, " ["...)
	n := 0
	for _, fl := range tcpFlagNames {
		if t.Flags&fl.bit != 0 {
			if n > 0 {
				dst = append(dst, ", "...)
			}
			dst = append(dst, fl.name...)
			n++
		}
	}
	if n == 0 {
		dst = append(dst, "<None>"...)
	}
	dst = append(dst, "] Seq="...)
	seq, ack := t.Seq, t.Ack
	if a.HasTCP {
		seq, ack = a.RelSeq, a.RelAck
	}
	dst = appendUint(dst, uint64(seq))
	if t.Flags&TCPAck != 0 {
		dst = append(dst, " Ack="...)
		dst = appendUint(dst, uint64(ack))
	}
	if t.Short {
		return dst
	}
	dst = append(dst, " Win="...)
	if a.HasTCP && a.WindowSize >= 0 {
		dst = appendUint(dst, uint64(a.WindowSize))
	} else {
		dst = appendUint(dst, uint64(t.Window))
	}
	if t.Flags&TCPUrg != 0 {
		dst = append(dst, " Urg="...)
		dst = appendUint(dst, uint64(t.Urgent))
	}
	if t.BadHdrLen {
		return dst
	}
	dst = append(dst, " Len="...)
	dst = appendUint(dst, uint64(t.PayloadLen))
	return f.appendTCPOptionInfo(dst)
}

// appendTCPOptionInfo appends the options in packet order as Wireshark's Info does.
func (f *Frame) appendTCPOptionInfo(dst []byte) []byte {
	o := f.TCP.Options
	for i := 0; i < len(o); {
		kind := o[i]
		if kind == tcpOptEOL {
			break
		}
		if kind == tcpOptNOP {
			i++
			continue
		}
		if i+1 >= len(o) {
			break
		}
		n := int(o[i+1])
		if n < 2 || i+n > len(o) {
			break
		}
		v := o[i+2 : i+n]
		switch kind {
		case tcpOptMSS:
			if n == 4 {
				dst = append(dst, " MSS="...)
				dst = appendUint(dst, uint64(be16(v)))
			}
		case tcpOptWScale:
			if n == 3 {
				dst = append(dst, " WS="...)
				sh := v[0]
				if sh > 14 {
					sh = 14
				}
				dst = appendUint(dst, 1<<sh)
			}
		case tcpOptSACKPerm:
			dst = append(dst, " SACK_PERM"...)
		case tcpOptSACK:
			for j := 0; j+8 <= len(v); j += 8 {
				l, r := be32(v[j:]), be32(v[j+4:])
				if base, ok := f.sackBase(); ok {
					l, r = l-base, r-base
				}
				dst = append(dst, " SLE="...)
				dst = appendUint(dst, uint64(l))
				dst = append(dst, " SRE="...)
				dst = appendUint(dst, uint64(r))
			}
		case tcpOptTS:
			if n == 10 {
				dst = append(dst, " TSval="...)
				dst = appendUint(dst, uint64(be32(v)))
				dst = append(dst, " TSecr="...)
				dst = appendUint(dst, uint64(be32(v[4:])))
			}
		}
		i += n
	}
	return dst
}

// sackBase returns the peer's initial sequence number (SACK edges are relative
// to what this segment acknowledges) when the flow analysis knows it.
func (f *Frame) sackBase() (uint32, bool) {
	if !f.Analysis.HasTCP || f.TCP.Flags&TCPAck == 0 {
		return 0, false
	}
	return f.TCP.Ack - f.Analysis.RelAck, true
}

func icmpTypeName(t, code uint8) (string, string) {
	switch t {
	case 0:
		return "Echo (ping) reply", ""
	case 3:
		codes := [...]string{"Network unreachable", "Host unreachable", "Protocol unreachable", "Port unreachable",
			"Fragmentation needed", "Source route failed", "Destination network unknown", "Destination host unknown",
			"Source host isolated", "Network administratively prohibited", "Host administratively prohibited",
			"Network unreachable for TOS", "Host unreachable for TOS", "Communication administratively filtered",
			"Host precedence violation", "Precedence cutoff in effect"}
		c := ""
		if int(code) < len(codes) {
			c = codes[code]
		}
		return "Destination unreachable", c
	case 4:
		return "Source quench (flow control)", ""
	case 5:
		codes := [...]string{"Redirect for network", "Redirect for host", "Redirect for TOS and network", "Redirect for TOS and host"}
		c := ""
		if int(code) < len(codes) {
			c = codes[code]
		}
		return "Redirect", c
	case 8:
		return "Echo (ping) request", ""
	case 9:
		return "Router advertisement", ""
	case 10:
		return "Router solicitation", ""
	case 11:
		c := "Time to live exceeded in transit"
		if code == 1 {
			c = "Fragment reassembly time exceeded"
		}
		return "Time-to-live exceeded", c
	case 12:
		return "Parameter problem", ""
	case 13:
		return "Timestamp request", ""
	case 14:
		return "Timestamp reply", ""
	case 17:
		return "Address mask request", ""
	case 18:
		return "Address mask reply", ""
	}
	return "Unknown ICMP (obsolete or malformed?)", ""
}

func (f *Frame) appendICMPInfo(dst []byte) []byte {
	c := &f.ICMP
	name, code := icmpTypeName(c.Type, c.Code)
	dst = append(dst, name...)
	if code != "" {
		dst = append(dst, " ("...)
		dst = append(dst, code...)
		dst = append(dst, ')')
	}
	if c.Type == 0 || c.Type == 8 {
		for i := len(name); i < 20; i++ {
			dst = append(dst, ' ')
		}
		dst = append(dst, " id="...)
		dst = appendHex(dst, uint64(c.ID), 4)
		dst = append(dst, ", seq="...)
		dst = appendUint(dst, uint64(c.Seq))
		dst = append(dst, '/')
		dst = appendUint(dst, uint64(c.Seq>>8|c.Seq<<8))
		if f.Has(ProtoIP) {
			dst = append(dst, ", ttl="...)
			dst = appendUint(dst, uint64(f.IP.TTL))
		}
		if c.RequestIn != 0 {
			dst = append(dst, " (request in "...)
			dst = appendUint(dst, c.RequestIn)
			dst = append(dst, ')')
		}
	}
	return dst
}

// ICMPv6 error code names, as Wireshark 4.0 appends them to the Info column
// (checked with tshark on a crafted capture of every code).
var (
	icmp6UnreachCodes = [...]string{"no route to destination", "Administratively prohibited",
		"Beyond scope of source address", "Address unreachable", "Port unreachable",
		"Source address failed ingress/egress policy", "Reject route to destination", "Error in Source Routing Header"}
	icmp6TimeCodes  = [...]string{"hop limit exceeded in transit", "fragment reassembly time exceeded"}
	icmp6ParamCodes = [...]string{"erroneous header field encountered", "unrecognized Next Header type encountered",
		"unrecognized IPv6 option encountered", "IPv6 First Fragment has incomplete IPv6 Header Chain"}
)

// appendCode appends " (name)" for a code; an unknown one is " (Unknown)"
// or, with withNum, " (Unknown (N))", as Wireshark words each type.
func appendCode(dst []byte, code uint8, names []string, withNum bool) []byte {
	dst = append(dst, " ("...)
	switch {
	case int(code) < len(names):
		dst = append(dst, names[code]...)
	case withNum:
		dst = append(dst, "Unknown ("...)
		dst = appendUint(dst, uint64(code))
		dst = append(dst, ')')
	default:
		dst = append(dst, "Unknown"...)
	}
	return append(dst, ')')
}

func (f *Frame) appendICMPv6Info(dst []byte) []byte {
	c := &f.ICMP6
	switch c.Type {
	case 1:
		dst = append(dst, "Destination Unreachable"...)
		dst = appendCode(dst, c.Code, icmp6UnreachCodes[:], false)
	case 2:
		dst = append(dst, "Packet Too Big"...)
	case 3:
		dst = append(dst, "Time Exceeded"...)
		dst = appendCode(dst, c.Code, icmp6TimeCodes[:], true)
	case 4:
		dst = append(dst, "Parameter Problem"...)
		dst = appendCode(dst, c.Code, icmp6ParamCodes[:], true)
	case 128, 129:
		if c.Type == 128 {
			dst = append(dst, "Echo (ping) request id="...)
		} else {
			dst = append(dst, "Echo (ping) reply id="...)
		}
		dst = appendHex(dst, uint64(c.ID), 4)
		dst = append(dst, ", seq="...)
		dst = appendUint(dst, uint64(c.Seq))
		if f.Has(ProtoIPv6) {
			dst = append(dst, ", hop limit="...)
			dst = appendUint(dst, uint64(f.IPv6.HopLimit))
		}
		if c.RequestIn != 0 {
			dst = append(dst, " (request in "...)
			dst = appendUint(dst, c.RequestIn)
			dst = append(dst, ')')
		}
	case 130:
		dst = append(dst, "Multicast Listener Query"...)
	case 131:
		dst = append(dst, "Multicast Listener Report"...)
	case 132:
		dst = append(dst, "Multicast Listener Done"...)
	case 133:
		dst = append(dst, "Router Solicitation"...)
		dst = f.appendFromLL(dst)
	case 134:
		dst = append(dst, "Router Advertisement"...)
		dst = f.appendFromLL(dst)
	case 135:
		dst = append(dst, "Neighbor Solicitation for "...)
		dst = c.NDTarget.AppendTo(dst)
		dst = f.appendFromLL(dst)
	case 136:
		dst = append(dst, "Neighbor Advertisement "...)
		dst = c.NDTarget.AppendTo(dst)
		if c.NDFlags&0xe0000000 != 0 {
			dst = append(dst, " ("...)
			n := 0
			for _, fl := range [...]struct {
				bit  uint32
				name string
			}{{0x80000000, "rtr"}, {0x40000000, "sol"}, {0x20000000, "ovr"}} {
				if c.NDFlags&fl.bit != 0 {
					if n > 0 {
						dst = append(dst, ", "...)
					}
					dst = append(dst, fl.name...)
					n++
				}
			}
			dst = append(dst, ')')
		}
		if c.HasLinkAddr {
			dst = append(dst, " is at "...)
			dst = AppendMAC(dst, c.LinkAddr[:])
		}
	case 137:
		dst = append(dst, "Redirect"...)
	case 143:
		dst = append(dst, "Multicast Listener Report Message v2"...)
	default:
		dst = append(dst, "Unknown ICMPv6 type "...)
		dst = appendUint(dst, uint64(c.Type))
	}
	return dst
}

func (f *Frame) appendFromLL(dst []byte) []byte {
	if f.ICMP6.HasLinkAddr && f.ICMP6.LinkAddrSrc {
		dst = append(dst, " from "...)
		dst = AppendMAC(dst, f.ICMP6.LinkAddr[:])
	}
	return dst
}

func (f *Frame) appendARPInfo(dst []byte) []byte {
	a := &f.ARP
	if a.HWSize == 0 || a.ProtoSize != 4 {
		dst = append(dst, "ARP opcode "...)
		return appendUint(dst, uint64(a.Opcode))
	}
	switch a.Opcode {
	case 1:
		if a.SenderIP == a.TargetIP {
			if a.TargetMAC == ([6]byte{}) {
				dst = append(dst, "ARP Announcement for "...)
			} else {
				dst = append(dst, "Gratuitous ARP for "...)
				dst = a.SenderIP.AppendTo(dst)
				return append(dst, " (Request)"...)
			}
			return a.SenderIP.AppendTo(dst)
		}
		if a.SenderIP.IsUnspecified() {
			dst = append(dst, "Who has "...)
			dst = a.TargetIP.AppendTo(dst)
			return append(dst, "? (ARP Probe)"...)
		}
		dst = append(dst, "Who has "...)
		dst = a.TargetIP.AppendTo(dst)
		dst = append(dst, "? Tell "...)
		return a.SenderIP.AppendTo(dst)
	case 2:
		if a.SenderIP == a.TargetIP {
			dst = append(dst, "Gratuitous ARP for "...)
			dst = a.SenderIP.AppendTo(dst)
			return append(dst, " (Reply)"...)
		}
		dst = a.SenderIP.AppendTo(dst)
		dst = append(dst, " is at "...)
		if a.HWSize != 6 { // IPoIB and others: plain hex, as Wireshark's bytes
			if b, ok := layerOf(f, ProtoARP); ok && len(b) >= 8+int(a.HWSize) {
				for _, c := range b[8 : 8+int(a.HWSize)] {
					dst = append(dst, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
				}
			}
			return dst
		}
		return AppendMAC(dst, a.SenderMAC[:])
	}
	dst = append(dst, "ARP opcode "...)
	return appendUint(dst, uint64(a.Opcode))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
