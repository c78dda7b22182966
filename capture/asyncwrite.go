package capture

import (
	"io"
	"sync"
	"sync/atomic"
)

// asyncWriter is write-behind buffering for capture files: records are
// appended to a slab while a goroutine writes the previous slabs out, so the
// loop that drains the kernel ring waits for the disk only when every slab is
// full. Flush waits until everything handed over is written.
type asyncWriter struct {
	w    io.Writer
	cur  []byte
	free chan []byte
	full chan []byte // nil slab: flush marker
	done chan struct{}
	mu   sync.Mutex
	err  error
	bad  atomic.Bool // err is set: checked per write without the lock
}

func newAsyncWriter(w io.Writer, slabs, size int) *asyncWriter {
	a := &asyncWriter{w: w, free: make(chan []byte, slabs), full: make(chan []byte, slabs+1), done: make(chan struct{})}
	for i := 1; i < slabs; i++ {
		a.free <- make([]byte, 0, size)
	}
	a.cur = make([]byte, 0, size)
	go a.run()
	return a
}

func (a *asyncWriter) run() {
	for slab := range a.full {
		if slab == nil {
			a.done <- struct{}{}
			continue
		}
		if a.error() == nil {
			if _, err := a.w.Write(slab); err != nil {
				a.mu.Lock()
				a.err = err
				a.mu.Unlock()
				a.bad.Store(true)
			}
		}
		a.free <- slab[:0]
	}
}

func (a *asyncWriter) error() error {
	if !a.bad.Load() {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

// AvailableBuffer is an empty slice with the room left in the current slab.
func (a *asyncWriter) AvailableBuffer() []byte { return a.cur[len(a.cur):] }

// Write appends b (copied), handing the slab over when it is full.
func (a *asyncWriter) Write(b []byte) (int, error) {
	if len(a.cur)+len(b) > cap(a.cur) && len(a.cur) > 0 {
		a.full <- a.cur
		a.cur = <-a.free
	}
	a.cur = append(a.cur, b...)
	return len(b), a.error()
}

// Flush writes everything buffered and waits for it.
func (a *asyncWriter) Flush() error {
	if len(a.cur) > 0 {
		a.full <- a.cur
		a.cur = <-a.free
	}
	a.full <- nil
	<-a.done
	return a.error()
}

// Reset directs later writes to w; call it after Flush.
func (a *asyncWriter) Reset(w io.Writer) {
	a.w = w
	a.mu.Lock()
	a.err = nil
	a.mu.Unlock()
	a.bad.Store(false)
}

// Close stops the writing goroutine (after Flush).
func (a *asyncWriter) Close() { close(a.full) }

// Push hands the current slab to the writing goroutine without waiting.
func (a *asyncWriter) Push() error {
	if len(a.cur) > 0 {
		a.full <- a.cur
		a.cur = <-a.free
	}
	return a.error()
}
