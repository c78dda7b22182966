package analyze_test

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/pipeline"
)

// TestSteadyTCPAllocatesNothing feeds the data and ACK segments of an
// established connection through the pipeline into the diagnosis engine and
// requires no allocation per packet: a pointer handed through the rules'
// per-packet hook once escaped to the heap on every TCP segment, costing
// diagnose 10% of its time on the 1 GB benchmark.
func TestSteadyTCPAllocatesNothing(t *testing.T) {
	pl, err := pipeline.New(pipeline.Config{})
	if err != nil {
		t.Fatal(err)
	}
	eng := analyze.New(analyze.Config{})
	feed := pl.Feed(pipeline.Interfaces{{LinkType: capture.LinkEthernet, SnapLen: 65535}}, func(f *decode.Frame) error {
		eng.Add(f)
		return nil
	})
	defer feed.Close()
	cli, srv := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")
	ts := int64(1_700_000_000_000_000_000)
	push := func(b []byte) {
		ts += 1_000_000 // 1 ms
		if _, err := feed.Push(capture.Packet{Info: capture.Info{TS: ts, CapLen: len(b), Len: len(b), LinkType: capture.LinkEthernet}, Data: b}); err != nil {
			t.Fatal(err)
		}
	}
	const syn, ack, psh = 0x02, 0x10, 0x08
	push(ipv4(cli, srv, 64, 6, tcpSeg(40000, 80, 1000, 0, syn, "")))
	push(ipv4(srv, cli, 64, 6, tcpSeg(80, 40000, 5000, 1001, syn|ack, "")))
	push(ipv4(cli, srv, 64, 6, tcpSeg(40000, 80, 1001, 5001, ack, "")))
	data := ipv4(srv, cli, 64, 6, tcpSeg(80, 40000, 5001, 1001, ack|psh, string(make([]byte, 100))))
	back := ipv4(cli, srv, 64, 6, tcpSeg(40000, 80, 1001, 5001, ack, ""))
	seq := uint32(5001)
	step := func() {
		binary.BigEndian.PutUint32(data[34+4:], seq) // TCP sequence number
		push(data)
		seq += 100
		binary.BigEndian.PutUint32(back[34+8:], seq) // TCP acknowledgement number
		push(back)
	}
	for i := 0; i < 200; i++ {
		step()
	}
	if n := testing.AllocsPerRun(2000, step); n > 0.01 {
		t.Errorf("%.3f allocations per data+ACK pair through pipeline and engine, want 0", n)
	}
}
