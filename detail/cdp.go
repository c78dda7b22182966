package detail

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
)

func init() { Register(decode.ProtoCDP, buildCDP) }

var cdpCaps = []struct {
	bit  uint64
	name string
}{{0x01, "Router"}, {0x02, "Transparent Bridge"}, {0x04, "Source Route Bridge"}, {0x08, "Switch"}, {0x10, "Host"},
	{0x20, "IGMP capable"}, {0x40, "Repeater"}, {0x80, "VoIP Phone"}, {0x100, "Remotely Managed Device"},
	{0x200, "CVTA/STP Dispute Resolution/Cisco VT Camera"}, {0x400, "Two Port Mac Relay"}}

// buildCDP is tshark's Cisco Discovery Protocol tree: header with its
// checksum, then one subtree per TLV (device and port IDs, software
// version lines, platform, addresses, capabilities, IP prefixes, VTP
// domain, native VLAN, duplex, trust; others by type and length).
func buildCDP(b *Builder, l decode.Layer, d []byte) {
	d = d[:min(l.Len, len(d))]
	b.Open("cdp", 0, len(d), "Cisco Discovery Protocol")
	defer b.Close()
	if len(d) < 4 {
		return
	}
	b.Addf("cdp.version", 0, 1, "Version: %d", d[0])
	b.Addf("cdp.ttl", 1, 1, "TTL: %d seconds", d[1])
	ck := be16(d[2:])
	if cdpChecksum(d) == 0 {
		b.Addf("cdp.checksum", 2, 2, "Checksum: 0x%04x [correct]", ck)
		b.Gen("cdp.checksum.status", "Checksum Status: Good")
	} else {
		b.Addf("cdp.checksum", 2, 2, "Checksum: 0x%04x [incorrect]", ck)
		b.Gen("cdp.checksum.status", "Checksum Status: Bad")
	}
	for off := 4; off+4 <= len(d); {
		typ, n := be16(d[off:]), int(be16(d[off+2:]))
		if n < 4 || off+n > len(d) {
			break
		}
		v := d[off+4 : off+n]
		s := Esc(v)
		var title string
		switch typ {
		case 1:
			title = "Device ID: " + s
		case 3:
			title = "Port ID: " + s
		case 6:
			title = "Platform: " + s
		case 2:
			title = "Addresses"
		case 0x16:
			title = "Management Addresses"
		case 4:
			title = "Capabilities"
		case 5:
			title = "Software Version"
		case 7:
			title = fmt.Sprintf("IP Prefixes: %d", len(v)/5)
		case 9:
			title = "VTP Management Domain: " + s
		case 0x0a:
			if len(v) >= 2 {
				title = fmt.Sprintf("Native VLAN: %d", be16(v))
			}
		case 0x0b:
			if len(v) >= 1 {
				title = "Duplex: " + map[bool]string{true: "Full", false: "Half"}[v[0] != 0]
			}
		case 0x12:
			if len(v) >= 1 {
				title = fmt.Sprintf("Trust Bitmap: 0x%02x", v[0])
			}
		case 0x13:
			if len(v) >= 1 {
				title = fmt.Sprintf("Untrusted port CoS: 0x%02x", v[0])
			}
		}
		name := valueName("cdp.tlv.type", uint64(typ), "Unknown")
		if title == "" {
			title = name
		}
		b.Open("cdp.tlv", off, n, title)
		b.Addf("cdp.tlv.type", off, 2, "Type: %s (0x%04x)", name, typ)
		b.Addf("cdp.tlv.len", off+2, 2, "Length: %d", n)
		vo := off + 4
		switch typ {
		case 1:
			b.Add("cdp.deviceid", vo, len(v), "Device ID: "+s)
		case 3:
			b.Add("cdp.portid", vo, len(v), "Sent through Interface: "+s)
		case 6:
			b.Add("cdp.platform", vo, len(v), "Platform: "+s)
		case 5:
			p := vo
			for _, ln := range strings.Split(string(v), "\n") {
				b.Add("cdp.software_version", p, len(ln), "Software version: "+Esc([]byte(ln)))
				p += len(ln) + 1
			}
		case 9:
			b.Add("cdp.vtp_management_domain", vo, len(v), "VTP Management Domain: "+s)
		case 2, 0x16:
			b.cdpAddresses(vo, v)
		case 4:
			if len(v) >= 4 {
				c := uint64(be32(v))
				b.Openf("cdp.capabilities", vo, 4, "Capabilities: 0x%08x", c)
				for _, k := range cdpCaps {
					b.Add("cdp.capabilities.flag", vo, 4, BitLine(32, k.bit, c, k.name+": "+YesNo(c&k.bit != 0)))
				}
				b.Close()
			}
		case 7:
			for i := 0; i+5 <= len(v); i += 5 {
				a := netip.AddrFrom4([4]byte(v[i : i+4]))
				b.Addf("cdp.odr_default_gateway", vo+i, 5, "IP Prefix: %s/%d", a, v[i+4])
			}
		case 0x0a:
			if len(v) >= 2 {
				b.Addf("cdp.native_vlan", vo, 2, "Native VLAN: %d", be16(v))
			}
		case 0x0b:
			if len(v) >= 1 {
				b.Add("cdp.duplex", vo, 1, "Duplex: "+map[bool]string{true: "Full", false: "Half"}[v[0] != 0])
			}
		case 0x12:
			if len(v) >= 1 {
				b.Addf("cdp.trust_bitmap", vo, 1, "Trust Bitmap: 0x%02x", v[0])
			}
		case 0x13:
			if len(v) >= 1 {
				b.Addf("cdp.untrusted_port_cos", vo, 1, "Untrusted port CoS: 0x%02x", v[0])
			}
		}
		b.Close()
		off += n
	}
}

// cdpAddresses writes an Addresses TLV's value: the count, then each
// address (NLPID IP ones named as tshark does).
func (b *Builder) cdpAddresses(off int, v []byte) {
	if len(v) < 4 {
		return
	}
	b.Addf("cdp.nrgaddresses", off, 4, "Number of addresses: %d", be32(v))
	p := 4
	for i := 0; i < int(be32(v)) && p+2 <= len(v); i++ {
		pt, pl := v[p], int(v[p+1])
		if p+2+pl+2 > len(v) {
			return
		}
		proto := v[p+2 : p+2+pl]
		al := int(be16(v[p+2+pl:]))
		end := p + 2 + pl + 2 + al
		if end > len(v) {
			return
		}
		addr := v[p+2+pl+2 : end]
		if pt == 1 && pl == 1 && proto[0] == 0xcc && al == 4 {
			a := netip.AddrFrom4([4]byte(addr))
			b.Openf("cdp.address", off+p, end-p, "IP address: %s", a)
			b.Add("cdp.protocol_type", off+p, 1, "Protocol type: NLPID (0x01)")
			b.Addf("cdp.protocol_length", off+p+1, 1, "Protocol length: %d", pl)
			b.Add("cdp.protocol", off+p+2, pl, "Protocol: IP")
			b.Addf("cdp.address_length", off+p+2+pl, 2, "Address length: %d", al)
			b.Add("cdp.nrgaddresses.ip", off+p+4+pl, al, "IP Address: "+a.String())
			b.Close()
		}
		p = end
	}
}

// cdpChecksum is CDP's Internet checksum over d (0 when the stored one is right).
func cdpChecksum(d []byte) uint16 {
	var s uint32
	for i := 0; i+1 < len(d); i += 2 {
		s += uint32(d[i])<<8 | uint32(d[i+1])
	}
	if len(d)%2 == 1 {
		// Cisco puts an odd last byte in the low half of a word, sign-extended
		// (as Wireshark checks it).
		c := d[len(d)-1]
		if c&0x80 != 0 {
			s += 0xff00 | uint32(c-1)
		} else {
			s += uint32(c)
		}
	}
	for s > 0xffff {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}
