package serve

import (
	"context"
	"errors"
	"slices"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/pipeline"
)

// runAll runs a pipeline over all the capture's frames (its files merged
// by time), as read does.
func (c *Capture) runAll(ctx context.Context, cfg pipeline.Config, fn pipeline.Consumer) error {
	p, err := pipeline.New(cfg)
	if err != nil {
		return err
	}
	src, err := openMerge(c.Files, false)
	if err != nil {
		return err
	}
	defer src.Close()
	return p.Run(ctx, src, fn)
}

// Reading frames again: frame N is read from its file at the offset the
// index keeps (capture.Seeker) and decoded alone through the pipeline
// (the decoding stage only), then given what the index knows and decoding
// alone cannot: its frame number and times, and its connection analysis
// (tcp.stream, relative sequence numbers, tcp.analysis.*, transaction
// links). A frame whose decoding needs the frames before it (a PDU
// completed from earlier segments, a reassembled IP datagram, SSH/QUIC/
// SMB2/... state) is decoded at the end of its stream's frames instead,
// read the same way; without a stream, after the 2,000 frames before it.

// maxContext bounds the frames read before one that needs its context.
const maxContext = 50000

// decodeFrames calls fn with each frame of ns (frame numbers) decoded as
// the index pass decoded it: first those that decode alone, in the order
// of ns, then those that need their context, stream by stream (read
// f.Number). prev, when not nil, gives
// the previous displayed frame of each (0: none) for
// frame.time_delta_displayed; otherwise the previous frame is taken.
// The frame handed to fn is reused after it returns.
func (c *Capture) decodeFrames(ctx context.Context, ns []uint64, fn func(*decode.Frame)) error {
	return c.decodeFramesPrev(ctx, ns, nil, fn)
}

func (c *Capture) decodeFramesPrev(ctx context.Context, ns []uint64, prev []uint64, fn func(*decode.Frame)) error {
	ix := c.ix
	ix.mu.RLock()
	nrows := uint64(len(ix.rows))
	alone := make([]uint64, 0, len(ns))
	var ctxFrames []uint64
	for _, n := range ns {
		if n == 0 || n > nrows {
			ix.mu.RUnlock()
			return errNoFrame
		}
		if ix.rows[n-1].Bits&rowContext != 0 {
			ctxFrames = append(ctxFrames, n)
		} else {
			alone = append(alone, n)
		}
	}
	ix.mu.RUnlock()
	prevOf := func(i int, n uint64) uint64 {
		if prev != nil && i < len(prev) {
			return prev[i]
		}
		return n - 1
	}
	done := map[uint64]bool{}
	emit := func(f *decode.Frame, n, pd uint64) {
		ix.mu.RLock()
		r := ix.rows[n-1]
		f.Number, f.TS, f.FirstTS = n, r.TS, ix.first
		f.PrevTS, f.PrevDisplayedTS = r.TS, r.TS
		if n > 1 {
			f.PrevTS = ix.rows[n-2].TS
		}
		if pd > 0 && pd <= uint64(len(ix.rows)) {
			f.PrevDisplayedTS = ix.rows[pd-1].TS
		}
		readFacts(ix.facts(n), f, n)
		ix.mu.RUnlock()
		fn(f)
	}
	if len(ctxFrames) == 0 || len(alone) > 0 {
		// the frames that decode alone, in one pass
		at := map[uint64]int{}
		for i, n := range ns {
			at[n] = i
		}
		src := &recSource{c: c, frames: alone}
		defer src.Close()
		p, err := pipeline.New(pipeline.Config{Stages: field.StageDecode, Warn: func(error) {}, Number: func(pos uint64) uint64 { return alone[pos-1] }})
		if err != nil {
			return err
		}
		k := 0
		err = p.Run(ctx, src, func(f *decode.Frame) error {
			n := alone[k]
			k++
			emit(f, n, prevOf(at[n], n))
			done[n] = true
			return nil
		})
		if errors.Is(err, errNoSeek) {
			// a file that cannot be read again by offset: those frames in context
			for _, n := range alone[k:] {
				ctxFrames = append(ctxFrames, n)
			}
		} else if err != nil {
			return err
		}
	}
	if len(ctxFrames) == 0 {
		return nil
	}
	// Frames that need their context: one replay per stream (or window).
	type group struct {
		key   [2]int64
		wants []int // indexes in ns
	}
	var groups []*group
	byKey := map[[2]int64]*group{}
	ix.mu.RLock()
	for i, n := range ns {
		if done[n] {
			continue
		}
		r := ix.rows[n-1]
		key := [2]int64{-1, int64(n)} // a window of its own
		if r.Stream >= 0 && r.Bits&(rowTCP|rowUDP) != 0 && r.Bits&rowWindow == 0 {
			key = [2]int64{int64(r.Bits & (rowTCP | rowUDP)), int64(r.Stream)}
		}
		g := byKey[key]
		if g == nil {
			g = &group{key: key}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.wants = append(g.wants, i)
	}
	ix.mu.RUnlock()
	for _, g := range groups {
		want := map[uint64]int{}
		for _, i := range g.wants {
			want[ns[i]] = i
		}
		err := c.inContext(ctx, want, func(f *decode.Frame, i int) { emit(f, ns[i], prevOf(i, ns[i])) })
		if err != nil {
			return err
		}
	}
	return nil
}

var errNoFrame = errors.New("no such frame")

// inContext decodes the frames of want (frame number -> index asked),
// all of one stream or a single frame, after the frames they depend on:
// their stream's earlier frames (or the 2,000 frames before it), read by
// offset; when the files cannot be read so, the whole capture in order.
func (c *Capture) inContext(ctx context.Context, want map[uint64]int, fn func(*decode.Frame, int)) error {
	var last uint64
	for n := range want {
		last = max(last, n)
	}
	ix := c.ix
	ix.mu.RLock()
	r := ix.rows[last-1]
	var frames []uint64
	if len(want) > 1 || (r.Stream >= 0 && r.Bits&(rowTCP|rowUDP) != 0 && r.Bits&rowWindow == 0) {
		kind := r.Bits & (rowTCP | rowUDP)
		for i := int(last) - 1; i >= 0 && len(frames) < maxContext; i-- {
			if o := &ix.rows[i]; o.Stream == r.Stream && o.Bits&(rowTCP|rowUDP) == kind {
				frames = append(frames, uint64(i+1))
			}
		}
	} else {
		for i := int(last); i >= 1 && len(frames) < 2000; i-- {
			frames = append(frames, uint64(i))
		}
	}
	ix.mu.RUnlock()
	slices.Reverse(frames) // oldest first
	got := 0
	each := func(f *decode.Frame) error {
		if i, ok := want[f.Number]; ok {
			fn(f, i)
			if got++; got == len(want) {
				return pipeline.ErrStop
			}
		}
		return nil
	}
	src := &recSource{c: c, frames: frames}
	defer src.Close()
	p, err := pipeline.New(pipeline.Config{Warn: func(error) {}, Number: func(pos uint64) uint64 { return frames[pos-1] }})
	if err != nil {
		return err
	}
	err = p.Run(ctx, src, each)
	if errors.Is(err, errNoSeek) && got == 0 {
		// read the capture in order
		err = c.runAll(ctx, pipeline.Config{Warn: func(error) {}}, each)
	}
	if err == nil && got < len(want) {
		err = errNoFrame
	}
	return err
}
