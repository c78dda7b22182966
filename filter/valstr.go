package filter

import "strings"

// Value strings: the names Wireshark accepts instead of numbers for some
// fields ("_ws.expert.severity == error", tcp.checksum.status == "Bad").
// The field registry carries types only, so the few that filters use are
// listed here. Matching ignores case, as Wireshark's does.

var checksumStatus = map[string]uint64{"bad": 0, "good": 1, "unverified": 2, "not present": 3, "illegal": 4}

// IP protocol numbers (Wireshark's ipproto names).
var ipProto = map[string]uint64{"ipv6 hop-by-hop option": 0, "icmp": 1, "igmp": 2, "ipip": 4, "tcp": 6, "udp": 17,
	"ipv6": 41, "ipv6 routing": 43, "ipv6 fragment": 44, "rsvp": 46, "gre": 47, "esp": 50, "ah": 51,
	"icmpv6": 58, "ipv6 no next header": 59, "ipv6 destination options": 60, "eigrp": 88, "ospf": 89,
	"pim": 103, "vrrp": 112, "l2tp": 115, "sctp": 132, "udplite": 136}

// EtherTypes (Wireshark's etype names).
var etherType = map[string]uint64{"ipv4": 0x0800, "arp": 0x0806, "ipv6": 0x86dd, "802.1q virtual lan": 0x8100,
	"802.1ad provider bridge (q-in-q)": 0x88a8, "mpls label switched packet": 0x8847, "pppoe discovery": 0x8863,
	"pppoe session": 0x8864, "lldp": 0x88cc, "rarp": 0x8035, "eapol": 0x888e}

var valueStrings = map[string]map[string]uint64{
	"ip.proto":             ipProto,
	"ipv6.nxt":             ipProto,
	"eth.type":             etherType,
	"vlan.etype":           etherType,
	"sll.etype":            etherType,
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
