package flow

import (
	"net/netip"
	"sort"

	"github.com/wirewatch/wirewatch/decode"
)

// Chunk is a piece of one direction of a TCP connection's byte stream,
// delivered in sequence order with retransmitted and overlapping bytes
// removed. Bytes never captured are reported in Gap, never glued over.
type Chunk struct {
	Stream int64
	// Dir is 0 for bytes sent by the endpoint that sent the connection's
	// first packet (Wireshark's follow "Node 0"), 1 for the other.
	Dir      int
	Src, Dst netip.AddrPort
	Frame    uint64 // frame that carried these bytes
	TS       int64
	Seq      uint32 // relative sequence number of Data[0]
	Data     []byte // valid only during the callback
	Gap      int    // bytes missing immediately before Data
}

type pendSeg struct {
	seq   uint32
	frame uint64
	ts    int64
	data  []byte
}

// reasmDir is the reassembly state of one direction.
type reasmDir struct {
	init     bool
	next     uint32 // next expected absolute sequence number
	pend     []pendSeg
	buffered int
}

func (r *reasmDir) reset() {
	for i := range r.pend {
		r.pend[i].data = nil
	}
	*r = reasmDir{pend: r.pend[:0]}
}

func (t *Tracker) emit(c *conn, dir int, frame uint64, ts int64, seq uint32, data []byte, gap int) {
	ch := Chunk{Stream: c.stream, Frame: frame, TS: ts, Data: data, Gap: gap}
	ch.Seq = seq - c.t.dirs[dir].baseSeq
	ch.Dir = 0
	if dir != int(c.first) {
		ch.Dir = 1
	}
	if dir == 0 {
		ch.Src, ch.Dst = c.key.A(), c.key.B()
	} else {
		ch.Src, ch.Dst = c.key.B(), c.key.A()
	}
	t.cfg.OnData(&ch)
}

// reassemble feeds one segment's payload into its direction's stream.
func (t *Tracker) reassemble(c *conn, dir int, f *decode.Frame, seq, seglen uint32, flags uint16) {
	if t.cfg.OnData == nil {
		return
	}
	if c.t.rs == nil {
		c.t.rs = new([2]reasmDir)
	}
	r := &c.t.rs[dir]
	start := seq
	if flags&thSYN != 0 {
		start++
		if !r.init {
			r.init, r.next = true, start
		}
	}
	data := f.Payload
	if seglen == 0 || len(data) == 0 {
		return
	}
	if len(data) > int(seglen) {
		data = data[:seglen]
	}
	if !r.init {
		r.init, r.next = true, start
	}
	if d := int32(start - r.next); d > 0 {
		// Out of order: hold a copy until the gap fills.
		r.pend = append(r.pend, pendSeg{seq: start, frame: f.Number, ts: f.TS, data: append([]byte(nil), data...)})
		r.buffered += len(data)
		sort.SliceStable(r.pend, func(i, j int) bool { return seqLT(r.pend[i].seq, r.pend[j].seq) })
		if r.buffered > t.cfg.MaxBuffered {
			t.skipGap(c, dir)
		}
		return
	} else if d < 0 {
		skip := -int64(d) // int64: -math.MinInt32 does not fit an int32
		if skip >= int64(len(data)) {
			return // retransmission of bytes already delivered
		}
		data = data[skip:]
		start = r.next
	}
	t.emit(c, dir, f.Number, f.TS, start, data, 0)
	r.next = start + uint32(len(data))
	t.drain(c, dir, 0)
}

// drain delivers pending segments that have become contiguous.
func (t *Tracker) drain(c *conn, dir int, gap int) {
	r := &c.t.rs[dir]
	n := 0
	for n < len(r.pend) {
		p := &r.pend[n]
		if seqGT(p.seq, r.next) {
			break
		}
		skip := int(r.next - p.seq)
		if skip < len(p.data) {
			t.emit(c, dir, p.frame, p.ts, r.next, p.data[skip:], gap)
			gap = 0
			r.next = p.seq + uint32(len(p.data))
		}
		r.buffered -= len(p.data)
		p.data = nil
		n++
	}
	if n > 0 {
		m := copy(r.pend, r.pend[n:])
		for i := m; i < len(r.pend); i++ {
			r.pend[i].data = nil
		}
		r.pend = r.pend[:m]
	}
}

// skipGap gives up on the missing bytes before the first pending segment,
// marking them as a gap.
func (t *Tracker) skipGap(c *conn, dir int) {
	r := &c.t.rs[dir]
	if len(r.pend) == 0 {
		return
	}
	gap := int(r.pend[0].seq - r.next)
	r.next = r.pend[0].seq
	t.drain(c, dir, gap)
}

// flushReasm delivers whatever is still held when a connection ends.
func (t *Tracker) flushReasm(c *conn) {
	if t.cfg.OnData == nil || c.t == nil || c.t.rs == nil {
		return
	}
	for dir := 0; dir < 2; dir++ {
		for len(c.t.rs[dir].pend) > 0 {
			t.skipGap(c, dir)
		}
	}
}
