package detail

import (
	"bufio"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/pipeline"
)

// Frames runs cfg's pipeline through run (the CLI's runFile) and calls fn
// with each displayed frame and, when tree is set, its details tree
// (reused between calls), naming addresses with names.
func Frames(names Resolver, tree bool, cfg pipeline.Config, run func(cfg pipeline.Config, fn pipeline.Consumer) error,
	fn func(f *decode.Frame, t *Tree) error) error {
	bo := Options{Names: names, State: &State{}}
	var t Tree
	var rd pipeline.Meta
	first := true
	// One core: the tree reads the interface list, which the parallel
	// pipeline's reading goroutine may be extending.
	cfg.OnOpen = func(r pipeline.Meta) { rd = r }
	return run(cfg,
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
			Build(&t, f, bo)
			return fn(f, &t)
		})
}

// Printer writes what read -V, -O and -x print of each frame.
type Printer struct {
	W       *bufio.Writer
	Verbose bool     // -V: the details tree
	Only    []string // -O: details of these protocols only (implies -V)
	Hex     bool     // -x: hex and ASCII dump of each frame's data sources
	srcs    []DataSource
}

// Frame prints one frame's tree and hex dump.
func (p *Printer) Frame(f *decode.Frame, t *Tree) error {
	if p.Verbose || len(p.Only) > 0 {
		WriteText(p.W, t, TextOptions{Only: p.Only})
	}
	if p.Hex {
		p.srcs = Sources(f, t, p.srcs[:0])
		WriteHex(p.W, p.srcs)
	}
	return nil
}
