package field_test

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

// mojitoMsg builds a Mojito message of opcode op with body, laid out as
// packet-mojito.c reads it: message ID, 0x44, version, payload length
// (little-endian, 38 + body), opcode, the originating contact with an IPv4
// socket address, instance ID, flags, extended length.
func mojitoMsg(op uint8, body []byte) []byte {
	b := make([]byte, 0, 61+len(body))
	b = append(b, []byte("0123456789abcdef")...)
	b = append(b, 0x44, 0, 0)
	b = binary.LittleEndian.AppendUint32(b, uint32(38+len(body)))
	b = append(b, op)
	b = append(b, "GTKG"...)
	b = append(b, 0, 1)
	b = append(b, []byte("kuid-of-the-sender!!")...)
	b = append(b, 4, 192, 0, 2, 7, 0x70, 0x09) // IPv4 192.0.2.7:28681
	b = append(b, 1, 0x03, 0, 0)
	return append(b, body...)
}

// mojitoContact is one contact: vendor, version, KUID, IPv4 socket address.
func mojitoContact(kuid byte) []byte {
	b := append([]byte("WSHR"), 0, 2)
	for i := 0; i < 20; i++ {
		b = append(b, kuid)
	}
	return append(b, 4, 198, 51, 100, kuid, 0x1f, 0x90)
}

// p2pSeeds are well-formed Mojito messages of each opcode and a few
// malformed ones.
func p2pSeeds() [][]byte {
	value := append(mojitoContact(1), []byte("value-kuid-twenty-by")...)
	value = append(value, "PROX"...)
	value = append(value, 0, 0, 0, 6)
	value = append(value, 'a', 0, 'b', 0xc3, 0xa9, 'c') // a NUL, then stray and non-ASCII characters
	find := append([]byte{4, 1, 2, 3, 4, 2}, mojitoContact(2)...)
	find = append(find, mojitoContact(3)...)
	store := append([]byte{2, 9, 9, 1}, value...)
	storeResp := append([]byte{1}, []byte("primary-kuid-20bytes")...)
	storeResp = append(storeResp, []byte("second-kuid-20-bytes")...)
	storeResp = append(storeResp, 0, 1, 0, 2, 'o', 'k')
	findValue := append([]byte("target-kuid-20-bytes"), 1)
	findValue = append(findValue, []byte("secondary-kuid-20-by")...)
	findValue = append(findValue, "ALOC"...)
	valueResp := append([]byte{0, 0, 0, 7, 1}, value...)
	valueResp = append(valueResp, 0)
	return [][]byte{
		mojitoMsg(decode.MojitoPingRequest, nil),
		mojitoMsg(decode.MojitoPingResponse, []byte{4, 203, 0, 113, 9, 0x70, 0x09, 2, 0x12, 0x34}),
		mojitoMsg(decode.MojitoPingResponse, []byte{4, 203, 0, 113, 9, 0x70, 0x09, 9}), // BigInteger length 9
		mojitoMsg(decode.MojitoPingResponse, []byte{5, 1}),                             // socket address type 5
		mojitoMsg(decode.MojitoStoreRequest, store),
		mojitoMsg(decode.MojitoStoreResponse, storeResp),
		mojitoMsg(decode.MojitoFindNodeRequest, []byte("target-kuid-20-bytes")),
		mojitoMsg(decode.MojitoFindNodeResponse, find),
		mojitoMsg(decode.MojitoFindNodeResponse, []byte{0, 9}), // 9 contacts announced, none there
		mojitoMsg(decode.MojitoFindValueRequest, findValue),
		mojitoMsg(decode.MojitoFindValueResponse, valueResp),
		mojitoMsg(42, []byte{1, 2, 3}),
	}
}

// gnutellaDesc builds a Gnutella descriptor of type t with payload p.
func gnutellaDesc(t uint8, p []byte) []byte {
	b := append([]byte("descriptor-id-16"), t, 7, 1)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(p)))
	return append(b, p...)
}

// p2pFields are the registered fields of this family.
func p2pFields() []*field.Field {
	var fields []*field.Field
	for _, fl := range field.Std().All() {
		if fl.Proto == decode.ProtoMojito || fl.Proto == decode.ProtoGnutella || fl.Proto == decode.ProtoPortControl || fl.Proto == decode.ProtoBitTorrent || fl.Proto == decode.ProtoFrame {
			fields = append(fields, fl)
		}
	}
	return fields
}

// FuzzP2P decodes arbitrary payloads as Mojito (UDP heuristic, also with
// the length field made to pass it) and as Gnutella on TCP 6346, one
// segment alone and split over two segments of a desegmenting stream, and
// reads every field and column: no getter may panic.
func FuzzP2P(f *testing.F) {
	for _, s := range p2pSeeds() {
		f.Add(s)
	}
	f.Add(gnutellaDesc(decode.GnutellaQueryHit, []byte{1, 0x1f, 0x90, 10, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 'a', '.', 'm', 'p', '3', 0, 0}))
	f.Add([]byte("GNUTELLA CONNECT/0.6\r\nUser-Agent: x\r\n\r\n"))
	f.Add([]byte{0, 129, 0, 0, 0, 0, 1, 0, 0x1f, 0x90, 0x1f, 0x91, 0, 0, 14, 16}) // NAT-PMP Map UDP Response
	f.Add(append([]byte("\x13BitTorrent protocol"), make([]byte, 48+13)...))      // handshake, then a keep-alive and a Have cut short
	f.Add(append([]byte{2, 1, 0, 0, 0, 0, 0x0e, 0x10}, make([]byte, 16)...))      // PCP v2 Map Request header
	x := newExerciser(p2pFields())
	run := func(pkt []byte) { x.raw(capture.LinkRaw, pkt) }
	f.Fuzz(func(t *testing.T, b []byte) {
		run(appPacket(17, 40000, b))
		run(appPacket(17, 5351, b))
		run(appPacket(6, 6881, b))
		if len(b) >= 60 {
			m := append([]byte(nil), b...)
			m[16] = 0x44
			binary.LittleEndian.PutUint32(m[19:], uint32(len(m)-23))
			run(appPacket(17, 40000, m))
		}
		run(appPacket(6, decode.GnutellaPort, b))
		for _, port := range []uint16{decode.GnutellaPort, 6881} {
			fuzzStream(x.dec, &x.fr, x.fields, &x.vals, port, b)
		}
	})
}

// fuzzStream feeds b in three segments to a desegmenting stream on TCP
// port, reading every field and the Info column of each frame.
func fuzzStream(dec *decode.Decoder, fr *decode.Frame, fields []*field.Field, vals *[]field.Value, port uint16, b []byte) {
	var s decode.AppStream
	for cut := 0; cut < len(b); cut += 1 + len(b)/3 {
		pkt := appPacket(6, port, b[cut:min(len(b), cut+1+len(b)/3)])
		dec.Decode(fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
		s.Segment(dec, fr, fr.Payload)
		for _, fl := range fields {
			*vals = fl.Get(fr, (*vals)[:0])
		}
		fr.ColumnText(decode.ColInfo)
	}
}

// mojitoFrame decodes a Mojito message in an IPv4/UDP packet.
func mojitoFrame(t *testing.T, msg []byte) *decode.Frame {
	t.Helper()
	dec := decode.NewDecoder(decode.Options{})
	fr := new(decode.Frame)
	pkt := appPacket(17, 40000, msg)
	dec.Decode(fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
	return fr
}

// TestMojitoItems checks the items, columns and expert items of built
// messages: a STORE REQUEST's value with a NUL and stray characters, a
// PING RESPONSE with an unsupported BigInteger length, a truncated FIND NODE
// RESPONSE.
func TestMojitoItems(t *testing.T) {
	seeds := p2pSeeds()
	get := func(fr *decode.Frame, name string) string {
		fl := field.Std().Lookup(name)
		if fl == nil {
			t.Fatalf("no field %s", name)
		}
		var out []string
		for _, v := range fl.Get(fr, nil) {
			switch {
			case v.A.IsValid():
				out = append(out, v.A.String())
			case v.B != nil:
				out = append(out, string(v.B))
			default:
				out = append(out, itoa(int(v.U)))
			}
		}
		return strings.Join(out, ",")
	}
	fr := mojitoFrame(t, seeds[4])
	if got := string(fr.ColumnText(decode.ColInfo)); got != "STORE REQUEST" {
		t.Errorf("Info %q", got)
	}
	if got := string(fr.ColumnText(decode.ColProtocol)); got != "Mojito" {
		t.Errorf("Protocol %q", got)
	}
	if got := string(fr.Protocols()); got != "ip:udp:mojito" && !strings.HasSuffix(got, ":udp:mojito") {
		t.Errorf("frame.protocols %q", got)
	}
	for name, want := range map[string]string{
		"mojito.vendor":                  "GTKG",
		"mojito.contactvendor":           "WSHR",
		"mojito.socketaddressipv4":       "192.0.2.7,198.51.100.1",
		"mojito.socketaddressport":       "28681,8080",
		"mojito.dhtvaluevaluetype":       "PROX",
		"mojito.dhtvaluehexvalue":        "a",
		"mojito.dhtvaluelength":          "6",
		"mojito.majorversion":            "0,0,0,0",
		"mojito.minorversion":            "0,1,2,0",
		"mojito.firewalledflag":          "1",
		"mojito.shutdownflag":            "1",
		"mojito.sectoken":                "\x09\x09",
		"mojito.payloadlength":           itoa(len(seeds[4]) - 23),
		"mojito.statuscodesecondarykuid": "",
	} {
		if got := get(fr, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	var ex [16]decode.Expert
	if got := fr.AppendExpert(ex[:0]); len(got) != 1 || got[0].Kind != decode.ExStrayChars {
		t.Errorf("expert items %v, want one Trailing stray characters", got)
	}
	fr = mojitoFrame(t, seeds[2])
	if got := fr.AppendExpert(ex[:0]); len(got) != 1 || got[0].Kind != decode.ExMojitoBigInt {
		t.Errorf("BigInteger length 9: expert items %v", got)
	}
	fr = mojitoFrame(t, seeds[8])
	if got := string(fr.ColumnText(decode.ColInfo)); got != "FIND NODE RESPONSE[Malformed Packet]" {
		t.Errorf("truncated FIND NODE RESPONSE: Info %q", got)
	}
	fr = mojitoFrame(t, seeds[5])
	if got := get(fr, "mojito.statuscodecode"); got != "1" {
		t.Errorf("STORE RESPONSE status code %q", got)
	}
	// Not Mojito: the length field disagrees with the datagram.
	bad := append([]byte(nil), seeds[0]...)
	bad[19]++
	if fr = mojitoFrame(t, bad); fr.Has(decode.ProtoMojito) {
		t.Errorf("a wrong payload length passed the heuristic")
	}
}

// TestGnutellaDesegment feeds a descriptor stream to the desegmenter the
// way tcp_dissect_pdus sees it: a header cut short asks for one more
// segment (Info only "[TCP segment of a reassembled PDU]" on the way), a
// descriptor whose length is known completes on the segment that ends it
// (the segments in between are TCP's: the dissector is not called),
// two in one segment are both shown, and text at the start (the handshake)
// is an upload/download stream.
func TestGnutellaDesegment(t *testing.T) {
	ping := gnutellaDesc(decode.GnutellaPing, nil)
	pong := gnutellaDesc(decode.GnutellaPong, []byte{0x1f, 0x90, 10, 0, 0, 1, 5, 0, 0, 0, 9, 0, 0, 0})
	segs := [][]byte{
		[]byte("GNUTELLA CONNECT/0.6\r\n\r\n"),
		ping[:10],
		ping[10:],
		append(append([]byte{}, pong...), ping...),
		pong[:25],
		pong[25:30],
		pong[30:],
	}
	want := []struct{ proto, info string }{
		{"Gnutella", ""},
		{"TCP", "[TCP segment of a reassembled PDU]"},
		{"Gnutella", "Ping"},
		{"Gnutella", "PongPing"},
		{"TCP", "[TCP segment of a reassembled PDU]"},
		{"TCP", ""},
		{"Gnutella", "Pong"},
	}
	dec := decode.NewDecoder(decode.Options{})
	var s decode.AppStream
	for i, seg := range segs {
		fr := new(decode.Frame)
		pkt := appPacket(6, decode.GnutellaPort, seg)
		dec.Decode(fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
		fr.PDUSegment = s.Segment(dec, fr, fr.Payload)
		proto := string(fr.ColumnText(decode.ColProtocol))
		info := string(fr.ColumnText(decode.ColInfo))
		if i == 5 {
			// A known length: TCP gathers the bytes, its Info stays.
			if proto != "TCP" || !strings.HasSuffix(info, "[TCP segment of a reassembled PDU]") || !strings.Contains(info, "Len=5") {
				t.Errorf("segment %d: %s %q", i, proto, info)
			}
			continue
		}
		if proto != want[i].proto || info != want[i].info {
			t.Errorf("segment %d: %s %q, want %s %q", i, proto, info, want[i].proto, want[i].info)
		}
		if i == 6 {
			fl := field.Std().Lookup("gnutella.pong.files")
			if v := fl.Get(fr, nil); len(v) != 1 || v[0].U != 5 {
				t.Errorf("reassembled pong: gnutella.pong.files %v", v)
			}
		}
	}
}

// TestP2PFieldsAllocFree reads every Mojito field of a FIND NODE RESPONSE:
// reading fields allocates nothing.
func TestP2PFieldsAllocFree(t *testing.T) {
	fr := mojitoFrame(t, p2pSeeds()[7])
	fields := p2pFields()
	vals := make([]field.Value, 0, 64)
	n := testing.AllocsPerRun(50, func() {
		for _, fl := range fields {
			vals = fl.Get(fr, vals[:0])
		}
	})
	if n != 0 {
		t.Errorf("reading the Mojito fields allocates %.0f times per frame", n)
	}
}

// btMsg builds a BitTorrent message of type t with payload p.
func btMsg(t uint8, p []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(1+len(p)))
	return append(append(b, t), p...)
}

// TestBitTorrentStream reads a peer wire conversation on a port Wireshark
// does not register (the handshake heuristic names it): messages together
// in a segment, a Piece split over segments, a keep-alive, and bytes that
// are no message (continuation data).
func TestBitTorrentStream(t *testing.T) {
	hs := append([]byte("\x13BitTorrent protocol"), make([]byte, 48)...)
	piece := btMsg(decode.BTPiece, append([]byte{0, 0, 0, 1, 0, 0, 0x40, 0}, make([]byte, 16)...))
	segs := [][]byte{
		append(append([]byte{}, hs...), btMsg(decode.BTInterested, nil)...),
		piece[:10],
		piece[10:],
		append(btMsg(decode.BTHave, []byte{0, 0, 0, 7}), 0, 0, 0, 0),
		{0x16, 3, 1, 0, 5, 1, 2, 3, 4, 5},
	}
	want := []struct{ proto, info string }{
		{"BitTorrent", "Handshake  Interested  "},
		{"TCP", "[TCP segment of a reassembled PDU]"},
		{"BitTorrent", "Piece, Idx:0x1,Begin:0x4000,Len:0x10  "},
		{"BitTorrent", "Have, Piece (Idx:0x7)  KeepAlive  "},
		{"BitTorrent", "Continuation data  "},
	}
	dec := decode.NewDecoder(decode.Options{})
	var s decode.AppStream
	for i, seg := range segs {
		fr := new(decode.Frame)
		pkt := appPacket(6, 51413, seg)
		dec.Decode(fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
		fr.PDUSegment = s.Segment(dec, fr, fr.Payload)
		proto := string(fr.ColumnText(decode.ColProtocol))
		info := string(fr.ColumnText(decode.ColInfo))
		if proto != want[i].proto || info != want[i].info {
			t.Errorf("segment %d: %s %q, want %s %q", i, proto, info, want[i].proto, want[i].info)
		}
		if i == 2 {
			fl := field.Std().Lookup("bittorrent.piece.begin")
			if v := fl.Get(fr, nil); len(v) != 1 || v[0].U != 0x4000 {
				t.Errorf("reassembled piece: bittorrent.piece.begin %v", v)
			}
		}
	}
}
