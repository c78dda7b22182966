package filter

import (
	"fmt"
	"strconv"
	"strings"
)

// Format prints a syntax tree in normal form: symbolic operators (&&, ||, !,
// ==, ...), single spaces around binary operators, strings re-quoted with
// escapes. The result parses back to the same tree.
func Format(x Expr) string {
	var b strings.Builder
	printExpr(&b, x)
	return b.String()
}

func printExpr(b *strings.Builder, x Expr) {
	switch x := x.(type) {
	case nil:
	case *Word:
		if x.Dot {
			b.WriteByte('.')
		}
		b.WriteString(x.Name)
		if x.HasLayer {
			fmt.Fprintf(b, "#%d", x.Layer)
		}
	case *String:
		b.WriteString(quote(x.Value))
	case *Char:
		b.WriteString(x.Lit)
	case *Call:
		b.WriteString(x.Fun.Name)
		b.WriteByte('(')
		for i, a := range x.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			printExpr(b, a)
		}
		b.WriteByte(')')
	case *Slice:
		printExpr(b, x.X)
		b.WriteByte('[')
		for i, r := range x.Ranges {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(r.String())
		}
		b.WriteByte(']')
	case *Brace:
		b.WriteByte('{')
		printExpr(b, x.X)
		b.WriteByte('}')
	case *Paren:
		b.WriteByte('(')
		printExpr(b, x.X)
		b.WriteByte(')')
	case *Unary:
		b.WriteString(x.Op.String())
		printExpr(b, x.X)
	case *Binary:
		printExpr(b, x.X)
		b.WriteByte(' ')
		b.WriteString(x.Op.String())
		b.WriteByte(' ')
		printExpr(b, x.Y)
	case *Compare:
		if x.Quant != 0 {
			b.WriteString(x.Quant.String())
			b.WriteByte(' ')
		}
		printExpr(b, x.X)
		b.WriteByte(' ')
		b.WriteString(x.Op.String())
		b.WriteByte(' ')
		printExpr(b, x.Y)
	case *In:
		if x.Quant != 0 {
			b.WriteString(x.Quant.String())
			b.WriteByte(' ')
		}
		printExpr(b, x.X)
		if x.Not {
			b.WriteString(" not")
		}
		b.WriteString(" in {")
		for i, e := range x.Elems {
			if i > 0 {
				b.WriteString(", ")
			}
			printExpr(b, e.Lo)
			if e.Hi != nil {
				b.WriteString(" .. ")
				printExpr(b, e.Hi)
			}
		}
		b.WriteByte('}')
	case *Bad:
		b.WriteString("<bad>")
	}
}

// String prints a range the way it is written inside brackets.
func (r Range) String() string {
	switch r.Kind {
	case RangeStartEnd:
		return strconv.Itoa(r.Start) + "-" + strconv.Itoa(r.N)
	case RangeSingle:
		return strconv.Itoa(r.Start)
	case RangeToEnd:
		return strconv.Itoa(r.Start) + ":"
	}
	return strconv.Itoa(r.Start) + ":" + strconv.Itoa(r.N)
}

// quote writes s as a double-quoted filter string literal.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c == 0x7f:
			b.WriteString(`\x`)
			b.WriteByte("0123456789abcdef"[c>>4])
			b.WriteByte("0123456789abcdef"[c&15])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
