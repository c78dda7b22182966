package decode

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/internal/corpus"
)

// appColumns are the oracle columns this file's decoders produce, with how to
// read them from a decoded frame ("" when the field is absent).
var appColumns = []struct {
	name string
	get  func(f *Frame) string
}{
	{"dns.qry.name", func(f *Frame) string {
		if !f.Has(ProtoDNS) || len(f.DNS.Questions) == 0 {
			return ""
		}
		return string(f.DNS.Questions[0].Name)
	}},
	{"dns.flags.response", func(f *Frame) string {
		if !f.Has(ProtoDNS) {
			return ""
		}
		if f.DNS.Response {
			return "1"
		}
		return "0"
	}},
	{"dns.flags.rcode", func(f *Frame) string {
		if !f.Has(ProtoDNS) || !f.DNS.Response {
			return ""
		}
		return strconv.Itoa(int(f.DNS.Rcode))
	}},
	{"http.request.method", func(f *Frame) string {
		if !f.Has(ProtoHTTP) || !f.HTTP.Request {
			return ""
		}
		return string(f.HTTP.Method)
	}},
	{"http.request.uri", func(f *Frame) string {
		if !f.Has(ProtoHTTP) || !f.HTTP.Request {
			return ""
		}
		return string(f.HTTP.URI)
	}},
	{"http.host", func(f *Frame) string {
		if !f.Has(ProtoHTTP) {
			return ""
		}
		return string(f.HTTP.Host)
	}},
	{"http.response.code", func(f *Frame) string {
		if !f.Has(ProtoHTTP) || !f.HTTP.Response {
			return ""
		}
		return strconv.Itoa(int(f.HTTP.StatusCode))
	}},
	{"tls.handshake.extensions_server_name", func(f *Frame) string {
		if !f.Has(ProtoTLS) {
			return ""
		}
		return string(f.TLS.SNI)
	}},
}

type agreement struct{ same, total int }

func (a agreement) pct() float64 {
	if a.total == 0 {
		return 100
	}
	return 100 * float64(a.same) / float64(a.total)
}

// oracleRows reads an oracle frames.tsv into a header index and rows.
func oracleRows(t *testing.T, path string) (map[string]int, [][]string) {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatalf("open oracle: %v", err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var cols map[string]int
	var rows [][]string
	for sc.Scan() {
		rec := strings.Split(sc.Text(), "\t")
		if cols == nil {
			cols = map[string]int{}
			for i, c := range rec {
				cols[c] = i
			}
			continue
		}
		rows = append(rows, rec)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read oracle %s: %v", path, err)
	}
	return cols, rows
}

// forEachFrame decodes every packet of a capture and calls fn with each frame.
func forEachFrame(t testing.TB, path string, fn func(d *Decoder, f *Frame)) {
	t.Helper()
	r, err := capture.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer r.Close()
	d := NewDecoder(Options{ReassembleIP: true})
	var f Frame
	for n := uint64(1); ; n++ {
		p, err := r.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		var fe *capture.FormatError
		if errors.As(err, &fe) && fe.Resumable {
			n--
			continue
		}
		if err != nil {
			return
		}
		f.Number = n
		d.Decode(&f, p)
		fn(d, &f)
	}
}

// isAppRow reports whether tshark's Protocol column names one of this file's protocols.
func isAppRow(proto string) bool {
	switch {
	case proto == "DNS", proto == "MDNS", proto == "LLMNR", proto == "SSL",
		strings.HasPrefix(proto, "HTTP"), strings.HasPrefix(proto, "TLS"):
		return true
	}
	return false
}

// tlsInfoSkip lists captures whose TLS Info text tshark derives from more
// than the TLS bytes: it is left out of the TLS Info comparison.
var tlsInfoSkip = map[string]string{
	"gopacket__pcapgo-le-test301.pcapng": "tshark decrypts it with the keys in the file's Decryption Secrets Block",
}

// TestOracleAgreement compares the DNS, HTTP and TLS fields and Info text of
// every frame with tshark's (corpus/oracle/*.frames.tsv). Frames whose HTTP or
// TLS message tshark shows only after TCP reassembly differ here: this test
// decodes segment by segment, without package flow.
func TestOracleAgreement(t *testing.T) {
	t.Run("segments", func(t *testing.T) { oracleAgreement(t, false) })
	t.Run("reassembled", func(t *testing.T) { oracleAgreement(t, true) })
}

// tcpDir is the test's stand-in for package flow: in-order bytes of one
// direction of a TCP connection fed to an AppStream.
type tcpDir struct {
	init bool
	next uint32
	st   AppStream
}

type dirKey struct{ src, dst netip.AddrPort }

// feedStreams gives f's TCP payload to its direction's AppStream, skipping
// retransmitted bytes and restarting after a gap.
func feedStreams(dirs map[dirKey]*tcpDir, d *Decoder, f *Frame) {
	if !f.Has(ProtoTCP) {
		return
	}
	var src, dst netip.Addr
	switch {
	case f.Has(ProtoIP):
		src, dst = f.IP.Src, f.IP.Dst
	case f.Has(ProtoIPv6):
		src, dst = f.IPv6.Src, f.IPv6.Dst
	default:
		return
	}
	k := dirKey{netip.AddrPortFrom(src, f.TCP.SrcPort), netip.AddrPortFrom(dst, f.TCP.DstPort)}
	s := dirs[k]
	if s == nil {
		s = &tcpDir{}
		dirs[k] = s
		if r := dirs[dirKey{k.dst, k.src}]; r != nil {
			s.st.Pair(&r.st)
		}
	}
	seq := f.TCP.Seq
	if f.TCP.Flags&TCPSyn != 0 {
		s.init, s.next = true, seq+1
		s.st.Reset()
		return
	}
	p := f.Payload
	if !s.init {
		s.init, s.next = true, seq
	}
	if f.CapLen < f.Len && len(p) < f.TCP.PayloadLen {
		// Cut short by the snapshot length: the message cannot be rebuilt.
		s.st.Reset()
		s.next = seq + uint32(f.TCP.PayloadLen)
		return
	}
	if len(p) > 0 {
		switch diff := int32(seq - s.next); {
		case diff < 0: // retransmission or overlap
			if int(-diff) >= len(p) {
				p = nil
			} else {
				p = p[-diff:]
			}
		case diff > 0: // bytes missing
			s.st.Reset()
		}
		if len(p) > 0 {
			s.st.Segment(d, f, p)
			s.next = seq + uint32(len(f.Payload))
		}
	}
	if f.TCP.Flags&(TCPFin|TCPRst) != 0 {
		s.st.Close(d, f)
	}
}

func oracleAgreement(t *testing.T, reassemble bool) {
	dir := corpus.Dir(t)
	agree := map[string]*agreement{}
	for _, c := range appColumns {
		agree[c.name] = &agreement{}
	}
	infoAgree := map[string]*agreement{"DNS": {}, "HTTP": {}, "TLS": {}}
	verbose := os.Getenv("WIREWATCH_APP_DIFF") != ""
	var info []byte
	for _, name := range corpus.OracleOK(t, dir) {
		if strings.Contains(name, "echo-connections") && testing.Short() {
			continue
		}
		cols, rows := oracleRows(t, filepath.Join(dir, "oracle", name+".frames.tsv"))
		i := 0
		dirs := map[dirKey]*tcpDir{}
		forEachFrame(t, filepath.Join(dir, "real", name), func(d *Decoder, f *Frame) {
			if i >= len(rows) {
				return
			}
			if reassemble {
				feedStreams(dirs, d, f)
			}
			row := rows[i]
			i++
			for _, c := range appColumns {
				want := row[cols[c.name]]
				got := c.get(f)
				if want == "" && got == "" {
					continue
				}
				a := agree[c.name]
				a.total++
				if got == want {
					a.same++
				} else if verbose {
					t.Logf("%s #%d %s: got %q want %q", name, f.Number, c.name, got, want)
				}
			}
			proto := row[cols["_ws.col.Protocol"]]
			if !isAppRow(proto) {
				return
			}
			key := "DNS"
			switch {
			case strings.HasPrefix(proto, "HTTP"):
				key = "HTTP"
			case strings.HasPrefix(proto, "TLS"), proto == "SSL":
				key = "TLS"
			}
			if why := tlsInfoSkip[name]; key == "TLS" && why != "" {
				return
			}
			info, _ = appendAppInfo(info[:0], f)
			want := row[cols["_ws.col.Info"]]
			a := infoAgree[key]
			a.total++
			if string(info) == want {
				a.same++
			} else if verbose {
				t.Logf("%s #%d Info: got %q want %q", name, f.Number, info, want)
			}
		})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-40s %8s %8s %8s\n", "field", "equal", "cells", "percent")
	names := make([]string, 0, len(agree))
	for n := range agree {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := agree[n]
		fmt.Fprintf(&b, "%-40s %8d %8d %7.2f%%\n", n, a.same, a.total, a.pct())
	}
	for _, n := range []string{"DNS", "HTTP", "TLS"} {
		a := infoAgree[n]
		fmt.Fprintf(&b, "%-40s %8d %8d %7.2f%%\n", "_ws.col.Info ("+n+" rows)", a.same, a.total, a.pct())
	}
	// The floors below hold with the corpus as it is; HTTP responses and
	// TLS records that span segments need the reassembly.
	floors := map[string]float64{"dns.qry.name": 99, "dns.flags.response": 99, "dns.flags.rcode": 99,
		"http.request.method": 98, "http.request.uri": 98, "http.host": 98, "tls.handshake.extensions_server_name": 99}
	infoFloors := map[string]float64{"DNS": 99}
	if reassemble {
		floors["http.response.code"] = 99
		floors["http.request.method"], floors["http.request.uri"], floors["http.host"] = 99, 99, 99
		infoFloors["HTTP"], infoFloors["TLS"] = 99, 90
	}
	for n, min := range floors {
		if a := agree[n]; a.pct() < min {
			t.Errorf("%s: %.2f%% equal to tshark, want at least %.0f%%", n, a.pct(), min)
		}
	}
	for n, min := range infoFloors {
		if a := infoAgree[n]; a.pct() < min {
			t.Errorf("Info of %s rows: %.2f%% equal to tshark, want at least %.0f%%", n, a.pct(), min)
		}
	}
	how := "segment by segment"
	if reassemble {
		how = "with AppStream reassembly"
	}
	t.Logf("agreement with tshark, %s:\n%s", how, b.String())
}

// corpusPayloads returns up to max distinct application messages of protocol
// p found in the corpus captures (the bytes of p's layer), for fuzz seeds and
// benchmarks.
func corpusPayloads(t testing.TB, p Proto, max int) [][]byte {
	t.Helper()
	dir := corpus.Dir(t)
	seen := map[string]bool{}
	var out [][]byte
	for _, name := range corpus.OracleOK(t, dir) {
		if len(out) >= max {
			break
		}
		forEachFrame(t, filepath.Join(dir, "real", name), func(_ *Decoder, f *Frame) {
			if len(out) >= max || !f.Has(p) {
				return
			}
			for _, l := range f.Layers {
				if l.Proto != p || l.Reasm || l.Off+l.Len > len(f.Data) {
					continue
				}
				b := f.Data[l.Off : l.Off+l.Len]
				if !seen[string(b)] {
					seen[string(b)] = true
					out = append(out, append([]byte(nil), b...))
				}
			}
		})
	}
	return out
}

// streamFrame returns a frame for a TCP segment carrying p between ports 80
// or 443 and 40000, as Decode would leave it before the app decoders ran.
func streamFrame(f *Frame, d *Decoder, sport, dport uint16, p []byte) {
	f.reset()
	f.Data = p
	f.Present.Add(ProtoTCP)
	f.Present.Add(ProtoIP)
	f.TCP.SrcPort, f.TCP.DstPort = sport, dport
	f.Payload = p
	d.tcpApp(f, p, 0, false)
}

// TestAppStream splits messages over segments and checks that each shows on
// the segment that completes it, and only there.
func TestAppStream(t *testing.T) {
	d := NewDecoder(Options{})
	resp := []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n" +
		"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n")
	get := []byte("GET /next HTTP/1.1\r\nHost: example.com\r\n\r\n")
	tls12 := []byte{23, 3, 3, 0, 40}
	tls12 = append(tls12, make([]byte, 40)...)
	tests := []struct {
		name   string
		sport  uint16
		stream []byte
		cuts   []int
		want   []string // Info per segment; "" for a partial segment
	}{
		{"chunked response in 4 pieces", 80, resp, []int{10, 80, 95},
			[]string{"", "", "", "HTTP/1.1 200 OK  (text/html)"}},
		{"response then a request in the last piece", 80, append(append([]byte(nil), resp...), get[:10]...), []int{50},
			[]string{"", "HTTP/1.1 200 OK  (text/html)"}},
		{"content-length body", 80, []byte("HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\nContent-Type: text/plain\r\n\r\n0123456789"), []int{30, 75},
			[]string{"", "", "HTTP/1.1 404 Not Found  (text/plain)"}},
		{"304 ends at its head", 80, []byte("HTTP/1.1 304 Not Modified\r\nContent-Length: 500\r\n\r\n"), []int{20},
			[]string{"", "HTTP/1.1 304 Not Modified "}},
		{"TLS application data counted", 443, append(append([]byte(nil), tls12...), tls12...), []int{10, 30, 60},
			[]string{"", "", "Application Data", "Application Data"}},
		{"TLS record header cut between segments", 443, append(append(append([]byte(nil), tls12...), tls12...), tls12...), []int{47, 65},
			[]string{"Application Data", "", "Application Data, Application Data"}},
		{"TLS record header cut after one byte", 443, append(append([]byte(nil), tls12...), tls12...), []int{46, 48},
			[]string{"Application Data", "", "Application Data"}},
		{"DNS over TCP", 53, seedFiles(t, "FuzzDNS")["tcp_query_a"], []int{1, 14},
			[]string{"", "", "Standard query 0x1a2b A www.example.com"}},
	}
	var f Frame
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var st AppStream
			prev := 0
			cuts := append(tt.cuts, len(tt.stream))
			for i, c := range cuts {
				seg := append([]byte(nil), tt.stream[prev:c]...)
				prev = c
				streamFrame(&f, d, tt.sport, 40000, seg)
				partial := st.Segment(d, &f, seg)
				info, ok := appendAppInfo(nil, &f)
				if !ok {
					info = nil
				}
				if string(info) != tt.want[i] {
					t.Errorf("segment %d: Info %q, want %q", i, info, tt.want[i])
				}
				if partial != (tt.want[i] == "") {
					t.Errorf("segment %d: partial = %v", i, partial)
				}
			}
		})
	}
}

// TestAppStreamAllocs checks that a warmed-up AppStream allocates nothing
// while messages keep spanning segments.
func TestAppStreamAllocs(t *testing.T) {
	d := NewDecoder(Options{})
	resp := []byte("HTTP/1.1 200 OK\r\nContent-Length: 3000\r\nContent-Type: image/png\r\n\r\n")
	resp = append(resp, make([]byte, 3000)...)
	rec := append([]byte{23, 3, 3, 0x40, 0}, make([]byte, 0x4000)...)
	var f Frame
	for _, tc := range []struct {
		port   uint16
		stream []byte
	}{{80, resp}, {443, rec}} {
		var st AppStream
		run := func() {
			for off := 0; off < len(tc.stream); off += 1400 {
				end := min(off+1400, len(tc.stream))
				seg := tc.stream[off:end]
				streamFrame(&f, d, tc.port, 40000, seg)
				st.Segment(d, &f, seg)
			}
		}
		run()
		if n := testing.AllocsPerRun(50, run); n != 0 {
			t.Errorf("port %d: %v allocations per message, want 0", tc.port, n)
		}
	}
}

// fuzzStream feeds b to an AppStream in three segments on port, checking
// that nothing panics and the buffers stay bounded.
func fuzzStream(t *testing.T, d *Decoder, f *Frame, st *AppStream, port uint16, b []byte) {
	st.Reset()
	cuts := [4]int{0, len(b) / 3, 2 * len(b) / 3, len(b)}
	for i := 0; i < 3; i++ {
		seg := b[cuts[i]:cuts[i+1]]
		streamFrame(f, d, port, 40000, seg)
		st.Segment(d, f, seg)
		appendAppInfo(nil, f)
		if len(st.bufs[0]) > appStreamMax+len(seg) || len(st.bufs[1]) > appStreamMax+len(seg) {
			t.Fatalf("AppStream holds %d+%d bytes", len(st.bufs[0]), len(st.bufs[1]))
		}
	}
	st.Close(d, f)
}

// TestAppStreamHEAD checks that a response to HEAD ends at its head even
// with a Content-Length, so the next response shows on its own segment.
func TestAppStreamHEAD(t *testing.T) {
	d := NewDecoder(Options{})
	var cli, srv AppStream
	cli.Pair(&srv)
	var f Frame
	send := func(st *AppStream, sport, dport uint16, b string) string {
		seg := []byte(b)
		streamFrame(&f, d, sport, dport, seg)
		st.Segment(d, &f, seg)
		info, _ := appendAppInfo(nil, &f)
		return string(info)
	}
	send(&cli, 40000, 80, "HEAD /big HTTP/1.1\r\nHost: a\r\n\r\nGET /small HTTP/1.1\r\nHost: a\r\n\r\n")
	if got := send(&srv, 80, 40000, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"); got != "HTTP/1.1 200 OK " {
		t.Errorf("HEAD response Info %q", got)
	}
	if got := send(&srv, 80, 40000, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"); got != "HTTP/1.1 200 OK  (text/plain)" {
		t.Errorf("GET response after a HEAD response: Info %q", got)
	}
}
