package field

import (
	"github.com/wirewatch/wirewatch/decode"
)

// DTLS, BFD and PTP fields (Wireshark 4.0 names), parsed from the layer
// bytes when asked (decode/dtls.go, bfd.go, ptp.go).

// dtlsRec is a field of every DTLS record.
func dtlsRec(name string, t Type, base Base, get func(r *decode.DTLSRecord, dst []Value) []Value) Field {
	return layerField(name, t, base, decode.ProtoDTLS, func(b []byte, dst []Value) []Value {
		decode.EachDTLSRecord(b, func(r decode.DTLSRecord) bool {
			dst = get(&r, dst)
			return true
		})
		return dst
	})
}

// dtlsHs is a field of every handshake message of the DTLS layer's
// handshake records.
func dtlsHs(name string, t Type, base Base, get func(m *decode.DTLSHandshake, dst []Value) []Value) Field {
	return dtlsRec(name, t, base, func(r *decode.DTLSRecord, dst []Value) []Value {
		if r.Type != 22 {
			return dst
		}
		decode.EachDTLSHandshake(r.Body[:min(len(r.Body), r.Length)], func(m decode.DTLSHandshake) bool {
			if !m.Encrypted {
				dst = get(&m, dst)
			}
			return true
		})
		return dst
	})
}

// dtlsHelloPart locates the parts of an unfragmented ClientHello (1),
// ServerHello (2) or HelloVerifyRequest (3) body: the offsets of the
// session ID length, cookie length (ClientHello, HelloVerifyRequest),
// cipher suites and compression, and extensions length; -1 absent.
type dtlsHello struct {
	sid, cookie, suites, comp, ext int
}

func dtlsHelloParts(m *decode.DTLSHandshake) (h dtlsHello, ok bool) {
	h = dtlsHello{-1, -1, -1, -1, -1}
	b := m.Body
	if m.Fragment || len(b) < 2 {
		return h, false
	}
	switch m.Type {
	case 3:
		if len(b) >= 3 {
			h.cookie = 2
		}
		return h, true
	case 1, 2:
	default:
		return h, false
	}
	off := 2 + 32
	if off >= len(b) {
		return h, true
	}
	h.sid = off
	off += 1 + int(b[off])
	if m.Type == 1 {
		if off >= len(b) {
			return h, true
		}
		h.cookie = off
		off += 1 + int(b[off])
		if off+2 > len(b) {
			return h, true
		}
		h.suites = off
		off += 2 + int(be16(b[off:]))
		if off >= len(b) {
			return h, true
		}
		h.comp = off
		off += 1 + int(b[off])
	} else {
		if off+3 > len(b) {
			return h, true
		}
		h.suites = off
		h.comp = off + 2
		off += 3
	}
	if off+2 <= len(b) {
		h.ext = off
	}
	return h, true
}

func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

// dtlsHelloField is a field of the hellos of the DTLS layer.
// dtlsHelloVec8 is a hello's vector with a one-byte length at the offset at
// gives (-1: absent): its length, or with bytes its non-empty contents.
func dtlsHelloVec8(name string, bytes bool, at func(dtlsHello) int) Field {
	t, base := FTUint8, BaseDec
	if bytes {
		t, base = FTBytes, BaseNone
	}
	return dtlsHelloField(name, t, base, func(m *decode.DTLSHandshake, h dtlsHello, dst []Value) []Value {
		o := at(h)
		switch {
		case o < 0:
		case !bytes:
			dst = append(dst, Value{U: uint64(m.Body[o])})
		default:
			if n := int(m.Body[o]); n > 0 && o+1+n <= len(m.Body) {
				dst = append(dst, Value{B: m.Body[o+1 : o+1+n]})
			}
		}
		return dst
	})
}

func dtlsHelloField(name string, t Type, base Base, get func(m *decode.DTLSHandshake, h dtlsHello, dst []Value) []Value) Field {
	return dtlsHs(name, t, base, func(m *decode.DTLSHandshake, dst []Value) []Value {
		if h, ok := dtlsHelloParts(m); ok {
			dst = get(m, h, dst)
		}
		return dst
	})
}

var dtlsFields = []Field{
	protoField("dtls", decode.ProtoDTLS),
	dtlsRec("dtls.record.content_type", FTUint8, BaseDec, func(r *decode.DTLSRecord, dst []Value) []Value {
		return append(dst, Value{U: uint64(r.Type)})
	}),
	dtlsRec("dtls.record.version", FTUint16, BaseHex, func(r *decode.DTLSRecord, dst []Value) []Value {
		return append(dst, Value{U: uint64(r.Version)})
	}),
	dtlsRec("dtls.record.epoch", FTUint16, BaseDec, func(r *decode.DTLSRecord, dst []Value) []Value {
		return append(dst, Value{U: uint64(r.Epoch)})
	}),
	dtlsRec("dtls.record.sequence_number", FTUint64, BaseDec, func(r *decode.DTLSRecord, dst []Value) []Value {
		return append(dst, Value{U: r.Seq})
	}),
	dtlsRec("dtls.record.length", FTUint16, BaseDec, func(r *decode.DTLSRecord, dst []Value) []Value {
		return append(dst, Value{U: uint64(r.Length)})
	}),
	dtlsRec("dtls.app_data", FTBytes, BaseNone, func(r *decode.DTLSRecord, dst []Value) []Value {
		if r.Type == 23 && len(r.Body) == r.Length {
			dst = append(dst, Value{B: r.Body})
		}
		return dst
	}),
	dtlsRec("dtls.change_cipher_spec", FTNone, BaseNone, func(r *decode.DTLSRecord, dst []Value) []Value {
		if r.Type == 20 {
			dst = append(dst, Value{})
		}
		return dst
	}),
	dtlsRec("dtls.alert_message.level", FTUint8, BaseDec, func(r *decode.DTLSRecord, dst []Value) []Value {
		if r.Type == 21 && len(r.Body) >= 2 && decode.TLSAlertLevelName(r.Body[0]) != "" && decode.TLSAlertDescName(r.Body[1]) != "" {
			dst = append(dst, Value{U: uint64(r.Body[0])})
		}
		return dst
	}),
	dtlsRec("dtls.alert_message.desc", FTUint8, BaseDec, func(r *decode.DTLSRecord, dst []Value) []Value {
		if r.Type == 21 && len(r.Body) >= 2 && decode.TLSAlertLevelName(r.Body[0]) != "" && decode.TLSAlertDescName(r.Body[1]) != "" {
			dst = append(dst, Value{U: uint64(r.Body[1])})
		}
		return dst
	}),
	dtlsHs("dtls.handshake.type", FTUint8, BaseDec, func(m *decode.DTLSHandshake, dst []Value) []Value {
		return append(dst, Value{U: uint64(m.Type)})
	}),
	dtlsHs("dtls.handshake.length", FTUint24, BaseDec, func(m *decode.DTLSHandshake, dst []Value) []Value {
		return append(dst, Value{U: uint64(m.Length)})
	}),
	dtlsHs("dtls.handshake.message_seq", FTUint16, BaseDec, func(m *decode.DTLSHandshake, dst []Value) []Value {
		return append(dst, Value{U: uint64(m.MessageSeq)})
	}),
	dtlsHs("dtls.handshake.fragment_offset", FTUint24, BaseDec, func(m *decode.DTLSHandshake, dst []Value) []Value {
		return append(dst, Value{U: uint64(m.FragOff)})
	}),
	dtlsHs("dtls.handshake.fragment_length", FTUint24, BaseDec, func(m *decode.DTLSHandshake, dst []Value) []Value {
		return append(dst, Value{U: uint64(m.FragLen)})
	}),
	dtlsHelloField("dtls.handshake.version", FTUint16, BaseHex, func(m *decode.DTLSHandshake, h dtlsHello, dst []Value) []Value {
		return append(dst, Value{U: uint64(be16(m.Body))})
	}),
	dtlsHelloField("dtls.handshake.random", FTBytes, BaseNone, func(m *decode.DTLSHandshake, h dtlsHello, dst []Value) []Value {
		if m.Type != 3 && len(m.Body) >= 34 {
			dst = append(dst, Value{B: m.Body[2:34]})
		}
		return dst
	}),
	dtlsHelloVec8("dtls.handshake.session_id_length", false, func(h dtlsHello) int { return h.sid }),
	dtlsHelloVec8("dtls.handshake.session_id", true, func(h dtlsHello) int { return h.sid }),
	dtlsHelloVec8("dtls.handshake.cookie_length", false, func(h dtlsHello) int { return h.cookie }),
	dtlsHelloVec8("dtls.handshake.cookie", true, func(h dtlsHello) int { return h.cookie }),
	dtlsHelloField("dtls.handshake.cipher_suites_length", FTUint16, BaseDec, func(m *decode.DTLSHandshake, h dtlsHello, dst []Value) []Value {
		if m.Type == 1 && h.suites >= 0 {
			dst = append(dst, Value{U: uint64(be16(m.Body[h.suites:]))})
		}
		return dst
	}),
	dtlsHelloField("dtls.handshake.ciphersuite", FTUint16, BaseHex, func(m *decode.DTLSHandshake, h dtlsHello, dst []Value) []Value {
		if h.suites < 0 {
			return dst
		}
		if m.Type == 2 {
			return append(dst, Value{U: uint64(be16(m.Body[h.suites:]))})
		}
		n := int(be16(m.Body[h.suites:]))
		for i := h.suites + 2; i+2 <= h.suites+2+n && i+2 <= len(m.Body); i += 2 {
			dst = append(dst, Value{U: uint64(be16(m.Body[i:]))})
		}
		return dst
	}),
	dtlsHelloField("dtls.handshake.comp_methods_length", FTUint8, BaseDec, func(m *decode.DTLSHandshake, h dtlsHello, dst []Value) []Value {
		if m.Type == 1 && h.comp >= 0 {
			dst = append(dst, Value{U: uint64(m.Body[h.comp])})
		}
		return dst
	}),
	dtlsHelloField("dtls.handshake.comp_method", FTUint8, BaseDec, func(m *decode.DTLSHandshake, h dtlsHello, dst []Value) []Value {
		if h.comp < 0 {
			return dst
		}
		if m.Type == 2 {
			return append(dst, Value{U: uint64(m.Body[h.comp])})
		}
		n := int(m.Body[h.comp])
		for i := h.comp + 1; i < h.comp+1+n && i < len(m.Body); i++ {
			dst = append(dst, Value{U: uint64(m.Body[i])})
		}
		return dst
	}),
	dtlsHelloField("dtls.handshake.extensions_length", FTUint16, BaseDec, func(m *decode.DTLSHandshake, h dtlsHello, dst []Value) []Value {
		if h.ext >= 0 {
			dst = append(dst, Value{U: uint64(be16(m.Body[h.ext:]))})
		}
		return dst
	}),
}

// bfdCtl is a field of BFD control packets (not echo).
func bfdCtl(fl Field) Field {
	get := fl.Get
	fl.Get = func(f *decode.Frame, dst []Value) []Value {
		if !f.Has(decode.ProtoBFD) || decode.BFDEcho(f) {
			return dst
		}
		return get(f, dst)
	}
	return fl
}

var bfdFields = []Field{
	bfdCtl(protoField("bfd", decode.ProtoBFD)),
	bfdCtl(layerUint("bfd.version", FTUint8, BaseDec, decode.ProtoBFD, 0, 1, 0xe0)),
	bfdCtl(layerUint("bfd.diag", FTUint8, BaseHex, decode.ProtoBFD, 0, 1, 0x1f)),
	bfdCtl(layerUint("bfd.sta", FTUint8, BaseHex, decode.ProtoBFD, 1, 1, 0xc0)),
	bfdCtl(layerUint("bfd.flags", FTUint8, BaseHex, decode.ProtoBFD, 1, 1, 0)),
	bfdCtl(layerUint("bfd.flags.p", FTBoolean, BaseNone, decode.ProtoBFD, 1, 1, 0x20)),
	bfdCtl(layerUint("bfd.flags.f", FTBoolean, BaseNone, decode.ProtoBFD, 1, 1, 0x10)),
	bfdCtl(layerUint("bfd.flags.c", FTBoolean, BaseNone, decode.ProtoBFD, 1, 1, 0x08)),
	bfdCtl(layerUint("bfd.flags.a", FTBoolean, BaseNone, decode.ProtoBFD, 1, 1, 0x04)),
	bfdCtl(layerUint("bfd.flags.d", FTBoolean, BaseNone, decode.ProtoBFD, 1, 1, 0x02)),
	bfdCtl(layerUint("bfd.flags.m", FTBoolean, BaseNone, decode.ProtoBFD, 1, 1, 0x01)),
	bfdCtl(layerUint("bfd.detect_time_multiplier", FTUint8, BaseDec, decode.ProtoBFD, 2, 1, 0)),
	bfdCtl(layerUint("bfd.message_length", FTUint8, BaseDec, decode.ProtoBFD, 3, 1, 0)),
	bfdCtl(layerUint("bfd.my_discriminator", FTUint32, BaseHex, decode.ProtoBFD, 4, 4, 0)),
	bfdCtl(layerUint("bfd.your_discriminator", FTUint32, BaseHex, decode.ProtoBFD, 8, 4, 0)),
	bfdCtl(layerUint("bfd.desired_min_tx_interval", FTUint32, BaseDec, decode.ProtoBFD, 12, 4, 0)),
	bfdCtl(layerUint("bfd.required_min_rx_interval", FTUint32, BaseDec, decode.ProtoBFD, 16, 4, 0)),
	bfdCtl(layerUint("bfd.required_min_echo_interval", FTUint32, BaseDec, decode.ProtoBFD, 20, 4, 0)),
	{Name: "bfd_echo", Type: FTProtocol, Proto: decode.ProtoBFD, Get: func(f *decode.Frame, dst []Value) []Value {
		if b, ok := layerBytes(f, decode.ProtoBFD); ok && decode.BFDEcho(f) {
			dst = append(dst, Value{B: b})
		}
		return dst
	}},
	{Name: "bfd_echo.packet", Type: FTBytes, Proto: decode.ProtoBFD, Get: func(f *decode.Frame, dst []Value) []Value {
		if b, ok := layerBytes(f, decode.ProtoBFD); ok && decode.BFDEcho(f) {
			dst = append(dst, Value{B: b})
		}
		return dst
	}},
}

// ptp2 is a PTPv2 field of n bytes at off of messages whose type is in
// types (all when none).
func ptp2(name string, t Type, base Base, off, n int, mask uint64, types ...uint8) Field {
	return when(layerUint(name, t, base, decode.ProtoPTP, off, n, mask), func(b []byte) bool {
		if decode.PTPVersion(b) != 2 {
			return false
		}
		if len(types) == 0 {
			return true
		}
		for _, ty := range types {
			if b[0]&0x0f == ty {
				return true
			}
		}
		return false
	})
}

var ptpFields = []Field{
	protoField("ptp", decode.ProtoPTP),
	ptp2("ptp.v2.majorsdoid", FTUint8, BaseHex, 0, 1, 0xf0),
	ptp2("ptp.v2.messagetype", FTUint8, BaseHex, 0, 1, 0x0f),
	ptp2("ptp.v2.minorversionptp", FTUint8, BaseDec, 1, 1, 0xf0),
	ptp2("ptp.v2.versionptp", FTUint8, BaseDec, 1, 1, 0x0f),
	ptp2("ptp.v2.messagelength", FTUint16, BaseDec, 2, 2, 0),
	ptp2("ptp.v2.domainnumber", FTUint8, BaseDec, 4, 1, 0),
	ptp2("ptp.v2.minorsdoid", FTUint8, BaseDec, 5, 1, 0),
	ptp2("ptp.v2.flags", FTUint16, BaseHex, 6, 2, 0),
	ptp2("ptp.v2.flags.security", FTBoolean, BaseNone, 6, 2, 0x8000),
	ptp2("ptp.v2.flags.specific2", FTBoolean, BaseNone, 6, 2, 0x4000),
	ptp2("ptp.v2.flags.specific1", FTBoolean, BaseNone, 6, 2, 0x2000),
	ptp2("ptp.v2.flags.unicast", FTBoolean, BaseNone, 6, 2, 0x0400),
	ptp2("ptp.v2.flags.twostep", FTBoolean, BaseNone, 6, 2, 0x0200),
	ptp2("ptp.v2.flags.alternatemaster", FTBoolean, BaseNone, 6, 2, 0x0100),
	ptp2("ptp.v2.flags.frequencytraceable", FTBoolean, BaseNone, 6, 2, 0x0020),
	ptp2("ptp.v2.flags.timetraceable", FTBoolean, BaseNone, 6, 2, 0x0010),
	ptp2("ptp.v2.flags.timescale", FTBoolean, BaseNone, 6, 2, 0x0008),
	ptp2("ptp.v2.flags.utcreasonable", FTBoolean, BaseNone, 6, 2, 0x0004),
	ptp2("ptp.v2.flags.li59", FTBoolean, BaseNone, 6, 2, 0x0002),
	ptp2("ptp.v2.flags.li61", FTBoolean, BaseNone, 6, 2, 0x0001),
	when(layerField("ptp.v2.correction.ns", FTUint64, BaseDec, decode.ProtoPTP, func(b []byte, dst []Value) []Value {
		if v, ok := beUint(b, 8, 8); ok {
			dst = append(dst, Value{U: uint64(int64(v) >> 16)})
		}
		return dst
	}), isPTPv2),
	when(layerField("ptp.v2.correction.subns", FTDouble, BaseNone, decode.ProtoPTP, func(b []byte, dst []Value) []Value {
		if v, ok := beUint(b, 8, 8); ok {
			dst = append(dst, Value{F: float64(v&0xffff) / 65536})
		}
		return dst
	}), isPTPv2),
	ptp2("ptp.v2.messagetypespecific", FTUint32, BaseDec, 16, 4, 0),
	ptp2("ptp.v2.clockidentity", FTUint64, BaseHex, 20, 8, 0),
	when(layerField("ptp.v2.clockidentity_manuf", FTBytes, BaseNone, decode.ProtoPTP, func(b []byte, dst []Value) []Value {
		if len(b) >= 28 && b[23] == 0xff && b[24] == 0xfe {
			dst = append(dst, Value{B: b[20:23]})
		}
		return dst
	}), isPTPv2),
	ptp2("ptp.v2.sourceportid", FTUint16, BaseDec, 28, 2, 0),
	ptp2("ptp.v2.sequenceid", FTUint16, BaseDec, 30, 2, 0),
	ptp2("ptp.v2.controlfield", FTUint8, BaseDec, 32, 1, 0),
	ptp2("ptp.v2.sdr.origintimestamp.seconds", FTUint64, BaseDec, 34, 6, 0, 0x0, 0x1),
	ptp2("ptp.v2.fu.preciseorigintimestamp.seconds", FTUint64, BaseDec, 34, 6, 0, 0x8),
	ptp2("ptp.v2.fu.preciseorigintimestamp.nanoseconds", FTUint32, BaseDec, 40, 4, 0, 0x8),
	ptp2("ptp.v2.dr.receivetimestamp.seconds", FTUint64, BaseDec, 34, 6, 0, 0x9),
	ptp2("ptp.v2.dr.requestingsourceportidentity", FTUint64, BaseHex, 44, 8, 0, 0x9),
	ptp2("ptp.v2.dr.requestingsourceportid", FTUint16, BaseDec, 52, 2, 0, 0x9),
	ptp2("ptp.v2.an.origintimestamp.seconds", FTUint64, BaseDec, 34, 6, 0, 0xb),
	ptp2("ptp.v2.an.priority1", FTUint8, BaseDec, 47, 1, 0, 0xb),
	ptp2("ptp.v2.an.grandmasterclockclass", FTUint8, BaseDec, 48, 1, 0, 0xb),
	ptp2("ptp.v2.an.grandmasterclockaccuracy", FTUint8, BaseHex, 49, 1, 0, 0xb),
	ptp2("ptp.v2.an.grandmasterclockvariance", FTUint16, BaseDec, 50, 2, 0, 0xb),
	ptp2("ptp.v2.an.priority2", FTUint8, BaseDec, 52, 1, 0, 0xb),
	ptp2("ptp.v2.an.grandmasterclockidentity", FTUint64, BaseHex, 53, 8, 0, 0xb),
	ptp2("ptp.v2.an.localstepsremoved", FTUint16, BaseDec, 61, 2, 0, 0xb),
	ptp2("ptp.v2.timesource", FTUint8, BaseHex, 63, 1, 0, 0xb),
	ptp2("ptp.v2.sig.targetportidentity", FTUint64, BaseHex, 34, 8, 0, 0xc),
	ptp2("ptp.v2.sig.targetportid", FTUint16, BaseDec, 42, 2, 0, 0xc),
}

func isPTPv2(b []byte) bool { return decode.PTPVersion(b) == 2 }

// ovpn is an OpenVPN field read from the packet's layout.
func ovpn(name string, t Type, base Base, get func(b []byte, m *decode.OpenVPNMsg, dst []Value) []Value) Field {
	return layerField(name, t, base, decode.ProtoOpenVPN, func(b []byte, dst []Value) []Value {
		m := decode.ParseOpenVPN(b)
		return get(b, &m, dst)
	})
}

// ovpnUint is an unsigned field of n bytes at the offset off picks (-1 absent).
func ovpnUint(name string, t Type, base Base, n int, off func(m *decode.OpenVPNMsg) int) Field {
	return ovpn(name, t, base, func(b []byte, m *decode.OpenVPNMsg, dst []Value) []Value {
		if v, ok := beUint(b, off(m), n); ok && off(m) >= 0 {
			dst = append(dst, Value{U: v})
		}
		return dst
	})
}

// ovpnWKC returns where a tls-crypt-v2 wrapped client key starts (the
// packet's last two bytes are its length, itself included); -1 none.
func ovpnWKC(b []byte, m *decode.OpenVPNMsg) int {
	if m.Opcode != decode.OpenVPNResetV3 && m.Opcode != decode.OpenVPNWKCV1 || len(b)-m.Data < 2 {
		return -1
	}
	n := int(be16(b[len(b)-2:]))
	if n > len(b)-m.Data || n < 2 {
		return -1
	}
	return len(b) - n
}

var openvpnFields = []Field{
	protoField("openvpn", decode.ProtoOpenVPN),
	layerUint("openvpn.type", FTUint8, BaseHex, decode.ProtoOpenVPN, 0, 1, 0),
	layerUint("openvpn.opcode", FTUint8, BaseHex, decode.ProtoOpenVPN, 0, 1, 0xf8),
	layerUint("openvpn.keyid", FTUint8, BaseDec, decode.ProtoOpenVPN, 0, 1, 0x07),
	ovpnUint("openvpn.peerid", FTUint24, BaseDec, 3, func(m *decode.OpenVPNMsg) int { return m.PeerID }),
	ovpnUint("openvpn.sessionid", FTUint64, BaseDec, 8, func(m *decode.OpenVPNMsg) int { return m.Session }),
	ovpn("openvpn.hmac", FTBytes, BaseNone, func(b []byte, m *decode.OpenVPNMsg, dst []Value) []Value {
		if m.HMAC >= 0 {
			dst = append(dst, Value{B: b[m.HMAC : m.HMAC+m.HMACLen]})
		}
		return dst
	}),
	ovpnUint("openvpn.pid", FTUint32, BaseDec, 4, func(m *decode.OpenVPNMsg) int { return m.PID }),
	ovpn("openvpn.net_time", FTAbsTime, BaseNone, func(b []byte, m *decode.OpenVPNMsg, dst []Value) []Value {
		if v, ok := beUint(b, m.NetTime, 4); ok && m.NetTime >= 0 {
			dst = append(dst, Value{I: int64(v) * 1e9})
		}
		return dst
	}),
	ovpnUint("openvpn.mpidarraylength", FTUint8, BaseDec, 1, func(m *decode.OpenVPNMsg) int { return m.AckLen }),
	ovpn("openvpn.mpidarrayelement", FTUint32, BaseDec, func(b []byte, m *decode.OpenVPNMsg, dst []Value) []Value {
		for i := 0; i < m.NAcks; i++ {
			dst = append(dst, Value{U: uint64(be32(b[m.Acks+4*i:]))})
		}
		return dst
	}),
	ovpnUint("openvpn.rsessionid", FTUint64, BaseDec, 8, func(m *decode.OpenVPNMsg) int { return m.RSession }),
	ovpnUint("openvpn.mpid", FTUint32, BaseDec, 4, func(m *decode.OpenVPNMsg) int { return m.MPID }),
	ovpn("openvpn.data", FTBytes, BaseNone, func(b []byte, m *decode.OpenVPNMsg, dst []Value) []Value {
		if m.Cut || m.Opcode == decode.OpenVPNControlV1 || m.Data >= len(b) {
			return dst
		}
		end := len(b)
		if w := ovpnWKC(b, m); w >= 0 {
			end = w
		}
		if end > m.Data {
			dst = append(dst, Value{B: b[m.Data:end]})
		}
		return dst
	}),
	ovpn("openvpn.wkc", FTBytes, BaseNone, func(b []byte, m *decode.OpenVPNMsg, dst []Value) []Value {
		if w := ovpnWKC(b, m); w >= 0 && !m.Cut {
			dst = append(dst, Value{B: b[w:]})
		}
		return dst
	}),
	ovpn("openvpn.wkc_len", FTUint16, BaseDec, func(b []byte, m *decode.OpenVPNMsg, dst []Value) []Value {
		if w := ovpnWKC(b, m); w >= 0 && !m.Cut {
			dst = append(dst, Value{U: uint64(len(b) - w)})
		}
		return dst
	}),
	ovpn("openvpn.fragment_bytes", FTBytes, BaseNone, func(b []byte, m *decode.OpenVPNMsg, dst []Value) []Value {
		if !m.Cut && m.Opcode == decode.OpenVPNControlV1 && len(b)-m.Data == 100 {
			dst = append(dst, Value{B: b[m.Data:]})
		}
		return dst
	}),
}

func be32(b []byte) uint32 { return uint32(be16(b))<<16 | uint32(be16(b[2:])) }
