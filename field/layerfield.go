package field

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// Field shapes for the dissectors whose decoders keep only a Layer (see
// decode/dissect.go): each Get finds the protocol's bytes in the frame and
// parses what it needs from them, allocating nothing.

// layerBytes returns the bytes of p's first layer in f.
func layerBytes(f *decode.Frame, p decode.Proto) ([]byte, bool) {
	if !f.Has(p) {
		return nil, false
	}
	l, ok := f.Layer(p)
	if !ok {
		return nil, false
	}
	return f.LayerBytes(l), true
}

// beUint reads n (1..8) big-endian bytes of b at off; ok false when b is too short.
func beUint(b []byte, off, n int) (uint64, bool) {
	if off < 0 || off+n > len(b) {
		return 0, false
	}
	var v uint64
	for _, c := range b[off : off+n] {
		v = v<<8 | uint64(c)
	}
	return v, true
}

// eachLayer calls fn with the bytes of every layer of p in f, in frame
// order (one unless a tunnel repeats p: decode.Frame.Repeated).
func eachLayer(f *decode.Frame, p decode.Proto, fn func(b []byte)) {
	if !f.Has(p) {
		return
	}
	if !f.Repeated.Has(p) {
		if b, ok := layerBytes(f, p); ok {
			fn(b)
		}
		return
	}
	for _, l := range f.Layers {
		if l.Proto == p {
			fn(f.LayerBytes(l))
		}
	}
}

// layerUint is an unsigned field of n bytes at offset off of p's layers
// (every occurrence), masked with mask and shifted right by the mask's
// trailing zeros.
func layerUint(name string, t Type, base Base, p decode.Proto, off, n int, mask uint64) Field {
	shift := 0
	if mask != 0 {
		for mask>>shift&1 == 0 {
			shift++
		}
	}
	fl := Field{Name: name, Type: t, Base: base, Proto: p,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachLayer(f, p, func(b []byte) {
				if v, ok := beUint(b, off, n); ok {
					if mask != 0 {
						v = v & mask >> shift
					}
					dst = append(dst, Value{U: v})
				}
			})
			return dst
		}}
	if t == FTBoolean {
		fl.Bitmask = mask
	}
	return fl
}

// layerAddr4 is an IPv4 address at offset off of p's layer.
func layerAddr4(name string, p decode.Proto, off int) Field {
	return addrField(name, FTIPv4, p, func(f *decode.Frame) (netip.Addr, bool) {
		b, ok := layerBytes(f, p)
		if !ok || off+4 > len(b) {
			return netip.Addr{}, false
		}
		return netip.AddrFrom4([4]byte(b[off : off+4])), true
	})
}

// addr4 returns the IPv4 address in the first 4 bytes of b.
func addr4(b []byte) netip.Addr { return netip.AddrFrom4([4]byte(b[:4])) }

// cstr returns b up to its first NUL byte.
func cstr(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i]
		}
	}
	return b
}

// addr16 returns the IPv6 address in the first 16 bytes of b.
func addr16(b []byte) netip.Addr { return netip.AddrFrom16([16]byte(b[:16])) }
