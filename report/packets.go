package report

import (
	"bufio"
	"io"
	"strconv"
	"time"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

// PacketFormat selects the packet-list output of `wirewatch read`.
type PacketFormat uint8

// Packet-list formats.
const (
	FormatText   PacketFormat = iota // tshark-like columns
	FormatFields                     // -T fields: one line of field values per packet
	FormatJSON                       // a JSON array of packet objects
	FormatJSONL                      // one JSON packet object per line
)

// TimeFormat is the Time column's format (tshark -t).
type TimeFormat uint8

// Time column formats.
const (
	TimeRelative       TimeFormat = iota // r: seconds since the first packet
	TimeAbsolute                         // a: hh:mm:ss.frac, local time
	TimeAbsoluteDate                     // ad: yyyy-mm-dd hh:mm:ss.frac
	TimeDelta                            // d: since the previous captured packet
	TimeDeltaDisplayed                   // dd: since the previous displayed packet
	TimeEpoch                            // e: seconds since 1970
	TimeUTC                              // u: hh:mm:ss.frac, UTC
	TimeUTCDate                          // ud: yyyy-mm-dd hh:mm:ss.frac, UTC
)

// PacketOptions configures a PacketWriter.
type PacketOptions struct {
	Format PacketFormat
	Time   TimeFormat
	// Precision is the number of decimals of the Time column (6 for µs
	// captures, 9 for ns), as tshark derives it from the file.
	Precision int
	// Fields are the -e fields (required for FormatFields; optional extra
	// members of the JSON objects).
	Fields []*field.Field
	// Header prints the field names first (FormatFields).
	Header bool
	// Separator between field values (FormatFields); default tab.
	Separator string
	// Occurrence: 'f' first, 'l' last, 'a' all (joined by Aggregator); default 'a'.
	Occurrence byte
	// Aggregator joins occurrences; default ",".
	Aggregator string
	// Quote wraps non-empty values: 0 none, 'd' double quotes, 's' single quotes.
	Quote byte
	// Names, when set, rewrites the Source and Destination columns of the
	// text format (name resolution, read -N): it gets the address text and
	// returns the text to show.
	Names func(addr []byte) []byte
}

// PacketWriter writes one packet per Write in the configured format through
// a bufio.Writer. After the first packets it allocates nothing per packet.
type PacketWriter struct {
	w    *bufio.Writer
	o    PacketOptions
	line []byte
	col  []byte
	vals []field.Value
	esc  []byte // the Info column for JSON
	// prefixed: f.Prefix holds the text line's first columns (TextPrefix)
	prefixed bool
	n        int
	err      error
}

// NewPacketWriter returns a writer to w.
func NewPacketWriter(w io.Writer, o PacketOptions) *PacketWriter {
	if o.Separator == "" {
		o.Separator = "\t"
	}
	if o.Occurrence == 0 {
		o.Occurrence = 'a'
	}
	if o.Aggregator == "" {
		o.Aggregator = ","
	}
	if o.Precision <= 0 {
		o.Precision = 6
	}
	return &PacketWriter{w: bufio.NewWriterSize(w, 64<<10), o: o, line: make([]byte, 0, 512), col: make([]byte, 0, 128), vals: make([]field.Value, 0, 16)}
}

// Write outputs frame f.
func (p *PacketWriter) Write(f *decode.Frame) error {
	if p.err != nil {
		return p.err
	}
	b := p.line[:0]
	switch p.o.Format {
	case FormatFields:
		if p.n == 0 && p.o.Header {
			for i, fl := range p.o.Fields {
				if i > 0 {
					b = append(b, p.o.Separator...)
				}
				b = append(b, fl.Name...)
			}
			b = append(b, '\n')
		}
		b = p.appendFields(b, f)
	case FormatJSON, FormatJSONL:
		if p.o.Format == FormatJSON {
			if p.n == 0 {
				b = append(b, "[\n"...)
			} else {
				b = append(b, ",\n"...)
			}
		}
		b = p.appendJSON(b, f)
		if p.o.Format == FormatJSONL {
			b = append(b, '\n')
		}
	default:
		b = p.appendText(b, f)
	}
	p.line = b
	p.n++
	if _, err := p.w.Write(b); err != nil {
		p.err = err
	}
	return p.err
}

// Close finishes the output (the closing bracket of FormatJSON) and flushes.
func (p *PacketWriter) Close() error {
	if p.err != nil {
		return p.err
	}
	if p.o.Format == FormatJSON {
		if p.n == 0 {
			p.w.WriteString("[\n")
		}
		p.w.WriteString("\n]\n")
	}
	return p.w.Flush()
}

// Flush writes buffered output.
func (p *PacketWriter) Flush() error { return p.w.Flush() }

func (p *PacketWriter) appendFields(b []byte, f *decode.Frame) []byte {
	for i, fl := range p.o.Fields {
		if i > 0 {
			b = append(b, p.o.Separator...)
		}
		b = p.appendFieldValue(b, fl, f, p.o.Quote)
	}
	return append(b, '\n')
}

// appendFieldValue appends the selected occurrences of fl, quoted per q.
func (p *PacketWriter) appendFieldValue(b []byte, fl *field.Field, f *decode.Frame, q byte) []byte {
	p.vals = fl.Get(f, p.vals[:0])
	vals := p.vals
	if len(vals) == 0 {
		return b
	}
	switch p.o.Occurrence {
	case 'f':
		vals = vals[:1]
	case 'l':
		vals = vals[len(vals)-1:]
	}
	qc := byte(0)
	switch q {
	case 'd':
		qc = '"'
	case 's':
		qc = '\''
	}
	if qc != 0 {
		b = append(b, qc)
	}
	for i, v := range vals {
		if i > 0 {
			b = append(b, p.o.Aggregator...)
		}
		b = AppendValue(b, fl, v)
	}
	if qc != 0 {
		b = append(b, qc)
	}
	return b
}

// appendTime appends the Time column in format tf with prec decimals.
func appendTime(b []byte, f *decode.Frame, tf TimeFormat, prec int) []byte {
	if f.NoTS {
		return b
	}
	switch tf {
	case TimeAbsolute:
		return appendClock(b, time.Unix(0, f.TS), prec)
	case TimeAbsoluteDate, TimeUTCDate:
		t := time.Unix(0, f.TS)
		if tf == TimeUTCDate {
			t = t.UTC()
		}
		b = appendDate(b, t)
		b = append(b, ' ')
		return appendClock(b, t, prec)
	case TimeUTC:
		return appendClock(b, time.Unix(0, f.TS).UTC(), prec)
	case TimeDelta:
		return AppendRelTime(b, f.TS-f.PrevTS, prec)
	case TimeDeltaDisplayed:
		return AppendRelTime(b, f.TS-f.PrevDisplayedTS, prec)
	case TimeEpoch:
		return AppendRelTime(b, f.TS, prec)
	}
	return AppendRelTime(b, f.TS-f.FirstTS, prec)
}

func padLeft(b, s []byte, w int) []byte {
	for i := len(s); i < w; i++ {
		b = append(b, ' ')
	}
	return append(b, s...)
}

func padRight(b, s []byte, w int) []byte {
	b = append(b, s...)
	for i := len(s); i < w; i++ {
		b = append(b, ' ')
	}
	return b
}

// appendText appends tshark's default one-line summary:
// No. Time Source → Destination Protocol Length Info.
func (p *PacketWriter) appendText(b []byte, f *decode.Frame) []byte {
	if p.prefixed && len(f.Prefix) > 0 {
		b = append(b, f.Prefix...) // written by TextPrefix's hook
	} else {
		var c []byte
		b, c = appendTextPrefix(b, p.col[:0], f, p.o.Time, p.o.Precision, p.o.Names)
		p.col = c
	}
	b = f.AppendProtocolColumn(b)
	b = append(b, ' ')
	if f.Len >= 0 {
		b = decode.AppendUint(b, uint64(f.Len))
	} else {
		b = strconv.AppendInt(b, int64(f.Len), 10)
	}
	b = append(b, ' ')
	start := len(b)
	b = f.AppendInfo(b)
	b = decode.EscapeDisplayTail(b, start) // no control byte reaches the terminal
	return append(b, '\n')
}

// appendTextPrefix appends a text line's No., Time, Source and
// Destination columns, padded, and the space before Protocol; c is
// scratch (returned grown).
func appendTextPrefix(b, c []byte, f *decode.Frame, tf TimeFormat, prec int, names func([]byte) []byte) ([]byte, []byte) {
	c = decode.AppendUint(c[:0], f.Number)
	b = padLeft(b, c, 5)
	b = append(b, ' ')
	c = appendTime(c[:0], f, tf, prec)
	b = padLeft(b, c, 10)
	b = append(b, ' ')
	c = f.AppendSource(c[:0])
	if names != nil {
		c = names(c)
	}
	b = padLeft(b, c, 12)
	b = append(b, " → "...)
	c = f.AppendDestination(c[:0])
	if names != nil {
		c = names(c)
	}
	b = padRight(b, c, 12)
	return append(b, ' '), c
}

// appendJSON appends one packet object. The schema is stable:
//
//	{"number":1,"time":"2010-04-07T17:29:29.782934000Z","time_epoch":"1270661369.782934000",
//	 "time_relative":"0.000000000","interface":0,"len":72,"cap_len":72,
//	 "protocols":"eth:ethertype:ip:udp:dns","source":"172.16.0.122","destination":"4.2.2.1",
//	 "protocol":"DNS","info":"Standard query 0x9a6b A www.espn.com",
//	 "fields":{"ip.src":["172.16.0.122"]}}
//
// "time" is RFC 3339 in UTC with nanoseconds; absent (with time_epoch and
// time_relative) for records without a timestamp. "fields" is present only
// when fields were requested; each maps to the list of all its occurrences as
// strings in tshark -T fields format ([] when absent).
func (p *PacketWriter) appendJSON(b []byte, f *decode.Frame) []byte {
	b = append(b, `{"number":`...)
	b = strconv.AppendUint(b, f.Number, 10)
	if !f.NoTS {
		t := time.Unix(0, f.TS).UTC()
		b = append(b, `,"time":"`...)
		b = appendDate(b, t)
		b = append(b, 'T')
		b = appendClock(b, t, 9)
		b = append(b, `Z","time_epoch":"`...)
		b = AppendRelTime(b, f.TS, 9)
		b = append(b, `","time_relative":"`...)
		b = AppendRelTime(b, f.TS-f.FirstTS, 9)
		b = append(b, '"')
	}
	b = append(b, `,"interface":`...)
	b = strconv.AppendInt(b, int64(f.Interface), 10)
	b = append(b, `,"len":`...)
	b = strconv.AppendInt(b, int64(f.Len), 10)
	b = append(b, `,"cap_len":`...)
	b = strconv.AppendInt(b, int64(f.CapLen), 10)
	b = append(b, `,"protocols":`...)
	b = appendJSONString(b, f.Protocols())
	b = append(b, `,"source":`...)
	p.col = f.AppendSource(p.col[:0])
	b = appendJSONString(b, p.col)
	b = append(b, `,"destination":`...)
	p.col = f.AppendDestination(p.col[:0])
	b = appendJSONString(b, p.col)
	b = append(b, `,"protocol":`...)
	p.col = f.AppendProtocolColumn(p.col[:0])
	b = appendJSONString(b, p.col)
	b = append(b, `,"info":`...)
	p.col = f.AppendInfo(p.col[:0])
	b = appendJSONString(b, p.col)
	if len(p.o.Fields) > 0 {
		b = append(b, `,"fields":{`...)
		for i, fl := range p.o.Fields {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '"')
			b = append(b, fl.Name...)
			b = append(b, '"')
			b = append(b, ":["...)
			if fl.Name == "_ws.col.Info" {
				// tshark's column text, but a byte that is not UTF-8 as \xHH, not U+FFFD
				p.esc = decode.AppendDisplayTextValid(p.esc[:0], f.AppendInfo(p.col[:0]))
				b = append(appendJSONString(b, p.esc), ']')
				continue
			}
			p.vals = fl.Get(f, p.vals[:0])
			for j, v := range p.vals {
				if j > 0 {
					b = append(b, ',')
				}
				p.col = AppendValue(p.col[:0], fl, v)
				b = appendJSONString(b, p.col)
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendJSONString appends s as a strict-UTF-8 JSON string.
func appendJSONString(b, s []byte) []byte { return decode.AppendJSONString(b, s) }

// SetPrecision sets the Time column's decimals (1..9) before the first packet.
func (p *PacketWriter) SetPrecision(prec int) {
	if prec > 0 && prec <= 9 {
		p.o.Precision = prec
	}
}
