package capture

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// ngBuilder crafts pcapng files block by block, in either byte order, for
// cases the corpus lacks (power-of-2 if_tsresol, if_tsoffset, obsolete PB,
// DSB, unknown blocks, big-endian sections mixed with little-endian ones).
type ngBuilder struct {
	bytes.Buffer
	bo binary.AppendByteOrder
}

type ngOpt struct {
	code uint16
	val  []byte
}

func (g *ngBuilder) u16(v uint16) []byte { return g.bo.AppendUint16(nil, v) }
func (g *ngBuilder) u32(v uint32) []byte { return g.bo.AppendUint32(nil, v) }
func (g *ngBuilder) u64(v uint64) []byte { return g.bo.AppendUint64(nil, v) }

// block writes one block: type, length, body, options, trailing length.
func (g *ngBuilder) block(typ uint32, body []byte, opts ...ngOpt) {
	for len(body)%4 != 0 {
		body = append(body, 0)
	}
	var o []byte
	for _, op := range opts {
		o = g.bo.AppendUint16(o, op.code)
		o = g.bo.AppendUint16(o, uint16(len(op.val)))
		o = append(o, op.val...)
		for len(o)%4 != 0 {
			o = append(o, 0)
		}
	}
	if len(opts) > 0 {
		o = append(o, 0, 0, 0, 0)
	}
	n := uint32(12 + len(body) + len(o))
	g.Write(g.u32(typ))
	g.Write(g.u32(n))
	g.Write(body)
	g.Write(o)
	g.Write(g.u32(n))
}

func (g *ngBuilder) shb(bo binary.AppendByteOrder, opts ...ngOpt) {
	g.bo = bo
	body := append(g.u32(byteOrderBOM), g.u16(1)...)
	body = append(body, g.u16(0)...)
	body = append(body, g.u64(^uint64(0))...)
	g.block(blockSHB, body, opts...)
}

func (g *ngBuilder) idb(link LinkType, snap uint32, opts ...ngOpt) {
	body := append(g.u16(uint16(link)), 0, 0)
	g.block(blockIDB, append(body, g.u32(snap)...), opts...)
}

func (g *ngBuilder) epb(iface uint32, ts uint64, data []byte, wire uint32, opts ...ngOpt) {
	body := g.u32(iface)
	body = append(body, g.u32(uint32(ts>>32))...)
	body = append(body, g.u32(uint32(ts))...)
	body = append(body, g.u32(uint32(len(data)))...)
	body = append(body, g.u32(wire)...)
	g.block(blockEPB, append(body, data...), opts...)
}

func (g *ngBuilder) pb(iface uint16, ts uint64, data []byte, wire uint32, opts ...ngOpt) {
	body := append(g.u16(iface), 0, 0)
	body = append(body, g.u32(uint32(ts>>32))...)
	body = append(body, g.u32(uint32(ts))...)
	body = append(body, g.u32(uint32(len(data)))...)
	body = append(body, g.u32(wire)...)
	g.block(blockPB, append(body, data...), opts...)
}

func str(code uint16, s string) ngOpt { return ngOpt{code, []byte(s)} }

// craftedNG builds a three-section file exercising every block type.
func craftedNG() []byte {
	var g ngBuilder
	pkt := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i * 7)
		}
		return b
	}
	le, be := binary.LittleEndian, binary.BigEndian
	g.shb(le, str(4, "crafted"))
	g.idb(LinkEthernet, 128, str(2, "eth0"), str(3, "first"), ngOpt{9, []byte{9}})
	g.idb(LinkRaw, 0, str(2, "raw1"), ngOpt{9, []byte{0x80 | 20}}, ngOpt{14, g.u64(100)})
	g.block(blockNRB, append(append(g.u16(1), g.u16(9)...), 10, 0, 0, 1, 'h', 'o', 's', 't', 0, 0, 0, 0, 0, 0, 0, 0))
	g.epb(0, 1_500_000_000_123_456_789, pkt(60), 60, str(1, "first comment"), str(1, "second"))
	g.epb(1, 5<<20|1<<19, pkt(40), 1500)
	g.block(blockSPB, append(g.u32(200), pkt(128)...))
	g.pb(1, 3<<20, pkt(20), 20, str(1, "old block"))
	g.block(blockDSB, append(g.u32(0x544c534b), append(g.u32(4), 1, 2, 3, 4)...))
	g.block(blockCustom, append(g.u32(32473), "custom data!"...))
	g.block(0x1234, []byte("unknown"))
	isb := append(g.u32(0), g.u32(0)...)
	g.block(blockISB, append(isb, g.u32(0)...), ngOpt{4, g.u64(3)}, ngOpt{5, g.u64(0)})

	g.shb(be)
	g.idb(LinkNull, 65535, str(2, "lo-be"))
	g.epb(0, 7_000_001, pkt(32), 32)

	g.shb(le)
	g.idb(LinkEthernet, 0, ngOpt{9, []byte{3}}, ngOpt{14, g.u64(1)})
	g.epb(0, 2_500, pkt(14), 14)
	return g.Bytes()
}

// TestPcapngCrafted checks every field the reader derives from a crafted file,
// then checks tshark agrees.
func TestPcapngCrafted(t *testing.T) {
	file := craftedNG()
	r, err := NewReader(bytes.NewReader(file), "crafted")
	if err != nil {
		t.Fatal(err)
	}
	got, errs := readAll(t, r)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	type want struct {
		ts        int64
		capLen    int
		wire      int
		iface     int
		link      LinkType
		comments  string
		noTS      bool
		firstByte byte
	}
	wants := []want{
		{1_500_000_000_123_456_789, 60, 60, 0, LinkEthernet, "first comment|second", false, 0},
		{105_500_000_000, 40, 1500, 1, LinkRaw, "", false, 0},
		{0, 128, 200, 0, LinkEthernet, "", true, 0}, // SPB: IDB 0 snaplen 128 caps it
		{103_000_000_000, 20, 20, 1, LinkRaw, "old block", false, 0},
		{0, 12, 12, -1, LinkCustomBlock, "", true, 'c'},
		{7_000_001_000, 32, 32, 2, LinkNull, "", false, 0},
		{1_000_000_000 + 2_500_000_000, 14, 14, 3, LinkEthernet, "", false, 0},
	}
	if len(got) != len(wants) {
		t.Fatalf("%d packets, want %d: %+v", len(got), len(wants), got)
	}
	for i, w := range wants {
		g := got[i].info
		if g.TS != w.ts || g.CapLen != w.capLen || g.Len != w.wire || g.Interface != w.iface || g.LinkType != w.link ||
			strings.Join(g.Comments, "|") != w.comments || g.NoTS != w.noTS || got[i].data[0] != w.firstByte || len(got[i].data) != g.CapLen {
			t.Errorf("packet %d: got %+v, want %+v", i+1, g, w)
		}
	}
	ifs := r.Interfaces()
	if len(ifs) != 4 || ifs[0].Name != "eth0" || ifs[0].Desc != "first" || ifs[0].TSResol != 9 || ifs[1].TSResol != 0x80|20 ||
		ifs[1].TSOffset != 100 || ifs[3].Section != 2 || ifs[3].ID != 0 || ifs[1].ID != 1 || ifs[2].Name != "lo-be" || ifs[2].TSResol != 6 || ifs[3].TSResol != 3 || ifs[0].FCSLen != -1 {
		t.Errorf("interfaces: %+v", ifs)
	}

	// tshark agrees on times, lengths, interfaces and comments.
	tshark := needTool(t, "tshark")
	path := filepath.Join(t.TempDir(), "crafted.pcapng")
	if os.Getenv("KEEP_CRAFTED") != "" {
		path = os.Getenv("KEEP_CRAFTED")
	}
	if err := os.WriteFile(path, file, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tshark, "-r", path, "-T", "fields", "-e", "frame.time_epoch", "-e", "frame.len",
		"-e", "frame.cap_len", "-e", "frame.interface_id", "-e", "frame.comment").Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(got) {
		t.Fatalf("tshark sees %d frames, wirewatch %d:\n%s", len(lines), len(got), out)
	}
	for i, p := range got {
		iface := ""
		if p.info.Interface >= 0 {
			iface = fmt.Sprint(r.Interfaces()[p.info.Interface].ID)
		}
		w := strings.Join([]string{epoch(p.info), fmt.Sprint(p.info.Len), fmt.Sprint(p.info.CapLen), iface, strings.Join(p.info.Comments, ",")}, "\t")
		if lines[i] != w {
			t.Errorf("frame %d: tshark %q, wirewatch %q", i+1, lines[i], w)
		}
	}
}

// TestPcapngSectionDamage: an unsupported version in a later section skips
// that section only; a bad SHB option in a later section likewise.
func TestPcapngSectionDamage(t *testing.T) {
	var g ngBuilder
	g.shb(binary.LittleEndian)
	g.idb(LinkEthernet, 0)
	g.epb(0, 1, []byte("one"), 3)
	bad := g.Len()
	g.shb(binary.LittleEndian)
	binary.LittleEndian.PutUint16(g.Bytes()[bad+12:], 3) // version 3.0
	g.idb(LinkEthernet, 0)
	g.epb(0, 2, []byte("skipped"), 7)
	g.shb(binary.LittleEndian)
	g.idb(LinkRaw, 0)
	g.epb(0, 3, []byte("three"), 5)
	got, errs, err := readBytes(t, g.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].data != "one" || got[1].data != "three" || got[1].info.LinkType != LinkRaw {
		t.Fatalf("%+v", got)
	}
	if len(errs) != 1 || !errs[0].Resumable || errs[0].Offset != int64(bad) || !strings.Contains(errs[0].Msg, "version 3.0") {
		t.Fatalf("%v", errs)
	}
}

// pcapVariant builds a 3-packet pcap in byte order bo, µs or ns, snaplen 96,
// Ethernet with the FCS-length bits saying 4 bytes.
func pcapVariant(bo binary.AppendByteOrder, nano bool) []byte {
	var b []byte
	magic := uint32(pcapMagicMicro)
	if nano {
		magic = pcapMagicNano
	}
	b = bo.AppendUint32(b, magic)
	b = bo.AppendUint16(b, 2)
	b = bo.AppendUint16(b, 4)
	b = append(b, make([]byte, 8)...)
	b = bo.AppendUint32(b, 96)
	b = bo.AppendUint32(b, 1|0x04000000|2<<28) // Ethernet, FCS present, 2×16 bits
	for i := range 3 {
		b = bo.AppendUint32(b, 1_600_000_000+uint32(i))
		b = bo.AppendUint32(b, 123_456)
		b = bo.AppendUint32(b, 4)
		b = bo.AppendUint32(b, 100)
		b = append(b, 1, 2, 3, byte(i))
	}
	return b
}

// TestPcapVariants: both byte orders, µs and ns, FCS bits.
func TestPcapVariants(t *testing.T) {
	for _, c := range []struct {
		bo   binary.AppendByteOrder
		nano bool
	}{{binary.LittleEndian, false}, {binary.BigEndian, false}, {binary.LittleEndian, true}, {binary.BigEndian, true}} {
		b := pcapVariant(c.bo, c.nano)
		r, err := NewReader(bytes.NewReader(b), "v")
		if err != nil {
			t.Fatal(err)
		}
		got, errs := readAll(t, r)
		ifc := r.Interfaces()[0]
		if len(errs) > 0 || len(got) != 3 || ifc.FCSLen != 4 || ifc.SnapLen != 96 || ifc.LinkType != LinkEthernet {
			t.Fatalf("%v %+v %+v", errs, got, ifc)
		}
		frac := int64(123_456_000)
		if c.nano {
			frac = 123_456
		}
		if got[2].info.TS != 1_600_000_002*1e9+frac || got[2].info.Len != 100 || got[2].data != "\x01\x02\x03\x02" {
			t.Errorf("%v nano=%v: %+v", c.bo, c.nano, got[2])
		}
		wantFormat := "pcap"
		if c.nano {
			wantFormat = "pcap-ns"
		}
		if r.Format() != wantFormat {
			t.Errorf("format %q", r.Format())
		}
	}
}

// TestPcapModified reads the "modified" pcap variant (magic 0xa1b2cd34,
// 24-byte record headers with ifindex, protocol and packet type).
func TestPcapModified(t *testing.T) {
	le := binary.LittleEndian
	var b []byte
	b = le.AppendUint32(b, pcapMagicModified)
	b = le.AppendUint16(b, 2)
	b = le.AppendUint16(b, 4)
	b = append(b, make([]byte, 8)...)
	b = le.AppendUint32(b, 65535)
	b = le.AppendUint32(b, uint32(LinkEthernet))
	for i := range 2 {
		b = le.AppendUint32(b, 1000+uint32(i))
		b = le.AppendUint32(b, 5)
		b = le.AppendUint32(b, 3)
		b = le.AppendUint32(b, 60)
		b = append(b, 2, 0, 0, 0, 8, 0, 0, 0) // ifindex, protocol, pkt_type, pad
		b = append(b, 'a', 'b', byte('0'+i))
	}
	r, err := NewReader(bytes.NewReader(b), "m")
	if err != nil {
		t.Fatal(err)
	}
	got, errs := readAll(t, r)
	if len(errs) > 0 || len(got) != 2 || got[1].data != "ab1" || got[1].info.TS != 1001_000_005_000 || got[1].info.Len != 60 || r.Format() != "pcap-modified" {
		t.Fatalf("%v %+v %s", errs, got, r.Format())
	}
}
