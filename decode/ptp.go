package decode

// PTP, the Precision Time Protocol (IEEE 1588): event messages on UDP 319,
// general messages on 320, and PTP over Ethernet (EtherType 0x88f7).
// Version 2 (and 2.1) headers and the bodies of Sync, Delay_Req,
// Follow_Up, Delay_Resp, Announce and Signalling messages; version 1 is
// named only.

// decodePTP records PTP payload p.
func decodePTP(f *Frame, p []byte) bool {
	if len(p) < 2 {
		return false
	}
	f.setProto(ProtoPTP)
	f.addAppLayer(ProtoPTP, p)
	if PTPVersion(p) == 2 && len(p) < 34 {
		f.anomaly(ProtoPTP, f.appOff(p), "PTP header cut")
	}
	return true
}

// PTPVersion returns the versionPTP of message b (2 for PTPv2 and v2.1).
func PTPVersion(b []byte) uint8 {
	if len(b) >= 2 && b[1]&0x0f == 2 {
		return 2
	}
	if len(b) >= 2 && be16(b) == 1 {
		return 1
	}
	return 0
}

// PTPMessageName returns Wireshark's name of a PTPv2 message type.
func PTPMessageName(t uint8) string {
	switch t {
	case 0x0:
		return "Sync Message"
	case 0x1:
		return "Delay_Req Message"
	case 0x2:
		return "Peer_Delay_Req Message"
	case 0x3:
		return "Peer_Delay_Resp Message"
	case 0x8:
		return "Follow_Up Message"
	case 0x9:
		return "Delay_Resp Message"
	case 0xa:
		return "Peer_Delay_Resp_Follow_Up Message"
	case 0xb:
		return "Announce Message"
	case 0xc:
		return "Signalling Message"
	case 0xd:
		return "Management Message"
	}
	return ""
}

func ptpColumn(b []byte) string {
	switch PTPVersion(b) {
	case 2:
		return "PTPv2"
	case 1:
		return "PTPv1"
	}
	return "PTP"
}

// appendPTPInfo writes the message type ("Sync Message").
func appendPTPInfo(dst, b []byte) []byte {
	if PTPVersion(b) != 2 {
		return dst
	}
	if s := PTPMessageName(b[0] & 0x0f); s != "" {
		return append(dst, s...)
	}
	return append(dst, "Reserved"...)
}
