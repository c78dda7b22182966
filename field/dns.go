package field

import (
	"bytes"
	"encoding/binary"

	"github.com/wirewatch/wirewatch/decode"
)

// DNS fields (Wireshark 4.0 names, types and display names). Header fields
// appear once per message; question and record fields once per question or
// record, in message order. dns.time, dns.response_in and dns.response_to
// come from package flow and live with the other analysis fields.

func dnsOf(f *decode.Frame) *decode.DNS {
	if !f.Has(decode.ProtoDNS) {
		return nil
	}
	return &f.DNS
}

// dnsHdr is a header field; ok false leaves it out (as tshark does for flags
// that only responses carry).
func dnsHdr(name, desc string, t Type, base Base, mask uint64, get func(m *decode.DNS) (uint64, bool)) Field {
	return Field{Name: name, Desc: desc, Type: t, Base: base, Bitmask: mask, Proto: decode.ProtoDNS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if m := dnsOf(f); m != nil {
				if v, ok := get(m); ok {
					dst = append(dst, Value{U: v})
				}
			}
			return dst
		}}
}

// dnsFlag is a flag bit of the header's flags word. forQuery and forResponse
// say in which DNS messages tshark shows it; llmnr in which LLMNR messages
// (LLMNR has its own flag set: conflict and tentative instead of
// authoritative and recursion desired).
func dnsFlag(name, desc string, mask uint16, forQuery, forResponse, llmnr bool) Field {
	return Field{Name: name, Desc: desc, Type: FTBoolean, Bitmask: uint64(mask), Proto: decode.ProtoDNS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			m := dnsOf(f)
			if m == nil {
				return dst
			}
			if f.IsLLMNR() {
				if !llmnr {
					return dst
				}
			} else if (m.Response && !forResponse) || (!m.Response && !forQuery) {
				return dst
			}
			return append(dst, Value{U: appBool(m.Flags&mask != 0)})
		}}
}

// dnsAuthenticated is dns.flags.authenticated, the AD bit: in responses
// always; in queries (RFC 6840: the client understands AD) only when set,
// as Wireshark 4.0 shows it.
func dnsAuthenticated() Field {
	fl := dnsFlag("dns.flags.authenticated", "Answer authenticated", 0x0020, true, true, false)
	get := fl.Get
	fl.Get = func(f *decode.Frame, dst []Value) []Value {
		if m := dnsOf(f); m != nil && !m.Response && m.Flags&0x0020 == 0 {
			return dst
		}
		return get(f, dst)
	}
	return fl
}

// dnsClass is a question's or record's class; mDNS uses the top bit for QU
// or cache flush, which tshark shows as a field of its own.
func dnsClass(f *decode.Frame, c uint16) uint64 {
	if f.IsMDNS() {
		c &= 0x7fff
	}
	return uint64(c)
}

// dnsQ is a per-question field.
func dnsQ(name, desc string, t Type, base Base, get func(q *decode.DNSQuestion) Value) Field {
	return Field{Name: name, Desc: desc, Type: t, Base: base, Proto: decode.ProtoDNS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if m := dnsOf(f); m != nil {
				for i := range m.Questions {
					dst = append(dst, get(&m.Questions[i]))
				}
			}
			return dst
		}}
}

// dnsRR is a per-record field; ok false skips a record.
func dnsRR(name, desc string, t Type, base Base, get func(rr *decode.DNSRR) (Value, bool)) Field {
	return Field{Name: name, Desc: desc, Type: t, Base: base, Proto: decode.ProtoDNS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if m := dnsOf(f); m != nil {
				for i := range m.Answers {
					if v, ok := get(&m.Answers[i]); ok {
						dst = append(dst, v)
					}
				}
			}
			return dst
		}}
}

// dnsTarget is a record's target name for records of type typ.
func dnsTarget(name, desc string, typ uint16) Field {
	return dnsRR(name, desc, FTString, BaseNone, func(rr *decode.DNSRR) (Value, bool) {
		return Value{B: rr.Target}, rr.Type == typ && rr.Target != nil
	})
}

// dnsRData16 is a 16-bit number at off in the record data of records of type typ.
func dnsRData16(name, desc string, typ uint16, off int) Field {
	return dnsRR(name, desc, FTUint16, BaseDec, func(rr *decode.DNSRR) (Value, bool) {
		if rr.Type != typ || len(rr.RData) < off+2 {
			return Value{}, false
		}
		return Value{U: uint64(binary.BigEndian.Uint16(rr.RData[off:]))}, true
	})
}

// dnsSOA32 is one of the five 32-bit numbers that end an SOA record; i counts from 0.
func dnsSOA32(name, desc string, i int) Field {
	return dnsRR(name, desc, FTUint32, BaseDec, func(rr *decode.DNSRR) (Value, bool) {
		if rr.Type != decode.DNSTypeSOA || len(rr.RData) < 22 {
			return Value{}, false
		}
		off := len(rr.RData) - 20 + 4*i
		return Value{U: uint64(binary.BigEndian.Uint32(rr.RData[off:]))}, true
	})
}

func dnsNotOPT(rr *decode.DNSRR) bool { return rr.Type != decode.DNSTypeOPT }

func dnsOPT(rr *decode.DNSRR) bool { return rr.Type == decode.DNSTypeOPT }

// dnsNameLen is Wireshark's dns.qry.name.len: 0 for the root.
func dnsNameLen(name []byte) uint64 {
	if bytes.Equal(name, []byte("<Root>")) {
		return 0
	}
	return uint64(len(name))
}

// dnsLabels is Wireshark's dns.count.labels.
func dnsLabels(name []byte) uint64 {
	if len(name) == 0 || bytes.Equal(name, []byte("<Root>")) {
		return 0
	}
	return uint64(bytes.Count(name, []byte("."))) + 1
}

var dnsFields = []Field{
	dnsHdr("dns.id", "Transaction ID", FTUint16, BaseHex, 0, func(m *decode.DNS) (uint64, bool) { return uint64(m.ID), true }),
	dnsHdr("dns.flags", "Flags", FTUint16, BaseHex, 0, func(m *decode.DNS) (uint64, bool) { return uint64(m.Flags), true }),
	dnsFlag("dns.flags.response", "Response", 0x8000, true, true, true),
	dnsHdr("dns.flags.opcode", "Opcode", FTUint16, BaseDec, 0x7800, func(m *decode.DNS) (uint64, bool) { return uint64(m.Opcode), true }),
	dnsFlag("dns.flags.authoritative", "Authoritative", 0x0400, false, true, false),
	dnsFlag("dns.flags.conflict", "Conflict", 0x0400, false, false, true),
	dnsFlag("dns.flags.truncated", "Truncated", 0x0200, true, true, true),
	dnsFlag("dns.flags.recdesired", "Recursion desired", 0x0100, true, true, false),
	dnsFlag("dns.flags.tentative", "Tentative", 0x0100, false, false, true),
	dnsFlag("dns.flags.recavail", "Recursion available", 0x0080, false, true, false),
	dnsFlag("dns.flags.z", "Z", 0x0040, true, true, false),
	dnsAuthenticated(),
	dnsFlag("dns.flags.checkdisable", "Non-authenticated data", 0x0010, true, true, false),
	dnsHdr("dns.flags.rcode", "Reply code", FTUint16, BaseDec, 0x000f, func(m *decode.DNS) (uint64, bool) { return uint64(m.Rcode), m.Response }),
	dnsHdr("dns.count.queries", "Questions", FTUint16, BaseDec, 0, func(m *decode.DNS) (uint64, bool) { return uint64(m.QDCount), true }),
	dnsHdr("dns.count.answers", "Answer RRs", FTUint16, BaseDec, 0, func(m *decode.DNS) (uint64, bool) { return uint64(m.ANCount), true }),
	dnsHdr("dns.count.auth_rr", "Authority RRs", FTUint16, BaseDec, 0, func(m *decode.DNS) (uint64, bool) { return uint64(m.NSCount), true }),
	dnsHdr("dns.count.add_rr", "Additional RRs", FTUint16, BaseDec, 0, func(m *decode.DNS) (uint64, bool) { return uint64(m.ARCount), true }),

	dnsQ("dns.qry.name", "Name", FTString, BaseNone, func(q *decode.DNSQuestion) Value { return Value{B: q.Name} }),
	dnsQ("dns.qry.name.len", "Name Length", FTUint16, BaseDec, func(q *decode.DNSQuestion) Value { return Value{U: dnsNameLen(q.Name)} }),
	dnsQ("dns.count.labels", "Label Count", FTUint16, BaseDec, func(q *decode.DNSQuestion) Value { return Value{U: dnsLabels(q.Name)} }),
	dnsQ("dns.qry.type", "Type", FTUint16, BaseDec, func(q *decode.DNSQuestion) Value { return Value{U: uint64(q.Type)} }),
	{Name: "dns.qry.class", Desc: "Class", Type: FTUint16, Base: BaseHex, Proto: decode.ProtoDNS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if m := dnsOf(f); m != nil {
				for i := range m.Questions {
					dst = append(dst, Value{U: dnsClass(f, m.Questions[i].Class)})
				}
			}
			return dst
		}},
	{Name: "dns.qry.qu", Desc: "\"QU\" question", Type: FTBoolean, Bitmask: 0x8000, Proto: decode.ProtoDNS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if m := dnsOf(f); m != nil && f.IsMDNS() {
				for i := range m.Questions {
					dst = append(dst, Value{U: appBool(m.Questions[i].Class&0x8000 != 0)})
				}
			}
			return dst
		}},

	dnsRR("dns.resp.name", "Name", FTString, BaseNone, func(rr *decode.DNSRR) (Value, bool) { return Value{B: rr.Name}, true }),
	{Name: "dns.resp.type", Desc: "Type", Type: FTUint16, Base: BaseDec, Proto: decode.ProtoDNS, Get: dnsRespType},
	{Name: "dns.resp.class", Desc: "Class", Type: FTUint16, Base: BaseHex, Proto: decode.ProtoDNS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if m := dnsOf(f); m != nil {
				for i := range m.Answers {
					if rr := &m.Answers[i]; dnsNotOPT(rr) {
						dst = append(dst, Value{U: dnsClass(f, rr.Class)})
					}
				}
			}
			return dst
		}},
	{Name: "dns.resp.cache_flush", Desc: "Cache flush", Type: FTBoolean, Bitmask: 0x8000, Proto: decode.ProtoDNS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if m := dnsOf(f); m != nil && f.IsMDNS() {
				for i := range m.Answers {
					dst = append(dst, Value{U: appBool(m.Answers[i].Class&0x8000 != 0)})
				}
			}
			return dst
		}},
	dnsRR("dns.resp.ttl", "Time to live", FTUint32, BaseDec, func(rr *decode.DNSRR) (Value, bool) { return Value{U: uint64(rr.TTL)}, dnsNotOPT(rr) }),
	dnsRR("dns.resp.len", "Data length", FTUint16, BaseDec, func(rr *decode.DNSRR) (Value, bool) { return Value{U: uint64(len(rr.RData))}, true }),
	dnsRR("dns.a", "Address", FTIPv4, BaseNone, func(rr *decode.DNSRR) (Value, bool) {
		return Value{A: rr.Addr}, rr.Type == decode.DNSTypeA && rr.Addr.IsValid()
	}),
	dnsRR("dns.aaaa", "AAAA Address", FTIPv6, BaseNone, func(rr *decode.DNSRR) (Value, bool) {
		return Value{A: rr.Addr}, rr.Type == decode.DNSTypeAAAA && rr.Addr.IsValid()
	}),
	dnsTarget("dns.cname", "CNAME", decode.DNSTypeCNAME),
	dnsTarget("dns.ns", "Name Server", decode.DNSTypeNS),
	dnsTarget("dns.ptr.domain_name", "Domain Name", decode.DNSTypePTR),
	dnsRR("dns.mx.preference", "Preference", FTUint16, BaseDec, func(rr *decode.DNSRR) (Value, bool) {
		return Value{U: uint64(rr.Pref)}, rr.Type == decode.DNSTypeMX && rr.Target != nil
	}),
	dnsTarget("dns.mx.mail_exchange", "Mail Exchange", decode.DNSTypeMX),
	{Name: "dns.txt", Desc: "TXT", Type: FTString, Proto: decode.ProtoDNS, Get: dnsTXT},
	dnsTarget("dns.soa.mname", "Primary name server", decode.DNSTypeSOA),
	dnsRR("dns.soa.rname", "Responsible authority's mailbox", FTString, BaseNone, func(rr *decode.DNSRR) (Value, bool) {
		return Value{B: rr.Target2}, rr.Type == decode.DNSTypeSOA && rr.Target2 != nil
	}),
	dnsSOA32("dns.soa.serial_number", "Serial Number", 0),
	dnsSOA32("dns.soa.refresh_interval", "Refresh Interval", 1),
	dnsSOA32("dns.soa.retry_interval", "Retry Interval", 2),
	dnsSOA32("dns.soa.expire_limit", "Expire limit", 3),
	dnsSOA32("dns.soa.minimum_ttl", "Minimum TTL", 4),
	dnsRData16("dns.srv.priority", "Priority", decode.DNSTypeSRV, 0),
	dnsRData16("dns.srv.weight", "Weight", decode.DNSTypeSRV, 2),
	dnsRData16("dns.srv.port", "Port", decode.DNSTypeSRV, 4),
	dnsTarget("dns.srv.target", "Target", decode.DNSTypeSRV),
	// tshark prints it in hex (0x05a0) for mDNS and in decimal for DNS; the
	// field has one base, DNS's.
	dnsRR("dns.rr.udp_payload_size", "UDP payload size", FTUint16, BaseDec, func(rr *decode.DNSRR) (Value, bool) {
		return Value{U: uint64(rr.Class)}, dnsOPT(rr)
	}),
	dnsRR("dns.resp.ext_rcode", "Higher bits in extended RCODE", FTUint8, BaseHex, func(rr *decode.DNSRR) (Value, bool) {
		return Value{U: uint64(rr.TTL >> 24)}, dnsOPT(rr)
	}),
	dnsRR("dns.resp.edns0_version", "EDNS0 version", FTUint8, BaseDec, func(rr *decode.DNSRR) (Value, bool) {
		return Value{U: uint64(rr.TTL>>16) & 0xff}, dnsOPT(rr)
	}),
	dnsRR("dns.resp.z", "Z", FTUint16, BaseHex, func(rr *decode.DNSRR) (Value, bool) {
		return Value{U: uint64(rr.TTL) & 0xffff}, dnsOPT(rr)
	}),
	dnsRR("dns.resp.z.do", "DO bit", FTBoolean, BaseNone, func(rr *decode.DNSRR) (Value, bool) {
		return Value{U: appBool(rr.TTL&0x8000 != 0)}, dnsOPT(rr)
	}),
}

// dnsTXT appends each character-string of every TXT record.
func dnsTXT(f *decode.Frame, dst []Value) []Value {
	m := dnsOf(f)
	if m == nil {
		return dst
	}
	for i := range m.Answers {
		rr := &m.Answers[i]
		if rr.Type != decode.DNSTypeTXT {
			continue
		}
		for rd := rr.RData; len(rd) > 0; {
			n := int(rd[0])
			if 1+n > len(rd) {
				break
			}
			dst = append(dst, Value{B: rd[1 : 1+n]})
			rd = rd[1+n:]
		}
	}
	return dst
}

// appBool is a boolean field's value (the DNS, HTTP and TLS tables use it).
func appBool(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// dnsRespType appends each record's type; an NSEC record also lists the
// types of its bitmap, as tshark shows them under the same field.
func dnsRespType(f *decode.Frame, dst []Value) []Value {
	m := dnsOf(f)
	if m == nil {
		return dst
	}
	for i := range m.Answers {
		rr := &m.Answers[i]
		dst = append(dst, Value{U: uint64(rr.Type)})
		if rr.Type != decode.DNSTypeNSEC {
			continue
		}
		rd := rr.RData
		p := 0
		for p < len(rd) { // skip the next domain name
			c := int(rd[p])
			if c == 0 {
				p++
				break
			}
			if c&0xc0 == 0xc0 {
				p += 2
				break
			}
			p += 1 + c
		}
		for p+2 <= len(rd) {
			win, n := int(rd[p]), int(rd[p+1])
			p += 2
			if p+n > len(rd) {
				break
			}
			for j := 0; j < n*8; j++ {
				if rd[p+j/8]&(0x80>>(j%8)) != 0 {
					dst = append(dst, Value{U: uint64(win*256 + j)})
				}
			}
			p += n
		}
	}
	return dst
}
