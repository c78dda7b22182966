package field

import "github.com/wirewatch/wirewatch/decode"

// Kerberos fields (Wireshark 4.0 "kerberos.*"), read by walking each
// Kerberos message of the frame (on port 88, or the krb5 token of a SPNEGO
// blob) with decode.WalkKerberos.

// eachKrbMsg calls fn with each Kerberos message of f, in frame order.
func eachKrbMsg(f *decode.Frame, fn func(b []byte)) {
	if !f.Has(decode.ProtoKerberos) && !f.Has(decode.ProtoSPNEGO) {
		return
	}
	for _, l := range f.Layers {
		switch l.Proto {
		case decode.ProtoKerberos:
			fn(decode.KerberosMessage(f.LayerBytes(l)))
		case decode.ProtoSPNEGO:
			if m := decode.SPNEGOKerberos(f.LayerBytes(l)); m != nil {
				fn(m)
			}
		}
	}
}

// krbConv turns an item's element into a field value.
type krbConv func(e decode.BER) (Value, bool)

func krbInt(e decode.BER) (Value, bool) {
	v, ok := decode.BERInt(e.Val)
	return Value{I: v}, ok
}

func krbUint(e decode.BER) (Value, bool) {
	v, ok := decode.BERUint(e.Val)
	if !ok {
		if i, ok2 := decode.BERInt(e.Val); ok2 {
			return Value{U: uint64(uint32(i))}, true
		}
	}
	return Value{U: v}, ok
}

func krbStr(e decode.BER) (Value, bool) { return Value{B: e.Val}, true }

func krbTime(e decode.BER) (Value, bool) {
	ns, ok := decode.BERGeneralizedTime(e.Val)
	return Value{I: ns}, ok
}

func krbBool(e decode.BER) (Value, bool) {
	return Value{U: b2u(len(e.Val) == 1 && e.Val[0] != 0)}, len(e.Val) == 1
}

// krbBits is a BIT STRING's octets after its unused-bits count.
func krbBits(e decode.BER) (Value, bool) {
	if len(e.Val) < 1 {
		return Value{}, false
	}
	return Value{B: e.Val[1:]}, true
}

// krbField is a field with one occurrence per item it of every message.
func krbField(name string, t Type, base Base, it decode.KrbItem, conv krbConv) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoKerberos,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachKrbMsg(f, func(b []byte) {
				decode.WalkKerberos(b, func(i decode.KrbItem, e decode.BER) {
					if i == it {
						if v, ok := conv(e); ok {
							dst = append(dst, v)
						}
					}
				})
			})
			return dst
		}}
}

// krbFlag is one bit of a BIT STRING item (KDCOptions, APOptions): bit
// number bit counted from the first octet's top bit.
func krbFlag(name string, it decode.KrbItem, bit int) Field {
	fl := krbField(name, FTBoolean, BaseNone, it, func(e decode.BER) (Value, bool) {
		if len(e.Val) < 2 {
			return Value{}, false
		}
		b := e.Val[1:]
		if bit/8 >= len(b) {
			return Value{U: 0}, true
		}
		return Value{U: b2u(b[bit/8]&(0x80>>(bit%8)) != 0)}, true
	})
	fl.Bitmask = uint64(0x80 >> (bit % 8))
	return fl
}

var kdcOptionNames = [...]string{"reserved", "forwardable", "forwarded", "proxiable", "proxy", "allow.postdate",
	"postdated", "unused7", "renewable", "unused9", "unused10", "opt.hardware.auth", "unused12", "unused13",
	"constrained.delegation", "canonicalize", "request.anonymous", "unused17", "unused18", "unused19", "unused20",
	"unused21", "unused22", "unused23", "unused24", "unused25", "disable.transited.check", "renewable.ok",
	"enc.tkt.in.skey", "unused29", "renew", "validate"}

func kerberosFieldTable() []Field {
	t := []Field{
		{Name: "kerberos", Type: FTProtocol, Proto: decode.ProtoKerberos,
			Get: func(f *decode.Frame, dst []Value) []Value {
				eachKrbMsg(f, func(b []byte) { dst = append(dst, Value{B: b}) })
				return dst
			}},
		uintField("kerberos.rm.length", FTUint32, BaseDec, decode.ProtoKerberos, krbRecordMarker(0x7fffffff)),
		krbField("kerberos.pvno", FTUint32, BaseDec, decode.KrbPvno, krbUint),
		krbField("kerberos.msg_type", FTInt32, BaseDec, decode.KrbMsgType, krbInt),
		krbField("kerberos.realm", FTString, BaseNone, decode.KrbRealm, krbStr),
		krbField("kerberos.crealm", FTString, BaseNone, decode.KrbCRealm, krbStr),
		krbField("kerberos.CNameString", FTString, BaseNone, decode.KrbCNameString, krbStr),
		krbField("kerberos.SNameString", FTString, BaseNone, decode.KrbSNameString, krbStr),
		krbField("kerberos.name_type", FTInt32, BaseDec, decode.KrbNameType, krbInt),
		krbField("kerberos.etype", FTInt32, BaseDec, decode.KrbEtype, krbInt),
		krbField("kerberos.ENCTYPE", FTInt32, BaseDec, decode.KrbENCTYPE, krbInt),
		krbField("kerberos.kdc-req-body.etype", FTUint32, BaseDec, decode.KrbReqEtypes, func(e decode.BER) (Value, bool) {
			n := 0
			for v := e.Val; len(v) > 0; n++ {
				_, rest, ok := decode.ReadBER(v)
				if !ok {
					break
				}
				v = rest
			}
			return Value{U: uint64(n)}, true
		}),
		krbField("kerberos.cipher", FTBytes, BaseNone, decode.KrbCipher, krbStr),
		krbField("kerberos.kvno", FTUint32, BaseDec, decode.KrbKvno, krbUint),
		krbField("kerberos.padata_type", FTInt32, BaseDec, decode.KrbPadataType, krbInt),
		krbField("kerberos.padata_value", FTBytes, BaseNone, decode.KrbPadataValue, krbStr),
		krbField("kerberos.till", FTAbsTime, BaseNone, decode.KrbTill, krbTime),
		krbField("kerberos.rtime", FTAbsTime, BaseNone, decode.KrbRtime, krbTime),
		krbField("kerberos.from", FTAbsTime, BaseNone, decode.KrbFrom, krbTime),
		krbField("kerberos.nonce", FTUint32, BaseDec, decode.KrbNonce, krbUint),
		krbField("kerberos.error_code", FTInt32, BaseDec, decode.KrbErrorCode, krbInt),
		krbField("kerberos.stime", FTAbsTime, BaseNone, decode.KrbStime, krbTime),
		krbField("kerberos.susec", FTUint32, BaseDec, decode.KrbSusec, krbUint),
		krbField("kerberos.ctime", FTAbsTime, BaseNone, decode.KrbCtime, krbTime),
		krbField("kerberos.cusec", FTUint32, BaseDec, decode.KrbCusec, krbUint),
		krbField("kerberos.include_pac", FTBoolean, BaseNone, decode.KrbIncludePAC, krbBool),
		krbField("kerberos.tkt_vno", FTUint32, BaseDec, decode.KrbTktVno, krbUint),
		krbField("kerberos.addr_type", FTInt32, BaseDec, decode.KrbAddrType, krbInt),
		krbField("kerberos.addr_nb", FTString, BaseNone, decode.KrbAddrNB, func(e decode.BER) (Value, bool) {
			b := e.Val
			for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == 0) {
				b = b[:len(b)-1]
			}
			return Value{B: b}, true
		}),
		krbField("kerberos.info2_salt", FTString, BaseNone, decode.KrbInfo2Salt, krbStr),
		krbField("kerberos.info_salt", FTBytes, BaseNone, decode.KrbInfoSalt, krbStr),
		krbField("kerberos.e_data", FTBytes, BaseNone, decode.KrbEData, krbStr),
		krbField("kerberos.e_text", FTString, BaseNone, decode.KrbEText, krbStr),
		krbField("kerberos.kdc_options", FTBytes, BaseNone, decode.KrbKDCOptions, krbBits),
		krbField("kerberos.ap_options", FTBytes, BaseNone, decode.KrbAPOptions, krbBits),
		krbField("kerberos.smb.nt_status", FTUint32, BaseHex, decode.KrbNTStatus, func(e decode.BER) (Value, bool) {
			b := e.Val
			return Value{U: uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24}, true
		}),
		krbFlag("kerberos.APOptions.reserved", decode.KrbAPOptions, 0),
		krbFlag("kerberos.APOptions.use.session.key", decode.KrbAPOptions, 1),
		krbFlag("kerberos.APOptions.mutual.required", decode.KrbAPOptions, 2),
	}
	{
		rm := krbRecordMarker(0x80000000)
		fl := boolField("kerberos.rm.reserved", 0x80000000, decode.ProtoKerberos, func(f *decode.Frame) (bool, bool) {
			v, ok := rm(f)
			return v != 0, ok
		})
		t = append(t, fl)
	}
	for i, n := range kdcOptionNames {
		t = append(t, krbFlag("kerberos.KDCOptions."+n, decode.KrbKDCOptions, i))
	}
	return t
}

// krbRecordMarker reads the TCP record marker (masked) of the first
// Kerberos layer on TCP.
func krbRecordMarker(mask uint32) func(f *decode.Frame) (uint64, bool) {
	return func(f *decode.Frame) (uint64, bool) {
		b, ok := layerBytes(f, decode.ProtoKerberos)
		if !ok || len(b) < 4 || len(decode.KerberosMessage(b)) == len(b) {
			return 0, false
		}
		return uint64(uint32(b[0])<<24|uint32(b[1])<<16|uint32(b[2])<<8|uint32(b[3])) & uint64(mask), true
	}
}

var kerberosFields = kerberosFieldTable()
