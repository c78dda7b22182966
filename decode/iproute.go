package decode

// Routing protocols carried directly over IP: PIM (IP protocol 103), OSPF
// (89), VRRP (112) and EIGRP (88). Each is one layer over the rest of the
// IP payload.

// decodeIPRouting records the message of routing protocol p at b[off:]; one
// shorter than its fixed header is malformed, as in Wireshark.
func decodeIPRouting(f *Frame, p Proto, b []byte, off int, reasm bool) bool {
	h := b[off:]
	need := 4
	switch p {
	case ProtoOSPF:
		need = 16
	case ProtoVRRP:
		need = 8
	case ProtoEIGRP:
		need = 20
	}
	f.addLayer(p, off, len(h), reasm)
	if len(h) < need && f.CapLen >= f.Len {
		f.anomaly(p, off, "routing message truncated")
	}
	return true
}

var pimTypes = [...]string{"Hello", "Register", "Register-stop", "Join/Prune", "Bootstrap", "Assert", "Graft",
	"Graft-Ack", "Candidate-RP-Advertisement", "State-Refresh", "DF election", "ECMP redirect", "PFM"}

// appendPIMInfo writes Wireshark's Info text, the PIMv2 message type ("Hello").
func appendPIMInfo(dst []byte, b []byte) []byte {
	if len(b) < 1 {
		return dst
	}
	if t := int(b[0] & 0xf); t < len(pimTypes) {
		return append(dst, pimTypes[t]...)
	}
	return append(dst, "Unknown"...)
}

var ospfTypes = [...]string{"", "Hello Packet", "DB Description", "LS Request", "LS Update", "LS Acknowledge"}

// appendOSPFInfo writes Wireshark's Info text: "Hello Packet", "LS Update"...
func appendOSPFInfo(dst []byte, b []byte) []byte {
	if len(b) < 2 {
		return dst
	}
	if t := int(b[1]); t >= 1 && t < len(ospfTypes) {
		return append(dst, ospfTypes[t]...)
	}
	dst = append(dst, "Unknown ("...)
	dst = appendUint(dst, uint64(b[1]))
	return append(dst, ')')
}

// appendVRRPInfo writes Wireshark's Info text: "Announcement (v2)".
func appendVRRPInfo(dst []byte, b []byte) []byte {
	if len(b) < 1 {
		return dst
	}
	if b[0]&0xf == 1 {
		dst = append(dst, "Announcement"...)
	} else {
		dst = append(dst, "Unknown"...)
	}
	dst = append(dst, " (v"...)
	dst = appendUint(dst, uint64(b[0]>>4))
	return append(dst, ')')
}

var eigrpOpcodes = map[uint8]string{1: "Update", 2: "Request", 3: "Query", 4: "Reply", 5: "Hello", 6: "IPX/SAP",
	7: "Probe", 8: "Ack", 10: "SIA-Query", 11: "SIA-Reply", 12: "Stub"}

// appendEIGRPInfo writes Wireshark's Info text: "Hello", "Hello (Ack)", "Update".
func appendEIGRPInfo(dst []byte, b []byte) []byte {
	if len(b) < 2 {
		return dst
	}
	s, ok := eigrpOpcodes[b[1]]
	if !ok {
		dst = append(dst, "Unknown ("...)
		dst = appendHex(dst, uint64(b[1]), 2)
		return append(dst, ')')
	}
	dst = append(dst, s...)
	if b[1] == 5 && len(b) >= 16 && be32(b[12:]) != 0 {
		dst = append(dst, " (Ack)"...)
	}
	return dst
}
