package decode

import (
	"net/netip"
	"strconv"
)

// DHCPv6 (RFC 8415) on UDP ports 546 and 547: a message type, a 24-bit
// transaction ID and options (type, length, value), some of which (IA_NA,
// IA_TA, IA_PD) hold options of their own. Relay messages (types 12 and 13)
// have a hop count and two addresses before their options.

// DHCPv6Option is one option of a DHCPv6 message.
type DHCPv6Option struct {
	Code  uint16
	Len   int
	Value []byte // the value bytes present
	Depth int    // 0 top level, 1 inside an IA option
}

// DHCPv6 holds the text Wireshark shows for some DHCPv6 values (built in
// the frame's scratch buffer at decode time): the IAIDs in hex, the
// link-layer addresses of DUIDs, the client FQDN.
type DHCPv6 struct {
	IAIDs   [][]byte
	LLT, LL [][]byte // link-layer addresses of DUID-LLT and DUID-LL identifiers
	Domains [][]byte // client FQDN (option 39)
}

// decodeDHCPv6 records p as a DHCPv6 message.
func decodeDHCPv6(f *Frame, p []byte) bool {
	if len(p) == 0 {
		return false
	}
	m := &f.DHCPv6
	m.IAIDs, m.LLT, m.LL, m.Domains = m.IAIDs[:0], m.LLT[:0], m.LL[:0], m.Domains[:0]
	n := 0
	EachDHCPv6Option(p, func(o DHCPv6Option) bool {
		if n++; n > 64 {
			return false
		}
		v := o.Value
		switch o.Code {
		case 1, 2:
			if len(v) != o.Len || len(v) < 4 || v[0] != 0 {
				break
			}
			switch {
			case v[1] == 1 && len(v) > 8:
				st := len(f.scratch)
				f.scratch = AppendMAC(f.scratch, v[8:])
				m.LLT = append(m.LLT, f.scratchFrom(st))
			case v[1] == 3 && len(v) > 4:
				st := len(f.scratch)
				f.scratch = AppendMAC(f.scratch, v[4:])
				m.LL = append(m.LL, f.scratchFrom(st))
			}
		case 3, 4, 25:
			if len(v) >= 4 {
				st := len(f.scratch)
				f.scratch = appendHexBytes(f.scratch, v[:4])
				m.IAIDs = append(m.IAIDs, f.scratchFrom(st))
			}
		case 39:
			if len(v) >= 1 {
				st := len(f.scratch)
				f.scratch = appendDomainList(f.scratch, v[1:])
				m.Domains = append(m.Domains, f.scratchFrom(st))
			}
		}
		return true
	})
	f.Present.Add(ProtoDHCPv6)
	f.addAppLayer(ProtoDHCPv6, p)
	return true
}

// scratchFrom returns what was appended to the frame's scratch buffer since
// offset start.
func (f *Frame) scratchFrom(start int) []byte {
	return f.scratch[start:len(f.scratch):len(f.scratch)]
}

// appendDomainList appends a name in DNS label format without compression
// as Wireshark prints DHCPv6 names: labels joined by dots, a final dot
// when the name ends with the root label.
func appendDomainList(dst, b []byte) []byte {
	first := true
	for len(b) > 0 {
		n := int(b[0])
		if n == 0 {
			return append(dst, '.')
		}
		if 1+n > len(b) {
			break
		}
		if !first {
			dst = append(dst, '.')
		}
		first = false
		dst = append(dst, b[1:1+n]...)
		b = b[1+n:]
	}
	return dst
}

// DHCPv6OptionsStart returns the offset of the first option of message b.
func DHCPv6OptionsStart(b []byte) int {
	if len(b) > 0 && (b[0] == 12 || b[0] == 13) {
		return 34
	}
	return 4
}

// EachDHCPv6Option calls fn for every option of message b in order,
// descending into IA_NA, IA_TA and IA_PD; fn returning false stops the walk.
func EachDHCPv6Option(b []byte, fn func(o DHCPv6Option) bool) {
	eachDHCPv6Option(b[min(len(b), DHCPv6OptionsStart(b)):], 0, fn)
}

func eachDHCPv6Option(b []byte, depth int, fn func(o DHCPv6Option) bool) bool {
	for len(b) >= 4 {
		o := DHCPv6Option{Code: be16(b), Len: int(be16(b[2:])), Depth: depth}
		end := 4 + o.Len
		if end > len(b) {
			end = len(b)
		}
		o.Value = b[4:end]
		if !fn(o) {
			return false
		}
		if depth < 2 {
			var sub []byte
			switch o.Code {
			case 3, 25: // IA_NA, IA_PD: IAID, T1, T2
				if len(o.Value) >= 12 {
					sub = o.Value[12:]
				}
			case 4: // IA_TA: IAID
				if len(o.Value) >= 4 {
					sub = o.Value[4:]
				}
			}
			if sub != nil && !eachDHCPv6Option(sub, depth+1, fn) {
				return false
			}
		}
		b = b[end:]
	}
	return true
}

var dhcpv6MsgNames = [...]string{1: "Solicit", 2: "Advertise", 3: "Request", 4: "Confirm", 5: "Renew", 6: "Rebind",
	7: "Reply", 8: "Release", 9: "Decline", 10: "Reconfigure", 11: "Information-request", 12: "Relay-forw",
	13: "Relay-reply", 14: "Leasequery", 15: "Leasequery-reply", 16: "Leasequery-done", 17: "Leasequery-data",
	18: "Reconfigure-request", 19: "Reconfigure-reply", 20: "DHCPv4-query", 21: "DHCPv4-response",
	22: "Active Leasequery", 23: "StartTLS", 24: "Binding Update", 25: "Binding Reply", 26: "Pool Request",
	27: "Pool Response", 28: "Update Request", 29: "Update Request All", 30: "Update Done", 31: "Connect",
	32: "Connect Reply", 33: "Disconnect", 34: "State", 35: "Contact"}

// appendDHCPv6Info writes Wireshark's Info text: "Solicit XID: 0x6aebe6 CID:
// 0001... IAA: 1234::4 " (the client DUID and leased addresses in option
// order, each followed by a space).
func appendDHCPv6Info(dst []byte, b []byte) []byte {
	t := b[0]
	if int(t) < len(dhcpv6MsgNames) && dhcpv6MsgNames[t] != "" {
		dst = append(dst, dhcpv6MsgNames[t]...)
	} else {
		dst = append(dst, "Unknown ("...)
		dst = strconv.AppendUint(dst, uint64(t), 10)
		dst = append(dst, ')')
	}
	if t == 12 || t == 13 || len(b) < 4 {
		return dst
	}
	dst = append(dst, " XID: "...)
	dst = appendHex(dst, uint64(b[1])<<16|uint64(b[2])<<8|uint64(b[3]), 6)
	dst = append(dst, ' ')
	EachDHCPv6Option(b, func(o DHCPv6Option) bool {
		switch {
		case o.Code == 1 && len(o.Value) == o.Len:
			dst = append(dst, "CID: "...)
			dst = appendHexBytes(dst, o.Value)
			dst = append(dst, ' ')
		case o.Code == 5 && len(o.Value) >= 16:
			dst = append(dst, "IAA: "...)
			dst = addr16(o.Value).AppendTo(dst)
			dst = append(dst, ' ')
		}
		return true
	})
	return dst
}

func appendHexBytes(dst, b []byte) []byte {
	const hx = "0123456789abcdef"
	for _, c := range b {
		dst = append(dst, hx[c>>4], hx[c&0xf])
	}
	return dst
}

func addr16(b []byte) netip.Addr { return netip.AddrFrom16([16]byte(b[:16])) }
