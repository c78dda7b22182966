package flow

import "github.com/wirewatch/wirewatch/decode"

// Tracker assigns streams and fills decode.Frame.Analysis, one frame at a
// time in capture order. Not safe for concurrent use.
type Tracker struct{}

// NewTracker returns an empty Tracker.
func NewTracker() *Tracker { return &Tracker{} }

// Process updates connection state with f and fills f.Analysis.
func (t *Tracker) Process(f *decode.Frame) {
	// TODO(flow owner)
}
