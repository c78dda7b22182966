package filter

import (
	"fmt"
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
	switch {
	case p.tok == RANGE:
		lit = "["
	case p.tok == ILLEGAL && strings.HasPrefix(lit, "["):
		p.fail(len(p.src), len(p.src)+1, "The right bracket was missing from a slice.") // tshark points past the end
		return
	case p.tok == ILLEGAL && strings.HasPrefix(lit, "'"):
		p.fail(len(p.src), len(p.src)+1, "The final quote was missing from a character constant.") // tshark points past the end
		return
	case p.tok == ILLEGAL && (strings.HasPrefix(lit, `"`) || strings.HasPrefix(lit, `r"`) || strings.HasPrefix(lit, `R"`)):
		p.fail(len(p.src), len(p.src)+1, "The final quote was missing from a quoted string.") // tshark points past the end
		return
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
	if p.tok == ANY || p.tok == ALL {
		quant, qpos = p.tok, p.pos
		p.next()
	}
	x := p.parseArith()
	switch {
	case p.tok.IsComparison():
		pos, op, lit := p.pos, p.tok, p.lit
		p.next()
		y := p.parseArith()
		c := &Compare{Quant: quant, QuantPos: qpos, X: x, OpPos: pos, Op: op, OpLit: lit, Y: y}
		if !p.tok.IsComparison() {
			return c
		}
		// A chain "a < b < c" means "a < b && b < c" (grouped, so that it
		// prints and re-parses as one test).
		var chain Expr = c
		for p.tok.IsComparison() {
			pos, op, lit := p.pos, p.tok, p.lit
			p.next()
			z := p.parseArith()
			next := &Compare{X: y, OpPos: pos, Op: op, OpLit: lit, Y: z}
			chain = &Binary{X: chain, OpPos: pos, Op: AND, OpLit: "&&", Y: next}
			y = z
		}
		return &Paren{Lparen: c.Pos(), X: chain, Rparen: chain.End() - 1}
	case p.tok == IN:
		return p.parseIn(x, false, quant, qpos)
	case p.tok == NOT && p.peek() == IN:
		p.next()
		return p.parseIn(x, true, quant, qpos)
	}
	if quant != 0 {
		p.unexpected()
	}
	return x
}

// set = "{" elem { "," elem } "}" ; elem = arith [ ".." arith ] .
func (p *parser) parseIn(x Expr, not bool, quant Token, qpos int) Expr {
	in := &In{Quant: quant, QuantPos: qpos, X: x, Not: not, InPos: p.pos}
	p.next()
	in.Lbrace = p.expect(LBRACE)
	for !p.bad {
		if p.tok == LBRACE { // set elements are values, not {grouped} arithmetic
			p.unexpected()
			break
		}
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
	if p.tok == ILLEGAL && p.lit == "#" {
		// The layer operator: ip.dst#2 is ip.dst of the second IP layer.
		hash := p.pos
		w, ok := x.(*Word)
		if !ok || w.Dot {
			p.fail(hash, hash+1, `"#" was unexpected in this context.`)
			return x
		}
		if hash+1 >= len(p.src) {
			p.next()
			p.fail(len(p.src), len(p.src), "Unexpected end of filter expression.")
			return x
		}
		if c := p.src[hash+1]; !isDigit(c) {
			p.fail(hash+1, hash+2, `Expected digit or "[", not "`+string(c)+`"`)
			return x
		}
		p.next()
		d := 0
		for d < len(p.lit) && isDigit(p.lit[d]) {
			d++
		}
		if d < len(p.lit) {
			p.fail(p.pos+d, p.pos+d+1, `"`+p.lit[d:d+1]+`" was unexpected in this context.`)
			return x
		}
		n, err := strconv.Atoi(p.lit)
		if err != nil {
			p.fail(p.pos, p.pos+len(p.lit), `"`+p.lit+`" is not a valid layer number.`)
			return x
		}
		w.HasLayer, w.Layer, w.LayerEnd = true, n, p.pos+len(p.lit)
		p.next()
	}
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
		v, msg := unquoteChar(lit)
		if msg != "" {
			p.fail(pos, pos+len(lit), msg)
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
		r, msg, epos, eend := parseRange(body)
		if msg != "" {
			if body == "" { // "[]" or "[1,]": the bracket or comma is unexpected
				at := base + off - 1
				if at >= len(p.src) {
					at = len(p.src) - 1
				}
				p.fail(at, at+1, `"`+p.src[at:at+1]+`" was unexpected in this context.`)
				return out
			}
			p.fail(pos+epos, pos+eend, msg)
			return out
		}
		r.Pos, r.EndPos = pos, end
		out = append(out, r)
	}
	return out
}

// parseRange parses one range; msg is non-empty on error, about the bytes
// [epos, eend) of s.
func parseRange(s string) (r Range, msg string, epos, eend int) {
	num := func(t string, off int) (int, bool) {
		n, err := strconv.ParseInt(strings.TrimSpace(t), 10, 32)
		if err != nil {
			lead := len(t) - len(strings.TrimLeft(t, " "))
			msg, epos, eend = `"`+strings.TrimSpace(t)+`" is not a valid number.`, off+lead, off+lead+len(strings.TrimSpace(t))
			return 0, false
		}
		return int(n), true
	}
	if strings.Count(s, ":") > 1 {
		return r, `"` + s + `" is not a valid range.`, 0, len(s)
	}
	// The separator: ':' or a '-' that is not a sign.
	sep := -1
	for i := 0; i < len(s); i++ {
		if s[i] == ':' || (s[i] == '-' && strings.TrimSpace(s[:i]) != "" && !strings.HasSuffix(strings.TrimSpace(s[:i]), "-")) {
			sep = i
			break
		}
	}
	if sep < 0 {
		n, ok := num(s, 0)
		if !ok {
			return r, msg, epos, eend
		}
		return Range{Kind: RangeSingle, Start: n}, "", 0, 0
	}
	a, b := s[:sep], s[sep+1:]
	if s[sep] == ':' {
		start := 0
		if strings.TrimSpace(a) != "" {
			var ok bool
			if start, ok = num(a, 0); !ok {
				return r, msg, epos, eend
			}
		}
		if strings.TrimSpace(b) == "" {
			if strings.TrimSpace(a) == "" {
				return r, `"` + s + `" is not a valid range.`, 0, len(s)
			}
			return Range{Kind: RangeToEnd, Start: start}, "", 0, 0
		}
		n, ok := num(b, sep+1)
		if !ok {
			return r, msg, epos, eend
		}
		if n <= 0 {
			return r, "Range " + s + " isn't valid because length " + strings.TrimSpace(b) + " isn't positive", 0, len(s)
		}
		return Range{Kind: RangeStartLen, Start: start, N: n}, "", 0, 0
	}
	start, ok := num(a, 0)
	if !ok {
		return r, msg, epos, eend
	}
	end, ok := num(b, sep+1)
	if !ok {
		return r, msg, epos, eend
	}
	if (start >= 0) == (end >= 0) && start >= end {
		return r, fmt.Sprintf("Range %s isn't valid because %d is greater or equal than %d", s, start, end), 0, len(s)
	}
	return Range{Kind: RangeStartEnd, Start: start, N: end}, "", 0, 0
}

type quoteError struct {
	off, end int
	msg      string
}

// unquote interprets a string literal as Wireshark 4.0 does: the C escapes
// \a \b \f \n \r \t \v \\ \" \', octal \ooo (at most 255), \xH or \xHH, and
// universal character names \uXXXX and \UXXXXXXXX; any other escape is an
// error. Raw strings (r"...") keep every backslash.
func unquote(lit string) (string, *quoteError) {
	if lit[0] == 'r' || lit[0] == 'R' {
		return lit[2 : len(lit)-1], nil
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
		bad := func(end int, msg string) (string, *quoteError) {
			return "", &quoteError{1 + start, 1 + end, body[start:end] + msg}
		}
		if i >= len(body) {
			return bad(len(body), " is not a valid character escape sequence")
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
		case '\\', '"', '\'':
			b.WriteByte(e)
		case 'x':
			j := i + 1
			for j < len(body) && j < i+3 && isHex(body[j]) {
				j++
			}
			if j == i+1 {
				return bad(j, " is not a valid character escape sequence")
			}
			v, _ := strconv.ParseUint(body[i+1:j], 16, 8)
			b.WriteByte(byte(v))
			i = j - 1
		case 'u', 'U':
			n := 4
			if e == 'U' {
				n = 8
			}
			j := i + 1
			for j < len(body) && j < i+1+n && isHex(body[j]) {
				j++
			}
			if j != i+1+n {
				return bad(j, " is not a valid universal character name")
			}
			v, _ := strconv.ParseUint(body[i+1:j], 16, 32)
			if v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || (v < 0xA0 && v != '$' && v != '@' && v != '`') {
				return bad(j, " is not a valid universal character name")
			}
			b.WriteRune(rune(v))
			i = j - 1
		default:
			if e < '0' || e > '7' {
				return bad(i+1, " is not a valid character escape sequence")
			}
			j := i
			for j < len(body) && j < i+3 && body[j] >= '0' && body[j] <= '7' {
				j++
			}
			v, _ := strconv.ParseUint(body[i:j], 8, 16)
			if v > 255 {
				return bad(j, " is larger than 255.")
			}
			b.WriteByte(byte(v))
			i = j - 1
		}
	}
	return b.String(), nil
}

// unquoteChar interprets a character constant: 'a', '\n', '\x41', '\101'.
func unquoteChar(lit string) (uint64, string) {
	body := lit[1 : len(lit)-1]
	switch {
	case body == "":
		return 0, "Empty character constant."
	case len(body) == 1 && body != "\\":
		return uint64(body[0]), ""
	case body[0] != '\\':
		return 0, lit + " is too long to be a valid character constant."
	}
	s, err := unquote(`"` + body + `"`)
	if err != nil || len(s) != 1 {
		return 0, lit + " isn't a valid character constant."
	}
	return uint64(s[0]), ""
}
