package field_test

import (
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

// tcpWithOptions is an IPv4/TCP segment (192.0.2.1:40000 -> 192.0.2.2:80,
// ACK) whose header carries opts (padded to 4 bytes with EOLs).
func tcpWithOptions(opts []byte) []byte {
	for len(opts)%4 != 0 {
		opts = append(opts, 0)
	}
	if len(opts) > 40 {
		opts = opts[:40]
	}
	hl := 20 + len(opts)
	total := 20 + hl
	b := []byte{0x45, 0, byte(total >> 8), byte(total), 0, 1, 0x40, 0, 64, 6, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2,
		0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 1, byte(hl/4) << 4, 0x10, 0xff, 0xff, 0, 0, 0, 0}
	return append(b, opts...)
}

// mptcpSeeds are MPTCP options of each subtype (RFC 8684 layouts).
func mptcpSeeds() [][]byte {
	return [][]byte{
		{30, 4, 0x01, 0x81}, // MP_CAPABLE v1 SYN, checksum required, HMAC-SHA256
		{30, 20, 0x01, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, // MP_CAPABLE ACK: both keys
		{30, 12, 0x11, 0x05, 0, 0, 0, 9, 0, 0, 0, 7},                                // MP_JOIN SYN: backup, address 5
		{30, 20, 0x20, 0x0f, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0},        // DSS: 8-byte ack and DSN, no room for the rest
		{30, 20, 0x20, 0x05, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 16, 0xab, 0xcd}, // DSS: 4-byte ack, 4-byte DSN, SSN, length, checksum
		{30, 18, 0x30, 0x01, 10, 0, 2, 1, 0x1f, 0x90, 1, 2, 3, 4, 5, 6, 7, 8},       // ADD_ADDR IPv4 + port + HMAC
		{30, 5, 0x40, 1, 2},       // REMOVE_ADDR 1, 2
		{30, 4, 0x81, 0x01},       // MP_TCPRST T, reason 1
		{1, 1, 1, 1, 30, 3, 0x50}, // four NOPs, then MP_PRIO
	}
}

// TestMPTCPOptions decodes a segment with an MPTCP option of each layout:
// Protocol is MPTCP, frame.protocols has one "mptcp" per option, and the
// tcp.options.mptcp fields read RFC 8684's layouts as Wireshark does.
func TestMPTCPOptions(t *testing.T) {
	dec := decode.NewDecoder(decode.Options{})
	var fr decode.Frame
	get := func(name string) []field.Value { return field.Std().Lookup(name).Get(&fr, nil) }
	run := func(opts []byte) {
		pkt := tcpWithOptions(opts)
		dec.Decode(&fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
	}
	s := mptcpSeeds()
	run(append(append([]byte(nil), s[0]...), s[6]...))
	if got := string(fr.ColumnText(decode.ColProtocol)); got != "MPTCP" {
		t.Errorf("Protocol %q", got)
	}
	if got := string(fr.Protocols()); got != "raw:ip:tcp:mptcp:mptcp" {
		t.Errorf("frame.protocols %q", got)
	}
	if v := get("tcp.options.mptcp.subtype"); len(v) != 2 || v[0].U != 0 || v[1].U != 4 {
		t.Errorf("subtype %v", v)
	}
	if v := get("tcp.options.mptcp.checksumreq.flags"); len(v) != 1 || v[0].U != 1 {
		t.Errorf("checksumreq %v", v)
	}
	if v := get("tcp.options.mptcp.addrid"); len(v) != 2 || v[0].U != 1 || v[1].U != 2 {
		t.Errorf("REMOVE_ADDR addrid %v", v)
	}
	run(s[4])
	for name, want := range map[string]uint64{"tcp.options.mptcp.rawdataack": 256, "tcp.options.mptcp.rawdataseqno": 512,
		"tcp.options.mptcp.subflowseqno": 1, "tcp.options.mptcp.datalvllen": 16, "tcp.options.mptcp.flags": 5} {
		if v := get(name); len(v) != 1 || v[0].U != want {
			t.Errorf("DSS %s = %v, want %d", name, v, want)
		}
	}
	run(s[5])
	if v := get("tcp.options.mptcp.ipv4"); len(v) != 1 || v[0].A.String() != "10.0.2.1" {
		t.Errorf("ADD_ADDR ipv4 %v", v)
	}
	if v := get("tcp.options.mptcp.port"); len(v) != 1 || v[0].U != 8080 {
		t.Errorf("ADD_ADDR port %v", v)
	}
	run(s[8])
	if !fr.TCP.NOP4 {
		t.Errorf("four NOPs at offsets 20-23: no \"4 NOP in a row\"")
	}
	run([]byte{2, 4, 5, 0xb4, 4, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3, 3, 7}) // NOPs from offset 26: none four in a uint32
	if fr.TCP.NOP4 {
		t.Errorf("NOPs 26-36 (restarted at each 4-aligned offset) drew \"4 NOP in a row\"")
	}
}

// FuzzMPTCPOptions decodes arbitrary TCP option bytes and reads every
// tcp.options field and the expert items: no getter may panic.
func FuzzMPTCPOptions(f *testing.F) {
	for _, s := range mptcpSeeds() {
		f.Add(s)
	}
	var fields []*field.Field
	for _, fl := range field.Std().All() {
		if strings.HasPrefix(fl.Name, "tcp.options") || fl.Proto == decode.ProtoMPTCP {
			fields = append(fields, fl)
		}
	}
	dec := decode.NewDecoder(decode.Options{})
	var fr decode.Frame
	var vals []field.Value
	var buf [16]decode.Expert
	f.Fuzz(func(t *testing.T, opts []byte) {
		pkt := tcpWithOptions(append([]byte(nil), opts...))
		dec.Decode(&fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
		for _, fl := range fields {
			vals = fl.Get(&fr, vals[:0])
		}
		fr.AppendExpert(buf[:0])
		fr.ColumnText(decode.ColInfo)
		fr.ColumnText(decode.ColProtocol)
	})
}
