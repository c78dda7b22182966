package capture

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Writer writes packets to a capture file. Writes are buffered: call Flush to
// push them to the underlying writer, Close to flush and finish the file (and
// close it when the Writer opened it, as Create does). Errors are sticky: after
// one, every later call returns it.
type Writer interface {
	// WritePacket appends one packet. data is not retained after the call.
	// info.TS, info.Len, info.Interface (pcapng) and info.Comments (pcapng)
	// are written; CapLen is len(data); Len is raised to len(data) if smaller.
	// Records with LinkType LinkCustomBlock and Interface -1 (pcapng custom
	// blocks surfaced by a Reader) are not packets: the pcapng writer copies
	// those whose type allows copying (0x00000BAD) as custom blocks, as
	// tshark -w does, and skips the others; the pcap writer skips them all.
	WritePacket(info Info, data []byte) error
	Flush() error
	Close() error
}

// InterfaceStats are the counters of an interface, written in a pcapng
// Interface Statistics Block (isb_ifrecv, isb_ifdrop, isb_osdrop,
// isb_filteraccept, isb_usrdeliv).
type InterfaceStats struct {
	TS           int64  // time of the statistics, ns since the epoch (0: time of the last packet)
	Received     uint64 // packets received by the interface (isb_ifrecv)
	Dropped      uint64 // packets dropped by the interface/kernel for lack of room (isb_ifdrop)
	OSDropped    uint64 // dropped by the OS (isb_osdrop); omitted when 0
	FilterAccept uint64 // accepted by the capture filter (isb_filteraccept); omitted when 0
	Delivered    uint64 // delivered to the user (isb_usrdeliv); omitted when 0
}

// StatsWriter is implemented by the writers returned by Create. Stats given
// with SetInterfaceStats are written when the file is closed (pcapng: one ISB
// per interface; pcap has no place for them and ignores them).
type StatsWriter interface {
	SetInterfaceStats(iface int, st InterfaceStats)
}

// InterfaceAdder is implemented by the writers returned by Create: it
// declares one more interface and returns its index for Info.Interface. The
// pcap writer accepts only interfaces with the link type of the file.
type InterfaceAdder interface {
	AddInterface(Interface) int
}

const (
	defaultSnapLen = 262144
	writeBufSize   = 64 << 10
)

// ---------------------------------------------------------------- pcap

// PcapWriter writes a classic pcap file (little-endian, µs or ns magic).
type PcapWriter struct {
	w        *bufio.Writer
	closer   io.Closer
	linkType LinkType
	snaplen  int
	nano     bool
	header   bool // file header written
	lazyLink bool // link type not known yet: take it from the first packet
	err      error
	hdr      [16]byte
}

// NewPcapWriter starts a pcap file on w. snaplen <= 0 means 262144;
// nanosecond selects the nanosecond magic (0xa1b23c4d) over microseconds.
// The 24-byte file header is written immediately (into the buffer).
func NewPcapWriter(w io.Writer, linkType LinkType, snaplen int, nanosecond bool) (*PcapWriter, error) {
	pw := newPcapWriter(w, linkType, snaplen, nanosecond)
	pw.writeHeader()
	return pw, pw.err
}

func newPcapWriter(w io.Writer, linkType LinkType, snaplen int, nanosecond bool) *PcapWriter {
	if snaplen <= 0 {
		snaplen = defaultSnapLen
	}
	return &PcapWriter{w: bufio.NewWriterSize(w, writeBufSize), linkType: linkType, snaplen: snaplen, nano: nanosecond}
}

func (pw *PcapWriter) writeHeader() {
	var h [24]byte
	magic := uint32(0xa1b2c3d4)
	if pw.nano {
		magic = 0xa1b23c4d
	}
	le := binary.LittleEndian
	le.PutUint32(h[0:], magic)
	le.PutUint16(h[4:], 2)
	le.PutUint16(h[6:], 4)
	le.PutUint32(h[16:], uint32(pw.snaplen))
	le.PutUint32(h[20:], uint32(pw.linkType))
	pw.header = true
	_, pw.err = pw.w.Write(h[:])
}

// AddInterface accepts an interface with the file's link type and returns 0;
// a different link type makes the writer fail (pcap holds one link type).
func (pw *PcapWriter) AddInterface(ifc Interface) int {
	if pw.err != nil {
		return 0
	}
	if pw.lazyLink && !pw.header {
		pw.linkType, pw.lazyLink = ifc.LinkType, false
		if ifc.SnapLen > 0 {
			pw.snaplen = ifc.SnapLen
		}
		return 0
	}
	if ifc.LinkType != pw.linkType {
		pw.err = fmt.Errorf("pcap file has link type %d, cannot add an interface with link type %d: write .pcapng instead", pw.linkType, ifc.LinkType)
	}
	return 0
}

// SetInterfaceStats does nothing: pcap has no statistics record.
func (pw *PcapWriter) SetInterfaceStats(int, InterfaceStats) {}

// WritePacket appends one record. Timestamps are split with floor division so
// times before 1970 stay correct.
func (pw *PcapWriter) WritePacket(info Info, data []byte) error {
	if pw.err != nil || (info.LinkType == LinkCustomBlock && info.Interface < 0) {
		return pw.err
	}
	if !pw.header {
		if pw.lazyLink {
			pw.linkType, pw.lazyLink = info.LinkType, false
		}
		pw.writeHeader()
		if pw.err != nil {
			return pw.err
		}
	}
	sec, ns := splitNS(info.TS)
	frac := ns
	if !pw.nano {
		frac = ns / 1000
	}
	wire := max(info.Len, len(data))
	le := binary.LittleEndian
	le.PutUint32(pw.hdr[0:], uint32(sec))
	le.PutUint32(pw.hdr[4:], uint32(frac))
	le.PutUint32(pw.hdr[8:], uint32(len(data)))
	le.PutUint32(pw.hdr[12:], uint32(wire))
	if _, pw.err = pw.w.Write(pw.hdr[:]); pw.err != nil {
		return pw.err
	}
	_, pw.err = pw.w.Write(data)
	return pw.err
}

// Flush writes buffered records to the underlying writer.
func (pw *PcapWriter) Flush() error {
	if pw.err != nil {
		return pw.err
	}
	if !pw.header {
		pw.writeHeader()
	}
	if pw.err == nil {
		pw.err = pw.w.Flush()
	}
	return pw.err
}

// Close flushes, and closes the file when the writer was made by Create.
func (pw *PcapWriter) Close() error {
	return finishClose(pw.Flush(), &pw.closer, &pw.err)
}

// finishClose ends a writer's Close: it closes the file the writer owns (if
// any) after the final flush whose result is err, and makes later writes fail.
func finishClose(err error, closer *io.Closer, sticky *error) error {
	if *closer != nil {
		if cerr := (*closer).Close(); err == nil {
			err = cerr
		}
		*closer = nil
	}
	if err == nil {
		*sticky = errors.New("capture writer is closed")
	}
	return err
}

// ---------------------------------------------------------------- pcapng

// PcapngWriterOptions configures NewPcapngWriter.
type PcapngWriterOptions struct {
	// Interfaces get one IDB each, written after the SHB; more can be added
	// with AddInterface. A packet for an interface not declared yet makes the
	// writer declare it from Info.LinkType.
	Interfaces  []Interface
	Application string // shb_userappl; "" means "wirewatch"
	OS          string // shb_os; "" means runtime.GOOS
	Comment     string // shb_comment, omitted when ""
}

// PcapngWriter writes a little-endian pcapng file: one SHB, an IDB per
// interface (if_tsresol=9, nanoseconds), EPBs with opt_comment, and ISBs at
// Close for interfaces given stats with SetInterfaceStats.
type PcapngWriter struct {
	w      *bufio.Writer
	closer io.Closer
	ifaces []Interface
	stats  []*InterfaceStats
	lastTS int64
	err    error
	buf    []byte // block scratch (header + options)
}

// NewPcapngWriter starts a pcapng file on w and writes the SHB and the IDBs
// of opts.Interfaces (into the buffer).
func NewPcapngWriter(w io.Writer, opts PcapngWriterOptions) (*PcapngWriter, error) {
	pw := &PcapngWriter{w: bufio.NewWriterSize(w, writeBufSize), buf: make([]byte, 0, 256)}
	app := opts.Application
	if app == "" {
		app = "wirewatch"
	}
	osName := opts.OS
	if osName == "" {
		osName = runtime.GOOS
	}
	b := pw.buf[:0]
	b = le32(b, 0x0A0D0D0A)
	b = le32(b, 0) // length, patched
	b = le32(b, 0x1A2B3C4D)
	b = le16(b, 1)
	b = le16(b, 0)
	b = le64(b, ^uint64(0)) // section length unknown
	if opts.Comment != "" {
		b = opt(b, 1, []byte(opts.Comment))
	}
	b = opt(b, 3, []byte(osName))
	b = opt(b, 4, []byte(app))
	b = le32(b, 0) // opt_endofopt
	pw.writeBlock(b)
	for _, ifc := range opts.Interfaces {
		pw.AddInterface(ifc)
	}
	return pw, pw.err
}

// writeBlock patches the total length into block (header already in place),
// appends the trailing length, and writes it.
func (pw *PcapngWriter) writeBlock(b []byte) {
	n := len(b) + 4
	binary.LittleEndian.PutUint32(b[4:], uint32(n))
	b = le32(b, uint32(n))
	pw.buf = b[:0]
	if pw.err == nil {
		_, pw.err = pw.w.Write(b)
	}
}

// AddInterface writes an IDB for ifc and returns its interface index.
func (pw *PcapngWriter) AddInterface(ifc Interface) int {
	b := pw.buf[:0]
	b = le32(b, 1)
	b = le32(b, 0)
	b = le16(b, uint16(ifc.LinkType))
	b = le16(b, 0)
	b = le32(b, uint32(max(ifc.SnapLen, 0)))
	if ifc.Name != "" {
		b = opt(b, 2, []byte(ifc.Name))
	}
	if ifc.Desc != "" {
		b = opt(b, 3, []byte(ifc.Desc))
	}
	b = opt(b, 9, []byte{9})
	if ifc.FCSLen > 0 && ifc.FCSLen < 256 {
		b = opt(b, 13, []byte{byte(ifc.FCSLen)})
	}
	b = le32(b, 0)
	pw.writeBlock(b)
	ifc.TSResol, ifc.TSOffset = 9, 0
	pw.ifaces = append(pw.ifaces, ifc)
	pw.stats = append(pw.stats, nil)
	return len(pw.ifaces) - 1
}

// SetInterfaceStats records counters for interface iface, written as an ISB
// at Close. Use WriteInterfaceStats to write one immediately.
func (pw *PcapngWriter) SetInterfaceStats(iface int, st InterfaceStats) {
	if iface >= 0 && iface < len(pw.stats) {
		pw.stats[iface] = &st
	}
}

// WriteInterfaceStats writes an ISB for interface iface now.
func (pw *PcapngWriter) WriteInterfaceStats(iface int, st InterfaceStats) error {
	if pw.err != nil {
		return pw.err
	}
	if iface < 0 || iface >= len(pw.ifaces) {
		return fmt.Errorf("interface statistics for interface %d, but the file has %d interfaces", iface, len(pw.ifaces))
	}
	ts := st.TS
	if ts == 0 {
		ts = pw.lastTS
	}
	b := pw.buf[:0]
	b = le32(b, 5)
	b = le32(b, 0)
	b = le32(b, uint32(iface))
	b = le32(b, uint32(uint64(ts)>>32))
	b = le32(b, uint32(ts))
	var v [8]byte
	put := func(code uint16, x uint64, always bool) {
		if x != 0 || always {
			binary.LittleEndian.PutUint64(v[:], x)
			b = opt(b, code, v[:])
		}
	}
	put(4, st.Received, true)
	put(5, st.Dropped, true)
	put(6, st.FilterAccept, false)
	put(7, st.OSDropped, false)
	put(8, st.Delivered, false)
	b = le32(b, 0)
	pw.writeBlock(b)
	return pw.err
}

// WritePacket writes an EPB for info.Interface with the packet's comments.
func (pw *PcapngWriter) WritePacket(info Info, data []byte) error {
	if pw.err != nil {
		return pw.err
	}
	if info.LinkType == LinkCustomBlock && info.Interface < 0 {
		if info.CustomType == blockCustom {
			pw.writeCustom(info.CustomPEN, data)
		}
		return pw.err
	}
	if info.Interface < 0 {
		return fmt.Errorf("packet for interface %d: interface indexes start at 0", info.Interface)
	}
	for info.Interface >= len(pw.ifaces) {
		pw.AddInterface(Interface{LinkType: info.LinkType, FCSLen: -1})
	}
	pad := (4 - len(data)%4) % 4
	optLen := 0
	for _, c := range info.Comments {
		n := min(len(c), 0xffff) // opt truncates longer values
		optLen += 4 + n + (4-n%4)%4
	}
	if optLen > 0 {
		optLen += 4
	}
	total := 32 + len(data) + pad + optLen
	ts := uint64(info.TS)
	b := pw.buf[:0]
	b = le32(b, 6)
	b = le32(b, uint32(total))
	b = le32(b, uint32(info.Interface))
	b = le32(b, uint32(ts>>32))
	b = le32(b, uint32(ts))
	b = le32(b, uint32(len(data)))
	b = le32(b, uint32(max(info.Len, len(data))))
	pw.buf = b[:0]
	if _, pw.err = pw.w.Write(b); pw.err != nil {
		return pw.err
	}
	if _, pw.err = pw.w.Write(data); pw.err != nil {
		return pw.err
	}
	b = append(pw.buf[:0], 0, 0, 0)[:pad]
	for _, c := range info.Comments {
		b = opt(b, 1, []byte(c))
	}
	if optLen > 0 {
		b = le32(b, 0)
	}
	b = le32(b, uint32(total))
	pw.buf = b[:0]
	_, pw.err = pw.w.Write(b)
	pw.lastTS = info.TS
	return pw.err
}

// writeCustom writes a copyable Custom Block (type 0x00000BAD).
func (pw *PcapngWriter) writeCustom(pen uint32, data []byte) {
	pad := (4 - len(data)%4) % 4
	b := pw.buf[:0]
	b = le32(b, blockCustom)
	b = le32(b, 0) // set by writeBlock
	b = le32(b, pen)
	b = append(b, data...)
	b = append(b, 0, 0, 0)[:len(b)+pad]
	pw.writeBlock(b)
}

// Flush writes buffered blocks to the underlying writer.
func (pw *PcapngWriter) Flush() error {
	if pw.err == nil {
		pw.err = pw.w.Flush()
	}
	return pw.err
}

// Close writes the pending ISBs, flushes, and closes the file when the writer
// was made by Create.
func (pw *PcapngWriter) Close() error {
	for i, st := range pw.stats {
		if st != nil && pw.err == nil {
			pw.WriteInterfaceStats(i, *st)
			pw.stats[i] = nil
		}
	}
	return finishClose(pw.Flush(), &pw.closer, &pw.err)
}

// ---------------------------------------------------------------- Create

// Create creates (truncates) the file at path and returns a Writer for it:
// classic pcap with nanosecond timestamps when the name ends in ".pcap"
// (any case), pcapng otherwise. For pcap, all ifaces must share one link type;
// with no ifaces the link type is taken from the first packet (or the first
// AddInterface). The returned Writer also implements InterfaceAdder and
// StatsWriter; Close closes the file.
func Create(path string, ifaces []Interface) (Writer, error) { return CreateFormat(path, ifaces, "") }

// CreateFormat is Create with the format named: "pcap", "pcapng", or ""
// for the one the file name says.
func CreateFormat(path string, ifaces []Interface, format string) (Writer, error) {
	isPcap := format == "pcap" || format == "" && strings.EqualFold(filepath.Ext(path), ".pcap")
	if isPcap {
		for _, ifc := range ifaces[min(1, len(ifaces)):] {
			if ifc.LinkType != ifaces[0].LinkType {
				return nil, fmt.Errorf("%s: pcap holds one link type, but the interfaces have %d and %d: use a .pcapng name", path, ifaces[0].LinkType, ifc.LinkType)
			}
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if isPcap {
		var pw *PcapWriter
		if len(ifaces) == 0 {
			pw = newPcapWriter(f, LinkEthernet, 0, true)
			pw.lazyLink = true
		} else {
			pw = newPcapWriter(f, ifaces[0].LinkType, ifaces[0].SnapLen, true)
			pw.writeHeader()
		}
		pw.closer = f
		return pw, nil
	}
	pw, err := NewPcapngWriter(f, PcapngWriterOptions{Interfaces: ifaces})
	if err != nil {
		f.Close()
		return nil, err
	}
	pw.closer = f
	return pw, nil
}

// splitNS splits ns since the epoch into seconds and nanoseconds (0..999999999).
func splitNS(ts int64) (sec int64, ns int64) {
	sec, ns = ts/1e9, ts%1e9
	if ns < 0 {
		sec--
		ns += 1e9
	}
	return sec, ns
}

func le16(b []byte, v uint16) []byte { return binary.LittleEndian.AppendUint16(b, v) }
func le32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }
func le64(b []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(b, v) }

// opt appends a pcapng option with its padding.
func opt(b []byte, code uint16, val []byte) []byte {
	if len(val) > 0xffff {
		val = val[:0xffff]
	}
	b = le16(b, code)
	b = le16(b, uint16(len(val)))
	b = append(b, val...)
	for i := len(val) % 4; i != 0 && i < 4; i++ {
		b = append(b, 0)
	}
	return b
}
