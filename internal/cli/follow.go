package cli

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/flow"
	"github.com/wirewatch/wirewatch/internal/opt"
	"github.com/wirewatch/wirewatch/report"
)

func init() { register("follow", runFollow) }

// parseEndpoints parses "ip:port,ip:port".
func parseEndpoints(s string) (a, b netip.AddrPort, ok bool) {
	x, y, found := strings.Cut(s, ",")
	if !found {
		return a, b, false
	}
	var err1, err2 error
	a, err1 = netip.ParseAddrPort(strings.TrimSpace(x))
	b, err2 = netip.ParseAddrPort(strings.TrimSpace(y))
	return unmapAP(a), unmapAP(b), err1 == nil && err2 == nil
}

func unmapAP(a netip.AddrPort) netip.AddrPort {
	return netip.AddrPortFrom(a.Addr().Unmap(), a.Port())
}

func runFollow(env *Env, s *opt.Set) error {
	o, err := parseStatsArgs("follow", s)
	if err != nil {
		return err
	}
	return follow(env, o)
}

// follow prints the conversation o.pos names (tcp|udp STREAM FILE).
func follow(env *Env, o *statsOpts) error {
	if o.format == "text" {
		o.format = "ascii"
	}
	if len(o.pos) != 3 {
		return usagef("follow: expected tcp|udp STREAM FILE (see 'wirewatch help follow')")
	}
	proto, sel, path := o.pos[0], o.pos[1], o.pos[2]
	if proto != "tcp" && proto != "udp" {
		return usagef("follow: protocol %q: use tcp or udp", proto)
	}
	fmtv, ok := report.ParseFollowFormat(o.format)
	if !ok {
		return usagef("follow: --format %q: use ascii, hex or raw", o.format)
	}
	target := int64(-1)
	var epA, epB netip.AddrPort
	byAddr := false
	if n, err := strconv.ParseInt(sel, 10, 64); err == nil && n >= 0 {
		target = n
	} else if epA, epB, byAddr = parseEndpoints(sel); !byAddr {
		return usagef("follow: STREAM %q: give a stream number or ip:port,ip:port", sel)
	}
	matches := func(s, d netip.AddrPort) bool {
		s, d = unmapAP(s), unmapAP(d)
		return (s == epA && d == epB) || (s == epB && d == epA)
	}
	fl := &report.Follow{Proto: proto, Format: fmtv}
	po, err := o.prefs.config()
	if err != nil {
		return err
	}
	isTCP := proto == "tcp"
	if isTCP {
		po.Flow.OnData = func(ch *flow.Chunk) {
			if target < 0 && byAddr && matches(ch.Src, ch.Dst) {
				target = ch.Stream
			}
			if ch.Stream != target {
				return
			}
			if !fl.HasNodes {
				fl.HasNodes = true
				if ch.Dir == 0 {
					fl.Nodes = [2]netip.AddrPort{ch.Src, ch.Dst}
				} else {
					fl.Nodes = [2]netip.AddrPort{ch.Dst, ch.Src}
				}
			}
			fl.Add(ch.Dir, ch.Frame, ch.Data, ch.Gap)
		}
	}
	err = runFile(env, path, po, func(f *decode.Frame) error {
		a := &f.Analysis
		if a.Stream < 0 || a.IsUDP == isTCP || (isTCP && !f.Has(decode.ProtoTCP)) || (!isTCP && !f.Has(decode.ProtoUDP)) {
			return nil
		}
		src, dst, ok := flow.Endpoints(f)
		if !ok {
			return nil
		}
		var s, d netip.AddrPort
		if isTCP {
			s, d = netip.AddrPortFrom(src, f.TCP.SrcPort), netip.AddrPortFrom(dst, f.TCP.DstPort)
		} else {
			s, d = netip.AddrPortFrom(src, f.UDP.SrcPort), netip.AddrPortFrom(dst, f.UDP.DstPort)
		}
		if target < 0 && byAddr && matches(s, d) {
			target = a.Stream
		}
		if a.Stream != target {
			return nil
		}
		if !fl.HasNodes {
			fl.HasNodes = true
			fl.Nodes = [2]netip.AddrPort{s, d}
		}
		if !isTCP && len(f.Payload) > 0 {
			node := 0
			if s != fl.Nodes[0] {
				node = 1
			}
			fl.Add(node, f.Number, f.Payload, 0)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if target < 0 {
		return fmt.Errorf("follow: no %s conversation between %s and %s in %s", proto, epA, epB, path)
	}
	fl.Filter = fmt.Sprintf("%s.stream eq %d", proto, target)
	return fl.WriteText(env.Stdout)
}
