package decode

import (
	"strconv"
	"time"
)

// A BER (X.690 Basic Encoding Rules) reader for the ASN.1 protocols
// Wireshark decodes on its own: Kerberos, LDAP/CLDAP, SNMP, X.509.
//
// Hand-written because no library fits: Go's encoding/asn1 accepts only DER
// (Kerberos, LDAP and SNMP are BER: long-form lengths where a short one
// would do, indefinite lengths), it unmarshals by reflection into
// allocated structs, and it stops at the first error, where a packet
// dissector must read element by element, allocate nothing per packet
// and keep what it could read of hostile or truncated input. Every read
// here is bounds-checked against the slice it is given; nothing recurses
// without a depth bound.

// BER classes.
const (
	BERUniversal   = 0
	BERApplication = 1
	BERContext     = 2
	BERPrivate     = 3
)

// Universal tags used by the dissectors.
const (
	BERTagBoolean     = 1
	BERTagInteger     = 2
	BERTagBitString   = 3
	BERTagOctetString = 4
	BERTagNull        = 5
	BERTagOID         = 6
	BERTagEnumerated  = 10
	BERTagUTF8String  = 12
	BERTagSequence    = 16
	BERTagSet         = 17
	BERTagPrintable   = 19
	BERTagT61String   = 20
	BERTagIA5String   = 22
	BERTagUTCTime     = 23
	BERTagGenTime     = 24
	BERTagBMPString   = 30
)

// BER is one element: its identifier and contents.
type BER struct {
	Class       uint8
	Constructed bool
	Tag         uint32
	// Val is the contents (for an indefinite length, without the
	// end-of-contents octets).
	Val []byte
	// Len is the length of the whole element (identifier, length and
	// contents) in the input.
	Len int
}

// Is reports whether e has class c and tag t.
func (e BER) Is(c uint8, t uint32) bool { return e.Class == c && e.Tag == t }

// berMaxDepth bounds the nesting an indefinite length is searched through.
const berMaxDepth = 32

// ReadBER reads the element at the start of b. rest is what follows it; ok
// is false when b does not hold a whole element.
func ReadBER(b []byte) (e BER, rest []byte, ok bool) {
	return readBER(b, 0)
}

func readBER(b []byte, depth int) (e BER, rest []byte, ok bool) {
	if len(b) < 2 || depth > berMaxDepth {
		return e, nil, false
	}
	id := b[0]
	e.Class, e.Constructed, e.Tag = id>>6, id&0x20 != 0, uint32(id&0x1f)
	i := 1
	if e.Tag == 0x1f {
		e.Tag = 0
		for {
			if i >= len(b) || i > 5 {
				return e, nil, false
			}
			c := b[i]
			i++
			e.Tag = e.Tag<<7 | uint32(c&0x7f)
			if c&0x80 == 0 {
				break
			}
		}
	}
	if i >= len(b) {
		return e, nil, false
	}
	l := int(b[i])
	i++
	switch {
	case l < 0x80:
	case l == 0x80:
		// Indefinite length: constructed only; the contents end with
		// two zero octets after the last inner element.
		if !e.Constructed {
			return e, nil, false
		}
		j := i
		for {
			if j+1 < len(b) && b[j] == 0 && b[j+1] == 0 {
				e.Val, e.Len = b[i:j], j+2
				return e, b[j+2:], true
			}
			_, r, ok := readBER(b[j:], depth+1)
			if !ok {
				return e, nil, false
			}
			j = len(b) - len(r)
		}
	default:
		n := l & 0x7f
		if n > 4 || i+n > len(b) {
			return e, nil, false
		}
		l = 0
		for _, c := range b[i : i+n] {
			l = l<<8 | int(c)
		}
		i += n
		if l < 0 {
			return e, nil, false
		}
	}
	if l > len(b)-i {
		return e, nil, false
	}
	e.Val, e.Len = b[i:i+l], i+l
	return e, b[i+l:], true
}

// readBERLax reads an element as Wireshark's BER dissector does when its
// length runs past the end of its container: the contents are what is
// there, and trunc says so (the packet is malformed).
func readBERLax(b []byte) (e BER, rest []byte, ok, trunc bool) {
	if e, rest, ok = ReadBER(b); ok {
		return e, rest, true, false
	}
	if len(b) < 2 || b[0]&0x1f == 0x1f {
		return e, nil, false, len(b) > 0
	}
	e.Class, e.Constructed, e.Tag = b[0]>>6, b[0]&0x20 != 0, uint32(b[0]&0x1f)
	i := 2
	if l := b[1]; l&0x80 != 0 {
		i += int(l & 0x7f)
	}
	if i > len(b) {
		return e, nil, false, true
	}
	e.Val, e.Len = b[i:], len(b)
	return e, nil, true, true
}

// BERInt reads an INTEGER's contents (at most 8 octets) as a signed value.
func BERInt(v []byte) (int64, bool) {
	if len(v) == 0 || len(v) > 8 {
		return 0, false
	}
	x := int64(int8(v[0]))
	for _, c := range v[1:] {
		x = x<<8 | int64(c)
	}
	return x, true
}

// BERUint reads an INTEGER's contents as an unsigned value (a leading zero
// octet allowed, up to 9 octets).
func BERUint(v []byte) (uint64, bool) {
	if len(v) == 0 || len(v) > 9 || len(v) == 9 && v[0] != 0 {
		return 0, false
	}
	var x uint64
	for _, c := range v {
		x = x<<8 | uint64(c)
	}
	return x, true
}

// AppendOID appends an OBJECT IDENTIFIER's contents in dotted form
// ("1.3.6.1.2.1.1.5.0"); ok false for a malformed encoding.
func AppendOID(dst, v []byte) ([]byte, bool) {
	if len(v) == 0 {
		return dst, false
	}
	var x uint64
	first := true
	for i, c := range v {
		if x > 1<<56 {
			return dst, false
		}
		x = x<<7 | uint64(c&0x7f)
		if c&0x80 != 0 {
			if i == len(v)-1 {
				return dst, false
			}
			continue
		}
		if first {
			first = false
			switch {
			case x < 40:
				dst = append(dst, '0', '.')
			case x < 80:
				dst = append(dst, '1', '.')
				x -= 40
			default:
				dst = append(dst, '2', '.')
				x -= 80
			}
		} else {
			dst = append(dst, '.')
		}
		dst = strconv.AppendUint(dst, x, 10)
		x = 0
	}
	return dst, true
}

// BERGeneralizedTime reads a GeneralizedTime ("YYYYMMDDHHMMSS[.f]Z") as ns
// since the Unix epoch (UTC).
func BERGeneralizedTime(v []byte) (int64, bool) {
	if len(v) < 15 || v[len(v)-1] != 'Z' {
		return 0, false
	}
	return berTime(v[:len(v)-1], 4)
}

// BERUTCTime reads a UTCTime ("YYMMDDHHMMSSZ") as ns since the Unix epoch;
// years 50-99 are 19xx as X.509 says.
func BERUTCTime(v []byte) (int64, bool) {
	if len(v) < 13 || v[len(v)-1] != 'Z' {
		return 0, false
	}
	return berTime(v[:len(v)-1], 2)
}

func berTime(v []byte, ylen int) (int64, bool) {
	num := func(b []byte) (int, bool) {
		n := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	if len(v) < ylen+10 {
		return 0, false
	}
	var f [6]int
	y, ok := num(v[:ylen])
	if !ok {
		return 0, false
	}
	if ylen == 2 {
		if y < 50 {
			y += 2000
		} else {
			y += 1900
		}
	}
	for i := range 5 {
		o := ylen + 2*i
		if f[i], ok = num(v[o : o+2]); !ok {
			return 0, false
		}
	}
	var ns int64
	if rest := v[ylen+10:]; len(rest) > 0 {
		if rest[0] != '.' && rest[0] != ',' || len(rest) < 2 || len(rest) > 10 {
			return 0, false
		}
		fr, ok := num(rest[1:])
		if !ok {
			return 0, false
		}
		ns = int64(fr)
		for range 9 - (len(rest) - 1) {
			ns *= 10
		}
	}
	t := time.Date(y, time.Month(f[0]), f[1], f[2], f[3], f[4], 0, time.UTC)
	return t.Unix()*1e9 + ns, true
}

// OIDText returns the dotted form of an OBJECT IDENTIFIER's contents v,
// kept in the frame's scratch memory (valid until the next Decode); nil
// for a malformed encoding.
func (f *Frame) OIDText(v []byte) []byte {
	return f.scratchText(v, AppendOID)
}

// scratchText returns what app appends for v, kept in the frame's scratch
// memory (valid until the next Decode); nil when app fails.
func (f *Frame) scratchText(v []byte, app func(dst, v []byte) ([]byte, bool)) []byte {
	start := len(f.scratch)
	var ok bool
	if f.scratch, ok = app(f.scratch, v); !ok {
		f.scratch = f.scratch[:start]
		return nil
	}
	return f.scratchFrom(start)
}
