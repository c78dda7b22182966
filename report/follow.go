package report

import (
	"encoding/hex"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
)

// FollowFormat selects how followed data is printed.
type FollowFormat uint8

// Follow formats, as tshark's -z follow,PROTO,MODE.
const (
	FollowASCII FollowFormat = iota
	FollowHex
	FollowRaw
)

// ParseFollowFormat maps "ascii", "hex", "raw".
func ParseFollowFormat(s string) (FollowFormat, bool) {
	switch s {
	case "ascii", "":
		return FollowASCII, true
	case "hex":
		return FollowHex, true
	case "raw":
		return FollowRaw, true
	}
	return 0, false
}

func (f FollowFormat) String() string { return [...]string{"ascii", "hex", "raw"}[f] }

// FollowChunk is one piece of followed data from one node.
type FollowChunk struct {
	Node  int // 0 or 1
	Frame uint64
	Data  []byte
	Gap   int // bytes missing before Data
}

// Follow is one followed conversation, printed as tshark -q -z follow does.
type Follow struct {
	Proto    string // "tcp" or "udp"
	Format   FollowFormat
	Filter   string // e.g. "tcp.stream eq 0"
	Nodes    [2]netip.AddrPort
	Chunks   []FollowChunk
	HasNodes bool
}

// Add appends a copy of data sent by node.
func (fl *Follow) Add(node int, frame uint64, data []byte, gap int) {
	fl.Chunks = append(fl.Chunks, FollowChunk{Node: node, Frame: frame, Data: append([]byte(nil), data...), Gap: gap})
}

func nodeString(a netip.AddrPort) string {
	if a.Addr().Is6() && !a.Addr().Is4In6() {
		return "[" + a.Addr().String() + "]:" + strconv.Itoa(int(a.Port()))
	}
	return a.String()
}

const rule67 = "==================================================================="

// WriteText prints the conversation byte-for-byte as tshark does.
func (fl *Follow) WriteText(w io.Writer) error {
	var b strings.Builder
	b.WriteString("\n" + rule67 + "\n")
	fmt.Fprintf(&b, "Follow: %s,%s\n", fl.Proto, fl.Format)
	fmt.Fprintf(&b, "Filter: %s\n", fl.Filter)
	if fl.HasNodes {
		fmt.Fprintf(&b, "Node 0: %s\n", nodeString(fl.Nodes[0]))
		fmt.Fprintf(&b, "Node 1: %s\n", nodeString(fl.Nodes[1]))
	} else {
		b.WriteString("Node 0: :0\nNode 1: :0\n") // what tshark prints for a stream it did not see
	}
	var off [2]int
	for _, c := range fl.Chunks {
		prefix := ""
		if c.Node == 1 {
			prefix = "\t"
		}
		if c.Gap > 0 {
			fmt.Fprintf(&b, "%s[%d bytes missing in capture]\n", prefix, c.Gap)
			off[c.Node] += c.Gap
		}
		switch fl.Format {
		case FollowASCII:
			fmt.Fprintf(&b, "%s%d\n", prefix, len(c.Data))
			for _, x := range c.Data {
				if (x >= 0x20 && x < 0x7f) || x == '\n' || x == '\r' {
					b.WriteByte(x)
				} else {
					b.WriteByte('.')
				}
			}
			b.WriteByte('\n')
		case FollowHex:
			writeHexDump(&b, prefix, off[c.Node], c.Data)
		case FollowRaw:
			b.WriteString(prefix)
			b.WriteString(hex.EncodeToString(c.Data))
			b.WriteByte('\n')
		}
		off[c.Node] += len(c.Data)
	}
	b.WriteString(rule67 + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeHexDump prints data as offset, 16 hex bytes and their ASCII form per line.
func writeHexDump(b *strings.Builder, prefix string, off int, data []byte) {
	for i := 0; i < len(data); i += 16 {
		line := data[i:min(i+16, len(data))]
		fmt.Fprintf(b, "%s%08X  ", prefix, off+i)
		for j := 0; j < 16; j++ {
			if j < len(line) {
				fmt.Fprintf(b, "%02x ", line[j])
			} else {
				b.WriteString("   ")
			}
			if j == 7 {
				b.WriteByte(' ')
			}
		}
		b.WriteByte(' ')
		for _, x := range line {
			if x >= 0x20 && x < 0x7f {
				b.WriteByte(x)
			} else {
				b.WriteByte('.')
			}
		}
		b.WriteByte('\n')
	}
}
