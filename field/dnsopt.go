package field

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// EDNS options (Wireshark 4.0 "dns.opt.*"): the option list of OPT records
// (RFC 6891), with the client subnet (RFC 7871) and cookie (RFC 7873)
// options decoded.

// dnsEachOpt calls fn with each option (code, data) of f's OPT records.
func dnsEachOpt(f *decode.Frame, fn func(code uint16, d []byte)) {
	if !f.Has(decode.ProtoDNS) {
		return
	}
	for i := range f.DNS.Answers { // answers, authority and additional records
		rr := &f.DNS.Answers[i]
		if rr.Type != decode.DNSTypeOPT {
			continue
		}
		for b := rr.RData; len(b) >= 4; {
			code, n := uint16(b[0])<<8|uint16(b[1]), int(b[2])<<8|int(b[3])
			end := 4 + n
			if end > len(b) {
				end = len(b)
			}
			fn(code, b[4:end])
			b = b[end:]
		}
	}
}

func dnsOpt(name string, t Type, base Base, get func(code uint16, d []byte, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoDNS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			dnsEachOpt(f, func(code uint16, d []byte) { dst = get(code, d, dst) })
			return dst
		}}
}

// ecsAddr returns the address of a client subnet option, padded to its family's size.
func ecsAddr(d []byte) (netip.Addr, bool) {
	if len(d) < 4 {
		return netip.Addr{}, false
	}
	fam, a := uint16(d[0])<<8|uint16(d[1]), d[4:]
	switch fam {
	case 1:
		var b [4]byte
		copy(b[:], a)
		return netip.AddrFrom4(b), true
	case 2:
		var b [16]byte
		copy(b[:], a)
		return netip.AddrFrom16(b), true
	}
	return netip.Addr{}, false
}

var dnsOptFields = []Field{
	dnsOpt("dns.opt.code", FTUint16, BaseDec, func(code uint16, d []byte, dst []Value) []Value {
		return append(dst, Value{U: uint64(code)})
	}),
	dnsOpt("dns.opt.len", FTUint16, BaseDec, func(code uint16, d []byte, dst []Value) []Value {
		return append(dst, Value{U: uint64(len(d))})
	}),
	dnsOpt("dns.opt.data", FTBytes, BaseNone, func(code uint16, d []byte, dst []Value) []Value {
		if len(d) > 0 {
			dst = append(dst, Value{B: d})
		}
		return dst
	}),
	dnsOpt("dns.opt.client.family", FTUint16, BaseDec, func(code uint16, d []byte, dst []Value) []Value {
		if code == 8 && len(d) >= 2 {
			dst = append(dst, Value{U: uint64(d[0])<<8 | uint64(d[1])})
		}
		return dst
	}),
	dnsOpt("dns.opt.client.netmask", FTUint8, BaseDec, func(code uint16, d []byte, dst []Value) []Value {
		if code == 8 && len(d) >= 3 {
			dst = append(dst, Value{U: uint64(d[2])})
		}
		return dst
	}),
	dnsOpt("dns.opt.client.scope", FTUint8, BaseDec, func(code uint16, d []byte, dst []Value) []Value {
		if code == 8 && len(d) >= 4 {
			dst = append(dst, Value{U: uint64(d[3])})
		}
		return dst
	}),
	dnsOpt("dns.opt.client.addr4", FTIPv4, BaseNone, func(code uint16, d []byte, dst []Value) []Value {
		if a, ok := ecsAddr(d); code == 8 && ok && a.Is4() {
			dst = append(dst, Value{A: a})
		}
		return dst
	}),
	dnsOpt("dns.opt.client.addr6", FTIPv6, BaseNone, func(code uint16, d []byte, dst []Value) []Value {
		if a, ok := ecsAddr(d); code == 8 && ok && a.Is6() {
			dst = append(dst, Value{A: a})
		}
		return dst
	}),
	dnsOpt("dns.opt.cookie.client", FTBytes, BaseNone, func(code uint16, d []byte, dst []Value) []Value {
		if code == 10 && len(d) >= 8 {
			dst = append(dst, Value{B: d[:8]})
		}
		return dst
	}),
	dnsOpt("dns.opt.cookie.server", FTBytes, BaseNone, func(code uint16, d []byte, dst []Value) []Value {
		if code == 10 && len(d) > 8 {
			dst = append(dst, Value{B: d[8:]})
		}
		return dst
	}),
	dnsOpt("dns.opt.padding", FTBytes, BaseNone, func(code uint16, d []byte, dst []Value) []Value {
		if code == 12 && len(d) > 0 {
			dst = append(dst, Value{B: d})
		}
		return dst
	}),
}
