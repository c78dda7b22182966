package analyze

import (
	"fmt"
	"net/netip"
	"sort"
	"time"
)

func init() {
	register(&rule{cat: CatPacketLoss, explain: rulePacketLoss})
	register(&rule{cat: CatZeroWindow, explain: ruleZeroWindow})
	register(&rule{cat: CatPMTUBlackhole, explain: rulePMTU, confidence: confPMTU})
}

func rulePacketLoss(x *explainCtx) bool {
	g, st, f, culprit, victimsS, unS := x.g, x.st, x.f, x.c, x.victimsS, x.unS
	culprit = nil
	rate := 0.0
	if st.pkts > 0 {
		rate = float64(st.retrans) / float64(st.pkts)
	}
	f.Severity = Info
	if (rate >= 0.01 && st.retrans >= 3) || st.lost >= int64(time.Second) {
		f.Severity = Warning
	}
	srvs := map[netip.Addr]bool{}
	for s := range st.servers {
		srvs[s.Addr] = true
	}
	var sv []netip.Addr
	for a := range srvs {
		sv = append(sv, a)
	}
	sort.Slice(sv, func(i, j int) bool { return sv[i].Less(sv[j]) })
	f.Title = fmt.Sprintf("Packet loss on %s (%s retransmitted or missing of %s data segments, %s in recovery)",
		plural(st.n, "connection", "connections"), itoa(st.retrans), itoa(st.pkts), secs(st.lost))
	down := 0
	for _, s := range g.stalls {
		if s.detail == "server→client" {
			down++
		}
	}
	f.Explanation = fmt.Sprintf("Connections from %s to %s lose segments: the capture shows retransmissions and gaps "+
		"(segments missing before they reached the capture point), the receivers send duplicate ACKs and SACKs, and each loss costs a fast "+
		"retransmission or a timeout. TCP halves its sending rate after every loss, so these transfers run slower than the link allows. ",
		victimsS, addrList(sv, 6))
	if down*2 > st.n {
		f.Explanation += "The losses are mostly on data flowing from the servers to the clients (downstream). "
	} else {
		f.Explanation += "The losses are mostly on data flowing from the clients to the servers (upstream). "
	}
	f.Explanation += "Look for a lossy link, a congested queue or a duplex mismatch on the path these connections share."
	if unS != "" {
		f.Explanation += unS
	}
	f.DisplayFilter = "(tcp.analysis.retransmission || tcp.analysis.lost_segment || tcp.analysis.fast_retransmission) && (" + connFilter(g, 20) + ")"
	x.c = culprit
	return true
}

func ruleZeroWindow(x *explainCtx) bool {
	e, g, st, k, ipf, f, culprit := x.e, x.g, x.st, x.k, x.ipf, x.f, x.c
	culprit.Role = "receiver that stops reading"
	culprit.Port = commonPort(g, true)
	f.Severity = Info
	if st.maxDur >= int64(time.Second) || st.lost >= int64(time.Second) {
		f.Severity = Warning
	}
	f.Title = fmt.Sprintf("%s closes its receive window (zero window, up to %s)", k.host, secs(st.maxDur))
	if st.open > 0 {
		f.Title = fmt.Sprintf("%s closed its receive window and never reopened it (%s)", k.host, secs(st.maxDur))
	}
	f.Explanation = fmt.Sprintf("%s advertised a zero receive window %s, so the sender had to stop and wait (%s in total). "+
		"The network is not the bottleneck: the receiving application does not read its socket fast enough (busy CPU, slow disk, small buffers).",
		k.host, plural(st.n, "time", "times"), secs(st.lost))
	if st.maxDur < int64(e.cfg.MinStall) {
		f.Explanation = fmt.Sprintf("%s advertised a zero receive window %s, but reopened it within %s each time: a receiver that "+
			"briefly fell behind, harmless unless it grows.", k.host, plural(st.n, "time", "times"), secs(st.maxDur))
	}
	f.DisplayFilter = fmt.Sprintf("tcp.window_size == 0 && tcp.flags.reset == 0 && %s.src == %s", ipf, k.host)
	x.c = culprit
	return true
}

func rulePMTU(x *explainCtx) bool {
	g, st, k, ipf, f, culprit, victimsS, unS := x.g, x.st, x.k, x.ipf, x.f, x.c, x.victimsS, x.unS
	culprit.Role = "path that drops large packets silently"
	culprit.Port = commonPort(g, false)
	f.Severity = Critical
	f.Title = fmt.Sprintf("Large packets from %s vanish on the way to %s (path MTU black hole, %s lost)", k.host, victimsS, secs(st.lost))
	f.Explanation = fmt.Sprintf("%s sent full-size segments to %s that never arrived (%s), while its small packets "+
		"(ACKs, FIN) of the same connections got through, and no ICMP 'fragmentation needed' / 'packet too big' came back. %s waited %s and gave up. "+
		"A link with a smaller MTU (VPN, PPPoE, tunnel) drops the large packets and a filter eats the ICMP that would tell the sender to shrink them. "+
		"Allow ICMP type 3 code 4 / ICMPv6 type 2 through, or clamp the TCP MSS on the tunnel.%s", k.host, victimsS, whatList(g, 2), victimsS, secs(st.maxDur), unS)
	f.DisplayFilter = fmt.Sprintf("%s.addr == %s && tcp && (%s)", ipf, k.host, frameSet(st.evidence, 300))
	x.c = culprit
	return true
}

// confPMTU: a black hole is three observations at once on each connection
// (full-size segments that never arrive or are sent again and again, small
// packets of the same sender that do arrive, no ICMP saying why), so even
// one connection is strong evidence.
func confPMTU(x *explainCtx) (float64, string) {
	n := x.st.n
	return 1 - 0.15/float64(n), plural(n, "connection", "connections") +
		" where full-size segments vanished while small packets of the same sender arrived, and no ICMP too-big came back."
}
