package decode

import (
	"encoding/binary"
	"strings"
	"testing"
)

func decodeDNSBytes(t testing.TB, f *Frame, b []byte, overTCP bool) bool {
	t.Helper()
	f.reset()
	f.Data = b
	return NewDecoder(Options{}).decodeDNS(f, b, overTCP)
}

func TestDNSSeeds(t *testing.T) {
	seeds := seedFiles(t, "FuzzDNS")
	var f Frame
	tests := []struct {
		seed   string
		tcp    bool
		info   string
		qname  string
		nans   int
		rcode  uint8
		malfmd bool
	}{
		{seed: "query_a", info: "Standard query 0x1a2b A www.example.com", qname: "www.example.com"},
		{seed: "tcp_query_a", tcp: true, info: "Standard query 0x1a2b A www.example.com", qname: "www.example.com"},
		{seed: "response_cname_a_aaaa", qname: "www.example.com", nans: 3,
			info: "Standard query response 0xb10b A www.example.com CNAME edge.example.net A 192.0.2.10 AAAA 2001:db8::10"},
		{seed: "nxdomain_soa_edns", qname: "nonexistent.example", nans: 2, rcode: 3,
			info: "Standard query response 0x0003 No such name AAAA nonexistent.example SOA ns1.example OPT"},
		{seed: "response_any_mx_txt_srv_ptr", qname: "example.org", nans: 4,
			info: "Standard query response 0x4242 ANY example.org MX 10 mail.example.org TXT SRV 1 5 5060 sip.example.org PTR host.example.org"},
		{seed: "pointer_loop", qname: "<Name contains a pointer that loops>", info: "Standard query 0x0001 A <Name contains a pointer that loops>"},
		{seed: "huge_counts", malfmd: true, qname: "www", info: "Standard query response 0x0002 A www[Malformed Packet]"},
	}
	for _, tt := range tests {
		t.Run(tt.seed, func(t *testing.T) {
			b, ok := seeds[tt.seed]
			if !ok {
				t.Fatalf("seed %s missing", tt.seed)
			}
			if !decodeDNSBytes(t, &f, b, tt.tcp) {
				t.Fatal("not decoded as DNS")
			}
			m := &f.DNS
			if m.Malformed != tt.malfmd {
				t.Errorf("Malformed = %v, want %v", m.Malformed, tt.malfmd)
			}
			var qname string
			if len(m.Questions) > 0 {
				qname = string(m.Questions[0].Name)
			}
			if qname != tt.qname {
				t.Errorf("qname = %q, want %q", qname, tt.qname)
			}
			if len(m.Answers) != tt.nans || m.Rcode != tt.rcode {
				t.Errorf("answers %d rcode %d, want %d %d", len(m.Answers), m.Rcode, tt.nans, tt.rcode)
			}
			info, _ := appendAppInfo(nil, &f)
			if string(info) != tt.info {
				t.Errorf("Info:\n got %q\nwant %q", info, tt.info)
			}
			if len(f.Layers) != 1 || f.Layers[0].Proto != ProtoDNS || f.Layers[0].Len != len(b) {
				t.Errorf("layers = %+v, want one DNS layer of %d bytes", f.Layers, len(b))
			}
		})
	}
	// EDNS and SOA details.
	decodeDNSBytes(t, &f, seeds["nxdomain_soa_edns"], false)
	if !f.DNS.EDNS || f.DNS.EDNSUDPSize != 1232 || !f.DNS.EDNSDO {
		t.Errorf("EDNS = %v size %d DO %v, want true 1232 true", f.DNS.EDNS, f.DNS.EDNSUDPSize, f.DNS.EDNSDO)
	}
	if soa := f.DNS.Answers[0]; string(soa.Target2) != "hostmaster.example" || soa.Section != 2 {
		t.Errorf("SOA rname %q section %d", soa.Target2, soa.Section)
	}
	if opt := f.DNS.Answers[1]; string(opt.Name) != "<Root>" || opt.Section != 3 {
		t.Errorf("OPT name %q section %d, want <Root> 3", opt.Name, opt.Section)
	}
}

func TestDNSHostile(t *testing.T) {
	hdr := func(qd, an uint16) []byte {
		b := make([]byte, 12)
		binary.BigEndian.PutUint16(b[2:], 0x8180)
		binary.BigEndian.PutUint16(b[4:], qd)
		binary.BigEndian.PutUint16(b[6:], an)
		return b
	}
	long := hdr(1, 0)
	for i := 0; i < 10; i++ {
		long = append(long, 63)
		long = append(long, strings.Repeat("a", 63)...)
	}
	long = append(long, 0, 0, 1, 0, 1)
	tests := []struct {
		name    string
		b       []byte
		tcp     bool
		ok      bool
		qname   string
		malfmed bool
	}{
		{name: "short header", b: hdr(0, 0)[:11]},
		{name: "tcp length past end", b: append([]byte{0, 40}, hdr(0, 0)...), tcp: true},
		{name: "tcp tiny", b: []byte{0}, tcp: true},
		{name: "pointer past end", b: append(hdr(1, 0), 0xc0, 0xff, 0, 1, 0, 1), ok: true, malfmed: true},
		{name: "pointer loop pair", b: append(hdr(1, 0), 0xc0, 14, 0xc0, 12, 0, 1, 0, 1), ok: true, qname: "<Name contains a pointer that loops>"},
		{name: "label past end", b: append(hdr(1, 0), 10, 'a', 'b'), ok: true, malfmed: true},
		{name: "extended label type", b: append(hdr(1, 0), 0x41, 0, 0, 1, 0, 1), ok: true, malfmed: true},
		{name: "name too long", b: long, ok: true, qname: "<Name too long>", malfmed: true},
		{name: "root question", b: append(hdr(1, 0), 0, 0, 2, 0, 1), ok: true, qname: "<Root>"},
		{name: "binary label", b: append(hdr(1, 0), 3, 'a', 0, '.', 0, 0, 1, 0, 1), ok: true, qname: `a\000.`},
		{name: "rdata past end", b: append(append(hdr(1, 1), 1, 'a', 0, 0, 1, 0, 1), 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1), ok: true, qname: "a", malfmed: true},
		{name: "A with bad length", b: append(append(hdr(1, 1), 1, 'a', 0, 0, 1, 0, 1), 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 9), ok: true, qname: "a"},
	}
	var f Frame
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok := decodeDNSBytes(t, &f, tt.b, tt.tcp)
			if ok != tt.ok {
				t.Fatalf("decoded = %v, want %v", ok, tt.ok)
			}
			if !ok {
				if f.Has(ProtoDNS) || len(f.Layers) != 0 {
					t.Error("rejected message left DNS state behind")
				}
				return
			}
			var qname string
			if len(f.DNS.Questions) > 0 {
				qname = string(f.DNS.Questions[0].Name)
			}
			if qname != tt.qname || f.DNS.Malformed != tt.malfmed {
				t.Errorf("qname %q malformed %v, want %q %v", qname, f.DNS.Malformed, tt.qname, tt.malfmed)
			}
			for _, rr := range f.DNS.Answers {
				if rr.Type == DNSTypeA && rr.Addr.IsValid() {
					t.Error("A record with 1-byte data produced an address")
				}
			}
			appendAppInfo(nil, &f) // must not panic
		})
	}
}

// TestDNSAllocs asserts that decoding DNS into a warmed-up Frame allocates nothing.
func TestDNSAllocs(t *testing.T) {
	seeds := seedFiles(t, "FuzzDNS")
	var f Frame
	d := NewDecoder(Options{})
	info := make([]byte, 0, 1024)
	for name, b := range seeds {
		tcp := strings.HasPrefix(name, "tcp_")
		run := func() {
			f.reset()
			f.Data = b
			d.decodeDNS(&f, b, tcp)
			info, _ = appendAppInfo(info[:0], &f)
		}
		run()
		if n := testing.AllocsPerRun(100, run); n != 0 {
			t.Errorf("%s: %v allocations per message, want 0", name, n)
		}
	}
}

func FuzzDNS(f *testing.F) {
	for _, b := range corpusPayloads(f, ProtoDNS, 200) {
		f.Add(b)
	}
	d := NewDecoder(Options{})
	var fr Frame
	var st AppStream
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzStream(t, d, &fr, &st, 53, b)
		for _, tcp := range []bool{false, true} {
			fr.reset()
			fr.Data = b
			if !d.decodeDNS(&fr, b, tcp) {
				continue
			}
			for _, q := range fr.DNS.Questions {
				if len(q.Name) > 4*dnsMaxName {
					t.Fatalf("question name of %d bytes", len(q.Name))
				}
			}
			if len(fr.DNS.Questions)+len(fr.DNS.Answers) > dnsMaxRRs+1 {
				t.Fatalf("%d entries kept", len(fr.DNS.Questions)+len(fr.DNS.Answers))
			}
			appendAppInfo(nil, &fr)
		}
	})
}

func BenchmarkDNS(b *testing.B) {
	seeds := seedFiles(b, "FuzzDNS")
	msg := seeds["response_cname_a_aaaa"]
	d := NewDecoder(Options{})
	var f Frame
	info := make([]byte, 0, 512)
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for i := 0; i < b.N; i++ {
		f.reset()
		f.Data = msg
		d.decodeDNS(&f, msg, false)
		info, _ = appendAppInfo(info[:0], &f)
	}
}
