package analyze_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/internal/corpus"
)

// problemNote matches MANIFEST notes of captures that show a problem; a
// critical finding anywhere else is a false alarm.
var problemNote = regexp.MustCompile(`(?i)retrans|loss|lost|reset|rst|refus|timeout|unanswered|fail|zero window|scan|servfail|drop|missing|inject|latency|delay|stall|dup`)

// TestCorpusFindings diagnoses every capture of the shared corpus: nothing
// may panic, and no capture without a problem may get a critical finding.
// With -v it lists the warning and critical findings per capture.
func TestCorpusFindings(t *testing.T) {
	dir := filepath.Join(corpus.Dir(t), "real")
	notes := map[string]string{}
	if fh, err := os.Open(filepath.Join(dir, "MANIFEST.tsv")); err == nil {
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			c := strings.Split(sc.Text(), "\t")
			if len(c) >= 9 {
				notes[c[0]] = c[8]
			}
		}
		fh.Close()
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	var list strings.Builder
	for _, p := range files {
		name := filepath.Base(p)
		if name == "MANIFEST.tsv" {
			continue
		}
		eng := diagnoseFileQuiet(p)
		if eng == nil {
			continue
		}
		for _, f := range eng.Findings() {
			if f.Severity == analyze.Info {
				continue
			}
			fmt.Fprintf(&list, "%-60s %-8s %-34s %s\n", name, f.Severity, f.Category, f.Title)
			if f.Severity == analyze.Critical && !problemNote.MatchString(notes[name]) {
				t.Errorf("%s (%q): critical finding on a capture without a problem: %s", name, notes[name], f.Title)
			}
		}
	}
	t.Logf("warning and critical findings on the corpus:\n%s", list.String())
}
