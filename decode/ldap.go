package decode

import "bytes"

// LDAP (RFC 4511) on TCP port 389 and CLDAP on UDP 389: LDAPMessage
// SEQUENCEs, several to a segment, each a layer. A segment on the port that
// starts neither a message nor a SASL buffer is consumed without a layer,
// as Wireshark's LDAP dissector does (Info stays TCP's, no data).

// LDAPPort is LDAP's (TCP) and CLDAP's (UDP) port.
const LDAPPort = 389

// ldapSASLMax is Wireshark's LDAP_SASL_MAX_BUF.
const ldapSASLMax = 1 << 20

// LDAPMessageLen returns the length of the LDAP message (or SASL buffer)
// at the start of p, as Wireshark's LDAP-over-TCP dissector asks TCP for
// it; 0 when p does not start like one.
func LDAPMessageLen(p []byte) int {
	if len(p) >= 4 && p[0] == 0 {
		if n := int(be32(p)); n >= 2 && n <= ldapSASLMax && (len(p) < 5 || p[4] != 0x30 || ldapSASLInner(p)) {
			return 4 + n
		}
	}
	if len(p) >= 2 && p[0] == 0x30 {
		l := int(p[1])
		hdr := 2
		if l&0x80 != 0 {
			n := l & 0x7f
			if n == 0 || n > 4 || len(p) < 2+n {
				return 0
			}
			l = 0
			for _, c := range p[2 : 2+n] {
				l = l<<8 | int(c)
			}
			hdr += n
		}
		if l < 2 {
			return 0
		}
		return hdr + l
	}
	if len(p) >= 5 && p[4] == 0x30 {
		return 4 + int(be32(p))
	}
	return 0
}

// ldapSASLInner: a 4-byte length before an LDAPMessage.
func ldapSASLInner(p []byte) bool { return len(p) > 4 && p[4] == 0x30 }

// ldapMsg reports whether b is a whole LDAPMessage (messageID, then an
// application-class protocolOp).
func ldapMsg(b []byte) bool {
	e, _, ok := ReadBER(b)
	if !ok || !e.Is(BERUniversal, BERTagSequence) || !e.Constructed {
		return false
	}
	id, rest, ok := ReadBER(e.Val)
	if !ok || !id.Is(BERUniversal, BERTagInteger) {
		return false
	}
	op, _, ok := ReadBER(rest)
	return ok && op.Class == BERApplication && LDAPOpName(op.Tag) != ""
}

// decodeLDAP decodes the whole LDAP messages (or SASL buffers holding them)
// of p. On the LDAP port it claims p even when nothing parses.
func decodeLDAP(f *Frame, p []byte) bool {
	found := false
	for len(p) > 0 {
		n := LDAPMessageLen(p)
		if n == 0 || n > len(p) {
			break
		}
		m := p[:n]
		switch {
		case ldapMsg(m):
		case len(m) > 4 && (ldapMsg(m[4:]) || ldapSASLToken(m[4:])):
		default:
			n = 0
		}
		if n == 0 {
			break
		}
		f.setProto(ProtoLDAP)
		f.addAppLayer(ProtoLDAP, m)
		f.ldapInner(m)
		found = true
		p = p[n:]
	}
	if !found {
		f.drop(ProtoData)
	}
	return true
}

// ldapSASLToken: a GSS-API wrap token (RFC 4121 CFX) or a krb5 GSS token.
func ldapSASLToken(b []byte) bool {
	return len(b) >= 16 && (b[0] == 0x05 && b[1] == 0x04 || b[0] == 0x60)
}

// ldapInner adds the layers Wireshark shows inside an LDAP message: the
// NTLMSSP message of a bind (ldap:ntlmssp) or the GSS-API token of a SASL
// bind (ldap:gss-api:spnego:spnego-krb5).
func (f *Frame) ldapInner(m []byte) {
	if len(m) > 4 && m[0] == 0 {
		if ldapSASLToken(m[4:]) {
			f.setProto(ProtoGSSAPI)
			f.addAppLayer(ProtoGSSAPI, m[4:])
		}
		return
	}
	var blob []byte
	WalkLDAP(m, func(it LDAPItem, e BER) {
		switch it {
		case LDAPCredentials, LDAPNTLMSSP:
			blob = e.Val
		case LDAPMatchedDN:
			// a Windows bindResponse carries the NTLMSSP challenge here
			if bytes.HasPrefix(e.Val, ntlmsspSig) {
				blob = e.Val
			}
		}
	})
	// (A bindResponse's serverSaslCreds are dissected by Wireshark only
	// when it saw the SASL bindRequest of the connection: left as bytes.)
	switch {
	case len(blob) == 0:
	case bytes.HasPrefix(blob, ntlmsspSig):
		f.setProto(ProtoNTLMSSP)
		f.addAppLayer(ProtoNTLMSSP, blob)
	case blob[0] == 0x60 || blob[0] == 0xa0 || blob[0] == 0xa1:
		if blob[0] == 0x60 {
			f.setProto(ProtoGSSAPI)
			f.addAppLayer(ProtoGSSAPI, blob)
		}
		f.setProto(ProtoSPNEGO)
		f.addAppLayer(ProtoSPNEGO, blob)
		if SPNEGOKerberos(blob) != nil {
			f.spnegoKrb5 = true
			f.setProto(ProtoKerberos)
		}
	}
}

// decodeCLDAP records a UDP datagram on port 389 holding LDAP messages.
func decodeCLDAP(f *Frame, p []byte) bool {
	if !ldapMsg(p) {
		return false
	}
	f.setProto(ProtoCLDAP)
	f.addAppLayer(ProtoCLDAP, p)
	return true
}

// LDAPItem names the LDAP items WalkLDAP reports.
type LDAPItem uint8

// LDAP items (Wireshark's ldap.* field each reports).
const (
	LDAPMessageID       LDAPItem = iota // INTEGER
	LDAPProtocolOp                      // the op element (its tag)
	LDAPVersion                         // INTEGER
	LDAPName                            // bind name
	LDAPSimple                          // simple password
	LDAPMechanism                       // SASL mechanism
	LDAPCredentials                     // SASL credentials
	LDAPNTLMSSP                         // MS NTLMSSP choice contents
	LDAPResultCode                      // ENUMERATED
	LDAPMatchedDN                       // string
	LDAPErrorMessage                    // string
	LDAPServerSaslCreds                 // bytes
	LDAPBaseObject                      // string
	LDAPScope                           // ENUMERATED
	LDAPDerefAliases                    // ENUMERATED
	LDAPSizeLimit                       // INTEGER
	LDAPTimeLimit                       // INTEGER
	LDAPTypesOnly                       // BOOLEAN
	LDAPObjectName                      // string (searchResEntry, modify, add, del...)
	LDAPURL                             // searchResRef URL
	LDAPAttrType                        // PartialAttributeList type
	LDAPControlType                     // control OID string
)

// WalkLDAP calls fn with the items of the LDAPMessage b in the order
// Wireshark shows them.
func WalkLDAP(b []byte, fn func(it LDAPItem, e BER)) {
	e, _, ok := ReadBER(b)
	if !ok || !e.Constructed {
		return
	}
	id, rest, ok := ReadBER(e.Val)
	if !ok {
		return
	}
	fn(LDAPMessageID, id)
	op, rest, ok := ReadBER(rest)
	if !ok || op.Class != BERApplication {
		return
	}
	fn(LDAPProtocolOp, op)
	i := 0
	each := func(v []byte, g func(i int, e BER)) {
		i = 0
		berEach(v, func(e BER) { g(i, e); i++ })
	}
	result := func(i int, e BER) bool {
		switch i {
		case 0:
			fn(LDAPResultCode, e)
		case 1:
			fn(LDAPMatchedDN, e)
		case 2:
			fn(LDAPErrorMessage, e)
		default:
			return false
		}
		return true
	}
	switch op.Tag {
	case 0: // bindRequest
		each(op.Val, func(i int, e BER) {
			switch {
			case i == 0:
				fn(LDAPVersion, e)
			case i == 1:
				fn(LDAPName, e)
			case e.Class == BERContext && e.Tag == 0:
				fn(LDAPSimple, e)
			case e.Class == BERContext && e.Tag == 3:
				j := 0
				berEach(e.Val, func(s BER) {
					if j == 0 {
						fn(LDAPMechanism, s)
					} else if j == 1 {
						fn(LDAPCredentials, s)
					}
					j++
				})
			case e.Class == BERContext && (e.Tag == 10 || e.Tag == 11):
				fn(LDAPNTLMSSP, e)
			}
		})
	case 1: // bindResponse
		each(op.Val, func(i int, e BER) {
			if !result(i, e) && e.Class == BERContext && e.Tag == 7 {
				fn(LDAPServerSaslCreds, e)
			}
		})
	case 3: // searchRequest
		each(op.Val, func(i int, e BER) {
			switch i {
			case 0:
				fn(LDAPBaseObject, e)
			case 1:
				fn(LDAPScope, e)
			case 2:
				fn(LDAPDerefAliases, e)
			case 3:
				fn(LDAPSizeLimit, e)
			case 4:
				fn(LDAPTimeLimit, e)
			case 5:
				fn(LDAPTypesOnly, e)
			}
		})
	case 4: // searchResEntry
		each(op.Val, func(i int, e BER) {
			switch i {
			case 0:
				fn(LDAPObjectName, e)
			case 1:
				berEach(e.Val, func(pa BER) {
					if t, _, ok := ReadBER(pa.Val); ok {
						fn(LDAPAttrType, t)
					}
				})
			}
		})
	case 5, 7, 9, 11, 13, 15, 24: // LDAPResult responses
		each(op.Val, func(i int, e BER) { result(i, e) })
	case 6, 8, 12, 14: // modify, add, modDN, compare: the entry's DN first
		each(op.Val, func(i int, e BER) {
			if i == 0 {
				fn(LDAPObjectName, e)
			}
		})
	case 10: // delRequest: the DN is the op's contents
		fn(LDAPObjectName, op)
	case 19: // searchResRef
		berEach(op.Val, func(e BER) { fn(LDAPURL, e) })
	}
	// controls [0]
	if c, _, ok := ReadBER(rest); ok && c.Class == BERContext && c.Tag == 0 {
		berEach(c.Val, func(ctl BER) {
			if t, _, ok := ReadBER(ctl.Val); ok {
				fn(LDAPControlType, t)
			}
		})
	}
}

var ldapOpNames = [...]string{0: "bindRequest", 1: "bindResponse", 2: "unbindRequest", 3: "searchRequest",
	4: "searchResEntry", 5: "searchResDone", 6: "modifyRequest", 7: "modifyResponse", 8: "addRequest",
	9: "addResponse", 10: "delRequest", 11: "delResponse", 12: "modDNRequest", 13: "modDNResponse",
	14: "compareRequest", 15: "compareResponse", 16: "abandonRequest", 19: "searchResRef",
	23: "extendedReq", 24: "extendedResp", 25: "intermediateResponse"}

// LDAPOpName returns the name of protocolOp tag t, "" when unknown.
func LDAPOpName(t uint32) string {
	if t >= uint32(len(ldapOpNames)) {
		return ""
	}
	return ldapOpNames[t]
}

var ldapResultNames = map[int64]string{0: "success", 1: "operationsError", 2: "protocolError", 3: "timeLimitExceeded",
	4: "sizeLimitExceeded", 5: "compareFalse", 6: "compareTrue", 7: "authMethodNotSupported",
	8: "strongAuthRequired", 10: "referral", 11: "adminLimitExceeded", 12: "unavailableCriticalExtension",
	13: "confidentialityRequired", 14: "saslBindInProgress", 16: "noSuchAttribute", 17: "undefinedAttributeType",
	18: "inappropriateMatching", 19: "constraintViolation", 20: "attributeOrValueExists",
	21: "invalidAttributeSyntax", 32: "noSuchObject", 33: "aliasProblem", 34: "invalidDNSyntax",
	36: "aliasDereferencingProblem", 48: "inappropriateAuthentication", 49: "invalidCredentials",
	50: "insufficientAccessRights", 51: "busy", 52: "unavailable", 53: "unwillingToPerform",
	54: "loopDetect", 64: "namingViolation", 65: "objectClassViolation", 66: "notAllowedOnNonLeaf",
	67: "notAllowedOnRDN", 68: "entryAlreadyExists", 69: "objectClassModsProhibited", 71: "affectsMultipleDSAs",
	80: "other", 118: "canceled", 119: "noSuchOperation", 120: "tooLate", 121: "cannotCancel"}

var ldapScopeNames = [...]string{"baseObject", "singleLevel", "wholeSubtree"}

var ldapAuthNames = map[uint32]string{0: "simple", 1: "krbv4LDAP", 2: "krbv4DSA", 3: "sasl",
	10: "ntlmsspNegotiate", 11: "ntlmsspAuth"}

// appendLDAPInfo writes Wireshark's Info text for the LDAP messages of f,
// joined by " | ": "searchRequest(3) "dc=example" wholeSubtree ".
func (f *Frame) appendLDAPInfo(dst []byte) []byte {
	first := true
	results := 0
	for _, l := range f.Layers {
		if l.Proto == ProtoLDAP || l.Proto == ProtoCLDAP {
			WalkLDAP(f.LayerBytes(l), func(it LDAPItem, e BER) {
				if it == LDAPProtocolOp && e.Tag == 4 {
					results++
				}
			})
		}
	}
	for _, l := range f.Layers {
		if l.Proto != ProtoLDAP && l.Proto != ProtoCLDAP {
			continue
		}
		m := f.LayerBytes(l)
		if !first {
			dst = append(dst, " | "...)
		}
		first = false
		if len(m) > 4 && m[0] != 0x30 {
			dst = appendLDAPSASLInfo(dst, m)
			continue
		}
		dst = appendLDAPMsgInfo(dst, m, results)
		if b := ldapNTLMSSP(m); b != nil {
			dst = appendNTLMSSPInfo(dst, b)
		}
	}
	return dst
}

// ldapNTLMSSP returns the NTLMSSP message of a bind, nil when none.
func ldapNTLMSSP(m []byte) []byte {
	var blob []byte
	WalkLDAP(m, func(it LDAPItem, e BER) {
		if (it == LDAPNTLMSSP || it == LDAPMatchedDN || it == LDAPCredentials) && bytes.HasPrefix(e.Val, ntlmsspSig) {
			blob = e.Val
		}
	})
	return blob
}

// appendLDAPSASLInfo writes the Info of a SASL buffer: the LDAP inside, or
// "SASL GSS-API Privacy: payload (N bytes)" for a sealed wrap token.
func appendLDAPSASLInfo(dst, m []byte) []byte {
	in := m[4:]
	if ldapMsg(in) {
		return appendLDAPMsgInfo(dst, in, 0)
	}
	if len(in) >= 16 && in[0] == 0x05 && in[1] == 0x04 {
		if in[2]&0x02 != 0 { // Sealed: header, then AES confounder, data, filler, header copy, HMAC
			n := len(in) - 16 - 16 - int(be16(in[4:])) - 16 - 12
			dst = append(dst, "SASL GSS-API Privacy: payload ("...)
			dst = appendUint(dst, uint64(max(n, 0)))
			return append(dst, " bytes)"...)
		}
		dst = append(dst, "SASL GSS-API Integrity: payload ("...)
		dst = appendUint(dst, uint64(len(in)-16))
		return append(dst, " bytes)"...)
	}
	return dst
}

func appendLDAPMsgInfo(dst, m []byte, results int) []byte {
	var id uint64
	WalkLDAP(m, func(it LDAPItem, e BER) {
		switch it {
		case LDAPMessageID:
			id, _ = BERUint(e.Val)
		case LDAPProtocolOp:
			dst = append(dst, LDAPOpName(e.Tag)...)
			dst = append(dst, '(')
			dst = appendUint(dst, id)
			dst = append(dst, ") "...)
		case LDAPName, LDAPObjectName, LDAPBaseObject:
			dst = append(dst, '"')
			if len(e.Val) == 0 {
				dst = append(dst, "<ROOT>"...)
			} else {
				dst = AppendDisplayText(dst, e.Val)
			}
			dst = append(dst, `" `...)
		case LDAPSimple:
			dst = append(dst, "simple "...)
		case LDAPMechanism:
			dst = append(dst, "sasl "...)
		case LDAPScope:
			if v, ok := BERInt(e.Val); ok && v >= 0 && v < 3 {
				dst = append(dst, ldapScopeNames[v]...)
			} else {
				dst = append(dst, "Unknown scope("...)
				dst = appendInt(dst, v)
				dst = append(dst, ')')
			}
			dst = append(dst, ' ')
		case LDAPResultCode:
			v, _ := BERInt(e.Val)
			if s := ldapResultNames[v]; s != "" {
				dst = append(dst, s...)
			} else {
				dst = append(dst, "Unknown result("...)
				dst = appendInt(dst, v)
				dst = append(dst, ')')
			}
			dst = append(dst, ' ')
		case LDAPErrorMessage:
			if len(e.Val) > 0 {
				dst = append(dst, '(')
				dst = AppendDisplayText(dst, e.Val)
				dst = append(dst, ") "...)
			}
		}
	})
	if op, ok := ldapOp(m); ok && op.Tag == 5 {
		dst = append(dst, " ["...)
		dst = appendUint(dst, uint64(results))
		if results == 1 {
			dst = append(dst, " result]"...)
		} else {
			dst = append(dst, " results]"...)
		}
	}
	return dst
}

// ldapOp returns the protocolOp element of LDAPMessage m.
func ldapOp(m []byte) (BER, bool) {
	e, _, ok := ReadBER(m)
	if !ok {
		return BER{}, false
	}
	_, rest, ok := ReadBER(e.Val)
	if !ok {
		return BER{}, false
	}
	op, _, ok := ReadBER(rest)
	return op, ok
}

// ldapLayer: p is one of the layers of an LDAP message (a segment's LDAP
// messages and what they carry are listed once in frame.protocols).
func ldapLayer(p Proto) bool {
	return p == ProtoLDAP || p == ProtoNTLMSSP || p == ProtoGSSAPI || p == ProtoSPNEGO
}
