package flow

import "fmt"

// Summary words what a full flow budget of max live conversations per
// protocol (0: DefaultMaxConns) did, "" when nothing.
func (e *Evictions) Summary(max int) string {
	if e == nil || e.Total() == 0 {
		return ""
	}
	if max <= 0 {
		max = DefaultMaxConns
	}
	return fmt.Sprintf("flow table budget of %d live conversations per protocol full: %d TCP and %d UDP conversations ended early "+
		"(a later packet continues their stream while its tomb lasts; raise it with --max-flows)", max, e.TCP, e.UDP)
}
