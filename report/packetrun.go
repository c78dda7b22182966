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
