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
	if !f.Has(ProtoEth) && !f.Has(ProtoSLL) {
		return nil, nil, nil, false
	}
	end, tagged := -1, false
	for _, l := range f.Layers {
		if l.Reasm || l.Dec {
			return nil, nil, nil, false
		}
		switch l.Proto {
		case ProtoEth:
			if l.Off != 0 {
				return nil, nil, nil, false
			}
			if b := f.LayerBytes(l); len(b) >= 14 && be16(b[12:]) <= 1500 {
				end = 14 + int(be16(b[12:]))
			}
		case ProtoSLL: // Linux cooked: padding only
			if l.Off != 0 {
				return nil, nil, nil, false
			}
			tagged = true
			continue
		case ProtoVLAN, ProtoIEEE8021AD:
			tagged = true
			if b := f.LayerBytes(l); len(b) >= 4 && be16(b[2:]) <= 1500 {
				end = l.Off + 4 + int(be16(b[2:]))
			}
			continue
		case ProtoMPLS, ProtoPWEthCW:
			continue
		case ProtoPPPoE, ProtoPBB:
			return nil, nil, nil, false
		case ProtoIP:
			ip, ok := ParseIPv4(f.LayerBytes(l))
			if !ok || ip.Bogus || ip.TotalLen == 0 {
				return nil, nil, nil, false
			}
			end = l.Off + int(ip.TotalLen)
		case ProtoIPv6:
			ip, ok := ParseIPv6(f.LayerBytes(l))
			if !ok || ip.PayloadLen == 0 {
				return nil, nil, nil, false
			}
			end = l.Off + 40 + int(ip.PayloadLen)
		case ProtoARP:
			end = l.Off + l.Len
		}
		if end >= 0 || l.Proto != ProtoEth && l.Proto != ProtoFrame {
			break
		}
	}
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
