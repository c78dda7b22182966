package analyze

import (
	"fmt"
	"math"
	"strings"
)

func init() {
	register(&rule{cat: CatServerThink, explain: ruleServerThink})
	register(&rule{cat: CatClientDelay, explain: ruleClientDelay})
	register(&rule{cat: CatMiddleboxReset, explain: ruleMiddleboxReset, confidence: confMiddlebox})
	register(&rule{cat: CatPeerReset, explain: rulePeerReset})
}

func ruleServerThink(x *explainCtx) bool {
	e, g, st, k, ep, ipf, f, culprit, unS := x.e, x.g, x.st, x.k, x.ep, x.ipf, x.f, x.c, x.unS
	culprit.Role = "slow application server"
	f.Severity = Info
	known := false
	for _, s := range g.stalls {
		known = known || s.known
	}
	if st.maxDur >= int64(e.cfg.ThinkWarn) && known {
		f.Severity = Warning
	}
	outlier := ""
	if n := e.answers[ep]; n >= 5 && st.n*10 < n {
		// a server that answered most requests promptly: an outlier worth
		// knowing, not a slow server
		f.Severity = Info
		outlier = fmt.Sprintf(" It answered the other %s of its %s requests in the capture promptly, so these are outliers.", itoa(n-st.n), itoa(n))
	}
	acked := ""
	for _, s := range g.stalls {
		if s.ack > 0 {
			acked = fmt.Sprintf(" The server's TCP stack acknowledged the request within %s, so the network delivered it; the time is spent in the application.", fmtMs(s.ack))
			break
		}
	}
	rtt := ""
	if st.maxRTT > 0 {
		rtt = fmt.Sprintf(" against a network round trip of only %s", fmtMs(st.maxRTT))
	}
	urls := whatList(g, 4)
	f.Title = fmt.Sprintf("Server %s takes up to %s to answer (%s)", x.e.namedEP(ep), secs(st.maxDur), plural(st.n, "slow response", "slow responses"))
	f.Explanation = fmt.Sprintf("The client sent its request promptly and then waited %s for the first byte of the answer from %s%s.%s "+
		"Slow requests: %s. Look at the server application and its back ends, not at the network.%s"+outlier,
		rangeOf(secs(st.minDur), secs(st.maxDur)), ep, rtt, acked, urls, unS)
	f.DisplayFilter = fmt.Sprintf("%s.addr == %s && tcp.port == %d && %s", ipf, k.host, k.port, frameSet(st.evidence, 300))
	x.c = culprit
	return true
}

func ruleClientDelay(x *explainCtx) bool {
	st, k, f, culprit := x.st, x.k, x.f, x.c
	culprit.Role = "client that waits before sending"
	culprit.Port, culprit.Proto = 0, ""
	f.Severity = Info
	f.Title = fmt.Sprintf("%s waits up to %s after connecting before sending its request (%s)", k.host, secs(st.maxDur), plural(st.n, "time", "times"))
	f.Explanation = fmt.Sprintf("After the TCP handshake completed, %s sent nothing for %s. Nothing else that host did in these gaps "+
		"explains them (no failed connection, DNS or ARP attempt that ends when the request leaves), so this is the client application: "+
		"pre-opened (speculative) connections, a slow local proxy or a busy machine.", k.host, rangeOf(secs(st.minDur), secs(st.maxDur)))
	f.DisplayFilter = frameSet(st.evidence, 300)
	culprit = &Culprit{Host: k.host, Role: culprit.Role}
	x.c = culprit
	return true
}

func ruleMiddleboxReset(x *explainCtx) bool {
	e, g, st, k, ep, ipf, f, culprit, victimsS, unS := x.e, x.g, x.st, x.k, x.ep, x.ipf, x.f, x.c, x.victimsS, x.unS
	culprit.Role = "device in the path that resets connections in the server's name"
	f.Severity = Critical
	clue := ""
	for _, s := range g.stalls {
		if s.detail != "" {
			clue = strings.TrimSuffix(strings.TrimSpace(s.detail), ";")
			break
		}
	}
	if dev := e.deviceFor(g); dev.IsValid() {
		culprit.Device = dev
	}
	f.Title = fmt.Sprintf("A middlebox resets %s's connections to %s (%s)", victimsS, ep, plural(st.n, "session", "sessions"))
	who := "A device in the path (transparent proxy, IPS, firewall doing protocol inspection) answers for the server and kills the session."
	if culprit.Device.IsValid() {
		who = "The router " + culprit.Device.String() + ", whose MAC address carried the resets, is the device: as a transparent proxy, IPS or " +
			"inspecting firewall it answers for the server and kills the session."
	}
	f.Explanation = fmt.Sprintf("Sessions (or connection attempts) from %s to %s were torn down by a TCP reset that claims to come from %s but was not sent by it: %s. "+
		"%s Check that device's policies and licences for this traffic; the real server is probably fine.%s",
		victimsS, ep, k.host, clue, who, unS)
	f.DisplayFilter = fmt.Sprintf("%s.addr == %s && tcp.port == %d && (tcp.flags.reset == 1 || tcp.flags.syn == 1)", ipf, k.host, k.port)
	x.c = culprit
	return true
}

func rulePeerReset(x *explainCtx) bool {
	st, k, ep, ipf, f, culprit, victimsS, unS := x.st, x.k, x.ep, x.ipf, x.f, x.c, x.victimsS, x.unS
	culprit.Role = "server that resets connections"
	f.Severity = Info
	if st.n >= 3 {
		f.Severity = Warning
	}
	f.Title = fmt.Sprintf("%s resets established connections (%s)", ep, plural(st.n, "reset", "resets"))
	f.Explanation = fmt.Sprintf("%s aborted %s from %s with a TCP reset in the middle of the exchange. Nothing about the resets "+
		"(TTL, timing) suggests a device in the path, so the server application or its host closed them abruptly.%s", ep, plural(st.n, "session", "sessions"), victimsS, unS)
	f.DisplayFilter = fmt.Sprintf("%s.addr == %s && tcp.port == %d && tcp.flags.reset == 1", ipf, k.host, k.port)
	x.c = culprit
	return true
}

// confMiddlebox weighs the clues that a reset was forged: the real server
// answering the SYN after the "refusal" is decisive, a reset through the
// router's MAC with an untouched TTL is strong, a TTL that differs from the
// server's packets good, a reset faster than the round trip alone weak
// (delayed or jittery paths can mimic it); each further session adds.
func confMiddlebox(x *explainCtx) (float64, string) {
	w := 0.0
	var kinds []string
	has := func(sub string) bool {
		for _, s := range x.g.stalls {
			if strings.Contains(s.detail, sub) {
				return true
			}
		}
		return false
	}
	for _, c := range []struct {
		sub, what string
		w         float64
	}{
		{"answered the same SYN with a SYN/ACK", "the real server answered the SYN after the reset", 3},
		{"router's MAC address", "the reset came from the router's MAC with an untouched TTL", 2},
		{"IP TTL is", "its TTL differs from the server's packets", 1.5},
		{"faster than the", "it came faster than the round trip allows", 1},
	} {
		if has(c.sub) {
			w += c.w
			kinds = append(kinds, c.what)
		}
	}
	if w == 0 {
		w = 1
	}
	conf := 1 - math.Pow(0.5, w)*math.Pow(0.7, float64(x.st.n-1))
	basis := fmt.Sprintf("%s; %s.", plural(x.st.n, "session", "sessions"), strings.Join(kinds, ", "))
	return conf, basis
}
