package flow_test

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/pipeline"
)

// oracleColumns are the tshark fields the differential test compares.
var oracleColumns = []string{
	"tcp.stream", "udp.stream", "tcp.seq", "tcp.ack", "tcp.window_size",
	"tcp.analysis.retransmission", "tcp.analysis.fast_retransmission", "tcp.analysis.duplicate_ack",
	"tcp.analysis.out_of_order", "tcp.analysis.lost_segment", "tcp.analysis.zero_window",
	"tcp.analysis.keep_alive", "tcp.analysis.ack_rtt",
}

type oracleFile struct {
	idx  map[string]int
	rows [][]string
}

func readOracle(t testing.TB, path string) oracleFile {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var o oracleFile
	if !sc.Scan() {
		t.Fatalf("%s: empty", path)
	}
	o.idx = map[string]int{}
	for i, h := range strings.Split(sc.Text(), "\t") {
		o.idx[h] = i
	}
	for sc.Scan() {
		o.rows = append(o.rows, strings.Split(sc.Text(), "\t"))
	}
	return o
}

// analyse runs capture → decode → flow over a file and calls fn per frame.
// The tracker is configured as by the command line (pipeline.Config{}).
func analyse(t testing.TB, path string, fn func(f *decode.Frame)) int {
	t.Helper()
	n := 0
	// Damage ends the comparison where tshark's rows end too.
	err := pipeline.RunFile(context.Background(), path, pipeline.Config{}, func(f *decode.Frame) error {
		n++
		fn(f)
		return nil
	})
	if err != nil && n == 0 {
		t.Fatalf("%s: %v", path, err)
	}
	return n
}

func formatValue(fl *field.Field, v field.Value) string {
	switch fl.Type {
	case field.FTNone:
		return "1"
	case field.FTRelTime:
		return fmt.Sprintf("%.9f", float64(v.I)/1e9)
	}
	return strconv.FormatUint(v.U, 10)
}

// TestOracleDifferential compares stream numbers, relative sequence numbers,
// the calculated window, the tcp.analysis flags and ack_rtt with tshark 4.0
// on every capture of the corpus.
func TestOracleDifferential(t *testing.T) {
	dir := corpus.Dir(t)
	reg := field.Std()
	type tally struct{ cells, equal int }
	tot := map[string]*tally{}
	for _, c := range oracleColumns {
		if reg.Lookup(c) == nil {
			t.Fatalf("field %s is not registered", c)
		}
		tot[c] = &tally{}
	}
	var vals []field.Value
	var mism []string
	for _, name := range corpus.OracleOK(t, dir) {
		o := readOracle(t, filepath.Join(dir, "oracle", name+".frames.tsv"))
		// Tally per file; a file whose frame count differs from tshark's
		// (pcapng custom blocks tshark shows as frames) is left out.
		local := map[string]*tally{}
		for _, c := range oracleColumns {
			local[c] = &tally{}
		}
		var localMism []string
		frames := analyse(t, filepath.Join(dir, "real", name), func(f *decode.Frame) {
			if f.Number > uint64(len(o.rows)) {
				return
			}
			row := o.rows[f.Number-1]
			for _, c := range oracleColumns {
				i, ok := o.idx[c]
				if !ok || i >= len(row) {
					continue
				}
				want := row[i]
				fl := reg.Lookup(c)
				vals = fl.Get(f, vals[:0])
				got := ""
				if len(vals) > 0 {
					got = formatValue(fl, vals[0])
				}
				if want == "" && got == "" {
					continue
				}
				eq := got == want
				if c == "tcp.analysis.ack_rtt" && got != "" && want != "" {
					a, _ := strconv.ParseFloat(got, 64)
					b, _ := strconv.ParseFloat(want, 64)
					eq = math.Abs(a-b) < 1e-6
				}
				x := local[c]
				x.cells++
				if eq {
					x.equal++
				} else {
					localMism = append(localMism, fmt.Sprintf("%s #%d %s: got %q, tshark %q", name, f.Number, c, got, want))
				}
			}
		})
		if frames != len(o.rows) {
			t.Logf("%s: %d frames, tshark has %d: skipped", name, frames, len(o.rows))
			continue
		}
		for c, x := range local {
			tot[c].cells += x.cells
			tot[c].equal += x.equal
		}
		for _, m := range localMism {
			if len(mism) < 40 {
				mism = append(mism, m)
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-36s %8s %8s %8s\n", "field", "cells", "equal", "agree")
	all := tally{}
	keys := append([]string(nil), oracleColumns...)
	sort.Strings(keys)
	for _, c := range keys {
		x := tot[c]
		all.cells += x.cells
		all.equal += x.equal
		fmt.Fprintf(&b, "%-36s %8d %8d %7.2f%%\n", c, x.cells, x.equal, pct(x.equal, x.cells))
	}
	fmt.Fprintf(&b, "%-36s %8d %8d %7.2f%%\n", "all", all.cells, all.equal, pct(all.equal, all.cells))
	t.Log(b.String())
	for _, m := range mism {
		t.Log(m)
	}
	if p := pct(all.equal, all.cells); p < 99.5 {
		t.Errorf("overall agreement %.2f%% < 99.5%%", p)
	}
	for _, c := range oracleColumns {
		x := tot[c]
		if x.cells > 0 && pct(x.equal, x.cells) < 98 {
			t.Errorf("%s: agreement %.2f%% < 98%%", c, pct(x.equal, x.cells))
		}
	}
}

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return 100 * float64(a) / float64(b)
}
