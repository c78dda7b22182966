package decode

// OpenVPN on UDP 1194 as Wireshark 4.0 reads it: the opcode/key ID byte,
// then for control and ACK packets the session ID, a tls-auth HMAC when the
// bytes after the session ID look random (Wireshark's guess: at most one
// zero byte among the first four), packet ID and net time, the ACK array
// with the remote session ID, and the message packet ID. A P_CONTROL_V1
// payload that is not a 100-byte fragment is handed to TLS ("Continuation
// Data" when it starts no record, as with tls-crypt). Multi-fragment
// control messages are not reassembled.

// OpenVPN opcodes.
const (
	OpenVPNControlV1 = 4
	OpenVPNAckV1     = 5
	OpenVPNDataV1    = 6
	OpenVPNDataV2    = 9
	OpenVPNResetV3   = 10 // P_CONTROL_HARD_RESET_CLIENT_V3 (tls-crypt-v2)
	OpenVPNWKCV1     = 11 // P_CONTROL_WKC_V1
)

// OpenVPNMsg is the layout of an OpenVPN packet; offsets are -1 when absent.
type OpenVPNMsg struct {
	Opcode, KeyID uint8
	PeerID        int // P_DATA_V2 peer ID offset
	Session       int
	HMAC, HMACLen int
	PID, NetTime  int
	AckLen        int // offset of the ACK array length
	Acks          int // offset of the first ACK array element
	NAcks         int // elements present
	RSession      int
	MPID          int
	Data          int // start of the data, fragment or payload (len(b) when none)
	Cut           bool
}

// ParseOpenVPN lays out OpenVPN message b (without TCP's length prefix).
func ParseOpenVPN(b []byte) OpenVPNMsg {
	m := OpenVPNMsg{PeerID: -1, Session: -1, HMAC: -1, PID: -1, NetTime: -1, AckLen: -1, Acks: -1, RSession: -1, MPID: -1}
	if len(b) == 0 {
		m.Cut = true
		return m
	}
	m.Opcode, m.KeyID = b[0]>>3, b[0]&7
	off := 1
	need := func(n int) bool {
		if off+n > len(b) {
			m.Cut = true
			return false
		}
		return true
	}
	switch m.Opcode {
	case OpenVPNDataV2:
		if need(3) {
			m.PeerID = off
			off += 3
		}
	case OpenVPNDataV1:
	case OpenVPNResetV3, OpenVPNWKCV1:
		// tls-crypt-v2: session ID, packet ID, net time, 256-bit HMAC
		if !need(8) {
			break
		}
		m.Session, off = off, off+8
		if !need(8) {
			break
		}
		m.PID, m.NetTime, off = off, off+4, off+8
		if !need(32) {
			break
		}
		m.HMAC, m.HMACLen, off = off, 32, off+32
		if rest := len(b) - off; rest >= 2 {
			// the wrapped client key ends the packet, its length last
			if n := int(be16(b[len(b)-2:])); n > rest || n < 2 {
				m.Cut = true
			}
		}
	default:
		if !need(8) {
			break
		}
		m.Session, off = off, off+8
		if off < len(b) && b[off] > 0 && off+4 <= len(b) && openvpnHMACLike(be32(b[off:])) {
			if !need(20) {
				break
			}
			m.HMAC, m.HMACLen, off = off, 20, off+20
			if len(b)-off >= 8 {
				m.PID, m.NetTime, off = off, off+4, off+8
			}
		} else if off < len(b) && b[off] > 0 && off+4 > len(b) {
			m.Cut = true // the HMAC test reads four bytes
			break
		}
		if len(b)-off >= 1 {
			n := int(b[off])
			m.AckLen, off = off, off+1
			if n > 0 {
				m.Acks = off
				for i := 0; i < n; i++ {
					if !need(4) {
						break
					}
					m.NAcks++
					off += 4
				}
				if m.Cut {
					break
				}
				if len(b)-off >= 8 {
					m.RSession, off = off, off+8
				}
			}
		}
		if m.Opcode != OpenVPNAckV1 && len(b)-off >= 4 {
			m.MPID, off = off, off+4
		}
	}
	if off > len(b) {
		off = len(b)
	}
	m.Data = off
	return m
}

// openvpnHMACLike is Wireshark's check_for_valid_hmac: four bytes with at
// most one zero byte look like the start of an HMAC.
func openvpnHMACLike(v uint32) bool {
	z := 0
	for i := 0; i < 4; i++ {
		if v>>(8*i)&0xff == 0 {
			z++
		}
	}
	return z <= 1
}

// decodeOpenVPN records OpenVPN payload p (UDP) and hands a control
// message's payload to TLS.
func (d *Decoder) decodeOpenVPN(f *Frame, p []byte) bool {
	if len(p) == 0 {
		return false
	}
	f.setProto(ProtoOpenVPN)
	f.addAppLayer(ProtoOpenVPN, p)
	m := ParseOpenVPN(p)
	if m.Cut {
		f.anomaly(ProtoOpenVPN, f.appOff(p), "OpenVPN packet cut")
		return true
	}
	if m.Opcode != OpenVPNControlV1 || m.Data >= len(p) || len(p)-m.Data == 100 {
		return true
	}
	pl := p[m.Data:]
	if !d.decodeTLS(f, pl) {
		tlsContinuation(f, pl)
	}
	return true
}

// OpenVPNOpcodeName returns Wireshark's name of an OpenVPN opcode.
func OpenVPNOpcodeName(op uint8) string {
	switch op {
	case 1:
		return "P_CONTROL_HARD_RESET_CLIENT_V1"
	case 2:
		return "P_CONTROL_HARD_RESET_SERVER_V1"
	case 3:
		return "P_CONTROL_SOFT_RESET_V1"
	case 4:
		return "P_CONTROL_V1"
	case 5:
		return "P_ACK_V1"
	case 6:
		return "P_DATA_V1"
	case 7:
		return "P_CONTROL_HARD_RESET_CLIENT_V2"
	case 8:
		return "P_CONTROL_HARD_RESET_SERVER_V2"
	case 9:
		return "P_DATA_V2"
	case 10:
		return "P_CONTROL_HARD_RESET_CLIENT_V3"
	case 11:
		return "P_CONTROL_WKC_V1"
	}
	return ""
}

// appendOpenVPNInfo writes "MessageType: P_ACK_V1" (and a fragment's
// message packet ID).
func appendOpenVPNInfo(dst, b []byte) []byte {
	if len(b) == 0 {
		return dst
	}
	dst = append(dst, "MessageType: "...)
	if s := OpenVPNOpcodeName(b[0] >> 3); s != "" {
		dst = append(dst, s...)
	} else {
		dst = append(dst, "Unknown Messagetype"...)
	}
	if m := ParseOpenVPN(b); !m.Cut && m.Opcode == OpenVPNControlV1 && len(b)-m.Data == 100 && m.MPID >= 0 {
		dst = append(dst, " (Message fragment "...)
		dst = appendUint(dst, uint64(be32(b[m.MPID:])))
		dst = append(dst, ") "...)
	}
	return dst
}
