package decode_test

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/internal/corpus"
)

// TestSkipApp checks that Options.SkipApp leaves exactly the named
// application layers undissected and changes nothing below them.
func TestSkipApp(t *testing.T) {
	dir := corpus.Dir(t)
	files := []string{"chrissanders__dns_tcp.pcapng", "chrissanders__http_espn.pcapng", "chrissanders__dns.pcap", "zeek__tls-chrome-34-google.pcap"}
	app := map[decode.AppSet]decode.Proto{decode.AppDNS: decode.ProtoDNS, decode.AppHTTP: decode.ProtoHTTP, decode.AppTLS: decode.ProtoTLS}
	seen := map[decode.Proto]int{}
	for _, name := range files {
		for _, skip := range []decode.AppSet{decode.AppHTTP | decode.AppTLS, decode.AppDNS | decode.AppHTTP | decode.AppTLS} {
			r, err := capture.Open(filepath.Join(dir, "real", name))
			if err != nil {
				t.Fatal(err)
			}
			full := decode.NewDecoder(decode.Options{ReassembleIP: true})
			some := decode.NewDecoder(decode.Options{ReassembleIP: true, SkipApp: skip})
			var a, b decode.Frame
			for n := uint64(1); ; n++ {
				p, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				a.Number, b.Number = n, n
				full.Decode(&a, p)
				some.Decode(&b, p)
				for s, proto := range app {
					if !a.Has(proto) {
						continue
					}
					seen[proto]++
					if skip&s != 0 && b.Has(proto) {
						t.Errorf("%s frame %d: %v dissected although skipped", name, n, proto)
					}
					if skip&s == 0 && !b.Has(proto) {
						t.Errorf("%s frame %d: %v not dissected although not skipped", name, n, proto)
					}
				}
				if a.TCP.Seq != b.TCP.Seq || a.TCP.Flags != b.TCP.Flags || a.TCP.PayloadLen != b.TCP.PayloadLen || a.UDP.SrcPort != b.UDP.SrcPort || len(a.Anomalies) < len(b.Anomalies) {
					t.Errorf("%s frame %d: skipping application layers changed the transport layer", name, n)
				}
			}
			r.Close()
		}
	}
	if seen[decode.ProtoDNS] == 0 || seen[decode.ProtoHTTP] == 0 || seen[decode.ProtoTLS] == 0 {
		t.Fatalf("corpus files lack DNS, HTTP or TLS frames: %v", seen)
	}
}
