package export

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/flow"
)

// Live is capture --export URL: the rows of a live capture go to ClickHouse
// through an on-disk spool (Spool), so the sensor keeps capturing while
// ClickHouse is down and nothing is lost over a restart.
type Live struct {
	client    *Client
	spool     *Spool
	x         *Exporter
	eng       *analyze.Engine
	lastFlush time.Time
}

// LiveConfig is what 'wirewatch capture' fills from its flags for StartLive.
type LiveConfig struct {
	Client   *Client
	Spool    string // the spool directory
	MaxBytes int64  // the spool's size limit
	Sensor   string
	Capture  string    // the capture's name in the rows
	Log      io.Writer // notes on ClickHouse's state
}

// StartLive prepares the schema (capturing anyway when ClickHouse is down)
// and opens the spool.
func StartLive(ctx context.Context, lc LiveConfig) (*Live, error) {
	c := lc.Client
	c.Retries = 0 // the spool retries
	if _, err := c.Migrate(ctx); err != nil {
		// ClickHouse down at start: capture anyway; the schema is made
		// before the first batch is sent.
		fmt.Fprintf(lc.Log, "wirewatch: export: %v (spooling until it answers)\n", err)
	}
	sp, err := OpenSpool(lc.Spool, c, lc.MaxBytes)
	if err != nil {
		return nil, fmt.Errorf("capture: spool: %w", err)
	}
	sp.Prepare = func(ctx context.Context) error { _, err := c.Migrate(ctx); return err }
	ch := NewClickHouse(ctx, sp, lc.Sensor, lc.Capture)
	return &Live{client: c, spool: sp, x: New(ch), eng: analyze.New(analyze.Config{}), lastFlush: time.Now()}, nil
}

// OnEnd is the flow tracker's flow.Config.OnEnd.
func (e *Live) OnEnd(c *flow.ConnSummary) { e.x.Conn(c) }

// Frame takes one decoded frame of the pipeline.
func (e *Live) Frame(f *decode.Frame) {
	e.eng.Add(f)
	e.x.Frame(f)
}

// Tick writes the pending rows to the spool every 2 s.
func (e *Live) Tick() error {
	if time.Since(e.lastFlush) < 2*time.Second {
		return nil
	}
	e.lastFlush = time.Now()
	return e.x.Flush()
}

// Finish exports the findings, spools the rest and drains what it can,
// reporting the counts on log.
func (e *Live) Finish(log io.Writer) error {
	e.eng.Flush(0)
	e.x.Findings(e.eng.Findings())
	err := e.x.Close()
	if n := e.x.Retained().Note(e.x.Retention()); n != "" {
		fmt.Fprintf(log, "wirewatch: note: %s\n", n)
	}
	st := e.spool.Close(10 * time.Second)
	fmt.Fprintf(log, "wirewatch: export: %d batches (%d rows) sent to ClickHouse, %d batches (%d bytes) left in the spool, %d batches (%d rows) dropped because the spool was full\n",
		st.Sent, st.SentRows, st.Pending, st.PendingBytes, st.Dropped, st.DroppedRows)
	if st.Pending > 0 {
		if le := e.spool.LastError(); le != nil {
			fmt.Fprintf(log, "wirewatch: export: ClickHouse: %v; the next run sends the spooled batches\n", le)
		}
	}
	return err
}
