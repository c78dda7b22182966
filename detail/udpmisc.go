package detail

import (
	"fmt"
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

func init() {
	Register(decode.ProtoRIP, buildRIP)
	Register(decode.ProtoBJNP, buildBJNP)
	Register(decode.ProtoDBLSPDisc, buildDBLSP)
}

// buildRIP is tshark's RIP tree: command, version, then one subtree per
// 20-byte route entry (RIPv2 adds route tag, netmask and next hop).
func buildRIP(b *Builder, l decode.Layer, d []byte) {
	d = d[:min(l.Len, len(d))]
	b.Open("rip", 0, len(d), "Routing Information Protocol")
	cmd, ver := d[0], d[1]
	b.Addf("rip.command", 0, 1, "Command: %s (%d)", decode.RIPCommandName(cmd), cmd)
	b.Addf("rip.version", 1, 1, "Version: %s (%d)", mapName(map[uint8]string{1: "RIPv1", 2: "RIPv2"}, ver, "Unknown"), ver)
	if ver == 2 {
		b.Addf("rip.routing_domain", 2, 2, "Routing Domain: %d", be16(d[2:]))
	}
	for off := 4; off+20 <= len(d); off += 20 {
		e := d[off : off+20]
		fam := be16(e)
		if fam == 0xffff {
			b.Open("rip.auth", off, 20, "Authentication")
			b.Addf("rip.auth.type", off+2, 2, "Authentication type: %s (%d)", mapName(map[uint16]string{1: "IP Route", 2: "Simple Password", 3: "Keyed Message Digest"}, be16(e[2:]), "Unknown"), be16(e[2:]))
			b.Close()
			continue
		}
		ip := netip.AddrFrom4([4]byte(e[4:8]))
		metric := be16(e[18:])
		b.Open("rip.route", off, 20, fmt.Sprintf("IP Address: %s, Metric: %d", b.AddrLabel(ip), metric))
		b.Addf("rip.family", off, 2, "Address Family: %s (%d)", mapName(map[uint16]string{0: "Unspecified", 2: "IP"}, fam, "Unknown"), fam)
		if ver == 2 {
			b.Addf("rip.route_tag", off+2, 2, "Route Tag: %d", be16(e[2:]))
		}
		b.Add("rip.ip", off+4, 4, "IP Address: "+b.AddrLabel(ip))
		if ver == 2 {
			b.Add("rip.netmask", off+8, 4, "Netmask: "+netip.AddrFrom4([4]byte(e[8:12])).String())
			b.Add("rip.next_hop", off+12, 4, "Next Hop: "+b.AddrLabel(netip.AddrFrom4([4]byte(e[12:16]))))
		}
		b.Addf("rip.metric", off+18, 2, "Metric: %d", metric)
		b.Close()
	}
	b.Close()
}

// buildBJNP is tshark's Canon BJNP header tree.
func buildBJNP(b *Builder, l decode.Layer, d []byte) {
	d = d[:min(l.Len, len(d))]
	typ, code := d[4], d[5]
	b.Open("bjnp", 0, len(d), fmt.Sprintf("Canon BJNP, %s: %s", decode.BJNPTypeName(typ), decode.BJNPCodeName(code)))
	b.Add("bjnp.id", 0, 4, "Id: "+Esc(d[:4]))
	b.Addf("bjnp.type", 4, 1, "Type: %s (%d)", decode.BJNPTypeName(typ), typ)
	b.Addf("bjnp.code", 5, 1, "Code: %s (%d)", decode.BJNPCodeName(code), code)
	b.Addf("bjnp.seq_no", 6, 4, "Sequence Number: %d", be32(d[6:]))
	b.Addf("bjnp.session_id", 10, 2, "Session Id: %d", be16(d[10:]))
	b.Addf("bjnp.payload_len", 12, 4, "Payload Length: %d", be32(d[12:]))
	if len(d) > 16 {
		b.Add("bjnp.payload", 16, len(d)-16, "Payload: "+BytesLabel(d[16:]))
	}
	b.Close()
}

// buildDBLSP is the Dropbox LAN sync discovery line with its JSON line
// (the JSON members are not shown).
func buildDBLSP(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	b.Open("db-lsp-disc", 0, n, "Dropbox LAN sync Discovery Protocol")
	b.Add("json", 0, n, "JavaScript Object Notation")
	b.Close()
}
