package serve

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
)

// TestIndexCache: an index saved and loaded again gives the same rows,
// column texts and reports; a changed file gets another cache key.
func TestIndexCache(t *testing.T) {
	const path = "../examples/fail-open.pcapng"
	var ix index
	if err := ix.build(context.Background(), []string{path}); err != nil {
		t.Fatal(err)
	}
	if ix.n() == 0 || len(ix.reports) != len(reportNames) {
		t.Fatalf("built %d rows, %d reports", ix.n(), len(ix.reports))
	}
	file := filepath.Join(t.TempDir(), "x.idx")
	if err := ix.save(file); err != nil {
		t.Fatal(err)
	}
	var back index
	if err := back.load(file); err != nil {
		t.Fatal(err)
	}
	if back.n() != ix.n() || back.first != ix.first {
		t.Fatalf("loaded %d rows, want %d", back.n(), ix.n())
	}
	for i := range ix.rows {
		if back.rows[i] != ix.rows[i] {
			t.Fatalf("row %d: %+v, want %+v", i, back.rows[i], ix.rows[i])
		}
		a1, a2, a3, a4, _ := ix.text(uint64(i + 1))
		b1, b2, b3, b4, _ := back.text(uint64(i + 1))
		if !bytes.Equal(a1, b1) || !bytes.Equal(a2, b2) || !bytes.Equal(a3, b3) || !bytes.Equal(a4, b4) {
			t.Fatalf("row %d columns differ", i)
		}
		var x, y decode.Analysis
		ix.analysis(uint64(i+1), &x)
		back.analysis(uint64(i+1), &y)
		if x != y {
			t.Fatalf("row %d analysis differs", i)
		}
	}
	for name, d := range ix.reports {
		if !bytes.Equal(back.reports[name], d) {
			t.Errorf("report %s differs after the cache", name)
		}
	}
	// Another file (a copy with another mtime/path) has another key.
	k1, _ := cacheKey([]string{path})
	cp := filepath.Join(t.TempDir(), "copy.pcapng")
	b, _ := os.ReadFile(path)
	os.WriteFile(cp, b, 0o644)
	if k2, _ := cacheKey([]string{cp}); k1 == k2 {
		t.Error("a copy of the capture has the same cache key")
	}
}

// FuzzIndexLoad: a damaged or hostile cache file is an error, never a
// panic or an index whose rows point outside their texts.
func FuzzIndexLoad(f *testing.F) {
	var ix index
	if err := ix.build(context.Background(), []string{"../examples/dns-slow.pcapng"}); err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	good := filepath.Join(dir, "good.idx")
	if err := ix.save(good); err != nil {
		f.Fatal(err)
	}
	b, _ := os.ReadFile(good)
	f.Add(b)
	f.Add(b[:len(b)/2])
	f.Add(cacheMagic)
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.idx")
		os.WriteFile(p, data, 0o644)
		var x index
		if x.load(p) != nil {
			return
		}
		var a decode.Analysis
		for i := range x.rows {
			x.text(uint64(i + 1))
			x.analysis(uint64(i+1), &a)
		}
	})
}
