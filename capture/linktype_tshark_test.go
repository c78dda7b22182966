package capture_test

import (
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/internal/testenv"
	"github.com/wirewatch/wirewatch/internal/tshark"
)

// TestUnsupportedLinkTypesLikeTshark writes one-packet captures of link
// types tshark reads and refuses and checks that the reader agrees:
// packets of a type Wireshark cannot read are an error, not data.
func TestUnsupportedLinkTypesLikeTshark(t *testing.T) {
	testenv.Tool(t, "tshark")
	dir := t.TempDir()
	for _, lt := range []uint32{0, 1, 9, 12, 101, 113, 147, 239, 276, 15, 17, 300, 999, 5000} {
		path := filepath.Join(dir, strconv.Itoa(int(lt))+".pcap")
		pkt := append([]byte{0x45}, make([]byte, 39)...)
		var b []byte
		for _, v := range []uint32{0xa1b2c3d4, 4<<16 | 2, 0, 0, 65535, lt, 1, 0, uint32(len(pkt)), uint32(len(pkt))} {
			b = binary.LittleEndian.AppendUint32(b, v)
		}
		if err := os.WriteFile(path, append(b, pkt...), 0o644); err != nil {
			t.Fatal(err)
		}
		want, err := tshark.List(path)
		if err != nil {
			t.Fatal(err)
		}
		r, err := capture.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Next()
		r.Close()
		var fe *capture.FormatError
		refused := errors.As(err, &fe)
		if err != nil && !refused && !errors.Is(err, io.EOF) {
			t.Fatalf("link type %d: %v", lt, err)
		}
		if refused != (want.Exit != 0) {
			t.Errorf("link type %d: wirewatch refuses: %v (%v); tshark exit %d %s", lt, refused, err, want.Exit, want.Stderr)
		}
	}
}
