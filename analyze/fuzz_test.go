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

// FuzzEngine feeds arbitrary packet sequences through decode, flow and the
// engine: nothing may panic, and the findings must stay well formed.
// The input is a series of records: 2-byte length, 2-byte time step (ms), data.
func FuzzEngine(f *testing.F) {
	cli, srv := netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")
	seed := func(pkts ...[]byte) []byte {
		var b []byte
		for _, p := range pkts {
			b = binary.BigEndian.AppendUint16(b, uint16(len(p)))
			b = binary.BigEndian.AppendUint16(b, 700)
			b = append(b, p...)
		}
		return b
	}
	f.Add(seed(
		ipv4(cli, srv, 64, 6, tcpSeg(1000, 80, 1, 0, decode.TCPSyn, "")),
		ipv4(srv, cli, 60, 6, tcpSeg(80, 1000, 9, 2, decode.TCPSyn|decode.TCPAck, "")),
		ipv4(cli, srv, 64, 6, tcpSeg(1000, 80, 2, 10, decode.TCPAck, "")),
		ipv4(cli, srv, 64, 6, tcpSeg(1000, 80, 2, 10, decode.TCPAck|decode.TCPPsh, "GET / HTTP/1.1\r\n\r\n")),
		ipv4(srv, cli, 60, 6, tcpSeg(80, 1000, 9000, 20, decode.TCPAck, "")),
		ipv4(srv, cli, 61, 6, tcpSeg(80, 1000, 10, 20, decode.TCPRst, "")),
	))
	f.Fuzz(func(t *testing.T, in []byte) {
		eng := analyze.New(analyze.Config{})
		pl, err := pipeline.New(pipeline.Config{})
		if err != nil {
			t.Fatal(err)
		}
		feed := pl.Feed(pipeline.Interfaces{{LinkType: capture.LinkEthernet}}, func(f *decode.Frame) error { eng.Add(f); return nil })
		ts := int64(1e18)
		for n := uint64(1); len(in) >= 4; n++ {
			l := int(binary.BigEndian.Uint16(in))
			ts += int64(binary.BigEndian.Uint16(in[2:])) * 1e6
			in = in[4:]
			if l > len(in) {
				l = len(in)
			}
			data := in[:l]
			in = in[l:]
			if _, err := feed.Push(capture.Packet{Info: capture.Info{TS: ts, CapLen: l, Len: l, LinkType: capture.LinkEthernet}, Data: data}); err != nil {
				t.Fatal(err)
			}
			if n%7 == 0 {
				eng.Ready(ts)
			}
		}
		feed.Close()
		eng.Flush(0)
		for _, fd := range eng.Findings() {
			if fd.Title == "" || fd.Category == "" {
				t.Fatalf("malformed finding %+v", fd)
			}
			for _, s := range fd.Stalls {
				if s.End < s.Start {
					t.Fatalf("stall ends before it starts: %+v", s)
				}
			}
		}
	})
}
