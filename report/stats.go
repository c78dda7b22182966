package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/flow"
)

// ConvKind selects the layer of a conversation or endpoint table.
type ConvKind uint8

// Conversation layers, as tshark's -z conv,eth|ip|tcp|udp.
const (
	ConvEth ConvKind = iota
	ConvIP
	ConvTCP
	ConvUDP
)

var convNames = [...]string{"Ethernet", "IPv4", "TCP", "UDP"}

func (k ConvKind) String() string { return [...]string{"eth", "ip", "tcp", "udp"}[k] }

// ParseConvKind maps "eth", "ip", "tcp", "udp" (also "ipv4", "ipv6") to a kind.
func ParseConvKind(s string) (ConvKind, bool) {
	switch s {
	case "eth", "ether", "ethernet":
		return ConvEth, true
	case "ip", "ipv4", "ipv6":
		return ConvIP, true
	case "tcp":
		return ConvTCP, true
	case "udp":
		return ConvUDP, true
	}
	return 0, false
}

// Conv is one row of a conversation table: A is the source of the first
// frame seen, "AB" figures count frames from A to B.
type Conv struct {
	A            string  `json:"a"` // address (with :port for TCP/UDP)
	B            string  `json:"b"`
	Stream       int64   `json:"stream"` // tcp.stream / udp.stream; -1 for eth/ip
	FramesAB     uint64  `json:"frames_ab"`
	BytesAB      uint64  `json:"bytes_ab"`
	FramesBA     uint64  `json:"frames_ba"`
	BytesBA      uint64  `json:"bytes_ba"`
	Start        float64 `json:"start"`                // seconds since the first frame of the capture
	Duration     float64 `json:"duration"`             // seconds
	ConnState    string  `json:"conn_state,omitempty"` // Zeek conn_state (TCP/UDP)
	History      string  `json:"history,omitempty"`    // Zeek history (TCP/UDP)
	first, last  int64
	aAddr, bAddr netip.Addr
	aPort, bPort uint16
	aMAC, bMAC   [6]byte
	seq          int
}

// appendEnds appends the row's A or B column (a, else b) as tshark prints it.
func (c *Conv) appendEnd(dst []byte, kind ConvKind, a bool) []byte {
	addr, port, mac := c.bAddr, c.bPort, c.bMAC
	if a {
		addr, port, mac = c.aAddr, c.aPort, c.aMAC
	}
	switch kind {
	case ConvEth:
		return decode.AppendMAC(dst, mac[:])
	case ConvIP:
		return addr.AppendTo(dst)
	}
	dst = addr.AppendTo(dst)
	dst = append(dst, ':')
	return strconv.AppendUint(dst, uint64(port), 10)
}

type ipPair struct{ a, b netip.Addr }
type ethPair struct{ a, b [6]byte }

// ConvTable accumulates one conversation table from frames.
type ConvTable struct {
	Kind    ConvKind
	Filter  string
	rows    []*Conv
	streams []int32 // stream → index+1 in rows (TCP/UDP)
	ips     map[ipPair]int32
	eths    map[ethPair]int32
	firstTS int64
	started bool
}

// NewConvTable returns an empty table of kind k; filter is shown in the header.
func NewConvTable(k ConvKind, filter string) *ConvTable {
	return &ConvTable{Kind: k, Filter: filter, ips: map[ipPair]int32{}, eths: map[ethPair]int32{}}
}

// Add counts frame f. It allocates only when f starts a new conversation.
func (t *ConvTable) Add(f *decode.Frame) {
	if !t.started {
		t.firstTS, t.started = f.FirstTS, true
		if f.FirstTS == 0 {
			t.firstTS = f.TS
		}
	}
	switch t.Kind {
	case ConvTCP, ConvUDP:
		p := decode.ProtoTCP
		if t.Kind == ConvUDP {
			p = decode.ProtoUDP
		}
		if !f.Has(p) || f.Analysis.Stream < 0 || f.Analysis.IsUDP != (p == decode.ProtoUDP) {
			return
		}
		s := f.Analysis.Stream
		for int64(len(t.streams)) <= s {
			t.streams = append(t.streams, 0)
		}
		src, dst, ok := flow.Endpoints(f)
		if !ok {
			return
		}
		var sport, dport uint16
		if p == decode.ProtoTCP {
			sport, dport = f.TCP.SrcPort, f.TCP.DstPort
		} else {
			sport, dport = f.UDP.SrcPort, f.UDP.DstPort
		}
		i := t.streams[s]
		if i == 0 {
			// The A and B columns are formatted when the table is written:
			// a flood of one-packet flows makes a million rows.
			c := &Conv{Stream: s, aAddr: src, aPort: sport, bAddr: dst, bPort: dport, first: f.TS}
			t.rows = append(t.rows, c)
			i = int32(len(t.rows))
			t.streams[s] = i
		}
		c := t.rows[i-1]
		t.count(c, f, src == c.aAddr && sport == c.aPort)
	case ConvIP:
		src, dst, ok := outerIP(f)
		if !ok {
			return
		}
		k := ipPair{src, dst}
		if src.Compare(dst) > 0 {
			k = ipPair{dst, src}
		}
		i := t.ips[k]
		if i == 0 {
			c := &Conv{Stream: -1, aAddr: src, bAddr: dst, first: f.TS}
			t.rows = append(t.rows, c)
			i = int32(len(t.rows))
			t.ips[k] = i
		}
		c := t.rows[i-1]
		t.count(c, f, src == c.aAddr)
	case ConvEth:
		if !f.Has(decode.ProtoEth) {
			return
		}
		src, dst := f.Eth.Src, f.Eth.Dst
		k := ethPair{src, dst}
		if string(src[:]) > string(dst[:]) {
			k = ethPair{dst, src}
		}
		i := t.eths[k]
		if i == 0 {
			c := &Conv{Stream: -1, aMAC: src, bMAC: dst, first: f.TS}
			t.rows = append(t.rows, c)
			i = int32(len(t.rows))
			t.eths[k] = i
		}
		c := t.rows[i-1]
		t.count(c, f, src == c.aMAC)
	}
}

func (t *ConvTable) count(c *Conv, f *decode.Frame, fromA bool) {
	if fromA {
		c.FramesAB++
		c.BytesAB += uint64(f.Len)
	} else {
		c.FramesBA++
		c.BytesBA += uint64(f.Len)
	}
	if f.TS < c.first {
		c.first = f.TS
	}
	if f.TS > c.last || c.FramesAB+c.FramesBA == 1 {
		c.last = f.TS
	}
}

// SetConn attaches a tracker's connection summary (Zeek state and history)
// to the TCP/UDP row of its stream.
func (t *ConvTable) SetConn(s *flow.ConnSummary) {
	if (t.Kind == ConvTCP) != (s.Proto == decode.ProtoTCP) || (t.Kind != ConvTCP && t.Kind != ConvUDP) {
		return
	}
	if s.Stream < 0 || s.Stream >= int64(len(t.streams)) || t.streams[s.Stream] == 0 {
		return
	}
	c := t.rows[t.streams[s.Stream]-1]
	c.ConnState, c.History = s.State, s.History
}

// outerIP returns the addresses of the first IP header (tshark's ip conversation).
func outerIP(f *decode.Frame) (src, dst netip.Addr, ok bool) {
	for i := range f.Layers {
		switch f.Layers[i].Proto {
		case decode.ProtoIP:
			return f.IP.Src, f.IP.Dst, f.IP.Src.IsValid()
		case decode.ProtoIPv6:
			return f.IPv6.Src, f.IPv6.Dst, f.IPv6.Src.IsValid()
		}
	}
	if f.Has(decode.ProtoIP) {
		return f.IP.Src, f.IP.Dst, f.IP.Src.IsValid()
	}
	if f.Has(decode.ProtoIPv6) {
		return f.IPv6.Src, f.IPv6.Dst, f.IPv6.Src.IsValid()
	}
	return src, dst, false
}

// nstimeSec is Wireshark's nstime_to_sec of a duration of ns nanoseconds:
// seconds and nanoseconds converted separately.
func nstimeSec(ns int64) float64 {
	return float64(ns/1e9) + float64(ns%1e9)/1e9
}

// Rows finalises and returns the rows sorted as tshark prints them: by total
// frames, most first, then in order of appearance.
func (t *ConvTable) Rows() []*Conv {
	out := t.sorted()
	var b []byte
	for _, c := range out {
		b = c.appendEnd(b[:0], t.Kind, true)
		c.A = string(b)
		b = c.appendEnd(b[:0], t.Kind, false)
		c.B = string(b)
	}
	return out
}

// sorted is Rows without the A and B strings.
func (t *ConvTable) sorted() []*Conv {
	for i, c := range t.rows {
		c.seq = i
		// As tshark: both ends relative to the first frame, each turned into
		// seconds as a double (whole seconds plus nanoseconds / 1e9), then
		// subtracted. The rounding of the printed duration depends on it.
		start, stop := nstimeSec(c.first-t.firstTS), nstimeSec(c.last-t.firstTS)
		c.Start = start
		c.Duration = stop - start
	}
	out := append([]*Conv(nil), t.rows...)
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].FramesAB+out[i].FramesBA > out[j].FramesAB+out[j].FramesBA
	})
	return out
}

// FormatSize formats a byte count as Wireshark does in statistics tables
// ("9654 bytes", "176 kB", "12 MB").
func FormatSize(n uint64) string {
	switch {
	case n >= 10_000_000_000_000:
		return strconv.FormatUint(n/1_000_000_000_000, 10) + " TB"
	case n >= 10_000_000_000:
		return strconv.FormatUint(n/1_000_000_000, 10) + " GB"
	case n >= 10_000_000:
		return strconv.FormatUint(n/1_000_000, 10) + " MB"
	case n >= 10_000:
		return strconv.FormatUint(n/1_000, 10) + " kB"
	}
	return strconv.FormatUint(n, 10) + " bytes"
}

const rule80 = "================================================================================"

// WriteText prints the table in tshark's -z conv layout.
func (t *ConvTable) WriteText(w io.Writer) error {
	rows := t.sorted()
	b := bufio.NewWriterSize(w, 64<<10) // streamed: a table can have a million rows
	b.WriteString(rule80 + "\n")
	fmt.Fprintf(b, "%s Conversations\n", convNames[t.Kind])
	flt := t.Filter
	if flt == "" {
		flt = "<No Filter>"
	}
	fmt.Fprintf(b, "Filter:%s\n", flt)
	// Address columns are 26 wide with ports, 20 without, as in tshark.
	aw := 20
	if t.Kind == ConvTCP || t.Kind == ConvUDP {
		aw = 26
	}
	pad := strings.Repeat(" ", 2*aw+7)
	b.WriteString(pad + "|       <-      | |       ->      | |     Total     |    Relative    |   Duration   |\n")
	b.WriteString(pad + "| Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |\n")
	var ea, eb []byte
	for _, c := range rows {
		ea, eb = c.appendEnd(ea[:0], t.Kind, true), c.appendEnd(eb[:0], t.Kind, false)
		fmt.Fprintf(b, "%-*s <-> %-*s  %6d %-9s  %6d %-9s  %6d %-9s  %14.9f  %13.4f\n",
			aw, ea, aw, eb, c.FramesBA, FormatSize(c.BytesBA), c.FramesAB, FormatSize(c.BytesAB),
			c.FramesAB+c.FramesBA, FormatSize(c.BytesAB+c.BytesBA), c.Start, c.Duration)
	}
	b.WriteString(rule80 + "\n")
	return b.Flush()
}

// WriteJSON prints the rows as a JSON document.
func (t *ConvTable) WriteJSON(w io.Writer) error {
	rows := t.Rows()
	type out struct {
		Kind          string  `json:"kind"`
		Filter        string  `json:"filter,omitempty"`
		Conversations []*Conv `json:"conversations"`
	}
	if rows == nil {
		rows = []*Conv{}
	}
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(out{Kind: t.Kind.String(), Filter: t.Filter, Conversations: rows})
}

// Endpoint is one row of an endpoint table.
type Endpoint struct {
	Address   string `json:"address"`
	Port      uint16 `json:"port,omitempty"`
	Frames    uint64 `json:"frames"`
	Bytes     uint64 `json:"bytes"`
	TxFrames  uint64 `json:"tx_frames"`
	TxBytes   uint64 `json:"tx_bytes"`
	RxFrames  uint64 `json:"rx_frames"`
	RxBytes   uint64 `json:"rx_bytes"`
	seq       int
	addr      netip.Addr
	mac       [6]byte
	keyedPort bool
}

type epKey struct {
	a    netip.Addr
	mac  [6]byte
	port uint16
}

// EndpointTable accumulates an endpoint table (tshark -z endpoints,...).
type EndpointTable struct {
	Kind   ConvKind
	Filter string
	rows   []*Endpoint
	idx    map[epKey]int32
}

// NewEndpointTable returns an empty endpoint table of kind k.
func NewEndpointTable(k ConvKind, filter string) *EndpointTable {
	return &EndpointTable{Kind: k, Filter: filter, idx: map[epKey]int32{}}
}

func (t *EndpointTable) ep(k epKey) *Endpoint {
	i := t.idx[k]
	if i == 0 {
		e := &Endpoint{addr: k.a, mac: k.mac, Port: k.port}
		switch t.Kind {
		case ConvEth:
			e.Address = net.HardwareAddr(k.mac[:]).String()
		default:
			e.Address = k.a.String()
		}
		t.rows = append(t.rows, e)
		i = int32(len(t.rows))
		t.idx[k] = i
	}
	return t.rows[i-1]
}

// Add counts frame f for its source and destination endpoints.
func (t *EndpointTable) Add(f *decode.Frame) {
	var s, d epKey
	switch t.Kind {
	case ConvEth:
		if !f.Has(decode.ProtoEth) {
			return
		}
		s.mac, d.mac = f.Eth.Src, f.Eth.Dst
	case ConvIP:
		src, dst, ok := outerIP(f)
		if !ok {
			return
		}
		s.a, d.a = src, dst
	case ConvTCP, ConvUDP:
		src, dst, ok := flow.Endpoints(f)
		if !ok {
			return
		}
		s.a, d.a = src, dst
		if t.Kind == ConvTCP {
			if !f.Has(decode.ProtoTCP) {
				return
			}
			s.port, d.port = f.TCP.SrcPort, f.TCP.DstPort
		} else {
			if !f.Has(decode.ProtoUDP) {
				return
			}
			s.port, d.port = f.UDP.SrcPort, f.UDP.DstPort
		}
	}
	n := uint64(f.Len)
	e := t.ep(s)
	e.Frames++
	e.Bytes += n
	e.TxFrames++
	e.TxBytes += n
	if d == s {
		return
	}
	e = t.ep(d)
	e.Frames++
	e.Bytes += n
	e.RxFrames++
	e.RxBytes += n
}

// Rows returns the endpoints sorted by frames, most first.
func (t *EndpointTable) Rows() []*Endpoint {
	out := append([]*Endpoint(nil), t.rows...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Frames > out[j].Frames })
	return out
}

// WriteText prints the table in tshark's -z endpoints layout.
func (t *EndpointTable) WriteText(w io.Writer) error {
	var b strings.Builder
	b.WriteString(rule80 + "\n")
	fmt.Fprintf(&b, "%s Endpoints\n", convNames[t.Kind])
	flt := t.Filter
	if flt == "" {
		flt = "<No Filter>"
	}
	fmt.Fprintf(&b, "Filter:%s\n", flt)
	port := t.Kind == ConvTCP || t.Kind == ConvUDP
	if port {
		b.WriteString("                       |  Port  ||  Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n")
	} else {
		b.WriteString("                       |  Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n")
	}
	for _, e := range t.Rows() {
		if port {
			fmt.Fprintf(&b, "%-20s%11d%11d%14d%11d%16d%12d%16d   \n", e.Address, e.Port, e.Frames, e.Bytes, e.TxFrames, e.TxBytes, e.RxFrames, e.RxBytes)
		} else {
			fmt.Fprintf(&b, "%-20s%12d%14d%11d%16d%12d%16d   \n", e.Address, e.Frames, e.Bytes, e.TxFrames, e.TxBytes, e.RxFrames, e.RxBytes)
		}
	}
	b.WriteString(rule80 + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON prints the endpoints as JSON.
func (t *EndpointTable) WriteJSON(w io.Writer) error {
	rows := t.Rows()
	if rows == nil {
		rows = []*Endpoint{}
	}
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(struct {
		Kind      string      `json:"kind"`
		Filter    string      `json:"filter,omitempty"`
		Endpoints []*Endpoint `json:"endpoints"`
	}{t.Kind.String(), t.Filter, rows})
}
