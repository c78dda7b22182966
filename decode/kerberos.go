package decode

// Kerberos V5 (RFC 4120) on UDP and TCP port 88 (TCP messages carry a
// 4-byte record marker, RFC 4120 7.2.2) and inside the GSS-API tokens of
// SPNEGO (SMB, LDAP SASL). Decoding only checks that the message is a
// Kerberos application element; WalkKerberos reads its items on demand for
// the fields and the Info column.

// KerberosPort is the KDC port.
const KerberosPort = 88

// kerberosMsg reports whether b starts with a whole Kerberos message: an
// application-class constructed element of a known message type.
func kerberosMsg(b []byte) bool {
	e, _, ok := ReadBER(b)
	return ok && e.Class == BERApplication && e.Constructed && KerberosMsgName(int64(e.Tag)) != ""
}

// decodeKerberosUDP records p as a Kerberos message on UDP.
func decodeKerberosUDP(f *Frame, p []byte) bool {
	if !kerberosMsg(p) {
		return false
	}
	f.setProto(ProtoKerberos)
	f.addAppLayer(ProtoKerberos, p)
	return true
}

// KerberosRecordLen returns the length of the TCP record (marker included)
// at the start of p, 0 when p does not start like one.
func KerberosRecordLen(p []byte) int {
	if len(p) < 4 || p[0]&0x80 != 0 {
		return 0
	}
	n := int(be32(p) & 0x7fffffff)
	if n < 2 || n > appStreamMax {
		return 0
	}
	if len(p) > 4 && p[4]&0xe0 != 0x60 { // an application-class constructed tag
		return 0
	}
	return 4 + n
}

// kerberosPDULen is the record length Wireshark's Kerberos-over-TCP
// dissector asks TCP for: the marker's 31 bits plus 4, whatever follows
// (a segment whose marker promises more than it holds is "[TCP segment of
// a reassembled PDU]").
func kerberosPDULen(p []byte) int {
	if len(p) < 4 {
		return 1 << 30 // more bytes wanted
	}
	return int(be32(p)&0x7fffffff) + 4
}

// decodeKerberosTCP decodes the whole records of p (one segment, or a
// record reassembled by AppStream).
func decodeKerberosTCP(f *Frame, p []byte) bool {
	found := false
	for len(p) > 0 {
		n := KerberosRecordLen(p)
		if n == 0 || n > len(p) || !kerberosMsg(p[4:n]) {
			break
		}
		f.setProto(ProtoKerberos)
		f.addAppLayer(ProtoKerberos, p[:n])
		found = true
		p = p[n:]
	}
	return found
}

// KerberosMessage returns the message of a Kerberos layer's bytes (after
// the record marker of TCP).
func KerberosMessage(b []byte) []byte {
	if len(b) >= 4 && b[0]&0xe0 != 0x60 {
		return b[4:]
	}
	return b
}

// SPNEGOKerberos returns the Kerberos message inside a SPNEGO blob (the
// mechToken of a negTokenInit or the responseToken of a negTokenResp): a
// krb5 GSS-API token (RFC 1964: OID, 2-byte token id, message) or, as
// Windows sends them, the bare message; nil when it has none.
func SPNEGOKerberos(blob []byte) []byte {
	b := blob
	if e, _, ok := ReadBER(b); ok && e.Class == BERApplication && e.Tag == 0 && e.Constructed {
		if m := gssKerberos(e); m != nil {
			return m // a krb5 token without SPNEGO
		}
		oid, rest, ok := ReadBER(e.Val)
		if !ok || !oid.Is(BERUniversal, BERTagOID) {
			return nil
		}
		b = rest
	}
	neg, _, ok := ReadBER(b)
	if !ok || neg.Class != BERContext || neg.Tag > 1 {
		return nil
	}
	seq, _, ok := ReadBER(neg.Val)
	if !ok {
		return nil
	}
	var tok []byte
	berEach(seq.Val, func(m BER) {
		if m.Class == BERContext && m.Tag == 2 {
			if o, _, ok := ReadBER(m.Val); ok && o.Is(BERUniversal, BERTagOctetString) {
				tok = o.Val
			}
		}
	})
	if len(tok) == 0 {
		return nil
	}
	if e, _, ok := ReadBER(tok); ok && e.Class == BERApplication && e.Tag == 0 {
		return gssKerberos(e)
	}
	if kerberosMsg(tok) {
		return tok
	}
	return nil
}

// gssKerberos returns the message of a krb5 GSS-API token e.
func gssKerberos(e BER) []byte {
	oid, rest, ok := ReadBER(e.Val)
	if !ok || !oid.Is(BERUniversal, BERTagOID) || len(rest) < 3 {
		return nil
	}
	v := oid.Val
	if len(v) == 9 && (string(v) == string(krb5OID[2:]) || string(v) == string(msKrb5OID[2:])) && kerberosMsg(rest[2:]) {
		return rest[2:]
	}
	return nil
}

// KrbItem names the Kerberos items WalkKerberos reports.
type KrbItem uint8

// Kerberos items (Wireshark's kerberos.* field each reports).
const (
	KrbPvno        KrbItem = iota // INTEGER
	KrbMsgType                    // INTEGER
	KrbRealm                      // string
	KrbCRealm                     // string
	KrbCNameString                // string
	KrbSNameString                // string
	KrbNameType                   // INTEGER
	KrbEtype                      // INTEGER (EncryptedData, ETYPE-INFO entries)
	KrbENCTYPE                    // INTEGER (KDC-REQ-BODY etype list item)
	KrbReqEtypes                  // the KDC-REQ-BODY etype SEQUENCE (its item count)
	KrbCipher                     // bytes
	KrbKvno                       // INTEGER
	KrbPadataType                 // INTEGER
	KrbPadataValue                // bytes
	KrbTill                       // GeneralizedTime
	KrbRtime                      // GeneralizedTime
	KrbFrom                       // GeneralizedTime
	KrbNonce                      // INTEGER
	KrbErrorCode                  // INTEGER
	KrbStime                      // GeneralizedTime
	KrbSusec                      // INTEGER
	KrbCtime                      // GeneralizedTime
	KrbCusec                      // INTEGER
	KrbIncludePAC                 // BOOLEAN
	KrbTktVno                     // INTEGER
	KrbAddrType                   // INTEGER
	KrbAddrNB                     // NetBIOS address
	KrbInfo2Salt                  // string
	KrbInfoSalt                   // bytes
	KrbEData                      // bytes
	KrbEText                      // string
	KrbKDCOptions                 // BIT STRING
	KrbAPOptions                  // BIT STRING
	KrbNTStatus                   // the NT status of a PA-PW-SALT (4 bytes LE in Val)
	KrbAuthTime                   // GeneralizedTime
	KrbStartTime                  // GeneralizedTime
	KrbEndTime                    // GeneralizedTime
)

// krbWalker walks one Kerberos message for WalkKerberos.
type krbWalker struct {
	fn      func(KrbItem, BER)
	errCode int64
	depth   int
}

// WalkKerberos calls fn with the items of the Kerberos message b in the
// order Wireshark shows them (nested messages, such as the AP-REQ of a
// TGS-REQ's PA-TGS-REQ, included). fn must not keep e.Val beyond b's life.
func WalkKerberos(b []byte, fn func(it KrbItem, e BER)) {
	w := krbWalker{fn: fn}
	w.msg(b)
}

// berEach calls fn with each element of v until one does not parse.
func berEach(v []byte, fn func(e BER)) {
	for len(v) > 0 {
		e, rest, ok := ReadBER(v)
		if !ok {
			return
		}
		fn(e)
		v = rest
	}
}

// explicit returns the element inside a context tag (Kerberos tags every
// SEQUENCE member [n] EXPLICIT).
func explicit(e BER) (BER, bool) {
	in, _, ok := ReadBER(e.Val)
	return in, ok
}

// seqMembers calls fn with the tag and inner element of each explicitly
// tagged member of a SEQUENCE element e.
func seqMembers(e BER, fn func(tag uint32, in BER)) {
	if !e.Constructed {
		return
	}
	berEach(e.Val, func(m BER) {
		if m.Class != BERContext {
			return
		}
		if in, ok := explicit(m); ok {
			fn(m.Tag, in)
		}
	})
}

func (w *krbWalker) msg(b []byte) {
	e, _, ok := ReadBER(b)
	if !ok || e.Class != BERApplication || w.depth > 4 {
		return
	}
	w.depth++
	defer func() { w.depth-- }()
	seq, _, ok := ReadBER(e.Val)
	if !ok {
		return
	}
	switch e.Tag {
	case 10, 12: // AS-REQ, TGS-REQ
		seqMembers(seq, func(tag uint32, in BER) {
			switch tag {
			case 1:
				w.fn(KrbPvno, in)
			case 2:
				w.fn(KrbMsgType, in)
			case 3:
				w.padataSeq(in)
			case 4:
				w.reqBody(in)
			}
		})
	case 11, 13: // AS-REP, TGS-REP
		seqMembers(seq, func(tag uint32, in BER) {
			switch tag {
			case 0:
				w.fn(KrbPvno, in)
			case 1:
				w.fn(KrbMsgType, in)
			case 2:
				w.padataSeq(in)
			case 3:
				w.fn(KrbCRealm, in)
			case 4:
				w.principal(in, KrbCNameString)
			case 5:
				w.ticket(in)
			case 6:
				w.encData(in)
			}
		})
	case 14: // AP-REQ
		seqMembers(seq, func(tag uint32, in BER) {
			switch tag {
			case 0:
				w.fn(KrbPvno, in)
			case 1:
				w.fn(KrbMsgType, in)
			case 2:
				w.fn(KrbAPOptions, in)
			case 3:
				w.ticket(in)
			case 4:
				w.encData(in)
			}
		})
	case 15, 21: // AP-REP, KRB-PRIV
		seqMembers(seq, func(tag uint32, in BER) {
			switch tag {
			case 0:
				w.fn(KrbPvno, in)
			case 1:
				w.fn(KrbMsgType, in)
			case 2, 3:
				if e.Tag == 15 && tag == 2 || e.Tag == 21 && tag == 3 {
					w.encData(in)
				}
			}
		})
	case 20, 22: // KRB-SAFE, KRB-CRED
		seqMembers(seq, func(tag uint32, in BER) {
			switch tag {
			case 0:
				w.fn(KrbPvno, in)
			case 1:
				w.fn(KrbMsgType, in)
			case 2:
				if e.Tag == 22 {
					berEach(in.Val, func(t BER) { w.ticket(t) })
				}
			case 3:
				if e.Tag == 22 {
					w.encData(in)
				}
			}
		})
	case 30: // KRB-ERROR
		seqMembers(seq, func(tag uint32, in BER) {
			switch tag {
			case 0:
				w.fn(KrbPvno, in)
			case 1:
				w.fn(KrbMsgType, in)
			case 2:
				w.fn(KrbCtime, in)
			case 3:
				w.fn(KrbCusec, in)
			case 4:
				w.fn(KrbStime, in)
			case 5:
				w.fn(KrbSusec, in)
			case 6:
				w.errCode, _ = BERInt(in.Val)
				w.fn(KrbErrorCode, in)
			case 7:
				w.fn(KrbCRealm, in)
			case 8:
				w.principal(in, KrbCNameString)
			case 9:
				w.fn(KrbRealm, in)
			case 10:
				w.principal(in, KrbSNameString)
			case 11:
				w.fn(KrbEText, in)
			case 12:
				w.fn(KrbEData, in)
				w.eData(in)
			}
		})
	}
}

// eData reads a KRB-ERROR's e-data as Wireshark does for the error code:
// METHOD-DATA for the pre-authentication errors, one PA-DATA (whose salt
// holds an NT status) for the errors Windows KDCs send it with.
func (w *krbWalker) eData(in BER) {
	switch w.errCode {
	case 13, 18, 23, 12: // BADOPTION, CLIENT_REVOKED, KEY_EXP, POLICY
		if pa, _, ok := ReadBER(in.Val); ok {
			w.padata(pa, true)
		}
	case 25, 24, 14, 68, 90, 91, 92, 93: // PREAUTH_REQUIRED, PREAUTH_FAILED, ETYPE_NOSUPP, WRONG_REALM, FAST errors
		if seq, _, ok := ReadBER(in.Val); ok {
			w.padataSeq(seq)
		}
	}
}

func (w *krbWalker) padataSeq(seq BER) {
	berEach(seq.Val, func(pa BER) { w.padata(pa, false) })
}

// padata reads one PA-DATA and its value by type.
func (w *krbWalker) padata(pa BER, ntStatus bool) {
	var typ int64 = -1
	seqMembers(pa, func(tag uint32, in BER) {
		switch tag {
		case 1:
			typ, _ = BERInt(in.Val)
			w.fn(KrbPadataType, in)
		case 2:
			w.fn(KrbPadataValue, in)
			v := in.Val
			switch typ {
			case 1: // PA-TGS-REQ: an AP-REQ
				w.msg(v)
			case 2: // PA-ENC-TIMESTAMP
				if e, _, ok := ReadBER(v); ok {
					w.encData(e)
				}
			case 3: // PA-PW-SALT
				if ntStatus && len(v) == 12 {
					w.fn(KrbNTStatus, BER{Val: v[:4]})
				}
			case 11, 19: // ETYPE-INFO, ETYPE-INFO2
				if seq, _, ok := ReadBER(v); ok {
					berEach(seq.Val, func(ent BER) {
						seqMembers(ent, func(tag uint32, in BER) {
							switch tag {
							case 0:
								w.fn(KrbEtype, in)
							case 1:
								if typ == 19 {
									w.fn(KrbInfo2Salt, in)
								} else {
									w.fn(KrbInfoSalt, in)
								}
							}
						})
					})
				}
			case 128: // PA-PAC-REQUEST
				if e, _, ok := ReadBER(v); ok {
					seqMembers(e, func(tag uint32, in BER) {
						if tag == 0 {
							w.fn(KrbIncludePAC, in)
						}
					})
				}
			}
		}
	})
}

func (w *krbWalker) reqBody(body BER) {
	seqMembers(body, func(tag uint32, in BER) {
		switch tag {
		case 0:
			w.fn(KrbKDCOptions, in)
		case 1:
			w.principal(in, KrbCNameString)
		case 2:
			w.fn(KrbRealm, in)
		case 3:
			w.principal(in, KrbSNameString)
		case 4:
			w.fn(KrbFrom, in)
		case 5:
			w.fn(KrbTill, in)
		case 6:
			w.fn(KrbRtime, in)
		case 7:
			w.fn(KrbNonce, in)
		case 8:
			w.fn(KrbReqEtypes, in)
			berEach(in.Val, func(et BER) { w.fn(KrbENCTYPE, et) })
		case 9:
			berEach(in.Val, func(ha BER) {
				var typ int64
				seqMembers(ha, func(tag uint32, in BER) {
					switch tag {
					case 0:
						typ, _ = BERInt(in.Val)
						w.fn(KrbAddrType, in)
					case 1:
						if typ == 20 {
							w.fn(KrbAddrNB, in)
						}
					}
				})
			})
		case 10:
			w.encData(in)
		case 11:
			berEach(in.Val, func(t BER) { w.ticket(t) })
		}
	})
}

func (w *krbWalker) principal(pn BER, s KrbItem) {
	seqMembers(pn, func(tag uint32, in BER) {
		switch tag {
		case 0:
			w.fn(KrbNameType, in)
		case 1:
			berEach(in.Val, func(str BER) { w.fn(s, str) })
		}
	})
}

func (w *krbWalker) ticket(t BER) {
	if t.Class != BERApplication || t.Tag != 1 {
		return
	}
	seq, _, ok := ReadBER(t.Val)
	if !ok {
		return
	}
	seqMembers(seq, func(tag uint32, in BER) {
		switch tag {
		case 0:
			w.fn(KrbTktVno, in)
		case 1:
			w.fn(KrbRealm, in)
		case 2:
			w.principal(in, KrbSNameString)
		case 3:
			w.encData(in)
		}
	})
}

func (w *krbWalker) encData(ed BER) {
	seqMembers(ed, func(tag uint32, in BER) {
		switch tag {
		case 0:
			w.fn(KrbEtype, in)
		case 1:
			w.fn(KrbKvno, in)
		case 2:
			w.fn(KrbCipher, in)
		}
	})
}

var krbMsgNames = [...]string{10: "AS-REQ", 11: "AS-REP", 12: "TGS-REQ", 13: "TGS-REP", 14: "AP-REQ", 15: "AP-REP",
	16: "TGT-REQ", 17: "TGT-REP", 20: "KRB-SAFE", 21: "KRB-PRIV", 22: "KRB-CRED", 30: "KRB-ERROR"}

// KerberosMsgName returns the name Wireshark's Info column gives message
// type t ("AS-REQ"), "" for an unknown type.
func KerberosMsgName(t int64) string {
	if t < 0 || t >= int64(len(krbMsgNames)) {
		return ""
	}
	return krbMsgNames[t]
}

var krbErrorNames = [...]string{
	0: "KDC_ERR_NONE", 1: "KDC_ERR_NAME_EXP", 2: "KDC_ERR_SERVICE_EXP", 3: "KDC_ERR_BAD_PVNO",
	4: "KDC_ERR_C_OLD_MAST_KVNO", 5: "KDC_ERR_S_OLD_MAST_KVNO", 6: "KDC_ERR_C_PRINCIPAL_UNKNOWN",
	7: "KDC_ERR_S_PRINCIPAL_UNKNOWN", 8: "KDC_ERR_PRINCIPAL_NOT_UNIQUE", 9: "KDC_ERR_NULL_KEY",
	10: "KDC_ERR_CANNOT_POSTDATE", 11: "KDC_ERR_NEVER_VALID", 12: "KDC_ERR_POLICY", 13: "KDC_ERR_BADOPTION",
	14: "KDC_ERR_ETYPE_NOSUPP", 15: "KDC_ERR_SUMTYPE_NOSUPP", 16: "KDC_ERR_PADATA_TYPE_NOSUPP",
	17: "KDC_ERR_TRTYPE_NOSUPP", 18: "KDC_ERR_CLIENT_REVOKED", 19: "KDC_ERR_SERVICE_REVOKED",
	20: "KDC_ERR_TGT_REVOKED", 21: "KDC_ERR_CLIENT_NOTYET", 22: "KDC_ERR_SERVICE_NOTYET", 23: "KDC_ERR_KEY_EXP",
	24: "KDC_ERR_PREAUTH_FAILED", 25: "KDC_ERR_PREAUTH_REQUIRED", 26: "KDC_ERR_SERVER_NOMATCH",
	27: "KDC_ERR_MUST_USE_USER2USER", 28: "KDC_ERR_PATH_NOT_ACCEPTED", 29: "KDC_ERR_SVC_UNAVAILABLE",
	31: "KRB_AP_ERR_BAD_INTEGRITY", 32: "KRB_AP_ERR_TKT_EXPIRED", 33: "KRB_AP_ERR_TKT_NYV", 34: "KRB_AP_ERR_REPEAT",
	35: "KRB_AP_ERR_NOT_US", 36: "KRB_AP_ERR_BADMATCH", 37: "KRB_AP_ERR_SKEW", 38: "KRB_AP_ERR_BADADDR",
	39: "KRB_AP_ERR_BADVERSION", 40: "KRB_AP_ERR_MSG_TYPE", 41: "KRB_AP_ERR_MODIFIED", 42: "KRB_AP_ERR_BADORDER",
	43: "KRB_AP_ERR_ILL_CR_TKT", 44: "KRB_AP_ERR_BADKEYVER", 45: "KRB_AP_ERR_NOKEY", 46: "KRB_AP_ERR_MUT_FAIL",
	47: "KRB_AP_ERR_BADDIRECTION", 48: "KRB_AP_ERR_METHOD", 49: "KRB_AP_ERR_BADSEQ", 50: "KRB_AP_ERR_INAPP_CKSUM",
	51: "KRB_AP_PATH_NOT_ACCEPTED", 52: "KRB_ERR_RESPONSE_TOO_BIG", 60: "KRB_ERR_GENERIC", 61: "KRB_ERR_FIELD_TOOLONG",
}

// appendKerberosError appends the Info column's name of error code c
// ("KRB5KDC_ERR_PREAUTH_REQUIRED").
func appendKerberosError(dst []byte, c int64) []byte {
	if c >= 0 && c < int64(len(krbErrorNames)) && krbErrorNames[c] != "" {
		return append(append(dst, "KRB5"...), krbErrorNames[c]...)
	}
	dst = append(dst, "Unknown ("...)
	dst = appendInt(dst, c)
	return append(dst, ')')
}

func appendInt(dst []byte, v int64) []byte {
	if v < 0 {
		dst = append(dst, '-')
		return appendUint(dst, uint64(-v))
	}
	return appendUint(dst, uint64(v))
}

// appendKerberosInfo writes Wireshark's Info text of the first message of
// the layer bytes b: "AS-REQ", "KRB Error: KRB5KDC_ERR_PREAUTH_REQUIRED".
func appendKerberosInfo(dst []byte, b []byte) []byte {
	m := KerberosMessage(b)
	e, _, ok := ReadBER(m)
	if !ok {
		return dst
	}
	if e.Tag != 30 {
		return append(dst, KerberosMsgName(int64(e.Tag))...)
	}
	var code int64 = -1
	var nt []byte
	WalkKerberos(m, func(it KrbItem, e BER) {
		switch it {
		case KrbErrorCode:
			if code < 0 {
				code, _ = BERInt(e.Val)
			}
		case KrbNTStatus:
			nt = e.Val
		}
	})
	dst = append(dst, "KRB Error: "...)
	dst = appendKerberosError(dst, code)
	if len(nt) == 4 {
		dst = append(dst, " NT Status: "...)
		st := le32(nt)
		if s := ntStatusNames[st]; s != "" {
			dst = append(dst, s...)
		} else {
			dst = append(dst, "Unknown"...)
		}
	}
	return dst
}
