package serve

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/corpus"
)

// testCaptures lists the captures the index tests read: the examples that
// match glob and the real corpus, with corpus/wide too when wide is set and
// WIREWATCH_WIDE=all.
func testCaptures(t *testing.T, glob string, wide bool) []string {
	t.Helper()
	files, _ := filepath.Glob(glob)
	real, _ := filepath.Glob(filepath.Join(corpus.Dir(t), "real", "*.pcap*"))
	files = append(files, real...)
	if wide && os.Getenv("WIREWATCH_WIDE") == "all" {
		w, _ := filepath.Glob(filepath.Join(corpus.Dir(t), "wide", "*.pcap*"))
		files = append(files, w...)
	}
	return files
}

// compressed tells whether path is a gzip or zstd capture, which a frame
// cannot be read back from by its offset.
func compressed(path string) bool {
	return strings.HasSuffix(path, ".gz") || strings.HasSuffix(path, ".zst")
}
