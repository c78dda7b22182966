package flow_test

import (
	"bufio"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/internal/testenv"
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
	analyse(t, path, func(f *decode.Frame) {
		if f.Analysis.DNSTime >= 0 && f.Has(decode.ProtoDNS) {
			out[0][f.Number] = float64(f.Analysis.DNSTime) / 1e9
		}
		if f.Analysis.HTTPTime >= 0 {
			out[1][f.Number] = float64(f.Analysis.HTTPTime) / 1e9
		}
	})
	return out
}

// TestDNSRetransmissionTshark compares dns.retransmission and its frame links
// (dns.retransmit_request_in, dns.retransmit_response_in) with tshark's, run
// at test time, on every corpus capture tshark reads in which wirewatch decodes DNS.
func TestDNSRetransmissionTshark(t *testing.T) {
	tshark := testenv.Tool(t, "tshark")
	dir := corpus.Dir(t)
	reg := field.Std()
	fl := []*field.Field{reg.Lookup("dns.retransmission"), reg.Lookup("dns.retransmit_request_in"), reg.Lookup("dns.retransmit_response_in")}
	for _, x := range fl {
		if x == nil {
			t.Fatal("dns.retransmission fields are not registered")
		}
	}
	compared, marked := 0, 0
	for _, name := range corpus.OracleOK(t, dir) { // the captures tshark reads
		path := filepath.Join(dir, "real", name)
		got, dns := dnsRetrans(t, path, fl)
		if !dns {
			continue
		}
		out, err := exec.Command(tshark, "-n", "-r", path, "-Y", "dns.retransmission", "-T", "fields",
			"-e", "frame.number", "-e", "dns.retransmit_request_in", "-e", "dns.retransmit_response_in").Output()
		if err != nil {
			t.Errorf("tshark on %s: %v", filepath.Base(path), err)
			continue
		}
		compared++
		marked += strings.Count(string(out), "\n")
		if want := string(out); got != want {
			t.Errorf("%s: dns.retransmission differs\ntshark:\n%swirewatch:\n%s", filepath.Base(path), want, got)
		}
	}
	t.Logf("%d captures with DNS compared, %d retransmissions", compared, marked)
	if compared < 10 || marked == 0 {
		t.Errorf("only %d captures with DNS and %d retransmissions: is the corpus complete?", compared, marked)
	}
}

// dnsRetrans renders the frames with dns.retransmission as tshark -T fields
// does, and tells whether the capture has DNS at all.
func dnsRetrans(t *testing.T, path string, fl []*field.Field) (string, bool) {
	var b strings.Builder
	var vals []field.Value
	hasDNS := false
	analyse(t, path, func(f *decode.Frame) {
		hasDNS = hasDNS || f.Has(decode.ProtoDNS)
		if vals = fl[0].Get(f, vals[:0]); len(vals) == 0 {
			return
		}
		b.WriteString(strconv.FormatUint(f.Number, 10))
		for _, x := range fl[1:] {
			b.WriteByte('\t')
			if vals = x.Get(f, vals[:0]); len(vals) > 0 {
				b.WriteString(strconv.FormatUint(vals[0].U, 10))
			}
		}
		b.WriteByte('\n')
	})
	return b.String(), hasDNS
}
