package serve

import (
	"encoding/binary"

	"github.com/wirewatch/wirewatch/decode"
)

// The per-frame connection analysis (decode.Analysis: tcp.stream, relative
// sequence numbers, tcp.analysis.*, the DNS/HTTP transaction links) is
// what a frame decoded again alone cannot know, so the index keeps it:
// a bit mask of the values that differ from a fresh frame's, then those
// values as varints (frame references relative to the frame). A TCP
// segment takes about 25 bytes, a frame without TCP or UDP none.

// anDefault is the Analysis of a frame no tracker has seen.
var anDefault = decode.Analysis{Stream: -1, WindowSize: -1, WinScale: -1, AckRTT: -1, InitialRTT: -1, BytesInFlight: -1, DNSTime: -1, HTTPTime: -1}

const anFields = 32

// Besides the analysis, the mask's bit anTLSVersion says a TLS session
// version follows (decode.TLS.SessionVersion, learnt from the connection's
// ServerHello by desegmentation).
const anTLSVersion = anFields

// anValues lists a's values as int64, frame references as n minus the
// reference (small and positive for a reference back).
func anValues(a *decode.Analysis, n uint64) (v [anFields]int64) {
	b2i := func(b bool) int64 {
		if b {
			return 1
		}
		return 0
	}
	ref := func(r uint64) int64 {
		if r == 0 {
			return 0
		}
		return int64(n - r)
	}
	v = [anFields]int64{b2i(a.HasTCP), b2i(a.IsUDP), a.Stream, int64(a.RelSeq), int64(a.RelAck), int64(a.NextSeq - a.RelSeq),
		a.WindowSize, int64(a.WinScale), a.TimeRelative, a.TimeDelta, int64(a.Completeness), int64(a.Flags),
		int64(a.DupAckNum), ref(a.DupAckFrame), a.AckRTT, ref(a.AckedFrame), a.InitialRTT, a.BytesInFlight,
		int64(a.Closing), int64(a.LostBytes), a.DNSTime, ref(a.DNSRespTo), ref(a.DNSRespIn), a.HTTPTime,
		ref(a.HTTPReqIn), ref(a.HTTPRespIn), ref(a.DNSRetransReqIn), ref(a.DNSRetransRespIn),
		int64(a.NOuterUDP), int64(a.OuterUDP[0]), int64(a.OuterUDP[1]), int64(a.OuterUDP[2])}
	return v
}

var anDefaults = anValues(&anDefault, 0)

// appendFacts appends the encoding of what frame f learnt from the
// frames before it to dst.
func appendFacts(dst []byte, f *decode.Frame) []byte {
	v := anValues(&f.Analysis, f.Number)
	var mask uint64
	for i := range v {
		if v[i] != anDefaults[i] {
			mask |= 1 << i
		}
	}
	tlsVer := uint16(0)
	if f.Has(decode.ProtoTLS) {
		tlsVer = f.TLS.SessionVersion
	}
	if tlsVer != 0 {
		mask |= 1 << anTLSVersion
	}
	dst = binary.AppendUvarint(dst, mask)
	for i := range v {
		if mask&(1<<i) != 0 && i > 1 { // the two booleans are the mask bits themselves
			dst = binary.AppendVarint(dst, v[i])
		}
	}
	if tlsVer != 0 {
		dst = binary.AppendUvarint(dst, uint64(tlsVer))
	}
	return dst
}

// readFacts sets what appendFacts wrote into f, decoded again alone as
// frame n; false when the encoding is damaged.
func readFacts(b []byte, f *decode.Frame, n uint64) bool {
	tlsVer, ok := readAnalysisVer(b, &f.Analysis, n)
	if tlsVer != 0 && f.Has(decode.ProtoTLS) {
		f.TLS.SessionVersion = tlsVer
	}
	return ok
}

func readAnalysis(b []byte, a *decode.Analysis, n uint64) bool {
	_, ok := readAnalysisVer(b, a, n)
	return ok
}

// readAnalysisVer decodes the analysis appendFacts wrote for frame n
// into a, and returns the TLS session version; a damaged encoding leaves
// the defaults and returns false.
func readAnalysisVer(b []byte, a *decode.Analysis, n uint64) (tlsVer uint16, ok bool) {
	*a = anDefault
	mask, k := binary.Uvarint(b)
	if k <= 0 || mask >= 1<<(anTLSVersion+1) {
		return 0, false
	}
	b = b[k:]
	v := anDefaults
	for i := range v {
		if mask&(1<<i) == 0 {
			continue
		}
		if i <= 1 {
			v[i] = 1
			continue
		}
		x, k := binary.Varint(b)
		if k <= 0 {
			return 0, false
		}
		v[i], b = x, b[k:]
	}
	if mask&(1<<anTLSVersion) != 0 {
		x, k := binary.Uvarint(b)
		if k <= 0 {
			return 0, false
		}
		tlsVer = uint16(x)
	}
	ref := func(d int64) uint64 {
		if d == 0 {
			return 0
		}
		return n - uint64(d)
	}
	*a = decode.Analysis{HasTCP: v[0] == 1, IsUDP: v[1] == 1, Stream: v[2], RelSeq: uint32(v[3]), RelAck: uint32(v[4]),
		NextSeq: uint32(v[3]) + uint32(v[5]), WindowSize: v[6], WinScale: int(v[7]), TimeRelative: v[8], TimeDelta: v[9],
		Completeness: uint8(v[10]), Flags: uint32(v[11]), DupAckNum: uint32(v[12]), DupAckFrame: ref(v[13]), AckRTT: v[14],
		AckedFrame: ref(v[15]), InitialRTT: v[16], BytesInFlight: v[17], Closing: uint8(v[18]), LostBytes: uint32(v[19]),
		DNSTime: v[20], DNSRespTo: ref(v[21]), DNSRespIn: ref(v[22]), HTTPTime: v[23], HTTPReqIn: ref(v[24]),
		HTTPRespIn: ref(v[25]), DNSRetransReqIn: ref(v[26]), DNSRetransRespIn: ref(v[27]),
		NOuterUDP: uint8(v[28]), OuterUDP: [3]int32{int32(v[29]), int32(v[30]), int32(v[31])}}
	return tlsVer, true
}
