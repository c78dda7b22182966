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
	// SkipApp leaves these application-layer dissectors out of decoding,
	// for reports that cannot read their fields (see decode.Options.SkipApp).
	SkipApp decode.AppSet
}

// decoder returns a new decoder for the pipeline's options.
func (o *pipeOptions) decoder() *decode.Decoder {
	return decode.NewDecoder(decode.Options{ReassembleIP: true, SkipApp: o.SkipApp})
}

// frameFunc receives each frame that passes the filter. f is reused: copy what you keep.
type frameFunc func(f *decode.Frame) error

// errStop ends a pipeline early without error.
var errStop = errors.New("stop")

// runPipeline reads the capture at o.Path and calls fn for every displayed frame.
// Damaged input is reported on stderr as it is met; the returned error is the
// first non-resumable one (after every good packet before it was processed).
func runPipeline(env *Env, o pipeOptions, fn frameFunc) error {
	r, flt, err := openPipeline(env, o)
	if err != nil {
		return err
	}
	defer r.Close()
	dec := o.decoder()
	fr := newFramer(r, dec)
	o.Flow.Decoder = dec
	d := newDisplayer(o, flt, fn)
	defer d.tr.Flush()
	var f decode.Frame
	for n := 0; ; n++ {
		if n%1024 == 0 && interrupted(env) {
			return errInterrupted
		}
		p, err := nextPacket(env, r)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		fr.prepare(&f, p)
		if done, err := d.frame(&f); done || err != nil {
			return err
		}
	}
}

// openPipeline compiles the display filter and opens the capture.
func openPipeline(env *Env, o pipeOptions) (capture.Reader, *filter.Filter, error) {
	var flt *filter.Filter
	if o.Filter != "" {
		var err error
		if flt, err = filter.Compile(o.Filter, field.Std()); err != nil {
			return nil, nil, &UsageError{Msg: err.Error()}
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
		return nil, nil, err
	}
	if o.OnOpen != nil {
		o.OnOpen(r)
	}
	return r, flt, nil
}

// interrupted reports whether the command was asked to stop (Ctrl-C).
func interrupted(env *Env) bool {
	if env.Ctx == nil {
		return false
	}
	select {
	case <-env.Ctx.Done():
		return true
	default:
		return false
	}
}

// nextPacket returns the next packet, reporting (and skipping) damage the
// reader recovered from on stderr.
func nextPacket(env *Env, r capture.Reader) (capture.Packet, error) {
	for {
		p, err := r.Next()
		if err == nil {
			return p, nil
		}
		// fe is declared only here: errors.As(&fe) moves it to the heap,
		// which must not happen once per packet.
		var fe *capture.FormatError
		if errors.As(err, &fe) && fe.Resumable {
			fmt.Fprintf(env.Stderr, "wirewatch: warning: %s\n", fe)
			continue
		}
		return p, err
	}
}

// framer numbers and decodes packets in capture order and sets the
// per-frame facts that depend on earlier packets and on the file's
// interfaces, as tshark does.
type framer struct {
	r                       capture.Reader
	dec                     *decode.Decoder
	pcapng                  bool
	num                     uint64
	firstTS, prevTS, lastTS int64
}

func newFramer(r capture.Reader, dec *decode.Decoder) *framer {
	return &framer{r: r, dec: dec, pcapng: strings.HasPrefix(r.Format(), "pcapng")}
}

// prepare decodes p into f. p.Data must stay valid as long as f is used.
func (fr *framer) prepare(f *decode.Frame, p capture.Packet) {
	if p.NoTS && p.LinkType == capture.LinkCustomBlock {
		p.TS = fr.lastTS // tshark keeps the previous record's time for a custom block (an SPB counts as 0)
	}
	fr.lastTS = p.TS
	fr.num++
	f.Number = fr.num
	fr.dec.Decode(f, p)
	if ifs := fr.r.Interfaces(); p.Interface >= 0 && p.Interface < len(ifs) {
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
		fr.firstTS, fr.prevTS = p.TS, p.TS
	}
	f.FirstTS, f.PrevTS = fr.firstTS, fr.prevTS
	fr.prevTS = p.TS
}

// displayer runs the tracker, the display filter and fn over prepared
// frames in capture order, counting displayed frames for -c.
type displayer struct {
	tr          *flow.Tracker
	flt         *filter.Filter
	fn          frameFunc
	count       int
	shown       int
	prevShownTS int64
}

func newDisplayer(o pipeOptions, flt *filter.Filter, fn frameFunc) *displayer {
	return &displayer{tr: flow.NewTrackerConfig(o.Flow), flt: flt, fn: fn, count: o.Count}
}

// frame handles one frame; done reports that the pipeline should stop.
func (d *displayer) frame(f *decode.Frame) (done bool, err error) {
	return d.frameMatched(f, matchHere)
}

// Display-filter verdicts for frameMatched: the filter runs here, after the
// tracker, or it already ran on the decoded frame (earlyFilter).
const (
	matchHere = iota
	matchedYes
	matchedNo
)

// frameMatched is frame with the filter's verdict possibly already known.
func (d *displayer) frameMatched(f *decode.Frame, verdict int) (done bool, err error) {
	if d.shown == 0 {
		d.prevShownTS = f.TS // the first displayed frame has a displayed delta of 0
	}
	f.PrevDisplayedTS = d.prevShownTS
	d.tr.Process(f)
	switch {
	case verdict == matchedNo:
		return false, nil
	case verdict == matchHere && d.flt != nil && !d.flt.Match(f):
		return false, nil
	}
	d.prevShownTS = f.TS
	if err := d.fn(f); err != nil {
		if err == errStop {
			return true, nil
		}
		return true, err
	}
	d.shown++
	return d.count > 0 && d.shown >= d.count, nil
}

// decodeOnlyProtos are the protocols whose fields the decoder alone sets:
// nothing the tracker does (stream numbers, sequence analysis, PDU
// reassembly, transactions) changes them.
var decodeOnlyProtos = [decode.NumProtos]bool{decode.ProtoEth: true, decode.ProtoVLAN: true, decode.ProtoSLL: true,
	decode.ProtoNull: true, decode.ProtoARP: true, decode.ProtoIP: true, decode.ProtoIPv6: true, decode.ProtoICMP: true,
	decode.ProtoICMPv6: true, decode.ProtoLLC: true, decode.ProtoRaw: true, decode.ProtoIEEE8021AD: true,
	decode.ProtoPPPoE: true, decode.ProtoPPP: true, decode.ProtoFrame: true}

// decodeOnlyNames are the TCP and UDP header fields and the protocols
// themselves: decoded, never computed by the tracker. frame fields are
// decode-only except the two listed as not; _ws fields (columns, expert
// info, malformed) never are.
var (
	decodeOnlyNames = map[string]bool{"tcp": true, "udp": true, "tcp.srcport": true, "tcp.dstport": true,
		"tcp.port": true, "tcp.hdr_len": true, "tcp.len": true, "tcp.window_size_value": true, "tcp.urgent_pointer": true,
		"tcp.checksum": true, "tcp.seq_raw": true, "tcp.ack_raw": true, "udp.srcport": true, "udp.dstport": true,
		"udp.port": true, "udp.length": true, "udp.checksum": true}
	notDecodeOnly = map[string]bool{"frame.time_delta_displayed": true, "frame.protocols": true}
)

// earlyFilter returns a second compilation of flt for the decoding
// goroutine when every field it names is set by the decoder alone (so its
// verdict is the same before the tracker runs), else nil. The two-core
// pipeline then filters while decoding, off the tracker's core.
func earlyFilter(flt *filter.Filter) *filter.Filter {
	if flt == nil {
		return nil
	}
	reg := field.Std()
	for _, name := range flt.Fields() {
		if notDecodeOnly[name] || strings.HasPrefix(name, "_ws.") { // columns, expert info: after analysis
			return nil
		}
		if decodeOnlyNames[name] || strings.HasPrefix(name, "tcp.flags") {
			continue
		}
		fl := reg.Lookup(name)
		if fl == nil || int(fl.Proto) >= len(decodeOnlyProtos) || !decodeOnlyProtos[fl.Proto] {
			return nil
		}
	}
	early, err := filter.Compile(flt.Source(), reg)
	if err != nil {
		return nil
	}
	return early
}
