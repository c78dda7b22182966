package analyze_test

import (
	"os"
	"testing"

	"github.com/wirewatch/wirewatch/analyze"
)

// BenchmarkDiagnoseFile runs the whole pipeline over $WIREWATCH_BENCH_PCAP
// (for example a pcapgen capture); skipped when unset.
func BenchmarkDiagnoseFile(b *testing.B) {
	p := os.Getenv("WIREWATCH_BENCH_PCAP")
	if p == "" {
		b.Skip("set WIREWATCH_BENCH_PCAP to a capture file")
	}
	for i := 0; i < b.N; i++ {
		e := diagnoseFile(b, p, analyze.Config{})
		_ = e.Findings()
	}
}
