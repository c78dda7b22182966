package analyze_test

import (
	"errors"
	"io"
	"os"
	"testing"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/flow"
)

// BenchmarkEngineAdd times Engine.Add alone over frames decoded and tracked
// beforehand from $WIREWATCH_BENCH_PCAP (each frame owns a copy of its bytes).
func BenchmarkEngineAdd(b *testing.B) {
	p := os.Getenv("WIREWATCH_BENCH_PCAP")
	if p == "" {
		b.Skip("set WIREWATCH_BENCH_PCAP to a capture file")
	}
	r, err := capture.Open(p)
	if err != nil {
		b.Fatal(err)
	}
	dec := decode.NewDecoder(decode.Options{ReassembleIP: true})
	tr := flow.NewTracker()
	var frames []*decode.Frame
	for n := uint64(1); ; n++ {
		pk, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var fe *capture.FormatError
			if errors.As(err, &fe) && fe.Resumable {
				continue
			}
			b.Fatal(err)
		}
		pk.Data = append([]byte(nil), pk.Data...)
		f := &decode.Frame{Number: n}
		dec.Decode(f, pk)
		tr.Process(f)
		frames = append(frames, f)
	}
	r.Close()
	b.ResetTimer()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		e := analyze.New(analyze.Config{})
		for _, f := range frames {
			e.Add(f)
		}
		e.Flush(0)
		_ = e.Findings()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(frames)), "ns/frame")
}
