package decode

// ethMinLen is the least Ethernet frame without FCS; shorter payloads are
// padded up to it.
const ethMinLen = 60

// EthTrailer splits the bytes of an Ethernet frame after its network-layer
// packet as Wireshark does: zero padding up to the minimum frame size
// (eth.padding), anything else (eth.trailer, a TAP's or switch's added
// bytes), and in a frame of 64 bytes or more whose trailer has at least 4
// bytes, the last 4 as its frame check sequence (eth.fcs; Wireshark's
// guess, not verified). Behind a VLAN tag the trailer is the tag's
// (vlan.trailer), not reported here; behind PPPoE neither. All three alias
// f.Data; ok is false when the frame has no such bytes.
func (f *Frame) EthTrailer() (padding, trailer, fcs []byte, ok bool) {
	end, tagged, _ := f.ethPayloadEnd()
	if end < 0 || end >= len(f.Data) || len(f.Data) != f.Len {
		return nil, nil, nil, false
	}
	trailer = f.Data[end:]
	if n := ethMinLen - end; n > 0 {
		if n > len(trailer) {
			n = len(trailer)
		}
		zero := true
		for _, c := range trailer[:n] {
			zero = zero && c == 0
		}
		if zero {
			padding, trailer = trailer[:n], trailer[n:]
		}
	}
	if tagged {
		trailer = nil
	} else if len(trailer) >= 4 && len(f.Data) >= ethMinLen+4 {
		fcs, trailer = trailer[len(trailer)-4:], trailer[:len(trailer)-4]
	}
	return padding, trailer, fcs, len(padding)+len(trailer)+len(fcs) > 0
}

// ethBadPadding reports Wireshark's "Didn't find padding of zeros" note
// (add_ethernet_trailer): a frame of at least 60 bytes whose network-layer
// packet ends before byte 60, where the bytes that would pad it are not
// all zeros and a trailer is left after the assumed FCS (frames of 64
// bytes or more). lenField tells an 802.3 length frame (the note is then
// Ethernet's) from an EtherType one (the Ethertype dissector's).
func (f *Frame) ethBadPadding() (bad, lenField bool) {
	end, _, lenField := f.ethPayloadEnd()
	if end < 0 || end >= len(f.Data) || len(f.Data) != f.Len {
		return false, false
	}
	// A Linux cooked header counts as the 14-byte Ethernet header it
	// replaced, and its frames carry no FCS.
	shift, fcs := 0, true
	if f.Has(ProtoSLL) && len(f.Layers) > 1 && f.Layers[0].Proto == ProtoSLL {
		shift, fcs = f.Layers[1].Off-14, false // the cooked header's length, less 14
	}
	n, e := f.Len-shift, end-shift
	if n < ethMinLen || e >= ethMinLen || e < 0 {
		return false, false
	}
	trailer := f.Data[end:]
	for _, c := range trailer[:ethMinLen-e] {
		if c != 0 {
			k := len(trailer)
			if fcs && k >= 4 && n >= ethMinLen+4 {
				k -= 4
			}
			return k > 0, lenField
		}
	}
	return false, false
}

// ethPayloadEnd is the offset where an Ethernet (or Linux cooked) frame's
// network-layer packet ends, -1 when unknown; tagged when a VLAN tag or
// the cooked header holds the trailer, lenField for an 802.3 length.
func (f *Frame) ethPayloadEnd() (end int, tagged, lenField bool) {
	end = -1
	if !f.Has(ProtoEth) && !f.Has(ProtoSLL) {
		return
	}
	for _, l := range f.Layers {
		if l.Reasm || l.Dec {
			return -1, false, false
		}
		switch l.Proto {
		case ProtoEth:
			if l.Off != 0 {
				return -1, false, false
			}
			if b := f.LayerBytes(l); len(b) >= 14 && be16(b[12:]) <= 1500 {
				end, lenField = 14+int(be16(b[12:])), true
			}
		case ProtoSLL: // Linux cooked: padding only
			if l.Off != 0 {
				return -1, false, false
			}
			tagged = true
			continue
		case ProtoVLAN, ProtoIEEE8021AD:
			tagged = true
			if b := f.LayerBytes(l); len(b) >= 4 && be16(b[2:]) <= 1500 {
				end, lenField = l.Off+4+int(be16(b[2:])), true
			}
			continue
		case ProtoMPLS, ProtoPWEthCW:
			continue
		case ProtoPPPoE, ProtoPBB:
			return -1, false, false
		case ProtoIP:
			ip, ok := ParseIPv4(f.LayerBytes(l))
			if !ok || ip.Bogus || ip.TotalLen == 0 {
				return -1, false, false
			}
			end = l.Off + int(ip.TotalLen)
		case ProtoIPv6:
			ip, ok := ParseIPv6(f.LayerBytes(l))
			if !ok || ip.PayloadLen == 0 {
				return -1, false, false
			}
			end = l.Off + 40 + int(ip.PayloadLen)
		case ProtoARP:
			end = l.Off + l.Len
		}
		if end >= 0 || l.Proto != ProtoEth && l.Proto != ProtoFrame {
			break
		}
	}
	return end, tagged, lenField
}
