package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/internal/corpus"
)

func corpusPackets(t testing.TB, name string) []capture.Packet {
	t.Helper()
	r, err := capture.Open(filepath.Join(corpus.Dir(t), "real", name))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []capture.Packet
	for {
		p, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		p.Data = append([]byte(nil), p.Data...)
		out = append(out, p)
	}
}

func lookup(t testing.TB, names ...string) []*field.Field {
	var out []*field.Field
	for _, n := range names {
		f := field.Std().Lookup(n)
		if f == nil {
			t.Fatalf("no field %s", n)
		}
		out = append(out, f)
	}
	return out
}

// TestPacketWriterAllocs asserts that -T fields and text output allocate
// nothing per packet once the writer's buffers have grown.
func TestPacketWriterAllocs(t *testing.T) {
	pkts := corpusPackets(t, "chrissanders__http_espn.pcapng")
	fields := lookup(t, "frame.number", "frame.time_epoch", "frame.time", "eth.src", "ip.src", "ipv6.dst", "tcp.srcport",
		"tcp.flags", "tcp.flags.str", "tcp.options", "udp.dstport", "frame.protocols", "dns.qry.name", "http.host", "tcp.flags.syn")
	for _, format := range []PacketFormat{FormatFields, FormatText, FormatJSONL} {
		pw := NewPacketWriter(io.Discard, PacketOptions{Format: format, Fields: fields, Occurrence: 'a', Quote: 'd'})
		d := decode.NewDecoder(decode.Options{ReassembleIP: true})
		var f decode.Frame
		run := func() {
			for i, p := range pkts {
				f.Number = uint64(i + 1)
				d.Decode(&f, p)
				if err := pw.Write(&f); err != nil {
					t.Fatal(err)
				}
			}
		}
		run() // grow buffers
		if per := testing.AllocsPerRun(3, run) / float64(len(pkts)); per != 0 {
			t.Errorf("format %d: %.3f allocations per packet, want 0", format, per)
		}
	}
}

func TestValueFormats(t *testing.T) {
	pkts := corpusPackets(t, "chrissanders__http_espn.pcapng")
	d := decode.NewDecoder(decode.Options{ReassembleIP: true})
	var f decode.Frame
	f.Number = 3
	d.Decode(&f, pkts[2]) // the SYN
	var buf bytes.Buffer
	pw := NewPacketWriter(&buf, PacketOptions{Format: FormatFields, Header: true, Separator: ";", Occurrence: 'a',
		Fields: lookup(t, "frame.time_epoch", "tcp.flags", "tcp.flags.syn", "ip.flags", "ip.id", "eth.src", "tcp.options", "tcp.port", "ip.checksum", "tcp.options.sack_perm")})
	pw.Write(&f)
	pw.Close()
	want := "frame.time_epoch;tcp.flags;tcp.flags.syn;ip.flags;ip.id;eth.src;tcp.options;tcp.port;ip.checksum;tcp.options.sack_perm\n" +
		"1270661369.794785000;0x0002;1;0x02;0x0ac2;00:21:70:c0:56:f0;020405b40402080a147cadcf0000000001030306;52166,80;0x36c0;0402\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	// Text line as tshark prints it.
	buf.Reset()
	f.FirstTS = pkts[0].TS
	pw = NewPacketWriter(&buf, PacketOptions{Format: FormatText})
	pw.Write(&f)
	pw.Close()
	if w := "    3   0.011851 172.16.0.122 → 199.181.132.250 TCP 74 52166 → 80 [SYN] Seq=168077069 Win=5840 Len=0 MSS=1460 SACK_PERM TSval=343715279 TSecr=0 WS=64\n"; buf.String() != w {
		t.Errorf("text\n got %q\nwant %q", buf.String(), w)
	}
	// JSON is valid and stable.
	buf.Reset()
	pw = NewPacketWriter(&buf, PacketOptions{Format: FormatJSON, Fields: lookup(t, "ip.src", "tcp.port")})
	pw.Write(&f)
	pw.Write(&f)
	pw.Close()
	var out []map[string]any
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, buf.String())
	}
	if len(out) != 2 || out[0]["protocol"] != "TCP" || !strings.Contains(buf.String(), `"tcp.port":["52166","80"]`) {
		t.Errorf("json %s", buf.String())
	}
}

func TestRelTime(t *testing.T) {
	for _, c := range []struct {
		ns   int64
		prec int
		want string
	}{{11665000, 9, "0.011665000"}, {-500000000, 9, "-0.500000000"}, {1270661369782934000, 6, "1270661369.782934"}, {5, 0, "0"}} {
		if got := string(AppendRelTime(nil, c.ns, c.prec)); got != c.want {
			t.Errorf("AppendRelTime(%d, %d) = %q, want %q", c.ns, c.prec, got, c.want)
		}
	}
}
