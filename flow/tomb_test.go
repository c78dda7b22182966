package flow_test

import (
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/flow"
)

// TestTombCapForgetsOldestGeneration checks Config.MaxTombs: ended
// connections are remembered in two generations of MaxTombs/2, so a later
// packet of a recently ended connection continues its stream while one of
// the oldest generation, forgotten, starts a new stream.
func TestTombCapForgetsOldestGeneration(t *testing.T) {
	tr := flow.NewTrackerConfig(flow.Config{IdleTimeout: time.Second, MaxTombs: 4})
	c := &conv{}
	port := func(p uint16, s segSpec) int64 {
		f := c.frame(s)
		f.TCP.SrcPort = p
		tr.Process(f)
		return f.Analysis.Stream
	}
	// Six connections 2 s apart: each one ends (idle) when the next starts.
	for i := uint16(0); i < 6; i++ {
		if s := port(40000+i, segSpec{fromClient: true, seq: 1000, flags: syn, win: 100, ws: -1, dt: 2 * time.Second}); s != int64(i) {
			t.Fatalf("connection %d got stream %d", i, s)
		}
	}
	if tr.Live() != 1 {
		t.Fatalf("live %d, want 1 (the others ended)", tr.Live())
	}
	// Buried 0..4; generations of 2: {0,1} forgotten, {2,3} and {4} kept.
	for _, p := range []uint16{3, 2, 4} {
		if s := port(40000+p, segSpec{fromClient: true, seq: 1001, flags: ack, win: 100, ws: -1, dt: time.Millisecond}); s != int64(p) {
			t.Errorf("packet of ended connection %d: stream %d, want %d (its tomb)", p, s, p)
		}
	}
	if s := port(40000, segSpec{fromClient: true, seq: 1001, flags: ack, win: 100, ws: -1, dt: time.Millisecond}); s != 6 {
		t.Errorf("packet of the forgotten connection 0: stream %d, want the new stream 6", s)
	}
}
