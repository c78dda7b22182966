package export

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/flow"
	"github.com/wirewatch/wirewatch/pipeline"
)

// FilesConfig is what 'wirewatch export' fills from its flags for Files.
type FilesConfig struct {
	Paths       []string
	CaptureName string        // the capture's name in the rows ("": the file's base name)
	Client      *Client       // ClickHouse (nil: none)
	Zeek        *Zeek         // Zeek logs (nil: none)
	Sensor      string        // the sensor name in the rows
	MinStall    time.Duration // analyze.Config.MinStall
	// Prepare returns a fresh pipeline configuration for one file and the
	// flow limit (analyze keeps half of it as connections).
	Prepare func() (cfg pipeline.Config, maxFlows int, err error)
	// Run runs one file through the pipeline (the CLI's runFile).
	Run func(path string, cfg pipeline.Config, fn pipeline.Consumer) error
	// Fatal says whether an error of Run stops the export (usage error,
	// interrupt) rather than only damaging one capture.
	Fatal func(error) bool
	Log   io.Writer // progress and damage notes
}

// Files exports each capture of c.Paths in turn. A damaged capture: what was
// read is exported, the others too, and the first such error is returned at
// the end.
func Files(ctx context.Context, c FilesConfig) error {
	var readErr error
	for _, path := range c.Paths {
		capName := c.CaptureName
		if capName == "" {
			capName = filepath.Base(path)
		}
		cfg, maxFlows, err := c.Prepare()
		if err != nil {
			return err
		}
		var sinks []Sink
		var ch *ClickHouse
		if c.Client != nil {
			ch = NewClickHouse(ctx, c.Client, c.Sensor, capName)
			sinks = append(sinks, ch)
		}
		if c.Zeek != nil {
			sinks = append(sinks, c.Zeek.For(capName))
		}
		x := New(sinks...)
		eng := analyze.New(analyze.Config{MinStall: c.MinStall, MaxConns: maxFlows / 2, MaxHosts: maxFlows})
		cfg.Flow.OnEnd = func(cs *flow.ConnSummary) { x.Conn(cs) }
		// One core: the other is left to ClickHouse, which decompresses and
		// merges while wirewatch sends (two cores measured slower on a
		// 2-core machine with the server on it, docs/export.md).
		err = c.Run(path, cfg, func(f *decode.Frame) error {
			eng.Add(f)
			x.Frame(f)
			return nil
		})
		if err != nil {
			if c.Fatal(err) {
				x.Close()
				return err
			}
			fmt.Fprintf(c.Log, "wirewatch: export: %s: %v (exporting what was read)\n", path, err)
		}
		eng.Flush(0)
		x.Findings(eng.Findings())
		if cerr := x.Close(); cerr != nil {
			return fmt.Errorf("export: %s: %w", path, cerr)
		}
		if n := x.Retained().Note(x.Retention()); n != "" {
			fmt.Fprintf(c.Log, "wirewatch: note: %s: %s\n", path, n)
		}
		if ch != nil {
			fmt.Fprintf(c.Log, "wirewatch: export: %s: %d connections, %d dns, %d http, %d tls, %d findings, %d stalls -> %s\n",
				path, ch.Rows["connections"], ch.Rows["dns"], ch.Rows["http"], ch.Rows["tls"], ch.Rows["findings"], ch.Rows["stalls"], c.Client.Database)
		}
		if err != nil && readErr == nil {
			readErr = fmt.Errorf("export: %s: %w", path, err)
		}
	}
	if c.Zeek != nil {
		if err := c.Zeek.Close(); err != nil {
			return fmt.Errorf("export: zeek logs: %w", err)
		}
	}
	return readErr
}
