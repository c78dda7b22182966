package decode

// Dispatch of the BER/ASN.1 dissectors (Kerberos, LDAP/CLDAP, SNMP), one
// file each, all reading their bytes with the BER reader of ber.go. As the
// dissectors of dissect.go they keep only a Layer in Frame: decoding checks
// that the payload parses as the protocol's outer element, and the fields
// and columns walk the layer's bytes when asked.

// asn1Protos are this file's protocols.
var asn1Protos = Protos(ProtoKerberos, ProtoLDAP, ProtoCLDAP, ProtoSNMP)

// asn1TCPProtos are those carried over TCP.
var asn1TCPProtos = Protos(ProtoKerberos, ProtoLDAP)

// asn1UDP tries this file's dissectors registered for UDP port port.
func (d *Decoder) asn1UDP(f *Frame, p []byte, port uint16) bool {
	switch port {
	case KerberosPort:
		return decodeKerberosUDP(f, p)
	case 161, 162:
		return decodeSNMP(f, p)
	case LDAPPort:
		return decodeCLDAP(f, p)
	}
	return false
}

// asn1TCP tries this file's dissectors registered for TCP port port on a
// segment's payload.
func (d *Decoder) asn1TCP(f *Frame, p []byte, port uint16) bool {
	switch port {
	case KerberosPort:
		return decodeKerberosTCP(f, p)
	case LDAPPort:
		return decodeLDAP(f, p)
	}
	return false
}

// asn1Layer returns the first layer of this file's protocols that sits
// directly on UDP or TCP, and its bytes.
func (f *Frame) asn1Layer() (p Proto, b []byte, ok bool) {
	if !f.Present.Any(asn1Protos) {
		return 0, nil, false
	}
	for i, l := range f.Layers {
		if asn1Protos.Has(l.Proto) && i > 0 && (f.Layers[i-1].Proto == ProtoTCP || f.Layers[i-1].Proto == ProtoUDP) {
			return l.Proto, f.LayerBytes(l), true
		}
	}
	return 0, nil, false
}

// appendASN1Info appends the Info column of this file's protocols; ok is
// false when f has none at the top.
func appendASN1Info(dst []byte, f *Frame) ([]byte, bool) {
	p, b, ok := f.asn1Layer()
	if !ok {
		return dst, false
	}
	switch p {
	case ProtoKerberos:
		dst = appendKerberosInfo(dst, b)
	case ProtoLDAP, ProtoCLDAP:
		dst = f.appendLDAPInfo(dst)
	case ProtoSNMP:
		n := len(dst)
		dst = appendSNMPInfo(dst, b)
		if len(dst) == n && SNMPMalformed(b) {
			// SNMPv3 broken before its PDU: UDP's Info stays
			dst = appendUint(dst, uint64(f.UDP.SrcPort))
			dst = append(dst, " → "...)
			dst = appendUint(dst, uint64(f.UDP.DstPort))
			dst = append(dst, " Len="...)
			dst = appendUint(dst, uint64(len(b)))
			dst = append(dst, "[Malformed Packet]"...)
		}
	}
	return dst, true
}

// asn1Column returns the Protocol column of this file's protocols, "" when
// f has none at the top.
func (f *Frame) asn1Column() string {
	p, _, ok := f.asn1Layer()
	if !ok {
		return ""
	}
	switch p {
	case ProtoKerberos:
		return "KRB5"
	case ProtoLDAP:
		return "LDAP"
	case ProtoCLDAP:
		return "CLDAP"
	case ProtoSNMP:
		return "SNMP"
	}
	return ""
}

// asn1Start looks at the start of Kerberos records (krb) or LDAP messages
// in a segment's payload p: those complete in p are decoded (by Decode when
// own, else here); one cut off is kept for AppStream to complete.
func (s *AppStream) asn1Start(d *Decoder, f *Frame, p []byte, own, krb bool) bool {
	proto, msgLen, dec := ProtoLDAP, LDAPMessageLen, decodeLDAP
	if krb {
		proto, msgLen, dec = ProtoKerberos, kerberosPDULen, decodeKerberosTCP
	}
	for off := 0; ; {
		n := msgLen(p[off:])
		if n == 0 {
			return false
		}
		if off+n > len(p) {
			if n <= appStreamMax {
				s.pend(proto, p[off:], int64(n))
			}
			if own && off == 0 {
				f.drop(ProtoData)
				// Kerberos's Info is only "[TCP segment of a reassembled
				// PDU]"; LDAP's keeps TCP's summary before it.
				f.ASN1PDUStart = krb
				return true
			}
			return false
		}
		if !own {
			dec(f, p[off:off+n])
		}
		off += n
		if off == len(p) {
			return false
		}
	}
}
