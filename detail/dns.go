package detail

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
)

func init() { Register(decode.ProtoDNS, buildDNS) }

var dnsTypes = map[uint16][2]string{
	1: {"A", "A (Host Address)"}, 2: {"NS", "NS (authoritative Name Server)"}, 5: {"CNAME", "CNAME (Canonical NAME for an alias)"},
	6: {"SOA", "SOA (Start Of a zone of Authority)"}, 10: {"NULL", "NULL (RR)"}, 12: {"PTR", "PTR (domain name PoinTeR)"},
	13: {"HINFO", "HINFO (host information)"}, 15: {"MX", "MX (Mail eXchange)"}, 16: {"TXT", "TXT (Text strings)"},
	28: {"AAAA", "AAAA (IPv6 Address)"}, 33: {"SRV", "SRV (Server Selection)"}, 41: {"OPT", "OPT"}, 43: {"DS", "DS (Delegation Signer)"},
	46: {"RRSIG", "RRSIG (Resource Record Signature)"}, 47: {"NSEC", "NSEC (Next Secure)"}, 48: {"DNSKEY", "DNSKEY (DNS Public Key)"},
	50: {"NSEC3", "NSEC3 (Next Secure v3)"}, 64: {"SVCB", "SVCB (General-purpose service binding)"}, 65: {"HTTPS", "HTTPS (HTTPS Specific Service Endpoints)"},
	255: {"ANY", "* (A request for all records the server/cache has available)"}, 252: {"AXFR", "AXFR (transfer of an entire zone)"},
	251: {"IXFR", "IXFR (incremental transfer)"}, 99: {"SPF", "SPF"}, 35: {"NAPTR", "NAPTR (Naming Authority PoinTeR)"},
	32: {"NB", "NB (NetBIOS general Name Service)"}, 257: {"CAA", "CAA (Certification Authority Restriction)"},
	11: {"WKS", "WKS (Well Known Service)"}, 14: {"MINFO", "MINFO (Mailbox or mail list information)"},
}

func dnsTypeShort(t uint16) string {
	if n, ok := dnsTypes[t]; ok {
		return n[0]
	}
	return fmt.Sprintf("Unknown (%d)", t)
}

func dnsTypeLong(t uint16) string {
	if n, ok := dnsTypes[t]; ok {
		return fmt.Sprintf("%s (%d)", n[1], t)
	}
	return fmt.Sprintf("Unknown (%d)", t)
}

var dnsClasses = map[uint16]string{1: "IN", 3: "CH", 4: "HS", 254: "NONE", 255: "ANY"}

func dnsClassShort(c uint16) string {
	if n, ok := dnsClasses[c]; ok {
		return n
	}
	return fmt.Sprintf("Unknown (%d)", c)
}

var dnsOpcodes = map[uint8]string{0: "Standard query", 1: "Inverse query", 2: "Server status request", 4: "Zone change notification", 5: "Dynamic update"}
var dnsRcodes = map[uint8]string{0: "No error", 1: "Format error", 2: "Server failure", 3: "No such name", 4: "Not implemented", 5: "Refused",
	6: "Name is unique, but not unique", 7: "RRset exists", 8: "RRset doesn't exist", 9: "Server is not an authority for domain", 10: "Name out of zone"}

// dnsName reads a possibly compressed name at off in msg: the name as
// tshark shows it, the bytes it occupies at off, ok.
func dnsName(msg []byte, off int) (string, int, bool) {
	var labels []string
	used := -1
	p := off
	for jumps := 0; jumps < 64; {
		if p >= len(msg) {
			return "", 0, false
		}
		l := int(msg[p])
		switch {
		case l == 0:
			if used < 0 {
				used = p + 1 - off
			}
			if len(labels) == 0 {
				return "<Root>", used, true
			}
			return strings.Join(labels, "."), used, true
		case l&0xc0 == 0xc0:
			if p+1 >= len(msg) {
				return "", 0, false
			}
			if used < 0 {
				used = p + 2 - off
			}
			p = (l&0x3f)<<8 | int(msg[p+1])
			jumps++
		case l&0xc0 != 0:
			return "", 0, false
		default:
			if p+1+l > len(msg) {
				return "", 0, false
			}
			labels = append(labels, dnsLabel(msg[p+1:p+1+l]))
			p += 1 + l
		}
	}
	return "", 0, false
}

// dnsLabel escapes a label's bytes as Wireshark does.
func dnsLabel(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		if c < 0x20 || c > 0x7e || c == '.' && false {
			fmt.Fprintf(&sb, "\\%03d", c)
			continue
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// TimeSecs is Wireshark's unsigned_time_secs_to_str: "7 minutes, 12 seconds".
func TimeSecs(s uint32) string {
	if s == 0 {
		return "0 seconds"
	}
	var parts []string
	unit := func(n uint32, w string) {
		if n > 0 {
			parts = append(parts, Plural(int(n), w))
		}
	}
	unit(s/86400, "day")
	unit(s/3600%24, "hour")
	unit(s/60%60, "minute")
	unit(s%60, "second")
	return strings.Join(parts, ", ")
}

func buildDNS(b *Builder, l decode.Layer, d []byte) {
	f := b.Frame
	n := min(l.Len, len(d))
	d = d[:n]
	base := 0
	if f.DNS.TCP {
		base = 2
	}
	if len(d) < base+12 {
		return
	}
	msg := d[base:]
	flags := uint64(be16(msg[2:]))
	resp := flags&0x8000 != 0
	kind := "query"
	if resp {
		kind = "response"
	}
	proto, title := "dns", "Domain Name System"
	for _, port := range []uint16{f.UDP.SrcPort, f.UDP.DstPort} {
		if !f.Has(decode.ProtoUDP) {
			break
		}
		switch port {
		case 5353:
			proto, title = "mdns", "Multicast Domain Name System"
		case 5355:
			proto, title = "llmnr", "Link-local Multicast Name Resolution"
		}
	}
	b.Openf(proto, 0, n, "%s (%s)", title, kind)
	if f.DNS.TCP {
		b.Addf("dns.length", 0, 2, "Length: %d", be16(d))
	}
	at := func(o int) int { return base + o }
	if a := &f.Analysis; a.DNSRetransReqIn != 0 || a.DNSRetransRespIn != 0 {
		b.Openf("dns.id", at(0), 2, "Transaction ID: 0x%04x", be16(msg))
		if a.DNSRetransReqIn != 0 {
			b.expert("dns.retransmit_request", "Warning", "Protocol", fmt.Sprintf("DNS query retransmission. Original request in frame %d", a.DNSRetransReqIn))
		} else {
			b.expert("dns.retransmit_response", "Warning", "Protocol", fmt.Sprintf("DNS response retransmission. Original response in frame %d", a.DNSRetransRespIn))
		}
		b.Close()
	} else {
		b.Addf("dns.id", at(0), 2, "Transaction ID: 0x%04x", be16(msg))
	}
	op := uint8(flags>>11) & 0xf
	rc := uint8(flags) & 0xf
	summ := mapName(dnsOpcodes, op, "Unknown operation")
	if resp {
		summ += " response, " + mapName(dnsRcodes, rc, "Unknown error")
	}
	b.Openf("dns.flags", at(2), 2, "Flags: 0x%04x %s", flags, summ)
	ft := func(field string, mask uint64, name, yes, no string) {
		v := no
		if flags&mask != 0 {
			v = yes
		}
		b.Add(field, at(2), 2, BitLine(16, mask, flags, name+": "+v))
	}
	if proto == "llmnr" {
		// LLMNR (RFC 4795) flags: conflict, truncated, tentative.
		ft("dns.flags.response", 0x8000, "Response", "Message is a response", "Message is a query")
		b.Add("dns.flags.opcode", at(2), 2, BitLine(16, 0x7800, flags, fmt.Sprintf("Opcode: %s (%d)", mapName(dnsOpcodes, op, "Unknown"), op)))
		ft("dns.flags.conflict", 0x0400, "Conflict", "The sender received multiple responses", "None")
		ft("dns.flags.truncated", 0x0200, "Truncated", "Message is truncated", "Message is not truncated")
		ft("dns.flags.tentative", 0x0100, "Tentative", "Tentative", "Not tentative")
		if resp {
			b.Add("dns.flags.rcode", at(2), 2, BitLine(16, 0x000f, flags, fmt.Sprintf("Reply code: %s (%d)", mapName(dnsRcodes, rc, "Unknown"), rc)))
		}
	} else {
		ft("dns.flags.response", 0x8000, "Response", "Message is a response", "Message is a query")
		b.Add("dns.flags.opcode", at(2), 2, BitLine(16, 0x7800, flags, fmt.Sprintf("Opcode: %s (%d)", mapName(dnsOpcodes, op, "Unknown"), op)))
		if resp {
			ft("dns.flags.authoritative", 0x0400, "Authoritative", "Server is an authority for domain", "Server is not an authority for domain")
		}
		ft("dns.flags.truncated", 0x0200, "Truncated", "Message is truncated", "Message is not truncated")
		ft("dns.flags.recdesired", 0x0100, "Recursion desired", "Do query recursively", "Don't do query recursively")
		if resp {
			ft("dns.flags.recavail", 0x0080, "Recursion available", "Server can do recursive queries", "Server can't do recursive queries")
		}
		b.Add("dns.flags.z", at(2), 2, BitLine(16, 0x0040, flags, fmt.Sprintf("Z: reserved (%d)", (flags>>6)&1)))
		if resp {
			ft("dns.flags.authenticated", 0x0020, "Answer authenticated", "Answer/authority portion was authenticated by the server", "Answer/authority portion was not authenticated by the server")
		}
		ft("dns.flags.checkdisable", 0x0010, "Non-authenticated data", "Acceptable", "Unacceptable")
		if resp {
			b.Add("dns.flags.rcode", at(2), 2, BitLine(16, 0x000f, flags, fmt.Sprintf("Reply code: %s (%d)", mapName(dnsRcodes, rc, "Unknown"), rc)))
		}
	}
	b.Close()
	qd, an, ns, ar := be16(msg[4:]), be16(msg[6:]), be16(msg[8:]), be16(msg[10:])
	b.Addf("dns.count.queries", at(4), 2, "Questions: %d", qd)
	b.Addf("dns.count.answers", at(6), 2, "Answer RRs: %d", an)
	b.Addf("dns.count.auth_rr", at(8), 2, "Authority RRs: %d", ns)
	b.Addf("dns.count.add_rr", at(10), 2, "Additional RRs: %d", ar)
	p := 12
	if qd > 0 {
		b.Open("", at(p), 0, "Queries")
		for i := 0; i < int(qd); i++ {
			name, used, ok := dnsName(msg, p)
			if !ok || p+used+4 > len(msg) {
				break
			}
			typ, cls := be16(msg[p+used:]), be16(msg[p+used+2:])
			qs := fmt.Sprintf("%s: type %s, class %s", name, dnsTypeShort(typ), dnsClassShort(cls&0x7fff))
			if b.mdns() && cls&0x8000 != 0 {
				qs += `, "QU" question`
			}
			b.Open("", at(p), used+4, qs)
			b.Add("dns.qry.name", at(p), used, "Name: "+name)
			nl := len(name)
			lc := strings.Count(name, ".") + 1
			if name == "<Root>" {
				nl, lc = 6, 0
			}
			b.Gen("dns.qry.name.len", "Name Length: %d", nl)
			b.Gen("dns.count.labels", "Label Count: %d", lc)
			b.Add("dns.qry.type", at(p+used), 2, "Type: "+dnsTypeLong(typ))
			if b.mdns() {
				c := uint64(cls)
				b.Add("dns.qry.class", at(p+used+2), 2, BitLine(16, 0x7fff, c, fmt.Sprintf("Class: %s (0x%04x)", dnsClassShort(cls&0x7fff), cls&0x7fff)))
				b.Add("dns.qry.qu", at(p+used+2), 2, BitLine(16, 0x8000, c, "\"QU\" question: "+map[bool]string{true: "True", false: "False"}[c&0x8000 != 0]))
			} else {
				b.Addf("dns.qry.class", at(p+used+2), 2, "Class: %s (0x%04x)", dnsClassShort(cls&0x7fff), cls&0x7fff)
			}
			b.Close()
			p += used + 4
		}
		b.Close()
	}
	for si, sec := range []struct {
		count int
		title string
	}{{int(an), "Answers"}, {int(ns), "Authoritative nameservers"}, {int(ar), "Additional records"}} {
		if sec.count == 0 {
			continue
		}
		_ = si
		b.Open("", at(p), 0, sec.title)
		for i := 0; i < sec.count; i++ {
			np, ok := b.dnsRR(msg, p, at)
			if !ok {
				break
			}
			p = np
		}
		b.Close()
	}
	a := &f.Analysis
	if resp && a.DNSRespTo != 0 {
		b.Gen("dns.response_to", "Request In: %d", a.DNSRespTo)
		if a.DNSTime >= 0 {
			b.Gen("dns.time", "Time: %s", RelTime(a.DNSTime))
		}
	}
	if !resp && a.DNSRespIn != 0 {
		b.Gen("dns.response_in", "Response In: %d", a.DNSRespIn)
	}
	if a.DNSRetransReqIn != 0 {
		b.Gen("dns.retransmit_request_in", "Retransmitted request. Original request in: %d", a.DNSRetransReqIn)
		b.Gen("dns.retransmission", "Retransmission: True")
	}
	if a.DNSRetransRespIn != 0 {
		b.Gen("dns.retransmit_response_in", "Retransmitted response. Original response in: %d", a.DNSRetransRespIn)
		b.Gen("dns.retransmission", "Retransmission: True")
	}
	b.Close()
}

// dnsRR adds one resource record at p and returns the offset after it.
func (b *Builder) dnsRR(msg []byte, p int, at func(int) int) (int, bool) {
	name, used, ok := dnsName(msg, p)
	if !ok || p+used+10 > len(msg) {
		return 0, false
	}
	q := p + used
	typ, cls := be16(msg[q:]), be16(msg[q+2:])
	ttl := be32(msg[q+4:])
	rdl := int(be16(msg[q+8:]))
	rd := q + 10
	if rd+rdl > len(msg) {
		return 0, false
	}
	rdata := msg[rd : rd+rdl]
	if typ == 41 {
		b.Openf("", at(p), used+10+rdl, "%s: type OPT", name)
		b.Add("dns.resp.name", at(p), used, "Name: "+name)
		b.Add("dns.resp.type", at(q), 2, "Type: "+dnsTypeLong(typ))
		b.Addf("dns.rr.udp_payload_size", at(q+2), 2, "UDP payload size: %d", cls)
		b.Addf("dns.resp.ext_rcode", at(q+4), 1, "Higher bits in extended RCODE: 0x%02x", ttl>>24)
		b.Addf("dns.resp.edns0_version", at(q+5), 1, "EDNS0 version: %d", (ttl>>16)&0xff)
		z := uint64(ttl & 0xffff)
		b.Openf("dns.resp.z", at(q+6), 2, "Z: 0x%04x", z)
		do := "Cannot handle DNSSEC security RRs"
		if z&0x8000 != 0 {
			do = "Accepts DNSSEC security RRs"
		}
		b.Add("dns.resp.z.do", at(q+6), 2, BitLine(16, 0x8000, z, "DO bit: "+do))
		b.Add("dns.resp.z.reserved", at(q+6), 2, BitLine(16, 0x7fff, z, fmt.Sprintf("Reserved: 0x%04x", z&0x7fff)))
		b.Close()
		b.Addf("dns.resp.len", at(q+8), 2, "Data length: %d", rdl)
		b.Close()
		return rd + rdl, true
	}
	summary := fmt.Sprintf("%s: type %s, class %s", name, dnsTypeShort(typ), dnsClassShort(cls&0x7fff))
	if b.mdns() && cls&0x8000 != 0 {
		summary += ", cache flush"
	}
	var lines []func()
	switch typ {
	case 1:
		if rdl == 4 {
			a := netip.AddrFrom4([4]byte(rdata))
			b.learn(a, name)
			summary += ", addr " + a.String()
			lines = append(lines, func() { b.Add("dns.a", at(rd), 4, "Address: "+b.AddrLabel(a)) })
		}
	case 28:
		if rdl == 16 {
			a := netip.AddrFrom16([16]byte(rdata))
			b.learn(a, name)
			summary += ", addr " + a.String()
			lines = append(lines, func() { b.Add("dns.aaaa", at(rd), 16, "AAAA Address: "+b.AddrLabel(a)) })
		}
	case 5, 2, 12:
		t, tu, ok := dnsName(msg, rd)
		if ok {
			w := map[uint16][3]string{5: {"cname", "dns.cname", "CNAME"}, 2: {"ns", "dns.ns", "Name Server"}, 12: {"ptr", "dns.ptr.domain_name", "Domain Name"}}[typ]
			summary += ", " + w[0] + " " + t
			lines = append(lines, func() { b.Add(w[1], at(rd), tu, w[2]+": "+t) })
		}
	case 15:
		if rdl >= 3 {
			pref := be16(rdata)
			t, tu, ok := dnsName(msg, rd+2)
			if ok {
				summary += fmt.Sprintf(", preference %d, mx %s", pref, t)
				lines = append(lines, func() {
					b.Addf("dns.mx.preference", at(rd), 2, "Preference: %d", pref)
					b.Add("dns.mx.mail_exchange", at(rd+2), tu, "Mail Exchange: "+t)
				})
			}
		}
	case 6:
		mn, mu, ok1 := dnsName(msg, rd)
		if ok1 {
			rn, ru, ok2 := dnsName(msg, rd+mu)
			o := rd + mu + ru
			if ok2 && o+20 <= len(msg) {
				summary += ", mname " + mn
				lines = append(lines, func() {
					b.Add("dns.soa.mname", at(rd), mu, "Primary name server: "+mn)
					b.Add("dns.soa.rname", at(rd+mu), ru, "Responsible authority's mailbox: "+rn)
					b.Addf("dns.soa.serial_number", at(o), 4, "Serial Number: %d", be32(msg[o:]))
					for i, w := range [][2]string{{"dns.soa.refresh_interval", "Refresh Interval"}, {"dns.soa.retry_interval", "Retry Interval"}, {"dns.soa.expire_limit", "Expire limit"}, {"dns.soa.minimum_ttl", "Minimum TTL"}} {
						v := be32(msg[o+4+4*i:])
						b.Addf(w[0], at(o+4+4*i), 4, "%s: %d (%s)", w[1], v, TimeSecs(v))
					}
				})
			}
		}
	case 16:
		lines = append(lines, func() {
			for i := 0; i < len(rdata); {
				tl := int(rdata[i])
				if i+1+tl > len(rdata) {
					break
				}
				b.Addf("dns.txt.length", at(rd+i), 1, "TXT Length: %d", tl)
				b.Add("dns.txt", at(rd+i+1), tl, "TXT: "+Esc(rdata[i+1:i+1+tl]))
				i += 1 + tl
			}
		})
	case 33:
		if rdl >= 7 {
			pr, wt, port := be16(rdata), be16(rdata[2:]), be16(rdata[4:])
			t, tu, ok := dnsName(msg, rd+6)
			if ok {
				summary += fmt.Sprintf(", priority %d, weight %d, port %d, target %s", pr, wt, port, t)
				lines = append(lines, func() {
					b.Addf("dns.srv.priority", at(rd), 2, "Priority: %d", pr)
					b.Addf("dns.srv.weight", at(rd+2), 2, "Weight: %d", wt)
					b.Addf("dns.srv.port", at(rd+4), 2, "Port: %d", port)
					b.Add("dns.srv.target", at(rd+6), tu, "Target: "+t)
				})
			}
		}
	}
	b.Open("", at(p), used+10+rdl, summary)
	if typ == 33 {
		parts := strings.SplitN(name, ".", 3)
		if len(parts) == 3 {
			b.Add("dns.srv.service", at(p), used, "Service: "+parts[0])
			b.Add("dns.srv.proto", at(p), used, "Protocol: "+parts[1])
			b.Add("dns.srv.name", at(p), used, "Name: "+parts[2])
		}
	}
	b.Add("dns.resp.name", at(p), used, "Name: "+name)
	b.Add("dns.resp.type", at(q), 2, "Type: "+dnsTypeLong(typ))
	if b.mdns() {
		c := uint64(cls)
		b.Add("dns.resp.class", at(q+2), 2, BitLine(16, 0x7fff, c, fmt.Sprintf("Class: %s (0x%04x)", dnsClassShort(cls&0x7fff), cls&0x7fff)))
		b.Add("dns.resp.cache_flush", at(q+2), 2, BitLine(16, 0x8000, c, "Cache flush: "+map[bool]string{true: "True", false: "False"}[c&0x8000 != 0]))
	} else {
		b.Addf("dns.resp.class", at(q+2), 2, "Class: %s (0x%04x)", dnsClassShort(cls&0x7fff), cls&0x7fff)
	}
	b.Addf("dns.resp.ttl", at(q+4), 4, "Time to live: %d (%s)", int32(ttl), TimeSecs(ttl))
	b.Addf("dns.resp.len", at(q+8), 2, "Data length: %d", rdl)
	for _, fn := range lines {
		fn()
	}
	b.Close()
	return rd + rdl, true
}

// learn passes a DNS answer's name to a Learner resolver.
func (b *Builder) learn(a netip.Addr, name string) {
	if l, ok := b.Names.(Learner); ok {
		l.Learn(a, name)
	}
}

// mdns reports a Multicast DNS message (UDP port 5353), whose class field
// carries the cache-flush / unicast-response bit.
func (b *Builder) mdns() bool {
	f := b.Frame
	return f.Has(decode.ProtoUDP) && (f.UDP.SrcPort == 5353 || f.UDP.DstPort == 5353)
}
