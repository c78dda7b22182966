package decode

import "strconv"

// The Port Control Protocol (RFC 6887) and NAT-PMP, its version 0, on UDP
// 5350-5351 as Wireshark's packet-nat-pmp.c reads them: the "portcontrol"
// layer, which hands version 0 to NAT-PMP (Protocol "NAT-PMP") and reads
// versions 1 and 2 as PCP ("PCP v1", "PCP v2"). Hand-written: no Go library
// parses them.

// Port Control ports.
const (
	pcpStatusPort = 5350
	pcpPort       = 5351
)

// decodePortControl records p as a Port Control message when its version is
// one Wireshark reads (else the port's dissector declines it).
func decodePortControl(f *Frame, p []byte) bool {
	if len(p) == 0 || p[0] > 2 {
		return false
	}
	f.setProto(ProtoPortControl)
	f.addAppLayer(ProtoPortControl, p)
	if len(p) < 2 || len(p) < NATPMPLen(p) {
		f.anomaly(ProtoPortControl, 0, "Port Control message truncated")
	}
	return true
}

// NATPMPLen is how many bytes Wireshark reads of Port Control message b
// (NAT-PMP by opcode; PCP's common header).
func NATPMPLen(b []byte) int {
	if len(b) < 2 {
		return 2
	}
	if b[0] != 0 {
		return 24
	}
	switch b[1] {
	case 128:
		return 12
	case 1, 2:
		return 12
	case 129, 130:
		return 16
	}
	return 2
}

var natpmpOps = map[uint8]string{0: "External Address Request", 128: "External Address Response",
	1: "Map UDP Request", 129: "Map UDP Response", 2: "Map TCP Request", 130: "Map TCP Response"}

var pcpOps = map[uint8]string{0: "Announce Request", 1: "Map Request", 2: "Peer Request",
	128: "Announce Response", 129: "Map Response", 130: "Peer Response"}

// appendPortControlInfo writes the Info column: the opcode's name.
func appendPortControlInfo(dst []byte, b []byte) []byte {
	if len(b) < 2 {
		return dst
	}
	ops := pcpOps
	if b[0] == 0 {
		ops = natpmpOps
	}
	if s, ok := ops[b[1]]; ok {
		return append(dst, s...)
	}
	dst = append(dst, "Unknown opcode: "...)
	return strconv.AppendUint(dst, uint64(b[1]), 10)
}

// portControlColumn is the Protocol column of Port Control message b.
func portControlColumn(b []byte) string {
	switch b[0] {
	case 0:
		return "NAT-PMP"
	case 1:
		return "PCP v1"
	}
	return "PCP v2"
}
