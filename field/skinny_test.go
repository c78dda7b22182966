package field_test

import (
	"encoding/binary"
	"encoding/hex"
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
	fields := fieldsOf(func(p decode.Proto) bool { return p == decode.ProtoSkinny || p == decode.ProtoRTP })
	f.Fuzz(func(t *testing.T, b []byte) {
		x := newExerciser(fields) // a fresh decoder: no state from earlier inputs
		run := func(pkt []byte) { x.raw(capture.LinkRaw, pkt) }
		run(appPacket(6, 2000, b))
		run(appPacket(17, 40002, b))
	})
}

// t38Invite is a SIP INVITE whose SDP offers T.38 over UDPTL on
// 192.0.2.2:40004 (appPacket's destination address).
const t38Invite = "INVITE sip:fax@example.com SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhdt\r\n" +
	"From: <sip:a@example.com>;tag=1\r\nTo: <sip:fax@example.com>\r\n" +
	"Call-ID: t38call@example.com\r\nCSeq: 1 INVITE\r\n" +
	"Content-Type: application/sdp\r\nContent-Length: 88\r\n\r\n" +
	"v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.2\r\nt=0 0\r\nm=image 40004 udptl t38\r\n"

// TestT38 decodes UDPTL packets on a port an SDP offered for T.38, built
// from T.38's ASN.1 in aligned PER: an indicator, an HDLC data field, and
// bytes Wireshark's PER decoder gives up on.
func TestT38(t *testing.T) {
	dec := decode.NewDecoder(decode.Options{})
	var fr decode.Frame
	run := func(pkt []byte) {
		fr.Number++
		dec.Decode(&fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
	}
	run(appPacket(17, 5060, []byte(t38Invite)))
	for _, c := range []struct {
		udptl, info string
		malformed   bool
	}{
		// seq 5; open type of 1 octet: no data field, t30-indicator, root, cng; no secondary packets
		{"000501020000", "UDP: UDPTLPacket Seq=00005  t30ind: cng", false},
		// seq 6; t30-data v21 with one hdlc-data field of 2 octets
		{"000607c0018000" + "01ff130000", "UDP: UDPTLPacket Seq=00006  data:v21: hdlc-data[ff13]", false},
		// an extended indicator whose normally small number has a 5-octet length (a real capture's RTP seen as T.38)
		{"8008013005", "UDP: UDPTLPacket Seq=32776 [UNKNOWN PER: too long integer(per_normally_small_nonnegative_whole_number)][Malformed Packet]", true},
	} {
		b, _ := hex.DecodeString(c.udptl)
		run(appPacket(17, 40004, b))
		if got := string(fr.ColumnText(decode.ColProtocol)); got != "T.38" {
			t.Errorf("%s: Protocol %q", c.udptl, got)
			continue
		}
		if got := string(fr.ColumnText(decode.ColInfo)); got != c.info {
			t.Errorf("%s: Info %q, want %q", c.udptl, got, c.info)
		}
		if fr.Malformed() != c.malformed {
			t.Errorf("%s: malformed %v", c.udptl, fr.Malformed())
		}
		if v := field.Std().Lookup("t38.setup-frame").Get(&fr, nil); len(v) != 1 || v[0].U != 1 {
			t.Errorf("%s: t38.setup-frame %v", c.udptl, v)
		}
	}
}

// FuzzT38 decodes arbitrary payloads as the UDPTL of a T.38 conversation
// an SDP set up, reading the T.38 fields, expert items and columns: no
// getter may panic.
func FuzzT38(f *testing.F) {
	for _, s := range []string{"0005010200", "000607c001800001ff1300", "80080734679788", "8008010001c5ffff", "00010580008000"} {
		b, _ := hex.DecodeString(s)
		f.Add(b)
	}
	var fields []*field.Field
	for _, fl := range field.Std().All() {
		if fl.Proto == decode.ProtoT38 || fl.Name == "_ws.expert.severity" || fl.Name == "_ws.expert.group" {
			fields = append(fields, fl)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		x := newExerciser(fields)
		for _, pkt := range [][]byte{appPacket(17, 5060, []byte(t38Invite)), appPacket(17, 40004, b)} {
			x.raw(capture.LinkRaw, pkt)
		}
	})
}
