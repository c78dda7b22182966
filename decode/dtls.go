package decode

// DTLS 1.0 and 1.2 (RFC 6347): records of 13-byte headers, handshake
// messages with DTLS's message_seq and fragment fields. As Wireshark 4.0:
// UDP ports 853, 2221, 5684 and 5868, else a heuristic on any UDP port
// (whole records of a valid content type and version that fill the
// datagram); the Protocol column is the conversation's version, known
// from the first record that is not a ClientHello. DTLS 1.3's unified
// headers (RFC 9147) are not DTLS to tshark 4.0 and are not here either.
// Nothing is decrypted.

// DTLS versions.
const (
	DTLSv10        uint16 = 0xfeff
	DTLSv12        uint16 = 0xfefd
	DTLSv10OpenSSL uint16 = 0x0100 // OpenSSL before 0.9.8f
)

const dtlsHeaderLen = 13

// DTLSRecord is one record of a DTLS layer.
type DTLSRecord struct {
	Type    uint8
	Version uint16
	Epoch   uint16
	Seq     uint64
	Length  int    // the header's length field
	Body    []byte // the record's bytes after the header (shorter than Length when cut)
}

// dtlsContentType reports whether t is a content type Wireshark accepts
// (change_cipher_spec, alert, handshake, application_data, heartbeat,
// tls12_cid).
func dtlsContentType(t uint8) bool { return t >= 20 && t <= 25 }

// dtlsVersion reports whether v is a DTLS record version Wireshark accepts.
func dtlsVersion(v uint16) bool { return v == DTLSv10 || v == DTLSv12 || v == DTLSv10OpenSSL }

// dtlsLooksLike is Wireshark's looks_like_dtls on the record at b.
func dtlsLooksLike(b []byte) bool {
	return len(b) >= 3 && dtlsContentType(b[0]) && dtlsVersion(be16(b[1:]))
}

// DTLSHeuristic is Wireshark's UDP heuristic for DTLS on payload p, of
// which reported bytes were on the wire (more than len(p) when the capture
// cut the datagram): back-to-back records that end exactly at the end of
// the datagram, or, when cut, records that look right as far as captured.
func DTLSHeuristic(p []byte, reported int) bool {
	off := 0
	if reported == len(p) {
		for off+dtlsHeaderLen <= len(p) && dtlsLooksLike(p[off:]) {
			off += int(be16(p[off+11:])) + dtlsHeaderLen
			if off == len(p) {
				return true
			}
		}
		return false
	}
	for len(p)-off >= 3 {
		if !dtlsLooksLike(p[off:]) {
			return false
		}
		off += 3
		if len(p)-off < 10 {
			return true
		}
		off += int(be16(p[off+8:])) + 10
		if off == len(p) {
			return true
		}
	}
	return len(p) >= 3 && off <= reported
}

// EachDTLSRecord calls fn with the records of DTLS layer b in order, while
// fn returns true. It stops at a record of an unknown content type (the
// rest is "Continuation Data") or a header the bytes cut; ok is false when
// a record or header runs past the end of b.
func EachDTLSRecord(b []byte, fn func(r DTLSRecord) bool) (ok bool) {
	for len(b) > 0 {
		if !dtlsContentType(b[0]) {
			return true
		}
		if len(b) < dtlsHeaderLen {
			return false
		}
		r := DTLSRecord{Type: b[0], Version: be16(b[1:]), Epoch: be16(b[3:]),
			Seq:    uint64(be16(b[5:]))<<32 | uint64(be32(b[7:])),
			Length: int(be16(b[11:]))}
		end := dtlsHeaderLen + r.Length
		short := end > len(b)
		if short {
			end = len(b)
		}
		r.Body = b[dtlsHeaderLen:end]
		if !fn(r) || short {
			return !short
		}
		b = b[end:]
	}
	return true
}

// DTLSHandshake is one handshake message (or fragment) of a record.
type DTLSHandshake struct {
	Type              uint8
	Length            uint32
	MessageSeq        uint16
	FragOff, FragLen  uint32
	Body              []byte // the fragment's bytes (cut to what the record holds)
	Encrypted         bool   // "Encrypted Handshake Message": no valid message here
	Fragment, Reassem bool   // a fragment of a longer message; the one that completes it
}

// EachDTLSHandshake walks the handshake messages of record body rec as
// Wireshark's dissect_dtls_handshake does: a message whose type is unknown
// or whose fragment overruns the record ends the walk (the first one reads
// as an encrypted handshake message). ok is false when a header is cut.
func EachDTLSHandshake(rec []byte, fn func(m DTLSHandshake) bool) (ok bool) {
	first := true
	for off := 0; off < len(rec); first = false {
		if off+12 > len(rec) {
			if first {
				fn(DTLSHandshake{Encrypted: true})
			}
			return false
		}
		h := rec[off:]
		m := DTLSHandshake{Type: h[0], Length: be24(h[1:]), MessageSeq: be16(h[4:]),
			FragOff: be24(h[6:]), FragLen: be24(h[9:])}
		valid := off+int(m.FragLen) <= len(rec) && tlsHandshakeName(m.Type) != ""
		if !valid {
			if first {
				fn(DTLSHandshake{Encrypted: true})
			}
			return true
		}
		end := off + 12 + int(m.FragLen)
		if end > len(rec) {
			end = len(rec)
		}
		m.Body = h[12 : end-off]
		if m.FragLen+m.FragOff <= m.Length && m.FragLen < m.Length && !(m.FragOff > 0 && m.FragLen == 0) {
			m.Fragment = true
			m.Reassem = m.FragOff+m.FragLen == m.Length
		}
		if !fn(m) {
			return true
		}
		off += 12 + int(m.FragLen)
	}
	return true
}

func be24(b []byte) uint32 { return uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2]) }

// dtlsSession is the DTLS state of a UDP conversation: its version.
type dtlsSession struct {
	slot[[2]uint64]
	version uint16
}

const dtlsSessions = 64

// decodeDTLS records DTLS payload p and updates the conversation's version.
func (d *Decoder) decodeDTLS(f *Frame, p []byte) bool {
	if len(p) == 0 {
		return false
	}
	if d.crypto.dtls == nil {
		d.crypto.dtls = make([]dtlsSession, dtlsSessions)
	}
	a, b := udpEndHash(f, true), udpEndHash(f, false)
	key := [2]uint64{min(a, b), max(a, b)}
	s, found := lookupSlot[[2]uint64, dtlsSession](d.crypto.dtls, key, f.Number)
	if !found {
		*s = dtlsSession{slot: newSlot(key, f.Number)}
	}
	ok := EachDTLSRecord(p, func(r DTLSRecord) bool {
		if s.version == 0 {
			next := uint8(0)
			if len(r.Body) > 0 {
				next = r.Body[0]
			}
			auth := r.Type != 22 || (tlsHandshakeName(next) != "" && next != 1)
			if auth && (dtlsVersion(r.Version) || r.Version == 0xfefc) {
				s.version = r.Version
			}
		}
		return true
	})
	f.DTLSVersion = s.version
	d.dtlsSRTP(f, p)
	f.setProto(ProtoDTLS)
	f.addAppLayer(ProtoDTLS, p)
	if !ok {
		f.anomaly(ProtoDTLS, f.appOff(p), "DTLS record cut")
	}
	return true
}

// dtlsColumn is the Protocol column: the conversation's version.
func dtlsColumn(v uint16) string {
	switch v {
	case DTLSv10:
		return "DTLSv1.0"
	case DTLSv12:
		return "DTLSv1.2"
	case 0xfefc:
		return "DTLSv1.3"
	case DTLSv10OpenSSL:
		return "DTLS 1.0 (OpenSSL pre 0.9.8f)"
	}
	return "DTLS"
}

// appendDTLSInfo writes the Info column of DTLS layer b.
func appendDTLSInfo(dst []byte, b []byte) []byte {
	n := 0
	ok := EachDTLSRecord(b, func(r DTLSRecord) bool {
		if n > 0 {
			dst = append(dst, ", "...)
		}
		n++
		switch r.Type {
		case 20:
			dst = append(dst, "Change Cipher Spec"...)
		case 21:
			var lv, ds string
			if len(r.Body) >= 2 {
				lv, ds = TLSAlertLevelName(r.Body[0]), TLSAlertDescName(r.Body[1])
			}
			if lv != "" && ds != "" {
				dst = append(dst, "Alert (Level: "...)
				dst = append(dst, lv...)
				dst = append(dst, ", Description: "...)
				dst = append(dst, ds...)
				dst = append(dst, ')')
			} else {
				dst = append(dst, "Encrypted Alert"...)
			}
		case 22:
			i := 0
			EachDTLSHandshake(r.Body[:min(len(r.Body), r.Length)], func(m DTLSHandshake) bool {
				if i > 0 {
					dst = append(dst, ", "...)
				}
				i++
				if m.Encrypted {
					dst = append(dst, "Encrypted Handshake Message"...)
					return false
				}
				dst = append(dst, tlsHandshakeName(m.Type)...)
				if m.Fragment {
					if m.Reassem {
						dst = append(dst, " (Reassembled)"...)
					} else {
						dst = append(dst, " (Fragment)"...)
					}
				}
				return true
			})
		case 23:
			dst = append(dst, "Application Data"...)
		case 24:
			typ := ""
			var plen uint32
			if len(r.Body) >= 3 {
				switch r.Body[0] {
				case 1:
					typ = "Request"
				case 2:
					typ = "Response"
				}
				plen = uint32(be16(r.Body[1:]))
			}
			if typ != "" && plen <= uint32(r.Length)-16-3 {
				dst = append(dst, "Heartbeat "...)
				dst = append(dst, typ...)
			} else {
				dst = append(dst, "Encrypted Heartbeat"...)
			}
		}
		return true
	})
	if n == 0 || ok && dtlsRest(b) > 0 {
		if n > 0 {
			dst = append(dst, ", "...)
		}
		dst = append(dst, "Continuation Data"...)
	}
	return dst
}

// dtlsRest returns how many bytes of b follow its last whole record (the
// continuation data Wireshark lumps together).
func dtlsRest(b []byte) int {
	off := 0
	EachDTLSRecord(b, func(r DTLSRecord) bool {
		off += dtlsHeaderLen + len(r.Body)
		return true
	})
	return len(b) - off
}
