package decode

import "strconv"

// NTP (RFC 5905) on UDP port 123: the 48-byte header, then extension
// fields or a MAC.

// NTPHeaderLen is the length of the NTP packet header.
const NTPHeaderLen = 48

// decodeNTP records p as an NTP message; one shorter than the header is
// malformed, as in Wireshark.
func decodeNTP(f *Frame, p []byte) bool {
	if len(p) == 0 {
		return false
	}
	f.Present.Add(ProtoNTP)
	f.addAppLayer(ProtoNTP, p)
	if len(p) < NTPHeaderLen && f.CapLen >= f.Len {
		f.anomaly(ProtoNTP, f.appOff(p), "NTP message truncated")
	}
	return true
}

var ntpModeNames = [...]string{"reserved", "symmetric active", "symmetric passive", "client", "server",
	"broadcast", "reserved for NTP control message", "reserved for private use"}

// NTPModeName returns the name of NTP mode m (0..7).
func NTPModeName(m uint8) string { return ntpModeNames[m&7] }

// appendNTPInfo writes Wireshark's Info text: "NTP Version 4, client".
func appendNTPInfo(dst []byte, b []byte) []byte {
	vn, mode := b[0]>>3&7, b[0]&7
	switch {
	case vn == 0:
		dst = append(dst, "reserved"...)
	case vn <= 4:
		dst = append(dst, "NTP Version "...)
		dst = strconv.AppendUint(dst, uint64(vn), 10)
	default:
		dst = append(dst, "Unknown version"...)
	}
	dst = append(dst, ", "...)
	return append(dst, NTPModeName(mode)...)
}

// NTPTime converts the 64-bit NTP timestamp at b[0:8] to ns since the Unix
// epoch as Wireshark does (seconds counted from 1900; the fraction rounded
// down to ns). zero reports an all-zero timestamp, which Wireshark prints as
// "NULL".
func NTPTime(b []byte) (ns int64, zero bool) {
	secs, frac := be32(b), be32(b[4:])
	if secs == 0 && frac == 0 {
		return 0, true
	}
	var s int64
	if secs != 0 {
		s = int64(secs) - 2208988800
	}
	return s*1e9 + int64(1e9*(float64(frac)/4294967296.0)), false
}
