package cli

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/pipeline"
)

// BenchmarkPipelineFilter measures what a display filter adds to the
// pipeline (read, decode, flow) on a large capture, without printing:
//
//	/tmp/pcapgen -size 100MB -pcap /tmp/bench-100m.pcap
//	WIREWATCH_BENCH_PCAP=/tmp/bench-100m.pcap go test -run XXX -bench PipelineFilter -benchtime 3x ./internal/cli
func BenchmarkPipelineFilter(b *testing.B) {
	path := os.Getenv("WIREWATCH_BENCH_PCAP")
	if path == "" {
		b.Skip("set WIREWATCH_BENCH_PCAP to a large capture (see the comment)")
	}
	for _, bc := range []struct{ name, expr string }{
		{"NoFilter", ""},
		{"ThreeClause", "ip.addr == 10.0.0.1 && tcp.port in {80, 443} && !tcp.analysis.retransmission"},
		{"ThreeClauseMatching", "ip.addr == 10.1.0.0/16 && tcp.port in {80, 443} && !tcp.analysis.retransmission"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			env := &Env{Ctx: context.Background(), Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}
			n := 0
			for i := 0; i < b.N; i++ {
				err := runFile(env, path, pipeline.Config{Filter: bc.expr}, func(*decode.Frame) error { n++; return nil })
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)/float64(b.N), "shown/op")
		})
	}
}
