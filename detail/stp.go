package detail

import (
	"fmt"
	"strconv"

	"github.com/wirewatch/wirewatch/decode"
)

func init() { Register(decode.ProtoSTP, buildSTP) }

var (
	stpVersions = map[byte]string{0: "Spanning Tree", 2: "Rapid Spanning Tree", 3: "Multiple Spanning Tree", 4: "Shortest Path Tree"}
	stpTypes    = map[byte]string{0x00: "Configuration", 0x80: "Topology Change Notification", 0x02: "Rapid/Multiple Spanning Tree"}
	stpRoles    = [4]string{"Unknown", "Alternate or Backup", "Root", "Designated"}
)

func yesNo(v bool) string {
	if v {
		return "Yes"
	}
	return "No"
}

// stpTime is a BPDU timer in 1/256 s, as Wireshark's FT_DOUBLE prints it.
func stpTime(d []byte) string { return strconv.FormatFloat(float64(be16(d))/256, 'g', -1, 64) }

// buildSTP is Wireshark's STP tree with PVST+'s originating VLAN (MSTP's
// MST extension after Version 1 Length is not expanded).
func buildSTP(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	d = d[:n]
	b.Open("stp", 0, n, "Spanning Tree Protocol")
	defer b.Close()
	if n < 4 {
		return
	}
	if pid := be16(d); pid == 0 {
		b.Add("stp.protocol", 0, 2, "Protocol Identifier: Spanning Tree Protocol (0x0000)")
	} else {
		b.Addf("stp.protocol", 0, 2, "Protocol Identifier: Unknown (0x%04x)", pid)
	}
	ver, typ := d[2], d[3]
	vs, ok := stpVersions[ver]
	if !ok {
		vs = "Unknown"
	}
	b.Addf("stp.version", 2, 1, "Protocol Version Identifier: %s (%d)", vs, ver)
	ts, ok := stpTypes[typ]
	if !ok {
		ts = "Unknown"
	}
	b.Addf("stp.type", 3, 1, "BPDU Type: %s (0x%02x)", ts, typ)
	if typ == 0x80 || n < 5 {
		return
	}
	rst := typ == 0x02
	fl := uint64(d[4])
	title := fmt.Sprintf("BPDU flags: 0x%02x", fl)
	if fl&0x80 != 0 {
		title += ", Topology Change Acknowledgment"
	}
	if rst {
		for _, f := range []struct {
			m    uint64
			name string
		}{{0x40, "Agreement"}, {0x20, "Forwarding"}, {0x10, "Learning"}} {
			if fl&f.m != 0 {
				title += ", " + f.name
			}
		}
		title += ", Port Role: " + stpRoles[fl>>2&3]
		if fl&0x02 != 0 {
			title += ", Proposal"
		}
	}
	if fl&0x01 != 0 {
		title += ", Topology Change"
	}
	b.Open("stp.flags", 4, 1, title)
	b.Add("stp.flags.tcack", 4, 1, BitLine(8, 0x80, fl, "Topology Change Acknowledgment: "+yesNo(fl&0x80 != 0)))
	if rst {
		b.Add("stp.flags.agreement", 4, 1, BitLine(8, 0x40, fl, "Agreement: "+yesNo(fl&0x40 != 0)))
		b.Add("stp.flags.forwarding", 4, 1, BitLine(8, 0x20, fl, "Forwarding: "+yesNo(fl&0x20 != 0)))
		b.Add("stp.flags.learning", 4, 1, BitLine(8, 0x10, fl, "Learning: "+yesNo(fl&0x10 != 0)))
		b.Add("stp.flags.port_role", 4, 1, BitLine(8, 0x0c, fl, fmt.Sprintf("Port Role: %s (%d)", stpRoles[fl>>2&3], fl>>2&3)))
		b.Add("stp.flags.proposal", 4, 1, BitLine(8, 0x02, fl, "Proposal: "+yesNo(fl&0x02 != 0)))
	}
	b.Add("stp.flags.tc", 4, 1, BitLine(8, 0x01, fl, "Topology Change: "+yesNo(fl&0x01 != 0)))
	b.Close()
	// A BPDU cut short shows the fields it holds (then tshark's Malformed line).
	if n < 13 {
		return
	}
	b.bridgeID(d, "stp.root", 5, "Root Identifier", "Root Bridge")
	if n < 17 {
		return
	}
	b.Addf("stp.root.cost", 13, 4, "Root Path Cost: %d", be32(d[13:]))
	if n < 25 {
		return
	}
	b.bridgeID(d, "stp.bridge", 17, "Bridge Identifier", "Bridge")
	if n < 27 {
		return
	}
	b.Addf("stp.port", 25, 2, "Port identifier: 0x%04x", be16(d[25:]))
	for i, t := range [4][2]string{{"stp.msg_age", "Message Age"}, {"stp.max_age", "Max Age"}, {"stp.hello", "Hello Time"}, {"stp.forward", "Forward Delay"}} {
		o := 27 + 2*i
		if n < o+2 {
			return
		}
		b.Add(t[0], o, 2, t[1]+": "+stpTime(d[o:]))
	}
	if rst && n >= 36 {
		b.Addf("stp.version_1_length", 35, 1, "Version 1 Length: %d", d[35])
	}
	const end = 36 // PVST+ TLVs follow the (padded) BPDU
	if f := b.Frame; f.Eth.HasSNAP && ver < 3 && n >= end+6 && be16(d[end:]) == 0 && be16(d[end+2:]) == 2 {
		// PVST+: the originating VLAN TLV
		vlan := be16(d[end+4:])
		b.Openf("stp.pvst.origvlan", end, 6, "Originating VLAN (PVID): %d", vlan)
		b.Add("stp.pvst.tlvtype", end, 2, "Type: Originating VLAN (0x0000)")
		b.Add("stp.pvst.tlvlength", end+2, 2, "Length: 2")
		b.Addf("stp.pvst.origvlan", end+4, 2, "Originating VLAN: %d", vlan)
		b.Close()
	}
}

// bridgeID adds an 8-byte bridge identifier at off of the layer: the
// line "Root Identifier: 32768 / 720 / 00:13:7f:be:8c:c0" and its parts.
func (b *Builder) bridgeID(layer []byte, field string, off int, title, part string) {
	d := layer[off : off+8]
	v := be16(d)
	b.Openf(field+".hw", off, 8, "%s: %d / %d / %s", title, v&0xf000, v&0x0fff, MAC(d[2:8]))
	b.Addf(field+".prio", off, 2, "%s Priority: %d", part, v&0xf000)
	b.Addf(field+".ext", off, 2, "%s System ID Extension: %d", part, v&0x0fff)
	b.Add(field+".hw", off+2, 6, part+" System ID: "+b.MACLabel(d[2:8]))
	b.Close()
}
