package decode

import "strconv"

// IGMP (RFC 1112, 2236, 3376), IP protocol 2. Wireshark's IGMP dissector
// hands the message to a per-version one of the same name, so the frame
// shows "igmp" twice; so does this (two Layers).

// IGMPVersion returns the IGMP version of message b (1, 2 or 3; 0 for types
// this does not know), as Wireshark tells them apart.
func IGMPVersion(b []byte) uint8 {
	if len(b) < 1 {
		return 0
	}
	switch b[0] {
	case 0x11:
		switch {
		case len(b) >= 12:
			return 3
		case len(b) >= 2 && b[1] == 0:
			return 1
		}
		return 2
	case 0x12:
		return 1
	case 0x16, 0x17:
		return 2
	case 0x22:
		return 3
	}
	return 0
}

func (d *Decoder) decodeIGMP(f *Frame, b []byte, off int, reasm bool) bool {
	if d.opts.SkipApp&AppOther != 0 || off >= len(b) {
		return false
	}
	n := len(b) - off
	if IGMPVersion(b[off:]) == 0 {
		return false
	}
	f.addLayer(ProtoIGMP, off, n, reasm)
	f.addLayer(ProtoIGMP, off, n, reasm)
	return true
}

// appendIGMPInfo writes Wireshark's Info text, for example "Membership
// Report / Join group 224.0.0.251 for any sources" or "Leave Group
// 224.0.0.251".
func appendIGMPInfo(dst []byte, b []byte) []byte {
	v := IGMPVersion(b)
	group := func(dst []byte, o int) []byte {
		if o+4 > len(b) {
			return dst
		}
		return appendIPv4(dst, b[o:o+4])
	}
	switch {
	case b[0] == 0x11 && v == 1:
		return append(dst, "Membership Query"...)
	case b[0] == 0x12:
		return append(dst, "Membership Report"...)
	case b[0] == 0x11:
		dst = append(dst, "Membership Query, "...)
		if len(b) < 8 || be32(b[4:]) == 0 {
			dst = append(dst, "general"...)
		} else {
			dst = append(dst, "specific for group "...)
			dst = group(dst, 4)
		}
		if v == 3 && len(b) >= 12 {
			if ns := int(be16(b[10:])); ns > 0 {
				dst = append(dst, ", source {"...)
				for i := 0; i < ns && 12+4*i+4 <= len(b); i++ {
					if i > 0 {
						dst = append(dst, ", "...)
					}
					dst = group(dst, 12+4*i)
				}
				dst = append(dst, '}')
			}
		}
		return dst
	case b[0] == 0x16:
		dst = append(dst, "Membership Report group "...)
		return group(dst, 4)
	case b[0] == 0x17:
		dst = append(dst, "Leave Group "...)
		return group(dst, 4)
	case b[0] == 0x22:
		dst = append(dst, "Membership Report"...)
		if len(b) < 8 {
			return dst
		}
		o := 8
		for r := 0; r < int(be16(b[6:])) && o+8 <= len(b); r++ {
			rt, aux, ns := b[o], int(b[o+1]), int(be16(b[o+2:]))
			dst = append(dst, " / "...)
			if ns == 0 {
				switch rt {
				case 1, 3:
					dst = append(dst, "Leave group "...)
					dst = group(dst, o+4)
				case 2, 4:
					dst = append(dst, "Join group "...)
					dst = group(dst, o+4)
					dst = append(dst, " for any sources"...)
				default:
					dst = append(dst, "Group "...)
					dst = group(dst, o+4)
				}
			} else {
				switch rt {
				case 1, 3, 5:
					dst = append(dst, "Join group "...)
					dst = group(dst, o+4)
					dst = append(dst, " for source"...)
				case 2, 4, 6:
					dst = append(dst, "Join group "...)
					dst = group(dst, o+4)
					dst = append(dst, ", except source"...)
				}
				if ns > 1 {
					dst = append(dst, 's')
				}
				dst = append(dst, " {"...)
				for i := 0; i < ns && o+8+4*i+4 <= len(b); i++ {
					if i > 0 {
						dst = append(dst, ", "...)
					}
					dst = group(dst, o+8+4*i)
				}
				dst = append(dst, '}')
			}
			o += 8 + 4*ns + 4*aux
		}
		return dst
	}
	dst = append(dst, "Unknown Type:0x"...)
	return strconv.AppendUint(dst, uint64(b[0]), 16)
}
