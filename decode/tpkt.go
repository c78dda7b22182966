package decode

import "bytes"

// TPKT (RFC 1006, ISO transport over TCP) on port 3389 with the COTP
// (ISO 8073/X.224) TPDU it carries and, in Connection Request and Confirm
// TPDUs, the RDP negotiation (MS-RDPBCGR 2.2.1.1 and 2.2.1.2), as Wireshark
// 4.0 shows them. Bytes that are not a TPKT header on the port (the TLS
// that RDP switches to) are TPKT "Continuation", as Wireshark's TPKT
// dissector names them; TLS is not looked for there. The MCS connect
// PDUs inside COTP data (T.125/T.124) are only named, not decoded.

// TPKTPort is RDP's TCP port, where Wireshark's TPKT dissector listens.
const TPKTPort = 3389

// COTP is the COTP TPDU of a TPKT segment.
type COTP struct {
	LI      uint8
	Type    uint8 // the TPDU code (high nibble of the second byte): 0xe CR, 0xd CC, 0xf DT ...
	Payload []byte
}

// tpktHeader reports whether p starts with a TPKT header (version 3) and
// returns the packet's length.
func tpktHeader(p []byte) (int, bool) {
	if len(p) < 4 || p[0] != 3 {
		return 0, false
	}
	n := int(be16(p[2:]))
	return n, n >= 4
}

// decodeTPKT decodes p on TPKTPort: TPKT packets with their COTP TPDU, or
// continuation bytes.
func (d *Decoder) decodeTPKT(f *Frame, p []byte) bool {
	f.Present.Add(ProtoTPKT)
	n, ok := tpktHeader(p)
	if !ok {
		f.addAppLayer(ProtoTPKT, p)
		return true
	}
	n = min(n, len(p))
	f.addAppLayer(ProtoTPKT, p[:n])
	c := p[4:n]
	if len(c) < 2 || int(c[0])+1 > len(c) {
		return true
	}
	f.Present.Add(ProtoCOTP)
	f.addAppLayer(ProtoCOTP, c)
	switch x, _ := ParseCOTP(c); {
	case (x.Type == 0xe || x.Type == 0xd) && len(x.Payload) > 0:
		// CR, CC: the RDP negotiation follows the fixed part.
		f.Present.Add(ProtoRDP)
		f.addAppLayer(ProtoRDP, x.Payload)
	case x.Type == 0xf && mcsConnect(x.Payload) != "":
		// RDP's fields of the MCS connect user data (not decoded): the
		// protocol is there, though frame.protocols names t125:t124.
		f.Present.Add(ProtoRDP)
		f.addAppLayer(ProtoRDP, x.Payload)
	}
	return true
}

// cotpFixedCR is the length of a CR or CC TPDU's fixed part (LI, code,
// references, class); Wireshark's RDP heuristic reads what follows.
const cotpFixedCR = 7

// ParseCOTP reads the COTP TPDU at the start of b (a COTP layer).
func ParseCOTP(b []byte) (COTP, bool) {
	if len(b) < 2 || int(b[0])+1 > len(b) {
		return COTP{}, false
	}
	c := COTP{LI: b[0], Type: b[1] >> 4, Payload: b[int(b[0])+1:]}
	if (c.Type == 0xe || c.Type == 0xd) && len(b) >= cotpFixedCR {
		c.Payload = b[cotpFixedCR:]
	}
	return c, true
}

// RDPNeg is the RDP part of a COTP Connection Request or Confirm.
type RDPNeg struct {
	Cookie []byte // "Cookie: mstshash=..." (without its CR LF), nil none
	Type   uint8  // 1 request, 2 response, 3 failure; 0 none
	Flags  uint8
	Length uint16
	Value  uint32 // requestedProtocols, selectedProtocol or failureCode
}

// ParseRDPNeg reads an RDP layer (the user data of a CR or CC TPDU).
func ParseRDPNeg(b []byte) RDPNeg {
	var r RDPNeg
	if bytes.HasPrefix(b, []byte("Cookie:")) {
		if i := bytes.Index(b, []byte("\r\n")); i >= 0 {
			r.Cookie, b = b[:i], b[i+2:]
		} else {
			r.Cookie, b = b, nil
		}
	}
	if len(b) >= 8 && b[0] >= 1 && b[0] <= 3 {
		r.Type, r.Flags, r.Length = b[0], b[1], le16(b[2:])
		r.Value = le32(b[4:])
	}
	return r
}

// mcsConnect names the MCS connect PDU (T.125) a DT TPDU carries: the
// user data Wireshark's RDP dissector shows as ClientData or ServerData.
func mcsConnect(b []byte) string {
	if len(b) >= 2 && b[0] == 0x7f {
		switch b[1] {
		case 0x65:
			return "ClientData"
		case 0x66:
			return "ServerData"
		}
	}
	return ""
}

// appendTPKTInfo writes the Info column of a frame whose highest layer is
// TPKT, COTP or RDP.
func (f *Frame) appendTPKTInfo(dst []byte) []byte {
	if l, ok := f.Layer(ProtoCOTP); ok {
		if c, _ := ParseCOTP(f.LayerBytes(l)); c.Type == 0xf {
			if m := mcsConnect(c.Payload); m != "" {
				return append(dst, m...)
			}
			return appendCOTPInfo(dst, c)
		}
	}
	if l, ok := f.Layer(ProtoRDP); ok {
		r := ParseRDPNeg(f.LayerBytes(l))
		if r.Cookie != nil {
			dst = AppendDisplayText(dst, r.Cookie)
		}
		var s string
		switch r.Type {
		case 1:
			s = "Negotiate Request"
		case 2:
			s = "Negotiate Response"
		case 3:
			s = "Negotiate Failure"
		}
		if s != "" {
			if r.Cookie != nil {
				dst = append(dst, ", "...)
			}
			dst = append(dst, s...)
		}
		return dst
	}
	if l, ok := f.Layer(ProtoCOTP); ok {
		c, _ := ParseCOTP(f.LayerBytes(l))
		if m := mcsConnect(c.Payload); m != "" && c.Type == 0xf {
			return append(dst, m...)
		}
		return appendCOTPInfo(dst, c)
	}
	return append(dst, "Continuation"...)
}

// appendCOTPInfo is COTP's Info for a TPDU no protocol above names.
func appendCOTPInfo(dst []byte, c COTP) []byte {
	switch c.Type {
	case 0xf:
		dst = append(dst, "DT TPDU ("...)
		if len(c.Payload) > 0 || c.LI >= 2 {
			dst = appendUint(dst, 0)
		}
		return append(dst, ')')
	case 0xe:
		return append(dst, "CR TPDU"...)
	case 0xd:
		return append(dst, "CC TPDU"...)
	case 0x8:
		return append(dst, "DR TPDU"...)
	}
	return dst
}

// tpktColumn is the Protocol column of a TPKT frame.
func (f *Frame) tpktColumn() string {
	if f.Has(ProtoRDP) {
		return "RDP"
	}
	if l, ok := f.Layer(ProtoCOTP); ok {
		if c, _ := ParseCOTP(f.LayerBytes(l)); c.Type == 0xf && mcsConnect(c.Payload) != "" {
			return "RDP"
		}
		return "COTP"
	}
	return "TPKT"
}

// appendTPKTProtocols writes frame.protocols for TPKT's layers from l on:
// a client's Connection Request is listed without "tpkt" by Wireshark 4.0
// (RDP's heuristic takes it), and MCS connect PDUs add t125:t124.
func (f *Frame) appendTPKTProtocols(l Layer, add func(string)) {
	switch l.Proto {
	case ProtoTPKT:
		if c, ok := f.Layer(ProtoCOTP); ok && f.Has(ProtoRDP) {
			if x, _ := ParseCOTP(f.LayerBytes(c)); x.Type == 0xe {
				return
			}
		}
		add("tpkt")
	case ProtoCOTP:
		add("cotp")
		if c, _ := ParseCOTP(f.LayerBytes(l)); c.Type == 0xf && mcsConnect(c.Payload) != "" {
			add("t125")
			add("t124")
		}
	case ProtoRDP:
		if c, ok := f.Layer(ProtoCOTP); ok {
			if x, _ := ParseCOTP(f.LayerBytes(c)); x.Type == 0xf {
				return // listed as t125:t124
			}
		}
		add("rdp")
	default:
		add(l.Proto.String())
	}
}
