package detail

import (
	"bufio"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
)

// TextOptions selects what WriteText prints.
type TextOptions struct {
	// Only, when not empty, limits the details to these protocols (tshark -O):
	// other protocols show their protocol line only. Names are Wireshark's
	// filter names ("ip", "tcp", "dns").
	Only []string
}

// WriteText writes t as tshark -V does: each node on its own line, indented
// four spaces per level, followed by an empty line.
func WriteText(w *bufio.Writer, t *Tree, o TextOptions) {
	skipBelow := -1 // hide nodes deeper than 0 while inside a protocol not in Only
	for i := range t.Nodes {
		n := &t.Nodes[i]
		if n.Depth == 0 {
			skipBelow = -1
			if len(o.Only) > 0 && !onlyHas(o.Only, n) {
				skipBelow = 0
			}
		} else if skipBelow >= 0 {
			continue
		}
		for d := 0; d < n.Depth; d++ {
			w.WriteString("    ")
		}
		w.WriteString(n.Label)
		w.WriteByte('\n')
	}
	w.WriteByte('\n')
}

func onlyHas(only []string, n *Node) bool {
	name := n.Field
	if name == "" {
		name = n.Proto.String()
	}
	for _, p := range only {
		if strings.EqualFold(p, name) {
			return true
		}
	}
	return false
}

// DataSource is one block of bytes the hex dump shows (tshark's bytes-pane tabs).
type DataSource struct {
	Name string // "Frame", "Reassembled TCP", ...
	Data []byte
}

// Sources lists the data sources of f as tshark -x shows them: the frame,
// then reassembled bytes when the upper layers were decoded from them, then
// those the tree t made (de-chunked and decompressed bodies); t may be nil.
func Sources(f *decode.Frame, t *Tree, dst []DataSource) []DataSource {
	dst = append(dst, DataSource{Name: "Frame", Data: f.Data})
	if t != nil && t.PDU != nil && f.Reassembled != nil {
		dst = append(dst, DataSource{Name: "Reassembled TCP", Data: t.PDU})
	} else if f.Reassembled != nil {
		name := "Reassembled TCP"
		switch {
		case f.Has(decode.ProtoIP) && f.IP.Reassembled:
			name = "Reassembled IPv4"
		case f.Has(decode.ProtoIPv6) && f.IPv6.Reassembled:
			name = "Reassembled IPv6"
		}
		dst = append(dst, DataSource{Name: name, Data: f.Reassembled})
	}
	if t != nil {
		dst = append(dst, t.Sources...)
	}
	return dst
}

// WriteHex writes the data sources as tshark -x does: with one source, its
// hex dump alone; with several, each after a "Name (N bytes):" line. An
// empty line follows.
func WriteHex(w *bufio.Writer, srcs []DataSource) {
	for _, s := range srcs {
		if len(srcs) > 1 {
			w.WriteString(s.Name)
			w.WriteString(" (")
			writeInt(w, len(s.Data))
			w.WriteString(" bytes):\n")
		}
		HexDump(w, s.Data)
	}
	w.WriteByte('\n')
}

const hexDigits = "0123456789abcdef"

// HexDump writes b as tshark's hex dump: offset, 16 bytes in hex, ASCII
// with '.' for bytes outside 0x20..0x7e. The offset has 4 hex digits, more
// when the data is longer than 64 KiB.
func HexDump(w *bufio.Writer, b []byte) {
	digits := 4
	for n := len(b); n > 0xffff && digits < 8; n >>= 4 {
		digits++
	}
	var line [8 + 2 + 16*3 + 2 + 16 + 1]byte
	for off := 0; off < len(b); off += 16 {
		row := b[off:min(off+16, len(b))]
		p := 0
		for d := digits - 1; d >= 0; d-- {
			line[p] = hexDigits[(off>>(4*d))&0xf]
			p++
		}
		line[p], line[p+1] = ' ', ' '
		p += 2
		for i := 0; i < 16; i++ {
			if i < len(row) {
				line[p], line[p+1] = hexDigits[row[i]>>4], hexDigits[row[i]&0xf]
			} else {
				line[p], line[p+1] = ' ', ' '
			}
			line[p+2] = ' '
			p += 3
		}
		line[p], line[p+1] = ' ', ' '
		p += 2
		for _, c := range row {
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			line[p] = c
			p++
		}
		line[p] = '\n'
		w.Write(line[:p+1])
	}
}

func writeInt(w *bufio.Writer, n int) {
	var buf [20]byte
	i := len(buf)
	if n == 0 {
		i--
		buf[i] = '0'
	}
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	w.Write(buf[i:])
}
