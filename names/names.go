// Package names resolves MAC addresses, IP addresses and ports to names the
// way tshark -N does: MAC vendors and well-known MAC addresses from
// Wireshark's manuf and wka files (m), IP addresses from the DNS answers seen
// in the capture and from a hosts file (n; tshark's -N d and -H), and
// transport ports from Wireshark's services file (t). The tables are
// generated into this package by names/gen (go generate); nothing is
// looked up on the network.
package names

//go:generate go run ./gen -out .

import (
	"bufio"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/wirewatch/wirewatch/decode"
)

// Resolver names addresses and ports. Each method returns "" when its kind
// of resolution is off, and otherwise the name or, when there is none, the
// address or port as text (tshark then shows "x (x)").
type Resolver struct {
	mac, net, transport bool
	hosts               map[netip.Addr]host
}

type host struct {
	name   string
	static bool // from a hosts file: DNS answers do not replace it
}

// New returns a resolver for tshark's -N letters: m (MAC), n (network, with
// the capture's DNS answers; d is accepted as the same), t (transport). Other
// tshark letters (N, s, v) are accepted and do nothing.
func New(letters string) (*Resolver, error) {
	r := &Resolver{hosts: map[netip.Addr]host{}}
	for _, c := range letters {
		switch c {
		case 'm':
			r.mac = true
		case 'n', 'd':
			r.net = true
		case 't':
			r.transport = true
		case 'N', 's', 'v':
		default:
			return nil, fmt.Errorf("-N %s: unknown letter %q; use m (MAC vendors), n (addresses from the capture's DNS and --hosts) or t (port names)", letters, c)
		}
	}
	return r, nil
}

// LoadHosts reads a hosts file ("address name..." per line, # comments);
// its names take precedence over those learnt from DNS.
func (r *Resolver) LoadHosts(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return r.ReadHosts(path, f)
}

// ReadHosts reads hosts-file lines from rd (name is used in messages).
func (r *Resolver) ReadHosts(name string, rd io.Reader) error {
	path := name
	sc := bufio.NewScanner(rd)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if i := strings.IndexByte(l, '#'); i >= 0 {
			l = l[:i]
		}
		fs := strings.Fields(l)
		if len(fs) < 2 {
			continue
		}
		a, err := netip.ParseAddr(fs[0])
		if err != nil {
			return fmt.Errorf("%s:%d: %q is not an IP address", path, n, fs[0])
		}
		if _, ok := r.hosts[a.Unmap()]; !ok {
			r.hosts[a.Unmap()] = host{name: fs[1], static: true}
		}
	}
	return sc.Err()
}

// Learn records a name from a DNS answer (A or AAAA record).
func (r *Resolver) Learn(a netip.Addr, name string) {
	if !r.net || name == "" {
		return
	}
	a = a.Unmap()
	if h, ok := r.hosts[a]; ok && h.static {
		return
	}
	if len(r.hosts) >= 1<<20 {
		return // bounded: a hostile capture cannot grow it without end
	}
	r.hosts[a] = host{name: name}
}

// Addr names an IP address.
func (r *Resolver) Addr(a netip.Addr) string {
	if !r.net {
		return ""
	}
	if h, ok := r.hosts[a.Unmap()]; ok {
		return h.name
	}
	return a.String()
}

// Port names a TCP or UDP port.
func (r *Resolver) Port(p decode.Proto, port uint16) string {
	if !r.transport {
		return ""
	}
	loadServices()
	var name string
	switch p {
	case decode.ProtoTCP:
		name = tcpPorts[port]
	case decode.ProtoUDP:
		name = udpPorts[port]
	}
	if name == "" {
		return strconv.Itoa(int(port))
	}
	return name
}

// MAC names a MAC address: a well-known address, or the vendor's short
// name and the rest of the address ("Dell_c0:56:f0").
func (r *Resolver) MAC(a [6]byte) string {
	if !r.mac {
		return ""
	}
	return MACName(a)
}

var (
	manufOnce sync.Once
	// byBits[n] maps an address's first n bits (as the top of a 48-bit value) to its name.
	byBits [49]map[uint64]entry

	servicesOnce       sync.Once
	tcpPorts, udpPorts map[uint16]string
)

// entry is a manuf or wka name.
type entry struct {
	name string
	wka  bool
}

func loadManuf() {
	manufOnce.Do(func() {
		for _, l := range strings.Split(manufData, "\n") {
			f := strings.SplitN(l, " ", 3)
			if len(f) < 3 {
				continue
			}
			v, err1 := strconv.ParseUint(f[0], 16, 64)
			wka := strings.HasSuffix(f[1], "w")
			bits, err2 := strconv.Atoi(strings.TrimSuffix(f[1], "w"))
			if err1 != nil || err2 != nil || bits < 0 || bits > 48 {
				continue
			}
			if byBits[bits] == nil {
				byBits[bits] = map[uint64]entry{}
			}
			k := v >> uint(48-bits)
			if _, dup := byBits[bits][k]; !dup {
				byBits[bits][k] = entry{f[2], wka}
			}
		}
	})
}

func loadServices() {
	servicesOnce.Do(func() {
		tcpPorts, udpPorts = map[uint16]string{}, map[uint16]string{}
		for _, l := range strings.Split(servicesData, "\n") {
			f := strings.SplitN(l, " ", 3)
			if len(f) < 3 {
				continue
			}
			port, err := strconv.Atoi(f[1])
			if err != nil || port < 0 || port > 65535 {
				continue
			}
			if f[0] == "tcp" {
				tcpPorts[uint16(port)] = f[2]
			} else {
				udpPorts[uint16(port)] = f[2]
			}
		}
	})
}

// MACName is Wireshark's name for a MAC address (get_ether_name): an exact
// well-known address; else the longest well-known or vendor prefix of 24 to
// 47 bits followed by the remaining bytes (at most three); else a shorter
// well-known prefix and the last three bytes; else the address itself.
func MACName(a [6]byte) string {
	loadManuf()
	v := uint64(a[0])<<40 | uint64(a[1])<<32 | uint64(a[2])<<24 | uint64(a[3])<<16 | uint64(a[4])<<8 | uint64(a[5])
	if e, ok := byBits[48][v]; ok {
		return e.name
	}
	for bits := 47; bits >= 0; bits-- {
		m := byBits[bits]
		if m == nil {
			continue
		}
		e, ok := m[v>>uint(48-bits)]
		if !ok {
			continue
		}
		// The bytes after the prefix follow the name, at most the last
		// three; a well-known range drops their leading zero bytes
		// ("IPv4mcast_fc" for 01:00:5e:00:00:fc).
		rest := a[max(bits/8, 3):]
		var first [1]byte
		if bits/8 >= 3 && bits%8 != 0 {
			first[0] = rest[0] & (0xff >> uint(bits%8))
			rest = append(first[:], rest[1:]...)
		}
		if e.wka {
			for len(rest) > 1 && rest[0] == 0 {
				rest = rest[1:]
			}
		}
		var sb strings.Builder
		sb.WriteString(e.name)
		sb.WriteByte('_')
		for i, c := range rest {
			if i > 0 {
				sb.WriteByte(':')
			}
			fmt.Fprintf(&sb, "%02x", c)
		}
		return sb.String()
	}
	return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5])
}

// LearnFrame learns the names of the A and AAAA answers of a frame's DNS message.
func (r *Resolver) LearnFrame(f *decode.Frame) {
	if !r.net || !f.Has(decode.ProtoDNS) || !f.DNS.Response {
		return
	}
	for _, rr := range f.DNS.Answers {
		if (rr.Type == 1 || rr.Type == 28) && rr.Addr.IsValid() {
			r.Learn(rr.Addr, string(rr.Name))
		}
	}
}

// Column names the address text of a packet-list Source or Destination
// column: an IP address with -N n, a MAC address with -N m; other text is
// returned as it is.
func (r *Resolver) Column(addr []byte) []byte {
	if r.net {
		if a, err := netip.ParseAddr(string(addr)); err == nil {
			return append(addr[:0], r.Addr(a)...)
		}
	}
	if r.mac && len(addr) == 17 {
		var m [6]byte
		for i := 0; i < 6; i++ {
			v, err := strconv.ParseUint(string(addr[3*i:3*i+2]), 16, 8)
			if err != nil || i < 5 && addr[3*i+2] != ':' {
				return addr
			}
			m[i] = byte(v)
		}
		return append(addr[:0], r.MAC(m)...)
	}
	return addr
}
