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

// detailWriter holds runReadDetail's output state.
type detailWriter struct {
	w    *bufio.Writer
	o    detailOptions
	srcs []detail.DataSource
}

// runReadDetail is read with -V, -O or -x.
func runReadDetail(env *Env, o *readOptions) error {
	w := bufio.NewWriterSize(report.SafeText(env.Stdout), 64<<10) // the tree quotes packet text: no control byte reaches the terminal
	dw := &detailWriter{w: w, o: o.detail}
	err := detailFrames(env, o, true, func(f *decode.Frame, t *detail.Tree) error {
		if dw.o.verbose || len(dw.o.only) > 0 {
			detail.WriteText(w, t, detail.TextOptions{Only: dw.o.only})
		}
		if dw.o.hex {
			dw.srcs = detail.Sources(f, t, dw.srcs[:0])
			detail.WriteHex(w, dw.srcs)
		}
		return nil
	})
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}

// detailFrames runs read's pipeline and calls fn with each displayed frame
// and, when tree is set, its details tree (reused between calls).
func detailFrames(env *Env, o *readOptions, tree bool, fn func(f *decode.Frame, t *detail.Tree) error) error {
	names, err := readResolver(o)
	if err != nil {
		return err
	}
	bo := detail.Options{Names: names, State: &detail.State{}}
	var t detail.Tree
	var rd pipeline.Meta
	first := true
	// One core: the tree reads the interface list, which the parallel
	// pipeline's reading goroutine may be extending.
	cfg, err := o.prefs.config()
	if err != nil {
		return err
	}
	cfg.Filter, cfg.Count, cfg.OnOpen, cfg.Select = o.filter, o.count, func(r pipeline.Meta) { rd = r }, o.sel
	return runFile(env, o.file, cfg,
		func(f *decode.Frame) error {
			if first {
				first = false
				if rd != nil {
					bo.PcapNG = strings.HasPrefix(rd.Format(), "pcapng")
				}
			}
			if rd != nil {
				bo.Interfaces = rd.Interfaces()
			}
			if !tree {
				return fn(f, nil)
			}
			detail.Build(&t, f, bo)
			return fn(f, &t)
		})
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
