package decode

import (
	"bytes"
	"encoding/binary"
	"strconv"
)

// BitTorrent peer wire protocol as Wireshark 4.0's packet-bittorrent.c reads
// it: on TCP 6881-6889, or on a connection that opens with the handshake
// (its heuristic), a run of messages desegmented as tcp_dissect_pdus (a
// 4-byte length, then the type). A length with an unknown type, or one of
// 16 MiB or more, is "Continuation data" to the end of what TCP handed
// over. Hand-written: no Go library parses the wire protocol's framing as
// Wireshark does. Azureus messaging is not decoded.

// BitTorrent message types Wireshark names.
const (
	BTChoke         = 0
	BTUnchoke       = 1
	BTInterested    = 2
	BTNotInterested = 3
	BTHave          = 4
	BTBitfield      = 5
	BTRequest       = 6
	BTPiece         = 7
	BTCancel        = 8
	BTPort          = 9
	BTExtended      = 20
)

const btHandshakeLen = 1 + 19 + 8 + 20 + 20

var btProtocol = []byte("\x13BitTorrent protocol")

// bittorrentPort reports Wireshark's BitTorrent TCP ports.
func bittorrentPort(p uint16) bool { return p >= 6881 && p <= 6889 }

// BitTorrentHandshake reports whether b starts with the handshake.
func BitTorrentHandshake(b []byte) bool { return bytes.HasPrefix(b, btProtocol) }

// BitTorrentName is Wireshark's name of message type t, "" when unknown.
func BitTorrentName(t uint8) string {
	switch t {
	case BTChoke:
		return "Choke"
	case BTUnchoke:
		return "Unchoke"
	case BTInterested:
		return "Interested"
	case BTNotInterested:
		return "Not Interested"
	case BTHave:
		return "Have"
	case BTBitfield:
		return "Bitfield"
	case BTRequest:
		return "Request"
	case BTPiece:
		return "Piece"
	case BTCancel:
		return "Cancel"
	case BTPort:
		return "Port"
	case BTExtended:
		return "Extended"
	}
	return ""
}

// bittorrentPDULen is get_bittorrent_pdu_length on b (at least 4 bytes).
func bittorrentPDULen(b []byte) int {
	if len(b) >= 20 && BitTorrentHandshake(b) {
		return btHandshakeLen
	}
	n := binary.BigEndian.Uint32(b)
	if n == 0 {
		return 4
	}
	if len(b) > 4 {
		if t := b[4]; (t <= BTPort || t == BTExtended) && n < 0x1000000 {
			return 4 + int(n)
		}
	}
	return len(b) // continuation data: the rest
}

var bittorrentPDUs = &tcpPDUs{proto: ProtoBitTorrent, fixed: 4, length: bittorrentPDULen, decode: decodeBitTorrent}

// decodeBitTorrent records the messages complete in b as BitTorrent layers
// and returns how many bytes they take.
func decodeBitTorrent(f *Frame, b []byte) int {
	n := 0
	for len(b)-n >= 4 {
		m := bittorrentPDULen(b[n:])
		if n+m > len(b) {
			break
		}
		n += m
	}
	for off := 0; off < n; {
		m := bittorrentPDULen(b[off:])
		f.setProto(ProtoBitTorrent)
		f.addAppLayer(ProtoBitTorrent, b[off:off+m])
		if !btMessageOK(b[off : off+m]) {
			f.anomaly(ProtoBitTorrent, off, "BitTorrent message truncated")
		}
		off += m
	}
	return n
}

// BitTorrentKind classifies message b as BitTorrent's fields read it: 'h'
// handshake, 'k' keep-alive, 'c' continuation data, 'm' a message.
func BitTorrentKind(b []byte) byte { return btKind(b) }

// btKind classifies message b: 'h' handshake, 'k' keep-alive, 'c'
// continuation data, 'm' a message of a known type.
func btKind(b []byte) byte {
	switch {
	case len(b) >= 20 && BitTorrentHandshake(b):
		return 'h'
	case len(b) < 5:
		if len(b) == 4 && binary.BigEndian.Uint32(b) == 0 {
			return 'k'
		}
		return 'c'
	case BitTorrentName(b[4]) == "" || 4+int(binary.BigEndian.Uint32(b)) != len(b):
		return 'c'
	}
	return 'm'
}

// btMessageOK reports whether message b holds what Wireshark reads of it.
func btMessageOK(b []byte) bool {
	switch btKind(b) {
	case 'h':
		return len(b) >= btHandshakeLen
	case 'm':
		switch b[4] {
		case BTHave:
			return len(b) >= 9
		case BTRequest, BTCancel:
			return len(b) >= 17
		case BTPiece:
			return len(b) >= 13
		case BTPort:
			return len(b) >= 7
		case BTExtended:
			return len(b) >= 6
		}
	}
	return true
}

// appendBitTorrentInfo writes the Info column: each message's summary
// followed by two spaces, as Wireshark appends them.
func (f *Frame) appendBitTorrentInfo(dst []byte) []byte {
	hex := func(dst []byte, v uint32) []byte {
		dst = append(dst, "0x"...)
		return strconv.AppendUint(dst, uint64(v), 16)
	}
	for _, l := range f.Layers {
		if l.Proto != ProtoBitTorrent {
			continue
		}
		b := f.LayerBytes(l)
		switch btKind(b) {
		case 'h':
			dst = append(dst, "Handshake"...)
		case 'k':
			dst = append(dst, "KeepAlive"...)
		case 'c':
			dst = append(dst, "Continuation data"...)
		default:
			dst = append(dst, BitTorrentName(b[4])...)
			be := binary.BigEndian
			switch b[4] {
			case BTHave:
				if len(b) >= 9 {
					dst = append(dst, ", Piece (Idx:"...)
					dst = hex(dst, be.Uint32(b[5:]))
					dst = append(dst, ')')
				}
			case BTRequest, BTCancel:
				if len(b) >= 17 {
					dst = append(dst, ", Piece (Idx:"...)
					dst = hex(dst, be.Uint32(b[5:]))
					dst = append(dst, ",Begin:"...)
					dst = hex(dst, be.Uint32(b[9:]))
					dst = append(dst, ",Len:"...)
					dst = hex(dst, be.Uint32(b[13:]))
					dst = append(dst, ')')
				}
			case BTBitfield:
				dst = append(dst, ", Len:"...)
				dst = hex(dst, uint32(len(b)-5))
			case BTPiece:
				if len(b) >= 13 {
					dst = append(dst, ", Idx:"...)
					dst = hex(dst, be.Uint32(b[5:]))
					dst = append(dst, ",Begin:"...)
					dst = hex(dst, be.Uint32(b[9:]))
					dst = append(dst, ",Len:"...)
					dst = hex(dst, uint32(len(b)-13))
				}
			}
		}
		dst = append(dst, "  "...)
	}
	return dst
}
