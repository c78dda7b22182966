package detail

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
)

func init() {
	Register(decode.ProtoIP, buildIPv4)
	Register(decode.ProtoIPv6, buildIPv6)
}

var ipProtos = map[uint8]string{0: "IPv6 Hop-by-Hop Option", 1: "ICMP", 2: "IGMP", 4: "IPIP", 6: "TCP", 17: "UDP", 41: "IPv6", 43: "Routing Header for IPv6",
	44: "Fragment Header for IPv6", 47: "GRE", 50: "ESP", 51: "AH", 58: "ICMPv6", 59: "No Next Header for IPv6", 60: "Destination Options for IPv6", 89: "OSPF IGP",
	103: "PIM", 112: "VRRP", 115: "Layer 2 Tunneling", 132: "SCTP", 136: "UDPLite", 137: "MPLS in IP", 8: "EGP", 9: "IGP", 33: "DCCP", 46: "RSVP", 88: "EIGRP", 94: "IPIP", 97: "Ether-IP"}

func ipProtoLabel(p uint8) string {
	return fmt.Sprintf("%s (%d)", mapName(ipProtos, p, "Unknown"), p)
}

var dscpShort = map[uint8]string{0: "CS0", 8: "CS1", 16: "CS2", 24: "CS3", 32: "CS4", 40: "CS5", 48: "CS6", 56: "CS7",
	10: "AF11", 12: "AF12", 14: "AF13", 18: "AF21", 20: "AF22", 22: "AF23", 26: "AF31", 28: "AF32", 30: "AF33",
	34: "AF41", 36: "AF42", 38: "AF43", 46: "EF", 44: "VOICE-ADMIT", 1: "LE"}
var dscpLong = map[uint8]string{0: "Default", 8: "Class Selector 1", 16: "Class Selector 2", 24: "Class Selector 3",
	32: "Class Selector 4", 40: "Class Selector 5", 48: "Class Selector 6", 56: "Class Selector 7",
	10: "Assured Forwarding 11", 12: "Assured Forwarding 12", 14: "Assured Forwarding 13", 18: "Assured Forwarding 21",
	20: "Assured Forwarding 22", 22: "Assured Forwarding 23", 26: "Assured Forwarding 31", 28: "Assured Forwarding 32",
	30: "Assured Forwarding 33", 34: "Assured Forwarding 41", 36: "Assured Forwarding 42", 38: "Assured Forwarding 43",
	46: "Expedited Forwarding", 44: "Voice Admit", 1: "Lower Effort"}
var ecnShort = [4]string{"Not-ECT", "ECT(1)", "ECT(0)", "CE"}
var ecnLong = [4]string{"Not ECN-Capable Transport", "ECN-Capable Transport codepoint '01'", "ECN-Capable Transport codepoint '10'", "Congestion Experienced"}

func dscpSummary(tos uint8) string {
	d := tos >> 2
	s, ok := dscpShort[d]
	if !ok {
		s = "Unknown"
	}
	return fmt.Sprintf("DSCP: %s, ECN: %s", s, ecnShort[tos&3])
}

func buildIPv4(b *Builder, l decode.Layer, d []byte) {
	if len(d) < 1 {
		return
	}
	n := min(l.Len, len(d))
	vhl := uint64(d[0])
	ihl := int(d[0]&0xf) * 4
	if len(d) < 20 || ihl < 20 {
		b.Open("ip", 0, n, "Internet Protocol Version 4")
		b.Add("ip.version", 0, 1, BitLine(8, 0xf0, vhl, fmt.Sprintf("Version: %d", vhl>>4)))
		b.Add("ip.hdr_len", 0, 1, BitLine(8, 0x0f, vhl, fmt.Sprintf("Header Length: %d bytes (%d)", ihl, d[0]&0xf)))
		b.Close()
		return
	}
	src := netip.AddrFrom4([4]byte(d[12:16]))
	dst := netip.AddrFrom4([4]byte(d[16:20]))
	b.Openf("ip", 0, min(n, max(ihl, n)), "Internet Protocol Version 4, Src: %s, Dst: %s", b.AddrName(src), b.AddrName(dst))
	b.Add("ip.version", 0, 1, BitLine(8, 0xf0, vhl, fmt.Sprintf("Version: %d", vhl>>4)))
	b.Add("ip.hdr_len", 0, 1, BitLine(8, 0x0f, vhl, fmt.Sprintf("Header Length: %d bytes (%d)", ihl, d[0]&0xf)))
	tos := d[1]
	b.Openf("ip.dsfield", 1, 1, "Differentiated Services Field: 0x%02x (%s)", tos, dscpSummary(tos))
	b.Add("ip.dsfield.dscp", 1, 1, BitLine(8, 0xfc, uint64(tos), fmt.Sprintf("Differentiated Services Codepoint: %s (%d)", mapName(dscpLong, tos>>2, "Unknown"), tos>>2)))
	b.Add("ip.dsfield.ecn", 1, 1, BitLine(8, 0x03, uint64(tos), fmt.Sprintf("Explicit Congestion Notification: %s (%d)", ecnLong[tos&3], tos&3)))
	b.Close()
	b.Addf("ip.len", 2, 2, "Total Length: %d", be16(d[2:]))
	id := be16(d[4:])
	b.Addf("ip.id", 4, 2, "Identification: 0x%04x (%d)", id, id)
	ff := uint64(be16(d[6:]))
	fl := uint64(d[6])
	flags := fmt.Sprintf("Flags: 0x%d", fl>>5)
	for _, x := range []struct {
		bit  uint64
		name string
	}{{0x80, "Reserved bit"}, {0x40, "Don't fragment"}, {0x20, "More fragments"}} {
		if fl&x.bit != 0 {
			flags += ", " + x.name
		}
	}
	b.Open("ip.flags", 6, 1, BitLine(8, 0xe0, fl, flags))
	b.Add("ip.flags.rb", 6, 1, BoolBit(8, 0x80, fl, "Reserved bit"))
	b.Add("ip.flags.df", 6, 1, BoolBit(8, 0x40, fl, "Don't fragment"))
	b.Add("ip.flags.mf", 6, 1, BoolBit(8, 0x20, fl, "More fragments"))
	b.Close()
	b.Add("ip.frag_offset", 6, 2, BitLine(16, 0x1fff, ff, fmt.Sprintf("Fragment Offset: %d", (ff&0x1fff)*8)))
	ttl := d[8]
	switch dst4 := dst.As4(); {
	case dst4[0] == 224 && dst4[1] == 0 && dst4[2] == 0 && ttl != 1 && d[9] != 103:
		b.Openf("ip.ttl", 8, 1, "Time to Live: %d", ttl)
		b.expert("ip.ttl.lncb", "Note", "Sequence", "\"Time To Live\" != 1 for a packet sent to the Local Network Control Block (see RFC 3171)")
		b.Close()
	case ttl < 5 && dst4[0]&0xf0 != 0xe0 && dst != netip.AddrFrom4([4]byte{255, 255, 255, 255}) && d[9] != 103 && d[9] != 112:
		b.Openf("ip.ttl", 8, 1, "Time to Live: %d", ttl)
		b.expert("ip.ttl.too_small", "Note", "Sequence", fmt.Sprintf("\"Time To Live\" only %d", ttl))
		b.Close()
	default:
		b.Addf("ip.ttl", 8, 1, "Time to Live: %d", ttl)
	}
	b.Add("ip.proto", 9, 1, "Protocol: "+ipProtoLabel(d[9]))
	b.Addf("ip.checksum", 10, 2, "Header Checksum: 0x%04x [validation disabled]", be16(d[10:]))
	b.Gen("ip.checksum.status", "Header checksum status: Unverified")
	b.Add("ip.src", 12, 4, "Source Address: "+b.AddrLabel(src))
	b.Add("ip.dst", 16, 4, "Destination Address: "+b.AddrLabel(dst))
	if ihl > 20 && ihl <= len(d) {
		b.ipv4Options(d[20:ihl])
	}
	f := b.Frame
	if l.Off >= 0 && l.Off == firstLayerOff(f, decode.ProtoIP) && !l.Reasm && (ff&0x2000 != 0 || ff&0x1fff != 0) {
		tot := int(be16(d[2:]))
		b.noteFragment(int(ff&0x1fff)*8, tot-ihl)
	}
	if l.Off == firstLayerOff(f, decode.ProtoIP) && f.IP.Reassembled && len(f.FragFrames) > 0 {
		b.fragmentTree("ip", "IPv4", len(f.Reassembled))
	}
	b.Close()
}

// fragState remembers each IP fragment's place in its datagram, for the
// fragment list of the frame that completes the reassembly.
type fragState struct {
	frags map[uint64][2]int // frame → offset, length
}

func (b *Builder) noteFragment(off, n int) {
	if b.Opts.State == nil || n < 0 {
		return
	}
	st := &b.Opts.State.frag
	if st.frags == nil || len(st.frags) > 1<<16 {
		st.frags = map[uint64][2]int{}
	}
	st.frags[b.Frame.Number] = [2]int{off, n}
}

// firstLayerOff is the offset of the frame's first layer of protocol p (-1 none).
func firstLayerOff(f *decode.Frame, p decode.Proto) int {
	if l, ok := f.Layer(p); ok {
		return l.Off
	}
	return -1
}

// fragmentTree adds "[N IPv4 Fragments (M bytes): #1(x), ...]" with a line
// per fragment (the sizes come from the fragments this State saw).
func (b *Builder) fragmentTree(p, name string, total int) {
	f := b.Frame
	var frags map[uint64][2]int
	if b.Opts.State != nil {
		frags = b.Opts.State.frag.frags
	}
	var sb strings.Builder
	for i, fr := range f.FragFrames {
		if i > 0 {
			sb.WriteString(", ")
		}
		if x, ok := frags[fr]; ok {
			fmt.Fprintf(&sb, "#%d(%d)", fr, x[1])
		} else {
			fmt.Fprintf(&sb, "#%d", fr)
		}
	}
	b.Open(p+".fragments", -1, 0, "["+truncLabel(fmt.Sprintf("%d %s Fragments (%d bytes): %s", len(f.FragFrames), name, total, sb.String()), 0)+"]")
	for _, fr := range f.FragFrames {
		if x, ok := frags[fr]; ok {
			b.Gen(p+".fragment", "Frame: %d, payload: %d-%d (%s)", fr, x[0], x[0]+x[1]-1, Plural(x[1], "byte"))
		} else {
			b.Gen(p+".fragment", "Frame: %d", fr)
		}
	}
	b.Gen(p+".fragment.count", "Fragment count: %d", len(f.FragFrames))
	b.Gen(p+".reassembled.length", "Reassembled %s length: %d", name, total)
	if p == "ipv6" {
		b.Gen(p+".reassembled.data", "Reassembled IPv6 data: %s", BytesLabel(f.Reassembled))
	}
	b.Close()
}

var ipOptNames = map[uint8]string{0: "End of Options List (EOL)", 1: "No Operation (NOP)", 7: "Record Route", 68: "Time Stamp", 130: "Security", 131: "Loose Source Route", 137: "Strict Source Route", 148: "Router Alert", 136: "Stream ID"}

func (b *Builder) ipv4Options(o []byte) {
	var names []string
	for i := 0; i < len(o); {
		k := o[i]
		names = append(names, mapName(ipOptNames, k, fmt.Sprintf("Unknown (0x%02x)", k)))
		if k == 0 {
			break
		}
		if k == 1 {
			i++
			continue
		}
		if i+1 >= len(o) || o[i+1] < 2 {
			break
		}
		i += int(o[i+1])
	}
	b.Openf("", 20, len(o), "Options: (%d bytes), %s", len(o), strings.Join(names, ", "))
	for i := 0; i < len(o); {
		k := o[i]
		name := mapName(ipOptNames, k, fmt.Sprintf("Unknown (0x%02x)", k))
		ln := 1
		if k > 1 && i+1 < len(o) {
			ln = int(o[i+1])
		}
		if ln < 1 || i+ln > len(o) {
			ln = len(o) - i
		}
		b.Openf("ip.opt.type", i+20, ln, "IP Option - %s", name)
		t := uint64(k)
		b.Openf("ip.opt.type", i+20, 1, "Type: %d", k)
		b.Add("ip.opt.type.copy", i+20, 1, BitLine(8, 0x80, t, "Copy on fragmentation: "+map[bool]string{true: "Yes", false: "No"}[t&0x80 != 0]))
		b.Add("ip.opt.type.class", i+20, 1, BitLine(8, 0x60, t, fmt.Sprintf("Class: %s (%d)", [4]string{"Control", "Reserved for future use", "Debugging and measurement", "Reserved for future use"}[(t>>5)&3], (t>>5)&3)))
		b.Add("ip.opt.type.number", i+20, 1, BitLine(8, 0x1f, t, fmt.Sprintf("Number: %s (%d)", name, t&0x1f)))
		b.Close()
		if k > 1 {
			b.Addf("ip.opt.len", i+21, 1, "Length: %d", ln)
		}
		b.Close()
		if k == 0 {
			break
		}
		i += ln
	}
	b.Close()
}

var ip6ExtNames = map[uint8]string{0: "IPv6 Hop-by-Hop Option", 43: "Routing Header for IPv6", 44: "Fragment Header for IPv6", 60: "Destination Options for IPv6", 51: "Authentication Header"}

func buildIPv6(b *Builder, l decode.Layer, d []byte) {
	if len(d) < 40 {
		return
	}
	n := min(l.Len, len(d))
	src := netip.AddrFrom16([16]byte(d[8:24]))
	dst := netip.AddrFrom16([16]byte(d[24:40]))
	w := uint64(be32(d))
	b.Openf("ipv6", 0, n, "Internet Protocol Version 6, Src: %s, Dst: %s", b.AddrName(src), b.AddrName(dst))
	b.Add("ipv6.version", 0, 1, BitLine(8, 0xf0, w>>24, fmt.Sprintf("Version: %d", w>>28)))
	tc := uint8(w >> 20)
	b.Open("ipv6.tclass", 0, 4, BitLine(32, 0x0ff00000, w, fmt.Sprintf("Traffic Class: 0x%02x (%s)", tc, dscpSummary(tc))))
	b.Add("ipv6.tclass.dscp", 0, 4, BitLine(32, 0x0fc00000, w, fmt.Sprintf("Differentiated Services Codepoint: %s (%d)", mapName(dscpLong, tc>>2, "Unknown"), tc>>2)))
	b.Add("ipv6.tclass.ecn", 0, 4, BitLine(32, 0x00300000, w, fmt.Sprintf("Explicit Congestion Notification: %s (%d)", ecnLong[tc&3], tc&3)))
	b.Close()
	b.Add("ipv6.flow", 1, 3, BitLine(24, 0x0fffff, w&0xffffff, fmt.Sprintf("Flow Label: 0x%05x", w&0xfffff)))
	b.Addf("ipv6.plen", 4, 2, "Payload Length: %d", be16(d[4:]))
	b.Add("ipv6.nxt", 6, 1, "Next Header: "+ipProtoLabel(d[6]))
	b.Addf("ipv6.hlim", 7, 1, "Hop Limit: %d", d[7])
	b.Add("ipv6.src", 8, 16, "Source Address: "+b.AddrLabel(src))
	b.Add("ipv6.dst", 24, 16, "Destination Address: "+b.AddrLabel(dst))
	// Extension headers.
	nh := d[6]
	off := 40
	for i := 0; i < 8 && off < n; i++ {
		switch nh {
		case 0, 43, 60:
			if off+2 > len(d) {
				break
			}
			hl := (int(d[off+1]) + 1) * 8
			field := map[uint8]string{0: "ipv6.hopopts", 43: "ipv6.routing", 60: "ipv6.dstopts"}[nh]
			b.Openf(field, off, hl, "%s", ip6ExtNames[nh])
			b.Add("ipv6."+map[uint8]string{0: "hopopts", 43: "routing", 60: "dstopts"}[nh]+".nxt", off, 1, "Next Header: "+ipProtoLabel(d[off]))
			b.Addf("", off+1, 1, "Length: %d", d[off+1])
			b.Gen("", "Length: %d bytes", hl)
			b.Close()
			nh = d[off]
			off += hl
			continue
		case 44:
			if off+8 > len(d) {
				break
			}
			fo := uint64(be16(d[off+2:]))
			b.Open("ipv6.fraghdr", off, 8, "Fragment Header for IPv6")
			b.Add("ipv6.fraghdr.nxt", off, 1, "Next header: "+ipProtoLabel(d[off]))
			b.Addf("ipv6.fraghdr.reserved_octet", off+1, 1, "Reserved octet: 0x%02x", d[off+1])
			b.Add("ipv6.fraghdr.offset", off+2, 2, BitLine(16, 0xfff8, fo, fmt.Sprintf("Offset: %d (%d bytes)", fo>>3, fo&^7)))
			b.Add("ipv6.fraghdr.reserved_bits", off+2, 2, BitLine(16, 0x0006, fo, fmt.Sprintf("Reserved bits: %d", (fo>>1)&3)))
			b.Add("ipv6.fraghdr.more", off+2, 2, BitLine(16, 0x0001, fo, "More Fragments: "+map[bool]string{true: "Yes", false: "No"}[fo&1 != 0]))
			b.Addf("ipv6.fraghdr.ident", off+4, 4, "Identification: 0x%08x", be32(d[off+4:]))
			b.Close()
			if l.Off == firstLayerOff(b.Frame, decode.ProtoIPv6) && !l.Reasm {
				b.noteFragment(int(fo&^7), int(be16(d[4:]))+40-(off+8))
			}
			nh = d[off]
			off += 8
			continue
		}
		break
	}
	f := b.Frame
	if l.Off == firstLayerOff(f, decode.ProtoIPv6) && f.IPv6.Reassembled && len(f.FragFrames) > 0 {
		b.fragmentTree("ipv6", "IPv6", len(f.Reassembled))
	}
	b.Close()
}
