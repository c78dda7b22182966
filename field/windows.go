package field

import "github.com/wirewatch/wirewatch/decode"

// DCE/RPC ("dcerpc.*"), SMB ("smb.*") and more SMB2 ("smb2.*") fields.

// dcePDU is a field with one occurrence per DCE/RPC PDU of the frame.
func dcePDU(name string, t Type, base Base, get func(p *decode.DCERPCPDU) (uint64, bool)) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoDCERPC,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if f.Has(decode.ProtoDCERPC) {
				for i := range f.DCERPC.PDUs {
					if v, ok := get(&f.DCERPC.PDUs[i]); ok {
						dst = append(dst, Value{U: v})
					}
				}
			}
			return dst
		}}
}

// dceAt reads the n-byte integer at off of PDUs of the given types (any
// when types is empty).
func dceAt(off, n int, types ...byte) func(p *decode.DCERPCPDU) (uint64, bool) {
	return func(p *decode.DCERPCPDU) (uint64, bool) {
		if len(p.B) < 16 {
			return 0, false
		}
		if len(types) > 0 {
			ok := false
			for _, t := range types {
				ok = ok || p.B[2] == t
			}
			if !ok {
				return 0, false
			}
		}
		return decode.DCERPCUint(p.B, off, n)
	}
}

func dceFlag(name string, mask uint8) Field {
	fl := dcePDU(name, FTBoolean, BaseNone, func(p *decode.DCERPCPDU) (uint64, bool) { return b2u(p.B[3]&mask != 0), true })
	fl.Bitmask = uint64(mask)
	return fl
}

var dcerpcFields = []Field{
	protoField("dcerpc", decode.ProtoDCERPC),
	dcePDU("dcerpc.ver", FTUint8, BaseDec, dceAt(0, 1)),
	dcePDU("dcerpc.ver_minor", FTUint8, BaseDec, dceAt(1, 1)),
	dcePDU("dcerpc.pkt_type", FTUint8, BaseDec, dceAt(2, 1)),
	dcePDU("dcerpc.cn_flags", FTUint8, BaseHex, dceAt(3, 1)),
	dceFlag("dcerpc.cn_flags.first_frag", 0x01),
	dceFlag("dcerpc.cn_flags.last_frag", 0x02),
	dcePDU("dcerpc.cn_frag_len", FTUint16, BaseDec, dceAt(8, 2)),
	dcePDU("dcerpc.cn_auth_len", FTUint16, BaseDec, dceAt(10, 2)),
	dcePDU("dcerpc.cn_call_id", FTUint32, BaseDec, dceAt(12, 4)),
	dcePDU("dcerpc.cn_alloc_hint", FTUint32, BaseDec, dceAt(16, 4, 0, 2, 3)),
	dcePDU("dcerpc.opnum", FTUint16, BaseDec, func(p *decode.DCERPCPDU) (uint64, bool) {
		if p.B[2] == 0 {
			return decode.DCERPCUint(p.B, 22, 2)
		}
		// a response of a bound interface: its request's
		return uint64(p.Opnum), p.HasOp && p.Iface >= 0 && p.B[2] == 2
	}),
	dcePDU("dcerpc.cn_max_xmit", FTUint16, BaseDec, dceAt(16, 2, 11, 12, 14, 15)),
	dcePDU("dcerpc.cn_max_recv", FTUint16, BaseDec, dceAt(18, 2, 11, 12, 14, 15)),
	dcePDU("dcerpc.cn_assoc_group", FTUint32, BaseHex, dceAt(20, 4, 11, 12, 14, 15)),
	dcePDU("dcerpc.cn_num_ctx_items", FTUint8, BaseDec, dceAt(24, 1, 11, 14)),
}

// smbAt reads the little-endian n-byte integer at off of the SMB header.
func smbAt(name string, t Type, base Base, off, n int) Field {
	return uintField(name, t, base, decode.ProtoSMB, func(f *decode.Frame) (uint64, bool) {
		b, ok := layerBytes(f, decode.ProtoSMB)
		if !ok || len(b) < 32 {
			return 0, false
		}
		var v uint64
		for i := n - 1; i >= 0; i-- {
			v = v<<8 | uint64(b[off+i])
		}
		return v, true
	})
}

var smbFields = []Field{
	protoField("smb", decode.ProtoSMB),
	{Name: "smb.cmd", Type: FTUint8, Base: BaseHex, Proto: decode.ProtoSMB,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := layerBytes(f, decode.ProtoSMB)
			if !ok || len(b) < 33 {
				return dst
			}
			dst = append(dst, Value{U: uint64(b[4])})
			// An AndX command names the next one in its first word.
			cmd, off := b[4], 32
			for range 8 {
				if !decode.SMBAndX(cmd) || off+5 > len(b) || b[off] < 2 {
					break
				}
				cmd = b[off+1]
				dst = append(dst, Value{U: uint64(cmd)})
				next := int(b[off+3]) | int(b[off+4])<<8
				if cmd == 0xff || next <= off || next >= len(b) {
					break
				}
				off = next
			}
			return dst
		}},
	uintField("smb.nt_status", FTUint32, BaseHex, decode.ProtoSMB, func(f *decode.Frame) (uint64, bool) {
		b, ok := layerBytes(f, decode.ProtoSMB)
		if !ok || len(b) < 32 || b[11]&0x40 == 0 {
			return 0, false
		}
		return uint64(b[5]) | uint64(b[6])<<8 | uint64(b[7])<<16 | uint64(b[8])<<24, true
	}),
	smbAt("smb.flags", FTUint8, BaseHex, 9, 1),
	boolField("smb.flags.response", 0x80, decode.ProtoSMB, func(f *decode.Frame) (bool, bool) {
		b, ok := layerBytes(f, decode.ProtoSMB)
		return ok && len(b) >= 32 && b[9]&0x80 != 0, ok && len(b) >= 32
	}),
	smbAt("smb.flags2", FTUint16, BaseHex, 10, 2),
	smbAt("smb.tid", FTUint16, BaseDec, 24, 2),
	smbAt("smb.pid", FTUint16, BaseDec, 26, 2),
	smbAt("smb.uid", FTUint16, BaseDec, 28, 2),
	smbAt("smb.mid", FTUint16, BaseDec, 30, 2),
	smbAt("smb.wct", FTUint8, BaseDec, 32, 1),
}

// smb2Request reads a little-endian integer of a request's body.
func smb2Request(cmd uint16, off, n int) func(m *decode.SMB2Msg) (uint64, bool) {
	get := smb2LE(64+off, n)
	return func(m *decode.SMB2Msg) (uint64, bool) {
		if m.Cmd != cmd || m.Flags&1 != 0 {
			return 0, false
		}
		return get(m)
	}
}

var smb2MoreFields = []Field{
	{Name: "smb2.filename", Type: FTString, Proto: decode.ProtoSMB2,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if f.Has(decode.ProtoSMB2) {
				for i := range f.SMB2.Msgs {
					if b, ok := f.SMB2FileName(&f.SMB2.Msgs[i]); ok {
						dst = append(dst, Value{B: b})
					}
				}
			}
			return dst
		}},
	smb2Hdr("smb2.read_length", FTUint32, BaseDec, smb2Request(8, 4, 4)),
	smb2Hdr("smb2.write_length", FTUint32, BaseDec, smb2Request(9, 4, 4)),
	smb2Hdr("smb2.ioctl.function", FTUint32, BaseHex, func(m *decode.SMB2Msg) (uint64, bool) {
		if m.Cmd != 11 || m.Flags&1 != 0 && m.Status != 0 {
			return 0, false
		}
		return smb2LE(64+4, 4)(m)
	}),
}

func nbdgmName(name string, i int) Field {
	return bytesField(name, FTString, decode.ProtoNBDGM, func(f *decode.Frame) ([]byte, bool) {
		b, ok := layerBytes(f, decode.ProtoNBDGM)
		if !ok {
			return nil, false
		}
		return f.NBDGMName(b, i)
	})
}

var nbdgmFields = []Field{
	protoField("nbdgm", decode.ProtoNBDGM),
	layerUint("nbdgm.type", FTUint8, BaseDec, decode.ProtoNBDGM, 0, 1, 0),
	layerUint("nbdgm.flags", FTUint8, BaseHex, decode.ProtoNBDGM, 1, 1, 0),
	layerUint("nbdgm.dgram_id", FTUint16, BaseHex, decode.ProtoNBDGM, 2, 2, 0),
	layerAddr4("nbdgm.src.ip", decode.ProtoNBDGM, 4),
	layerUint("nbdgm.src.port", FTUint16, BaseDec, decode.ProtoNBDGM, 8, 2, 0),
	nbdgmName("nbdgm.source_name", 0),
	nbdgmName("nbdgm.destination_name", 1),
	protoField("browser", decode.ProtoBrowser),
	layerUint("browser.command", FTUint8, BaseHex, decode.ProtoBrowser, 0, 1, 0),
}

func ntlmAuth(name string, off int) Field {
	return bytesField(name, FTString, decode.ProtoNTLMSSP, func(f *decode.Frame) ([]byte, bool) {
		b, ok := layerBytes(f, decode.ProtoNTLMSSP)
		if !ok {
			return nil, false
		}
		return f.NTLMSSPAuthString(b, off)
	})
}

var ntlmsspFields = []Field{
	protoField("ntlmssp", decode.ProtoNTLMSSP),
	protoField("gss-api", decode.ProtoGSSAPI),
	protoField("spnego", decode.ProtoSPNEGO),
	uintField("ntlmssp.messagetype", FTUint32, BaseHex, decode.ProtoNTLMSSP, func(f *decode.Frame) (uint64, bool) {
		b, ok := layerBytes(f, decode.ProtoNTLMSSP)
		if !ok || len(b) < 12 {
			return 0, false
		}
		return uint64(b[8]) | uint64(b[9])<<8 | uint64(b[10])<<16 | uint64(b[11])<<24, true
	}),
	ntlmAuth("ntlmssp.auth.domain", 28),
	ntlmAuth("ntlmssp.auth.username", 36),
	ntlmAuth("ntlmssp.auth.hostname", 44),
}
