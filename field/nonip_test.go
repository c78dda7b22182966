package field_test

import (
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/internal/testenv"
	"github.com/wirewatch/wirewatch/internal/tshark"
	"github.com/wirewatch/wirewatch/pipeline"
)

// nonIPSeeds are payloads of the non-IP link protocols (decode/ppp.go,
// decode/netbios.go), written from the RFCs' and Novell's layouts: PPPoE
// discovery bodies (after the 6-byte header this test prepends), PPP
// control packets, NetBIOS Frames headers and IPX packets.
var nonIPSeeds = []string{
	"0101000001030004641385180102000442524153",         // PADO tags: Service-Name, Host-Uniq, AC-Name
	"010a000e010405d40304c023050601fccbfb",             // LCP Configure-Request: MRU, PAP, magic
	"0802001480570101000e010ac8010efffe880008",         // LCP Protocol-Reject of an IPV6CP request
	"09030008" + "05fcd459",                            // LCP Echo-Request
	"0101001005636973636f05636973636f",                 // PAP Authenticate-Request cisco/cisco
	"0101001508" + "0011223344556677" + "726f75746572", // CHAP Challenge
	"0101001003060a000001" + "8106c0a80101",            // IPCP Configure-Request: address, DNS
	"01010010020600 2d0f01" + "03060a000001",           // IPCP VJ compression
	"0101000f1a0478001804780015032f",                   // CCP Configure-Request
}

// nonIPFields are the fields of this test's protocols.
func nonIPFields() []*field.Field {
	var fields []*field.Field
	for _, fl := range field.Std().All() {
		if fl.Proto >= decode.ProtoPPPoED || fl.Proto == decode.ProtoPPPoE || fl.Proto == decode.ProtoPPP || fl.Proto == decode.ProtoLLC || fl.Proto == decode.ProtoNFLOG || fl.Proto == decode.ProtoSMB || fl.Proto == decode.ProtoBrowser {
			fields = append(fields, fl)
		}
	}
	return fields
}

// nonIPPackets wraps b as each protocol of this test: a PPPoE discovery
// packet, and a PPP payload of each control protocol in a PPPoE session
// and on the PPP link type (LINKTYPE_PPP, 9).
func nonIPPackets(b []byte) (out []capture.Packet) {
	eth := func(typ uint16, body []byte) []byte {
		p := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 1, 2, 3, 4, 5, byte(typ >> 8), byte(typ)}
		return append(p, body...)
	}
	pkt := func(lt capture.LinkType, d []byte) capture.Packet {
		return capture.Packet{Info: capture.Info{CapLen: len(d), Len: len(d), LinkType: lt}, Data: d}
	}
	n := len(b)
	// 802.3 length, then LLC UI with the NetBEUI and IPX SAPs, and Novell raw 802.3.
	for _, llc := range [][]byte{{0xf0, 0xf0, 0x03}, {0xf0, 0xf0, 0x00, 0x02}, {0xe0, 0xe0, 0x03}, {}} {
		body := append(append([]byte{}, llc...), b...)
		if len(body) <= 1500 {
			out = append(out, pkt(capture.LinkEthernet, eth(uint16(len(body)), body)))
		}
	}
	out = append(out, pkt(capture.LinkType(239), b)) // LINKTYPE_NFLOG
	out = append(out, pkt(capture.LinkEthernet, eth(0x8863, append([]byte{0x11, 0x07, 0, 0, byte(n >> 8), byte(n)}, b...))))
	for _, proto := range []uint16{0xc021, 0x8021, 0x8057, 0x80fd, 0xc023, 0xc223} {
		ppp := append([]byte{byte(proto >> 8), byte(proto)}, b...)
		m := len(ppp)
		out = append(out, pkt(capture.LinkEthernet, eth(0x8864, append([]byte{0x11, 0, 0, 1, byte(m >> 8), byte(m)}, ppp...))))
		out = append(out, pkt(capture.LinkType(9), append([]byte{0xff, 0x03}, ppp...)))
	}
	return out
}

// FuzzNonIP decodes arbitrary bytes as each non-IP protocol and reads
// every field and column: no getter may panic.
func FuzzNonIP(f *testing.F) {
	for _, s := range nonIPSeeds {
		b, err := hex.DecodeString(stripSpaces(s))
		if err != nil {
			f.Fatalf("seed %q: %v", s, err)
		}
		f.Add(b)
	}
	x := newExerciser(nonIPFields())
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, p := range nonIPPackets(b) {
			x.packet(p)
		}
	})
}

// TestNonIPFieldsAllocFree reads every field and column of the seeds:
// reading allocates nothing.
func TestNonIPFieldsAllocFree(t *testing.T) {
	fields := nonIPFields()
	dec := decode.NewDecoder(decode.Options{})
	var fr decode.Frame
	vals := make([]field.Value, 0, 64)
	for _, s := range nonIPSeeds {
		b, _ := hex.DecodeString(stripSpaces(s))
		for _, p := range nonIPPackets(b) {
			dec.Decode(&fr, p)
			fr.ColumnText(decode.ColInfo) // grow the column buffer once
			if n := testing.AllocsPerRun(20, func() {
				for _, fl := range fields {
					vals = fl.Get(&fr, vals[:0])
				}
				fr.ColumnText(decode.ColInfo)
				fr.ColumnText(decode.ColProtocol)
			}); n != 0 {
				t.Errorf("%s: %.0f allocations per frame reading fields and columns", fr.Protocols(), n)
			}
		}
	}
}

func stripSpaces(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

// TestCHAPMatchesTshark compares CHAP (RFC 1994) with tshark on a capture
// this test writes: a Challenge, Response, Success and Failure in a PPPoE
// session. The corpus has no CHAP exchange and this machine's kernel has no
// PPP support to run pppd and pppoe-server, so the packets are built from
// the RFC's layout; tshark is still the judge of every field and column.
func TestCHAPMatchesTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: runs tshark (-short)")
	}
	testenv.Tool(t, "tshark")
	chap := []string{
		"0101001308" + "0011223344556677" + "726f75746572",       // Challenge, name "router"
		"0201001610" + "00112233445566778899aabbccddeeff" + "75", // Response, name "u"
		"0301000c57656c636f6d6521",                               // Success "Welcome!"
		"04020004",                                               // Failure, no message
	}
	var file []byte
	file = append(file, 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0)
	for i, s := range chap {
		body, _ := hex.DecodeString(s)
		ppp := append([]byte{0xc2, 0x23}, body...)
		n := len(ppp)
		pkt := append([]byte{0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x88, 0x64, 0x11, 0, 0, 1, byte(n >> 8), byte(n)}, ppp...)
		for len(pkt) < 60 {
			pkt = append(pkt, 0)
		}
		rec := []byte{byte(i + 1), 0, 0, 0, 0, 0, 0, 0, byte(len(pkt)), 0, 0, 0, byte(len(pkt)), 0, 0, 0}
		file = append(append(file, rec...), pkt...)
	}
	path := filepath.Join(t.TempDir(), "chap.pcap")
	if err := os.WriteFile(path, file, 0o644); err != nil {
		t.Fatal(err)
	}
	c := &dissectCase{proto: decode.ProtoCHAP, floor: 100, perCap: map[string]*cellCount{}}
	c.names = append(append([]string{}, dissectColumns...), protoFieldNames(decode.ProtoCHAP)[1:]...)
	for _, n := range c.names {
		c.fields = append(c.fields, field.Std().Lookup(n))
	}
	c.counts = make([]cellCount, len(c.names))
	c.perCap[path] = &cellCount{}
	res, err := tshark.Fields(path, c.names)
	if err != nil || res.Exit != 0 {
		t.Fatalf("tshark: %v %v", err, res)
	}
	var vals []field.Value
	var b []byte
	err = pipeline.RunFile(context.Background(), path, pipeline.Config{}, func(f *decode.Frame) error {
		c.compare(t, f, res, int(f.Number), path, &vals, &b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	reportDiff(t, c.proto, 1, c.names, c.counts, c.floor)
}
