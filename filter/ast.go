package filter

// The syntax tree. Every node records the byte offsets of its source text;
// names are not resolved here (a Word may be a field or a literal): the check
// pass does that against a field registry.

// Node is any syntax-tree node.
type Node interface {
	Pos() int // offset of the first byte
	End() int // offset just past the last byte
}

// Expr is an expression node: a test (comparison, logical operator,
// existence) or a value (field, literal, function call, slice, arithmetic).
type Expr interface {
	Node
	exprNode()
}

type (
	// Word is a field or protocol name, or an unparsed literal such as 80,
	// 10.0.0.0/8 or ff:ff:ff:ff:ff:ff. Dot is set for the ".name" form,
	// which can only be a field or protocol.
	Word struct {
		NamePos int
		Name    string // without the leading dot
		Dot     bool
		// HasLayer is set by the layer operator "name#n", Layer is n and
		// LayerEnd the offset just past it.
		HasLayer bool
		Layer    int
		LayerEnd int
	}

	// String is a quoted string literal; Value is the unescaped text.
	String struct {
		ValuePos int
		Lit      string // source text with quotes (and r prefix)
		Value    string
	}

	// Char is a C character constant such as 'a' or '\x41'.
	Char struct {
		ValuePos int
		Lit      string
		Value    uint64
	}

	// Call is a function call: len(x), max(a, b, c).
	Call struct {
		Fun    *Word
		Args   []Expr
		Rparen int
	}

	// Slice is X[ranges]: bytes of a field, protocol, string or address.
	Slice struct {
		X      Expr
		Lbrack int
		Ranges []Range
		Rbrack int
	}

	// Brace is arithmetic grouping with curly braces: {a + b}.
	Brace struct {
		Lbrace int
		X      Expr
		Rbrace int
	}

	// Paren is a parenthesised test: (a or b).
	Paren struct {
		Lparen int
		X      Expr
		Rparen int
	}

	// Unary is "-X", "+X" (arithmetic) or "!X"/"not X" (logical).
	Unary struct {
		OpPos int
		Op    Token // MINUS, PLUS or NOT
		OpLit string
		X     Expr
	}

	// Binary is arithmetic (+ - * / % &) or logical (AND, OR).
	Binary struct {
		X     Expr
		OpPos int
		Op    Token
		OpLit string
		Y     Expr
	}

	// Compare is "X op Y", optionally quantified: "all tcp.port > 1024".
	Compare struct {
		Quant    Token // 0, ANY or ALL
		QuantPos int
		X        Expr
		OpPos    int
		Op       Token
		OpLit    string
		Y        Expr
	}

	// In is "X in {a, b, c..d}" or "X not in {...}".
	In struct {
		Quant    Token // 0, ANY or ALL
		QuantPos int
		X        Expr
		Not      bool
		InPos    int
		Lbrace   int
		Elems    []SetElem
		Rbrace   int
	}

	// Bad stands for a part that could not be parsed.
	Bad struct{ From, To int }
)

// SetElem is one element of a set: a value, or an inclusive range Lo..Hi.
type SetElem struct {
	Lo, Hi Expr // Hi is nil for a single value
}

// RangeKind says how a slice range was written.
type RangeKind uint8

// Range forms: [i:j] start and length, [i-j] start and end (inclusive), [i]
// one element, [:j] first j, [i:] from i to the end.
const (
	RangeStartLen RangeKind = iota
	RangeStartEnd
	RangeSingle
	RangeToEnd
)

// Range is one comma-separated part of a slice. [:j] is RangeStartLen with Start 0.
type Range struct {
	Pos, EndPos int // source offsets
	Kind        RangeKind
	Start       int
	N           int // length (StartLen) or end offset (StartEnd)
}

func (x *Word) Pos() int { return x.NamePos }
func (x *Word) End() int {
	if x.Dot {
		return x.NamePos + 1 + len(x.Name)
	}
	return x.NamePos + len(x.Name)
}
func (x *String) Pos() int { return x.ValuePos }
func (x *String) End() int { return x.ValuePos + len(x.Lit) }
func (x *Char) Pos() int   { return x.ValuePos }
func (x *Char) End() int   { return x.ValuePos + len(x.Lit) }
func (x *Call) Pos() int   { return x.Fun.Pos() }
func (x *Call) End() int   { return x.Rparen + 1 }
func (x *Slice) Pos() int  { return x.X.Pos() }
func (x *Slice) End() int  { return x.Rbrack + 1 }
func (x *Brace) Pos() int  { return x.Lbrace }
func (x *Brace) End() int  { return x.Rbrace + 1 }
func (x *Paren) Pos() int  { return x.Lparen }
func (x *Paren) End() int  { return x.Rparen + 1 }
func (x *Unary) Pos() int  { return x.OpPos }
func (x *Unary) End() int  { return x.X.End() }
func (x *Binary) Pos() int { return x.X.Pos() }
func (x *Binary) End() int { return x.Y.End() }
func (x *Compare) Pos() int {
	if x.Quant != 0 {
		return x.QuantPos
	}
	return x.X.Pos()
}
func (x *Compare) End() int { return x.Y.End() }
func (x *In) Pos() int {
	if x.Quant != 0 {
		return x.QuantPos
	}
	return x.X.Pos()
}
func (x *In) End() int  { return x.Rbrace + 1 }
func (x *Bad) Pos() int { return x.From }
func (x *Bad) End() int { return x.To }

func (*Word) exprNode()    {}
func (*String) exprNode()  {}
func (*Char) exprNode()    {}
func (*Call) exprNode()    {}
func (*Slice) exprNode()   {}
func (*Brace) exprNode()   {}
func (*Paren) exprNode()   {}
func (*Unary) exprNode()   {}
func (*Binary) exprNode()  {}
func (*Compare) exprNode() {}
func (*In) exprNode()      {}
func (*Bad) exprNode()     {}
