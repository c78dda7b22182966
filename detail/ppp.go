package detail

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
)

// -V trees of PPPoE discovery and the PPP control protocols
// (decode/ppp.go): headers, the common options, PAP and CHAP in full.

func init() {
	pppProtos[0x80fd] = "Compression Control Protocol"
	Register(decode.ProtoPPPoED, buildPPPoED)
	for p, title := range map[decode.Proto]string{
		decode.ProtoLCP:    "PPP Link Control Protocol",
		decode.ProtoIPCP:   "PPP IP Control Protocol",
		decode.ProtoIPV6CP: "PPP IPv6 Control Protocol",
		decode.ProtoCCP:    "PPP Compression Control Protocol",
	} {
		p, title := p, title
		Register(p, func(b *Builder, l decode.Layer, d []byte) { buildCP(b, p, title, d[:min(l.Len, len(d))]) })
	}
	Register(decode.ProtoPAP, buildPAP)
	Register(decode.ProtoCHAP, buildCHAP)
}

var pppoedTagNames = map[uint16]string{0x0101: "Service-Name", 0x0102: "AC-Name", 0x0103: "Host-Uniq",
	0x0104: "AC-Cookie", 0x0110: "Relay-Session-Id", 0x0201: "Service-Name-Error", 0x0202: "AC-System-Error",
	0x0203: "Generic-Error"}

var pppoedTagFields = map[uint16]string{0x0101: "service_name", 0x0102: "ac_name", 0x0103: "host_uniq",
	0x0104: "ac_cookie", 0x0110: "relay_session_id", 0x0201: "service_name_error", 0x0202: "ac_system_error",
	0x0203: "generic_error"}

func buildPPPoED(b *Builder, l decode.Layer, d []byte) {
	d = d[:min(l.Len, len(d))]
	b.Open("pppoed", 0, len(d), "PPP-over-Ethernet Discovery")
	defer b.Close()
	if len(d) < 6 {
		return
	}
	b.Add("pppoe.version", 0, 1, BitLine(8, 0xf0, uint64(d[0]), fmt.Sprintf("Version: %d", d[0]>>4)))
	b.Add("pppoe.type", 0, 1, BitLine(8, 0x0f, uint64(d[0]), fmt.Sprintf("Type: %d", d[0]&0xf)))
	b.Addf("pppoe.code", 1, 1, "Code: %s (0x%02x)", decode.PPPoECodeName(d[1]), d[1])
	b.Addf("pppoe.session_id", 2, 2, "Session ID: 0x%04x", be16(d[2:]))
	b.Addf("pppoe.payload_length", 4, 2, "Payload Length: %d", be16(d[4:]))
	if len(d) <= 6 {
		return
	}
	b.Open("pppoed.tags", 6, len(d)-6, "PPPoE Tags")
	off := 6
	decode.EachPPPoETag(d, func(t uint16, v []byte) {
		name, field := pppoedTagNames[t], pppoedTagFields[t]
		if name != "" && len(v) > 0 { // an empty tag has no item
			text := fmt.Sprintf("%x", v)
			if strings.HasSuffix(field, "name") || strings.HasSuffix(field, "error") {
				text = Esc(v)
			}
			b.Add("pppoed.tags."+field, off+4, len(v), name+": "+text)
		}
		off += 4 + len(v)
	})
	b.Close()
}

var lcpOptNames = map[uint8]string{1: "Maximum Receive Unit", 2: "Async Control Character Map", 3: "Authentication Protocol",
	4: "Quality Protocol", 5: "Magic Number", 7: "Protocol Field Compression", 8: "Address and Control Field Compression"}

func buildCP(b *Builder, p decode.Proto, title string, d []byte) {
	b.Open(p.String(), 0, len(d), title)
	defer b.Close()
	if len(d) < 4 {
		return
	}
	b.Addf("ppp.code", 0, 1, "Code: %s (%d)", decode.PPPCodeName(p, d[0]), d[0])
	b.Addf("ppp.identifier", 1, 1, "Identifier: %d (0x%02x)", d[1], d[1])
	b.Addf("ppp.length", 2, 2, "Length: %d", be16(d[2:]))
	body := d[4:]
	switch {
	case d[0] >= 1 && d[0] <= 4 && len(body) > 0:
		b.cpOptions(p, body)
	case p == decode.ProtoLCP && d[0] >= 9 && d[0] <= 11 && len(body) >= 4:
		b.Addf("lcp.magic_number", 4, 4, "Magic Number: 0x%08x", be32(body))
		if len(body) > 4 {
			b.Addf("lcp.data", 8, len(body)-4, "Data: %x", body[4:])
		}
	case p == decode.ProtoLCP && d[0] == 8 && len(body) >= 2:
		rp := be16(body)
		b.Addf("lcp.rej_proto", 4, 2, "Rejected Protocol: %s (0x%04x)", mapName(pppProtos, rp, "Unknown"), rp)
	case (d[0] == 5 || d[0] == 6) && len(body) > 0:
		b.Addf("ppp.data", 4, len(body), "Data: %x", body)
	}
}

// cpOptions adds the Options subtree of a Configure packet's options o.
func (b *Builder) cpOptions(p decode.Proto, o []byte) {
	var names []string
	type opt struct {
		t   uint8
		off int
		v   []byte
	}
	var opts []opt
	for off := 0; off+2 <= len(o); {
		n := int(o[off+1])
		if n < 2 || off+n > len(o) {
			break
		}
		names = append(names, b.cpOptName(p, o[off]))
		opts = append(opts, opt{o[off], off + 4, o[off : off+n]})
		off += n
	}
	b.Open("", 4, len(o), fmt.Sprintf("Options: (%d bytes), %s", len(o), strings.Join(names, ", ")))
	defer b.Close()
	pre := p.String() + ".opt."
	for _, x := range opts {
		name := b.cpOptName(p, x.t)
		v := x.v[2:]
		head := name
		var value string
		switch {
		case p == decode.ProtoLCP && x.t == 1 && len(v) >= 2:
			value = fmt.Sprintf("Maximum Receive Unit: %d", be16(v))
			head = value
		case p == decode.ProtoLCP && x.t == 3 && len(v) >= 2:
			value = fmt.Sprintf("Authentication Protocol: %s (0x%04x)", mapName(pppProtos, be16(v), "Unknown"), be16(v))
			head = value
		case p == decode.ProtoLCP && x.t == 5 && len(v) >= 4:
			value = fmt.Sprintf("Magic Number: 0x%08x", be32(v))
			head = value
		case p == decode.ProtoIPCP && x.t == 3 && len(v) >= 4:
			value = "IP Address: " + netip.AddrFrom4([4]byte(v[:4])).String()
		case p == decode.ProtoIPV6CP && x.t == 1 && len(v) >= 8:
			value = "Interface Identifier: " + colonHex(v[:8])
		}
		b.Open("", x.off, len(x.v), head)
		b.Addf(pre+"type", x.off, 1, "Type: %s (%d)", name, x.t)
		b.Addf(pre+"length", x.off+1, 1, "Length: %d", len(x.v))
		if value != "" {
			b.Add("", x.off+2, len(v), value)
		}
		b.Close()
	}
}

func (b *Builder) cpOptName(p decode.Proto, t uint8) string {
	switch p {
	case decode.ProtoLCP:
		return mapName(lcpOptNames, t, "Unknown")
	case decode.ProtoIPCP:
		switch t {
		case 2:
			return "IP Compression Protocol"
		case 3:
			return "IP Address"
		case 129:
			return "Primary DNS Server IP Address"
		case 131:
			return "Secondary DNS Server IP Address"
		}
	case decode.ProtoIPV6CP:
		if t == 1 {
			return "Interface Identifier"
		}
	case decode.ProtoCCP:
		switch t {
		case 21:
			return "BSD LZW Compress"
		case 24:
			return "MVRCA (Magnalink)"
		case 26:
			return "Deflate"
		}
	}
	return "Unknown"
}

func colonHex(v []byte) string {
	var sb strings.Builder
	for i, c := range v {
		if i > 0 {
			sb.WriteByte(':')
		}
		fmt.Fprintf(&sb, "%02x", c)
	}
	return sb.String()
}

// authHeader adds the code, identifier and length of a PAP or CHAP packet
// (protocol p, field prefix name) at d[0:4].
func (b *Builder) authHeader(name string, p decode.Proto, d []byte) {
	b.Addf(name+".code", 0, 1, "Code: %s (%d)", decode.PPPCodeName(p, d[0]), d[0])
	b.Addf(name+".identifier", 1, 1, "Identifier: %d", d[1])
	b.Addf(name+".length", 2, 2, "Length: %d", be16(d[2:]))
}

func buildPAP(b *Builder, l decode.Layer, d []byte) {
	d = d[:min(l.Len, len(d))]
	b.Open("pap", 0, len(d), "PPP Password Authentication Protocol")
	defer b.Close()
	if len(d) < 4 {
		return
	}
	b.authHeader("pap", decode.ProtoPAP, d)
	a, pw, ok := decode.PAPFields(d)
	if len(d) < 5 {
		return
	}
	b.Open("pap.data", 4, len(d)-4, "Data")
	defer b.Close()
	if d[0] == 1 {
		b.Addf("pap.peer_id.length", 4, 1, "Peer-ID-Length: %d", len(a))
		b.Add("pap.peer_id", 5, len(a), "Peer-ID: "+Esc(a))
		if ok {
			b.Addf("pap.password.length", 5+len(a), 1, "Password-Length: %d", len(pw))
			b.Add("pap.password", 6+len(a), len(pw), "Password: "+Esc(pw))
		}
		return
	}
	b.Addf("pap.message.length", 4, 1, "Message-Length: %d", len(a))
	b.Add("pap.message", 5, len(a), "Message: "+Esc(a))
}

func buildCHAP(b *Builder, l decode.Layer, d []byte) {
	d = d[:min(l.Len, len(d))]
	b.Open("chap", 0, len(d), "PPP Challenge Handshake Authentication Protocol")
	defer b.Close()
	if len(d) < 4 {
		return
	}
	b.authHeader("chap", decode.ProtoCHAP, d)
	v, name, ok := decode.CHAPFields(d)
	if !ok || len(d) <= 4 {
		return
	}
	b.Open("chap.data", 4, len(d)-4, "Data")
	defer b.Close()
	if d[0] == 1 || d[0] == 2 {
		b.Addf("chap.value_size", 4, 1, "Value Size: %d", len(v))
		b.Addf("chap.value", 5, len(v), "Value: %x", v)
		if len(name) > 0 {
			b.Add("chap.name", 5+len(v), len(name), "Name: "+Esc(name))
		}
		return
	}
	b.Add("chap.message", 4, len(name), "Message: "+Esc(name))
}
