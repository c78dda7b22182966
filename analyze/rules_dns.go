package analyze

import (
	"fmt"
	"strings"
	"time"
)

func init() {
	register(&rule{cat: CatDNSTimeout, explain: ruleDNSTimeout, confidence: causalConfidence})
	register(&rule{cat: CatDNSSlow, explain: ruleDNSSlow})
}

func ruleDNSTimeout(x *explainCtx) bool {
	e, g, st, k, ep, ipf, f, culprit, victimsS, unS := x.e, x.g, x.st, x.k, x.ep, x.ipf, x.f, x.c, x.victimsS, x.unS
	culprit.Role = "DNS server that does not answer"
	retried := 0
	resent := 0
	for _, s := range g.stalls {
		if !s.Open && s.timeout > 0 && s.count == 0 {
			retried++
		}
		if s.count > 0 {
			resent++
		}
	}
	if retried == 0 && resent == 0 && st.open == st.n && st.maxDur < int64(2*time.Second) {
		return false
	}
	if retried == 0 && resent == 0 && st.maxDur < int64(2*time.Second) {
		return false // a query still in flight at the end of the capture is not a timeout
	}
	f.Severity = Warning
	if retried >= 2 {
		f.Severity = Critical // several lookups waited the full timeout and failed over
	}
	if culprit.TimeoutS > 0 {
		f.Title = fmt.Sprintf("DNS server %s does not answer: %s waited %s per lookup (%s, %s lost)",
			k.host, victimsS, secsOrUnknown(culprit.TimeoutS), plural(st.n, "query", "queries"), secs(st.lost))
	} else {
		f.Title = fmt.Sprintf("DNS server %s never answers %s (%s)", k.host, victimsS, plural(st.n, "query", "queries"))
	}
	f.Explanation = fmt.Sprintf("%s sent %s to %s and got no answer. ", victimsS, plural(st.n, "DNS query", "DNS queries"), ep)
	if len(g.others) > 0 {
		var os []string
		for _, o := range g.others {
			os = append(os, o.Addr.String())
		}
		all := k.host.String() + " and " + strings.Join(os, ", ")
		f.Title = fmt.Sprintf("DNS servers %s do not answer: %s waited %s per lookup (%s, %s lost)",
			all, victimsS, secsOrUnknown(culprit.TimeoutS), plural(st.n, "query", "queries"), secs(st.lost))
		f.Explanation = fmt.Sprintf("%s sent %s to %s and got no answer from any of them: one outage, the resolver failing over from "+
			"one server to the next. ", victimsS, plural(st.n, "DNS query", "DNS queries"), all)
	}
	noDNS := e.otherDNSAnswers(k.host) == 0
	if retried > 0 || resent > 0 {
		f.Explanation += fmt.Sprintf("Each time the resolver waited %s, its timeout, and asked again, "+
			"so every new host name costs the user that long before the connection even starts. ", secsOrUnknown(culprit.TimeoutS))
	}
	if noDNS {
		f.Explanation += "No DNS server answered in the whole capture, so names do not resolve at all: check the path to the DNS servers " +
			"(firewall, routing, the upstream link) before their configuration." + unS
	} else {
		f.Explanation += fmt.Sprintf("Other DNS servers do answer: remove or fix %s in the resolver configuration of the affected hosts (or make it reachable).%s", k.host, unS)
	}
	f.DisplayFilter = fmt.Sprintf("(dns && %s.addr == %s) || %s", ipf, k.host, frameSet(stallEnds(g), 300))
	if ok, all, around := x.intermittent(); ok {
		culprit.Role = "DNS server that misses some queries"
		f.Severity = intermittentSeverity(all)
		f.Title = fmt.Sprintf("DNS server %s leaves %s queries unanswered: intermittent loss, not an outage (%s lost)",
			k.host, lossWords(all), secs(st.lost))
		f.Explanation = fmt.Sprintf("%s answered %s of the %s queries sent to it in the capture (%s of %s around these waits), "+
			"so it is up; the %s it missed cost %s a resolver timeout each (%s per lookup). Look for packet loss on the path to it "+
			"or an overloaded server, not for a dead one.%s",
			k.host, commas(all.answered), commas(all.total()), commas(around.answered), commas(around.total()),
			plural(all.failed, "query", "queries"), victimsS, secsOrUnknown(culprit.TimeoutS), unS)
	}
	x.c = culprit
	return true
}

// dnsSlowMin is the answer delay that counts as slow: a resolver answers
// from its cache in a millisecond and after recursion in tens to a couple of
// hundred; 300 ms and more, again and again, is a resolver users feel.
const dnsSlowMin = int64(300 * time.Millisecond)

// ruleDNSSlow: a DNS server that answers, but late. One late answer is a
// cache miss to a far authority; a server most of whose answers are late
// (with several users' lookups waiting on it) is the cause an expert names.
func ruleDNSSlow(x *explainCtx) bool {
	e, st, k, ipf, f, culprit, victimsS, unS := x.e, x.st, x.k, x.ipf, x.f, x.c, x.victimsS, x.unS
	culprit.Role = "slow DNS server"
	answers := e.dnsAnswersBy[k.host]
	slow := 0 // answered late to their first transmission: the server is slow, not the path lossy
	for _, s := range x.g.stalls {
		if s.count == 0 {
			slow++
		}
	}
	share := 1.0
	if answers > 0 {
		share = float64(slow) / float64(answers)
	}
	consistent := slow >= 3 && share >= 0.5
	if st.maxDur < int64(time.Second) && !consistent {
		return false // a few slowish answers among many quick ones: normal recursion
	}
	f.Severity = Info
	if st.maxDur >= int64(2*time.Second) || (consistent && st.lost >= int64(time.Second)) {
		f.Severity = Warning
	}
	med := make([]float64, 0, len(x.g.stalls))
	for _, s := range x.g.stalls {
		med = append(med, float64(s.End-s.Start))
	}
	m := int64(median(med))
	if slow == 0 {
		culprit.Role = "DNS server whose answers came only after retransmissions"
		f.Title = fmt.Sprintf("DNS server %s answered %s only after the resolver asked again (lost packets), up to %s; %s lost",
			k.host, plural(st.n, "query", "queries"), secs(st.maxDur), secs(st.lost))
		f.Explanation = fmt.Sprintf("%s from %s got no answer to the first transmission; the resolver asked again and the answer came "+
			"after up to %s. The server answers; packets to or from it are lost.%s", plural(st.n, "query", "queries"), victimsS,
			secs(st.maxDur), unS)
		culprit.TimeoutS = 0
		f.DisplayFilter = fmt.Sprintf("dns.retransmission == 1 && %s.addr == %s", ipf, k.host)
		x.c = culprit
		return true
	}
	f.Title = fmt.Sprintf("DNS server %s answers slowly: %s of %s took %s (median), up to %s; %s lost",
		k.host, plural(st.n, "answer", "answers"), commas(answers), secs(m), secs(st.maxDur), secs(st.lost))
	f.Explanation = fmt.Sprintf("%s from %s waited %s (median, up to %s) for %s to answer; %d of its %s in the capture were that slow. "+
		"The answers are correct, only late, and every new name costs the user that long before the connection starts. A DNS server "+
		"on a healthy network answers from its cache in milliseconds: this one is overloaded or forwards to a slow or distant upstream. "+
		"Fix or replace it in the resolver configuration of the affected hosts.%s",
		plural(st.n, "query", "queries"), victimsS, secs(m), secs(st.maxDur), k.host, st.n, plural(answers, "answer", "answers"), unS)
	culprit.TimeoutS = 0
	f.DisplayFilter = fmt.Sprintf("dns.flags.response == 1 && dns.time >= %s && %s.src == %s", trimF(float64(dnsSlowMin)/1e9, 1), ipf, k.host)
	x.c = culprit
	return true
}
