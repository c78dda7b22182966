package serve

import (
	"context"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/pipeline"
)

// allApps leaves every application dissector out: a segment row's
// payload stays undissected, as the pass left it.
const allApps = decode.AppDNS | decode.AppHTTP | decode.AppTLS | decode.AppOther

// decodeSegments calls fn with each segment row of ns (rowSegment)
// decoded alone with its payload undissected, then given its frame
// number, times, stored analysis and PDU flags: what the pass's packet
// list columns were made of (TestSegmentColumns checks that on every
// capture of the corpus). The frame handed to fn is reused after it
// returns.
func (c *Capture) decodeSegments(ctx context.Context, ns []uint64, fn func(*decode.Frame)) error {
	if len(ns) == 0 {
		return nil
	}
	ix := c.ix
	src := &recSource{c: c, frames: ns}
	defer src.Close()
	p, err := pipeline.New(pipeline.Config{Stages: field.StageDecode, SkipApp: allApps, Warn: func(error) {},
		Number: func(pos uint64) uint64 { return ns[pos-1] }})
	if err != nil {
		return err
	}
	k := 0
	return p.Run(ctx, src, func(f *decode.Frame) error {
		n := ns[k]
		k++
		ix.mu.RLock()
		r := ix.rows[n-1]
		f.Number, f.TS, f.FirstTS = n, r.TS, ix.first
		f.PrevTS, f.PrevDisplayedTS = r.TS, r.TS
		if n > 1 {
			f.PrevTS = ix.rows[n-2].TS
		}
		readFacts(ix.facts(n), f, n)
		ix.mu.RUnlock()
		f.PDUSegment = true
		f.TLSPDUStart = r.Bits&rowTLSStart != 0
		f.H2PDUStart = r.Bits&rowH2Start != 0
		f.NBSSPDUStart = r.Bits&rowNBSSStart != 0
		fn(f)
		return nil
	})
}
