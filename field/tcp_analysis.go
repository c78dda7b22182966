package field

import "github.com/wirewatch/wirewatch/decode"

// Fields computed by package flow (decode.Frame.Analysis): stream numbers,
// relative sequence numbers, the calculated window and the tcp.analysis.*
// expert conditions, named and typed as in Wireshark 4.0.

func tcpAn(f *decode.Frame) *decode.Analysis {
	if !f.Analysis.HasTCP {
		return nil
	}
	return &f.Analysis
}

// anUint builds an unsigned field from a TCP-analysis value.
func anUint(name, desc string, t Type, get func(a *decode.Analysis) (uint64, bool)) Field {
	return Field{Name: name, Desc: desc, Type: t, Base: BaseDec, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if a := tcpAn(f); a != nil {
				if v, ok := get(a); ok {
					dst = append(dst, Value{U: v})
				}
			}
			return dst
		}}
}

// anTime builds a relative-time field (ns) from a TCP-analysis value.
func anTime(name, desc string, get func(a *decode.Analysis) (int64, bool)) Field {
	return Field{Name: name, Desc: desc, Type: FTRelTime, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if a := tcpAn(f); a != nil {
				if v, ok := get(a); ok {
					dst = append(dst, Value{I: v})
				}
			}
			return dst
		}}
}

// anFlag builds a presence-only field set when any of bits is in Analysis.Flags.
func anFlag(name, desc string, bits uint32) Field {
	return Field{Name: name, Desc: desc, Type: FTNone, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if a := tcpAn(f); a != nil && a.Flags&bits != 0 {
				dst = append(dst, Value{})
			}
			return dst
		}}
}

// compBit builds one of the tcp.completeness.* booleans.
func compBit(name, desc string, bit uint8) Field {
	return Field{Name: name, Desc: desc, Type: FTBoolean, Bitmask: uint64(bit), Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if a := tcpAn(f); a != nil {
				v := uint64(0)
				if a.Completeness&bit != 0 {
					v = 1
				}
				dst = append(dst, Value{U: v})
			}
			return dst
		}}
}

// seqField is tcp.seq / tcp.ack: relative when the segment was analysed,
// else (a header Wireshark gave up on) the absolute value when captured.
func seqField(name, desc string, need int, rel, raw func(f *decode.Frame) uint32) Field {
	return Field{Name: name, Desc: desc, Type: FTUint32, Base: BaseDec, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			switch {
			case f.Analysis.HasTCP:
				if need > 8 && f.TCP.HdrLen < 20 {
					break // header length under 20: Wireshark stops before the ACK number
				}
				dst = append(dst, Value{U: uint64(rel(f))})
			case f.Has(decode.ProtoTCP) && f.TCP.HdrAvail >= need:
				dst = append(dst, Value{U: uint64(raw(f))})
			}
			return dst
		}}
}

// hasTA reports whether Wireshark would show the [SEQ/ACK analysis] tree.
func hasTA(a *decode.Analysis) bool {
	return a.Flags != 0 || a.AckedFrame != 0 || a.BytesInFlight >= 0 || a.DupAckNum != 0
}

var tcpAnalysisFields = []Field{
	{Name: "tcp.stream", Desc: "Stream index", Type: FTUint32, Base: BaseDec, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if f.Analysis.Stream >= 0 && !f.Analysis.IsUDP {
				dst = append(dst, Value{U: uint64(f.Analysis.Stream)})
			}
			return dst
		}},
	{Name: "udp.stream", Desc: "Stream index", Type: FTUint32, Base: BaseDec, Proto: decode.ProtoUDP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			for _, s := range f.Analysis.OuterUDP[:f.Analysis.NOuterUDP] {
				dst = append(dst, Value{U: uint64(s)})
			}
			if f.Analysis.Stream >= 0 && f.Analysis.IsUDP {
				dst = append(dst, Value{U: uint64(f.Analysis.Stream)})
			}
			return dst
		}},
	seqField("tcp.seq", "Sequence Number", 8, func(f *decode.Frame) uint32 { return f.Analysis.RelSeq }, func(f *decode.Frame) uint32 { return f.TCP.Seq }),
	seqField("tcp.ack", "Acknowledgment Number", 12, func(f *decode.Frame) uint32 { return f.Analysis.RelAck }, func(f *decode.Frame) uint32 { return f.TCP.Ack }),
	anUint("tcp.nxtseq", "Next Sequence Number", FTUint32, func(a *decode.Analysis) (uint64, bool) { return uint64(a.NextSeq), true }),
	{Name: "tcp.window_size", Desc: "Calculated window size", Type: FTUint32, Base: BaseDec, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if f.Has(decode.ProtoTCP) && f.Analysis.WindowSize >= 0 && f.Analysis.Stream >= 0 && !f.Analysis.IsUDP {
				dst = append(dst, Value{U: uint64(f.Analysis.WindowSize)})
			}
			return dst
		}},
	{Name: "tcp.window_size_scalefactor", Desc: "Window size scaling factor", Type: FTInt32, Base: BaseDec, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			a := tcpAn(f)
			if a == nil || f.TCP.Flags&decode.TCPSyn != 0 {
				return dst
			}
			v := int64(a.WinScale)
			if v >= 0 {
				v = 1 << v
			}
			return append(dst, Value{I: v})
		}},
	anUint("tcp.completeness", "Conversation completeness", FTUint8, func(a *decode.Analysis) (uint64, bool) { return uint64(a.Completeness), true }),
	compBit("tcp.completeness.syn", "SYN", 1),
	compBit("tcp.completeness.syn-ack", "SYN-ACK", 2),
	compBit("tcp.completeness.ack", "ACK", 4),
	compBit("tcp.completeness.data", "Data", 8),
	compBit("tcp.completeness.fin", "FIN", 16),
	compBit("tcp.completeness.rst", "RST", 32),
	anTime("tcp.time_delta", "Time since previous frame in this TCP stream", func(a *decode.Analysis) (int64, bool) { return a.TimeDelta, true }),
	anTime("tcp.time_relative", "Time since first frame in this TCP stream", func(a *decode.Analysis) (int64, bool) { return a.TimeRelative, true }),

	{Name: "tcp.analysis", Desc: "SEQ/ACK analysis", Type: FTNone, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if a := tcpAn(f); a != nil && hasTA(a) {
				dst = append(dst, Value{})
			}
			return dst
		}},
	anFlag("tcp.analysis.flags", "TCP Analysis Flags", ^uint32(0)),
	anFlag("tcp.analysis.retransmission", "Retransmission", decode.AnRetransmission|decode.AnFastRetransmission|decode.AnSpuriousRetransmission),
	anFlag("tcp.analysis.fast_retransmission", "Fast Retransmission", decode.AnFastRetransmission),
	anFlag("tcp.analysis.spurious_retransmission", "Spurious Retransmission", decode.AnSpuriousRetransmission),
	anFlag("tcp.analysis.out_of_order", "Out-Of-Order", decode.AnOutOfOrder),
	anFlag("tcp.analysis.lost_segment", "Previous segment not captured", decode.AnLostSegment),
	anFlag("tcp.analysis.ack_lost_segment", "ACKed segment that wasn't captured", decode.AnAckLostSegment),
	// Wireshark adds the flag item and then, with the "Duplicate ACK (#n)"
	// expert item, the expert's own field of the same name: tshark lists
	// tcp.analysis.duplicate_ack twice on a numbered duplicate ACK.
	{Name: "tcp.analysis.duplicate_ack", Desc: "Duplicate ACK", Type: FTNone, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if a := tcpAn(f); a != nil && a.Flags&decode.AnDuplicateAck != 0 {
				dst = append(dst, Value{})
				if a.DupAckNum != 0 {
					dst = append(dst, Value{})
				}
			}
			return dst
		}},
	anFlag("tcp.analysis.zero_window", "Zero Window", decode.AnZeroWindow),
	anFlag("tcp.analysis.zero_window_probe", "Zero Window Probe", decode.AnZeroWindowProbe),
	anFlag("tcp.analysis.zero_window_probe_ack", "Zero Window Probe Ack", decode.AnZeroWindowProbeAck),
	anFlag("tcp.analysis.window_full", "Window full", decode.AnWindowFull),
	anFlag("tcp.analysis.window_update", "Window update", decode.AnWindowUpdate),
	anFlag("tcp.analysis.keep_alive", "Keep-Alive", decode.AnKeepAlive),
	anFlag("tcp.analysis.keep_alive_ack", "Keep-Alive ACK", decode.AnKeepAliveAck),
	anFlag("tcp.analysis.reused_ports", "TCP Port numbers reused", decode.AnReusedPorts),
	anUint("tcp.analysis.duplicate_ack_num", "Duplicate ACK #", FTUint32, func(a *decode.Analysis) (uint64, bool) {
		return uint64(a.DupAckNum), a.DupAckNum != 0
	}),
	anUint("tcp.analysis.duplicate_ack_frame", "Duplicate to the ACK in frame", FTFrameNum, func(a *decode.Analysis) (uint64, bool) {
		return a.DupAckFrame, a.DupAckNum != 0
	}),
	anUint("tcp.analysis.acks_frame", "This is an ACK to the segment in frame", FTFrameNum, func(a *decode.Analysis) (uint64, bool) {
		return a.AckedFrame, a.AckedFrame != 0
	}),
	anTime("tcp.analysis.ack_rtt", "The RTT to ACK the segment was", func(a *decode.Analysis) (int64, bool) {
		return a.AckRTT, a.AckedFrame != 0 && a.AckRTT != -1
	}),
	anTime("tcp.analysis.initial_rtt", "iRTT", func(a *decode.Analysis) (int64, bool) { return a.InitialRTT, a.InitialRTT >= 0 }),
	anUint("tcp.analysis.bytes_in_flight", "Bytes in flight", FTUint32, func(a *decode.Analysis) (uint64, bool) {
		return uint64(a.BytesInFlight), a.BytesInFlight >= 0
	}),
}
