package flow

import "github.com/wirewatch/wirewatch/decode"

// Application-PDU desegmentation: like Wireshark (tcp.desegment on), an
// HTTP message, TLS record or DNS-over-TCP message that spans segments is
// shown on the frame that completes it. decode.AppStream does the
// protocol work; this file feeds it each direction's in-order bytes, skips
// retransmitted ones, restarts after a gap and closes it on FIN/RST.

// pduDir is one direction's desegmentation state.
type pduDir struct {
	init bool
	next uint32 // next expected absolute sequence number
	app  decode.AppStream
}

func (p *pduDir) reset() {
	p.init, p.next = false, 0
	p.app.Forget()
}

// desegment feeds one segment to its direction's AppStream.
func (t *Tracker) desegment(c *conn, dir int, f *decode.Frame, seq, seglen uint32, flags uint16) {
	d := t.cfg.Decoder
	if d == nil {
		return
	}
	d.TrackWindows(f) // state of this goroutine's Decoder, in capture order
	if t.cfg.NoDesegment {
		return
	}
	if c.t.pdu == nil {
		// Allocated with the first payload byte: a connection that never
		// carries data (a SYN flood, a scan) costs no desegmentation state.
		// What the SYNs taught (where each direction's data starts) is in
		// the TCP state already.
		if seglen == 0 || len(f.Payload) == 0 {
			return
		}
		c.t.pdu = new([2]pduDir)
		for i := range c.t.pdu {
			c.t.pdu[i].app.SetTLSVersion(c.t.tlsVer)
			if td := &c.t.dirs[i]; td.sawSyn {
				c.t.pdu[i].init, c.t.pdu[i].next = true, td.baseSeq+1
			}
		}
	}
	p := &c.t.pdu[dir]
	p.app.Pair(&c.t.pdu[dir^1].app)
	data := f.Payload
	if len(data) > int(seglen) {
		data = data[:seglen]
	}
	start := seq
	if flags&thSYN != 0 {
		start++
		p.init, p.next = true, start
		p.app.Reset()
	}
	if !p.init {
		p.init, p.next = true, start
	}
	if len(data) > 0 {
		if len(data) < int(seglen) {
			// Cut short by the snapshot length: the message cannot be rebuilt.
			p.app.Reset()
			if c.t.tls != nil {
				c.t.tls.Reset(dir)
			}
			p.next = start + seglen
		} else {
			switch diff := int32(start - p.next); {
			case diff < 0: // retransmitted or overlapping bytes
				if -int64(diff) >= int64(len(data)) {
					data = nil
					p.app.Skip(f)
				} else {
					data = data[-int64(diff):]
				}
			case diff > 0: // bytes missing
				if p.app.Gap(uint32(diff)) {
					break // a record the hole falls inside keeps its known end
				}
				p.app.Reset()
				if c.t.tls != nil {
					c.t.tls.Reset(dir)
				}
			}
			switch {
			case len(data) == 0:
			case f.Has(decode.ProtoWebSocket):
				// WebSocket frames after an upgrade (decoded per segment)
				p.next = start + seglen
				data = nil
			case c.t.tls != nil && c.t.tls.Cleartext():
				// HTTP/2 over cleartext TCP (h2c): frames, not HTTP/1.x messages
				d.H2CSegment(c.t.tls, dir, f, data)
				p.next = start + seglen
				data = nil
			case decode.H2Preface(data):
				c.t.tls = d.NewH2C(dir)
				d.H2CSegment(c.t.tls, dir, f, data)
				p.next = start + seglen
				data = nil
			}
			if len(data) > 0 {
				if p.app.Segment(d, f, data) {
					f.PDUSegment = true // "[TCP segment of a reassembled PDU]" in the Info column
				}
				if decode.H2CUpgradeRequest(f) {
					c.t.h2cAsked = true
				}
				if rest, ok := decode.H2CUpgrade(f, data); ok && c.t.h2cAsked {
					// 101 Switching Protocols to h2c: HTTP/2 from the next byte
					c.t.tls = d.NewH2C(dir ^ 1)
					d.H2CSegment(c.t.tls, dir, f, rest)
				}
				if d.KeyLog() != nil && (c.t.tls == nil || !c.t.tls.Cleartext()) {
					// TLS decryption (a key log was given): the records these
					// bytes complete, decrypted, and what they carry.
					if c.t.tls == nil && decode.TLSRecordStart(data) {
						c.t.tls = d.NewTLSDecrypt()
					}
					if c.t.tls != nil {
						d.TLSSegment(c.t.tls, dir, f, data)
					}
				}
				p.next = start + seglen
			}
		}
	}
	if flags&(thFIN|thRST) != 0 {
		p.app.Close(d, f)
	}
}
