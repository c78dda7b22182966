package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/filter"
	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/pipeline"
)

// dfRow is one line of ../shared/corpus/display-filters.tsv.
type dfRow struct {
	line          int
	capture, expr string
	frames        string // comma-separated frame numbers tshark selected
	tsharkErr     string // tshark's error (newlines turned into spaces), "" for valid filters
}

func readDisplayFilters(t testing.TB) []dfRow {
	path := filepath.Join(corpus.Dir(t), "display-filters.tsv")
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var rows []dfRow
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<22)
	for n := 1; sc.Scan(); n++ {
		if n == 1 {
			continue // header
		}
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 5 {
			t.Fatalf("%s:%d: %d columns, want 5", path, n, len(f))
		}
		rows = append(rows, dfRow{line: n, capture: f[0], expr: f[1], frames: f[3], tsharkErr: f[4]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// tsharkCaret splits a tshark error into its message and the byte range its
// caret line underlines (-1 when it has none).
func tsharkCaret(msg, expr string) (text string, pos, width int) {
	msg = strings.TrimPrefix(msg, "tshark: ")
	i := strings.Index(msg, "     "+expr+" ")
	if i < 0 {
		return strings.TrimSpace(msg), -1, 0
	}
	caret := msg[i+5+len(expr)+1:]
	caret = strings.TrimPrefix(caret, "    ")
	pos = strings.IndexByte(caret, '^')
	if pos < 0 {
		return msg[:i], -1, 0
	}
	width = 1
	for pos+width < len(caret) && caret[pos+width] == '~' {
		width++
	}
	return msg[:i], pos, width
}

// selectFrames runs the whole pipeline (capture.Open → decode → flow →
// filter) and returns the numbers of the frames the filter displays.
func selectFrames(path, expr string) (string, error) {
	var got []string
	env := &Env{Ctx: context.Background(), Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}
	err := runFile(env, path, pipeline.Config{Filter: expr}, func(f *decode.Frame) error {
		got = append(got, strconv.FormatUint(f.Number, 10))
		return nil
	})
	return strings.Join(got, ","), err
}

// missingName returns the name a filter error says is unknown, or "".
func missingName(err error) string {
	var el *filter.ErrorList
	if !errors.As(err, &el) {
		return ""
	}
	m := el.First().Msg
	switch {
	case strings.HasSuffix(m, " is neither a field nor a protocol name."):
		return strings.TrimSuffix(m, " is neither a field nor a protocol name.")
	case strings.HasPrefix(m, "Left side of "):
		if i := strings.LastIndex(m, ", not "); i >= 0 {
			return strings.TrimSuffix(m[i+6:], ".")
		}
	}
	return ""
}

// TestDisplayFiltersAgainstTshark is the differential test of issue 3: every
// valid filter of the corpus must select the frames tshark 4.0.17 selected
// (at least 97% of them exactly), and every filter tshark rejects must be
// rejected with exit status 2 and a message pointing at the same token.
func TestDisplayFiltersAgainstTshark(t *testing.T) {
	rows := readDisplayFilters(t)
	dir := filepath.Join(corpus.Dir(t), "real")
	// The oracle ran with TZ=UTC; absolute times without a zone are local.
	defer func(l *time.Location) { time.Local = l }(time.Local)
	time.Local = time.UTC
	valid, agree := 0, 0
	missing := map[string][]string{} // unknown field -> filters
	var disagreements []string
	for _, r := range rows {
		path := filepath.Join(dir, r.capture)
		if r.tsharkErr != "" {
			var stdout, stderr bytes.Buffer
			code := Main(context.Background(), []string{"read", "-r", path, "-Y", r.expr}, nil, &stdout, &stderr)
			want, wpos, wwidth := tsharkCaret(r.tsharkErr, r.expr)
			got := stderr.String()
			_, cerr := filter.Compile(r.expr, field.Std())
			var el *filter.ErrorList
			switch {
			case code != ExitUsage:
				t.Errorf("line %d: %s: exit status %d, want %d (tshark: %s)", r.line, r.expr, code, ExitUsage, want)
			case !strings.Contains(got, want):
				t.Errorf("line %d: %s: message\n%s\nwant %q", r.line, r.expr, got, want)
			case !errors.As(cerr, &el):
				t.Errorf("line %d: %s: Compile error %v is not an *filter.ErrorList", r.line, r.expr, cerr)
			case wpos >= 0 && (el.First().Pos != wpos || el.First().End-el.First().Pos != wwidth):
				t.Errorf("line %d: %s: caret at [%d,+%d), tshark's at [%d,+%d)", r.line, r.expr, el.First().Pos, el.First().End-el.First().Pos, wpos, wwidth)
			}
			continue
		}
		valid++
		got, err := selectFrames(path, r.expr)
		switch {
		case err != nil:
			_, cerr := filter.Compile(r.expr, field.Std())
			if name := missingName(cerr); name != "" {
				missing[name] = append(missing[name], r.expr)
			}
			disagreements = append(disagreements, fmt.Sprintf("line %d: %s [%s]: error: %v", r.line, r.expr, r.capture, firstLine(err.Error())))
		case got != r.frames:
			disagreements = append(disagreements, fmt.Sprintf("line %d: %s [%s]: %s", r.line, r.expr, r.capture, frameDiff(got, r.frames)))
		default:
			agree++
		}
	}
	for _, d := range disagreements {
		t.Log("DISAGREE " + d)
	}
	names := make([]string, 0, len(missing))
	for n := range missing {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Logf("MISSING field %s (used by %d filters, e.g. %s)", n, len(missing[n]), missing[n][0])
	}
	pct := 100 * float64(agree) / float64(max(valid, 1))
	t.Logf("AGREEMENT %d/%d valid filters (%.1f%%) select exactly tshark's frames", agree, valid, pct)
	if pct < 97 {
		t.Errorf("agreement %.1f%% < 97%%: see the DISAGREE lines", pct)
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// frameDiff describes how two frame lists differ: counts and a few extra
// and missing frame numbers.
func frameDiff(got, want string) string {
	split := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, x := range strings.Split(s, ",") {
			if x != "" {
				m[x] = true
			}
		}
		return m
	}
	g, w := split(got), split(want)
	var extra, miss []string
	for x := range g {
		if !w[x] {
			extra = append(extra, x)
		}
	}
	for x := range w {
		if !g[x] {
			miss = append(miss, x)
		}
	}
	num := func(a []string) []string {
		sort.Slice(a, func(i, j int) bool { x, _ := strconv.Atoi(a[i]); y, _ := strconv.Atoi(a[j]); return x < y })
		if len(a) > 8 {
			a = append(a[:8:8], "...")
		}
		return a
	}
	return fmt.Sprintf("got %d frames, tshark %d; extra %v; missing %v", len(g), len(w), num(extra), num(miss))
}
