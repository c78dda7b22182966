package decode

// BFD (RFC 5880/5881/5883, and RFC 7130 on LAG members): control packets
// on UDP 3784 (single hop), 4784 (multihop), 6784 (micro-BFD) and 7784,
// echo packets on 3785 (opaque to the receiver: "Originator specific
// content"). Version 1 control packets; the authentication section's
// fields are not decoded.

// decodeBFD records BFD payload p; echo is UDP port 3785.
func decodeBFD(f *Frame, p []byte, echo bool) bool {
	if len(p) == 0 {
		return false
	}
	f.setProto(ProtoBFD)
	f.addAppLayer(ProtoBFD, p)
	f.bfdEchoPort = echo
	if !echo && len(p) < 24 {
		f.anomaly(ProtoBFD, f.appOff(p), "BFD control packet cut")
	}
	return true
}

// bfdEcho reports whether f's BFD layer is an echo packet.
func (f *Frame) bfdEcho() bool { return f.bfdEchoPort }

// BFDEcho reports whether f's BFD layer is an echo packet (Wireshark's
// bfd_echo protocol) rather than a control packet.
func BFDEcho(f *Frame) bool { return f.Has(ProtoBFD) && f.bfdEchoPort }

// BFDDiagName returns Wireshark's text for a BFD diagnostic code.
func BFDDiagName(d uint8) string {
	switch d {
	case 0:
		return "No Diagnostic"
	case 1:
		return "Control Detection Time Expired"
	case 2:
		return "Echo Function Failed"
	case 3:
		return "Neighbor Signaled Session Down"
	case 4:
		return "Forwarding Plane Reset"
	case 5:
		return "Path Down"
	case 6:
		return "Concatenated Path Down"
	case 7:
		return "Administratively Down"
	case 8:
		return "Reverse Concatenated Path Down"
	case 9:
		return "Mis-Connectivity Defect"
	}
	return ""
}

// BFDStateName returns Wireshark's text for a BFD session state.
func BFDStateName(s uint8) string {
	switch s {
	case 0:
		return "AdminDown"
	case 1:
		return "Down"
	case 2:
		return "Init"
	case 3:
		return "Up"
	}
	return ""
}

// appendBFDInfo writes "Diag: No Diagnostic, State: Up, Flags: 0x00" (a
// control packet) or "Originator specific content" (an echo packet).
func appendBFDInfo(dst, b []byte, echo bool) []byte {
	if echo {
		return append(dst, "Originator specific content"...)
	}
	if len(b) < 2 {
		return dst
	}
	dst = append(dst, "Diag: "...)
	if s := BFDDiagName(b[0] & 0x1f); s != "" {
		dst = append(dst, s...)
	} else {
		dst = append(dst, "Unknown"...)
	}
	dst = append(dst, ", State: "...)
	dst = append(dst, BFDStateName(b[1]>>6)...)
	dst = append(dst, ", Flags: 0x"...)
	const hx = "0123456789abcdef"
	fl := b[1] & 0x3f
	return append(dst, hx[fl>>4], hx[fl&0xf])
}
