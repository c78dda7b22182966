package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/filter"
	"github.com/wirewatch/wirewatch/flow"
)

// Two-core pipeline: one goroutine reads and decodes packets into batches
// of frames (copying the packet bytes, which the reader reuses), the
// calling goroutine runs the tracker, the filter and fn over each batch in
// capture order. Results are identical to runPipeline's: the order of
// frames through the tracker is unchanged.

const parBatch = 256

type frameBatch struct {
	frames []decode.Frame
	n      int
	arena  []byte
	err    error // non-resumable error after the frames of this batch
	eof    bool
}

// runPipelineParallel is runPipeline with decoding moved to a second core.
func runPipelineParallel(env *Env, o pipeOptions, fn frameFunc) error {
	var flt *filter.Filter
	if o.Filter != "" {
		var err error
		if flt, err = filter.Compile(o.Filter, field.Std()); err != nil {
			return &UsageError{Msg: err.Error()}
		}
	}
	var r capture.Reader
	var err error
	if o.Path == "-" {
		r, err = capture.NewReader(env.Stdin, "-")
	} else {
		r, err = capture.Open(o.Path)
	}
	if err != nil {
		return err
	}
	defer r.Close()
	if o.OnOpen != nil {
		o.OnOpen(r)
	}
	pcapng := strings.HasPrefix(r.Format(), "pcapng")

	const nbuf = 4
	free := make(chan *frameBatch, nbuf)
	full := make(chan *frameBatch, nbuf)
	done := make(chan struct{})
	for i := 0; i < nbuf; i++ {
		free <- &frameBatch{frames: make([]decode.Frame, parBatch)}
	}
	go func() { // reader + decoder
		defer close(full)
		dec := decode.NewDecoder(decode.Options{ReassembleIP: true})
		var num uint64
		var firstTS, prevTS, lastTS int64
		for {
			var b *frameBatch
			select {
			case b = <-free:
			case <-done:
				return
			}
			b.n, b.arena, b.err = 0, b.arena[:0], nil
			// Size the arena once per batch so frames never alias a moved buffer.
			for b.n < parBatch {
				p, err := r.Next()
				if err == io.EOF {
					b.eof = true
					break
				}
				if err != nil {
					var fe *capture.FormatError
					if errors.As(err, &fe) && fe.Resumable {
						fmt.Fprintf(env.Stderr, "wirewatch: warning: %s\n", fe)
						continue
					}
					b.err = err
					break
				}
				// The per-packet preparation below mirrors runPipeline's.
				if p.NoTS && p.LinkType == capture.LinkCustomBlock {
					p.TS = lastTS
				}
				lastTS = p.TS
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
				num++
				f := &b.frames[b.n]
				f.Number = num
				dec.Decode(f, p)
				if ifs := r.Interfaces(); p.Interface >= 0 && p.Interface < len(ifs) {
					f.Interface = ifs[p.Interface].ID
					f.InterfaceName = ifs[p.Interface].Name
					if id := ifs[p.Interface].ID; id < len(ifs) {
						f.InterfaceName = ifs[id].Name
					}
					if f.InterfaceName == "" && pcapng {
						f.InterfaceName = "unknown"
					}
				} else {
					f.InterfaceName = ""
				}
				if num == 1 {
					firstTS, prevTS = p.TS, p.TS
				}
				f.FirstTS, f.PrevTS = firstTS, prevTS
				prevTS = p.TS
				b.n++
			}
			full <- b
			if b.eof || b.err != nil {
				return
			}
		}
	}()
	defer close(done)

	cfg := o.Flow
	cfg.Decoder = decode.NewDecoder(decode.Options{ReassembleIP: true}) // the reader goroutine has its own
	tr := flow.NewTrackerConfig(cfg)
	defer tr.Flush()
	var prevShownTS int64
	shown := 0
	for b := range full {
		for i := 0; i < b.n; i++ {
			f := &b.frames[i]
			if f.Number == 1 || shown == 0 {
				prevShownTS = f.TS
			}
			f.PrevDisplayedTS = prevShownTS
			tr.Process(f)
			if flt != nil && !flt.Match(f) {
				continue
			}
			prevShownTS = f.TS
			if err := fn(f); err != nil {
				if err == errStop {
					return nil
				}
				return err
			}
			shown++
			if o.Count > 0 && shown >= o.Count {
				return nil
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
	return nil
}
