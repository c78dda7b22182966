package analyze_test

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/decode"
)

// tailDownload writes a clean 40-segment download whose last segment is sent
// again after probeMs, then, when rtoMs > 0, once more after rtoMs, before the
// client's ACK arrives.
func tailDownload(t *testing.T, probeMs, rtoMs float64) string {
	path := filepath.Join(t.TempDir(), "tail.pcap")
	s := newSynth(t, path)
	cli, srv := netip.MustParseAddr("10.70.0.5"), netip.MustParseAddr("10.70.9.80")
	const ack, syn, psh = decode.TCPAck, decode.TCPSyn, decode.TCPPsh
	const cp = 40100
	s.put(0, ipv4(cli, srv, 64, 6, tcpSeg(cp, 80, 100, 0, syn, "")))
	s.put(1, ipv4(srv, cli, 64, 6, tcpSeg(80, cp, 900, 101, syn|ack, "")))
	s.put(2, ipv4(cli, srv, 64, 6, tcpSeg(cp, 80, 101, 901, ack, "")))
	s.put(3, ipv4(cli, srv, 64, 6, tcpSeg(cp, 80, 101, 901, psh|ack, "GET /f HTTP/1.1\r\n\r\n")))
	seg := strings.Repeat("x", 1000)
	seq := uint32(901)
	ms := 5.0
	for i := 0; i < 40; i++ {
		s.put(ms, ipv4(srv, cli, 64, 6, tcpSeg(80, cp, seq, 120, ack, seg)))
		seq += 1000
		if i%2 == 1 && i < 39 {
			s.put(ms+0.2, ipv4(cli, srv, 64, 6, tcpSeg(cp, 80, 120, seq, ack, "")))
		}
		ms++
	}
	last := seq - 1000
	t0 := ms - 1
	s.put(t0+probeMs, ipv4(srv, cli, 64, 6, tcpSeg(80, cp, last, 120, ack, seg)))
	end := t0 + probeMs
	if rtoMs > 0 {
		s.put(t0+rtoMs, ipv4(srv, cli, 64, 6, tcpSeg(80, cp, last, 120, ack, seg)))
		end = t0 + rtoMs
	}
	s.put(end+1, ipv4(cli, srv, 64, 6, tcpSeg(cp, 80, 120, seq, ack, "")))
	s.close()
	return path
}

// TestTailLossProbeIsNotLoss: one retransmission of the newest segment, sent
// as a tail loss probe (here 2 RTT + 200 ms, Linux's probe with one segment
// in flight) and acknowledged right after, costs nothing the user feels: no
// packet-loss finding. The same segment sent again after a real timeout is
// loss that cost time and is reported.
func TestTailLossProbeIsNotLoss(t *testing.T) {
	for _, tc := range []struct {
		name       string
		probe, rto float64
		want       bool
		minLost    time.Duration
	}{
		{name: "fast probe", probe: 15},
		{name: "probe after delayed-ack allowance", probe: 204},
		{name: "probe then timeout", probe: 204, rto: 1600, want: true, minLost: time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eng := diagnoseFile(t, tailDownload(t, tc.probe, tc.rto), analyze.Config{})
			var loss *analyze.Finding
			for _, f := range eng.Findings() {
				t.Logf("%s %s: %s", f.Severity, f.Category, f.Title)
				if f.Category == analyze.CatPacketLoss {
					loss = &f
				}
			}
			switch {
			case !tc.want && loss != nil:
				t.Errorf("a single tail loss probe became a packet-loss finding: %s", loss.Title)
			case tc.want && loss == nil:
				t.Errorf("a tail segment lost for %.1f s is not reported as packet loss", tc.rto/1000)
			case tc.want && (loss.TimeLost < tc.minLost || loss.Severity < analyze.Warning):
				t.Errorf("packet loss %s with %v lost, want a warning with at least %v", loss.Severity, loss.TimeLost, tc.minLost)
			}
		})
	}
}
