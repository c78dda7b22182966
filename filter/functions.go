package filter

import (
	"math"
	"strconv"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

// The functions of Wireshark 4.0: len, count, lower, upper, string, abs,
// max, min.

func (c *checker) call(x *Call) operand {
	name := x.Fun.Name
	at := func(i int) Expr { return x.Args[i] }
	nargs := func(n int) bool {
		switch {
		case len(x.Args) < n:
			c.fail(x.Fun.Pos(), x.Fun.End(), "Function "+name+" needs at least "+strconv.Itoa(n)+" arguments.")
			return false
		case len(x.Args) > n:
			c.fail(x.Fun.Pos(), x.Fun.End(), "Function "+name+" can only accept "+strconv.Itoa(n)+" arguments.")
			return false
		}
		return true
	}
	// arg checks argument i, which must be a field (or a slice of one).
	arg := func(i int) (operand, bool) {
		saved := c.hint
		c.hint = nil
		o := c.value(at(i))
		c.hint = saved
		if o.bad() {
			return o, false
		}
		if o.f == nil && !(name == "abs" && o.lit == nil && o.v != nil) { // abs takes arithmetic too
			if call, ok := at(i).(*Call); ok { // tshark underlines the function name
				o.pos, o.end = call.Fun.Pos(), call.Fun.End()
			}
			msg := "Only fields can be used as parameter for " + name + "()"
			switch name {
			case "lower", "upper":
				msg = "Only string type fields can be used as parameter for " + name + "()"
			case "abs":
				msg = "'" + c.text(o.pos, o.end) + "' is not a valid argument to 'abs'()"
			}
			c.fail(o.pos, o.end, msg)
			return o, false
		}
		return o, true
	}
	out := func(v value, t field.Type) operand {
		return operand{v: v, typ: t, pos: x.Pos(), end: x.End()}
	}
	switch name {
	case "len":
		if !nargs(1) {
			return operand{}
		}
		o, ok := arg(0)
		if !ok {
			return operand{}
		}
		return out(&lenNode{x: o.v, k: kindOf(o.typ), size: typeSize(o.typ)}, field.FTUint32)
	case "count":
		if !nargs(1) {
			return operand{}
		}
		o, ok := arg(0)
		if !ok {
			return operand{}
		}
		return out(&countNode{x: o.v}, field.FTUint32)
	case "lower", "upper":
		if !nargs(1) {
			return operand{}
		}
		o, ok := arg(0)
		if !ok {
			return operand{}
		}
		if o.typ != field.FTString {
			c.fail(o.pos, o.end, "Only string type fields can be used as parameter for "+name+"()")
			return operand{}
		}
		return out(&caseNode{x: o.v, upper: name == "upper"}, field.FTString)
	case "string":
		if !nargs(1) {
			return operand{}
		}
		o, ok := arg(0)
		if !ok {
			return operand{}
		}
		switch kindOf(o.typ) {
		case kUint, kInt, kFloat, kAddr:
		default:
			if o.typ != field.FTEther {
				c.fail(o.pos, o.end, `String conversion for field "`+c.name(&o)+`" is not supported`)
				return operand{}
			}
		}
		return out(&stringNode{x: o.v, t: o.typ}, field.FTString)
	case "abs":
		if !nargs(1) {
			return operand{}
		}
		o, ok := arg(0)
		if !ok {
			return operand{}
		}
		k := kindOf(o.typ)
		if k != kUint && k != kInt && k != kFloat && o.typ != field.FTRelTime {
			c.fail(o.pos, o.end, "'"+c.name(&o)+"' is not a valid argument to 'abs'()")
			return operand{}
		}
		return out(&absNode{x: o.v, k: k}, o.typ)
	case "max", "min":
		if len(x.Args) == 0 {
			c.fail(x.Fun.Pos(), x.Fun.End(), "Function "+name+" needs at least 1 arguments.")
			return operand{}
		}
		ops := make([]operand, len(x.Args))
		first := -1
		saved := c.hint
		c.hint = nil
		for i := range x.Args {
			ops[i] = c.value(at(i))
			if ops[i].bad() {
				c.hint = saved
				return operand{}
			}
			if ops[i].lit == nil && first < 0 {
				first = i
			}
		}
		c.hint = saved
		if first < 0 {
			c.fail(ops[0].pos, ops[0].end, "Argument '"+c.text(ops[0].pos, ops[0].end)+"' is not valid for "+name+"()")
			return operand{}
		}
		t := ops[first].typ
		k := kindOf(t)
		if k != kUint && k != kInt && k != kFloat && k != kTime {
			c.fail(ops[first].pos, ops[first].end, "Argument '"+c.text(ops[first].pos, ops[first].end)+"' is not valid for "+name+"()")
			return operand{}
		}
		n := &minmaxNode{max: name == "max", k: k, t: t}
		for i := range ops {
			o := ops[i]
			if o.lit != nil {
				v, msg := convert(o.lit, t, "")
				if msg != "" {
					c.fail(o.pos, o.end, msg)
					return operand{}
				}
				o = operand{v: &constNode{vals: []field.Value{v}}, typ: t}
			} else if o.typ != t {
				c.fail(o.pos, o.end, "Arguments to '"+name+"' must have the same type (expected "+t.String()+", got "+o.typ.String()+")")
				return operand{}
			}
			n.args = append(n.args, o.v)
			n.types = append(n.types, o.typ)
		}
		return out(n, t)
	}
	c.fail(x.Fun.Pos(), x.Fun.End(), "Function '"+name+"' does not exist")
	return operand{}
}

// typeSize is the wire size of a fixed-size type, for len().
func typeSize(t field.Type) uint64 {
	switch t {
	case field.FTUint8, field.FTBoolean:
		return 1
	case field.FTUint16:
		return 2
	case field.FTUint24:
		return 3
	case field.FTUint32, field.FTInt32, field.FTFrameNum, field.FTIPv4:
		return 4
	case field.FTUint64, field.FTInt64, field.FTDouble:
		return 8
	case field.FTEther:
		return 6
	case field.FTIPv6:
		return 16
	}
	return 0
}

type lenNode struct {
	x    value
	k    kind
	size uint64
	buf  []field.Value
}

func (n *lenNode) eval(fr *decode.Frame) []field.Value {
	in := n.x.eval(fr)
	n.buf = n.buf[:0]
	for i := range in {
		l := n.size
		switch n.k {
		case kBytes:
			l = uint64(len(in[i].B))
		case kAddr:
			l = uint64(in[i].A.BitLen() / 8)
		}
		n.buf = append(n.buf, field.Value{U: l})
	}
	return n.buf
}

type countNode struct {
	x   value
	buf [1]field.Value
}

func (n *countNode) eval(fr *decode.Frame) []field.Value {
	c := len(n.x.eval(fr))
	if c == 0 {
		return nil
	}
	n.buf[0] = field.Value{U: uint64(c)}
	return n.buf[:]
}

// caseNode is lower() or upper() (ASCII letters, as Wireshark's g_ascii_* do).
type caseNode struct {
	x     value
	upper bool
	buf   []field.Value
	bytes []byte
}

func (n *caseNode) eval(fr *decode.Frame) []field.Value {
	in := n.x.eval(fr)
	n.buf = n.buf[:0]
	n.bytes = n.bytes[:0]
	for i := range in {
		for _, ch := range in[i].B {
			if n.upper && ch >= 'a' && ch <= 'z' {
				ch -= 'a' - 'A'
			} else if !n.upper && ch >= 'A' && ch <= 'Z' {
				ch += 'a' - 'A'
			}
			n.bytes = append(n.bytes, ch)
		}
		n.buf = append(n.buf, field.Value{U: uint64(len(in[i].B))})
	}
	return fixSpans(n.buf, n.bytes)
}

// fixSpans points each value's B at its part of buf; values hold their
// lengths in U while buf is being filled (it may move as it grows).
func fixSpans(vals []field.Value, buf []byte) []field.Value {
	off := 0
	for i := range vals {
		l := int(vals[i].U)
		vals[i].B = buf[off : off+l : off+l]
		vals[i].U = 0
		off += l
	}
	return vals
}

// stringNode is string(): the value as Wireshark prints it in a filter.
type stringNode struct {
	x     value
	t     field.Type
	buf   []field.Value
	bytes []byte
}

func (n *stringNode) eval(fr *decode.Frame) []field.Value {
	in := n.x.eval(fr)
	n.buf = n.buf[:0]
	n.bytes = n.bytes[:0]
	for i := range in {
		start := len(n.bytes)
		v := &in[i]
		switch kindOf(n.t) {
		case kUint:
			n.bytes = strconv.AppendUint(n.bytes, v.U, 10)
		case kBool:
			n.bytes = strconv.AppendUint(n.bytes, boolU(v.U), 10)
		case kInt:
			n.bytes = strconv.AppendInt(n.bytes, v.I, 10)
		case kFloat:
			n.bytes = strconv.AppendFloat(n.bytes, v.F, 'g', -1, 64)
		case kAddr:
			n.bytes = v.A.AppendTo(n.bytes)
		case kTime:
			n.bytes = appendTime(n.bytes, v.I)
		default:
			if n.t == field.FTEther {
				for j, b := range v.B {
					if j > 0 {
						n.bytes = append(n.bytes, ':')
					}
					n.bytes = append(n.bytes, "0123456789abcdef"[b>>4], "0123456789abcdef"[b&15])
				}
			} else {
				n.bytes = append(n.bytes, v.B...)
			}
		}
		n.buf = append(n.buf, field.Value{U: uint64(len(n.bytes) - start)})
	}
	return fixSpans(n.buf, n.bytes)
}

// appendTime formats ns since the epoch as seconds with 9 decimals.
func appendTime(b []byte, ns int64) []byte {
	if ns < 0 {
		b = append(b, '-')
		ns = -ns
	}
	b = strconv.AppendInt(b, ns/1e9, 10)
	b = append(b, '.')
	frac := ns % 1e9
	for d := int64(1e8); d > 0; d /= 10 {
		b = append(b, byte('0'+frac/d%10))
	}
	return b
}

type absNode struct {
	x   value
	k   kind
	buf []field.Value
}

func (n *absNode) eval(fr *decode.Frame) []field.Value {
	in := n.x.eval(fr)
	n.buf = n.buf[:0]
	for _, v := range in {
		switch n.k {
		case kInt, kTime:
			if v.I < 0 {
				v.I = -v.I
			}
		case kFloat:
			v.F = math.Abs(v.F)
		}
		n.buf = append(n.buf, v)
	}
	return n.buf
}

// minmaxNode is max() or min() over every value of every argument.
type minmaxNode struct {
	max   bool
	k     kind
	t     field.Type
	args  []value
	types []field.Type
	buf   [1]field.Value
}

func (n *minmaxNode) eval(fr *decode.Frame) []field.Value {
	found := false
	var best field.Value
	for i, a := range n.args {
		for _, v := range a.eval(fr) {
			// Convert to the result type first.
			switch n.k {
			case kUint:
				v = field.Value{U: asUint(&v, n.types[i])}
			case kInt, kTime:
				v = field.Value{I: asInt(&v, n.types[i])}
			case kFloat:
				v = field.Value{F: asFloat(&v, n.types[i])}
			}
			if !found {
				best, found = v, true
				continue
			}
			c := compare(n.k, n.t, n.t, &v, &best)
			if (n.max && c > 0) || (!n.max && c < 0) {
				best = v
			}
		}
	}
	if !found {
		return nil
	}
	n.buf[0] = best
	return n.buf[:]
}
