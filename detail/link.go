package detail

import (
	"fmt"
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

func init() {
	Register(decode.ProtoEth, buildEth)
	Register(decode.ProtoVLAN, buildVLAN)
	Register(decode.ProtoIEEE8021AD, buildVLAN)
	Register(decode.ProtoSLL, buildSLL)
	Register(decode.ProtoNull, buildNull)
	Register(decode.ProtoRaw, buildRaw)
	Register(decode.ProtoLLC, buildLLC)
	Register(decode.ProtoData, buildData)
	Register(decode.ProtoPPPoE, buildPPPoE)
	Register(decode.ProtoPPP, buildPPP)
}

var etherTypes = map[uint16]string{
	0x0800: "IPv4", 0x0806: "ARP", 0x86dd: "IPv6", 0x8100: "802.1Q Virtual LAN", 0x88a8: "802.1ad Provider Bridge (Q-in-Q)",
	0x9100: "VLAN-tagged frame (Q-in-Q)", 0x8035: "RARP", 0x8863: "PPPoE Discovery", 0x8864: "PPPoE Session",
	0x88cc: "802.1 Link Layer Discovery Protocol (LLDP)", 0x8847: "MPLS label switched packet", 0x8848: "MPLS multicast label switched packet",
	0x888e: "802.1X Authentication", 0x88e5: "802.1AE (MACsec)", 0x8809: "Slow Protocols", 0x9000: "Configuration Test Protocol (loopback)",
	0x88f7: "PTPv2 over Ethernet (IEEE1588)", 0x8137: "Netware IPX/SPX", 0x809b: "AppleTalk LLAP bridging", 0x80f3: "AppleTalk Address Resolution Protocol (AARP)",
	0x6558: "Transparent Ethernet bridging", 0x22f0: "IEEE 1722 Audio Video Bridging Transport Protocol", 0x88b5: "Local Experimental Ethertype 1",
	0x88b6: "Local Experimental Ethertype 2", 0x8902: "IEEE 802.1ag Connectivity Fault Management (CFM) Protocol", 0x893a: "IEEE 1905.1a Convergent Digital Home Network for Heterogenous Technologies",
	0x8892: "PROFINET", 0x88a4: "EtherCAT frame", 0x0842: "Wake on LAN",
}

func etherTypeLabel(t uint16) string {
	name, ok := etherTypes[t]
	if !ok {
		name = "Unknown"
	}
	return fmt.Sprintf("%s (0x%04x)", name, t)
}

// MACLabel is a MAC address as tshark shows it: "name (aa:bb:..)" when resolved, else the address.
func (b *Builder) MACLabel(a []byte) string {
	s := MAC(a)
	if len(a) == 6 {
		var m [6]byte
		copy(m[:], a)
		if n := b.Names.MAC(m); n != "" {
			return n + " (" + s + ")"
		}
	}
	return s
}

// AddrName is an IP address as tshark shows it in a protocol line: as
// AddrLabel ("name (addr)" with name resolution on, else the address).
func (b *Builder) AddrName(a netip.Addr) string { return b.AddrLabel(a) }

// AddrLabel is "name (addr)" when resolved (tshark's address field lines), else the address.
func (b *Builder) AddrLabel(a netip.Addr) string {
	if n := b.Names.Addr(a); n != "" {
		return n + " (" + a.String() + ")"
	}
	return a.String()
}

// macTree adds a MAC address field with its Address, LG and IG children (eth.dst/eth.src).
func (b *Builder) macTree(field, name string, off int, a []byte) {
	b.Open(field, off, 6, name+": "+b.MACLabel(a))
	b.Add("eth.addr", off, 6, "Address: "+b.MACLabel(a))
	v := uint64(a[0])<<16 | uint64(a[1])<<8 | uint64(a[2])
	lg := "Globally unique address (factory default)"
	if a[0]&2 != 0 {
		lg = "Locally administered address (this is NOT the factory default)"
	}
	ig := "Individual address (unicast)"
	if a[0]&1 != 0 {
		ig = "Group address (multicast/broadcast)"
	}
	b.Add(field+".lg", off, 3, BitLine(24, 0x020000, v, "LG bit: "+lg))
	b.Add(field+".ig", off, 3, BitLine(24, 0x010000, v, "IG bit: "+ig))
	b.Close()
}

func buildEth(b *Builder, l decode.Layer, d []byte) {
	if len(d) < 14 {
		return
	}
	n := min(l.Len, len(d))
	typ := be16(d[12:])
	if typ <= 1500 {
		b.Openf("eth", 0, n, "IEEE 802.3 Ethernet ")
		b.macTree("eth.dst", "Destination", 0, d[0:6])
		b.macTree("eth.src", "Source", 6, d[6:12])
		b.Addf("eth.len", 12, 2, "Length: %d", typ)
		b.ethTrailer(14+int(typ), n, d)
		b.Close()
		return
	}
	b.Openf("eth", 0, n, "Ethernet II, Src: %s, Dst: %s", b.MACLabel(d[6:12]), b.MACLabel(d[0:6]))
	b.macTree("eth.dst", "Destination", 0, d[0:6])
	b.macTree("eth.src", "Source", 6, d[6:12])
	b.Add("eth.type", 12, 2, "Type: "+etherTypeLabel(typ))
	b.ethTrailer(b.payloadEnd(l), n, d)
	b.Close()
}

// payloadEnd is where the layers after layer l (in the same source) end, relative to l.
func (b *Builder) payloadEnd(l decode.Layer) int {
	end := -1
	for _, m := range b.Frame.Layers[b.layer+1:] {
		if m.Reasm != l.Reasm {
			break
		}
		if e := m.Off + m.Len; e > end {
			end = e
		}
		// only the next protocol counts: its length covers what it carries
		break
	}
	if end < 0 {
		return l.Len
	}
	return end - l.Off
}

// ethTrailer adds Padding, a trailer or the frame check sequence for the
// bytes after the payload, with Wireshark's guess: four bytes that end a
// frame of at least 64 bytes are its FCS.
func (b *Builder) ethTrailer(end, n int, d []byte) {
	if end < 14 || end >= n {
		return
	}
	if (n >= 64 && n-end == 4 || n == 64 && n-end > 4) && b.layer == 0 && n == len(b.Frame.Data) {
		if n-end > 4 {
			b.ethTrailer(end, n-4, d)
		}
		b.Addf("eth.fcs", n-4, 4, "Frame check sequence: 0x%08x [unverified]", be32(d[n-4:]))
		b.Gen("eth.fcs.status", "FCS Status: Unverified")
		return
	}
	t := d[end:n]
	zero := true
	for _, c := range t {
		if c != 0 {
			zero = false
			break
		}
	}
	if zero {
		b.Add("eth.padding", end, n-end, "Padding: "+BytesLabel(t))
		return
	}
	b.Open("eth.trailer", end, n-end, "Trailer: "+BytesLabel(t))
	b.expert("eth.padding_bad", "Note", "Protocol", "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.")
	b.Close()
}

var vlanPriorities = [8]string{"Best Effort (default)", "Background", "Excellent Effort", "Critical Applications",
	"Video, < 100ms latency and jitter", "Voice, < 10ms latency and jitter", "Internetwork Control", "Network Control"}

func buildVLAN(b *Builder, l decode.Layer, d []byte) {
	if len(d) < 4 {
		return
	}
	p := "vlan"
	title := "802.1Q Virtual LAN"
	if l.Proto == decode.ProtoIEEE8021AD {
		p, title = "ieee8021ad", "IEEE 802.1ad"
	}
	tci := uint64(be16(d))
	n := min(l.Len, len(d))
	dei := "Ineligible"
	if tci&0x1000 != 0 {
		dei = "Eligible"
	}
	b.Openf(p, 0, n, "%s, PRI: %d, DEI: %d, ID: %d", title, tci>>13, (tci>>12)&1, tci&0xfff)
	b.Add(p+".priority", 0, 2, BitLine(16, 0xe000, tci, fmt.Sprintf("Priority: %s (%d)", vlanPriorities[tci>>13], tci>>13)))
	b.Add(p+".dei", 0, 2, BitLine(16, 0x1000, tci, "DEI: "+dei))
	b.Add(p+".id", 0, 2, BitLine(16, 0x0fff, tci, fmt.Sprintf("ID: %d", tci&0xfff)))
	typ := be16(d[2:])
	if typ <= 1500 {
		b.Addf(p+".len", 2, 2, "Length: %d", typ)
	} else {
		b.Add(p+".etype", 2, 2, "Type: "+etherTypeLabel(typ))
	}
	b.Close()
}

var sllPktTypes = map[uint16]string{0: "Unicast to us", 1: "Broadcast", 2: "Multicast", 3: "Unicast to another host", 4: "Sent by us"}
var arphrdTypes = map[uint16]string{1: "Ethernet", 772: "Loopback", 776: "IPv6-in-IPv4", 778: "IP GRE", 65534: "None", 512: "PPP", 801: "IEEE 802.11", 803: "IEEE 802.11 + radiotap header", 280: "CAN", 824: "Netlink"}

func mapName[K comparable](m map[K]string, k K, def string) string {
	if s, ok := m[k]; ok {
		return s
	}
	return def
}

func buildSLL(b *Builder, l decode.Layer, d []byte) {
	s := &b.Frame.SLL
	src := func(off int) {
		alen := int(s.AddrLen)
		switch {
		case alen == 6 && (s.HAType == 1 || s.HAType == 772):
			b.Add("sll.src.eth", off, 6, "Source: "+b.MACLabel(s.Addr[:6]))
			b.Add("sll.unused", off+6, 2, "Unused: "+HexBytes(s.Addr[6:8]))
		case alen == 4 && s.HAType == 778 || alen == 4 && s.HAType == 776:
			b.Add("sll.src.ipv4", off, 4, "Source: "+netip.AddrFrom4([4]byte(s.Addr[:4])).String())
			b.Add("sll.unused", off+4, 4, "Unused: "+HexBytes(s.Addr[4:8]))
		case alen == 0:
			b.Add("sll.unused", off, 8, "Unused: "+HexBytes(s.Addr[:8]))
		default:
			alen = min(alen, 8)
			b.Add("sll.src.other", off, alen, "Source: "+HexBytes(s.Addr[:alen]))
			if alen < 8 {
				b.Add("sll.unused", off+alen, 8-alen, "Unused: "+HexBytes(s.Addr[alen:8]))
			}
		}
	}
	proto := func(off int) {
		if s.Protocol > 1500 {
			b.Add("sll.etype", off, 2, "Protocol: "+etherTypeLabel(s.Protocol))
		} else {
			b.Addf("sll.ltype", off, 2, "Protocol: %s (0x%04x)", mapName(map[uint16]string{1: "Novell 802.3", 2: "AX.25", 3: "Ethernet", 4: "802.2 LLC", 12: "CAN", 13: "CAN FD", 15: "Netlink"}, s.Protocol, "Unknown"), s.Protocol)
		}
	}
	hatype := fmt.Sprintf("Link-layer address type: %s (%d)", mapName(arphrdTypes, s.HAType, "Unknown"), s.HAType)
	pkt := fmt.Sprintf("Packet type: %s (%d)", mapName(sllPktTypes, s.PktType, "Unknown"), s.PktType)
	if s.Version == 2 {
		b.Open("sll", 0, 20, "Linux cooked capture v2")
		proto(0)
		b.Addf("sll.ifindex", 4, 4, "Interface index: %d", s.IfIndex)
		b.Add("sll.hatype", 8, 2, hatype)
		b.Add("sll.pkttype", 10, 1, pkt)
		b.Addf("sll.halen", 11, 1, "Link-layer address length: %d", s.AddrLen)
		src(12)
		b.Close()
		return
	}
	b.Open("sll", 0, 16, "Linux cooked capture v1")
	b.Add("sll.pkttype", 0, 2, pkt)
	b.Add("sll.hatype", 2, 2, hatype)
	b.Addf("sll.halen", 4, 2, "Link-layer address length: %d", s.AddrLen)
	src(6)
	proto(14)
	b.Close()
}

var nullFamilies = map[uint32]string{2: "IP", 10: "IPv6", 24: "IPv6", 28: "IPv6", 30: "IPv6", 7: "OSI", 23: "IPX"}

func buildNull(b *Builder, l decode.Layer, d []byte) {
	b.Open("null", 0, 4, "Null/Loopback")
	if b.Frame.Null == 0 && len(d) >= 4 {
		b.Add("null.type", 2, 2, "Type: "+etherTypeLabel(be16(d[2:])))
	} else {
		b.Addf("null.family", 0, 4, "Family: %s (%d)", mapName(nullFamilies, b.Frame.Null, "Unknown"), b.Frame.Null)
	}
	b.Close()
}

func buildRaw(b *Builder, l decode.Layer, d []byte) {
	b.Open("raw", 0, min(l.Len, len(d)), "Raw packet data")
	b.Add("", -1, 0, "No link information available")
	b.Close()
}

var sapNames = map[uint8]string{0x00: "NULL LSAP", 0x42: "Spanning Tree BPDU", 0xaa: "SNAP", 0xe0: "NetWare", 0xf0: "NetBIOS", 0x06: "TCP/IP", 0xfe: "ISO Network Layer (OSLAN 1)", 0x04: "SNA Path Control (individual)", 0xff: "Global DSAP"}

func buildLLC(b *Builder, l decode.Layer, d []byte) {
	e := &b.Frame.Eth
	if len(d) < 3 {
		return
	}
	title := fmt.Sprintf("Logical-Link Control")
	b.Open("llc", 0, min(l.Len, len(d)), title)
	dsap, ssap := uint64(d[0]), uint64(d[1])
	b.Openf("llc.dsap", 0, 1, "DSAP: %s (0x%02x)", mapName(sapNames, d[0]&0xfe, "Unknown"), d[0])
	b.Add("llc.dsap.sap", 0, 1, BitLine(8, 0xfe, dsap, fmt.Sprintf("SAP: %s", mapName(sapNames, d[0]&0xfe, "Unknown"))))
	ig := "Individual"
	if dsap&1 != 0 {
		ig = "Group"
	}
	b.Add("llc.dsap.ig", 0, 1, BitLine(8, 0x01, dsap, "IG Bit: "+ig))
	b.Close()
	b.Openf("llc.ssap", 1, 1, "SSAP: %s (0x%02x)", mapName(sapNames, d[1]&0xfe, "Unknown"), d[1])
	b.Add("llc.ssap.sap", 1, 1, BitLine(8, 0xfe, ssap, fmt.Sprintf("SAP: %s", mapName(sapNames, d[1]&0xfe, "Unknown"))))
	cr := "Command"
	if ssap&1 != 0 {
		cr = "Response"
	}
	b.Add("llc.ssap.cr", 1, 1, BitLine(8, 0x01, ssap, "CR Bit: "+cr))
	b.Close()
	if e.HasSNAP {
		b.Addf("llc.control", 2, 1, "Control field: U, func=UI (0x%02X)", d[2])
		if len(d) >= 8 {
			b.Addf("llc.oui", 3, 3, "Organization Code: %s (0x%06x)", mapName(map[uint32]string{0: "Encapsulated Ethernet", 0x00000c: "Cisco", 0x0080c2: "IEEE 802.1"}, e.SNAPOUI, "Unknown"), e.SNAPOUI)
			if e.SNAPOUI == 0 {
				b.Add("llc.type", 6, 2, "Type: "+etherTypeLabel(e.SNAPType))
			} else {
				b.Addf("llc.pid", 6, 2, "PID: 0x%04x", e.SNAPType)
			}
		}
	} else if d[2]&3 == 3 {
		b.Addf("llc.control", 2, 1, "Control field: U, func=%s (0x%02X)", uFunc(d[2]), d[2])
	}
	b.Close()
}

func uFunc(c uint8) string {
	switch c &^ 0x10 {
	case 0x03:
		return "UI"
	case 0xaf:
		return "XID"
	case 0xe3:
		return "TEST"
	}
	return "Unknown"
}

// buildData is Wireshark's "data" protocol: bytes no dissector claimed.
// tshark -V prints its bytes under the protocol line.
func buildData(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	b.embeddedData(0, d[:n])
	b.skipData = false
}

var pppoeCodes = map[uint8]string{0: "Session Data", 9: "Active Discovery Initiation (PADI)", 7: "Active Discovery Offer (PADO)", 0x19: "Active Discovery Request (PADR)", 0x65: "Active Discovery Session-confirmation (PADS)", 0xa7: "Active Discovery Terminate (PADT)"}

func buildPPPoE(b *Builder, l decode.Layer, d []byte) {
	p := &b.Frame.PPPoE
	b.Open("pppoes", 0, min(6, len(d)), "PPP-over-Ethernet Session")
	b.Add("pppoe.version", 0, 1, BitLine(8, 0xf0, uint64(d[0]), fmt.Sprintf("Version: %d", p.Version)))
	b.Add("pppoe.type", 0, 1, BitLine(8, 0x0f, uint64(d[0]), fmt.Sprintf("Type: %d", p.Type)))
	b.Addf("pppoe.code", 1, 1, "Code: %s (0x%02x)", mapName(pppoeCodes, p.Code, "Unknown"), p.Code)
	b.Addf("pppoe.session_id", 2, 2, "Session ID: 0x%04x", p.Session)
	b.Addf("pppoe.payload_length", 4, 2, "Payload Length: %d", p.Length)
	b.Close()
}

var pppProtos = map[uint16]string{0x0021: "Internet Protocol version 4", 0x0057: "Internet Protocol version 6", 0xc021: "Link Control Protocol", 0x8021: "Internet Protocol Control Protocol", 0xc023: "Password Authentication Protocol", 0xc223: "Challenge Handshake Authentication Protocol", 0x8057: "IPv6 Control Protocol"}

func buildPPP(b *Builder, l decode.Layer, d []byte) {
	p := b.Frame.PPPoE.PPPProto
	b.Open("ppp", 0, min(2, len(d)), "Point-to-Point Protocol")
	b.Addf("ppp.protocol", 0, 2, "Protocol: %s (0x%04x)", mapName(pppProtos, p, "Unknown"), p)
	b.Close()
}
