package decode

import (
	"bytes"
	"testing"
)

// FuzzDisplaySafe: DisplaySafe(s) is true exactly when AppendDisplayText
// leaves s unchanged (the writers' fast path may skip the escaping copy
// only then).
func FuzzDisplaySafe(f *testing.F) {
	for _, s := range []string{"", "abc", "1 → 2 [SYN]", "GET /\x1b[2J", "\xe2\x86", "\xe2\x86\x92\xe2\x80\x8e",
		"a\u202eb", "日本語", "\xff\xfe", "\u0085", "tab\there", "\x7f", "→→", "\xe2\x86\x93"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, s []byte) {
		same := bytes.Equal(AppendDisplayText(nil, s), s)
		if got := DisplaySafe(s); got != same {
			t.Fatalf("DisplaySafe(%q) = %v, AppendDisplayText leaves it unchanged: %v", s, got, same)
		}
	})
}
