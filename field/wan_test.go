package field_test

import (
	"encoding/hex"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

// The WAN link types, IPsec and the fields of layers a tunnel repeats,
// compared with tshark by TestDissectorsMatchTshark.
func init() {
	tunnelled := []string{"ip.src", "ip.dst", "ip.len", "ip.ttl", "ip.proto", "ip.checksum", "ipv6.src", "ipv6.dst",
		"ipv6.plen", "udp.srcport", "udp.dstport", "udp.length", "udp.stream", "eth.src", "eth.dst", "eth.type",
		"llc.dsap", "llc.control", "gre.proto", "gre.flags.checksum", "gre.key"}
	dissectorCases = append(dissectorCases,
		&dissectCase{proto: decode.ProtoCHDLC, manifest: "chdlc", floor: 98, extra: []string{"slarp.ptype", "slarp.mysequence", "slarp.yoursequence", "slarp.reliability"}},
		&dissectCase{proto: decode.ProtoFR, manifest: "fr", floor: 98},
		&dissectCase{proto: decode.ProtoIPNet, manifest: "ipnet", floor: 98},
		&dissectCase{proto: decode.ProtoIPoIB, manifest: "ipoib", floor: 95, why: "one SSH key exchange message named otherwise"},
		&dissectCase{proto: decode.ProtoESP, manifest: "esp", floor: 90, why: "ESP in UDP (NAT traversal, port 4500) and IKE (ISAKMP) are not decoded"},
		&dissectCase{proto: decode.ProtoAH, manifest: "ah", floor: 90, why: "IKE (ISAKMP) exchanges before the AH traffic are not decoded"},
		&dissectCase{proto: decode.ProtoGRE, manifest: "gre", floor: 98, only: tunnelled},
		&dissectCase{proto: decode.ProtoVXLAN, manifest: "vxlan", floor: 98, only: tunnelled},
		&dissectCase{proto: decode.ProtoERSPAN, manifest: "erspan", floor: 98, only: tunnelled},
		&dissectCase{proto: decode.ProtoTeredo, manifest: "teredo", floor: 98, only: tunnelled},
	)
}

// wanSeeds are frames of the link types of decode/wan.go and tunnels that
// repeat layers (hex), seeds of FuzzLayers.
var wanSeeds = []struct {
	lt  capture.LinkType
	hex string
}{
	// Cisco HDLC SLARP keepalive; Cisco HDLC IPv4 ICMP.
	{decode.LinkCHDLC, "8f008035000000020000000500000002ffff0000"},
	{decode.LinkCHDLC, "0f00080045000064000f0000ff01a787" + "0a0000010a0000020800f7ff00000000"},
	// Frame Relay, Cisco encapsulation and RFC 2427 (NLPID 0xcc).
	{decode.LinkFR, "18610800450000640003000fff01a787" + "0a0000010a0000020800f7ff00000000"},
	{decode.LinkFR, "186103cc4500001c000100004001f9e0" + "0a0000010a0000020800f7ff00000000"},
	// ipnet (AF_INET) and IPoIB (ARP with 20-byte hardware addresses).
	{decode.LinkIPNet, "0102000000000054000000020000000" + "0ffffffff00000000" + "4500001c000100004001f9e00a0000010a0000020800f7ff00000000"},
	{decode.LinkIPoIB, "0000000000000000000000000000000000000000" + "00ffffffff10401b0000000000000000ffffffff" + "08060000" + "0020080014040001"},
	// Ethernet: IPv4 in GRE in IPv4 with UDP inside; IPv4 AH then ICMP; ESP.
	{capture.LinkEthernet, "000102030405060708090a0b0800" + "4500003800010000402f0000010101020101010100000800" + "4500002000010000401100000202020302020202" + "04d2003500080000"},
	{capture.LinkEthernet, "000102030405060708090a0b0800" + "4500003c00010000403300000a0000010a000002" + "01040000604816f600000001000000000000000000000000" + "0800f7ff00000000"},
	{capture.LinkEthernet, "000102030405060708090a0b0800" + "4500003000010000403200000a0000010a000002" + "2360b0e300000001aabbccddeeff0011"},
	// ARP padded to 60 bytes (eth.padding), and with a non-zero trailer.
	{capture.LinkEthernet, "ffffffffffff0001020304050806" + "0001080006040001000102030405c0a80001000000000000c0a80002" + "000000000000000000000000000000000000"},
	{capture.LinkEthernet, "ffffffffffff0001020304050806" + "0001080006040001000102030405c0a80001000000000000c0a80002" + "88641100f637000ac02109ff0008cf3bf9cd"},
	// VXLAN: outer UDP to 4789, inner Ethernet, IPv4, UDP.
	{capture.LinkEthernet, "000102030405060708090a0b0800" + "4500004e000100004011000001010101020202020fa012b5003a0000" + "0800000000000100" +
		"0a0b0c0d0e0f0001020304050800" + "4500001c00010000401100000303030304040404" + "04d2007b00080000"},
}

// FuzzLayers decodes hostile frames of the WAN link types and of tunnels
// and reads every field: no panic, and every value of a repeated layer
// comes from bytes inside the frame.
func FuzzLayers(f *testing.F) {
	for _, s := range wanSeeds {
		b, err := hex.DecodeString(s.hex)
		if err != nil {
			f.Fatalf("seed %q: %v", s.hex, err)
		}
		f.Add(uint8(s.lt), b)
	}
	dec := decode.NewDecoder(decode.Options{ReassembleIP: true, MaxFragSets: 4})
	var fr decode.Frame
	var vals []field.Value
	all := field.Std().All()
	f.Fuzz(func(t *testing.T, lt uint8, b []byte) {
		link := []capture.LinkType{decode.LinkCHDLC, decode.LinkFR, decode.LinkIPNet, decode.LinkIPoIB, capture.LinkEthernet, capture.LinkRaw}[int(lt)%6]
		switch lt {
		case uint8(decode.LinkCHDLC), uint8(decode.LinkFR), uint8(decode.LinkIPNet), uint8(decode.LinkIPoIB), uint8(capture.LinkEthernet):
			link = capture.LinkType(lt)
		}
		fr.Number++
		dec.Decode(&fr, capture.Packet{Info: capture.Info{LinkType: link, CapLen: len(b), Len: len(b)}, Data: b})
		for _, fl := range all {
			vals = fl.Get(&fr, vals[:0])
		}
		fr.ColumnText(decode.ColInfo)
		fr.ColumnText(decode.ColProtocol)
		fr.ColumnText(decode.ColSource)
		fr.ColumnText(decode.ColDestination)
		fr.Protocols()
	})
}
