package analyze

import (
	"fmt"
	"time"

	"github.com/wirewatch/wirewatch/decode"
)

// CatWindowLimited: a receiver's TCP window is too small for the path, so a
// transfer never has more than the window in flight and crawls at window ÷
// round trip, without loss and without a zero window.
const CatWindowLimited Category = "window-limited"

func init() {
	register(&rule{cat: CatWindowLimited, tcpPacket: windowPacket, connEnd: windowEnd, explain: ruleWindowLimited})
}

// winConn follows the data of one direction of a connection against the
// window its receiver offers.
type winConn struct {
	bytes     int64
	segs      int
	loss      int // retransmissions, lost segments, zero windows: another cause
	maxWin    int64
	lastWin   int64 // the receiver's last offered window (scaled), -1 unknown
	maxSeg    int
	first     int64
	last      int64
	firstFrm  uint64
	lastFrm   uint64
	lastWinOK bool
	minRTT    int64 // the smallest ack_rtt of 1 ms or more on this direction's packets
}

func windowPacket(e *Engine, c *conn, p *tcpPkt) {
	// the path's round trip: the quickest ACK of 1 ms or more sent in each
	// direction (an ACK from the far side of the capture point takes a round
	// trip, one from the near side microseconds and is left out)
	if p.ackRTT >= int64(time.Millisecond) && (c.wl[p.dir].minRTT == 0 || p.ackRTT < c.wl[p.dir].minRTT) {
		c.wl[p.dir].minRTT = p.ackRTT
	}
	if p.winSize >= 0 && p.flags&0x02 == 0 {
		w := &c.wl[1-p.dir]
		w.lastWin, w.lastWinOK = p.winSize, true
		if p.winSize > w.maxWin {
			w.maxWin = p.winSize
		}
		if p.an&(decode.AnZeroWindow) != 0 {
			w.loss++
		}
	}
	if p.payload == 0 {
		return
	}
	w := &c.wl[p.dir]
	if p.an&(decode.AnRetransmission|decode.AnFastRetransmission|decode.AnLostSegment|decode.AnZeroWindowProbe) != 0 {
		if p.an&decode.AnSpuriousRetransmission == 0 { // a tail-loss probe the receiver did not need is no loss
			w.loss++
		}
		return
	}
	if w.segs == 0 {
		w.first, w.firstFrm = p.ts, p.frame
	}
	w.segs++
	w.bytes += int64(p.payload)
	w.last, w.lastFrm = p.ts, p.frame
	if p.payload > w.maxSeg {
		w.maxSeg = p.payload
	}
}

// A window-limited transfer: long enough to be more than a burst (5
// windows), at the rate the window allows, clean (no loss, no zero window),
// and slow for its size by at least 200 ms compared with the same bytes sent
// with a 64 KB window (what any receiver today offers within a few round
// trips).
const (
	winMinWindows = 5
	winNormal     = 65535
	winMinLost    = int64(200 * time.Millisecond)
)

func windowEnd(e *Engine, c *conn, now int64, atEnd bool) {
	for d := 0; d < 2; d++ {
		w := &c.wl[d]
		if w.segs < 10 || w.loss > 0 || w.maxWin <= 0 || w.maxWin >= winNormal || c.rtt <= 0 {
			continue
		}
		if w.bytes < winMinWindows*w.maxWin {
			continue
		}
		dur := w.last - w.first
		if dur <= 0 {
			continue
		}
		// the rate is what the window allows: a window per round trip
		// (half of that at least, so a sender that is slow by itself,
		// a stream at its own pace, is not blamed on the window)
		// the round trip: the handshake's, or the quickest ACK of data when
		// shorter (the handshake may include ARP or a cold start)
		rtt := c.rtt
		m := c.wl[d].minRTT // the sender's ACKs of the receiver's requests
		if m == 0 {
			m = c.wl[1-d].minRTT
		}
		if m > 0 && m < rtt {
			rtt = m
		}
		rate := float64(w.bytes) / (float64(dur) / 1e9) // bytes/s
		capRate := float64(w.maxWin) / (float64(rtt) / 1e9)
		if rate < 0.5*capRate || rate > 1.3*capRate {
			continue
		}
		rounds := float64(w.bytes) / float64(winNormal)
		ideal := int64(rounds*float64(rtt)) + rtt
		lost := dur - ideal
		if lost < winMinLost {
			continue
		}
		rcv, snd := c.cli, c.srv
		if d == 0 {
			rcv, snd = c.srv, c.cli
		}
		e.addStall(stallRec{Stall: Stall{Proto: "tcp", Client: c.cli, Server: c.srv, Stream: c.stream,
			StartFrame: w.firstFrm, EndFrame: w.lastFrm, Start: w.first, End: w.last, WaitingOn: WaitReceiver,
			What: fmt.Sprintf("%s from %s in %s: at most %s of window offered by %s, %s on a %s path",
				byteWords(w.bytes), snd, secs(dur), byteWords(w.maxWin), rcv.Addr, rateWords(rate), fmtMs(rtt))},
			cat: CatWindowLimited, culprit: Endpoint{Addr: rcv.Addr}, cproto: "tcp", victim: c.cli.Addr,
			lost: lost, rtt: rtt, pkts: w.segs, count: int(w.maxWin)})
	}
}

func byteWords(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 10<<10:
		return fmt.Sprintf("%d kB", n/1000)
	}
	return fmt.Sprintf("%d bytes", n)
}

func rateWords(bps float64) string {
	bits := bps * 8
	switch {
	case bits >= 1e9:
		return fmt.Sprintf("%.1f Gbit/s", bits/1e9)
	case bits >= 1e6:
		return fmt.Sprintf("%.1f Mbit/s", bits/1e6)
	}
	return fmt.Sprintf("%.0f kbit/s", bits/1e3)
}

func ruleWindowLimited(x *explainCtx) bool {
	g, st, k, f, culprit, victimsS, unS := x.g, x.st, x.k, x.f, x.c, x.victimsS, x.unS
	culprit.Role = "receiver whose TCP window is too small for the path"
	culprit.Port = 0
	var win int64
	var rtt int64
	var dur int64
	for _, s := range g.stalls {
		win = max(win, int64(s.count))
		rtt = max(rtt, s.rtt)
		dur += s.End - s.Start
	}
	f.Severity = Info
	if st.lost >= int64(time.Second) || (st.n >= 2 && st.lost >= int64(500*time.Millisecond)) {
		f.Severity = Warning
	}
	capRate := float64(win) / (float64(rtt) / 1e9)
	f.Title = fmt.Sprintf("%s receives with a window of at most %s: transfers capped at %s on a %s path (%s, %s lost)",
		k.host, byteWords(win), rateWords(capRate), fmtMs(rtt), plural(st.n, "transfer", "transfers"), secs(st.lost))
	f.Explanation = fmt.Sprintf("%s offers a TCP receive window of at most %s. On a path with a %s round trip the sender may have no more "+
		"than that in flight, so it sends a window, waits for the ACK, and again: throughput is capped at window ÷ RTT = %s, whatever the "+
		"link could carry. There is no loss and no zero window: the receiver reads promptly, its window is simply too small (a small "+
		"SO_RCVBUF set by the application, which also switches off receive-window autotuning, or window scaling disabled). %s took %s "+
		"in all, %s more than with a 64 KB window. Let the application use the default buffer (or a larger one), or enable window "+
		"scaling.%s", victimsS, byteWords(win), fmtMs(rtt), rateWords(capRate), transferWords(st.n), secs(dur),
		secs(st.lost), unS)
	f.DisplayFilter = fmt.Sprintf("%s.addr == %s && tcp.len > 0 || %s.src == %s && tcp.window_size <= %d", x.ipf, k.host, x.ipf, k.host, win)
	x.c = culprit
	return true
}

func transferWords(n int) string {
	if n == 1 {
		return "The transfer"
	}
	return "The " + itoa(n) + " transfers"
}
