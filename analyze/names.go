package analyze

import (
	"net/netip"
	"strings"
)

// hostNames are the names the capture itself gives an address: the name a
// client looked up in DNS before connecting to it, the TLS SNI and the HTTP
// Host header it sent to it. At most three per address.
type hostNames struct {
	n     int
	names [3]string
}

const maxNamedAddrs = 1 << 16

// noteName records name for a (no allocation when already known).
func (e *Engine) noteName(a netip.Addr, name []byte) {
	if !a.IsValid() || len(name) == 0 || len(name) > 253 {
		return
	}
	hn := e.names[a]
	if hn == nil {
		if len(e.names) >= maxNamedAddrs {
			return
		}
		hn = &hostNames{}
		e.names[a] = hn
	}
	for i := 0; i < hn.n; i++ {
		if strings.EqualFold(hn.names[i], string(name)) {
			return
		}
	}
	if hn.n == len(hn.names) {
		return
	}
	for _, c := range name {
		if c <= ' ' || c >= 0x7f {
			return // not a host name: keep the report clean
		}
	}
	hn.names[hn.n] = strings.ToLower(string(name))
	hn.n++
}

// namesOf returns the names of a (nil when none).
func (e *Engine) namesOf(a netip.Addr) []string {
	hn := e.names[a]
	if hn == nil {
		return nil
	}
	return hn.names[:hn.n]
}

// Names returns the names the capture gives a (DNS answers, TLS SNI, HTTP Host).
func (e *Engine) Names(a netip.Addr) []string {
	return append([]string(nil), e.namesOf(a)...)
}

func appendNames(dst, src []string) []string {
	for _, s := range src {
		dup := false
		for _, d := range dst {
			if d == s {
				dup = true
				break
			}
		}
		if !dup {
			dst = append(dst, s)
		}
	}
	return dst
}

// named writes "addr (name)" when the capture names a, else the address.
func (e *Engine) named(a netip.Addr) string {
	if ns := e.namesOf(a); len(ns) > 0 {
		return a.String() + " (" + ns[0] + ")"
	}
	return a.String()
}

// namedEP writes "addr:port (name)" when the capture names the address.
func (e *Engine) namedEP(ep Endpoint) string {
	if ns := e.namesOf(ep.Addr); len(ns) > 0 {
		return ep.String() + " (" + ns[0] + ")"
	}
	return ep.String()
}

// findingNames names the addresses a report shows for f: its culprit and the
// servers of its first 50 stalls and of their culprit attempts.
func (e *Engine) findingNames(f *Finding, c *Culprit) map[netip.Addr]string {
	var m map[netip.Addr]string
	add := func(a netip.Addr) {
		if ns := e.namesOf(a); len(ns) > 0 {
			if m == nil {
				m = map[netip.Addr]string{}
			}
			m[a] = ns[0]
		}
	}
	if c != nil {
		add(c.Host)
	}
	for i := range f.Stalls {
		if i == 50 {
			break
		}
		add(f.Stalls[i].Server.Addr)
		if a := f.Stalls[i].Attempt; a != nil {
			add(a.Server.Addr)
		}
	}
	return m
}
