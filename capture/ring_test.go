package capture_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/capture"
)

var ringIfaces = []capture.Interface{{LinkType: capture.LinkEthernet, Name: "eth0", SnapLen: 262144, TSResol: 9}}

func ringPacket(i, size int) capture.Packet {
	data := make([]byte, size)
	copy(data, fmt.Sprintf("packet %d", i))
	return capture.Packet{Info: capture.Info{TS: int64(1.7e18) + int64(i)*int64(10*time.Millisecond), CapLen: size, Len: size,
		LinkType: capture.LinkEthernet}, Data: data}
}

// readRecords reads a capture, failing on any damage.
func readRecords(t *testing.T, path string) []string {
	t.Helper()
	r, err := capture.Open(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer r.Close()
	var out []string
	for {
		p, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, strings.TrimRight(string(p.Data), "\x00"))
	}
}

var ringFile = regexp.MustCompile(`^ring_(\d{5})_\d{14}\.(pcapng|pcap)$`)

// TestRingWriterRotation writes a ring by size and by time, in pcapng and
// pcap, and checks the file names (dumpcap's), sizes, the files kept and
// that the kept files hold the newest packets in order.
func TestRingWriterRotation(t *testing.T) {
	for _, ext := range []string{".pcapng", ".pcap"} {
		for _, by := range []string{"filesize", "duration"} {
			t.Run(by+ext, func(t *testing.T) {
				dir := t.TempDir()
				c := capture.RingConfig{Path: filepath.Join(dir, "ring"+ext), Interfaces: ringIfaces, Files: 3,
					Stats: func(int) capture.InterfaceStats { return capture.InterfaceStats{Received: 7} }}
				if by == "filesize" {
					c.FileKB = 20
				} else {
					c.Duration = time.Second // 100 packets a second
				}
				w, err := capture.NewRingWriter(c, time.Unix(0, int64(1.7e18)))
				if err != nil {
					t.Fatal(err)
				}
				const n = 700
				for i := 0; i < n; i++ {
					p := ringPacket(i, 200)
					if err := w.WritePacket(&p); err != nil {
						t.Fatal(err)
					}
				}
				if err := w.Close(); err != nil {
					t.Fatal(err)
				}
				ents, _ := os.ReadDir(dir)
				var names []string
				for _, e := range ents {
					if !ringFile.MatchString(e.Name()) {
						t.Errorf("file name %s is not dumpcap's", e.Name())
					}
					names = append(names, e.Name())
				}
				sort.Strings(names)
				if len(names) != 3 || ringFile.FindStringSubmatch(names[0])[1] == "00001" {
					t.Fatalf("files %v: want the newest 3", names)
				}
				var all []string
				for i, name := range names {
					recs := readRecords(t, filepath.Join(dir, name))
					fi, _ := os.Stat(filepath.Join(dir, name))
					if i < 2 && by == "filesize" && (fi.Size() > 20000 || fi.Size() < 19000) {
						t.Errorf("%s: %d bytes, want just under 20 kB", name, fi.Size())
					}
					if i < 2 && by == "duration" && len(recs) != 100 {
						t.Errorf("%s: %d packets, want one second's 100", name, len(recs))
					}
					all = append(all, recs...)
				}
				if last := all[len(all)-1]; last != fmt.Sprintf("packet %d", n-1) {
					t.Errorf("last packet kept is %q", last)
				}
				for i := 1; i < len(all); i++ {
					var a, b int
					fmt.Sscanf(all[i-1], "packet %d", &a)
					fmt.Sscanf(all[i], "packet %d", &b)
					if b != a+1 {
						t.Fatalf("packets out of order or missing: %q then %q", all[i-1], all[i])
					}
				}
				if w.Written() != n {
					t.Errorf("Written %d, want %d", w.Written(), n)
				}
			})
		}
	}
}

// fullDisk is a file on a disk with room for limit bytes: the write that
// crosses it writes what fits and fails with ENOSPC, as write(2) does.
type fullDisk struct {
	*os.File
	limit int64
	n     int64
}

func (d *fullDisk) Write(b []byte) (int, error) {
	if room := d.limit - d.n; int64(len(b)) > room {
		k, _ := d.File.Write(b[:max(room, 0)])
		d.n += int64(k)
		return k, &os.PathError{Op: "write", Path: d.Name(), Err: syscall.ENOSPC}
	}
	k, err := d.File.Write(b)
	d.n += int64(k)
	return k, err
}

// TestRingWriterDiskFull fills a simulated disk in the middle of a record
// and checks that the file is cut back to its last complete packet, that it
// reads cleanly, and that the error says so with the packet count.
func TestRingWriterDiskFull(t *testing.T) {
	for _, ext := range []string{".pcapng", ".pcap"} {
		t.Run(ext, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "full"+ext)
			c := capture.RingConfig{Path: path, Interfaces: ringIfaces,
				Create: func(name string) (capture.File, error) {
					f, err := os.Create(name)
					return &fullDisk{File: f, limit: 150_001}, err
				}}
			w, err := capture.NewRingWriter(c, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			var werr error
			for i := 0; i < 2000 && werr == nil; i++ {
				p := ringPacket(i, 333)
				if werr = w.WritePacket(&p); werr == nil && i%50 == 0 {
					werr = w.Tick(p.TS)
				}
			}
			if werr == nil {
				werr = w.Close()
			}
			if werr == nil || !errors.Is(werr, syscall.ENOSPC) {
				t.Fatalf("writing 700 kB to a 150 kB disk: %v, want ENOSPC", werr)
			}
			recs := readRecords(t, path)
			if len(recs) < 300 || !strings.Contains(werr.Error(), fmt.Sprintf("with the first %d packets", len(recs))) {
				t.Fatalf("%d packets readable; error: %v", len(recs), werr)
			}
			if fi, _ := os.Stat(path); fi.Size() > 150_001 {
				t.Errorf("file has %d bytes, more than the disk holds", fi.Size())
			}
			t.Logf("%d packets kept: %v", len(recs), werr)
		})
	}
}

// BenchmarkRingWriterWrite is the per-packet cost of writing a live packet
// to a pcapng file (to io.Discard: encoding and buffering only).
func BenchmarkRingWriterWrite(b *testing.B) {
	w, err := capture.NewRingWriter(capture.RingConfig{Path: "-", Stdout: io.Discard, Interfaces: ringIfaces}, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	p := ringPacket(0, 64)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := w.WritePacket(&p); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRingWriterNoStubAtStop: a duration ring whose last file's time is up
// when the capture stops (-b duration:5 -a duration:20: the rotation at 20 s)
// leaves no empty file: the next file is opened by its first packet.
func TestRingWriterNoStubAtStop(t *testing.T) {
	dir := t.TempDir()
	c := capture.RingConfig{Path: filepath.Join(dir, "ring.pcapng"), Interfaces: ringIfaces, Duration: 5 * time.Second}
	start := time.Unix(0, int64(1.7e18))
	w, err := capture.NewRingWriter(c, start)
	if err != nil {
		t.Fatal(err)
	}
	// A packet every 100 ms for 20 s; ticks every second as the live loop does.
	for i := 0; i < 200; i++ {
		p := ringPacket(i*10, 100) // ringPacket spaces i by 10 ms
		if err := w.WritePacket(&p); err != nil {
			t.Fatal(err)
		}
		if i%10 == 9 {
			if err := w.Tick(p.TS + int64(time.Millisecond)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The stop: a last tick at 20 s rotates the fourth file.
	if err := w.Tick(start.UnixNano() + int64(20*time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, e := range ents {
		r, err := capture.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, err := r.Next(); err == nil; _, err = r.Next() {
			n++
		}
		r.Close()
		if n == 0 {
			t.Errorf("%s holds no packet", e.Name())
		}
		total += n
	}
	if len(ents) != 4 || total != 200 {
		t.Errorf("20 s with -b duration:5: %d files holding %d of 200 packets, want 4", len(ents), total)
	}
}
