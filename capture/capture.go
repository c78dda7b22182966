package capture

import "fmt"

// LinkType is a pcap LINKTYPE_ value (https://www.tcpdump.org/linktypes.html).
type LinkType uint16

// Link types wirewatch decodes; anything else is shown as data.
const (
	LinkNull      LinkType = 0   // BSD loopback: 4-byte host-order AF
	LinkEthernet  LinkType = 1   // Ethernet II / 802.3
	LinkRaw       LinkType = 101 // raw IPv4/IPv6
	LinkLoop      LinkType = 108 // OpenBSD loopback: 4-byte network-order AF
	LinkLinuxSLL  LinkType = 113 // Linux cooked v1
	LinkIPv4      LinkType = 228
	LinkIPv6      LinkType = 229
	LinkLinuxSLL2 LinkType = 276 // Linux cooked v2

	// LinkCustomBlock is not a LINKTYPE_: it marks a pcapng Custom Block
	// (type 0x00000BAD or 0x40000BAD) returned as a record, because tshark
	// shows each such block as a frame of "data" (frame.len = the block's
	// bytes after the Private Enterprise Number, options included). Such a
	// record has Interface -1 and NoTS set; Data is that custom data. (A
	// file whose IDB declares link type 65535 yields packets with this link
	// type and a real interface: test Interface < 0 to find custom blocks.)
	LinkCustomBlock LinkType = 0xFFFF
)

// Info describes one captured record.
type Info struct {
	TS        int64    // timestamp, nanoseconds since the Unix epoch (UTC)
	CapLen    int      // bytes captured (len(Data))
	Len       int      // bytes on the wire
	LinkType  LinkType // link type of the interface the packet came from
	Interface int      // index in Reader.Interfaces() (IDB order within the whole file, all sections; 0 for pcap)
	Comments  []string // pcapng opt_comment values; nil when none (no allocation)
	Offset    int64    // byte offset of the record in the (decompressed) file
	// NoTS is set when the record carries no timestamp (pcapng Simple Packet
	// Block, custom block); TS is then 0 and tshark leaves frame.time empty.
	NoTS bool
	// CustomType and CustomPEN are set on a pcapng custom block record
	// (LinkCustomBlock): the block type (0x00000BAD, copyable, or
	// 0x40000BAD, not to be copied) and its Private Enterprise Number, so
	// a writer can copy the block as tshark -w does.
	CustomType, CustomPEN uint32
}

// Packet is one record. Data is owned by the Reader and valid until the next Next.
type Packet struct {
	Info
	Data []byte
}

// Interface is what a capture file says about an interface (pcapng IDB; pcap synthesises one).
type Interface struct {
	LinkType LinkType
	SnapLen  int
	Name     string // if_name, "" when absent
	Desc     string // if_description
	TSResol  uint8  // if_tsresol as in the file (6 = µs default)
	TSOffset int64  // if_tsoffset, seconds
	FCSLen   int    // bytes of FCS at the end of each frame, -1 unknown
	// Section is the pcapng section (0-based) that declared the interface and
	// ID its index within that section, which is what tshark shows as
	// frame.interface_id. Info.Interface indexes the whole file's list.
	Section, ID int
}

// Reader is a Source; the name files have always used.
type Reader = Source

// Source yields packets in capture order: a capture file (Open, NewReader)
// or live interfaces (capture/live.Source), so that whoever consumes
// packets (package pipeline) takes either.
type Source interface {
	// Next returns the next packet, io.EOF at the clean end, or a *FormatError.
	// After a FormatError that the reader recovered from (Resumable), Next may
	// be called again; otherwise the reader is done.
	Next() (Packet, error)
	// Interfaces lists the interfaces seen so far (grows as pcapng IDBs appear).
	Interfaces() []Interface
	// Format names the file format, e.g. "pcap", "pcap-ns", "pcapng", plus "+gzip"/"+zstd".
	Format() string
	Close() error
}

// FormatError reports a damaged or unsupported file, with the byte offset of the
// problem in the decompressed stream.
type FormatError struct {
	File      string
	Offset    int64
	Msg       string
	Resumable bool // the reader skipped the damage and can continue
	Err       error
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("%s: byte offset %d: %s", e.File, e.Offset, e.Msg)
}

func (e *FormatError) Unwrap() error { return e.Err }
