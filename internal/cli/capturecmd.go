package cli

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/capture/live"
	"github.com/wirewatch/wirewatch/internal/opt"
	"github.com/wirewatch/wirewatch/pipeline"
	"github.com/wirewatch/wirewatch/report"
)

func init() { register("capture", runCapture) }

// captureOpts are the parsed flags of 'wirewatch capture'.
type captureOpts struct {
	cfg       live.Config
	write     string
	format    string // -F pcap|pcapng
	count     int
	display   string
	diagnose  bool
	settle    time.Duration
	quiet     bool
	stopDur   time.Duration
	stopKB    int64
	stopPkts  int
	ringKB    int64
	ringDur   time.Duration
	ringFiles int
}

func parseCaptureFlags(s *opt.Set) (*captureOpts, bool, error) {
	var o captureOpts
	o.cfg.Filter, o.write, o.display = s.Str("f", ""), s.Str("write", ""), s.Str("display-filter", "")
	o.cfg.NoPromisc = s.Has("no-promisc") || s.Has("p")
	o.diagnose, o.quiet, o.format = s.Has("diagnose"), s.Has("q"), s.Str("F", "")
	ifaces, autostop, ring := s.List("interface"), s.List("autostop"), s.List("ring-buffer")
	var err error
	if o.cfg.SnapLen, err = s.Int("snapshot-length", live.DefaultSnapLen); err != nil {
		return nil, false, err
	}
	bufKB, err := s.Int("buffer-size", 32768)
	if err != nil {
		return nil, false, err
	}
	if o.count, err = s.Int("count", 0); err != nil {
		return nil, false, err
	}
	if v := s.Str("settle", ""); v != "" {
		if o.settle, err = time.ParseDuration(v); err != nil {
			return nil, false, usagef("capture: --settle %q: want a duration such as 30s", v)
		}
	}
	if s.Has("list-interfaces") {
		return nil, true, nil
	}
	if o.format != "" && o.format != "pcap" && o.format != "pcapng" {
		return nil, false, usagef("capture: -F %s: wirewatch writes pcapng or pcap", o.format)
	}
	if o.format != "" && o.write == "" {
		return nil, false, usagef("capture: -F %s needs -w FILE", o.format)
	}
	if rest := s.Args; len(rest) > 0 {
		if o.cfg.Filter != "" {
			return nil, false, usagef("capture: give the capture filter either with -f or as arguments, not both")
		}
		o.cfg.Filter = strings.Join(rest, " ")
	}
	o.cfg.Interfaces = ifaces
	if o.cfg.SnapLen <= 0 || o.cfg.SnapLen > live.DefaultSnapLen {
		return nil, false, usagef("capture: -s %d: the snapshot length must be 1..%d", o.cfg.SnapLen, live.DefaultSnapLen)
	}
	if bufKB <= 0 {
		return nil, false, usagef("capture: -B %d: the buffer size must be positive (KiB)", bufKB)
	}
	o.cfg.BufferSize = bufKB << 10
	if o.count < 0 {
		return nil, false, usagef("capture: -c %d: the count must be positive", o.count)
	}
	for _, a := range autostop {
		k, v, err := condition("-a", a)
		if err != nil {
			return nil, false, err
		}
		switch k {
		case "duration":
			o.stopDur = time.Duration(v * float64(time.Second))
		case "filesize":
			o.stopKB = int64(v)
		case "packets":
			o.stopPkts = int(v)
		default:
			return nil, false, usagef("capture: -a %s: want duration:SECONDS, filesize:KB or packets:N", a)
		}
	}
	for _, b := range ring {
		k, v, err := condition("-b", b)
		if err != nil {
			return nil, false, err
		}
		switch k {
		case "duration":
			o.ringDur = time.Duration(v * float64(time.Second))
		case "filesize":
			o.ringKB = int64(v)
		case "files":
			o.ringFiles = int(v)
		default:
			return nil, false, usagef("capture: -b %s: want filesize:KB, duration:SECONDS or files:N", b)
		}
	}
	if len(ring) > 0 && (o.write == "" || o.write == "-") {
		return nil, false, usagef("capture: -b needs -w FILE (a ring buffer is a set of files)")
	}
	if len(ring) > 0 && o.ringKB == 0 && o.ringDur == 0 {
		return nil, false, usagef("capture: -b files:N needs -b filesize:KB or -b duration:SECONDS to say when to start the next file")
	}
	if o.stopKB > 0 && o.write == "" {
		return nil, false, usagef("capture: -a filesize needs -w FILE")
	}
	return &o, false, nil
}

// condition parses KEY:NUMBER.
func condition(flagName, s string) (string, float64, error) {
	k, v, ok := strings.Cut(s, ":")
	n, err := strconv.ParseFloat(v, 64)
	if !ok || err != nil || n <= 0 {
		return "", 0, usagef("capture: %s %s: want KEY:NUMBER with a positive number, e.g. %s duration:60", flagName, s, flagName)
	}
	return k, n, nil
}

func runCapture(env *Env, s *opt.Set) error {
	o, list, err := parseCaptureFlags(s)
	if err != nil {
		return err
	}
	if list {
		return live.WriteInterfaceList(env.Stdout)
	}
	return runLive(env, o, s)
}

// runLive runs the capture o describes (report.RunLive).
func runLive(env *Env, o *captureOpts, s *opt.Set) error {
	lc := report.LiveConfig{Display: o.display, Diagnose: o.diagnose, Settle: o.settle, Quiet: o.quiet, Write: o.write,
		Stdout: env.Stdout, Stderr: env.Stderr}
	lc.Live = pipeline.Live{Capture: o.cfg, Count: o.count, StopKB: o.stopKB, Duration: o.stopDur}
	if o.stopPkts > 0 && (lc.Live.Count == 0 || o.stopPkts < lc.Live.Count) {
		lc.Live.Count = o.stopPkts
	}
	if o.write != "" {
		lc.Live.Ring = &capture.RingConfig{Path: o.write, Stdout: env.Stdout, Application: "wirewatch capture", Format: o.format,
			FileKB: o.ringKB, Duration: o.ringDur, Files: o.ringFiles}
	}
	exp, err := newLiveExport(env, s, o.cfg.Interfaces)
	if err != nil {
		return err
	}
	if exp != nil { // a nil *export.Live must not become a non-nil interface
		lc.Export = exp
	}
	err = report.RunLive(env.Ctx, lc)
	var fe *live.FilterError
	var de *report.DisplayFilterError
	if errors.As(err, &fe) || errors.As(err, &de) {
		return &UsageError{Msg: err.Error()}
	}
	return err
}
