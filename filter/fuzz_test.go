package filter

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/internal/corpus"
)

// FuzzFilter runs the scanner, parser, check pass and compiler on arbitrary
// text, then evaluates what compiles on the test frames. Nothing may panic;
// an accepted filter's String must compile again and print the same; a
// rejected one must say where. Seeds: testdata/fuzz/FuzzFilter, the filters
// of the unit tests, and the corpus's display-filters.tsv when present.
func FuzzFilter(f *testing.F) {
	for _, s := range printerCases {
		f.Add(s)
	}
	// The layer operator and arithmetic inside functions (issue 15).
	for _, s := range []string{"ip.dst#2 == 1.2.3.4", "vlan.id#2 > vlan.id#1", "ip.src#", "ip.src#0", "ip.addr#12x",
		"abs(tcp.srcport - tcp.dstport) > 1000", "tcp.srcport - tcp.dstport == -5", "{ip.ttl + 250} == 58"} {
		f.Add(s)
	}
	if dir := os.Getenv("WIREWATCH_CORPUS"); dir != "" || corpusPresent() {
		for _, s := range corpusFilters(f) {
			f.Add(s)
		}
	}
	regs := []*field.Registry{testRegistry(), field.Std()}
	frames := testFrames()
	f.Fuzz(func(t *testing.T, expr string) {
		for _, reg := range regs {
			fl, err := Compile(expr, reg)
			if err != nil {
				el, ok := err.(*ErrorList)
				if !ok || len(el.Errors) == 0 {
					t.Fatalf("Compile(%q): error %T %v is not a non-empty *ErrorList", expr, err, err)
				}
				e := el.First()
				if e.Pos < 0 || e.End < e.Pos || e.End > len(expr)+1 || e.Msg == "" {
					t.Fatalf("Compile(%q): error %q at [%d,%d) outside the filter", expr, e.Msg, e.Pos, e.End)
				}
				_ = el.Error()
				continue
			}
			for _, fr := range frames {
				fl.Match(fr)
			}
			s := fl.String()
			fl2, err := Compile(s, reg)
			if err != nil {
				t.Fatalf("Compile(%q) ok, but its String %q does not compile: %v", expr, s, err)
			}
			if s2 := fl2.String(); s2 != s {
				t.Fatalf("String not stable: %q -> %q -> %q", expr, s, s2)
			}
			for _, fr := range frames {
				if fl.Match(fr) != fl2.Match(fr) {
					t.Fatalf("%q and its String %q select different frames", expr, s)
				}
			}
		}
	})
}

func corpusPresent() bool {
	_, err := os.Stat(filepath.Join("..", "..", "shared", "corpus", "display-filters.tsv"))
	return err == nil
}

// corpusFilters returns the filter column of display-filters.tsv.
func corpusFilters(tb testing.TB) []string {
	fh, err := os.Open(filepath.Join(corpus.Dir(tb), "display-filters.tsv"))
	if err != nil {
		return nil
	}
	defer fh.Close()
	var out []string
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		if cols := strings.Split(sc.Text(), "\t"); len(cols) > 1 && cols[1] != "filter" {
			out = append(out, cols[1])
		}
	}
	return out
}
