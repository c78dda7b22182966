package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is the garbage collector's target used unless GOGC is set. The
// pipeline allocates almost nothing per packet (the heap grows with the
// connections tracked, not with packets), so collecting at 40% growth
// instead of Go's default 100% costs little CPU and keeps the peak heap, and
// so the RSS, close to the live state: on the 1 GB bench capture
// `stats expert` peaks about 6 MiB lower (docs/architecture.md, Memory).
const gcPercent = 40

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
