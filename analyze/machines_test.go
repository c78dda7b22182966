package analyze_test

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/internal/corpus"
)

// TestMachinesDualStack: on pcapgen's segment (dual-stack PCs behind one
// gateway MAC) every dual-stack PC is one machine with its IPv4 and IPv6
// address, and no machine holds a remote address the gateway fronts.
func TestMachinesDualStack(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	eng := diagnoseFile(t, sharedBackground(t).get(t, 2), analyze.Config{})
	dual, checked := 0, 0
	for _, f := range eng.Findings() {
		for _, m := range append(f.AffectedMachines, f.UnaffectedMachines...) {
			checked++
			v4, v6 := 0, 0
			for _, a := range m.Addrs {
				if a.Is4() {
					v4++
				} else {
					v6++
				}
				if p := netip.MustParsePrefix("198.18.0.0/15"); p.Contains(a) {
					t.Errorf("machine %s holds the remote server address %s", m.String(), a)
				}
			}
			if v4 > 1 || v6 > 1 {
				t.Errorf("machine %s has more than one address per family", m.String())
			}
			if v4 == 1 && v6 == 1 {
				dual++
			}
			if !m.HasMAC {
				t.Errorf("machine %s without MAC on an Ethernet segment", m.String())
			}
		}
	}
	if dual == 0 {
		t.Errorf("no dual-stack machine among %d machines named", checked)
	}
	t.Logf("%d machines named in findings, %d of them dual-stack", checked, dual)
}

// TestMachinesDHCP: a DHCPACK ties the acknowledged address to the client's
// hardware address, and the host name the client announced becomes a name
// of that address.
func TestMachinesDHCP(t *testing.T) {
	p := filepath.Join(corpus.Dir(t), "wide", "OISF__suricata-verify__tests_sip-method_sip.pcap")
	if _, err := os.Stat(p); err != nil {
		t.Skip(err)
	}
	eng := diagnoseFile(t, p, analyze.Config{})
	found := false
	for _, a := range []string{"192.168.1.2", "192.168.1.3", "192.168.1.4", "192.168.1.100", "192.168.1.101", "192.168.1.102"} {
		m := eng.Machine(netip.MustParseAddr(a))
		if m.HasMAC && len(m.Names) > 0 {
			found = true
			t.Logf("%s: machine %s names %v", a, m.String(), m.Names)
		}
	}
	if !found {
		t.Error("no machine learned from the DHCPACK")
	}
}
