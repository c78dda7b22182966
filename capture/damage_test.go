package capture

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/klauspost/compress/zstd"
	"github.com/wirewatch/wirewatch/internal/corpus"
)

// rec is a packet copied out of a reader.
type rec struct {
	info Info
	data string
}

// readAll reads r to the end, collecting packets and errors (it continues
// after resumable errors).
func readAll(t testing.TB, r Reader) ([]rec, []*FormatError) {
	t.Helper()
	var recs []rec
	var errs []*FormatError
	for i := 0; ; i++ {
		if i > 1e7 {
			t.Fatal("reader does not end")
		}
		p, err := r.Next()
		if err == io.EOF {
			return recs, errs
		}
		if err != nil {
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("Next: %v is not a *FormatError", err)
			}
			errs = append(errs, fe)
			if !fe.Resumable {
				if _, again := r.Next(); again != err {
					t.Fatalf("after a final error, Next returned %v, not the same error", again)
				}
				return recs, errs
			}
			continue
		}
		recs = append(recs, rec{p.Info, string(p.Data)})
	}
}

func readBytes(t testing.TB, b []byte) ([]rec, []*FormatError, error) {
	r, err := NewReader(bytes.NewReader(b), "test")
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	recs, errs := readAll(t, r)
	return recs, errs, nil
}

func corpusFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpus.Dir(t), "real", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sameRecs(t *testing.T, what string, got, want []rec) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d packets, want %d", what, len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.data != w.data || g.info.TS != w.info.TS || g.info.Len != w.info.Len || g.info.CapLen != w.info.CapLen ||
			g.info.Interface != w.info.Interface || g.info.LinkType != w.info.LinkType || strings.Join(g.info.Comments, "|") != strings.Join(w.info.Comments, "|") {
			t.Fatalf("%s: packet %d differs:\n got %+v\nwant %+v", what, i+1, g.info, w.info)
		}
	}
}

// recordEnds returns the offset just past each record of an undamaged file.
func recordEnds(full []byte, recs []rec) []int64 {
	bounds := blockBoundaries(full)
	ends := make([]int64, len(recs))
	for i, r := range recs {
		if bounds == nil {
			ends[i] = r.info.Offset + 16 + int64(r.info.CapLen)
			continue
		}
		ends[i] = int64(len(full))
		for b := range bounds {
			if int64(b) > r.info.Offset && int64(b) < ends[i] {
				ends[i] = int64(b)
			}
		}
	}
	return ends
}

// TestTruncated cuts real captures at many offsets: the reader must return
// every packet that lies wholly before the cut, then a final FormatError
// naming the offset of the cut record (or a clean EOF when the cut falls
// between records).
func TestTruncated(t *testing.T) {
	for _, name := range []string{"zeek__http-get.pcap", "chrissanders__dns_tcp.pcapng", "gopacket__pcapgo-le-test202.pcapng", "gopacket__pcapgo-be-test006.pcapng"} {
		full := corpusFile(t, name)
		all, errs, err := readBytes(t, full)
		if err != nil || len(errs) > 0 {
			t.Fatalf("%s: %v %v", name, err, errs)
		}
		ends := recordEnds(full, all)
		checked := 0
		for cut := 0; cut < len(full); cut += 1 + cut%7 {
			got, errs, err := readBytes(t, full[:cut])
			if err != nil {
				// Only a cut inside the file header may fail at open.
				if len(all) > 0 && int64(cut) > all[0].info.Offset {
					t.Fatalf("%s cut at %d: open failed: %v", name, cut, err)
				}
				var fe *FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("%s cut at %d: open error %v is not a FormatError", name, cut, err)
				}
				continue
			}
			whole := 0
			for whole < len(ends) && ends[whole] <= int64(cut) {
				whole++
			}
			sameRecs(t, name+" cut at "+strconv.Itoa(cut), got, all[:whole])
			bounds := blockBoundaries(full)
			if bounds == nil {
				bounds = map[int]bool{24: true}
				for _, r := range all {
					bounds[int(r.info.Offset)] = true
				}
			}
			if bounds[cut] {
				if len(errs) != 0 {
					t.Fatalf("%s cut at record boundary %d: unexpected %v", name, cut, errs)
				}
				continue
			}
			start := 0
			for b := range bounds {
				if b < cut && b > start {
					start = b
				}
			}
			if len(errs) != 1 || errs[0].Resumable {
				t.Fatalf("%s cut at %d: want one final error, got %v", name, cut, errs)
			}
			if errs[0].Offset != int64(start) || errs[0].File != "test" {
				t.Fatalf("%s cut at %d: error %v, want offset %d", name, cut, errs[0], start)
			}
			checked++
		}
		if checked < 50 {
			t.Fatalf("%s: only %d cuts checked", name, checked)
		}
	}
}

// blockBoundaries returns the offsets at which a pcapng file's blocks start
// (nil for pcap).
func blockBoundaries(b []byte) map[int]bool {
	if len(b) < 12 || binary.LittleEndian.Uint32(b) != blockSHB {
		return nil
	}
	m := map[int]bool{}
	var bo binary.ByteOrder = binary.LittleEndian
	for off := 0; off+12 <= len(b); {
		if binary.LittleEndian.Uint32(b[off:]) == blockSHB {
			bo = binary.LittleEndian
			if binary.BigEndian.Uint32(b[off+8:]) == byteOrderBOM {
				bo = binary.BigEndian
			}
		}
		m[off] = true
		n := int(bo.Uint32(b[off+4:]))
		if n < 12 {
			break
		}
		off += n
	}
	return m
}

// blockOffsets lists the offsets of the EPBs of a little-endian pcapng file.
func blockOffsets(b []byte, typ uint32) []int {
	var offs []int
	for off := 0; off+8 <= len(b); {
		t, n := binary.LittleEndian.Uint32(b[off:]), int(binary.LittleEndian.Uint32(b[off+4:]))
		if t == typ {
			offs = append(offs, off)
		}
		if n < 12 {
			break
		}
		off += n
	}
	return offs
}

// TestPcapngResync damages one block in the middle of a pcapng file in
// several ways: the reader must report it once, as resumable, at the block's
// offset, and return every other packet.
func TestPcapngResync(t *testing.T) {
	full := corpusFile(t, "chrissanders__dns_tcp.pcapng")
	all, _, err := readBytes(t, full)
	if err != nil {
		t.Fatal(err)
	}
	offs := blockOffsets(full, blockEPB)
	if len(offs) != len(all) || len(all) < 10 {
		t.Fatalf("%d EPBs, %d packets", len(offs), len(all))
	}
	k := len(offs) / 2
	off := offs[k]
	blen := binary.LittleEndian.Uint32(full[off+4:])
	cases := map[string]func(b []byte){
		"huge length":        func(b []byte) { binary.LittleEndian.PutUint32(b[off+4:], 0x7ffffff0) },
		"length not 4-align": func(b []byte) { binary.LittleEndian.PutUint32(b[off+4:], blen+1) },
		"length too small":   func(b []byte) { binary.LittleEndian.PutUint32(b[off+4:], 8) },
		"length +8":          func(b []byte) { binary.LittleEndian.PutUint32(b[off+4:], blen+8) },
		"length -8":          func(b []byte) { binary.LittleEndian.PutUint32(b[off+4:], blen-8) },
		"trailer":            func(b []byte) { binary.LittleEndian.PutUint32(b[off+int(blen)-4:], 0xdeadbeef) },
		"garbage header":     func(b []byte) { copy(b[off:], "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8") },
		"caplen":             func(b []byte) { binary.LittleEndian.PutUint32(b[off+20:], blen) },
		"interface":          func(b []byte) { binary.LittleEndian.PutUint32(b[off+8:], 7) },
	}
	want := append(append([]rec{}, all[:k]...), all[k+1:]...)
	for name, damage := range cases {
		b := bytes.Clone(full)
		damage(b)
		got, errs, err := readBytes(t, b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(errs) != 1 || !errs[0].Resumable || errs[0].Offset != int64(off) {
			t.Fatalf("%s: want one resumable error at offset %d, got %v", name, off, errs)
		}
		t.Logf("%s: %v", name, errs[0])
		sameRecs(t, name, got, want)
	}

	// Garbage inserted between two blocks (unaligned) is skipped too.
	b := append(append(bytes.Clone(full[:off]), "garbage!!"...), full[off:]...)
	got, errs, err := readBytes(t, b)
	if err != nil || len(errs) != 1 || !errs[0].Resumable || errs[0].Offset != int64(off) {
		t.Fatalf("inserted garbage: %v %v", err, errs)
	}
	if len(got) != len(all) {
		t.Fatalf("inserted garbage: %d packets, want %d", len(got), len(all))
	}
}

// TestPcapCorruptLength: a pcap record with an absurd captured length ends
// the file with an error at its offset, after every packet before it.
func TestPcapCorruptLength(t *testing.T) {
	full := corpusFile(t, "zeek__http-get.pcap")
	all, _, _ := readBytes(t, full)
	k := len(all) / 2
	b := bytes.Clone(full)
	binary.LittleEndian.PutUint32(b[all[k].info.Offset+8:], 1<<30)
	got, errs, err := readBytes(t, b)
	if err != nil {
		t.Fatal(err)
	}
	sameRecs(t, "corrupt caplen", got, all[:k])
	if len(errs) != 1 || errs[0].Resumable || errs[0].Offset != all[k].info.Offset || !strings.Contains(errs[0].Error(), "corrupt") {
		t.Fatalf("want one final error at %d, got %v", all[k].info.Offset, errs)
	}
	t.Log(errs[0])
}

// TestCompressed: gzip and zstd versions of corpus files give the same
// packets as the originals, and say so in Format.
func TestCompressed(t *testing.T) {
	for _, name := range []string{"zeek__http-get.pcap", "gopacket__pcapgo-le-test202.pcapng", "chrissanders__http_espn.pcapng"} {
		full := corpusFile(t, name)
		want, _, err := readBytes(t, full)
		if err != nil {
			t.Fatal(err)
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(full)
		zw.Close()
		zs, err := zstd.NewWriter(nil)
		if err != nil {
			t.Fatal(err)
		}
		zst := zs.EncodeAll(full, nil)
		for kind, b := range map[string][]byte{"gzip": gz.Bytes(), "zstd": zst} {
			r, err := NewReader(bytes.NewReader(b), name)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(r.Format(), "+"+kind) {
				t.Errorf("%s %s: Format %q", name, kind, r.Format())
			}
			got, errs := readAll(t, r)
			r.Close()
			if len(errs) > 0 {
				t.Fatalf("%s %s: %v", name, kind, errs)
			}
			sameRecs(t, name+" "+kind, got, want)
			// A truncated compressed file yields a clear error after the good
			// packets (zstd decodes whole blocks of up to 128 KiB: big files only).
			if len(full) < 300<<10 {
				continue
			}
			got, errs, err = readBytes(t, b[:len(b)*2/3])
			if err != nil || len(errs) != 1 || errs[0].Resumable || len(got) == 0 || len(got) >= len(want) {
				t.Fatalf("%s %s truncated: %d packets, %v %v", name, kind, len(got), err, errs)
			}
			t.Logf("%s %s truncated: %d packets then %v", name, kind, len(got), errs[0])
		}
	}
}

// TestNotCapture: files that are no capture are refused with a FormatError
// wrapping ErrUnknownFormat.
func TestNotCapture(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("ab"), []byte("hello world, not a capture")} {
		_, err := NewReader(bytes.NewReader(b), "x")
		var fe *FormatError
		if !errors.As(err, &fe) || !errors.Is(err, ErrUnknownFormat) {
			t.Errorf("%q: %v", b, err)
		}
	}
}

// TestShortReads: a stream that delivers one byte (or half the asked bytes)
// per Read, like a slow pipe, gives the same packets and damage reports.
func TestShortReads(t *testing.T) {
	for _, name := range []string{"zeek__http-get.pcap", "gopacket__pcapgo-le-test202.pcapng", "zeek__http-iso-download.pcap.gz"} {
		full := corpusFile(t, name)
		want, _, err := readBytes(t, full)
		if err != nil {
			t.Fatal(err)
		}
		for kind, wrap := range map[string]func(io.Reader) io.Reader{"one-byte": iotest.OneByteReader, "half": iotest.HalfReader} {
			r, err := NewReader(wrap(bytes.NewReader(full)), name)
			if err != nil {
				t.Fatal(err)
			}
			got, errs := readAll(t, r)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			sameRecs(t, name+" "+kind, got, want)
		}
	}
}
