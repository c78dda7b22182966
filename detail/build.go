package detail

import (
	"net/netip"
	"strings"
	"sync"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
)

// BuildFunc adds one protocol's subtree for layer l of b.Frame. data is the
// layer's bytes (from l.Off to the end of its source), so offsets passed to
// the Builder are relative to the layer's start. It starts with b.Open for
// the protocol line and ends with b.Close.
type BuildFunc func(b *Builder, l decode.Layer, data []byte)

var (
	regMu    sync.RWMutex
	builders = map[decode.Proto]BuildFunc{}
)

// Register sets the tree builder for protocol p. Call it from an init
// function in the protocol's file (detail/<proto>.go).
func Register(p decode.Proto, fn BuildFunc) {
	regMu.Lock()
	defer regMu.Unlock()
	builders[p] = fn
}

func builderFor(p decode.Proto) BuildFunc {
	regMu.RLock()
	defer regMu.RUnlock()
	return builders[p]
}

// Options describe the capture file around the frame and how to name things.
type Options struct {
	// Names resolves addresses and ports (nil: none, as tshark -n).
	Names Resolver
	// PcapNG is set for pcapng files: the frame line names the interface
	// and the tree shows the section and interface.
	PcapNG bool
	// Interfaces are the capture's interfaces (capture.Reader.Interfaces),
	// for the section number and per-section interface id of pcapng frames.
	Interfaces []capture.Interface
	// State carries what trees need from earlier frames (bytes since the
	// last PSH); nil leaves those lines out. One State per capture.
	State *State
}

// State is per-capture memory of the tree builders; the zero value is ready.
type State struct {
	tcp  tcpState
	icmp icmpState
	http httpState
	frag fragState
}

// Resolver names addresses and ports for labels (tshark's -N). Each method
// returns "" when it has no name (or that kind of resolution is off).
type Resolver interface {
	MAC(a [6]byte) string
	Addr(a netip.Addr) string
	Port(transport decode.Proto, port uint16) string
}

// Learner is a Resolver that learns address names from the capture's DNS
// answers (tshark's -N d): the DNS tree calls Learn for each A and AAAA
// record before showing it, so the name applies from that line on.
type Learner interface {
	Learn(a netip.Addr, name string)
}

type noNames struct{}

func (noNames) MAC([6]byte) string               { return "" }
func (noNames) Addr(netip.Addr) string           { return "" }
func (noNames) Port(decode.Proto, uint16) string { return "" }

// NoNames resolves nothing (tshark -n).
var NoNames Resolver = noNames{}

// Build fills t with f's details tree: the frame node, then each decoded
// layer in order. Protocols without a registered builder show their
// protocol line only.
func Build(t *Tree, f *decode.Frame, o Options) {
	t.Reset()
	if o.Names == nil {
		o.Names = NoNames
	}
	b := Builder{t: t, Frame: f, Names: o.Names, Opts: o}
	b.proto = decode.ProtoFrame
	buildFrame(&b)
	for i, l := range f.Layers {
		b.depth, b.base, b.proto = 0, l.Off, l.Proto
		b.src = SrcFrame
		src := f.Data
		if l.Reasm {
			b.src = SrcReassembled
			src = f.Reassembled
			if t.PDU != nil {
				src = t.PDU // the same bytes, with the rest of the message
			}
		}
		if l.Off < 0 || l.Off > len(src) {
			continue
		}
		data := src[l.Off:]
		if l.Proto == decode.ProtoRaw && (f.LinkType == capture.LinkIPv4 || f.LinkType == capture.LinkIPv6) {
			continue // tshark shows no raw protocol for LINKTYPE_IPV4/IPV6
		}
		tcpData := i > 0 && f.Layers[i-1].Proto == decode.ProtoTCP &&
			(f.PDUSegment || f.Analysis.Flags&(decode.AnRetransmission|decode.AnFastRetransmission|decode.AnSpuriousRetransmission) != 0)
		if l.Proto == decode.ProtoData && tcpData {
			b.dropProtocol("data")
		}
		if l.Proto == decode.ProtoData && (b.skipData || tcpData) {
			// A PDU segment or retransmission shows "TCP segment data", ICMP echo
			// data shows inside the ICMP tree: tshark shows no Data protocol.
			b.skipData = false
			continue
		}
		b.skipData = false
		if fn := builderFor(l.Proto); fn != nil {
			b.layer = i
			fn(&b, l, data)
			if l.Proto == decode.ProtoTCP && i == len(f.Layers)-1 {
				b.undissectedTCP()
			}
			continue
		}
		n := l.Len
		if n > len(data) {
			n = len(data)
		}
		b.Add(l.Proto.String(), 0, n, protoTitle(l.Proto))
	}
	if f.TLSPDUStart && f.PDUSegment && !f.Has(decode.ProtoTLS) {
		// Wireshark's TLS dissector took the segment and asked TCP for the
		// rest of its first record: an empty TLS tree.
		b.depth, b.proto, b.base = 0, decode.ProtoTLS, 0
		b.Add("tls", -1, 0, protoTitle(decode.ProtoTLS))
	}
	b.depth = 0
}

// firstOf reports whether the layer being built is the frame's first layer
// of protocol p.
func (b *Builder) firstOf(p decode.Proto) bool {
	for i, l := range b.Frame.Layers {
		if l.Proto == p {
			return i == b.layer
		}
	}
	return false
}

// protoTitle is the protocol line of a protocol without a builder.
func protoTitle(p decode.Proto) string {
	if s, ok := titles[p]; ok {
		return s
	}
	return p.String()
}

var titles = map[decode.Proto]string{
	decode.ProtoTLS: "Transport Layer Security",
}

// undissectedTCP adds the Data protocol for a TCP payload no dissector
// claimed (the decoder tried one on its port and gave up; tshark then shows
// the bytes as data).
func (b *Builder) undissectedTCP() {
	f := b.Frame
	t := &f.TCP
	if t.PayloadLen == 0 || len(f.Payload) == 0 || f.PDUSegment || t.Short || t.BadHdrLen ||
		f.Analysis.Flags&(decode.AnRetransmission|decode.AnFastRetransmission|decode.AnSpuriousRetransmission) != 0 ||
		httpPort(t.SrcPort) || httpPort(t.DstPort) {
		return // on an HTTP port tshark keeps unparsed bytes for a body it expects
	}
	b.depth, b.proto = 0, decode.ProtoData
	p := f.Payload[:min(len(f.Payload), t.PayloadLen)]
	if off, ok := subOffset(f.Data, p); ok {
		b.base, b.src = off, SrcFrame
	} else {
		b.base = 0
	}
	b.embeddedData(0, p)
	b.skipData = false
	b.addProtocol("data")
}

// subOffset is inner's offset in outer when it is a sub-slice of it.
func subOffset(outer, inner []byte) (int, bool) {
	if len(outer) == 0 || len(inner) == 0 {
		return 0, false
	}
	o := cap(outer) - cap(inner)
	if o < 0 || o+len(inner) > len(outer) || &outer[o] != &inner[0] {
		return 0, false
	}
	return o, true
}

func httpPort(p uint16) bool { return p == 80 || p == 8080 || p == 3128 || p == 8000 }

// dropProtocol removes the last p from the "[Protocols in frame: ...]" line
// when the tree shows that protocol's bytes otherwise (as TCP segment data).
func (b *Builder) dropProtocol(p string) {
	for i := range b.t.Nodes {
		n := &b.t.Nodes[i]
		if n.Field == "frame.protocols" && strings.HasSuffix(n.Label, ":"+p+"]") {
			n.Label = n.Label[:len(n.Label)-len(p)-2] + "]"
			return
		}
	}
}
