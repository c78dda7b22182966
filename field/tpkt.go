package field

import "github.com/wirewatch/wirewatch/decode"

// Fields of TPKT, COTP and the RDP negotiation (decode/tpkt.go), Wireshark
// 4.0 names.

// tpktHdr is a TPKT header field; continuation bytes have none.
func tpktHdr(name string, t Type, off, n int) Field {
	return uintField(name, t, BaseDec, decode.ProtoTPKT, func(f *decode.Frame) (uint64, bool) {
		b, ok := layerBytes(f, decode.ProtoTPKT)
		if !ok || len(b) < 4 || b[0] != 3 {
			return 0, false
		}
		return beUint(b, off, n)
	})
}

// cotpField reads the COTP TPDU; types lists the TPDU codes that have it.
func cotpField(name string, t Type, base Base, get func(c decode.COTP, b []byte) (uint64, bool)) Field {
	return uintField(name, t, base, decode.ProtoCOTP, func(f *decode.Frame) (uint64, bool) {
		b, ok := layerBytes(f, decode.ProtoCOTP)
		if !ok {
			return 0, false
		}
		c, ok := decode.ParseCOTP(b)
		if !ok {
			return 0, false
		}
		return get(c, b)
	})
}

func cotpBool(name string, mask uint64, get func(c decode.COTP, b []byte) (bool, bool)) Field {
	return boolField(name, mask, decode.ProtoCOTP, func(f *decode.Frame) (bool, bool) {
		b, ok := layerBytes(f, decode.ProtoCOTP)
		if !ok {
			return false, false
		}
		c, ok := decode.ParseCOTP(b)
		if !ok {
			return false, false
		}
		return get(c, b)
	})
}

// cotpCR reports a Connection Request or Confirm with its fixed part.
func cotpCR(c decode.COTP, b []byte) bool { return (c.Type == 0xe || c.Type == 0xd) && len(b) >= 7 }

func rdpNeg(f *decode.Frame) (decode.RDPNeg, bool) {
	b, ok := layerBytes(f, decode.ProtoRDP)
	if !ok {
		return decode.RDPNeg{}, false
	}
	return decode.ParseRDPNeg(b), true
}

func rdpUint(name string, t Type, base Base, typ uint8, get func(r decode.RDPNeg) uint64) Field {
	return uintField(name, t, base, decode.ProtoRDP, func(f *decode.Frame) (uint64, bool) {
		r, ok := rdpNeg(f)
		if !ok || r.Type == 0 || typ != 0 && r.Type != typ {
			return 0, false
		}
		return get(r), true
	})
}

func rdpBit(name string, mask uint64, typ uint8, flags bool) Field {
	return boolField(name, mask, decode.ProtoRDP, func(f *decode.Frame) (bool, bool) {
		r, ok := rdpNeg(f)
		if !ok || r.Type != typ {
			return false, false
		}
		v := uint64(r.Value)
		if flags {
			v = uint64(r.Flags)
		}
		return v&mask != 0, true
	})
}

var tpktFields = []Field{
	protoField("tpkt", decode.ProtoTPKT),
	tpktHdr("tpkt.version", FTUint8, 0, 1),
	tpktHdr("tpkt.reserved", FTUint8, 1, 1),
	tpktHdr("tpkt.length", FTUint16, 2, 2),
	bytesField("tpkt.continuation_data", FTBytes, decode.ProtoTPKT, func(f *decode.Frame) ([]byte, bool) {
		b, ok := layerBytes(f, decode.ProtoTPKT)
		if !ok || len(b) >= 4 && b[0] == 3 {
			return nil, false
		}
		return b, len(b) > 0
	}),
	protoField("cotp", decode.ProtoCOTP),
	cotpField("cotp.li", FTUint8, BaseDec, func(c decode.COTP, b []byte) (uint64, bool) { return uint64(c.LI), true }),
	cotpField("cotp.type", FTUint8, BaseHex, func(c decode.COTP, b []byte) (uint64, bool) { return uint64(c.Type), true }),
	cotpField("cotp.destref", FTUint16, BaseHex, func(c decode.COTP, b []byte) (uint64, bool) {
		if cotpCR(c, b) {
			return beUint(b, 2, 2)
		}
		return 0, c.Type == 0xf // DT: generated, 0
	}),
	cotpField("cotp.srcref", FTUint16, BaseHex, func(c decode.COTP, b []byte) (uint64, bool) {
		if cotpCR(c, b) {
			return beUint(b, 4, 2)
		}
		return 0, false
	}),
	cotpField("cotp.class", FTUint8, BaseDec, func(c decode.COTP, b []byte) (uint64, bool) {
		return uint64(b[min(6, len(b)-1)] >> 4), cotpCR(c, b)
	}),
	cotpBool("cotp.opts.extended_formats", 0x2, func(c decode.COTP, b []byte) (bool, bool) {
		return cotpCR(c, b) && b[6]&2 != 0, cotpCR(c, b)
	}),
	cotpBool("cotp.opts.no_explicit_flow_control", 0x1, func(c decode.COTP, b []byte) (bool, bool) {
		return cotpCR(c, b) && b[6]&1 != 0, cotpCR(c, b)
	}),
	cotpField("cotp.tpdu-number", FTUint8, BaseHex, func(c decode.COTP, b []byte) (uint64, bool) {
		if c.Type != 0xf || len(b) < 3 {
			return 0, false
		}
		return uint64(b[2] & 0x7f), true
	}),
	cotpBool("cotp.eot", 0x80, func(c decode.COTP, b []byte) (bool, bool) {
		if c.Type != 0xf || len(b) < 3 {
			return false, false
		}
		return b[2]&0x80 != 0, true
	}),
	protoField("rdp", decode.ProtoRDP),
	bytesField("rdp.rt_cookie", FTString, decode.ProtoRDP, func(f *decode.Frame) ([]byte, bool) {
		r, ok := rdpNeg(f)
		return r.Cookie, ok && r.Cookie != nil
	}),
	rdpUint("rdp.neg_type", FTUint8, BaseHex, 0, func(r decode.RDPNeg) uint64 { return uint64(r.Type) }),
	rdpUint("rdp.neg_length", FTUint16, BaseDec, 0, func(r decode.RDPNeg) uint64 { return uint64(r.Length) }),
	rdpUint("rdp.negReq.flags", FTUint8, BaseHex, 1, func(r decode.RDPNeg) uint64 { return uint64(r.Flags) }),
	rdpBit("rdp.negReq.flags.restricted_admin_mode_req", 0x1, 1, true),
	rdpBit("rdp.negReq.flags.correlation_info_present", 0x8, 1, true),
	rdpUint("rdp.negReq.requestedProtocols", FTUint32, BaseHex, 1, func(r decode.RDPNeg) uint64 { return uint64(r.Value) }),
	rdpBit("rdp.negReq.requestedProtocols.ssl", 0x1, 1, false),
	rdpBit("rdp.negReq.requestedProtocols.hybrid", 0x2, 1, false),
	rdpBit("rdp.negReq.requestedProtocols.rdstls", 0x4, 1, false),
	rdpBit("rdp.negReq.requestedProtocols.hybrid_ex", 0x8, 1, false),
	rdpUint("rdp.negRsp.flags", FTUint8, BaseHex, 2, func(r decode.RDPNeg) uint64 { return uint64(r.Flags) }),
	rdpBit("rdp.negRsp.flags.extended_client_data_supported", 0x1, 2, true),
	rdpBit("rdp.negRsp.flags.dynvc_gfx_protocol_supported", 0x2, 2, true),
	rdpBit("rdp.negRsp.flags.restricted_admin_mode_supported", 0x8, 2, true),
	rdpBit("rdp.negRsp.flags.restricted_authentication_mode_supported", 0x10, 2, true),
	rdpUint("rdp.negReq.selectedProtocol", FTUint32, BaseHex, 2, func(r decode.RDPNeg) uint64 { return uint64(r.Value) }),
	rdpUint("rdp.negFailure.failureCode", FTUint32, BaseHex, 3, func(r decode.RDPNeg) uint64 { return uint64(r.Value) }),
}
