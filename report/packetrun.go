package report

import (
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/pipeline"
)

// PacketFormats are read's -T formats.
var PacketFormats = map[string]PacketFormat{
	"text": FormatText, "tabs": FormatText, "fields": FormatFields,
	"json": FormatJSON, "jsonl": FormatJSONL, "ek": FormatJSONL,
}

// TimeFormats are read's -t time formats (tshark's letters).
var TimeFormats = map[string]TimeFormat{
	"r": TimeRelative, "a": TimeAbsolute, "ad": TimeAbsoluteDate, "d": TimeDelta,
	"dd": TimeDeltaDisplayed, "e": TimeEpoch, "u": TimeUTC, "ud": TimeUTCDate,
}

// PacketList returns the consumer that writes each frame to pw, its Time
// column with the decimals of its interface (from the capture's meta, which
// *meta holds once the pipeline opened it), and the learn hook (nil: none)
// seeing each frame first (name resolution learning from DNS answers).
func PacketList(pw *PacketWriter, meta *pipeline.Meta, learn func(f *decode.Frame)) pipeline.Consumer {
	var precs []int // Time column decimals per interface
	prec := -1
	return func(f *decode.Frame) error {
		if f.Interface >= len(precs) { // first frame, or an interface described since
			precs = InterfacePrecisions((*meta).Format(), (*meta).Interfaces(), precs[:0])
		}
		p := 6
		if f.Interface >= 0 && f.Interface < len(precs) {
			p = precs[f.Interface]
		}
		if p != prec {
			prec = p
			pw.SetPrecision(p)
		}
		if learn != nil {
			learn(f)
		}
		return pw.Write(f)
	}
}

// TextPrefix returns a pipeline.Config.Prefix hook that writes the
// columns of pw's text lines that depend on the frame alone (No., Time,
// Source, Destination) on the pipeline's decoding goroutine, and makes pw
// copy them from f.Prefix: the consumer's goroutine (tracker, Info
// column, output) is the pipeline's busier one, and this is about a sixth
// of its work on the 1 GB bench capture. It returns nil (pw unchanged)
// when pw does not write text lines or those columns depend on other
// frames (-t dd: the previous displayed frame) or on names learnt while
// reading (-N). The hook takes the Time decimals from meta's interfaces
// as PacketList does; it runs on one goroutine at a time.
func TextPrefix(pw *PacketWriter, meta *pipeline.Meta) func(f *decode.Frame, dst []byte) []byte {
	o := pw.o
	if o.Format != FormatText || o.Names != nil || o.Time == TimeDeltaDisplayed {
		return nil
	}
	pw.prefixed = true
	var precs []int
	var col []byte
	cur := o.Precision
	return func(f *decode.Frame, dst []byte) []byte {
		if f.Interface >= len(precs) {
			precs = InterfacePrecisions((*meta).Format(), (*meta).Interfaces(), precs[:0])
		}
		p := 6
		if f.Interface >= 0 && f.Interface < len(precs) {
			p = precs[f.Interface]
		}
		if p > 0 && p <= 9 { // as PacketWriter.SetPrecision
			cur = p
		}
		dst, col = appendTextPrefix(dst, col, f, o.Time, cur, nil)
		return dst
	}
}
