package cli

import (
	"io"
	"sync"

	"github.com/wirewatch/wirewatch/decode"
)

// Two-core pipeline: one goroutine reads and decodes packets into batches
// of frames (copying the packet bytes, which the reader reuses), the
// calling goroutine runs the tracker, the filter and fn over each batch in
// capture order. Results are identical to runPipeline's: the order of
// frames through the tracker is unchanged.

const parBatch = 256

type frameBatch struct {
	frames []decode.Frame
	pass   []bool // the early filter's verdicts (earlyFilter)
	n      int
	arena  []byte
	err    error // non-resumable error after the frames of this batch
	eof    bool
}

// runPipelineParallel is runPipeline with decoding moved to a second core.
func runPipelineParallel(env *Env, o pipeOptions, fn frameFunc) error {
	r, flt, err := openPipeline(env, o)
	if err != nil {
		return err
	}
	defer r.Close()

	const nbuf = 4
	free := make(chan *frameBatch, nbuf)
	full := make(chan *frameBatch, nbuf)
	done := make(chan struct{})
	for i := 0; i < nbuf; i++ {
		free <- &frameBatch{frames: make([]decode.Frame, parBatch), pass: make([]bool, parBatch)}
	}
	early := earlyFilter(flt)
	var reader sync.WaitGroup
	reader.Add(1)
	go func() { // reader + decoder
		defer reader.Done()
		defer close(full)
		fr := newFramer(r, o.decoder())
		for {
			select {
			case <-done: // checked first: a free batch must not win over a stop
				return
			default:
			}
			if interrupted(env) {
				return // the consumer sees the same and stops
			}
			var b *frameBatch
			select {
			case b = <-free:
			case <-done:
				return
			}
			b.n, b.arena, b.err = 0, b.arena[:0], nil
			for b.n < parBatch {
				p, err := nextPacket(env, r)
				if err == io.EOF {
					b.eof = true
					break
				}
				if err != nil {
					b.err = err
					break
				}
				// Copy the packet out of the reader's buffer into the batch arena.
				if cap(b.arena)-len(b.arena) < len(p.Data) {
					// Start a fresh arena; earlier frames keep the old one alive.
					b.arena = make([]byte, 0, max(1<<20, len(p.Data)))
				}
				start := len(b.arena)
				b.arena = append(b.arena, p.Data...)
				p.Data = b.arena[start:len(b.arena):len(b.arena)]
				if p.Comments != nil {
					p.Comments = append([]string(nil), p.Comments...)
				}
				fr.prepare(&b.frames[b.n], p)
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
	// On an early return (-c, an error) stop the reader and wait for it, so
	// that it is not inside r.Next when the deferred r.Close runs.
	defer func() { close(done); reader.Wait() }()

	o.Flow.Decoder = o.decoder() // the reader goroutine has its own
	d := newDisplayer(o, flt, fn)
	defer d.tr.Flush()
	for b := range full {
		if interrupted(env) {
			return errInterrupted
		}
		for i := 0; i < b.n; i++ {
			verdict := matchHere
			if early != nil {
				verdict = matchedNo
				if b.pass[i] {
					verdict = matchedYes
				}
			}
			if stop, err := d.frameMatched(&b.frames[i], verdict); stop || err != nil {
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
	if interrupted(env) { // the reader stopped early
		return errInterrupted
	}
	return nil
}
