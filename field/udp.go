package field

import "github.com/wirewatch/wirewatch/decode"

func hasUDP(f *decode.Frame) bool { return f.Has(decode.ProtoUDP) }

// udp.*: the UDP header (stream numbers live in tcp_analysis.go).
var udpFields = []Field{
	portField("udp.srcport", decode.ProtoUDP, decode.IPProtoUDP, true, false),
	portField("udp.dstport", decode.ProtoUDP, decode.IPProtoUDP, false, true),
	portField("udp.port", decode.ProtoUDP, decode.IPProtoUDP, true, true),
	uintField("udp.length", FTUint16, BaseDec, decode.ProtoUDP, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.UDP.Length), hasUDP(f) && f.UDP.Length != 0
	}),
	uintField("udp.checksum", FTUint16, BaseHex, decode.ProtoUDP, func(f *decode.Frame) (uint64, bool) {
		return uint64(f.UDP.Checksum), hasUDP(f) && f.UDP.Length != 0
	}),
	bytesField("udp.payload", FTBytes, decode.ProtoUDP, func(f *decode.Frame) ([]byte, bool) {
		return f.Payload, hasUDP(f) && len(f.Payload) > 0
	}),
}
