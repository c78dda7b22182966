package cli

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/testenv"
	"github.com/wirewatch/wirewatch/internal/tshark"
)

// icmp6ErrCapture writes a pcap of ICMPv6 errors of every type and code
// (and unknown codes), each quoting an IPv6/UDP packet, and returns its path.
func icmp6ErrCapture(t *testing.T) string {
	sum := func(b []byte) uint16 {
		var s uint32
		for i := 0; i+1 < len(b); i += 2 {
			s += uint32(binary.BigEndian.Uint16(b[i:]))
		}
		if len(b)%2 == 1 {
			s += uint32(b[len(b)-1]) << 8
		}
		for s>>16 != 0 {
			s = s&0xffff + s>>16
		}
		return ^uint16(s)
	}
	addr := func(last byte) []byte { return []byte{0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last} }
	ip6 := func(src, dst []byte, nxt, hlim byte, payload []byte) []byte {
		ph := append(append(append([]byte{}, src...), dst...), 0, 0, byte(len(payload)>>8), byte(len(payload)), 0, 0, 0, nxt)
		ck := sum(append(ph, payload...))
		p := append([]byte{}, payload...)
		if nxt == 17 {
			binary.BigEndian.PutUint16(p[6:], ck)
		} else {
			binary.BigEndian.PutUint16(p[2:], ck)
		}
		h := []byte{0x60, 0, 0, 0, byte(len(p) >> 8), byte(len(p)), nxt, hlim}
		return append(append(append(h, src...), dst...), p...)
	}
	a, b, r := addr(1), addr(2), addr(0xfe)
	udp := []byte{0x9c, 0x40, 0x82, 0x9a, 0, 18, 0, 0, 't', 'r', 'a', 'c', 'e', 'r', 'o', 'u', 't', 'e'}
	inner := ip6(a, b, 17, 64, udp)
	var frames [][]byte
	codes := map[byte]int{1: 9, 2: 1, 3: 3, 4: 5}
	for _, typ := range []byte{1, 2, 3, 4} {
		for code := 0; code < codes[typ]; code++ {
			m := append([]byte{typ, byte(code), 0, 0, 0, 0, 0, 0}, inner...)
			if typ == 2 {
				binary.BigEndian.PutUint32(m[4:], 1280)
			}
			eth := []byte{0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0x11, 0x22, 0x33, 0x44, 0x66, 0x86, 0xdd}
			frames = append(frames, append(eth, ip6(r, a, 58, 255, m)...))
		}
	}
	// An echo request through a type-0 routing header with one segment
	// left: its checksum covers the final destination (the header's last
	// address), not the IPv6 destination.
	final := addr(9)
	echo := []byte{128, 0, 0, 0, 0x12, 0x34, 0, 1, 'p', 'i', 'n', 'g'}
	ph := append(append(append([]byte{}, a...), final...), 0, 0, 0, byte(len(echo)), 0, 0, 0, 58)
	binary.BigEndian.PutUint16(echo[2:], sum(append(ph, echo...)))
	rh := append([]byte{58, 2, 0, 1, 0, 0, 0, 0}, final...)
	pl := append(rh, echo...)
	v6 := append(append(append([]byte{0x60, 0, 0, 0, 0, byte(len(pl)), 43, 64}, a...), r...), pl...)
	frames = append(frames, append([]byte{0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0x11, 0x22, 0x33, 0x44, 0x66, 0x86, 0xdd}, v6...))
	var buf bytes.Buffer
	binary.Write(&buf, binary.LittleEndian, []uint32{0xa1b2c3d4, 4<<16 | 2, 0, 0, 65535, 1})
	for i, f := range frames {
		binary.Write(&buf, binary.LittleEndian, []uint32{uint32(1000 + i), 0, uint32(len(f)), uint32(len(f))})
		buf.Write(f)
	}
	path := filepath.Join(t.TempDir(), "icmp6err.pcap")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestICMPv6ErrorsMatchTshark compares the packet list and the fields of
// ICMPv6 errors (every type and code) and the packet they quote with tshark,
// and the checksum status of an echo request sent through a routing header.
func TestICMPv6ErrorsMatchTshark(t *testing.T) {
	testenv.Tool(t, "tshark")
	path := icmp6ErrCapture(t)
	want, err := tshark.List(path)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if code := Main(context.Background(), []string{"read", path}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	same := 0
	for i, w := range want.Lines {
		if i < len(got) && got[i] == w {
			same++
		} else {
			t.Errorf("line %d:\n tshark    %s\n wirewatch %s", i+1, w, got[min(i, len(got)-1)])
		}
	}
	t.Logf("ICMPv6 errors: %d of %d packet-list lines identical", same, len(want.Lines))
	names := []string{"icmpv6.type", "icmpv6.code", "icmpv6.checksum", "icmpv6.checksum.status", "ipv6.src", "ipv6.dst",
		"ipv6.addr", "udp.srcport", "udp.dstport", "udp.port"}
	wf, err := tshark.Fields(path, names)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"read", "-T", "fields", path}
	for _, n := range names {
		args = append(args, "-e", n)
	}
	out.Reset()
	if code := Main(context.Background(), args, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for r, row := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		for i, g := range strings.Split(row, "\t") {
			if w := wf.Cols[names[i]][r]; g != w {
				t.Errorf("frame %d %s: tshark %q, wirewatch %q", r+1, names[i], w, g)
			}
		}
	}
	// Bare protocol names match the headers an error quotes, as in tshark.
	for _, expr := range []string{"udp", "udp && icmpv6", "tcp", "icmpv6.type == 1 && udp.dstport == 33434"} {
		w, err := tshark.Select(path, expr)
		if err != nil {
			t.Fatal(err)
		}
		out.Reset()
		if code := Main(context.Background(), []string{"read", "-T", "fields", "-e", "frame.number", "-Y", expr, path}, nil, &out, &errb); code != 0 {
			t.Fatalf("-Y %q: exit %d: %s", expr, code, errb.String())
		}
		if g := strings.Join(strings.Fields(out.String()), ","); g != strings.Join(w.Lines, ",") {
			t.Errorf("-Y %q: %s", expr, frameDiff(g, strings.Join(w.Lines, ",")))
		}
	}
}
