package field_test

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

// skinnyMsg builds one Skinny message: header version ver, message ID id
// and body words (little-endian) with raw bytes after them.
func skinnyMsg(ver, id uint32, words []uint32, raw []byte) []byte {
	body := binary.LittleEndian.AppendUint32(nil, id)
	for _, w := range words {
		body = binary.LittleEndian.AppendUint32(body, w)
	}
	body = append(body, raw...)
	b := binary.LittleEndian.AppendUint32(nil, uint32(len(body)))
	b = binary.LittleEndian.AppendUint32(b, ver)
	return append(b, body...)
}

// skinnyORCAck is an OpenReceiveChannelAck (header V20) announcing
// addr:port, the IPv4 address in a 16-byte field after its type word.
func skinnyORCAck(addr netip.Addr, port uint32) []byte {
	a := addr.As4()
	raw := binary.LittleEndian.AppendUint32(nil, 0) // mediaReceptionStatus
	raw = binary.LittleEndian.AppendUint32(raw, 0)  // ipv4or6: IPv4
	raw = append(append(raw, a[:]...), make([]byte, 12)...)
	raw = binary.LittleEndian.AppendUint32(raw, port) // portNumber
	raw = binary.LittleEndian.AppendUint32(raw, 77)   // passThroughPartyId
	raw = binary.LittleEndian.AppendUint32(raw, 5)    // callReference
	return skinnyMsg(0x14, 0x22, nil, raw)
}

func skinnySeeds() [][]byte {
	keep := skinnyMsg(0, 0x100, nil, nil)
	two := append(skinnyMsg(0x14, 0x111, []uint32{2, 1, 5}, nil), skinnyORCAck(netip.MustParseAddr("192.0.2.2"), 40002)...)
	return [][]byte{keep, two, skinnyMsg(0x0b, 0x8a, []uint32{1, 77, 0x0200000a, 40002, 20, 4}, nil), skinnyMsg(0x14, 0x9999, nil, []byte{1, 2})}
}

// TestSkinny decodes a segment of two messages (CallState, then an
// OpenReceiveChannelAck for 192.0.2.2:40002) and a datagram to that
// port: the columns are tshark's, and the datagram is RTP set up by the
// Skinny frame.
func TestSkinny(t *testing.T) {
	dec := decode.NewDecoder(decode.Options{})
	var fr decode.Frame
	run := func(pkt []byte) {
		fr.Number++
		dec.Decode(&fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
	}
	run(appPacket(6, 2000, skinnySeeds()[1]))
	if got := string(fr.ColumnText(decode.ColInfo)); got != "CallState OpenReceiveChannelAck " {
		t.Errorf("Info %q", got)
	}
	if got := string(fr.ColumnText(decode.ColProtocol)); got != "SKINNY/RESP" {
		t.Errorf("Protocol %q", got)
	}
	ids := field.Std().Lookup("skinny.messageId").Get(&fr, nil)
	if len(ids) != 2 || ids[0].U != 0x111 || ids[1].U != 0x22 {
		t.Errorf("skinny.messageId %v", ids)
	}
	run(appPacket(17, 40002, []byte{0x80, 0, 0, 1, 0, 0, 0, 160, 1, 2, 3, 4, 0xff, 0xff}))
	if !fr.Has(decode.ProtoRTP) {
		t.Fatalf("datagram to the announced port is not RTP: %s", fr.Protocols())
	}
	if v := field.Std().Lookup("rtp.setup-method").Get(&fr, nil); len(v) != 1 || string(v[0].B) != "SKINNY" {
		t.Errorf("rtp.setup-method %v", v)
	}
	if v := field.Std().Lookup("rtp.setup-frame").Get(&fr, nil); len(v) != 1 || v[0].U != 1 {
		t.Errorf("rtp.setup-frame %v", v)
	}
}

// FuzzSkinny decodes arbitrary payloads as Skinny on TCP 2000, then a
// datagram to the ports a message may have announced, reading every
// Skinny and RTP field and the columns: no getter may panic.
func FuzzSkinny(f *testing.F) {
	for _, s := range skinnySeeds() {
		f.Add(s)
	}
	var fields []*field.Field
	for _, fl := range field.Std().All() {
		if fl.Proto == decode.ProtoSkinny || fl.Proto == decode.ProtoRTP {
			fields = append(fields, fl)
		}
	}
	var vals []field.Value
	f.Fuzz(func(t *testing.T, b []byte) {
		dec := decode.NewDecoder(decode.Options{})
		var fr decode.Frame
		run := func(pkt []byte) {
			fr.Number++
			dec.Decode(&fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
			for _, fl := range fields {
				vals = fl.Get(&fr, vals[:0])
			}
			fr.ColumnText(decode.ColInfo)
			fr.ColumnText(decode.ColProtocol)
			fr.Protocols()
		}
		run(appPacket(6, 2000, b))
		run(appPacket(17, 40002, b))
	})
}
