package decode

// LDAPPort is LDAP's (TCP) and CLDAP's (UDP) port.
const LDAPPort = 389

func decodeLDAP(f *Frame, p []byte) bool  { return false }
func decodeCLDAP(f *Frame, p []byte) bool { return false }

func (f *Frame) appendLDAPInfo(dst []byte) []byte { return dst }

// LDAPMessageLen returns the length of the LDAP message (or SASL buffer)
// at the start of p, 0 when p does not start like one.
func LDAPMessageLen(p []byte) int { return 0 }
