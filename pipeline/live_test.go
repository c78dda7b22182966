package pipeline_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/capture/live"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/internal/netns"
	"github.com/wirewatch/wirewatch/pipeline"
)

// TestRunOnLiveSource runs the pull form over a live capture.Source, as
// over a file: frames numbered from 1, the interface named, the tracker
// run (udp.stream), the display filter applied, until the context ends.
func TestRunOnLiveSource(t *testing.T) {
	p := netns.NewPair(t)
	var src *live.Source
	if err := netns.Do(p.A, func() (err error) { src, err = live.Open(live.Config{Interfaces: []string{p.IfA}}); return err }); err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ctx, cancel := context.WithCancel(context.Background())
	src.SetContext(ctx)
	pl, err := pipeline.New(pipeline.Config{Filter: "udp.dstport == 9000 && !icmp && frame.interface_name == \"" + p.IfA + "\""})
	if err != nil {
		t.Fatal(err)
	}
	var got []decode.Frame
	done := make(chan error, 1)
	go func() {
		done <- pl.Run(context.Background(), src, func(f *decode.Frame) error {
			got = append(got, decode.Frame{Number: f.Number, InterfaceName: f.InterfaceName, Analysis: decode.Analysis{Stream: f.Analysis.Stream}})
			return nil
		})
	}()
	time.Sleep(100 * time.Millisecond)
	sent, err := p.Blast(20, 100, 9000)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v", err)
	}
	if len(got) != sent {
		t.Fatalf("%d frames displayed, %d datagrams sent", len(got), sent)
	}
	for i, f := range got {
		if f.InterfaceName != p.IfA || f.Analysis.Stream != got[0].Analysis.Stream || f.Analysis.Stream < 0 || i > 0 && f.Number <= got[i-1].Number {
			t.Fatalf("frame %d: %+v", i, f)
		}
	}
	t.Logf("%d live frames through pipeline.Run, udp.stream %d, interface %s", len(got), got[0].Analysis.Stream, p.IfA)
}
