package decode

import "encoding/binary"

// TLS record content types.
const (
	TLSChangeCipherSpec uint8 = 20
	TLSAlert            uint8 = 21
	TLSHandshake        uint8 = 22
	TLSApplicationData  uint8 = 23
	TLSHeartbeat        uint8 = 24
)

// TLS handshake message types.
const (
	TLSClientHello uint8 = 1
	TLSServerHello uint8 = 2
)

const (
	tlsRecordHeader = 5
	tlsMaxRecord    = 1<<14 + 2048 // TLSCiphertext limit
	tlsMaxMsgs      = 64           // Info entries kept per segment
	tlsMaxALPN      = 16
)

// tlsHRRRandom is the ServerHello.random that marks a HelloRetryRequest (RFC 8446 4.1.3).
var tlsHRRRandom = [32]byte{
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
}

// TLSRecordStart reports whether b begins with a plausible TLS record header
// (content type 20-24, version 3.x, length within the protocol's limit).
func TLSRecordStart(b []byte) bool {
	if len(b) < tlsRecordHeader {
		return false
	}
	if b[0] < TLSChangeCipherSpec || b[0] > TLSHeartbeat || b[1] != 3 || b[2] > 4 {
		return false
	}
	n := int(binary.BigEndian.Uint16(b[3:]))
	return n > 0 && n <= tlsMaxRecord
}

// TLSRecordsLen returns how many bytes at the start of b the TLS records that
// begin there need in total, counting only the last record's header when it
// is complete; 0 when b does not start with a record. Package flow uses it to
// decide how much to reassemble.
func TLSRecordsLen(b []byte) int {
	off := 0
	for TLSRecordStart(b[off:]) {
		off += tlsRecordHeader + int(binary.BigEndian.Uint16(b[off+3:]))
		if off >= len(b) {
			break
		}
	}
	return off
}

// decodeTLS dissects TLS records from b. It succeeds when b starts with at
// least one complete record; records cut off at the end of b are left for
// reassembly and kept out of Msgs (tshark shows them with the frame that
// completes them).
func (d *Decoder) decodeTLS(f *Frame, b []byte) bool {
	if !TLSRecordStart(b) || tlsRecordHeader+int(binary.BigEndian.Uint16(b[3:])) > len(b) {
		return false
	}
	n := parseTLS(&f.TLS, b)
	f.Present.Add(ProtoTLS)
	f.addAppLayer(ProtoTLS, b[:n])
	return true
}

// parseTLS fills t from the complete records at the start of b and returns
// the number of bytes they cover.
func parseTLS(t *TLS, b []byte) int {
	resetTLS(t, b[0], binary.BigEndian.Uint16(b[1:]))
	return parseTLSRecords(t, b)
}

// resetTLS clears t for a segment whose first record has type typ and version v.
func resetTLS(t *TLS, typ uint8, v uint16) {
	alpn, msgs := t.ALPN[:0], t.Msgs[:0]
	*t = TLS{RecordType: typ, RecordVersion: v, ALPN: alpn, Msgs: msgs}
}

// parseTLSRecords adds the complete records at the start of b to t and
// returns the number of bytes they cover.
func parseTLSRecords(t *TLS, b []byte) int {
	alpn, msgs := t.ALPN, t.Msgs
	off := 0
	for TLSRecordStart(b[off:]) {
		typ := b[off]
		n := int(binary.BigEndian.Uint16(b[off+3:]))
		if off+tlsRecordHeader+n > len(b) {
			break
		}
		body := b[off+tlsRecordHeader : off+tlsRecordHeader+n]
		rec := TLSMsg{RecordStart: true, Version: binary.BigEndian.Uint16(b[off+1:]), Length: uint16(n), Content: typ}
		off += tlsRecordHeader + n
		t.Records++
		switch typ {
		case TLSAlert:
			m := rec
			m.Encrypted = n != 2
			if n == 2 && !t.HasAlert {
				t.HasAlert = true
				t.AlertLevel, t.AlertDesc = body[0], body[1]
			}
			msgs = appendTLSMsg(msgs, m)
		case TLSHandshake:
			if !tlsPlainHandshake(body) {
				rec.Encrypted = true
				msgs = appendTLSMsg(msgs, rec)
				continue
			}
			for len(body) >= 4 {
				ht := body[0]
				ml := int(body[1])<<16 | int(body[2])<<8 | int(body[3])
				m := rec
				m.Handshake = ht
				rec.RecordStart = false
				if 4+ml > len(body) {
					m.Partial = true
					msgs = appendTLSMsg(msgs, m)
					break
				}
				msg := body[4 : 4+ml]
				body = body[4+ml:]
				if t.HandshakeType == 0 {
					t.HandshakeType = ht
				}
				switch ht {
				case TLSClientHello:
					if t.HelloVersion == 0 {
						alpn = t.parseHello(msg, false, alpn)
					}
				case TLSServerHello:
					if len(msg) >= 34 && [32]byte(msg[2:34]) == tlsHRRRandom {
						m.HRR = true
					}
					if t.HelloVersion == 0 {
						alpn = t.parseHello(msg, true, alpn)
					}
				}
				msgs = appendTLSMsg(msgs, m)
			}
		default:
			msgs = appendTLSMsg(msgs, rec)
		}
	}
	t.ALPN, t.Msgs = alpn, msgs
	return off
}

func appendTLSMsg(msgs []TLSMsg, m TLSMsg) []TLSMsg {
	if len(msgs) < tlsMaxMsgs {
		msgs = append(msgs, m)
	}
	return msgs
}

// tlsPlainHandshake reports whether a handshake record body reads as
// plaintext handshake messages: a known message type whose length fits, or
// a known type that continues beyond the record (a fragmented message). An
// encrypted Finished or post-handshake message almost never passes.
func tlsPlainHandshake(body []byte) bool {
	if len(body) < 4 || tlsHandshakeName(body[0]) == "" {
		return false
	}
	for len(body) >= 4 {
		if tlsHandshakeName(body[0]) == "" {
			return false
		}
		ml := int(body[1])<<16 | int(body[2])<<8 | int(body[3])
		if 4+ml > len(body) {
			// Only a message that starts a record may continue in the next one;
			// a length past 64 KiB is noise.
			return ml <= 1<<16
		}
		body = body[4+ml:]
	}
	return len(body) == 0
}

// parseHello reads a ClientHello or ServerHello body (after the handshake
// header) into t; it stops quietly at the first field that does not fit.
func (t *TLS) parseHello(m []byte, server bool, alpn [][]byte) [][]byte {
	if len(m) < 35 {
		return alpn
	}
	t.HelloVersion = binary.BigEndian.Uint16(m)
	p := 34
	sid := int(m[p])
	p += 1 + sid
	if server {
		if p+3 > len(m) {
			return alpn
		}
		t.CipherSuite = binary.BigEndian.Uint16(m[p:])
		t.CipherSuites = m[p : p+2 : p+2]
		p += 3 // cipher suite + compression method
	} else {
		if p+2 > len(m) {
			return alpn
		}
		n := int(binary.BigEndian.Uint16(m[p:]))
		p += 2
		if p+n > len(m) {
			return alpn
		}
		t.CipherSuites = m[p : p+n : p+n]
		if n >= 2 {
			t.CipherSuite = binary.BigEndian.Uint16(m[p:])
		}
		p += n
		if p >= len(m) {
			return alpn
		}
		p += 1 + int(m[p]) // compression methods
	}
	if p+2 > len(m) {
		return alpn
	}
	end := p + 2 + int(binary.BigEndian.Uint16(m[p:]))
	if end > len(m) {
		end = len(m)
	}
	p += 2
	for p+4 <= end {
		typ := binary.BigEndian.Uint16(m[p:])
		n := int(binary.BigEndian.Uint16(m[p+2:]))
		p += 4
		if p+n > end {
			break
		}
		ext := m[p : p+n]
		p += n
		switch typ {
		case 0: // server_name
			if len(ext) >= 5 && ext[2] == 0 {
				l := int(binary.BigEndian.Uint16(ext[3:]))
				if 5+l <= len(ext) {
					t.SNI = ext[5 : 5+l : 5+l]
				}
			}
		case 16: // application_layer_protocol_negotiation
			if len(ext) < 2 {
				break
			}
			list := ext[2:]
			if l := int(binary.BigEndian.Uint16(ext)); l < len(list) {
				list = list[:l]
			}
			for len(list) > 0 {
				l := int(list[0])
				if 1+l > len(list) {
					break
				}
				if len(alpn) < tlsMaxALPN {
					alpn = append(alpn, list[1:1+l:1+l])
				}
				list = list[1+l:]
			}
		case 43: // supported_versions
			if server {
				if len(ext) >= 2 {
					t.SupportedVersion = binary.BigEndian.Uint16(ext)
					t.SupportedVers = ext[:2:2]
				}
			} else if len(ext) >= 3 {
				l := int(ext[0]) &^ 1
				if 1+l > len(ext) {
					l = (len(ext) - 1) &^ 1
				}
				if l >= 2 {
					t.SupportedVers = ext[1 : 1+l : 1+l]
					t.SupportedVersion = binary.BigEndian.Uint16(ext[1:])
				}
			}
		}
	}
	return alpn
}

// Version returns the version tshark names this frame's TLS by: the
// connection's negotiated version once known, else a ServerHello's selected
// version, else the first record's version.
func (t *TLS) Version() uint16 {
	switch {
	case t.SessionVersion != 0:
		return t.SessionVersion
	case t.HandshakeType == TLSServerHello && t.SupportedVersion != 0:
		return t.SupportedVersion
	case t.HandshakeType == TLSServerHello && t.HelloVersion != 0:
		return t.HelloVersion
	}
	return t.RecordVersion
}

// TLSVersionName returns Wireshark's protocol column name for a TLS version
// ("TLSv1.2", "TLSv1.3", "SSLv3", ...), "TLS" when unknown.
func TLSVersionName(v uint16) string {
	switch v {
	case 0x0300:
		return "SSLv3"
	case 0x0301:
		return "TLSv1"
	case 0x0302:
		return "TLSv1.1"
	case 0x0303:
		return "TLSv1.2"
	case 0x0304:
		return "TLSv1.3"
	}
	if v&0xff00 == 0x7f00 || v == 0xfb17 || v == 0xfb1a {
		return "TLSv1.3" // drafts (0x7f12 is draft 18) and Facebook's draft versions, as Wireshark names them
	}
	return "TLS"
}

// tlsHandshakeName returns Wireshark's Info text for a handshake message type,
// "" when unknown.
func tlsHandshakeName(t uint8) string {
	switch t {
	case 0:
		return "Hello Request"
	case 1:
		return "Client Hello"
	case 2:
		return "Server Hello"
	case 3:
		return "Hello Verify Request"
	case 4:
		return "New Session Ticket"
	case 5:
		return "End of Early Data"
	case 6:
		return "Hello Retry Request"
	case 8:
		return "Encrypted Extensions"
	case 11:
		return "Certificate"
	case 12:
		return "Server Key Exchange"
	case 13:
		return "Certificate Request"
	case 14:
		return "Server Hello Done"
	case 15:
		return "Certificate Verify"
	case 16:
		return "Client Key Exchange"
	case 20:
		return "Finished"
	case 21:
		return "Certificate URL"
	case 22:
		return "Certificate Status"
	case 23:
		return "Supplemental Data"
	case 24:
		return "Key Update"
	case 25:
		return "Compressed Certificate"
	case 254:
		return "Message Hash"
	}
	return ""
}

// TLSAlertLevelName returns Wireshark's text for an alert level.
func TLSAlertLevelName(l uint8) string {
	switch l {
	case 1:
		return "Warning"
	case 2:
		return "Fatal"
	}
	return ""
}

// TLSAlertDescName returns Wireshark's text for an alert description.
func TLSAlertDescName(d uint8) string {
	switch d {
	case 0:
		return "Close Notify"
	case 10:
		return "Unexpected Message"
	case 20:
		return "Bad Record MAC"
	case 21:
		return "Decryption Failed"
	case 22:
		return "Record Overflow"
	case 30:
		return "Decompression Failure"
	case 40:
		return "Handshake Failure"
	case 41:
		return "No Certificate"
	case 42:
		return "Bad Certificate"
	case 43:
		return "Unsupported Certificate"
	case 44:
		return "Certificate Revoked"
	case 45:
		return "Certificate Expired"
	case 46:
		return "Certificate Unknown"
	case 47:
		return "Illegal Parameter"
	case 48:
		return "Unknown CA"
	case 49:
		return "Access Denied"
	case 50:
		return "Decode Error"
	case 51:
		return "Decrypt Error"
	case 60:
		return "Export Restriction"
	case 70:
		return "Protocol Version"
	case 71:
		return "Insufficient Security"
	case 80:
		return "Internal Error"
	case 86:
		return "Inappropriate Fallback"
	case 90:
		return "User Canceled"
	case 100:
		return "No Renegotiation"
	case 109:
		return "Missing Extension"
	case 110:
		return "Unsupported Extension"
	case 111:
		return "Certificate Unobtainable"
	case 112:
		return "Unrecognized Name"
	case 113:
		return "Bad Certificate Status Response"
	case 114:
		return "Bad Certificate Hash Value"
	case 115:
		return "Unknown PSK Identity"
	case 116:
		return "Certificate Required"
	case 120:
		return "No Application Protocol"
	}
	return ""
}
