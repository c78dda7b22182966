package report

import (
	"strconv"
	"time"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

// AppendValue appends v, an occurrence of fl, formatted as tshark -T fields
// prints it: integers in the field's base (hex padded to the type's width,
// e.g. tcp.flags 0x0018), booleans and presence-only fields as 1/0, times
// with 9 decimals, MAC addresses with colons, bytes as plain hex.
func AppendValue(dst []byte, fl *field.Field, v field.Value) []byte {
	switch fl.Type {
	case field.FTNone:
		return append(dst, '1')
	case field.FTBoolean:
		if v.U != 0 {
			return append(dst, '1')
		}
		return append(dst, '0')
	case field.FTUint8, field.FTUint16, field.FTUint24, field.FTUint32, field.FTUint64, field.FTFrameNum:
		switch fl.Base {
		case field.BaseHex, field.BaseHexDec:
			return appendHex(dst, v.U, hexWidth(fl.Type))
		case field.BaseOct:
			dst = append(dst, '0')
			return strconv.AppendUint(dst, v.U, 8)
		}
		return strconv.AppendUint(dst, v.U, 10)
	case field.FTInt32, field.FTInt64:
		return strconv.AppendInt(dst, v.I, 10)
	case field.FTDouble:
		return strconv.AppendFloat(dst, v.F, 'g', -1, 64)
	case field.FTString:
		return appendFieldString(dst, v.B)
	case field.FTEther:
		return decode.AppendMAC(dst, v.B)
	case field.FTBytes, field.FTProtocol:
		if fl.Base == field.BaseSepColon {
			return decode.AppendMAC(dst, v.B)
		}
		if len(v.B) == 0 && fl.Type == field.FTBytes {
			// tshark 4.0 has no text for an empty byte string
			return append(dst, "<MISSING>"...)
		}
		return appendHexBytes(dst, v.B)
	case field.FTIPv4, field.FTIPv6:
		if !v.A.IsValid() {
			return dst
		}
		return v.A.AppendTo(dst)
	case field.FTRelTime:
		return AppendRelTime(dst, v.I, 9)
	case field.FTAbsTime:
		return AppendAbsTime(dst, v.I)
	}
	return dst
}

// appendFieldString appends a string value as tshark 4.0 -T fields prints
// it: \b \f \n \r \t written as two-character escapes (so a value never
// breaks a row), other bytes as they are, and the value ends at a NUL byte
// (Wireshark's strings are C strings).
func appendFieldString(dst, s []byte) []byte {
	for i, c := range s {
		if c >= 0x20 {
			continue
		}
		dst = append(dst, s[:i]...)
		for _, c := range s[i:] {
			switch c {
			case 0:
				return dst
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, c)
			}
		}
		return dst
	}
	return append(dst, s...)
}

func hexWidth(t field.Type) int {
	switch t {
	case field.FTUint8:
		return 2
	case field.FTUint16:
		return 4
	case field.FTUint24:
		return 6
	case field.FTUint64:
		return 16
	}
	return 8
}

const hexDigits = "0123456789abcdef"

func appendHex(dst []byte, v uint64, width int) []byte {
	var buf [16]byte
	i := len(buf)
	for v > 0 || len(buf)-i < width {
		i--
		buf[i] = hexDigits[v&0xf]
		v >>= 4
		if i == 0 {
			break
		}
	}
	dst = append(dst, '0', 'x')
	return append(dst, buf[i:]...)
}

func appendHexBytes(dst, b []byte) []byte {
	for _, c := range b {
		dst = append(dst, hexDigits[c>>4], hexDigits[c&0xf])
	}
	return dst
}

// AppendRelTime appends ns as seconds with prec decimals (prec 0..9), e.g. "0.011665000".
func AppendRelTime(dst []byte, ns int64, prec int) []byte {
	if ns < 0 {
		dst = append(dst, '-')
		ns = -ns
	}
	if s := ns / 1e9; s >= 0 {
		dst = decode.AppendUint(dst, uint64(s))
	} else { // the most negative ns stays negative
		dst = strconv.AppendInt(dst, s, 10)
	}
	if prec <= 0 {
		return dst
	}
	return appendFrac(dst, ns%1e9, prec)
}

// appendFrac appends '.' and the first prec digits of a 9-digit fraction.
func appendFrac(dst []byte, frac int64, prec int) []byte {
	var buf [10]byte
	buf[0] = '.'
	for i := 9; i >= 1; i-- {
		buf[i] = byte('0' + frac%10)
		frac /= 10
	}
	if prec > 9 {
		prec = 9
	}
	return append(dst, buf[:1+prec]...)
}

var monthAbbr = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// AppendAbsTime appends ns since the epoch as tshark prints frame.time:
// "Apr  7, 2010 17:29:29.782934000 UTC" (local time zone).
func AppendAbsTime(dst []byte, ns int64) []byte {
	if ns == field.NullTime {
		return append(dst, "NULL"...)
	}
	t := time.Unix(0, ns)
	y, mo, d := t.Date()
	dst = append(dst, monthAbbr[mo-1]...)
	dst = append(dst, ' ')
	if d < 10 {
		dst = append(dst, ' ')
	}
	dst = strconv.AppendInt(dst, int64(d), 10)
	dst = append(dst, ", "...)
	dst = strconv.AppendInt(dst, int64(y), 10)
	dst = append(dst, ' ')
	dst = appendClock(dst, t, 9)
	zone, _ := t.Zone()
	dst = append(dst, ' ')
	return append(dst, zone...)
}

func append2(dst []byte, v int) []byte { return append(dst, byte('0'+v/10), byte('0'+v%10)) }

// appendClock appends hh:mm:ss.fraction with prec decimals.
func appendClock(dst []byte, t time.Time, prec int) []byte {
	h, m, s := t.Clock()
	dst = append2(dst, h)
	dst = append(dst, ':')
	dst = append2(dst, m)
	dst = append(dst, ':')
	dst = append2(dst, s)
	if prec > 0 {
		dst = appendFrac(dst, int64(t.Nanosecond()), prec)
	}
	return dst
}

// appendDate appends yyyy-mm-dd.
func appendDate(dst []byte, t time.Time) []byte {
	y, mo, d := t.Date()
	dst = strconv.AppendInt(dst, int64(y), 10)
	dst = append(dst, '-')
	dst = append2(dst, int(mo))
	dst = append(dst, '-')
	return append2(dst, d)
}
