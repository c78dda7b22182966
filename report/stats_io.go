package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/detail"
)

// IOBucket is one interval of an IO table.
type IOBucket struct {
	Start    float64 `json:"start"` // seconds since the first frame
	Frames   uint64  `json:"frames"`
	Bytes    uint64  `json:"bytes"`
	Retrans  uint64  `json:"tcp_retransmissions"`
	Lost     uint64  `json:"tcp_lost_segments"`
	DupAcks  uint64  `json:"tcp_duplicate_acks"`
	ZeroWins uint64  `json:"tcp_zero_windows"`
}

// IOTable counts frames, bytes and TCP trouble per time interval (tshark -z io,stat).
type IOTable struct {
	Interval time.Duration
	Filter   string
	// Tshark prints WriteText in tshark's -z io,stat layout (frames and
	// bytes only) instead of wirewatch's table with TCP trouble columns.
	Tshark  bool
	buckets []IOBucket
	firstTS int64
	lastTS  int64
	started bool
}

// NewIOTable returns an IO table with the given interval (default 1s).
func NewIOTable(interval time.Duration, filter string) *IOTable {
	if interval <= 0 {
		interval = time.Second
	}
	return &IOTable{Interval: interval, Filter: filter}
}

// Add counts frame f in its interval.
func (t *IOTable) Add(f *decode.Frame) {
	if !t.started {
		t.firstTS, t.started = f.FirstTS, true
		if t.firstTS == 0 {
			t.firstTS = f.TS
		}
	}
	d := f.TS - t.firstTS
	if d < 0 {
		d = 0
	}
	i := int(d / int64(t.Interval))
	if i > 1<<24 {
		return // absurd timestamp: do not grow without bound
	}
	for len(t.buckets) <= i {
		t.buckets = append(t.buckets, IOBucket{Start: float64(len(t.buckets)) * t.Interval.Seconds()})
	}
	if f.TS > t.lastTS {
		t.lastTS = f.TS
	}
	b := &t.buckets[i]
	b.Frames++
	b.Bytes += uint64(f.Len)
	x := f.Analysis.Flags
	if f.Analysis.HasTCP && x != 0 {
		if x&(decode.AnRetransmission|decode.AnFastRetransmission|decode.AnSpuriousRetransmission) != 0 {
			b.Retrans++
		}
		if x&decode.AnLostSegment != 0 {
			b.Lost++
		}
		if x&decode.AnDuplicateAck != 0 {
			b.DupAcks++
		}
		if x&decode.AnZeroWindow != 0 {
			b.ZeroWins++
		}
	}
}

// WriteText prints the table.
func (t *IOTable) WriteText(w io.Writer) error {
	if t.Tshark {
		return t.writeTshark(w)
	}
	var b strings.Builder
	b.WriteString("===================================================================================\n")
	fmt.Fprintf(&b, "IO Statistics  interval %s  filter: %s\n", t.Interval, orNone(t.Filter))
	fmt.Fprintf(&b, "Duration: %.6f secs\n", float64(t.lastTS-t.firstTS)/1e9)
	b.WriteString("-----------------------------------------------------------------------------------\n")
	fmt.Fprintf(&b, "%-21s %9s %12s %8s %6s %8s %8s\n", "Interval", "Frames", "Bytes", "Retrans", "Lost", "DupACKs", "ZeroWin")
	iv := t.Interval.Seconds()
	for _, k := range t.buckets {
		fmt.Fprintf(&b, "%9.3f <> %9.3f %9d %12d %8d %6d %8d %8d\n", k.Start, k.Start+iv, k.Frames, k.Bytes, k.Retrans, k.Lost, k.DupAcks, k.ZeroWins)
	}
	b.WriteString("===================================================================================\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON prints the table as JSON.
func (t *IOTable) WriteJSON(w io.Writer) error {
	bk := t.buckets
	if bk == nil {
		bk = []IOBucket{}
	}
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(struct {
		Interval float64    `json:"interval"`
		Filter   string     `json:"filter,omitempty"`
		Buckets  []IOBucket `json:"intervals"`
	}{t.Interval.Seconds(), t.Filter, bk})
}

func orNone(s string) string {
	if s == "" {
		return "<none>"
	}
	return s
}

// PHSNode is one protocol in the protocol hierarchy.
type PHSNode struct {
	Protocol string     `json:"protocol"`
	Frames   uint64     `json:"frames"`
	Bytes    uint64     `json:"bytes"`
	Children []*PHSNode `json:"children,omitempty"`
	proto    decode.Proto
}

// Hierarchy accumulates protocol hierarchy statistics (tshark -z io,phs).
type Hierarchy struct {
	Filter string
	root   PHSNode
	// tree: count the protocols of each frame's details tree, as tshark
	// does (NewTreeHierarchy); else its decoded layers (cheaper).
	tree  bool
	t     detail.Tree
	state detail.State
	path  []string
}

// NewTreeHierarchy returns an empty hierarchy that counts, like tshark -z
// io,phs, the top-level items of each frame's details tree (read -V): one
// "x11" per X11 message, "pkt_comment", "_ws.short", and the reassembly
// trees such as "tcp.segments" last.
func NewTreeHierarchy(filter string) *Hierarchy {
	h := NewHierarchy(filter)
	h.tree = true
	return h
}

// treePath is the protocol path of f's details tree.
func (h *Hierarchy) treePath(f *decode.Frame) []string {
	detail.Build(&h.t, f, detail.Options{State: &h.state})
	h.path = h.path[:0]
	var last []string
	held := "" // a reassembly tree, placed by what follows it
	for _, n := range h.t.Nodes {
		if n.Depth != 0 || n.Field == "" || n.Field == "frame" {
			continue
		}
		if strings.Contains(n.Field, ".") && !strings.HasPrefix(n.Field, "_ws.") {
			held = n.Field
			continue
		}
		if held != "" {
			// tshark counts the reassembly tree before the protocol it
			// rebuilt, except HTTP's, which it counts last.
			if n.Field == "http" {
				last = append(last, held)
			} else {
				h.path = append(h.path, held)
			}
			held = ""
		}
		h.path = append(h.path, n.Field)
	}
	if held != "" {
		h.path = append(h.path, held)
	}
	return append(h.path, last...)
}

// NewHierarchy returns an empty hierarchy.
func NewHierarchy(filter string) *Hierarchy {
	return &Hierarchy{Filter: filter, root: PHSNode{Protocol: "frame", proto: decode.ProtoFrame}}
}

// Add counts frame f along the path of its decoded layers.
func (h *Hierarchy) Add(f *decode.Frame) {
	n := &h.root
	n.Frames++
	n.Bytes += uint64(f.Len)
	if h.tree {
		for _, p := range h.treePath(f) {
			var c *PHSNode
			for _, k := range n.Children {
				if k.Protocol == p {
					c = k
					break
				}
			}
			if c == nil {
				c = &PHSNode{Protocol: p}
				n.Children = append(n.Children, c)
			}
			c.Frames++
			c.Bytes += uint64(f.Len)
			n = c
		}
		return
	}
	for i := range f.Layers {
		p := f.Layers[i].Proto
		if p == decode.ProtoFrame {
			continue
		}
		var c *PHSNode
		for _, k := range n.Children {
			if k.proto == p {
				c = k
				break
			}
		}
		if c == nil {
			c = &PHSNode{Protocol: p.String(), proto: p}
			n.Children = append(n.Children, c)
		}
		c.Frames++
		c.Bytes += uint64(f.Len)
		n = c
	}
}

// WriteText prints the hierarchy as tshark does.
func (h *Hierarchy) WriteText(w io.Writer) error {
	var b strings.Builder
	b.WriteString("\n===================================================================\n")
	b.WriteString("Protocol Hierarchy Statistics\n")
	fmt.Fprintf(&b, "Filter: %s\n\n", h.Filter)
	var walk func(n *PHSNode, depth int)
	walk = func(n *PHSNode, depth int) {
		ind := strings.Repeat("  ", depth)
		if h.tree && depth > 16 {
			ind = strings.Repeat("  ", 16) + "..." // tshark stops indenting there
		}
		name := ind + n.Protocol
		fmt.Fprintf(&b, "%-40s frames:%d bytes:%d\n", name, n.Frames, n.Bytes)
		for _, c := range n.Children {
			walk(c, depth+1)
		}
	}
	if h.tree {
		for _, c := range h.root.Children { // tshark has no "frame" line
			walk(c, 0)
		}
	} else {
		walk(&h.root, 0)
	}
	b.WriteString("===================================================================\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON prints the hierarchy as JSON.
func (h *Hierarchy) WriteJSON(w io.Writer) error {
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(&h.root)
}

// Summary is a capinfos-like description of a capture.
type Summary struct {
	File          string   `json:"file"`
	Format        string   `json:"format"`
	FileBytes     int64    `json:"file_bytes"`
	Encapsulation []string `json:"encapsulation"`
	Packets       uint64   `json:"packets"`
	DataBytes     uint64   `json:"data_bytes"`
	CapturedBytes uint64   `json:"captured_bytes"`
	MaxCapLen     int      `json:"max_packet_captured"`
	Truncated     uint64   `json:"truncated_packets"`
	First         string   `json:"first_packet_time,omitempty"`
	Last          string   `json:"last_packet_time,omitempty"`
	Duration      float64  `json:"duration_seconds"`
	DataByteRate  float64  `json:"data_bytes_per_second"`
	DataBitRate   float64  `json:"data_bits_per_second"`
	AvgPacketSize float64  `json:"average_packet_size"`
	AvgPacketRate float64  `json:"average_packets_per_second"`
	TCPStreams    int64    `json:"tcp_streams"`
	UDPStreams    int64    `json:"udp_streams"`
	firstTS       int64
	lastTS        int64
	links         map[capture.LinkType]bool
	streams       [2]int64
}

// NewSummary returns an empty summary for the named file.
func NewSummary(file, format string, size int64) *Summary {
	return &Summary{File: file, Format: format, FileBytes: size, links: map[capture.LinkType]bool{}}
}

// Add counts frame f.
func (s *Summary) Add(f *decode.Frame) {
	if s.Packets == 0 || f.TS < s.firstTS {
		s.firstTS = f.TS
	}
	if s.Packets == 0 || f.TS > s.lastTS {
		s.lastTS = f.TS
	}
	s.Packets++
	s.DataBytes += uint64(f.Len)
	s.CapturedBytes += uint64(f.CapLen)
	if f.CapLen > s.MaxCapLen {
		s.MaxCapLen = f.CapLen
	}
	if f.CapLen < f.Len {
		s.Truncated++
	}
	if !s.links[f.LinkType] {
		s.links[f.LinkType] = true
	}
	if f.Analysis.Stream >= 0 {
		i := 0
		if f.Analysis.IsUDP {
			i = 1
		}
		if f.Analysis.Stream+1 > s.streams[i] {
			s.streams[i] = f.Analysis.Stream + 1
		}
	}
}

func (s *Summary) finish() {
	s.Encapsulation = s.Encapsulation[:0]
	for l := range s.links {
		s.Encapsulation = append(s.Encapsulation, l.Description())
	}
	sort.Strings(s.Encapsulation)
	s.TCPStreams, s.UDPStreams = s.streams[0], s.streams[1]
	if s.Packets == 0 {
		return
	}
	s.First = time.Unix(0, s.firstTS).UTC().Format("2006-01-02 15:04:05.000000000")
	s.Last = time.Unix(0, s.lastTS).UTC().Format("2006-01-02 15:04:05.000000000")
	s.Duration = float64(s.lastTS-s.firstTS) / 1e9
	s.AvgPacketSize = float64(s.DataBytes) / float64(s.Packets)
	if s.Duration > 0 {
		s.DataByteRate = float64(s.DataBytes) / s.Duration
		s.DataBitRate = s.DataByteRate * 8
		s.AvgPacketRate = float64(s.Packets) / s.Duration
	}
}

// WriteText prints the summary in capinfos' layout.
func (s *Summary) WriteText(w io.Writer) error {
	s.finish()
	var b strings.Builder
	row := func(k, v string) { fmt.Fprintf(&b, "%-24s%s\n", k+":", v) }
	row("File name", s.File)
	row("File type", s.Format)
	row("File encapsulation", strings.Join(s.Encapsulation, ", "))
	row("Packet size limits", fmt.Sprintf("max captured %d bytes", s.MaxCapLen))
	row("Number of packets", fmt.Sprint(s.Packets))
	row("File size", fmt.Sprintf("%d bytes", s.FileBytes))
	row("Data size", fmt.Sprintf("%d bytes", s.DataBytes))
	row("Captured bytes", fmt.Sprintf("%d bytes (%d packets truncated)", s.CapturedBytes, s.Truncated))
	row("Capture duration", fmt.Sprintf("%.6f seconds", s.Duration))
	row("First packet time", s.First)
	row("Last packet time", s.Last)
	row("Data byte rate", fmt.Sprintf("%.0f bytes/s", s.DataByteRate))
	row("Data bit rate", fmt.Sprintf("%.0f bits/s", s.DataBitRate))
	row("Average packet size", fmt.Sprintf("%.2f bytes", s.AvgPacketSize))
	row("Average packet rate", fmt.Sprintf("%.0f packets/s", s.AvgPacketRate))
	row("TCP streams", fmt.Sprint(s.TCPStreams))
	row("UDP streams", fmt.Sprint(s.UDPStreams))
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON prints the summary as JSON.
func (s *Summary) WriteJSON(w io.Writer) error {
	s.finish()
	c := *s
	c.File = decode.ValidText(s.File) // a file name need not be UTF-8
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(&c)
}
