package field_test

import (
	"encoding/hex"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

// voipInvite is a SIP INVITE whose SDP offers RTP on 192.0.2.2:40002
// (appPacket's destination address), so that a datagram to that port is
// RTP and one to 40003 RTCP.
const voipInvite = "INVITE sip:bob@example.com SIP/2.0\r\n" +
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds;rport\r\n" +
	"From: \"Alice\" <sip:alice@example.com:5070>;tag=1928301774\r\n" +
	"To: Bob <sip:bob@example.com>\r\n" +
	"Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
	"CSeq: 314159 INVITE\r\n" +
	"Contact: <sip:alice@192.0.2.1>, <sip:alice2@192.0.2.1:5080>;expires=0\r\n" +
	"Content-Type: application/sdp\r\n" +
	"Content-Length: 151\r\n\r\n" +
	"v=0\r\no=alice 2890844526 2890844526 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.2\r\nt=0 0\r\n" +
	"m=audio 40002 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n"

// voipSeeds are payloads of the VoIP dissectors, written from the RFCs.
var voipSeeds = []string{
	hex.EncodeToString([]byte(voipInvite)),
	hex.EncodeToString([]byte("SIP/2.0 200 OK\r\nCall-ID: a84b4c76e66710@pc33.example.com\r\nCSeq: 314159 INVITE\r\nTo: <sip:bob@example.com>;tag=a6c85cf\r\n\r\n")),
	"80e1000100000a0012345678" + "0102030405",                                      // RTP, marker, PT 97
	"b0000002000000a0123456780001beef000100010a0b0c0d" + "ff00ff01020303",          // RTP with CSRC, extension, padding
	"81c90007123456780abcdef00100000a0000ffff00000010000000200000003081ca0003",     // RTCP RR + SDES start
	"000100082112a442000102030405060708090a0b0020000800011f2c5e12a443",             // STUN Binding Success, XOR-MAPPED-ADDRESS
	"0113001c2112a442aabbccddeeff00112233445500090010000004014e6f7420616c6c6f7765", // STUN error 401
	"400100040102030405", // TURN ChannelData
}

// voipFields are the fields of the VoIP protocols.
func voipFields() []*field.Field {
	var out []*field.Field
	for _, fl := range field.Std().All() {
		switch fl.Proto {
		case decode.ProtoSIP, decode.ProtoSDP, decode.ProtoRTP, decode.ProtoRTCP, decode.ProtoSTUN, decode.ProtoClassicSTUN:
			out = append(out, fl)
		}
	}
	return out
}

// FuzzVoIP decodes arbitrary payloads as SIP (port 5060 and the heuristic),
// as the RTP and RTCP a SIP offer set up, and as STUN, RTCP and TCP STUN,
// and reads every VoIP field and column: no getter may panic.
func FuzzVoIP(f *testing.F) {
	for _, s := range voipSeeds {
		b, err := hex.DecodeString(s)
		if err != nil {
			f.Fatalf("seed %q: %v", s, err)
		}
		f.Add(b)
	}
	fields := voipFields()
	f.Fuzz(func(t *testing.T, b []byte) {
		x := newExerciser(fields) // a fresh decoder: no state from earlier inputs
		run := func(pkt []byte) { x.raw(capture.LinkRaw, pkt) }
		run(appPacket(17, 5060, []byte(voipInvite)))
		run(appPacket(17, 5060, b))
		for _, port := range []uint16{40002, 40003, 3478, 40001, 2944} {
			run(appPacket(17, port, b))
		}
		run(appPacket(6, 3478, b))
	})
}

// TestVoIPDecode checks the conversation an SDP offer sets up: the RTP and
// RTCP datagrams to its address and ports, their columns and setup frame.
func TestVoIPDecode(t *testing.T) {
	dec := decode.NewDecoder(decode.Options{})
	var fr decode.Frame
	decodeAt := func(n uint64, pkt []byte) {
		fr.Number = n
		dec.Decode(&fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
	}
	decodeAt(1, appPacket(17, 5060, []byte(voipInvite)))
	if got := string(fr.Protocols()); got != "raw:ip:udp:sip:sdp" && got != "ip:udp:sip:sdp" {
		t.Errorf("INVITE frame.protocols = %q", got)
	}
	if got := string(fr.ColumnText(decode.ColInfo)); got != "Request: INVITE sip:bob@example.com | " {
		t.Errorf("INVITE Info = %q", got)
	}
	if got := string(fr.ColumnText(decode.ColProtocol)); got != "SIP/SDP" {
		t.Errorf("INVITE Protocol = %q", got)
	}
	rtp, _ := hex.DecodeString("80e5000100000a00123456780102")
	decodeAt(2, appPacket(17, 40002, rtp))
	if got := string(fr.ColumnText(decode.ColInfo)); got != "PT=telephone-event, SSRC=0x12345678, Seq=1, Time=2560, Mark" {
		t.Errorf("RTP Info = %q", got)
	}
	reg := field.Std()
	for name, want := range map[string]uint64{"rtp.setup-frame": 1, "rtp.p_type": 101, "rtp.extseq": 65537, "rtp.marker": 1} {
		v := reg.Lookup(name).Get(&fr, nil)
		if len(v) != 1 || v[0].U != want {
			t.Errorf("%s = %v, want %d", name, v, want)
		}
	}
	rtcp, _ := hex.DecodeString(voipSeeds[4])
	decodeAt(3, appPacket(17, 40003, rtcp))
	if got := string(fr.ColumnText(decode.ColInfo)); got != "Receiver Report   Source description   [Malformed Packet]" {
		t.Errorf("RTCP Info = %q", got)
	}
	// the same datagram to a port no SDP announced is UDP data
	decodeAt(4, appPacket(17, 40010, rtp))
	if fr.Has(decode.ProtoRTP) {
		t.Errorf("RTP found on a port no SDP set up")
	}
}

// TestVoIPFieldsAllocFree decodes RTP datagrams of a set-up conversation
// and reads every VoIP field: neither allocates.
func TestVoIPFieldsAllocFree(t *testing.T) {
	fields := voipFields()
	dec := decode.NewDecoder(decode.Options{})
	var fr decode.Frame
	inv := appPacket(17, 5060, []byte(voipInvite))
	fr.Number = 1
	dec.Decode(&fr, capture.Packet{Info: capture.Info{CapLen: len(inv), Len: len(inv), LinkType: capture.LinkRaw}, Data: inv})
	rtp, _ := hex.DecodeString("8000000100000a00123456780102030405060708")
	pkt := appPacket(17, 40002, rtp)
	vals := make([]field.Value, 0, 64)
	n := testing.AllocsPerRun(100, func() {
		fr.Number++
		dec.Decode(&fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
		for _, fl := range fields {
			vals = fl.Get(&fr, vals[:0])
		}
		fr.ColumnText(decode.ColInfo)
		fr.Protocols()
	})
	if !fr.Has(decode.ProtoRTP) {
		t.Fatalf("the datagram is not RTP: %s", fr.Protocols())
	}
	if n != 0 {
		t.Errorf("decoding RTP and reading the VoIP fields allocates %.1f times", n)
	}
}
