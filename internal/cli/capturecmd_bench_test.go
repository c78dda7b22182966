package cli

import (
	"io"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
)

// BenchmarkCaptureSinkWrite is the per-packet cost of writing a live packet
// to a pcapng file (to io.Discard: encoding and buffering only).
func BenchmarkCaptureSinkWrite(b *testing.B) {
	o := &captureOpts{}
	s := &fileSink{path: "bench.pcapng", o: o, ifaces: []capture.Interface{{LinkType: capture.LinkEthernet, Name: "eth0", TSResol: 9}}}
	s.cw = &countWriter{w: io.Discard}
	w, err := capture.NewPcapngWriter(s.cw, capture.PcapngWriterOptions{Interfaces: s.ifaces})
	if err != nil {
		b.Fatal(err)
	}
	s.w = w
	s.bw = newAsyncWriter(s.cw, 4, 1<<20)
	defer s.bw.Close()
	p := capture.Packet{Info: capture.Info{TS: 1e18, CapLen: 64, Len: 64, LinkType: capture.LinkEthernet}, Data: make([]byte, 64)}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := s.write(&p); err != nil {
			b.Fatal(err)
		}
	}
}
