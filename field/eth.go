package field

import "github.com/wirewatch/wirewatch/decode"

func hasEth(f *decode.Frame) bool { return f.Has(decode.ProtoEth) }

func ethBit(name string, mask uint64, src, dst bool, bit byte) Field {
	return Field{Name: name, Type: FTBoolean, Bitmask: mask, Proto: decode.ProtoEth,
		Get: func(f *decode.Frame, out []Value) []Value {
			if !hasEth(f) {
				return out
			}
			if dst {
				out = append(out, Value{U: b2u(f.Eth.Dst[0]&bit != 0)})
			}
			if src {
				out = append(out, Value{U: b2u(f.Eth.Src[0]&bit != 0)})
			}
			return out
		}}
}

func ethOUI(name string, src, dst bool) Field {
	return Field{Name: name, Type: FTUint24, Base: BaseDec, Proto: decode.ProtoEth,
		Get: func(f *decode.Frame, out []Value) []Value {
			if !hasEth(f) {
				return out
			}
			if dst {
				out = append(out, Value{U: uint64(f.Eth.Dst[0])<<16 | uint64(f.Eth.Dst[1])<<8 | uint64(f.Eth.Dst[2])})
			}
			if src {
				out = append(out, Value{U: uint64(f.Eth.Src[0])<<16 | uint64(f.Eth.Src[1])<<8 | uint64(f.Eth.Src[2])})
			}
			return out
		}}
}

// eth.*: Ethernet II / 802.3 header.
var ethFields = []Field{
	bytesField("eth.dst", FTEther, decode.ProtoEth, func(f *decode.Frame) ([]byte, bool) { return f.Eth.Dst[:], hasEth(f) }),
	bytesField("eth.src", FTEther, decode.ProtoEth, func(f *decode.Frame) ([]byte, bool) { return f.Eth.Src[:], hasEth(f) }),
	{Name: "eth.addr", Type: FTEther, Proto: decode.ProtoEth,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if hasEth(f) {
				dst = append(dst, Value{B: f.Eth.Dst[:]}, Value{B: f.Eth.Src[:]})
			}
			return dst
		}},
	uintField("eth.type", FTUint16, BaseHex, decode.ProtoEth, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.Eth.Type), hasEth(f) && f.Eth.Type > 1500
	}),
	uintField("eth.len", FTUint16, BaseDec, decode.ProtoEth, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.Eth.Type), hasEth(f) && f.Eth.Type <= 1500
	}),
	ethOUI("eth.dst.oui", false, true),
	ethOUI("eth.src.oui", true, false),
	ethOUI("eth.addr.oui", true, true),
	ethBit("eth.dst.lg", 0x20000, false, true, 2),
	ethBit("eth.dst.ig", 0x10000, false, true, 1),
	ethBit("eth.src.lg", 0x20000, true, false, 2),
	ethBit("eth.src.ig", 0x10000, true, false, 1),
	ethBit("eth.lg", 0x20000, true, true, 2),
	ethBit("eth.ig", 0x10000, true, true, 1),
}

// llc.*: 802.2 LLC and SNAP.
var llcFields = []Field{
	uintField("llc.dsap", FTUint8, BaseHex, decode.ProtoLLC, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.Eth.DSAP), f.Has(decode.ProtoLLC)
	}),
	uintField("llc.ssap", FTUint8, BaseHex, decode.ProtoLLC, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.Eth.SSAP), f.Has(decode.ProtoLLC)
	}),
	uintField("llc.control", FTUint16, BaseHex, decode.ProtoLLC, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.Eth.Control), f.Has(decode.ProtoLLC)
	}),
	uintField("llc.oui", FTUint24, BaseDec, decode.ProtoLLC, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.Eth.SNAPOUI), f.Has(decode.ProtoLLC) && f.Eth.HasSNAP
	}),
	uintField("llc.type", FTUint16, BaseHex, decode.ProtoLLC, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.Eth.SNAPType), f.Has(decode.ProtoLLC) && f.Eth.HasSNAP && f.Eth.SNAPOUI == 0
	}),
}

// sll.* and null.*: Linux cooked and BSD loopback headers.
var sllFields = []Field{
	uintField("sll.pkttype", FTUint16, BaseDec, decode.ProtoSLL, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.SLL.PktType), f.Has(decode.ProtoSLL)
	}),
	uintField("sll.hatype", FTUint16, BaseDec, decode.ProtoSLL, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.SLL.HAType), f.Has(decode.ProtoSLL)
	}),
	uintField("sll.halen", FTUint16, BaseDec, decode.ProtoSLL, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.SLL.AddrLen), f.Has(decode.ProtoSLL)
	}),
	bytesField("sll.src.eth", FTEther, decode.ProtoSLL, func(f *decode.Frame) ([]byte, bool) {
		return f.SLL.Addr[:6], f.Has(decode.ProtoSLL) && f.SLL.AddrLen == 6
	}),
	uintField("sll.etype", FTUint16, BaseHex, decode.ProtoSLL, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.SLL.Protocol), f.Has(decode.ProtoSLL) && f.SLL.Protocol > 1500
	}),
	uintField("sll.ltype", FTUint16, BaseHex, decode.ProtoSLL, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.SLL.Protocol), f.Has(decode.ProtoSLL) && f.SLL.Protocol <= 1500
	}),
	uintField("sll.ifindex", FTUint32, BaseDec, decode.ProtoSLL, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.SLL.IfIndex), f.Has(decode.ProtoSLL) && f.SLL.Version == 2
	}),
	uintField("null.family", FTUint32, BaseDec, decode.ProtoNull, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.Null), f.Has(decode.ProtoNull) && f.Null != 0 // 0: an EtherType followed instead
	}),
}
