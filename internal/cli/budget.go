package cli

import (
	"fmt"
	"io"
	"strconv"

	"github.com/wirewatch/wirewatch/flow"
)

// Memory budgets. A capture of a SYN flood, a port scan or DNS amplification
// holds hundreds of thousands of conversations at once; every per-flow and
// per-host table is bounded so memory stays flat (docs/architecture.md,
// "Memory"). --max-flows N sets the flow tracker's budget of live
// conversations per protocol (default flow.DefaultMaxConns); diagnose keeps
// N/2 TCP connections and N hosts (defaults analyze.DefaultMaxConns and
// 100000). What a full budget ended early is counted and reported: a note on
// standard error for read and stats, an expert note in stats expert, a line
// (and JSON fields) in diagnose.

// flowBudget parses the value of --max-flows.
func flowBudget(cmd, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 2 {
		return 0, usagef("%s: --max-flows %q: want a number of conversations, at least 2", cmd, v)
	}
	return n, nil
}

// noteEvictions writes the eviction note to w (standard error).
func noteEvictions(w io.Writer, ev *flow.Evictions, max int) {
	if s := ev.Summary(max); s != "" {
		fmt.Fprintf(w, "wirewatch: note: %s\n", s)
	}
}
