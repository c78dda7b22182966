package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

// memProfiler serves the hidden WIREWATCH_MEMPROFILE=path environment
// variable: while the command runs it samples the heap every 250 ms and keeps
// the heap profile taken at the largest live heap seen, and at the end of the
// run writes that profile to path (read it with go tool pprof). A profile
// taken only at exit would show nothing: by then the pipeline's state is
// garbage.
type memProfiler struct {
	path string
	stop chan struct{}
	done sync.WaitGroup
	mu   sync.Mutex
	max  uint64
	prof []byte
}

func startMemProfile() *memProfiler {
	path := os.Getenv("WIREWATCH_MEMPROFILE")
	if path == "" {
		return nil
	}
	runtime.MemProfileRate = 4096 // finer than the default 512 KiB: state of 100 k small objects shows
	m := &memProfiler{path: path, stop: make(chan struct{})}
	m.done.Add(1)
	go func() {
		defer m.done.Done()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-m.stop:
				return
			case <-tick.C:
				m.sample()
			}
		}
	}()
	return m
}

func (m *memProfiler) sample() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapAlloc <= m.max {
		return
	}
	var buf bytes.Buffer
	if err := pprof.Lookup("heap").WriteTo(&buf, 0); err != nil {
		return
	}
	m.mu.Lock()
	m.max, m.prof = ms.HeapAlloc, buf.Bytes()
	m.mu.Unlock()
}

// finish stops sampling and writes the profile kept.
func (m *memProfiler) finish(stderr io.Writer) {
	if m == nil {
		return
	}
	close(m.stop)
	m.done.Wait()
	if m.prof == nil {
		m.sample()
	}
	if err := os.WriteFile(m.path, m.prof, 0o644); err != nil {
		fmt.Fprintf(stderr, "wirewatch: WIREWATCH_MEMPROFILE: %v\n", err)
		return
	}
	fmt.Fprintf(stderr, "wirewatch: heap profile at %d MiB live heap written to %s\n", m.max>>20, m.path)
}
