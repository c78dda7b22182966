package filter_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/filter"
	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/pipeline"
)

// loadFrames decodes a real capture into one Frame per packet (packet bytes
// copied), run through the flow tracker in order, as the pipeline does.
func loadFrames(tb testing.TB, name string) []decode.Frame {
	tb.Helper()
	var frames []decode.Frame
	err := pipeline.RunFile(context.Background(), filepath.Join(corpus.Dir(tb), "real", name), pipeline.Config{Retain: true}, func(f *decode.Frame) error {
		frames = append(frames, *f)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return frames
}

var benchFilters = []struct{ name, expr string }{
	{"ThreeClause", "ip.addr == 172.16.16.128 && tcp.port in {80, 443} && !tcp.analysis.retransmission"},
	{"Issue", "ip.addr == 10.0.0.1 && tcp.port in {80, 443} && !tcp.analysis.retransmission"},
	{"Protocol", "http"},
	{"String", `http.host contains "espn" || http.request.uri matches "\\.js$"`},
	{"Slice", "eth.src[0:3] == 00:1d:d9 && frame[12:2] == 08:00"},
}

// BenchmarkFilter measures Filter.Match per frame over a decoded real
// capture with the standard registry; it must report 0 allocs/op.
func BenchmarkFilter(b *testing.B) {
	frames := loadFrames(b, "chrissanders__http_espn.pcapng")
	for _, bf := range benchFilters {
		b.Run(bf.name, func(b *testing.B) {
			fl, err := filter.Compile(bf.expr, field.Std())
			if err != nil {
				b.Fatal(err)
			}
			for i := range frames {
				fl.Match(&frames[i])
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				fl.Match(&frames[i%len(frames)])
			}
		})
	}
}

// TestFilterNoAllocsRealFrames asserts the 0-allocation contract on real
// decoded frames with the standard registry.
func TestFilterNoAllocsRealFrames(t *testing.T) {
	frames := loadFrames(t, "chrissanders__http_espn.pcapng")
	for _, bf := range benchFilters {
		fl, err := filter.Compile(bf.expr, field.Std())
		if err != nil {
			t.Fatalf("%s: %v", bf.expr, err)
		}
		for i := range frames {
			fl.Match(&frames[i])
		}
		if n := testing.AllocsPerRun(3, func() {
			for i := range frames {
				fl.Match(&frames[i])
			}
		}); n != 0 {
			t.Errorf("%s: %v allocations per pass over %d frames, want 0", bf.expr, n, len(frames))
		}
	}
}
