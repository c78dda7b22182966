package serve

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/detail"
	"github.com/wirewatch/wirewatch/pipeline"
)

// TestAnalysisFields: the index encodes every field of decode.Analysis
// (a field added there must be added to anValues and readAnalysis).
func TestAnalysisFields(t *testing.T) {
	n := 0
	ty := reflect.TypeOf(decode.Analysis{})
	for i := range ty.NumField() {
		if f := ty.Field(i); f.Type.Kind() == reflect.Array {
			n += f.Type.Len()
		} else {
			n++
		}
	}
	if n != anFields {
		t.Fatalf("decode.Analysis has %d values, the index encodes %d", n, anFields)
	}
}

// TestFramesAgain: every frame read again by decodeFrames (alone from its
// offset with the analysis the index keeps, or after its stream's frames)
// has the details tree, the list columns and the colour the one pass in order gives
// (read -V), on the examples and the real corpus.
func TestFramesAgain(t *testing.T) {
	files := testCaptures(t, "../examples/*.pcapng", true)
	total, same, alone := 0, 0, 0
	for _, path := range files {
		if compressed(path) {
			continue
		}
		c := &Capture{Files: []string{path}, ix: &index{}}
		if err := c.ix.build(context.Background(), c.Files); err != nil {
			continue // damaged captures: the frames before the damage only
		}
		bo := detail.Options{PcapNG: strings.HasPrefix(c.ix.format, "pcapng"), Interfaces: c.ix.ifaces}
		var want []string
		var wantCols []string
		var cols []byte
		err := c.runAll(context.Background(), pipeline.Config{Warn: func(error) {}}, func(f *decode.Frame) error {
			want = append(want, treeText(f, bo))
			cols = appendCols(cols[:0], f)
			cols = append(cols, colorOf(f))
			wantCols = append(wantCols, string(cols))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		ns := make([]uint64, len(want))
		for i := range ns {
			ns[i] = uint64(i + 1)
		}
		bad := 0
		err = c.decodeFrames(context.Background(), ns, func(f *decode.Frame) {
			n := f.Number
			total++
			got := treeText(f, bo)
			cols = appendCols(cols[:0], f)
			cols = append(cols, colorOf(f))
			if r := c.ix.rows[n-1]; r.Bits&rowContext == 0 {
				alone++
			} else if w := wantCols[n-1]; r.Color != colourLater && r.Color != w[len(w)-1] {
				t.Errorf("%s frame %d: colour %d in the index, %d in the pass", filepath.Base(path), n, r.Color, w[len(w)-1])
			}
			if got == want[n-1] && string(cols) == wantCols[n-1] {
				same++
			} else if bad++; bad <= 3 {
				t.Logf("%s frame %d read again differs:\n%s", filepath.Base(path), n, firstDiff(got, want[n-1]))
			}
		})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	t.Logf("frames read again: %d of %d identical to the pass in order (%d decoded alone, the rest after their stream)", same, total, alone)
	switch {
	case total == 0:
		t.Fatal("no capture")
	case os.Getenv("WIREWATCH_WIDE") == "all" && same*1000 < total*999:
		t.Fatalf("under 99.9%% of the frames read again are identical")
	case os.Getenv("WIREWATCH_WIDE") != "all" && same != total:
		t.Fatalf("%d frames read again differ", total-same)
	}
}

func treeText(f *decode.Frame, bo detail.Options) string {
	var t detail.Tree
	detail.Build(&t, f, bo)
	var b strings.Builder
	for _, nd := range t.Nodes {
		b.WriteString(strings.Repeat(" ", nd.Depth))
		b.WriteString(nd.Label)
		b.WriteByte('\n')
	}
	return b.String()
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "  got:  " + x + "\n  want: " + y
		}
	}
	return "(same tree, other columns)"
}
