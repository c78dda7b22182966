package flow

import (
	"hash/maphash"
	"time"

	"github.com/wirewatch/wirewatch/decode"
)

// A tomb is what the tracker remembers of a connection after it expires:
// its stream number and the sequence-analysis anchors. A later packet on the
// same addresses and ports revives the connection with the same tcp.stream /
// udp.stream and relative numbering, as Wireshark (which forgets nothing)
// would show it, while the expensive state (unacked segment lists,
// reassembly buffers) is gone. Tombs are dropped after Config.TombTimeout.
//
// There are three kinds, sized for what a revived connection needs: a tomb
// for a TCP connection that went idle while open (it may well resume, so
// every anchor is kept, 88 bytes); a closedTomb for one closed by FIN in
// both directions or by RST (only stragglers can follow, 56 bytes); and a
// udpTomb (8 bytes). Tombs are the part of the tracker's memory that grows
// with the number of connections a capture holds rather than with those
// open at once, so their size decides how memory grows on long captures.
type tomb struct {
	firstTS, prevTS int64
	endTS           int64
	stream          uint32
	irtt            int32 // µs
	base, next      [2]uint32
	maxAck, lastAck [2]uint32
	lastNonDup      [2]uint32 // frame of each direction's last ACK that was not a duplicate ([TCP Dup ACK N#k])
	win             [2]uint32
	ws              [2]int8
	zst             [2]uint8
	comp            uint8
	bits            tombBits
	tlsVer          uint16 // TLS version the connection negotiated (decode.AppStream.TLSVersion)
}

// closedTomb is the tomb of a connection closed by FIN both ways or by
// RST. A straggler (a retransmitted FIN, a late ACK or RST) keeps its
// stream, relative numbers, timestamps and window scaling; the
// acknowledgement anchors are taken as those of a completed close (each
// side acknowledged everything the other sent).
type closedTomb struct {
	firstTS, prevTS int64
	stream          uint32
	end             uint32 // when it was buried, in tombTick units
	irtt            int32  // µs
	base, next      [2]uint32
	win             [2]uint16 // last raw windows (a closed connection has seen both)
	ws              [2]int8
	zst             [2]uint8
	comp            uint8
	bits            tombBits
}

// tombBits packs a tomb's booleans and directions.
type tombBits uint8

const (
	tbFirst    tombBits = 1 << iota // c.first == 1
	tbZOrig                         // c.zOrig == 1
	tbBaseSet0                      // dirs[0].baseSet
	tbBaseSet1
	tbClosing0 // dirs[0].closing
	tbClosing1
)

// udpTomb is all a UDP conversation needs to continue its udp.stream: the
// stream and when it ended, in units of 2^30 ns (about a second).
type udpTomb struct {
	stream uint32
	end    uint32
}

// tombTick converts a timestamp to udpTomb.end units; differences are
// taken modulo 2^32 (136 years).
func tombTick(ts int64) uint32 { return uint32(ts >> 30) }

// generations holds tombs in two generations of at most half entries: when
// the newer fills up, the older is forgotten, so memory stays bounded
// however many connections a capture has.
type generations[V any] struct {
	cur, old map[ckey]V
}

func newGenerations[V any]() generations[V] {
	return generations[V]{cur: map[ckey]V{}, old: map[ckey]V{}}
}

func (g *generations[V]) put(k ckey, v V, half int) {
	if len(g.cur) >= half {
		g.old, g.cur = g.cur, make(map[ckey]V, len(g.old)/2)
	}
	delete(g.old, k)
	g.cur[k] = v
}

// take returns and removes the tomb of k, newer generation first.
func (g *generations[V]) take(k ckey) (V, bool) {
	if v, ok := g.cur[k]; ok {
		delete(g.cur, k)
		return v, true
	}
	v, ok := g.old[k]
	if ok {
		delete(g.old, k)
	}
	return v, ok
}

// sweep forgets the tombs for which expired is true.
func (g *generations[V]) sweep(expired func(V) bool) {
	g.cur = sweep(g.cur, expired)
	g.old = sweep(g.old, expired)
}

// ckey names a connection in the tomb maps: a 64-bit hash of its
// addresses and ports (seeded per process), so a tomb entry costs 8 bytes of
// key instead of 38 and nothing for the garbage collector to scan. Two
// different connections share a ckey with probability about n/2^64 for n
// tombs (below 10^-14 at the MaxTombs default): then a new connection would
// wrongly continue the other's stream.
type ckey uint64

var tombSeed = maphash.MakeSeed()

func compactKey(k Key) ckey { return ckey(maphash.Comparable(tombSeed, k)) }

// bury keeps a tomb of c, which expired at packet time now, so that a later
// packet of the connection continues its stream.
func (t *Tracker) bury(c *conn, now int64) {
	k := compactKey(c.key)
	half := max(t.cfg.MaxTombs/2, 1)
	// A tomb ages from when the connection ended, or from the burial when
	// packet time jumped ahead (records without a timestamp count as time
	// 0): a connection must not be forgotten in the sweep that buries it.
	end := max(c.lastTS, now)
	if c.proto != decode.ProtoTCP {
		t.udpTombs.put(k, udpTomb{stream: uint32(c.stream), end: tombTick(end)}, half)
		return
	}
	var bits tombBits
	if c.first == 1 {
		bits |= tbFirst
	}
	if c.zOrig == 1 {
		bits |= tbZOrig
	}
	irtt := int32(min(c.initialRTT/1000, 1<<31-1))
	var base, next, maxAck, lastAck, lastNonDup, win [2]uint32
	var ws [2]int8
	for i := 0; i < 2; i++ {
		if c.t == nil {
			break
		}
		d := &c.t.dirs[i]
		base[i], next[i], maxAck[i], lastAck[i], win[i], ws[i] = d.baseSeq, d.nextSeq, d.maxSeqToBeAcked, d.lastAck, d.window, d.winScale
		lastNonDup[i] = d.lastNonDupAck
		if d.baseSet {
			bits |= tbBaseSet0 << i
		}
		if d.closing {
			bits |= tbClosing0 << i
		}
	}
	zst := [2]uint8{c.z[0].state, c.z[1].state}
	if c.closed {
		t.closedTombs.put(k, closedTomb{firstTS: c.firstTS, prevTS: c.prevTS, stream: uint32(c.stream), end: tombTick(end), irtt: irtt,
			base: base, next: next, win: [2]uint16{uint16(win[0]), uint16(win[1])}, ws: ws, zst: zst, comp: c.completeness, bits: bits}, half)
		return
	}
	var tlsVer uint16
	if c.t != nil && c.t.pdu != nil {
		tlsVer = c.t.pdu[0].app.TLSVersion()
	}
	t.tcpTombs.put(k, tomb{firstTS: c.firstTS, prevTS: c.prevTS, endTS: end, stream: uint32(c.stream), irtt: irtt,
		base: base, next: next, maxAck: maxAck, lastAck: lastAck, lastNonDup: lastNonDup, win: win, ws: ws, zst: zst, comp: c.completeness, bits: bits,
		tlsVer: tlsVer}, half)
}

// takeTCPTomb finds and removes the tomb of a TCP connection.
func (t *Tracker) takeTCPTomb(k ckey) (tomb, bool) {
	if b, ok := t.tcpTombs.take(k); ok {
		return b, true
	}
	ct, ok := t.closedTombs.take(k)
	if !ok {
		return tomb{}, false
	}
	b := tomb{firstTS: ct.firstTS, prevTS: ct.prevTS, endTS: ct.prevTS, stream: ct.stream, irtt: ct.irtt,
		base: ct.base, next: ct.next, maxAck: ct.next, lastAck: [2]uint32{ct.next[1], ct.next[0]},
		win: [2]uint32{uint32(ct.win[0]), uint32(ct.win[1])}, ws: ct.ws, zst: ct.zst, comp: ct.comp, bits: ct.bits}
	return b, true
}

// reviveOrNew starts the connection of a packet at ts that has no live
// state: from its tomb when it has one, else as a new stream.
func (t *Tracker) reviveOrNew(key Key, dir int, p decode.Proto, ts int64) *conn {
	k := compactKey(key)
	if p == decode.ProtoTCP {
		if b, ok := t.takeTCPTomb(k); ok {
			return t.revive(key, &b, ts)
		}
	} else if b, ok := t.udpTombs.take(k); ok {
		return t.reviveUDP(key, b, dir, ts)
	}
	return t.newConn(key, dir, p, ts)
}

// reviveUDP brings back a buried UDP conversation for a packet at ts.
func (t *Tracker) reviveUDP(key Key, b udpTomb, dir int, ts int64) *conn {
	t.makeRoom(decode.ProtoUDP, ts)
	c := t.alloc()
	*c = conn{key: key, proto: decode.ProtoUDP, firstTS: ts, prevTS: ts, lastTS: ts, first: uint8(dir), zOrig: uint8(dir), stream: int64(b.stream)}
	t.list(c).pushFront(c)
	return c
}

// revive brings back a buried TCP connection for a new packet at ts.
func (t *Tracker) revive(key Key, b *tomb, ts int64) *conn {
	t.makeRoom(decode.ProtoTCP, ts)
	c := t.alloc()
	*c = conn{key: key, proto: decode.ProtoTCP, firstTS: b.firstTS, prevTS: b.prevTS, lastTS: ts,
		completeness: b.comp, initialRTT: int64(b.irtt) * 1000, stream: int64(b.stream)}
	if b.bits&tbFirst != 0 {
		c.first = 1
	}
	if b.bits&tbZOrig != 0 {
		c.zOrig = 1
	}
	c.t = t.tcpState()
	c.t.tlsVer = b.tlsVer
	for i := 0; i < 2; i++ {
		c.z[i].state = b.zst[i]
		d := &c.t.dirs[i]
		d.baseSeq, d.nextSeq, d.maxSeqToBeAcked, d.lastAck = b.base[i], b.next[i], b.maxAck[i], b.lastAck[i]
		d.lastNonDupAck = b.lastNonDup[i]
		d.window, d.winScale = b.win[i], b.ws[i]
		d.baseSet = b.bits&(tbBaseSet0<<i) != 0
		d.closing = b.bits&(tbClosing0<<i) != 0
	}
	// Bytes before each direction's next sequence number were seen, and
	// dissected, before the connection went idle: a later retransmission of
	// them is not dissected again (Wireshark, which forgets nothing, shows
	// it as bare TCP), so desegmentation resumes at that point.
	if t.cfg.Decoder != nil && !t.cfg.NoDesegment {
		if c.t.pdu == nil {
			c.t.pdu = new([2]pduDir)
		}
		for i := range c.t.pdu {
			c.t.pdu[i].app.SetTLSVersion(c.t.tlsVer)
			if d := &c.t.dirs[i]; d.baseSet {
				c.t.pdu[i].init, c.t.pdu[i].next = true, d.nextSeq
			}
		}
	}
	t.list(c).pushFront(c)
	return c
}

// sweepTombs forgets tombs older than the tomb timeout; it runs once a
// minute of packet time.
func (t *Tracker) sweepTombs(ts int64) {
	if ts-t.lastSweep < int64(time.Minute) && ts >= t.lastSweep {
		return
	}
	t.lastSweep = ts
	max := int64(t.cfg.TombTimeout)
	t.tcpTombs.sweep(func(b tomb) bool { return ts-b.endTS > max })
	now, maxTicks := tombTick(ts), uint32(max>>30)
	t.closedTombs.sweep(func(b closedTomb) bool { return now-b.end > maxTicks && int32(now-b.end) > 0 })
	t.udpTombs.sweep(func(b udpTomb) bool { return now-b.end > maxTicks && int32(now-b.end) > 0 })
}

// sweep deletes the entries of m for which expired is true and returns m,
// or a compact copy when most of a large map was deleted (a Go map never
// gives back the room it grew to).
func sweep[V any](m map[ckey]V, expired func(V) bool) map[ckey]V {
	n := len(m)
	for k, b := range m {
		if expired(b) {
			delete(m, k)
		}
	}
	if n >= 1024 && len(m) < n/4 {
		c := make(map[ckey]V, len(m))
		for k, b := range m {
			c[k] = b
		}
		return c
	}
	return m
}
