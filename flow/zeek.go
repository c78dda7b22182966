package flow

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// Zeek endpoint states (TCP_INACTIVE ... TCP_RESET), simplified.
const (
	zInactive uint8 = iota
	zSynSent
	zSynAckSent
	zPartial
	zEstablished
	zClosed
	zReset
)

// zeekDir is one endpoint's Zeek state and history counters.
type zeekDir struct {
	state                     uint8
	size                      uint64 // payload bytes
	retx, zeroWin, gap        uint32
	lastSyn, lastFin, lastRst uint32 // seq+1 of the last s/h, f, r letter recorded
}

// ConnSummary is what a Tracker reports about a connection when it ends:
// Zeek conn.log-like figures plus Wireshark's stream number.
type ConnSummary struct {
	Proto        decode.Proto // decode.ProtoTCP or decode.ProtoUDP
	Stream       int64        // tcp.stream or udp.stream
	Orig, Resp   netip.AddrPort
	First, Last  int64 // ns since epoch
	OrigPkts     uint64
	RespPkts     uint64
	OrigBytes    uint64 // payload bytes sent by the originator
	RespBytes    uint64
	OrigIPBytes  uint64 // frame bytes
	RespIPBytes  uint64
	State        string // Zeek conn_state: S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR, OTH
	History      string // Zeek history letters
	Completeness uint8  // tcp.completeness at the end (TCP only)
}

func (c *conn) summary(s *ConnSummary) {
	o, r := int(c.zOrig), 1-int(c.zOrig)
	ep := [2]netip.AddrPort{c.key.A(), c.key.B()}
	*s = ConnSummary{
		Proto: c.proto, Stream: c.stream, Orig: ep[o], Resp: ep[r], First: c.firstTS, Last: c.lastTS,
		OrigPkts: c.pkts[o], RespPkts: c.pkts[r], OrigBytes: c.payload[o], RespBytes: c.payload[r],
		OrigIPBytes: c.bytes[o], RespIPBytes: c.bytes[r], Completeness: c.completeness,
		History: string(c.history[:c.nhist]),
	}
	s.State = c.connState()
}

func (c *conn) addHist(b byte) {
	if int(c.nhist) < len(c.history) {
		c.history[c.nhist] = b
		c.nhist++
	}
}

// letter returns the history letter for code (lower case) sent in direction dir.
func (c *conn) letter(dir int, code byte) byte {
	if dir == int(c.zOrig) {
		return code - 'a' + 'A'
	}
	return code
}

// once records code at most once per direction.
func (c *conn) once(dir int, code byte, bit uint) {
	m := uint32(1) << (bit*2 + uint(dir))
	if c.zSeen&m == 0 {
		c.zSeen |= m
		c.addHist(c.letter(dir, code))
	}
}

// logScale records code when *n reaches 1, 10, 100, ...
func (c *conn) logScale(dir int, code byte, n *uint32) {
	*n++
	switch *n {
	case 1, 10, 100, 1000, 10000, 100000:
		c.addHist(c.letter(dir, code))
	}
}

func (t *Tracker) zeekTCP(c *conn, dir int, flags uint16, seq, seglen uint32, an uint32, window uint16) {
	if c.pkts[0]+c.pkts[1] == 1 && flags&(thSYN|thACK) == thSYN|thACK {
		// The responder spoke first: flip, as Zeek does.
		c.zOrig = uint8(1 - dir)
		c.zFlipped = true
		c.addHist('^')
	}
	e, p := &c.z[dir], &c.z[1-dir]
	syn, fin, rst, ack := flags&thSYN != 0, flags&thFIN != 0, flags&thRST != 0, flags&thACK != 0
	if syn && (fin || rst) {
		c.once(dir, 'q', 0)
	} else if fin && rst {
		c.once(dir, 'i', 1)
	}
	if syn {
		code := byte('s')
		if ack {
			code = 'h'
		}
		if e.lastSyn != seq+1 {
			e.lastSyn = seq + 1
			c.addHist(c.letter(dir, code))
		}
		if e.state == zInactive || e.state == zPartial {
			if ack {
				e.state = zSynAckSent
			} else {
				e.state = zSynSent
			}
		}
	}
	if fin {
		if e.lastFin != seq+1 {
			e.lastFin = seq + 1
			c.addHist(c.letter(dir, 'f'))
		}
		if e.state != zReset {
			e.state = zClosed
		}
	}
	if rst {
		if e.lastRst != seq+1 {
			e.lastRst = seq + 1
			c.addHist(c.letter(dir, 'r'))
		}
		e.state = zReset
	}
	if seglen > 0 {
		c.once(dir, 'd', 2)
	} else if ack && !syn && !fin && !rst {
		c.once(dir, 'a', 3)
	}
	if an&(decode.AnRetransmission|decode.AnFastRetransmission|decode.AnSpuriousRetransmission) != 0 && seglen > 0 {
		c.logScale(dir, 't', &e.retx)
	}
	if window == 0 && !rst && !syn {
		c.logScale(dir, 'w', &e.zeroWin)
	}
	if an&decode.AnLostSegment != 0 {
		c.logScale(dir, 'g', &e.gap)
	}
	if !syn && !fin && !rst {
		switch e.state {
		case zInactive:
			if p.state == zSynAckSent || p.state == zEstablished {
				e.state = zEstablished
			} else {
				e.state = zPartial
			}
		case zSynSent, zSynAckSent:
			if ack {
				e.state = zEstablished
			}
		}
		if ack && p.state == zSynAckSent {
			p.state = zEstablished
		}
		if ack && p.state == zSynSent && e.state == zEstablished {
			p.state = zEstablished
		}
	}
	e.size += uint64(seglen)
}

func (c *conn) zeekUDP(dir int) {
	c.z[dir].state = zEstablished
	if dir == int(c.zOrig) {
		c.once(dir, 'd', 2)
	} else {
		c.once(dir, 'd', 2)
	}
}

// connState is Zeek's conn_state for the connection.
func (c *conn) connState() string {
	o, r := &c.z[c.zOrig], &c.z[1-c.zOrig]
	os, rs := o.state, r.state
	if c.proto == decode.ProtoUDP {
		switch {
		case os != zInactive && rs != zInactive:
			return "SF"
		case os != zInactive:
			return "S0"
		case rs != zInactive:
			return "SHR"
		}
		return "OTH"
	}
	oInactive := os == zInactive || os == zPartial
	rInactive := rs == zInactive || rs == zPartial
	switch {
	case rs == zReset:
		if os == zSynSent || os == zSynAckSent || (os == zReset && o.size == 0 && r.size == 0) {
			return "REJ"
		}
		if oInactive {
			return "RSTRH"
		}
		return "RSTR"
	case os == zReset:
		if rInactive {
			h := c.history[:c.nhist]
			if len(h) > 0 && h[0] == '^' {
				h = h[1:]
			}
			if len(h) > 0 && h[0] == 'S' && r.state == zInactive {
				return "RSTOS0"
			}
			return "OTH"
		}
		return "RSTO"
	case rs == zClosed && os == zClosed:
		return "SF"
	case os == zClosed:
		if rInactive {
			return "SH"
		}
		return "S2"
	case rs == zClosed:
		if oInactive {
			return "SHR"
		}
		return "S3"
	case os == zSynSent && rs == zInactive:
		return "S0"
	case os == zEstablished && rs == zEstablished:
		return "S1"
	}
	return "OTH"
}
