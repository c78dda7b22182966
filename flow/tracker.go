package flow

import "github.com/wirewatch/wirewatch/decode"

// Tracker assigns streams and fills decode.Frame.Analysis, one frame at a
// time in capture order. Not safe for concurrent use.
type Tracker struct {
	txn txnTable // DNS/HTTP request ↔ response matching (txn.go)
}

// NewTracker returns an empty Tracker.
func NewTracker() *Tracker { return &Tracker{txn: newTxnTable()} }

// Process updates connection state with f and fills f.Analysis.
func (t *Tracker) Process(f *decode.Frame) {
	t.processConn(f)
	t.txn.process(f)
}

// processConn is connection tracking and TCP analysis (conn.go).
func (t *Tracker) processConn(f *decode.Frame) {}
