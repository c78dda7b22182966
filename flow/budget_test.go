package flow_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/flow"
	"github.com/wirewatch/wirewatch/internal/hostile"
	"github.com/wirewatch/wirewatch/pipeline"
)

// runFlood decodes a generated capture through a tracker with cfg and
// returns the stream of every frame and the most connections held at once.
func runFlood(t *testing.T, pcap []byte, cfg flow.Config) (streams []int64, maxLive int) {
	t.Helper()
	r, err := capture.NewReader(bytes.NewReader(pcap), "flood")
	if err != nil {
		t.Fatal(err)
	}
	pl, err := pipeline.New(pipeline.Config{Flow: cfg})
	if err != nil {
		t.Fatal(err)
	}
	feed := pl.Feed(r, func(f *decode.Frame) error {
		streams = append(streams, f.Analysis.Stream)
		return nil
	})
	defer feed.Close()
	for {
		p, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := feed.Push(p); err != nil {
			t.Fatal(err)
		}
		maxLive = max(maxLive, feed.Tracker().Live())
	}
	return streams, maxLive
}

// TestFlowBudget: with a budget of 500 live conversations, a flood of 3,000
// half-open TCP connections and 5,000 one-packet UDP flows holds at most 500
// at once, counts what it ended early, and streams stay right: a SYN-ACK
// joins its SYN's stream, every flow has its own, and a flow that comes back
// after its eviction continues its stream from its tomb.
func TestFlowBudget(t *testing.T) {
	var syn bytes.Buffer
	if err := hostile.SYNFlood(&syn, 3000); err != nil {
		t.Fatal(err)
	}
	// The first connection comes back at the end (its client ACKs).
	b := syn.Bytes()
	first := hostile.TCPPacket([4]byte{10, 1, 0, 0}, [4]byte{10, 0, 0, 2}, 1024, 80, 1, 1, hostile.ACK, nil)
	b = appendRecord(b, 1767225600*1e9+int64(40e6), first)

	var ev flow.Evictions
	streams, live := runFlood(t, b, flow.Config{MaxConns: 500, Evictions: &ev})
	if live > 500 {
		t.Errorf("TCP: %d connections held at once, budget 500", live)
	}
	if ev.TCP != 2501 || ev.UDP != 0 { // the returning connection makes room too
		t.Errorf("evictions %+v, want 2501 TCP", ev)
	}
	for i := 0; i < 3000; i++ {
		if streams[2*i] != int64(i) || streams[2*i+1] != int64(i) {
			t.Fatalf("connection %d: SYN stream %d, SYN-ACK stream %d", i, streams[2*i], streams[2*i+1])
		}
	}
	if s := streams[len(streams)-1]; s != 0 {
		t.Errorf("the evicted first connection came back as stream %d, want 0 (from its tomb)", s)
	}

	var udp bytes.Buffer
	if err := hostile.UDPFlood(&udp, 5000); err != nil {
		t.Fatal(err)
	}
	ub := appendRecord(udp.Bytes(), 1767225600*1e9+int64(6e6),
		hostile.UDPPacket([4]byte{10, 1, 0, 0}, [4]byte{10, 0, 0, 2}, 1024, 9999, make([]byte, 32)))
	ev = flow.Evictions{}
	streams, live = runFlood(t, ub, flow.Config{MaxConns: 500, Evictions: &ev})
	if live > 500 || ev.UDP != 4501 {
		t.Errorf("UDP: %d held at once, %d evicted; want ≤ 500 and 4501", live, ev.UDP)
	}
	if s := streams[len(streams)-1]; s != 0 {
		t.Errorf("the evicted first UDP flow came back as stream %d, want 0", s)
	}

	// The default budget ends nothing early here.
	ev = flow.Evictions{}
	runFlood(t, b, flow.Config{Evictions: &ev})
	if ev.Total() != 0 {
		t.Errorf("default budget: %+v evicted", ev)
	}
	t.Logf("budget 500: 3,000 half-open TCP and 5,000 UDP flows held at most %d at once; 2,501 and 4,501 ended early; streams kept", live)
}

// appendRecord appends one pcap record (the nanosecond format of
// hostile.PcapWriter) to a capture.
func appendRecord(b []byte, ts int64, data []byte) []byte {
	var buf bytes.Buffer
	w := hostile.NewPcapWriter(&buf)
	w.Write(hostile.Packet{TS: ts, Data: data})
	w.Close()
	return append(b, buf.Bytes()[24:]...)
}
