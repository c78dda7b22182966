package decode

// X.509 certificates (RFC 5280) inside TLS Certificate handshake messages,
// read with the BER reader for Wireshark's x509af/x509if/x509sat/x509ce
// fields. Nothing is kept at decode time: the fields walk the TLS layer.

// EachTLSCertificateList calls fn with the certificate_list of every whole
// Certificate handshake message (type 11, TLS 1.2 and earlier) in the TLS
// records of b.
func EachTLSCertificateList(b []byte, fn func(list []byte)) {
	for len(b) >= tlsRecordHeader {
		n := int(be16(b[3:]))
		if tlsRecordHeader+n > len(b) {
			return
		}
		body := b[tlsRecordHeader : tlsRecordHeader+n]
		if b[0] == TLSHandshake && tlsPlainHandshake(body) {
			for len(body) >= 4 {
				ml := int(body[1])<<16 | int(body[2])<<8 | int(body[3])
				if 4+ml > len(body) {
					break
				}
				if body[0] == 11 && ml >= 3 {
					fn(body[4 : 4+ml])
				}
				body = body[4+ml:]
			}
		}
		b = b[tlsRecordHeader+n:]
	}
}

// EachCertificate calls fn with each certificate of a certificate_list.
func EachCertificate(list []byte, fn func(cert []byte)) {
	if len(list) < 3 {
		return
	}
	n := int(list[0])<<16 | int(list[1])<<8 | int(list[2])
	b := list[3:min(len(list), 3+n)]
	for len(b) >= 3 {
		l := int(b[0])<<16 | int(b[1])<<8 | int(b[2])
		if 3+l > len(b) {
			return
		}
		fn(b[3 : 3+l])
		b = b[3+l:]
	}
}

// X509Item names the certificate items WalkX509 reports.
type X509Item uint8

// X.509 items.
const (
	X509Version   X509Item = iota // INTEGER
	X509Serial                    // INTEGER contents
	X509AlgID                     // OID of an AlgorithmIdentifier
	X509AttrType                  // OID of a name attribute
	X509AttrValue                 // a name attribute's value (after X509AttrType)
	X509Time                      // UTCTime or GeneralizedTime of the validity
	X509ExtID                     // OID of an extension
	X509Critical                  // BOOLEAN
	X509DNSName                   // GeneralName dNSName
	X509URI                       // GeneralName uniformResourceIdentifier
)

// WalkX509 calls fn with the items of certificate cert in Wireshark's
// order. attr is the attribute type OID for X509AttrValue items.
func WalkX509(cert []byte, fn func(it X509Item, e BER, attr []byte)) {
	c, _, ok := ReadBER(cert)
	if !ok || !c.Constructed {
		return
	}
	tbs, rest, ok := ReadBER(c.Val)
	if !ok {
		return
	}
	i := 0
	berEach(tbs.Val, func(e BER) {
		if e.Class == BERContext {
			switch e.Tag {
			case 0:
				if v, _, ok := ReadBER(e.Val); ok {
					fn(X509Version, v, nil)
				}
			case 3:
				if exts, _, ok := ReadBER(e.Val); ok {
					berEach(exts.Val, func(ext BER) { x509Extension(ext, fn) })
				}
			}
			return
		}
		switch i {
		case 0:
			fn(X509Serial, e, nil)
		case 1:
			x509Alg(e, fn)
		case 2, 4:
			berEach(e.Val, func(rdn BER) {
				berEach(rdn.Val, func(atv BER) {
					t, rest, ok := ReadBER(atv.Val)
					if !ok {
						return
					}
					fn(X509AttrType, t, nil)
					if v, _, ok := ReadBER(rest); ok {
						fn(X509AttrValue, v, t.Val)
					}
				})
			})
		case 3:
			berEach(e.Val, func(t BER) { fn(X509Time, t, nil) })
		case 5:
			if alg, _, ok := ReadBER(e.Val); ok {
				x509Alg(alg, fn)
			}
		}
		i++
	})
	if alg, _, ok := ReadBER(rest); ok {
		x509Alg(alg, fn)
	}
}

func x509Alg(e BER, fn func(X509Item, BER, []byte)) {
	if oid, _, ok := ReadBER(e.Val); ok && oid.Is(BERUniversal, BERTagOID) {
		fn(X509AlgID, oid, nil)
	}
}

var (
	oidSAN      = []byte{0x55, 0x1d, 0x11}
	oidCRLDP    = []byte{0x55, 0x1d, 0x1f}
	oidAIA      = []byte{0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01}
	oidBasicCon = []byte{0x55, 0x1d, 0x13}
)

func x509Extension(ext BER, fn func(X509Item, BER, []byte)) {
	id, rest, ok := ReadBER(ext.Val)
	if !ok {
		return
	}
	fn(X509ExtID, id, nil)
	v, rest, ok := ReadBER(rest)
	if ok && v.Is(BERUniversal, BERTagBoolean) {
		fn(X509Critical, v, nil)
		v, _, ok = ReadBER(rest)
	}
	if !ok || !v.Is(BERUniversal, BERTagOctetString) {
		return
	}
	in, _, ok := ReadBER(v.Val)
	if !ok {
		return
	}
	switch string(id.Val) {
	case string(oidSAN):
		berEach(in.Val, func(gn BER) { x509GeneralName(gn, fn) })
	case string(oidCRLDP):
		// DistributionPoint: [0] distributionPoint { [0] fullName GeneralNames }
		berEach(in.Val, func(dp BER) {
			berEach(dp.Val, func(f BER) {
				if f.Class == BERContext && f.Tag == 0 {
					berEach(f.Val, func(full BER) {
						if full.Class == BERContext && full.Tag == 0 {
							berEach(full.Val, func(gn BER) { x509GeneralName(gn, fn) })
						}
					})
				}
			})
		})
	case string(oidAIA):
		berEach(in.Val, func(ad BER) {
			_, loc, ok := ReadBER(ad.Val)
			if ok {
				if gn, _, ok := ReadBER(loc); ok {
					x509GeneralName(gn, fn)
				}
			}
		})
	}
}

func x509GeneralName(gn BER, fn func(X509Item, BER, []byte)) {
	if gn.Class != BERContext {
		return
	}
	switch gn.Tag {
	case 2:
		fn(X509DNSName, gn, nil)
	case 6:
		fn(X509URI, gn, nil)
	}
}

// X509TimeText appends a UTCTime as Wireshark's x509af.utcTime shows it:
// "2013-10-03 00:00:00 (UTC)".
func X509TimeText(dst, v []byte) ([]byte, bool) {
	if len(v) != 13 || v[12] != 'Z' {
		return dst, false
	}
	for _, c := range v[:12] {
		if c < '0' || c > '9' {
			return dst, false
		}
	}
	if v[0] < '5' {
		dst = append(dst, '2', '0')
	} else {
		dst = append(dst, '1', '9')
	}
	dst = append(dst, v[0], v[1], '-', v[2], v[3], '-', v[4], v[5], ' ', v[6], v[7], ':', v[8], v[9], ':', v[10], v[11])
	return append(dst, " (UTC)"...), true
}

// X509UTCText returns X509TimeText in the frame's scratch memory.
func (f *Frame) X509UTCText(v []byte) []byte {
	return f.scratchText(v, X509TimeText)
}

// EachISAKMPCertificate calls fn with the X.509 certificates of the
// Certificate payloads (IKEv1 type 6, IKEv2 type 37, encoding 4) of the
// ISAKMP message b.
func EachISAKMPCertificate(b []byte, fn func(cert []byte)) {
	if len(b) < 28 {
		return
	}
	next, p := b[16], b[28:]
	for next != 0 && len(p) >= 4 {
		n := int(be16(p[2:]))
		if n < 4 || n > len(p) {
			return
		}
		if (next == 6 || next == 37) && n > 5 && p[4] == 4 {
			fn(p[5:n])
		}
		next, p = p[0], p[n:]
	}
}

// EachCertificate calls fn with every certificate of the TLS and
// ISAKMP layers of f, in frame order.
func (f *Frame) EachCertificate(fn func(cert []byte)) {
	if !f.Has(ProtoTLS) && !f.Has(ProtoISAKMP) {
		return
	}
	for _, l := range f.Layers {
		switch {
		case l.Proto == ProtoTLS && l.Len > 0:
			EachTLSCertificateList(f.LayerBytes(l), func(list []byte) { EachCertificate(list, fn) })
		case l.Proto == ProtoISAKMP:
			EachISAKMPCertificate(f.LayerBytes(l), fn)
		}
	}
}

// appendX509Protocols adds the layers Wireshark's BER OID dissectors add to
// frame.protocols for the certificates of layer b (p TLS or ISAKMP): x509sat
// for each name attribute of a known type, x509ce for each certificate
// extension, pkix1implicit for the authority information access.
func appendX509Protocols(p Proto, b []byte, add func(string)) {
	each := func(cert []byte) {
		WalkX509(cert, func(it X509Item, e BER, attr []byte) {
			switch it {
			case X509AttrType:
				if len(e.Val) == 3 && e.Val[0] == 0x55 && e.Val[1] == 0x04 {
					add("x509sat")
				}
			case X509ExtID:
				switch {
				case len(e.Val) == 3 && e.Val[0] == 0x55 && e.Val[1] == 0x1d:
					add("x509ce")
				case string(e.Val) == string(oidAIA):
					add("pkix1implicit")
				}
			}
		})
	}
	switch p {
	case ProtoTLS:
		EachTLSCertificateList(b, func(list []byte) { EachCertificate(list, each) })
	case ProtoISAKMP:
		EachISAKMPCertificate(b, each)
	}
}
