package serve

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
)

// TestMergedFiles: a directory of two captures is served as mergecap's
// merge of them: the same frames in the same order, with the same times,
// streams, TCP analysis and columns; a file that is no capture is not
// opened.
func TestMergedFiles(t *testing.T) {
	dir := t.TempDir()
	a, b := "../examples/fail-open.pcapng", "../examples/dns-slow.pcapng"
	for _, p := range []string{a, b} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, filepath.Base(p)), data, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a capture"), 0o644)
	merged := filepath.Join(t.TempDir(), "merged.pcapng")
	if out, err := exec.Command("mergecap", "-w", merged, a, b).CombinedOutput(); err != nil {
		t.Fatalf("mergecap: %v %s", err, out)
	}
	files, err := expandArgs([]string{dir})
	if err != nil || len(files) != 2 {
		t.Fatalf("expandArgs(dir) = %v, %v", files, err)
	}
	ours := &Capture{Files: files, ix: &index{}}
	ref := &Capture{Files: []string{merged}, ix: &index{}}
	for _, c := range []*Capture{ours, ref} {
		if err := c.ix.build(context.Background(), c.Files); err != nil {
			t.Fatal(err)
		}
	}
	if ours.ix.n() != ref.ix.n() || ours.ix.n() == 0 {
		t.Fatalf("%d frames merged, mergecap %d", ours.ix.n(), ref.ix.n())
	}
	cols := func(c *Capture) []string {
		ns := make([]uint64, c.ix.n())
		for i := range ns {
			ns[i] = uint64(i + 1)
		}
		out := make([]string, len(ns))
		var b []byte
		if err := c.decodeFrames(context.Background(), ns, func(f *decode.Frame) {
			b = appendCols(b[:0], f)
			out[f.Number-1] = string(b)
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	oc, rc := cols(ours), cols(ref)
	same := 0
	for i := range ours.ix.rows {
		o, r := ours.ix.rows[i], ref.ix.rows[i]
		var oa, ra decode.Analysis
		ours.ix.analysis(uint64(i+1), &oa)
		ref.ix.analysis(uint64(i+1), &ra)
		if o.TS == r.TS && o.Len == r.Len && o.Stream == r.Stream && oa == ra && oc[i] == rc[i] {
			same++
		} else if same+5 > i {
			t.Errorf("frame %d: %q, mergecap's %q", i+1, oc[i], rc[i])
		}
	}
	t.Logf("merged directory: %d of %d frames as mergecap's file", same, len(ours.ix.rows))
	if same != len(ours.ix.rows) {
		t.Fail()
	}
	// the cache key covers every file
	k1, _ := cacheKey(files)
	k2, _ := cacheKey(files[:1])
	if k1 == k2 {
		t.Error("the cache key does not depend on every file")
	}
}
