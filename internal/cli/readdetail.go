package cli

import (
	"bufio"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/detail"
	"github.com/wirewatch/wirewatch/names"
	"github.com/wirewatch/wirewatch/pipeline"
	"github.com/wirewatch/wirewatch/report"
)

// detailOptions are read's packet-inspection flags (tshark's -V, -O, -x).
type detailOptions struct {
	verbose bool     // -V: the details tree
	only    []string // -O: details of these protocols only (implies -V)
	hex     bool     // -x: hex and ASCII dump of each frame's data sources
}

func (d detailOptions) on() bool { return d.verbose || d.hex || len(d.only) > 0 }

// parseOnly splits -O's comma-separated protocol list.
func parseOnly(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, strings.ToLower(p))
		}
	}
	return out
}

// runReadDetail is read with -V, -O or -x.
func runReadDetail(env *Env, o *readOptions) error {
	w := bufio.NewWriterSize(report.SafeText(env.Stdout), 64<<10) // the tree quotes packet text: no control byte reaches the terminal
	p := &detail.Printer{W: w, Verbose: o.detail.verbose, Only: o.detail.only, Hex: o.detail.hex}
	err := detailFrames(env, o, true, p.Frame)
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}

// detailFrames runs read's pipeline through detail.Frames.
func detailFrames(env *Env, o *readOptions, tree bool, fn func(f *decode.Frame, t *detail.Tree) error) error {
	names, err := readResolver(o)
	if err != nil {
		return err
	}
	cfg, err := o.prefs.config()
	if err != nil {
		return err
	}
	cfg.Filter, cfg.Count, cfg.Select = o.filter, o.count, o.sel
	return detail.Frames(names, tree, cfg, func(cfg pipeline.Config, fn pipeline.Consumer) error { return runFile(env, o.file, cfg, fn) }, fn)
}

// readResolver returns the name resolver -N and --hosts ask for (nil: none, as -n).
func readResolver(o *readOptions) (detail.Resolver, error) {
	if o.names == "" && o.hosts == "" {
		return detail.NoNames, nil
	}
	letters := o.names
	if o.hosts != "" && !strings.ContainsAny(letters, "nd") {
		letters += "n" // --hosts names addresses even without -N n
	}
	r, err := names.New(letters)
	if err != nil {
		return nil, usagef("read: %v", err)
	}
	if o.hosts != "" {
		if err := r.LoadHosts(o.hosts); err != nil {
			return nil, usagef("read: --hosts: %v", err)
		}
	}
	return r, nil
}
