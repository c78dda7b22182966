package decode

import "strconv"

// NBNS, the NetBIOS Name Service (RFC 1002), on UDP port 137: a DNS-shaped
// message whose names are NetBIOS names in "first-level encoding" (32
// letters for 16 bytes). Names are expanded with the DNS decoder's name
// reader and decoded into the frame's scratch buffer at decode time.

// NBNS is a decoded NBNS message.
type NBNS struct {
	ID, Flags uint16
	Counts    [4]uint16 // questions, answers, authority, additional
	Records   []NBNSRecord
	Malformed bool
}

// NBNSRecord is a question (Section 0) or resource record (1 answer, 2
// authority, 3 additional).
type NBNSRecord struct {
	Section     uint8
	Name        []byte // "WPAD<00>"
	NameDesc    []byte // Name and the suffix's meaning: "WPAD<00> (Workstation/Redirector)" (not for NBSTAT)
	Type, Class uint16
	TTL         uint32
	DataLen     uint16
	RData       []byte // resource records: the data present
}

// decodeNBNS parses p as an NBNS message into f.NBNS.
func decodeNBNS(f *Frame, p []byte) bool {
	if len(p) < dnsHeaderLen {
		return false
	}
	m := &f.NBNS
	m.ID, m.Flags = be16(p), be16(p[2:])
	for i := range m.Counts {
		m.Counts[i] = be16(p[4+2*i:])
	}
	m.Records = m.Records[:0]
	m.Malformed = false
	off := dnsHeaderLen
	for sec := 0; sec < 4; sec++ {
		for i := 0; i < int(m.Counts[sec]); i++ {
			if len(m.Records) >= 64 {
				break
			}
			r := NBNSRecord{Section: uint8(sec)}
			var next int
			r.Name, r.NameDesc, next = f.nbnsName(p, off)
			if next < 0 || next+4 > len(p) {
				m.Malformed = true
				break
			}
			r.Type, r.Class = be16(p[next:]), be16(p[next+2:])
			if r.Type == 33 {
				r.NameDesc = r.Name // NBSTAT records name no suffix meaning
			}
			off = next + 4
			if sec > 0 {
				if off+6 > len(p) {
					m.Malformed = true
					break
				}
				r.TTL, r.DataLen = be32(p[off:]), be16(p[off+4:])
				off += 6
				end := off + int(r.DataLen)
				if end > len(p) {
					m.Malformed = true
					end = len(p)
				}
				r.RData = p[off:end]
				off += int(r.DataLen)
			}
			m.Records = append(m.Records, r)
		}
		if m.Malformed {
			break
		}
	}
	f.Present.Add(ProtoNBNS)
	f.addAppLayer(ProtoNBNS, p)
	if m.Malformed && f.CapLen >= f.Len {
		f.anomaly(ProtoNBNS, f.appOff(p), "NBNS message shorter than its counts and lengths say")
	}
	return true
}

// nbnsName reads the name at off: the NetBIOS name ("NAME<xx>", non-printable
// bytes as <xx>, trailing spaces dropped, then the suffix byte) followed by
// any scope ("NAME<xx>.scope"); desc adds the suffix's meaning.
func (f *Frame) nbnsName(msg []byte, off int) (name, desc []byte, next int) {
	raw, next, status := f.dnsName(msg, off)
	if status != dnsNameOK || raw == nil {
		return nil, nil, -1
	}
	enc, scope := raw, []byte(nil)
	for i, c := range raw {
		if c == '.' {
			enc, scope = raw[:i], raw[i:]
			break
		}
	}
	start := len(f.scratch)
	if len(enc) != 32 {
		f.scratch = append(f.scratch, raw...)
		n := f.scratch[start:len(f.scratch):len(f.scratch)]
		return n, n, next
	}
	var nb [16]byte
	for i := range nb {
		hi, lo := enc[2*i]-'A', enc[2*i+1]-'A'
		nb[i] = hi<<4 | lo&0xf
	}
	end := 15
	for end > 0 && nb[end-1] == ' ' {
		end--
	}
	for _, c := range nb[:end] {
		if c >= 0x20 && c < 0x7f {
			f.scratch = append(f.scratch, c)
		} else {
			f.scratch = appendNBHex(f.scratch, c)
		}
	}
	f.scratch = appendNBHex(f.scratch, nb[15])
	f.scratch = append(f.scratch, scope...)
	mid := len(f.scratch)
	f.scratch = append(f.scratch, " ("...)
	f.scratch = append(f.scratch, nbnsSuffixName(nb[15])...)
	f.scratch = append(f.scratch, ')')
	return f.scratch[start:mid:mid], f.scratch[start:len(f.scratch):len(f.scratch)], next
}

func appendNBHex(dst []byte, c byte) []byte {
	const hx = "0123456789abcdef"
	return append(dst, '<', hx[c>>4], hx[c&0xf], '>')
}

func nbnsSuffixName(c byte) string {
	switch c {
	case 0x00, 0x02:
		return "Workstation/Redirector"
	case 0x01:
		return "Browser"
	case 0x03:
		return "Messenger service/Main name"
	case 0x05:
		return "Forwarded name"
	case 0x06:
		return "RAS Server service"
	case 0x1b:
		return "Domain Master Browser"
	case 0x1c:
		return "Domain Controllers"
	case 0x1d:
		return "Local Master Browser"
	case 0x1e:
		return "Browser Election Service"
	case 0x1f:
		return "Net DDE Service"
	case 0x20:
		return "Server service"
	case 0x21:
		return "RAS client service"
	case 0x22:
		return "Exchange Interchange (MSMail Connector)"
	case 0x23:
		return "Exchange Store"
	case 0x24:
		return "Exchange Directory"
	case 0x2b:
		return "Lotus Notes Server service"
	case 0x30:
		return "Modem sharing server service"
	case 0x31:
		return "Modem sharing client service"
	case 0x43:
		return "SMS Clients Remote Control"
	case 0x44:
		return "SMS Administrators Remote Control Tool"
	case 0x45:
		return "SMS Clients Remote Chat"
	case 0x46:
		return "SMS Clients Remote Transfer"
	case 0x4c, 0x52:
		return "DEC Pathworks TCP/IP Service on Windows NT"
	case 0x6a:
		return "Microsoft Exchange IMC"
	case 0x87:
		return "Microsoft Exchange MTA"
	case 0xbe:
		return "Network Monitor Agent"
	case 0xbf:
		return "Network Monitor Analyzer"
	}
	return "Unknown"
}

// NBNSOpcodeName returns the name of NBNS opcode op, "" when unknown.
func NBNSOpcodeName(op uint8) string {
	switch op {
	case 0:
		return "Name query"
	case 5:
		return "Registration"
	case 6:
		return "Release"
	case 7:
		return "Wait for acknowledgment"
	case 8:
		return "Refresh"
	case 9:
		return "Refresh (alternate opcode)"
	case 15:
		return "Multi-homed registration"
	}
	return ""
}

func nbnsRcodeName(rc uint8) string {
	switch rc {
	case 1:
		return "Format error"
	case 2:
		return "Server failure"
	case 3:
		return "Name error"
	case 4:
		return "Unsupported request"
	case 5:
		return "Refused"
	case 6:
		return "Active error"
	case 7:
		return "Name in conflict"
	}
	return ""
}

func nbnsTypeName(t uint16) string {
	switch t {
	case 1:
		return "A"
	case 2:
		return "NS"
	case 10:
		return "NULL"
	case 32:
		return "NB"
	case 33:
		return "NBSTAT"
	}
	return ""
}

// appendNBNSInfo writes Wireshark's Info text: the opcode, " response" and
// the error of a response, then each question ("NB WPAD<00>") and answer
// ("NB 10.0.0.1", "NBSTAT").
func appendNBNSInfo(dst []byte, m *NBNS) []byte {
	op := uint8(m.Flags >> 11 & 0xf)
	if s := NBNSOpcodeName(op); s != "" {
		dst = append(dst, s...)
	} else {
		dst = append(dst, "Unknown operation ("...)
		dst = strconv.AppendUint(dst, uint64(op), 10)
		dst = append(dst, ')')
	}
	resp := m.Flags&0x8000 != 0
	if resp {
		dst = append(dst, " response"...)
		if rc := uint8(m.Flags & 0xf); rc != 0 {
			dst = append(dst, ", "...)
			if s := nbnsRcodeName(rc); s != "" {
				dst = append(dst, s...)
			} else {
				dst = append(dst, "Unknown error ("...)
				dst = strconv.AppendUint(dst, uint64(rc), 10)
				dst = append(dst, ')')
			}
		}
	}
	for i := range m.Records {
		r := &m.Records[i]
		if r.Section > 1 {
			break
		}
		dst = append(dst, ' ')
		if s := nbnsTypeName(r.Type); s != "" {
			dst = append(dst, s...)
		} else {
			dst = append(dst, "Unknown ("...)
			dst = strconv.AppendUint(dst, uint64(r.Type), 10)
			dst = append(dst, ')')
		}
		switch {
		case r.Section == 0:
			dst = append(dst, ' ')
			dst = append(dst, r.Name...)
		case r.Type == 32 && len(r.RData) >= 6:
			dst = append(dst, ' ')
			dst = appendIPv4(dst, r.RData[2:6])
		}
	}
	return dst
}

func appendIPv4(dst, b []byte) []byte {
	for i := 0; i < 4; i++ {
		if i > 0 {
			dst = append(dst, '.')
		}
		dst = strconv.AppendUint(dst, uint64(b[i]), 10)
	}
	return dst
}
