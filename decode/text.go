package decode

import (
	"unicode"
	"unicode/utf8"
)

// Text from a capture is hostile: an HTTP URI can carry ESC[2J (clear the
// screen) or ESC]0;…BEL (retitle the window), a DNS name invalid UTF-8.
// These functions are the one place where packet text is made safe for
// each kind of output; every writer calls the one for its kind.

// AppendDisplayText appends s as text for a person's terminal, the way
// Wireshark's format_text shows packet text in the packet list and the
// details tree: BEL, BS, TAB, LF, VT, FF and CR become \a \b \t \n \v \f
// \r, the other C0 controls and DEL a three-digit octal escape (ESC is
// \033), a C1 control or a Unicode format character (U+200E, U+202E…)
// \uXXXX, and each byte that is not part of valid UTF-8 U+FFFD. The
// result holds no control byte at all; a backslash stays as it is, as in
// tshark. Use it for every human-facing text output (packet list, -V,
// stats, follow's ASCII view, diagnose text, capture's live list).
func AppendDisplayText(dst, s []byte) []byte { return appendDisplay(dst, s, false) }

// AppendDisplayTextValid is AppendDisplayText for text a JSON output quotes
// in its display form (the Info column, expert summaries): each byte that
// is not part of valid UTF-8 becomes \xHH (ValidText's convention) instead
// of U+FFFD, so that none is lost.
func AppendDisplayTextValid(dst, s []byte) []byte { return appendDisplay(dst, s, true) }

func appendDisplay(dst, s []byte, lossless bool) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			dst = append(dst, c)
			i++
			continue
		}
		if c < 0x80 {
			dst = appendControl(dst, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1 && lossless:
			dst = appendInvalidByte(append(dst, '\\'), c)
		case r == utf8.RuneError && n <= 1:
			dst = append(dst, "\uFFFD"...)
		case unicode.In(r, unicode.Cc, unicode.Cf):
			dst = append(dst, '\\', 'u')
			if r > 0xffff {
				dst = append(dst, hexUpper[r>>20&0xf], hexUpper[r>>16&0xf])
			}
			dst = append(dst, hexUpper[r>>12&0xf], hexUpper[r>>8&0xf], hexUpper[r>>4&0xf], hexUpper[r&0xf])
		default:
			dst = append(dst, s[i:i+n]...)
		}
		i += n
	}
	return dst
}

const hexUpper = "0123456789ABCDEF"

func appendControl(dst []byte, c byte) []byte {
	switch c {
	case '\a':
		return append(dst, '\\', 'a')
	case '\b':
		return append(dst, '\\', 'b')
	case '\t':
		return append(dst, '\\', 't')
	case '\n':
		return append(dst, '\\', 'n')
	case '\v':
		return append(dst, '\\', 'v')
	case '\f':
		return append(dst, '\\', 'f')
	case '\r':
		return append(dst, '\\', 'r')
	}
	return append(dst, '\\', '0'+c>>6, '0'+c>>3&7, '0'+c&7)
}

// DisplaySafe reports whether s needs no change by AppendDisplayText:
// printable ASCII and valid UTF-8 that is neither a control nor a format
// character. It is the fast path of every writer: a packet list line
// always holds the arrow "→" (and names may hold any script), so stopping
// at the first non-ASCII byte sent nearly every line through the
// escaping copy.
func DisplaySafe(s []byte) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		if c < 0x80 {
			return false
		}
		if c == 0xe2 && i+2 < len(s) && s[i+1] == 0x86 && s[i+2] == 0x92 { // "→"
			i += 3
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && n <= 1 || unicode.In(r, unicode.Cc, unicode.Cf) {
			return false
		}
		i += n
	}
	return true
}

// EscapeDisplayTail escapes b[start:] in place (through AppendDisplayText)
// and returns the grown slice: for writers that append a column and then
// make it safe without a second buffer.
func EscapeDisplayTail(b []byte, start int) []byte {
	if DisplaySafe(b[start:]) {
		return b
	}
	n := len(b)
	b = AppendDisplayText(b, b[start:n])
	m := copy(b[start:], b[n:])
	return b[:start+m]
}

// ValidText is the one convention for capture bytes that are not text in
// every JSON output: s with each byte that is not part of valid UTF-8 (a
// surrogate half, a code point past U+10FFFF, an overlong form, a stray or
// cut sequence) written as the four characters \xHH, valid UTF-8 kept as it
// is; s itself (no allocation) when it is valid. JSON writers built on
// encoding/json (stats, diagnose) pass capture text through it, as
// encoding/json would replace each such byte with U+FFFD and lose it;
// AppendJSONString writes the same text.
func ValidText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			b = appendInvalidByte(append(b, '\\'), s[i])
			i++
			continue
		}
		b = append(b, s[i:i+n]...)
		i += n
	}
	return string(b)
}

// appendInvalidByte appends xHH for byte c (after the backslash of ValidText
// or the two of AppendJSONString).
func appendInvalidByte(b []byte, c byte) []byte {
	return append(b, 'x', hexLower[c>>4], hexLower[c&0xf])
}

// AppendJSONString appends s as a JSON string that is valid, strict UTF-8
// (RFC 8259) whatever s holds: ", \ and control characters are escaped as
// JSON requires, valid UTF-8 is kept, and every byte that is not part of
// valid UTF-8 becomes \xHH as in ValidText (the JSON text "\\xHH"), so no
// byte of the capture is lost.
func AppendJSONString(b, s []byte) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
			i++
		case c < 0x20:
			switch c {
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexLower[c>>4], hexLower[c&0xf])
			}
			i++
		case c < 0x80:
			b = append(b, c)
			i++
		default:
			r, n := utf8.DecodeRune(s[i:])
			if r == utf8.RuneError && n <= 1 {
				b = appendInvalidByte(append(b, '\\', '\\'), c)
				i++
				continue
			}
			b = append(b, s[i:i+n]...)
			i += n
		}
	}
	return append(b, '"')
}

const hexLower = "0123456789abcdef"
