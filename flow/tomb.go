package flow

import (
	"hash/maphash"
	"time"

	"github.com/wirewatch/wirewatch/decode"
)

// A tomb is what the tracker remembers of a connection after it expires:
// its stream number and the sequence-analysis anchors, about 100 bytes. A
// later packet on the same addresses and ports revives the connection with
// the same tcp.stream / udp.stream and relative numbering, as Wireshark
// (which forgets nothing) would show it, while the expensive state (unacked
// segment lists, reassembly buffers) is gone. Tombs are dropped after
// Config.TombTimeout.
type tomb struct {
	firstTS, prevTS int64
	endTS           int64
	stream          int64
	base, next      [2]uint32
	maxAck, lastAck [2]uint32
	win             [2]uint32
	irtt            int32 // µs
	ws              [2]int8
	baseSet         [2]bool
	closing         [2]bool
	zst             [2]uint8
	first, zOrig    uint8
	comp            uint8
}

// ckey names a connection in the tomb maps: a 64-bit hash of its
// addresses and ports (seeded per process), so a tomb entry costs 8 bytes of
// key instead of 38 and nothing for the garbage collector to scan. Two
// different connections share a ckey with probability about n/2^64 for n
// tombs (below 10^-14 at the MaxTombs default): then a new connection would
// wrongly continue the other's stream.
type ckey uint64

// fullKey is a Key without pointers, the input of the hash.
type fullKey struct {
	a, b   [16]byte
	pa, pb uint16
	is4    uint8 // bit 0: a is IPv4, bit 1: b is IPv4
}

var tombSeed = maphash.MakeSeed()

func compactKey(k Key) ckey {
	c := fullKey{a: k.A.Addr().As16(), b: k.B.Addr().As16(), pa: k.A.Port(), pb: k.B.Port()}
	if k.A.Addr().Is4() {
		c.is4 |= 1
	}
	if k.B.Addr().Is4() {
		c.is4 |= 2
	}
	return ckey(maphash.Comparable(tombSeed, c))
}

func (t *Tracker) bury(c *conn) {
	b := tomb{stream: c.stream, firstTS: c.firstTS, prevTS: c.prevTS, endTS: c.lastTS, irtt: int32(min(c.initialRTT/1000, 1<<31-1)),
		first: uint8(c.first), zOrig: uint8(c.zOrig), comp: c.completeness}
	for i := 0; i < 2; i++ {
		b.zst[i] = c.z[i].state
		if c.t != nil {
			d := &c.t.dirs[i]
			b.base[i], b.next[i], b.maxAck[i], b.lastAck[i] = d.baseSeq, d.nextSeq, d.maxSeqToBeAcked, d.lastAck
			b.win[i], b.ws[i], b.baseSet[i], b.closing[i] = d.window, d.winScale, d.baseSet, d.closing
		}
	}
	k := compactKey(c.key)
	half := max(t.cfg.MaxTombs/2, 1)
	if c.proto == decode.ProtoTCP {
		if len(t.tcpTombs) >= half { // a new generation; the oldest is forgotten
			t.tcpOld, t.tcpTombs = t.tcpTombs, make(map[ckey]tomb, len(t.tcpOld)/2)
		}
		delete(t.tcpOld, k)
		t.tcpTombs[k] = b
	} else {
		if len(t.udpTombs) >= half {
			t.udpOld, t.udpTombs = t.udpTombs, make(map[ckey]udpTomb, len(t.udpOld)/2)
		}
		delete(t.udpOld, k)
		t.udpTombs[k] = udpTomb{stream: c.stream, endTS: c.lastTS}
	}
}

// tcpTomb finds the tomb of a TCP connection, newer generation first.
func (t *Tracker) tcpTomb(k ckey) (tomb, bool) {
	if b, ok := t.tcpTombs[k]; ok {
		return b, true
	}
	b, ok := t.tcpOld[k]
	return b, ok
}

// udpTomb finds the tomb of a UDP conversation, newer generation first.
func (t *Tracker) udpTomb(k ckey) (udpTomb, bool) {
	if b, ok := t.udpTombs[k]; ok {
		return b, true
	}
	b, ok := t.udpOld[k]
	return b, ok
}

// udpTomb is all a UDP conversation needs to continue its udp.stream.
type udpTomb struct {
	stream int64
	endTS  int64
}

// reviveUDP brings back a buried UDP conversation for a packet at ts.
func (t *Tracker) reviveUDP(key Key, b udpTomb, dir int, ts int64) *conn {
	c := t.alloc()
	*c = conn{key: key, proto: decode.ProtoUDP, firstTS: ts, prevTS: ts, lastTS: ts, first: dir, zOrig: dir, stream: b.stream}
	delete(t.udpTombs, compactKey(key))
	delete(t.udpOld, compactKey(key))
	t.list(c).pushFront(c)
	return c
}

// revive brings back a buried TCP connection for a new packet at ts.
func (t *Tracker) revive(key Key, b *tomb, p decode.Proto, ts int64) *conn {
	c := t.alloc()
	*c = conn{key: key, proto: p, firstTS: b.firstTS, prevTS: b.prevTS, lastTS: ts, first: int(b.first),
		zOrig: int(b.zOrig), completeness: b.comp, initialRTT: int64(b.irtt) * 1000, stream: b.stream}
	for i := 0; i < 2; i++ {
		c.z[i].state = b.zst[i]
	}
	if p == decode.ProtoTCP {
		c.t = t.tcpState()
		for i := 0; i < 2; i++ {
			d := &c.t.dirs[i]
			d.baseSeq, d.nextSeq, d.maxSeqToBeAcked, d.lastAck = b.base[i], b.next[i], b.maxAck[i], b.lastAck[i]
			d.window, d.winScale, d.baseSet, d.closing = b.win[i], b.ws[i], b.baseSet[i], b.closing[i]
		}
		delete(t.tcpTombs, compactKey(key))
		delete(t.tcpOld, compactKey(key))
	}
	t.list(c).pushFront(c)
	return c
}

// sweepTombs forgets tombs older than the tomb timeout; it runs once a
// minute of packet time. A map emptied by the sweep is rebuilt, since a Go
// map never gives back the room it grew to.
func (t *Tracker) sweepTombs(ts int64) {
	if ts-t.lastSweep < int64(time.Minute) && ts >= t.lastSweep {
		return
	}
	t.lastSweep = ts
	max := int64(t.cfg.TombTimeout)
	t.tcpTombs = sweep(t.tcpTombs, ts, max, func(b tomb) int64 { return b.endTS })
	t.tcpOld = sweep(t.tcpOld, ts, max, func(b tomb) int64 { return b.endTS })
	t.udpTombs = sweep(t.udpTombs, ts, max, func(b udpTomb) int64 { return b.endTS })
	t.udpOld = sweep(t.udpOld, ts, max, func(b udpTomb) int64 { return b.endTS })
}

// sweep deletes the entries of m that ended more than max before ts and
// returns m, or a compact copy when most of a large map was deleted.
func sweep[V any](m map[ckey]V, ts, max int64, end func(V) int64) map[ckey]V {
	n := len(m)
	for k, b := range m {
		if ts-end(b) > max {
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
