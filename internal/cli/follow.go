package cli

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/flow"
	"github.com/wirewatch/wirewatch/pipeline"
	"github.com/wirewatch/wirewatch/report"
)

func init() {
	register("follow", "print the data of one TCP or UDP conversation (like tshark -z follow)", runFollow)
}

const followUsage = `Usage: wirewatch follow tcp|udp STREAM FILE [--format ascii|hex|raw]

STREAM is a tcp.stream / udp.stream number, or the two endpoints as
ip:port,ip:port (IPv6 as [addr]:port). The default ascii output is
byte-identical to 'tshark -q -z follow,tcp,ascii,STREAM': a header naming
both nodes, then each piece of data with its length, the second node's
indented by a tab. TCP data is reassembled: retransmitted and overlapping
bytes appear once, out-of-order segments in sequence order, and bytes never
captured are marked "[N bytes missing in capture]".

Examples:
  wirewatch follow tcp 0 trace.pcap
  wirewatch follow tcp 10.0.0.1:51000,10.0.0.2:80 trace.pcap --format hex
  wirewatch follow udp 3 dns.pcap --format raw
`

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

func runFollow(env *Env, args []string) error {
	o, err := parseStatsArgs("follow", args)
	if err == errHelp {
		fmt.Fprint(env.Stdout, followUsage)
		return errHelp
	}
	if err != nil {
		return err
	}
	if o.format == "text" {
		o.format = "ascii"
	}
	if len(o.pos) != 3 {
		return usagef("follow: expected tcp|udp STREAM FILE (see 'wirewatch follow --help')")
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
	var po pipeline.Config
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
