package field

import (
	"github.com/wirewatch/wirewatch/decode"
)

// DHCPv6 fields (Wireshark 4.0 "dhcpv6.*"), parsed from the message bytes.

func dhcpv6Msg(f *decode.Frame) ([]byte, bool) { return layerBytes(f, decode.ProtoDHCPv6) }

// dhcpv6Opt is a field with the values get finds in each option (of any
// depth) whose code is code (0: every option).
func dhcpv6Opt(name string, t Type, base Base, code uint16, get func(o decode.DHCPv6Option, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoDHCPv6,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := dhcpv6Msg(f)
			if !ok {
				return dst
			}
			decode.EachDHCPv6Option(b, func(o decode.DHCPv6Option) bool {
				if code == 0 || o.Code == code {
					dst = get(o, dst)
				}
				return true
			})
			return dst
		}}
}

// v6Uint appends the n-byte value at off of the option.
func v6Uint(off, n int) func(o decode.DHCPv6Option, dst []Value) []Value {
	return func(o decode.DHCPv6Option, dst []Value) []Value {
		if v, ok := beUint(o.Value, off, n); ok {
			dst = append(dst, Value{U: v})
		}
		return dst
	}
}

// dhcpv6DUID is a DUID field of the client and server identifiers.
func dhcpv6DUID(name string, t Type, base Base, get func(d []byte, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoDHCPv6,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := dhcpv6Msg(f)
			if !ok {
				return dst
			}
			decode.EachDHCPv6Option(b, func(o decode.DHCPv6Option) bool {
				if (o.Code == 1 || o.Code == 2) && len(o.Value) >= 2 && len(o.Value) == o.Len {
					dst = get(o.Value, dst)
				}
				return true
			})
			return dst
		}}
}

// dhcpv6Texts is a string field of the texts decode built.
func dhcpv6Texts(name string, get func(m *decode.DHCPv6) [][]byte) Field {
	return Field{Name: name, Type: FTString, Proto: decode.ProtoDHCPv6,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !f.Has(decode.ProtoDHCPv6) {
				return dst
			}
			for _, b := range get(&f.DHCPv6) {
				dst = append(dst, Value{B: b})
			}
			return dst
		}}
}

var dhcpv6Fields = []Field{
	protoField("dhcpv6", decode.ProtoDHCPv6),
	layerUint("dhcpv6.msgtype", FTUint8, BaseDec, decode.ProtoDHCPv6, 0, 1, 0),
	uintField("dhcpv6.xid", FTUint24, BaseHex, decode.ProtoDHCPv6, func(f *decode.Frame) (uint64, bool) {
		b, ok := dhcpv6Msg(f)
		if !ok || len(b) < 4 || b[0] == 12 || b[0] == 13 {
			return 0, false
		}
		v, _ := beUint(b, 1, 3)
		return v, true
	}),
	dhcpv6Opt("dhcpv6.option.type", FTUint16, BaseDec, 0, func(o decode.DHCPv6Option, dst []Value) []Value {
		return append(dst, Value{U: uint64(o.Code)})
	}),
	dhcpv6Opt("dhcpv6.option.length", FTUint16, BaseDec, 0, func(o decode.DHCPv6Option, dst []Value) []Value {
		return append(dst, Value{U: uint64(o.Len)})
	}),
	dhcpv6DUID("dhcpv6.duid.bytes", FTBytes, BaseNone, func(d []byte, dst []Value) []Value { return append(dst, Value{B: d}) }),
	dhcpv6DUID("dhcpv6.duid.type", FTUint16, BaseDec, func(d []byte, dst []Value) []Value {
		return append(dst, Value{U: uint64(d[0])<<8 | uint64(d[1])})
	}),
	dhcpv6DUID("dhcpv6.duidllt.hwtype", FTUint16, BaseDec, func(d []byte, dst []Value) []Value {
		if d[1] != 1 || d[0] != 0 || len(d) < 8 {
			return dst
		}
		return append(dst, Value{U: uint64(d[2])<<8 | uint64(d[3])})
	}),
	dhcpv6DUID("dhcpv6.duidllt.time", FTAbsTime, BaseNone, func(d []byte, dst []Value) []Value {
		if d[1] != 1 || d[0] != 0 || len(d) < 8 {
			return dst
		}
		s, _ := beUint(d, 4, 4)
		return append(dst, Value{I: (int64(s) + 946684800) * 1e9})
	}),
	dhcpv6Texts("dhcpv6.duidllt.link_layer_addr", func(m *decode.DHCPv6) [][]byte { return m.LLT }),
	dhcpv6DUID("dhcpv6.duidll.hwtype", FTUint16, BaseDec, func(d []byte, dst []Value) []Value {
		if d[1] != 3 || d[0] != 0 || len(d) < 4 {
			return dst
		}
		return append(dst, Value{U: uint64(d[2])<<8 | uint64(d[3])})
	}),
	dhcpv6Texts("dhcpv6.duidll.link_layer_addr", func(m *decode.DHCPv6) [][]byte { return m.LL }),
	dhcpv6Texts("dhcpv6.iaid", func(m *decode.DHCPv6) [][]byte { return m.IAIDs }),
	dhcpv6Texts("dhcpv6.client_domain", func(m *decode.DHCPv6) [][]byte { return m.Domains }),
	dhcpv6Opt("dhcpv6.iaid.t1", FTUint32, BaseDec, 0, func(o decode.DHCPv6Option, dst []Value) []Value {
		if o.Code == 3 || o.Code == 25 {
			return v6Uint(4, 4)(o, dst)
		}
		return dst
	}),
	dhcpv6Opt("dhcpv6.iaid.t2", FTUint32, BaseDec, 0, func(o decode.DHCPv6Option, dst []Value) []Value {
		if o.Code == 3 || o.Code == 25 {
			return v6Uint(8, 4)(o, dst)
		}
		return dst
	}),
	dhcpv6Opt("dhcpv6.iaaddr.ip", FTIPv6, BaseNone, 5, func(o decode.DHCPv6Option, dst []Value) []Value {
		if len(o.Value) >= 16 {
			dst = append(dst, Value{A: addr16(o.Value)})
		}
		return dst
	}),
	dhcpv6Opt("dhcpv6.iaaddr.pref_lifetime", FTUint32, BaseDec, 5, v6Uint(16, 4)),
	dhcpv6Opt("dhcpv6.iaaddr.valid_lifetime", FTUint32, BaseDec, 5, v6Uint(20, 4)),
	dhcpv6Opt("dhcpv6.iaprefix.pref_lifetime", FTUint32, BaseDec, 26, v6Uint(0, 4)),
	dhcpv6Opt("dhcpv6.iaprefix.valid_lifetime", FTUint32, BaseDec, 26, v6Uint(4, 4)),
	dhcpv6Opt("dhcpv6.iaprefix.pref_len", FTUint8, BaseDec, 26, v6Uint(8, 1)),
	dhcpv6Opt("dhcpv6.iaprefix.pref_addr", FTIPv6, BaseNone, 26, func(o decode.DHCPv6Option, dst []Value) []Value {
		if len(o.Value) >= 25 {
			dst = append(dst, Value{A: addr16(o.Value[9:])})
		}
		return dst
	}),
	dhcpv6Opt("dhcpv6.requested_option_code", FTUint16, BaseDec, 6, func(o decode.DHCPv6Option, dst []Value) []Value {
		for v := o.Value; len(v) >= 2; v = v[2:] {
			dst = append(dst, Value{U: uint64(v[0])<<8 | uint64(v[1])})
		}
		return dst
	}),
	dhcpv6Opt("dhcpv6.elapsed_time", FTUint16, BaseDec, 8, func(o decode.DHCPv6Option, dst []Value) []Value {
		if v, ok := beUint(o.Value, 0, 2); ok {
			dst = append(dst, Value{U: v * 10})
		}
		return dst
	}),
	dhcpv6Opt("dhcpv6.dns_server", FTIPv6, BaseNone, 23, func(o decode.DHCPv6Option, dst []Value) []Value {
		for v := o.Value; len(v) >= 16; v = v[16:] {
			dst = append(dst, Value{A: addr16(v)})
		}
		return dst
	}),
	dhcpv6Opt("dhcpv6.vendorclass.enterprise", FTUint32, BaseDec, 16, v6Uint(0, 4)),
	dhcpv6Opt("dhcpv6.vendorclass.data", FTString, BaseNone, 16, func(o decode.DHCPv6Option, dst []Value) []Value {
		for v := o.Value[min(4, len(o.Value)):]; len(v) >= 2; {
			n := int(v[0])<<8 | int(v[1])
			if 2+n > len(v) {
				break
			}
			dst = append(dst, Value{B: cstr(v[2 : 2+n])})
			v = v[2+n:]
		}
		return dst
	}),
	dhcpv6Opt("dhcpv6.client_fqdn_flags", FTUint8, BaseHex, 39, v6Uint(0, 1)),
	dhcpv6Opt("dhcpv6.clientfqdn.client.s", FTBoolean, BaseNone, 39, func(o decode.DHCPv6Option, dst []Value) []Value {
		if len(o.Value) >= 1 {
			dst = append(dst, Value{U: uint64(o.Value[0] & 1)})
		}
		return dst
	}),
	dhcpv6Opt("dhcpv6.clientfqdn.client.n", FTBoolean, BaseNone, 39, func(o decode.DHCPv6Option, dst []Value) []Value {
		if len(o.Value) >= 1 {
			dst = append(dst, Value{U: uint64(o.Value[0] >> 2 & 1)})
		}
		return dst
	}),
}
