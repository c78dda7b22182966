package analyze

import (
	"net/netip"
	"testing"
)

// TestHostTableEvictsLeastRecent: a flood of new addresses through a host
// table of 64 evicts the least recently active hosts (a sixteenth at a
// time), counts them, and keeps a host that stays active throughout; a
// lookup of a known host allocates nothing.
func TestHostTableEvictsLeastRecent(t *testing.T) {
	e := New(Config{MaxHosts: 64})
	steady := netip.MustParseAddr("192.168.1.10")
	idle := netip.MustParseAddr("192.168.1.11") // seen once, before the flood
	e.host(idle)
	e.host(steady).minHops = 3
	const flood = 5000
	for i := 0; i < flood; i++ {
		e.host(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}))
		if i%10 == 0 {
			e.host(steady)
		}
		if len(e.hosts) > 64 {
			t.Fatalf("after %d new hosts the table holds %d, budget 64", i+1, len(e.hosts))
		}
	}
	if h := e.hosts[steady]; h == nil || h.minHops != 3 {
		t.Errorf("the host active throughout the flood was evicted (%v)", h)
	}
	if e.hosts[idle] != nil {
		t.Errorf("the host idle since before the flood is still tracked")
	}
	// Every host added beyond the budget made room for itself: added - evicted = held.
	if added := flood + 2; added-e.sum.HostsEvicted != len(e.hosts) {
		t.Errorf("HostsEvicted %d, hosts %d: want %d added - evicted = held", e.sum.HostsEvicted, len(e.hosts), added)
	}
	t.Logf("%d new hosts through a table of 64: %d evicted, %d held, the steady host kept", flood, e.sum.HostsEvicted, len(e.hosts))
	if a := testing.AllocsPerRun(100, func() { e.host(steady) }); a != 0 {
		t.Errorf("looking up a known host allocates %.1f times", a)
	}
}
