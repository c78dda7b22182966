package decode

import (
	"bytes"
	"strconv"
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

// FuzzAppendUint: AppendUint writes what strconv.AppendUint writes, after
// whatever dst held, with and without spare room.
func FuzzAppendUint(f *testing.F) {
	for _, v := range []uint64{0, 9, 10, 99, 100, 65535, 4294967295, 1<<63 + 5, ^uint64(0)} {
		f.Add(v, 3)
	}
	f.Fuzz(func(t *testing.T, v uint64, room int) {
		room = max(0, min(room, 32))
		dst := append(make([]byte, 0, 2+room), "x "...)
		got := AppendUint(dst, v)
		want := strconv.AppendUint([]byte("x "), v, 10)
		if !bytes.Equal(got, want) {
			t.Fatalf("AppendUint(%d) = %q, want %q", v, got, want)
		}
	})
}
