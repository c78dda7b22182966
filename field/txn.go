package field

import "github.com/wirewatch/wirewatch/decode"

// Transaction fields filled by package flow's request/response matching
// (decode.Frame.Analysis): dns.time and http.time with their frame links,
// dns.retransmission with its links and expert items,
// named and typed as in Wireshark 4.0. In one pass the forward links
// (dns.response_in, http.response_in) are only known when flow filled them.

func txnTime(name, desc string, p decode.Proto, get func(a *decode.Analysis) int64) Field {
	return Field{Name: name, Desc: desc, Type: FTRelTime, Proto: p,
		Get: func(f *decode.Frame, dst []Value) []Value {
			// no Has(p) check: the message may complete on a frame that
			// carries only the rest of its body (Wireshark's reassembled PDU)
			if v := get(&f.Analysis); v >= 0 {
				dst = append(dst, Value{I: v})
			}
			return dst
		}}
}

func txnFrame(name, desc string, p decode.Proto, get func(a *decode.Analysis) uint64) Field {
	return Field{Name: name, Desc: desc, Type: FTFrameNum, Proto: p,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if v := get(&f.Analysis); v != 0 {
				dst = append(dst, Value{U: v})
			}
			return dst
		}}
}

// txnFlag is an expert-info item (FT_NONE) present when get is true.
func txnFlag(name, desc string, get func(a *decode.Analysis) bool) Field {
	return Field{Name: name, Desc: desc, Type: FTNone, Proto: decode.ProtoDNS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if get(&f.Analysis) {
				dst = append(dst, Value{})
			}
			return dst
		}}
}

var txnFields = []Field{
	txnTime("dns.time", "Time", decode.ProtoDNS, func(a *decode.Analysis) int64 { return a.DNSTime }),
	txnFrame("dns.response_to", "Request In", decode.ProtoDNS, func(a *decode.Analysis) uint64 { return a.DNSRespTo }),
	txnFrame("dns.response_in", "Response In", decode.ProtoDNS, func(a *decode.Analysis) uint64 { return a.DNSRespIn }),
	{Name: "dns.retransmission", Desc: "Retransmission", Type: FTBoolean, Proto: decode.ProtoDNS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if a := &f.Analysis; a.DNSRetransReqIn != 0 || a.DNSRetransRespIn != 0 {
				dst = append(dst, Value{U: 1})
			}
			return dst
		}},
	txnFrame("dns.retransmit_request_in", "Retransmitted request. Original request in", decode.ProtoDNS, func(a *decode.Analysis) uint64 { return a.DNSRetransReqIn }),
	txnFrame("dns.retransmit_response_in", "Retransmitted response. Original response in", decode.ProtoDNS, func(a *decode.Analysis) uint64 { return a.DNSRetransRespIn }),
	txnFlag("dns.retransmit_request", "DNS query retransmission", func(a *decode.Analysis) bool { return a.DNSRetransReqIn != 0 }),
	txnFlag("dns.retransmit_response", "DNS response retransmission", func(a *decode.Analysis) bool { return a.DNSRetransRespIn != 0 }),
	txnTime("http.time", "Time since request", decode.ProtoHTTP, func(a *decode.Analysis) int64 { return a.HTTPTime }),
	txnFrame("http.request_in", "Request in frame", decode.ProtoHTTP, func(a *decode.Analysis) uint64 { return a.HTTPReqIn }),
	txnFrame("http.response_in", "Response in frame", decode.ProtoHTTP, func(a *decode.Analysis) uint64 { return a.HTTPRespIn }),
}
