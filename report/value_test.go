package report

import "testing"

// TestFieldStringEscapes pins what tshark 4.0.17 printed with -T fields for an
// HTTP header holding control bytes (checked live on a crafted capture):
// \b \f \n \r \t become two-character escapes, other bytes stay, a NUL ends
// the value.
func TestFieldStringEscapes(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Host: h\r\n", `Host: h\r\n`},
		{"a\tb", `a\tb`},
		{"a\x08b\x0bc\x0cd\x1be\x07f\x00g", "a\\bb\x0bc\\fd\x1be\x07f"},
		{`"q\\z`, `"q\\z`},
		{"plain", "plain"},
	} {
		if got := string(appendFieldString(nil, []byte(c.in))); got != c.want {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}
}
