package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/export"
	"github.com/wirewatch/wirewatch/flow"
	"github.com/wirewatch/wirewatch/internal/opt"
)

// liveExport is capture --export URL: the rows of the live capture go to
// ClickHouse through an on-disk spool (export.Spool), so the sensor keeps
// capturing while ClickHouse is down and nothing is lost over a restart.
type liveExport struct {
	client    *export.Client
	spool     *export.Spool
	x         *export.Exporter
	eng       *analyze.Engine
	lastFlush time.Time
}

const defaultSpool = "/var/spool/wirewatch"

func newLiveExport(env *Env, s *opt.Set, ifaces []string) (*liveExport, error) {
	url := s.Str("export", "")
	if url == "" {
		return nil, nil
	}
	c, err := export.NewClient(url, s.Str("database", ""))
	if err != nil {
		return nil, usagef("capture: %v", err)
	}
	c.Retries = 0 // the spool retries
	maxMB, err := s.Int("spool-max", 1024)
	if err != nil || maxMB <= 0 {
		return nil, usagef("capture: --spool-max: want a positive number of MiB")
	}
	if _, err := c.Migrate(env.Ctx); err != nil {
		// ClickHouse down at start: capture anyway; the schema is made
		// before the first batch is sent.
		fmt.Fprintf(env.Stderr, "wirewatch: export: %v (spooling until it answers)\n", err)
	}
	sp, err := export.OpenSpool(s.Str("spool", defaultSpool), c, int64(maxMB)<<20)
	if err != nil {
		return nil, fmt.Errorf("capture: spool: %w", err)
	}
	sp.Prepare = func(ctx context.Context) error { _, err := c.Migrate(ctx); return err }
	sensor := s.Str("sensor", "")
	if sensor == "" {
		sensor, _ = os.Hostname()
	}
	capName := "live-" + strings.Join(ifaces, "+") + "-" + time.Now().UTC().Format("20060102T150405.000000000Z")
	ch := export.NewClickHouse(env.Ctx, sp, sensor, capName)
	return &liveExport{client: c, spool: sp, x: export.New(ch), eng: analyze.New(analyze.Config{}), lastFlush: time.Now()}, nil
}

func (e *liveExport) onEnd(c *flow.ConnSummary) { e.x.Conn(c) }

func (e *liveExport) frame(f *decode.Frame) {
	e.eng.Add(f)
	e.x.Frame(f)
}

// tick writes the pending rows to the spool every 2 s.
func (e *liveExport) tick() error {
	if time.Since(e.lastFlush) < 2*time.Second {
		return nil
	}
	e.lastFlush = time.Now()
	return e.x.Flush()
}

// finish exports the findings, spools the rest and drains what it can.
func (e *liveExport) finish(env *Env) error {
	e.eng.Flush(0)
	e.x.Findings(e.eng.Findings())
	err := e.x.Close()
	st := e.spool.Close(10 * time.Second)
	fmt.Fprintf(env.Stderr, "wirewatch: export: %d batches (%d rows) sent to ClickHouse, %d batches (%d bytes) left in the spool, %d batches (%d rows) dropped because the spool was full\n",
		st.Sent, st.SentRows, st.Pending, st.PendingBytes, st.Dropped, st.DroppedRows)
	if st.Pending > 0 {
		if le := e.spool.LastError(); le != nil {
			fmt.Fprintf(env.Stderr, "wirewatch: export: ClickHouse: %v; the next run sends the spooled batches\n", le)
		}
	}
	return err
}
