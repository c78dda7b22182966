package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/corpus"
)

// TestReadLowerLayerFieldsSkipFlowWork checks that read -T fields with only
// lower-layer fields, which runs without application desegmentation and
// transaction matching (pipeline.Plan), prints exactly what the full
// pipeline prints for those fields: the same fields plus http.time (which
// turns the full pipeline on) must give the same lines with one more column.
func TestReadLowerLayerFieldsSkipFlowWork(t *testing.T) {
	dir := filepath.Join(corpus.Dir(t), "real")
	lower := []string{"frame.number", "frame.len", "ip.src", "tcp.srcport", "tcp.stream", "tcp.seq", "tcp.ack",
		"tcp.window_size", "tcp.analysis.flags", "tcp.analysis.ack_rtt", "udp.stream", "tcp.len"}
	for _, name := range []string{"chrissanders__http_espn.pcapng", "pcapplusplus__one_http_stream_rst.pcap"} {
		path := filepath.Join(dir, name)
		var fast, full []string
		for _, f := range lower {
			fast = append(fast, "-e", f)
		}
		full = append(append(full, fast...), "-e", "http.time")
		code, a, errA := runMain(t, append(append([]string{"read", "-T", "fields"}, fast...), path)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, errA)
		}
		code, b, errB := runMain(t, append(append([]string{"read", "-T", "fields"}, full...), path)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, errB)
		}
		la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
		if len(la) != len(lb) || len(la) < 10 {
			t.Fatalf("%s: %d lines without flow work, %d with", name, len(la), len(lb))
		}
		httpTimes := 0
		for i := range la {
			cut := strings.LastIndexByte(lb[i], '\t')
			if cut < 0 {
				cut = len(lb[i])
			} else if cut+1 < len(lb[i]) {
				httpTimes++
			}
			if la[i] != lb[i][:cut] {
				t.Fatalf("%s line %d:\nlower-layer only: %q\nfull pipeline:    %q", name, i+1, la[i], lb[i][:cut])
			}
		}
		if httpTimes == 0 {
			t.Fatalf("%s: no http.time at all: the full pipeline did not run", name)
		}
	}
}
