package decode

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
)

// x11Req is a little-endian X11 request of n 4-byte words.
func x11Req(op uint8, words int) []byte {
	b := make([]byte, words*4)
	b[0] = op
	binary.LittleEndian.PutUint16(b[2:], uint16(words))
	return b
}

// x11Frame decodes payload p on a segment from port sport to dport, the
// capture cut to caplen bytes of payload (-1: whole).
func x11Frame(d *Decoder, sport, dport uint16, p []byte, caplen int) *Frame {
	b := cat(ethHdr(0x0800), ipv4Hdr(6, 20+len(p), 1, 0, 0), tcpHdr(sport, dport, 0x18, nil), p)
	n := len(b)
	if caplen >= 0 {
		n = 14 + 20 + 20 + caplen
	}
	var f Frame
	f.Number = 1
	d.Decode(&f, capture.Packet{Info: capture.Info{LinkType: capture.LinkEthernet, Len: len(b), CapLen: n}, Data: b[:n]})
	return &f
}

func TestX11Messages(t *testing.T) {
	d := NewDecoder(Options{})
	// Three requests, the last cut by the snapshot length.
	p := cat(x11Req(53, 4), x11Req(60, 2), x11Req(158, 8))
	f := x11Frame(d, 40000, 6000, p, 30)
	if !f.Has(ProtoX11) || len(f.X11.Msgs) != 2 || !f.X11.Short {
		t.Fatalf("msgs %+v short %v", f.X11.Msgs, f.X11.Short)
	}
	if got := string(f.AppendInfo(nil)); got != "Requests: CreatePixmap, FreeGC[Packet size limited during capture]" {
		t.Errorf("Info %q", got)
	}
	if got := f.AppendProtocols(nil); !strings.HasSuffix(string(got), ":tcp:x11") {
		t.Errorf("protocols %q", got)
	}
	// Whole: all three, and an unknown extension opcode.
	f = x11Frame(d, 40000, 6000, p, -1)
	if len(f.X11.Msgs) != 3 || f.X11.Short {
		t.Fatalf("whole: msgs %+v short %v", f.X11.Msgs, f.X11.Short)
	}
	if got := string(f.AppendInfo(nil)); got != "Requests: CreatePixmap, FreeGC, <Unknown opcode 158>" {
		t.Errorf("Info %q", got)
	}
	// A zero request length: one bogus tree and TCP's Info.
	f = x11Frame(d, 40001, 6000, make([]byte, 16), -1)
	if len(f.X11.Msgs) != 1 || f.X11.Msgs[0].Kind != X11Bogus {
		t.Fatalf("bogus: %+v", f.X11.Msgs)
	}
	if got := string(f.AppendInfo(nil)); !strings.HasPrefix(got, "40001 → 6000") {
		t.Errorf("bogus Info %q", got)
	}
	// From the server: an event and a reply.
	ev := make([]byte, 32)
	ev[0] = 2
	rep := make([]byte, 40)
	rep[0] = 1
	binary.LittleEndian.PutUint16(rep[2:], 5)
	binary.LittleEndian.PutUint32(rep[4:], 2)
	f = x11Frame(d, 6000, 40000, cat(ev, rep), -1)
	if len(f.X11.Msgs) != 2 || f.X11.Msgs[0].Kind != X11Event || f.X11.Msgs[1].Kind != X11Reply {
		t.Fatalf("replies: %+v", f.X11.Msgs)
	}
	if got := string(f.AppendInfo(nil)); got != "Event: KeyPress, to unknown request" {
		t.Errorf("replies Info %q", got)
	}
}

func FuzzX11(f *testing.F) {
	f.Add(cat(x11Req(53, 4), x11Req(60, 2), x11Req(158, 8)), uint16(30), false)
	f.Add([]byte{'l', 0, 11, 0, 0, 0, 0, 0, 4, 0, 4, 0, 0, 0, 0, 0, 'a', 'b', 'c', 'd', 1, 2, 3, 4}, uint16(100), false)
	f.Add([]byte{1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}, uint16(8), true)
	f.Add([]byte{0, 0, 0, 0, 0x11, 0, 0x11, 0}, uint16(8), false)
	f.Fuzz(func(t *testing.T, p []byte, caplen uint16, fromServer bool) {
		d := NewDecoder(Options{})
		c := int(caplen)
		if c > len(p) {
			c = -1
		}
		for i := 0; i < 2; i++ {
			var fr *Frame
			if fromServer {
				fr = x11Frame(d, 6000, 40000, p, c)
			} else {
				fr = x11Frame(d, 40000, 6001, p, c)
			}
			if len(p) > 0 && c != 0 && !fr.Has(ProtoX11) {
				t.Fatal("no X11 layer")
			}
			for _, m := range fr.X11.Msgs {
				if m.Off < 0 || m.Len < 0 || m.Off > len(p) {
					t.Fatalf("message %+v of %d bytes", m, len(p))
				}
			}
			fr.AppendInfo(nil)
		}
	})
}
