package cli

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/names"
	"github.com/wirewatch/wirewatch/pipeline"
	"github.com/wirewatch/wirewatch/report"
)

func init() {
	register("read", "print the packets of a capture, like tshark -r (columns, fields, JSON)", runRead)
}

const readUsage = `Usage: wirewatch read [flags] FILE      (also: wirewatch -r FILE; FILE "-" is stdin)

Prints one line per packet: No., Time, Source, Destination, Protocol, Length,
Info, as tshark does. Reads pcap and pcapng, plain, gzip or zstd compressed,
whatever the file name says. Names are never resolved (-n is the default).

Flags:
  -r FILE        the capture to read (or give FILE as the argument)
  -c N           stop after N displayed packets
  -Y FILTER      display filter, Wireshark syntax (-R is the same)
  -w FILE        write the displayed packets to FILE (pcapng; pcap when FILE
                 ends in .pcap; "-" for pcapng on stdout) instead of printing
                 them, as tshark -w does
  -t FORMAT      Time column: r relative to the first packet (default),
                 a absolute time, ad absolute date and time, d delta from the
                 previous packet, dd delta from the previous displayed packet,
                 e seconds since the epoch
  -T FORMAT      text (default), fields (the -e fields, one line per packet),
                 json (an array of packet objects) or jsonl (one object per line)
  -e FIELD       a field to print with -T fields (repeatable); for json/jsonl
                 the fields are added to each object. 'wirewatch fields' lists them
  -E OPTION      -T fields options, as tshark:
                   header=y|n      print the field names first (default n)
                   separator=C     between values: /t tab (default), /s space, or C
                   occurrence=f|l|a  first, last or all occurrences (default a)
                   aggregator=C    joins several occurrences (default ,)
                   quote=d|s|n     double, single or no quotes around values
  -o tls.keylog_file:FILE, --tls-keylog FILE
                 decrypt TLS 1.2/1.3 with this key log (SSLKEYLOGFILE format):
                 HTTP/1.x and HTTP/2 inside become visible (http.*, http2.*)
  -n             no name resolution (always on; accepted for tshark habits)
  --single-core  decode and analyse on one core (default for a regular file:
                 decoding, and a display filter that needs no connection
                 analysis, run on a second core; standard input and pipes
                 always use one, so that packets show as they arrive)

Exit status: 0 ok; 1 the file is unreadable, truncated or corrupt (the message
names the file, the byte offset and the problem, after every good packet was
printed); 2 bad flags or filter; 130 interrupted (Ctrl-C).

Examples:
  wirewatch read capture.pcapng
  wirewatch read -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' -c 20 capture.pcap
  wirewatch read -T fields -e frame.number -e ip.src -e tcp.srcport -E header=y capture.pcap
  wirewatch read -T fields -E separator=, -E quote=d -e frame.time_epoch -e dns.qry.name dns.pcap
  wirewatch read -t ad -r capture.pcap.gz
  tcpdump -w - -i eth0 | wirewatch read -

JSON objects (-T json / jsonl) have a stable schema: number, time (RFC 3339,
UTC), time_epoch, time_relative, interface, len, cap_len, protocols, source,
destination, protocol, info, and with -e a "fields" object mapping each field
name to the list of its occurrences as strings.
`

// listFlag collects a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

type readOptions struct {
	file, filter, tfmt, time string
	write                    string // -w: save the displayed frames instead of printing them
	count                    int
	singleCore               bool
	fields, eopts            listFlag
	detail                   detailOptions // -V, -O, -x (readdetail.go)
	names                    string        // -N letters (m, n, t)
	hosts                    string        // --hosts FILE
	prefs                    listFlag      // -o NAME:VALUE (tls.keylog_file)
	keylog                   string        // --tls-keylog
}

func parseReadFlags(env *Env, args []string) (*readOptions, error) {
	o := &readOptions{tfmt: "text", time: "r"}
	fs := flag.NewFlagSet("read", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, readUsage) }
	fs.StringVar(&o.file, "r", "", "capture file")
	fs.StringVar(&o.filter, "Y", "", "display filter")
	fs.StringVar(&o.filter, "R", "", "display filter (same as -Y)")
	fs.StringVar(&o.time, "t", "r", "time format")
	fs.StringVar(&o.tfmt, "T", "text", "output format")
	fs.IntVar(&o.count, "c", 0, "packet count")
	fs.StringVar(&o.write, "w", "", "write the displayed packets to this capture file")
	fs.Var(&o.fields, "e", "field")
	fs.Var(&o.eopts, "E", "fields option")
	fs.Bool("n", true, "no name resolution")
	fs.BoolVar(&o.detail.verbose, "V", false, "packet details")
	fs.BoolVar(&o.detail.hex, "x", false, "hex dump")
	fs.Func("O", "details of these protocols only", func(s string) error { o.detail.only = parseOnly(s); return nil })
	fs.StringVar(&o.names, "N", "", "name resolution letters")
	fs.StringVar(&o.hosts, "hosts", "", "hosts file")
	fs.BoolVar(&o.singleCore, "single-core", false, "one core")
	fs.Var(&o.prefs, "o", "preference NAME:VALUE (tls.keylog_file:FILE)")
	fs.StringVar(&o.keylog, "tls-keylog", "", "TLS key log file (SSLKEYLOGFILE format)")
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if err == flag.ErrHelp {
				fmt.Fprint(env.Stdout, readUsage)
				return nil, errHelp
			}
			return nil, usagef("read: %v (run 'wirewatch read --help')", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0]) // flags may follow the file name
		args = args[1:]
	}
	switch {
	case len(pos) > 1:
		return nil, usagef("read: one capture file expected, got %q", pos)
	case len(pos) == 1 && o.file != "":
		return nil, usagef("read: both -r %s and %s given; name one capture", o.file, pos[0])
	case len(pos) == 1:
		o.file = pos[0]
	case o.file == "":
		return nil, usagef("read: no capture file; usage: wirewatch read [flags] FILE (run 'wirewatch read --help')")
	}
	if o.count < 0 {
		return nil, usagef("read: -c %d: the count must be positive", o.count)
	}
	for _, p := range o.prefs {
		path, isPref, err := keyLogPref("read", p)
		if err != nil {
			return nil, err
		}
		if !isPref {
			return nil, usagef("read: -o %s: want a preference NAME:VALUE such as %s:FILE", p, keyLogPrefName)
		}
		o.keylog = path
	}
	return o, nil
}

func runRead(env *Env, args []string) error {
	o, err := parseReadFlags(env, args)
	if err != nil {
		return err
	}
	po := report.PacketOptions{Occurrence: 'a'}
	switch o.tfmt {
	case "text", "tabs":
		po.Format = report.FormatText
	case "fields":
		po.Format = report.FormatFields
	case "json":
		po.Format = report.FormatJSON
	case "jsonl", "ek":
		po.Format = report.FormatJSONL
	default:
		return usagef("read: -T %s: unknown format; use text, fields, json or jsonl", o.tfmt)
	}
	switch o.time {
	case "r":
		po.Time = report.TimeRelative
	case "a":
		po.Time = report.TimeAbsolute
	case "ad":
		po.Time = report.TimeAbsoluteDate
	case "d":
		po.Time = report.TimeDelta
	case "dd":
		po.Time = report.TimeDeltaDisplayed
	case "e":
		po.Time = report.TimeEpoch
	default:
		return usagef("read: -t %s: unknown time format; use r, a, ad, d, dd or e", o.time)
	}
	kl, err := loadKeyLog(o.keylog)
	if err != nil {
		return err
	}
	if o.write != "" { // as tshark -w: save instead of printing (write.go)
		return writeSelected(env, o.file, o.write, pipeline.Config{Filter: o.filter, Count: o.count, KeyLog: kl})
	}
	reg := field.Std()
	for _, name := range o.fields {
		fl := reg.Lookup(name)
		if fl == nil {
			return usagef("read: -e %s: unknown field; 'wirewatch fields %s' lists the known ones", name, fieldPrefix(name))
		}
		po.Fields = append(po.Fields, fl)
	}
	if po.Format == report.FormatFields && len(po.Fields) == 0 {
		return usagef("read: -T fields needs at least one -e FIELD")
	}
	for _, e := range o.eopts {
		if err := applyEOption(&po, e); err != nil {
			return err
		}
	}
	if o.detail.on() && po.Format == report.FormatText {
		return runReadDetail(env, o)
	}
	var learner *names.Resolver
	if (o.names != "" || o.hosts != "") && po.Format == report.FormatText {
		r, err := readResolver(o)
		if err != nil {
			return err
		}
		learner, _ = r.(*names.Resolver)
		if learner != nil {
			po.Names = learner.Column
		}
	}
	pw := report.NewPacketWriter(env.Stdout, po)
	var rd pipeline.Meta
	first := true
	cfg := pipeline.Config{Filter: o.filter, Count: o.count, OnOpen: func(r pipeline.Meta) { rd = r }, KeyLog: kl,
		// Read-ahead in batches would hold back packets arriving on a pipe.
		Parallel: !o.singleCore && regularFile(o.file)}
	if po.Format == report.FormatFields {
		cfg.Fields = po.Fields // the flow work nothing prints is left out
	}
	err = runFile(env, o.file, cfg,
		func(f *decode.Frame) error {
			if first {
				first = false
				pw.SetPrecision(timePrecision(rd))
			}
			if learner != nil {
				learner.LearnFrame(f)
			}
			return pw.Write(f)
		})
	if cerr := pw.Close(); err == nil {
		err = cerr
	}
	return err
}

// regularFile reports whether path names a regular file (not standard
// input, a pipe or a device).
func regularFile(path string) bool {
	if path == "-" {
		return false
	}
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// timePrecision is the number of decimals tshark shows for the capture's timestamps.
func timePrecision(r pipeline.Meta) int {
	if r == nil {
		return 6
	}
	if strings.HasPrefix(r.Format(), "pcap-ns") {
		return 9
	}
	prec := 6
	for i, ifc := range r.Interfaces() {
		p := 6
		switch {
		case ifc.TSResol&0x80 != 0: // power of two
			p = 9
		case ifc.TSResol > 0:
			p = int(ifc.TSResol)
		}
		if p > 9 {
			p = 9
		}
		if i == 0 || p > prec {
			prec = p
		}
	}
	return prec
}

func fieldPrefix(name string) string {
	if i := strings.IndexByte(name, '.'); i > 0 {
		return name[:i]
	}
	return name
}

// applyEOption applies one -E key=value.
func applyEOption(po *report.PacketOptions, e string) error {
	k, v, ok := strings.Cut(e, "=")
	if !ok {
		return usagef("read: -E %s: expected key=value (header, separator, occurrence, aggregator, quote)", e)
	}
	sep := func(v string) string {
		switch v {
		case "/t":
			return "\t"
		case "/s":
			return " "
		}
		return v
	}
	switch k {
	case "header":
		switch v {
		case "y":
			po.Header = true
		case "n":
			po.Header = false
		default:
			return usagef("read: -E header=%s: use y or n", v)
		}
	case "separator":
		if v == "" {
			return usagef("read: -E separator= needs a character (/t tab, /s space)")
		}
		po.Separator = sep(v)
	case "aggregator":
		if v == "" {
			return usagef("read: -E aggregator= needs a character (/s space, or e.g. ;)")
		}
		po.Aggregator = sep(v)
	case "occurrence":
		switch v {
		case "f", "l", "a":
			po.Occurrence = v[0]
		default:
			if n, err := strconv.Atoi(v); err == nil && n == 0 {
				po.Occurrence = 'a'
				break
			}
			return usagef("read: -E occurrence=%s: use f (first), l (last) or a (all)", v)
		}
	case "quote":
		switch v {
		case "d", "s":
			po.Quote = v[0]
		case "n":
			po.Quote = 0
		default:
			return usagef("read: -E quote=%s: use d, s or n", v)
		}
	case "bom", "escape":
		// accepted for tshark compatibility; no effect
	default:
		return usagef("read: -E %s: unknown option; use header, separator, occurrence, aggregator or quote", k)
	}
	return nil
}
