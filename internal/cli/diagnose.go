package cli

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/internal/opt"
	"github.com/wirewatch/wirewatch/report"
)

func init() { register("diagnose", runDiagnose) }

// ExitFindings is the exit status of diagnose --fail-on when a finding reached the severity.
const ExitFindings = 3

// findingsError makes diagnose exit with ExitFindings.
type findingsError struct{ n int }

func (e *findingsError) Error() string {
	return fmt.Sprintf("%d finding(s) at or above the --fail-on severity", e.n)
}

func runDiagnose(env *Env, s *opt.Set) error {
	format, flt, failOn := s.Str("format", s.Str("T", "text")), s.Str("display-filter", ""), s.Str("fail-on", "")
	singleCore, all, pos := s.Has("single-core"), s.Has("all"), s.Args
	var minStall time.Duration
	if v := s.Str("min-stall", ""); v != "" {
		var err error
		if minStall, err = time.ParseDuration(v); err != nil || minStall <= 0 {
			return usagef("diagnose: --min-stall %q: want a duration such as 500ms", v)
		}
	}
	var pr prefs
	out := ""
	for _, v := range s.List("o") { // -o FILE writes the report; -o NAME:VALUE is a tshark preference
		if isPref, err := pr.set("diagnose", v); err != nil {
			return err
		} else if !isPref {
			out = v
		}
	}
	if k := s.Str("tls-keylog", ""); k != "" {
		pr.KeyLogFile = k
	}
	if v := s.Str("max-flows", ""); v != "" {
		var err error
		if pr.maxFlows, err = flowBudget("diagnose", v); err != nil {
			return err
		}
	}
	if len(pos) != 1 {
		return usagef("diagnose: want exactly one capture file (see 'wirewatch help diagnose')")
	}
	switch format {
	case "text", "json", "html":
	default:
		return usagef("diagnose: --format %q: want text, json or html", format)
	}
	var failSev analyze.Severity
	if failOn != "" {
		var err error
		if failSev, err = analyze.ParseSeverity(failOn); err != nil {
			return usagef("diagnose: --fail-on: %v", err)
		}
	}
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		// The live heap is small (connection state, stalls) while decoding
		// churns short-lived garbage: collect less often, but never let the
		// heap grow past a soft limit well inside the 200 MiB budget.
		defer debug.SetGCPercent(debug.SetGCPercent(400))
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(150 << 20))
	}
	eng := analyze.New(analyze.Config{MinStall: minStall, MaxConns: pr.maxFlows / 2, MaxHosts: pr.maxFlows})
	cfg, err := pr.config()
	if err != nil {
		return err
	}
	cfg.Filter, cfg.Parallel = flt, !singleCore
	zx, err := diagnoseZeek(s, pos[0])
	if err != nil {
		return err
	}
	if flt == "" && zx == nil {
		// The engine does not read dns.time/http.time; only a --filter might.
		cfg.Flow.NoTransactions = true
	}
	consume := func(f *decode.Frame) error { eng.Add(f); return nil }
	if zx != nil { // --zeek-logs (export.go)
		cfg.Flow.OnEnd = zx.Conn
		consume = func(f *decode.Frame) error { eng.Add(f); zx.Frame(f); return nil }
	}
	err = runFile(env, pos[0], cfg, consume)
	if zx != nil {
		if zerr := zx.Close(); zerr != nil {
			return fmt.Errorf("diagnose: zeek logs: %w", zerr)
		}
	}
	stopped := errors.Is(err, errInterrupted)
	var readErr error // a damaged or truncated capture: reported after the diagnosis, exit 1 as read
	if err != nil {
		if _, ok := err.(*UsageError); ok {
			return err
		}
		n, _, _ := eng.Frames()
		if n == 0 {
			return err
		}
		if stopped {
			fmt.Fprintf(env.Stderr, "wirewatch: warning: %v; diagnosing the %d frames read before it\n", err, n)
		} else {
			readErr = fmt.Errorf("%w (the diagnosis covers the %d frames read before it)", err, n)
		}
	}
	eng.Flush(0)
	d := report.NewDiagnosis(pos[0], eng)
	d.Summary.FlowEvicted = pr.evictions.Total()
	d.All = all
	w := env.Stdout
	var fh *os.File
	if out != "" && out != "-" {
		if fh, err = os.Create(out); err != nil {
			return fmt.Errorf("diagnose: %w", err)
		}
		w = fh
	}
	err = report.WriteDiagnosis(w, format, d)
	if fh != nil {
		if cerr := fh.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("diagnose: writing the report: %w", err)
	}
	if stopped {
		return silentExit(ExitInterrupted) // the warning above said why
	}
	if readErr != nil {
		return readErr
	}
	if n := d.AtLeast(failSev); failOn != "" && n > 0 {
		return &findingsError{n}
	}
	return nil
}

// ExitCode makes the command exit with ExitFindings.
func (e *findingsError) ExitCode() int { return ExitFindings }
