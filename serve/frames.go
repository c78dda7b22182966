package serve

import (
	"context"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/pipeline"
)

// decodeFrames decodes frames ns through the pipeline (so tcp.analysis.*
// are what tshark shows), reading the capture from its start up to the
// last of them. (servecore replaces this with a decode from the index's
// offsets.)
func (c *Capture) decodeFrames(ctx context.Context, ns []uint64, fn func(*decode.Frame)) error {
	if len(ns) == 0 {
		return nil
	}
	set := map[uint64]bool{}
	var last uint64
	for _, n := range ns {
		set[n] = true
		last = max(last, n)
	}
	cfg := pipeline.Config{Parallel: true, Warn: func(error) {}}
	err := pipeline.RunFile(ctx, c.Path, cfg, func(f *decode.Frame) error {
		if set[f.Number] {
			fn(f)
		}
		if f.Number >= last {
			return pipeline.ErrStop
		}
		return nil
	})
	if err == pipeline.ErrStop {
		err = nil
	}
	return err
}
