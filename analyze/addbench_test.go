package analyze_test

import (
	"context"
	"os"
	"testing"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/pipeline"
)

// BenchmarkEngineAdd times Engine.Add alone over frames decoded and tracked
// beforehand from $WIREWATCH_BENCH_PCAP (each frame owns a copy of its bytes).
func BenchmarkEngineAdd(b *testing.B) {
	p := os.Getenv("WIREWATCH_BENCH_PCAP")
	if p == "" {
		b.Skip("set WIREWATCH_BENCH_PCAP to a capture file")
	}
	var frames []*decode.Frame
	err := pipeline.RunFile(context.Background(), p, pipeline.Config{Retain: true}, func(f *decode.Frame) error {
		frames = append(frames, f)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
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
