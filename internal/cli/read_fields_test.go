package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/internal/testenv"
)

// TestAllFieldsMatchTshark runs tshark itself on captures covering every
// link type and header decoder, asking for every registered header field of
// those protocols with all occurrences, and compares with read -T fields.
// The oracle test covers 30 fields on the whole corpus; this one covers the
// whole registry of frame/link/IP/ICMP/TCP/UDP fields on a sample.
func TestAllFieldsMatchTshark(t *testing.T) {
	testenv.Tool(t, "tshark")
	if v, _ := exec.Command("tshark", "--version").Output(); !bytes.Contains(v, []byte("TShark (Wireshark) 4.0.")) {
		t.Skip("SKIP: field formats are pinned to tshark 4.0")
	}
	dir := filepath.Join(corpus.Dir(t), "real")
	// Fields computed by package flow or decoded by the app-layer owners are compared elsewhere.
	skip := []string{"tcp.analysis", "tcp.stream", "tcp.seq", "tcp.ack", "tcp.nxtseq", "tcp.window_size",
		"tcp.time", "tcp.completeness", "tcp.bytes", "tcp.segment", "udp.stream", "frame.time", "tcp.payload",
		"udp.payload", "frame.protocols", "tcp.options.sack_", "tcp.flags.ae", "tcp.flags.ece", "tcp.flags.cwr", "tcp.flags.str"}
	var names []string
	for _, f := range field.Std().All() {
		if f.Type == field.FTProtocol {
			continue
		}
		p := fieldPrefix(f.Name)
		switch p {
		case "frame", "eth", "vlan", "ieee8021ad", "arp", "ip", "ipv6", "icmp", "icmpv6", "tcp", "udp", "sll", "null", "llc", "pppoe", "ppp":
		default:
			continue
		}
		ok := true
		for _, s := range skip {
			if strings.HasPrefix(f.Name, s) && f.Name != "frame.time_epoch" && f.Name != "frame.time_delta" &&
				f.Name != "frame.time_relative" && f.Name != "frame.time_delta_displayed" {
				ok = false
			}
		}
		if ok {
			names = append(names, f.Name)
		}
	}
	var eargs []string
	for _, n := range names {
		eargs = append(eargs, "-e", n)
	}
	caps := []string{"chrissanders__http_espn.pcapng", "pcapplusplus__VlanPackets.pcap", "chrissanders__icmpv6_neighbor_solicitation.pcapng",
		"chrissanders__icmp_traceroute.pcapng", "pcapplusplus__sll.pcap", "zeek__linux_dlt_sll2.pcap", "pcapplusplus__one_http_stream_rst.pcap",
		"chrissanders__ipv6_fragments.pcapng", "pcapplusplus__ip4_fragments.pcap", "chrissanders__arp_gratuitous.pcapng",
		"tcpdump__802.1ad_QinQ.pcap", "zeek__vlan-pcp-dei.pcapng", "pcapplusplus__null_loopback.pcap", "tcpdump__icmpv6.pcap",
		"pcapplusplus__raw_ip.pcap", "zeek__ipv6-http-atomic-frag.pcap", "gopacket__pcapgo-le-test202.pcapng", "zeek__tcp-truncated-header.pcap"}
	type miss struct{ cap, want, got string }
	total, equal := 0, 0
	bad := map[string][]miss{}
	for _, c := range caps {
		path := filepath.Join(dir, c)
		args := append([]string{"-n", "-r", path, "-T", "fields", "-E", "occurrence=a"}, eargs...)
		cmd := exec.Command("tshark", args...)
		cmd.Env = append(os.Environ(), "TZ=UTC", "WIRESHARK_CONFIG_DIR="+t.TempDir())
		want, err := cmd.Output()
		if err != nil {
			t.Fatalf("tshark %s: %v", c, err)
		}
		var got, errb bytes.Buffer
		if code := Main(context.Background(), append([]string{"read", "-T", "fields", "-E", "occurrence=a", path}, eargs...), nil, &got, &errb); code != 0 {
			t.Fatalf("%s: exit %d: %s", c, code, errb.String())
		}
		_, wrows := readTSV(append([]byte("header\n"), want...))
		_, grows := readTSV(append([]byte("header\n"), got.Bytes()...))
		if len(wrows) != len(grows) {
			t.Errorf("%s: %d frames, tshark %d", c, len(grows), len(wrows))
			continue
		}
		for r := range wrows {
			for i, n := range names {
				var w, g string
				if i < len(wrows[r]) {
					w = wrows[r][i]
				}
				if i < len(grows[r]) {
					g = grows[r][i]
				}
				if w == "" && g == "" {
					continue
				}
				total++
				if w == g {
					equal++
				} else {
					bad[n] = append(bad[n], miss{c, w, g})
				}
			}
		}
	}
	pct := 100 * float64(equal) / float64(max(total, 1))
	t.Logf("%d fields, %d captures: %d of %d non-empty cells equal (%.3f%%)", len(names), len(caps), equal, total, pct)
	var keys []string
	for k := range bad {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m := bad[k]
		t.Logf("  %s: %d differ, e.g. %s: tshark %q, wirewatch %q", k, len(m), m[0].cap, m[0].want, m[0].got)
	}
	if pct < 99.9 {
		t.Errorf("%.3f%% of cells equal, want >= 99.9%%", pct)
	}
}
