package hostile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestTestdataCurrent: the captures kept in testdata are what the generator
// writes (regenerate with go run ./internal/hostile/cmd/hostilegen -dir
// internal/hostile/testdata).
func TestTestdataCurrent(t *testing.T) {
	for name, gen := range Files {
		got, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, gen()) {
			t.Errorf("testdata/%s differs from what the generator writes", name)
		}
	}
}
