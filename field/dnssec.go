package field

import (
	"github.com/wirewatch/wirewatch/decode"
)

// DNSSEC record data (RFC 4034, 5155): DS, DNSKEY, RRSIG and NSEC3/
// NSEC3PARAM fields, and dns.opt (each EDNS option), Wireshark 4.0 names.

// dnsRR is a field of the data of every record of type typ (types when
// several) in the answer, authority and additional sections.
func dnsRRData(name string, t Type, base Base, get func(rd []byte, dst []Value) []Value, types ...uint16) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoDNS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !f.Has(decode.ProtoDNS) {
				return dst
			}
			for i := range f.DNS.Answers {
				rr := &f.DNS.Answers[i]
				for _, ty := range types {
					if rr.Type == ty {
						dst = get(rr.RData, dst)
						break
					}
				}
			}
			return dst
		}}
}

// dnsRRUint is an unsigned field of n bytes at off of records of type typ.
func dnsRRUint(name string, t Type, base Base, off, n int, mask uint64, types ...uint16) Field {
	shift := 0
	for mask != 0 && mask>>shift&1 == 0 {
		shift++
	}
	fl := dnsRRData(name, t, base, func(rd []byte, dst []Value) []Value {
		if v, ok := beUint(rd, off, n); ok {
			if mask != 0 {
				v = v & mask >> shift
			}
			dst = append(dst, Value{U: v})
		}
		return dst
	}, types...)
	if t == FTBoolean {
		fl.Bitmask = mask
	}
	return fl
}

// dnsRRBytes is the record data from off to the end.
func dnsRRBytes(name string, off int, types ...uint16) Field {
	return dnsRRData(name, FTBytes, BaseNone, func(rd []byte, dst []Value) []Value {
		if off < len(rd) {
			dst = append(dst, Value{B: rd[off:]})
		}
		return dst
	}, types...)
}

// dnskeyTag is RFC 4034 Appendix B's key tag of DNSKEY data rd.
func dnskeyTag(rd []byte) uint64 {
	var ac uint32
	for i, c := range rd {
		if i&1 == 0 {
			ac += uint32(c) << 8
		} else {
			ac += uint32(c)
		}
	}
	ac += ac >> 16 & 0xffff
	return uint64(ac & 0xffff)
}

// rrsigSigner returns the end of an RRSIG's signer name (at offset 18).
func rrsigSigner(rd []byte) int {
	if len(rd) <= 18 {
		return 0
	}
	_, n := decode.AppendDNSWireName(nil, rd[18:])
	if n == 0 {
		return 0
	}
	return 18 + n
}

const (
	dnsDS         = 43
	dnsRRSIG      = 46
	dnsDNSKEY     = 48
	dnsNSEC3      = 50
	dnsNSEC3PARAM = 51
)

var dnssecFields = []Field{
	dnsOpt("dns.opt", FTNone, BaseNone, func(code uint16, d []byte, dst []Value) []Value {
		return append(dst, Value{})
	}),
	dnsRRUint("dns.ds.key_id", FTUint16, BaseHex, 0, 2, 0, dnsDS),
	dnsRRUint("dns.ds.algorithm", FTUint8, BaseDec, 2, 1, 0, dnsDS),
	dnsRRUint("dns.ds.digest_type", FTUint8, BaseDec, 3, 1, 0, dnsDS),
	dnsRRBytes("dns.ds.digest", 4, dnsDS),
	dnsRRUint("dns.dnskey.flags", FTUint16, BaseHex, 0, 2, 0, dnsDNSKEY),
	dnsRRUint("dns.dnskey.flags.zone_key", FTBoolean, BaseNone, 0, 2, 0x0100, dnsDNSKEY),
	dnsRRUint("dns.dnskey.flags.key_revoked", FTBoolean, BaseNone, 0, 2, 0x0080, dnsDNSKEY),
	dnsRRUint("dns.dnskey.flags.secure_entry_point", FTBoolean, BaseNone, 0, 2, 0x0001, dnsDNSKEY),
	dnsRRUint("dns.dnskey.flags.reserved", FTUint16, BaseHex, 0, 2, 0xfe7e, dnsDNSKEY),
	dnsRRUint("dns.dnskey.protocol", FTUint8, BaseDec, 2, 1, 0, dnsDNSKEY),
	dnsRRUint("dns.dnskey.algorithm", FTUint8, BaseDec, 3, 1, 0, dnsDNSKEY),
	dnsRRData("dns.dnskey.key_id", FTUint16, BaseDec, func(rd []byte, dst []Value) []Value {
		if len(rd) >= 4 {
			dst = append(dst, Value{U: dnskeyTag(rd)})
		}
		return dst
	}, dnsDNSKEY),
	dnsRRBytes("dns.dnskey.public_key", 4, dnsDNSKEY),
	dnsRRUint("dns.rrsig.type_covered", FTUint16, BaseDec, 0, 2, 0, dnsRRSIG),
	dnsRRUint("dns.rrsig.algorithm", FTUint8, BaseDec, 2, 1, 0, dnsRRSIG),
	dnsRRUint("dns.rrsig.labels", FTUint8, BaseDec, 3, 1, 0, dnsRRSIG),
	dnsRRUint("dns.rrsig.original_ttl", FTUint32, BaseDec, 4, 4, 0, dnsRRSIG),
	dnsRRData("dns.rrsig.signature_expiration", FTAbsTime, BaseNone, func(rd []byte, dst []Value) []Value {
		if v, ok := beUint(rd, 8, 4); ok {
			dst = append(dst, Value{I: int64(v) * 1e9})
		}
		return dst
	}, dnsRRSIG),
	dnsRRData("dns.rrsig.signature_inception", FTAbsTime, BaseNone, func(rd []byte, dst []Value) []Value {
		if v, ok := beUint(rd, 12, 4); ok {
			dst = append(dst, Value{I: int64(v) * 1e9})
		}
		return dst
	}, dnsRRSIG),
	dnsRRUint("dns.rrsig.key_tag", FTUint16, BaseDec, 16, 2, 0, dnsRRSIG),
	dnsRRData("dns.rrsig.signers_name", FTString, BaseNone, func(rd []byte, dst []Value) []Value {
		if len(rd) > 18 {
			if name, n := decode.AppendDNSWireName(nil, rd[18:]); n > 0 {
				dst = append(dst, Value{B: name})
			}
		}
		return dst
	}, dnsRRSIG),
	dnsRRData("dns.rrsig.signature", FTBytes, BaseNone, func(rd []byte, dst []Value) []Value {
		if end := rrsigSigner(rd); end > 0 && end < len(rd) {
			dst = append(dst, Value{B: rd[end:]})
		}
		return dst
	}, dnsRRSIG),
	dnsRRUint("dns.nsec3.algo", FTUint8, BaseDec, 0, 1, 0, dnsNSEC3, dnsNSEC3PARAM),
	dnsRRUint("dns.nsec3.flags", FTUint8, BaseDec, 1, 1, 0, dnsNSEC3, dnsNSEC3PARAM),
	dnsRRUint("dns.nsec3.iterations", FTUint16, BaseDec, 2, 2, 0, dnsNSEC3, dnsNSEC3PARAM),
	dnsRRUint("dns.nsec3.salt_length", FTUint8, BaseDec, 4, 1, 0, dnsNSEC3, dnsNSEC3PARAM),
	dnsRRData("dns.nsec3.salt_value", FTBytes, BaseNone, func(rd []byte, dst []Value) []Value {
		if len(rd) >= 5 {
			if n := int(rd[4]); n > 0 && 5+n <= len(rd) {
				dst = append(dst, Value{B: rd[5 : 5+n]})
			}
		}
		return dst
	}, dnsNSEC3, dnsNSEC3PARAM),
}
