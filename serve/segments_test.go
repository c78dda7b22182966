package serve

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/pipeline"
)

// TestSegmentColumns: the packet list columns and colour of every segment row
// (rowSegment: kept by no text, decoded again alone with its payload
// undissected) equal the columns of the one pass in order, on the
// examples and the real corpus (WIREWATCH_WIDE=all: corpus/wide too).
func TestSegmentColumns(t *testing.T) {
	files := testCaptures(t, "../examples/*.pcap*", true)
	total, same, ctxRows := 0, 0, 0
	for _, path := range files {
		if compressed(path) {
			continue
		}
		c := &Capture{Files: []string{path}, ix: &index{}}
		if err := c.ix.build(context.Background(), c.Files); err != nil {
			continue
		}
		var segs []uint64
		for i, r := range c.ix.rows {
			if r.Bits&rowContext != 0 {
				ctxRows++
			}
			if r.Bits&rowSegment != 0 {
				if r.Bits&rowContext == 0 || r.Off == noOff {
					t.Fatalf("%s frame %d: a segment row without rowContext or offset", path, i+1)
				}
				segs = append(segs, uint64(i+1))
			}
		}
		if len(segs) == 0 {
			continue
		}
		want := map[uint64]string{}
		var cols []byte
		k := 0
		err := c.runAll(context.Background(), pipeline.Config{Warn: func(error) {}}, func(f *decode.Frame) error {
			if k < len(segs) && f.Number == segs[k] {
				k++
				want[f.Number] = string(append(appendCols(cols[:0], f), colorOf(f)))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		bad := 0
		err = c.decodeSegments(context.Background(), segs, func(f *decode.Frame) {
			total++
			got := string(append(appendCols(cols[:0], f), colorOf(f)))
			if got == want[f.Number] {
				same++
			} else if bad++; bad <= 3 {
				t.Errorf("%s frame %d: segment columns decoded again\n  got:  %q\n  want: %q", filepath.Base(path), f.Number, got, want[f.Number])
			}
		})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	t.Logf("segment rows (no text kept): %d of %d identical to the pass in order; %d context rows in all", same, total, ctxRows)
	if total == 0 || ctxRows == 0 {
		t.Fatal("no segment rows")
	}
	if same != total {
		t.Fatalf("%d segment rows differ", total-same)
	}
}
