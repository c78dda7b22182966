// Package capture reads and writes capture files: pcap (µs and ns magics,
// both byte orders, the FCS-length bits of the link-type word, Kuznetzov's
// modified variant) and pcapng (every section, either byte order; IDB with
// if_name, if_description, if_tsresol as a power of 10 or 2, if_tsoffset,
// if_fcslen; EPB, SPB, obsolete PB; NRB, ISB, DSB, systemd-journal and
// unknown blocks skipped; opt_comment kept in Info.Comments). gzip and zstd
// are decompressed transparently. The format is detected by magic bytes,
// never by file name; Open("-") reads standard input.
//
// # What tshark does, and so does this package
//
// Files tshark rejects are rejected at Open with a *FormatError saying why
// (pcap major version other than 2, non-zero reserved bits in the link-type
// word, pcapng version other than 1.0/1.2, a damaged first section header).
// Info.Interface indexes Reader.Interfaces(), which lists the IDBs of all
// sections in file order; Interface.Section and Interface.ID give tshark's
// per-section frame.interface_id. tshark shows each pcapng custom block
// (0x00000BAD, 0x40000BAD) as a frame of "data", so the reader returns one
// too: LinkType LinkCustomBlock, Interface -1, NoTS set, Data = the bytes
// after the Private Enterprise Number. Simple Packet Blocks have NoTS set
// (tshark leaves their frame.time empty). Timestamps are int64 nanoseconds:
// pcapng times past the year 2262 (tshark prints 64-bit values near 2^64 as
// such) wrap.
//
// # Damage
//
// A truncated or corrupt file yields every good packet first, then a
// *FormatError with the file name, the byte offset (in the decompressed
// stream) and what is wrong. Inside pcapng, a block whose framing is broken
// (length not a multiple of 4, too small, over MaxRecordSize, trailing length
// differing, running past the end) is skipped by scanning forward byte by
// byte for the next plausible block (known type, sane length, matching
// trailing length; for an EPB also a declared interface and a fitting
// captured length); the error is then Resumable and Next goes on. Blocks
// with intact framing but bad content (EPB for an undeclared interface,
// captured length over the block, overlong option) are skipped the same way,
// and a section with an unsupported version is skipped up to the next SHB.
// Lengths are never trusted with memory: the buffer grows only as bytes
// actually arrive, and no record may exceed MaxRecordSize (256 MiB); a pcap
// record longer than max(262144, snaplen) is reported as corrupt, as
// Wireshark does.
//
// # Cost and byte ownership
//
// Readers stream: memory is one buffer (256 KiB, grown to the largest
// record seen) plus per-interface metadata, whatever the file size; the
// decompressors add their window (zstd: at most 128 MiB, the zstd tool's
// default limit). Records are sliced out of that buffer in place, so a
// packet's bytes are copied once, from the kernel or decompressor into the
// buffer. The Data slice a Reader returns is owned by the Reader and valid
// only until the next call to Next; callers copy what they keep. Next
// allocates nothing per packet except the strings of packet comments.
// Writers buffer 64 KiB and allocate nothing per packet.
//
// # Why not gopacket's pcapgo
//
// pcapgo (github.com/gopacket/gopacket/pcapgo, checked at v1.7.7) reads
// pcapng without byte offsets in its errors and without resynchronising
// after a damaged block (any bad length ends or derails the read); it skips
// EPB options ("handle options somehow - this would be expensive"), so
// packet comments are lost; it restarts interface numbering in each
// section; it skips custom blocks that tshark shows as frames; its SPB
// captured length is not bounded by the block; its pcap Reader keeps the
// whole link-type word (dropping the FCS bits into a uint16) without
// tshark's reserved-bits check, and refuses minor versions other than 4;
// and its zero-copy read still copies every packet from a bufio.Reader into
// a second buffer. Its NgWriter would serve for writing (SHB, IDB names,
// if_tsresol 9, EPB comments, ISB), but it takes gopacket.CaptureInfo with
// time.Time and imports gopacket/layers with its global registries into
// this package that every other package imports; the writers here are a
// few hundred lines, allocation-free, and tested by round trip through
// tshark.
package capture
