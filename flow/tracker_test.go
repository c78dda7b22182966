package flow_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/flow"
)

const (
	syn = decode.TCPSyn
	ack = decode.TCPAck
	fin = decode.TCPFin
	rst = decode.TCPRst
	psh = decode.TCPPsh
)

var (
	cli = netip.MustParseAddr("10.0.0.1")
	srv = netip.MustParseAddr("10.0.0.2")
)

// conn builds hand-made TCP segments of one connection.
type conv struct {
	n  uint64
	ts int64
}

type segSpec struct {
	fromClient bool
	seq, ack   uint32
	flags      uint16
	win        uint16
	len        int
	ws         int // window-scale option on SYNs; -1 none
	dt         time.Duration
}

func (c *conv) frame(s segSpec) *decode.Frame {
	c.n++
	c.ts += int64(s.dt)
	f := &decode.Frame{Number: c.n, TS: c.ts, Len: 54 + s.len}
	f.Analysis = decode.Analysis{Stream: -1, WindowSize: -1, WinScale: -1, AckRTT: -1, InitialRTT: -1, BytesInFlight: -1}
	f.Present = decode.Protos(decode.ProtoFrame, decode.ProtoIP, decode.ProtoTCP)
	f.Layers = []decode.Layer{{Proto: decode.ProtoIP, Off: 14}, {Proto: decode.ProtoTCP, Off: 34}}
	t := &f.TCP
	if s.fromClient {
		f.IP.Src, f.IP.Dst, t.SrcPort, t.DstPort = cli, srv, 40000, 80
	} else {
		f.IP.Src, f.IP.Dst, t.SrcPort, t.DstPort = srv, cli, 80, 40000
	}
	t.Seq, t.Ack, t.Flags, t.Window, t.PayloadLen = s.seq, s.ack, s.flags, s.win, s.len
	t.HdrLen, t.HdrAvail = 20, 20
	if s.ws >= 0 && s.flags&syn != 0 {
		t.HasWScale, t.WScale = true, uint8(s.ws)
	}
	f.Payload = make([]byte, s.len)
	for i := range f.Payload {
		f.Payload[i] = byte('a' + i%26)
	}
	return f
}

// handshake runs a three-way handshake (client ISN 1000, server ISN 5000,
// both with window scale 2) and returns the tracker.
func handshake(t *testing.T, tr *flow.Tracker, c *conv) {
	t.Helper()
	for _, s := range []segSpec{
		{fromClient: true, seq: 1000, flags: syn, win: 65535, ws: 2},
		{seq: 5000, ack: 1001, flags: syn | ack, win: 65535, ws: 2, dt: 10 * time.Millisecond},
		{fromClient: true, seq: 1001, ack: 5001, flags: ack, win: 1000, ws: -1, dt: 10 * time.Millisecond},
	} {
		tr.Process(c.frame(s))
	}
}

func TestHandshakeRelativeNumbersAndRTT(t *testing.T) {
	tr := flow.NewTracker()
	c := &conv{ts: int64(time.Second)}
	f1 := c.frame(segSpec{fromClient: true, seq: 1000, flags: syn, win: 65535, ws: 2})
	tr.Process(f1)
	f2 := c.frame(segSpec{seq: 5000, ack: 1001, flags: syn | ack, win: 65535, ws: 2, dt: 10 * time.Millisecond})
	tr.Process(f2)
	f3 := c.frame(segSpec{fromClient: true, seq: 1001, ack: 5001, flags: ack, win: 1000, ws: -1, dt: 12 * time.Millisecond})
	tr.Process(f3)
	f4 := c.frame(segSpec{fromClient: true, seq: 1001, ack: 5001, flags: ack | psh, win: 1000, ws: -1, len: 100, dt: time.Millisecond})
	tr.Process(f4)
	f5 := c.frame(segSpec{seq: 5001, ack: 1101, flags: ack, win: 500, ws: -1, dt: 30 * time.Millisecond})
	tr.Process(f5)

	a := f2.Analysis
	if a.Stream != 0 || a.RelSeq != 0 || a.RelAck != 1 || a.NextSeq != 1 {
		t.Errorf("SYN-ACK: stream %d seq %d ack %d nxtseq %d, want 0 0 1 1", a.Stream, a.RelSeq, a.RelAck, a.NextSeq)
	}
	if a.AckedFrame != 1 || a.AckRTT != int64(10*time.Millisecond) {
		t.Errorf("SYN-ACK acks frame %d after %d, want frame 1 after 10ms", a.AckedFrame, a.AckRTT)
	}
	if a.WindowSize != 65535 {
		t.Errorf("SYN-ACK window %d, want 65535 (SYNs are never scaled)", a.WindowSize)
	}
	if a := f3.Analysis; a.WindowSize != 4000 || a.WinScale != 2 {
		t.Errorf("ACK window %d scale %d, want 4000 and 2", a.WindowSize, a.WinScale)
	}
	if a := f3.Analysis; a.InitialRTT != int64(22*time.Millisecond) {
		t.Errorf("iRTT %d, want 22ms", a.InitialRTT)
	}
	if a := f4.Analysis; a.RelSeq != 1 || a.NextSeq != 101 || a.Completeness != flow.CompSyn|flow.CompSynAck|flow.CompAck { // as Wireshark: the value before this segment
		t.Errorf("data: seq %d nxtseq %d completeness %d", a.RelSeq, a.NextSeq, a.Completeness)
	}
	if a := f5.Analysis; a.AckedFrame != 4 || a.AckRTT != int64(30*time.Millisecond) || a.RelAck != 101 {
		t.Errorf("ACK of data: acks %d rtt %d ack %d", a.AckedFrame, a.AckRTT, a.RelAck)
	}
	if a := f5.Analysis; a.TimeRelative != int64(53*time.Millisecond) || a.TimeDelta != int64(30*time.Millisecond) {
		t.Errorf("time_relative %d time_delta %d", a.TimeRelative, a.TimeDelta)
	}
}

func TestMidstreamWithoutHandshake(t *testing.T) {
	tr := flow.NewTracker()
	c := &conv{}
	f := c.frame(segSpec{fromClient: true, seq: 777, ack: 999, flags: ack, win: 300, ws: -1, len: 10})
	tr.Process(f)
	if a := f.Analysis; a.RelSeq != 1 || a.RelAck != 1 || a.WindowSize != 300 || a.WinScale != -1 {
		t.Errorf("mid-stream: seq %d ack %d window %d scale %d, want 1 1 300 -1", a.RelSeq, a.RelAck, a.WindowSize, a.WinScale)
	}
}

func TestRetransmissionsAndDupAcks(t *testing.T) {
	tr := flow.NewTracker()
	c := &conv{}
	handshake(t, tr, c)
	var fr []*decode.Frame
	p := func(s segSpec) *decode.Frame {
		s.ws = -1
		if s.win == 0 && s.flags&rst == 0 {
			s.win = 1000
		}
		f := c.frame(s)
		tr.Process(f)
		fr = append(fr, f)
		return f
	}
	d1 := p(segSpec{seq: 5001, ack: 1001, flags: ack, len: 100, dt: time.Millisecond})
	d2 := p(segSpec{seq: 5101, ack: 1001, flags: ack, len: 100, dt: time.Millisecond}) // lost later
	_ = d2
	d3 := p(segSpec{seq: 5301, ack: 1001, flags: ack, len: 100, dt: time.Millisecond}) // 5201 missing
	a1 := p(segSpec{fromClient: true, seq: 1001, ack: 5101, flags: ack, dt: time.Millisecond})
	a2 := p(segSpec{fromClient: true, seq: 1001, ack: 5101, flags: ack, dt: time.Millisecond})
	a3 := p(segSpec{fromClient: true, seq: 1001, ack: 5101, flags: ack, dt: time.Millisecond})
	fast := p(segSpec{seq: 5101, ack: 1001, flags: ack, len: 100, dt: time.Millisecond})
	rto := p(segSpec{seq: 5101, ack: 1001, flags: ack, len: 100, dt: time.Second})
	ka := p(segSpec{seq: 5400, ack: 1001, flags: ack, len: 0, dt: time.Second})

	if d1.Analysis.Flags != 0 {
		t.Errorf("first data flagged %#x", d1.Analysis.Flags)
	}
	if d3.Analysis.Flags&decode.AnLostSegment == 0 {
		t.Errorf("segment after a hole not flagged lost_segment: %#x", d3.Analysis.Flags)
	}
	if d3.Analysis.LostBytes != 100 || d1.Analysis.LostBytes != 0 || fast.Analysis.LostBytes != 0 {
		t.Errorf("LostBytes: after the 5201-5300 hole %d (want 100), first data %d, retransmission %d (want 0)",
			d3.Analysis.LostBytes, d1.Analysis.LostBytes, fast.Analysis.LostBytes)
	}
	if a1.Analysis.Flags&decode.AnDuplicateAck != 0 {
		t.Errorf("first ACK flagged duplicate")
	}
	if a := a2.Analysis; a.Flags&decode.AnDuplicateAck == 0 || a.DupAckNum != 1 || a.DupAckFrame != a1.Number {
		t.Errorf("dup ack #1: flags %#x num %d frame %d", a.Flags, a.DupAckNum, a.DupAckFrame)
	}
	if a := a3.Analysis; a.DupAckNum != 2 {
		t.Errorf("dup ack #2: num %d", a.DupAckNum)
	}
	if fast.Analysis.Flags&decode.AnFastRetransmission == 0 {
		t.Errorf("retransmission after 2 dup ACKs within 20ms not fast: %#x", fast.Analysis.Flags)
	}
	if rto.Analysis.Flags&decode.AnRetransmission == 0 || rto.Analysis.Flags&decode.AnFastRetransmission != 0 {
		t.Errorf("late retransmission: %#x, want plain retransmission", rto.Analysis.Flags)
	}
	if ka.Analysis.Flags&decode.AnKeepAlive == 0 {
		t.Errorf("seq = nextseq-1 with no data not a keep-alive: %#x", ka.Analysis.Flags)
	}
}

func TestOutOfOrderAndWindows(t *testing.T) {
	tr := flow.NewTracker()
	c := &conv{}
	handshake(t, tr, c)
	p := func(s segSpec) *decode.Frame {
		s.ws = -1
		f := c.frame(s)
		tr.Process(f)
		return f
	}
	p(segSpec{seq: 5001, ack: 1001, flags: ack, win: 1000, len: 100, dt: time.Millisecond})
	p(segSpec{seq: 5201, ack: 1001, flags: ack, win: 1000, len: 100, dt: time.Millisecond})
	ooo := p(segSpec{seq: 5101, ack: 1001, flags: ack, win: 1000, len: 100, dt: 100 * time.Microsecond})
	if ooo.Analysis.Flags&decode.AnOutOfOrder == 0 {
		t.Errorf("segment filling a hole 0.1ms later not out-of-order: %#x", ooo.Analysis.Flags)
	}
	zw := p(segSpec{fromClient: true, seq: 1001, ack: 5301, flags: ack, win: 0, dt: time.Millisecond})
	if zw.Analysis.Flags&decode.AnZeroWindow == 0 {
		t.Errorf("window 0 not zero_window: %#x", zw.Analysis.Flags)
	}
	zwp := p(segSpec{seq: 5301, ack: 1001, flags: ack, win: 1000, len: 1, dt: time.Millisecond})
	if zwp.Analysis.Flags&decode.AnZeroWindowProbe == 0 {
		t.Errorf("1 byte into a zero window not a probe: %#x", zwp.Analysis.Flags)
	}
	upd := p(segSpec{fromClient: true, seq: 1001, ack: 5301, flags: ack, win: 800, dt: time.Millisecond})
	if upd.Analysis.Flags&decode.AnWindowUpdate == 0 {
		t.Errorf("window reopened not a window update: %#x", upd.Analysis.Flags)
	}
}

func TestPortReuseAndZeekState(t *testing.T) {
	var sums []flow.ConnSummary
	tr := flow.NewTrackerConfig(flow.Config{OnEnd: func(s *flow.ConnSummary) { sums = append(sums, *s) }})
	c := &conv{}
	handshake(t, tr, c)
	for _, s := range []segSpec{
		{fromClient: true, seq: 1001, ack: 5001, flags: ack | psh, win: 1000, len: 10, ws: -1, dt: time.Millisecond},
		{seq: 5001, ack: 1011, flags: ack | fin, win: 1000, ws: -1, dt: time.Millisecond},
		{fromClient: true, seq: 1011, ack: 5002, flags: ack | fin, win: 1000, ws: -1, dt: time.Millisecond},
		{seq: 5002, ack: 1012, flags: ack, win: 1000, ws: -1, dt: time.Millisecond},
	} {
		tr.Process(c.frame(s))
	}
	again := c.frame(segSpec{fromClient: true, seq: 90000, flags: syn, win: 65535, ws: -1, dt: time.Millisecond})
	tr.Process(again)
	if a := again.Analysis; a.Stream != 1 || a.Flags&decode.AnReusedPorts == 0 {
		t.Errorf("new SYN with another ISN: stream %d flags %#x, want stream 1 with reused_ports", a.Stream, a.Flags)
	}
	rej := c.frame(segSpec{seq: 0, ack: 90001, flags: rst | ack, ws: -1, dt: time.Millisecond})
	tr.Process(rej)
	tr.Flush()
	if len(sums) != 2 {
		t.Fatalf("%d summaries, want 2", len(sums))
	}
	if s := sums[0]; s.State != "SF" || s.History != "ShADfFa" || s.Stream != 0 || s.Orig.Addr() != cli {
		t.Errorf("first connection: %s %q stream %d orig %s", s.State, s.History, s.Stream, s.Orig)
	}
	if s := sums[1]; s.State != "REJ" || s.History != "Sr" {
		t.Errorf("rejected connection: %s %q, want REJ Sr", s.State, s.History)
	}
}

func TestExpiryKeepsStreamNumbers(t *testing.T) {
	tr := flow.NewTrackerConfig(flow.Config{IdleTimeout: time.Second, UDPTimeout: time.Second})
	c := &conv{}
	handshake(t, tr, c)
	if tr.Live() != 1 {
		t.Fatalf("live %d, want 1", tr.Live())
	}
	// Another connection much later: the first one expires.
	other := c.frame(segSpec{fromClient: true, seq: 1, flags: syn, win: 100, ws: -1, dt: 10 * time.Second})
	other.TCP.SrcPort = 40001
	tr.Process(other)
	if tr.Live() != 1 || other.Analysis.Stream != 1 {
		t.Fatalf("after expiry: live %d, new stream %d; want 1 and 1", tr.Live(), other.Analysis.Stream)
	}
	// The first connection resumes: same stream, same relative numbers.
	late := c.frame(segSpec{fromClient: true, seq: 1001, ack: 5001, flags: ack | psh, win: 1000, len: 5, ws: -1, dt: time.Millisecond})
	tr.Process(late)
	if a := late.Analysis; a.Stream != 0 || a.RelSeq != 1 || a.RelAck != 1 || a.WindowSize != 4000 {
		t.Errorf("resumed: stream %d seq %d ack %d window %d, want 0 1 1 4000", a.Stream, a.RelSeq, a.RelAck, a.WindowSize)
	}
}

func TestReassemblyOrdersAndMarksGaps(t *testing.T) {
	var got []string
	var gaps []int
	tr := flow.NewTrackerConfig(flow.Config{MaxBuffered: 150, OnData: func(ch *flow.Chunk) {
		got = append(got, string(ch.Data))
		gaps = append(gaps, ch.Gap)
	}})
	c := &conv{}
	handshake(t, tr, c)
	p := func(seq uint32, n int) {
		f := c.frame(segSpec{seq: seq, ack: 1001, flags: ack, win: 1000, len: n, ws: -1, dt: time.Millisecond})
		tr.Process(f)
	}
	p(5001, 10)  // in order
	p(5021, 10)  // out of order: held
	p(5011, 10)  // fills the hole: delivers 5011 then 5021
	p(5011, 10)  // retransmission: nothing new
	p(5041, 100) // hole of 10 bytes at 5031, held
	p(5141, 100) // over the 150-byte cap: the hole is skipped and marked
	if len(got) != 5 {
		t.Fatalf("%d chunks, want 5", len(got))
	}
	if gaps[3] != 10 || gaps[4] != 0 || gaps[0] != 0 {
		t.Errorf("gaps %v, want [0 0 0 10 0]", gaps)
	}
	if got[1] != string(c.frame(segSpec{len: 10}).Payload) {
		t.Errorf("chunk order wrong")
	}
}

func TestSteadyStateAllocatesNothing(t *testing.T) {
	tr := flow.NewTracker()
	c := &conv{}
	handshake(t, tr, c)
	seq, ackn := uint32(5001), uint32(1001)
	data := c.frame(segSpec{seq: seq, ack: ackn, flags: ack, win: 1000, len: 100, ws: -1})
	back := c.frame(segSpec{fromClient: true, seq: ackn, ack: seq, flags: ack, win: 1000, ws: -1})
	step := func() {
		data.TCP.Seq = seq
		data.TS += 1000
		data.Analysis = decode.Analysis{Stream: -1, WindowSize: -1, WinScale: -1, AckRTT: -1, InitialRTT: -1, BytesInFlight: -1}
		tr.Process(data)
		seq += 100
		back.TCP.Ack = seq
		back.TS += 1000
		back.Analysis = decode.Analysis{Stream: -1, WindowSize: -1, WinScale: -1, AckRTT: -1, InitialRTT: -1, BytesInFlight: -1}
		tr.Process(back)
	}
	for i := 0; i < 100; i++ {
		step()
	}
	if n := testing.AllocsPerRun(1000, step); n != 0 {
		t.Errorf("%.1f allocations per data+ACK pair, want 0", n)
	}
}

// BenchmarkTracker measures Process on a steady mix of 64 bulk connections.
func BenchmarkTracker(b *testing.B) {
	tr := flow.NewTracker()
	const nconn = 64
	type cs struct {
		data, back *decode.Frame
		seq        uint32
	}
	conns := make([]cs, nconn)
	c := &conv{}
	for i := range conns {
		data := c.frame(segSpec{seq: 5001, ack: 1001, flags: ack, win: 1000, len: 1400, ws: -1})
		back := c.frame(segSpec{fromClient: true, seq: 1001, ack: 5001, flags: ack, win: 1000, ws: -1})
		data.TCP.DstPort = uint16(30000 + i)
		back.TCP.SrcPort = uint16(30000 + i)
		conns[i] = cs{data, back, 5001}
	}
	reset := decode.Analysis{Stream: -1, WindowSize: -1, WinScale: -1, AckRTT: -1, InitialRTT: -1, BytesInFlight: -1}
	ts := int64(0)
	b.ReportAllocs()
	b.SetBytes(1400)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := &conns[i%nconn]
		ts += 1000
		k.data.TCP.Seq, k.data.TS, k.data.Analysis = k.seq, ts, reset
		tr.Process(k.data)
		k.seq += 1400
		if (i/nconn)%2 == 1 {
			k.back.TCP.Ack, k.back.TS, k.back.Analysis = k.seq, ts, reset
			tr.Process(k.back)
		}
	}
}

// TestRandomSegments feeds random, inconsistent segments (hostile input)
// through every part of the tracker; it must neither panic nor grow beyond
// its limits.
func TestRandomSegments(t *testing.T) {
	var chunks int
	dec := decode.NewDecoder(decode.Options{})
	tr := flow.NewTrackerConfig(flow.Config{Decoder: dec, MaxBuffered: 4096, OnData: func(ch *flow.Chunk) { chunks++ }, OnEnd: func(*flow.ConnSummary) {}})
	state := uint64(1)
	rnd := func(n uint64) uint64 {
		state ^= state << 13
		state ^= state >> 7
		state ^= state << 17
		return state % n
	}
	c := &conv{}
	flagSet := []uint16{syn, syn | ack, ack, ack | psh, fin | ack, rst, rst | ack, syn | fin, 0, fin | rst | syn | ack}
	for i := 0; i < 50000; i++ {
		s := segSpec{
			fromClient: rnd(2) == 0,
			seq:        uint32(rnd(5000)) + uint32(rnd(3))*0x7fffffff,
			ack:        uint32(rnd(5000)),
			flags:      flagSet[rnd(uint64(len(flagSet)))],
			win:        uint16(rnd(3) * 1000),
			len:        int(rnd(4)) * int(rnd(700)),
			ws:         int(rnd(20)) - 2,
			dt:         time.Duration(rnd(3000)) * time.Millisecond,
		}
		f := c.frame(s)
		f.TCP.SrcPort += uint16(rnd(3))
		if rnd(50) == 0 {
			f.TCP.Short = true
		}
		if rnd(7) == 0 {
			f.Payload = f.Payload[:len(f.Payload)/2] // cut by the snapshot length
		}
		if rnd(3) == 0 && s.len > 4 {
			copy(f.Payload, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
		}
		tr.Process(f)
	}
	tr.Flush()
	if tr.Live() != 0 {
		t.Errorf("%d connections live after Flush", tr.Live())
	}
	t.Logf("%d chunks delivered", chunks)
}
