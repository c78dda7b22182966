package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/filter"
	"github.com/wirewatch/wirewatch/flow"
)

// pipeOptions configures the standard read → decode → flow → filter pipeline.
type pipeOptions struct {
	Path   string      // capture path, "-" for stdin
	Filter string      // display filter (-Y), "" for all
	Count  int         // stop after this many displayed frames; 0 = all
	Flow   flow.Config // tracker settings: OnEnd/OnData callbacks for stats and follow
	// OnOpen, when set, is called once with the opened reader (e.g. to learn
	// the timestamp resolution).
	OnOpen func(r capture.Reader)
}

// frameFunc receives each frame that passes the filter. f is reused: copy what you keep.
type frameFunc func(f *decode.Frame) error

// errStop ends a pipeline early without error.
var errStop = errors.New("stop")

// runPipeline reads the capture at o.Path and calls fn for every displayed frame.
// Damaged input is reported on stderr as it is met; the returned error is the
// first non-resumable one (after every good packet before it was processed).
func runPipeline(env *Env, o pipeOptions, fn frameFunc) error {
	var flt *filter.Filter
	if o.Filter != "" {
		var err error
		if flt, err = filter.Compile(o.Filter, field.Std()); err != nil {
			return &UsageError{Msg: err.Error()}
		}
	}
	var r capture.Reader
	var err error
	if o.Path == "-" {
		r, err = capture.NewReader(env.Stdin, "-")
	} else {
		r, err = capture.Open(o.Path)
	}
	if err != nil {
		return err
	}
	defer r.Close()
	if o.OnOpen != nil {
		o.OnOpen(r)
	}
	pcapng := strings.HasPrefix(r.Format(), "pcapng")
	dec := decode.NewDecoder(decode.Options{ReassembleIP: true})
	o.Flow.Decoder = dec
	tr := flow.NewTrackerConfig(o.Flow)
	defer tr.Flush()
	var f decode.Frame
	var n uint64
	var firstTS, prevTS, prevShownTS int64
	shown := 0
	var lastTS int64
	for {
		p, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var fe *capture.FormatError
			if errors.As(err, &fe) && fe.Resumable {
				fmt.Fprintf(env.Stderr, "wirewatch: warning: %s\n", fe)
				continue
			}
			return err
		}
		n++
		f.Number = n
		if p.NoTS && p.LinkType == capture.LinkCustomBlock {
			p.TS = lastTS // tshark keeps the previous record's time for a custom block (an SPB counts as 0)
		}
		lastTS = p.TS
		dec.Decode(&f, p)
		if ifs := r.Interfaces(); p.Interface >= 0 && p.Interface < len(ifs) {
			// tshark numbers interfaces within their pcapng section.
			f.Interface = ifs[p.Interface].ID
			// tshark 4.0 looks the name up by the section-local ID in the
			// file's interface list; do the same so frame.interface_name agrees.
			f.InterfaceName = ifs[p.Interface].Name
			if id := ifs[p.Interface].ID; id < len(ifs) {
				f.InterfaceName = ifs[id].Name
			}
			if f.InterfaceName == "" && pcapng {
				f.InterfaceName = "unknown" // what tshark shows for an IDB without if_name
			}
		} else {
			f.InterfaceName = ""
		}
		// A record without a timestamp counts as time 0, as in tshark.
		if n == 1 {
			firstTS, prevTS, prevShownTS = p.TS, p.TS, p.TS
		}
		if shown == 0 {
			prevShownTS = p.TS // the first displayed frame has a displayed delta of 0
		}
		f.FirstTS, f.PrevTS, f.PrevDisplayedTS = firstTS, prevTS, prevShownTS
		prevTS = p.TS
		tr.Process(&f)
		if flt != nil && !flt.Match(&f) {
			continue
		}
		prevShownTS = p.TS
		if err := fn(&f); err != nil {
			if err == errStop {
				return nil
			}
			return err
		}
		shown++
		if o.Count > 0 && shown >= o.Count {
			return nil
		}
	}
}
