// Package capture reads and writes capture files: pcap (µs and ns, both byte
// orders) and pcapng (all standard block types), transparently decompressing
// gzip and zstd, detected by magic bytes, never by file name.
//
// Cost: readers stream; memory is one record buffer (grown to the largest record
// seen) plus per-interface metadata, whatever the file size. The Data slice a
// Reader returns is owned by the Reader and valid only until the next call to
// Next; callers copy what they keep.
package capture
