package flow

import "github.com/wirewatch/wirewatch/decode"

// UDP conversations an SDP or Skinny message set up ahead of the traffic.
//
// Wireshark numbers udp.stream per conversation: the UDP dissector calls
// find_or_create_conversation, which finds an exact 5-tuple conversation
// first, else a wildcard one (address and port of one endpoint, which
// SDP's and Skinny's RTP/RTCP/T.38 registrations create with
// conversation_new, a new one for each setup frame), and creates an exact
// conversation only when neither exists. A conversation's stream number
// is given the first time a UDP datagram finds it. So a 5-tuple whose
// first datagram found a registration is numbered by the registration in
// force for each datagram (a new setup frame starts a new stream, and the
// two directions can find different registrations), while a 5-tuple seen
// before any registration keeps its own number. The decoder identifies
// the registration (decode.Frame.MediaConv); this file numbers them.

// maxWild bounds the registrations remembered; beyond it the table starts
// again (a flood of setups gets fresh numbers, never unbounded memory).
const maxWild = 1 << 16

// newWildUDP starts a 5-tuple whose datagrams find media conversations:
// it takes no stream number of its own.
func (t *Tracker) newWildUDP(key Key, dir int, ts int64) *conn {
	c := t.newConn(key, dir, decode.ProtoUDP, ts)
	t.udpStreams-- // newConn numbered it; the media conversation will
	c.wild = true
	return c
}

// wildStream returns the udp.stream of media conversation id, numbering
// it on first use.
func (t *Tracker) wildStream(id uint64) int64 {
	if s, ok := t.wild[id]; ok {
		return s
	}
	if t.wild == nil || len(t.wild) >= maxWild {
		t.wild = make(map[uint64]int64)
	}
	s := t.udpStreams
	t.udpStreams++
	t.wild[id] = s
	return s
}
