package serve

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/filter"
	"github.com/wirewatch/wirewatch/pipeline"
)

// TestIndexFilter: a filter the index answers alone selects exactly the
// frames the pipeline pass selects, for every field it takes, on the
// examples and the real corpus.
func TestIndexFilter(t *testing.T) {
	exprs := []string{"tcp.analysis", "tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack",
		"tcp.stream == 1", "udp.stream >= 2", "tcp.analysis.ack_rtt > 0.05", "tcp.time_delta > 0.2", "tcp.time_relative < 1",
		"tcp.completeness == 31", "frame.number > 10 && tcp.analysis.duplicate_ack", "tcp.analysis.bytes_in_flight > 1000",
		"tcp.analysis.initial_rtt > 0.01", "tcp.analysis.acks_frame < frame.number - 2", "tcp.analysis.duplicate_ack_frame",
		"!tcp.analysis.flags", "tcp.completeness.fin", "tcp.stream in {0, 2, 4}"}
	for _, f := range field.Std().WithPrefix("tcp.analysis.") {
		exprs = append(exprs, f.Name)
	}
	files := testCaptures(t, "../examples/*.pcapng", false)
	same, total, nonEmpty := 0, 0, 0
	for _, path := range files {
		c := &Capture{Files: []string{path}, ix: &index{}, ready: make(chan struct{})}
		if c.ix.build(context.Background(), c.Files) != nil {
			continue
		}
		close(c.ready)
		flts := make([]*filter.Filter, len(exprs))
		want := make([][]uint32, len(exprs))
		for i, expr := range exprs {
			var err error
			if flts[i], err = filter.Compile(expr, field.Std()); err != nil {
				t.Fatal(err)
			}
			want[i] = []uint32{}
		}
		err := c.runAll(context.Background(), pipeline.Config{Warn: func(error) {}}, func(f *decode.Frame) error {
			for i, flt := range flts {
				if flt.Match(f) {
					want[i] = append(want[i], uint32(f.Number))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, expr := range exprs {
			got, ok := c.indexFilter(context.Background(), expr)
			if !ok {
				t.Fatalf("%q: not answered by the index", expr)
			}
			total++
			if len(want[i]) > 0 {
				nonEmpty++
			}
			if slices.Equal(got, want[i]) {
				same++
			} else {
				t.Errorf("%s: %q: index %d frames, pipeline %d", filepath.Base(path), expr, len(got), len(want[i]))
			}
		}
	}
	t.Logf("index-only filters: %d of %d (capture, filter) pairs select the pipeline's frames (%d non-empty)", same, total, nonEmpty)
	for _, expr := range []string{"tcp", "ip.src == 1.2.3.4", "tcp.analysis.flags && http", "frame.len > 100"} {
		c := &Capture{Files: []string{"../examples/http.pcapng"}, ix: &index{}}
		if _, ok := c.indexFilter(context.Background(), expr); ok {
			t.Errorf("%q answered by the index alone", expr)
		}
	}
}
