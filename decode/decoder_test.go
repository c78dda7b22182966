package decode

import (
	"encoding/binary"
	"errors"
	"io"
	"net/netip"
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/internal/corpus"
)

// loadPackets reads up to max packets of a corpus capture, copying their data.
func loadPackets(t testing.TB, name string, max int) []capture.Packet {
	t.Helper()
	path := filepath.Join(corpus.Dir(t), "real", name)
	r, err := capture.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer r.Close()
	var out []capture.Packet
	for len(out) < max || max <= 0 {
		p, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var fe *capture.FormatError
		if errors.As(err, &fe) && fe.Resumable {
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p.Data = append([]byte(nil), p.Data...)
		out = append(out, p)
	}
	return out
}

// Packet builders for crafted cases.

func ethHdr(typ uint16) []byte {
	b := []byte{0, 1, 2, 3, 4, 5, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0, 0}
	binary.BigEndian.PutUint16(b[12:], typ)
	return b
}

func ipv4Hdr(proto uint8, payloadLen int, id uint16, flags uint8, fragOff uint16) []byte {
	b := make([]byte, 20)
	b[0] = 0x45
	binary.BigEndian.PutUint16(b[2:], uint16(20+payloadLen))
	binary.BigEndian.PutUint16(b[4:], id)
	binary.BigEndian.PutUint16(b[6:], uint16(flags)<<13|fragOff)
	b[8] = 64
	b[9] = proto
	copy(b[12:], []byte{10, 0, 0, 1})
	copy(b[16:], []byte{10, 0, 0, 2})
	return b
}

func tcpHdr(sport, dport uint16, flags uint16, opts []byte) []byte {
	hl := 20 + len(opts)
	b := make([]byte, hl)
	binary.BigEndian.PutUint16(b, sport)
	binary.BigEndian.PutUint16(b[2:], dport)
	binary.BigEndian.PutUint32(b[4:], 1000)
	binary.BigEndian.PutUint32(b[8:], 2000)
	b[12] = byte(hl/4) << 4
	b[13] = byte(flags)
	binary.BigEndian.PutUint16(b[14:], 512)
	copy(b[20:], opts)
	return b
}

func udpHdr(sport, dport uint16, payloadLen int) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint16(b, sport)
	binary.BigEndian.PutUint16(b[2:], dport)
	binary.BigEndian.PutUint16(b[4:], uint16(8+payloadLen))
	return b
}

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func decodeOne(d *Decoder, lt capture.LinkType, b []byte) *Frame {
	var f Frame
	f.Number = 1
	d.Decode(&f, capture.Packet{Info: capture.Info{LinkType: lt, Len: len(b), CapLen: len(b)}, Data: b})
	return &f
}

func TestEthernetIPv4TCPOptions(t *testing.T) {
	opts := []byte{2, 4, 5, 0xb4, 1, 3, 3, 7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2}
	payload := []byte("hello")
	tcp := tcpHdr(40000, 9999, TCPSyn|TCPAck, opts)
	pkt := cat(ethHdr(EtherTypeIPv4), ipv4Hdr(6, len(tcp)+len(payload), 1, 2, 0), tcp, payload)
	f := decodeOne(NewDecoder(Options{ReassembleIP: true}), capture.LinkEthernet, pkt)
	if !f.Has(ProtoEth) || !f.Has(ProtoIP) || !f.Has(ProtoTCP) {
		t.Fatalf("present %v", f.Present)
	}
	tc := f.TCP
	if tc.SrcPort != 40000 || tc.DstPort != 9999 || tc.PayloadLen != 5 || tc.MSS != 1460 || tc.WScale != 7 || !tc.SACKPerm || tc.TSVal != 1 || tc.TSEcr != 2 {
		t.Errorf("tcp = %+v", tc)
	}
	if string(f.Payload) != "hello" {
		t.Errorf("payload %q", f.Payload)
	}
	if got, want := string(f.AppendInfo(nil)), "40000 → 9999 [SYN, ACK] Seq=1000 Ack=2000 Win=512 Len=5 MSS=1460 WS=128 SACK_PERM TSval=1 TSecr=2"; got != want {
		t.Errorf("info\n got %q\nwant %q", got, want)
	}
	if got := string(f.Protocols()); got != "eth:ethertype:ip:tcp:data" {
		t.Errorf("protocols %q", got)
	}
	l, _ := f.Layer(ProtoTCP)
	if b := f.LayerBytes(l); binary.BigEndian.Uint16(b) != 40000 {
		t.Errorf("tcp layer bytes start %x", b[:2])
	}
}

func TestVLANStackAndQinQ(t *testing.T) {
	tag := func(tpid, id, next uint16) []byte {
		b := make([]byte, 4)
		binary.BigEndian.PutUint16(b, 3<<13|id)
		binary.BigEndian.PutUint16(b[2:], next)
		_ = tpid
		return b
	}
	udp := udpHdr(1, 2, 0)
	pkt := cat(ethHdr(EtherTypeQinQ), tag(EtherTypeQinQ, 200, EtherTypeVLAN), tag(EtherTypeVLAN, 2001, EtherTypeVLAN),
		tag(EtherTypeVLAN, 7, EtherTypeIPv4), ipv4Hdr(17, 8, 0, 0, 0), udp)
	f := decodeOne(NewDecoder(Options{}), capture.LinkEthernet, pkt)
	if len(f.VLANs) != 3 || f.VLANs[0].ID != 200 || f.VLANs[1].ID != 2001 || f.VLANs[2].ID != 7 || f.VLANs[0].Priority != 3 {
		t.Fatalf("vlans %+v", f.VLANs)
	}
	if !f.Has(ProtoIEEE8021AD) || !f.Has(ProtoVLAN) || !f.Has(ProtoUDP) {
		t.Errorf("present %v", f.Present)
	}
	if got := string(f.Protocols()); got != "eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:vlan:ethertype:ip:udp" {
		t.Errorf("protocols %q", got)
	}
	// A deep stack is bounded, not a crash.
	deep := ethHdr(EtherTypeVLAN)
	for i := 0; i < 40; i++ {
		deep = append(deep, tag(EtherTypeVLAN, uint16(i), EtherTypeVLAN)...)
	}
	f = decodeOne(NewDecoder(Options{}), capture.LinkEthernet, deep)
	if len(f.VLANs) != maxVLANDepth || len(f.Anomalies) == 0 {
		t.Errorf("deep stack: %d tags, anomalies %v", len(f.VLANs), f.Anomalies)
	}
}

func TestIPv4FragmentReassembly(t *testing.T) {
	d := NewDecoder(Options{ReassembleIP: true})
	payload := make([]byte, 40)
	for i := range payload {
		payload[i] = byte(i)
	}
	dgram := cat(udpHdr(5353, 5353, len(payload)), payload) // 48 bytes
	first := cat(ethHdr(EtherTypeIPv4), ipv4Hdr(17, 24, 77, 1, 0), dgram[:24])
	second := cat(ethHdr(EtherTypeIPv4), ipv4Hdr(17, 24, 77, 0, 3), dgram[24:])
	// Out of order: the last fragment first.
	f := decodeOne(d, capture.LinkEthernet, second)
	if !f.Fragment || f.Has(ProtoUDP) {
		t.Fatalf("lone last fragment: fragment=%v udp=%v", f.Fragment, f.Has(ProtoUDP))
	}
	if got, want := string(f.AppendInfo(nil)), "Fragmented IP protocol (proto=UDP 17, off=24, ID=004d)"; got != want {
		t.Errorf("info %q, want %q", got, want)
	}
	f = decodeOne(d, capture.LinkEthernet, first)
	if f.Fragment || !f.Has(ProtoUDP) || !f.IP.Reassembled {
		t.Fatalf("completing fragment: fragment=%v udp=%v", f.Fragment, f.Has(ProtoUDP))
	}
	if f.UDP.Length != 48 || len(f.Payload) != 40 || f.Payload[39] != 39 {
		t.Errorf("udp %+v payload %d", f.UDP, len(f.Payload))
	}
	l, _ := f.Layer(ProtoUDP)
	if !l.Reasm || len(f.LayerBytes(l)) != 48 {
		t.Errorf("udp layer %+v", l)
	}
}

func TestFragmentMemoryBounded(t *testing.T) {
	d := NewDecoder(Options{ReassembleIP: true, MaxFragSets: 4})
	for id := 0; id < 100; id++ {
		pkt := cat(ethHdr(EtherTypeIPv4), ipv4Hdr(17, 16, uint16(id), 1, 0), make([]byte, 16))
		decodeOne(d, capture.LinkEthernet, pkt)
	}
	if len(d.frag.sets) > 4 {
		t.Errorf("%d fragment sets kept, bound is 4", len(d.frag.sets))
	}
	// Timeouts by packet time: an old set is dropped, so its tail cannot complete it.
	d = NewDecoder(Options{ReassembleIP: true, FragTimeout: 1e9})
	var f Frame
	p := capture.Packet{Info: capture.Info{LinkType: capture.LinkEthernet, TS: 0}}
	p.Data = cat(ethHdr(EtherTypeIPv4), ipv4Hdr(17, 16, 9, 1, 0), udpHdr(1, 2, 8), make([]byte, 8))
	p.Len, p.CapLen = len(p.Data), len(p.Data)
	d.Decode(&f, p)
	p.TS = 5e9
	p.Data = cat(ethHdr(EtherTypeIPv4), ipv4Hdr(17, 8, 9, 0, 2), make([]byte, 8))
	p.Len, p.CapLen = len(p.Data), len(p.Data)
	d.Decode(&f, p)
	if f.Has(ProtoUDP) {
		t.Errorf("a fragment set older than the timeout was completed")
	}
}

func TestIPv6FragmentAndND(t *testing.T) {
	src := netip.MustParseAddr("fe80::1").As16()
	dst := netip.MustParseAddr("ff02::1").As16()
	ip6 := func(nxt uint8, plen int) []byte {
		b := make([]byte, 40)
		b[0] = 0x60
		binary.BigEndian.PutUint16(b[4:], uint16(plen))
		b[6] = nxt
		b[7] = 255
		copy(b[8:], src[:])
		copy(b[24:], dst[:])
		return b
	}
	target := netip.MustParseAddr("2001:db8::7").As16()
	na := cat([]byte{136, 0, 0, 0, 0x60, 0, 0, 0}, target[:], []byte{2, 1, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff})
	f := decodeOne(NewDecoder(Options{}), capture.LinkEthernet, cat(ethHdr(EtherTypeIPv6), ip6(58, len(na)), na))
	if !f.Has(ProtoICMPv6) || f.ICMP6.NDTarget.String() != "2001:db8::7" || !f.ICMP6.HasLinkAddr {
		t.Fatalf("icmpv6 %+v", f.ICMP6)
	}
	if got, want := string(f.AppendInfo(nil)), "Neighbor Advertisement 2001:db8::7 (sol, ovr) is at aa:bb:cc:dd:ee:ff"; got != want {
		t.Errorf("info %q, want %q", got, want)
	}
	// Two fragments of an echo request.
	echo := cat([]byte{128, 0, 0, 0, 0x12, 0x34, 0, 1}, make([]byte, 16)) // 24 bytes
	frag := func(off uint16, more bool, b []byte) []byte {
		h := []byte{58, 0, 0, 0, 0, 0, 0, 42}
		v := off << 3
		if more {
			v |= 1
		}
		binary.BigEndian.PutUint16(h[2:], v)
		return cat(ethHdr(EtherTypeIPv6), ip6(44, 8+len(b)), h, b)
	}
	d := NewDecoder(Options{ReassembleIP: true})
	f = decodeOne(d, capture.LinkEthernet, frag(0, true, echo[:16]))
	if !f.Fragment || f.Has(ProtoICMPv6) {
		t.Fatalf("first fragment decoded the upper layer")
	}
	f = decodeOne(d, capture.LinkEthernet, frag(2, false, echo[16:]))
	if f.Fragment || !f.Has(ProtoICMPv6) || f.ICMP6.ID != 0x1234 {
		t.Fatalf("reassembled echo: %+v", f.ICMP6)
	}
}

func TestLinkTypes(t *testing.T) {
	ip := cat(ipv4Hdr(17, 8, 0, 0, 0), udpHdr(53, 53, 0))
	cases := []struct {
		name string
		lt   capture.LinkType
		pkt  []byte
		link Proto
	}{
		{"raw", capture.LinkRaw, ip, ProtoRaw},
		{"ipv4", capture.LinkIPv4, ip, ProtoRaw},
		{"null-le", capture.LinkNull, cat([]byte{2, 0, 0, 0}, ip), ProtoNull},
		{"null-be", capture.LinkNull, cat([]byte{0, 0, 0, 2}, ip), ProtoNull},
		{"loop", capture.LinkLoop, cat([]byte{0, 0, 0, 2}, ip), ProtoNull},
		{"sll", capture.LinkLinuxSLL, cat([]byte{0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 8, 0}, ip), ProtoSLL},
		{"sll2", capture.LinkLinuxSLL2, cat([]byte{8, 0, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0}, ip), ProtoSLL},
	}
	for _, c := range cases {
		f := decodeOne(NewDecoder(Options{}), c.lt, c.pkt)
		if !f.Has(c.link) || !f.Has(ProtoIP) || !f.Has(ProtoUDP) {
			t.Errorf("%s: present %v", c.name, f.Present)
		}
	}
	f := decodeOne(NewDecoder(Options{}), 160, []byte{1, 2, 3})
	if !f.Has(ProtoData) || string(f.AppendInfo(nil)) != "Link type 160 (USER13), not decoded" {
		t.Errorf("unknown link type: present %v info %q", f.Present, f.AppendInfo(nil))
	}
}

func TestBrokenHeaders(t *testing.T) {
	// Every prefix of a well-formed packet decodes without panicking and
	// marks what is missing.
	tcp := tcpHdr(1, 80, TCPAck, []byte{1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2})
	pkt := cat(ethHdr(EtherTypeIPv4), ipv4Hdr(6, len(tcp)+4, 0, 0, 0), tcp, []byte("GET "))
	d := NewDecoder(Options{ReassembleIP: true})
	for n := 0; n <= len(pkt); n++ {
		var f Frame
		d.Decode(&f, capture.Packet{Info: capture.Info{LinkType: capture.LinkEthernet, Len: len(pkt), CapLen: n}, Data: pkt[:n]})
		if n < len(pkt)-4 && len(f.Anomalies) == 0 && n != 14+20 {
			t.Errorf("prefix %d: no anomaly", n)
		}
		f.AppendInfo(nil)
		f.Protocols()
	}
	// IHL < 5 is bogus, as in tcpdump's ipv4_invalid_hdr_length capture.
	bad := cat(ethHdr(EtherTypeIPv4), ipv4Hdr(6, 20, 0, 0, 0), make([]byte, 20))
	bad[14] = 0x44
	f := decodeOne(d, capture.LinkEthernet, bad)
	if !f.Has(ProtoIP) || !f.IP.Bogus || f.Has(ProtoTCP) || len(f.Anomalies) == 0 {
		t.Errorf("bogus IHL: present %v, bogus %v", f.Present, f.IP.Bogus)
	}
	if got, want := string(f.AppendInfo(nil)), "Bogus IP header length (16, must be at least 20)"; got != want {
		t.Errorf("bogus IHL info %q, want %q", got, want)
	}
}

// TestDecodeAllocs asserts the decode hot path allocates nothing per packet
// once the Frame's slices have grown, across the link types and protocols.
func TestDecodeAllocs(t *testing.T) {
	var pkts []capture.Packet
	for _, name := range []string{"chrissanders__http_espn.pcapng", "pcapplusplus__sll.pcap", "pcapplusplus__raw_ip.pcap",
		"pcapplusplus__VlanPackets.pcap", "chrissanders__icmpv6_neighbor_solicitation.pcapng", "pcapplusplus__DnsPackets.pcap",
		"pcapplusplus__tls.pcap", "pcapplusplus__null_loopback.pcap", "chrissanders__arp_resolution.pcapng"} {
		pkts = append(pkts, loadPackets(t, name, 300)...)
	}
	d := NewDecoder(Options{ReassembleIP: true})
	var f Frame
	for _, p := range pkts { // grow the frame's slices
		d.Decode(&f, p)
		f.Protocols()
	}
	var info []byte
	allocs := testing.AllocsPerRun(5, func() {
		for _, p := range pkts {
			d.Decode(&f, p)
			info = f.AppendInfo(info[:0])
			info = f.AppendSource(info)
			info = f.AppendProtocolColumn(info)
			f.Protocols()
		}
	})
	if per := allocs / float64(len(pkts)); per != 0 {
		t.Errorf("%.3f allocations per packet on the decode path, want 0", per)
	}
}

// BenchmarkDecode measures decoding real traffic (HTTP, DNS, TCP handshakes).
func BenchmarkDecode(b *testing.B) {
	pkts := loadPackets(b, "chrissanders__http_espn.pcapng", 0)
	var bytes int64
	for _, p := range pkts {
		bytes += int64(len(p.Data))
	}
	d := NewDecoder(Options{ReassembleIP: true})
	var f Frame
	b.ReportAllocs()
	b.SetBytes(bytes / int64(len(pkts)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Number = uint64(i)
		d.Decode(&f, pkts[i%len(pkts)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "packets/s")
}

// BenchmarkDecodeLink measures the link/IP/transport layers alone per link type.
func BenchmarkDecodeLink(b *testing.B) {
	for _, c := range []struct{ name, file string }{
		{"ethernet", "zeek__tcp-reassembly.pcap"}, {"sll", "pcapplusplus__sll.pcap"},
		{"raw", "pcapplusplus__raw_ip.pcap"}, {"vlan", "pcapplusplus__VlanPackets.pcap"},
	} {
		b.Run(c.name, func(b *testing.B) {
			pkts := loadPackets(b, c.file, 0)
			d := NewDecoder(Options{ReassembleIP: true})
			var f Frame
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				d.Decode(&f, pkts[i%len(pkts)])
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "packets/s")
		})
	}
}
