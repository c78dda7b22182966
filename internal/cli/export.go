package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/wirewatch/wirewatch/export"
	"github.com/wirewatch/wirewatch/internal/opt"
	"github.com/wirewatch/wirewatch/pipeline"
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
	var pr prefs
	return export.Files(env.Ctx, export.FilesConfig{
		Paths: s.Args, CaptureName: s.Str("capture-name", ""), Client: client, Zeek: zeek, Sensor: sensor, MinStall: minStall,
		Prepare: func() (pipeline.Config, int, error) {
			if err := pr.parse("export", s); err != nil {
				return pipeline.Config{}, 0, err
			}
			cfg, err := pr.config()
			return cfg, pr.maxFlows, err
		},
		Run: func(path string, cfg pipeline.Config, fn pipeline.Consumer) error { return runFile(env, path, cfg, fn) },
		Fatal: func(err error) bool {
			_, ok := err.(*UsageError)
			return ok || errors.Is(err, errInterrupted)
		},
		Log: env.Stderr,
	})
}

// diagnoseZeek is diagnose --zeek-logs DIR (nil without the flag).
func diagnoseZeek(s *opt.Set, path string) (*export.ZeekLogs, error) {
	dir, format := s.Str("zeek-logs", ""), s.Str("zeek-format", "tsv")
	if dir == "" {
		return nil, nil
	}
	if format != "tsv" && format != "json" {
		return nil, usagef("diagnose: --zeek-format %q: want tsv or json", format)
	}
	sensor, _ := os.Hostname()
	z, err := export.OpenZeekLogs(dir, format == "json", sensor, filepath.Base(path))
	if err != nil {
		return nil, fmt.Errorf("diagnose: %w", err)
	}
	return z, nil
}
