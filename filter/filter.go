package filter

import (
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

// Filter is a compiled display filter. Not safe for concurrent use (it owns
// scratch buffers); compile one per goroutine.
type Filter struct {
	src    string
	tree   Expr
	t      test
	fields []string
}

// Compile parses, checks and compiles expr against reg. Errors are
// *ErrorList values carrying positions; they match errors.Is(err, ErrSyntax).
// An empty filter matches every frame.
func Compile(expr string, reg *field.Registry) (*Filter, error) {
	tree, err := Parse(expr)
	if err != nil {
		return nil, err
	}
	fl := &Filter{src: expr, tree: tree}
	if tree == nil {
		fl.t = trueTest{}
		return fl, nil
	}
	c := &checker{reg: reg, src: expr}
	c.errs.Src = expr
	t := c.test(tree)
	if err := c.errs.err(); err != nil {
		return nil, err
	}
	fl.t = t
	fl.fields = c.used
	return fl, nil
}

// Match reports whether f passes the filter. It allocates nothing once the
// filter's scratch buffers have grown to the sizes the capture needs.
func (fl *Filter) Match(f *decode.Frame) bool {
	return fl.t.match(f)
}

// String returns the normalised filter text (see Format); it compiles to the
// same filter.
func (fl *Filter) String() string { return Format(fl.tree) }

// Fields lists the field and protocol names the filter refers to, in order
// of first use. Callers can skip work (e.g. TCP analysis) no field needs.
func (fl *Filter) Fields() []string { return fl.fields }
