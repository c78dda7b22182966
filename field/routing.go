package field

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// Fields of the routing, infrastructure and transport dissectors of
// decode/routing.go (Wireshark 4.0 names): TFTP, PIM, OSPF, VRRP, EIGRP,
// IS-IS, HSRP, LACP, BGP and RADIUS. SCTP's are in sctp.go.

// when restricts fl to the frames whose p layer satisfies cond.
func when(fl Field, cond func(b []byte) bool) Field {
	get := fl.Get
	fl.Get = func(f *decode.Frame, dst []Value) []Value {
		if b, ok := layerBytes(f, fl.Proto); !ok || !cond(b) {
			return dst
		}
		return get(f, dst)
	}
	return fl
}

// layerField is a field computed from p's layer bytes: get appends its
// occurrences.
func layerField(name string, t Type, base Base, p decode.Proto, get func(b []byte, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: p,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := layerBytes(f, p)
			if !ok {
				return dst
			}
			return get(b, dst)
		}}
}

func tftpOp(b []byte) uint16 {
	if len(b) < 2 {
		return 0
	}
	return uint16(b[0])<<8 | uint16(b[1])
}

// tftpAfterRequest is a generated field of the datagrams after a TFTP request.
func tftpAfterRequest(name string, t Type, get func(f *decode.Frame) (Value, bool)) Field {
	return Field{Name: name, Type: t, Proto: decode.ProtoTFTP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := layerBytes(f, decode.ProtoTFTP)
			if !ok || f.TFTP.ReqFrame == 0 {
				return dst
			}
			if op := tftpOp(b); op == decode.TFTPRead || op == decode.TFTPWrite {
				return dst
			}
			if v, ok := get(f); ok {
				dst = append(dst, v)
			}
			return dst
		}}
}

func tftpIsBlock(b []byte) bool {
	op := tftpOp(b)
	return op == decode.TFTPData || op == decode.TFTPAck
}

var tftpFields = []Field{
	protoField("tftp", decode.ProtoTFTP),
	layerUint("tftp.opcode", FTUint16, BaseDec, decode.ProtoTFTP, 0, 2, 0),
	layerField("tftp.source_file", FTString, BaseNone, decode.ProtoTFTP, func(b []byte, dst []Value) []Value {
		if file, _, ok := decode.TFTPRequestStrings(b); ok && tftpOp(b) == decode.TFTPRead {
			dst = append(dst, Value{B: file})
		}
		return dst
	}),
	{Name: "tftp.destination_file", Type: FTString, Proto: decode.ProtoTFTP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := layerBytes(f, decode.ProtoTFTP)
			if !ok {
				return dst
			}
			switch tftpOp(b) {
			case decode.TFTPWrite:
				file, _, _ := decode.TFTPRequestStrings(b)
				return append(dst, Value{B: file})
			case decode.TFTPRead:
				return dst
			}
			if f.TFTP.ReqFrame != 0 {
				// Wireshark 4.0 shows the request's file under this name
				// for reads and writes alike.
				dst = append(dst, Value{B: f.TFTP.File})
			}
			return dst
		}},
	tftpAfterRequest("tftp.request_frame", FTFrameNum, func(f *decode.Frame) (Value, bool) {
		return Value{U: f.TFTP.ReqFrame}, true
	}),
	layerField("tftp.type", FTString, BaseNone, decode.ProtoTFTP, func(b []byte, dst []Value) []Value {
		if _, mode, ok := decode.TFTPRequestStrings(b); ok && mode != nil {
			dst = append(dst, Value{B: mode})
		}
		return dst
	}),
	layerField("tftp.option.name", FTString, BaseNone, decode.ProtoTFTP, func(b []byte, dst []Value) []Value {
		decode.TFTPOptions(b, func(name, _ []byte) { dst = append(dst, Value{B: name}) })
		return dst
	}),
	layerField("tftp.option.value", FTString, BaseNone, decode.ProtoTFTP, func(b []byte, dst []Value) []Value {
		decode.TFTPOptions(b, func(_, value []byte) { dst = append(dst, Value{B: value}) })
		return dst
	}),
	when(layerUint("tftp.block", FTUint16, BaseDec, decode.ProtoTFTP, 2, 2, 0), tftpIsBlock),
	when(tftpAfterRequest("tftp.block.full", FTUint32, func(f *decode.Frame) (Value, bool) {
		b, _ := layerBytes(f, decode.ProtoTFTP)
		if len(b) < 4 {
			return Value{}, false
		}
		return Value{U: uint64(b[2])<<8 | uint64(b[3])}, true
	}), tftpIsBlock),
	when(layerUint("tftp.error.code", FTUint16, BaseDec, decode.ProtoTFTP, 2, 2, 0), func(b []byte) bool { return tftpOp(b) == decode.TFTPError }),
	layerField("tftp.error.message", FTString, BaseNone, decode.ProtoTFTP, func(b []byte, dst []Value) []Value {
		if tftpOp(b) == decode.TFTPError && len(b) >= 4 {
			dst = append(dst, Value{B: cstr(b[4:])})
		}
		return dst
	}),
}

// pimOption calls fn for each option of a PIM Hello (type, value).
func pimOptions(b []byte, fn func(t uint16, v []byte)) {
	if len(b) < 4 || b[0]&0xf != 0 {
		return
	}
	for off := 4; off+4 <= len(b); {
		t, n := uint16(b[off])<<8|uint16(b[off+1]), int(b[off+2])<<8|int(b[off+3])
		end := off + 4 + n
		if end > len(b) {
			return
		}
		fn(t, b[off+4:end])
		off = end
	}
}

// pimOpt is a Hello option's value field: n bytes at off of option t.
func pimOpt(name string, t Type, base Base, opt uint16, off, n int, mask uint64) Field {
	shift := 0
	for mask != 0 && mask>>shift&1 == 0 {
		shift++
	}
	return layerField(name, t, base, decode.ProtoPIM, func(b []byte, dst []Value) []Value {
		pimOptions(b, func(ot uint16, v []byte) {
			if ot != opt {
				return
			}
			if u, ok := beUint(v, off, n); ok {
				if mask != 0 {
					u = u & mask >> shift
				}
				dst = append(dst, Value{U: u})
			}
		})
		return dst
	})
}

var pimFields = []Field{
	protoField("pim", decode.ProtoPIM),
	layerUint("pim.version", FTUint8, BaseDec, decode.ProtoPIM, 0, 1, 0xf0),
	layerUint("pim.type", FTUint8, BaseDec, decode.ProtoPIM, 0, 1, 0x0f),
	layerField("pim.res_bytes", FTBytes, BaseNone, decode.ProtoPIM, func(b []byte, dst []Value) []Value {
		if len(b) >= 2 {
			dst = append(dst, Value{B: b[1:2]})
		}
		return dst
	}),
	layerUint("pim.cksum", FTUint16, BaseHex, decode.ProtoPIM, 2, 2, 0),
	layerField("pim.optiontype", FTUint16, BaseDec, decode.ProtoPIM, func(b []byte, dst []Value) []Value {
		pimOptions(b, func(t uint16, _ []byte) { dst = append(dst, Value{U: uint64(t)}) })
		return dst
	}),
	layerField("pim.optionlength", FTUint16, BaseDec, decode.ProtoPIM, func(b []byte, dst []Value) []Value {
		pimOptions(b, func(_ uint16, v []byte) { dst = append(dst, Value{U: uint64(len(v))}) })
		return dst
	}),
	pimOpt("pim.holdtime", FTUint16, BaseDec, 1, 0, 2, 0),
	pimOpt("pim.t", FTBoolean, BaseNone, 2, 0, 1, 0x80),
	pimOpt("pim.propagation_delay", FTUint16, BaseDec, 2, 0, 2, 0x7fff),
	pimOpt("pim.override_interval", FTUint16, BaseDec, 2, 2, 2, 0),
	pimOpt("pim.dr_priority", FTUint32, BaseDec, 19, 0, 4, 0),
	pimOpt("pim.generation_id", FTUint32, BaseDec, 20, 0, 4, 0),
	pimOpt("pim.state_refresh_version", FTUint8, BaseDec, 21, 0, 1, 0),
	pimOpt("pim.state_refresh_interval", FTUint8, BaseDec, 21, 1, 1, 0),
	pimOpt("pim.state_refresh_reserved", FTUint16, BaseDec, 21, 2, 2, 0),
}

func ospfV2(b []byte) bool     { return len(b) > 1 && b[0] == 2 }
func ospfV3(b []byte) bool     { return len(b) > 1 && b[0] == 3 }
func ospfHello2(b []byte) bool { return ospfV2(b) && b[1] == 1 }
func ospfHello3(b []byte) bool { return ospfV3(b) && b[1] == 1 }

// ospfAddrs is the list of IPv4 addresses from off to the end of the packet.
func ospfAddrs(name string, v3 bool, off int) Field {
	return layerField(name, FTIPv4, BaseNone, decode.ProtoOSPF, func(b []byte, dst []Value) []Value {
		if len(b) < 4 || b[1] != 1 || (b[0] == 3) != v3 {
			return dst
		}
		end := int(b[2])<<8 | int(b[3])
		if end > len(b) {
			end = len(b)
		}
		for o := off; o+4 <= end; o += 4 {
			dst = append(dst, Value{A: netip.AddrFrom4([4]byte(b[o : o+4]))})
		}
		return dst
	})
}

var ospfFields = []Field{
	protoField("ospf", decode.ProtoOSPF),
	layerUint("ospf.version", FTUint8, BaseDec, decode.ProtoOSPF, 0, 1, 0),
	layerUint("ospf.msg", FTUint8, BaseDec, decode.ProtoOSPF, 1, 1, 0),
	layerUint("ospf.packet_length", FTUint16, BaseDec, decode.ProtoOSPF, 2, 2, 0),
	layerAddr4("ospf.srcrouter", decode.ProtoOSPF, 4),
	layerAddr4("ospf.area_id", decode.ProtoOSPF, 8),
	layerUint("ospf.checksum", FTUint16, BaseHex, decode.ProtoOSPF, 12, 2, 0),
	when(layerUint("ospf.auth.type", FTUint16, BaseDec, decode.ProtoOSPF, 14, 2, 0), ospfV2),
	when(layerUint("ospf.instance_id", FTUint8, BaseDec, decode.ProtoOSPF, 14, 1, 0), ospfV3),
	when(layerAddr4("ospf.hello.network_mask", decode.ProtoOSPF, 24), ospfHello2),
	when(layerUint("ospf.hello.hello_interval", FTUint32, BaseDec, decode.ProtoOSPF, 28, 2, 0), ospfHello2),
	when(layerUint("ospf.hello.router_priority", FTUint8, BaseDec, decode.ProtoOSPF, 31, 1, 0), ospfHello2),
	when(layerUint("ospf.hello.router_dead_interval", FTUint32, BaseDec, decode.ProtoOSPF, 32, 4, 0), ospfHello2),
	when(layerAddr4("ospf.hello.designated_router", decode.ProtoOSPF, 36), ospfHello2),
	when(layerAddr4("ospf.hello.backup_designated_router", decode.ProtoOSPF, 40), ospfHello2),
	ospfAddrs("ospf.hello.active_neighbor", false, 44),
	when(layerUint("ospf.hello.interface_id", FTUint32, BaseDec, decode.ProtoOSPF, 16, 4, 0), ospfHello3),
}

func vrrpV2(b []byte) bool { return len(b) > 0 && b[0]>>4 == 2 }
func vrrpV3(b []byte) bool { return len(b) > 0 && b[0]>>4 == 3 }

// vrrpAddrs lists the virtual addresses (count at byte 3) after the
// header: IPv4 ones over IPv4, IPv6 ones over IPv6.
func vrrpAddrs(name string, t Type) Field {
	return Field{Name: name, Type: t, Proto: decode.ProtoVRRP, Get: func(f *decode.Frame, dst []Value) []Value {
		b, ok := layerBytes(f, decode.ProtoVRRP)
		if !ok || len(b) < 8 || (f.Has(decode.ProtoIPv6) && !f.Has(decode.ProtoIP)) != (t == FTIPv6) {
			return dst
		}
		n := 4
		if t == FTIPv6 {
			n = 16
		}
		for i, o := 0, 8; i < int(b[3]) && o+n <= len(b); i, o = i+1, o+n {
			if n == 4 {
				dst = append(dst, Value{A: netip.AddrFrom4([4]byte(b[o : o+4]))})
			} else {
				dst = append(dst, Value{A: netip.AddrFrom16([16]byte(b[o : o+16]))})
			}
		}
		return dst
	}}
}

var vrrpFields = []Field{
	protoField("vrrp", decode.ProtoVRRP),
	layerUint("vrrp.typever", FTUint8, BaseDec, decode.ProtoVRRP, 0, 1, 0),
	layerUint("vrrp.version", FTUint8, BaseDec, decode.ProtoVRRP, 0, 1, 0xf0),
	layerUint("vrrp.type", FTUint8, BaseDec, decode.ProtoVRRP, 0, 1, 0x0f),
	layerUint("vrrp.virt_rtr_id", FTUint8, BaseDec, decode.ProtoVRRP, 1, 1, 0),
	layerUint("vrrp.prio", FTUint8, BaseDec, decode.ProtoVRRP, 2, 1, 0),
	layerUint("vrrp.addr_count", FTUint8, BaseDec, decode.ProtoVRRP, 3, 1, 0),
	when(layerUint("vrrp.auth_type", FTUint8, BaseDec, decode.ProtoVRRP, 4, 1, 0), vrrpV2),
	when(layerUint("vrrp.adver_int", FTUint8, BaseDec, decode.ProtoVRRP, 5, 1, 0), vrrpV2),
	when(layerUint("vrrp.reserved_mbz", FTUint8, BaseDec, decode.ProtoVRRP, 4, 1, 0xf0), vrrpV3),
	when(layerUint("vrrp.short_adver_int", FTUint16, BaseDec, decode.ProtoVRRP, 4, 2, 0x0fff), vrrpV3),
	layerUint("vrrp.checksum", FTUint16, BaseHex, decode.ProtoVRRP, 6, 2, 0),
	vrrpAddrs("vrrp.ip_addr", FTIPv4),
	vrrpAddrs("vrrp.ipv6_addr", FTIPv6),
}

var eigrpFields = []Field{
	protoField("eigrp", decode.ProtoEIGRP),
	layerUint("eigrp.version", FTUint8, BaseDec, decode.ProtoEIGRP, 0, 1, 0),
	layerUint("eigrp.opcode", FTUint8, BaseDec, decode.ProtoEIGRP, 1, 1, 0),
	layerUint("eigrp.checksum", FTUint16, BaseHex, decode.ProtoEIGRP, 2, 2, 0),
	layerUint("eigrp.flags", FTUint32, BaseHex, decode.ProtoEIGRP, 4, 4, 0),
	layerUint("eigrp.flags.init", FTBoolean, BaseNone, decode.ProtoEIGRP, 4, 4, 0x1),
	layerUint("eigrp.flags.condrecv", FTBoolean, BaseNone, decode.ProtoEIGRP, 4, 4, 0x2),
	layerUint("eigrp.flags.restart", FTBoolean, BaseNone, decode.ProtoEIGRP, 4, 4, 0x4),
	layerUint("eigrp.flags.eot", FTBoolean, BaseNone, decode.ProtoEIGRP, 4, 4, 0x8),
	layerUint("eigrp.seq", FTUint32, BaseDec, decode.ProtoEIGRP, 8, 4, 0),
	layerUint("eigrp.ack", FTUint32, BaseDec, decode.ProtoEIGRP, 12, 4, 0),
	layerUint("eigrp.vrid", FTUint16, BaseDec, decode.ProtoEIGRP, 16, 2, 0),
	layerUint("eigrp.as", FTUint16, BaseDec, decode.ProtoEIGRP, 18, 2, 0),
}

var isisFields = []Field{
	// Wireshark's OSI layer under IS-IS names itself in frame.protocols
	// but adds no tree item: the filter "osi" is valid and matches nothing.
	{Name: "osi", Type: FTProtocol, Proto: decode.ProtoISIS, Get: func(f *decode.Frame, dst []Value) []Value { return dst }},
	protoField("isis", decode.ProtoISIS),
	layerUint("isis.irpd", FTUint8, BaseHex, decode.ProtoISIS, 0, 1, 0),
	layerUint("isis.len", FTUint8, BaseDec, decode.ProtoISIS, 1, 1, 0),
	layerUint("isis.version", FTUint8, BaseDec, decode.ProtoISIS, 2, 1, 0),
	layerUint("isis.sysid_len", FTUint8, BaseDec, decode.ProtoISIS, 3, 1, 0),
	layerUint("isis.type", FTUint8, BaseDec, decode.ProtoISIS, 4, 1, 0x1f),
	layerUint("isis.version2", FTUint8, BaseDec, decode.ProtoISIS, 5, 1, 0),
	layerUint("isis.reserved", FTUint8, BaseDec, decode.ProtoISIS, 6, 1, 0),
	layerUint("isis.max_area_adr", FTUint8, BaseDec, decode.ProtoISIS, 7, 1, 0),
}

func hsrpV1(b []byte) bool { return len(b) > 0 && b[0] == 0 }

// hsrp2Group is a field of an HSRPv2 group state TLV (type 1): n bytes at
// off of its value.
func hsrp2Group(name string, t Type, base Base, tlv uint8, off, n int) Field {
	return layerField(name, t, base, decode.ProtoHSRP, func(b []byte, dst []Value) []Value {
		if hsrpV1(b) {
			return dst
		}
		decode.HSRPTLVs(b, func(tt uint8, v []byte, _ int) {
			if tt != tlv || off+n > len(v) {
				return
			}
			switch t {
			case FTEther:
				dst = append(dst, Value{B: v[off : off+n]})
			case FTIPv4:
				dst = append(dst, Value{A: netip.AddrFrom4([4]byte(v[off : off+4]))})
			case FTIPv6:
				dst = append(dst, Value{A: netip.AddrFrom16([16]byte(v[off : off+16]))})
			default:
				u, _ := beUint(v, off, n)
				dst = append(dst, Value{U: u})
			}
		})
		return dst
	})
}

var hsrpFields = []Field{
	protoField("hsrp", decode.ProtoHSRP),
	when(layerUint("hsrp.version", FTUint8, BaseDec, decode.ProtoHSRP, 0, 1, 0), hsrpV1),
	when(layerUint("hsrp.opcode", FTUint8, BaseDec, decode.ProtoHSRP, 1, 1, 0), hsrpV1),
	when(layerUint("hsrp.state", FTUint8, BaseDec, decode.ProtoHSRP, 2, 1, 0), hsrpV1),
	when(layerUint("hsrp.hellotime", FTUint8, BaseDec, decode.ProtoHSRP, 3, 1, 0), hsrpV1),
	when(layerUint("hsrp.holdtime", FTUint8, BaseDec, decode.ProtoHSRP, 4, 1, 0), hsrpV1),
	when(layerUint("hsrp.priority", FTUint8, BaseDec, decode.ProtoHSRP, 5, 1, 0), hsrpV1),
	when(layerUint("hsrp.group", FTUint8, BaseDec, decode.ProtoHSRP, 6, 1, 0), hsrpV1),
	when(layerUint("hsrp.reserved", FTUint8, BaseDec, decode.ProtoHSRP, 7, 1, 0), hsrpV1),
	layerField("hsrp.auth_data", FTString, BaseNone, decode.ProtoHSRP, func(b []byte, dst []Value) []Value {
		if hsrpV1(b) && len(b) >= 16 {
			dst = append(dst, Value{B: cstr(b[8:16])})
		}
		return dst
	}),
	when(layerAddr4("hsrp.virt_ip", decode.ProtoHSRP, 16), hsrpV1),
	hsrp2Group("hsrp2.version", FTUint8, BaseDec, 1, 0, 1),
	hsrp2Group("hsrp2.opcode", FTUint8, BaseDec, 1, 1, 1),
	hsrp2Group("hsrp2.state", FTUint8, BaseDec, 1, 2, 1),
	hsrp2Group("hsrp2.ipversion", FTUint8, BaseDec, 1, 3, 1),
	hsrp2Group("hsrp2.group", FTUint16, BaseDec, 1, 4, 2),
	hsrp2Group("hsrp2.identifier", FTEther, BaseNone, 1, 6, 6),
	hsrp2Group("hsrp2.priority", FTUint32, BaseDec, 1, 12, 4),
	hsrp2Group("hsrp2.hellotime", FTUint32, BaseDec, 1, 16, 4),
	hsrp2Group("hsrp2.holdtime", FTUint32, BaseDec, 1, 20, 4),
	layerField("hsrp2.virt_ip", FTIPv4, BaseNone, decode.ProtoHSRP, func(b []byte, dst []Value) []Value {
		return hsrp2VirtIP(b, dst, 4)
	}),
	layerField("hsrp2.virt_ip_v6", FTIPv6, BaseNone, decode.ProtoHSRP, func(b []byte, dst []Value) []Value {
		return hsrp2VirtIP(b, dst, 6)
	}),
	hsrp2Group("hsrp2.active_groups", FTUint16, BaseDec, 2, 0, 2),
	hsrp2Group("hsrp2.passive_groups", FTUint16, BaseDec, 2, 2, 2),
}

// hsrp2VirtIP appends the virtual address of a group state TLV of IP version ipv.
func hsrp2VirtIP(b []byte, dst []Value, ipv uint8) []Value {
	if hsrpV1(b) {
		return dst
	}
	decode.HSRPTLVs(b, func(t uint8, v []byte, _ int) {
		if t != 1 || len(v) < 40 || v[3] != ipv {
			return
		}
		if ipv == 4 {
			dst = append(dst, Value{A: netip.AddrFrom4([4]byte(v[24:28]))})
		} else {
			dst = append(dst, Value{A: netip.AddrFrom16([16]byte(v[24:40]))})
		}
	})
	return dst
}

// lacpParty lists the fields of the actor (off 2) or partner (off 22) TLV.
func lacpParty(who string, off int) []Field {
	p := decode.ProtoLACP
	return []Field{
		layerUint("lacp."+who+".sys_priority", FTUint16, BaseDec, p, off+2, 2, 0),
		layerField("lacp."+who+".sysid", FTEther, BaseNone, p, func(b []byte, dst []Value) []Value {
			if off+10 <= len(b) {
				dst = append(dst, Value{B: b[off+4 : off+10]})
			}
			return dst
		}),
		layerUint("lacp."+who+".key", FTUint16, BaseDec, p, off+10, 2, 0),
		layerUint("lacp."+who+".port_priority", FTUint16, BaseDec, p, off+12, 2, 0),
		layerUint("lacp."+who+".port", FTUint16, BaseDec, p, off+14, 2, 0),
		layerUint("lacp."+who+".state", FTUint8, BaseHex, p, off+16, 1, 0),
		layerUint("lacp."+who+".state.activity", FTBoolean, BaseNone, p, off+16, 1, 0x01),
		layerUint("lacp."+who+".state.timeout", FTBoolean, BaseNone, p, off+16, 1, 0x02),
		layerUint("lacp."+who+".state.aggregation", FTBoolean, BaseNone, p, off+16, 1, 0x04),
		layerUint("lacp."+who+".state.synchronization", FTBoolean, BaseNone, p, off+16, 1, 0x08),
		layerUint("lacp."+who+".state.collecting", FTBoolean, BaseNone, p, off+16, 1, 0x10),
		layerUint("lacp."+who+".state.distributing", FTBoolean, BaseNone, p, off+16, 1, 0x20),
		layerUint("lacp."+who+".state.defaulted", FTBoolean, BaseNone, p, off+16, 1, 0x40),
		layerUint("lacp."+who+".state.expired", FTBoolean, BaseNone, p, off+16, 1, 0x80),
	}
}

var lacpFields = append(append([]Field{
	protoField("slow", decode.ProtoLACP),
	protoField("lacp", decode.ProtoLACP),
	layerUint("lacp.version", FTUint8, BaseHex, decode.ProtoLACP, 1, 1, 0),
}, lacpParty("actor", 2)...), lacpParty("partner", 22)...)

// bgpMsgField lists a header field of every BGP message of the segment.
func bgpMsgField(name string, t Type, base Base, off, n int) Field {
	return layerField(name, t, base, decode.ProtoBGP, func(b []byte, dst []Value) []Value {
		decode.BGPMessages(b, func(m []byte) {
			if t == FTBytes {
				dst = append(dst, Value{B: m[off : off+n]})
				return
			}
			u, _ := beUint(m, off, n)
			dst = append(dst, Value{U: u})
		})
		return dst
	})
}

var bgpFields = []Field{
	protoField("bgp", decode.ProtoBGP),
	bgpMsgField("bgp.marker", FTBytes, BaseNone, 0, 16),
	bgpMsgField("bgp.length", FTUint16, BaseDec, 16, 2),
	bgpMsgField("bgp.type", FTUint8, BaseDec, 18, 1),
}

var radiusFields = []Field{
	protoField("radius", decode.ProtoRADIUS),
	layerUint("radius.code", FTUint8, BaseDec, decode.ProtoRADIUS, 0, 1, 0),
	layerUint("radius.id", FTUint8, BaseDec, decode.ProtoRADIUS, 1, 1, 0),
	layerUint("radius.length", FTUint16, BaseDec, decode.ProtoRADIUS, 2, 2, 0),
	layerField("radius.authenticator", FTBytes, BaseNone, decode.ProtoRADIUS, func(b []byte, dst []Value) []Value {
		if len(b) >= 20 {
			dst = append(dst, Value{B: b[4:20]})
		}
		return dst
	}),
}
