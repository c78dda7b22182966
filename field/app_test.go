package field_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/internal/testenv"
	"github.com/wirewatch/wirewatch/pipeline"
	"github.com/wirewatch/wirewatch/report"
)

// appFields are the DNS, HTTP and TLS fields compared with tshark, every
// occurrence (-E occurrence=a).
var appFields = []string{
	"dns.id", "dns.flags", "dns.flags.response", "dns.flags.opcode", "dns.flags.rcode",
	"dns.flags.authoritative", "dns.flags.conflict", "dns.flags.tentative", "dns.qry.qu", "dns.resp.cache_flush", "dns.flags.truncated", "dns.flags.recdesired", "dns.flags.recavail",
	"dns.flags.z", "dns.flags.authenticated", "dns.flags.checkdisable",
	"dns.count.queries", "dns.count.answers", "dns.count.auth_rr", "dns.count.add_rr",
	"dns.qry.name", "dns.qry.name.len", "dns.count.labels", "dns.qry.type", "dns.qry.class",
	"dns.resp.name", "dns.resp.type", "dns.resp.class", "dns.resp.ttl", "dns.resp.len",
	"dns.a", "dns.aaaa", "dns.cname", "dns.ns", "dns.ptr.domain_name", "dns.mx.preference",
	"dns.mx.mail_exchange", "dns.txt", "dns.soa.mname", "dns.soa.rname", "dns.soa.serial_number",
	"dns.soa.minimum_ttl", "dns.srv.port", "dns.srv.target", "dns.rr.udp_payload_size",
	"dns.resp.edns0_version", "dns.resp.z.do",
	"http.request", "http.response", "http.request.method", "http.request.uri", "http.request.version",
	"http.response.code", "http.response.phrase", "http.response.version", "http.host",
	"http.user_agent", "http.content_type", "http.content_length_header", "http.content_length",
	"http.transfer_encoding", "http.location", "http.server", "http.referer", "http.connection",
	"http.request.line", "http.response.line", "http.cookie", "http.accept",
	"tls.record.content_type", "tls.record.opaque_type", "tls.record.version", "tls.record.length", "tls.handshake.type",
	"tls.handshake.version", "tls.handshake.ciphersuite", "tls.handshake.extensions_server_name",
	"tls.handshake.extensions_alpn_str", "tls.handshake.extensions.supported_version",
	"tls.alert_message.level", "tls.alert_message.desc",
}

// appCaptures are corpus captures rich in DNS, mDNS, HTTP and TLS.
var appCaptures = []string{
	"chrissanders__dns.pcap", "chrissanders__dns_tcp.pcapng", "chrissanders__dns_query_nonexistent.pcapng",
	"gopacket__test_dns.pcap", "pcapplusplus__DnsPackets.pcap", "zeek__dns-two-responses.pcap",
	"chrissanders__http_espn.pcapng", "chrissanders__http_post.pcapng", "zeek__http-post.pcap",
	"zeek__http-proxy.pcap", "pcapplusplus__three_http_streams.pcap",
	"pcapplusplus__tls.pcap", "zeek__tls-tls1.2.pcap", "zeek__tls-hrr.pcap",
	"zeek__tls-tls-1.2-handshake-failure.pcap", "zeek__tls-chrome-34-google.pcap",
}

// TestAppFieldsMatchTshark compares every occurrence of the DNS, HTTP and
// TLS fields with tshark's on corpus captures, frame by frame, decoding with
// flow's desegmentation as tshark reassembles.
func TestAppFieldsMatchTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: runs tshark on 16 captures (-short)")
	}
	dir := corpus.Dir(t)
	tshark := testenv.Tool(t, "tshark")
	reg := field.Std()
	fields := make([]*field.Field, len(appFields))
	for i, n := range appFields {
		if fields[i] = reg.Lookup(n); fields[i] == nil {
			t.Fatalf("%s: not in the registry", n)
		}
	}
	type count struct{ same, total int }
	counts := make([]count, len(fields))
	for _, name := range appCaptures {
		path := filepath.Join(dir, "real", name)
		args := []string{"-n", "-r", path, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"}
		for _, n := range appFields {
			args = append(args, "-e", n)
		}
		out, err := exec.Command(tshark, args...).Output()
		if err != nil {
			t.Fatalf("tshark %s: %v", name, err)
		}
		lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		var vals []field.Value
		var b []byte
		err = pipeline.RunFile(context.Background(), path, pipeline.Config{}, func(f *decode.Frame) error {
			n := int(f.Number)
			if n > len(lines) {
				t.Fatalf("%s: more frames than tshark shows", name)
			}
			want := strings.Split(lines[n-1], "\t")
			for i, fl := range fields {
				vals = fl.Get(f, vals[:0])
				b = b[:0]
				for j, v := range vals {
					if j > 0 {
						b = append(b, ',')
					}
					b = report.AppendValue(b, fl, v)
				}
				if len(b) == 0 && want[i] == "" {
					continue
				}
				counts[i].total++
				if string(b) == want[i] {
					counts[i].same++
				} else if counts[i].total-counts[i].same <= 2 {
					t.Logf("%s #%d %s:\n got %.200q\nwant %.200q", name, n, fl.Name, b, want[i])
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var sb strings.Builder
	for i, c := range counts {
		pct := 100.0
		if c.total > 0 {
			pct = 100 * float64(c.same) / float64(c.total)
		}
		sb.WriteString(strings.Repeat(" ", 0))
		sb.WriteString(appFields[i])
		sb.WriteString(strings.Repeat(" ", max(1, 44-len(appFields[i]))))
		sb.WriteString(strings.TrimSpace(strings.Join([]string{itoa(c.same), "/", itoa(c.total)}, "")))
		sb.WriteString("\n")
		if min := appFloor(appFields[i]); pct < min {
			t.Errorf("%s: %.1f%% of %d non-empty cells equal to tshark, want at least %.0f%%", appFields[i], pct, c.total, min)
		}
	}
	t.Logf("equal / non-empty cells per field:\n%s", sb.String())
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// appFloor is the share of cells a field must get right. One is lower, for
// a reason known: tshark prints dns.rr.udp_payload_size in hex for mDNS only.
func appFloor(name string) float64 {
	switch name {
	case "dns.rr.udp_payload_size":
		return 25 // the test captures are mostly mDNS
	}
	return 95
}

// appPacket wraps payload in IPv4 and UDP (proto 17) or TCP (6) to port.
func appPacket(proto uint8, port uint16, payload []byte) []byte {
	th := 8
	if proto == 6 {
		th = 20
	}
	total := 20 + th + len(payload)
	b := []byte{0x45, 0, byte(total >> 8), byte(total), 0, 1, 0x40, 0, 64, proto, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2,
		0x9c, 0x40, byte(port >> 8), byte(port)}
	if proto == 6 {
		b = append(b, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0)
	} else {
		b = append(b, byte((8+len(payload))>>8), byte(8+len(payload)), 0, 0)
	}
	return append(b, payload...)
}

// FuzzAppFields decodes arbitrary payloads as DNS, mDNS, LLMNR, HTTP and TLS
// and reads every DNS, HTTP and TLS field: no getter may panic.
func FuzzAppFields(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
	f.Add([]byte{0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 1, 'a', 0, 0, 47, 0, 1, 0xc0, 12, 0, 47, 0, 1, 0, 0, 0, 1, 0, 6, 0xc0, 12, 0, 2, 0x40, 1})
	f.Add([]byte{22, 3, 1, 0, 8, 1, 0, 0, 4, 3, 3, 0, 0})
	var fields []*field.Field
	for _, fl := range field.Std().All() {
		switch fl.Proto {
		case decode.ProtoDNS, decode.ProtoHTTP, decode.ProtoTLS:
			fields = append(fields, fl)
		}
	}
	dec := decode.NewDecoder(decode.Options{})
	var fr decode.Frame
	var vals []field.Value
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, c := range []struct {
			proto uint8
			port  uint16
		}{{17, 53}, {17, 5353}, {17, 5355}, {6, 53}, {6, 80}, {6, 443}} {
			pkt := appPacket(c.proto, c.port, b)
			dec.Decode(&fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
			for _, fl := range fields {
				vals = fl.Get(&fr, vals[:0])
			}
		}
	})
}
