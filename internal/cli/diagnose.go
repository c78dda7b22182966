package cli

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/pipeline"
	"github.com/wirewatch/wirewatch/report"
)

func init() {
	register("diagnose", "find why it is slow: stalls, their culprits, evidence frames and filters (text, JSON, HTML)", runDiagnose)
}

const diagnoseUsage = `Usage: wirewatch diagnose [flags] FILE

Finds the stalls in every TCP connection and DNS lookup, works out who waited
for whom, correlates each stall with what the waiting host did meanwhile
(failed connection attempts, unanswered DNS or ARP, resets, ICMP errors) and
names the culprit, most important finding first.

Flags:
  --format text|json|html  output format (default text; json is documented in docs/diagnose-json.md)
  -o FILE                  write the report to FILE instead of standard output
  -o tls.keylog_file:FILE, --tls-keylog FILE
                           decrypt TLS with this key log (SSLKEYLOGFILE format), so that
                           requests inside HTTPS are timed and named
  -Y FILTER                diagnose only the frames matching this display filter
  --all                    text: every finding in full (default: a summary table and the
                           details of the most important, within about 100 lines)
  --fail-on SEVERITY       exit 3 when a finding is at least this severe (info, warning, critical)
  --min-stall DURATION     shortest gap ever called a stall (default 200ms)
  --single-core            decode and analyse on one core

Exit status: 0 when the capture was read, whatever was found (findings are
results, not errors); 1 unreadable input; 2 usage; 3 with --fail-on when a
finding reached that severity; 130 interrupted (Ctrl-C).

Examples:
  wirewatch diagnose trace.pcapng
  wirewatch diagnose --format html -o report.html trace.pcapng
  wirewatch diagnose --format json -Y 'ip.addr == 10.0.0.5' trace.pcap
  wirewatch diagnose --fail-on critical trace.pcap || echo "problem found"
`

// ExitFindings is the exit status of diagnose --fail-on when a finding reached the severity.
const ExitFindings = 3

// findingsError makes diagnose exit with ExitFindings.
type findingsError struct{ n int }

func (e *findingsError) Error() string {
	return fmt.Sprintf("%d finding(s) at or above the --fail-on severity", e.n)
}

func runDiagnose(env *Env, args []string) error {
	format, out, flt, failOn := "text", "", "", ""
	singleCore, all := false, false
	var minStall time.Duration
	var keylog string
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		need := func() (string, error) {
			if hasVal {
				return val, nil
			}
			if i+1 >= len(args) {
				return "", usagef("diagnose: flag %s needs a value", a)
			}
			i++
			return args[i], nil
		}
		var err error
		switch name {
		case "h", "help":
			fmt.Fprint(env.Stdout, diagnoseUsage)
			return errHelp
		case "format", "T":
			format, err = need()
		case "o":
			// -o FILE writes the report; -o tls.keylog_file:FILE is tshark's preference.
			var v string
			if v, err = need(); err == nil {
				var isPref bool
				var p string
				if p, isPref, err = keyLogPref("diagnose", v); err == nil {
					if isPref {
						keylog = p
					} else {
						out = v
					}
				}
			}
		case "tls-keylog":
			keylog, err = need()
		case "Y", "filter":
			flt, err = need()
		case "fail-on":
			failOn, err = need()
		case "single-core":
			singleCore = true
		case "all":
			all = true
		case "min-stall":
			var v string
			if v, err = need(); err == nil {
				if minStall, err = time.ParseDuration(v); err != nil || minStall <= 0 {
					return usagef("diagnose: --min-stall %q: want a duration such as 500ms", v)
				}
			}
		default:
			return usagef("diagnose: unknown flag %s (see wirewatch diagnose --help)", a)
		}
		if err != nil {
			return err
		}
	}
	if len(pos) != 1 {
		return usagef("diagnose: want exactly one capture file (see wirewatch diagnose --help)")
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
	eng := analyze.New(analyze.Config{MinStall: minStall})
	kl, err := loadKeyLog(keylog)
	if err != nil {
		return err
	}
	cfg := pipeline.Config{Filter: flt, Parallel: !singleCore, KeyLog: kl}
	if flt == "" {
		// The engine does not read dns.time/http.time; only a --filter might.
		cfg.Flow.NoTransactions = true
	}
	err = runFile(env, pos[0], cfg, func(f *decode.Frame) error { eng.Add(f); return nil })
	stopped := errors.Is(err, errInterrupted)
	if err != nil {
		if _, ok := err.(*UsageError); ok {
			return err
		}
		n, _, _ := eng.Frames()
		if n == 0 {
			return err
		}
		fmt.Fprintf(env.Stderr, "wirewatch: warning: %v; diagnosing the %d frames read before it\n", err, n)
	}
	eng.Flush(0)
	d := report.NewDiagnosis(pos[0], eng)
	d.All = all
	w := env.Stdout
	var fh *os.File
	if out != "" && out != "-" {
		if fh, err = os.Create(out); err != nil {
			return fmt.Errorf("diagnose: %w", err)
		}
		w = fh
	}
	bw := bufio.NewWriter(w)
	switch format {
	case "json":
		err = report.WriteDiagnosisJSON(bw, d)
	case "html":
		err = report.WriteDiagnosisHTML(bw, d)
	default:
		err = report.WriteDiagnosisText(report.SafeText(bw), d)
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
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
	if failOn != "" {
		n := 0
		for _, f := range d.Findings {
			if f.Severity >= failSev {
				n++
			}
		}
		if n > 0 {
			return &findingsError{n}
		}
	}
	return nil
}

// ExitCode makes the command exit with ExitFindings.
func (e *findingsError) ExitCode() int { return ExitFindings }
