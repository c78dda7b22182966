package cli

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// startCPUProfile starts a CPU profile written to the file named by the
// hidden WIREWATCH_CPUPROFILE environment variable, for finding per-packet
// cost (go tool pprof FILE). The returned function stops it.
func startCPUProfile(stderr io.Writer) func() {
	path := os.Getenv("WIREWATCH_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(stderr, "wirewatch: WIREWATCH_CPUPROFILE: %v\n", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(stderr, "wirewatch: WIREWATCH_CPUPROFILE %s: %v\n", path, err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(stderr, "wirewatch: WIREWATCH_CPUPROFILE %s: %v\n", path, err)
		}
	}
}
