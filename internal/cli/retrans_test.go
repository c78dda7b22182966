package cli

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/internal/testenv"
	"github.com/wirewatch/wirewatch/internal/tshark"
)

// TestRetransmittedSegmentsMatchTshark merges each corpus/wide capture of
// the run with itself (mergecap, as a capture taken on two mirrored ports
// would look): every TCP segment then arrives twice, and the copy is a
// retransmission, whose bytes Wireshark does not dissect again. For every
// application protocol over TCP that tshark shows in the doubled capture,
// `read -Y PROTO -T fields -e frame.number` must select the frames whose
// frame.protocols (tshark's) holds it. The filter runs at the stage the
// planner picks for the protocol's field, so this checks both that the
// copies lose their layers and that no such filter is evaluated before the
// tracker has recognised them (field.Field.Need).
func TestRetransmittedSegmentsMatchTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: runs tshark (-short)")
	}
	dir, caps := wideCaptures(t)
	mergecap := testenv.Tool(t, "mergecap")
	reg := field.Std()
	tmp := t.TempDir()
	pairs, exact, skipped := 0, 0, 0
	for _, c := range caps {
		dup := filepath.Join(tmp, strings.TrimSuffix(c, filepath.Ext(c))+".pcap")
		if err := exec.Command(mergecap, "-F", "pcap", "-w", dup, filepath.Join(dir, c), filepath.Join(dir, c)).Run(); err != nil {
			skipped++ // a link type pcap cannot hold, or a capture mergecap refuses
			continue
		}
		want, err := tshark.Fields(dup, []string{"frame.protocols"})
		if err != nil || want.Exit != 0 {
			skipped++
			continue
		}
		// The protocols to check: those after "tcp" whose layers a
		// retransmission loses.
		frames := map[string][]int{}
		for i, fp := range want.Cols["frame.protocols"] {
			toks := strings.Split(fp, ":")
			at := slices.Index(toks, "tcp")
			if at < 0 {
				continue
			}
			for _, p := range toks[at+1:] {
				f := reg.Lookup(p)
				if f == nil || !decode.DroppedOnRetransmission(f.Proto) {
					continue
				}
				if n := frames[p]; len(n) == 0 || n[len(n)-1] != i+1 {
					frames[p] = append(frames[p], i+1)
				}
			}
		}
		for p, wantFrames := range frames {
			var out, errb bytes.Buffer
			if code := Main(context.Background(), []string{"read", "-T", "fields", "-e", "frame.number", "-Y", p, dup}, nil, &out, &errb); code != 0 {
				t.Errorf("%s -Y %s: exit %d: %s", c, p, code, firstLine(errb.String()))
				continue
			}
			got := strings.Fields(out.String())
			pairs++
			if strings.Join(got, " ") == strings.Trim(fmt.Sprint(wantFrames), "[]") {
				exact++
				continue
			}
			t.Logf("%s doubled, -Y %s: wirewatch %d frames, tshark %d", c, p, len(got), len(wantFrames))
		}
	}
	pct := 100 * float64(exact) / float64(max(pairs, 1))
	t.Logf("doubled corpus/wide captures: %d of %d (capture, TCP application protocol) filters select tshark's frames (%.1f%%); %d of %d captures not doubled or refused by tshark once doubled", exact, pairs, pct, skipped, len(caps))
	if pairs == 0 {
		t.Fatalf("no (capture, protocol) filter compared: mergecap or tshark failed on every capture of the run")
	}
	if pct < retransFloor {
		t.Errorf("%.1f%% of filters on doubled captures exact, floor %.1f%%", pct, retransFloor)
	}
}

// retransFloor: raised as classes get fixed; never lowered.
var retransFloor = pick(84, 73)
