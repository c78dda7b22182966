package analyze_test

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/internal/corpus"
)

// warp rewrites a capture with every time offset multiplied by k, so the
// same stacks and agents seem to use other timeouts (and RTTs).
func warp(t *testing.T, in, out string, k float64) {
	t.Helper()
	r, err := capture.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	fh, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	var w *capture.PcapWriter
	var t0 int64
	for n := 0; ; n++ {
		p, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			var fe *capture.FormatError
			if errors.As(err, &fe) && fe.Resumable {
				continue
			}
			t.Fatal(err)
		}
		if w == nil {
			if w, err = capture.NewPcapWriter(fh, p.LinkType, 262144, true); err != nil {
				t.Fatal(err)
			}
			t0 = p.TS
		}
		info := p.Info
		info.TS = t0 + int64(float64(p.TS-t0)*k)
		if err := w.WritePacket(info, p.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	fh.Close()
}

// TestUnseenTimeouts stretches the lab's blocked-dependency and DNS captures
// in time, so their timeouts are no longer round numbers (2 s × 2.2 = 4.4 s,
// 3 s × 1.55 = 4.65 s), and checks the culprit and its timeout are still found:
// the engine must not depend on the timings it was developed on. The shared
// scenarios are stretched too (5 s × 0.71 = 3.55 s, 5 s × 1.37 = 6.85 s).
func TestUnseenTimeouts(t *testing.T) {
	ex := filepath.Join("..", "examples")
	sc := corpus.Scenarios(t)
	for _, c := range []struct {
		dir, name string
		k         float64
	}{{ex, "fail-open", 2.2}, {ex, "fail-open-arp", 1.7}, {ex, "dns-server-timeout", 1.55}, {sc, "S1", 0.71}, {sc, "S2", 1.37}} {
		t.Run(c.name, func(t *testing.T) {
			src := filepath.Join(c.dir, c.name+".pcapng")
			raw, err := os.ReadFile(filepath.Join(c.dir, c.name+".truth.json"))
			if err != nil {
				t.Skipf("SKIP: %v", err)
			}
			var tf truthFile
			if err := json.Unmarshal(raw, &tf); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), c.name+".pcap")
			warp(t, src, out, c.k)
			eng := diagnoseFile(t, out, analyze.Config{})
			want := tf.RootCause.Culprit
			found := false
			for _, f := range eng.Findings() {
				if string(f.Category) != tf.RootCause.Category || f.Culprit == nil || f.Culprit.Host.String() != want.Host {
					continue
				}
				found = true
				exp := want.TimeoutS * c.k
				if math.Abs(f.Culprit.TimeoutS-exp) > 0.1*exp {
					t.Errorf("timeout %.3f s, want %.3f s (truth %.3f × %.2f)", f.Culprit.TimeoutS, exp, want.TimeoutS, c.k)
				}
				t.Logf("%s ×%.2f: %s: %s (timeout %.3f s)", c.name, c.k, f.Severity, f.Title, f.Culprit.TimeoutS)
			}
			if !found {
				for _, f := range eng.Findings() {
					t.Logf("got %s %s %s", f.Severity, f.Category, f.Title)
				}
				t.Errorf("no %s finding with culprit %s after stretching time ×%.2f", tf.RootCause.Category, want.Host, c.k)
			}
		})
	}
}
