package filter

import (
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

// The check pass: resolves every Word against the field registry (or the
// protocol names of package decode), types every expression, converts
// literals to the type of the other operand, and builds the evaluator. Like
// tshark it reports the first problem only.

type checker struct {
	reg    *field.Registry
	src    string
	errs   ErrorList
	bad    bool
	protos map[string]*field.Field
	used   []string
	// hint is the other side of the comparison being checked: constant
	// arithmetic on the right ("tcp.port == 1 + 79") takes its type.
	hint *operand
}

// operand is a checked value expression: a compiled value, or a literal
// waiting for the type of the other side.
type operand struct {
	v        value
	lit      *literal
	typ      field.Type
	f        *field.Field // set for a plain field or protocol reference
	pos, end int
	// litTyp, when set, is the unsigned type literals compared with this
	// operand are checked against (tshark's "too big for this field"),
	// while typ (FTInt64) is the type of its values: unsigned arithmetic.
	litTyp field.Type
}

func (o *operand) bad() bool { return o.v == nil && o.lit == nil }

func (c *checker) fail(pos, end int, msg string) {
	if !c.bad {
		c.errs.add(pos, end, msg)
		c.bad = true
	}
}

// text returns the source text of a node, for messages.
func (c *checker) text(pos, end int) string {
	if pos < 0 || end > len(c.src) || pos > end {
		return ""
	}
	return c.src[pos:end]
}

// name is how an operand is named in messages: the field name or its source.
func (c *checker) name(o *operand) string {
	if o.f != nil {
		return o.f.Name
	}
	if o.lit != nil && o.lit.kind == litWord {
		return o.lit.text
	}
	return c.text(o.pos, o.end)
}

// lookup finds a field or protocol by name.
func (c *checker) lookup(name string) *field.Field {
	if c.reg != nil {
		if f := c.reg.Lookup(name); f != nil {
			c.use(name)
			return f
		}
	}
	if f, ok := c.protos[name]; ok {
		return f
	}
	for p := decode.Proto(0); p < decode.NumProtos; p++ {
		if p.String() == name {
			f := &field.Field{Name: name, Desc: name + " protocol", Type: field.FTProtocol, Proto: p, Get: protoGetter(p)}
			if c.protos == nil {
				c.protos = map[string]*field.Field{}
			}
			c.protos[name] = f
			c.use(name)
			return f
		}
	}
	return nil
}

func (c *checker) use(name string) {
	for _, u := range c.used {
		if u == name {
			return
		}
	}
	c.used = append(c.used, name)
}

// protoGetter returns a Get function yielding the bytes of every layer of
// protocol p (Frame.Layers), or the whole frame for "frame".
func protoGetter(p decode.Proto) func(*decode.Frame, []field.Value) []field.Value {
	return func(f *decode.Frame, dst []field.Value) []field.Value {
		if p == decode.ProtoFrame {
			return append(dst, field.Value{B: f.Data})
		}
		if !f.Has(p) {
			return dst
		}
		n := len(dst)
		for _, l := range f.Layers {
			if l.Proto != p {
				continue
			}
			data := f.Data
			if l.Reasm {
				data = f.Reassembled
			}
			if l.Dec {
				data = f.Decrypted
			}
			if l.Off >= 0 && l.Len >= 0 && l.Off+l.Len <= len(data) {
				dst = append(dst, field.Value{B: data[l.Off : l.Off+l.Len]})
			}
		}
		if len(dst) == n {
			dst = append(dst, field.Value{})
		}
		return dst
	}
}

// ---------------------------------------------------------------- tests

func (c *checker) test(x Expr) test {
	switch x := x.(type) {
	case *Paren:
		return c.test(x.X)
	case *Binary:
		switch x.Op {
		case AND:
			return &andTest{c.test(x.X), c.test(x.Y)}
		case OR:
			return &orTest{c.test(x.X), c.test(x.Y)}
		}
		o := c.value(x)
		return c.nonzero(&o)
	case *Unary:
		if x.Op == NOT {
			return &notTest{c.test(x.X)}
		}
		o := c.value(x)
		return c.nonzero(&o)
	case *Compare:
		return c.compare(x)
	case *In:
		return c.in(x)
	case *Word:
		f := c.lookup(x.Name)
		if f == nil {
			if x.Dot {
				c.fail(x.Pos(), x.End(), `"`+x.Name+`" is not a valid protocol or protocol field.`)
			} else {
				c.fail(x.Pos(), x.End(), x.Name+" is neither a field nor a protocol name.")
			}
			return trueTest{}
		}
		// A protocol missing from the registry is tested by its Present bit;
		// registry fields keep their own presence rules (dns is absent on
		// mDNS frames, for example).
		if f == c.protos[x.Name] && f.Proto != decode.ProtoFrame && !x.HasLayer {
			return &protoTest{f.Proto}
		}
		return &existsTest{newFieldNode(f, x.HasLayer, x.Layer)}
	case *String:
		c.fail(x.Pos(), x.End(), x.Lit+" is neither a field nor a protocol name.")
		return trueTest{}
	case *Char:
		c.fail(x.Pos(), x.End(), x.Lit+" is neither a field nor a protocol name.")
		return trueTest{}
	case *Call:
		c.fail(x.Fun.Pos(), x.Fun.End(), "You cannot test whether a function is present.")
		return trueTest{}
	case *Slice:
		o := c.value(x)
		if o.bad() {
			return trueTest{}
		}
		return &existsTest{o.v}
	case *Brace:
		o := c.value(x)
		return c.nonzero(&o)
	case *Bad, nil:
		return trueTest{}
	}
	c.fail(x.Pos(), x.End(), "Unexpected expression.")
	return trueTest{}
}

// nonzero makes a test of a bare arithmetic expression: true when a value is not zero.
func (c *checker) nonzero(o *operand) test {
	if o.bad() {
		return trueTest{}
	}
	if o.lit != nil {
		c.fail(o.pos, o.end, o.lit.src+" is neither a field nor a protocol name.")
		return trueTest{}
	}
	return &nonzeroTest{x: o.v, k: kindOf(o.typ)}
}

func (c *checker) compare(x *Compare) test {
	l := c.value(x.X)
	if l.bad() {
		return trueTest{}
	}
	if l.lit != nil {
		c.fail(l.pos, l.end, `Left side of "`+x.OpLit+`" expression must be a field or function, not `+l.lit.src+".")
		return trueTest{}
	}
	k := kindOf(l.typ)
	bad := func() test {
		c.fail(l.pos, l.end, c.name(&l)+" (type="+typeDesc(l.typ)+") cannot participate in "+x.OpLit+" comparison.")
		return trueTest{}
	}
	switch {
	case k == kNone:
		return bad()
	case x.Op == CONTAINS && k != kBytes:
		return bad()
	case x.Op == MATCHES && k != kBytes:
		return bad()
	}
	t := &cmpTest{op: x.Op, k: k, tx: l.typ, x: l.v}
	switch x.Op {
	case ALLEQ:
		t.op, t.all = EQ, true
	case ANYNE:
		t.op, t.all = NE, false
	case NE:
		t.all = x.Quant != ANY
	default:
		t.all = x.Quant == ALL
	}
	if x.Op == MATCHES {
		r := c.value(x.Y)
		if r.bad() {
			return trueTest{}
		}
		if r.lit == nil || r.lit.kind == litChar {
			c.fail(r.pos, r.end, "Matches requires a string literal on the right side, not "+c.name(&r)+".")
			return trueTest{}
		}
		re, err := compileRegex(r.lit.text)
		if err != "" {
			c.fail(r.pos, r.end, err)
			return trueTest{}
		}
		t.re = re
		t.y = &constNode{}
		return t
	}
	if x.Op == CONTAINS && l.typ == field.FTEther { // "eth.src contains 00": any byte string
		l.typ, t.tx = field.FTBytes, field.FTBytes
	}
	r := c.operandOf(x.Y, &l)
	if r.bad() {
		return trueTest{}
	}
	t.y, t.ty = r.v, r.typ
	return t
}

// operandOf checks y as the other side of l: a literal is converted to l's
// type, anything else must have a compatible type.
func (c *checker) operandOf(y Expr, l *operand) operand {
	saved := c.hint
	c.hint = l
	r := c.value(y)
	c.hint = saved
	if r.bad() {
		return r
	}
	if r.lit != nil {
		fname := ""
		if l.f != nil {
			fname = l.f.Name
		}
		if l.litTyp != 0 {
			var v field.Value
			var msg string
			if strings.HasPrefix(r.lit.text, "-") { // a negative result is no overflow
				v, msg = convert(r.lit, field.FTInt64, fname)
			} else if v, msg = convert(r.lit, l.litTyp, fname); msg == "" {
				v = field.Value{I: int64(v.U)}
			}
			if msg != "" {
				c.fail(r.pos, r.end, msg)
				return operand{}
			}
			return operand{v: &constNode{vals: []field.Value{v}}, typ: l.typ, pos: r.pos, end: r.end}
		}
		v, msg := convert(r.lit, l.typ, fname)
		if msg != "" {
			c.fail(r.pos, r.end, msg)
			return operand{}
		}
		return operand{v: &constNode{vals: []field.Value{v}}, typ: l.typ, pos: r.pos, end: r.end}
	}
	if !compatible(l.typ, r.typ) {
		c.fail(r.pos, r.end, c.name(l)+" and "+c.name(&r)+" are not of compatible types.")
		return operand{}
	}
	return r
}

// compatible reports whether values of types a and b can be compared.
func compatible(a, b field.Type) bool {
	if a == b {
		return true
	}
	ka, kb := kindOf(a), kindOf(b)
	switch {
	case (ka == kUint || ka == kInt) && (kb == kUint || kb == kInt):
		return true
	case ka == kBool && (kb == kBool || kb == kUint):
		return true
	case ka == kUint && kb == kBool:
		return true
	case ka == kBytes && kb == kBytes:
		return true
	}
	return false
}

func (c *checker) in(x *In) test {
	l := c.value(x.X)
	if l.bad() {
		return trueTest{}
	}
	if l.lit != nil {
		c.fail(l.pos, l.end, `Left side of "in" expression must be a field or function, not `+l.lit.src+".")
		return trueTest{}
	}
	if kindOf(l.typ) == kNone {
		c.fail(l.pos, l.end, c.name(&l)+" (type="+typeDesc(l.typ)+") cannot participate in in comparison.")
		return trueTest{}
	}
	t := &inTest{k: kindOf(l.typ), tx: l.typ, x: l.v, all: x.Quant == ALL}
	for _, e := range x.Elems {
		lo := c.operandOf(e.Lo, &l)
		if lo.bad() {
			return trueTest{}
		}
		se := setElem{lo: lo.v, ty: lo.typ}
		if e.Hi != nil {
			hi := c.operandOf(e.Hi, &l)
			if hi.bad() {
				return trueTest{}
			}
			if hi.typ != lo.typ {
				c.fail(e.Hi.Pos(), e.Hi.End(), "The two sides of a range must have the same type.")
				return trueTest{}
			}
			se.hi = hi.v
		}
		t.elems = append(t.elems, se)
	}
	if x.Not {
		return &notTest{t}
	}
	return t
}

// ---------------------------------------------------------------- values

func (c *checker) value(x Expr) operand {
	switch x := x.(type) {
	case *Word:
		if f := c.lookup(x.Name); f != nil {
			return operand{v: newFieldNode(f, x.HasLayer, x.Layer), typ: f.Type, f: f, pos: x.Pos(), end: x.End()}
		}
		if x.Dot {
			c.fail(x.Pos(), x.End(), `"`+x.Name+`" is not a valid protocol or protocol field.`)
			return operand{}
		}
		return operand{lit: &literal{kind: litWord, text: x.Name, src: x.Name, pos: x.Pos(), end: x.End()}, pos: x.Pos(), end: x.End()}
	case *String:
		return operand{lit: &literal{kind: litString, text: x.Value, src: x.Lit, pos: x.Pos(), end: x.End()}, pos: x.Pos(), end: x.End()}
	case *Char:
		return operand{lit: &literal{kind: litChar, text: x.Lit, src: x.Lit, char: x.Value, pos: x.Pos(), end: x.End()}, pos: x.Pos(), end: x.End()}
	case *Brace:
		o := c.value(x.X)
		o.pos, o.end = x.Pos(), x.End()
		return o
	case *Slice:
		return c.slice(x)
	case *Call:
		return c.call(x)
	case *Unary:
		return c.unary(x)
	case *Binary:
		if x.Op == AND || x.Op == OR {
			break
		}
		return c.arith(x)
	case *Bad, nil:
		return operand{}
	}
	c.fail(x.Pos(), x.End(), `"`+c.text(x.Pos(), x.End())+`" is not a value.`)
	return operand{}
}

func (c *checker) slice(x *Slice) operand {
	o := c.value(x.X)
	if o.bad() {
		return o
	}
	if o.lit != nil {
		c.fail(o.pos, o.end, `"`+o.lit.src+`" is not a field and cannot be sliced.`)
		return operand{}
	}
	k := kindOf(o.typ)
	if k != kBytes && k != kAddr {
		c.fail(o.pos, o.end, `"`+c.name(&o)+`" is a `+typeDesc(o.typ)+" and cannot be sliced into a sequence of bytes.")
		return operand{}
	}
	return operand{v: &sliceNode{x: o.v, k: k, ranges: x.Ranges}, typ: field.FTBytes, pos: x.Pos(), end: x.End()}
}

func (c *checker) unary(x *Unary) operand {
	o := c.value(x.X)
	if o.bad() {
		return o
	}
	o.pos = x.Pos()
	if x.Op == PLUS {
		return o
	}
	if o.lit != nil {
		if c.hint == nil || o.lit.kind != litWord {
			c.fail(x.X.Pos(), x.X.End(), "Constant arithmetic expression on the LHS is invalid.")
			return operand{}
		}
		l := *o.lit
		if strings.HasPrefix(l.text, "-") {
			l.text = l.text[1:]
		} else {
			l.text = "-" + l.text
		}
		l.src, l.pos = l.text, x.Pos()
		o.lit = &l
		return o
	}
	k := kindOf(o.typ)
	if !arithOK(MINUS, o.typ) {
		c.fail(x.X.Pos(), x.X.End(), o.typ.String()+" cannot -.")
		return operand{}
	}
	return operand{v: &negNode{k: k, t: o.typ, x: o.v}, typ: o.typ, pos: x.Pos(), end: x.End()}
}

// arithOK reports whether op applies to values of type t, as in Wireshark
// 4.0: + - * / % on integers and floats, + - on relative times, & on
// integers, addresses, MAC addresses and byte strings.
func arithOK(op Token, t field.Type) bool {
	k := kindOf(t)
	switch {
	case k == kUint || k == kInt:
		return true
	case k == kFloat:
		return op != BITAND
	case t == field.FTRelTime:
		return op == PLUS || op == MINUS
	case op == BITAND:
		return t == field.FTIPv4 || t == field.FTIPv6 || t == field.FTEther || t == field.FTBytes
	}
	return false
}

func (c *checker) arith(x *Binary) operand {
	l := c.value(x.X)
	if l.bad() {
		return l
	}
	var r operand
	if l.lit != nil {
		// A literal on the left takes the type of the right side, or of the
		// other side of the comparison when both are literals.
		r = c.value(x.Y)
		if r.bad() {
			return r
		}
		var t field.Type
		switch {
		case r.lit == nil:
			t = r.typ
		case c.hint != nil && !c.hint.bad() && c.hint.lit == nil:
			t = c.hint.typ
		default:
			c.fail(l.pos, l.end, "Constant arithmetic expression on the LHS is invalid.")
			return operand{}
		}
		if !arithOK(x.Op, t) {
			c.fail(l.pos, l.end, t.String()+" cannot "+x.Op.String()+".")
			return operand{}
		}
		v, msg := convert(l.lit, t, "")
		if msg != "" {
			c.fail(l.pos, l.end, msg)
			return operand{}
		}
		l = operand{v: &constNode{vals: []field.Value{v}}, typ: t, pos: l.pos, end: l.end}
		if r.lit != nil {
			v, msg := convert(r.lit, t, "")
			if msg != "" {
				c.fail(r.pos, r.end, msg)
				return operand{}
			}
			r = operand{v: &constNode{vals: []field.Value{v}}, typ: t, pos: r.pos, end: r.end}
		} else if !compatible(t, r.typ) {
			c.fail(r.pos, r.end, c.name(&l)+" and "+c.name(&r)+" are not of compatible types.")
			return operand{}
		}
	} else {
		if !arithOK(x.Op, l.typ) {
			c.fail(l.pos, l.end, l.typ.String()+" cannot "+x.Op.String()+".")
			return operand{}
		}
		r = c.operandOf(x.Y, &l)
		if r.bad() {
			return r
		}
	}
	k := kindOf(l.typ)
	if k == kUint && x.Op != BITAND {
		// Wireshark 4.0 computes unsigned arithmetic without wrapping and
		// with a sign: tcp.srcport - tcp.dstport < 0 holds when the source
		// port is lower, ip.ttl * 5 > 255 can hold.
		return operand{v: &arithNode{op: x.Op, k: k, signed: true, tx: l.typ, ty: r.typ, x: l.v, y: r.v}, typ: field.FTInt64, litTyp: l.typ, pos: x.Pos(), end: x.End()}
	}
	return operand{v: &arithNode{op: x.Op, k: k, tx: l.typ, ty: r.typ, x: l.v, y: r.v}, typ: l.typ, pos: x.Pos(), end: x.End()}
}

// compileRegex compiles a "matches" pattern: case-insensitive unless the
// pattern says otherwise, as in Wireshark 4.0. Errors are worded like PCRE2's.
func compileRegex(pat string) (*regexp.Regexp, string) {
	re, err := regexp.Compile("(?i)" + pat)
	if err == nil {
		return re, ""
	}
	msg := err.Error()
	if se, ok := err.(*syntax.Error); ok {
		switch se.Code {
		case syntax.ErrMissingParen:
			msg = "missing closing parenthesis"
		case syntax.ErrUnexpectedParen:
			msg = "unmatched closing parenthesis"
		case syntax.ErrMissingBracket:
			msg = "missing terminating ] for character class"
		case syntax.ErrMissingRepeatArgument:
			msg = "quantifier does not follow a repeatable item"
		case syntax.ErrInvalidRepeatOp, syntax.ErrInvalidRepeatSize:
			msg = "invalid quantifier: " + se.Expr
		case syntax.ErrTrailingBackslash:
			msg = `\ at end of pattern`
		case syntax.ErrInvalidEscape:
			msg = "unrecognized or unsupported escape sequence " + se.Expr
		case syntax.ErrInvalidPerlOp:
			msg = "unsupported group syntax " + se.Expr + " (wirewatch uses RE2: no lookaround, backreferences or atomic groups)"
		default:
			msg = se.Code.String() + ": " + se.Expr
		}
	}
	return nil, "Regex compilation error: " + msg + "."
}
