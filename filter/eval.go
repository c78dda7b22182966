package filter

import (
	"bytes"
	"math"
	"net/netip"
	"regexp"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

// The evaluator: a tree of value and test nodes built by the check pass.
// Every node owns the scratch slices it returns, grown on first use and
// reused afterwards, so evaluating a filter allocates nothing per packet.
// A value node's result is valid until that node is evaluated again.

// value is a compiled value expression: all its results for one frame.
type value interface {
	eval(fr *decode.Frame) []field.Value
}

// test is a compiled boolean expression.
type test interface {
	match(fr *decode.Frame) bool
}

// kind groups field types that compare the same way.
type kind uint8

const (
	kNone  kind = iota // labels: existence only
	kUint              // U
	kInt               // I
	kFloat             // F
	kTime              // I, nanoseconds
	kBool              // U != 0
	kBytes             // B: strings, byte strings, MAC addresses, protocols
	kAddr              // A, with an optional prefix length in U (bits+1) for literals
)

func kindOf(t field.Type) kind {
	switch t {
	case field.FTUint8, field.FTUint16, field.FTUint24, field.FTUint32, field.FTUint64, field.FTFrameNum:
		return kUint
	case field.FTInt32, field.FTInt64:
		return kInt
	case field.FTDouble:
		return kFloat
	case field.FTAbsTime, field.FTRelTime:
		return kTime
	case field.FTBoolean:
		return kBool
	case field.FTString, field.FTBytes, field.FTEther, field.FTProtocol:
		return kBytes
	case field.FTIPv4, field.FTIPv6:
		return kAddr
	}
	return kNone
}

// ---------------------------------------------------------------- values

// fieldNode yields every occurrence of a registry field, or with the layer
// operator (name#n) the occurrences of the n-th layer.
type fieldNode struct {
	f     *field.Field
	buf   []field.Value
	layer int // -1: all occurrences
	per   int // occurrences per layer (with layer >= 0); 0: all in layer 1
}

// newFieldNode returns the node of field f, restricted to layer n when
// hasLayer is set (Wireshark counts layers from 1; #0 matches nothing).
// The registry gives occurrences, not layers: for the header fields a
// protocol repeats once per encapsulation or quoted header (eth, vlan, ip,
// ipv6, icmp, tcp, udp...) each layer contributes one occurrence, two for
// the address and port pairs (ip.addr, eth.addr, tcp.port...); the
// occurrences of other fields all count as layer 1.
func newFieldNode(f *field.Field, hasLayer bool, n int) *fieldNode {
	fn := &fieldNode{f: f, layer: -1}
	if !hasLayer {
		return fn
	}
	fn.layer = n
	switch f.Proto {
	case decode.ProtoEth, decode.ProtoVLAN, decode.ProtoIEEE8021AD, decode.ProtoIP, decode.ProtoIPv6,
		decode.ProtoICMP, decode.ProtoICMPv6, decode.ProtoTCP, decode.ProtoUDP, decode.ProtoSLL,
		// Headers a tunnel repeats (their optional fields are assumed in every layer).
		decode.ProtoLLC, decode.ProtoGRE, decode.ProtoVXLAN, decode.ProtoGeneve, decode.ProtoERSPAN,
		decode.ProtoPBB, decode.ProtoCMD, decode.ProtoAH, decode.ProtoESP:
		fn.per = 1
		if f.Type != field.FTProtocol && isPairField(f.Name) {
			fn.per = 2
		}
	}
	return fn
}

// isPairField reports fields that hold both ends of a header: *.addr,
// *.host, *.port and their Ethernet flag/OUI companions.
func isPairField(name string) bool {
	for _, s := range []string{".addr", ".host", ".port", ".addr.oui", ".addr_resolved", ".ig", ".lg"} {
		if len(name) > len(s) && name[len(name)-len(s):] == s {
			return name != "eth.dst.ig" && name != "eth.dst.lg" && name != "eth.src.ig" && name != "eth.src.lg"
		}
	}
	return false
}

func (n *fieldNode) eval(fr *decode.Frame) []field.Value {
	n.buf = n.f.Get(fr, n.buf[:0])
	if n.layer < 0 {
		return n.buf
	}
	if n.layer == 0 {
		return n.buf[:0]
	}
	if n.per == 0 {
		if n.layer == 1 {
			return n.buf
		}
		return n.buf[:0]
	}
	lo, hi := (n.layer-1)*n.per, n.layer*n.per
	if lo >= len(n.buf) {
		return n.buf[:0]
	}
	return n.buf[lo:min(hi, len(n.buf))]
}

// constNode yields a literal converted at compile time.
type constNode struct{ vals []field.Value }

func (n *constNode) eval(*decode.Frame) []field.Value { return n.vals }

// sliceNode yields byte ranges of its operand's values.
type sliceNode struct {
	x      value
	k      kind // of x
	ranges []Range
	buf    []field.Value
	bytes  []byte
	spans  [][2]int
}

func (n *sliceNode) eval(fr *decode.Frame) []field.Value {
	in := n.x.eval(fr)
	n.buf = n.buf[:0]
	n.bytes = n.bytes[:0]
	n.spans = n.spans[:0]
	var ab [16]byte
	for i := range in {
		b := in[i].B
		if n.k == kAddr {
			if a := in[i].A; a.Is4() {
				v := a.As4()
				copy(ab[:], v[:])
				b = ab[:4]
			} else {
				ab = a.As16()
				b = ab[:]
			}
		}
		start := len(n.bytes)
		ok := true
		for _, r := range n.ranges {
			lo, hi, good := r.bounds(len(b))
			if !good {
				ok = false
				break
			}
			n.bytes = append(n.bytes, b[lo:hi]...)
		}
		if !ok {
			n.bytes = n.bytes[:start]
			continue
		}
		n.spans = append(n.spans, [2]int{start, len(n.bytes)})
	}
	for _, s := range n.spans {
		n.buf = append(n.buf, field.Value{B: n.bytes[s[0]:s[1]:s[1]]})
	}
	return n.buf
}

// bounds resolves a range against a length: [lo, hi), false when out of range.
func (r Range) bounds(n int) (lo, hi int, ok bool) {
	start := r.Start
	if start < 0 {
		start += n
	}
	if start < 0 || start > n {
		return 0, 0, false
	}
	switch r.Kind {
	case RangeStartLen:
		hi = start + r.N
	case RangeSingle:
		hi = start + 1
	case RangeToEnd:
		hi = n
	case RangeStartEnd:
		end := r.N
		if end < 0 {
			end += n
		}
		hi = end + 1
	}
	if hi > n || hi < start {
		return 0, 0, false
	}
	return start, hi, true
}

// arithNode computes X op Y over every pair of values.
type arithNode struct {
	op     Token
	k      kind
	signed bool       // unsigned operands, signed unbounded result (Value.I)
	tx     field.Type // result type (X's)
	ty     field.Type
	x, y   value
	buf    []field.Value
	bytes  []byte
}

func (n *arithNode) eval(fr *decode.Frame) []field.Value {
	a := n.x.eval(fr)
	n.buf = n.buf[:0]
	if len(a) == 0 {
		return n.buf
	}
	b := n.y.eval(fr)
	n.bytes = n.bytes[:0]
	for i := range a {
		for j := range b {
			if v, ok := n.apply(&a[i], &b[j]); ok {
				n.buf = append(n.buf, v)
			}
		}
	}
	if n.k == kBytes { // point the byte results into the final buffer
		off := 0
		for i := range n.buf {
			l := len(n.buf[i].B)
			n.buf[i].B = n.bytes[off : off+l : off+l]
			off += l
		}
	}
	return n.buf
}

// intArith applies an integer operator; ok is false on division by zero.
func intArith[T int64 | uint64](op Token, x, y T) (v T, ok bool) {
	switch op {
	case PLUS:
		return x + y, true
	case MINUS:
		return x - y, true
	case STAR:
		return x * y, true
	case SLASH:
		if y == 0 {
			return 0, false
		}
		return x / y, true
	case PERCENT:
		if y == 0 {
			return 0, false
		}
		return x % y, true
	case BITAND:
		return x & y, true
	}
	return 0, true
}

func (n *arithNode) apply(a, b *field.Value) (field.Value, bool) {
	var r field.Value
	switch n.k {
	case kUint, kBool:
		if n.signed {
			v, ok := intArith(n.op, int64(a.U), asInt(b, n.ty))
			r.I = v
			return r, ok
		}
		v, ok := intArith(n.op, a.U, asUint(b, n.ty))
		if !ok {
			return r, false
		}
		r.U = v & typeMask(n.tx)
	case kInt, kTime:
		v, ok := intArith(n.op, a.I, asInt(b, n.ty))
		if !ok {
			return r, false
		}
		r.I = v
	case kFloat:
		x, y := a.F, asFloat(b, n.ty)
		switch n.op {
		case PLUS:
			r.F = x + y
		case MINUS:
			r.F = x - y
		case STAR:
			r.F = x * y
		case SLASH:
			r.F = x / y
		case PERCENT:
			r.F = math.Mod(x, y)
		default:
			return r, false
		}
	case kAddr: // only "&": mask an address
		if a.A.Is4() != b.A.Is4() {
			return r, false
		}
		x, y := a.A.As16(), b.A.As16()
		for i := range x {
			x[i] &= y[i]
		}
		r.A = netip.AddrFrom16(x)
		if a.A.Is4() {
			r.A = r.A.Unmap()
		}
	case kBytes: // only "&": bytewise AND over the shorter length
		l := min(len(a.B), len(b.B))
		start := len(n.bytes)
		for i := 0; i < l; i++ {
			n.bytes = append(n.bytes, a.B[i]&b.B[i])
		}
		r.B = n.bytes[start:]
	default:
		return r, false
	}
	return r, true
}

// typeMask keeps unsigned arithmetic within the width of the result type.
func typeMask(t field.Type) uint64 {
	switch t {
	case field.FTUint8:
		return 0xff
	case field.FTUint16:
		return 0xffff
	case field.FTUint24:
		return 0xffffff
	case field.FTUint32, field.FTFrameNum:
		return 0xffffffff
	}
	return math.MaxUint64
}

func asUint(v *field.Value, t field.Type) uint64 {
	switch kindOf(t) {
	case kInt, kTime:
		return uint64(v.I)
	case kFloat:
		return uint64(v.F)
	}
	return v.U
}

func asInt(v *field.Value, t field.Type) int64 {
	switch kindOf(t) {
	case kUint, kBool:
		return int64(v.U)
	case kFloat:
		return int64(v.F)
	}
	return v.I
}

func asFloat(v *field.Value, t field.Type) float64 {
	switch kindOf(t) {
	case kUint, kBool:
		return float64(v.U)
	case kInt:
		return float64(v.I)
	case kTime:
		return float64(v.I) / 1e9
	}
	return v.F
}

// negNode is unary minus.
type negNode struct {
	k   kind
	t   field.Type
	x   value
	buf []field.Value
}

func (n *negNode) eval(fr *decode.Frame) []field.Value {
	in := n.x.eval(fr)
	n.buf = n.buf[:0]
	for _, v := range in {
		switch n.k {
		case kUint, kBool:
			v.U = -v.U & typeMask(n.t)
		case kInt, kTime:
			v.I = -v.I
		case kFloat:
			v.F = -v.F
		}
		n.buf = append(n.buf, v)
	}
	return n.buf
}

// ---------------------------------------------------------------- tests

type andTest struct{ x, y test }

func (t *andTest) match(fr *decode.Frame) bool { return t.x.match(fr) && t.y.match(fr) }

type orTest struct{ x, y test }

func (t *orTest) match(fr *decode.Frame) bool { return t.x.match(fr) || t.y.match(fr) }

type notTest struct{ x test }

func (t *notTest) match(fr *decode.Frame) bool { return !t.x.match(fr) }

type trueTest struct{}

func (trueTest) match(*decode.Frame) bool { return true }

// existsTest is true when the value has at least one occurrence.
type existsTest struct{ x value }

func (t *existsTest) match(fr *decode.Frame) bool { return len(t.x.eval(fr)) > 0 }

// protoTest is the fast path for a bare protocol name.
type protoTest struct{ p decode.Proto }

// match is true when the layer is present, or quoted inside an ICMP error
// (tshark's "udp" matches the UDP header a port unreachable quotes).
func (t *protoTest) match(fr *decode.Frame) bool { return fr.Has(t.p) || fr.Quotes(t.p) }

// nonzeroTest is true when some value is not zero (a bare "x & mask").
type nonzeroTest struct {
	x value
	k kind
}

func (t *nonzeroTest) match(fr *decode.Frame) bool {
	for _, v := range t.x.eval(fr) {
		switch t.k {
		case kUint, kBool:
			if v.U != 0 {
				return true
			}
		case kInt, kTime:
			if v.I != 0 {
				return true
			}
		case kFloat:
			if v.F != 0 {
				return true
			}
		case kBytes:
			for _, c := range v.B {
				if c != 0 {
					return true
				}
			}
		default:
			return true
		}
	}
	return false
}

// cmpTest compares every value of x with every value of y. all selects the
// "all pairs" quantifier, otherwise "any pair". Either side empty: false.
type cmpTest struct {
	op     Token // EQ NE GT GE LT LE CONTAINS MATCHES (ALLEQ/ANYNE are folded into all/op)
	all    bool
	k      kind
	tx, ty field.Type
	x, y   value
	re     *regexp.Regexp
}

func (t *cmpTest) match(fr *decode.Frame) bool {
	a := t.x.eval(fr)
	if len(a) == 0 {
		return false
	}
	b := t.y.eval(fr)
	if len(b) == 0 && t.op != MATCHES {
		return false
	}
	if t.op == MATCHES {
		for i := range a {
			r := t.re.Match(a[i].B)
			if r && !t.all {
				return true
			}
			if !r && t.all {
				return false
			}
		}
		return t.all
	}
	for i := range a {
		for j := range b {
			r := t.cmp(&a[i], &b[j])
			if r && !t.all {
				return true
			}
			if !r && t.all {
				return false
			}
		}
	}
	return t.all
}

func (t *cmpTest) cmp(a, b *field.Value) bool {
	switch t.op {
	case EQ:
		return equal(t.k, t.tx, t.ty, a, b)
	case NE:
		return !equal(t.k, t.tx, t.ty, a, b)
	case CONTAINS:
		return bytes.Contains(a.B, b.B)
	}
	c := compare(t.k, t.tx, t.ty, a, b)
	switch t.op {
	case GT:
		return c > 0
	case GE:
		return c >= 0
	case LT:
		return c < 0
	case LE:
		return c <= 0
	}
	return false
}

// equal compares a (of type tx) with b (of type ty), both of kind k.
func equal(k kind, tx, ty field.Type, a, b *field.Value) bool {
	switch k {
	case kAddr:
		if b.U != 0 { // literal with a prefix
			p := netip.PrefixFrom(b.A, int(b.U-1))
			return p.Contains(a.A)
		}
		if a.U != 0 {
			p := netip.PrefixFrom(a.A, int(a.U-1))
			return p.Contains(b.A)
		}
		return a.A == b.A
	case kBytes:
		return bytes.Equal(a.B, b.B)
	case kBool:
		return (a.U != 0) == (b.U != 0)
	case kUint:
		if kindOf(ty) == kUint {
			return a.U == b.U
		}
	case kInt, kTime:
		if kindOf(ty) == kindOf(tx) {
			return a.I == b.I
		}
	case kFloat:
		if ty == field.FTDouble {
			return a.F == b.F
		}
	}
	return compare(k, tx, ty, a, b) == 0
}

// compare orders a (type tx) against b (type ty).
func compare(k kind, tx, ty field.Type, a, b *field.Value) int {
	switch k {
	case kAddr:
		return a.A.Compare(b.A)
	case kBytes:
		return bytes.Compare(a.B, b.B)
	case kBool:
		return cmp3(boolU(a.U), boolU(b.U))
	case kUint, kInt:
		kx, ky := kindOf(tx), kindOf(ty)
		if kx == kUint && ky == kUint {
			return cmp3(a.U, b.U)
		}
		if kx == kFloat || ky == kFloat {
			return cmpF(asFloat(a, tx), asFloat(b, ty))
		}
		// Mixed signed/unsigned: compare as signed, treating huge unsigned as large.
		if kx == kUint && a.U > math.MaxInt64 {
			return 1
		}
		if ky == kUint && b.U > math.MaxInt64 {
			return -1
		}
		return cmp3(asInt(a, tx), asInt(b, ty))
	case kTime:
		return cmp3(a.I, asInt(b, ty))
	case kFloat:
		return cmpF(a.F, asFloat(b, ty))
	}
	return 0
}

func boolU(u uint64) uint64 {
	if u != 0 {
		return 1
	}
	return 0
}

func cmp3[T int64 | uint64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// inTest is "x in {...}": some value of x equals an element or falls in a range.
type inTest struct {
	all   bool // "all x in {...}": every value must be in the set
	k     kind
	tx    field.Type
	x     value
	elems []setElem
}

type setElem struct {
	lo, hi value // hi nil: single value
	ty     field.Type
}

func (t *inTest) match(fr *decode.Frame) bool {
	a := t.x.eval(fr)
	if len(a) == 0 {
		return false
	}
	for i := range a {
		in := t.member(fr, &a[i])
		if in && !t.all {
			return true
		}
		if !in && t.all {
			return false
		}
	}
	return t.all
}

// member reports whether a is in the set.
func (t *inTest) member(fr *decode.Frame, a *field.Value) bool {
	for _, e := range t.elems {
		lo := e.lo.eval(fr)
		if e.hi == nil {
			for j := range lo {
				if equal(t.k, t.tx, e.ty, a, &lo[j]) {
					return true
				}
			}
			continue
		}
		hi := e.hi.eval(fr)
		for j := range lo {
			for k := range hi {
				if compare(t.k, t.tx, e.ty, a, &lo[j]) >= 0 && compare(t.k, t.tx, e.ty, a, &hi[k]) <= 0 {
					return true
				}
			}
		}
	}
	return false
}
