package decode

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
)

// wsPacket builds an Ethernet/IPv4/TCP packet 10.0.0.1:8080 -> 10.0.0.2:50000
// (server false: the other way) carrying payload.
func wsPacket(server bool, payload []byte) []byte {
	b := make([]byte, 14+20+20, 14+20+20+len(payload))
	b[12], b[13] = 0x08, 0x00
	ip := b[14:]
	ip[0], ip[8], ip[9] = 0x45, 64, 6
	binary.BigEndian.PutUint16(ip[2:], uint16(40+len(payload)))
	src, dst := []byte{10, 0, 0, 1}, []byte{10, 0, 0, 2}
	sp, dp := uint16(8080), uint16(50000)
	if !server {
		src, dst, sp, dp = dst, src, dp, sp
	}
	copy(ip[12:], src)
	copy(ip[16:], dst)
	tcp := b[34:]
	binary.BigEndian.PutUint16(tcp[0:], sp)
	binary.BigEndian.PutUint16(tcp[2:], dp)
	tcp[12], tcp[13] = 5<<4, 0x18
	binary.BigEndian.PutUint16(tcp[14:], 65535)
	return append(b, payload...)
}

const wsUpgradeResp = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
	"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"

// decodeAfterUpgrade decodes the 101 response, then payload as the client's
// next segment, and returns the second frame's Info and frame.protocols.
func decodeAfterUpgrade(t *testing.T, payload []byte) (info, protos string) {
	d := NewDecoder(Options{})
	var f Frame
	for i, p := range [][]byte{wsPacket(true, []byte(wsUpgradeResp)), wsPacket(false, payload)} {
		f.Number = uint64(i + 1)
		d.Decode(&f, capture.Packet{Info: capture.Info{LinkType: capture.LinkEthernet, Len: len(p), CapLen: len(p), TS: int64(i)}, Data: p})
	}
	EachWSFrame(f.LayerBytes(f.Layers[len(f.Layers)-1]), func(w *WSFrame) { _ = WSUnmask(nil, w.Payload, w.Key) })
	return string(f.AppendInfo(nil)), string(f.Protocols())
}

func TestWebSocketAfterUpgrade(t *testing.T) {
	// "Hello" masked with 37 fa 21 3d (RFC 6455 5.7).
	masked := []byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}
	info, protos := decodeAfterUpgrade(t, masked)
	if info != "WebSocket Text [FIN] [MASKED]" || !strings.HasSuffix(protos, "tcp:http:websocket") {
		t.Fatalf("got %q %q", info, protos)
	}
	var text []byte
	EachWSFrame(masked, func(w *WSFrame) { text = WSUnmask(text, w.Payload, w.Key) })
	if string(text) != "Hello" {
		t.Fatalf("unmasked %q", text)
	}
	info, protos = decodeAfterUpgrade(t, []byte{0x02, 0x03, 1, 2, 3, 0x80, 0x02, 4, 5})
	if info != "WebSocket Continuation [FIN] " || !strings.HasSuffix(protos, "websocket:data") {
		t.Fatalf("got %q %q", info, protos)
	}
}

func FuzzWebSocket(f *testing.F) {
	f.Add([]byte{0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58})
	f.Add([]byte{0x82, 0x7e, 0x01, 0x00, 1, 2, 3})
	f.Add([]byte{0x82, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5})
	f.Add([]byte{0x88, 0x02, 0x03, 0xe8, 0x89, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		info, _ := decodeAfterUpgrade(t, b)
		if _, _, ok := ParseWSFrame(b); ok != strings.HasPrefix(info, "WebSocket") {
			t.Fatalf("header parsed %v, Info %q", ok, info)
		}
	})
}
