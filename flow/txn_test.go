package flow_test

import (
	"bufio"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/flow"
	"github.com/wirewatch/wirewatch/internal/corpus"
)

// TestTxnTimesOracle compares dns.time and http.time with tshark's on every
// corpus capture whose oracle has them: at least 99% must agree to 1 µs.
func TestTxnTimesOracle(t *testing.T) {
	dir := corpus.Dir(t)
	oracles, _ := filepath.Glob(filepath.Join(dir, "oracle", "*.frames.tsv"))
	var total, agree [2]int // 0 dns.time, 1 http.time
	for _, o := range oracles {
		want := readTimes(t, o)
		if len(want[0]) == 0 && len(want[1]) == 0 {
			continue
		}
		name := strings.TrimSuffix(filepath.Base(o), ".frames.tsv")
		got := computeTimes(t, filepath.Join(dir, "real", name))
		for i := 0; i < 2; i++ {
			miss := 0
			for fr, w := range want[i] {
				total[i]++
				g, ok := got[i][fr]
				if ok && math.Abs(g-w) <= 1e-6 {
					agree[i]++
				} else if miss < 3 {
					miss++
					t.Logf("%s frame %d %s: tshark %.6f, wirewatch %.6f (present %v)", name, fr, []string{"dns.time", "http.time"}[i], w, g, ok)
				}
			}
			for fr := range got[i] {
				if _, ok := want[i][fr]; !ok && miss < 6 {
					miss++
					t.Logf("%s frame %d %s: wirewatch has %.6f, tshark none", name, fr, []string{"dns.time", "http.time"}[i], got[i][fr])
				}
			}
		}
	}
	for i, n := range []string{"dns.time", "http.time"} {
		if total[i] == 0 {
			continue
		}
		frac := float64(agree[i]) / float64(total[i])
		t.Logf("%s: %d of %d oracle frames agree to 1 µs (%.2f%%)", n, agree[i], total[i], 100*frac)
		if frac < 0.99 {
			t.Errorf("%s agreement %.2f%% < 99%%", n, 100*frac)
		}
	}
}

func readTimes(t *testing.T, path string) [2]map[uint64]float64 {
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	out := [2]map[uint64]float64{{}, {}}
	col := [2]int{-1, -1}
	first := true
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if first {
			for i, c := range cols {
				switch c {
				case "dns.time":
					col[0] = i
				case "http.time":
					col[1] = i
				}
			}
			first = false
			continue
		}
		fr, err := strconv.ParseUint(cols[0], 10, 64)
		if err != nil {
			continue
		}
		for i := 0; i < 2; i++ {
			if col[i] >= 0 && col[i] < len(cols) && cols[col[i]] != "" {
				if v, err := strconv.ParseFloat(cols[col[i]], 64); err == nil {
					out[i][fr] = v
				}
			}
		}
	}
	return out
}

func computeTimes(t *testing.T, path string) [2]map[uint64]float64 {
	out := [2]map[uint64]float64{{}, {}}
	r, err := capture.Open(path)
	if err != nil {
		t.Logf("%s: %v", path, err)
		return out
	}
	defer r.Close()
	dec := decode.NewDecoder(decode.Options{ReassembleIP: true})
	tr := flow.NewTracker()
	var f decode.Frame
	var n uint64
	for {
		p, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var fe *capture.FormatError
			if errors.As(err, &fe) && fe.Resumable {
				continue
			}
			break
		}
		n++
		f.Number = n
		dec.Decode(&f, p)
		tr.Process(&f)
		if f.Analysis.DNSTime >= 0 && f.Has(decode.ProtoDNS) {
			out[0][n] = float64(f.Analysis.DNSTime) / 1e9
		}
		if f.Analysis.HTTPTime >= 0 {
			out[1][n] = float64(f.Analysis.HTTPTime) / 1e9
		}
	}
	return out
}
