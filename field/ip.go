package field

import "github.com/wirewatch/wirewatch/decode"

// hasIP reports a usable IPv4 header (one with a bogus length shows only ip.version and ip.hdr_len).
func hasIP(f *decode.Frame) bool { return f.Has(decode.ProtoIP) && !f.IP.Bogus }

// eachIPv4 calls fn with every IPv4 header of f in frame order (a tunnel
// has several: decode.Frame.Repeated), bogus ones included.
func eachIPv4(f *decode.Frame, fn func(ip *decode.IPv4)) {
	if !f.Repeated.Has(decode.ProtoIP) {
		fn(&f.IP)
		return
	}
	for _, l := range f.Layers {
		if l.Proto == decode.ProtoIP {
			if ip, ok := decode.ParseIPv4(f.LayerBytes(l)); ok {
				fn(&ip)
			}
		}
	}
}

// ipUint lists every IPv4 header's value in frame order, then the one of
// an IPv4 header quoted in an ICMP error.
func ipUint(name string, t Type, base Base, mask uint64, get func(ip *decode.IPv4) uint64) Field {
	return Field{Name: name, Type: t, Base: base, Bitmask: mask, Proto: decode.ProtoIP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !hasIP(f) {
				return dst
			}
			eachIPv4(f, func(ip *decode.IPv4) {
				if !ip.Bogus {
					dst = append(dst, Value{U: get(ip)})
				}
			})
			if icmpInner4(f) {
				dst = append(dst, Value{U: get(&f.ICMP.InnerIP)})
			}
			return dst
		}}
}

func ipBool(name string, mask uint64, get func(ip *decode.IPv4) bool) Field {
	fl := ipUint(name, FTBoolean, BaseNone, mask, func(ip *decode.IPv4) uint64 { return b2u(get(ip)) })
	return fl
}

// icmpInner4 reports whether the frame quotes an IPv4 header inside an ICMP error.
func icmpInner4(f *decode.Frame) bool { return f.Has(decode.ProtoICMP) && f.ICMP.HasInner }

// ipAddrField is ip.src, ip.dst or ip.addr: every IPv4 header's in frame
// order, then those of the header quoted in an ICMP error.
func ipAddrField(name string, src, dst bool) Field {
	return Field{Name: name, Type: FTIPv4, Proto: decode.ProtoIP,
		Get: func(f *decode.Frame, out []Value) []Value {
			if !hasIP(f) {
				return out
			}
			eachIPv4(f, func(ip *decode.IPv4) {
				if ip.Bogus {
					return
				}
				if src {
					out = append(out, Value{A: ip.Src})
				}
				if dst {
					out = append(out, Value{A: ip.Dst})
				}
			})
			if icmpInner4(f) {
				if src {
					out = append(out, Value{A: f.ICMP.InnerSrc})
				}
				if dst {
					out = append(out, Value{A: f.ICMP.InnerDst})
				}
			}
			return out
		}}
}

// ip.*: the IPv4 header (the first one in the frame).
var ipFields = []Field{
	// ip.version appears for IPv6 headers too (Wireshark's IPv6 dissector adds it).
	{Name: "ip.version", Type: FTUint8, Base: BaseDec, Proto: decode.ProtoIP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !f.Has(decode.ProtoIP) && !f.Has(decode.ProtoIPv6) {
				return dst
			}
			for _, l := range f.Layers {
				switch l.Proto {
				case decode.ProtoIP:
					dst = append(dst, Value{U: 4})
				case decode.ProtoIPv6:
					dst = append(dst, Value{U: 6})
				}
			}
			if icmpInner4(f) {
				dst = append(dst, Value{U: 4})
			}
			return dst
		}},
	{Name: "ip.hdr_len", Type: FTUint8, Base: BaseDec, Proto: decode.ProtoIP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !f.Has(decode.ProtoIP) {
				return dst
			}
			eachIPv4(f, func(ip *decode.IPv4) { dst = append(dst, Value{U: uint64(ip.IHL) * 4}) })
			if icmpInner4(f) {
				dst = append(dst, Value{U: uint64(f.ICMP.InnerIP.IHL) * 4})
			}
			return dst
		}},
	ipUint("ip.dsfield", FTUint8, BaseHex, 0, func(ip *decode.IPv4) uint64 { return uint64(ip.TOS) }),
	ipUint("ip.dsfield.dscp", FTUint8, BaseDec, 0xfc, func(ip *decode.IPv4) uint64 { return uint64(ip.TOS >> 2) }),
	ipUint("ip.dsfield.ecn", FTUint8, BaseDec, 0x03, func(ip *decode.IPv4) uint64 { return uint64(ip.TOS & 3) }),
	ipUint("ip.len", FTUint16, BaseDec, 0, func(ip *decode.IPv4) uint64 { return uint64(ip.TotalLen) }),
	ipUint("ip.id", FTUint16, BaseHexDec, 0, func(ip *decode.IPv4) uint64 { return uint64(ip.ID) }),
	ipUint("ip.flags", FTUint8, BaseHex, 0xe0, func(ip *decode.IPv4) uint64 { return uint64(ip.Flags) }),
	ipBool("ip.flags.rb", 0x80, func(ip *decode.IPv4) bool { return ip.Flags&4 != 0 }),
	ipBool("ip.flags.df", 0x40, func(ip *decode.IPv4) bool { return ip.Flags&2 != 0 }),
	ipBool("ip.flags.mf", 0x20, func(ip *decode.IPv4) bool { return ip.Flags&1 != 0 }),
	ipUint("ip.frag_offset", FTUint16, BaseDec, 0x1fff, func(ip *decode.IPv4) uint64 { return uint64(ip.FragOffset) }),
	ipUint("ip.ttl", FTUint8, BaseDec, 0, func(ip *decode.IPv4) uint64 { return uint64(ip.TTL) }),
	ipUint("ip.proto", FTUint8, BaseDec, 0, func(ip *decode.IPv4) uint64 { return uint64(ip.Protocol) }),
	ipUint("ip.checksum", FTUint16, BaseHex, 0, func(ip *decode.IPv4) uint64 { return uint64(ip.Checksum) }),
	ipAddrField("ip.src", true, false),
	ipAddrField("ip.dst", false, true),
	ipAddrField("ip.addr", true, true),
}
