package detail

import (
	"bufio"
	"bytes"
	"fmt"
	"net/netip"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
)

func init() {
	Register(decode.ProtoARP, buildARP)
	Register(decode.ProtoICMP, buildICMP)
	Register(decode.ProtoICMPv6, buildICMPv6)
}

var arpOps = map[uint16]string{1: "request", 2: "reply", 3: "reverse request", 4: "reverse reply", 8: "inverse request", 9: "inverse reply"}
var arpHW = map[uint16]string{1: "Ethernet", 6: "IEEE 802 Networks", 15: "Frame Relay", 16: "ATM", 20: "Serial Line", 24: "IEEE 1394.1995", 32: "InfiniBand"}

func buildARP(b *Builder, l decode.Layer, d []byte) {
	if len(d) < 8 {
		return
	}
	hw, pt := be16(d), be16(d[2:])
	hs, ps := int(d[4]), int(d[5])
	op := be16(d[6:])
	grat := b.has("arp.isgratuitous")
	ann := b.has("arp.isannouncement")
	probe := b.has("arp.isprobe")
	kind := mapName(arpOps, op, "Unknown")
	switch {
	case ann:
		kind = "ARP Announcement"
	case probe:
		kind = "ARP Probe"
	case grat:
		kind += "/gratuitous ARP"
	}
	n := 8 + 2*hs + 2*ps
	b.Openf("arp", 0, min(n, len(d)), "Address Resolution Protocol (%s)", kind)
	b.Addf("arp.hw.type", 0, 2, "Hardware type: %s (%d)", mapName(arpHW, hw, "Unknown"), hw)
	b.Add("arp.proto.type", 2, 2, "Protocol type: "+etherTypeLabel(pt))
	b.Addf("arp.hw.size", 4, 1, "Hardware size: %d", hs)
	b.Addf("arp.proto.size", 5, 1, "Protocol size: %d", ps)
	b.Addf("arp.opcode", 6, 2, "Opcode: %s (%d)", mapName(arpOps, op, "Unknown"), op)
	if grat {
		b.Gen("arp.isgratuitous", "Is gratuitous: True")
	}
	if ann {
		b.Gen("arp.isannouncement", "Is announcement: True")
	}
	if probe {
		b.Gen("arp.isprobe", "Is probe: True")
	}
	if len(d) < n || hs != 6 || ps != 4 {
		b.Close()
		return
	}
	o := 8
	b.Add("arp.src.hw_mac", o, 6, "Sender MAC address: "+b.MACLabel(d[o:o+6]))
	b.Add("arp.src.proto_ipv4", o+6, 4, "Sender IP address: "+b.AddrLabel(netip.AddrFrom4([4]byte(d[o+6:o+10]))))
	b.Add("arp.dst.hw_mac", o+10, 6, "Target MAC address: "+b.MACLabel(d[o+10:o+16]))
	b.Add("arp.dst.proto_ipv4", o+16, 4, "Target IP address: "+b.AddrLabel(netip.AddrFrom4([4]byte(d[o+16:o+20]))))
	b.Close()
}

// has reports whether a registered field is present in the frame.
func (b *Builder) has(name string) bool {
	return len(b.Values(name)) > 0
}

// inetSum is the Internet checksum's one's-complement sum of b plus init.
func inetSum(b []byte, init uint32) uint32 {
	s := init
	for len(b) >= 2 {
		s += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	return s
}

func foldSum(s uint32) uint16 {
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

// checksumLines adds Wireshark's verified checksum lines: "[correct]" or
// "incorrect, should be 0x…", with the status line.
func (b *Builder) checksumLines(prefix string, off int, got uint16, want uint16, statusName string) {
	if got == want {
		b.Addf(prefix+".checksum", off, 2, "Checksum: 0x%04x [correct]", got)
		b.Gen(prefix+".checksum.status", "%s: Good", statusName)
		return
	}
	b.Addf(prefix+".checksum", off, 2, "Checksum: 0x%04x incorrect, should be 0x%04x", got, want)
	b.Gen(prefix+".checksum.status", "%s: Bad", statusName)
}

var icmpTypes = map[uint8]string{0: "Echo (ping) reply", 3: "Destination unreachable", 4: "Source quench (flow control)", 5: "Redirect",
	8: "Echo (ping) request", 9: "Router advertisement", 10: "Router solicitation", 11: "Time-to-live exceeded", 12: "Parameter problem",
	13: "Timestamp request", 14: "Timestamp reply", 15: "Information request", 16: "Information reply", 17: "Address mask request", 18: "Address mask reply"}
var icmpUnreach = map[uint8]string{0: "Network unreachable", 1: "Host unreachable", 2: "Protocol unreachable", 3: "Port unreachable",
	4: "Fragmentation needed", 5: "Source route failed", 6: "Destination network unknown", 7: "Destination host unknown",
	8: "Source host isolated", 9: "Network administratively prohibited", 10: "Host administratively prohibited",
	11: "Network unreachable for TOS", 12: "Host unreachable for TOS", 13: "Communication administratively filtered",
	14: "Host precedence violation", 15: "Precedence cutoff in effect"}
var icmpTimeEx = map[uint8]string{0: "Time to live exceeded in transit", 1: "Fragment reassembly time exceeded"}
var icmpRedirect = map[uint8]string{0: "Redirect for network", 1: "Redirect for host", 2: "Redirect for TOS and network", 3: "Redirect for TOS and host"}

// icmpState remembers echo requests' times for the response time of replies.
type icmpState struct {
	reqTS map[uint64]int64
}

func (b *Builder) icmpReqTS(frame uint64) (int64, bool) {
	if b.Opts.State == nil {
		return 0, false
	}
	ts, ok := b.Opts.State.icmp.reqTS[frame]
	return ts, ok
}

func (b *Builder) icmpNoteReq() {
	if b.Opts.State == nil {
		return
	}
	st := &b.Opts.State.icmp
	if st.reqTS == nil || len(st.reqTS) > 1<<16 {
		st.reqTS = map[uint64]int64{}
	}
	st.reqTS[b.Frame.Number] = b.Frame.TS
}

// msTime is Wireshark's response time in milliseconds with three decimals.
func msTime(ns int64) string { return fmt.Sprintf("%.3f ms", float64(ns)/1e6) }

func buildICMP(b *Builder, l decode.Layer, d []byte) {
	if len(d) < 4 {
		return
	}
	f := b.Frame
	n := min(l.Len, len(d))
	d = d[:n]
	typ, code := d[0], d[1]
	b.Open("icmp", 0, n, "Internet Control Message Protocol")
	b.Addf("icmp.type", 0, 1, "Type: %d (%s)", typ, mapName(icmpTypes, typ, "Unknown ICMP (obsolete or malformed?)"))
	var codes map[uint8]string
	switch typ {
	case 3:
		codes = icmpUnreach
	case 11:
		codes = icmpTimeEx
	case 5:
		codes = icmpRedirect
	}
	if codes != nil {
		b.Addf("icmp.code", 1, 1, "Code: %d (%s)", code, mapName(codes, code, "Unknown code"))
	} else {
		b.Addf("icmp.code", 1, 1, "Code: %d", code)
	}
	got := be16(d[2:])
	full := n >= l.Len && !f.Fragment
	if full {
		want := foldSum(inetSum(d[:2], inetSum(d[4:], 0)))
		b.checksumLines("icmp", 2, got, want, "Checksum Status")
	} else {
		b.Addf("icmp.checksum", 2, 2, "Checksum: 0x%04x [unverified]", got)
		b.Gen("icmp.checksum.status", "Checksum Status: Unverified")
	}
	switch typ {
	case 0, 8, 13, 14, 15, 16, 17, 18:
		if len(d) < 8 {
			break
		}
		id, seq := be16(d[4:]), be16(d[6:])
		b.Addf("icmp.ident", 4, 2, "Identifier (BE): %d (0x%04x)", id, id)
		b.Addf("icmp.ident_le", 4, 2, "Identifier (LE): %d (0x%04x)", id>>8|id<<8, id>>8|id<<8)
		b.Addf("icmp.seq", 6, 2, "Sequence Number (BE): %d (0x%04x)", seq, seq)
		b.Addf("icmp.seq_le", 6, 2, "Sequence Number (LE): %d (0x%04x)", seq>>8|seq<<8, seq>>8|seq<<8)
		if typ == 8 {
			b.icmpNoteReq()
		}
		if typ == 0 && f.ICMP.RequestIn != 0 {
			b.Gen("icmp.resp_to", "Request frame: %d", f.ICMP.RequestIn)
			if ts, ok := b.icmpReqTS(f.ICMP.RequestIn); ok {
				b.Gen("icmp.resptime", "Response time: %s", msTime(f.TS-ts))
			}
		}
		if typ != 0 && typ != 8 {
			break
		}
		data := 8
		if len(d) > 16 {
			ts, ok := icmpDataTime(d[8:16], f.TS)
			if ok {
				b.Add("icmp.data_time", 8, 8, "Timestamp from icmp data: "+AbsTime(ts))
				b.Gen("icmp.data_time_relative", "Timestamp from icmp data (relative): %s", RelTime(f.TS-ts))
				data = 16
			}
		}
		if len(d) > data {
			b.embeddedData(data, d[data:])
		}
	case 3, 11, 4, 5, 12:
		if len(d) < 8 {
			break
		}
		switch {
		case typ == 5:
			b.Add("icmp.redir_gw", 4, 4, "Gateway address: "+netip.AddrFrom4([4]byte(d[4:8])).String())
		case typ == 3 && code == 4:
			b.Addf("icmp.unused", 4, 2, "Unused: %s", HexBytes(d[4:6]))
			b.Addf("icmp.mtu", 6, 2, "MTU of next hop: %d", be16(d[6:]))
		case d[5] != 0 && (typ == 3 || typ == 11 || typ == 12):
			// RFC 4884: the length of the quoted datagram, in 32-bit words.
			b.Add("icmp.unused", 4, 1, "Unused: "+HexBytes(d[4:5]))
			b.Addf("icmp.length", 5, 1, "Length: %d", d[5])
			b.Gen("icmp.length.original_datagram", "Length of original datagram: %d", int(d[5])*4)
			b.Add("icmp.unused", 6, 2, "Unused: "+HexBytes(d[6:8]))
		default:
			b.Add("icmp.unused", 4, 4, "Unused: "+HexBytes(d[4:8]))
		}
		b.icmpInner(l, d[8:])
	}
	b.Close()
}

// icmpDataTime is Wireshark's guess of a timeval at the start of echo data
// (seconds and microseconds, big- or little-endian, within a day of the frame).
func icmpDataTime(b []byte, frameTS int64) (int64, bool) {
	fs := uint32(frameTS / 1e9)
	secs, usecs := be32(b), be32(b[4:])
	if secs-fs >= 86400 || usecs >= 1000000 {
		secs = uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
		usecs = uint32(b[4]) | uint32(b[5])<<8 | uint32(b[6])<<16 | uint32(b[7])<<24
	}
	if secs-fs < 86400 && usecs < 1000000 {
		return int64(secs)*1e9 + int64(usecs)*1e3, true
	}
	// Wireshark also accepts a time up to a day before the frame.
	if fs-secs < 86400 && usecs < 1000000 {
		return int64(secs)*1e9 + int64(usecs)*1e3, true
	}
	return 0, false
}

// embeddedData adds a "Data (N bytes)" subtree as tshark prints the data of
// ICMP echoes: its own hex dump under the line, then Data and Length.
func (b *Builder) embeddedData(off int, data []byte) {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	HexDump(w, data)
	w.Flush()
	label := fmt.Sprintf("Data (%s)\n\n%s", Plural(len(data), "byte"), strings.TrimSuffix(buf.String(), "\n"))
	b.skipData = true
	b.Open("data", off, len(data), label)
	b.Add("data.data", off, len(data), "Data: "+BytesLabel(data))
	b.Gen("data.len", "Length: %d", len(data))
	b.Close()
}

// BytesLabel is an FT_BYTES value as tshark labels it: hex, cut after 36 bytes with "…".
func BytesLabel(b []byte) string {
	if len(b) > 36 {
		return HexBytes(b[:36]) + "…"
	}
	return HexBytes(b)
}

// icmpInner adds the quoted IP header and transport header of an ICMP error.
func (b *Builder) icmpInner(l decode.Layer, q []byte) {
	if len(q) < 20 || q[0]>>4 != 4 {
		return
	}
	save := b.base
	b.base = l.Off + 8
	ihl := int(q[0]&0xf) * 4
	buildIPv4(b, decode.Layer{Proto: decode.ProtoIP, Off: -1, Len: len(q)}, q)
	if ihl >= 20 && ihl+4 <= len(q) {
		t := q[ihl:]
		b.base = l.Off + 8 + ihl
		switch q[9] {
		case 17:
			if len(t) >= 8 {
				ul := udpHeader(b, t, len(t))
				if v, ok := b.Value("udp.stream"); ok {
					b.Gen("udp.stream", "Stream index: %d", v.U)
				}
				if ul > 8 {
					b.Addf("udp.payload", 8, len(t)-8, "UDP payload (%s)", Plural(int(ul)-8, "byte"))
				}
				b.Close()
			}
		case 1:
			if len(t) >= 8 {
				typ := t[0]
				b.Open("icmp", 0, len(t), "Internet Control Message Protocol")
				b.Addf("icmp.type", 0, 1, "Type: %d (%s)", typ, mapName(icmpTypes, typ, "Unknown ICMP (obsolete or malformed?)"))
				b.Addf("icmp.code", 1, 1, "Code: %d", t[1])
				b.Addf("icmp.checksum", 2, 2, "Checksum: 0x%04x [unverified] [in ICMP error packet]", be16(t[2:]))
				b.Gen("icmp.checksum.status", "Checksum Status: Unverified")
				if typ == 0 || typ == 8 {
					id, seq := be16(t[4:]), be16(t[6:])
					b.Addf("icmp.ident", 4, 2, "Identifier (BE): %d (0x%04x)", id, id)
					b.Addf("icmp.ident_le", 4, 2, "Identifier (LE): %d (0x%04x)", id>>8|id<<8, id>>8|id<<8)
					b.Addf("icmp.seq", 6, 2, "Sequence Number (BE): %d (0x%04x)", seq, seq)
					b.Addf("icmp.seq_le", 6, 2, "Sequence Number (LE): %d (0x%04x)", seq>>8|seq<<8, seq>>8|seq<<8)
					if len(t) > 8 {
						b.embeddedData(8, t[8:])
						b.skipData = false
					}
				}
				b.Close()
			}
		case 6:
			sp, dp := be16(t), be16(t[2:])
			b.Openf("tcp", 0, len(t), "Transmission Control Protocol, Src Port: %s, Dst Port: %s", b.PortLabel(decode.ProtoTCP, sp), b.PortLabel(decode.ProtoTCP, dp))
			b.Add("tcp.srcport", 0, 2, "Source Port: "+b.PortLabel(decode.ProtoTCP, sp))
			b.Add("tcp.dstport", 2, 2, "Destination Port: "+b.PortLabel(decode.ProtoTCP, dp))
			if len(t) >= 8 {
				b.Addf("tcp.seq_raw", 4, 4, "Sequence Number: %d", be32(t[4:]))
			}
			b.Close()
		}
	}
	b.base = save
}

var icmp6Types = map[uint8]string{1: "Destination Unreachable", 2: "Packet Too Big", 3: "Time Exceeded", 4: "Parameter Problem",
	128: "Echo (ping) request", 129: "Echo (ping) reply", 130: "Multicast Listener Query", 131: "Multicast Listener Report",
	132: "Multicast Listener Done", 133: "Router Solicitation", 134: "Router Advertisement", 135: "Neighbor Solicitation",
	136: "Neighbor Advertisement", 137: "Redirect", 143: "Multicast Listener Report Message v2"}
var icmp6Unreach = map[uint8]string{0: "no route to destination", 1: "communication with destination administratively prohibited",
	2: "beyond scope of source address", 3: "address unreachable", 4: "port unreachable", 5: "source address failed ingress/egress policy", 6: "reject route to destination"}
var ndOptNames = map[uint8]string{1: "Source link-layer address", 2: "Target link-layer address", 3: "Prefix information", 4: "Redirected header", 5: "MTU", 7: "Advertisement Interval", 8: "Home Agent Information", 25: "Recursive DNS Server", 31: "DNS Search List Option", 14: "Nonce"}

func buildICMPv6(b *Builder, l decode.Layer, d []byte) {
	if len(d) < 4 {
		return
	}
	f := b.Frame
	n := min(l.Len, len(d))
	d = d[:n]
	typ, code := d[0], d[1]
	b.Open("icmpv6", 0, n, "Internet Control Message Protocol v6")
	b.Addf("icmpv6.type", 0, 1, "Type: %s (%d)", mapName(icmp6Types, typ, "Unknown"), typ)
	if typ == 1 {
		b.Addf("icmpv6.code", 1, 1, "Code: %d (%s)", code, mapName(icmp6Unreach, code, "Unknown"))
	} else {
		b.Addf("icmpv6.code", 1, 1, "Code: %d", code)
	}
	got := be16(d[2:])
	if f.Has(decode.ProtoIPv6) && !f.Fragment && n >= l.Len {
		src, dst := f.IPv6.Src.As16(), f.IPv6.Dst.As16()
		s := inetSum(src[:], 0)
		s = inetSum(dst[:], s)
		s += uint32(n>>16) + uint32(n&0xffff) + 58
		s = inetSum(d[:2], s)
		s = inetSum(d[4:], s)
		b.checksumLines("icmpv6", 2, got, foldSum(s), "Checksum Status")
	} else {
		b.Addf("icmpv6.checksum", 2, 2, "Checksum: 0x%04x [unverified]", got)
		b.Gen("icmpv6.checksum.status", "Checksum Status: Unverified")
	}
	opts := -1
	switch typ {
	case 128, 129:
		if n >= 8 {
			b.Addf("icmpv6.echo.identifier", 4, 2, "Identifier: 0x%04x", be16(d[4:]))
			b.Addf("icmpv6.echo.sequence_number", 6, 2, "Sequence: %d", be16(d[6:]))
			if typ == 128 {
				b.icmpNoteReq()
			}
			if typ == 129 && f.ICMP6.RequestIn != 0 {
				b.Gen("icmpv6.echo.resp_to", "Response To: %d", f.ICMP6.RequestIn)
				if ts, ok := b.icmpReqTS(f.ICMP6.RequestIn); ok {
					b.Gen("icmpv6.echo.resptime", "Response Time: %s", msTime(f.TS-ts))
				}
			}
			if n > 8 {
				b.embeddedData(8, d[8:])
			}
		}
	case 133:
		b.Add("icmpv6.reserved", 4, 4, "Reserved: "+HexBytes(d[4:min(8, n)]))
		opts = 8
	case 134:
		if n >= 16 {
			b.Addf("icmpv6.nd.ra.cur_hop_limit", 4, 1, "Cur hop limit: %d", d[4])
			fl := uint64(d[5])
			var names []string
			for _, x := range []struct {
				m uint64
				s string
			}{{0x80, "Managed"}, {0x40, "Other"}, {0x20, "Home Agent"}} {
				if fl&x.m != 0 {
					names = append(names, x.s)
				}
			}
			prf := [4]string{"Medium", "High", "Reserved", "Low"}[(fl>>3)&3]
			names = append(names, "Prf (Default Router Preference): "+prf)
			b.Openf("icmpv6.nd.ra.flag", 5, 1, "Flags: 0x%02x, %s", fl, strings.Join(names, ", "))
			b.Add("icmpv6.nd.ra.flag.m", 5, 1, BoolBit(8, 0x80, fl, "Managed address configuration"))
			b.Add("icmpv6.nd.ra.flag.o", 5, 1, BoolBit(8, 0x40, fl, "Other configuration"))
			b.Add("icmpv6.nd.ra.flag.h", 5, 1, BoolBit(8, 0x20, fl, "Home Agent"))
			b.Add("icmpv6.nd.ra.flag.prf", 5, 1, BitLine(8, 0x18, fl, fmt.Sprintf("Prf (Default Router Preference): %s (%d)", prf, (fl>>3)&3)))
			b.Add("icmpv6.nd.ra.flag.p", 5, 1, BoolBit(8, 0x04, fl, "Proxy"))
			b.Add("icmpv6.nd.ra.flag.rsv", 5, 1, BitLine(8, 0x03, fl, fmt.Sprintf("Reserved: %d", fl&3)))
			b.Close()
			b.Addf("icmpv6.nd.ra.router_lifetime", 6, 2, "Router lifetime (s): %d", be16(d[6:]))
			b.Addf("icmpv6.nd.ra.reachable_time", 8, 4, "Reachable time (ms): %d", be32(d[8:]))
			b.Addf("icmpv6.nd.ra.retrans_timer", 12, 4, "Retrans timer (ms): %d", be32(d[12:]))
			opts = 16
		}
	case 135:
		if n >= 24 {
			b.Add("icmpv6.reserved", 4, 4, "Reserved: "+HexBytes(d[4:8]))
			b.Add("icmpv6.nd.ns.target_address", 8, 16, "Target Address: "+b.AddrLabel(netip.AddrFrom16([16]byte(d[8:24]))))
			opts = 24
		}
	case 136:
		if n >= 24 {
			fl := uint64(be32(d[4:]))
			var names []string
			for _, x := range []struct {
				m uint64
				s string
			}{{0x80000000, "Router"}, {0x40000000, "Solicited"}, {0x20000000, "Override"}} {
				if fl&x.m != 0 {
					names = append(names, x.s)
				}
			}
			lab := fmt.Sprintf("Flags: 0x%08x", fl)
			if len(names) > 0 {
				lab += ", " + strings.Join(names, ", ")
			}
			b.Open("icmpv6.nd.na.flag", 4, 4, lab)
			b.Add("icmpv6.nd.na.flag.r", 4, 4, BoolBit(32, 0x80000000, fl, "Router"))
			b.Add("icmpv6.nd.na.flag.s", 4, 4, BoolBit(32, 0x40000000, fl, "Solicited"))
			b.Add("icmpv6.nd.na.flag.o", 4, 4, BoolBit(32, 0x20000000, fl, "Override"))
			b.Add("icmpv6.nd.na.flag.rsv", 4, 4, BitLine(32, 0x1fffffff, fl, fmt.Sprintf("Reserved: %d", fl&0x1fffffff)))
			b.Close()
			b.Add("icmpv6.nd.na.target_address", 8, 16, "Target Address: "+b.AddrLabel(netip.AddrFrom16([16]byte(d[8:24]))))
			opts = 24
		}
	case 2:
		if n >= 8 {
			b.Addf("icmpv6.mtu", 4, 4, "MTU: %d", be32(d[4:]))
		}
	case 1, 3:
		if n >= 8 {
			b.Add("icmpv6.reserved", 4, 4, "Reserved: "+HexBytes(d[4:8]))
		}
	}
	if opts > 0 {
		b.ndOptions(d, opts)
	}
	b.Close()
}

func (b *Builder) ndOptions(d []byte, off int) {
	for off+2 <= len(d) {
		t, ln := d[off], int(d[off+1])*8
		if ln == 0 || off+ln > len(d) {
			break
		}
		name := mapName(ndOptNames, t, "Unknown")
		v := d[off+2 : off+ln]
		title := "ICMPv6 Option (" + name
		switch t {
		case 1, 2:
			if len(v) >= 6 {
				title += " : " + MAC(v[:6])
			}
		case 5:
			if len(v) >= 6 {
				title += fmt.Sprintf(" : %d", be32(v[2:]))
			}
		}
		title += ")"
		b.Open("icmpv6.opt", off, ln, title)
		b.Addf("icmpv6.opt.type", off, 1, "Type: %s (%d)", name, t)
		b.Addf("icmpv6.opt.length", off+1, 1, "Length: %d (%d bytes)", ln/8, ln)
		switch t {
		case 1, 2:
			if len(v) >= 6 {
				field := "icmpv6.opt.src_linkaddr"
				if t == 2 {
					field = "icmpv6.opt.target_linkaddr"
				}
				b.Add("icmpv6.opt.linkaddr", off+2, 6, "Link-layer address: "+b.MACLabel(v[:6]))
				_ = field
			}
		case 5:
			if len(v) >= 6 {
				b.Add("icmpv6.opt.reserved", off+2, 2, "Reserved")
				b.Addf("icmpv6.opt.mtu", off+4, 4, "MTU: %d", be32(v[2:]))
			}
		}
		b.Close()
		off += ln
	}
}
