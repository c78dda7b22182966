package analyze

import (
	"fmt"
	"strings"
)

func init() {
	register(&rule{cat: CatDNSError, events: ruleDNSError})
	register(&rule{cat: CatICMPUnreachable, events: ruleICMPUnreachable})
	register(&rule{cat: CatARPUnanswered, events: ruleARPUnanswered})
	register(&rule{cat: CatHTTPError, events: ruleHTTPError})
	register(&rule{cat: CatTLSAlert, events: ruleTLSAlert})
}

func ruleDNSError(x *eventCtx) {
	k, evs, f, vS, nameList, ipf := x.k, x.evs, x.f, x.vS, x.names, x.ipf
	rc := rcodeName(k.code)
	f.Culprit = &Culprit{Host: k.key.Addr, Port: k.key.Port, Proto: "udp", Role: "DNS server answering " + rc}
	if k.code == 2 || k.code == 5 {
		f.Severity = Warning
	}
	f.Title = fmt.Sprintf("DNS server %s answers %s (%s)", k.key.Addr, rc, plural(len(evs), "time", "times"))
	f.Explanation = fmt.Sprintf("%s got %s from %s for %s.", vS, plural(len(evs), rc+" answer", rc+" answers"), k.key.Addr, strings.Join(nameList, ", "))
	switch k.code {
	case 3:
		f.Explanation += " The names do not exist: a typo, a stale configuration or search-domain expansion. Harmless unless an application depends on them."
	case 2:
		f.Explanation += " SERVFAIL means the server could not resolve them: its upstream or the zone's authoritative servers are failing (or DNSSEC validation fails)."
	case 5:
		f.Explanation += " REFUSED means the server will not answer these clients: an ACL or a recursion policy excludes them."
	}
	f.DisplayFilter = fmt.Sprintf("dns.flags.rcode == %d && %s.src == %s", k.code, ipf, k.key.Addr)
}

func ruleICMPUnreachable(x *eventCtx) {
	k, evs, f, vS, nameList, frames := x.k, x.evs, x.f, x.vS, x.names, x.frames
	f.Culprit = &Culprit{Host: k.key.Addr, Port: k.key.Port, Proto: k.proto, Role: "destination reported unreachable"}
	f.Title = fmt.Sprintf("%s is reported unreachable by ICMP (%s)", k.key, plural(len(evs), "message", "messages"))
	f.Explanation = fmt.Sprintf("Packets from %s to %s were answered with ICMP destination unreachable (sent by %s): "+
		"the port is closed (for UDP, the equivalent of a refused connection), or a router has no route or filters it.",
		vS, k.key, strings.Join(nameList, ", "))
	f.DisplayFilter = fmt.Sprintf("(icmp.type == 3 || icmpv6.type == 1) && %s", frameSet(frames, 300))
}

func ruleARPUnanswered(x *eventCtx) {
	k, evs, f, vS := x.k, x.evs, x.f, x.vS
	f.Culprit = &Culprit{Host: k.key.Addr, Role: "address nobody answers ARP for"}
	f.Title = fmt.Sprintf("Nobody answers ARP for %s (%s asked %s)", k.key.Addr, vS, plural(evs[0].code, "time", "times"))
	f.Explanation = fmt.Sprintf("%s asked the LAN who has %s again and again without a reply: the host is down, on another VLAN, or the address is "+
		"misconfigured (wrong gateway or netmask). Anything that host tries to send to %s waits for ARP to time out.", vS, k.key.Addr, k.key.Addr)
	f.DisplayFilter = fmt.Sprintf("arp.opcode == 1 && arp.dst.proto_ipv4 == %s", k.key.Addr)
}

func ruleHTTPError(x *eventCtx) {
	k, evs, f, vS, nameList, ipf := x.k, x.evs, x.f, x.vS, x.names, x.ipf
	f.Culprit = &Culprit{Host: k.key.Addr, Port: k.key.Port, Proto: "tcp", Role: "HTTP server returning errors"}
	if n := x.e.httpResp[k.key]; k.code >= 500 && len(evs) >= 3 && len(evs)*20 >= n {
		f.Severity = Warning // a pattern, and at least one response in twenty
	}
	f.Title = fmt.Sprintf("%s answers HTTP %d (%s)", k.key, k.code, plural(len(evs), "time", "times"))
	f.Explanation = fmt.Sprintf("%s received HTTP status %d from %s for %s.", vS, k.code, k.key, strings.Join(nameList, ", "))
	if k.code >= 500 {
		f.Explanation += " 5xx means the server (or a gateway in front of it) failed to produce the page: look at the application and its back ends."
	} else {
		f.Explanation += " 4xx means the server rejected the request itself (missing page, no permission)."
	}
	f.DisplayFilter = fmt.Sprintf("http.response.code == %d && %s.src == %s", k.code, ipf, k.key.Addr)
}

func ruleTLSAlert(x *eventCtx) {
	k, evs, f, vS, ipf := x.k, x.evs, x.f, x.vS, x.ipf
	f.Culprit = &Culprit{Host: k.key.Addr, Port: k.key.Port, Proto: "tcp", Role: "TLS peer sending alerts"}
	f.Severity = Warning
	f.Title = fmt.Sprintf("TLS alert %s from %s side (%s)", tlsAlertName(k.code), k.key, plural(len(evs), "time", "times"))
	f.Explanation = fmt.Sprintf("A fatal TLS alert (%s) ended handshakes or sessions between %s and %s: certificate, protocol version or cipher mismatch.",
		tlsAlertName(k.code), vS, k.key)
	f.DisplayFilter = fmt.Sprintf("tls.alert_message && %s.addr == %s", ipf, k.key.Addr)
}
