package serve

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"
)

// TestProfIndex and TestProfFilter profile the index pass and an
// index-only filter on a big capture (WW_PROF=FILE go test ./serve -run
// TestProf -v -cpuprofile cpu.out); TestServe1GB measures the server.
// TestProfIndex and TestProfFilter profile the index pass and an
// index-only filter on a big capture (WW_PROF=FILE go test ./serve -run
// TestProf -v -cpuprofile cpu.out); TestServe1GB measures the server.
func TestProfIndex(t *testing.T) {
	p := os.Getenv("WW_PROF")
	if p == "" {
		t.Skip()
	}
	var ix index
	if err := ix.build(context.Background(), []string{p}); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows in %v; %s", ix.n(), ix.built, ix.stats())
}

func (ix *index) stats() string {
	ctx := 0
	for _, r := range ix.rows {
		if r.Bits&rowContext != 0 {
			ctx++
		}
	}
	an, tb := 0, 0
	for _, c := range ix.an {
		an += len(c)
	}
	for _, c := range ix.tblob {
		tb += len(c)
	}
	return fmt.Sprintf("context frames %d, texts kept for %d, analysis %d MB, texts %d MB, rows %d MB", ctx, len(ix.texts), an>>20, tb>>20, len(ix.rows)*rowSize>>20)
}
func TestProfFilter(t *testing.T) {
	p := os.Getenv("WW_PROF")
	if p == "" {
		t.Skip()
	}
	c := &Capture{Files: []string{p}, ix: &index{}, ready: make(chan struct{})}
	if err := c.ix.build(context.Background(), c.Files); err != nil {
		t.Fatal(err)
	}
	close(c.ready)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("heap in use after build %d MiB; %s", ms.HeapInuse>>20, c.ix.stats())
	for i := 0; i < 3; i++ {
		t0 := time.Now()
		out, ok := c.indexFilter(context.Background(), "tcp.analysis.retransmission")
		t.Logf("index filter: %v %d frames in %v", ok, len(out), time.Since(t0))
	}
}
