package analyze_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/pipeline"
)

// diagnoseFileQuiet is diagnoseFile for captures that may not open (nil then).
func diagnoseFileQuiet(path string) *analyze.Engine {
	r, err := capture.Open(path)
	if err != nil {
		return nil
	}
	r.Close()
	return diagnoseFile(quietTB{}, path, analyze.Config{})
}

// quietTB satisfies the little of testing.TB that diagnoseFile uses.
type quietTB struct{ testing.TB }

func (quietTB) Helper()                   {}
func (quietTB) Logf(string, ...any)       {}
func (quietTB) Fatalf(f string, a ...any) { panic(fmt.Sprintf(f, a...)) }

// diagnoseFile runs the whole pipeline over a capture file, as the CLI does.
func diagnoseFile(t testing.TB, path string, cfg analyze.Config) *analyze.Engine {
	t.Helper()
	eng := analyze.New(cfg)
	if err := pipeline.RunFile(context.Background(), path, pipeline.Config{}, func(f *decode.Frame) error { eng.Add(f); return nil }); err != nil {
		t.Logf("%s: stopping at %v", path, err)
	}
	eng.Flush(0)
	return eng
}
