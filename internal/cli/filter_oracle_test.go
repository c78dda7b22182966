package cli

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/filter"
	"github.com/wirewatch/wirewatch/internal/corpus"
)

// TestFiltersTsharkOracle checks the corners of the filter language against
// tshark 4.0.17's answers recorded in testdata/filters-tshark.tsv: the frames
// each filter selects on a real capture, or tshark's error message and the
// token its caret underlines.
func TestFiltersTsharkOracle(t *testing.T) {
	dir := filepath.Join(corpus.Dir(t), "real")
	defer func(l *time.Location) { time.Local = l }(time.Local)
	time.Local = time.UTC // the oracle ran with TZ=UTC
	fh, err := os.Open(filepath.Join("testdata", "filters-tshark.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	n := 0
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.HasPrefix(text, "#") || strings.HasPrefix(text, "capture\t") {
			continue
		}
		col := strings.Split(text, "\t")
		if len(col) < 3 {
			t.Fatalf("line %d: %d columns", line, len(col))
		}
		capture, expr, want := col[0], col[1], col[2]
		n++
		if msg, ok := strings.CutPrefix(want, "ERROR: "); ok {
			_, err := filter.Compile(expr, field.Std())
			var el *filter.ErrorList
			if !errors.As(err, &el) {
				t.Errorf("line %d: %s: accepted, tshark says %q", line, expr, msg)
				continue
			}
			e := el.First()
			if e.Msg != msg {
				t.Errorf("line %d: %s: message %q, tshark's %q", line, expr, e.Msg, msg)
			}
			if len(col) > 3 { // caret line
				pos := strings.IndexByte(col[3], '^')
				width := len(strings.TrimRight(col[3][pos:], " "))
				if e.Pos != pos || e.End-e.Pos != width {
					t.Errorf("line %d: %s: caret at [%d,+%d), tshark's at [%d,+%d)", line, expr, e.Pos, e.End-e.Pos, pos, width)
				}
			}
			continue
		}
		got, err := selectFrames(filepath.Join(dir, capture), expr)
		if err != nil {
			t.Errorf("line %d: %s: %v", line, expr, firstLine(err.Error()))
		} else if got != want {
			t.Errorf("line %d: %s [%s]: %s", line, expr, capture, frameDiff(got, want))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Fatalf("only %d cases read", n)
	}
}
