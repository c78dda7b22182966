package decode

// decodeSMB decodes an SMB (version 1) message.
func (d *Decoder) decodeSMB(f *Frame, msg []byte, track bool) {
}

var nbssTypeNames = map[byte]string{0: "Session message", 0x81: "Session request", 0x82: "Positive session response",
	0x83: "Negative session response", 0x84: "Retarget session response", 0x85: "Session keep-alive"}

// appendNBSSInfo appends the Info text of an NBSS message that carries no
// SMB: "Session request, to SCV<20> from DESKTOP<00>".
func appendNBSSInfo(dst, b []byte) []byte {
	if len(b) < 4 {
		return dst
	}
	if n := nbssTypeNames[b[0]]; n != "" {
		dst = append(dst, n...)
	} else {
		dst = append(dst, "Unknown NBSS message type"...)
	}
	if b[0] == 0x81 {
		if _, next := appendNBName(nil, b, 4); next > 0 {
			dst, _ = appendNBName(append(dst, ", to "...), b, 4)
			if _, n2 := appendNBName(nil, b, next); n2 > 0 {
				dst, _ = appendNBName(append(dst, " from "...), b, next)
			}
		}
	}
	return dst
}

// appendNBName appends the first-level encoded NetBIOS name at b[off:]
// ("NAME<xx>"); next is the offset after it, -1 when there is none.
func appendNBName(dst, b []byte, off int) ([]byte, int) {
	if off >= len(b) || b[off] != 32 || off+34 > len(b) {
		return dst, -1
	}
	enc := b[off+1 : off+33]
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
			dst = append(dst, c)
		} else {
			dst = appendNBHex(dst, c)
		}
	}
	dst = appendNBHex(dst, nb[15])
	next := off + 33
	for next < len(b) && b[next] != 0 { // scope labels
		next += 1 + int(b[next])
	}
	return dst, next + 1
}
