package decode

import "strconv"

// STP (IEEE 802.1D), RSTP (802.1w) and MSTP (802.1s) BPDUs, carried in 802.2
// LLC frames with SAP 0x42.

// decodeSTP records the BPDU at b[off:]; one too short for its type is
// malformed, as in Wireshark.
func decodeSTP(f *Frame, b []byte, off int) bool {
	h := b[off:]
	if len(h) < 4 {
		return false
	}
	f.addLayer(ProtoSTP, off, len(h), false)
	need := 35
	switch h[3] {
	case 0x80: // topology change notification
		need = 4
	case 0x02:
		need = 36
	}
	if len(h) < need && f.CapLen >= f.Len {
		f.anomaly(ProtoSTP, off, "STP BPDU truncated")
	}
	return true
}

// appendBridgeID appends "32768/0/52:54:00:2f:9f:43": priority, system ID
// extension, MAC.
func appendBridgeID(dst []byte, id []byte) []byte {
	v := be16(id)
	dst = strconv.AppendUint(dst, uint64(v&0xf000), 10)
	dst = append(dst, '/')
	dst = strconv.AppendUint(dst, uint64(v&0x0fff), 10)
	dst = append(dst, '/')
	return AppendMAC(dst, id[2:8])
}

// appendSTPInfo writes Wireshark's Info text: "Conf. TC + Root =
// 32768/0/52:54:00:2f:9f:43  Cost = 0  Port = 0x800a", "RST. ...",
// "MST. ...", "Topology Change Notification".
func appendSTPInfo(dst []byte, b []byte) []byte {
	if b[3] == 0x80 {
		return append(dst, "Topology Change Notification"...)
	}
	switch {
	case b[3] == 0x02 && b[2] >= 3:
		dst = append(dst, "MST. "...)
	case b[3] == 0x02:
		dst = append(dst, "RST. "...)
	default:
		dst = append(dst, "Conf. "...)
	}
	if len(b) < 5 {
		return dst
	}
	if b[4]&0x80 != 0 {
		dst = append(dst, "TCAck + "...)
	}
	if b[4]&0x01 != 0 {
		dst = append(dst, "TC + "...)
	}
	if len(b) < 29 {
		return dst
	}
	dst = append(dst, "Root = "...)
	dst = appendBridgeID(dst, b[5:13])
	dst = append(dst, "  Cost = "...)
	dst = strconv.AppendUint(dst, uint64(be32(b[13:])), 10)
	dst = append(dst, "  Port = "...)
	return appendHex(dst, uint64(be16(b[25:])), 4)
}
