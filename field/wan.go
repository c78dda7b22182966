package field

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// Fields of the WAN link types (Cisco HDLC and SLARP, Frame Relay), the
// Solaris ipnet and IPoIB link headers and IPsec ESP/AH (decode/wan.go).

// frEA is fr.ea: the extended-address bit of each address octet.
var frEA = Field{Name: "fr.ea", Type: FTBoolean, Bitmask: 1, Proto: decode.ProtoFR,
	Get: func(f *decode.Frame, dst []Value) []Value {
		eachLayer(f, decode.ProtoFR, func(b []byte) {
			if len(b) >= 2 {
				dst = append(dst, Value{U: uint64(b[0] & 1)}, Value{U: uint64(b[1] & 1)})
			}
		})
		return dst
	}}

// frRFC2427 is a field of the RFC 2427 encapsulation (control 0x03 after
// the address); nlpid selects the NLPID octet (after any padding octet)
// instead of the control.
func frRFC2427(name string, base Base, nlpid bool) Field {
	return Field{Name: name, Type: FTUint8, Base: base, Proto: decode.ProtoFR,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachLayer(f, decode.ProtoFR, func(b []byte) {
				if len(b) < 4 || b[2] != 3 {
					return
				}
				v := b[2]
				if nlpid {
					v = b[len(b)-1]
				}
				dst = append(dst, Value{U: uint64(v)})
			})
			return dst
		}}
}

// slarpField is a field of the SLARP packet type types (0 request, 1
// reply: address and mask; 2 keepalive: sequence numbers, reliability).
func slarpField(name string, t Type, base Base, keepalive bool, off, n int) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoSLARP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := layerBytes(f, decode.ProtoSLARP)
			if !ok || len(b) < 4 || (b[3] == 2) != keepalive || off+n > len(b) {
				return dst
			}
			if t == FTIPv4 {
				return append(dst, Value{A: netip.AddrFrom4([4]byte(b[off : off+4]))})
			}
			v, _ := beUint(b, off, n)
			return append(dst, Value{U: v})
		}}
}

// ipoibGID is the destination GID of an IPoIB header.
var ipoibGID = addrField("ipoib.dgid", FTIPv6, decode.ProtoIPoIB, func(f *decode.Frame) (netip.Addr, bool) {
	b, ok := layerBytes(f, decode.ProtoIPoIB)
	if !ok || len(b) < 40 {
		return netip.Addr{}, false
	}
	return netip.AddrFrom16([16]byte(b[24:40])), true
})

// ahICV is the AH integrity check value after the 12 fixed bytes.
var ahICV = bytesField("ah.icv", FTBytes, decode.ProtoAH, func(f *decode.Frame) ([]byte, bool) {
	b, ok := layerBytes(f, decode.ProtoAH)
	return b[min(12, len(b)):], ok && len(b) > 12
})

var wanFields = []Field{
	protoField("chdlc", decode.ProtoCHDLC),
	layerUint("chdlc.address", FTUint8, BaseHex, decode.ProtoCHDLC, 0, 1, 0),
	layerUint("chdlc.control", FTUint8, BaseHex, decode.ProtoCHDLC, 1, 1, 0),
	layerUint("chdlc.protocol", FTUint16, BaseHex, decode.ProtoCHDLC, 2, 2, 0),

	protoField("slarp", decode.ProtoSLARP),
	layerUint("slarp.ptype", FTUint32, BaseDec, decode.ProtoSLARP, 0, 4, 0),
	slarpField("slarp.address", FTIPv4, BaseNone, false, 4, 4),
	slarpField("slarp.netmask", FTIPv4, BaseNone, false, 8, 4),
	slarpField("slarp.mysequence", FTUint32, BaseDec, true, 4, 4),
	slarpField("slarp.yoursequence", FTUint32, BaseDec, true, 8, 4),
	slarpField("slarp.reliability", FTUint16, BaseHex, true, 12, 2),

	protoField("fr", decode.ProtoFR),
	layerUint("fr.first_addr_octet", FTUint8, BaseHex, decode.ProtoFR, 0, 1, 0),
	layerUint("fr.upper_dlci", FTUint8, BaseHex, decode.ProtoFR, 0, 1, 0xfc),
	layerUint("fr.cr", FTBoolean, BaseNone, decode.ProtoFR, 0, 1, 0x02),
	frEA,
	layerUint("fr.second_addr_octet", FTUint8, BaseHex, decode.ProtoFR, 1, 1, 0),
	layerUint("fr.second_dlci", FTUint8, BaseHex, decode.ProtoFR, 1, 1, 0xf0),
	layerUint("fr.fecn", FTBoolean, BaseNone, decode.ProtoFR, 1, 1, 0x08),
	layerUint("fr.becn", FTBoolean, BaseNone, decode.ProtoFR, 1, 1, 0x04),
	layerUint("fr.de", FTBoolean, BaseNone, decode.ProtoFR, 1, 1, 0x02),
	{Name: "fr.dlci", Type: FTUint32, Base: BaseDec, Proto: decode.ProtoFR,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachLayer(f, decode.ProtoFR, func(b []byte) {
				if len(b) >= 2 {
					dst = append(dst, Value{U: uint64(b[0]>>2)<<4 | uint64(b[1]>>4)})
				}
			})
			return dst
		}},
	frRFC2427("fr.control", BaseHex, false),
	frRFC2427("fr.nlpid", BaseHex, true),
	{Name: "fr.chdlctype", Type: FTUint16, Base: BaseHex, Proto: decode.ProtoFR,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachLayer(f, decode.ProtoFR, func(b []byte) {
				if len(b) == 4 && b[2] != 3 {
					dst = append(dst, Value{U: uint64(b[2])<<8 | uint64(b[3])})
				}
			})
			return dst
		}},

	protoField("ipnet", decode.ProtoIPNet),
	layerUint("ipnet.version", FTUint8, BaseDec, decode.ProtoIPNet, 0, 1, 0),
	layerUint("ipnet.family", FTUint8, BaseDec, decode.ProtoIPNet, 1, 1, 0),
	layerUint("ipnet.htype", FTUint16, BaseDec, decode.ProtoIPNet, 2, 2, 0),
	layerUint("ipnet.pktlen", FTUint32, BaseDec, decode.ProtoIPNet, 4, 4, 0),
	layerUint("ipnet.ifindex", FTUint32, BaseDec, decode.ProtoIPNet, 8, 4, 0),
	layerUint("ipnet.grifindex", FTUint32, BaseDec, decode.ProtoIPNet, 12, 4, 0),
	layerUint("ipnet.zsrc", FTUint32, BaseDec, decode.ProtoIPNet, 16, 4, 0),
	layerUint("ipnet.zdst", FTUint32, BaseDec, decode.ProtoIPNet, 20, 4, 0),

	protoField("ipoib", decode.ProtoIPoIB),
	{Name: "ipoib.daddr.qpn", Type: FTUint24, Base: BaseHex, Proto: decode.ProtoIPoIB,
		Get: func(f *decode.Frame, dst []Value) []Value {
			// Not shown for a multicast destination GID.
			if b, ok := layerBytes(f, decode.ProtoIPoIB); ok && len(b) >= 40 && b[24] != 0xff {
				dst = append(dst, Value{U: uint64(b[21])<<16 | uint64(b[22])<<8 | uint64(b[23])})
			}
			return dst
		}},
	ipoibGID,
	layerUint("ipoib.type", FTUint16, BaseHex, decode.ProtoIPoIB, 40, 2, 0),
	layerUint("ipoib.reserved", FTUint16, BaseHex, decode.ProtoIPoIB, 42, 2, 0),

	protoField("esp", decode.ProtoESP),
	layerUint("esp.spi", FTUint32, BaseHex, decode.ProtoESP, 0, 4, 0),
	layerUint("esp.sequence", FTUint32, BaseDec, decode.ProtoESP, 4, 4, 0),

	protoField("ah", decode.ProtoAH),
	layerUint("ah.next_header", FTUint8, BaseDec, decode.ProtoAH, 0, 1, 0),
	layerUint("ah.length", FTUint8, BaseDec, decode.ProtoAH, 1, 1, 0),
	layerUint("ah.spi", FTUint32, BaseHex, decode.ProtoAH, 4, 4, 0),
	layerUint("ah.sequence", FTUint32, BaseDec, decode.ProtoAH, 8, 4, 0),
	ahICV,
}

// encapFields: Cisco MetaData, the configuration test protocol and the
// 802.1ah I-TAG (decode/encap.go).
var encapFields = []Field{
	protoField("cmd", decode.ProtoCMD),
	layerUint("cmd.type", FTUint16, BaseHex, decode.ProtoCMD, 0, 2, 0),
	layerUint("cmd.version", FTUint8, BaseDec, decode.ProtoCMD, 2, 1, 0),
	layerUint("cmd.length", FTUint8, BaseDec, decode.ProtoCMD, 3, 1, 0),
	layerUint("cmd.options", FTUint16, BaseHex, decode.ProtoCMD, 4, 2, 0),
	layerUint("cmd.sgt", FTUint16, BaseDec, decode.ProtoCMD, 6, 2, 0),

	protoField("loop", decode.ProtoLoop),
	loopUint("loop.skipcount", 0),
	loopUint("loop.function", 2),
	loopUint("loop.relevant_function", 2),
	loopUint("loop.receipt_number", 4),

	protoField("ieee8021ah", decode.ProtoPBB),
	layerUint("ieee8021ah.priority", FTUint32, BaseDec, decode.ProtoPBB, 0, 4, 0xe0000000),
	layerUint("ieee8021ah.drop", FTUint32, BaseDec, decode.ProtoPBB, 0, 4, 0x10000000),
	layerUint("ieee8021ah.nca", FTUint32, BaseDec, decode.ProtoPBB, 0, 4, 0x08000000),
	layerUint("ieee8021ah.res1", FTUint32, BaseDec, decode.ProtoPBB, 0, 4, 0x04000000),
	layerUint("ieee8021ah.res2", FTUint32, BaseDec, decode.ProtoPBB, 0, 4, 0x03000000),
	layerUint("ieee8021ah.isid", FTUint32, BaseDec, decode.ProtoPBB, 0, 4, 0x00ffffff),
	layerBytesAt("ieee8021ah.cdst", FTEther, decode.ProtoPBB, 4, 6),
	layerBytesAt("ieee8021ah.csrc", FTEther, decode.ProtoPBB, 10, 6),
	layerUint("ieee8021ah.etype", FTUint16, BaseHex, decode.ProtoPBB, 16, 2, 0),
}

// loopUint is a little-endian 16-bit field of the loopback header.
func loopUint(name string, off int) Field {
	return Field{Name: name, Type: FTUint16, Base: BaseDec, Proto: decode.ProtoLoop,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachLayer(f, decode.ProtoLoop, func(b []byte) {
				if off+2 <= len(b) {
					dst = append(dst, Value{U: uint64(b[off]) | uint64(b[off+1])<<8})
				}
			})
			return dst
		}}
}

// layerBytesAt is n bytes at offset off of every layer of p.
func layerBytesAt(name string, t Type, p decode.Proto, off, n int) Field {
	return Field{Name: name, Type: t, Proto: p,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachLayer(f, p, func(b []byte) {
				if off+n <= len(b) {
					dst = append(dst, Value{B: b[off : off+n]})
				}
			})
			return dst
		}}
}
