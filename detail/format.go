package detail

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/decode"
)

// Bits renders a bit field the way Wireshark prefixes its label: the
// width-bit container from the most significant bit, the bits of mask from
// value (value is the whole container, unshifted) and '.' for the others,
// with a space every four bits. "0100 .... " for the IPv4 version.
func Bits(width int, mask, value uint64) string {
	var sb strings.Builder
	for i := width - 1; i >= 0; i-- {
		switch {
		case mask&(1<<uint(i)) == 0:
			sb.WriteByte('.')
		case value&(1<<uint(i)) != 0:
			sb.WriteByte('1')
		default:
			sb.WriteByte('0')
		}
		if i%4 == 0 && i > 0 {
			sb.WriteByte(' ')
		}
	}
	return sb.String()
}

// BitLine is "bits = label" for a masked field of a width-bit container.
func BitLine(width int, mask, value uint64, label string) string {
	return Bits(width, mask, value) + " = " + label
}

// SetNot is Wireshark's default boolean wording.
func SetNot(v bool) string {
	if v {
		return "Set"
	}
	return "Not set"
}

// BoolBit is the line of a one-bit FT_BOOLEAN field with Set/Not set wording.
func BoolBit(width int, mask, value uint64, name string) string {
	return BitLine(width, mask, value, name+": "+SetNot(value&mask != 0))
}

// RelTime formats a duration in ns as Wireshark's relative times: "0.011665000 seconds".
func RelTime(ns int64) string { return Secs(ns) + " seconds" }

// Secs formats ns as seconds with nine decimals.
func Secs(ns int64) string {
	neg := ns < 0
	if neg {
		ns = -ns
	}
	s := fmt.Sprintf("%d.%09d", ns/1e9, ns%1e9)
	if neg {
		s = "-" + s
	}
	return s
}

// AbsTime formats ns since the epoch as Wireshark's absolute times in the
// local time zone: "Apr  7, 2010 17:29:29.782934000 UTC".
func AbsTime(ns int64) string {
	t := time.Unix(0, ns).In(time.Local)
	return t.Format("Jan _2, 2006 15:04:05") + fmt.Sprintf(".%09d", t.Nanosecond()) + " " + t.Format("MST")
}

// HexBytes is bytes as contiguous lower-case hex.
func HexBytes(b []byte) string {
	const h = "0123456789abcdef"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = h[c>>4], h[c&0xf]
	}
	return string(out)
}

// Esc makes packet bytes safe to print in a label, with the project's one
// escaping function for human-facing text (tshark's format_text).
func Esc(b []byte) string { return string(decode.AppendDisplayText(nil, b)) }

// MAC formats a MAC address with colons.
func MAC(a []byte) string {
	const h = "0123456789abcdef"
	out := make([]byte, 0, 3*len(a))
	for i, c := range a {
		if i > 0 {
			out = append(out, ':')
		}
		out = append(out, h[c>>4], h[c&0xf])
	}
	return string(out)
}

// Plural is "1 byte" / "2 bytes".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }
func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}
