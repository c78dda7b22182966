package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wirewatch/wirewatch/report"
)

// update rewrites the golden files of the diagnose reports:
// go test ./report -run Golden -update
var update = flag.Bool("update", false, "rewrite the golden files in testdata/diagnose")

// goldenFormats are the diagnose renderers with golden files; the HTML
// report adds itself here.
var goldenFormats = map[string]func(*bytes.Buffer, *report.Diagnosis) error{
	"txt":  func(b *bytes.Buffer, d *report.Diagnosis) error { return report.WriteDiagnosisText(b, d) },
	"json": func(b *bytes.Buffer, d *report.Diagnosis) error { return report.WriteDiagnosisJSON(b, d) },
}

// TestDiagnoseGolden renders every example capture (examples/*.pcapng) in
// every golden format and compares with testdata/diagnose/NAME.FORMAT, so
// that any change of a diagnosis or its wording shows up in review. Run
// with -update after an intended change and read the diff.
func TestDiagnoseGolden(t *testing.T) {
	caps, _ := filepath.Glob(filepath.Join("..", "examples", "*.pcapng"))
	if len(caps) == 0 {
		t.Skip("no examples/*.pcapng")
	}
	sort.Strings(caps)
	dir := filepath.Join("testdata", "diagnose")
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	formats := make([]string, 0, len(goldenFormats))
	for f := range goldenFormats {
		formats = append(formats, f)
	}
	sort.Strings(formats)
	for _, c := range caps {
		name := strings.TrimSuffix(filepath.Base(c), ".pcapng")
		t.Run(name, func(t *testing.T) {
			d := diagnose(t, c)
			d.File = "examples/" + name + ".pcapng" // as a user types it, whatever the test's directory
			for _, format := range formats {
				var b bytes.Buffer
				if err := goldenFormats[format](&b, d); err != nil {
					t.Fatal(err)
				}
				if !utf8.Valid(b.Bytes()) {
					t.Errorf("%s.%s is not valid UTF-8 (a cut inside a character?)", name, format)
				}
				p := filepath.Join(dir, name+"."+format)
				if *update {
					if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(p)
				if err != nil {
					t.Fatalf("%v (run go test ./report -run Golden -update)", err)
				}
				if !bytes.Equal(b.Bytes(), want) {
					t.Errorf("%s differs from %s (go test ./report -run Golden -update, then read the diff):\n%s", name+"."+format, p, firstDiff(string(want), b.String()))
				}
			}
		})
	}
}

// firstDiff shows the first line that differs.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + itoaT(i+1) + ":\n want: " + a + "\n  got: " + b
		}
	}
	return "(same lines, different bytes)"
}

func itoaT(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
