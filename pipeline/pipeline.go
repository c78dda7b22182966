// Package pipeline owns wirewatch's one per-frame loop: it reads packets
// from a capture file or a live source, numbers and decodes them (frame
// numbers, reference and previous timestamps, interface names, as tshark
// sets them), runs the connection tracker, the display filter and then the
// consumer, in capture order. Every subcommand, the tests and the library
// users (serve, export) run frames through it, so the frame facts and the
// order of the stages are the same everywhere.
//
// Pull form, for files: New(cfg) then Run(ctx, source, consumer). Push form,
// for live capture, whose loop also writes files and waits on the kernel:
// New(cfg) then Feed(source, consumer) and Push each packet.
package pipeline

import (
	"context"
	"errors"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/filter"
	"github.com/wirewatch/wirewatch/flow"
)

// Source is where Run reads packets from: any capture.Source, a file
// (capture.Open) or live interfaces (capture/live.Source, whose Next waits
// with the context given to SetContext and returns its error at the end).
type Source interface {
	// Next returns the next packet, io.EOF at the end, or an error; a
	// *capture.FormatError with Resumable set is skipped (see Config.Warn).
	Next() (capture.Packet, error)
	Meta
}

// Meta is what the pipeline asks of a source besides its packets; a live
// capture (capture/live.Source) given to Feed has only this.
type Meta interface {
	// Interfaces lists the interfaces seen so far.
	Interfaces() []capture.Interface
	// Format names the source's format ("pcapng" for pcapng files).
	Format() string
}

// Consumer receives each frame that passes the display filter, in capture
// order. The frame is reused after it returns (unless Config.Retain): copy
// what you keep. Returning ErrStop ends the run without error.
type Consumer func(f *decode.Frame) error

// ErrStop, returned by a Consumer, ends the run early without error.
var ErrStop = errors.New("pipeline: stop")

// ErrInterrupted is returned when the context was cancelled before the end
// of the source (Ctrl-C).
var ErrInterrupted = errors.New("interrupted (SIGINT or SIGTERM)")

// FilterError is a display filter that does not compile.
type FilterError struct{ Err error }

func (e *FilterError) Error() string { return e.Err.Error() }
func (e *FilterError) Unwrap() error { return e.Err }

// Config says what the pipeline does to each frame.
type Config struct {
	// Filter is a display filter in Wireshark syntax; "" shows every frame.
	Filter string
	// Count stops the run after this many displayed frames; 0 = all.
	Count int
	// Flow configures the tracker (OnEnd/OnData callbacks for stats and
	// follow). Its Decoder is set by the pipeline. The flow work that
	// neither the filter nor Fields need is turned off (see Plan).
	Flow flow.Config
	// Fields are the fields the consumer reads, when it reads only these
	// (read -T fields); nil means it may read anything. With the filter's
	// fields they decide which stages run (Plan).
	Fields []*field.Field
	// Stages, when set, runs the stages up to this one whatever the fields
	// need (field.StageDecode: no tracker at all).
	Stages field.Stage
	// SkipApp leaves these application-layer dissectors out of decoding,
	// for consumers that cannot read their fields.
	SkipApp decode.AppSet
	// Parallel decodes on a second goroutine (the two-core variant); the
	// results are identical. Not for pipes: read-ahead holds packets back.
	Parallel bool
	// Retain hands the consumer a fresh frame with its own copy of the
	// packet bytes each time, which it may keep.
	Retain bool
	// Select, when set, is asked about each record of the source by its
	// position (from 1) before framing; false drops it as if the source
	// did not hold it: its frame number goes to the next record kept and
	// the tracker never sees it (the second pass of tshark -2 -R).
	Select func(pos uint64) bool
	// Number, when set, gives each record's frame number from its position
	// in the source (from 1) instead of counting: a source that returns
	// chosen frames of a capture again (serve's index) keeps their numbers,
	// so what the decoder links by frame number (ICMP echo requests, IP
	// fragments) names the right frames.
	Number func(pos uint64) uint64
	// Prefix, when set, runs on the decoding stage (the reading goroutine
	// of a Parallel pipeline) for each frame after decoding, with the
	// frame's number and times set; what it returns is kept in f.Prefix
	// for the consumer. It must read only what decoding set, never what
	// the tracker adds later (the packet list's No., Time, Source and
	// Destination: report.TextPrefix); it moves that work off the
	// consumer's goroutine, the pipeline's busier one. It may also count
	// what needs the decoded frame alone (serve's IP endpoints), read by
	// the caller after Run returns (the decoding goroutine has ended).
	Prefix func(f *decode.Frame, dst []byte) []byte
	// Warn, when set, receives damage the reader recovered from (skipped).
	Warn func(err error)
	// OnOpen, when set, is called with the source before the first packet.
	OnOpen func(src Meta)
	// KeyLog decrypts the TLS sessions it holds secrets for (decode.Options.KeyLog):
	// the application layers inside then come from the desegmentation stage,
	// so with a key log that stage always runs and the filter runs after it.
	KeyLog *decode.KeyLog
}

// Pipeline is a configured pipeline. It runs one source at a time.
type Pipeline struct {
	cfg   Config
	flt   *filter.Filter
	early *filter.Filter // the filter, when it can run before the tracker
	need  field.Stage    // the last stage that runs
}

// New compiles cfg's display filter (an error is a *FilterError) and plans
// the stages.
func New(cfg Config) (*Pipeline, error) {
	p := &Pipeline{cfg: cfg}
	if cfg.Filter != "" {
		flt, err := filter.Compile(cfg.Filter, field.Std())
		if err != nil {
			return nil, &FilterError{Err: err}
		}
		p.flt = flt
	}
	plan := Plan(p.flt, cfg.Fields)
	if cfg.Stages != field.StageUnknown {
		plan.Need = cfg.Stages
	}
	if cfg.KeyLog != nil {
		// HTTP inside TLS is decoded by the tracker's desegmentation, even
		// the fields a plain segment shows at decoding
		plan.Need, plan.EarlyFilter = max(plan.Need, field.StageDesegment), false
	}
	if (cfg.Flow.OnEnd != nil || cfg.Flow.OnData != nil) && plan.Need < field.StageFlow {
		plan.Need = field.StageFlow // the consumer reads the tracker's callbacks
	}
	p.need = plan.Need
	if plan.Need < field.StageDesegment {
		p.cfg.Flow.NoDesegment = true
	}
	if plan.Need < field.StageTransactions {
		p.cfg.Flow.NoTransactions = true
	}
	if cfg.Parallel && plan.EarlyFilter {
		p.early, _ = filter.Compile(cfg.Filter, field.Std())
	}
	return p, nil
}

func (p *Pipeline) decoder() *decode.Decoder {
	return decode.NewDecoder(decode.Options{ReassembleIP: true, SkipApp: p.cfg.SkipApp, KeyLog: p.cfg.KeyLog})
}

// Run reads src to its end (or the first error that is not resumable) and
// calls fn for every displayed frame. The returned error comes after every
// good packet before it was processed; ErrInterrupted when ctx was done.
func (p *Pipeline) Run(ctx context.Context, src Source, fn Consumer) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if p.cfg.OnOpen != nil {
		p.cfg.OnOpen(src)
	}
	if p.cfg.Parallel {
		return p.runParallel(ctx, src, fn)
	}
	dec := p.decoder()
	fr := newFramer(src, dec)
	fr.number, fr.prefix = p.cfg.Number, p.cfg.Prefix
	d := p.newDisplayer(dec, fn)
	defer d.flush()
	var f decode.Frame
	var pos uint64
	for n := 0; ; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return ErrInterrupted
		}
		pk, err := next(src, p.cfg.Warn)
		if err == errEOF {
			return nil
		}
		if err != nil {
			return err
		}
		if pos++; p.cfg.Select != nil && !p.cfg.Select(pos) {
			fr.skip(pk)
			continue
		}
		fp := &f
		if p.cfg.Retain {
			fp = new(decode.Frame)
			pk.Data = append([]byte(nil), pk.Data...)
			pk.Comments = append([]string(nil), pk.Comments...)
		}
		fr.prepare(fp, pk)
		if _, done, err := d.frame(fp, matchHere); done || err != nil {
			return err
		}
	}
}

// RunFile opens the capture at path, runs it through a pipeline configured
// by cfg, and closes it.
func RunFile(ctx context.Context, path string, cfg Config, fn Consumer) error {
	p, err := New(cfg)
	if err != nil {
		return err
	}
	r, err := capture.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	return p.Run(ctx, r, fn)
}

// Feed is the push form of the pipeline, for live capture: the caller reads
// packets itself and hands each to Push.
type Feed struct {
	fr  *framer
	d   *displayer
	f   decode.Frame
	end bool
}

// Feed starts a push pipeline over src's interfaces (src.Next is not
// called). Close it to flush the tracker.
func (p *Pipeline) Feed(src Meta, fn Consumer) *Feed {
	if p.cfg.OnOpen != nil {
		p.cfg.OnOpen(src)
	}
	dec := p.decoder()
	fr := newFramer(src, dec)
	fr.number, fr.prefix = p.cfg.Number, p.cfg.Prefix
	return &Feed{fr: fr, d: p.newDisplayer(dec, fn)}
}

// Push runs one packet through the pipeline; shown reports whether it
// passed the display filter (and went to the consumer). After the Count
// or a consumer's ErrStop, err is ErrStop.
func (fd *Feed) Push(pk capture.Packet) (shown bool, err error) {
	if fd.end {
		return false, ErrStop
	}
	fd.fr.prepare(&fd.f, pk)
	shown, done, err := fd.d.frame(&fd.f, matchHere)
	if done {
		fd.end = true
		if err == nil {
			err = ErrStop
		}
	}
	return shown, err
}

// Close ends the connections still open (their summaries go to
// Flow.OnEnd).
func (fd *Feed) Close() { fd.d.flush() }

var errEOF = errors.New("EOF")

// Interfaces is a Meta for packets pushed from elsewhere than a capture
// file or a live source (generators, fuzzing).
type Interfaces []capture.Interface

// Interfaces returns the list itself.
func (m Interfaces) Interfaces() []capture.Interface { return m }

// Format is "".
func (Interfaces) Format() string { return "" }

// Tracker is the feed's connection tracker (nil when no field needs one),
// for callers that watch its state (flow.Tracker.Live) between packets.
func (fd *Feed) Tracker() *flow.Tracker { return fd.d.tr }
