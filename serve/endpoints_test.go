package serve

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/names"
	"github.com/wirewatch/wirewatch/pipeline"
	"github.com/wirewatch/wirewatch/report"
)

// TestEndpointsOnDecodingGoroutine: the endpoints report the index pass
// counts on the pipeline's decoding goroutine (Config.Prefix) is the one a
// consumer counting every frame in order writes, on the examples and the
// real corpus.
func TestEndpointsOnDecodingGoroutine(t *testing.T) {
	n := 0
	for _, path := range testCaptures(t, "../examples/*.pcapng", false) {
		var ix index
		if ix.build(context.Background(), []string{path}) != nil {
			continue
		}
		ends := report.NewEndpointTable(report.ConvIP, "")
		res, _ := names.New("n")
		if err := pipeline.RunFile(context.Background(), path, pipeline.Config{Warn: func(error) {}}, func(f *decode.Frame) error {
			ends.Add(f)
			res.LearnFrame(f)
			return nil
		}); err != nil {
			continue
		}
		var want bytes.Buffer
		if err := namedEndpoints(&want, ends, res); err != nil {
			t.Fatal(err)
		}
		if got := ix.reports["endpoints"]; !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("%s: endpoints report\n got: %.300s\nwant: %.300s", filepath.Base(path), got, want.Bytes())
		}
		n++
	}
	t.Logf("%d captures: endpoints identical", n)
	if n == 0 {
		t.Fatal("no capture")
	}
}
