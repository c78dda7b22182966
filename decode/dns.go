package decode

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"unicode/utf8"
)

// DNS record types used by the decoder (Wireshark's dns.qry.type values).
const (
	DNSTypeA     uint16 = 1
	DNSTypeNS    uint16 = 2
	DNSTypeCNAME uint16 = 5
	DNSTypeSOA   uint16 = 6
	DNSTypePTR   uint16 = 12
	DNSTypeMX    uint16 = 15
	DNSTypeTXT   uint16 = 16
	DNSTypeAAAA  uint16 = 28
	DNSTypeSRV   uint16 = 33
	DNSTypeOPT   uint16 = 41
	DNSTypeNSEC  uint16 = 47
)

const (
	dnsHeaderLen = 12
	dnsMaxName   = 255 // MAX_DNAME_LEN: longer names print as "<Name too long>"
	dnsMaxJumps  = 64  // compression pointers followed per name (loop protection)
	dnsMaxRRs    = 512 // questions + records kept per message; the rest is counted, not stored
)

// Name decoding outcomes besides success.
const (
	dnsNameOK = iota
	dnsNameTruncated
	dnsNameLoop
	dnsNameBadLabel
)

var (
	dnsRootName    = []byte("<Root>")
	dnsTooLongName = []byte("<Name too long>")
	dnsLoopName    = []byte("<Name contains a pointer that loops>")
)

// decodeDNS dissects a DNS message; overTCP means b starts with the 2-byte length.
func (d *Decoder) decodeDNS(f *Frame, b []byte, overTCP bool) bool {
	whole := b
	if overTCP {
		if len(b) < 2 {
			return false
		}
		n := int(binary.BigEndian.Uint16(b))
		if n < dnsHeaderLen || len(b)-2 < n {
			// Incomplete message: the flow package reassembles it and calls DecodeStream.
			return false
		}
		b = b[2 : 2+n]
		whole = whole[:2+n]
	}
	if len(b) < dnsHeaderLen {
		return false
	}
	parseDNS(f, b)
	if f.DNS.Malformed && f.CapLen < f.Len && !overTCP {
		// the snapshot length, not the sender, cut the message
		f.DNS.Malformed, f.DNS.Cut = false, true
	}
	f.DNS.TCP = overTCP
	f.Present.Add(ProtoDNS)
	f.addAppLayer(ProtoDNS, whole)
	if f.DNS.Malformed {
		f.Anomalies = append(f.Anomalies, Anomaly{Proto: ProtoDNS, Off: f.appOff(b), Msg: "DNS message shorter than its counts and lengths say"})
	}
	return true
}

// DNSTCPMessageLen returns the length of the DNS-over-TCP message (including
// its 2-byte length prefix) that starts at b, or 0 when b is too short to say.
// Package flow uses it to decide how many bytes to reassemble.
func DNSTCPMessageLen(b []byte) int {
	if len(b) < 2 {
		return 0
	}
	return 2 + int(binary.BigEndian.Uint16(b))
}

// parseDNS fills f.DNS from the message msg (len(msg) >= 12). Names go to f.scratch.
func parseDNS(f *Frame, msg []byte) {
	dns := &f.DNS
	qs, rrs := dns.Questions[:0], dns.Answers[:0]
	*dns = DNS{}
	dns.Len = len(msg)
	dns.ID = binary.BigEndian.Uint16(msg[0:])
	dns.Flags = binary.BigEndian.Uint16(msg[2:])
	dns.Response = dns.Flags&0x8000 != 0
	dns.Opcode = uint8(dns.Flags>>11) & 0xf
	dns.Rcode = uint8(dns.Flags & 0xf)
	dns.QDCount = binary.BigEndian.Uint16(msg[4:])
	dns.ANCount = binary.BigEndian.Uint16(msg[6:])
	dns.NSCount = binary.BigEndian.Uint16(msg[8:])
	dns.ARCount = binary.BigEndian.Uint16(msg[10:])

	off := dnsHeaderLen
	ok := true
	for i := 0; i < int(dns.QDCount); i++ {
		name, next, st := f.dnsName(msg, off)
		if st != dnsNameOK || next+4 > len(msg) || bytes.Equal(name, dnsTooLongName) {
			// Keep what could be read for display, as tshark does; it
			// stops after a name that is too long.
			if bytes.Equal(name, dnsTooLongName) && len(qs) < dnsMaxRRs {
				// (a name cut short, or one without its type and
				// class, shows nothing: tshark's exception comes
				// before the Info text)
				qs = append(qs, DNSQuestion{Name: name})
			}
			ok = false
			break
		}
		if len(qs) < dnsMaxRRs {
			qs = append(qs, DNSQuestion{
				Name:  name,
				Type:  binary.BigEndian.Uint16(msg[next:]),
				Class: binary.BigEndian.Uint16(msg[next+2:]),
			})
		}
		off = next + 4
	}
	counts := [3]uint16{dns.ANCount, dns.NSCount, dns.ARCount}
	for sec := 0; ok && sec < 3; sec++ {
		for i := 0; i < int(counts[sec]); i++ {
			name, next, st := f.dnsName(msg, off)
			if st != dnsNameOK || next+10 > len(msg) {
				ok = false
				break
			}
			rr := DNSRR{
				Section: uint8(sec + 1),
				Name:    name,
				Type:    binary.BigEndian.Uint16(msg[next:]),
				Class:   binary.BigEndian.Uint16(msg[next+2:]),
				TTL:     binary.BigEndian.Uint32(msg[next+4:]),
			}
			rdlen := int(binary.BigEndian.Uint16(msg[next+8:]))
			rdOff := next + 10
			if rdOff+rdlen > len(msg) {
				ok = false
				break
			}
			rr.RData = msg[rdOff : rdOff+rdlen : rdOff+rdlen]
			f.dnsRData(msg, rdOff, &rr)
			if rr.Type == DNSTypeOPT {
				dns.EDNS = true
				dns.EDNSUDPSize = rr.Class
				dns.EDNSExtRcode = uint8(rr.TTL >> 24)
				dns.EDNSVersion = uint8(rr.TTL >> 16)
				dns.EDNSDO = rr.TTL&0x8000 != 0
			}
			if len(qs)+len(rrs) < dnsMaxRRs {
				rrs = append(rrs, rr)
			}
			off = rdOff + rdlen
		}
	}
	dns.Malformed = !ok
	dns.Questions, dns.Answers = qs, rrs
}

// dnsRData decodes the type-specific part of rr whose data starts at off in msg.
func (f *Frame) dnsRData(msg []byte, off int, rr *DNSRR) {
	rd := rr.RData
	switch rr.Type {
	case DNSTypeA:
		if len(rd) == 4 {
			rr.Addr = netip.AddrFrom4([4]byte(rd))
		}
	case DNSTypeAAAA:
		if len(rd) == 16 {
			rr.Addr = netip.AddrFrom16([16]byte(rd))
		}
	case DNSTypeNS, DNSTypeCNAME, DNSTypePTR, DNSTypeNSEC:
		if len(rd) > 0 {
			rr.Target, _, _ = f.dnsName(msg[:off+len(rd)], off)
		}
	case DNSTypeMX:
		if len(rd) >= 3 {
			rr.Pref = binary.BigEndian.Uint16(rd)
			rr.Target, _, _ = f.dnsName(msg[:off+len(rd)], off+2)
		}
	case DNSTypeSRV:
		if len(rd) >= 7 {
			rr.Target, _, _ = f.dnsName(msg[:off+len(rd)], off+6)
		}
	case DNSTypeSOA:
		if len(rd) > 0 {
			end := msg[:off+len(rd)]
			var next int
			rr.Target, next, _ = f.dnsName(end, off)
			if next > 0 && next < len(end) {
				rr.Target2, _, _ = f.dnsName(end, next)
			}
		}
	}
}

// dnsName expands the possibly compressed name at off in msg into f.scratch.
// It returns the name (nil when nothing could be read), the offset just past
// the name at its original position (-1 when unknown) and a status. Names
// longer than 255 bytes read as "<Name too long>"; the empty name as "<Root>".
func (f *Frame) dnsName(msg []byte, off int) (name []byte, next int, status int) {
	start := len(f.scratch)
	next = -1
	wire := 0 // wire length of the name so far (labels + length bytes)
	jumps := 0
	p := off
	tooLong := false
	for {
		if p < 0 || p >= len(msg) {
			status = dnsNameTruncated
			break
		}
		c := int(msg[p])
		if c == 0 {
			if next < 0 {
				next = p + 1
			}
			break
		}
		if c&0xc0 == 0xc0 {
			if p+2 > len(msg) {
				status = dnsNameTruncated
				break
			}
			if next < 0 {
				next = p + 2
			}
			jumps++
			if jumps > dnsMaxJumps {
				status = dnsNameLoop
				break
			}
			p = int(binary.BigEndian.Uint16(msg[p:]) & 0x3fff)
			continue
		}
		if c&0xc0 != 0 {
			status = dnsNameBadLabel
			break
		}
		if p+1+c > len(msg) {
			status = dnsNameTruncated
			break
		}
		wire += c + 1
		if wire > dnsMaxName {
			tooLong = true
		}
		if !tooLong {
			if len(f.scratch) > start {
				f.scratch = append(f.scratch, '.')
			}
			f.scratch = appendLabel(f.scratch, msg[p+1:p+1+c])
		}
		p += 1 + c
	}
	switch {
	case status == dnsNameLoop:
		// Wireshark names the problem and goes on after the first pointer.
		f.scratch = append(f.scratch[:start], dnsLoopName...)
		status = dnsNameOK
	case tooLong:
		f.scratch = append(f.scratch[:start], dnsTooLongName...)
	case len(f.scratch) == start && status == dnsNameOK:
		f.scratch = append(f.scratch, dnsRootName...)
	}
	if len(f.scratch) == start && status != dnsNameOK {
		return nil, next, status
	}
	return f.scratch[start:len(f.scratch):len(f.scratch)], next, status
}

// appendLabel appends a label as tshark prints it: printable ASCII and valid
// UTF-8 as they are, BEL, BS, TAB, LF, VT, FF, CR as \a \b \t \n \v \f \r
// and other bytes as \ooo (Wireshark's format_text; tshark shows bytes that
// are not UTF-8 as U+FFFD, the octal escape keeps them).
func appendLabel(dst, label []byte) []byte {
	for i := 0; i < len(label); {
		c := label[i]
		if c >= 0x20 && c < 0x7f {
			dst = append(dst, c)
			i++
			continue
		}
		if c >= 0x80 {
			if r, n := utf8.DecodeRune(label[i:]); r != utf8.RuneError && n > 1 {
				dst = AppendDisplayText(dst, label[i:i+n]) // a C1 or format character as \uXXXX
				i += n
				continue
			}
		}
		if c < 0x20 {
			dst = appendControl(dst, c)
		} else {
			dst = append(dst, '\\', '0'+c>>6, '0'+(c>>3)&7, '0'+c&7)
		}
		i++
	}
	return dst
}

// DNSTypeName returns Wireshark's short name for a DNS record type ("A",
// "CNAME", ...), or "" when it has none.
func DNSTypeName(t uint16) string {
	if int(t) < len(dnsTypeNames) {
		return dnsTypeNames[t]
	}
	switch t {
	case 99:
		return "SPF"
	case 249:
		return "TKEY"
	case 250:
		return "TSIG"
	case 251:
		return "IXFR"
	case 252:
		return "AXFR"
	case 253:
		return "MAILB"
	case 254:
		return "MAILA"
	case 255:
		return "ANY"
	case 256:
		return "URI"
	case 257:
		return "CAA"
	case 32768:
		return "TA"
	case 32769:
		return "DLV"
	}
	return ""
}

var dnsTypeNames = [...]string{
	0: "Unused", 1: "A", 2: "NS", 3: "MD", 4: "MF", 5: "CNAME", 6: "SOA", 7: "MB", 8: "MG", 9: "MR",
	10: "NULL", 11: "WKS", 12: "PTR", 13: "HINFO", 14: "MINFO", 15: "MX", 16: "TXT", 17: "RP", 18: "AFSDB",
	19: "X25", 20: "ISDN", 21: "RT", 22: "NSAP", 23: "NSAP-PTR", 24: "SIG", 25: "KEY", 26: "PX", 27: "GPOS",
	28: "AAAA", 29: "LOC", 30: "NXT", 31: "EID", 32: "NIMLOC", 33: "SRV", 34: "ATMA", 35: "NAPTR", 36: "KX",
	37: "CERT", 38: "A6", 39: "DNAME", 40: "SINK", 41: "OPT", 42: "APL", 43: "DS", 44: "SSHFP",
	45: "IPSECKEY", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 49: "DHCID", 50: "NSEC3", 51: "NSEC3PARAM",
	52: "TLSA", 53: "SMIMEA", 55: "HIP", 56: "NINFO", 57: "RKEY", 58: "TALINK", 59: "CDS", 60: "CDNSKEY",
	61: "OPENPGPKEY", 62: "CSYNC", 63: "ZONEMD", 64: "SVCB", 65: "HTTPS",
}

// DNSOpcodeName returns Wireshark's text for a DNS opcode.
func DNSOpcodeName(op uint8) string {
	switch op {
	case 0:
		return "Standard query"
	case 1:
		return "Inverse query"
	case 2:
		return "Server status request"
	case 4:
		return "Zone change notification"
	case 5:
		return "Dynamic update"
	case 6:
		return "DNS Stateful operations (DSO)"
	}
	return ""
}

// DNSRcodeName returns Wireshark's text for a DNS reply code.
func DNSRcodeName(rc uint16) string {
	switch rc {
	case 0:
		return "No error"
	case 1:
		return "Format error"
	case 2:
		return "Server failure"
	case 3:
		return "No such name"
	case 4:
		return "Not implemented"
	case 5:
		return "Refused"
	case 6:
		return "Name exists"
	case 7:
		return "RRset exists"
	case 8:
		return "RRset does not exist"
	case 9:
		return "Not authoritative"
	case 10:
		return "Name out of zone"
	case 11:
		return "DSO-Type not implemented"
	case 16:
		return "Bad OPT Version OR TSIG Signature Failure"
	case 17:
		return "Key not recognised"
	case 18:
		return "Signature out of time window"
	case 19:
		return "Bad TKEY Mode"
	case 20:
		return "Duplicate key name"
	case 21:
		return "Algorithm not supported"
	case 22:
		return "Bad Truncation"
	case 23:
		return "Bad/missing Server Cookie"
	}
	return ""
}
