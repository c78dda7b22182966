package field

import "github.com/wirewatch/wirewatch/decode"

func hasIPv6(f *decode.Frame) bool { return f.Has(decode.ProtoIPv6) }

// eachIPv6 calls fn with every IPv6 header of f in frame order (a tunnel
// has several: decode.Frame.Repeated; extension headers only in f.IPv6).
func eachIPv6(f *decode.Frame, fn func(ip *decode.IPv6)) {
	if !f.Repeated.Has(decode.ProtoIPv6) {
		fn(&f.IPv6)
		return
	}
	for _, l := range f.Layers {
		if l.Proto == decode.ProtoIPv6 {
			if ip, ok := decode.ParseIPv6(f.LayerBytes(l)); ok {
				fn(&ip)
			}
		}
	}
}

// ip6Uint lists every IPv6 header's value in frame order.
func ip6Uint(name string, t Type, base Base, mask uint64, get func(ip *decode.IPv6) uint64) Field {
	return Field{Name: name, Type: t, Base: base, Bitmask: mask, Proto: decode.ProtoIPv6,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if hasIPv6(f) {
				eachIPv6(f, func(ip *decode.IPv6) { dst = append(dst, Value{U: get(ip)}) })
			}
			return dst
		}}
}

func icmpInner6(f *decode.Frame) bool { return f.Has(decode.ProtoICMPv6) && f.ICMP6.HasInner }

// ip6AddrField is ipv6.src, ipv6.dst or ipv6.addr: every IPv6 header's in
// frame order, then those of the header quoted in an ICMPv6 error.
func ip6AddrField(name string, src, dst bool) Field {
	return Field{Name: name, Type: FTIPv6, Proto: decode.ProtoIPv6,
		Get: func(f *decode.Frame, out []Value) []Value {
			if !hasIPv6(f) {
				return out
			}
			eachIPv6(f, func(ip *decode.IPv6) {
				if src {
					out = append(out, Value{A: ip.Src})
				}
				if dst {
					out = append(out, Value{A: ip.Dst})
				}
			})
			if icmpInner6(f) {
				if src {
					out = append(out, Value{A: f.ICMP6.InnerSrc})
				}
				if dst {
					out = append(out, Value{A: f.ICMP6.InnerDst})
				}
			}
			return out
		}}
}

func frag6(f *decode.Frame) bool { return hasIPv6(f) && f.IPv6.HasFrag }

// ipv6.*: the IPv6 header (the first one in the frame) and its fragment header.
var ipv6Fields = []Field{
	ip6Uint("ipv6.version", FTUint8, BaseDec, 0, func(ip *decode.IPv6) uint64 { return 6 }),
	ip6Uint("ipv6.tclass", FTUint32, BaseHex, 0x0ff00000, func(ip *decode.IPv6) uint64 { return uint64(ip.TrafficClass) }),
	ip6Uint("ipv6.tclass.dscp", FTUint32, BaseDec, 0x0fc00000, func(ip *decode.IPv6) uint64 { return uint64(ip.TrafficClass >> 2) }),
	ip6Uint("ipv6.tclass.ecn", FTUint32, BaseDec, 0x00300000, func(ip *decode.IPv6) uint64 { return uint64(ip.TrafficClass & 3) }),
	ip6Uint("ipv6.flow", FTUint24, BaseHex, 0xfffff, func(ip *decode.IPv6) uint64 { return uint64(ip.FlowLabel) }),
	ip6Uint("ipv6.plen", FTUint16, BaseDec, 0, func(ip *decode.IPv6) uint64 { return uint64(ip.PayloadLen) }),
	ip6Uint("ipv6.nxt", FTUint8, BaseDec, 0, func(ip *decode.IPv6) uint64 { return uint64(ip.NextHeader) }),
	ip6Uint("ipv6.hlim", FTUint8, BaseDec, 0, func(ip *decode.IPv6) uint64 { return uint64(ip.HopLimit) }),
	ip6AddrField("ipv6.src", true, false),
	ip6AddrField("ipv6.dst", false, true),
	ip6AddrField("ipv6.addr", true, true),
	uintField("ipv6.fraghdr.nxt", FTUint8, BaseDec, decode.ProtoIPv6, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.IPv6.Proto), frag6(f)
	}),
	{Name: "ipv6.fraghdr.offset", Type: FTUint16, Base: BaseDec, Bitmask: 0xfff8, Proto: decode.ProtoIPv6,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if frag6(f) {
				dst = append(dst, Value{U: uint64(f.IPv6.FragOffset)})
			}
			return dst
		}},
	boolField("ipv6.fraghdr.more", 1, decode.ProtoIPv6, func(f *decode.Frame) (bool, bool) { return f.IPv6.MoreFrags, frag6(f) }),
	uintField("ipv6.fraghdr.ident", FTUint32, BaseHex, decode.ProtoIPv6, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.IPv6.FragID), frag6(f)
	}),
}

// fragField lists the frames whose fragments were reassembled into this one.
func fragField(name string, p decode.Proto) Field {
	return Field{Name: name, Type: FTFrameNum, Proto: p,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !reasmBy(f, p) {
				return dst
			}
			for _, n := range f.FragFrames {
				dst = append(dst, Value{U: n})
			}
			return dst
		}}
}

func reasmBy(f *decode.Frame, p decode.Proto) bool {
	if len(f.FragFrames) == 0 {
		return false
	}
	if p == decode.ProtoIP {
		return f.Has(decode.ProtoIP) && f.IP.Reassembled
	}
	return f.Has(decode.ProtoIPv6) && f.IPv6.Reassembled
}

// fragmentFields: IP reassembly results, on the frame that completed the datagram.
var fragmentFields = []Field{
	fragField("ip.fragment", decode.ProtoIP),
	fragField("ipv6.fragment", decode.ProtoIPv6),
	uintField("ip.fragment.count", FTUint32, BaseDec, decode.ProtoIP, func(f *decode.Frame) (uint64, bool) {
		return uint64(len(f.FragFrames)), reasmBy(f, decode.ProtoIP)
	}),
	uintField("ipv6.fragment.count", FTUint32, BaseDec, decode.ProtoIPv6, func(f *decode.Frame) (uint64, bool) {
		return uint64(len(f.FragFrames)), reasmBy(f, decode.ProtoIPv6)
	}),
	uintField("ip.reassembled.length", FTUint32, BaseDec, decode.ProtoIP, func(f *decode.Frame) (uint64, bool) {
		return uint64(len(f.Reassembled)), reasmBy(f, decode.ProtoIP)
	}),
	uintField("ipv6.reassembled.length", FTUint32, BaseDec, decode.ProtoIPv6, func(f *decode.Frame) (uint64, bool) {
		return uint64(len(f.Reassembled)), reasmBy(f, decode.ProtoIPv6)
	}),
}

// ipv6Ext is a protocol-valued field present when the IPv6 header chain has
// an extension header of type t (its value carries no bytes).
func ipv6Ext(name string, t uint8) Field {
	return Field{Name: name, Type: FTProtocol, Proto: decode.ProtoIPv6,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !hasIPv6(f) {
				return dst
			}
			for _, e := range f.IPv6.Ext[:f.IPv6.NExt] {
				if e == t {
					dst = append(dst, Value{})
				}
			}
			return dst
		}}
}

// ipv6ExtFields: the extension headers as Wireshark's protocol names.
var ipv6ExtFields = []Field{
	ipv6Ext("ipv6.hopopts", 0),
	ipv6Ext("ipv6.routing", 43),
	ipv6Ext("ipv6.fraghdr", 44),
	ipv6Ext("ipv6.dstopts", 60),
}
