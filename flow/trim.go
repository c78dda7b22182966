package flow

// Pooled per-connection state must not keep what a past connection grew:
// otherwise every pooled tcpState ends up holding the largest buffers ever
// seen, and memory creeps up with the length of the capture instead of
// following the live connections.

// Retained capacities above these are dropped when a connection ends.
const (
	keepSegs  = 64 // unacked segments per direction (24 B each)
	keepPends = 8  // out-of-order reassembly pieces per direction
	// keepSegsIdle is the unacked-segment capacity a direction keeps once
	// all its data is acknowledged (segList.ack).
	keepSegsIdle = 16
)

// trim releases what a finished connection's TCP state grew beyond the
// sizes a typical connection needs, before the state goes back to the pool.
// The application-PDU streams are dropped whole: their message buffers and
// header scratch grow with the largest HTTP head seen, and they are cheap to
// allocate again for the connections that need them.
func (s *tcpState) trim() {
	for i := range s.dirs {
		if cap(s.dirs[i].segs.s) > keepSegs {
			s.dirs[i].segs.s = nil
		}
		if s.rs != nil && cap(s.rs[i].pend) > keepPends {
			s.rs[i].pend = nil
		}
	}
	s.pdu = nil
	s.tls = nil
}
