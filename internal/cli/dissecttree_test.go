package cli

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/internal/testenv"
)

// TestDissectorTreesMatchTshark compares the read -V trees of the
// dissectors beyond the core (detail/<proto>.go) with tshark -V on the
// corpus/wide captures whose MANIFEST.tsv lists the protocol: the lines of
// each of the protocol's sections, as multisets per capture. Captures where
// wirewatch does not reach the protocol (GRE, VXLAN, ...) are left out.
func TestDissectorTreesMatchTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: runs tshark on the wide corpus (-short)")
	}
	tshark := testenv.Tool(t, "tshark")
	dir := filepath.Join(corpus.Dir(t), "wide")
	manifest, err := os.ReadFile(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("no wide corpus: %v", err)
	}
	for _, c := range []struct {
		proto, title string
		floor        float64
	}{
		{"igmp", "Internet Group Management Protocol", 98},
		{"pppoed", "PPP-over-Ethernet Discovery", 98},
		{"lcp", "PPP Link Control Protocol", 95}, // the packet inside a Protocol-Reject is not nested under it
		{"pap", "PPP Password Authentication Protocol", 98},
		{"ipcp", "PPP IP Control Protocol", 90},         // VJ compression option details not built
		{"ccp", "PPP Compression Control Protocol", 60}, // option details (Deflate, MVRCA, BSD) not built
		{"stp", "Spanning Tree Protocol", 95},           // MSTP's MST extension is not expanded
		{"lldp", "Link Layer Discovery Protocol", 35},   // management address, organisation TLVs not built yet
		{"ssh", "SSH Protocol", 15},                     // key exchange and negotiated encrypted packets not built yet
		{"tftp", "Trivial File Transfer Protocol", 98},
		{"pim", "Protocol Independent Multicast", 98},
		{"lacp", "Link Aggregation Control Protocol", 98},
		{"hsrp", "Cisco Hot Standby Router Protocol", 95},
		{"vrrp", "Virtual Router Redundancy Protocol", 80}, // checksums not verified
		{"ftp", "File Transfer Protocol (FTP)", 98},
		{"pop", "Post Office Protocol", 95},              // RETR/TOP content (IMF) not reassembled
		{"imap", "Internet Message Access Protocol", 95}, // FETCH literals (IMF) not reassembled
		{"ssdp", "Simple Service Discovery Protocol", 98},
	} {
		t.Run(c.proto, func(t *testing.T) {
			same, total, caps := 0, 0, 0
			for _, row := range strings.Split(string(manifest), "\n") {
				cols := strings.Split(row, "\t")
				if len(cols) < 9 || !hasListed(cols[8], c.proto) {
					continue
				}
				path := filepath.Join(dir, cols[0])
				got := treeSections(run(t, "read", "-V", "-Y", c.proto, path), c.title)
				if len(got) == 0 {
					continue // not reached (tunnels wirewatch does not decode)
				}
				want := treeSections(string(tsharkCached(t, tshark, path, "-n", "-V", "-Y", c.proto)), c.title)
				have := map[string]int{}
				for _, l := range got {
					have[l]++
				}
				s := 0
				for _, l := range want {
					if have[l] > 0 {
						have[l]--
						s++
					}
				}
				t.Logf("%s: %d/%d lines", cols[0], s, len(want))
				same, total, caps = same+s, total+len(want), caps+1
			}
			if total == 0 {
				t.Skipf("no wide capture with %s that wirewatch reaches", c.proto)
			}
			p := 100 * float64(same) / float64(total)
			t.Logf("%s -V tree on %d captures: %d/%d tshark lines equal (%.2f%%)", c.proto, caps, same, total, p)
			if p < c.floor {
				t.Errorf("%s: %.2f%% below the floor %.0f%%", c.proto, p, c.floor)
			}
		})
	}
}

func hasListed(list, p string) bool {
	for _, s := range strings.Split(list, ",") {
		if s == p {
			return true
		}
	}
	return false
}

// treeSections returns the lines of every section of out that starts with
// title (up to the next line that is not indented).
func treeSections(out, title string) []string {
	var lines []string
	in := false
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case l == title:
			in = true
		case !strings.HasPrefix(l, " "):
			in = false
		}
		if in {
			lines = append(lines, l)
		}
	}
	return lines
}
