package capture

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/corpus"
)

// indexEntry is one line of oracle/INDEX.tsv.
type indexEntry struct {
	file   string
	ok     bool
	frames int
	errMsg string
}

func readIndex(t *testing.T, dir string) []indexEntry {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "oracle", "INDEX.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []indexEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.HasPrefix(line, "capture\t") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) < 3 {
			continue
		}
		e := indexEntry{file: c[0], ok: c[1] == "ok"}
		e.frames, _ = strconv.Atoi(c[2])
		if len(c) > 3 {
			e.errMsg = c[3]
		}
		out = append(out, e)
	}
	return out
}

// oracleFrame is what tshark says about one frame's framing.
type oracleFrame struct{ epoch, length, capLen string }

func readOracleFrames(t *testing.T, path string) []oracleFrame {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []oracleFrame
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	first := true
	for sc.Scan() {
		if first {
			first = false
			continue
		}
		c := strings.SplitN(sc.Text(), "\t", 7)
		if len(c) < 6 {
			continue
		}
		out = append(out, oracleFrame{c[1], c[4], c[5]})
	}
	return out
}

// epoch formats a timestamp as tshark's frame.time_epoch.
func epoch(info Info) string {
	if info.NoTS {
		return ""
	}
	sec, ns := splitNS(info.TS)
	return fmt.Sprintf("%d.%09d", sec, ns)
}

// knownTimeDiffs lists captures whose timestamps tshark prints in a form no
// nanosecond timestamp can have: tcpdump__timestamp_invalid_nano.pcap stores
// nanosecond fields >= 1e9, which tshark prints verbatim ("...370.1000000000")
// while wirewatch carries them into the seconds.
var knownTimeDiffs = map[string]bool{"tcpdump__timestamp_invalid_nano.pcap": true}

// beyondInt64NS says whether tshark shows a time after 2262-04-11, which an
// int64 count of nanoseconds (Info.TS) cannot hold. pcapplusplus__pcapng-example
// has 100 such packets: 64-bit µs timestamps near 2^64 (really small negative
// values), which tshark prints as 18446744073204.126329 and wirewatch wraps.
func beyondInt64NS(epoch string) bool {
	sec, _, _ := strings.Cut(epoch, ".")
	n, err := strconv.ParseInt(sec, 10, 64)
	return err == nil && n > 9223372036
}

// TestCorpus reads every capture of the shared corpus and compares the frame
// count, frame.time_epoch, frame.len and frame.cap_len of every frame with
// tshark's; the captures tshark rejects must be rejected with a FormatError.
func TestCorpus(t *testing.T) {
	dir := corpus.Dir(t)
	idx := readIndex(t, dir)
	if len(idx) < 100 {
		t.Fatalf("INDEX.tsv lists only %d captures", len(idx))
	}
	var table []string
	for _, e := range idx {
		path := filepath.Join(dir, "real", e.file)
		r, err := Open(path)
		if !e.ok {
			var fe *FormatError
			if !errors.As(err, &fe) {
				// The damage may only show on reading.
				if err == nil {
					_, err = r.Next()
					r.Close()
				}
				if !errors.As(err, &fe) {
					table = append(table, fmt.Sprintf("%s: tshark rejects it (%s) but wirewatch gave %v", e.file, e.errMsg, err))
					continue
				}
			}
			t.Logf("rejected as tshark does: %v", fe)
			continue
		}
		if err != nil {
			table = append(table, fmt.Sprintf("%s: open: %v", e.file, err))
			continue
		}
		want := readOracleFrames(t, filepath.Join(dir, "oracle", e.file+".frames.tsv"))
		n, diffs := 0, 0
		var firstDiff string
		for {
			p, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				table = append(table, fmt.Sprintf("%s: after %d packets: %v", e.file, n, err))
				break
			}
			if p.CapLen != len(p.Data) {
				t.Errorf("%s packet %d: CapLen %d but %d data bytes", e.file, n+1, p.CapLen, len(p.Data))
			}
			if n < len(want) {
				w := want[n]
				got := oracleFrame{epoch(p.Info), strconv.Itoa(p.Len), strconv.Itoa(p.CapLen)}
				if knownTimeDiffs[e.file] || beyondInt64NS(w.epoch) {
					got.epoch = w.epoch
				}
				if got != w {
					diffs++
					if firstDiff == "" {
						firstDiff = fmt.Sprintf("frame %d: got %v, tshark %v", n+1, got, w)
					}
				}
			}
			n++
		}
		r.Close()
		if n != e.frames || n != len(want) || diffs > 0 {
			table = append(table, fmt.Sprintf("%s: %d frames (tshark %d, oracle rows %d), %d differ; %s", e.file, n, e.frames, len(want), diffs, firstDiff))
		}
	}
	if len(table) > 0 {
		t.Errorf("%d of %d captures differ from tshark:\n%s", len(table), len(idx), strings.Join(table, "\n"))
	}
}
