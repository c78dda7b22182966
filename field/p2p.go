package field

import "github.com/wirewatch/wirewatch/decode"

// Fields of the peer-to-peer dissectors of decode/p2p.go (Wireshark 4.0
// names): Mojito and Gnutella. Each walks its layers' bytes with the
// decoder's walker (decode.WalkMojito, decode.WalkGnutella) and keeps the
// items it names.

// How an item's bytes become a value.
const (
	vBytes = iota
	vASCII // a string up to its first NUL
	vBE    // big-endian unsigned
	vLE    // little-endian unsigned
	vIPv4
	vIPv6
	vPresent // FT_NONE
)

// itemValue converts n bytes of b at off as kind says.
func itemValue(b []byte, off, n int, kind int) Value {
	q := b[off : off+n]
	switch kind {
	case vASCII:
		return Value{B: asciiString(cstr(q))}
	case vBE:
		var v uint64
		for _, c := range q {
			v = v<<8 | uint64(c)
		}
		return Value{U: v}
	case vLE:
		var v uint64
		for i := len(q) - 1; i >= 0; i-- {
			v = v<<8 | uint64(q[i])
		}
		return Value{U: v}
	case vIPv4:
		return Value{A: addr4(q)}
	case vIPv6:
		return Value{A: addr16(q)}
	case vPresent:
		return Value{}
	}
	return Value{B: q}
}

// asciiString is b as Wireshark's ENC_ASCII reads it: each byte above
// 0x7f becomes U+FFFD. It allocates only for such bytes.
func asciiString(b []byte) []byte {
	i := 0
	for i < len(b) && b[i] < 0x80 {
		i++
	}
	if i == len(b) {
		return b
	}
	out := make([]byte, 0, len(b)+2*(len(b)-i))
	out = append(out, b[:i]...)
	for _, c := range b[i:] {
		if c < 0x80 {
			out = append(out, c)
		} else {
			out = append(out, "\uFFFD"...)
		}
	}
	return out
}

// mojitoField is a field of the Mojito items it, converted as kind says;
// mask (for booleans) selects bits of a one-byte item.
func mojitoField(name string, t Type, base Base, it decode.MojitoItem, kind int, mask uint64) Field {
	fl := Field{Name: name, Type: t, Base: base, Proto: decode.ProtoMojito,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachLayer(f, decode.ProtoMojito, func(b []byte) {
				decode.WalkMojito(b, func(x decode.MojitoItem, off, n int) {
					if x != it {
						return
					}
					v := itemValue(b, off, n, kind)
					if mask != 0 {
						v.U = v.U & mask
						if v.U != 0 {
							v.U = 1
						}
					}
					dst = append(dst, v)
				})
			})
			return dst
		}}
	if t == FTBoolean {
		fl.Bitmask = mask
	}
	return fl
}

// mojitoExpert is an FT_NONE expert field of Mojito items it.
func mojitoExpert(name string, it decode.MojitoItem) Field {
	return mojitoField(name, FTNone, BaseNone, it, vPresent, 0)
}

var mojitoFields = []Field{
	protoField("mojito", decode.ProtoMojito),
	mojitoField("mojito.messageid", FTBytes, BaseNone, decode.MjMessageID, vBytes, 0),
	mojitoField("mojito.fdhtmessage", FTUint8, BaseHex, decode.MjFDHT, vBE, 0),
	mojitoField("mojito.majorversion", FTUint8, BaseDec, decode.MjMajor, vBE, 0),
	mojitoField("mojito.minorversion", FTUint8, BaseDec, decode.MjMinor, vBE, 0),
	mojitoField("mojito.payloadlength", FTUint32, BaseDec, decode.MjPayloadLen, vLE, 0),
	mojitoField("mojito.opcode", FTUint8, BaseDec, decode.MjOpcode, vBE, 0),
	mojitoField("mojito.vendor", FTString, BaseNone, decode.MjVendor, vASCII, 0),
	mojitoField("mojito.kuid", FTBytes, BaseNone, decode.MjKUID, vBytes, 0),
	mojitoField("mojito.socketaddressversion", FTUint8, BaseDec, decode.MjSockVersion, vBE, 0),
	mojitoField("mojito.socketaddressipv4", FTIPv4, BaseNone, decode.MjSockIPv4, vIPv4, 0),
	mojitoField("mojito.socketaddressipv6", FTIPv6, BaseNone, decode.MjSockIPv6, vIPv6, 0),
	mojitoField("mojito.socketaddressport", FTUint16, BaseDec, decode.MjSockPort, vBE, 0),
	mojitoField("mojito.instanceid", FTUint8, BaseDec, decode.MjInstanceID, vBE, 0),
	mojitoField("mojito.flags", FTUint8, BaseHex, decode.MjFlags, vBE, 0),
	mojitoField("mojito.shutdownflag", FTBoolean, BaseNone, decode.MjFlags, vBE, 0x02),
	mojitoField("mojito.firewalledflag", FTBoolean, BaseNone, decode.MjFlags, vBE, 0x01),
	mojitoField("mojito.extlength", FTUint16, BaseDec, decode.MjExtLength, vBE, 0),
	mojitoField("mojito.sectokenlen", FTUint8, BaseDec, decode.MjSecTokenLen, vBE, 0),
	mojitoField("mojito.sectoken", FTBytes, BaseNone, decode.MjSecToken, vBytes, 0),
	mojitoField("mojito.dhtvaluecount", FTUint8, BaseDec, decode.MjDHTValueCount, vBE, 0),
	mojitoField("mojito.contactcount", FTUint8, BaseDec, decode.MjContactCount, vBE, 0),
	mojitoField("mojito.contactvendor", FTString, BaseNone, decode.MjContactVendor, vASCII, 0),
	mojitoField("mojito.contactversion", FTUint16, BaseDec, decode.MjContactVersion, vBE, 0),
	mojitoField("mojito.contactkuid", FTBytes, BaseNone, decode.MjContactKUID, vBytes, 0),
	mojitoField("mojito.dhtvaluevaluetype", FTString, BaseNone, decode.MjValueValueType, vASCII, 0),
	mojitoField("mojito.dhtvalueversion", FTUint16, BaseDec, decode.MjValueVersion, vBE, 0),
	mojitoField("mojito.dhtvaluelength", FTUint16, BaseDec, decode.MjValueLength, vBE, 0),
	mojitoField("mojito.dhtvaluehexvalue", FTString, BaseNone, decode.MjValue, vASCII, 0),
	mojitoField("mojito.bigintegerlen", FTUint8, BaseDec, decode.MjBigIntLen, vBE, 0),
	mojitoField("mojito.bigintegerval", FTUint8, BaseDec, decode.MjBigIntVal, vBE, 0),
	mojitoField("mojito.bigintegerhexval", FTBytes, BaseNone, decode.MjBigIntHex, vBytes, 0),
	mojitoField("mojito.statuscodecount", FTUint8, BaseDec, decode.MjStatusCount, vBE, 0),
	mojitoField("mojito.statuscodekuid", FTBytes, BaseNone, decode.MjStatusKUID, vBytes, 0),
	mojitoField("mojito.statuscodesecondarykuid", FTBytes, BaseNone, decode.MjStatusSecondaryKUID, vBytes, 0),
	mojitoField("mojito.statuscodecode", FTUint16, BaseDec, decode.MjStatusCode, vBE, 0),
	mojitoField("mojito.kuidcount", FTUint8, BaseDec, decode.MjKUIDCount, vBE, 0),
	mojitoField("mojito.dhtvaluetype", FTString, BaseNone, decode.MjValueType, vASCII, 0),
	mojitoField("mojito.requestload", FTUint32, BaseDec, decode.MjRequestLoad, vBE, 0),
	mojitoField("mojito.opcode.data", FTBytes, BaseNone, decode.MjOpcodeData, vBytes, 0),
	mojitoExpert("mojito.socketaddress.unknown", decode.MjSockUnknown),
	mojitoExpert("mojito.bigint.unsupported", decode.MjBigIntUnsupported),
}

// gnutellaField is a field of the Gnutella descriptor items it (streams
// have none but gnutella.stream).
func gnutellaField(name string, t Type, base Base, it decode.GnutellaItem, kind int) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoGnutella,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachGnutella(f, func(b []byte) {
				if decode.GnutellaIsStream(b) {
					return
				}
				decode.WalkGnutella(b, func(x decode.GnutellaItem, off, n int) {
					if x == it {
						dst = append(dst, itemValue(b, off, n, kind))
					}
				}, nil)
			})
			return dst
		}}
}

// eachGnutella calls fn with the bytes of every Gnutella layer of f.
func eachGnutella(f *decode.Frame, fn func(b []byte)) {
	if !f.Has(decode.ProtoGnutella) {
		return
	}
	for _, l := range f.Layers {
		if l.Proto == decode.ProtoGnutella {
			fn(f.LayerBytes(l))
		}
	}
}

var gnutellaFields = []Field{
	protoField("gnutella", decode.ProtoGnutella),
	{Name: "gnutella.stream", Type: FTNone, Proto: decode.ProtoGnutella,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachGnutella(f, func(b []byte) {
				if decode.GnutellaIsStream(b) {
					dst = append(dst, Value{})
				}
			})
			return dst
		}},
	gnutellaField("gnutella.header", FTNone, BaseNone, decode.GnHeader, vPresent),
	gnutellaField("gnutella.header.id", FTBytes, BaseNone, decode.GnID, vBytes),
	gnutellaField("gnutella.header.payload", FTUint8, BaseDec, decode.GnPayload, vBE),
	gnutellaField("gnutella.header.ttl", FTUint8, BaseDec, decode.GnTTL, vBE),
	gnutellaField("gnutella.header.hops", FTUint8, BaseDec, decode.GnHops, vBE),
	gnutellaField("gnutella.header.size", FTUint8, BaseDec, decode.GnSize, vLE),
	gnutellaField("gnutella.pong.payload", FTNone, BaseNone, decode.GnPong, vPresent),
	gnutellaField("gnutella.pong.port", FTUint16, BaseDec, decode.GnPongPort, vLE),
	gnutellaField("gnutella.pong.ip", FTIPv4, BaseNone, decode.GnPongIP, vIPv4),
	gnutellaField("gnutella.pong.files", FTUint32, BaseDec, decode.GnPongFiles, vLE),
	gnutellaField("gnutella.pong.kbytes", FTUint32, BaseDec, decode.GnPongKBytes, vLE),
	gnutellaField("gnutella.query.payload", FTNone, BaseNone, decode.GnQuery, vPresent),
	gnutellaField("gnutella.query.min_speed", FTUint32, BaseDec, decode.GnQueryMinSpeed, vLE),
	gnutellaField("gnutella.query.search", FTString, BaseNone, decode.GnQuerySearch, vASCII),
	gnutellaField("gnutella.queryhit.payload", FTNone, BaseNone, decode.GnQueryHit, vPresent),
	gnutellaField("gnutella.queryhit.count", FTUint8, BaseDec, decode.GnQHCount, vBE),
	gnutellaField("gnutella.queryhit.port", FTUint16, BaseDec, decode.GnQHPort, vLE),
	gnutellaField("gnutella.queryhit.ip", FTIPv4, BaseNone, decode.GnQHIP, vIPv4),
	gnutellaField("gnutella.queryhit.speed", FTUint32, BaseDec, decode.GnQHSpeed, vLE),
	gnutellaField("gnutella.queryhit.hit", FTNone, BaseNone, decode.GnQHHit, vPresent),
	gnutellaField("gnutella.queryhit.hit.index", FTUint32, BaseDec, decode.GnQHHitIndex, vLE),
	gnutellaField("gnutella.queryhit.hit.size", FTUint32, BaseDec, decode.GnQHHitSize, vLE),
	gnutellaField("gnutella.queryhit.hit.name", FTString, BaseNone, decode.GnQHHitName, vASCII),
	gnutellaField("gnutella.queryhit.hit.extra", FTBytes, BaseNone, decode.GnQHHitExtra, vBytes),
	gnutellaField("gnutella.queryhit.extra", FTBytes, BaseNone, decode.GnQHExtra, vBytes),
	gnutellaField("gnutella.queryhit.servent_id", FTBytes, BaseNone, decode.GnQHServentID, vBytes),
	gnutellaField("gnutella.push.payload", FTNone, BaseNone, decode.GnPush, vPresent),
	gnutellaField("gnutella.push.servent_id", FTBytes, BaseNone, decode.GnPushServentID, vBytes),
	gnutellaField("gnutella.push.index", FTUint32, BaseDec, decode.GnPushIndex, vLE),
	gnutellaField("gnutella.push.ip", FTIPv4, BaseNone, decode.GnPushIP, vIPv4),
	gnutellaField("gnutella.push.port", FTUint16, BaseDec, decode.GnPushPort, vLE),
}

// pcpField is a field of n bytes at off of the Port Control messages cond
// accepts (by version and opcode), converted as kind says; mask selects
// bits of a one-byte value.
func pcpField(name string, t Type, base Base, cond func(b []byte) bool, off, n, kind int, mask uint64) Field {
	fl := layerField(name, t, base, decode.ProtoPortControl, func(b []byte, dst []Value) []Value {
		if len(b) < 2 || !cond(b) || off+n > len(b) {
			return dst
		}
		v := itemValue(b, off, n, kind)
		if t == FTBoolean && kind == vPresent {
			v.U = 1 // a hidden flag that is set
		}
		if mask != 0 {
			v.U &= mask
			if t == FTBoolean && v.U != 0 {
				v.U = 1
			}
		}
		return append(dst, v)
	})
	if t == FTBoolean {
		fl.Bitmask = mask
	}
	return fl
}

// NAT-PMP (Port Control version 0) opcodes' layouts.
func natpmp(b []byte) bool    { return b[0] == 0 }
func natpmpExt(b []byte) bool { return b[0] == 0 && b[1] == 128 }

// natpmpMapField is a field of NAT-PMP's port mapping messages: n bytes at
// qOff in a request, at rOff in a response (after the result code and the
// seconds since start of epoch).
func natpmpMapField(name string, t Type, qOff, rOff, n int) Field {
	return Field{Name: name, Type: t, Base: BaseDec, Proto: decode.ProtoPortControl,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := layerBytes(f, decode.ProtoPortControl)
			switch {
			case !ok || len(b) < 2:
			case natpmpMapQ(b) && len(b) >= qOff+n:
				dst = append(dst, itemValue(b, qOff, n, vBE))
			case natpmpMapR(b) && len(b) >= rOff+n:
				dst = append(dst, itemValue(b, rOff, n, vBE))
			}
			return dst
		}}
}

func natpmpMapQ(b []byte) bool { return b[0] == 0 && (b[1] == 1 || b[1] == 2) }
func natpmpMapR(b []byte) bool { return b[0] == 0 && (b[1] == 129 || b[1] == 130) }
func natpmpResp(b []byte) bool { return natpmpExt(b) || natpmpMapR(b) }
func pcp(b []byte) bool        { return b[0] == 1 || b[0] == 2 }
func pcpReq(b []byte) bool     { return pcp(b) && b[1]&0x80 == 0 }
func pcpResp(b []byte) bool    { return pcp(b) && b[1]&0x80 != 0 }

var portControlFields = []Field{
	// The portcontrol item is PCP's (versions 1 and 2); NAT-PMP adds its own.
	{Name: "portcontrol", Type: FTProtocol, Proto: decode.ProtoPortControl,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if b, ok := layerBytes(f, decode.ProtoPortControl); ok && len(b) > 0 && b[0] != 0 {
				dst = append(dst, Value{B: b})
			}
			return dst
		}},
	{Name: "nat-pmp", Type: FTProtocol, Proto: decode.ProtoPortControl,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if b, ok := layerBytes(f, decode.ProtoPortControl); ok && len(b) > 0 && b[0] == 0 {
				dst = append(dst, Value{B: b})
			}
			return dst
		}},
	pcpField("nat-pmp.version", FTUint8, BaseDec, natpmp, 0, 1, vBE, 0),
	pcpField("nat-pmp.opcode", FTUint8, BaseDec, natpmp, 1, 1, vBE, 0),
	pcpField("nat-pmp.result_code", FTUint16, BaseDec, natpmpResp, 2, 2, vBE, 0),
	pcpField("nat-pmp.sssoe", FTUint32, BaseDec, natpmpResp, 4, 4, vBE, 0),
	pcpField("nat-pmp.external_ip", FTIPv4, BaseNone, natpmpExt, 8, 4, vIPv4, 0),
	pcpField("nat-pmp.reserved", FTUint16, BaseDec, natpmpMapQ, 2, 2, vBE, 0),
	natpmpMapField("nat-pmp.internal_port", FTUint16, 4, 8, 2),
	natpmpMapField("nat-pmp.external_port", FTUint16, 6, 10, 2),
	natpmpMapField("nat-pmp.pml", FTUint32, 8, 12, 4),
	pcpField("portcontrol.version", FTUint8, BaseDec, pcp, 0, 1, vBE, 0),
	pcpField("portcontrol.r", FTBoolean, BaseNone, pcp, 1, 1, vBE, 0x80),
	pcpField("portcontrol.opcode", FTUint8, BaseDec, pcp, 1, 1, vBE, 0x7f),
	pcpField("portcontrol.request", FTBoolean, BaseNone, pcpReq, 1, 0, vPresent, 0),
	pcpField("portcontrol.response", FTBoolean, BaseNone, pcpResp, 1, 0, vPresent, 0),
	pcpField("portcontrol.lifetime_req", FTUint32, BaseDec, pcpReq, 4, 4, vBE, 0),
	pcpField("portcontrol.client_ip", FTIPv6, BaseNone, pcpReq, 8, 16, vIPv6, 0),
	pcpField("portcontrol.result_code", FTUint16, BaseDec, pcpResp, 3, 1, vBE, 0),
	pcpField("portcontrol.lifetime_rsp", FTUint32, BaseDec, pcpResp, 4, 4, vBE, 0),
	pcpField("portcontrol.epoch_time", FTUint32, BaseDec, pcpResp, 8, 4, vBE, 0),
	pcpField("portcontrol.rsp_reserved", FTBytes, BaseNone, pcpResp, 12, 12, vBytes, 0),
}

// btField is a field of n bytes at off (n < 0: to the end) of the
// BitTorrent messages of kind k (decode.BitTorrentKind) and, for 'm', of a
// type in the mask types (bit 1<<type; 0 any).
func btField(name string, t Type, base Base, k byte, types uint32, off, n, kind int) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoBitTorrent,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !f.Has(decode.ProtoBitTorrent) {
				return dst
			}
			for _, l := range f.Layers {
				if l.Proto != decode.ProtoBitTorrent {
					continue
				}
				b := f.LayerBytes(l)
				if decode.BitTorrentKind(b) != k || (types != 0 && (len(b) < 5 || b[4] > 31 || types&(1<<b[4]) == 0)) {
					continue
				}
				m := n
				if m < 0 {
					m = len(b) - off
				}
				if m < 0 || off+m > len(b) {
					continue
				}
				dst = append(dst, itemValue(b, off, m, kind))
			}
			return dst
		}}
}

// btMsgField is a field of every BitTorrent message (keep-alives too).
func btMsgField(name string, t Type, off, n, kind int) Field {
	return Field{Name: name, Type: t, Base: BaseDec, Proto: decode.ProtoBitTorrent,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !f.Has(decode.ProtoBitTorrent) {
				return dst
			}
			for _, l := range f.Layers {
				if l.Proto != decode.ProtoBitTorrent {
					continue
				}
				b := f.LayerBytes(l)
				if k := decode.BitTorrentKind(b); (k == 'm' || k == 'k') && off+n <= len(b) {
					dst = append(dst, itemValue(b, off, n, kind))
				}
			}
			return dst
		}}
}

var bittorrentFields = []Field{
	protoField("bittorrent", decode.ProtoBitTorrent),
	btField("bittorrent.protocol.name.length", FTUint8, BaseDec, 'h', 0, 0, 1, vBE),
	btField("bittorrent.protocol.name", FTString, BaseNone, 'h', 0, 1, 19, vASCII),
	btField("bittorrent.reserved", FTBytes, BaseNone, 'h', 0, 20, 8, vBytes),
	btField("bittorrent.info_hash", FTBytes, BaseNone, 'h', 0, 28, 20, vBytes),
	btField("bittorrent.peer_id", FTBytes, BaseNone, 'h', 0, 48, 20, vBytes),
	btMsgField("bittorrent.msg", FTNone, 0, 0, vPresent),
	btMsgField("bittorrent.msg.length", FTUint32, 0, 4, vBE),
	btField("bittorrent.msg.type", FTUint8, BaseDec, 'm', 0, 4, 1, vBE),
	btField("bittorrent.msg.bitfield", FTBytes, BaseNone, 'm', 1<<decode.BTBitfield, 5, -1, vBytes),
	btField("bittorrent.piece.index", FTUint32, BaseHex, 'm', 1<<decode.BTHave|1<<decode.BTRequest|1<<decode.BTCancel|1<<decode.BTPiece, 5, 4, vBE),
	btField("bittorrent.piece.begin", FTUint32, BaseHex, 'm', 1<<decode.BTRequest|1<<decode.BTCancel|1<<decode.BTPiece, 9, 4, vBE),
	btField("bittorrent.piece.length", FTUint32, BaseHex, 'm', 1<<decode.BTRequest|1<<decode.BTCancel, 13, 4, vBE),
	btField("bittorrent.piece.data", FTBytes, BaseNone, 'm', 1<<decode.BTPiece, 13, -1, vBytes),
	btField("bittorrent.port", FTUint16, BaseDec, 'm', 1<<decode.BTPort, 5, 2, vBE),
	btField("bittorrent.extended.id", FTUint8, BaseDec, 'm', 1<<decode.BTExtended, 5, 1, vBE),
	btField("bittorrent.extended", FTBytes, BaseNone, 'm', 1<<decode.BTExtended, 6, -1, vBytes),
	btField("bittorrent.continuous_data", FTBytes, BaseNone, 'c', 0, 0, -1, vBytes),
}
