package cli

import (
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/internal/corpus"
)

// TestStatsSkipAppIdentical checks that leaving the application-layer
// dissectors out of the reports that cannot read them (stats expert, conv,
// endpoints, io, summary without -Y) changes no output, on one and two cores,
// on every corpus capture.
func TestStatsSkipAppIdentical(t *testing.T) {
	dir := corpus.Dir(t)
	reports := [][]string{{"expert"}, {"conv", "tcp"}, {"conv", "udp"}, {"conv", "ip"},
		{"endpoints", "tcp"}, {"endpoints", "udp"}, {"io"}, {"summary"}}
	defer func() { fullDecode = false }()
	n := 0
	for _, name := range corpus.OracleOK(t, dir) {
		path := filepath.Join(dir, "real", name)
		for _, r := range reports {
			args := append(append([]string{"stats"}, r...), path, "--format", "json")
			fullDecode = true
			want := run(t, append(args, "--single-core")...)
			fullDecode = false
			if got := run(t, args...); got != want {
				t.Errorf("%s %v: skipping application layers changes the output", name, r)
			}
			if got := run(t, append(args, "--single-core")...); got != want {
				t.Errorf("%s %v (single core): skipping application layers changes the output", name, r)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("nothing compared")
	}
	t.Logf("%d reports identical with and without application-layer decoding", n)
}
