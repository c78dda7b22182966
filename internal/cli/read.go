package cli

import (
	"os"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/internal/opt"
	"github.com/wirewatch/wirewatch/names"
	"github.com/wirewatch/wirewatch/pipeline"
	"github.com/wirewatch/wirewatch/report"
)

func init() { register("read", runRead) }

type readOptions struct {
	file, filter, tfmt, time string
	write, wfmt              string // -w FILE, -F pcap|pcapng: save the displayed frames instead of printing them
	count                    int
	singleCore, quiet        bool
	fields, eopts            []string
	detail                   detailOptions // -V, -O, -x (readdetail.go)
	names                    string        // -N letters (m, n, t)
	hosts                    string        // --hosts FILE
	prefs                    prefs         // -o NAME:VALUE, --tls-keylog
	stats                    []string      // -z
	readFilter               string        // -2 -R
	sel                      func(uint64) bool
}

func parseReadFlags(s *opt.Set) (*readOptions, error) {
	o := &readOptions{file: s.Str("read-file", ""), filter: s.Str("display-filter", ""), tfmt: s.Str("T", "text"),
		time: s.Str("t", "r"), write: s.Str("write", ""), wfmt: s.Str("F", ""), singleCore: s.Has("single-core"),
		quiet: s.Has("q"), fields: s.List("e"), eopts: s.List("E"), names: s.Str("N", ""), hosts: s.Str("hosts", ""),
		stats: s.List("z")}
	o.detail = detailOptions{verbose: s.Has("V"), hex: s.Has("x"), only: parseOnly(s.Str("O", ""))}
	if rf := s.Str("read-filter", ""); rf != "" && s.Has("2") {
		o.readFilter = rf // tshark -2 -R: a first pass selects the frames, the second sees only them
	} else if rf != "" {
		if o.filter != "" && o.filter != rf {
			return nil, usagef("read: -R and -Y both given; give the display filter once (-Y)")
		}
		o.filter = rf
	}
	var err error
	if o.count, err = s.Int("count", 0); err != nil {
		return nil, err
	}
	if o.count < 0 {
		return nil, usagef("read: -c %d: the count must be positive", o.count)
	}
	pos := s.Args
	if o.file == "" {
		if len(pos) == 0 {
			return nil, usagef("read: no capture file; usage: wirewatch read [options] FILE [FILTER] (or wirewatch -r FILE)")
		}
		o.file, pos = pos[0], pos[1:]
	}
	if len(pos) == 1 && strings.ContainsAny(pos[0], "/\\") && regularFile(pos[0]) {
		return nil, usagef("read: one capture file expected, got %q and %q (words after the file are a display filter)", o.file, pos[0])
	}
	if len(pos) > 0 { // tshark's trailing display filter: wirewatch -r f.pcap tcp.port == 80
		if o.filter != "" {
			return nil, usagef("read: display filter given both with -Y and after the file (%q); give it once", strings.Join(pos, " "))
		}
		o.filter = strings.Join(pos, " ")
	}
	if err := o.prefs.parse("read", s); err != nil {
		return nil, err
	}
	if o.wfmt != "" && o.wfmt != "pcap" && o.wfmt != "pcapng" {
		return nil, usagef("read: -F %s: wirewatch writes pcapng or pcap (tshark -F lists more; convert with editcap)", o.wfmt)
	}
	if o.wfmt != "" && o.write == "" {
		return nil, usagef("read: -F %s needs -w FILE", o.wfmt)
	}
	return o, nil
}

func runRead(env *Env, s *opt.Set) error {
	o, err := parseReadFlags(s)
	if err != nil {
		return err
	}
	if len(o.stats) > 0 {
		return readStats(env, o)
	}
	return runReadOpts(env, o)
}

func runReadOpts(env *Env, o *readOptions) error {
	po := report.PacketOptions{Occurrence: 'a'}
	var ok bool
	if po.Format, ok = report.PacketFormats[o.tfmt]; !ok {
		return usagef("read: -T %s: unknown format; use text, fields, json or jsonl", o.tfmt)
	}
	if po.Time, ok = report.TimeFormats[o.time]; !ok {
		return usagef("read: -t %s: unknown time format; use r, a, ad, d, dd, e, u or ud", o.time)
	}
	base, err := o.prefs.config()
	if err != nil {
		return err
	}
	if o.readFilter != "" && o.sel == nil {
		if o.sel, err = readFilterPass(env, o.file, o.readFilter, base); err != nil {
			return err
		}
	}
	base.Filter, base.Count, base.Select = o.filter, o.count, o.sel
	defer noteEvictions(env.Stderr, &o.prefs.evictions, o.prefs.maxFlows)
	if o.write != "" { // as tshark -w: save instead of printing (write.go)
		return writeSelected(env, o.file, o.write, o.wfmt, base)
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
		if err := po.SetFieldOption(e); err != nil {
			return usagef("read: -E %s", err)
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
	cfg := base
	cfg.OnOpen = func(r pipeline.Meta) { rd = r }
	cfg.Parallel = !o.singleCore && regularFile(o.file) // read-ahead in batches would hold back packets arriving on a pipe
	if po.Format == report.FormatFields {
		cfg.Fields = po.Fields // the flow work nothing prints is left out
	}
	cfg.Prefix = report.TextPrefix(pw, &rd)
	var learn func(f *decode.Frame)
	if learner != nil {
		learn = learner.LearnFrame
	}
	err = runFile(env, o.file, cfg, report.PacketList(pw, &rd, learn))
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

func fieldPrefix(name string) string {
	if i := strings.IndexByte(name, '.'); i > 0 {
		return name[:i]
	}
	return name
}

// readFilterPass is the first pass of tshark -2 -R: it returns which
// records (by position) the read filter selects, for pipeline.Config.Select.
func readFilterPass(env *Env, path, rf string, base pipeline.Config) (func(uint64) bool, error) {
	if path == "-" {
		return nil, usagef("read: -2 -R reads the capture twice, which standard input cannot be; use -Y")
	}
	keep := map[uint64]bool{}
	base.Filter = rf
	err := runFile(env, path, base, func(f *decode.Frame) error { keep[f.Number] = true; return nil })
	return func(pos uint64) bool { return keep[pos] }, err
}
