package filter

import (
	"net/netip"
	"strings"
)

// scanner splits a filter into tokens. Positions are byte offsets into src.
// Words are scanned the way Wireshark 4.0's lexer does it: a field name and an
// unparsed literal (number, byte string, address) are the same kind of token;
// the check pass decides which one it is.
type scanner struct {
	src string
	off int
}

func isWordStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

func isWordChar(c byte) bool { return isWordStart(c) || c == '-' }

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// scan returns the next token, its offset and its source text.
func (s *scanner) scan() (pos int, tok Token, lit string) {
	for s.off < len(s.src) && (s.src[s.off] == ' ' || s.src[s.off] == '\t' || s.src[s.off] == '\n' || s.src[s.off] == '\r') {
		s.off++
	}
	pos = s.off
	if s.off >= len(s.src) {
		return pos, EOF, ""
	}
	c := s.src[s.off]
	two := ""
	if s.off+1 < len(s.src) {
		two = s.src[s.off : s.off+2]
	}
	three := ""
	if s.off+2 < len(s.src) {
		three = s.src[s.off : s.off+3]
	}
	op := func(n int, t Token) (int, Token, string) {
		s.off += n
		return pos, t, s.src[pos:s.off]
	}
	switch {
	case three == "===":
		return op(3, ALLEQ)
	case three == "!==":
		return op(3, ANYNE)
	case two == "==":
		return op(2, EQ)
	case two == "!=":
		return op(2, NE)
	case two == "~=":
		return op(2, ANYNE)
	case two == ">=":
		return op(2, GE)
	case two == "<=":
		return op(2, LE)
	case two == "&&":
		return op(2, AND)
	case two == "||":
		return op(2, OR)
	case two == "..":
		return op(2, DOTDOT)
	}
	switch c {
	case '(':
		return op(1, LPAREN)
	case ')':
		return op(1, RPAREN)
	case '{':
		return op(1, LBRACE)
	case '}':
		return op(1, RBRACE)
	case ',':
		return op(1, COMMA)
	case '!':
		return op(1, NOT)
	case '>':
		return op(1, GT)
	case '<':
		return op(1, LT)
	case '~':
		return op(1, MATCHES)
	case '&':
		return op(1, BITAND)
	case '+':
		return op(1, PLUS)
	case '-':
		return op(1, MINUS)
	case '*':
		return op(1, STAR)
	case '/':
		return op(1, SLASH)
	case '%':
		return op(1, PERCENT)
	case '"':
		return s.scanString(pos)
	case '\'':
		return s.scanChar(pos)
	case '[':
		return s.scanRange(pos)
	}
	if (c == 'r' || c == 'R') && s.off+1 < len(s.src) && s.src[s.off+1] == '"' {
		return s.scanString(pos)
	}
	if n := s.wordLen(); n > 0 {
		s.off += n
		lit = s.src[pos:s.off]
		if t, ok := keywords[lit]; ok {
			return pos, t, lit
		}
		return pos, WORD, lit
	}
	// Anything else is one illegal character (a whole UTF-8 sequence).
	n := 1
	for s.off+n < len(s.src) && s.src[s.off+n]&0xC0 == 0x80 {
		n++
	}
	return op(n, ILLEGAL)
}

// wordLen returns the length of the longest word starting at s.off: a field
// name or literal (optionally with a leading '.'), a colon-separated byte
// string or MAC, an IPv6 address, or an address with a /prefix.
func (s *scanner) wordLen() int {
	rest := s.src[s.off:]
	best := 0
	// Plain word: \.?[A-Za-z0-9_]([A-Za-z0-9_-]|\.[A-Za-z0-9_-])*
	i := 0
	if i < len(rest) && rest[i] == '.' {
		i++
	}
	if i < len(rest) && isWordStart(rest[i]) {
		i++
		for i < len(rest) {
			if isWordChar(rest[i]) {
				i++
			} else if rest[i] == '.' && i+1 < len(rest) && isWordChar(rest[i+1]) {
				i += 2
			} else {
				break
			}
		}
		best = i
		// IPv4 address with CIDR prefix.
		if i < len(rest) && rest[i] == '/' && strings.Trim(rest[:i], "0123456789.") == "" {
			j := i + 1
			for j < len(rest) && isDigit(rest[j]) {
				j++
			}
			if j > i+1 {
				best = j
			}
		}
	}
	// Colon-separated bytes, optionally with a leading colon: :?h{1,2}(:h{1,2})*
	j := 0
	if j < len(rest) && rest[j] == ':' {
		j++
	}
	start := j
	for {
		k := j
		for k < len(rest) && k-j < 2 && isHex(rest[k]) {
			k++
		}
		if k == j || (k < len(rest) && isHex(rest[k])) {
			break
		}
		j = k
		if j < len(rest) && rest[j] == ':' && j+1 < len(rest) && isHex(rest[j+1]) {
			j++
			continue
		}
		break
	}
	if j > start && (start == 1 || strings.IndexByte(rest[:j], ':') >= 0) && j > best {
		best = j
	}
	// IPv6 address (with optional /prefix).
	k := 0
	for k < len(rest) && (isHex(rest[k]) || rest[k] == ':' || rest[k] == '.') {
		k++
	}
	for k > 0 && rest[k-1] == '.' { // "::1..::2" ranges: never end on a dot
		k--
	}
	if k > best && strings.Count(rest[:k], ":") >= 2 {
		if _, err := netip.ParseAddr(rest[:k]); err == nil {
			best = k
			if k < len(rest) && rest[k] == '/' {
				m := k + 1
				for m < len(rest) && isDigit(rest[m]) {
					m++
				}
				if m > k+1 {
					best = m
				}
			}
		}
	}
	return best
}

// scanString scans "..." or r"..."; an unterminated string is ILLEGAL.
func (s *scanner) scanString(pos int) (int, Token, string) {
	i := s.off
	if s.src[i] != '"' {
		i++ // r or R
	}
	i++
	for i < len(s.src) {
		switch s.src[i] {
		case '\\':
			i += 2
			continue
		case '"':
			s.off = i + 1
			return pos, STRING, s.src[pos:s.off]
		}
		i++
	}
	s.off = len(s.src)
	return pos, ILLEGAL, s.src[pos:]
}

// scanChar scans a C character constant 'x'.
func (s *scanner) scanChar(pos int) (int, Token, string) {
	i := s.off + 1
	for i < len(s.src) {
		switch s.src[i] {
		case '\\':
			i += 2
			continue
		case '\'':
			s.off = i + 1
			return pos, CHAR, s.src[pos:s.off]
		}
		i++
	}
	s.off = len(s.src)
	return pos, ILLEGAL, s.src[pos:]
}

// scanRange scans "[...]" as one token whose literal is the inside text.
func (s *scanner) scanRange(pos int) (int, Token, string) {
	end := strings.IndexByte(s.src[s.off:], ']')
	if end < 0 {
		s.off = len(s.src)
		return pos, ILLEGAL, s.src[pos:]
	}
	s.off += end + 1
	return pos, RANGE, s.src[pos+1 : s.off-1]
}
