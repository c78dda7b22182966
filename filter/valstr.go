package filter

import "strings"

// Value strings: the names Wireshark accepts instead of numbers for some
// fields ("_ws.expert.severity == error", tcp.checksum.status == "Bad").
// The field registry carries types only, so the few that filters use are
// listed here. Matching ignores case, as Wireshark's does.

var checksumStatus = map[string]uint64{"bad": 0, "good": 1, "unverified": 2, "not present": 3, "illegal": 4}

var valueStrings = map[string]map[string]uint64{
	"tcp.checksum.status":  checksumStatus,
	"udp.checksum.status":  checksumStatus,
	"ip.checksum.status":   checksumStatus,
	"icmp.checksum.status": checksumStatus,
	// Wireshark's PI_* severity levels (epan/proto.h).
	"_ws.expert.severity": {"comment": 0x00100000, "chat": 0x00200000, "note": 0x00400000, "warning": 0x00600000, "warn": 0x00600000, "error": 0x00800000},
	"_ws.expert.group": {"checksum": 0x01000000, "sequence": 0x02000000, "response code": 0x03000000,
		"request code": 0x04000000, "undecoded": 0x05000000, "reassemble": 0x06000000, "malformed": 0x07000000,
		"debug": 0x08000000, "protocol": 0x09000000, "security": 0x0a000000, "comment": 0x0b000000,
		"decryption": 0x0c000000, "assumption": 0x0d000000, "deprecated": 0x0e000000},
	"dns.flags.rcode": {"no error": 0, "format error": 1, "server failure": 2, "no such name": 3,
		"not implemented": 4, "refused": 5},
	"dns.flags.opcode":        {"standard query": 0, "inverse query": 1, "server status request": 2, "notify": 4, "update": 5},
	"arp.opcode":              {"request": 1, "reply": 2, "reverse request": 3, "reverse reply": 4},
	"tls.handshake.type":      {"hello request": 0, "client hello": 1, "server hello": 2, "new session ticket": 4, "certificate": 11, "server key exchange": 12, "certificate request": 13, "server hello done": 14, "certificate verify": 15, "client key exchange": 16, "finished": 20},
	"tls.record.content_type": {"change cipher spec": 20, "alert": 21, "handshake": 22, "application data": 23, "heartbeat": 24},
	"sll.pkttype":             {"unicast to us": 0, "broadcast": 1, "multicast": 2, "unicast to another host": 3, "sent by us": 4},
}

func hasValueStrings(fname string) bool { return valueStrings[fname] != nil }

func lookupValueString(fname, s string) (uint64, bool) {
	m := valueStrings[fname]
	if m == nil {
		return 0, false
	}
	v, ok := m[strings.ToLower(s)]
	return v, ok
}
