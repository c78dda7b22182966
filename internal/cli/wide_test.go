package cli

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/internal/testenv"
	"github.com/wirewatch/wirewatch/internal/tshark"
)

// The wide-corpus differential harness (issue 15): ../shared/corpus/wide has
// no stored oracle, so tshark runs live (cached by internal/tshark, keyed by
// the capture's hash and tshark's version).
//
//	WIREWATCH_WIDE=all            every capture (default: a fixed quarter, chosen by a hash of the file name)
//	WIREWATCH_WIDE_FILES=REGEXP   only the captures whose names match
//	WIREWATCH_WIDE_FIELD=a,b      print every differing cell of these fields
//	WIREWATCH_WIDE_LIST=N         print up to N differing packet-list lines (default 15)
//
// e.g. WIREWATCH_WIDE=all WIREWATCH_WIDE_FIELD=dns.flags.authenticated go test ./internal/cli -run TestWide -v

// wideCaptures returns the captures of corpus/wide the run covers, from MANIFEST.tsv.
func wideCaptures(t *testing.T) (dir string, names []string) {
	t.Helper()
	testenv.Tool(t, "tshark")
	if v, err := tshark.Version(); err != nil || !strings.Contains(v, "TShark (Wireshark) 4.0.") {
		t.Skipf("SKIP: field formats are pinned to tshark 4.0 (have %q, %v)", v, err)
	}
	dir = filepath.Join(corpus.Dir(t), "wide")
	b, err := os.ReadFile(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	all := os.Getenv("WIREWATCH_WIDE") == "all"
	var re *regexp.Regexp
	if s := os.Getenv("WIREWATCH_WIDE_FILES"); s != "" {
		re = regexp.MustCompile(s)
		all = true
	}
	for i, l := range strings.Split(string(b), "\n") {
		name, _, _ := strings.Cut(l, "\t")
		if i == 0 || name == "" {
			continue
		}
		if re != nil && !re.MatchString(name) {
			continue
		}
		if !all {
			h := fnv.New32a()
			h.Write([]byte(name))
			if h.Sum32()%4 != 0 {
				continue
			}
		}
		names = append(names, name)
	}
	return dir, names
}

// prefetch runs fn on every capture with two workers (tshark is the slow part).
func prefetch(names []string, fn func(string)) {
	var wg sync.WaitGroup
	ch := make(chan string)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range ch {
				fn(n)
			}
		}()
	}
	for _, n := range names {
		ch <- n
	}
	close(ch)
	wg.Wait()
}

type wideCell struct {
	capture    string
	frame      int
	want, got  string
	otherCells int
}

// TestWideFieldsMatchTshark compares every field wirewatch registers (that
// tshark 4.0 knows), every occurrence, on every capture of corpus/wide tshark
// reads: the non-empty cells of read -T fields -E occurrence=a must equal
// tshark's. Captures tshark refuses must be refused with a non-zero exit.
func TestWideFieldsMatchTshark(t *testing.T) {
	dir, caps := wideCaptures(t)
	var names, unknown []string
	for _, f := range field.Std().All() {
		if f.Type == field.FTProtocol {
			continue
		}
		ok, err := tshark.Known(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			names = append(names, f.Name)
		} else {
			unknown = append(unknown, f.Name)
		}
	}
	if len(unknown) > 0 {
		t.Logf("not in tshark 4.0, not compared: %s", strings.Join(unknown, " "))
	}
	show := map[string]bool{}
	for _, n := range strings.Split(os.Getenv("WIREWATCH_WIDE_FIELD"), ",") {
		if n != "" {
			show[n] = true
		}
	}
	results := map[string]*tshark.Result{}
	var mu sync.Mutex
	prefetch(caps, func(c string) {
		r, err := tshark.Fields(filepath.Join(dir, c), names)
		if err != nil {
			t.Errorf("%s: %v", c, err)
			return
		}
		mu.Lock()
		results[c] = r
		mu.Unlock()
	})
	type score struct {
		cells, equal int
		perCap       map[string]int
		first        wideCell
	}
	scores := make([]score, len(names))
	args := []string{"read", "-T", "fields", "-E", "occurrence=a"}
	for _, n := range names {
		args = append(args, "-e", n)
	}
	frames, refused := 0, 0
	var shown []string
	for _, c := range caps {
		want := results[c]
		if want == nil {
			continue
		}
		path := filepath.Join(dir, c)
		var out, errb bytes.Buffer
		code := Main(context.Background(), append(append([]string{}, args...), path), nil, &out, &errb)
		if want.Exit != 0 {
			refused++
			if code == 0 {
				t.Errorf("%s: tshark refuses it (exit %d: %s); wirewatch exit 0", c, want.Exit, firstLine(want.Stderr))
			}
		} else if code != 0 {
			t.Errorf("%s: exit %d: %s", c, code, firstLine(errb.String()))
		}
		var rows [][]string
		for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
			if l == "" && out.Len() == 0 {
				break
			}
			rows = append(rows, strings.Split(l, "\t"))
		}
		if len(rows) != want.Frames {
			t.Errorf("%s: %d rows, tshark %d", c, len(rows), want.Frames)
		}
		frames += want.Frames
		for r := 0; r < max(len(rows), want.Frames); r++ {
			var row []string
			if r < len(rows) {
				row = rows[r]
			}
			if row != nil && len(row) != len(names) {
				t.Errorf("%s: row %d has %d columns, want %d (an unescaped tab or newline?)", c, r+1, len(row), len(names))
				row = nil
			}
			for i, n := range names {
				var w, g string
				if col := want.Cols[n]; r < len(col) {
					w = col[r]
				}
				if row != nil {
					g = row[i]
				}
				if w == "" && g == "" {
					continue
				}
				s := &scores[i]
				s.cells++
				if w == g {
					s.equal++
					continue
				}
				if s.perCap == nil {
					s.perCap = map[string]int{}
					s.first = wideCell{capture: c, frame: r + 1, want: w, got: g}
				}
				s.perCap[c]++
				if show[n] {
					shown = append(shown, fmt.Sprintf("%s %s frame %d: tshark %q, wirewatch %q", n, c, r+1, w, g))
				}
			}
		}
	}
	// The per-field table: fields with non-empty cells, worst first.
	order := make([]int, 0, len(names))
	total, equal, silent := 0, 0, 0
	for i := range names {
		total += scores[i].cells
		equal += scores[i].equal
		if scores[i].cells == 0 {
			silent++
			continue
		}
		order = append(order, i)
	}
	sort.SliceStable(order, func(a, b int) bool {
		da, db := scores[order[a]].cells-scores[order[a]].equal, scores[order[b]].cells-scores[order[b]].equal
		if da != db {
			return da > db
		}
		return names[order[a]] < names[order[b]]
	})
	var tab strings.Builder
	fmt.Fprintf(&tab, "\n%-44s %9s %9s %9s  %s\n", "field", "non-empty", "equal", "%", "first difference (capture frame: tshark | wirewatch) [captures]")
	for _, i := range order {
		s := scores[i]
		fmt.Fprintf(&tab, "%-44s %9d %9d %9.3f", names[i], s.cells, s.equal, 100*float64(s.equal)/float64(s.cells))
		if s.perCap != nil {
			fmt.Fprintf(&tab, "  %s %d: %q | %q [%d]", s.first.capture, s.first.frame, clip(s.first.want), clip(s.first.got), len(s.perCap))
		}
		tab.WriteByte('\n')
	}
	pct := 100 * float64(equal) / float64(max(total, 1))
	fmt.Fprintf(&tab, "%-44s %9d %9d %9.3f\n", "ALL", total, equal, pct)
	t.Log(tab.String())
	t.Logf("corpus/wide: %d captures (%d refused by tshark), %d frames, %d fields compared (%d never non-empty): %d of %d non-empty cells equal (%.3f%%)",
		len(caps), refused, frames, len(names), silent, equal, total, pct)
	for _, s := range shown {
		t.Log(s)
	}
	// Floor: the agreement measured when the harness landed; issue 15's target is 99.5%.
	if pct < wideFieldFloor {
		t.Errorf("%.3f%% of non-empty cells equal, floor %.2f%% (target 99.5%%)", pct, wideFieldFloor)
	}
	for i, n := range names {
		if fl, ok := wideFieldFloors[n]; ok && scores[i].cells > 0 {
			if p := 100 * float64(scores[i].equal) / float64(scores[i].cells); p < fl {
				t.Errorf("%s: %.3f%% of non-empty cells equal, floor %.2f%%", n, p, fl)
			}
		}
	}
}

// wideFieldFloors are floors of single fields whose classes were fixed
// across captures (cross-cutting: expert items, TCP analysis), so that a
// regression in one shows even while the global figure holds.
var wideFieldFloors = map[string]float64{
	"_ws.expert.severity":           pick(85, 91.5),
	"_ws.expert.group":              pick(85, 91.5),
	"tcp.analysis.duplicate_ack":    pick(100, 100),
	"tcp.analysis.flags":            pick(100, 100),
	"tcp.analysis.retransmission":   pick(100, 100),
	"tcp.analysis.lost_segment":     pick(100, 100),
	"tcp.analysis.ack_lost_segment": pick(100, 100),
}

// TestWidePacketListMatchesTshark compares read's packet list with
// tshark -n -r, line by line, on the captures of corpus/wide tshark reads.
func TestWidePacketListMatchesTshark(t *testing.T) {
	dir, caps := wideCaptures(t)
	results := map[string]*tshark.Result{}
	var mu sync.Mutex
	prefetch(caps, func(c string) {
		r, err := tshark.List(filepath.Join(dir, c))
		if err != nil {
			t.Errorf("%s: %v", c, err)
			return
		}
		mu.Lock()
		results[c] = r
		mu.Unlock()
	})
	limit := 15
	if s := os.Getenv("WIREWATCH_WIDE_LIST"); s != "" {
		limit, _ = strconv.Atoi(s)
	}
	total, same := 0, 0
	byProto := map[string]int{} // tshark's Protocol column of differing lines
	perCap := map[string]int{}
	var shown []string
	for _, c := range caps {
		want := results[c]
		if want == nil {
			continue
		}
		var out, errb bytes.Buffer
		code := Main(context.Background(), []string{"read", filepath.Join(dir, c)}, nil, &out, &errb)
		if want.Exit != 0 && code == 0 {
			t.Errorf("%s: tshark refuses it (exit %d: %s); wirewatch exit 0", c, want.Exit, firstLine(want.Stderr))
		}
		got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if out.Len() == 0 {
			got = nil
		}
		for i, w := range want.Lines {
			total++
			var g string
			if i < len(got) {
				g = got[i]
			}
			if g == w {
				same++
				continue
			}
			perCap[c]++
			byProto[listProtocol(w)]++
			if len(shown) < limit {
				shown = append(shown, fmt.Sprintf("%s:\n    tshark    %s\n    wirewatch %s", c, w, g))
			}
		}
		if len(got) > len(want.Lines) {
			t.Errorf("%s: %d lines, tshark %d", c, len(got), len(want.Lines))
		}
	}
	pct := 100 * float64(same) / float64(max(total, 1))
	t.Logf("corpus/wide packet list: %d captures, %d of %d lines identical (%.3f%%)", len(caps), same, total, pct)
	t.Logf("differing lines by tshark's Protocol column: %s", topCounts(byProto, 30))
	t.Logf("differing lines by capture: %s", topCounts(perCap, 30))
	for _, s := range shown {
		t.Log(s)
	}
	if pct < wideListFloor {
		t.Errorf("%.3f%% of packet-list lines identical, floor %.2f%% (target 97%%)", pct, wideListFloor)
	}
}

// Floors of the wide harness: raised as classes get fixed; never lowered.
// The default run reads a fixed quarter of corpus/wide, whose figures differ
// from the whole set's (WIREWATCH_WIDE=all), so each has its own floor.
var (
	wideFieldFloor = pick(99.75, 99.7)
	wideListFloor  = pick(98.5, 98.4)
)

// pick returns part for the default run and all for WIREWATCH_WIDE=all.
func pick(part, all float64) float64 {
	if os.Getenv("WIREWATCH_WIDE") == "all" {
		return all
	}
	return part
}

// listProtocol returns the Protocol column of a tshark -n -r line.
func listProtocol(line string) string {
	f := strings.Fields(line)
	if j := arrowIndex(f); j >= 0 && j+2 < len(f) {
		return f[j+2]
	}
	if len(f) > 2 {
		return f[2]
	}
	return "?"
}

func arrowIndex(f []string) int {
	for i, s := range f {
		if s == "→" {
			return i
		}
	}
	return -1
}

func topCounts(m map[string]int, n int) string {
	type kv struct {
		k string
		v int
	}
	var s []kv
	for k, v := range m {
		s = append(s, kv{k, v})
	}
	sort.Slice(s, func(i, j int) bool {
		if s[i].v != s[j].v {
			return s[i].v > s[j].v
		}
		return s[i].k < s[j].k
	})
	var b []string
	for i, e := range s {
		if i == n {
			b = append(b, "…")
			break
		}
		b = append(b, fmt.Sprintf("%s %d", e.k, e.v))
	}
	return strings.Join(b, ", ")
}
