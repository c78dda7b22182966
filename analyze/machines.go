package analyze

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
)

// Machine is one computer on the captured segment: the addresses its MAC
// address sends from without a router in between (TTL or hop limit
// untouched), and the names the capture tells for them. An address seen only
// through a router (or without a link layer) is a machine of its own without
// MAC.
type Machine struct {
	MAC    [6]byte
	HasMAC bool
	Addrs  []netip.Addr // IPv4 first, then IPv6, each ascending
	Names  []string
}

// MACString writes the MAC as aa:bb:cc:dd:ee:ff, or "" without one.
func (m *Machine) MACString() string {
	if !m.HasMAC {
		return ""
	}
	a := m.MAC
	return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5])
}

// String names the machine: its addresses (link-local ones only when it
// has no other), and its MAC when it has several.
func (m *Machine) String() string {
	var b strings.Builder
	shown := 0
	for _, a := range m.Addrs {
		if a.IsLinkLocalUnicast() && len(m.Addrs) > 1 && !allLinkLocal(m.Addrs) {
			continue
		}
		if shown > 0 {
			b.WriteString("/")
		}
		b.WriteString(a.String())
		shown++
	}
	if len(m.Addrs) > 1 && m.HasMAC {
		b.WriteString(" [" + m.MACString() + "]")
	}
	return b.String()
}

// machine is what the engine learns of one MAC: the addresses it sources
// zero hops away. A router's MAC also fronts every remote address; those
// arrive with a decremented TTL and are never added, so a router is a machine
// of its own addresses only.
type machine struct {
	mac   [6]byte
	addrs []netip.Addr
	many  bool // more addresses than one computer has (NAT, proxy ARP): do not group
}

const maxMachineAddrs = 16

// learnMachine notes that src was sent by the frame's source MAC with this
// TTL / hop limit. Called for the packets that open something (SYN, RST, DNS
// queries, ARP, ICMPv6 neighbour discovery), not for every packet.
//
// A MAC whose addresses talk to each other (both ends of one exchange come
// from it) is not one computer: a hairpinning router or a synthetic capture.
func (e *Engine) learnMachine(mac [6]byte, src, dst netip.Addr, ttl uint8) {
	if hops(ttl) != 0 || !src.IsValid() || src.IsUnspecified() || src.IsMulticast() || mac[0]&1 != 0 {
		return
	}
	if m := e.machineOf[src]; m != nil {
		if m.mac == mac {
			return
		}
		// the address moved to another MAC (DHCP reuse, failover): the
		// latest owner wins
		m.remove(src)
	}
	m := e.machByMAC[mac]
	if m == nil {
		if len(e.machByMAC) >= 1<<16 {
			return
		}
		m = &machine{mac: mac}
		e.machByMAC[mac] = m
	}
	if m.many {
		return
	}
	if len(m.addrs) >= maxMachineAddrs || (dst.IsValid() && e.machineOf[dst] == m) {
		m.many = true
		for _, a := range m.addrs {
			delete(e.machineOf, a)
		}
		m.addrs = nil
		return
	}
	m.addrs = append(m.addrs, src)
	e.machineOf[src] = m
}

func (m *machine) remove(a netip.Addr) {
	for i, x := range m.addrs {
		if x == a {
			m.addrs = append(m.addrs[:i], m.addrs[i+1:]...)
			return
		}
	}
}

// learnFrameMachine takes the source MAC of f, when it has one.
func (e *Engine) learnFrameMachine(f *decode.Frame, src, dst netip.Addr, ttl uint8) {
	if f.Has(decode.ProtoEth) {
		e.learnMachine(f.Eth.Src, src, dst, ttl)
	}
}

// siblings returns the hosts of a's machine, a's own first (just a's host
// when it has no machine).
func (e *Engine) siblings(h *host) []*host {
	if h == nil {
		return nil
	}
	m := e.machineOf[h.addr]
	if m == nil || len(m.addrs) < 2 {
		return []*host{h}
	}
	out := []*host{h}
	for _, a := range m.addrs {
		if a == h.addr {
			continue
		}
		if o := e.hosts[a]; o != nil {
			out = append(out, o)
		}
	}
	return out
}

// machineKey identifies a's machine: its MAC, or a itself.
type machineKey struct {
	mac  [6]byte
	addr netip.Addr // when there is no MAC
}

func (e *Engine) machineKeyOf(a netip.Addr) machineKey {
	if m := e.machineOf[a]; m != nil {
		return machineKey{mac: m.mac}
	}
	return machineKey{addr: a}
}

// machines groups addrs into machines, each with every address it has, in
// the order of their first address in addrs.
func (e *Engine) machines(addrs []netip.Addr) []Machine {
	var out []Machine
	seen := map[machineKey]bool{}
	for _, a := range addrs {
		k := e.machineKeyOf(a)
		if seen[k] {
			continue
		}
		seen[k] = true
		var mm Machine
		if m := e.machineOf[a]; m != nil {
			mm = Machine{MAC: m.mac, HasMAC: true, Addrs: append([]netip.Addr(nil), m.addrs...)}
		} else {
			mm = Machine{Addrs: []netip.Addr{a}}
			if h := e.hosts[a]; h != nil && h.hasMAC && h.minHops == 0 {
				mm.MAC, mm.HasMAC = h.mac, true
			}
		}
		sortAddrs(mm.Addrs)
		for _, x := range mm.Addrs {
			mm.Names = appendNames(mm.Names, e.namesOf(x))
		}
		out = append(out, mm)
	}
	return out
}

// machineAddrs lists every address of ms, in order.
func machineAddrs(ms []Machine) []netip.Addr {
	var out []netip.Addr
	for i := range ms {
		out = append(out, ms[i].Addrs...)
	}
	return out
}

func sortAddrs(v []netip.Addr) {
	sort.Slice(v, func(i, j int) bool {
		if v[i].Is4() != v[j].Is4() {
			return v[i].Is4()
		}
		return v[i].Less(v[j])
	})
}

// machineList names up to max machines in words ("A, B and 3 more").
func (e *Engine) machineList(ms []Machine, max int) string {
	var b strings.Builder
	for i := range ms {
		if i == max {
			fmt.Fprintf(&b, " and %d more", len(ms)-max)
			break
		}
		if i > 0 {
			if i == len(ms)-1 {
				b.WriteString(" and ")
			} else {
				b.WriteString(", ")
			}
		}
		b.WriteString(ms[i].String())
	}
	return b.String()
}

// unaffectedMachines groups the candidate unaffected addresses into
// machines, dropping any machine that is among the affected ones (one of its
// other addresses waited): at most 16 machines.
func (e *Engine) unaffectedMachines(affected []Machine, cand []netip.Addr) []Machine {
	hit := map[netip.Addr]bool{}
	for i := range affected {
		for _, a := range affected[i].Addrs {
			hit[a] = true
		}
	}
	var keep []netip.Addr
	for _, a := range cand {
		if hit[a] {
			continue
		}
		if m := e.machineOf[a]; m != nil {
			blamed := false
			for _, x := range m.addrs {
				blamed = blamed || hit[x]
			}
			if blamed {
				continue
			}
		}
		keep = append(keep, a)
	}
	ms := e.machines(keep)
	if len(ms) > 16 {
		ms = ms[:16]
	}
	return ms
}

// learnDHCP takes what a DHCP exchange says about a machine: the address a
// server acknowledged for a client hardware address (DHCPACK yiaddr and
// chaddr: the address belongs to that machine even before it sends from
// it) and the host name the client announced (option 12).
func (e *Engine) learnDHCP(b []byte) {
	if len(b) < decode.DHCPHeaderLen || b[1] != 1 || b[2] != 6 { // Ethernet hardware addresses only
		return
	}
	var mac [6]byte
	copy(mac[:], b[28:34])
	start, ok := decode.DHCPOptionsStart(b)
	if !ok {
		return
	}
	var typ uint8
	var hostname []byte
	for i := start; ; {
		o, next, ok := decode.NextDHCPOption(b, i)
		if !ok || o.Code == 255 {
			break
		}
		switch o.Code {
		case 53:
			if len(o.Value) == 1 {
				typ = o.Value[0]
			}
		case 12:
			hostname = o.Value
		}
		i = next
	}
	if b[0] == 1 && len(hostname) > 0 && len(e.dhcpNames) < 1<<14 {
		if _, ok := e.dhcpNames[mac]; !ok {
			e.dhcpNames[mac] = string(hostname)
		}
	}
	if b[0] != 2 || typ != 5 {
		return
	}
	yi := netip.AddrFrom4([4]byte(b[16:20]))
	if !yi.IsValid() || yi.IsUnspecified() {
		return
	}
	e.learnMachine(mac, yi, netip.Addr{}, 64)
	if n, ok := e.dhcpNames[mac]; ok {
		e.noteName(yi, []byte(n))
	}
}

// Machine returns the machine of address a (a itself when no MAC is known).
func (e *Engine) Machine(a netip.Addr) Machine {
	return e.machines([]netip.Addr{a})[0]
}

func allLinkLocal(v []netip.Addr) bool {
	for _, a := range v {
		if !a.IsLinkLocalUnicast() {
			return false
		}
	}
	return true
}
