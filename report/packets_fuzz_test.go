package report

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

// FuzzPacketOutput decodes arbitrary Ethernet frames and prints every field
// of the registry in each output format: no panic, and JSON stays valid.
func FuzzPacketOutput(f *testing.F) {
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 1, 2, 3, 4, 5, 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1, 0, 1, 2, 3, 4, 5, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2})
	f.Add([]byte{0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x81, 0x00, 0x20, 0x07, 0x08, 0x00,
		0x45, 0, 0, 40, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0})
	// Every packet of the crafted captures with hostile text (control
	// characters, invalid UTF-8 in every text field; internal/hostile).
	for _, name := range []string{"control-chars.pcapng", "invalid-utf8.pcapng", "bogus-chunks.pcap"} {
		r, err := capture.Open(filepath.Join("..", "internal", "hostile", "testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		for p, err := r.Next(); err == nil; p, err = r.Next() {
			f.Add(append([]byte(nil), p.Data...))
		}
		r.Close()
	}
	all := field.Std().All()
	f.Fuzz(func(t *testing.T, b []byte) {
		d := decode.NewDecoder(decode.Options{ReassembleIP: true})
		var fr decode.Frame
		fr.Number = 1
		d.Decode(&fr, capture.Packet{Info: capture.Info{LinkType: capture.LinkEthernet, Len: len(b), CapLen: len(b)}, Data: b})
		for _, format := range []PacketFormat{FormatFields, FormatText} {
			var out bytes.Buffer
			pw := NewPacketWriter(&out, PacketOptions{Format: format, Fields: all})
			if err := pw.Write(&fr); err != nil {
				t.Fatal(err)
			}
			pw.Close()
			if format != FormatText {
				continue
			}
			// The packet list reaches a terminal: no control byte but LF.
			for _, c := range out.Bytes() {
				if (c < 0x20 && c != '\n') || c == 0x7f {
					t.Fatalf("raw control byte %#x in the packet list for %x:\n%q", c, b, out.String())
				}
			}
		}
		var buf bytes.Buffer
		pw := NewPacketWriter(&buf, PacketOptions{Format: FormatJSON, Fields: all})
		pw.Write(&fr)
		pw.Close()
		if !utf8.Valid(buf.Bytes()) || !json.Valid(buf.Bytes()) {
			t.Fatalf("invalid JSON for %x:\n%s", b, buf.String())
		}
	})
}
