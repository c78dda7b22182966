package pipeline

import (
	"context"
	"errors"
	"time"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/capture/live"
)

// Live is a live capture run through the pipeline: packets from the
// kernel go through Feed (when Pipeline is set) and, those the display
// filter passes, to the capture file or ring buffer.
type Live struct {
	Capture live.Config
	// Pipeline decodes, tracks, filters and hands frames to Consumer; nil
	// when only a file is written.
	Pipeline *Pipeline
	Consumer Consumer
	// Ring, when set, is where the displayed packets are written; its
	// Interfaces and Stats are filled in here.
	Ring *capture.RingConfig
	// Stop conditions: after Count packets, after StopKB kB written, after
	// Duration (0: none of them), or when ctx is done.
	Count    int
	StopKB   int64
	Duration time.Duration
	// OnStart is called once the interfaces are open.
	OnStart func(ifaces []capture.Interface)
	// Tick is called at least once a second, with the time (ns), also when
	// no packet arrives: for output flushing and findings that became final.
	Tick func(now int64) error
}

// LiveStats are a finished capture's counts.
type LiveStats struct {
	Captured, Received, Dropped uint64
	Interfaces                  []capture.Interface
}

// RunLive captures until a stop condition holds or ctx is done, then takes
// what the kernel still holds, closes the file and returns the counts.
func RunLive(ctx context.Context, l *Live) (LiveStats, error) {
	var st LiveStats
	src, err := live.Open(l.Capture)
	if err != nil {
		return st, err
	}
	defer src.Close()
	st.Interfaces = src.Interfaces()
	r := &liveRun{l: l, src: src, st: &st, perIface: make([]uint64, len(st.Interfaces))}
	if l.Ring != nil {
		rc := *l.Ring
		rc.Interfaces, rc.Stats = st.Interfaces, r.ifaceStats
		if r.sink, err = capture.NewRingWriter(rc, time.Now()); err != nil {
			return st, err
		}
	}
	if l.Pipeline != nil {
		r.feed = l.Pipeline.Feed(src, l.Consumer)
	}
	if l.OnStart != nil {
		l.OnStart(st.Interfaces)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if l.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, l.Duration)
		defer cancel()
	}
	src.SetIdleTimeout(250 * time.Millisecond)
	loopErr := r.loop(ctx, false)
	if loopErr == nil && ctx.Err() != nil {
		// Stopped by a signal or the duration: take what the kernel already
		// holds (a partly filled ring block is handed over within its timeout).
		dctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
		loopErr = r.loop(dctx, true)
		cancel()
	}
	ks, stErr := src.Stats()
	st.Received, st.Dropped = ks.Received, ks.Dropped
	if r.sink != nil {
		if err := r.sink.Close(); err != nil && loopErr == nil {
			loopErr = err
		}
	}
	if r.feed != nil {
		r.feed.Close()
	}
	if loopErr != nil {
		return st, loopErr
	}
	return st, stErr
}

type liveRun struct {
	l        *Live
	src      *live.Source
	st       *LiveStats
	sink     *capture.RingWriter
	feed     *Feed
	perIface []uint64 // packets written per interface
	lastTick int64
}

// loop reads packets until ctx is done, a stop condition holds (nil), or an
// error.
func (r *liveRun) loop(ctx context.Context, draining bool) error {
	l := r.l
	var p capture.Packet
	for {
		err := r.src.ReadPacket(ctx, &p)
		if err != nil {
			if errors.Is(err, live.ErrIdle) {
				if err := r.tick(time.Now().UnixNano()); err != nil {
					return err
				}
				continue
			}
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		r.st.Captured++
		if err := r.handle(&p); err != nil {
			return err
		}
		if l.Count > 0 && r.st.Captured >= uint64(l.Count) || l.StopKB > 0 && r.sink != nil && r.sink.Total() >= l.StopKB*1000 {
			return nil
		}
		if draining && r.st.Captured%1024 == 0 && ctx.Err() != nil {
			return nil
		}
	}
}

// handle runs one packet through the pipeline and writes it when shown.
func (r *liveRun) handle(p *capture.Packet) error {
	pass := true
	if r.feed != nil {
		var err error
		if pass, err = r.feed.Push(*p); err != nil {
			return err
		}
	}
	if r.sink != nil && pass {
		if err := r.sink.WritePacket(p); err != nil {
			return err
		}
		r.perIface[p.Interface]++
	}
	if p.TS-r.lastTick > int64(time.Second) {
		return r.tick(p.TS)
	}
	return nil
}

// tick runs the time-driven work: ring rotation by duration, pushing
// buffered packets to the file, and the caller's Tick.
func (r *liveRun) tick(now int64) error {
	r.lastTick = now
	if r.sink != nil {
		if err := r.sink.Tick(now); err != nil {
			return err
		}
	}
	if r.l.Tick != nil {
		return r.l.Tick(now)
	}
	return nil
}

// ifaceStats are interface i's counters since the start, for an ISB (as
// dumpcap writes them: received and dropped by the kernel, accepted by the
// capture filter, delivered to the file).
func (r *liveRun) ifaceStats(i int) capture.InterfaceStats {
	st, _ := r.src.InterfaceStats(i)
	is := capture.InterfaceStats{TS: time.Now().UnixNano(), Received: st.Received, Dropped: st.Dropped, Delivered: r.perIface[i]}
	if r.l.Capture.Filter != "" {
		is.FilterAccept = st.Received
	}
	return is
}
