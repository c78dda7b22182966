// Package decode dissects captured packets into a caller-owned Frame: link
// layers (Ethernet, 802.1Q/ad, Linux SLL/SLL2, raw IP, BSD loopback), ARP,
// IPv4/IPv6 (with fragment reassembly for the upper layers), ICMP/ICMPv6, TCP,
// UDP, DNS, HTTP/1.x and TLS handshakes.
//
// Cost: Decode resets and fills the Frame in place; on the hot path it does
// not allocate. Byte slices in a Frame alias the packet data or the Frame's own
// scratch buffer and are valid until the next Decode into that Frame.
// Broken payloads become data plus an anomaly, never a panic.
package decode
