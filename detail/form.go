package detail

import (
	"net/url"
	"strings"
)

// urlencodedForm adds tshark's "HTML Form URL Encoded" tree for an HTTP
// body of type application/x-www-form-urlencoded: one item per key=value
// pair, percent- and plus-decoded.
func (b *Builder) urlencodedForm(data []byte, ctype string) {
	b.depth = 0
	b.Open("urlencoded-form", -1, 0, "HTML Form URL Encoded: "+ctype)
	for _, pair := range strings.Split(string(data), "&") {
		k, v, _ := strings.Cut(pair, "=")
		k, v = formUnescape(k), formUnescape(v)
		b.Open("urlencoded-form", -1, 0, cutLabel(`Form item: "`+k+`" = "`+v+`"`))
		b.Add("urlencoded-form.key", -1, 0, truncLabel("Key: "+k, len("Key")))
		b.Add("urlencoded-form.value", -1, 0, truncLabel("Value: "+v, len("Value")))
		b.Close()
	}
	b.Close()
}

func formUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// cutLabel cuts a text label to Wireshark's 239 bytes (no marker).
func cutLabel(s string) string {
	if len(s) <= 239 {
		return s
	}
	s = s[:239]
	for len(s) > 0 && s[len(s)-1]&0xc0 == 0x80 {
		s = s[:len(s)-1]
	}
	if len(s) > 0 && s[len(s)-1] >= 0xc0 {
		s = s[:len(s)-1]
	}
	return s
}
