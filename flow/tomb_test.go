package flow_test

import (
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/decode"
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

// TestClosedTombKeepsStraggler checks the closed-connection tomb: a FIN
// retransmitted long after a connection closed (so after it was buried)
// keeps its stream, relative sequence numbers, time since the first packet
// and window scaling, and is a retransmission, as in Wireshark.
func TestClosedTombKeepsStraggler(t *testing.T) {
	tr := flow.NewTrackerConfig(flow.Config{ClosedTimeout: time.Second})
	c := &conv{}
	send := func(s segSpec) *decode.Frame {
		f := c.frame(s)
		tr.Process(f)
		return f
	}
	send(segSpec{fromClient: true, seq: 1000, flags: syn, win: 100, ws: 7})
	send(segSpec{fromClient: false, seq: 5000, ack: 1001, flags: syn | ack, win: 200, ws: 2, dt: time.Millisecond})
	send(segSpec{fromClient: true, seq: 1001, ack: 5001, flags: ack, win: 100, ws: -1, dt: time.Millisecond})
	send(segSpec{fromClient: true, seq: 1001, ack: 5001, flags: fin | ack, win: 100, ws: -1, dt: time.Millisecond})
	send(segSpec{fromClient: false, seq: 5001, ack: 1002, flags: fin | ack, win: 200, ws: -1, dt: time.Millisecond})
	send(segSpec{fromClient: true, seq: 1002, ack: 5002, flags: ack, win: 100, ws: -1, dt: time.Millisecond})
	// Another connection's packet 3 s later expires (buries) the first.
	o := c.frame(segSpec{fromClient: true, seq: 9, flags: syn, win: 100, ws: -1, dt: 3 * time.Second})
	o.TCP.SrcPort = 40001
	tr.Process(o)
	if tr.Live() != 1 || o.Analysis.Stream != 1 {
		t.Fatalf("after the idle gap: live %d, other stream %d; want 1 and 1", tr.Live(), o.Analysis.Stream)
	}
	f := send(segSpec{fromClient: false, seq: 5001, ack: 1002, flags: fin | ack, win: 200, ws: -1, dt: time.Millisecond})
	an := &f.Analysis
	if an.Stream != 0 {
		t.Errorf("straggler stream %d, want 0 (the buried connection's)", an.Stream)
	}
	if want := int64(3*time.Second + 6*time.Millisecond); an.TimeRelative != want {
		t.Errorf("straggler time_relative %d, want %d", an.TimeRelative, want)
	}
	if an.RelSeq != 1 || an.RelAck != 2 {
		t.Errorf("straggler seq/ack %d/%d, want 1/2 (relative to the buried connection's ISNs)", an.RelSeq, an.RelAck)
	}
	if an.WindowSize != 200<<2 {
		t.Errorf("straggler window size %d, want %d (scaled by the buried connection's factor)", an.WindowSize, 200<<2)
	}
	if an.Flags&decode.AnRetransmission == 0 {
		t.Errorf("straggler flags %#x, want retransmission", an.Flags)
	}
	// The final ACK repeated, same window: a duplicate ACK, as Wireshark
	// calls it (with the window forgotten it would be a window update).
	f = send(segSpec{fromClient: true, seq: 1002, ack: 5002, flags: ack, win: 100, ws: -1, dt: time.Millisecond})
	if f.Analysis.Stream != 0 || f.Analysis.Flags != decode.AnDuplicateAck {
		t.Errorf("repeated final ACK: stream %d flags %#x, want 0 and duplicate ACK only", f.Analysis.Stream, f.Analysis.Flags)
	}
}

// TestTombSurvivesTimeJump checks that a conversation buried because packet
// time jumped ahead (a record without a timestamp counts as time 0, as in
// tshark) keeps its stream: its tomb ages from the burial, so the same sweep
// does not forget it.
func TestTombSurvivesTimeJump(t *testing.T) {
	tr := flow.NewTracker()
	udp := func(sport uint16, ts int64) int64 {
		f := &decode.Frame{Number: 1, TS: ts, Len: 60}
		f.Analysis = decode.Analysis{Stream: -1}
		f.Present = decode.Protos(decode.ProtoFrame, decode.ProtoIP, decode.ProtoUDP)
		f.Layers = []decode.Layer{{Proto: decode.ProtoIP, Off: 14}, {Proto: decode.ProtoUDP, Off: 34}}
		f.IP.Src, f.IP.Dst = cli, srv
		f.UDP.SrcPort, f.UDP.DstPort = sport, 67
		tr.Process(f)
		return f.Analysis.Stream
	}
	if s := udp(68, 0); s != 0 {
		t.Fatalf("first conversation: stream %d", s)
	}
	if s := udp(69, int64(1340954905*time.Second)); s != 1 {
		t.Fatalf("second conversation: stream %d", s)
	}
	if s := udp(68, 0); s != 0 {
		t.Errorf("first conversation again (no timestamp): stream %d, want 0 (its tomb)", s)
	}
}

// TestIdleTombKeepsDupAckFrame checks that a duplicate ACK after the
// connection went idle (and was buried) still names the frame of the last
// ACK that was not a duplicate, as Wireshark's [TCP Dup ACK N#1] does.
func TestIdleTombKeepsDupAckFrame(t *testing.T) {
	tr := flow.NewTrackerConfig(flow.Config{IdleTimeout: time.Second})
	c := &conv{}
	send := func(s segSpec) *decode.Frame {
		f := c.frame(s)
		tr.Process(f)
		return f
	}
	send(segSpec{fromClient: true, seq: 1000, flags: syn, win: 100, ws: -1})
	send(segSpec{fromClient: false, seq: 5000, ack: 1001, flags: syn | ack, win: 200, ws: -1, dt: time.Millisecond})
	ackf := send(segSpec{fromClient: true, seq: 1001, ack: 5001, flags: ack, win: 100, ws: -1, dt: time.Millisecond})
	// Another connection's packet 3 s later buries the first.
	o := c.frame(segSpec{fromClient: true, seq: 9, flags: syn, win: 100, ws: -1, dt: 3 * time.Second})
	o.TCP.SrcPort = 40001
	tr.Process(o)
	if tr.Live() != 1 {
		t.Fatalf("live %d after the idle gap, want 1", tr.Live())
	}
	f := send(segSpec{fromClient: true, seq: 1001, ack: 5001, flags: ack, win: 100, ws: -1, dt: time.Millisecond})
	if an := &f.Analysis; an.Flags&decode.AnDuplicateAck == 0 || an.DupAckNum != 1 || an.DupAckFrame != ackf.Number {
		t.Errorf("dup ACK after burial: flags %#x num %d frame %d, want dup ACK #1 of frame %d", an.Flags, an.DupAckNum, an.DupAckFrame, ackf.Number)
	}
}
