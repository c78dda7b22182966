package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wirewatch/wirewatch/capture"
)

// Precision is the number of decimals tshark shows for the timestamps of a
// capture of this format (capture.Reader.Format) and interfaces.
func Precision(format string, ifaces []capture.Interface) int {
	if strings.HasPrefix(format, "pcap-ns") {
		return 9
	}
	prec := 6
	for i, ifc := range ifaces {
		p := 6
		switch {
		case ifc.TSResol&0x80 != 0: // power of two
			p = 9
		case ifc.TSResol > 0:
			p = int(ifc.TSResol)
		}
		if p > 9 {
			p = 9
		}
		if i == 0 || p > prec {
			prec = p
		}
	}
	return prec
}

// InterfacePrecisions appends to dst the Time column's decimals for the
// packets of each interface: tshark 4.0 takes them per packet from its
// interface's timestamp resolution (9 for nanosecond pcap), so a pcapng with
// a µs and a ns interface mixes 6 and 9 decimals.
func InterfacePrecisions(format string, ifaces []capture.Interface, dst []int) []int {
	for i := range ifaces {
		dst = append(dst, Precision(format, ifaces[i:i+1]))
	}
	return dst
}

// SetFieldOption applies one of tshark's -E options (key=value) for -T
// fields: header, separator, occurrence, aggregator, quote (bom and escape
// are accepted and ignored).
func (po *PacketOptions) SetFieldOption(e string) error {
	k, v, ok := strings.Cut(e, "=")
	if !ok {
		return fmt.Errorf("%s: expected key=value (header, separator, occurrence, aggregator, quote)", e)
	}
	sep := func(v string) string {
		switch v {
		case "/t":
			return "\t"
		case "/s":
			return " "
		}
		return v
	}
	switch k {
	case "header":
		switch v {
		case "y":
			po.Header = true
		case "n":
			po.Header = false
		default:
			return fmt.Errorf("header=%s: use y or n", v)
		}
	case "separator":
		if v == "" {
			return fmt.Errorf("separator= needs a character (/t tab, /s space)")
		}
		po.Separator = sep(v)
	case "aggregator":
		if v == "" {
			return fmt.Errorf("aggregator= needs a character (/s space, or e.g. ;)")
		}
		po.Aggregator = sep(v)
	case "occurrence":
		switch v {
		case "f", "l", "a":
			po.Occurrence = v[0]
		default:
			if n, err := strconv.Atoi(v); err == nil && n == 0 {
				po.Occurrence = 'a'
				break
			}
			return fmt.Errorf("occurrence=%s: use f (first), l (last) or a (all)", v)
		}
	case "quote":
		switch v {
		case "d", "s":
			po.Quote = v[0]
		case "n":
			po.Quote = 0
		default:
			return fmt.Errorf("quote=%s: use d, s or n", v)
		}
	case "bom", "escape":
		// accepted for tshark compatibility; no effect
	default:
		return fmt.Errorf("%s: unknown option; use header, separator, occurrence, aggregator or quote", k)
	}
	return nil
}
