package capture_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
)

// TestSeekRecord: every record read again at the offset a sequential read
// reported (backwards, so most reads leave the buffer) is the same record;
// a compressed file is not seekable.
func TestSeekRecord(t *testing.T) {
	dir := t.TempDir()
	const src = "../examples/fail-open.pcapng"
	pcap := filepath.Join(dir, "x.pcap")
	if out, err := exec.Command("editcap", "-F", "pcap", src, pcap).CombinedOutput(); err != nil {
		t.Fatalf("editcap: %v %s", err, out)
	}
	for _, path := range []string{src, pcap} {
		r, err := capture.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		var want []capture.Packet
		for {
			p, err := r.Next()
			if err != nil {
				break
			}
			p.Data = bytes.Clone(p.Data)
			want = append(want, p)
		}
		sk, ok := r.(capture.Seeker)
		if !ok || len(want) == 0 {
			t.Fatalf("%s: %d records, seeker %v", path, len(want), ok)
		}
		for i := len(want) - 1; i >= 0; i -= 1 + i%3 {
			if err := sk.SeekRecord(want[i].Offset); err != nil {
				t.Fatal(err)
			}
			p, err := sk.Next()
			if err != nil || p.Offset != want[i].Offset || p.TS != want[i].TS || p.Interface != want[i].Interface || !bytes.Equal(p.Data, want[i].Data) {
				t.Fatalf("%s: record %d at %d read again differs (%v)", path, i, want[i].Offset, err)
			}
		}
		r.Close()
	}
	// gzip: not seekable
	gz := filepath.Join(dir, "x.pcap.gz")
	b, _ := os.ReadFile(pcap)
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write(b)
	zw.Close()
	os.WriteFile(gz, zb.Bytes(), 0o644)
	r, err := capture.Open(gz)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.(capture.Seeker).SeekRecord(24); !errors.Is(err, capture.ErrNotSeekable) {
		t.Errorf("gzip file: SeekRecord = %v", err)
	}
	r.Close()
}
