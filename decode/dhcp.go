package decode

import "strconv"

// DHCP and BOOTP (RFC 2131/951) on UDP ports 67 and 68. The fixed header is
// 236 bytes; the options follow the magic cookie 99.130.83.99.

// DHCPHeaderLen is the length of the BOOTP fixed header.
const DHCPHeaderLen = 236

// DHCPCookie is the DHCP magic cookie that starts the options.
const DHCPCookie = 0x63825363

// decodeDHCP records p as a BOOTP/DHCP message. Wireshark dissects every
// datagram on the BOOTP ports as BOOTP; so does this (a short one is
// malformed).
func decodeDHCP(f *Frame, p []byte) bool {
	if len(p) == 0 {
		return false
	}
	f.Present.Add(ProtoDHCP)
	f.addAppLayer(ProtoDHCP, p)
	if len(p) < DHCPHeaderLen && f.CapLen >= f.Len {
		f.anomaly(ProtoDHCP, f.appOff(p), "DHCP message truncated")
	}
	return true
}

// DHCPOptionsStart returns the offset of the first option of the BOOTP
// message b (after the cookie) and whether b has the DHCP cookie. Without
// it, the 64-byte vendor area is skipped, as in Wireshark.
func DHCPOptionsStart(b []byte) (int, bool) {
	if len(b) >= DHCPHeaderLen+4 && be32(b[DHCPHeaderLen:]) == DHCPCookie {
		return DHCPHeaderLen + 4, true
	}
	return DHCPHeaderLen + 64, false
}

// DHCPOption is one option of a DHCP message.
type DHCPOption struct {
	Code  uint8
	Len   int    // declared length (0 for Pad and End)
	Value []byte // the value bytes present (may be shorter than Len)
	Off   int    // offset of the code byte in the message
}

// NextDHCPOption returns the option at offset i of message b and the offset
// of the next one; ok is false at the end of the options (after End, or at
// the end of b). A Pad run is one option with code 0 whose Len is the run
// length.
func NextDHCPOption(b []byte, i int) (o DHCPOption, next int, ok bool) {
	if i < 0 || i >= len(b) {
		return o, i, false
	}
	o.Code, o.Off = b[i], i
	switch o.Code {
	case 255:
		return o, len(b), true
	case 0:
		j := i
		for j < len(b) && b[j] == 0 {
			j++
		}
		o.Len = j - i
		o.Value = b[i:j]
		return o, j, true
	}
	if i+1 >= len(b) {
		return o, len(b), true
	}
	o.Len = int(b[i+1])
	end := i + 2 + o.Len
	if end > len(b) {
		end = len(b)
	}
	o.Value = b[i+2 : end]
	return o, i + 2 + o.Len, true
}

// DHCPMessageType returns the value of option 53 of message b, 0 if absent.
func DHCPMessageType(b []byte) uint8 {
	i, cookie := DHCPOptionsStart(b)
	if !cookie {
		return 0
	}
	for {
		o, next, ok := NextDHCPOption(b, i)
		if !ok || o.Code == 255 {
			return 0
		}
		if o.Code == 53 && len(o.Value) >= 1 {
			return o.Value[0]
		}
		i = next
	}
}

var dhcpTypeNames = [...]string{1: "Discover", 2: "Offer", 3: "Request", 4: "Decline", 5: "ACK", 6: "NAK",
	7: "Release", 8: "Inform", 9: "Force Renew", 10: "Lease query", 11: "Lease Unassigned", 12: "Lease Unknown",
	13: "Lease Active", 14: "Bulk Lease Query", 15: "Lease Query Done", 16: "Active LeaseQuery",
	17: "Lease Query Status", 18: "TLS"}

// DHCPTypeName returns the name of DHCP message type t, "" when unknown.
func DHCPTypeName(t uint8) string {
	if int(t) < len(dhcpTypeNames) {
		return dhcpTypeNames[t]
	}
	return ""
}

func dhcpProtoColumn(b []byte) string {
	if DHCPMessageType(b) != 0 {
		return "DHCP"
	}
	return "BOOTP"
}

// appendDHCPInfo writes Wireshark's Info text: "DHCP Discover - Transaction
// ID 0x3d1d" (the type name padded to 8), or for BOOTP "Boot Request from
// MAC (MAC)" / "Boot Reply".
func appendDHCPInfo(dst []byte, b []byte) []byte {
	if t := DHCPMessageType(b); t != 0 && len(b) >= 8 {
		dst = append(dst, "DHCP "...)
		n := len(dst)
		if s := DHCPTypeName(t); s != "" {
			dst = append(dst, s...)
		} else {
			dst = append(dst, "Unknown Message Type (0x"...)
			dst = strconv.AppendUint(dst, uint64(t), 16)
			dst = append(dst, ')')
		}
		for len(dst)-n < 8 {
			dst = append(dst, ' ')
		}
		dst = append(dst, " - Transaction ID 0x"...)
		return strconv.AppendUint(dst, uint64(be32(b[4:])), 16)
	}
	switch b[0] {
	case 1:
		if len(b) < 3 {
			return append(dst, "Boot Request"...)
		}
		htype, hlen := b[1], int(b[2])
		dst = append(dst, "Boot Request from "...)
		if 28+hlen > len(b) {
			return dst
		}
		mac := b[28 : 28+hlen]
		if (htype == 1 || htype == 6) && hlen == 6 {
			dst = AppendMAC(dst, mac)
			dst = append(dst, " ("...)
			dst = AppendMAC(dst, mac)
			return append(dst, ')')
		}
		if hlen == 0 {
			return append(dst, "<MISSING>"...)
		}
		return AppendMAC(dst, mac)
	case 2:
		return append(dst, "Boot Reply"...)
	}
	dst = append(dst, "Unknown BOOTP message type ("...)
	dst = strconv.AppendUint(dst, uint64(b[0]), 10)
	return append(dst, ')')
}

// DHCPSecs returns the seconds-elapsed field of message b. Some clients
// write it little-endian; like Wireshark, a big-endian value above 255 whose
// low byte is zero is read as little-endian (DHCPSecsLE reports it).
func DHCPSecs(b []byte) uint16 {
	v := be16(b[8:])
	if DHCPSecsLE(b) {
		return v >> 8
	}
	return v
}

// DHCPSecsLE reports whether message b's seconds-elapsed field looks
// little-endian (see DHCPSecs).
func DHCPSecsLE(b []byte) bool {
	v := be16(b[8:])
	return v > 0xff && v&0xff == 0
}
