package field

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// DHCP/BOOTP fields (Wireshark 4.0 "dhcp.*"), parsed from the message bytes.

func dhcpMsg(f *decode.Frame) ([]byte, bool) { return layerBytes(f, decode.ProtoDHCP) }

// dhcpEachOption calls fn for each option of the DHCP message in f.
func dhcpEachOption(f *decode.Frame, fn func(b []byte, o decode.DHCPOption)) {
	b, ok := dhcpMsg(f)
	if !ok {
		return
	}
	i, cookie := decode.DHCPOptionsStart(b)
	if !cookie {
		return
	}
	for {
		o, next, ok := decode.NextDHCPOption(b, i)
		if !ok {
			return
		}
		fn(b, o)
		if o.Code == 255 {
			return
		}
		i = next
	}
}

// dhcpOpt is a field with one occurrence per option code whose value conv
// accepts; conv appends the values it finds in the option's value.
func dhcpOpt(name string, t Type, base Base, code uint8, conv func(v []byte, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoDHCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			dhcpEachOption(f, func(_ []byte, o decode.DHCPOption) {
				if o.Code == code && o.Len == len(o.Value) {
					dst = conv(o.Value, dst)
				}
			})
			return dst
		}}
}

func optUint(n int) func(v []byte, dst []Value) []Value {
	return func(v []byte, dst []Value) []Value {
		if x, ok := beUint(v, 0, n); ok && len(v) == n {
			dst = append(dst, Value{U: x})
		}
		return dst
	}
}

func optAddrs(v []byte, dst []Value) []Value {
	for ; len(v) >= 4; v = v[4:] {
		dst = append(dst, Value{A: addr4(v)})
	}
	return dst
}

func optAddr(v []byte, dst []Value) []Value {
	if len(v) == 4 {
		dst = append(dst, Value{A: addr4(v)})
	}
	return dst
}

func optString(v []byte, dst []Value) []Value { return append(dst, Value{B: cstr(v)}) }

func optEachByte(v []byte, dst []Value) []Value {
	for _, c := range v {
		dst = append(dst, Value{U: uint64(c)})
	}
	return dst
}

// dhcpHW reports whether the header's client hardware address is an
// Ethernet MAC (type 1 or 6, length 6), shown as dhcp.hw.mac_addr.
func dhcpHW(b []byte) bool {
	return len(b) >= 44 && (b[1] == 1 || b[1] == 6) && b[2] == 6
}

// dhcpClientIDMAC returns the MAC of a client identifier option holding an
// Ethernet address (type 1, 7 bytes).
func dhcpClientIDMAC(o decode.DHCPOption) ([]byte, bool) {
	if o.Code == 61 && o.Len == 7 && len(o.Value) == 7 && o.Value[0] == 1 {
		return o.Value[1:], true
	}
	return nil, false
}

// dhcpHdrString is a NUL-terminated string of the fixed header, absent when empty.
func dhcpHdrString(name string, off, n int) Field {
	return bytesField(name, FTString, decode.ProtoDHCP, func(f *decode.Frame) ([]byte, bool) {
		b, ok := dhcpMsg(f)
		if !ok || off+n > len(b) {
			return nil, false
		}
		s := cstr(b[off : off+n])
		return s, len(s) > 0
	})
}

var dhcpFields = []Field{
	protoField("dhcp", decode.ProtoDHCP),
	layerUint("dhcp.type", FTUint8, BaseDec, decode.ProtoDHCP, 0, 1, 0),
	{Name: "dhcp.hw.type", Type: FTUint8, Base: BaseHex, Proto: decode.ProtoDHCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := dhcpMsg(f)
			if !ok || len(b) < 2 {
				return dst
			}
			dst = append(dst, Value{U: uint64(b[1])})
			dhcpEachOption(f, func(_ []byte, o decode.DHCPOption) {
				if o.Code == 61 && o.Len == 7 && len(o.Value) == 7 && o.Value[0] > 0 && o.Value[0] < 48 {
					dst = append(dst, Value{U: uint64(o.Value[0])})
				}
			})
			return dst
		}},
	layerUint("dhcp.hw.len", FTUint8, BaseDec, decode.ProtoDHCP, 2, 1, 0),
	layerUint("dhcp.hops", FTUint8, BaseDec, decode.ProtoDHCP, 3, 1, 0),
	layerUint("dhcp.id", FTUint32, BaseHex, decode.ProtoDHCP, 4, 4, 0),
	uintField("dhcp.secs", FTUint16, BaseDec, decode.ProtoDHCP, func(f *decode.Frame) (uint64, bool) {
		b, ok := dhcpMsg(f)
		if !ok || len(b) < 10 {
			return 0, false
		}
		return uint64(decode.DHCPSecs(b)), true
	}),
	layerUint("dhcp.flags", FTUint16, BaseHex, decode.ProtoDHCP, 10, 2, 0),
	layerUint("dhcp.flags.bc", FTBoolean, BaseNone, decode.ProtoDHCP, 10, 2, 0x8000),
	layerUint("dhcp.flags.reserved", FTUint16, BaseHex, decode.ProtoDHCP, 10, 2, 0x7fff),
	layerAddr4("dhcp.ip.client", decode.ProtoDHCP, 12),
	layerAddr4("dhcp.ip.your", decode.ProtoDHCP, 16),
	layerAddr4("dhcp.ip.server", decode.ProtoDHCP, 20),
	layerAddr4("dhcp.ip.relay", decode.ProtoDHCP, 24),
	{Name: "dhcp.hw.mac_addr", Type: FTEther, Proto: decode.ProtoDHCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := dhcpMsg(f)
			if !ok {
				return dst
			}
			if dhcpHW(b) {
				dst = append(dst, Value{B: b[28:34]})
			}
			dhcpEachOption(f, func(_ []byte, o decode.DHCPOption) {
				if mac, ok := dhcpClientIDMAC(o); ok {
					dst = append(dst, Value{B: mac})
				}
			})
			return dst
		}},
	bytesField("dhcp.hw.addr_padding", FTBytes, decode.ProtoDHCP, func(f *decode.Frame) ([]byte, bool) {
		b, ok := dhcpMsg(f)
		if !ok || !dhcpHW(b) {
			return nil, false
		}
		return b[34:44], true
	}),
	bytesField("dhcp.hw.addr", FTBytes, decode.ProtoDHCP, func(f *decode.Frame) ([]byte, bool) {
		b, ok := dhcpMsg(f)
		if !ok || len(b) < 44 || dhcpHW(b) {
			return nil, false
		}
		n := int(b[2])
		if n == 0 || n > 16 {
			return nil, false
		}
		return b[28 : 28+n], true
	}),
	dhcpHdrString("dhcp.server", 44, 64),
	dhcpHdrString("dhcp.file", 108, 128),
	addrField("dhcp.cookie", FTIPv4, decode.ProtoDHCP, func(f *decode.Frame) (a netip.Addr, ok bool) {
		b, ok := dhcpMsg(f)
		if !ok {
			return a, false
		}
		if _, cookie := decode.DHCPOptionsStart(b); !cookie {
			return a, false
		}
		return addr4(b[decode.DHCPHeaderLen:]), true
	}),
	{Name: "dhcp.option.type", Type: FTUint8, Base: BaseDec, Proto: decode.ProtoDHCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			dhcpEachOption(f, func(_ []byte, o decode.DHCPOption) {
				if o.Code == 255 {
					dst = append(dst, Value{U: 0}) // Wireshark shows End's type as 0
					return
				}
				dst = append(dst, Value{U: uint64(o.Code)})
			})
			return dst
		}},
	{Name: "dhcp.option.length", Type: FTUint8, Base: BaseDec, Proto: decode.ProtoDHCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			dhcpEachOption(f, func(_ []byte, o decode.DHCPOption) {
				if o.Code != 255 && o.Code != 0 {
					dst = append(dst, Value{U: uint64(o.Len)})
				}
			})
			return dst
		}},
	{Name: "dhcp.option.value", Type: FTBytes, Proto: decode.ProtoDHCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			dhcpEachOption(f, func(_ []byte, o decode.DHCPOption) {
				if o.Code != 255 && o.Code != 0 && o.Len > 0 {
					dst = append(dst, Value{B: o.Value})
				}
			})
			return dst
		}},
	{Name: "dhcp.option.padding", Type: FTBytes, Proto: decode.ProtoDHCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			dhcpEachOption(f, func(b []byte, o decode.DHCPOption) {
				switch {
				case o.Code == 0:
					dst = append(dst, Value{B: o.Value})
				case o.Code == 255 && o.Off+1 < len(b):
					dst = append(dst, Value{B: b[o.Off+1:]})
				}
			})
			return dst
		}},
	{Name: "dhcp.option.end", Type: FTUint8, Base: BaseDec, Proto: decode.ProtoDHCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			dhcpEachOption(f, func(_ []byte, o decode.DHCPOption) {
				if o.Code == 255 {
					dst = append(dst, Value{U: 255})
				}
			})
			return dst
		}},
	dhcpOpt("dhcp.option.dhcp", FTUint8, BaseDec, 53, optUint(1)),
	dhcpOpt("dhcp.option.subnet_mask", FTIPv4, BaseNone, 1, optAddr),
	dhcpOpt("dhcp.option.router", FTIPv4, BaseNone, 3, optAddrs),
	dhcpOpt("dhcp.option.domain_name_server", FTIPv4, BaseNone, 6, optAddrs),
	dhcpOpt("dhcp.option.hostname", FTString, BaseNone, 12, optString),
	dhcpOpt("dhcp.option.domain_name", FTString, BaseNone, 15, optString),
	dhcpOpt("dhcp.option.interface_mtu", FTUint16, BaseDec, 26, optUint(2)),
	dhcpOpt("dhcp.option.broadcast_address", FTIPv4, BaseNone, 28, optAddr),
	dhcpOpt("dhcp.option.ntp_server", FTIPv4, BaseNone, 42, optAddrs),
	dhcpOpt("dhcp.option.netbios_over_tcpip_name_server", FTIPv4, BaseNone, 44, optAddrs),
	dhcpOpt("dhcp.option.requested_ip_address", FTIPv4, BaseNone, 50, optAddr),
	dhcpOpt("dhcp.option.ip_address_lease_time", FTUint32, BaseDec, 51, optUint(4)),
	dhcpOpt("dhcp.option.dhcp_server_id", FTIPv4, BaseNone, 54, optAddr),
	dhcpOpt("dhcp.option.request_list_item", FTUint8, BaseDec, 55, optEachByte),
	dhcpOpt("dhcp.option.message", FTString, BaseNone, 56, optString),
	dhcpOpt("dhcp.option.dhcp_max_message_size", FTUint16, BaseDec, 57, optUint(2)),
	dhcpOpt("dhcp.option.renewal_time_value", FTUint32, BaseDec, 58, optUint(4)),
	dhcpOpt("dhcp.option.rebinding_time_value", FTUint32, BaseDec, 59, optUint(4)),
	dhcpOpt("dhcp.option.vendor_class_id", FTString, BaseNone, 60, optString),
}
