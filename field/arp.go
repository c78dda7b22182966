package field

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

func hasARP(f *decode.Frame) bool { return f.Has(decode.ProtoARP) }

func arpEth(f *decode.Frame) bool { return hasARP(f) && f.ARP.HWSize == 6 && f.ARP.SenderIP.IsValid() }

// arp.*: ARP for Ethernet/IPv4 (the header fields for any hardware).
var arpFields = []Field{
	uintField("arp.hw.type", FTUint16, BaseDec, decode.ProtoARP, func(f *decode.Frame) (uint64, bool) { return uint64(f.ARP.HWType), hasARP(f) }),
	uintField("arp.proto.type", FTUint16, BaseHex, decode.ProtoARP, func(f *decode.Frame) (uint64, bool) { return uint64(f.ARP.ProtoType), hasARP(f) }),
	uintField("arp.hw.size", FTUint8, BaseDec, decode.ProtoARP, func(f *decode.Frame) (uint64, bool) { return uint64(f.ARP.HWSize), hasARP(f) }),
	uintField("arp.proto.size", FTUint8, BaseDec, decode.ProtoARP, func(f *decode.Frame) (uint64, bool) { return uint64(f.ARP.ProtoSize), hasARP(f) }),
	uintField("arp.opcode", FTUint16, BaseDec, decode.ProtoARP, func(f *decode.Frame) (uint64, bool) { return uint64(f.ARP.Opcode), hasARP(f) }),
	// Wireshark adds these three only when they hold.
	boolField("arp.isgratuitous", 0, decode.ProtoARP, func(f *decode.Frame) (bool, bool) {
		return true, arpEth(f) && f.ARP.SenderIP == f.ARP.TargetIP
	}),
	boolField("arp.isprobe", 0, decode.ProtoARP, func(f *decode.Frame) (bool, bool) {
		return true, arpEth(f) && f.ARP.Opcode == 1 && f.ARP.SenderIP.IsUnspecified() && f.ARP.TargetMAC == [6]byte{}
	}),
	boolField("arp.isannouncement", 0, decode.ProtoARP, func(f *decode.Frame) (bool, bool) {
		return true, arpEth(f) && f.ARP.Opcode == 1 && f.ARP.SenderIP == f.ARP.TargetIP && f.ARP.TargetMAC == [6]byte{}
	}),
	bytesField("arp.src.hw_mac", FTEther, decode.ProtoARP, func(f *decode.Frame) ([]byte, bool) {
		return f.ARP.SenderMAC[:], hasARP(f) && f.ARP.HWSize == 6 && f.ARP.SenderIP.IsValid()
	}),
	addrField("arp.src.proto_ipv4", FTIPv4, decode.ProtoARP, func(f *decode.Frame) (netip.Addr, bool) {
		return f.ARP.SenderIP, hasARP(f) && f.ARP.SenderIP.IsValid()
	}),
	bytesField("arp.dst.hw_mac", FTEther, decode.ProtoARP, func(f *decode.Frame) ([]byte, bool) {
		return f.ARP.TargetMAC[:], hasARP(f) && f.ARP.HWSize == 6 && f.ARP.TargetIP.IsValid()
	}),
	addrField("arp.dst.proto_ipv4", FTIPv4, decode.ProtoARP, func(f *decode.Frame) (netip.Addr, bool) {
		return f.ARP.TargetIP, hasARP(f) && f.ARP.TargetIP.IsValid()
	}),
}
