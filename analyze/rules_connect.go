package analyze

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"
)

func init() {
	register(&rule{cat: CatBlockedDependency, explain: ruleBlocked, confidence: causalConfidence})
	register(&rule{cat: CatRefused, explain: ruleRefused, confidence: confHealth})
	register(&rule{cat: CatConnTimeout, explain: ruleConnTimeout, confidence: confHealth})
	register(&rule{cat: CatSYNRetrans, explain: ruleSYNRetrans})
	register(&rule{cat: CatHighLatency, explain: ruleHighLatency})
}

// ruleBlocked words a dependency finding; when the evidence does not beat
// chance (x.conf below one half) it says so in the title instead of
// claiming the cause.
func ruleBlocked(x *explainCtx) bool {
	if !ruleBlockedCause(x) {
		return false
	}
	if x.conf >= 0.5 {
		return true
	}
	f, st := x.f, x.st
	f.Severity = Info
	x.c.Role = "server some waits ended near the give-up time of (weak evidence)"
	f.Title = fmt.Sprintf("Probably a coincidence: %s %s ended when attempts to %s gave up (%s lost)",
		plural(st.n, "wait of", "waits of"), x.victimsS, x.e.namedEP(x.ep), secs(st.lost))
	f.Explanation = "The evidence for a cause is weak: " + strings.TrimSuffix(x.basis, ".") + ". " +
		"A host that fails some attempts will now and then see a wait end near one of their give-up times by chance; " +
		"treat the following as a lead, not a diagnosis. " + f.Explanation
	return true
}

func ruleBlockedCause(x *explainCtx) bool {
	g, st, k, ep, ipf, f, culprit, victimsS, unS := x.g, x.st, x.k, x.ep, x.ipf, x.f, x.c, x.victimsS, x.unS
	culprit.Role = "unreachable " + strings.ToUpper(k.proto) + " server the waiting host depends on"
	f.Severity = Warning
	if st.n >= 2 || st.lost >= int64(5*time.Second) {
		f.Severity = Critical
	}
	if st.n < 2 {
		// one wait that ended when an attempt gave up can be a
		// coincidence; a cause repeats
		f.Severity = Info
	}
	waiter := "the client"
	if len(g.stalls) > 0 && g.stalls[0].WaitingOn == WaitServer {
		waiter = "the server"
	}
	target, how, tried := x.e.namedEP(ep), "the SYNs get no answer at all (no SYN/ACK, no reset, no ICMP error)", "open a TCP connection to"
	filt := fmt.Sprintf("(%s.dst == %s && %s.dstport == %d)", ipf, k.host, k.proto, k.port)
	outcomes := map[string]int{}
	for _, s := range g.stalls {
		if s.Attempt != nil {
			outcomes[s.Attempt.Outcome]++
		}
	}
	switch {
	case outcomes["icmp-error"] > 0:
		how = "each attempt ends with an ICMP destination-unreachable error (a router cannot deliver to it)"
	case outcomes["refused"] > 0:
		how = "each attempt is refused with a reset only after its retries"
	}
	switch k.proto {
	case "arp":
		culprit.Role = "host on the local network that does not answer ARP (switched off or gone)"
		target = k.host.String()
		tried = "reach the local address"
		how = "its ARP requests get no reply, so not even a SYN can leave the machine (the port is not visible on the wire)"
		filt = fmt.Sprintf("(arp.opcode == 1 && arp.dst.proto_ipv4 == %s)", k.host)
	case "udp":
		tried = "query"
		how = "the datagrams get no answer"
	}
	if len(g.others) > 0 {
		var ports []string
		for _, o := range g.others {
			ports = append(ports, itoa(int(o.Port)))
		}
		how += " (it also tried port " + strings.Join(ports, ", ") + ", with the same result)"
	}
	f.Title = fmt.Sprintf("%s waits %s for unreachable %s before each request (%s, %s lost)",
		victimsS, trimF(culprit.TimeoutS, 1)+" s", target, plural(st.n, "stall", "stalls"), secs(st.lost))
	if waiter == "the server" {
		var sv []string
		seen := map[Endpoint]bool{}
		for _, s := range g.stalls {
			if !seen[s.Server] {
				seen[s.Server] = true
				sv = append(sv, s.Server.String())
			}
		}
		f.Title = fmt.Sprintf("Server %s waits %s for unreachable %s before each answer (%s from %s, %s lost)",
			strings.Join(sv, ", "), trimF(culprit.TimeoutS, 1)+" s", target, plural(st.n, "stall", "stalls"), victimsS, secs(st.lost))
		f.Explanation = fmt.Sprintf("%s got their requests to %s acknowledged at once, then waited up to %s. In every one of these gaps the server "+
			"itself is trying to %s %s; %s, and it answers %s after that attempt began, when it gives up. The server is not slow, it is blocked "+
			"on a back end it cannot reach (database, authentication, licence or DNS server behind it). Fix the path to %s or the server's "+
			"configuration.%s", victimsS, strings.Join(sv, ", "), secs(st.maxDur), tried, target, how, trimF(culprit.TimeoutS, 3)+" s", target, unS)
		f.DisplayFilter = filt + " || " + frameSet(stallEnds(g), 300)
		return true
	}
	tlsHold := false
	for _, s := range g.stalls {
		tlsHold = tlsHold || strings.HasPrefix(s.What, "TLS handshake")
	}
	f.Explanation = fmt.Sprintf("On %s, %s the TCP connection is ready but %s sends nothing for up to %s. "+
		"In every one of these gaps the same host is trying to %s %s; %s, and the held request goes out %s after that attempt began, "+
		"when it is abandoned. This is the signature of a local agent (endpoint security / web filter / licence or proxy check) that asks a server "+
		"it cannot reach before letting each request through, waits for its timeout, then fails open. The web servers are not slow: once the request "+
		"is sent they answer promptly. Fix the path to %s (routing, VPN, firewall, or the box itself) or reconfigure the agent on the affected machine.%s",
		victimsS, plural(st.n, "time", "times"), waiter, secs(st.maxDur), tried, target, how, trimF(culprit.TimeoutS, 3)+" s", target, unS)
	f.DisplayFilter = filt + " || " + frameSet(stallEnds(g), 300)
	if tlsHold {
		f.Explanation += " Here the hold is inside the TLS handshake, right after the server sent its certificate: the client checks the " +
			"certificate's revocation (OCSP or CRL) at a responder it cannot reach, waits, then soft-fails and continues."
	}
	x.c = culprit
	return true
}

func ruleRefused(x *explainCtx) bool {
	st, k, ep, ipf, f, culprit, victimsS, unS := x.st, x.k, x.ep, x.ipf, x.f, x.c, x.victimsS, x.unS
	culprit.Role = "server port that refuses connections"
	f.Severity = Info
	if st.n >= 3 || len(x.machines) >= 3 {
		f.Severity = Warning // a pattern, not one stray attempt
	}
	f.Title = fmt.Sprintf("%s refuses connections (%s from %s)", x.e.namedEP(ep), plural(st.n, "attempt", "attempts"), victimsS)
	f.Explanation = fmt.Sprintf("Every SYN to %s was answered at once with a reset: the host is up but nothing listens on port %d "+
		"(or a host firewall rejects it). %s tried %s; an application that keeps retrying wastes time and shows errors to its users. "+
		"Start the service, or fix the client's configured address or port.%s", ep, k.port, victimsS, plural(st.n, "time", "times"), unS)
	f.DisplayFilter = fmt.Sprintf("%s.addr == %s && tcp.port == %d && (tcp.flags.syn == 1 || tcp.flags.reset == 1)", ipf, k.host, k.port)
	if ok, all, _ := x.intermittent(); ok {
		culprit.Role = "server port that refuses some connections"
		f.Severity = intermittentSeverity(all)
		f.Title = fmt.Sprintf("%s refuses some connections: %s attempts refused or unanswered", ep, lossWords(all))
		f.Explanation = fmt.Sprintf("%s accepted %s of the %s connection attempts in the capture and answered %s with a reset: "+
			"the service is up but sometimes rejects connections (a full accept queue, a connection limit, a restart).%s",
			ep, commas(all.answered), commas(all.total()), plural(st.n, "attempt", "attempts"), unS)
	}
	x.c = culprit
	return true
}

func ruleConnTimeout(x *explainCtx) bool {
	g, st, k, ep, ipf, f, culprit, victimsS, unS := x.g, x.st, x.k, x.ep, x.ipf, x.f, x.c, x.victimsS, x.unS
	culprit.Role = "server that never answers connection attempts"
	f.Severity = Info
	syns := 0
	for _, s := range g.stalls {
		syns += s.count
	}
	if st.n >= 3 || len(x.machines) >= 2 || (st.n >= 2 && syns > st.n) {
		f.Severity = Warning // a pattern: one lost attempt is not
	}
	f.Title = fmt.Sprintf("Connections to %s are never answered (%s, %s)", x.e.namedEP(ep), plural(st.n, "attempt", "attempts"), plural(syns, "SYN", "SYNs"))
	f.Explanation = fmt.Sprintf("%s sent %s to %s and got nothing back: no SYN/ACK, no reset, no ICMP error. Something in the path drops the "+
		"packets silently (a firewall, a missing route, a down VPN) or the host is gone. Each attempt costs the client its full connect timeout.%s",
		victimsS, plural(syns, "SYN", "SYNs"), ep, unS)
	f.DisplayFilter = fmt.Sprintf("%s.dst == %s && tcp.dstport == %d && tcp.flags.syn == 1", ipf, k.host, k.port)
	if ok, all, _ := x.intermittent(); ok {
		culprit.Role = "server that misses some connection attempts"
		f.Severity = intermittentSeverity(all)
		f.Title = fmt.Sprintf("Connections to %s sometimes go unanswered: %s attempts failed (intermittent loss)", ep, lossWords(all))
		f.Explanation = fmt.Sprintf("%s answered %s of the %s connection attempts in the capture, so it is reachable; %s sent %s that got "+
			"nothing back. Some packets to or from it are lost (a congested or lossy path, an overloaded listener dropping SYNs).%s",
			ep, commas(all.answered), commas(all.total()), victimsS, plural(syns, "SYN", "SYNs"), unS)
	}
	x.c = culprit
	return true
}

func ruleSYNRetrans(x *explainCtx) bool {
	st, k, ep, ipf, f, culprit, victimsS, unS := x.st, x.k, x.ep, x.ipf, x.f, x.c, x.victimsS, x.unS
	culprit.Role = "server reached only after SYN retransmissions"
	f.Severity = Warning
	if k.port == 0 {
		// one client, several servers: the trouble is on that client's side of the path
		culprit.Role = "path near this client: its first SYNs are lost on the way to several servers"
		var sv []netip.Addr
		seen := map[netip.Addr]bool{}
		for s := range st.servers {
			if !seen[s.Addr] {
				seen[s.Addr] = true
				sv = append(sv, s.Addr)
			}
		}
		sort.Slice(sv, func(i, j int) bool { return sv[i].Less(sv[j]) })
		f.Title = fmt.Sprintf("%s's connections start late: SYNs retransmitted to %s (%s, %s lost)", k.host, plural(len(sv), "server", "servers"),
			plural(st.n, "connection", "connections"), secs(st.lost))
		f.Explanation = fmt.Sprintf("%s had to send the SYN again before %s answered; each retransmission waits the stack's initial "+
			"retransmission timeout (%s here: Linux waits 1 s, Windows 3 s, doubling each time). Because it happens towards several unrelated "+
			"servers from this one host, the loss is near it: a firewall or NAT that drops first SYNs (connection-rate limits, SYN-flood protection), "+
			"a full state table, or a flaky first hop.%s", k.host, addrList(sv, 6), secsOrUnknown(culprit.TimeoutS), unS)
		f.DisplayFilter = fmt.Sprintf("(%s.src == %s && tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.analysis.retransmission) || %s", ipf, k.host, frameSet(st.evidence, 300))
		return true
	}
	f.Title = fmt.Sprintf("Connection setup to %s needed SYN retransmissions (%s, %s lost)", ep, plural(st.n, "connection", "connections"), secs(st.lost))
	f.Explanation = fmt.Sprintf("%s had to send the SYN to %s more than once before the SYN/ACK came back; each lost SYN or SYN/ACK costs the "+
		"stack's initial retransmission timeout (1 s on Linux, 3 s on Windows), doubling each time. Look for loss or an overloaded listener "+
		"(full accept queue) on the way to %s.%s", victimsS, ep, k.host, unS)
	f.DisplayFilter = fmt.Sprintf("%s.addr == %s && tcp.port == %d && tcp.flags.syn == 1", ipf, k.host, k.port)
	x.c = culprit
	return true
}

func ruleHighLatency(x *explainCtx) bool {
	st, k, ep, ipf, f, culprit, victimsS, unS := x.st, x.k, x.ep, x.ipf, x.f, x.c, x.victimsS, x.unS
	culprit.Role = "far-away or slow network path"
	f.Severity = Info
	if st.maxDur >= int64(500*time.Millisecond) {
		f.Severity = Warning
	}
	f.Title = fmt.Sprintf("High network latency to %s: %s for one round trip", ep, secs(st.maxDur))
	f.Explanation = fmt.Sprintf("The TCP handshake from %s to %s took %s without any retransmission: one round trip on this path costs that much, "+
		"and every exchange on the connection pays it again (each request, each window of data). The server is not the bottleneck when its ACKs "+
		"are as late as its data; look at the path (satellite/cellular link, congested or bufferbloated queue, far-away site or a detour in routing).%s",
		victimsS, ep, rangeOf(secs(st.minDur), secs(st.maxDur)), unS)
	f.DisplayFilter = fmt.Sprintf("%s.addr == %s && tcp.port == %d && tcp.flags.syn == 1", ipf, k.host, k.port)
	x.c = culprit
	return true
}
