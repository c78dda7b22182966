// Package corpus locates the shared reference material (../shared/corpus and
// ../shared/scenarios) for tests: real captures from public projects and
// tshark's outputs for them. It is never copied into this repository.
package corpus

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// root returns the project root (the directory holding go.mod).
func root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Dir returns the corpus directory ($WIREWATCH_CORPUS or ../shared/corpus).
// When it is absent the test is skipped with a visible message, or fails when CI=true.
func Dir(t testing.TB) string {
	t.Helper()
	d := os.Getenv("WIREWATCH_CORPUS")
	if d == "" {
		d = filepath.Join(root(), "..", "shared", "corpus")
	}
	return need(t, d, "corpus")
}

// Scenarios returns the scenarios directory (next to the corpus), with the same rules as Dir.
func Scenarios(t testing.TB) string {
	t.Helper()
	d := os.Getenv("WIREWATCH_SCENARIOS")
	if d == "" {
		if c := os.Getenv("WIREWATCH_CORPUS"); c != "" {
			d = filepath.Join(c, "..", "scenarios")
		} else {
			d = filepath.Join(root(), "..", "shared", "scenarios")
		}
	}
	return need(t, d, "scenarios")
}

// Shared returns ../shared (bench/, etc.), with the same rules as Dir.
func Shared(t testing.TB) string {
	t.Helper()
	return need(t, filepath.Join(root(), "..", "shared"), "shared material")
}

func need(t testing.TB, d, what string) string {
	t.Helper()
	if st, err := os.Stat(d); err != nil || !st.IsDir() {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found at %s (CI=true requires it)", what, d)
		}
		t.Skipf("SKIP: %s not found at %s; set WIREWATCH_CORPUS to run this test", what, d)
	}
	return d
}

// OracleOK lists the captures of the corpus at dir that tshark read
// (oracle/INDEX.tsv status "ok"): those its oracle outputs cover.
func OracleOK(t testing.TB, dir string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "oracle", "INDEX.tsv"))
	if err != nil {
		t.Fatalf("read the oracle index: %v", err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Split(l, "\t")
		if len(f) >= 2 && f[1] == "ok" {
			out = append(out, f[0])
		}
	}
	return out
}
