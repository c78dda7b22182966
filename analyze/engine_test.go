package analyze_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/pipeline"
)

// TestReadyStreaming feeds a scenario frame by frame, as a live capture
// does, and asks for final findings along the way: the critical finding must
// come out before the end of the capture, every finding exactly once, and
// the rest after Flush.
func TestReadyStreaming(t *testing.T) {
	path := filepath.Join(corpus.Scenarios(t), "S1.pcapng")
	eng := analyze.New(analyze.Config{Settle: 2 * time.Second})
	seen := map[string]int{}
	early := 0
	var last int64
	err := pipeline.RunFile(context.Background(), path, pipeline.Config{}, func(f *decode.Frame) error {
		eng.Add(f)
		last = f.TS
		if f.Number%200 == 0 {
			for _, fd := range eng.Ready(f.TS) {
				seen[fd.Key]++
				if fd.Severity == analyze.Critical {
					early++
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	eng.Flush(last)
	for _, fd := range eng.Ready(last) {
		seen[fd.Key]++
	}
	if early == 0 {
		t.Errorf("no critical finding was ready before the end of the capture")
	}
	for k, c := range seen {
		if c != 1 {
			t.Errorf("finding %s reported %d times", k, c)
		}
	}
	if len(seen) != len(eng.Findings()) {
		t.Errorf("Ready reported %d findings, Findings has %d", len(seen), len(eng.Findings()))
	}
}

// TestFlushReportsOpen checks that transactions still open at the end are
// reported rather than dropped: the last S2 lookup never got an answer.
func TestFlushReportsOpen(t *testing.T) {
	eng := diagnoseFile(t, filepath.Join(corpus.Scenarios(t), "S2.pcapng"), analyze.Config{})
	open := 0
	for _, f := range eng.Findings() {
		for _, s := range f.Stalls {
			if s.Open {
				open++
				if s.EndFrame != 0 {
					t.Errorf("open stall with an end frame: %+v", s)
				}
			}
		}
	}
	if open == 0 {
		t.Errorf("no open stall reported at the end of S2")
	}
	if s := eng.Summary(); s.DNSOpenAtEnd == 0 {
		t.Errorf("summary: no DNS query open at end: %+v", s)
	}
}
