package flow

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// AppReassembly shows HTTP/1.x messages, TLS records and DNS-over-TCP
// messages that span TCP segments the way Wireshark does: decoded into the
// frame whose segment completes them (with decode.Decoder.DecodeStream) and
// removed from the frames before. It rides on the Tracker's in-order byte
// streams; wire it as
//
//	app := flow.NewAppReassembly(dec, cfg.OnData)
//	cfg.OnData = app.OnData
//	tr := flow.NewTrackerConfig(cfg)
//	for each frame f: dec.Decode(&f, p); app.Process(tr, &f)
//
// Memory per connection direction is an AppStream: an HTTP head, a TLS
// record or a DNS message at most (bodies are counted, not kept).
type AppReassembly struct {
	dec  *decode.Decoder
	next func(*Chunk)
	cur  *decode.Frame
	dirs map[appKey]*appDir
	// Partial is set during Process when the frame's payload only starts or
	// continues a message that a later frame completes (tshark's
	// "[TCP segment of a reassembled PDU]").
	Partial bool
}

type appKey struct {
	stream int64
	dir    int
}

type appDir struct {
	src netip.AddrPort
	st  decode.AppStream
}

// appMaxDirs bounds the directions tracked; past it the table starts over
// (connections that never close would otherwise pile up).
const appMaxDirs = 1 << 16

// NewAppReassembly returns an AppReassembly decoding with dec. next, when
// not nil, also receives every chunk (for example a follow-stream consumer).
func NewAppReassembly(dec *decode.Decoder, next func(*Chunk)) *AppReassembly {
	return &AppReassembly{dec: dec, next: next, dirs: map[appKey]*appDir{}}
}

// Process runs tr.Process(f) and applies application reassembly to f. tr
// must have been configured with OnData set to a.OnData.
func (a *AppReassembly) Process(tr *Tracker, f *decode.Frame) {
	a.cur, a.Partial = f, false
	tr.Process(f)
	a.cur = nil
	if !f.Has(decode.ProtoTCP) || f.TCP.Flags&(decode.TCPFin|decode.TCPRst) == 0 || f.Analysis.Stream < 0 {
		return
	}
	// The sender's direction ends: a response running to the close completes here.
	for dir := 0; dir < 2; dir++ {
		k := appKey{f.Analysis.Stream, dir}
		d := a.dirs[k]
		if d == nil || d.src != frameSrc(f) {
			continue
		}
		d.st.Close(a.dec, f)
		delete(a.dirs, k)
	}
}

// OnData is the Tracker's Config.OnData callback.
func (a *AppReassembly) OnData(ch *Chunk) {
	if a.next != nil {
		a.next(ch)
	}
	if a.cur == nil {
		return
	}
	k := appKey{ch.Stream, ch.Dir}
	d := a.dirs[k]
	if d == nil {
		if len(a.dirs) >= appMaxDirs {
			clear(a.dirs)
		}
		d = &appDir{src: ch.Src}
		a.dirs[k] = d
	}
	if ch.Gap > 0 {
		d.st.Reset()
	}
	if d.st.Segment(a.dec, a.cur, ch.Data) {
		a.Partial = true
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
