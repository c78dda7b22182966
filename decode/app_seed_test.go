package decode

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"flag"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/internal/testenv"
	"time"
)

// The fuzz seeds in testdata/fuzz/Fuzz{DNS,HTTP,TLS} are messages this file
// produces itself: DNS messages built here, HTTP heads written by net/http,
// and TLS flights recorded from crypto/tls handshakes over an in-memory pipe.
// Regenerate them with
//
//	go test -run TestWriteSeeds -update-seeds ./decode/
var updateSeeds = flag.Bool("update-seeds", false, "rewrite testdata/fuzz seeds for FuzzDNS, FuzzHTTP and FuzzTLS")

func TestWriteSeeds(t *testing.T) {
	if !*updateSeeds {
		t.Skip("run with -update-seeds to regenerate testdata/fuzz")
	}
	write := func(target, name string, b []byte) {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", b)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, b := range dnsSeeds() {
		write("FuzzDNS", name, b)
	}
	for name, b := range httpSeeds(t) {
		write("FuzzHTTP", name, b)
	}
	for name, b := range tlsSeeds(t) {
		write("FuzzTLS", name, b)
	}
}

// dnsBuilder writes DNS messages with name compression.
type dnsBuilder struct {
	b     []byte
	names map[string]int
}

func newDNS(id, flags uint16, qd, an, ns, ar int) *dnsBuilder {
	b := make([]byte, 12)
	binary.BigEndian.PutUint16(b, id)
	binary.BigEndian.PutUint16(b[2:], flags)
	binary.BigEndian.PutUint16(b[4:], uint16(qd))
	binary.BigEndian.PutUint16(b[6:], uint16(an))
	binary.BigEndian.PutUint16(b[8:], uint16(ns))
	binary.BigEndian.PutUint16(b[10:], uint16(ar))
	return &dnsBuilder{b: b, names: map[string]int{}}
}

func (d *dnsBuilder) name(n string) {
	for n != "" {
		if off, ok := d.names[n]; ok {
			d.b = binary.BigEndian.AppendUint16(d.b, 0xc000|uint16(off))
			return
		}
		d.names[n] = len(d.b)
		label, rest, _ := strings.Cut(n, ".")
		d.b = append(d.b, byte(len(label)))
		d.b = append(d.b, label...)
		n = rest
	}
	d.b = append(d.b, 0)
}

func (d *dnsBuilder) question(n string, typ, class uint16) *dnsBuilder {
	d.name(n)
	d.b = binary.BigEndian.AppendUint16(d.b, typ)
	d.b = binary.BigEndian.AppendUint16(d.b, class)
	return d
}

// rr appends a record; rdata writes the data and may use d.name.
func (d *dnsBuilder) rr(n string, typ, class uint16, ttl uint32, rdata func()) *dnsBuilder {
	d.name(n)
	d.b = binary.BigEndian.AppendUint16(d.b, typ)
	d.b = binary.BigEndian.AppendUint16(d.b, class)
	d.b = binary.BigEndian.AppendUint32(d.b, ttl)
	at := len(d.b)
	d.b = append(d.b, 0, 0)
	rdata()
	binary.BigEndian.PutUint16(d.b[at:], uint16(len(d.b)-at-2))
	return d
}

func dnsSeeds() map[string][]byte {
	seeds := map[string][]byte{}
	seeds["query_a"] = newDNS(0x1a2b, 0x0100, 1, 0, 0, 0).question("www.example.com", 1, 1).b
	r := newDNS(0xb10b, 0x8180, 1, 3, 0, 0).question("www.example.com", 1, 1)
	r.rr("www.example.com", 5, 1, 300, func() { r.name("edge.example.net") })
	r.rr("edge.example.net", 1, 1, 60, func() { r.b = append(r.b, 192, 0, 2, 10) })
	r.rr("edge.example.net", 28, 1, 60, func() {
		a := netip.MustParseAddr("2001:db8::10").As16()
		r.b = append(r.b, a[:]...)
	})
	seeds["response_cname_a_aaaa"] = r.b
	n := newDNS(0x0003, 0x8183, 1, 0, 1, 1).question("nonexistent.example", 28, 1)
	n.rr("example", 6, 1, 900, func() {
		n.name("ns1.example")
		n.name("hostmaster.example")
		for _, v := range []uint32{2024010101, 7200, 3600, 1209600, 300} {
			n.b = binary.BigEndian.AppendUint32(n.b, v)
		}
	})
	n.rr("", 41, 1232, 0x00008000, func() {})
	seeds["nxdomain_soa_edns"] = n.b
	m := newDNS(0x4242, 0x8180, 1, 4, 0, 0).question("example.org", 255, 1)
	m.rr("example.org", 15, 1, 3600, func() { m.b = append(m.b, 0, 10); m.name("mail.example.org") })
	m.rr("example.org", 16, 1, 3600, func() { m.b = append(m.b, 5, 'v', '=', 's', 'p', 'f', 3, 'a', 'b', 'c') })
	m.rr("_sip._tcp.example.org", 33, 1, 3600, func() { m.b = append(m.b, 0, 1, 0, 5, 0x13, 0xc4); m.name("sip.example.org") })
	m.rr("10.2.0.192.in-addr.arpa", 12, 1, 3600, func() { m.name("host.example.org") })
	seeds["response_any_mx_txt_srv_ptr"] = m.b
	md := newDNS(0, 0x8400, 0, 1, 0, 0)
	md.rr("printer.local", 1, 0x8001, 120, func() { md.b = append(md.b, 10, 0, 0, 2) })
	seeds["mdns_cache_flush"] = md.b
	// Hostile: a compression pointer to itself, and counts larger than the message.
	seeds["pointer_loop"] = append(newDNS(1, 0x0100, 1, 0, 0, 0).b, 0xc0, 12, 0, 1, 0, 1)
	seeds["huge_counts"] = append(newDNS(2, 0x8180, 0xffff, 0xffff, 0xffff, 0xffff).b, 3, 'w', 'w', 'w', 0, 0, 1, 0, 1)
	// Labels with a control byte, a dot, UTF-8 and a backslash, as tshark prints them.
	esc := newDNS(0x1234, 0x0100, 1, 0, 0, 0)
	esc.b = append(esc.b, 3, 'a', 1, 'b', 3, 'c', '.', 'd', 4, 0xc3, 0xa9, '\\', 'x', 0, 0, 1, 0, 1)
	seeds["label_escapes"] = esc.b
	tcp := seeds["query_a"]
	seeds["tcp_query_a"] = append(binary.BigEndian.AppendUint16(nil, uint16(len(tcp))), tcp...)
	return seeds
}

// httpSeeds returns request and response heads written by net/http.
func httpSeeds(t *testing.T) map[string][]byte {
	seeds := map[string][]byte{}
	req, _ := http.NewRequest("GET", "http://www.example.com/index.html?q=1", nil)
	req.Header.Set("User-Agent", "wirewatch-seed/1.0")
	req.Header.Set("Referer", "http://example.com/<script>alert(1)</script>")
	var b bytes.Buffer
	if err := req.Write(&b); err != nil {
		t.Fatal(err)
	}
	seeds["get"] = bytes.Clone(b.Bytes())
	b.Reset()
	post, _ := http.NewRequest("POST", "http://api.example.com/post", strings.NewReader("a=1&b=2"))
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	post.Write(&b)
	seeds["post"] = bytes.Clone(b.Bytes())
	b.Reset()
	resp := &http.Response{StatusCode: 200, ProtoMajor: 1, ProtoMinor: 1, Header: http.Header{},
		ContentLength: 13, Body: http.NoBody}
	resp.Header.Set("Content-Type", "text/html; charset=utf-8")
	resp.Header.Set("Server", "wirewatch-seed")
	resp.Body = nopCloser{strings.NewReader("<html></html>")}
	resp.Write(&b)
	seeds["response_200"] = bytes.Clone(b.Bytes())
	b.Reset()
	chunked := &http.Response{StatusCode: 302, ProtoMajor: 1, ProtoMinor: 1, Header: http.Header{},
		ContentLength: -1, TransferEncoding: []string{"chunked"}, Body: nopCloser{strings.NewReader("moved")}}
	chunked.Header.Set("Location", "https://www.example.com/")
	chunked.Write(&b)
	seeds["response_302_chunked"] = bytes.Clone(b.Bytes())
	return seeds
}

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }

// recConn records what one side of a connection writes, one entry per Write.
type recConn struct {
	net.Conn
	mu     sync.Mutex
	writes [][]byte
}

func (c *recConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	c.writes = append(c.writes, bytes.Clone(b))
	c.mu.Unlock()
	return c.Conn.Write(b)
}

// tlsFlights runs a handshake between crypto/tls peers over a pipe and
// returns what the client and the server wrote.
func tlsFlights(t *testing.T, serverMax uint16, serverName string) (client, server [][]byte) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "www.example.com"},
		DNSNames: []string{"www.example.com"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	cert, _ := x509.ParseCertificate(der)
	pool.AddCert(cert)
	c1, c2 := net.Pipe()
	cc, sc := &recConn{Conn: c1}, &recConn{Conn: c2}
	srv := tls.Server(sc, &tls.Config{MaxVersion: serverMax, NextProtos: []string{"h2", "http/1.1"},
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}})
	cli := tls.Client(cc, &tls.Config{ServerName: serverName, RootCAs: pool, NextProtos: []string{"h2", "http/1.1"}})
	done := make(chan struct{})
	go func() {
		srv.Handshake()
		buf := make([]byte, 64)
		srv.Read(buf)
		srv.Close()
		close(done)
	}()
	if err := cli.Handshake(); err == nil {
		cli.Write([]byte("GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n"))
	}
	cli.Close()
	<-done
	return cc.writes, sc.writes
}

func tlsSeeds(t *testing.T) map[string][]byte {
	seeds := map[string][]byte{}
	c, s := tlsFlights(t, tls.VersionTLS13, "www.example.com")
	seeds["tls13_client_hello"] = c[0]
	seeds["tls13_server_flight"] = bytes.Join(s, nil)
	if len(c) > 1 {
		seeds["tls13_client_finished"] = c[1]
	}
	c, s = tlsFlights(t, tls.VersionTLS12, "www.example.com")
	seeds["tls12_server_hello_done"] = s[0]
	if len(c) > 1 {
		seeds["tls12_client_key_exchange"] = c[1]
	}
	// A client that rejects the certificate sends a plaintext alert.
	c, _ = tlsFlights(t, tls.VersionTLS12, "other.example.com")
	seeds["tls12_alert_bad_certificate"] = c[len(c)-1]
	return seeds
}

// seedFiles returns the committed seeds of a fuzz target.
func seedFiles(t testing.TB, target string) map[string][]byte {
	t.Helper()
	dir := filepath.Join("testdata", "fuzz", target)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("read seeds: %v (regenerate with -update-seeds)", err)
	}
	out := map[string][]byte{}
	for _, e := range ents {
		raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		b, err := parseSeed(raw)
		if err != nil {
			t.Fatalf("%s/%s: %v", target, e.Name(), err)
		}
		out[e.Name()] = b
	}
	return out
}

// parseSeed reads a one-value "go test fuzz v1" file holding []byte("...").
func parseSeed(raw []byte) ([]byte, error) {
	lines := strings.SplitN(string(raw), "\n", 3)
	if len(lines) < 2 || lines[0] != "go test fuzz v1" {
		return nil, fmt.Errorf("not a go fuzz seed")
	}
	v := strings.TrimSpace(lines[1])
	if !strings.HasPrefix(v, "[]byte(") || !strings.HasSuffix(v, ")") {
		return nil, fmt.Errorf("seed is not a []byte value")
	}
	s, err := strconv.Unquote(v[len("[]byte(") : len(v)-1])
	return []byte(s), err
}

// TestSeedsAgainstTshark wraps every seed in IPv4 and UDP or TCP, writes a
// raw-IP pcap, and compares this package's Info text and main fields with
// tshark's for the same packets.
func TestSeedsAgainstTshark(t *testing.T) {
	tshark := testenv.Tool(t, "tshark")
	type pkt struct {
		name  string
		proto uint8
		sport uint16
		dport uint16
		data  []byte
	}
	var pkts []pkt
	add := func(target string, proto uint8, port uint16) {
		seeds := seedFiles(t, target)
		names := make([]string, 0, len(seeds))
		for n := range seeds {
			names = append(names, n)
		}
		sort.Strings(names)
		for i, n := range names {
			p, dport := proto, port
			if strings.HasPrefix(n, "tcp_") {
				p = 6
			}
			pkts = append(pkts, pkt{target + "/" + n, p, uint16(40000 + len(pkts)*10 + i), dport, seeds[n]})
		}
	}
	add("FuzzDNS", 17, 53)
	add("FuzzHTTP", 6, 80)
	add("FuzzTLS", 6, 443)
	path := filepath.Join(t.TempDir(), "seeds.pcap")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := capture.NewPcapWriter(fh, capture.LinkRaw, 65535, false)
	if err != nil {
		t.Fatal(err)
	}
	frames := make([][]byte, len(pkts))
	for i, p := range pkts {
		b := seedPacket(p.proto, p.sport, p.dport, p.data)
		frames[i] = b
		if err := w.WritePacket(capture.Info{TS: int64(i+1) * 1e9, CapLen: len(b), Len: len(b), LinkType: capture.LinkRaw}, b); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	fields := []string{"_ws.col.Info", "dns.qry.name", "dns.flags.rcode", "http.host", "http.response.code", "tls.handshake.extensions_server_name"}
	args := []string{"-n", "-r", path, "-T", "fields", "-E", "occurrence=f"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) != len(pkts) {
		t.Fatalf("tshark printed %d lines for %d packets", len(lines), len(pkts))
	}
	d := NewDecoder(Options{ReassembleIP: true})
	var f Frame
	for i, p := range pkts {
		f.Number = uint64(i + 1)
		d.Decode(&f, capture.Packet{Info: capture.Info{CapLen: len(frames[i]), Len: len(frames[i]), LinkType: capture.LinkRaw}, Data: frames[i]})
		info, _ := appendAppInfo(nil, &f)
		got := []string{string(info), "", "", "", "", ""}
		if f.Has(ProtoDNS) {
			if len(f.DNS.Questions) > 0 {
				got[1] = string(f.DNS.Questions[0].Name)
			}
			if f.DNS.Response {
				got[2] = strconv.Itoa(int(f.DNS.Rcode))
			}
		}
		if f.Has(ProtoHTTP) {
			got[3] = string(f.HTTP.Host)
			if f.HTTP.Response {
				got[4] = strconv.Itoa(int(f.HTTP.StatusCode))
			}
		}
		if f.Has(ProtoTLS) {
			got[5] = string(f.TLS.SNI)
		}
		want := strings.Split(lines[i], "\t")
		for j := range fields {
			if j < len(want) && got[j] != want[j] {
				t.Errorf("%s %s:\n got %q\nwant %q", p.name, fields[j], got[j], want[j])
			}
		}
	}
}

// seedPacket wraps payload in an IPv4 header and a UDP (17) or TCP (6) header.
func seedPacket(proto uint8, sport, dport uint16, payload []byte) []byte {
	th := 8
	if proto == 6 {
		th = 20
	}
	total := 20 + th + len(payload)
	b := make([]byte, 0, total)
	b = append(b, 0x45, 0, byte(total>>8), byte(total), 0, 1, 0x40, 0, 64, proto, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2)
	var sum uint32
	for i := 0; i < 20; i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	binary.BigEndian.PutUint16(b[10:], ^uint16(sum))
	b = binary.BigEndian.AppendUint16(b, sport)
	b = binary.BigEndian.AppendUint16(b, dport)
	if proto == 6 {
		b = append(b, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0)
	} else {
		b = binary.BigEndian.AppendUint16(b, uint16(8+len(payload)))
		b = append(b, 0, 0)
	}
	return append(b, payload...)
}
