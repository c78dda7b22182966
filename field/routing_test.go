package field_test

import (
	"encoding/hex"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

// routingSeeds are well-formed messages of the dissectors of
// decode/routing.go, written from the RFCs' layouts.
var routingSeeds = []string{
	"000166696c6531006f6374657400",                                                                       // TFTP RRQ file1 octet
	"0002656d7074790000006f6374657400626c6b73697a6500313436380000",                                       // TFTP WRQ with blksize
	"0003000168656c6c6f",                                                                                 // TFTP DATA block 1
	"000500014e6f7420666f756e6400",                                                                       // TFTP ERROR 1
	"0006626c6b73697a650031343638007473697a65003130303000",                                               // TFTP OACK
	"200038c600010002000300020004000101f409c4001300040000000100140004777f1c06",                           // PIM hello
	"0201002c0a0000020000000000000000000000000000000000ffffffff000a02010000002800000000000000000a000001", // OSPF hello
	"3133690100001f2bfe800000000000000000000000003636",                                                   // VRRPv3
	"0205fd69000000000000000000000000000000640001000c0100010000000f0004000803040102",                     // EIGRP hello
	"000010010369fe00636973636f0000000ac86501",                                                           // HSRPv1
	"01280200060400fe0011921a170000000069000003e800000bb80ac86401000000000000000a000001",                 // HSRPv2 group
	"020400000001",                           // HSRPv2 interface state
	"ffffffffffffffffffffffffffffffff001304", // BGP KEEPALIVE
	"01050030" + "00112233445566778899aabbccddeeff" + "0106666f6f00" + "4f0602010004", // RADIUS with EAP
	// SCTP: INIT, then DATA with B and E.
	"1a300050000000000000000001000014eaf1a21a0000e000000a0001bb6aa3c2",
	"1a30005013896007000000000003001cbb6aa3c2000000000000000047455420",
	// DCCP Request (extended sequence numbers) and Reset.
	"ce7913890300d7d2010000004fbe44910000000000000000",
	"1389ce790300000f0f00000052928fe200000000004fbe44930100000000000000",
	// IKEv2 IKE_SA_INIT header; WireGuard handshake initiation (148 bytes) and cookie reply.
	"1c1869f6d29ba0cc00000000000000002120220800000000000000" + "1c",
	"01000000d837d030" + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
	"03000000ab7df406" + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
}

// FuzzRouting decodes arbitrary payloads as each dissector of
// decode/routing.go (UDP ports, TCP 179, IP protocols, LLC and slow
// protocol frames; two datagrams in a row reach TFTP's conversations and
// SCTP's TSN bases) and reads every field and column: no getter may panic.
func FuzzRouting(f *testing.F) {
	for _, s := range routingSeeds {
		b, err := hex.DecodeString(s)
		if err != nil {
			f.Fatalf("seed %q: %v", s, err)
		}
		f.Add(b)
	}
	x := newExerciser(fieldsOf(func(p decode.Proto) bool { return p >= decode.ProtoTFTP }))
	run := x.raw
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, c := range []struct {
			proto uint8
			port  uint16
		}{{17, 69}, {17, 40000}, {17, 1985}, {17, 2029}, {17, 1812}, {17, 500}, {17, 4500}, {6, 179}} {
			run(capture.LinkRaw, appPacket(c.proto, c.port, b))
		}
		for _, proto := range []byte{103, 89, 112, 88, 132, 132, 33, 33} {
			total := 20 + len(b)
			pkt := append([]byte{0x45, 0, byte(total >> 8), byte(total), 0, 1, 0, 0, 1, proto, 0, 0, 192, 0, 2, 1, 224, 0, 0, 5}, b...)
			run(capture.LinkRaw, pkt)
		}
		eth := []byte{1, 0x80, 0xc2, 0, 0, 0x15, 0, 1, 2, 3, 4, 5}
		isis := append(append(append([]byte{}, eth...), byte((len(b)+4)>>8), byte(len(b)+4), 0xfe, 0xfe, 3, 0x83), b...)
		run(capture.LinkEthernet, isis)
		lacp := append(append(append([]byte{}, eth...), 0x88, 0x09, 1), b...)
		run(capture.LinkEthernet, lacp)
	})
}

// TestRoutingFieldsAllocFree reads every field of the routing dissectors on
// a TFTP data packet of a conversation and an SCTP DATA chunk: reading
// fields allocates nothing.
func TestRoutingFieldsAllocFree(t *testing.T) {
	var fields []*field.Field
	for _, fl := range field.Std().All() {
		if fl.Proto >= decode.ProtoTFTP {
			fields = append(fields, fl)
		}
	}
	dec := decode.NewDecoder(decode.Options{})
	var fr decode.Frame
	req, _ := hex.DecodeString(routingSeeds[0])
	pkt := appPacket(17, 69, req)
	dec.Decode(&fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
	data, _ := hex.DecodeString(routingSeeds[2])
	pkt = appPacket(17, 40000, data)
	pkt[12], pkt[13], pkt[14], pkt[15], pkt[16], pkt[17], pkt[18], pkt[19] = 192, 0, 2, 2, 192, 0, 2, 1 // server to client
	pkt[20], pkt[21], pkt[22], pkt[23] = 0x9c, 0x41, 0x9c, 0x40
	dec.Decode(&fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
	if got := string(fr.ColumnText(decode.ColInfo)); got != "Data Packet, Block: 1 (last)" {
		t.Fatalf("TFTP data Info = %q", got)
	}
	var vals []field.Value
	vals = make([]field.Value, 0, 64)
	n := testing.AllocsPerRun(100, func() {
		for _, fl := range fields {
			vals = fl.Get(&fr, vals[:0])
		}
		fr.ColumnText(decode.ColInfo)
		fr.Protocols()
	})
	if n != 0 {
		t.Errorf("reading the routing fields allocates %.1f times", n)
	}
}
