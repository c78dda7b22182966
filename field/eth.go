package field

import "github.com/wirewatch/wirewatch/decode"

func hasEth(f *decode.Frame) bool { return f.Has(decode.ProtoEth) }

// eachEth calls fn with every Ethernet header of f in frame order (a tunnel
// carrying Ethernet has several: decode.Frame.Repeated).
func eachEth(f *decode.Frame, fn func(e *decode.Ethernet)) {
	if !hasEth(f) {
		return
	}
	if !f.Repeated.Has(decode.ProtoEth) {
		fn(&f.Eth)
		return
	}
	for _, l := range f.Layers {
		if l.Proto == decode.ProtoEth {
			if e, ok := decode.ParseEthernet(f.LayerBytes(l)); ok {
				fn(&e)
			}
		}
	}
}

// eachLLC calls fn with every 802.2 LLC header of f in frame order (in the
// LLC part of an Ethernet).
func eachLLC(f *decode.Frame, fn func(e *decode.Ethernet)) {
	if !f.Has(decode.ProtoLLC) {
		return
	}
	if !f.Repeated.Has(decode.ProtoLLC) && !f.Repeated.Has(decode.ProtoEth) {
		fn(&f.Eth)
		return
	}
	for _, l := range f.Layers {
		if l.Proto == decode.ProtoLLC {
			if e, ok := decode.ParseLLC(f.LayerBytes(l)); ok {
				fn(&e)
			}
		}
	}
}

// ethField lists a value of every Ethernet header for which get is ok.
func ethField(name string, t Type, base Base, get func(e *decode.Ethernet) (uint64, bool)) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoEth,
		Get: func(f *decode.Frame, out []Value) []Value {
			eachEth(f, func(e *decode.Ethernet) {
				if v, ok := get(e); ok {
					out = append(out, Value{U: v})
				}
			})
			return out
		}}
}

// ethAddr is eth.dst, eth.src or eth.addr (destination first, as Wireshark).
// The values alias the frame when there is one header, else the bytes of
// each Ethernet layer.
func ethAddr(name string, src, dst bool) Field {
	return Field{Name: name, Type: FTEther, Proto: decode.ProtoEth,
		Get: func(f *decode.Frame, out []Value) []Value {
			if !hasEth(f) {
				return out
			}
			if !f.Repeated.Has(decode.ProtoEth) {
				if dst {
					out = append(out, Value{B: f.Eth.Dst[:]})
				}
				if src {
					out = append(out, Value{B: f.Eth.Src[:]})
				}
				return out
			}
			for _, l := range f.Layers {
				if b := f.LayerBytes(l); l.Proto == decode.ProtoEth && len(b) >= 14 {
					if dst {
						out = append(out, Value{B: b[0:6]})
					}
					if src {
						out = append(out, Value{B: b[6:12]})
					}
				}
			}
			return out
		}}
}

func ethBit(name string, mask uint64, src, dst bool, bit byte) Field {
	return Field{Name: name, Type: FTBoolean, Bitmask: mask, Proto: decode.ProtoEth,
		Get: func(f *decode.Frame, out []Value) []Value {
			eachEth(f, func(e *decode.Ethernet) {
				if dst {
					out = append(out, Value{U: b2u(e.Dst[0]&bit != 0)})
				}
				if src {
					out = append(out, Value{U: b2u(e.Src[0]&bit != 0)})
				}
			})
			return out
		}}
}

func ethOUI(name string, src, dst bool) Field {
	return Field{Name: name, Type: FTUint24, Base: BaseDec, Proto: decode.ProtoEth,
		Get: func(f *decode.Frame, out []Value) []Value {
			eachEth(f, func(e *decode.Ethernet) {
				if dst {
					out = append(out, Value{U: uint64(e.Dst[0])<<16 | uint64(e.Dst[1])<<8 | uint64(e.Dst[2])})
				}
				if src {
					out = append(out, Value{U: uint64(e.Src[0])<<16 | uint64(e.Src[1])<<8 | uint64(e.Src[2])})
				}
			})
			return out
		}}
}

// eth.*: Ethernet II / 802.3 headers.
var ethFields = []Field{
	ethAddr("eth.dst", false, true),
	ethAddr("eth.src", true, false),
	ethAddr("eth.addr", true, true),
	ethField("eth.type", FTUint16, BaseHex, func(e *decode.Ethernet) (uint64, bool) { return uint64(e.Type), e.Type > 1500 }),
	ethField("eth.len", FTUint16, BaseDec, func(e *decode.Ethernet) (uint64, bool) { return uint64(e.Type), e.Type <= 1500 }),
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

// llcField lists a value of every LLC header for which get is ok.
func llcField(name string, t Type, base Base, get func(e *decode.Ethernet) (uint64, bool)) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoLLC,
		Get: func(f *decode.Frame, out []Value) []Value {
			eachLLC(f, func(e *decode.Ethernet) {
				if v, ok := get(e); ok {
					out = append(out, Value{U: v})
				}
			})
			return out
		}}
}

// llc.*: 802.2 LLC and SNAP.
var llcFields = []Field{
	llcField("llc.dsap", FTUint8, BaseHex, func(e *decode.Ethernet) (uint64, bool) { return uint64(e.DSAP), true }),
	llcField("llc.ssap", FTUint8, BaseHex, func(e *decode.Ethernet) (uint64, bool) { return uint64(e.SSAP), true }),
	llcField("llc.control", FTUint16, BaseHex, func(e *decode.Ethernet) (uint64, bool) { return uint64(e.Control), true }),
	llcField("llc.oui", FTUint24, BaseDec, func(e *decode.Ethernet) (uint64, bool) { return uint64(e.SNAPOUI), e.HasSNAP }),
	llcField("llc.type", FTUint16, BaseHex, func(e *decode.Ethernet) (uint64, bool) {
		return uint64(e.SNAPType), e.HasSNAP && e.SNAPOUI == 0
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

// ethTrailerFields: the bytes after an Ethernet frame's packet (decode.Frame.EthTrailer).
var ethTrailerFields = []Field{
	bytesField("eth.padding", FTBytes, decode.ProtoEth, func(f *decode.Frame) ([]byte, bool) {
		p, _, _, ok := f.EthTrailer()
		return p, ok && len(p) > 0
	}),
	bytesField("eth.trailer", FTBytes, decode.ProtoEth, func(f *decode.Frame) ([]byte, bool) {
		_, t, _, ok := f.EthTrailer()
		return t, ok && len(t) > 0
	}),
	uintField("eth.fcs", FTUint32, BaseHex, decode.ProtoEth, func(f *decode.Frame) (uint64, bool) {
		_, _, c, ok := f.EthTrailer()
		if !ok || len(c) != 4 {
			return 0, false
		}
		return uint64(c[0])<<24 | uint64(c[1])<<16 | uint64(c[2])<<8 | uint64(c[3]), true
	}),
}
