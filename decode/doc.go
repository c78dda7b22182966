// Package decode dissects captured packets into a caller-owned Frame: link
// layers (Ethernet II and 802.3/LLC/SNAP, 802.1Q/802.1ad at any depth, PPPoE,
// Linux SLL and SLL2, raw IP, BSD null/loopback; any other link type becomes
// data with its link type named), ARP/RARP, IPv4 (options) and IPv6
// (extension headers) with fragment reassembly for the upper layers,
// ICMP/ICMPv6 (including neighbour discovery and the headers quoted in
// errors), TCP (MSS, window scale, SACK, timestamps), UDP, and through
// app.go DNS, HTTP/1.x and TLS handshakes. Names and semantics follow
// Wireshark 4.0 so that package field can expose Wireshark's field names.
//
// Cost: Decode resets and fills the Frame in place; on the hot path it does
// not allocate (TestDecodeAllocs). Byte slices in a Frame alias the packet
// data, the Frame's own buffers or the Decoder's reassembly buffer, and are
// valid until the next Decode into that Frame. Fragment reassembly keeps at
// most Options.MaxFragSets datagrams of at most 64 KiB each and drops sets
// older than Options.FragTimeout of packet time. Broken or short headers
// become data plus an Anomaly, never a panic (fuzzed per link type).
package decode
