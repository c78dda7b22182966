package decode

import (
	"bytes"
	"strconv"
)

// RTP and RTCP (RFC 3550) on the conversations SDP set up (voip.go), and
// RTCP by Wireshark's enabled UDP heuristic (a version-2 SR, RR, BYE, APP
// or PSFB first packet and a length that is a multiple of 4, on any port).

// RTP is what a frame's RTP or RTCP layer inherited from its conversation.
type RTP struct {
	Setup   uint64   // rtp.setup-frame / rtcp.setup-frame (0: heuristic, no setup)
	Method  uint8    // rtp.setup-method: SetupSDP, SetupSkinny, SetupDTLS
	SRTP    bool     // set up by a SAVP profile or DTLS-SRTP: SRTP / SRTCP
	SRTPTag uint8    // SRTCP authentication tag length, 0 unknown
	PTName  []byte   // rtpmap name of a dynamic payload type (aliases the conversation)
	ExtSeq  uint32   // rtp.extseq: the sequence number extended over wraps, per conversation
	Trace   [][]byte // Call-IDs of the SIP calls that set the stream up (sip.call_id_generated; a snapshot)
	NSE     bool     // the rtpevent layer holds Cisco NSE events (payload type 100 or X-NSE)
}

// decodeRTP records p as an RTP packet of conversation c. Version 0 (which
// Wireshark 4.0 treats as not RTP by default) is left to the next
// dissector.
func decodeRTP(f *Frame, p []byte, c *mediaConv) bool {
	if len(p) == 0 || p[0]>>6 == 0 {
		return false
	}
	if p[0]>>6 == 2 && len(p) >= 2 && p[1]&0x7f >= 64 && p[1]&0x7f <= 95 {
		return decodeRTCP(f, p, c) // RTCP multiplexed with RTP (RFC 5761), as Wireshark's RTP dissector hands it on
	}
	f.RTP = RTP{Setup: c.setup, Method: c.method, SRTP: c.srtp, Trace: c.trace}
	if len(p) >= 2 && p[0]>>6 == 2 && p[1]&0x7f >= 96 && p[1]&0x7f <= 127 {
		f.RTP.PTName = c.dynName(p[1] & 0x7f)
	}
	if p[0]>>6 == 2 && len(p) >= 4 {
		f.RTP.ExtSeq = c.extendSeq(be16(p[2:]))
	}
	f.voipLayer(ProtoRTP, p)
	if p[0]>>6 == 2 && len(p) < 12 {
		f.anomaly(ProtoRTP, f.appOff(p), "RTP header truncated")
		return true
	}
	if p[0]>>6 == 2 && !c.srtp {
		rtpEvent(f, p)
	}
	return true
}

// rtpEvent adds the rtpevent layer of an RTP packet whose payload type
// carries RFC 4733 events: named telephone-event (X-NSE for Cisco's) by
// the SDP, else payload type 101 (100), Wireshark's default preferences.
func rtpEvent(f *Frame, p []byte) {
	pt := p[1] & 0x7f
	nse := false
	switch name := f.RTP.PTName; {
	case len(name) > 0 && bytes.EqualFold(name, []byte("telephone-event")):
	case len(name) > 0 && bytes.EqualFold(name, []byte("X-NSE")):
		nse = true
	case pt == 101:
	case pt == 100:
		nse = true
	default:
		return
	}
	off := 12 + 4*int(p[0]&0x0f)
	if p[0]&0x10 != 0 {
		if off+4 > len(p) {
			return
		}
		off += 4 + 4*int(be16(p[off+2:]))
	}
	if off+4 > len(p) {
		return
	}
	f.RTP.NSE = nse
	f.voipLayer(ProtoRTPEvent, p[off:])
}

// appendRTPEventInfo writes "Payload type=RTP Event, DTMF Five 5[ (end)]".
func appendRTPEventInfo(dst []byte, f *Frame, b []byte) []byte {
	dst = append(dst, "Payload type=RTP Event, "...)
	names := rtpEventNames
	if f.RTP.NSE {
		names = rtpNSENames
	}
	if n, ok := names[b[0]]; ok {
		dst = append(dst, n...)
	} else {
		dst = append(dst, "Unknown ("...)
		dst = strconv.AppendUint(dst, uint64(b[0]), 10)
		dst = append(dst, ')')
	}
	if b[1]&0x80 != 0 {
		dst = append(dst, " (end)"...)
	}
	return dst
}

// decodeRTCP records p as RTCP of conversation c (setup nil: heuristic).
func decodeRTCP(f *Frame, p []byte, c *mediaConv) bool {
	if len(p) == 0 {
		return false
	}
	f.RTP = RTP{}
	if c != nil {
		f.RTP.Setup, f.RTP.Method, f.RTP.SRTP, f.RTP.SRTPTag = c.setup, c.method, c.srtp, c.srtpTag
	}
	f.voipLayer(ProtoRTCP, p)
	if rtcpMalformed(p) {
		f.anomaly(ProtoRTCP, f.appOff(p), "RTCP packet runs past the datagram")
	}
	return true
}

// RTCPPackets calls fn with the packet type and bytes of each packet of
// compound RTCP packet p, as Wireshark walks them: it stops at a packet type
// outside 192..211; bad reports a packet whose length runs past p.
func RTCPPackets(p []byte, fn func(t uint8, b []byte)) (bad bool) {
	for off := 0; off+4 <= len(p); {
		t := p[off+1]
		if t < 192 || t > 211 {
			return false
		}
		n := (int(be16(p[off+2:])) + 1) * 4
		if off+n > len(p) {
			if fn != nil {
				fn(t, p[off:])
			}
			return true
		}
		if fn != nil {
			fn(t, p[off:off+n])
		}
		off += n
	}
	return false
}

// rtcpMalformed reports a compound packet one of whose packets runs past
// the datagram, or an extended report whose block does.
func rtcpMalformed(p []byte) bool { return RTCPPackets(p, nil) || RTCPXRBlockTooLong(p) }

// SRTCPEncrypted reports an SRTCP packet p (authentication tag of tag
// bytes) whose E flag is set with bytes after its first RTCP packet:
// Wireshark's "Encrypted RTCP Payload - not dissected".
func SRTCPEncrypted(p []byte, tag int) bool {
	if tag == 0 || len(p) < 4 {
		return false
	}
	idx := len(p) - tag - 4
	first := (int(be16(p[2:])) + 1) * 4
	return idx > first && p[idx]&0x80 != 0
}

// RTCPXRBlockTooLong reports an extended report (RFC 3611) packet of p with
// a report block longer than the packet: Wireshark's "Block length is
// greater than packet length", after which its dissector gives up.
func RTCPXRBlockTooLong(p []byte) bool {
	bad := false
	RTCPPackets(p, func(t uint8, b []byte) {
		if t != 207 || bad || len(b) < 8 {
			return
		}
		n := (int(be16(b[2:])) + 1) * 4
		if n > len(b) {
			n = len(b)
		}
		for off := 8; off+4 <= n; {
			l := (int(be16(b[off+2:])) + 1) * 4
			if off+l > n {
				bad = true
				return
			}
			off += l
		}
	})
	return bad
}

// RTCPLooks is Wireshark's RTCP-over-UDP heuristic on payload p.
func RTCPLooks(p []byte) bool {
	if len(p) < 2 || p[0]>>6 != 2 || len(p)%4 != 0 {
		return false
	}
	switch p[1] {
	case 200, 201, 203, 204, 206:
		return true
	}
	return false
}

// rtpPayloadTypes are Wireshark's names of the static RTP payload types.
var rtpPayloadTypes = [35]string{
	"ITU-T G.711 PCMU", "USA Federal Standard FS-1016", "ITU-T G.721", "GSM 06.10", "ITU-T G.723",
	"DVI4 8000 samples/s", "DVI4 16000 samples/s", "Experimental linear predictive encoding from Xerox PARC",
	"ITU-T G.711 PCMA", "ITU-T G.722", "16-bit uncompressed audio, stereo", "16-bit uncompressed audio, monaural",
	"Qualcomm Code Excited Linear Predictive coding", "Comfort noise", "MPEG-I/II Audio", "ITU-T G.728",
	"DVI4 11025 samples/s", "DVI4 22050 samples/s", "ITU-T G.729", "Comfort noise (old)",
	"Unassigned", "Unassigned", "Unassigned", "Unassigned", "Unassigned",
	"Sun CellB video encoding", "JPEG-compressed video", "Unassigned", "'nv' program", "Unassigned", "Unassigned",
	"ITU-T H.261", "MPEG-I/II Video", "MPEG-II transport streams", "ITU-T H.263",
}

// AppendRTPPayloadType appends Wireshark's name of RTP payload type pt.
func AppendRTPPayloadType(dst []byte, pt uint8) []byte {
	switch {
	case int(pt) < len(rtpPayloadTypes):
		return append(dst, rtpPayloadTypes[pt]...)
	case pt >= 72 && pt <= 76:
		return append(dst, "Reserved for RTCP conflict avoidance"...)
	case pt >= 96:
		dst = append(dst, "DynamicRTP-Type-"...)
		return strconv.AppendUint(dst, uint64(pt), 10)
	}
	return append(dst, "Unassigned"...)
}

// RTCPTypeName returns Wireshark's name of RTCP packet type t ("" unknown).
func RTCPTypeName(t uint8) string {
	switch t {
	case 192:
		return "Full Intra-frame Request (H.261)"
	case 193:
		return "Negative Acknowledgement (H.261)"
	case 194:
		return "SMPTE time-code mapping"
	case 195:
		return "Extended inter-arrival jitter report"
	case 200:
		return "Sender Report"
	case 201:
		return "Receiver Report"
	case 202:
		return "Source description"
	case 203:
		return "Goodbye"
	case 204:
		return "Application specific"
	case 205:
		return "Generic RTP Feedback"
	case 206:
		return "Payload-specific Feedback"
	case 207:
		return "Extended report (RFC 3611)"
	case 208:
		return "AVB RTCP packet (IEEE1733)"
	case 209:
		return "Receiver Summary Information"
	case 210:
		return "Port Mapping"
	}
	return ""
}

// appendRTPInfo writes "PT=ITU-T G.711 PCMU, SSRC=0x…, Seq=…, Time=…[, Mark]".
func appendRTPInfo(dst []byte, f *Frame, p []byte) []byte {
	if v := p[0] >> 6; v != 2 {
		dst = append(dst, "Unknown RTP version "...)
		return strconv.AppendUint(dst, uint64(v), 10)
	}
	if len(p) < 12 {
		return dst
	}
	pt := p[1] & 0x7f
	dst = append(dst, "PT="...)
	if len(f.RTP.PTName) > 0 {
		dst = append(dst, f.RTP.PTName...)
	} else {
		dst = AppendRTPPayloadType(dst, pt)
	}
	dst = append(dst, ", SSRC=0x"...)
	dst = appendUpperHex(dst, uint64(be32(p[8:])))
	dst = append(dst, ", Seq="...)
	dst = strconv.AppendUint(dst, uint64(be16(p[2:])), 10)
	dst = append(dst, ", Time="...)
	dst = strconv.AppendUint(dst, uint64(be32(p[4:])), 10)
	if p[1]&0x80 != 0 {
		dst = append(dst, ", Mark"...)
	}
	return dst
}

func appendUpperHex(dst []byte, v uint64) []byte {
	start := len(dst)
	dst = strconv.AppendUint(dst, v, 16)
	for i := start; i < len(dst); i++ {
		if c := dst[i]; c >= 'a' && c <= 'f' {
			dst[i] = c - 'a' + 'A'
		}
	}
	return dst
}

// appendRTCPInfo writes the name of each packet of a compound RTCP packet,
// each followed by three spaces.
func appendRTCPInfo(dst []byte, p []byte) []byte {
	RTCPPackets(p, func(t uint8, b []byte) {
		if name := RTCPTypeName(t); name != "" {
			dst = append(dst, name...)
		} else {
			dst = append(dst, "Unknown"...)
		}
		dst = append(dst, "   "...)
		if t == 206 { // payload-specific feedback: its message type
			dst = append(dst, rtcpPSFBName(b[0]&0x1f)...)
			dst = append(dst, "  "...)
		}
	})
	return dst
}

// extendSeq extends RTP sequence number seq over the conversation's
// earlier ones as Wireshark does: the first is 65536+seq, a jump of more
// than half the space counts as a wrap.
func (c *mediaConv) extendSeq(seq uint16) uint32 {
	if !c.seqSeen {
		c.seqSeen, c.extSeq = true, 0x10000
	}
	prev := c.extSeq
	low := prev & 0xffff
	ext := prev&^0xffff | uint32(seq)
	switch {
	case uint32(seq) < low && low-uint32(seq) > 0x8000:
		ext += 0x10000
	case uint32(seq) > low && uint32(seq)-low > 0x8000 && ext >= 0x10000:
		ext -= 0x10000
	}
	c.extSeq = ext
	return ext
}

// rtcpPSFBName returns Wireshark's short name of payload-specific feedback
// message type fmt (RFC 4585, 5104).
func rtcpPSFBName(fmt uint8) string {
	switch fmt {
	case 1:
		return "PLI"
	case 2:
		return "SLI"
	case 3:
		return "RPSI"
	case 4:
		return "FIR"
	case 5:
		return "TSTR"
	case 6:
		return "TSTN"
	case 7:
		return "VBCM"
	case 15:
		return "AFB"
	}
	return "Unknown"
}
