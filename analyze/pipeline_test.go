package analyze_test

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/flow"
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
	r, err := capture.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer r.Close()
	dec := decode.NewDecoder(decode.Options{ReassembleIP: true})
	tr := flow.NewTracker()
	eng := analyze.New(cfg)
	var f decode.Frame
	var n uint64
	for {
		p, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var fe *capture.FormatError
			if errors.As(err, &fe) && fe.Resumable {
				continue
			}
			t.Logf("%s: stopping at %v", path, err)
			break
		}
		n++
		f.Number = n
		dec.Decode(&f, p)
		tr.Process(&f)
		eng.Add(&f)
	}
	eng.Flush(0)
	return eng
}
