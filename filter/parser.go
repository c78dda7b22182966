package filter

import (
	"strconv"
	"strings"
)

// Parse parses a display filter into a syntax tree without resolving names.
// On error it returns the partial tree (with *Bad nodes where parsing
// stopped) and an *ErrorList. An empty (or blank) filter yields a nil tree.
func Parse(src string) (Expr, error) {
	p := &parser{src: src}
	p.errs.Src = src
	p.sc = scanner{src: src}
	p.next()
	if p.tok == EOF {
		return nil, nil
	}
	x := p.parseExpr()
	if p.tok != EOF {
		p.unexpected()
	}
	p.errs.sort()
	return x, p.errs.err()
}

// parser is a recursive-descent parser with one function per production
// (see the grammar in doc.go). It stops at the first error, as tshark does:
// the error makes the current token EOF, so every loop ends.
type parser struct {
	src  string
	sc   scanner
	pos  int
	tok  Token
	lit  string
	errs ErrorList
	bad  bool
}

func (p *parser) next() {
	if p.bad {
		return
	}
	p.pos, p.tok, p.lit = p.sc.scan()
}

// peek returns the token after the current one without consuming it.
func (p *parser) peek() Token {
	s := p.sc
	_, t, _ := s.scan()
	return t
}

func (p *parser) fail(pos, end int, msg string) {
	if !p.bad {
		p.errs.add(pos, end, msg)
		p.bad = true
	}
	p.tok = EOF
	p.pos = len(p.src)
	p.lit = ""
}

// unexpected reports the current token the way tshark does.
func (p *parser) unexpected() {
	if p.bad {
		return
	}
	if p.tok == EOF {
		p.fail(len(p.src), len(p.src), "Unexpected end of filter expression.")
		return
	}
	lit := p.lit
	if p.tok == RANGE {
		lit = "["
	}
	end := p.pos + len(lit)
	p.fail(p.pos, end, `"`+lit+`" was unexpected in this context.`)
}

func (p *parser) expect(t Token) int {
	pos := p.pos
	if p.tok != t {
		p.unexpected()
		return pos
	}
	p.next()
	return pos
}

func (p *parser) bad0() Expr { return &Bad{From: p.pos, To: p.pos} }

// expr = and_expr { ("||" | "or") and_expr } .
func (p *parser) parseExpr() Expr {
	x := p.parseAnd()
	for p.tok == OR {
		pos, lit := p.pos, p.lit
		p.next()
		y := p.parseAnd()
		x = &Binary{X: x, OpPos: pos, Op: OR, OpLit: lit, Y: y}
	}
	return x
}

// and_expr = not_expr { ("&&" | "and") not_expr } .
func (p *parser) parseAnd() Expr {
	x := p.parseNot()
	for p.tok == AND {
		pos, lit := p.pos, p.lit
		p.next()
		y := p.parseNot()
		x = &Binary{X: x, OpPos: pos, Op: AND, OpLit: lit, Y: y}
	}
	return x
}

// not_expr = ("!" | "not") not_expr | test .
func (p *parser) parseNot() Expr {
	if p.tok == NOT {
		pos, lit := p.pos, p.lit
		p.next()
		return &Unary{OpPos: pos, Op: NOT, OpLit: lit, X: p.parseNot()}
	}
	return p.parseTest()
}

// test = "(" expr ")" | [ "any" | "all" ] arith [ relop arith | ["not"] "in" set ] .
func (p *parser) parseTest() Expr {
	if p.tok == LPAREN {
		lp := p.pos
		p.next()
		x := p.parseExpr()
		rp := p.expect(RPAREN)
		return &Paren{Lparen: lp, X: x, Rparen: rp}
	}
	var quant Token
	qpos := 0
	if (p.tok == ANY || p.tok == ALL) && p.peek() != LPAREN {
		quant, qpos = p.tok, p.pos
		p.next()
	}
	x := p.parseArith()
	switch {
	case p.tok.IsComparison():
		pos, op, lit := p.pos, p.tok, p.lit
		p.next()
		y := p.parseArith()
		return &Compare{Quant: quant, QuantPos: qpos, X: x, OpPos: pos, Op: op, OpLit: lit, Y: y}
	case p.tok == IN:
		return p.parseIn(x, false)
	case p.tok == NOT && p.peek() == IN:
		p.next()
		return p.parseIn(x, true)
	}
	if quant != 0 {
		p.unexpected()
	}
	return x
}

// set = "{" elem { "," elem } "}" ; elem = arith [ ".." arith ] .
func (p *parser) parseIn(x Expr, not bool) Expr {
	in := &In{X: x, Not: not, InPos: p.pos}
	p.next()
	in.Lbrace = p.expect(LBRACE)
	for !p.bad {
		var e SetElem
		e.Lo = p.parseArith()
		if p.tok == DOTDOT {
			p.next()
			e.Hi = p.parseArith()
		}
		in.Elems = append(in.Elems, e)
		if p.tok != COMMA {
			break
		}
		p.next()
	}
	in.Rbrace = p.expect(RBRACE)
	return in
}

// arith = sum { ("&" | "bitand") sum } .
func (p *parser) parseArith() Expr {
	x := p.parseSum()
	for p.tok == BITAND {
		pos, lit := p.pos, p.lit
		p.next()
		x = &Binary{X: x, OpPos: pos, Op: BITAND, OpLit: lit, Y: p.parseSum()}
	}
	return x
}

// sum = product { ("+" | "-") product } .
func (p *parser) parseSum() Expr {
	x := p.parseProduct()
	for p.tok == PLUS || p.tok == MINUS {
		pos, op, lit := p.pos, p.tok, p.lit
		p.next()
		x = &Binary{X: x, OpPos: pos, Op: op, OpLit: lit, Y: p.parseProduct()}
	}
	return x
}

// product = unary { ("*" | "/" | "%") unary } .
func (p *parser) parseProduct() Expr {
	x := p.parseUnary()
	for p.tok == STAR || p.tok == SLASH || p.tok == PERCENT {
		pos, op, lit := p.pos, p.tok, p.lit
		p.next()
		x = &Binary{X: x, OpPos: pos, Op: op, OpLit: lit, Y: p.parseUnary()}
	}
	return x
}

// unary = ("-" | "+") unary | postfix .
func (p *parser) parseUnary() Expr {
	if p.tok == MINUS || p.tok == PLUS {
		pos, op, lit := p.pos, p.tok, p.lit
		p.next()
		return &Unary{OpPos: pos, Op: op, OpLit: lit, X: p.parseUnary()}
	}
	return p.parsePostfix()
}

// postfix = primary { "[" range { "," range } "]" } .
func (p *parser) parsePostfix() Expr {
	x := p.parsePrimary()
	for p.tok == RANGE {
		s := &Slice{X: x, Lbrack: p.pos, Rbrack: p.pos + 1 + len(p.lit)}
		s.Ranges = p.parseRanges(p.lit, p.pos+1)
		p.next()
		x = s
	}
	return x
}

// primary = word | word "(" [ arith { "," arith } ] ")" | string | char | "{" arith "}" .
func (p *parser) parsePrimary() Expr {
	switch p.tok {
	case WORD:
		w := &Word{NamePos: p.pos, Name: strings.TrimPrefix(p.lit, "."), Dot: strings.HasPrefix(p.lit, ".")}
		p.next()
		if p.tok == LPAREN && !w.Dot {
			p.next()
			c := &Call{Fun: w}
			if p.tok != RPAREN {
				for !p.bad {
					c.Args = append(c.Args, p.parseArith())
					if p.tok != COMMA {
						break
					}
					p.next()
				}
			}
			c.Rparen = p.expect(RPAREN)
			return c
		}
		return w
	case STRING:
		pos, lit := p.pos, p.lit
		v, err := unquote(lit)
		if err != nil {
			p.fail(pos+err.off, pos+err.end, err.msg)
			return &Bad{From: pos, To: pos + len(lit)}
		}
		p.next()
		return &String{ValuePos: pos, Lit: lit, Value: v}
	case CHAR:
		pos, lit := p.pos, p.lit
		v, ok := unquoteChar(lit)
		if !ok {
			p.fail(pos, pos+len(lit), `"`+lit+`" isn't a valid character constant.`)
			return &Bad{From: pos, To: pos + len(lit)}
		}
		p.next()
		return &Char{ValuePos: pos, Lit: lit, Value: v}
	case LBRACE:
		lb := p.pos
		p.next()
		x := p.parseArith()
		rb := p.expect(RBRACE)
		return &Brace{Lbrace: lb, X: x, Rbrace: rb}
	}
	b := p.bad0()
	p.unexpected()
	return b
}

// parseRanges parses the inside of a slice, "0:3", "-2:", "1,3-5,9:",
// whose text starts at offset base.
func (p *parser) parseRanges(text string, base int) []Range {
	var out []Range
	off := 0
	for _, part := range strings.Split(text, ",") {
		lead := len(part) - len(strings.TrimLeft(part, " \t"))
		body := strings.TrimSpace(part)
		pos := base + off + lead
		end := pos + len(body)
		off += len(part) + 1
		r, msg := parseRange(body)
		if msg != "" {
			if body == "" {
				body = text
			}
			p.fail(pos, max(end, pos+1), msg)
			return out
		}
		r.Pos, r.EndPos = pos, end
		out = append(out, r)
	}
	return out
}

// parseRange parses one range; msg is non-empty on error.
func parseRange(s string) (r Range, msg string) {
	bad := `"` + s + `" is not a valid range.`
	num := func(s string) (int, bool) {
		s = strings.TrimSpace(s)
		n, err := strconv.ParseInt(s, 10, 32)
		return int(n), err == nil
	}
	if s == "" {
		return r, `"[]" is not a valid range.`
	}
	// Find the separator: ':' or a '-' that is not a sign.
	sep := -1
	for i := 0; i < len(s); i++ {
		if s[i] == ':' || (s[i] == '-' && i > 0 && strings.TrimSpace(s[:i]) != "" && !strings.HasSuffix(strings.TrimSpace(s[:i]), "-")) {
			sep = i
			break
		}
	}
	if sep < 0 {
		n, ok := num(s)
		if !ok {
			return r, bad
		}
		return Range{Kind: RangeSingle, Start: n}, ""
	}
	a, b := strings.TrimSpace(s[:sep]), strings.TrimSpace(s[sep+1:])
	if s[sep] == ':' {
		start := 0
		if a != "" {
			var ok bool
			if start, ok = num(a); !ok {
				return r, bad
			}
		}
		if b == "" {
			if a == "" {
				return r, bad
			}
			return Range{Kind: RangeToEnd, Start: start}, ""
		}
		n, ok := num(b)
		if !ok {
			return r, bad
		}
		if n <= 0 {
			return r, "Range " + s + " isn't valid because length " + b + " isn't positive"
		}
		return Range{Kind: RangeStartLen, Start: start, N: n}, ""
	}
	start, ok1 := num(a)
	end, ok2 := num(b)
	if !ok1 || !ok2 {
		return r, bad
	}
	return Range{Kind: RangeStartEnd, Start: start, N: end}, ""
}

type quoteError struct {
	off, end int
	msg      string
}

// unquote interprets a string literal: C escapes, \xHH, octal \ooo,
// \uXXXX and \UXXXXXXXX; raw strings (r"...") keep backslashes.
func unquote(lit string) (string, *quoteError) {
	if lit[0] == 'r' || lit[0] == 'R' {
		body := lit[2 : len(lit)-1]
		// A backslash still protects a quote, but stays in the value.
		return body, nil
	}
	body := lit[1 : len(lit)-1]
	if strings.IndexByte(body, '\\') < 0 {
		return body, nil
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		start := i
		i++
		if i >= len(body) {
			return "", &quoteError{1 + start, 1 + len(body), "Unterminated escape sequence"}
		}
		switch e := body[i]; e {
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case 'x':
			j := i + 1
			for j < len(body) && j < i+3 && isHex(body[j]) {
				j++
			}
			if j == i+1 {
				return "", &quoteError{1 + start, 1 + j, `\x` + " escape without hex digits"}
			}
			v, _ := strconv.ParseUint(body[i+1:j], 16, 8)
			b.WriteByte(byte(v))
			i = j - 1
		case 'u', 'U':
			n := 4
			if e == 'U' {
				n = 8
			}
			if i+1+n > len(body) {
				return "", &quoteError{1 + start, 1 + len(body), body[start:] + " is not a valid universal character name"}
			}
			hex := body[i+1 : i+1+n]
			v, err := strconv.ParseUint(hex, 16, 32)
			if err != nil || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) {
				return "", &quoteError{1 + start, 2 + i + n, body[start:i+1+n] + " is not a valid universal character name"}
			}
			b.WriteRune(rune(v))
			i += n
		default:
			if e >= '0' && e <= '7' {
				j := i
				for j < len(body) && j < i+3 && body[j] >= '0' && body[j] <= '7' {
					j++
				}
				v, _ := strconv.ParseUint(body[i:j], 8, 16)
				b.WriteByte(byte(v))
				i = j - 1
				continue
			}
			b.WriteByte(e) // \\ \" \' and any other character stand for themselves
		}
	}
	return b.String(), nil
}

// unquoteChar interprets a character constant: 'a', '\n', '\x41', '\101'.
func unquoteChar(lit string) (uint64, bool) {
	if len(lit) < 3 {
		return 0, false
	}
	body := lit[1 : len(lit)-1]
	if len(body) == 1 && body[0] != '\\' {
		return uint64(body[0]), true
	}
	if body[0] != '\\' || len(body) < 2 {
		return 0, false
	}
	s, err := unquote(`"` + body + `"`)
	if err != nil || len(s) != 1 {
		return 0, false
	}
	return uint64(s[0]), true
}
