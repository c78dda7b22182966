package field_test

import (
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/internal/testenv"
	"github.com/wirewatch/wirewatch/internal/tshark"
)

// cryptoSeeds are well-formed payloads of decode/udpcrypto.go's
// dissectors, written from the RFCs' layouts.
var cryptoSeeds = []string{
	// DTLS 1.0 record: ClientHello (version fefd, random, empty session and cookie, 1 suite, 1 method)
	"16feff00000000000000000036010000" + "2a000000000000002a" + "fefd" + "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20" + "0000" + "0002c02f" + "0100",
	// DTLS 1.2: ChangeCipherSpec, then an encrypted handshake record
	"14fefd0000000000000003000101" + "16fefd000100000000000000100001020304050607080910111213141516",
	// DTLS alert and heartbeat
	"15fefd000000000000000700020228" + "18fefd0000000000000008001501000300616263" + "000102030405060708090a0b0c0d0e0f",
	// BFD control packet, state Up, poll
	"2068031800000001000000010007a1200007a120000007d0",
	// PTPv2 Sync, Delay_Resp, Announce
	"00020022000004000000000000010000000000000011223344fffe556677000100010000000000000000000000000000",
	"09020036000000000000000000000000000000001122334455667700010001030000000000000000000000000a112233fffe44556600020000",
	"0b0200400000080000000000000000000000000000112233fffe44556600010005050100000000000000000025000080fe0622ffff0011223344556677000180",
}

// FuzzUDPCrypto decodes arbitrary payloads on the DTLS, BFD and PTP ports,
// as a heuristic UDP payload and over Ethernet PTP, and reads every field
// and column of these protocols: no getter may panic.
func FuzzUDPCrypto(f *testing.F) {
	for _, s := range cryptoSeeds {
		b, err := hex.DecodeString(s)
		if err != nil {
			f.Fatalf("seed %q: %v", s, err)
		}
		f.Add(b)
	}
	x := newExerciser(fieldsOf(func(p decode.Proto) bool {
		switch p {
		case decode.ProtoDTLS, decode.ProtoBFD, decode.ProtoPTP, decode.ProtoOpenVPN, decode.ProtoDNS:
			return true
		}
		return false
	}))
	run := x.raw
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, port := range []uint16{853, 5684, 3784, 3785, 6784, 319, 320, 1194, 40000} {
			run(capture.LinkRaw, appPacket(17, port, b))
		}
		run(capture.LinkRaw, appPacket(6, 1194, b))
		eth := append([]byte{1, 0x1b, 0x19, 0, 0, 0, 0, 1, 2, 3, 4, 5, 0x88, 0xf7}, b...)
		run(capture.LinkEthernet, eth)
	})
}

// heurCase is a datagram on ports no dissector owns: tshark's heuristics
// (DTLS, then DNS) decide what it is.
type heurCase struct {
	name    string
	payload []byte
}

func dnsHdr(id, flags, qd, an, ns, ar uint16) []byte {
	b := make([]byte, 12)
	for i, v := range []uint16{id, flags, qd, an, ns, ar} {
		binary.BigEndian.PutUint16(b[2*i:], v)
	}
	return b
}

func heurCases() []heurCase {
	q := append([]byte("\x03www\x07example\x03com\x00"), 0, 1, 0, 1)
	rr := []byte{0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4}
	cat := func(bs ...[]byte) []byte {
		var out []byte
		for _, b := range bs {
			out = append(out, b...)
		}
		return out
	}
	rep := func(b []byte, n int) []byte {
		var out []byte
		for range n {
			out = append(out, b...)
		}
		return out
	}
	var cs []heurCase
	add := func(name string, b []byte) { cs = append(cs, heurCase{name, b}) }
	add("query", cat(dnsHdr(1, 0x0100, 1, 0, 0, 0), q))
	add("query with an answer", cat(dnsHdr(2, 0x0100, 1, 1, 0, 0), q, rr))
	add("query with 10 additional", cat(dnsHdr(3, 0x0100, 1, 0, 0, 10), q))
	add("query with 11 additional", cat(dnsHdr(4, 0x0100, 1, 0, 0, 11), q))
	add("query, two questions", cat(dnsHdr(5, 0x0100, 2, 0, 0, 0), q, q))
	add("notify opcode", cat(dnsHdr(6, 0x2100, 1, 0, 0, 0), q))
	add("response 100 answers", cat(dnsHdr(7, 0x8180, 1, 100, 0, 0), q, rep(rr, 3)))
	add("response 101 answers", cat(dnsHdr(8, 0x8180, 1, 101, 0, 0), q, rep(rr, 3)))
	add("response 11 authority", cat(dnsHdr(9, 0x8180, 1, 0, 11, 0), q))
	add("response no question", cat(dnsHdr(10, 0x8180, 0, 1, 0, 0), []byte("\x03www\x00\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x01\x02\x03\x04")))
	add("header only", dnsHdr(11, 0x0100, 1, 0, 0, 0))
	add("truncated name", cat(dnsHdr(12, 0x0100, 1, 0, 0, 0), q[:7]))
	add("dtls client hello", mustHex(cryptoSeeds[0]))
	add("dtls ccs and encrypted", mustHex(cryptoSeeds[1]))
	add("dtls record short", mustHex(cryptoSeeds[1])[:20])
	add("dtls bad version", append([]byte{0x16, 0x03, 0x03}, mustHex(cryptoSeeds[0])[3:]...))
	return cs
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// writePcap writes raw IPv4 packets as a pcap file (LINKTYPE_RAW).
func writePcap(t *testing.T, path string, pkts [][]byte) {
	t.Helper()
	b := binary.LittleEndian.AppendUint32(nil, 0xa1b2c3d4)
	b = binary.LittleEndian.AppendUint16(b, 2)
	b = binary.LittleEndian.AppendUint16(b, 4)
	b = append(b, make([]byte, 8)...)
	b = binary.LittleEndian.AppendUint32(b, 65535)
	b = binary.LittleEndian.AppendUint32(b, 101)
	for i, p := range pkts {
		b = binary.LittleEndian.AppendUint32(b, uint32(i))
		b = binary.LittleEndian.AppendUint32(b, 0)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(p)))
		b = binary.LittleEndian.AppendUint32(b, uint32(len(p)))
		b = append(b, p...)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestUDPHeuristicsMatchTshark sends crafted datagrams between ports no
// dissector owns and compares the Protocol and Info columns with tshark's:
// the DNS heuristic's header limits and the DTLS heuristic's record walk
// were measured this way and must keep agreeing.
func TestUDPHeuristicsMatchTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: runs tshark (-short)")
	}
	testenv.Tool(t, "tshark")
	cs := heurCases()
	var pkts [][]byte
	for i, c := range cs {
		// each datagram its own conversation (a DTLS session's version
		// would carry over otherwise)
		pkts = append(pkts, appPacket(17, uint16(41000+i), c.payload))
	}
	path := filepath.Join(t.TempDir(), "heur.pcap")
	writePcap(t, path, pkts)
	res, err := tshark.Fields(path, []string{"_ws.col.Protocol", "_ws.col.Info"})
	if err != nil || res.Exit != 0 || res.Frames != len(cs) {
		t.Fatalf("tshark: %v %+v", err, res)
	}
	dec := decode.NewDecoder(decode.Options{})
	var fr decode.Frame
	same := 0
	for i, c := range cs {
		dec.Decode(&fr, capture.Packet{Info: capture.Info{CapLen: len(pkts[i]), Len: len(pkts[i]), LinkType: capture.LinkRaw}, Data: pkts[i]})
		proto := string(fr.ColumnText(decode.ColProtocol))
		info := string(fr.ColumnText(decode.ColInfo))
		wp, wi := res.Cols["_ws.col.Protocol"][i], res.Cols["_ws.col.Info"][i]
		if proto == wp && (proto == "UDP" || info == wi) {
			same++
			continue
		}
		t.Errorf("%s: wirewatch %s %q, tshark %s %q", c.name, proto, info, wp, wi)
	}
	t.Logf("UDP heuristics: %d of %d crafted datagrams decoded as tshark does", same, len(cs))
}
