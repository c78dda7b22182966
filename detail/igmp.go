package detail

import (
	"fmt"
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

func init() { Register(decode.ProtoIGMP, buildIGMP) }

var (
	igmpTypes   = map[byte]string{0x11: "Membership Query", 0x12: "Membership Report", 0x16: "Membership Report", 0x17: "Leave Group", 0x22: "Membership Report"}
	igmpRecords = [7]string{"", "Mode Is Include", "Mode Is Exclude", "Change To Include Mode", "Change To Exclude Mode", "Allow New Sources", "Block Old Sources"}
)

func igmpAddr(b []byte) string { return netip.AddrFrom4([4]byte(b[:4])).String() }

// igmpChecksum adds the checksum lines of message d as tshark shows them.
func (b *Builder) igmpChecksum(d []byte) {
	var sum uint32
	for i := 0; i+1 < len(d); i += 2 {
		if i != 2 {
			sum += uint32(be16(d[i:]))
		}
	}
	if len(d)%2 == 1 {
		sum += uint32(d[len(d)-1]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	want, got := ^uint16(sum), be16(d[2:])
	if want == got {
		b.Addf("igmp.checksum", 2, 2, "Checksum: 0x%04x [correct]", got)
		b.Gen("igmp.checksum.status", "Checksum Status: Good")
		return
	}
	b.Addf("igmp.checksum", 2, 2, "Checksum: 0x%04x [incorrect, should be 0x%04x]", got, want)
	b.Gen("igmp.checksum.status", "Checksum Status: Bad")
}

// buildIGMP is Wireshark's tree of IGMPv2 and v3 messages (v1 shows its
// version and type only).
func buildIGMP(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	d = d[:n]
	b.Open("igmp", 0, n, "Internet Group Management Protocol")
	defer b.Close()
	if n < 8 {
		return
	}
	ver := decode.IGMPVersion(d)
	b.Gen("igmp.version", "IGMP Version: %d", ver)
	t := d[0]
	name, ok := igmpTypes[t]
	if !ok {
		name = "Unknown Type"
	}
	b.Addf("igmp.type", 0, 1, "Type: %s (0x%02x)", name, t)
	switch {
	case ver == 2 || (ver == 3 && t == 0x11):
		b.Addf("igmp.max_resp", 1, 1, "Max Resp Time: %.1f sec (0x%02x)", float64(d[1])/10, d[1])
		b.igmpChecksum(d)
		b.Add("igmp.maddr", 4, 4, "Multicast Address: "+igmpAddr(d[4:]))
		if ver != 3 || n < 12 {
			return
		}
		s := "Do not suppress router side processing"
		if d[8]&0x08 != 0 {
			s = "Suppress router side processing"
		}
		b.Add("igmp.s", 8, 1, BitLine(8, 0x08, uint64(d[8]), "S: "+s))
		b.Add("igmp.qrv", 8, 1, BitLine(8, 0x07, uint64(d[8]), fmt.Sprintf("QRV: %d", d[8]&7)))
		b.Addf("igmp.qqic", 9, 1, "QQIC: %d", d[9])
		ns := int(be16(d[10:]))
		b.Addf("igmp.num_src", 10, 2, "Num Src: %d", ns)
		for i := 0; i < ns && 12+4*i+4 <= n; i++ {
			b.Add("igmp.saddr", 12+4*i, 4, "Source Address: "+igmpAddr(d[12+4*i:]))
		}
	case ver == 3 && t == 0x22:
		b.Addf("igmp.reserved", 1, 1, "Reserved: %02x", d[1])
		b.igmpChecksum(d)
		b.Addf("igmp.reserved", 4, 2, "Reserved: %04x", be16(d[4:]))
		nr := int(be16(d[6:]))
		b.Addf("igmp.num_grp_recs", 6, 2, "Num Group Records: %d", nr)
		o := 8
		for r := 0; r < nr && o+8 <= n; r++ {
			rt, aux, ns := d[o], int(d[o+1]), int(be16(d[o+2:]))
			rn := "Unknown"
			if int(rt) < len(igmpRecords) && rt > 0 {
				rn = igmpRecords[rt]
			}
			size := min(8+4*ns+4*aux, n-o)
			b.Openf("igmp.record", o, size, "Group Record : %s  %s", igmpAddr(d[o+4:]), rn)
			b.Addf("igmp.record_type", o, 1, "Record Type: %s (%d)", rn, rt)
			b.Addf("igmp.aux_data_len", o+1, 1, "Aux Data Len: %d", aux)
			b.Addf("igmp.num_src", o+2, 2, "Num Src: %d", ns)
			b.Add("igmp.maddr", o+4, 4, "Multicast Address: "+igmpAddr(d[o+4:]))
			for i := 0; i < ns && o+8+4*i+4 <= n; i++ {
				b.Add("igmp.saddr", o+8+4*i, 4, "Source Address: "+igmpAddr(d[o+8+4*i:]))
			}
			b.Close()
			o += 8 + 4*ns + 4*aux
		}
	}
}
