package field_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/internal/testenv"
	"github.com/wirewatch/wirewatch/internal/tshark"
	"github.com/wirewatch/wirewatch/pipeline"
	"github.com/wirewatch/wirewatch/report"
)

// Differential tests of the dissectors of decode/dissect.go against tshark,
// run live on the captures of ../shared/corpus/wide whose MANIFEST.tsv lists
// the protocol (tshark's own frame.protocols names). Every frame where
// either tshark or wirewatch shows the protocol is compared: frame.protocols,
// the Protocol and Info columns and every registered field of the protocol.

// dissectColumns are compared for every protocol besides its fields.
var dissectColumns = []string{"frame.protocols", "_ws.col.Protocol", "_ws.col.Info"}

// wideCaptures returns the wide-corpus captures whose MANIFEST.tsv protocol
// list names proto.
func wideCaptures(t *testing.T, proto string) []string {
	t.Helper()
	dir := filepath.Join(corpus.Dir(t), "wide")
	b, err := os.ReadFile(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatalf("wide corpus manifest: %v", err)
	}
	var out []string
	lines := strings.Split(string(b), "\n")
	col := -1
	for i, l := range lines {
		c := strings.Split(l, "\t")
		if i == 0 {
			for j, h := range c {
				if h == "protocols" {
					col = j
				}
			}
			if col < 0 {
				t.Fatalf("wide corpus manifest has no protocols column")
			}
			continue
		}
		if len(c) <= col {
			continue
		}
		for _, p := range strings.Split(c[col], ",") {
			if p == proto {
				out = append(out, filepath.Join(dir, c[0]))
				break
			}
		}
	}
	return out
}

// protoFieldNames lists the registered fields of protocol p, the protocol
// field first.
func protoFieldNames(p decode.Proto) []string {
	var out []string
	for _, fl := range field.Std().All() {
		if fl.Proto == p && fl.Name != p.String() {
			out = append(out, fl.Name)
		}
	}
	sort.Strings(out)
	return append([]string{p.String()}, out...)
}

type cellCount struct{ same, total int }

// dissectDiff compares wirewatch with tshark on the captures and returns
// the counts per column (dissectColumns, then the fields).
func dissectDiff(t *testing.T, p decode.Proto, paths []string, extra ...string) ([]string, []cellCount) {
	t.Helper()
	// The protocol field itself is left out: tshark prints its tree label.
	names := append(append([]string{}, dissectColumns...), protoFieldNames(p)[1:]...)
	names = append(names, extra...)
	reg := field.Std()
	fields := make([]*field.Field, len(names))
	for i, n := range names {
		if fields[i] = reg.Lookup(n); fields[i] == nil {
			t.Fatalf("%s: not in the registry", n)
		}
	}
	counts := make([]cellCount, len(names))
	testenv.Tool(t, "tshark")
	shown, unreached := 0, 0
	for _, path := range paths {
		name := filepath.Base(path)
		var capSame, capTotal int
		res, err := tshark.Fields(path, names)
		if err != nil || res.Exit != 0 {
			t.Logf("%s: tshark: %v (skipped)", name, err)
			continue
		}
		var vals []field.Value
		var b []byte
		var want []string
		err = pipeline.RunFile(context.Background(), path, pipeline.Config{}, func(f *decode.Frame) error {
			n := int(f.Number)
			if n > res.Frames {
				return nil
			}
			want = want[:0]
			for _, nm := range names {
				want = append(want, res.Cols[nm][n-1])
			}
			if !f.Has(p) && !hasProtoName(want[0], p.String()) { // want[0] is frame.protocols
				return nil
			}
			if !f.Has(p) && !reached(string(f.Protocols()), want[0], p.String()) {
				// tshark found the protocol inside an encapsulation
				// wirewatch does not decode (GRE, VXLAN, a quoted
				// ICMP payload): counted apart, not a dissector cell.
				unreached++
				return nil
			}
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
				capTotal++
				if string(b) == want[i] {
					counts[i].same++
					capSame++
				} else if shown < 40 {
					shown++
					t.Logf("%s #%d %s:\n got %.300q\nwant %.300q", name, n, fl.Name, b, want[i])
				}
			}
			return nil
		})
		if err != nil {
			t.Logf("%s: %v", name, err)
		}
		t.Logf("%s: %d/%d cells equal", name, capSame, capTotal)
	}
	if unreached > 0 {
		t.Logf("%s: %d frames where tshark finds it under layers wirewatch does not decode (not counted)", p, unreached)
	}
	return names, counts
}

// reached reports whether wirewatch decoded the layers under protocol p
// that tshark shows: tshark's frame.protocols up to p starts ours.
func reached(got, want, p string) bool {
	i := strings.Index(want+":", ":"+p+":")
	if i < 0 {
		return true
	}
	return strings.HasPrefix(got, want[:i])
}

func hasProtoName(protocols, p string) bool {
	for _, s := range strings.Split(protocols, ":") {
		if s == p {
			return true
		}
	}
	return false
}

// reportDiff logs the per-column table and the total, and fails when the
// total agreement is below floor percent.
func reportDiff(t *testing.T, p decode.Proto, ncap int, names []string, counts []cellCount, floor float64) {
	t.Helper()
	var sb strings.Builder
	var same, total int
	for i, c := range counts {
		fmt.Fprintf(&sb, "%-48s %d/%d\n", names[i], c.same, c.total)
		same += c.same
		total += c.total
	}
	pct := 100.0
	if total > 0 {
		pct = 100 * float64(same) / float64(total)
	}
	t.Logf("%s on %d captures: %d/%d non-empty cells equal to tshark (%.2f%%)\n%s", p, ncap, same, total, pct, sb.String())
	if counts[0].total == 0 {
		t.Errorf("%s: no frame of the protocol in the captures", p)
	}
	if pct < floor {
		t.Errorf("%s: %.2f%% of cells equal tshark's, want at least %.1f%%", p, pct, floor)
	}
}

// testDissector runs the differential test of protocol p on the wide
// captures listing manifestName.
func testDissector(t *testing.T, p decode.Proto, manifestName string, floor float64, extra ...string) {
	if testing.Short() {
		t.Skip("SKIP: runs tshark on the wide corpus (-short)")
	}
	paths := wideCaptures(t, manifestName)
	if len(paths) == 0 {
		t.Fatalf("no wide capture lists %s", manifestName)
	}
	names, counts := dissectDiff(t, p, paths, extra...)
	reportDiff(t, p, len(paths), names, counts, floor)
}

func TestDHCPMatchesTshark(t *testing.T)   { testDissector(t, decode.ProtoDHCP, "dhcp", 98) }
func TestNTPMatchesTshark(t *testing.T)    { testDissector(t, decode.ProtoNTP, "ntp", 95) } // one frame differs: overlapping IP fragments with conflicting data, which tshark reassembles otherwise
func TestNBNSMatchesTshark(t *testing.T)   { testDissector(t, decode.ProtoNBNS, "nbns", 98) }
func TestSSHMatchesTshark(t *testing.T)    { testDissector(t, decode.ProtoSSH, "ssh", 95) }
func TestDHCPv6MatchesTshark(t *testing.T) { testDissector(t, decode.ProtoDHCPv6, "dhcpv6", 98) }
func TestIGMPMatchesTshark(t *testing.T)   { testDissector(t, decode.ProtoIGMP, "igmp", 95) }

// TestQUICMatchesTshark also compares the TLS hello fields wirewatch reads
// from decrypted Initial packets. Two captures (pcapng files of nDPI)
// carry TLS secrets in a Decryption Secrets Block, with which tshark also
// decrypts Handshake and 1-RTT packets: wirewatch decrypts Initials only,
// hence the floor.
func TestQUICMatchesTshark(t *testing.T) {
	testDissector(t, decode.ProtoQUIC, "quic", 80, "tls.handshake.type", "tls.handshake.extensions_server_name",
		"tls.handshake.ciphersuite", "tls.handshake.extensions_alpn_str", "tls.handshake.extensions.supported_version")
}

// dissectFuzzPorts are the transports and ports the dissectors of
// decode/dissect.go listen on.
var dissectFuzzPorts = []struct {
	proto uint8
	port  uint16
}{{17, 67}, {17, 547}, {17, 123}, {17, 137}, {17, 443}, {6, 22}, {6, 25}, {6, 445}}

// FuzzDissectors decodes arbitrary payloads on every port of the
// dissectors of decode/dissect.go and reads every field of their protocols
// and the columns: no getter may panic.
func FuzzDissectors(f *testing.F) {
	for _, s := range dissectSeeds {
		f.Add(s)
	}
	var fields []*field.Field
	for _, fl := range field.Std().All() {
		if fl.Proto >= decode.ProtoDHCP {
			fields = append(fields, fl)
		}
	}
	dec := decode.NewDecoder(decode.Options{})
	var fr decode.Frame
	var vals []field.Value
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, c := range dissectFuzzPorts {
			pkt := appPacket(c.proto, c.port, b)
			dec.Decode(&fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
			for _, fl := range fields {
				vals = fl.Get(&fr, vals[:0])
			}
			fr.ColumnText(decode.ColInfo)
			fr.ColumnText(decode.ColProtocol)
			fr.Protocols()
		}
		// IGMP: IP protocol 2.
		total := 20 + len(b)
		pkt := append([]byte{0x45, 0, byte(total >> 8), byte(total), 0, 1, 0, 0, 1, 2, 0, 0, 192, 0, 2, 1, 224, 0, 0, 22}, b...)
		dec.Decode(&fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
		for _, fl := range fields {
			vals = fl.Get(&fr, vals[:0])
		}
		fr.ColumnText(decode.ColInfo)
		fr.ColumnText(decode.ColProtocol)
	})
}

// dissectSeeds are well-formed messages of each dissector.
var dissectSeeds = [][]byte{
	dhcpSeed(),
	// NTP client request.
	append([]byte{0x23, 2, 6, 0xef, 0, 0, 0, 0, 0, 0, 0, 0, 'I', 'N', 'I', 'T'}, make([]byte, 32)...),
	// NBNS registration of WORKGROUP<00> with an NB additional record.
	append(append([]byte{0xa7, 0x85, 0x29, 0x10, 0, 1, 0, 0, 0, 0, 0, 1, 32},
		[]byte("FHEPFCELEHFCEPFFFACACACACACACAAA")...),
		0, 0, 32, 0, 1, 0xc0, 12, 0, 32, 0, 1, 0, 4, 0x93, 0xe0, 0, 6, 0x80, 0, 192, 168, 199, 133),
	[]byte("SSH-2.0-OpenSSH_7.8\r\n"),
	sshKexInitSeed(),
	quicInitialSeed(),
	// IGMPv3 report joining 224.0.0.251.
	{0x22, 0, 0xf9, 0x04, 0, 0, 0, 1, 4, 0, 0, 0, 224, 0, 0, 251},
	// DHCPv6 Solicit: client ID (DUID-LLT), ORO, elapsed time, IA_NA
	// holding an IA address, client FQDN.
	{1, 0x6a, 0xeb, 0xe6, 0, 1, 0, 14, 0, 1, 0, 1, 0x29, 0xd0, 0x81, 0x93, 0, 0, 1, 1, 0, 0,
		0, 6, 0, 4, 0, 23, 0, 24, 0, 8, 0, 2, 0x02, 0xbf,
		0, 3, 0, 40, 1, 1, 0, 0, 0, 0, 0x0e, 0x10, 0, 0, 0x15, 0x18,
		0, 5, 0, 24, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0x0e, 0x10, 0, 0, 0x15, 0x18,
		0, 39, 0, 6, 1, 3, 'p', 'c', '1', 0},
}

// sshKexInitSeed is an SSH binary packet holding a KEXINIT.
func sshKexInitSeed() []byte {
	msg := append([]byte{20}, make([]byte, 16)...)
	for _, l := range []string{"curve25519-sha256", "ssh-ed25519", "chacha20-poly1305@openssh.com", "aes128-ctr",
		"hmac-sha2-256", "hmac-sha2-256", "none", "none", "", ""} {
		msg = append(msg, 0, 0, byte(len(l)>>8), byte(len(l)))
		msg = append(msg, l...)
	}
	msg = append(msg, 0, 0, 0, 0, 0)
	pad := 8 - (len(msg)+5)%8 + 4
	n := len(msg) + 1 + pad
	b := []byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n), byte(pad)}
	b = append(b, msg...)
	return append(b, make([]byte, pad)...)
}

func dhcpSeed() []byte {
	b := make([]byte, 236)
	b[0], b[1], b[2] = 1, 1, 6
	copy(b[4:], []byte{0x3d, 0x1d, 0, 1})
	copy(b[28:], []byte{0, 0x0b, 0x82, 1, 0xfc, 0x42})
	b = append(b, 0x63, 0x82, 0x53, 0x63, 53, 1, 1, 61, 7, 1, 0, 0x0b, 0x82, 1, 0xfc, 0x42, 50, 4, 0, 0, 0, 0,
		55, 4, 1, 3, 6, 42, 12, 3, 'W', 'i', 'i', 255, 0, 0)
	return b
}

// quicInitialSeed is a client Initial header (version 1, 8-byte DCID) with a
// protected payload: the decryption fails, the parse must not.
func quicInitialSeed() []byte {
	b := []byte{0xc3, 0, 0, 0, 1, 8, 0x84, 0xac, 0xac, 0x06, 0xb4, 0x2e, 0xd8, 0x63, 0, 0, 0x40, 60}
	for i := 0; i < 60; i++ {
		b = append(b, byte(i*7))
	}
	return b
}
