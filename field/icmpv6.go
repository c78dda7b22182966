package field

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

func hasICMP6(f *decode.Frame) bool { return f.Has(decode.ProtoICMPv6) }

func icmp6Type(f *decode.Frame, types ...uint8) bool {
	if !hasICMP6(f) {
		return false
	}
	for _, t := range types {
		if f.ICMP6.Type == t {
			return true
		}
	}
	return false
}

func icmp6LL(name string, want int) Field {
	fl := bytesField(name, FTBytes, decode.ProtoICMPv6, func(f *decode.Frame) ([]byte, bool) {
		c := &f.ICMP6
		ok := hasICMP6(f) && c.HasLinkAddr && (want == 0 || (want == 1) == c.LinkAddrSrc)
		return c.LinkAddr[:], ok
	})
	fl.Base = BaseSepColon
	return fl
}

// icmpv6.*: ICMPv6, echo and neighbour discovery.
var icmpv6Fields = []Field{
	uintField("icmpv6.type", FTUint8, BaseDec, decode.ProtoICMPv6, func(f *decode.Frame) (uint64, bool) { return uint64(f.ICMP6.Type), hasICMP6(f) }),
	uintField("icmpv6.code", FTUint8, BaseDec, decode.ProtoICMPv6, func(f *decode.Frame) (uint64, bool) { return uint64(f.ICMP6.Code), hasICMP6(f) }),
	uintField("icmpv6.checksum", FTUint16, BaseHex, decode.ProtoICMPv6, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.ICMP6.Checksum), hasICMP6(f)
	}),
	uintField("icmpv6.echo.identifier", FTUint16, BaseHex, decode.ProtoICMPv6, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.ICMP6.ID), icmp6Type(f, 128, 129)
	}),
	uintField("icmpv6.echo.sequence_number", FTUint16, BaseDec, decode.ProtoICMPv6, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.ICMP6.Seq), icmp6Type(f, 128, 129)
	}),
	uintField("icmpv6.mtu", FTUint32, BaseDec, decode.ProtoICMPv6, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.ICMP6.MTU), icmp6Type(f, 2)
	}),
	addrField("icmpv6.nd.ns.target_address", FTIPv6, decode.ProtoICMPv6, func(f *decode.Frame) (netip.Addr, bool) {
		return f.ICMP6.NDTarget, icmp6Type(f, 135) && f.ICMP6.NDTarget.IsValid()
	}),
	addrField("icmpv6.nd.na.target_address", FTIPv6, decode.ProtoICMPv6, func(f *decode.Frame) (netip.Addr, bool) {
		return f.ICMP6.NDTarget, icmp6Type(f, 136) && f.ICMP6.NDTarget.IsValid()
	}),
	uintField("icmpv6.nd.na.flag", FTUint32, BaseHex, decode.ProtoICMPv6, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.ICMP6.NDFlags), icmp6Type(f, 136)
	}),
	boolField("icmpv6.nd.na.flag.r", 0x80000000, decode.ProtoICMPv6, func(f *decode.Frame) (bool, bool) {
		return f.ICMP6.NDFlags&0x80000000 != 0, icmp6Type(f, 136)
	}),
	boolField("icmpv6.nd.na.flag.s", 0x40000000, decode.ProtoICMPv6, func(f *decode.Frame) (bool, bool) {
		return f.ICMP6.NDFlags&0x40000000 != 0, icmp6Type(f, 136)
	}),
	boolField("icmpv6.nd.na.flag.o", 0x20000000, decode.ProtoICMPv6, func(f *decode.Frame) (bool, bool) {
		return f.ICMP6.NDFlags&0x20000000 != 0, icmp6Type(f, 136)
	}),
	uintField("icmpv6.nd.ra.cur_hop_limit", FTUint8, BaseDec, decode.ProtoICMPv6, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.ICMP6.HopLimit), icmp6Type(f, 134)
	}),
	uintField("icmpv6.nd.ra.flag", FTUint8, BaseHex, decode.ProtoICMPv6, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.ICMP6.NDFlags), icmp6Type(f, 134)
	}),
	uintField("icmpv6.nd.ra.router_lifetime", FTUint16, BaseDec, decode.ProtoICMPv6, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.ICMP6.RouterLifetime), icmp6Type(f, 134)
	}),
	icmp6LL("icmpv6.opt.linkaddr", 0),
	icmp6LL("icmpv6.opt.src_linkaddr", 1),
	icmp6LL("icmpv6.opt.target_linkaddr", 2),
}
