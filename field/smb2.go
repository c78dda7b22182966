package field

import "github.com/wirewatch/wirewatch/decode"

// NBSS ("nbss.*") and SMB2 ("smb2.*") header fields, and the request →
// response time.

// smb2Hdr is a header field with one occurrence per (chained) message.
func smb2Hdr(name string, t Type, base Base, get func(m *decode.SMB2Msg) (uint64, bool)) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoSMB2,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if f.Has(decode.ProtoSMB2) {
				for i := range f.SMB2.Msgs {
					if v, ok := get(&f.SMB2.Msgs[i]); ok {
						dst = append(dst, Value{U: v})
					}
				}
			}
			return dst
		}}
}

func smb2LE(off, n int) func(m *decode.SMB2Msg) (uint64, bool) {
	return func(m *decode.SMB2Msg) (uint64, bool) {
		if off+n > len(m.B) {
			return 0, false
		}
		var v uint64
		for i := n - 1; i >= 0; i-- {
			v = v<<8 | uint64(m.B[off+i])
		}
		return v, true
	}
}

func smb2Flag(name string, mask uint32) Field {
	fl := smb2Hdr(name, FTBoolean, BaseNone, func(m *decode.SMB2Msg) (uint64, bool) { return b2u(m.Flags&mask != 0), true })
	fl.Bitmask = uint64(mask)
	return fl
}

var nbssFields = []Field{
	protoField("nbss", decode.ProtoNBSS),
	layerUint("nbss.type", FTUint8, BaseHex, decode.ProtoNBSS, 0, 1, 0),
	uintField("nbss.length", FTUint24, BaseDec, decode.ProtoNBSS, func(f *decode.Frame) (uint64, bool) {
		b, ok := layerBytes(f, decode.ProtoNBSS)
		if !ok {
			return 0, false
		}
		return uint64(decode.NBSSMessageLen(b) - 4), true
	}),
}

var smb2Fields = []Field{
	protoField("smb2", decode.ProtoSMB2),
	smb2Hdr("smb2.protocol_id", FTUint32, BaseHex, func(m *decode.SMB2Msg) (uint64, bool) { return 0xfe534d42, true }),
	smb2Hdr("smb2.header_len", FTUint16, BaseDec, smb2LE(4, 2)),
	smb2Hdr("smb2.credit.charge", FTUint16, BaseDec, smb2LE(6, 2)),
	smb2Hdr("smb2.nt_status", FTUint32, BaseHex, func(m *decode.SMB2Msg) (uint64, bool) { return uint64(m.Status), m.Flags&1 != 0 }),
	smb2Hdr("smb2.cmd", FTUint16, BaseDec, func(m *decode.SMB2Msg) (uint64, bool) { return uint64(m.Cmd), true }),
	smb2Hdr("smb2.credits.requested", FTUint16, BaseDec, func(m *decode.SMB2Msg) (uint64, bool) {
		v, ok := smb2LE(14, 2)(m)
		return v, ok && m.Flags&1 == 0
	}),
	smb2Hdr("smb2.credits.granted", FTUint16, BaseDec, func(m *decode.SMB2Msg) (uint64, bool) {
		v, ok := smb2LE(14, 2)(m)
		return v, ok && m.Flags&1 != 0
	}),
	smb2Hdr("smb2.flags", FTUint32, BaseHex, func(m *decode.SMB2Msg) (uint64, bool) { return uint64(m.Flags), true }),
	smb2Flag("smb2.flags.response", 0x1),
	smb2Flag("smb2.flags.async", 0x2),
	smb2Flag("smb2.flags.chained", 0x4),
	smb2Flag("smb2.flags.signature", 0x8),
	smb2Hdr("smb2.chain_offset", FTUint32, BaseHex, smb2LE(20, 4)),
	smb2Hdr("smb2.msg_id", FTUint64, BaseDec, func(m *decode.SMB2Msg) (uint64, bool) { return m.MsgID, true }),
	smb2Hdr("smb2.pid", FTUint32, BaseHex, func(m *decode.SMB2Msg) (uint64, bool) {
		v, ok := smb2LE(32, 4)(m)
		return v, ok && m.Flags&2 == 0
	}),
	smb2Hdr("smb2.tid", FTUint32, BaseHex, func(m *decode.SMB2Msg) (uint64, bool) {
		v, ok := smb2LE(36, 4)(m)
		return v, ok && m.Flags&2 == 0
	}),
	smb2Hdr("smb2.sesid", FTUint64, BaseHex, smb2LE(40, 8)),
	{Name: "smb2.signature", Type: FTBytes, Proto: decode.ProtoSMB2,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if f.Has(decode.ProtoSMB2) {
				for i := range f.SMB2.Msgs {
					if b := f.SMB2.Msgs[i].B; len(b) >= 64 {
						dst = append(dst, Value{B: b[48:64]})
					}
				}
			}
			return dst
		}},
	{Name: "smb2.time", Type: FTRelTime, Proto: decode.ProtoSMB2,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if f.Has(decode.ProtoSMB2) {
				for i := range f.SMB2.Msgs {
					if m := &f.SMB2.Msgs[i]; m.Time >= 0 {
						dst = append(dst, Value{I: m.Time})
					}
				}
			}
			return dst
		}},
	smb2Hdr("smb2.response_to", FTFrameNum, BaseNone, func(m *decode.SMB2Msg) (uint64, bool) { return m.ResponseTo, m.ResponseTo != 0 }),
}
