package field_test

import (
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
)

// appsPorts are the TCP ports of the apps dissectors (IMF via POP, IMAP and
// SMTP; MySQL, TDS, TPKT/COTP/RDP, SOCKS).
var appsPorts = []uint16{110, 143, 25, 3306, 1433, 3389, 1080}

// appsSeeds are well-formed messages of the apps dissectors.
var appsSeeds = [][]byte{
	[]byte("From: \"Doe, J\" <j@example.com>, x@y\r\nTo: g: a@b, c <d@e>;\r\nSubject: hi\r\n" +
		"Content-Type: text/plain;\r\n\tcharset=us-ascii\r\nX-Other: 1\r\n\r\nbody\r\n.\r\n"),
	[]byte("+OK 120 octets\r\n"),
	[]byte(": odd\r\n.\r\n"),
	// TPKT + COTP CR + RDP negotiation request with a cookie; a CC; a DT with an MCS connect.
	append([]byte{3, 0, 0, 0x2f, 0x2a, 0xe0, 0, 0, 0, 0, 0}, append([]byte("Cookie: mstshash=JOHN\r\n"), 1, 0, 8, 0, 3, 0, 0, 0)...),
	{3, 0, 0, 19, 14, 0xd0, 0, 0, 0x12, 0x34, 0, 2, 0, 8, 0, 1, 0, 0, 0},
	{3, 0, 0, 11, 2, 0xf0, 0x80, 0x7f, 0x65, 0x82, 0x01},
	// SOCKS 5: greeting, method, command (name), reply (IPv4), SOCKS 4 command.
	{5, 2, 0, 2}, {5, 0}, {5, 1, 0, 3, 3, 'a', '.', 'b', 0, 25}, {5, 0, 0, 1, 10, 0, 0, 1, 0xd1, 0xcd},
	{4, 1, 0, 80, 192, 0, 2, 1, 'u', 0},
	[]byte("* 1 FETCH (FLAGS (\\Seen) BODY[HEADER] {22}\r\nSubject: x\r\nFrom: y\r\n)\r\na1 OK done\r\n"),
}

// FuzzApps decodes arbitrary payloads sent to and from every apps port
// (each after a RETR so that POP hands server lines to IMF) and reads every
// field of the protocols decoded after TCP and the columns: no getter may
// panic.
func FuzzApps(f *testing.F) {
	for _, s := range appsSeeds {
		f.Add(s)
	}
	x := newExerciser(fieldsOf(func(p decode.Proto) bool { return p >= decode.ProtoDHCP }))
	decodeAll := func(pkt []byte) { x.raw(capture.LinkRaw, pkt) }
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, port := range appsPorts {
			decodeAll(appPacket(6, port, []byte("RETR 1\r\n")))
			decodeAll(serverPacket(port, b))
			decodeAll(appPacket(6, port, b))
		}
	})
}

// serverPacket is appPacket sent from port (a server's reply).
func serverPacket(port uint16, payload []byte) []byte {
	return reversed(appPacket(6, port, payload))
}

// reversed swaps the addresses and the ports of an appPacket (TCP or UDP)
// in place: the reply of appPacket's client.
func reversed(pkt []byte) []byte {
	for i := 0; i < 4; i++ {
		pkt[12+i], pkt[16+i] = pkt[16+i], pkt[12+i]
	}
	pkt[20], pkt[21], pkt[22], pkt[23] = pkt[22], pkt[23], pkt[20], pkt[21]
	return pkt
}
