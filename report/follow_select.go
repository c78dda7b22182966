package report

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/flow"
)

// FollowSelector picks one conversation out of the pipeline's frames and
// collects its data into a Follow: give OnData to flow.Config.OnData (TCP:
// the reassembled byte streams) and Frame as the consumer (UDP payloads,
// and the nodes), then call Done.
type FollowSelector struct {
	F        *Follow
	isTCP    bool
	target   int64
	epA, epB netip.AddrPort
	byAddr   bool
}

// NewFollowSelector selects conversation sel of proto ("tcp", "udp"): a
// stream number or the two endpoints "ip:port,ip:port". The errors say
// what is wrong with the arguments.
func NewFollowSelector(proto, sel string, format FollowFormat) (*FollowSelector, error) {
	if proto != "tcp" && proto != "udp" {
		return nil, fmt.Errorf("protocol %q: use tcp or udp", proto)
	}
	s := &FollowSelector{F: &Follow{Proto: proto, Format: format}, isTCP: proto == "tcp", target: -1}
	if n, err := strconv.ParseInt(sel, 10, 64); err == nil && n >= 0 {
		s.target = n
		return s, nil
	}
	x, y, found := strings.Cut(sel, ",")
	a, err1 := netip.ParseAddrPort(strings.TrimSpace(x))
	b, err2 := netip.ParseAddrPort(strings.TrimSpace(y))
	if !found || err1 != nil || err2 != nil {
		return nil, fmt.Errorf("STREAM %q: give a stream number or ip:port,ip:port", sel)
	}
	s.epA, s.epB, s.byAddr = unmapAP(a), unmapAP(b), true
	return s, nil
}

func unmapAP(a netip.AddrPort) netip.AddrPort { return netip.AddrPortFrom(a.Addr().Unmap(), a.Port()) }

func (s *FollowSelector) matches(a, b netip.AddrPort) bool {
	a, b = unmapAP(a), unmapAP(b)
	return (a == s.epA && b == s.epB) || (a == s.epB && b == s.epA)
}

// OnData takes the TCP byte streams (flow.Config.OnData); nil for UDP.
func (s *FollowSelector) OnData() func(ch *flow.Chunk) {
	if !s.isTCP {
		return nil
	}
	return func(ch *flow.Chunk) {
		if s.target < 0 && s.byAddr && s.matches(ch.Src, ch.Dst) {
			s.target = ch.Stream
		}
		if ch.Stream != s.target {
			return
		}
		fl := s.F
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

// Frame consumes one frame of the pipeline.
func (s *FollowSelector) Frame(f *decode.Frame) error {
	a := &f.Analysis
	if a.Stream < 0 || a.IsUDP == s.isTCP || (s.isTCP && !f.Has(decode.ProtoTCP)) || (!s.isTCP && !f.Has(decode.ProtoUDP)) {
		return nil
	}
	src, dst, ok := flow.Endpoints(f)
	if !ok {
		return nil
	}
	var sp, dp netip.AddrPort
	if s.isTCP {
		sp, dp = netip.AddrPortFrom(src, f.TCP.SrcPort), netip.AddrPortFrom(dst, f.TCP.DstPort)
	} else {
		sp, dp = netip.AddrPortFrom(src, f.UDP.SrcPort), netip.AddrPortFrom(dst, f.UDP.DstPort)
	}
	if s.target < 0 && s.byAddr && s.matches(sp, dp) {
		s.target = a.Stream
	}
	if a.Stream != s.target {
		return nil
	}
	fl := s.F
	if !fl.HasNodes {
		fl.HasNodes = true
		fl.Nodes = [2]netip.AddrPort{sp, dp}
	}
	if !s.isTCP && len(f.Payload) > 0 {
		node := 0
		if sp != fl.Nodes[0] {
			node = 1
		}
		fl.Add(node, f.Number, f.Payload, 0)
	}
	return nil
}

// ErrNoConversation is Done's error when no conversation matched.
var ErrNoConversation = errors.New("no such conversation")

// Done sets the Follow's filter once every frame was seen.
func (s *FollowSelector) Done() error {
	if s.target < 0 {
		return fmt.Errorf("%w: no %s conversation between %s and %s", ErrNoConversation, s.F.Proto, s.epA, s.epB)
	}
	s.F.Filter = fmt.Sprintf("%s.stream eq %d", s.F.Proto, s.target)
	return nil
}
