package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// writeTshark prints the table in tshark 4.0's -z io,stat layout (one
// "Frames and bytes" column): a bordered header with the duration and
// interval, then one row per interval, the last one ending at the
// capture's duration ("Dur" when the interval is whole seconds). The
// quirks are tshark's: whole-second intervals print the duration's
// microseconds space-padded ("2. 47482"), an interval longer than the
// capture shrinks to the duration in milliseconds.
func (t *IOTable) writeTshark(w io.Writer) error {
	durUS := (t.lastTS - t.firstTS + 500) / 1000
	if !t.started {
		durUS = 0
	}
	invUS := t.Interval.Microseconds()
	prec := usPrec(invUS)
	if invUS > durUS {
		// tshark shows the duration, to the millisecond, as the interval.
		durUS = (durUS + 500) / 1000 * 1000
		invUS, prec = durUS, 3
	}
	dv := int64(1)
	for i := 0; i < 6-prec; i++ {
		dv *= 10
	}
	mag := len(strconv.FormatInt(durUS/1e6, 10))
	n := mag + 1 + prec // width of a time in the interval column
	tm := func(us int64) string {
		if prec == 0 {
			return strconv.FormatInt(us/1e6, 10)
		}
		return fmt.Sprintf("%d.%0*d", us/1e6, prec, us%1e6/dv)
	}
	rows := 0
	if invUS > 0 {
		rows = int(durUS / invUS)
		if durUS%invUS != 0 || rows == 0 {
			rows++
		}
	}
	var maxF, maxB uint64
	for _, b := range t.buckets {
		maxF, maxB = max(maxF, b.Frames), max(maxB, b.Bytes)
	}
	fw := max(6, len(strconv.FormatUint(maxF, 10)))
	bw := max(5, len(strconv.FormatUint(maxB, 10)))
	iw := max(10, 1+n+4+n+1) // interval column, between its borders
	tab := 1 + iw + 1 + fw + 2 + 1 + bw + 2 + 1
	bl := max(tab, 27)
	if bl-tab == 1 {
		bl++
	}
	var b strings.Builder
	line := func(s string) { // a header line padded to the border
		b.WriteString(s)
		b.WriteString(strings.Repeat(" ", max(bl-1-len(s), 0)))
		b.WriteString("|\n")
	}
	b.WriteString("\n" + strings.Repeat("=", bl) + "\n")
	line("| IO Statistics")
	line("|")
	if prec == 0 {
		line(fmt.Sprintf("| Duration: %d.%6d secs", durUS/1e6, durUS%1e6))
		line(fmt.Sprintf("| Interval: %d secs", invUS/1e6))
	} else {
		line("| Duration: " + tm(durUS) + " secs")
		line("| Interval: " + tm(invUS) + " secs")
	}
	line("|")
	line("| Col 1: Frames and bytes")
	b.WriteString("|" + strings.Repeat("-", bl-2) + "|\n")
	fill := ""
	if tab < bl {
		fill = strings.Repeat(" ", bl-tab-1) + "|"
	}
	fmt.Fprintf(&b, "|%s|%-*s|%s\n", strings.Repeat(" ", iw), fw+2+1+bw+2, "1", fill)
	fmt.Fprintf(&b, "|%-*s|%s|%s|%s\n", iw, " Interval", center("Frames", fw+2), center("Bytes", bw+2), fill)
	b.WriteString("|" + strings.Repeat("-", tab-2) + "|" + fill + "\n")
	for i := 0; i < rows; i++ {
		var k IOBucket
		if i < len(t.buckets) {
			k = t.buckets[i]
		}
		start, end := int64(i)*invUS, int64(i+1)*invUS
		endS := fmt.Sprintf("%-*s |", n, tm(end))
		if i == rows-1 {
			end = durUS
			if prec == 0 {
				endS = fmt.Sprintf("%-*s|", n+1, "Dur")
			} else {
				endS = fmt.Sprintf("%-*s |", n, tm(end))
			}
		}
		fmt.Fprintf(&b, "| %*s <> %s %*d | %*d |%s\n", n, tm(start), endS, fw, k.Frames, bw, k.Bytes, fill)
	}
	b.WriteString(strings.Repeat("=", bl) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// usPrec is the number of decimals an interval of us microseconds needs.
func usPrec(us int64) int {
	p := 6
	for p > 0 && us%10 == 0 {
		us /= 10
		p--
	}
	return p
}

// center is tshark's printcenter: s in a field of w, the odd space on the left.
func center(s string, w int) string {
	pad := max(w-len(s), 0)
	l := (pad + 1) / 2
	return strings.Repeat(" ", l) + s + strings.Repeat(" ", pad-l)
}
