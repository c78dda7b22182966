package report

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/pipeline"
)

// TestTextPrefix: the text packet list written with the No., Time,
// Source and Destination columns prepared on the decoding goroutine
// (TextPrefix) is byte for byte the list written without, in the parallel
// and the sequential pipeline, on the examples (every Time format) and the
// real corpus (WIREWATCH_WIDE=all: corpus/wide too).
func TestTextPrefix(t *testing.T) {
	files, _ := filepath.Glob("../examples/*.pcap*")
	real, _ := filepath.Glob(filepath.Join(corpus.Dir(t), "real", "*.pcap*"))
	files = append(files, real...)
	if os.Getenv("WIREWATCH_WIDE") == "all" {
		wide, _ := filepath.Glob(filepath.Join(corpus.Dir(t), "wide", "*.pcap*"))
		files = append(files, wide...)
	}
	list := func(path string, tf TimeFormat, prefix, parallel bool) (string, bool) {
		var out bytes.Buffer
		pw := NewPacketWriter(&out, PacketOptions{Format: FormatText, Time: tf})
		var rd pipeline.Meta
		cfg := pipeline.Config{Parallel: parallel, Warn: func(error) {}, OnOpen: func(m pipeline.Meta) { rd = m }}
		if prefix {
			if cfg.Prefix = TextPrefix(pw, &rd); cfg.Prefix == nil {
				t.Fatalf("no prefix hook for time format %d", tf)
			}
		}
		err := pipeline.RunFile(context.Background(), path, cfg, PacketList(pw, &rd, nil))
		pw.Close()
		return out.String(), err == nil
	}
	lines, files2 := 0, 0
	for _, path := range files {
		formats := []TimeFormat{TimeRelative}
		if strings.Contains(path, "examples") { // every Time format on the small ones
			formats = append(formats, TimeAbsolute, TimeAbsoluteDate, TimeDelta, TimeEpoch, TimeUTC, TimeUTCDate)
		}
		for _, tf := range formats {
			var want string
			for _, parallel := range []bool{true, false} {
				w, ok := list(path, tf, false, parallel)
				if !ok && w == "" {
					break // not a capture the reader opens
				}
				if want = w; parallel {
					lines += strings.Count(want, "\n") * b2i(tf == TimeRelative)
				}
				if got, _ := list(path, tf, true, parallel); got != want {
					g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
					for i := range min(len(g), len(w)) {
						if g[i] != w[i] {
							t.Fatalf("%s -t %d (parallel %v) line %d:\n  got:  %q\n  want: %q", filepath.Base(path), tf, parallel, i+1, g[i], w[i])
						}
					}
					t.Fatalf("%s -t %d: %d lines with the prefix hook, %d without", filepath.Base(path), tf, len(g), len(w))
				}
			}
			files2 += b2i(tf == TimeRelative)
		}
	}
	t.Logf("%d captures, %d lines: identical with the columns prepared while decoding", files2, lines)
	if lines == 0 {
		t.Fatal("no capture read")
	}
	if TextPrefix(NewPacketWriter(&bytes.Buffer{}, PacketOptions{Format: FormatText, Time: TimeDeltaDisplayed}), nil) != nil ||
		TextPrefix(NewPacketWriter(&bytes.Buffer{}, PacketOptions{Format: FormatText, Names: func(b []byte) []byte { return b }}), nil) != nil ||
		TextPrefix(NewPacketWriter(&bytes.Buffer{}, PacketOptions{Format: FormatFields}), nil) != nil {
		t.Fatal("a prefix hook for columns that depend on other frames, names or another format")
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
