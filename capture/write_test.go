package capture

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/internal/testenv"
)

// tsharkEpoch formats a timestamp as tshark prints a pcapng/pcap one it
// reads: the 64-bit value as unsigned nanoseconds.
func tsharkEpoch(ts int64) string {
	u := uint64(ts)
	return fmt.Sprintf("%d.%09d", u/1e9, u%1e9)
}

func needTool(t *testing.T, name string) string {
	t.Helper()
	return testenv.Tool(t, name)
}

// TestWriteRoundTrip copies corpus captures through Create (pcapng, and pcap
// where the capture has one link type) and checks that wirewatch and tshark
// both read back the same timestamps, lengths, interfaces and comments.
func TestWriteRoundTrip(t *testing.T) {
	tshark := needTool(t, "tshark")
	tmp := t.TempDir()
	for _, name := range []string{
		"pcapplusplus__pcapng-example.pcapng", // comments, 2 interfaces, odd timestamps
		"pcapplusplus__many_interfaces-1.pcapng",
		"gopacket__pcapgo-le-test202.pcapng", // 3 sections, SPBs, custom blocks
		"gopacket__pcapgo-be-test006.pcapng",
		"zeek__http-get.pcap",
		"tcpdump__tcp-handshake-nano.pcap",
	} {
		src, err := Open(filepath.Join(corpus.Dir(t), "real", name))
		if err != nil {
			t.Fatal(err)
		}
		all, errs := readAll(t, src)
		ifaces := append([]Interface(nil), src.Interfaces()...)
		src.Close()
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		var recs []rec
		for _, r := range all {
			if r.info.LinkType != LinkCustomBlock {
				recs = append(recs, r)
			}
		}
		oneLink := true
		for _, ifc := range ifaces {
			oneLink = oneLink && ifc.LinkType == ifaces[0].LinkType
		}
		for _, ext := range []string{".pcapng", ".pcap"} {
			if ext == ".pcap" && !oneLink {
				if _, err := Create(filepath.Join(tmp, "x.pcap"), ifaces); err == nil {
					t.Errorf("%s: Create .pcap with mixed link types succeeded", name)
				}
				continue
			}
			out := filepath.Join(tmp, strings.TrimSuffix(name, filepath.Ext(name))+ext)
			w, err := Create(out, ifaces)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range all { // custom blocks included: pcapng copies those it may, pcap skips them
				if err := w.WritePacket(r.info, []byte(r.data)); err != nil {
					t.Fatal(err)
				}
			}
			w.(StatsWriter).SetInterfaceStats(0, InterfaceStats{Received: uint64(len(recs)), Dropped: 3})
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}

			// wirewatch reads back what it wrote.
			back, err := Open(out)
			if err != nil {
				t.Fatal(err)
			}
			got, errs := readAll(t, back)
			wantFormat := map[string]string{".pcap": "pcap-ns", ".pcapng": "pcapng"}[ext]
			if back.Format() != wantFormat {
				t.Errorf("%s: format %q, want %q", out, back.Format(), wantFormat)
			}
			back.Close()
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			var want []rec
			for _, r := range all {
				if r.info.LinkType == LinkCustomBlock && (ext == ".pcap" || r.info.CustomType != blockCustom) {
					continue // tshark -w copies only custom blocks that may be copied, and only to pcapng
				}
				if ext == ".pcap" {
					r.info.Interface, r.info.Comments = 0, nil
				}
				want = append(want, r)
			}
			sameRecs(t, out, got, want)

			// tshark reads it identically.
			cmd := exec.Command(tshark, "-r", out, "-T", "fields", "-e", "frame.time_epoch", "-e", "frame.len",
				"-e", "frame.cap_len", "-e", "frame.interface_name", "-e", "frame.comment")
			cmd.Env = append(os.Environ(), "TZ=UTC")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			outb, err := cmd.Output()
			if err != nil {
				t.Fatalf("tshark -r %s: %v\n%s", out, err, stderr.String())
			}
			lines := strings.Split(strings.TrimSuffix(string(outb), "\n"), "\n")
			if len(lines) != len(want) {
				t.Fatalf("%s: tshark sees %d frames, want %d", out, len(lines), len(want))
			}
			for i, r := range want {
				if r.info.LinkType == LinkCustomBlock {
					if wantLine := fmt.Sprintf("\t%d\t%d\t\t", r.info.Len, r.info.CapLen); lines[i] != wantLine {
						t.Fatalf("%s frame %d (custom block): tshark %q, want %q", out, i+1, lines[i], wantLine)
					}
					continue
				}
				name := ""
				if ext == ".pcapng" {
					name = ifaces[r.info.Interface].Name
					if name == "" {
						name = "unknown" // tshark's word for an IDB without if_name
					}
				}
				comments := ""
				if ext == ".pcapng" {
					comments = strings.Join(r.info.Comments, ",")
				}
				wantLine := strings.Join([]string{tsharkEpoch(r.info.TS), fmt.Sprint(r.info.Len), fmt.Sprint(r.info.CapLen), name, comments}, "\t")
				if lines[i] != wantLine {
					t.Fatalf("%s frame %d: tshark %q, want %q", out, i+1, lines[i], wantLine)
				}
			}
			if ext == ".pcapng" {
				if capinfos := needTool(t, "capinfos"); capinfos != "" {
					ci, err := exec.Command(capinfos, out).CombinedOutput()
					if err != nil || !strings.Contains(string(ci), "Number of stat entries = 1") || !strings.Contains(string(ci), "wirewatch") {
						t.Errorf("capinfos %s: %v\n%s", out, err, ci)
					}
				}
			}
		}
	}
}

// TestWriterErrors: interface and sticky-error rules.
func TestWriterErrors(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewPcapngWriter(&buf, PcapngWriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WritePacket(Info{Interface: -1}, nil); err == nil {
		t.Error("negative interface accepted")
	}
	// A packet for an undeclared interface declares it from its link type.
	if err := w.WritePacket(Info{Interface: 1, LinkType: LinkRaw, TS: 5}, []byte{0x45}); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteInterfaceStats(9, InterfaceStats{}); err == nil {
		t.Error("stats for a missing interface accepted")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.WritePacket(Info{}, nil); err == nil {
		t.Error("write after close accepted")
	}
	r, err := NewReader(&buf, "w")
	if err != nil {
		t.Fatal(err)
	}
	got, errs := readAll(t, r)
	if len(errs) != 0 || len(got) != 1 || got[0].info.Interface != 1 || r.Interfaces()[1].LinkType != LinkRaw || got[0].info.TS != 5 {
		t.Fatalf("%+v %v %+v", got, errs, r.Interfaces())
	}

	// pcap: one link type only.
	pw, _ := NewPcapWriter(&bytes.Buffer{}, LinkEthernet, 0, false)
	pw.AddInterface(Interface{LinkType: LinkRaw})
	if err := pw.WritePacket(Info{}, nil); err == nil {
		t.Error("pcap writer accepted a second link type")
	}

	// A failing destination makes every later call fail.
	fw, _ := NewPcapWriter(failWriter{}, LinkEthernet, 0, true)
	for range 10 {
		fw.WritePacket(Info{}, make([]byte, 10000))
	}
	if err := fw.Close(); err == nil {
		t.Error("write errors lost")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// TestWriteLongComment: a comment over 65535 bytes is cut to fit the
// option length field, and the block stays valid.
func TestWriteLongComment(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewPcapngWriter(&buf, PcapngWriterOptions{Interfaces: []Interface{{LinkType: LinkEthernet}}})
	long := strings.Repeat("x", 70000)
	w.WritePacket(Info{TS: 1, Comments: []string{long, "short"}}, []byte("abc"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, errs, err := readBytes(t, buf.Bytes())
	if err != nil || len(errs) > 0 || len(got) != 1 || len(got[0].info.Comments) != 2 || len(got[0].info.Comments[0]) != 0xffff || got[0].info.Comments[1] != "short" {
		t.Fatalf("%v %v %d", err, errs, len(got))
	}
}
