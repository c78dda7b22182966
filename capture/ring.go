package capture

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// NewRingWriter creates the first file (now names it, for a ring).
func NewRingWriter(c RingConfig, now time.Time) (*RingWriter, error) {
	s := &RingWriter{path: c.Path, ifaces: c.Interfaces, c: c, stdout: c.Stdout, ifStats: c.Stats}
	if err := s.open(now); err != nil {
		return nil, err
	}
	return s, nil
}

// Total is the number of bytes handed to the files so far.
func (s *RingWriter) Total() int64 { return s.total }

// Written is the number of packets written so far, over all files.
func (s *RingWriter) Written() int { return s.written }

// RingConfig says where a RingWriter writes and when it starts a new file.
type RingConfig struct {
	// Path is the file to write: pcapng, or pcap when it ends in .pcap; "-"
	// writes pcapng to Stdout. With a ring (FileKB or Duration) it is the
	// prefix and extension of the files, named as dumpcap names them:
	// PREFIX_NNNNN_YYYYMMDDhhmmss.EXT.
	Path   string
	Stdout io.Writer
	// Interfaces are the source's interfaces, declared in every file.
	Interfaces []Interface
	// Format is "pcap" or "pcapng"; "" for the one Path's extension says.
	Format string
	// Application is written in the pcapng section header (shb_userappl).
	Application string
	// FileKB starts a new file before one would grow past this many kB
	// (1000 bytes); Duration when the current one is this old. Files keeps
	// only the newest Files files (0: all).
	FileKB   int64
	Duration time.Duration
	Files    int
	// Stats gives the counters written in each file's ISBs when it is
	// closed (nil: none).
	Stats func(i int) InterfaceStats
	// Create opens a file for writing (nil: os.Create); tests use it to
	// simulate a full disk.
	Create func(name string) (File, error)
}

// File is what a RingWriter writes to.
type File interface {
	io.Writer
	Sync() error
	Close() error
}

// RingWriter writes live packets to a capture file, or to a ring buffer of
// files, with write-behind buffering so that the loop draining the kernel
// waits for the disk only when every buffer is full. When the disk fills
// up the file is cut back to its last complete record, so it stays
// readable, and the error says how many packets it holds.
type RingWriter struct {
	path    string
	ifaces  []Interface
	c       RingConfig
	stdout  io.Writer
	ifStats func(i int) InterfaceStats

	f       File
	pending bool // the current file was closed by a rotation; the next packet opens the next
	cw      *countWriter
	w       Writer       // file header, IDBs and ISBs
	bw      *asyncWriter // packet records, encoded here in one piece each
	rec     []byte
	name    string
	isPcap  bool
	seq     int
	opened  int64 // ns
	size    int64 // bytes of the current file (records handed to the writer)
	total   int64 // bytes over all files
	files   []string
	packets int // packets in the current file
	written int // packets in all files
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

func (s *RingWriter) ring() bool { return s.c.FileKB > 0 || s.c.Duration > 0 }

// nextName is dumpcap's ring-buffer naming: PREFIX_NNNNN_YYYYMMDDhhmmss.EXT.
func (s *RingWriter) nextName(now time.Time) string {
	if !s.ring() {
		return s.path
	}
	ext := filepath.Ext(s.path)
	prefix := strings.TrimSuffix(s.path, ext)
	if ext == "" {
		ext = ".pcapng"
	}
	return fmt.Sprintf("%s_%05d_%s%s", prefix, s.seq, now.Format("20060102150405"), ext)
}

func (s *RingWriter) open(now time.Time) error {
	s.seq++
	s.name = s.nextName(now)
	s.isPcap = s.c.Format == "pcap" || s.c.Format == "" && strings.EqualFold(filepath.Ext(s.name), ".pcap")
	var out io.Writer
	if s.name == "-" {
		out = s.stdout
	} else {
		create := s.c.Create
		if create == nil {
			create = func(name string) (File, error) { return os.Create(name) }
		}
		f, err := create(s.name)
		if err != nil {
			return fmt.Errorf("creating the capture file: %w", err)
		}
		s.f, out = f, f
	}
	s.cw = &countWriter{w: out}
	var err error
	if s.isPcap {
		for _, ifc := range s.ifaces[1:] {
			if ifc.LinkType != s.ifaces[0].LinkType {
				return fmt.Errorf("%s: pcap holds one link type, but %s and %s differ: name the file .pcapng", s.name, s.ifaces[0].Name, ifc.Name)
			}
		}
		s.w, err = NewPcapWriter(s.cw, s.ifaces[0].LinkType, s.ifaces[0].SnapLen, true)
	} else {
		s.w, err = NewPcapngWriter(s.cw, PcapngWriterOptions{
			Interfaces:  s.ifaces,
			Application: s.c.Application,
		})
	}
	if err == nil {
		err = s.w.Flush()
	}
	if err != nil {
		return s.fail(err)
	}
	if s.bw == nil {
		s.bw = newAsyncWriter(s.cw, 4, 1<<20)
	} else {
		s.bw.Reset(s.cw)
	}
	s.opened = now.UnixNano()
	s.size = s.cw.n
	s.packets = 0
	if s.f != nil {
		s.files = append(s.files, s.name)
		if s.c.Files > 0 {
			for len(s.files) > s.c.Files {
				if err := os.Remove(s.files[0]); err != nil && !errors.Is(err, os.ErrNotExist) {
					return fmt.Errorf("ring buffer: removing the oldest file: %w", err)
				}
				s.files = s.files[1:]
			}
		}
	}
	return nil
}

func (s *RingWriter) recordSize(caplen int) int64 {
	if s.isPcap {
		return 16 + int64(caplen)
	}
	return 32 + int64(caplen+3)&^3
}

// appendRecord encodes p as a pcap record or a pcapng Enhanced Packet Block
// (live packets carry no comments), as capture's writers do, but in one piece.
func (s *RingWriter) appendRecord(b []byte, p *Packet) []byte {
	le := binary.LittleEndian
	wire := uint32(max(p.Len, len(p.Data)))
	if s.isPcap {
		sec, ns := p.TS/1e9, p.TS%1e9
		if ns < 0 {
			sec, ns = sec-1, ns+1e9
		}
		b = le.AppendUint32(b, uint32(sec))
		b = le.AppendUint32(b, uint32(ns))
		b = le.AppendUint32(b, uint32(len(p.Data)))
		b = le.AppendUint32(b, wire)
		return append(b, p.Data...)
	}
	pad := (4 - len(p.Data)%4) % 4
	total := uint32(32 + len(p.Data) + pad)
	ts := uint64(p.TS)
	b = le.AppendUint32(b, 6)
	b = le.AppendUint32(b, total)
	b = le.AppendUint32(b, uint32(p.Interface))
	b = le.AppendUint32(b, uint32(ts>>32))
	b = le.AppendUint32(b, uint32(ts))
	b = le.AppendUint32(b, uint32(len(p.Data)))
	b = le.AppendUint32(b, wire)
	b = append(b, p.Data...)
	b = append(b, 0, 0, 0)[:len(b)+pad]
	return le.AppendUint32(b, total)
}

// WritePacket appends p, starting the next ring file first when due.
func (s *RingWriter) WritePacket(p *Packet) error {
	if s.pending {
		// The next ring file is created with its first packet, so that a
		// capture stopping at a rotation (-b duration:5 -a duration:20)
		// leaves no empty file behind.
		if err := s.open(time.Unix(0, p.TS)); err != nil {
			return err
		}
		s.pending = false
	}
	if s.ring() && s.packets > 0 &&
		((s.c.FileKB > 0 && s.size+s.recordSize(len(p.Data)) > s.c.FileKB*1000) ||
			(s.c.Duration > 0 && p.TS-s.opened >= int64(s.c.Duration))) {
		if err := s.rotate(time.Unix(0, p.TS)); err != nil {
			return err
		}
		if err := s.open(time.Unix(0, p.TS)); err != nil {
			return err
		}
		s.pending = false
	}
	rs := s.recordSize(len(p.Data))
	b := s.bw.AvailableBuffer()
	if int64(cap(b)) < rs {
		if err := s.bw.Push(); err != nil {
			return s.fail(err)
		}
		if b = s.bw.AvailableBuffer(); int64(cap(b)) < rs {
			b = s.rec[:0] // larger than the buffer
		}
	}
	b = s.appendRecord(b, p)
	s.rec = b[:0]
	if _, err := s.bw.Write(b); err != nil {
		return s.fail(err)
	}
	s.size += rs
	s.total += rs
	s.packets++
	s.written++
	return nil
}

// Tick rotates a duration ring buffer while the link is quiet and pushes
// buffered packets to the file; call it now and then (now in ns).
func (s *RingWriter) Tick(now int64) error {
	if s.pending {
		return nil
	}
	if s.c.Duration > 0 && s.packets > 0 && now-s.opened >= int64(s.c.Duration) {
		return s.rotate(time.Unix(0, now))
	}
	if err := s.bw.Push(); err != nil {
		return s.fail(err)
	}
	return nil
}

// rotate closes the current file; the next one is opened by the packet
// that goes into it (WritePacket), now when a packet is waiting.
func (s *RingWriter) rotate(now time.Time) error {
	if err := s.closeFile(); err != nil {
		return err
	}
	s.pending = true
	return nil
}

func (s *RingWriter) closeFile() error {
	if err := s.bw.Flush(); err != nil {
		return s.fail(err)
	}
	if sw, ok := s.w.(StatsWriter); ok && s.ifStats != nil {
		for i := range s.ifaces {
			sw.SetInterfaceStats(i, s.ifStats(i))
		}
	}
	err := s.w.Close()
	if s.f != nil {
		if err == nil {
			err = s.f.Sync()
		}
		if cerr := s.f.Close(); err == nil {
			err = cerr
		}
		s.f = nil
	}
	if err != nil {
		return s.fail(err)
	}
	return nil
}

// Close writes what is buffered and the statistics, and closes the file.
func (s *RingWriter) Close() error {
	if s.w == nil {
		return nil
	}
	var err error
	if !s.pending { // a rotated file is closed already
		err = s.closeFile()
	}
	s.w = nil
	if s.bw != nil {
		s.bw.Close()
		s.bw = nil
	}
	return err
}

// fail turns a write error into a message that says what happened to the
// file; when the disk is full, the file is cut back to its last complete
// record so that it stays readable.
func (s *RingWriter) fail(err error) error {
	if s.bw != nil {
		s.bw.Flush() // let the writing goroutine finish before the file is cut
		s.bw.Close()
		s.bw = nil
	}
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	s.w = nil
	if s.name == "-" {
		return fmt.Errorf("writing the capture to standard output: %w", err)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err // the path is in the message already
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) || errors.Is(err, syscall.EFBIG) {
		n, terr := truncateToLastRecord(s.name, s.isPcap)
		if terr != nil {
			return fmt.Errorf("writing %s: %w; cutting the file back to its last complete packet also failed: %v", s.name, err, terr)
		}
		return fmt.Errorf("writing %s: %w; the file is complete and readable, with the first %d packets; free space, or bound the capture with -b filesize:KB -b files:N", s.name, err, n)
	}
	return fmt.Errorf("writing %s: %w", s.name, err)
}

// truncateToLastRecord cuts a pcap or pcapng file after its last complete
// record and returns how many packet records it keeps.
func truncateToLastRecord(path string, isPcap bool) (int, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	var end int64
	pkts := 0
	skip := func(n int64) bool {
		k, err := r.Discard(int(n))
		return err == nil && int64(k) == n
	}
	var hdr [16]byte
	if isPcap {
		if _, err := io.ReadFull(r, hdr[:]); err == nil && skip(8) {
			end = 24
			for {
				if _, err := io.ReadFull(r, hdr[:16]); err != nil {
					break
				}
				incl := int64(binary.LittleEndian.Uint32(hdr[8:]))
				if !skip(incl) {
					break
				}
				end += 16 + incl
				pkts++
			}
		}
	} else {
		for {
			if _, err := io.ReadFull(r, hdr[:8]); err != nil {
				break
			}
			typ, total := binary.LittleEndian.Uint32(hdr[0:]), int64(binary.LittleEndian.Uint32(hdr[4:]))
			if total < 12 || total%4 != 0 || !skip(total-8) {
				break
			}
			end += total
			if typ == 6 || typ == 3 {
				pkts++
			}
		}
	}
	if err := f.Truncate(end); err != nil {
		return 0, err
	}
	return pkts, f.Sync()
}
