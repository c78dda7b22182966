package flow_test

import (
	"net/netip"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/flow"
)

// TestMediaConversationStreams checks Wireshark's udp.stream numbering of
// conversations SDP or Skinny set up ahead of the traffic: a 5-tuple seen
// before any registration keeps its number; one whose first datagram
// found a registration takes the registration's number, a new one for
// each new registration, and each direction the one it found.
func TestMediaConversationStreams(t *testing.T) {
	tr := flow.NewTracker()
	a, b := netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")
	n := uint64(0)
	udp := func(src, dst netip.Addr, sport, dport uint16, conv uint64) int64 {
		n++
		f := &decode.Frame{Number: n, TS: int64(n) * 1e6, Len: 60}
		f.Analysis = decode.Analysis{Stream: -1}
		f.Present = decode.Protos(decode.ProtoFrame, decode.ProtoIP, decode.ProtoUDP)
		f.Layers = []decode.Layer{{Proto: decode.ProtoIP, Off: 14}, {Proto: decode.ProtoUDP, Off: 34}}
		f.IP.Src, f.IP.Dst = src, dst
		f.UDP.SrcPort, f.UDP.DstPort = sport, dport
		f.MediaConv = conv
		tr.Process(f)
		return f.Analysis.Stream
	}
	steps := []struct {
		src, dst     netip.Addr
		sport, dport uint16
		conv         uint64
		want         int64
	}{
		{a, b, 5060, 5060, 0, 0},  // signalling: an exact conversation
		{a, b, 4000, 6000, 0, 1},  // media before its setup: exact
		{a, b, 4002, 6002, 7, 2},  // media after a setup: the registration's stream
		{a, b, 4002, 6002, 7, 2},  // same registration
		{b, a, 6002, 4002, 8, 3},  // the other direction found the other endpoint's registration
		{a, b, 4002, 6002, 9, 4},  // a new setup frame: a new stream on the same 5-tuple
		{a, b, 4000, 6000, 9, 1},  // the exact conversation wins over any registration
		{b, a, 6002, 4002, 8, 3},  // back to a known registration
		{a, b, 5060, 5060, 0, 0},  // signalling unchanged
		{b, a, 7000, 7001, 10, 5}, // registrations numbered on first use only
		{a, b, 4100, 4101, 0, 6},  // and exact conversations after them in order
	}
	for i, s := range steps {
		if got := udp(s.src, s.dst, s.sport, s.dport, s.conv); got != s.want {
			t.Errorf("datagram %d (%v:%d -> %v:%d, conversation %d): udp.stream %d, want %d",
				i+1, s.src, s.sport, s.dst, s.dport, s.conv, got, s.want)
		}
	}
}
