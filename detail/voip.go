package detail

import (
	"strconv"

	"github.com/wirewatch/wirewatch/decode"
)

// VoIP protocol lines as tshark -V titles them (the trees below them are
// not built yet): SIP names the request method or the status code, each
// packet of a compound RTCP packet has its own line, and SDP (which tshark
// shows inside the SIP or MEGACO message body) adds none of its own.
func init() {
	Register(decode.ProtoSIP, buildSIPTitle)
	Register(decode.ProtoSDP, func(*Builder, decode.Layer, []byte) {})
	Register(decode.ProtoRTP, titleOnly("rtp", "Real-Time Transport Protocol"))
	Register(decode.ProtoRTCP, buildRTCPTitles)
	Register(decode.ProtoRTPEvent, titleOnly("rtpevent", "RFC 2833 RTP Event"))
	Register(decode.ProtoSTUN, titleOnly("stun", "Session Traversal Utilities for NAT"))
	Register(decode.ProtoClassicSTUN, titleOnly("classicstun", "Simple Traversal of UDP Through NAT"))
	Register(decode.ProtoMEGACO, titleOnly("megaco", "MEGACO"))
}

func buildSIPTitle(b *Builder, l decode.Layer, d []byte) {
	title := "Session Initiation Protocol"
	if _, req, method, _, code, _, ok := decode.SIPStartLine(d); ok {
		if req {
			title += " (" + string(method) + ")"
		} else {
			title += " (" + strconv.Itoa(code) + ")"
		}
	}
	b.Open("sip", 0, min(l.Len, len(d)), Esc([]byte(title)))
	b.Close()
}

func buildRTCPTitles(b *Builder, l decode.Layer, d []byte) {
	off := 0
	decode.RTCPPackets(d, func(t uint8, p []byte) {
		name := decode.RTCPTypeName(t)
		if name == "" {
			name = "Unknown"
		}
		b.Open("rtcp", off, len(p), "Real-time Transport Control Protocol ("+name+")")
		b.Close()
		off += len(p)
	})
}
