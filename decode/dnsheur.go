package decode

import "encoding/binary"

// DNSLooksLikeMessage is Wireshark 4.0's UDP heuristic for DNS on ports
// nothing else claims (DNS on 443, DNSCrypt resolvers, odd forwarders). It
// looks at the header only, as tshark does (measured against tshark with
// crafted datagrams): more than a header, opcode 0 (standard query), a
// query has exactly one question, no answer or authority records and at
// most ten additional records; a response has at most one question, 100
// answers and ten authority and additional records each.
func DNSLooksLikeMessage(p []byte) bool {
	if len(p) <= dnsHeaderLen {
		return false
	}
	flags := binary.BigEndian.Uint16(p[2:])
	qd, an := binary.BigEndian.Uint16(p[4:]), binary.BigEndian.Uint16(p[6:])
	ns, ar := binary.BigEndian.Uint16(p[8:]), binary.BigEndian.Uint16(p[10:])
	if flags&0x7800 != 0 || ns > 10 || ar > 10 {
		return false
	}
	if flags&0x8000 == 0 {
		return qd == 1 && an == 0 && ns == 0
	}
	return qd <= 1 && an <= 100
}

// udpLateHeuristic runs the UDP heuristics that Wireshark tries after the
// others (its heuristic list is in reverse alphabetical order: DTLS, then
// DNS, come after QUIC, RTCP, SIP and STUN).
func (d *Decoder) udpLateHeuristic(f *Frame, p []byte) bool {
	if d.opts.SkipApp&AppOther == 0 && DTLSHeuristic(p, int(f.UDP.Length)-8) {
		return d.decodeDTLS(f, p)
	}
	if DNSLooksLikeMessage(p) {
		return d.decodeDNS(f, p, false)
	}
	return false
}

// AppendDNSWireName appends the uncompressed name at the start of b (the
// signer of an RRSIG, which RFC 4034 forbids compressing) as tshark prints
// names, "<Root>" for the root; n is the bytes it took, 0 when cut.
func AppendDNSWireName(dst, b []byte) (out []byte, n int) {
	start := len(dst)
	for n < len(b) {
		c := int(b[n])
		if c == 0 {
			if len(dst) == start {
				dst = append(dst, dnsRootName...)
			}
			return dst, n + 1
		}
		if c&0xc0 != 0 || n+1+c > len(b) {
			break
		}
		if len(dst) > start {
			dst = append(dst, '.')
		}
		dst = appendLabel(dst, b[n+1:n+1+c])
		n += 1 + c
	}
	return dst[:start], 0
}
