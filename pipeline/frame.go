package pipeline

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

// next returns the next packet, passing damage the reader recovered from
// to warn and skipping it; errEOF at the end.
func next(src Source, warn func(error)) (capture.Packet, error) {
	for {
		p, err := src.Next()
		if err == nil {
			return p, nil
		}
		if err == io.EOF {
			return p, errEOF
		}
		// fe is declared only here: errors.As(&fe) moves it to the heap,
		// which must not happen once per packet.
		var fe *capture.FormatError
		if errors.As(err, &fe) && fe.Resumable {
			if warn != nil {
				warn(fe)
			}
			continue
		}
		return p, err
	}
}

// WarnTo returns a Config.Warn that prints each warning as one line on w.
func WarnTo(w io.Writer) func(error) {
	return func(err error) { fmt.Fprintf(w, "wirewatch: warning: %s\n", err) }
}

// framer numbers and decodes packets in capture order and sets the
// per-frame facts that depend on earlier packets and on the source's
// interfaces, as tshark does.
type framer struct {
	src                     Meta
	dec                     *decode.Decoder
	pcapng                  bool
	num                     uint64
	firstTS, prevTS, lastTS int64
	skipped                 bool // a record before the first frame was dropped (Select)
	number                  func(pos uint64) uint64
	prefix                  func(f *decode.Frame, dst []byte) []byte // Config.Prefix
}

func newFramer(src Meta, dec *decode.Decoder) *framer {
	return &framer{src: src, dec: dec, pcapng: strings.HasPrefix(src.Format(), "pcapng")}
}

// skip notes a record Config.Select dropped: times stay relative to the
// source's first record, as in tshark's second pass.
func (fr *framer) skip(p capture.Packet) {
	if !fr.skipped && fr.num == 0 {
		fr.firstTS, fr.skipped = p.TS, true
	}
}

// prepare decodes p into f. p.Data must stay valid as long as f is used.
func (fr *framer) prepare(f *decode.Frame, p capture.Packet) {
	if p.NoTS && p.LinkType == capture.LinkCustomBlock {
		p.TS = fr.lastTS // tshark keeps the previous record's time for a custom block (an SPB counts as 0)
	}
	fr.lastTS = p.TS
	fr.num++
	f.Number = fr.num
	if fr.number != nil {
		f.Number = fr.number(fr.num)
	}
	fr.dec.Decode(f, p)
	if ifs := fr.src.Interfaces(); p.Interface >= 0 && p.Interface < len(ifs) {
		// tshark numbers interfaces within their pcapng section.
		f.Interface = ifs[p.Interface].ID
		// tshark 4.0 looks the name up by the section-local ID in the
		// file's interface list; do the same so frame.interface_name agrees.
		f.InterfaceName = ifs[p.Interface].Name
		if id := ifs[p.Interface].ID; id < len(ifs) {
			f.InterfaceName = ifs[id].Name
		}
		if f.InterfaceName == "" && fr.pcapng {
			f.InterfaceName = "unknown" // what tshark shows for an IDB without if_name
		}
	} else {
		f.InterfaceName = ""
	}
	// A record without a timestamp counts as time 0, as in tshark.
	if fr.num == 1 {
		fr.prevTS = p.TS
		if !fr.skipped {
			fr.firstTS = p.TS
		}
	}
	f.FirstTS, f.PrevTS = fr.firstTS, fr.prevTS
	fr.prevTS = p.TS
	if fr.prefix != nil {
		f.Prefix = fr.prefix(f, f.Prefix[:0])
	}
}

// displayer runs the tracker, the display filter and fn over prepared
// frames in capture order, counting displayed frames for Count.
type displayer struct {
	tr          *flow.Tracker // nil when no field needs it
	flt         *filter.Filter
	fn          Consumer
	count       int
	shown       int
	prevShownTS int64
}

func (p *Pipeline) newDisplayer(dec *decode.Decoder, fn Consumer) *displayer {
	d := &displayer{flt: p.flt, fn: fn, count: p.cfg.Count}
	if p.need >= field.StageFlow {
		fc := p.cfg.Flow
		fc.Decoder = dec
		d.tr = flow.NewTrackerConfig(fc)
	}
	return d
}

// Display-filter verdicts for frame: the filter runs here, after the
// tracker, or it already ran on the decoded frame (the early filter).
const (
	matchHere = iota
	matchedYes
	matchedNo
)

// frame handles one frame with the filter's verdict possibly already
// known; done reports that the run should stop.
func (d *displayer) frame(f *decode.Frame, verdict int) (shown, done bool, err error) {
	if d.shown == 0 {
		d.prevShownTS = f.TS // the first displayed frame has a displayed delta of 0
	}
	f.PrevDisplayedTS = d.prevShownTS
	if d.tr != nil {
		d.tr.Process(f)
	}
	switch {
	case verdict == matchedNo:
		return false, false, nil
	case verdict == matchHere && d.flt != nil && !d.flt.Match(f):
		return false, false, nil
	}
	d.prevShownTS = f.TS
	if err := d.fn(f); err != nil {
		if err == ErrStop {
			return true, true, nil
		}
		return true, true, err
	}
	d.shown++
	return true, d.count > 0 && d.shown >= d.count, nil
}

// flush ends the connections still open.
func (d *displayer) flush() {
	if d.tr != nil {
		d.tr.Flush()
	}
}
