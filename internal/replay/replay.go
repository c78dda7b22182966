// Package replay runs a capture file through decoding and connection
// tracking for tests, in capture order on one core, as the CLI's pipeline
// does.
package replay

import (
	"errors"
	"io"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/flow"
)

// File decodes every packet of the capture at path (IP reassembly on),
// numbers the frames from 1, runs tr over them when tr is not nil, and calls
// fn with each frame. A file it cannot open fails the test. Damage the
// reader recovers from is skipped; File returns the number of frames and the
// error that ended the file early (nil at its end), for the caller to judge.
func File(t testing.TB, path string, tr *flow.Tracker, fn func(f *decode.Frame)) (int, error) {
	t.Helper()
	r, err := capture.Open(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer r.Close()
	dec := decode.NewDecoder(decode.Options{ReassembleIP: true})
	var f decode.Frame
	n := 0
	for {
		p, err := r.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			var fe *capture.FormatError
			if errors.As(err, &fe) && fe.Resumable {
				continue
			}
			return n, err
		}
		n++
		f.Number = uint64(n)
		dec.Decode(&f, p)
		if tr != nil {
			tr.Process(&f)
		}
		fn(&f)
	}
}
