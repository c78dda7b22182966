package pipeline_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/pipeline"
)

// TestSecondConsumer: Config.Second sees exactly the frames the consumer
// took, in order, with the tracker's analysis, on one core and on two
// (where it runs on its own goroutine), with a filter, Count and ErrStop.
func TestSecondConsumer(t *testing.T) {
	const path = "../examples/fail-open.pcapng"
	key := func(f *decode.Frame) string {
		return fmt.Sprintf("%d/%d/%d/%x", f.Number, f.Analysis.Stream, f.Analysis.RelSeq, f.Analysis.Flags)
	}
	for _, c := range []struct {
		filter string
		count  int
		stopAt uint64
	}{{"", 0, 0}, {"tcp.analysis.flags || dns", 0, 0}, {"tcp", 40, 0}, {"", 0, 300}} {
		var ref []string
		for _, par := range []bool{false, true} {
			var first, second []string
			cfg := pipeline.Config{Filter: c.filter, Count: c.count, Parallel: par,
				Second: func(f *decode.Frame) error { second = append(second, key(f)); return nil }}
			err := pipeline.RunFile(context.Background(), path, cfg, func(f *decode.Frame) error {
				if c.stopAt != 0 && f.Number == c.stopAt {
					return pipeline.ErrStop
				}
				first = append(first, key(f))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(first) == 0 || !slices.Equal(first, second) {
				t.Fatalf("%+v parallel %v: consumer took %d frames, Second saw %d", c, par, len(first), len(second))
			}
			if ref == nil {
				ref = first
			} else if !slices.Equal(ref, first) {
				t.Fatalf("%+v: two cores give other frames than one", c)
			}
		}
	}
	// Second's error ends the run
	stop := fmt.Errorf("enough")
	n := 0
	err := pipeline.RunFile(context.Background(), path, pipeline.Config{Parallel: true, Second: func(f *decode.Frame) error {
		if n++; n == 10 {
			return stop
		}
		return nil
	}}, func(*decode.Frame) error { return nil })
	if err != stop {
		t.Fatalf("Second's error: run returned %v", err)
	}
}
