package decode

// asn1MoreSeeds are LDAP and SNMP messages: an SNMPv1 get-response, an
// SNMPv3 get-request, an LDAP bindRequest with an NTLMSSP negotiate, an
// LDAP searchResDone.
var asn1MoreSeeds = []string{
	"302902010104067075626c6963a51c02041234567802010002010a300e300c06082b060102010101000500",
	"305b02010330100204000000010202100004010402010304253029040b80001f8880123456789abc020100020100040a61646d696e5f7573657204000400301d04000400a017020101020100020100300d06092b060102010101000500",
	"3034020101602d02010304067573657230318a204e544c4d5353500001000000078208a2000000000000000000000000000000000a00614a0000000f",
	"300c02010365070a010004000400",
}

// fuzzMoreASN1 runs the LDAP and SNMP walkers and Info writers on b.
func fuzzMoreASN1(b []byte) {
	WalkLDAP(b, func(LDAPItem, BER) {})
	WalkSNMP(b, func(SNMPItem, BER) {})
	WalkX509(b, func(X509Item, BER, []byte) {})
	EachTLSCertificateList(b, func(list []byte) {
		EachCertificate(list, func(c []byte) { WalkX509(c, func(X509Item, BER, []byte) {}) })
	})
	EachCertificate(b, func([]byte) {})
	_, _ = X509TimeText(nil, b)
	_ = appendSNMPInfo(nil, b)
	_ = appendLDAPMsgInfo(nil, b, 1)
	_ = LDAPMessageLen(b)
	if len(b) > 4 {
		_ = appendLDAPSASLInfo(nil, b)
	}
	var f Frame
	f.Data = b
	f.Layers = append(f.Layers, Layer{Proto: ProtoTCP})
	if decodeLDAP(&f, b) {
		_ = f.appendLDAPInfo(nil)
		_ = f.AppendProtocols(nil)
	}
}
