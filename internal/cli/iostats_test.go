package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/internal/testenv"
)

// TestIOStatsMatchTshark compares `read -q -z io,phs` and `-z io,stat,1`
// with tshark's on the corpus captures tshark reads (under 1 MB; a fixed
// eighth of them unless WIREWATCH_IOSTATS=all): the share of lines
// identical (as multisets per capture) and of captures whose whole output
// is identical.
func TestIOStatsMatchTshark(t *testing.T) {
	dir := corpus.Dir(t)
	tshark := testenv.Tool(t, "tshark")
	var names []string
	for i, name := range detailFiles(t, corpus.OracleOK(t, dir)) {
		st, err := os.Stat(filepath.Join(dir, "real", name))
		if err != nil || st.Size() > 1<<20 || (os.Getenv("WIREWATCH_IOSTATS") != "all" && i%8 != 0) {
			continue
		}
		names = append(names, name)
	}
	var jobs []tsharkJob
	for _, name := range names {
		path := filepath.Join(dir, "real", name)
		jobs = append(jobs, tsharkJob{path, []string{"-q", "-z", "io,phs"}})
	}
	tsharkPrefetch(t, tshark, jobs)
	for _, z := range []struct {
		arg, report string
		floorLines  float64
	}{{"io,phs", "hierarchy", 93}, {"io,stat,1", "io", 75}} {
		lines, eq, files, same := 0, 0, 0, 0
		for _, name := range names {
			path := filepath.Join(dir, "real", name)
			var out bytes.Buffer
			env := &Env{Ctx: context.Background(), Stdout: &out, Stderr: io.Discard}
			so := &statsOpts{format: "text", interval: time.Second, singleCore: true, pos: []string{z.report, path}, tshark: true}
			err := stats(env, so)
			got := out.String()
			if z.report == "io" && strings.Count(got, "\n") > 1000 {
				continue // timestamps years apart: a table of millions of seconds
			}
			want := string(tsharkCached(t, tshark, path, "-q", "-z", z.arg))
			if z.report == "io" && strings.Count(want, "\n") > 1000 {
				continue // the same on tshark's side
			}
			if err != nil {
				got = "" // a capture wirewatch refuses: all lines different
			}
			files++
			if got == want {
				same++
			} else if testing.Verbose() && files-same <= 3 {
				t.Logf("%s %s differs:\n%s\nwant:\n%s", z.arg, name, got, want)
			}
			have := map[string]int{}
			for _, l := range strings.Split(got, "\n") {
				have[l]++
			}
			for _, l := range strings.Split(want, "\n") {
				lines++
				if have[l] > 0 {
					have[l]--
					eq++
				}
			}
		}
		p := pct(eq, lines)
		t.Logf("-z %s: %d of %d tshark lines identical (%.2f%%); whole output identical on %d of %d captures", z.arg, eq, lines, p, same, files)
		if p < z.floorLines {
			t.Errorf("-z %s: %.2f%% of lines, below the %.0f%% floor", z.arg, p, z.floorLines)
		}
	}
}
