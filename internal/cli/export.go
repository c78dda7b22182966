package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/export"
	"github.com/wirewatch/wirewatch/flow"
	"github.com/wirewatch/wirewatch/internal/opt"
)

func init() { register("export", runExport) }

func runExport(env *Env, s *opt.Set) error {
	url, zdir, zfmt := s.Str("clickhouse", ""), s.Str("zeek-logs", ""), s.Str("zeek-format", "tsv")
	if url == "" && zdir == "" {
		return usagef("export: give --clickhouse URL and/or --zeek-logs DIR (see 'wirewatch help export')")
	}
	if len(s.Args) == 0 {
		return usagef("export: want at least one capture file")
	}
	if zfmt != "tsv" && zfmt != "json" {
		return usagef("export: --zeek-format %q: want tsv or json", zfmt)
	}
	if s.Str("capture-name", "") != "" && len(s.Args) > 1 {
		return usagef("export: --capture-name names one capture; give one file")
	}
	var minStall time.Duration
	if v := s.Str("min-stall", ""); v != "" {
		var err error
		if minStall, err = time.ParseDuration(v); err != nil || minStall <= 0 {
			return usagef("export: --min-stall %q: want a duration such as 500ms", v)
		}
	}
	sensor := s.Str("sensor", "")
	if sensor == "" {
		sensor, _ = os.Hostname()
	}
	var client *export.Client
	if url != "" {
		var err error
		if client, err = export.NewClient(url, s.Str("database", "")); err != nil {
			return usagef("%v", err)
		}
		notes, err := client.Migrate(env.Ctx)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		for _, n := range notes {
			fmt.Fprintf(env.Stderr, "wirewatch: export: %s\n", n)
		}
	}
	var zeek *export.Zeek
	if zdir != "" {
		if err := os.MkdirAll(zdir, 0o755); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		var err error
		if zeek, err = export.NewZeek(zdir, zfmt == "json", sensor); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		defer zeek.Close()
	}
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(150 << 20))
	}
	var readErr error // a damaged capture: what was read is exported, the others too, then exit 1
	for _, path := range s.Args {
		capName := s.Str("capture-name", filepath.Base(path))
		var pr prefs
		if err := pr.parse("export", s); err != nil {
			return err
		}
		var sinks []export.Sink
		var ch *export.ClickHouse
		if client != nil {
			ch = export.NewClickHouse(env.Ctx, client, sensor, capName)
			sinks = append(sinks, ch)
		}
		if zeek != nil {
			sinks = append(sinks, zeek.For(capName))
		}
		x := export.New(sinks...)
		eng := analyze.New(analyze.Config{MinStall: minStall, MaxConns: pr.maxFlows / 2, MaxHosts: pr.maxFlows})
		cfg, err := pr.config()
		if err != nil {
			return err
		}
		cfg.Flow.OnEnd = func(c *flow.ConnSummary) { x.Conn(c) }
		// One core: the other is left to ClickHouse, which decompresses and
		// merges while wirewatch sends (two cores measured slower on a
		// 2-core machine with the server on it, docs/export.md).
		err = runFile(env, path, cfg, func(f *decode.Frame) error {
			eng.Add(f)
			x.Frame(f)
			return nil
		})
		if err != nil {
			if _, ok := err.(*UsageError); ok || errors.Is(err, errInterrupted) {
				x.Close()
				return err
			}
			fmt.Fprintf(env.Stderr, "wirewatch: export: %s: %v (exporting what was read)\n", path, err)
		}
		eng.Flush(0)
		x.Findings(eng.Findings())
		if cerr := x.Close(); cerr != nil {
			return fmt.Errorf("export: %s: %w", path, cerr)
		}
		if ch != nil {
			fmt.Fprintf(env.Stderr, "wirewatch: export: %s: %d connections, %d dns, %d http, %d tls, %d findings, %d stalls -> %s\n",
				path, ch.Rows["connections"], ch.Rows["dns"], ch.Rows["http"], ch.Rows["tls"], ch.Rows["findings"], ch.Rows["stalls"], client.Database)
		}
		if err != nil && readErr == nil {
			readErr = fmt.Errorf("export: %s: %w", path, err)
		}
	}
	if zeek != nil {
		if err := zeek.Close(); err != nil {
			return fmt.Errorf("export: zeek logs: %w", err)
		}
	}
	return readErr
}

// zeekOut is diagnose --zeek-logs DIR: the Zeek logs of the capture
// diagnosed, as export --zeek-logs writes them.
type zeekOut struct {
	z *export.Zeek
	x *export.Exporter
}

func diagnoseZeek(s *opt.Set, path string) (*zeekOut, error) {
	dir, format := s.Str("zeek-logs", ""), s.Str("zeek-format", "tsv")
	if dir == "" {
		return nil, nil
	}
	if format != "tsv" && format != "json" {
		return nil, usagef("diagnose: --zeek-format %q: want tsv or json", format)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("diagnose: %w", err)
	}
	sensor, _ := os.Hostname()
	z, err := export.NewZeek(dir, format == "json", sensor)
	if err != nil {
		return nil, fmt.Errorf("diagnose: %w", err)
	}
	return &zeekOut{z: z, x: export.New(z.For(filepath.Base(path)))}, nil
}

func (o *zeekOut) close() error {
	err := o.x.Close()
	if zerr := o.z.Close(); err == nil {
		err = zerr
	}
	return err
}
