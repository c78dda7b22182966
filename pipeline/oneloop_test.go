package pipeline_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestOneLoop proves that the pipeline owns the one per-frame loop: outside
// this package no Go file (tests included) creates a connection tracker,
// except the flow package's own tests of it, which feed hand-made frames and
// never open a capture. Whoever iterates a capture and wants connection
// analysis goes through Run or Feed.
func TestOneLoop(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	ownUses := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n != "." && (strings.HasPrefix(n, ".") || n == "testdata" || n == "shared") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		dir := filepath.Dir(rel)
		var trackers, captures []token.Pos
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var pkg, name string
			switch fn := call.Fun.(type) {
			case *ast.SelectorExpr:
				if id, ok := fn.X.(*ast.Ident); ok {
					pkg = id.Name
				}
				name = fn.Sel.Name
			case *ast.Ident:
				pkg, name = f.Name.Name, fn.Name
			}
			switch {
			case (pkg == "flow" || dir == "flow" && pkg == f.Name.Name) && strings.HasPrefix(name, "NewTracker"):
				trackers = append(trackers, call.Pos())
			case pkg == "capture" && (name == "Open" || name == "NewReader"), pkg == "live" && name == "Open":
				captures = append(captures, call.Pos())
			}
			return true
		})
		switch {
		case dir == "pipeline":
			ownUses += len(trackers)
		case dir == "flow" && len(captures) == 0:
			// the tracker's own tests on hand-made frames
		default:
			for _, p := range trackers {
				t.Errorf("%s: creates a flow tracker outside the pipeline: use pipeline.Run or Feed", fset.Position(p))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if ownUses == 0 {
		t.Fatal("found no tracker in the pipeline package itself: the check looks for the wrong thing")
	}
}
