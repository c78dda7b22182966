package pipeline

import (
	"context"
	"sync"

	"github.com/wirewatch/wirewatch/decode"
)

// Two-core variant: one goroutine reads and decodes packets into batches
// of frames (copying the packet bytes, which the reader reuses), the
// calling goroutine runs the tracker, the filter and the consumer over
// each batch in capture order. Results are identical to the one-core
// loop's: the order of frames through the tracker is unchanged.

const parBatch = 256

type frameBatch struct {
	frames []decode.Frame
	pass   []bool // the early filter's verdicts
	n      int
	arena  []byte
	err    error // non-resumable error after the frames of this batch
	eof    bool
}

func (p *Pipeline) runParallel(ctx context.Context, src Source, fn Consumer) error {
	const nbuf = 4
	free := make(chan *frameBatch, nbuf)
	full := make(chan *frameBatch, nbuf)
	done := make(chan struct{})
	for i := 0; i < nbuf; i++ {
		free <- &frameBatch{frames: make([]decode.Frame, parBatch), pass: make([]bool, parBatch)}
	}
	early := p.early
	var reader sync.WaitGroup
	reader.Add(1)
	go func() { // reader + decoder
		defer reader.Done()
		defer close(full)
		fr := newFramer(src, p.decoder())
		fr.number, fr.prefix = p.cfg.Number, p.cfg.Prefix
		var pos uint64
		for {
			select {
			case <-done: // checked first: a free batch must not win over a stop
				return
			default:
			}
			if ctx.Err() != nil {
				return // the consumer sees the same and stops
			}
			var b *frameBatch
			select {
			case b = <-free:
			case <-done:
				return
			}
			b.n, b.arena, b.err = 0, b.arena[:0], nil
			if p.cfg.Retain { // the consumer keeps the frames: fresh ones
				b.frames, b.arena = make([]decode.Frame, parBatch), nil
			}
			for b.n < parBatch {
				pk, err := next(src, p.cfg.Warn)
				if err == errEOF {
					b.eof = true
					break
				}
				if err != nil {
					b.err = err
					break
				}
				if pos++; p.cfg.Select != nil && !p.cfg.Select(pos) {
					fr.skip(pk)
					continue
				}
				// Copy the packet out of the reader's buffer into the batch arena.
				if cap(b.arena)-len(b.arena) < len(pk.Data) {
					// Start a fresh arena; earlier frames keep the old one alive.
					b.arena = make([]byte, 0, max(1<<20, len(pk.Data)))
				}
				start := len(b.arena)
				b.arena = append(b.arena, pk.Data...)
				pk.Data = b.arena[start:len(b.arena):len(b.arena)]
				if pk.Comments != nil {
					pk.Comments = append([]string(nil), pk.Comments...)
				}
				fr.prepare(&b.frames[b.n], pk)
				if early != nil {
					b.pass[b.n] = early.Match(&b.frames[b.n])
				}
				b.n++
			}
			full <- b
			if b.eof || b.err != nil {
				return
			}
		}
	}()
	// On an early return (Count, an error) stop the reader and wait for it,
	// so that it is not inside src.Next when the caller closes the source.
	defer func() { close(done); reader.Wait() }()

	d := p.newDisplayer(p.decoder(), fn) // the reader goroutine has its own decoder
	defer d.flush()
	for b := range full {
		if ctx.Err() != nil {
			return ErrInterrupted
		}
		for i := 0; i < b.n; i++ {
			verdict := matchHere
			if early != nil {
				verdict = matchedNo
				if b.pass[i] {
					verdict = matchedYes
				}
			}
			if _, stop, err := d.frame(&b.frames[i], verdict); stop || err != nil {
				return err
			}
		}
		if b.err != nil {
			return b.err
		}
		if b.eof {
			return nil
		}
		free <- b
	}
	if ctx.Err() != nil { // the reader stopped early
		return ErrInterrupted
	}
	return nil
}
