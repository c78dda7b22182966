package field

import "github.com/wirewatch/wirewatch/decode"

// Certificate fields of TLS (tls.handshake.certificate*) and the X.509
// fields Wireshark shows inside them (x509af/x509if/x509sat/x509ce), read
// by walking the Certificate messages of the frame's TLS layers.

// eachTLSCertList calls fn with each certificate_list of f's TLS layers.
func eachTLSCertList(f *decode.Frame, fn func(list []byte)) {
	if !f.Has(decode.ProtoTLS) {
		return
	}
	for _, l := range f.Layers {
		if l.Proto == decode.ProtoTLS && l.Len > 0 {
			decode.EachTLSCertificateList(f.LayerBytes(l), fn)
		}
	}
}

func certListField(name string, get func(list []byte, dst []Value) []Value) Field {
	return Field{Name: name, Type: FTUint24, Base: BaseDec, Proto: decode.ProtoTLS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachTLSCertList(f, func(list []byte) { dst = get(list, dst) })
			return dst
		}}
}

// x509Field is a field with one occurrence per item it of every
// certificate; conv may refuse an item (another field's).
func x509Field(name string, t Type, it decode.X509Item, conv func(f *decode.Frame, e decode.BER, attr []byte) (Value, bool)) Field {
	return Field{Name: name, Type: t, Base: BaseNone, Proto: decode.ProtoTLS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			f.EachCertificate(func(cert []byte) {
				decode.WalkX509(cert, func(i decode.X509Item, e decode.BER, attr []byte) {
					if i == it {
						if v, ok := conv(f, e, attr); ok {
							dst = append(dst, v)
						}
					}
				})
			})
			return dst
		}}
}

func x509OID(f *decode.Frame, e decode.BER, _ []byte) (Value, bool) {
	b := f.OIDText(e.Val)
	return Value{B: b}, b != nil
}

// oidCountry is id-at-countryName (2.5.4.6), shown as x509sat.CountryName.
const oidCountry = "\x55\x04\x06"

// dirString is a DirectoryString attribute value of BER string type tag.
func dirString(name string, tag uint32) Field {
	return x509Field(name, FTString, decode.X509AttrValue, func(_ *decode.Frame, e decode.BER, attr []byte) (Value, bool) {
		if !e.Is(decode.BERUniversal, tag) || string(attr) == oidCountry || len(attr) != 3 || attr[0] != 0x55 || attr[1] != 0x04 {
			return Value{}, false
		}
		return Value{B: e.Val}, true
	})
}

var x509Fields = []Field{
	certListField("tls.handshake.certificates_length", func(list []byte, dst []Value) []Value {
		return append(dst, Value{U: uint64(list[0])<<16 | uint64(list[1])<<8 | uint64(list[2])})
	}),
	certListField("tls.handshake.certificate_length", func(list []byte, dst []Value) []Value {
		decode.EachCertificate(list, func(cert []byte) { dst = append(dst, Value{U: uint64(len(cert))}) })
		return dst
	}),
	x509Field("x509af.version", FTInt32, decode.X509Version, func(_ *decode.Frame, e decode.BER, _ []byte) (Value, bool) {
		return krbInt(e)
	}),
	x509Field("x509af.serialNumber", FTBytes, decode.X509Serial, func(_ *decode.Frame, e decode.BER, _ []byte) (Value, bool) {
		return Value{B: e.Val}, true
	}),
	x509Field("x509af.algorithm.id", FTString, decode.X509AlgID, x509OID),
	x509Field("x509if.oid", FTString, decode.X509AttrType, x509OID),
	x509Field("x509af.utcTime", FTString, decode.X509Time, func(f *decode.Frame, e decode.BER, _ []byte) (Value, bool) {
		if !e.Is(decode.BERUniversal, decode.BERTagUTCTime) {
			return Value{}, false
		}
		b := f.X509UTCText(e.Val)
		return Value{B: b}, b != nil
	}),
	x509Field("x509sat.CountryName", FTString, decode.X509AttrValue, func(_ *decode.Frame, e decode.BER, attr []byte) (Value, bool) {
		return Value{B: e.Val}, string(attr) == oidCountry
	}),
	dirString("x509sat.printableString", decode.BERTagPrintable),
	dirString("x509sat.uTF8String", decode.BERTagUTF8String),
	dirString("x509sat.teletexString", decode.BERTagT61String),
	x509Field("x509af.extension.id", FTString, decode.X509ExtID, x509OID),
	x509Field("x509af.critical", FTBoolean, decode.X509Critical, func(_ *decode.Frame, e decode.BER, _ []byte) (Value, bool) {
		return krbBool(e)
	}),
	x509Field("x509ce.dNSName", FTString, decode.X509DNSName, func(_ *decode.Frame, e decode.BER, _ []byte) (Value, bool) {
		return Value{B: e.Val}, true
	}),
	x509Field("x509ce.uniformResourceIdentifier", FTString, decode.X509URI, func(_ *decode.Frame, e decode.BER, _ []byte) (Value, bool) {
		return Value{B: e.Val}, true
	}),
}
