package cli

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/capture/live"
	"github.com/wirewatch/wirewatch/decode"
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
		return listInterfaces(env)
	}
	c := &capturer{env: env, o: o, s: s}
	return c.run()
}

func listInterfaces(env *Env) error {
	ents, err := os.ReadDir("/sys/class/net")
	if err != nil {
		return fmt.Errorf("listing interfaces: %w", err)
	}
	for i, e := range ents {
		fmt.Fprintf(env.Stdout, "%d.%s\n", i+1, e.Name())
	}
	fmt.Fprintf(env.Stdout, "%d.any (Pseudo-device that captures on all interfaces)\n", len(ents)+1)
	return nil
}

// capturer runs one capture: the consumers of the displayed frames (the
// packet list, the live diagnosis) around pipeline.RunLive.
type capturer struct {
	env  *Env
	o    *captureOpts
	eng  *analyze.Engine
	out  *bufio.Writer        // diagnosis lines and report
	list *report.PacketWriter // the packet list, as 'wirewatch read' prints it
	exp  *liveExport          // --export (captureexport.go)
	s    *opt.Set
}

func (c *capturer) run() error {
	o := c.o
	l := &pipeline.Live{Capture: o.cfg, Count: o.count, StopKB: o.stopKB, Duration: o.stopDur, Tick: c.tick, Consumer: c.frame}
	if o.stopPkts > 0 && (l.Count == 0 || o.stopPkts < l.Count) {
		l.Count = o.stopPkts
	}
	if o.write != "" {
		l.Ring = &capture.RingConfig{Path: o.write, Stdout: c.env.Stdout, Application: "wirewatch capture", Format: o.format,
			FileKB: o.ringKB, Duration: o.ringDur, Files: o.ringFiles}
	}
	var err error
	if c.exp, err = newLiveExport(c.env, c.s, o.cfg.Interfaces); err != nil {
		return err
	}
	if o.display != "" || o.diagnose || o.write == "" || c.exp != nil { // something needs decoded frames
		pc := pipeline.Config{Filter: o.display}
		if c.exp != nil {
			pc.Flow.OnEnd = c.exp.onEnd
		}
		p, err := pipeline.New(pc)
		if err != nil {
			return &UsageError{Msg: fmt.Sprintf("display filter: %v", err)}
		}
		l.Pipeline = p
		if o.diagnose {
			c.eng = analyze.New(analyze.Config{Settle: o.settle})
		}
		diagOut := c.env.Stdout
		if o.write == "-" { // standard output carries the capture file
			diagOut = c.env.Stderr
		}
		c.out = bufio.NewWriterSize(diagOut, 32<<10)
		if o.write == "" && !o.quiet {
			// Live timestamps have nanosecond resolution: 9 decimals, as
			// 'wirewatch read' shows a file written by 'capture -w'.
			c.list = report.NewPacketWriter(c.env.Stdout, report.PacketOptions{Format: report.FormatText, Precision: 9})
		}
	}
	var names []string
	l.OnStart = func(ifaces []capture.Interface) {
		for _, ifc := range ifaces {
			names = append(names, ifc.Name)
		}
		fmt.Fprintf(c.env.Stderr, "wirewatch: listening on %s, link-type %s, snapshot length %d bytes\n",
			strings.Join(names, ", "), ifaces[0].LinkType.Tcpdump(), o.cfg.SnapLen)
	}
	st, err := pipeline.RunLive(c.env.Ctx, l)
	var fe *live.FilterError
	if errors.As(err, &fe) {
		return &UsageError{Msg: err.Error()}
	}
	if names == nil { // never started
		return err
	}
	return c.finish(err, st, names)
}

// frame consumes a displayed frame: diagnosis, packet list.
func (c *capturer) frame(f *decode.Frame) error {
	if c.exp != nil {
		c.exp.frame(f)
	}
	if c.eng != nil {
		c.eng.Add(f)
	}
	if c.list != nil {
		if err := c.list.Write(f); err != nil {
			return fmt.Errorf("writing the packet list: %w", err)
		}
	}
	return nil
}

// tick prints the findings that became final and pushes output out at
// least once a second.
func (c *capturer) tick(now int64) error {
	if c.exp != nil {
		if err := c.exp.tick(); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	if c.list != nil {
		if err := c.list.Flush(); err != nil {
			return fmt.Errorf("writing the packet list: %w", err)
		}
	}
	if c.eng != nil {
		for _, f := range c.eng.Ready(now) {
			fmt.Fprintf(c.out, "[diagnosis] %s: %s\n", f.Severity, f.Title)
		}
	}
	if c.out != nil {
		if err := c.out.Flush(); err != nil {
			return fmt.Errorf("writing the packet list: %w", err)
		}
	}
	return nil
}

// finish prints the diagnosis report and the counts.
func (c *capturer) finish(loopErr error, st pipeline.LiveStats, names []string) error {
	if c.list != nil {
		if err := c.list.Close(); err != nil && loopErr == nil {
			loopErr = fmt.Errorf("writing the packet list: %w", err)
		}
	}
	if c.eng != nil {
		c.eng.Flush(0)
		for _, f := range c.eng.Ready(0) {
			fmt.Fprintf(c.out, "[diagnosis] %s: %s\n", f.Severity, f.Title)
		}
		fmt.Fprintln(c.out)
		d := report.NewDiagnosis("live capture on "+strings.Join(names, ", "), c.eng)
		if err := report.WriteDiagnosisText(c.out, d); err != nil && loopErr == nil {
			loopErr = fmt.Errorf("writing the diagnosis: %w", err)
		}
	}
	if c.out != nil {
		c.out.Flush()
	}
	if c.exp != nil {
		if err := c.exp.finish(c.env); err != nil && loopErr == nil {
			loopErr = fmt.Errorf("export: %w", err)
		}
	}
	plural := func(n uint64, what string) string {
		s := "s"
		if n == 1 {
			s = ""
		}
		return fmt.Sprintf("%d packet%s %s", n, s, what)
	}
	fmt.Fprintf(c.env.Stderr, "%s\n%s\n%s\n", plural(st.Captured, "captured"), plural(st.Received, "received by filter"), plural(st.Dropped, "dropped by kernel"))
	return loopErr
}
