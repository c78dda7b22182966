package field

import "github.com/wirewatch/wirewatch/decode"

// LDAP and CLDAP fields (Wireshark 4.0 "ldap.*"), read by walking each
// LDAP message of the frame with decode.WalkLDAP.

// eachLDAPMsg calls fn with each LDAP message of f (inside its SASL buffer
// when wrapped), in frame order.
func eachLDAPMsg(f *decode.Frame, fn func(b []byte)) {
	if !f.Has(decode.ProtoLDAP) && !f.Has(decode.ProtoCLDAP) {
		return
	}
	for _, l := range f.Layers {
		if l.Proto == decode.ProtoLDAP || l.Proto == decode.ProtoCLDAP {
			b := f.LayerBytes(l)
			if len(b) > 4 && b[0] == 0 {
				b = b[4:]
			}
			fn(b)
		}
	}
}

// ldapField is a field with one occurrence per item it of every message.
func ldapField(name string, t Type, base Base, it decode.LDAPItem, conv krbConv) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoLDAP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachLDAPMsg(f, func(b []byte) {
				decode.WalkLDAP(b, func(i decode.LDAPItem, e decode.BER) {
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

// ldapStr is an LDAPString as Wireshark shows it: up to a NUL.
func ldapStr(e decode.BER) (Value, bool) { return Value{B: cstr(e.Val)}, true }

var ldapFields = []Field{
	protoField("ldap", decode.ProtoLDAP),
	protoField("cldap", decode.ProtoCLDAP),
	ldapField("ldap.messageID", FTUint32, BaseDec, decode.LDAPMessageID, krbUint),
	ldapField("ldap.protocolOp", FTUint32, BaseDec, decode.LDAPProtocolOp, func(e decode.BER) (Value, bool) {
		return Value{U: uint64(e.Tag)}, true
	}),
	ldapField("ldap.version", FTUint32, BaseDec, decode.LDAPVersion, krbUint),
	ldapField("ldap.name", FTString, BaseNone, decode.LDAPName, ldapStr),
	ldapField("ldap.simple", FTString, BaseNone, decode.LDAPSimple, ldapStr),
	ldapField("ldap.mechanism", FTString, BaseNone, decode.LDAPMechanism, ldapStr),
	ldapField("ldap.credentials", FTBytes, BaseNone, decode.LDAPCredentials, krbStr),
	ldapField("ldap.resultCode", FTUint32, BaseDec, decode.LDAPResultCode, krbUint),
	ldapField("ldap.matchedDN", FTString, BaseNone, decode.LDAPMatchedDN, ldapStr),
	ldapField("ldap.errorMessage", FTString, BaseNone, decode.LDAPErrorMessage, ldapStr),
	ldapField("ldap.serverSaslCreds", FTBytes, BaseNone, decode.LDAPServerSaslCreds, krbStr),
	ldapField("ldap.baseObject", FTString, BaseNone, decode.LDAPBaseObject, ldapStr),
	ldapField("ldap.scope", FTUint32, BaseDec, decode.LDAPScope, krbUint),
	ldapField("ldap.derefAliases", FTUint32, BaseDec, decode.LDAPDerefAliases, krbUint),
	ldapField("ldap.sizeLimit", FTUint32, BaseDec, decode.LDAPSizeLimit, krbUint),
	ldapField("ldap.timeLimit", FTUint32, BaseDec, decode.LDAPTimeLimit, krbUint),
	ldapField("ldap.typesOnly", FTBoolean, BaseNone, decode.LDAPTypesOnly, krbBool),
	ldapField("ldap.objectName", FTString, BaseNone, decode.LDAPObjectName, ldapStr),
	ldapField("ldap.LDAPURL", FTString, BaseNone, decode.LDAPURL, ldapStr),
	ldapField("ldap.controlType", FTString, BaseNone, decode.LDAPControlType, ldapStr),
	uintField("ldap.sasl_buffer_length", FTUint32, BaseDec, decode.ProtoLDAP, func(f *decode.Frame) (uint64, bool) {
		b, ok := layerBytes(f, decode.ProtoLDAP)
		if !ok || len(b) < 5 || b[0] != 0 {
			return 0, false
		}
		return uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3]), true
	}),
}
