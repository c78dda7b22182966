package filter

import "testing"

// A relative-time literal is read exactly to the nanosecond, as Wireshark
// reads it: an epoch time has more digits than a float64 keeps.
func TestParseRelTimeExact(t *testing.T) {
	for _, c := range []struct {
		in string
		ns int64
		ok bool
	}{
		{"1795638664.715127701", 1795638664715127701, true},
		{"1795638664.715127700", 1795638664715127700, true},
		{"-0.5", -500000000, true},
		{".25", 250000000, true},
		{"3.", 3000000000, true},
		{"0.0000000015", 2, true},
		{"1e3", 0, false},
		{".", 0, false},
		{"1.2.3", 0, false},
		{"", 0, false},
	} {
		ns, ok := parseRelTime(c.in)
		if ok != c.ok || ok && ns != c.ns {
			t.Errorf("parseRelTime(%q) = %d, %v; want %d, %v", c.in, ns, ok, c.ns, c.ok)
		}
	}
}
