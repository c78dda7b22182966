package report

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/flow"
	"github.com/wirewatch/wirewatch/pipeline"
)

// LiveExport is what capture --export feeds (export.Live).
type LiveExport interface {
	OnEnd(c *flow.ConnSummary)
	Frame(f *decode.Frame)
	Tick() error
	Finish(log io.Writer) error
}

// LiveConfig is what 'wirewatch capture' fills from its flags for RunLive.
type LiveConfig struct {
	// Live holds the capture, the ring and the stop conditions; RunLive
	// fills in its pipeline, consumer, tick and start callbacks.
	Live     pipeline.Live
	Display  string        // -Y display filter
	Diagnose bool          // --diagnose: live findings and the report
	Settle   time.Duration // --settle
	Quiet    bool          // -q: no packet list
	Write    string        // -w FILE ("-": standard output carries the capture)
	Export   LiveExport    // --export (nil: none)
	Stdout   io.Writer
	Stderr   io.Writer
}

// DisplayFilterError is a display filter the pipeline refused.
type DisplayFilterError struct{ Err error }

func (e *DisplayFilterError) Error() string { return fmt.Sprintf("display filter: %v", e.Err) }

// RunLive runs one live capture: the consumers of the displayed frames (the
// packet list, the live diagnosis, the export) around pipeline.RunLive.
func RunLive(ctx context.Context, o LiveConfig) error {
	c := &liveRun{o: &o, exp: o.Export}
	return c.run(ctx)
}

type liveRun struct {
	o    *LiveConfig
	eng  *analyze.Engine
	out  *bufio.Writer // diagnosis lines and report
	list *PacketWriter // the packet list, as 'wirewatch read' prints it
	exp  LiveExport
}

func (c *liveRun) run(ctx context.Context) error {
	o := c.o
	l := &o.Live
	l.Tick, l.Consumer = c.tick, c.frame
	if o.Display != "" || o.Diagnose || o.Write == "" || c.exp != nil { // something needs decoded frames
		pc := pipeline.Config{Filter: o.Display}
		if c.exp != nil {
			pc.Flow.OnEnd = c.exp.OnEnd
		}
		p, err := pipeline.New(pc)
		if err != nil {
			return &DisplayFilterError{Err: err}
		}
		l.Pipeline = p
		if o.Diagnose {
			c.eng = analyze.New(analyze.Config{Settle: o.Settle})
		}
		diagOut := o.Stdout
		if o.Write == "-" { // standard output carries the capture file
			diagOut = o.Stderr
		}
		c.out = bufio.NewWriterSize(diagOut, 32<<10)
		if o.Write == "" && !o.Quiet {
			// Live timestamps have nanosecond resolution: 9 decimals, as
			// 'wirewatch read' shows a file written by 'capture -w'.
			c.list = NewPacketWriter(o.Stdout, PacketOptions{Format: FormatText, Precision: 9})
		}
	}
	var names []string
	l.OnStart = func(ifaces []capture.Interface) {
		for _, ifc := range ifaces {
			names = append(names, ifc.Name)
		}
		fmt.Fprintf(o.Stderr, "wirewatch: listening on %s, link-type %s, snapshot length %d bytes\n",
			strings.Join(names, ", "), ifaces[0].LinkType.Tcpdump(), l.Capture.SnapLen)
	}
	st, err := pipeline.RunLive(ctx, l)
	if names == nil { // never started
		return err
	}
	return c.finish(err, st, names)
}

// frame consumes a displayed frame: diagnosis, packet list.
func (c *liveRun) frame(f *decode.Frame) error {
	if c.exp != nil {
		c.exp.Frame(f)
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
func (c *liveRun) tick(now int64) error {
	if c.exp != nil {
		if err := c.exp.Tick(); err != nil {
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
func (c *liveRun) finish(loopErr error, st pipeline.LiveStats, names []string) error {
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
		d := NewDiagnosis("live capture on "+strings.Join(names, ", "), c.eng)
		if err := WriteDiagnosisText(c.out, d); err != nil && loopErr == nil {
			loopErr = fmt.Errorf("writing the diagnosis: %w", err)
		}
	}
	if c.out != nil {
		c.out.Flush()
	}
	if c.exp != nil {
		if err := c.exp.Finish(c.o.Stderr); err != nil && loopErr == nil {
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
	fmt.Fprintf(c.o.Stderr, "%s\n%s\n%s\n", plural(st.Captured, "captured"), plural(st.Received, "received by filter"), plural(st.Dropped, "dropped by kernel"))
	return loopErr
}
