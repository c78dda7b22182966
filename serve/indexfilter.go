package serve

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/filter"
)

// A display filter whose fields are all answered by the index (the
// connection analysis it keeps per frame: tcp.analysis.*, tcp.stream,
// udp.stream, tcp.completeness, tcp.time_*; and frame.number) runs over
// the index alone, without reading the capture:
// tcp.analysis.retransmission over 1.18 M frames takes a tenth of a
// second. TestIndexFilter compares it with the pipeline pass.

// indexOnlyField reports whether a field's value comes from
// decode.Frame.Analysis (or the frame number) alone.
func indexOnlyField(name string) bool {
	switch name {
	case "frame.number", "tcp.stream", "udp.stream", "tcp.analysis", "tcp.time_delta", "tcp.time_relative", "tcp.completeness":
		return true
	}
	return strings.HasPrefix(name, "tcp.analysis.") || strings.HasPrefix(name, "tcp.completeness.")
}

// indexFilter returns the frames expr selects when the index alone can
// answer it (ok false otherwise). The index must be complete.
func (c *Capture) indexFilter(ctx context.Context, expr string) (frames []uint32, ok bool) {
	flt, err := filter.Compile(expr, field.Std())
	if err != nil {
		return nil, false
	}
	names := flt.Fields()
	if len(names) == 0 {
		return nil, false
	}
	for _, n := range names {
		if !indexOnlyField(n) {
			return nil, false
		}
	}
	ix := c.ix
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	// two halves on two goroutines, each with its own compiled filter
	const parts = 2
	outs := make([][]uint32, parts)
	var wg sync.WaitGroup
	for p := range parts {
		flt := flt
		if p > 0 {
			flt, _ = filter.Compile(expr, field.Std())
		}
		lo, hi := len(ix.rows)*p/parts, len(ix.rows)*(p+1)/parts
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := []uint32{}
			var f decode.Frame
			for i := lo; i < hi; i++ {
				if i%65536 == 0 && ctx.Err() != nil {
					return
				}
				n := uint64(i + 1)
				f.Number = n
				f.Present = decode.ProtoSet{}
				if b := ix.rows[i].Bits; b&rowTCP != 0 {
					f.Present.Add(decode.ProtoTCP)
				} else if b&rowUDP != 0 {
					f.Present.Add(decode.ProtoUDP)
				}
				ix.analysis(n, &f.Analysis)
				if flt.Match(&f) {
					out = append(out, uint32(n))
				}
			}
			outs[p] = out
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, false
	}
	return slices.Concat(outs...), true
}
