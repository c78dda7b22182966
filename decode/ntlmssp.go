package decode

import "bytes"

// The security blobs of SMB and SMB2 session setups and negotiate
// responses: GSS-API tokens holding SPNEGO, which holds NTLMSSP or a
// Kerberos token (Wireshark's gss-api:spnego:ntlmssp and
// gss-api:spnego-krb5 layers), or a bare NTLMSSP message.

var (
	ntlmsspSig = []byte("NTLMSSP\x00")
	spnegoOID  = []byte{0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02}
	krb5OID    = []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02}
	msKrb5OID  = []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 0x01, 0x02, 0x02}
)

// addSecurityBlob adds the layers of a session setup's security blob.
func (f *Frame) addSecurityBlob(blob []byte) {
	if len(blob) == 0 {
		return
	}
	f.Present.Add(ProtoGSSAPI)
	f.addAppLayer(ProtoGSSAPI, blob)
	if bytes.HasPrefix(blob, ntlmsspSig) {
		f.addNTLMSSP(blob)
		return
	}
	spnego := blob[0] == 0xa0 || blob[0] == 0xa1 ||
		blob[0] == 0x60 && len(blob) > 2 && bytes.Contains(blob[:min(len(blob), 12)], spnegoOID)
	if !spnego {
		return
	}
	if innerKrb5(blob) {
		f.Present.Add(ProtoSPNEGO)
		f.addAppLayer(ProtoSPNEGO, blob) // shown as spnego, then spnego-krb5
		f.spnegoKrb5 = true
		return
	}
	f.Present.Add(ProtoSPNEGO)
	f.addAppLayer(ProtoSPNEGO, blob)
	if i := bytes.Index(blob, ntlmsspSig); i >= 0 {
		f.addNTLMSSP(blob[i:])
	}
}

// innerKrb5 reports whether blob holds a Kerberos GSS-API token after its
// start (an AP-REQ or AP-REP inside SPNEGO), not just the mechanism list.
func innerKrb5(blob []byte) bool {
	for i := 1; i+2 < len(blob); i++ {
		if blob[i] != 0x60 {
			continue
		}
		j := i + 2
		if blob[i+1]&0x80 != 0 {
			j += int(blob[i+1] & 0x7f)
		}
		if j+len(krb5OID) <= len(blob) && (bytes.HasPrefix(blob[j:], krb5OID) || bytes.HasPrefix(blob[j:], msKrb5OID)) {
			return true
		}
	}
	return false
}

func (f *Frame) addNTLMSSP(m []byte) {
	f.Present.Add(ProtoNTLMSSP)
	f.addAppLayer(ProtoNTLMSSP, m)
	// An AUTH message with an NTLMv2 response shows a second ntlmssp
	// (Wireshark dissects the response's blob as its own item).
	if len(m) >= 24 && le32(m[8:]) == 3 && le16(m[20:]) > 24 {
		f.addAppLayer(ProtoNTLMSSP, m)
	}
}

// smb2SecurityBlob returns the security buffer of a Negotiate response or
// a Session Setup request or response.
func smb2SecurityBlob(m *SMB2Msg) []byte {
	b, resp := m.B, m.Flags&1 != 0
	switch {
	case m.Cmd == 0 && resp && len(b) >= 64+60:
		return smb2Buf(b, int(le16(b[64+56:])), int(le16(b[64+58:])))
	case m.Cmd == 1 && !resp && len(b) >= 64+16:
		return smb2Buf(b, int(le16(b[64+12:])), int(le16(b[64+14:])))
	case m.Cmd == 1 && resp && len(b) >= 64+8:
		return smb2Buf(b, int(le16(b[64+4:])), int(le16(b[64+6:])))
	}
	return nil
}

// smbSecurityBlob returns the security blob of an SMB Session Setup AndX
// with extended security.
func smbSecurityBlob(b []byte) []byte {
	if len(b) < 35 || b[4] != 0x73 || le16(b[10:])&0x0800 == 0 {
		return nil
	}
	wc := int(b[32])
	var n int
	switch {
	case b[9]&0x80 == 0 && wc == 12:
		n, _ = smbWord(b, 14)
	case b[9]&0x80 != 0 && wc == 4:
		n, _ = smbWord(b, 6)
	default:
		return nil
	}
	o := 33 + 2*wc + 2
	if n <= 0 || o+n > len(b) {
		return nil
	}
	return b[o : o+n]
}

// NTLMSSPAuthString returns a string of an NTLMSSP AUTH message m: the
// domain (field offset 28), user (36) or host (44) name, as UTF-8 in the
// frame's memory; ok false for other messages.
func (f *Frame) NTLMSSPAuthString(m []byte, field int) ([]byte, bool) {
	if len(m) < 64 || le32(m[8:]) != 3 {
		return nil, false
	}
	n, off := int(le16(m[field:])), int(le32(m[field+4:]))
	if off > len(m) || n > len(m)-off {
		return nil, false
	}
	s := m[off : off+n]
	if n == 0 {
		return []byte("NULL"), true // as Wireshark shows an empty name
	}
	if le32(m[60:])&1 == 0 {
		return s, true
	}
	start := len(f.scratch)
	f.scratch = appendUTF16LE(f.scratch, s)
	return f.scratch[start:len(f.scratch):len(f.scratch)], true
}
