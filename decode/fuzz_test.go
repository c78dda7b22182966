package decode

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
)

// Fuzz targets for the link, network and transport decoders, one per link
// type. Seeds: small committed files in testdata/fuzz/<target>/ and packets
// of that link type from the shared corpus when it is present. Each input is
// decoded as one packet and, split in two, as two packets through the same
// Decoder (to reach fragment reassembly state).

// fuzzCorpus names corpus captures whose packets seed each link type.
var fuzzCorpus = map[capture.LinkType][]string{
	capture.LinkEthernet:  {"chrissanders__http_espn.pcapng", "pcapplusplus__VlanPackets.pcap", "pcapplusplus__ip4_fragments.pcap", "chrissanders__ipv6_fragments.pcapng", "chrissanders__icmp_traceroute.pcapng", "pcapplusplus__one_http_stream_rst.pcap", "tcpdump__802.1ad_QinQ.pcap", "chrissanders__arp_resolution.pcapng"},
	capture.LinkLinuxSLL:  {"pcapplusplus__sll.pcap", "gopacket__linux_sll_oversized_addr.pcapng"},
	capture.LinkLinuxSLL2: {"pcapplusplus__sll2.pcap", "zeek__linux_dlt_sll2.pcap"},
	capture.LinkRaw:       {"pcapplusplus__raw_ip.pcap", "tcpdump__LINKTYPE_RAW_ipv4.pcap"},
	capture.LinkNull:      {"pcapplusplus__null_loopback.pcap"},
}

func fuzzSeeds(f *testing.F, lt capture.LinkType) {
	if os.Getenv("WIREWATCH_CORPUS") == "" {
		if _, err := os.Stat(filepath.Join("..", "..", "shared", "corpus")); err != nil {
			return // committed seeds only
		}
	}
	for _, name := range fuzzCorpus[lt] {
		for i, p := range loadPackets(f, name, 200) {
			if p.LinkType == lt && i%7 == 0 {
				f.Add(p.Data)
			}
		}
	}
}

func fuzzDecode(t *testing.T, lt capture.LinkType, data []byte) {
	d := NewDecoder(Options{ReassembleIP: true, MaxFragSets: 4})
	var f Frame
	check := func(b []byte) {
		f.Number++
		d.Decode(&f, capture.Packet{Info: capture.Info{LinkType: lt, Len: len(b) + 3, CapLen: len(b), TS: int64(f.Number)}, Data: b})
		for _, l := range f.Layers {
			src := f.Data
			if l.Reasm {
				src = f.Reassembled
			}
			if l.Off < 0 || l.Len < 0 || l.Off > len(src) {
				t.Fatalf("layer %v out of bounds: %+v (buffer %d)", l.Proto, l, len(src))
			}
		}
		var out []byte
		out = f.AppendInfo(out)
		out = f.AppendSource(out)
		out = f.AppendDestination(out)
		out = f.AppendProtocolColumn(out)
		_ = append(out, f.Protocols()...)
		// Expert items and their summaries (escaping, option notes).
		for _, e := range f.AppendExpert(nil) {
			if s := ExpertSummary(e); len(s) == 0 && e.Kind != ExComment {
				t.Fatalf("empty expert summary for kind %d", e.Kind)
			}
			_ = f.ExpertProtocol(e)
		}
	}
	check(data)
	h := len(data) / 2
	check(data[:h])
	check(data[h:])
	check(data)
}

func FuzzDecodeEthernet(f *testing.F) {
	fuzzSeeds(f, capture.LinkEthernet)
	for _, b := range hostilePackets(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) { fuzzDecode(t, capture.LinkEthernet, b) })
}

func FuzzDecodeSLL(f *testing.F) {
	fuzzSeeds(f, capture.LinkLinuxSLL)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzDecode(t, capture.LinkLinuxSLL, b) })
}

func FuzzDecodeSLL2(f *testing.F) {
	fuzzSeeds(f, capture.LinkLinuxSLL2)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzDecode(t, capture.LinkLinuxSLL2, b) })
}

func FuzzDecodeRaw(f *testing.F) {
	fuzzSeeds(f, capture.LinkRaw)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzDecode(t, capture.LinkRaw, b) })
}

func FuzzDecodeNull(f *testing.F) {
	fuzzSeeds(f, capture.LinkNull)
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzDecode(t, capture.LinkNull, b)
		fuzzDecode(t, capture.LinkLoop, b)
	})
}

// TestWriteDecodeSeeds rewrites the committed seeds from the corpus
// (WIREWATCH_WRITE_SEEDS=1 go test ./decode -run TestWriteDecodeSeeds).
func TestWriteDecodeSeeds(t *testing.T) {
	if os.Getenv("WIREWATCH_WRITE_SEEDS") != "1" {
		t.Skip("set WIREWATCH_WRITE_SEEDS=1 to rewrite testdata/fuzz/FuzzDecode*")
	}
	targets := map[capture.LinkType]string{capture.LinkEthernet: "FuzzDecodeEthernet", capture.LinkLinuxSLL: "FuzzDecodeSLL",
		capture.LinkLinuxSLL2: "FuzzDecodeSLL2", capture.LinkRaw: "FuzzDecodeRaw", capture.LinkNull: "FuzzDecodeNull"}
	for lt, target := range targets {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, name := range fuzzCorpus[lt] {
			for i, p := range loadPackets(t, name, 60) {
				if p.LinkType != lt || (i%12 != 0 && i >= 3) || len(p.Data) > 300 {
					continue
				}
				body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", p.Data)
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("corpus-%02d", n)), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
				n++
			}
		}
	}
}

// hostilePackets returns every packet of the crafted captures of
// internal/hostile (control characters and invalid UTF-8 in every text
// field, bogus chunk sizes, custom blocks), all Ethernet.
func hostilePackets(tb testing.TB) [][]byte {
	dir := filepath.Join("..", "internal", "hostile", "testdata")
	ents, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var out [][]byte
	for _, e := range ents {
		r, err := capture.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		for {
			p, err := r.Next()
			if err != nil {
				break
			}
			if p.LinkType == capture.LinkEthernet {
				out = append(out, append([]byte(nil), p.Data...))
			}
		}
		r.Close()
	}
	return out
}
