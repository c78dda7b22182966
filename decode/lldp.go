package decode

import "strconv"

// LLDP (IEEE 802.1AB, EtherType 0x88cc) and CDP (Cisco, SNAP OUI 0x00000c
// type 0x2000): neighbour announcements, both lists of TLVs.

func decodeLLDP(f *Frame, b []byte, off int) bool {
	f.addLayer(ProtoLLDP, off, len(b)-off, false)
	return true
}

func decodeCDP(f *Frame, b []byte, off int) bool {
	if len(b)-off < 4 {
		return false
	}
	f.addLayer(ProtoCDP, off, len(b)-off, false)
	return true
}

// EachLLDPTLV calls fn with each TLV of LLDPDU b (type, value) up to and
// including End (type 0).
func EachLLDPTLV(b []byte, fn func(typ uint8, v []byte) bool) {
	for len(b) >= 2 {
		t, n := b[0]>>1, int(be16(b)&0x1ff)
		end := 2 + n
		if end > len(b) {
			end = len(b)
		}
		if !fn(t, b[2:end]) || t == 0 {
			return
		}
		b = b[end:]
	}
}

// EachCDPTLV calls fn with each TLV of CDP message b (after its 4-byte header).
func EachCDPTLV(b []byte, fn func(typ uint16, v []byte) bool) {
	if len(b) < 4 {
		return
	}
	for b = b[4:]; len(b) >= 4; {
		t, n := be16(b), int(be16(b[2:]))
		if n < 4 {
			return
		}
		end := n
		if end > len(b) {
			end = len(b)
		}
		if !fn(t, b[4:end]) {
			return
		}
		b = b[end:]
	}
}

var lldpChassisAbbr = [...]string{"", "CO", "IA", "PC", "MA", "NA", "IN", "LA"}
var lldpPortAbbr = [...]string{"", "IA", "PC", "MA", "NA", "IN", "AC", "LA"}

// appendLLDPID appends a chassis or port ID of subtype st as Wireshark
// prints it in the Info column.
func appendLLDPID(dst []byte, abbr string, st byte, id []byte, macSub, netSub byte) []byte {
	if abbr != "" {
		dst = append(dst, abbr...)
		dst = append(dst, '/')
	}
	switch {
	case st == macSub && len(id) == 6:
		return AppendMAC(dst, id)
	case st == netSub && len(id) == 5 && id[0] == 1:
		return appendIPv4(dst, id[1:])
	}
	return append(dst, id...)
}

// appendLLDPInfo writes Wireshark's Info text: "MA/08:00:27:1f:08:22
// IN/Ethernet1 120 SysN=rtr01 SysD=... " (each item followed by a space).
func appendLLDPInfo(dst []byte, b []byte) []byte {
	EachLLDPTLV(b, func(t uint8, v []byte) bool {
		switch t {
		case 1, 2:
			if len(v) < 1 {
				return true
			}
			abbr := ""
			if t == 1 && int(v[0]) < len(lldpChassisAbbr) {
				abbr = lldpChassisAbbr[v[0]]
				dst = appendLLDPID(dst, abbr, v[0], v[1:], 4, 5)
			} else if t == 2 && int(v[0]) < len(lldpPortAbbr) {
				abbr = lldpPortAbbr[v[0]]
				dst = appendLLDPID(dst, abbr, v[0], v[1:], 3, 4)
			} else {
				dst = append(dst, v[1:]...)
			}
			dst = append(dst, ' ')
		case 3:
			if len(v) >= 2 {
				dst = strconv.AppendUint(dst, uint64(be16(v)), 10)
				dst = append(dst, ' ')
			}
		case 5:
			dst = append(dst, "SysN="...)
			dst = append(dst, v...)
			dst = append(dst, ' ')
		case 6:
			dst = append(dst, "SysD="...)
			dst = append(dst, v...)
			dst = append(dst, ' ')
		}
		return true
	})
	return dst
}

// appendCDPInfo writes Wireshark's Info text: "Device ID: S1  Port ID:
// FastEthernet0/13  ".
func appendCDPInfo(dst []byte, b []byte) []byte {
	EachCDPTLV(b, func(t uint16, v []byte) bool {
		switch t {
		case 1:
			dst = append(dst, "Device ID: "...)
			dst = append(dst, v...)
			dst = append(dst, "  "...)
		case 3:
			dst = append(dst, "Port ID: "...)
			dst = append(dst, v...)
			dst = append(dst, "  "...)
		}
		return true
	})
	return dst
}
