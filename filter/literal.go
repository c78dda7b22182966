package filter

import (
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/field"
)

// Conversion of literals to field values, done once at compile time. The
// error texts are Wireshark 4.0's.

// litKind is how a literal was written.
type litKind uint8

const (
	litWord   litKind = iota // unparsed: 80, ff:ff:ff:ff:ff:ff, 10.0.0.0/8, True
	litString                // "..."
	litChar                  // 'a'
)

// literal is an operand whose type comes from the other side of a comparison.
type literal struct {
	kind     litKind
	text     string // word text or unescaped string
	src      string // source spelling, for messages
	char     uint64
	pos, end int
}

// typeDesc is Wireshark's description of a field type, used in messages.
func typeDesc(t field.Type) string {
	switch t {
	case field.FTNone:
		return "Label"
	case field.FTProtocol:
		return "Protocol"
	case field.FTBoolean:
		return "Boolean"
	case field.FTUint8:
		return "Unsigned integer (1 byte)"
	case field.FTUint16:
		return "Unsigned integer (2 bytes)"
	case field.FTUint24:
		return "Unsigned integer (3 bytes)"
	case field.FTUint32:
		return "Unsigned integer (4 bytes)"
	case field.FTUint64:
		return "Unsigned integer (8 bytes)"
	case field.FTInt32:
		return "Signed integer (4 bytes)"
	case field.FTInt64:
		return "Signed integer (8 bytes)"
	case field.FTDouble:
		return "Floating point (double-precision)"
	case field.FTString:
		return "Character string"
	case field.FTBytes:
		return "Byte sequence"
	case field.FTEther:
		return "Ethernet or other MAC address"
	case field.FTIPv4:
		return "IPv4 address"
	case field.FTIPv6:
		return "IPv6 address"
	case field.FTAbsTime:
		return "Date and time"
	case field.FTRelTime:
		return "Time offset"
	case field.FTFrameNum:
		return "Frame number"
	}
	return t.String()
}

// typeMax is the largest value of an unsigned type.
func typeMax(t field.Type) uint64 { return typeMask(t) }

// convert turns lit into a value of type t for field name fname (for value
// strings and messages).
func convert(lit *literal, t field.Type, fname string) (field.Value, string) {
	var v field.Value
	q := `"` + lit.text + `"`
	switch kindOf(t) {
	case kBool:
		switch lit.kind {
		case litChar:
			v.U = boolU(lit.char)
			return v, ""
		case litString:
			switch lit.text {
			case "Set":
				v.U = 1
				return v, ""
			case "Not set":
				return v, ""
			}
			if u, ok := lookupValueString(fname, lit.text); ok {
				v.U = u
				return v, ""
			}
			return v, q + " cannot be found among the possible values for " + fname + "."
		}
		switch lit.text {
		case "True", "TRUE", "Set":
			v.U = 1
			return v, ""
		case "False", "FALSE", "Not set":
			return v, ""
		}
		if u, ok := parseUint(lit.text); ok {
			v.U = boolU(u)
			return v, ""
		}
		if u, ok := lookupValueString(fname, lit.text); ok {
			v.U = u
			return v, ""
		}
		return v, q + " cannot be found among the possible values for " + fname + "."
	case kUint:
		switch lit.kind {
		case litChar:
			v.U = lit.char
		case litString:
			if u, ok := lookupValueString(fname, lit.text); ok {
				v.U = u
				return v, ""
			}
			return v, typeDesc(t) + " cannot be converted from a string (" + q + ")."
		default:
			u, ok := parseUint(lit.text)
			if !ok {
				if n, err := strconv.ParseInt(lit.text, 0, 64); err == nil && n < 0 {
					u, ok = uint64(n), true // wraps, as tshark's arithmetic does
				}
			}
			if !ok {
				if vs, ok := lookupValueString(fname, lit.text); ok {
					v.U = vs
					return v, ""
				}
				if hasValueStrings(fname) {
					return v, q + " cannot be found among the possible values for " + fname + "."
				}
				if _, err := strconv.ParseUint(lit.text, 0, 64); err != nil && err.(*strconv.NumError).Err == strconv.ErrRange {
					return v, q + " too big for this field, maximum " + strconv.FormatUint(typeMax(t), 10) + "."
				}
				return v, q + " is not a valid number."
			}
			if u > typeMax(t) && !strings.HasPrefix(lit.text, "-") {
				return v, q + " too big for this field, maximum " + strconv.FormatUint(typeMax(t), 10) + "."
			}
			v.U = u & typeMask(t)
		}
		return v, ""
	case kInt:
		lo, hi := int64(math.MinInt32), int64(math.MaxInt32)
		if t == field.FTInt64 {
			lo, hi = math.MinInt64, math.MaxInt64
		}
		switch lit.kind {
		case litChar:
			v.I = int64(lit.char)
			return v, ""
		case litString:
			if u, ok := lookupValueString(fname, lit.text); ok {
				v.I = int64(u)
				return v, ""
			}
			return v, typeDesc(t) + " cannot be converted from a string (" + q + ")."
		}
		n, err := strconv.ParseInt(lit.text, 0, 64)
		if err != nil {
			if u, ok := lookupValueString(fname, lit.text); ok {
				v.I = int64(u)
				return v, ""
			}
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				if strings.HasPrefix(lit.text, "-") {
					return v, q + " too small for this field, minimum " + strconv.FormatInt(lo, 10) + "."
				}
				return v, q + " too big for this field, maximum " + strconv.FormatInt(hi, 10) + "."
			}
			return v, q + " is not a valid number."
		}
		if n > hi {
			return v, q + " too big for this field, maximum " + strconv.FormatInt(hi, 10) + "."
		}
		if n < lo {
			return v, q + " too small for this field, minimum " + strconv.FormatInt(lo, 10) + "."
		}
		v.I = n
		return v, ""
	case kFloat:
		if lit.kind == litChar {
			v.F = float64(lit.char)
			return v, ""
		}
		if lit.kind == litString {
			return v, typeDesc(t) + " cannot be converted from a string (" + q + ")."
		}
		f, err := strconv.ParseFloat(lit.text, 64)
		if err != nil {
			return v, q + " is not a valid number."
		}
		v.F = f
		return v, ""
	case kTime:
		if t == field.FTRelTime {
			if lit.kind == litString {
				return v, typeDesc(t) + " cannot be converted from a string (" + q + ")."
			}
			ns, ok := parseRelTime(lit.text)
			if !ok || lit.kind == litChar {
				return v, q + " is not a valid time."
			}
			v.I = ns
			return v, ""
		}
		ns, ok := parseAbsTime(lit.text)
		if !ok || lit.kind == litChar {
			return v, q + ` is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"`
		}
		v.I = ns
		return v, ""
	case kBytes:
		switch {
		case lit.kind == litChar:
			v.B = []byte{byte(lit.char)}
			if t == field.FTEther {
				return v, q + " contains too few bytes to be a valid Ethernet address."
			}
			return v, ""
		case t == field.FTString:
			v.B = []byte(lit.text)
			return v, ""
		case lit.kind == litString && t != field.FTEther:
			v.B = []byte(lit.text)
			return v, ""
		case lit.kind == litString:
			return v, typeDesc(t) + " cannot be converted from a string (" + q + ")."
		}
		b, ok := parseBytes(lit.text)
		if t == field.FTEther {
			switch {
			case !ok:
				return v, q + " is not a valid Ethernet address."
			case len(b) < 6:
				return v, q + " contains too few bytes to be a valid Ethernet address."
			case len(b) > 6:
				return v, q + " contains too many bytes to be a valid Ethernet address."
			}
		} else if !ok {
			return v, q + " is not a valid byte string."
		}
		v.B = b
		return v, ""
	case kAddr:
		return convertAddr(lit, t)
	}
	return v, fmt.Sprintf("%s cannot be converted to %s.", q, typeDesc(t))
}

func convertAddr(lit *literal, t field.Type) (field.Value, string) {
	var v field.Value
	q := `"` + lit.text + `"`
	fam := "IPv4"
	if t == field.FTIPv6 {
		fam = "IPv6"
	}
	bad := q + " is not a valid hostname or " + fam + " address."
	switch lit.kind {
	case litChar:
		return v, bad
	case litString:
		return v, typeDesc(t) + " cannot be converted from a string (" + q + ")."
	}
	s, bits := lit.text, -1
	if i := strings.IndexByte(s, '/'); i >= 0 {
		n, err := strconv.Atoi(s[i+1:])
		if err != nil || n < 0 {
			return v, bad
		}
		s, bits = s[:i], n
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" || (t == field.FTIPv4) != a.Is4() {
		return v, bad
	}
	if bits >= 0 {
		max := a.BitLen()
		if bits > max {
			if t == field.FTIPv4 {
				return v, fmt.Sprintf("Netmask bits in a CIDR IPv4 address should be <= 32, not %d", bits)
			}
			return v, fmt.Sprintf("Prefix in a IPv6 address should be <= 128, not %d", bits)
		}
		p, _ := a.Prefix(bits)
		a = p.Addr()
		v.U = uint64(bits) + 1
	}
	v.A = a
	return v, ""
}

// parseUint parses an unsigned integer in C notation: decimal, 0x hex, 0
// octal, 0b binary.
func parseUint(s string) (uint64, bool) {
	if s == "" || s[0] == '-' || s[0] == '+' {
		return 0, false
	}
	u, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		// strconv reads "0o17" and "1_000"; C does not, and we must not either.
		return 0, false
	}
	if strings.ContainsAny(s, "_oO") {
		return 0, false
	}
	return u, true
}

// parseBytes parses a byte string: hex bytes separated by ':', '.' or '-',
// or without separators ("c8bcc8"); one or two digits per byte; a leading
// ':' is ignored; "0xHH" is one byte.
func parseBytes(s string) ([]byte, bool) {
	s = strings.TrimPrefix(s, ":")
	if len(s) == 4 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	if s == "" {
		return nil, false
	}
	var out []byte
	i := 0
	for i < len(s) {
		if !isHex(s[i]) {
			return nil, false
		}
		if i+1 < len(s) && isHex(s[i+1]) {
			out = append(out, unhex(s[i])<<4|unhex(s[i+1]))
			i += 2
		} else {
			out = append(out, unhex(s[i]))
			i++
		}
		if i < len(s) && (s[i] == ':' || s[i] == '.' || s[i] == '-') {
			i++
			if i == len(s) {
				return nil, false
			}
		}
	}
	return out, true
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// parseAbsTime parses an absolute time: ISO 8601 ("2013-03-07 21:42:07",
// "2013-03-07T21:42:07Z", a date alone) or Wireshark's legacy form
// ("Mar  7, 2013 21:42:07.123"), with optional fractional seconds. Without a
// zone (Z, an offset or a trailing " UTC") the time is local, as in tshark.
func parseAbsTime(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	loc := time.Local
	if strings.HasSuffix(s, " UTC") {
		s = strings.TrimSpace(strings.TrimSuffix(s, " UTC"))
		loc = time.UTC
	}
	// Collapse runs of spaces ("Mar  7, 2013").
	s = strings.Join(strings.Fields(s), " ")
	layouts := []string{
		"2006-01-02T15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02T15:04:05.999999999",
		"2006-01-02 15:04:05.999999999",
		"2006-01-02T15:04",
		"2006-01-02 15:04",
		"2006-01-02",
		"Jan 2, 2006 15:04:05.999999999",
		"Jan 2, 2006 15:04",
		"Jan 2, 2006",
	}
	for _, l := range layouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t.UnixNano(), true
		}
	}
	return 0, false
}

// parseRelTime reads a relative-time literal ("-12.000345678") into
// nanoseconds exactly, as Wireshark does (seconds and up to nine fraction
// digits as integers): going through a float64 would lose the last digits of
// an epoch time such as 1795638664.715127701.
func parseRelTime(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return 0, false
	}
	var sec int64
	if whole != "" {
		u, err := strconv.ParseInt(whole, 10, 64)
		if err != nil || u > math.MaxInt64/1_000_000_000-1 {
			// Beyond ±292 years: no capture time reaches it, so the
			// comparison only needs the right side of every frame.
			if neg {
				return math.MinInt64, true
			}
			return math.MaxInt64, true
		}
		sec = u
	}
	var ns int64
	for i := 0; i < 9; i++ {
		ns *= 10
		if i < len(frac) {
			ns += int64(frac[i] - '0')
		}
	}
	if len(frac) > 9 && frac[9] >= '5' {
		ns++ // rounded to the nanosecond
	}
	t := sec*1e9 + ns
	if neg {
		t = -t
	}
	return t, true
}
