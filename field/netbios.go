package field

import (
	"github.com/wirewatch/wirewatch/decode"
)

// Fields of NetBEUI (the NetBIOS Frames protocol over LLC) and IPX
// (decode/netbios.go), parsed from the layers' bytes.

// netbiosCmdField is a NetBIOS field present for the commands in cmds (a
// bit set over command numbers 0..31): get reads it from header h.
func netbiosCmdField(name string, t Type, base Base, cmds uint32, get func(h []byte, dst []Value) []Value) Field {
	return layerField(name, t, base, decode.ProtoNetBIOS, func(h []byte, dst []Value) []Value {
		if len(h) < 14 || h[4] > 31 || cmds&(1<<h[4]) == 0 {
			return dst
		}
		return get(h, dst)
	})
}

// le16At is a little-endian 16-bit value at off.
func le16At(off int) func(h []byte, dst []Value) []Value {
	return func(h []byte, dst []Value) []Value {
		return append(dst, Value{U: uint64(h[off]) | uint64(h[off+1])<<8})
	}
}

// byteAt is the byte at off.
func byteAt(off int) func(h []byte, dst []Value) []Value {
	return func(h []byte, dst []Value) []Value { return append(dst, Value{U: uint64(h[off])}) }
}

// NetBIOS commands by the fields Wireshark shows for them.
const (
	nbNameCmds   = 1<<0x00 | 1<<0x01                               // add (group) name query: the source name
	nbTwoNames   = 1<<0x02 | 1<<0x08 | 1<<0x0a | 1<<0x0d | 1<<0x0e // destination and source names
	nbXmitCmds   = 1<<0x0e | 1<<0x14 | 1<<0x15 | 1<<0x16 | 1<<0x17 | 1<<0x19 | 1<<0x1c
	nbRespCmds   = 1<<0x00 | 1<<0x01 | 1<<0x0a | 1<<0x0e | 1<<0x15 | 1<<0x16 | 1<<0x17 | 1<<0x19
	nbSessionCmd = 1<<0x14 | 1<<0x15 | 1<<0x16 | 1<<0x17 | 1<<0x18 | 1<<0x19 | 1<<0x1a | 1<<0x1b | 1<<0x1c | 1<<0x1f
)

// ipxField is a field of the IPX header.
func ipxField(name string, t Type, base Base, off, n int) Field {
	return layerField(name, t, base, decode.ProtoIPX, func(h []byte, dst []Value) []Value {
		if len(h) < 30 {
			return dst
		}
		if t == FTEther {
			return append(dst, Value{B: h[off : off+6]})
		}
		v, _ := beUint(h, off, n)
		return append(dst, Value{U: v})
	})
}

// ipxAddr is ipx.src, ipx.dst or (both) ipx.addr, as "net.node".
func ipxAddr(name string, src, dst bool) Field {
	return Field{Name: name, Type: FTString, Proto: decode.ProtoIPX,
		Get: func(f *decode.Frame, out []Value) []Value {
			for _, s := range [2]bool{true, false} {
				if s && src || !s && dst {
					if b, ok := f.IPXAddrText(s); ok {
						out = append(out, Value{B: b})
					}
				}
			}
			return out
		}}
}

// ipxPair is ipx.net, ipx.node or ipx.socket: the destination's, then the source's.
func ipxPair(name string, t Type, base Base, dOff, sOff, n int) Field {
	return layerField(name, t, base, decode.ProtoIPX, func(h []byte, dst []Value) []Value {
		if len(h) < 30 {
			return dst
		}
		for _, o := range [2]int{dOff, sOff} {
			if t == FTEther {
				dst = append(dst, Value{B: h[o : o+6]})
				continue
			}
			v, _ := beUint(h, o, n)
			dst = append(dst, Value{U: v})
		}
		return dst
	})
}

var netbiosFields = []Field{
	protoField("netbios", decode.ProtoNetBIOS),
	layerField("netbios.hdr_len", FTUint16, BaseDec, decode.ProtoNetBIOS, func(h []byte, dst []Value) []Value {
		if len(h) >= 5 {
			dst = append(dst, Value{U: uint64(h[0]) | uint64(h[1])<<8})
		}
		return dst
	}),
	layerField("netbios.delimiter", FTUint16, BaseHex, decode.ProtoNetBIOS, func(h []byte, dst []Value) []Value {
		if len(h) >= 5 {
			dst = append(dst, Value{U: uint64(h[2]) | uint64(h[3])<<8})
		}
		return dst
	}),
	layerUint("netbios.command", FTUint8, BaseHex, decode.ProtoNetBIOS, 4, 1, 0),
	netbiosCmdField("netbios.xmit_corrl", FTUint16, BaseHex, nbXmitCmds, le16At(8)),
	netbiosCmdField("netbios.resp_corrl", FTUint16, BaseHex, nbRespCmds, le16At(10)),
	netbiosCmdField("netbios.call_name_type", FTUint8, BaseHex, 1<<0x0a|1<<0x0e, byteAt(7)),
	{Name: "netbios.nb_name", Type: FTString, Proto: decode.ProtoNetBIOS, Get: func(f *decode.Frame, dst []Value) []Value {
		f.EachNetBIOSName(func(nb []byte) { dst = append(dst, Value{B: f.NetBIOSNameText(nb)}) })
		return dst
	}},
	{Name: "netbios.nb_name_type", Type: FTUint8, Base: BaseHex, Proto: decode.ProtoNetBIOS, Get: func(f *decode.Frame, dst []Value) []Value {
		f.EachNetBIOSName(func(nb []byte) { dst = append(dst, Value{U: uint64(nb[15])}) })
		return dst
	}},
	netbiosCmdField("netbios.local_session", FTUint8, BaseHex, nbSessionCmd, byteAt(13)),
	netbiosCmdField("netbios.remote_session", FTUint8, BaseHex, nbSessionCmd, byteAt(12)),

	protoField("ipx", decode.ProtoIPX),
	ipxField("ipx.checksum", FTUint16, BaseHex, 0, 2),
	ipxField("ipx.len", FTUint16, BaseDec, 2, 2),
	ipxField("ipx.hops", FTUint8, BaseDec, 4, 1),
	ipxField("ipx.packet_type", FTUint8, BaseHex, 5, 1),
	ipxField("ipx.dst.node", FTEther, BaseNone, 10, 6),
	ipxField("ipx.dst.socket", FTUint16, BaseHex, 16, 2),
	ipxField("ipx.src.node", FTEther, BaseNone, 22, 6),
	ipxField("ipx.src.socket", FTUint16, BaseHex, 28, 2),
	ipxPair("ipx.node", FTEther, BaseNone, 10, 22, 6),
	ipxPair("ipx.socket", FTUint16, BaseHex, 16, 28, 2),
	ipxAddr("ipx.src", true, false),
	ipxAddr("ipx.dst", false, true),
	ipxAddr("ipx.addr", true, true),

	protoField("nbipx", decode.ProtoNBIPX),
	protoField("nmpi", decode.ProtoNMPI),
	protoField("ipxrip", decode.ProtoIPXRIP),
	protoField("ipxsap", decode.ProtoIPXSAP),
	{Name: "nmpi.packettype", Type: FTUint8, Base: BaseHex, Proto: decode.ProtoNBIPX, Get: func(f *decode.Frame, dst []Value) []Value {
		// NetBIOS over IPX's packet type (Wireshark files it under nmpi),
		// after 32 bytes of network numbers in a propagated broadcast (IPX type 0x14).
		b, ok := layerBytes(f, decode.ProtoNBIPX)
		h, _ := layerBytes(f, decode.ProtoIPX)
		o := 1
		if len(h) >= 30 && h[5] == 0x14 {
			o = 33
		}
		if ok && len(b) > o {
			dst = append(dst, Value{U: uint64(b[o])})
		}
		return dst
	}},
	layerUint("ipxrip.packet_type", FTUint16, BaseDec, decode.ProtoIPXRIP, 0, 2, 0),
	layerUint("ipxsap.packet_type", FTUint16, BaseDec, decode.ProtoIPXSAP, 0, 2, 0),
}
