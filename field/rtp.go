package field

import (
	"github.com/wirewatch/wirewatch/decode"
)

// RTP and RTCP fields (Wireshark 4.0 "rtp.*", "rtcp.*"), parsed from the
// layer's bytes; the setup fields come from the SDP that set the
// conversation up.

// rtpHdr returns the RTP layer bytes of a version-2 packet with a full
// fixed header (Wireshark adds only rtp.version otherwise).
func rtpHdr(f *decode.Frame) ([]byte, bool) {
	b, ok := layerBytes(f, decode.ProtoRTP)
	if !ok || len(b) < 12 || b[0]>>6 != 2 {
		return nil, false
	}
	return b, true
}

// rtpPayload returns the payload of RTP packet b: after the CSRCs and the
// header extension, before the padding.
func rtpPayload(b []byte) (payload, padding []byte, ok bool) {
	off := 12 + 4*int(b[0]&0x0f)
	if b[0]&0x10 != 0 {
		if off+4 > len(b) {
			return nil, nil, false
		}
		off += 4 + 4*int(uint16(b[off+2])<<8|uint16(b[off+3]))
	}
	if off > len(b) {
		return nil, nil, false
	}
	end := len(b)
	if b[0]&0x20 != 0 && end > off {
		n := int(b[end-1])
		if n == 0 || end-n < off {
			return nil, nil, false
		}
		padding = b[end-n:]
		end -= n
	}
	return b[off:end], padding, true
}

func rtpUint(name string, t Type, base Base, off, n int, mask uint64) Field {
	fl := layerUint(name, t, base, decode.ProtoRTP, off, n, mask)
	get := fl.Get
	fl.Get = func(f *decode.Frame, dst []Value) []Value {
		if _, ok := rtpHdr(f); !ok {
			return dst
		}
		return get(f, dst)
	}
	return fl
}

func rtpBool(name string, mask uint64, off int) Field {
	return boolField(name, mask, decode.ProtoRTP, func(f *decode.Frame) (bool, bool) {
		b, ok := rtpHdr(f)
		if !ok {
			return false, false
		}
		return uint64(b[off])&mask != 0, true
	})
}

// rtpSetup are the generated setup fields of RTP or RTCP layer p: one
// occurrence per RTCP packet of a compound packet.
func rtpSetup(prefix string, p decode.Proto) []Field {
	each := func(name string, t Type, v func(f *decode.Frame) Value) Field {
		return Field{Name: name, Type: t, Proto: p, Get: func(f *decode.Frame, dst []Value) []Value {
			if !f.Has(p) || f.RTP.Setup == 0 {
				return dst
			}
			n := 1
			if p == decode.ProtoRTCP {
				n = 0
				b, _ := layerBytes(f, p)
				decode.RTCPPackets(b, func(uint8, []byte) { n++ })
			}
			for i := 0; i < n; i++ {
				dst = append(dst, v(f))
			}
			return dst
		}}
	}
	return []Field{
		each(prefix+".setup", FTString, func(*decode.Frame) Value { return Value{B: []byte{}} }),
		each(prefix+".setup-frame", FTFrameNum, func(f *decode.Frame) Value { return Value{U: f.RTP.Setup} }),
		each(prefix+".setup-method", FTString, func(f *decode.Frame) Value {
			switch f.RTP.Method {
			case decode.SetupSkinny:
				return Value{B: sbytes("SKINNY")}
			case decode.SetupDTLS:
				return Value{B: sbytes("DTLS-SRTP")}
			}
			return Value{B: sbytes("SDP")}
		}),
	}
}

var rtpFields = append([]Field{
	protoField("rtp", decode.ProtoRTP),
	layerUint("rtp.version", FTUint8, BaseDec, decode.ProtoRTP, 0, 1, 0xc0),
	rtpBool("rtp.padding", 0x20, 0),
	rtpBool("rtp.ext", 0x10, 0),
	rtpUint("rtp.cc", FTUint8, BaseDec, 0, 1, 0x0f),
	rtpBool("rtp.marker", 0x80, 1),
	rtpUint("rtp.p_type", FTUint8, BaseDec, 1, 1, 0x7f),
	rtpUint("rtp.seq", FTUint16, BaseDec, 2, 2, 0),
	uintField("rtp.extseq", FTUint32, BaseDec, decode.ProtoRTP, func(f *decode.Frame) (uint64, bool) {
		_, ok := rtpHdr(f)
		return uint64(f.RTP.ExtSeq), ok
	}),
	rtpUint("rtp.timestamp", FTUint32, BaseDec, 4, 4, 0),
	rtpUint("rtp.ssrc", FTUint32, BaseHexDec, 8, 4, 0),
	{Name: "rtp.csrc.item", Type: FTUint32, Base: BaseHexDec, Proto: decode.ProtoRTP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := rtpHdr(f)
			if !ok {
				return dst
			}
			for i := 0; i < int(b[0]&0x0f) && 16+4*i <= len(b); i++ {
				v, _ := beUint(b, 12+4*i, 4)
				dst = append(dst, Value{U: v})
			}
			return dst
		}},
	uintField("rtp.ext.profile", FTUint16, BaseHexDec, decode.ProtoRTP, func(f *decode.Frame) (uint64, bool) {
		b, ok := rtpHdr(f)
		if !ok || b[0]&0x10 == 0 {
			return 0, false
		}
		return beUint(b, 12+4*int(b[0]&0x0f), 2)
	}),
	uintField("rtp.ext.len", FTUint16, BaseDec, decode.ProtoRTP, func(f *decode.Frame) (uint64, bool) {
		b, ok := rtpHdr(f)
		if !ok || b[0]&0x10 == 0 {
			return 0, false
		}
		return beUint(b, 14+4*int(b[0]&0x0f), 2)
	}),
	bytesField("rtp.payload", FTBytes, decode.ProtoRTP, func(f *decode.Frame) ([]byte, bool) {
		b, ok := rtpHdr(f)
		if !ok || f.RTP.SRTP {
			return nil, false
		}
		p, _, ok := rtpPayload(b)
		return p, ok && len(p) > 0
	}),
	uintField("rtp.padding.count", FTUint8, BaseDec, decode.ProtoRTP, func(f *decode.Frame) (uint64, bool) {
		b, ok := rtpHdr(f)
		if !ok || b[0]&0x20 == 0 {
			return 0, false
		}
		_, pad, ok := rtpPayload(b)
		return uint64(len(pad)), ok
	}),
}, rtpSetup("rtp", decode.ProtoRTP)...)

// rtcpEach is an RTCP field with what get finds in each packet of the
// compound packet (t: packet type, b: the packet's bytes).
func rtcpEach(name string, t Type, base Base, get func(t uint8, b []byte, dst []Value) []Value) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoRTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := layerBytes(f, decode.ProtoRTCP)
			if !ok {
				return dst
			}
			decode.RTCPPackets(b, func(t uint8, pk []byte) {
				dst = get(t, pk, dst)
			})
			return dst
		}}
}

// rtcpHdr is a field of each packet's 4-byte header.
func rtcpHdr(name string, t Type, base Base, get func(t uint8, b []byte) (uint64, bool)) Field {
	return rtcpEach(name, t, base, func(pt uint8, b []byte, dst []Value) []Value {
		if v, ok := get(pt, b); ok {
			dst = append(dst, Value{U: v})
		}
		return dst
	})
}

// rtcpSR is a sender-info field of a Sender Report at offset off (8..28).
func rtcpSR(name string, base Base, off int) Field {
	return rtcpHdr(name, FTUint32, base, func(t uint8, b []byte) (uint64, bool) {
		if t != 200 {
			return 0, false
		}
		return beUint(b, off, 4)
	})
}

// rtcpBlocks is a field of each report block of SR and RR packets (off:
// offset in the 24-byte block).
func rtcpBlocks(name string, t Type, base Base, get func(blk []byte) uint64) Field {
	return rtcpEach(name, t, base, func(pt uint8, b []byte, dst []Value) []Value {
		start := 8
		switch pt {
		case 200:
			start = 28
		case 201:
		default:
			return dst
		}
		for i := 0; i < int(b[0]&0x1f) && start+24*(i+1) <= len(b); i++ {
			dst = append(dst, Value{U: get(b[start+24*i : start+24*(i+1)])})
		}
		return dst
	})
}

func be32u(b []byte) uint64 { v, _ := beUint(b, 0, 4); return v }

var rtcpFields = append([]Field{
	protoField("rtcp", decode.ProtoRTCP),
	rtcpHdr("rtcp.version", FTUint8, BaseDec, func(_ uint8, b []byte) (uint64, bool) { return uint64(b[0] >> 6), true }),
	func() Field {
		fl := rtcpHdr("rtcp.padding", FTBoolean, BaseNone, func(_ uint8, b []byte) (uint64, bool) { return uint64(b[0] >> 5 & 1), true })
		fl.Bitmask = 0x20
		return fl
	}(),
	rtcpHdr("rtcp.rc", FTUint8, BaseDec, func(t uint8, b []byte) (uint64, bool) {
		return uint64(b[0] & 0x1f), t == 200 || t == 201
	}),
	rtcpHdr("rtcp.sc", FTUint8, BaseDec, func(t uint8, b []byte) (uint64, bool) { return uint64(b[0] & 0x1f), t == 202 || t == 203 }),
	rtcpHdr("rtcp.pt", FTUint8, BaseDec, func(t uint8, _ []byte) (uint64, bool) { return uint64(t), true }),
	rtcpHdr("rtcp.length", FTUint16, BaseDec, func(_ uint8, b []byte) (uint64, bool) { return beUint(b, 2, 2) }),
	rtcpHdr("rtcp.senderssrc", FTUint32, BaseHexDec, func(t uint8, b []byte) (uint64, bool) {
		if t != 200 && t != 201 && t != 207 { // SR, RR, XR
			return 0, false
		}
		return beUint(b, 4, 4)
	}),
	rtcpSR("rtcp.timestamp.ntp.msw", BaseDecHex, 8),
	rtcpSR("rtcp.timestamp.ntp.lsw", BaseDecHex, 12),
	rtcpSR("rtcp.timestamp.rtp", BaseDec, 16),
	rtcpSR("rtcp.sender.packetcount", BaseDec, 20),
	rtcpSR("rtcp.sender.octetcount", BaseDec, 24),
	rtcpEach("rtcp.ssrc.identifier", FTUint32, BaseHexDec, func(t uint8, b []byte, dst []Value) []Value {
		switch t {
		case 200, 201:
			start := 8
			if t == 200 {
				start = 28
			}
			for i := 0; i < int(b[0]&0x1f) && start+24*(i+1) <= len(b); i++ {
				dst = append(dst, Value{U: be32u(b[start+24*i:])})
			}
		case 202: // each SDES chunk starts with its SSRC
			off := 4
			for i := 0; i < int(b[0]&0x1f) && off+4 <= len(b); i++ {
				dst = append(dst, Value{U: be32u(b[off:])})
				off += 4
				for off < len(b) && b[off] != 0 {
					if off+1 >= len(b) {
						return dst
					}
					off += 2 + int(b[off+1])
				}
				off = (off + 4) &^ 3 // the end item and padding
			}
		case 203:
			for i := 0; i < int(b[0]&0x1f) && 8+4*i <= len(b); i++ {
				dst = append(dst, Value{U: be32u(b[4+4*i:])})
			}
		}
		return dst
	}),
	rtcpBlocks("rtcp.ssrc.fraction", FTUint8, BaseDec, func(b []byte) uint64 { return uint64(b[4]) }),
	rtcpBlocks("rtcp.ssrc.ext_high", FTUint32, BaseDec, func(b []byte) uint64 { return be32u(b[8:]) }),
	rtcpBlocks("rtcp.ssrc.high_cycles", FTUint16, BaseDec, func(b []byte) uint64 { return be32u(b[8:]) >> 16 }),
	rtcpBlocks("rtcp.ssrc.high_seq", FTUint16, BaseDec, func(b []byte) uint64 { return be32u(b[8:]) & 0xffff }),
	rtcpBlocks("rtcp.ssrc.jitter", FTUint32, BaseDec, func(b []byte) uint64 { return be32u(b[12:]) }),
	rtcpBlocks("rtcp.ssrc.lsr", FTUint32, BaseDecHex, func(b []byte) uint64 { return be32u(b[16:]) }),
	rtcpBlocks("rtcp.ssrc.dlsr", FTUint32, BaseDec, func(b []byte) uint64 { return be32u(b[20:]) }),
}, rtpSetup("rtcp", decode.ProtoRTCP)...)

// rtpEventFields are the RFC 4733 event fields (Wireshark's "rtpevent").
var rtpEventFields = []Field{
	protoField("rtpevent", decode.ProtoRTPEvent),
	layerUint("rtpevent.event_id", FTUint8, BaseDec, decode.ProtoRTPEvent, 0, 1, 0),
	layerUint("rtpevent.end_of_event", FTBoolean, BaseNone, decode.ProtoRTPEvent, 1, 1, 0x80),
	layerUint("rtpevent.reserved", FTBoolean, BaseNone, decode.ProtoRTPEvent, 1, 1, 0x40),
	layerUint("rtpevent.volume", FTUint8, BaseDec, decode.ProtoRTPEvent, 1, 1, 0x3f),
	layerUint("rtpevent.duration", FTUint16, BaseDec, decode.ProtoRTPEvent, 2, 2, 0),
}
