package serve

import (
	"testing"

	"github.com/wirewatch/wirewatch/field"
)

// FuzzFilterLiteral: any string or bytes value written as a display-filter
// literal compiles ("Apply as filter" on a hostile capture's field).
func FuzzFilterLiteral(f *testing.F) {
	for _, s := range []string{"", "GET", `a"b\c`, "\x00\xff\r\n", "<script>alert(1)</script>", "é\u2028", "\\x41"} {
		f.Add([]byte(s))
	}
	str := field.Std().Lookup("http.request.uri")
	byt := field.Std().Lookup("data.data")
	f.Fuzz(func(t *testing.T, b []byte) {
		if lit := filterLiteral(str, field.Value{B: b}); lit == "" || !validFilter("http.request.uri == "+lit) {
			t.Errorf("%q: literal %s does not compile", b, lit)
		}
		if byt != nil && len(b) > 0 {
			if lit := filterLiteral(byt, field.Value{B: b}); !validFilter("data.data == " + lit) {
				t.Errorf("%q: bytes literal %s does not compile", b, lit)
			}
		}
	})
}

func validFilter(expr string) bool {
	_, el, _ := checkFilter(expr)
	return el == nil
}
