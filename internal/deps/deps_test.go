package deps

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const mod = "github.com/wirewatch/wirewatch/"

// forbidden lists, per library package, module packages it must not import
// (directly or indirectly).
var forbidden = map[string][]string{
	"capture":      {"decode", "field", "filter", "flow", "analyze", "report", "internal/cli"},
	"decode":       {"field", "filter", "flow", "analyze", "report", "internal/cli"},
	"field":        {"filter", "flow", "analyze", "report", "internal/cli"},
	"filter":       {"flow", "analyze", "report", "internal/cli"},
	"flow":         {"filter", "analyze", "report", "internal/cli"},
	"analyze":      {"report", "internal/cli"},
	"report":       {"internal/cli"},
	"capture/live": {"internal/cli"},
}

type pkg struct {
	ImportPath string
	Deps       []string
}

func TestDependencyDirection(t *testing.T) {
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		rel := strings.TrimPrefix(p.ImportPath, mod)
		bad, ok := forbidden[rel]
		if !ok {
			continue
		}
		seen++
		for _, d := range p.Deps {
			if d == "flag" && rel != "internal/cli" {
				t.Errorf("%s imports flag: library packages take Config structs, not flags", rel)
			}
			for _, b := range bad {
				if d == mod+b || strings.HasPrefix(d, mod+b+"/") {
					t.Errorf("%s must not import %s", rel, b)
				}
			}
		}
	}
	if seen != len(forbidden) {
		t.Errorf("checked %d packages, want %d: a package was renamed; update this test", seen, len(forbidden))
	}
}
