// Package detail builds the packet details tree of a decoded frame, the
// tree tshark -V prints and Wireshark shows in its middle pane: one node per
// protocol, header field, bit field and generated ("[...]") line, each with
// its label as tshark words it, the Wireshark field name it shows (when it
// shows one), and the bytes it covers. The text printer (Text) writes it the
// way tshark -V does; other front ends (a browser view) can render the same
// nodes.
//
// Each protocol's tree is one file in this package that registers a Builder
// function for its decode.Proto (see Register). The package is hand-written
// because no Go library produces Wireshark's wording; the differential test
// against tshark -V keeps it honest.
package detail

import (
	"fmt"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

// Source tells which bytes a node's Off and Len refer to.
type Source uint8

// Data sources, as the tabs under Wireshark's bytes pane.
const (
	SrcFrame       Source = iota // the captured frame (Frame.Data)
	SrcReassembled               // Frame.Reassembled (IP fragments or TCP segments)
)

// Node is one line of the tree.
type Node struct {
	Depth int    // 0 for protocol lines
	Label string // the line as tshark -V prints it, without indentation
	Field string // the Wireshark field (or protocol) name shown; "" for text-only lines
	Off   int    // first byte covered (in Src), -1 when none (generated fields)
	Len   int    // bytes covered
	Src   Source
	Proto decode.Proto // protocol the node belongs to
}

// Tree is a frame's details tree in pre-order (a node's children follow it
// with a greater Depth).
type Tree struct {
	Nodes []Node
	// Sources are data sources the tree's protocols made (de-chunked or
	// decompressed bodies), shown by -x after the frame's own.
	Sources []DataSource
	// PDU is the whole reassembled TCP message when the tree rebuilt it
	// from the segments it saw (Frame.Reassembled may hold only its head).
	PDU []byte
}

// Reset empties t, keeping its storage.
func (t *Tree) Reset() { t.Nodes, t.Sources, t.PDU = t.Nodes[:0], t.Sources[:0], nil }

// AddSource records a data source made while building (tshark's bytes-pane tabs).
func (b *Builder) AddSource(name string, data []byte) {
	b.t.Sources = append(b.t.Sources, DataSource{Name: name, Data: data})
}

// Builder appends nodes to a Tree for one protocol. Add appends at the
// current depth; Open appends and descends into the new node; Close goes
// back up.
type Builder struct {
	t     *Tree
	depth int
	base  int // added to offsets: the layer's offset in its source
	src   Source
	proto decode.Proto
	layer int
	// skipData is set by a builder that showed the next Data layer itself.
	skipData bool
	vals     []field.Value
	// Frame is the frame the tree is built for.
	Frame *decode.Frame
	// Names resolves addresses and ports for labels (never nil; resolves nothing by default).
	Names Resolver
	// Opts are the options Build was called with.
	Opts Options
}

// Add appends a node covering n bytes at layer offset off (off < 0: generated, no bytes).
func (b *Builder) Add(field string, off, n int, label string) {
	o := off
	if off >= 0 {
		o += b.base
	}
	b.t.Nodes = append(b.t.Nodes, Node{Depth: b.depth, Label: label, Field: field, Off: o, Len: n, Src: b.src, Proto: b.proto})
}

// Addf is Add with a formatted label.
func (b *Builder) Addf(field string, off, n int, format string, args ...any) {
	b.Add(field, off, n, fmt.Sprintf(format, args...))
}

// Gen appends a generated field: its label in brackets, no bytes.
func (b *Builder) Gen(field string, format string, args ...any) {
	b.Add(field, -1, 0, "["+fmt.Sprintf(format, args...)+"]")
}

// Open appends a node and makes the following nodes its children until Close.
func (b *Builder) Open(field string, off, n int, label string) {
	b.Add(field, off, n, label)
	b.depth++
}

// Openf is Open with a formatted label.
func (b *Builder) Openf(field string, off, n int, format string, args ...any) {
	b.Open(field, off, n, fmt.Sprintf(format, args...))
}

// Close ends the children of the last Open.
func (b *Builder) Close() {
	if b.depth > 0 {
		b.depth--
	}
}
