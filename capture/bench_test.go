package capture

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// stream builds an in-memory capture of at least size bytes by writing the
// packets of a corpus file again and again with wirewatch's writers
// (comments dropped, so reading allocates nothing).
func stream(tb testing.TB, name string, size int, ng bool) (file []byte, packets int) {
	tb.Helper()
	src, _, err := readBytes(tb, corpusFile(tb, name))
	if err != nil || len(src) == 0 {
		tb.Fatal(err, len(src))
	}
	var buf bytes.Buffer
	var w Writer
	if ng {
		w, err = NewPcapngWriter(&buf, PcapngWriterOptions{Interfaces: []Interface{{LinkType: src[0].info.LinkType, Name: "eth0"}}})
	} else {
		w, err = NewPcapWriter(&buf, src[0].info.LinkType, 0, false)
	}
	if err != nil {
		tb.Fatal(err)
	}
	ts := int64(1_700_000_000e9)
	for buf.Len() < size {
		for _, p := range src {
			ts += 10_000
			w.WritePacket(Info{TS: ts, Len: p.info.Len}, []byte(p.data))
			packets++
		}
		w.Flush()
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), packets
}

// benchRead reads the stream again and again, one packet per b.N.
func benchRead(b *testing.B, file []byte) {
	b.ReportAllocs()
	var br bytes.Reader
	br.Reset(file)
	r, err := NewReader(&br, "bench")
	if err != nil {
		b.Fatal(err)
	}
	perFile := 0
	for {
		if _, err := r.Next(); err != nil {
			break
		}
		perFile++
	}
	b.SetBytes(int64(len(file) / perFile))
	b.ResetTimer()
	n := 0
	for n < b.N {
		br.Reset(file)
		r, err := NewReader(&br, "bench")
		if err != nil {
			b.Fatal(err)
		}
		for ; n < b.N; n++ {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "packets/s")
}

// 64 MiB streams: a reader is opened (one 256 KiB buffer) once per ~100k
// packets, so allocs/op rounds to 0 and measures the per-packet path.
func BenchmarkPcapReader(b *testing.B) {
	file, _ := stream(b, "zeek__http-bro.org.pcap", 64<<20, false)
	benchRead(b, file)
}

func BenchmarkPcapngReader(b *testing.B) {
	file, _ := stream(b, "zeek__http-bro.org.pcap", 64<<20, true)
	benchRead(b, file)
}

// TestNextAllocs asserts that Next allocates nothing once the reader is
// warm, for pcap, pcapng and gzip-compressed pcap.
func TestNextAllocs(t *testing.T) {
	pcap, _ := stream(t, "zeek__http-get.pcap", 1<<20, false)
	ng, _ := stream(t, "zeek__http-get.pcap", 1<<20, true)
	for name, file := range map[string][]byte{"pcap": pcap, "pcapng": ng} {
		r, err := NewReader(bytes.NewReader(file), name)
		if err != nil {
			t.Fatal(err)
		}
		for range 100 {
			r.Next()
		}
		allocs := testing.AllocsPerRun(1000, func() {
			if _, err := r.Next(); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: Next allocates %.2f times per packet", name, allocs)
		}
	}
}

// TestWriteAllocs: writing a packet (no comments) allocates nothing.
func TestWriteAllocs(t *testing.T) {
	data := make([]byte, 200)
	pw, _ := NewPcapWriter(io.Discard, LinkEthernet, 0, true)
	nw, _ := NewPcapngWriter(io.Discard, PcapngWriterOptions{Interfaces: []Interface{{LinkType: LinkEthernet}}})
	for name, w := range map[string]Writer{"pcap": pw, "pcapng": nw} {
		allocs := testing.AllocsPerRun(1000, func() {
			if err := w.WritePacket(Info{TS: 1, Len: 300}, data); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: WritePacket allocates %.2f times per packet", name, allocs)
		}
	}
}

func BenchmarkPcapngWriter(b *testing.B) {
	data := make([]byte, 600)
	w, _ := NewPcapngWriter(io.Discard, PcapngWriterOptions{Interfaces: []Interface{{LinkType: LinkEthernet}}})
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for i := 0; b.Loop(); i++ {
		w.WritePacket(Info{TS: int64(i), Len: 600}, data)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "packets/s")
}

// BenchmarkReadFile reads the capture named by $WIREWATCH_BENCH_FILE (for
// example the 1 GB file ../shared/bench/pcapgen makes) from disk, once per
// op: go test -run X -bench ReadFile -benchtime 3x ./capture
func BenchmarkReadFile(b *testing.B) {
	path := os.Getenv("WIREWATCH_BENCH_FILE")
	if path == "" {
		b.Skip("set WIREWATCH_BENCH_FILE to a capture file")
	}
	b.ReportAllocs()
	packets, bytes := 0, int64(0)
	for b.Loop() {
		r, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		for {
			p, err := r.Next()
			if err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				break
			}
			packets++
			bytes += int64(p.CapLen) + 16
		}
		r.Close()
	}
	b.ReportMetric(float64(packets)/b.Elapsed().Seconds(), "packets/s")
	b.ReportMetric(float64(bytes)/1e6/b.Elapsed().Seconds(), "MB/s")
}
