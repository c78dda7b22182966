package serve

import (
	"fmt"
	"context"
	"os"
	"testing"
)

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
	return fmt.Sprintf("context frames %d, analysis %d MB, texts %d MB, rows %d MB", ctx, an>>20, tb>>20, len(ix.rows)*rowSize>>20)
}
