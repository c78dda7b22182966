package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/corpus"
)

// TestFollowOracle checks that 'wirewatch follow tcp 0' is byte-identical to
// 'tshark -q -z follow,tcp,ascii,0' for every follow file of the oracle.
func TestFollowOracle(t *testing.T) {
	dir := corpus.Dir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "oracle", "*.follow0.txt"))
	if len(files) == 0 {
		t.Fatal("no follow files in the oracle")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".follow0.txt")
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got := run(t, "follow", "tcp", "0", filepath.Join(dir, "real", name))
		if got != string(want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("%s: differs from tshark at byte %d: got %q, tshark %q", name, i, clip(got[i:]), clip(string(want[i:])))
		}
	}
	t.Logf("%d follow outputs compared", len(files))
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60]
	}
	return s
}

// TestFollowByAddress selects the same conversation by its endpoints.
func TestFollowByAddress(t *testing.T) {
	dir := corpus.Dir(t)
	path := filepath.Join(dir, "real", "zeek__http-get.pcap")
	byNum := run(t, "follow", "tcp", "0", path)
	byAddr := run(t, "follow", "tcp", "192.150.187.43:80,141.142.228.5:59856", path)
	if byNum != byAddr {
		t.Errorf("follow by address differs from follow by stream number")
	}
	hex := run(t, "follow", "tcp", "0", path, "--format", "hex")
	if !strings.Contains(hex, "00000000  47 45 54 20") {
		t.Errorf("hex output lacks the request's first line:\n%s", clip(hex))
	}
}
