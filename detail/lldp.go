package detail

import (
	"fmt"

	"github.com/wirewatch/wirewatch/decode"
)

func init() { Register(decode.ProtoLLDP, buildLLDP) }

var (
	lldpChassis = [8]string{"Reserved", "Chassis component", "Interface alias", "Port component", "MAC address", "Network address", "Interface name", "Locally assigned"}
	lldpPort    = [8]string{"Reserved", "Interface alias", "Port component", "MAC address", "Network address", "Interface name", "Agent circuit Id", "Locally assigned"}
	lldpCaps    = [8]string{"Other", "Repeater", "Bridge", "WLAN access point", "Router", "Telephone", "DOCSIS cable device", "Station only"}
	lldpTLVs    = map[int]string{0: "End of LLDPDU", 1: "Chassis Id", 2: "Port Id", 3: "Time to Live", 4: "Port Description",
		5: "System Name", 6: "System Description", 7: "System Capabilities", 8: "Management Address", 127: "Organization Specific"}
)

// buildLLDP is Wireshark's LLDP tree for the chassis, port, TTL, port
// description, system name, capabilities and end TLVs; the other TLVs show their type and
// length only so far.
func buildLLDP(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	d = d[:n]
	b.Open("lldp", 0, n, "Link Layer Discovery Protocol")
	defer b.Close()
	for o := 0; o+2 <= n; {
		h := uint64(be16(d[o:]))
		typ, ln := int(h>>9), int(h&0x1ff)
		end := min(o+2+ln, n)
		v := d[o+2 : end]
		name, ok := lldpTLVs[typ]
		if !ok {
			name = "Unknown"
		}
		var title string
		switch {
		case (typ == 1 || typ == 2) && len(v) >= 1:
			sub := int(v[0])
			names, what := lldpChassis, "Chassis"
			if typ == 2 {
				names, what = lldpPort, "Port"
			}
			sn := "Unknown"
			if sub < len(names) {
				sn = names[sub]
			}
			id := Esc(v[1:])
			if sub == 4 && typ == 1 || sub == 3 && typ == 2 {
				id = MAC(v[1:])
			}
			title = fmt.Sprintf("%s Subtype = %s, Id: %s", what, sn, id)
			b.Open("lldp.tlv", o, end-o, title)
			b.lldpHeader(o, h, name, typ, ln)
			b.Addf("lldp.subtype", o+2, 1, "%s Id Subtype: %s (%d)", what, sn, sub)
			b.Add("lldp.id", o+3, len(v)-1, what+" Id: "+id)
		case typ == 3 && len(v) >= 2:
			b.Openf("lldp.time_to_live", o, end-o, "Time To Live = %d sec", be16(v))
			b.lldpHeader(o, h, name, typ, ln)
			b.Addf("lldp.time_to_live", o+2, 2, "Seconds: %d", be16(v))
		case typ == 4:
			b.Openf("lldp.port.desc", o, end-o, "Port Description = \"%s\"", Esc(v))
			b.lldpHeader(o, h, name, typ, ln)
			b.Addf("lldp.port.desc", o+2, len(v), "Port Description: \"%s\"", Esc(v))
		case typ == 5:
			b.Openf("lldp.tlv.system.name", o, end-o, "System Name = %s", Esc(v))
			b.lldpHeader(o, h, name, typ, ln)
			b.Add("lldp.tlv.system.name", o+2, len(v), "System Name: "+Esc(v))
		case typ == 7 && len(v) >= 4:
			b.Open("lldp.tlv", o, end-o, "Capabilities")
			b.lldpHeader(o, h, name, typ, ln)
			for i, t := range [2][2]string{{"lldp.tlv.system_cap", "Capabilities"}, {"lldp.tlv.enable_system_cap", "Enabled Capabilities"}} {
				c := uint64(be16(v[2*i:]))
				b.Openf(t[0], o+2+2*i, 2, "%s: 0x%04x", t[1], c)
				for bit, cn := range lldpCaps {
					w := "Not capable"
					if c>>bit&1 != 0 {
						w = "Capable"
					}
					b.Add(t[0], o+2+2*i, 2, BitLine(16, 1<<bit, c, cn+": "+w))
				}
				b.Close()
			}
		case typ == 0:
			b.Open("lldp.tlv", o, end-o, "End of LLDPDU")
			b.lldpHeader(o, h, name, typ, ln)
		default:
			b.Open("lldp.tlv", o, end-o, name)
			b.lldpHeader(o, h, name, typ, ln)
		}
		b.Close()
		if typ == 0 {
			return
		}
		o = end
	}
}

func (b *Builder) lldpHeader(o int, h uint64, name string, typ, ln int) {
	b.Add("lldp.tlv.type", o, 2, BitLine(16, 0xfe00, h, fmt.Sprintf("TLV Type: %s (%d)", name, typ)))
	b.Add("lldp.tlv.len", o, 2, BitLine(16, 0x01ff, h, fmt.Sprintf("TLV Length: %d", ln)))
}
