package field

import (
	"sync"

	"github.com/wirewatch/wirewatch/decode"
)

func hasTCP(f *decode.Frame) bool { return f.Has(decode.ProtoTCP) }

// fullTCP reports a TCP header with all 20 fixed bytes.
func fullTCP(f *decode.Frame) bool { return hasTCP(f) && !f.TCP.Short }

// tcpAvail reports whether the header bytes up to n were captured.
func tcpAvail(f *decode.Frame, n int) bool { return hasTCP(f) && f.TCP.HdrAvail >= n }

// icmpInnerPorts returns the ports of a TCP or UDP header quoted in an ICMP error.
func icmpInnerPorts(f *decode.Frame, proto decode.IPProto) (s, d uint16, ok bool) {
	switch {
	case f.Has(decode.ProtoICMP) && f.ICMP.HasInner && f.ICMP.InnerProto == proto:
		return f.ICMP.InnerSport, f.ICMP.InnerDport, true
	case f.Has(decode.ProtoICMPv6) && f.ICMP6.HasInner && f.ICMP6.InnerProto == proto:
		return f.ICMP6.InnerSport, f.ICMP6.InnerDport, true
	}
	return 0, 0, false
}

// portField lists the transport header's port(s), then those quoted in an ICMP error.
func portField(name string, p decode.Proto, proto decode.IPProto, src, dst bool) Field {
	return Field{Name: name, Type: FTUint16, Base: BaseDec, Proto: p,
		Get: func(f *decode.Frame, out []Value) []Value {
			var s, d uint16
			ok := false
			if p == decode.ProtoUDP && f.Repeated.Has(p) {
				eachUDP(f, func(u *decode.UDP, _ int) {
					if src {
						out = append(out, Value{U: uint64(u.SrcPort)})
					}
					if dst {
						out = append(out, Value{U: uint64(u.DstPort)})
					}
				})
				return out
			}
			if f.Has(p) {
				if p == decode.ProtoTCP {
					s, d = f.TCP.SrcPort, f.TCP.DstPort
				} else {
					s, d = f.UDP.SrcPort, f.UDP.DstPort
				}
				ok = true
			} else {
				s, d, ok = icmpInnerPorts(f, proto)
			}
			if !ok {
				return out
			}
			if src {
				out = append(out, Value{U: uint64(s)})
			}
			if dst {
				out = append(out, Value{U: uint64(d)})
			}
			return out
		}}
}

func tcpFlag(name string, bit uint16) Field {
	return boolField(name, uint64(bit), decode.ProtoTCP, func(f *decode.Frame) (bool, bool) {
		return f.TCP.Flags&bit != 0, tcpAvail(f, 14)
	})
}

var (
	flagStrOnce sync.Once
	flagStrs    [4096][]byte
)

// tcpFlagStr returns Wireshark's tcp.flags.str ("·······AP···") for 12 flag bits.
func tcpFlagStr(flags uint16) []byte {
	flagStrOnce.Do(func() {
		const letters = "RRRACEUAPRSF"
		buf := make([]byte, 0, 4096*12*2)
		for v := 0; v < 4096; v++ {
			start := len(buf)
			for i := 11; i >= 0; i-- {
				if v&(1<<i) != 0 {
					buf = append(buf, letters[11-i])
				} else {
					buf = append(buf, "·"...)
				}
			}
			flagStrs[v] = buf[start:len(buf):len(buf)]
		}
	})
	return flagStrs[flags&0xfff]
}

// tcpOpts calls fn for each option in the header (kind, option bytes including kind and length).
func tcpOpts(o []byte, fn func(kind byte, opt []byte)) {
	for i := 0; i < len(o); {
		kind := o[i]
		if kind == 0 { // Wireshark shows every byte from EOL on as EOL
			for ; i < len(o); i++ {
				fn(0, o[i:i+1])
			}
			return
		}
		if kind == 1 {
			fn(kind, o[i:i+1])
			i++
			continue
		}
		if i+1 >= len(o) {
			return
		}
		n := int(o[i+1])
		if n < 2 || i+n > len(o) {
			return
		}
		fn(kind, o[i:i+n])
		i += n
	}
}

// tcpOptProto is a protocol-valued field for one option kind (tcp.options.mss etc.).
func tcpOptProto(name string, kind byte) Field {
	return Field{Name: name, Type: FTProtocol, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !hasTCP(f) {
				return dst
			}
			tcpOpts(f.TCP.Options, func(k byte, opt []byte) {
				if k == kind {
					dst = append(dst, Value{B: opt})
				}
			})
			return dst
		}}
}

// sackBase returns what SACK edges are relative to (the peer's ISN) when flow analysis knows it.
func sackBase(f *decode.Frame) uint32 {
	if f.Analysis.HasTCP && f.TCP.Flags&decode.TCPAck != 0 {
		return f.TCP.Ack - f.Analysis.RelAck
	}
	return 0
}

// tcp.*: the TCP header and options (analysis fields live in tcp_analysis.go).
var tcpFields = []Field{
	portField("tcp.srcport", decode.ProtoTCP, decode.IPProtoTCP, true, false),
	portField("tcp.dstport", decode.ProtoTCP, decode.IPProtoTCP, false, true),
	portField("tcp.port", decode.ProtoTCP, decode.IPProtoTCP, true, true),
	uintField("tcp.seq_raw", FTUint32, BaseDec, decode.ProtoTCP, func(f *decode.Frame) (uint64, bool) { return uint64(f.TCP.Seq), tcpAvail(f, 8) }),
	uintField("tcp.ack_raw", FTUint32, BaseDec, decode.ProtoTCP, func(f *decode.Frame) (uint64, bool) { return uint64(f.TCP.Ack), tcpAvail(f, 12) }),
	uintField("tcp.hdr_len", FTUint8, BaseDec, decode.ProtoTCP, func(f *decode.Frame) (uint64, bool) { return uint64(f.TCP.HdrLen), tcpAvail(f, 13) }),
	{Name: "tcp.flags", Type: FTUint16, Base: BaseHex, Bitmask: 0xfff, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if tcpAvail(f, 14) {
				dst = append(dst, Value{U: uint64(f.TCP.Flags)})
			}
			return dst
		}},
	{Name: "tcp.flags.res", Type: FTBoolean, Bitmask: 0xe00, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if tcpAvail(f, 14) {
				dst = append(dst, Value{U: b2u(f.TCP.Flags&0xe00 != 0)})
			}
			return dst
		}},
	tcpFlag("tcp.flags.ae", decode.TCPAE),
	tcpFlag("tcp.flags.cwr", decode.TCPCwr),
	tcpFlag("tcp.flags.ece", decode.TCPEce),
	tcpFlag("tcp.flags.urg", decode.TCPUrg),
	tcpFlag("tcp.flags.ack", decode.TCPAck),
	tcpFlag("tcp.flags.push", decode.TCPPsh),
	tcpFlag("tcp.flags.reset", decode.TCPRst),
	tcpFlag("tcp.flags.syn", decode.TCPSyn),
	tcpFlag("tcp.flags.fin", decode.TCPFin),
	bytesField("tcp.flags.str", FTString, decode.ProtoTCP, func(f *decode.Frame) ([]byte, bool) {
		return tcpFlagStr(f.TCP.Flags), tcpAvail(f, 14)
	}),
	uintField("tcp.window_size_value", FTUint16, BaseDec, decode.ProtoTCP, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.TCP.Window), tcpAvail(f, 16)
	}),
	uintField("tcp.checksum", FTUint16, BaseHex, decode.ProtoTCP, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.TCP.Checksum), tcpAvail(f, 18)
	}),
	uintField("tcp.urgent_pointer", FTUint16, BaseDec, decode.ProtoTCP, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.TCP.Urgent), fullTCP(f) && f.TCP.HdrAvail >= 20
	}),
	uintField("tcp.len", FTUint32, BaseDec, decode.ProtoTCP, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.TCP.PayloadLen), fullTCP(f) && !f.TCP.BadHdrLen
	}),
	bytesField("tcp.options", FTBytes, decode.ProtoTCP, func(f *decode.Frame) ([]byte, bool) {
		return f.TCP.Options, fullTCP(f) && len(f.TCP.Options) > 0
	}),
	{Name: "tcp.option_kind", Type: FTUint8, Base: BaseDec, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if hasTCP(f) {
				tcpOpts(f.TCP.Options, func(k byte, _ []byte) { dst = append(dst, Value{U: uint64(k)}) })
			}
			return dst
		}},
	{Name: "tcp.option_len", Type: FTUint8, Base: BaseDec, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if hasTCP(f) {
				tcpOpts(f.TCP.Options, func(k byte, o []byte) {
					if len(o) >= 2 {
						dst = append(dst, Value{U: uint64(o[1])})
					}
				})
			}
			return dst
		}},
	tcpOptProto("tcp.options.nop", 1),
	tcpOptProto("tcp.options.eol", 0),
	tcpOptProto("tcp.options.mss", 2),
	tcpOptProto("tcp.options.wscale", 3),
	tcpOptProto("tcp.options.sack_perm", 4),
	tcpOptProto("tcp.options.sack", 5),
	tcpOptProto("tcp.options.timestamp", 8),
	uintField("tcp.options.mss_val", FTUint16, BaseDec, decode.ProtoTCP, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.TCP.MSS), hasTCP(f) && f.TCP.HasMSS
	}),
	uintField("tcp.options.wscale.shift", FTUint8, BaseDec, decode.ProtoTCP, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.TCP.WScale), hasTCP(f) && f.TCP.HasWScale
	}),
	uintField("tcp.options.wscale.multiplier", FTUint16, BaseDec, decode.ProtoTCP, func(f *decode.Frame) (uint64, bool) {
		s := f.TCP.WScale
		if s > 14 {
			s = 14
		}
		return 1 << s, hasTCP(f) && f.TCP.HasWScale
	}),
	{Name: "tcp.options.sack_le", Type: FTUint32, Base: BaseDec, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if hasTCP(f) {
				base := sackBase(f)
				for i := 0; i < f.TCP.NSACK; i++ {
					dst = append(dst, Value{U: uint64(f.TCP.SACK[i][0] - base)})
				}
			}
			return dst
		}},
	{Name: "tcp.options.sack_re", Type: FTUint32, Base: BaseDec, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if hasTCP(f) {
				base := sackBase(f)
				for i := 0; i < f.TCP.NSACK; i++ {
					dst = append(dst, Value{U: uint64(f.TCP.SACK[i][1] - base)})
				}
			}
			return dst
		}},
	uintField("tcp.options.sack.count", FTUint8, BaseDec, decode.ProtoTCP, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.TCP.NSACK), hasTCP(f) && f.TCP.NSACK > 0
	}),
	uintField("tcp.options.timestamp.tsval", FTUint32, BaseDec, decode.ProtoTCP, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.TCP.TSVal), hasTCP(f) && f.TCP.HasTS
	}),
	uintField("tcp.options.timestamp.tsecr", FTUint32, BaseDec, decode.ProtoTCP, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.TCP.TSEcr), hasTCP(f) && f.TCP.HasTS
	}),
	// The bytes of a RST are its "Reset cause" (RFC 1122 allows text
	// there), not a payload: Wireshark stops after them.
	bytesField("tcp.reset_cause", FTString, decode.ProtoTCP, func(f *decode.Frame) ([]byte, bool) {
		return f.Payload, hasTCP(f) && f.TCP.Flags&decode.TCPRst != 0 && len(f.Payload) > 0
	}),
	{Name: "tcp.payload", Type: FTBytes, Proto: decode.ProtoTCP, Get: func(f *decode.Frame, dst []Value) []Value {
		if !hasTCP(f) || len(f.Payload) == 0 || f.TCP.Flags&decode.TCPRst != 0 {
			return dst
		}
		dst = append(dst, Value{B: f.Payload})
		if f.Has(decode.ProtoSOCKS) && f.SOCKS.Kind == decode.SOCKSData {
			// Wireshark's SOCKS hands tunnelled bytes to TCP's port
			// dispatch again, which adds the payload a second time.
			dst = append(dst, Value{B: f.Payload})
		}
		return dst
	}},
}
