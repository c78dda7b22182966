package flow

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// AppReassembly shows HTTP/1.x messages, TLS records and DNS-over-TCP
// messages that span TCP segments the way Wireshark does: decoded into the
// frame whose segment completes them (with decode.Decoder.DecodeStream) and
// removed from the frames before. Call Apply after Tracker.Process:
//
//	app := flow.NewAppReassembly(dec)
//	for each frame f: dec.Decode(&f, p); tr.Process(&f); app.Apply(&f)
//
// It follows each direction's sequence numbers as tshark does: a
// retransmission is skipped, a segment after bytes that were never captured
// starts afresh. Memory per connection direction is one decode.AppStream: an
// HTTP head, a TLS record or a DNS message at most (bodies are counted, not
// kept). Not safe for concurrent use.
type AppReassembly struct {
	dec  *decode.Decoder
	dirs map[appKey]*appDir
	// Partial is set by Apply when the frame's payload only starts or
	// continues a message that a later frame completes (tshark's
	// "[TCP segment of a reassembled PDU]").
	Partial bool
}

type appKey struct {
	stream int64
	src    netip.AddrPort
}

type appDir struct {
	next uint32 // next expected absolute sequence number
	st   decode.AppStream
}

// appMaxDirs bounds the directions tracked; past it the table starts over
// (connections that never close would otherwise pile up).
const appMaxDirs = 1 << 16

// NewAppReassembly returns an AppReassembly decoding with dec.
func NewAppReassembly(dec *decode.Decoder) *AppReassembly {
	return &AppReassembly{dec: dec, dirs: map[appKey]*appDir{}}
}

// Apply updates f, which Tracker.Process has just seen, with the messages its
// TCP payload completes. It allocates only for a new connection direction.
func (a *AppReassembly) Apply(f *decode.Frame) {
	a.Partial = false
	if !f.Has(decode.ProtoTCP) || f.Analysis.Stream < 0 {
		return
	}
	k := appKey{f.Analysis.Stream, frameSrc(f)}
	d := a.dirs[k]
	flags := f.TCP.Flags
	if d == nil {
		if len(f.Payload) == 0 && flags&decode.TCPSyn == 0 {
			return
		}
		if len(a.dirs) >= appMaxDirs {
			clear(a.dirs)
		}
		d = &appDir{next: f.TCP.Seq}
		a.dirs[k] = d
	}
	seq := f.TCP.Seq
	if flags&decode.TCPSyn != 0 {
		d.next = seq + 1
		d.st.Reset()
		return
	}
	if p := f.Payload; len(p) > 0 {
		switch diff := int32(seq - d.next); {
		case diff < 0: // retransmitted or overlapping bytes
			if int(-diff) >= len(p) {
				p = nil
			} else {
				p = p[-diff:]
			}
		case diff > 0: // bytes never captured: start afresh
			d.st.Reset()
		}
		if len(p) > 0 {
			a.Partial = d.st.Segment(a.dec, f, p)
			d.next = seq + uint32(len(f.Payload))
		}
	}
	if flags&(decode.TCPFin|decode.TCPRst) != 0 {
		// The sender's direction ends: a response running to the close completes here.
		d.st.Close(a.dec, f)
		delete(a.dirs, k)
	}
}

// frameSrc is the sender of a TCP frame.
func frameSrc(f *decode.Frame) netip.AddrPort {
	switch {
	case f.Has(decode.ProtoIP):
		return netip.AddrPortFrom(f.IP.Src, f.TCP.SrcPort)
	case f.Has(decode.ProtoIPv6):
		return netip.AddrPortFrom(f.IPv6.Src, f.TCP.SrcPort)
	}
	return netip.AddrPort{}
}
