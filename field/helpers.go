package field

import (
	"unsafe"

	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// Constructors for the common field shapes. Each returns a Field whose Get
// appends at most one occurrence (or a fixed few) without allocating.

// uintField is an unsigned integer (also FT_FRAMENUM / FT_BOOLEAN values of 0 or 1).
func uintField(name string, t Type, base Base, p decode.Proto, get func(f *decode.Frame) (uint64, bool)) Field {
	return Field{Name: name, Type: t, Base: base, Proto: p,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if v, ok := get(f); ok {
				dst = append(dst, Value{U: v})
			}
			return dst
		}}
}

// boolField is an FT_BOOLEAN flag: present (0 or 1) whenever ok.
func boolField(name string, mask uint64, p decode.Proto, get func(f *decode.Frame) (bool, bool)) Field {
	return Field{Name: name, Type: FTBoolean, Bitmask: mask, Proto: p,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if v, ok := get(f); ok {
				u := uint64(0)
				if v {
					u = 1
				}
				dst = append(dst, Value{U: u})
			}
			return dst
		}}
}

// addrField is an FT_IPv4 / FT_IPv6 address.
func addrField(name string, t Type, p decode.Proto, get func(f *decode.Frame) (netip.Addr, bool)) Field {
	return Field{Name: name, Type: t, Proto: p,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if v, ok := get(f); ok {
				dst = append(dst, Value{A: v})
			}
			return dst
		}}
}

// bytesField is FT_BYTES, FT_ETHER or FT_STRING: the value aliases frame memory.
func bytesField(name string, t Type, p decode.Proto, get func(f *decode.Frame) ([]byte, bool)) Field {
	return Field{Name: name, Type: t, Proto: p,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if v, ok := get(f); ok {
				dst = append(dst, Value{B: v})
			}
			return dst
		}}
}

// timeField is FT_RELATIVE_TIME / FT_ABSOLUTE_TIME in ns.
func timeField(name string, t Type, p decode.Proto, get func(f *decode.Frame) (int64, bool)) Field {
	return Field{Name: name, Type: t, Proto: p,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if v, ok := get(f); ok {
				dst = append(dst, Value{I: v})
			}
			return dst
		}}
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// sbytes views s as bytes without copying; the result must not be modified.
func sbytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// WiresharkBase returns the display base column of tshark -G fields for the
// field (BASE_DEC, BASE_HEX, a bit width for booleans...), "" when unknown.
func (f *Field) WiresharkBase() string { return wsMeta[f.Name].base }
