package field_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/internal/testenv"
	"github.com/wirewatch/wirewatch/internal/tshark"
	"github.com/wirewatch/wirewatch/pipeline"
	"github.com/wirewatch/wirewatch/report"
)

// Differential tests of the dissectors of decode/dissect.go against tshark,
// run live on the captures of ../shared/corpus/wide whose MANIFEST.tsv lists
// the protocol (tshark's own frame.protocols names). Every frame where
// either tshark or wirewatch shows the protocol is compared: frame.protocols,
// the Protocol and Info columns and every registered field of the protocol.

// dissectColumns are compared for every protocol besides its fields.
var dissectColumns = []string{"frame.protocols", "_ws.col.Protocol", "_ws.col.Info"}

// wideCaptures returns the wide-corpus captures whose MANIFEST.tsv protocol
// list names proto.
func wideCaptures(t *testing.T, proto string) []string {
	t.Helper()
	dir := filepath.Join(corpus.Dir(t), "wide")
	b, err := os.ReadFile(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatalf("wide corpus manifest: %v", err)
	}
	var out []string
	lines := strings.Split(string(b), "\n")
	col := -1
	for i, l := range lines {
		c := strings.Split(l, "\t")
		if i == 0 {
			for j, h := range c {
				if h == "protocols" {
					col = j
				}
			}
			if col < 0 {
				t.Fatalf("wide corpus manifest has no protocols column")
			}
			continue
		}
		if len(c) <= col {
			continue
		}
		for _, p := range strings.Split(c[col], ",") {
			if p == proto {
				out = append(out, filepath.Join(dir, c[0]))
				break
			}
		}
	}
	return out
}

// protoFieldNames lists the registered fields of protocol p, the protocol
// field first.
func protoFieldNames(p decode.Proto) []string {
	var out []string
	for _, fl := range field.Std().All() {
		if fl.Proto == p && fl.Name != p.String() && fl.Type != field.FTProtocol { // protocol layers (osi, slow) by frame.protocols
			out = append(out, fl.Name)
		}
	}
	sort.Strings(out)
	return append([]string{p.String()}, out...)
}

type cellCount struct{ same, total int }

// dissectCase is one dissector's differential test.
type dissectCase struct {
	proto    decode.Proto
	manifest string   // the protocol's name in MANIFEST.tsv
	floor    float64  // least share of equal cells, percent
	extra    []string // other fields to compare on its frames
	why      string   // why the floor is below 98, when it is
	// only: compare these fields (no columns) on the frames where either
	// side has one, for fields added to a protocol another file decodes.
	only []string

	paths     []string
	names     []string
	fields    []*field.Field
	counts    []cellCount
	perCap    map[string]*cellCount
	unreached int
	shown     int
}

// dissectorCases lists the dissectors of decode/dissect.go.
var dissectorCases = []*dissectCase{
	{proto: decode.ProtoDHCP, manifest: "dhcp", floor: 98},
	{proto: decode.ProtoPPPoED, manifest: "pppoed", floor: 98, extra: []string{"pppoe.code", "pppoe.session_id", "pppoe.payload_length"}},
	{proto: decode.ProtoLCP, manifest: "lcp", floor: 98},
	{proto: decode.ProtoIPCP, manifest: "ipcp", floor: 98, extra: []string{"ppp.code", "ppp.identifier", "ppp.length"}},
	{proto: decode.ProtoIPV6CP, manifest: "ipv6cp", floor: 98, extra: []string{"ppp.code", "ppp.identifier", "ppp.length"}},
	{proto: decode.ProtoCCP, manifest: "ccp", floor: 98, extra: []string{"ppp.code", "ppp.identifier", "ppp.length"}},
	{proto: decode.ProtoPAP, manifest: "pap", floor: 98},
	{proto: decode.ProtoNFLOG, manifest: "nflog", floor: 98},
	{proto: decode.ProtoNetBIOS, manifest: "netbios", floor: 90, why: "SMB Info details of DOS-era commands (paths, FIDs, errors) are not written"},
	{proto: decode.ProtoIPX, manifest: "ipx", floor: 98, extra: []string{"ipxrip.packet_type", "ipxsap.packet_type", "nmpi.packettype"}},
	{proto: decode.ProtoDHCPv6, manifest: "dhcpv6", floor: 98},
	{proto: decode.ProtoNTP, manifest: "ntp", floor: 95,
		why: "one datagram of overlapping IP fragments with conflicting data, which tshark reassembles otherwise"},
	{proto: decode.ProtoNBNS, manifest: "nbns", floor: 98},
	{proto: decode.ProtoSSH, manifest: "ssh", floor: 98},
	{proto: decode.ProtoQUIC, manifest: "quic", floor: 80,
		extra: []string{"tls.handshake.type", "tls.handshake.extensions_server_name",
			"tls.handshake.ciphersuite", "tls.handshake.extensions_alpn_str", "tls.handshake.extensions.supported_version"},
		why: "two nDPI pcapng files carry TLS secrets in a Decryption Secrets Block, with which tshark also decrypts " +
			"Handshake and 1-RTT packets; wirewatch decrypts Initial packets only"},
	{proto: decode.ProtoIGMP, manifest: "igmp", floor: 98},
	{proto: decode.ProtoSTP, manifest: "stp", floor: 98},
	{proto: decode.ProtoLLDP, manifest: "lldp", floor: 98},
	{proto: decode.ProtoCDP, manifest: "cdp", floor: 98},
	{proto: decode.ProtoSMB2, manifest: "smb2", floor: 98, extra: []string{"nbss.type", "nbss.length"},
		why: "the GSS-API/SPNEGO/NTLMSSP layers of Session Setup and DCE/RPC argument details in Info are not decoded"},
	{proto: decode.ProtoDCERPC, manifest: "dcerpc", floor: 96,
		why: "EPM tower and SVCCTL/SRVSVC argument details in Info, DCE/RPC over SMB1 on NetBEUI/IPX and the GSS-API layers are not decoded"},
	{proto: decode.ProtoSMB, manifest: "smb", floor: 96,
		why: "SMB over NetBEUI (LLC) and IPX, NetBIOS datagrams (BROWSER mailslots), AndX chains and Trans2 details are not decoded"},
	{proto: decode.ProtoICMPv6, manifest: "icmpv6", floor: 98, only: []string{
		"icmpv6.mld.maximum_response_delay", "icmpv6.mld.multicast_address", "icmpv6.mldr.nb_mcast_records",
		"icmpv6.mldr.mar.record_type", "icmpv6.mldr.mar.aux_data_len", "icmpv6.mldr.mar.nb_sources",
		"icmpv6.mldr.mar.multicast_address", "icmpv6.mldr.mar.source_address"}},
	{proto: decode.ProtoWebSocket, manifest: "websocket", floor: 90,
		why: "a frame split over TCP segments is not reassembled; WebSocket inside SOCKS/TLS (nDPI vmess) is not reached"},
	{proto: decode.ProtoRPC, manifest: "portmap", floor: 98, extra: []string{"portmap"},
		why: "ONC-RPC on any port (GETPORT replies, RPC's heuristic) with calls matched to replies; a few cells of " +
			"programs whose arguments are not decoded still differ"},
	{proto: decode.ProtoTFTP, manifest: "tftp", floor: 98, extra: []string{"data.len"}},
	{proto: decode.ProtoPIM, manifest: "pim", floor: 98},
	{proto: decode.ProtoSCTP, manifest: "sctp", floor: 95, why: "HTTP bodies over SCTP are not typed (image-gif)"},
	{proto: decode.ProtoOSPF, manifest: "ospf", floor: 90, why: "OSPFv3 over IPv6 with an AH header (ah is not decoded)"},
	{proto: decode.ProtoISIS, manifest: "isis", floor: 98},
	{proto: decode.ProtoHSRP, manifest: "hsrp", floor: 98},
	{proto: decode.ProtoVRRP, manifest: "vrrp", floor: 90, why: "VRRP behind an 802.1ah (PBB) header is not reached"},
	{proto: decode.ProtoEIGRP, manifest: "eigrp", floor: 98},
	{proto: decode.ProtoLACP, manifest: "lacp", floor: 98},
	{proto: decode.ProtoBGP, manifest: "bgp", floor: 60, why: "BGP over Cisco HDLC is not reached (chdlc link type)"},
	{proto: decode.ProtoRADIUS, manifest: "radius", floor: 98},
	{proto: decode.ProtoFTP, manifest: "ftp", floor: 95},
	{proto: decode.ProtoFTPData, manifest: "ftp-data", floor: 80,
		why: "tshark numbers a data connection's setup frame from the TCP conversation it finds, which differs " +
			"when the PORT command was retransmitted"},
	{proto: decode.ProtoIMAP, manifest: "imap", floor: 98},
	{proto: decode.ProtoPOP, manifest: "pop", floor: 98},
	{proto: decode.ProtoIMF, manifest: "imf", floor: 99},
	{proto: decode.ProtoTPKT, manifest: "tpkt", floor: 98},
	{proto: decode.ProtoCOTP, manifest: "cotp", floor: 98},
	{proto: decode.ProtoRDP, manifest: "rdp", floor: 98},
	{proto: decode.ProtoSOCKS, manifest: "socks", floor: 90,
		why: "tshark -T fields builds the tree, where Wireshark's SOCKS adds the message's name to Info " +
			"(\"Version: 5 Connect to server request\"); its packet list, which wirewatch follows, shows \"Version: 5\""},
	{proto: decode.ProtoSSDP, manifest: "ssdp", floor: 98, extra: []string{"http.request.method", "http.request.uri",
		"http.request.version", "http.host", "http.request", "http.notification", "http.request.line",
		"http.response.code", "http.response.phrase", "http.server", "http.location"}},
	{proto: decode.ProtoSyslog, manifest: "syslog", floor: 98},
	{proto: decode.ProtoMPTCP, manifest: "mptcp", floor: 99, extra: fieldsWithPrefix("tcp.options.mptcp.")},
	{proto: decode.ProtoIRC, manifest: "irc", floor: 90,
		why: "TLS records after STARTTLS, which tshark splits into IRC lines: their control bytes stay raw in tshark's Info"},
	{proto: decode.ProtoTelnet, manifest: "telnet", floor: 98},
	{proto: decode.ProtoPGSQL, manifest: "pgsql", floor: 98},
	{proto: decode.ProtoMQTT, manifest: "mqtt", floor: 70,
		why: "control packets continued over TCP segments are not reassembled (suricata mqtt-midstream-split)"},
	{proto: decode.ProtoISAKMP, manifest: "isakmp", floor: 98},
	{proto: decode.ProtoWG, manifest: "wg", floor: 98},
	{proto: decode.ProtoSIP, manifest: "sip", floor: 98},
	{proto: decode.ProtoSDP, manifest: "sdp", floor: 98},
	{proto: decode.ProtoMEGACO, manifest: "megaco", floor: 98},
	{proto: decode.ProtoRTP, manifest: "rtp", floor: 99,
		why: "RTP after a DTLS-SRTP handshake (stun.pcap) is not reached"},
	{proto: decode.ProtoRTCP, manifest: "rtcp", floor: 98},
	{proto: decode.ProtoSkinny, manifest: "skinny", floor: 98},
	{proto: decode.ProtoT38, manifest: "t38", floor: 98},
	{proto: decode.ProtoSTUN, manifest: "stun", floor: 99,
		why: "STUN quoted in ICMP errors is not decoded"},
	{proto: decode.ProtoClassicSTUN, manifest: "classicstun", floor: 98},
	{proto: decode.ProtoDCCP, manifest: "dccp", floor: 98},
	{proto: decode.ProtoMojito, manifest: "mojito", floor: 99},
	{proto: decode.ProtoPortControl, manifest: "portcontrol", floor: 98},
	{proto: decode.ProtoBitTorrent, manifest: "bittorrent", floor: 98},
	{proto: decode.ProtoGnutella, manifest: "gnutella", floor: 80,
		why: "a descriptor split over segments more than 5 s apart: the flow tracker buries the idle connection and " +
			"forgets the pending bytes (tshark reassembles them)"},
	{proto: decode.ProtoSMTP, manifest: "smtp", floor: 78,
		why: "AUTH exchanges, BDAT chunks and the IMF/data-text-lines layers of message content are not decoded"},
	{proto: decode.ProtoDTLS, manifest: "dtls", floor: 98},
	{proto: decode.ProtoBFD, manifest: "bfd", floor: 98},
	{proto: decode.ProtoPTP, manifest: "ptp", floor: 98},
	{proto: decode.ProtoOpenVPN, manifest: "openvpn", floor: 98},
	{proto: decode.ProtoKerberos, manifest: "kerberos", floor: 99,
		why: "LDAP SASL binds and SMB2 blobs after a lost NBSS segment hold Kerberos tokens tshark reads differently"},
	{proto: decode.ProtoLDAP, manifest: "ldap", floor: 90,
		why: "after a SASL bind tshark reads a connection's messages through its GSS-API layer (per-connection state not kept)"},
	{proto: decode.ProtoTLS, manifest: "x509sat", floor: 85, only: []string{
		"x509af.version", "tls.handshake.certificate_length", "tls.handshake.certificates_length", "x509af.serialNumber",
		"x509af.algorithm.id", "x509if.oid", "x509af.utcTime", "x509sat.CountryName", "x509sat.printableString",
		"x509sat.uTF8String", "x509sat.teletexString", "x509af.extension.id", "x509af.critical", "x509ce.dNSName",
		"x509ce.uniformResourceIdentifier"},
		why: "certificates in DTLS and Certificate messages split over TLS records are not read"},
	{proto: decode.ProtoSNMP, manifest: "snmp", floor: 93,
		why: "a synthetic SNMPv3 capture with inconsistent BER lengths: tshark shows the items before the error, wirewatch none"},
}

// TestDissectorsMatchTshark compares each dissector of decode/dissect.go
// with tshark on the wide captures whose manifest lists its protocol: one
// tshark run and one wirewatch pass per capture for all of them, then one
// subtest per protocol with its table.
func TestDissectorsMatchTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: runs tshark on the wide corpus (-short)")
	}
	testenv.Tool(t, "tshark")
	reg := field.Std()
	byPath := map[string][]*dissectCase{}
	var paths []string
	for _, c := range dissectorCases {
		c.paths = wideCaptures(t, c.manifest)
		if len(c.paths) == 0 {
			t.Fatalf("no wide capture lists %s", c.manifest)
		}
		c.names = append(append(append([]string{}, dissectColumns...), protoFieldNames(c.proto)[1:]...), c.extra...)
		if c.only != nil {
			c.names = c.only
		}
		c.fields = make([]*field.Field, len(c.names))
		for i, n := range c.names {
			if c.fields[i] = reg.Lookup(n); c.fields[i] == nil {
				t.Fatalf("%s: not in the registry", n)
			}
		}
		c.counts = make([]cellCount, len(c.names))
		c.perCap = map[string]*cellCount{}
		for _, p := range c.paths {
			if byPath[p] == nil {
				paths = append(paths, p)
			}
			byPath[p] = append(byPath[p], c)
		}
	}
	sort.Strings(paths)
	for _, path := range paths {
		cases := byPath[path]
		var names []string
		seen := map[string]bool{}
		for _, c := range cases {
			for _, n := range c.names {
				if !seen[n] {
					seen[n] = true
					names = append(names, n)
				}
			}
		}
		res, err := tshark.Fields(path, names)
		if err != nil || res.Exit != 0 {
			t.Logf("%s: tshark: %v (skipped)", filepath.Base(path), err)
			continue
		}
		for _, c := range cases {
			c.perCap[path] = &cellCount{}
		}
		var vals []field.Value
		var b []byte
		err = pipeline.RunFile(context.Background(), path, pipeline.Config{}, func(f *decode.Frame) error {
			n := int(f.Number)
			if n > res.Frames {
				return nil
			}
			for _, c := range cases {
				c.compare(t, f, res, n, path, &vals, &b)
			}
			return nil
		})
		if err != nil {
			t.Logf("%s: %v", filepath.Base(path), err)
		}
	}
	for _, c := range dissectorCases {
		name := c.proto.String()
		if c.only != nil {
			name = c.only[0][:strings.LastIndexByte(c.only[0], '.')]
		}
		t.Run(name, func(t *testing.T) {
			for _, p := range c.paths {
				if cc := c.perCap[p]; cc != nil {
					t.Logf("%s: %d/%d cells equal", filepath.Base(p), cc.same, cc.total)
				}
			}
			if c.unreached > 0 {
				t.Logf("%d frames where tshark finds %s under layers wirewatch does not decode (GRE, VXLAN, Geneve, PPP, a quoted ICMP payload): not counted", c.unreached, c.proto)
			}
			if c.only != nil {
				t.Logf("%s: the fields of this file only, on the frames that have one", c.manifest)
			}
			if c.why != "" {
				t.Logf("floor %.0f%%: %s", c.floor, c.why)
			}
			reportDiff(t, c.proto, len(c.paths), c.names, c.counts, c.floor)
		})
	}
}

// compare counts the cells of frame f (number n of the capture at path).
func (c *dissectCase) compare(t *testing.T, f *decode.Frame, res *tshark.Result, n int, path string, vals *[]field.Value, b *[]byte) {
	p := c.proto
	if c.only != nil {
		any := false
		for i, fl := range c.fields {
			if res.Cols[c.names[i]][n-1] != "" || len(fl.Get(f, (*vals)[:0])) > 0 {
				any = true
				break
			}
		}
		if !any {
			return
		}
	} else {
		protos := res.Cols[c.names[0]][n-1] // frame.protocols
		if !f.Has(p) && !hasProtoName(protos, p.String()) {
			return
		}
		if !f.Has(p) && !reached(string(f.Protocols()), protos, p.String()) {
			c.unreached++
			return
		}
	}
	cc := c.perCap[path]
	for i, fl := range c.fields {
		want := res.Cols[c.names[i]][n-1]
		*vals = fl.Get(f, (*vals)[:0])
		*b = (*b)[:0]
		for j, v := range *vals {
			if j > 0 {
				*b = append(*b, ',')
			}
			*b = report.AppendValue(*b, fl, v)
		}
		if len(*b) == 0 && want == "" {
			continue
		}
		c.counts[i].total++
		cc.total++
		if string(*b) == want {
			c.counts[i].same++
			cc.same++
		} else if c.shown < 20 {
			c.shown++
			t.Logf("%s %s #%d %s:\n got %.300q\nwant %.300q", p, filepath.Base(path), n, fl.Name, *b, want)
		}
	}
}

// reached reports whether wirewatch decoded the layers under protocol p
// that tshark shows: tshark's frame.protocols up to p starts ours.
func reached(got, want, p string) bool {
	i := strings.Index(want+":", ":"+p+":")
	if i < 0 {
		return true
	}
	return strings.HasPrefix(got, want[:i])
}

func hasProtoName(protocols, p string) bool {
	for _, s := range strings.Split(protocols, ":") {
		if s == p {
			return true
		}
	}
	return false
}

// reportDiff logs the per-column table and the total, and fails when the
// total agreement is below floor percent.
func reportDiff(t *testing.T, p decode.Proto, ncap int, names []string, counts []cellCount, floor float64) {
	t.Helper()
	var sb strings.Builder
	var same, total int
	for i, c := range counts {
		fmt.Fprintf(&sb, "%-48s %d/%d\n", names[i], c.same, c.total)
		same += c.same
		total += c.total
	}
	pct := 100.0
	if total > 0 {
		pct = 100 * float64(same) / float64(total)
	}
	t.Logf("%s on %d captures: %d/%d non-empty cells equal to tshark (%.2f%%)\n%s", p, ncap, same, total, pct, sb.String())
	if total == 0 {
		t.Errorf("%s: no frame of the protocol in the captures", p)
	}
	if pct < floor {
		t.Errorf("%s: %.2f%% of cells equal tshark's, want at least %.1f%%", p, pct, floor)
	}
}

// dissectFuzzPorts are the transports and ports the dissectors of
// decode/dissect.go listen on.
var dissectFuzzPorts = []struct {
	proto uint8
	port  uint16
}{{17, 67}, {17, 547}, {17, 123}, {17, 137}, {17, 443}, {6, 22}, {6, 25}, {6, 445}, {17, 520}, {17, 8612}, {17, 17500}, {6, 6000},
	{6, 21}, {6, 20}, {6, 143}, {6, 110}, {6, 23}, {6, 6667}, {6, 1883}, {17, 1900}, {17, 514}, {17, 2049}}

// FuzzDissectors decodes arbitrary payloads on every port of the
// dissectors of decode/dissect.go and reads every field of their protocols
// and the columns: no getter may panic.
func FuzzDissectors(f *testing.F) {
	for _, s := range dissectSeeds {
		f.Add(s)
	}
	var fields []*field.Field
	for _, fl := range field.Std().All() {
		if fl.Proto >= decode.ProtoDHCP {
			fields = append(fields, fl)
		}
	}
	dec := decode.NewDecoder(decode.Options{})
	var fr decode.Frame
	var vals []field.Value
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, c := range dissectFuzzPorts {
			pkt := appPacket(c.proto, c.port, b)
			dec.Decode(&fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
			for _, fl := range fields {
				vals = fl.Get(&fr, vals[:0])
			}
			fr.ColumnText(decode.ColInfo)
			fr.ColumnText(decode.ColProtocol)
			fr.Protocols()
		}
		// IGMP: IP protocol 2.
		total := 20 + len(b)
		pkt := append([]byte{0x45, 0, byte(total >> 8), byte(total), 0, 1, 0, 0, 1, 2, 0, 0, 192, 0, 2, 1, 224, 0, 0, 22}, b...)
		dec.Decode(&fr, capture.Packet{Info: capture.Info{CapLen: len(pkt), Len: len(pkt), LinkType: capture.LinkRaw}, Data: pkt})
		for _, fl := range fields {
			vals = fl.Get(&fr, vals[:0])
		}
		fr.ColumnText(decode.ColInfo)
		fr.ColumnText(decode.ColProtocol)
	})
}

// dissectSeeds are well-formed messages of each dissector.
var dissectSeeds = [][]byte{
	dhcpSeed(),
	// gQUIC Q025 client hello; RIPv2 response with one route; BJNP scanner discover; X11 requests.
	[]byte("\x0d\x48\x4a\x3d\x55\xc4\x39\xcd\x13Q025\x01\x0b\xf5\x37\xe5\x76\xae\x5f\x9e\x40\x35\x6f\x33\x01\xa0\x01\x00\x04CHLO\x17\x00\x00\x00"),
	{2, 2, 0, 0, 0, 2, 0, 0, 10, 0, 0, 0, 255, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 1},
	[]byte("BJNB\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"),
	{53, 24, 4, 0, 1, 2, 3, 4, 5, 6, 7, 8, 17, 0, 17, 0, 60, 0, 2, 0, 1, 2, 3, 4},
	// NTP client request.
	append([]byte{0x23, 2, 6, 0xef, 0, 0, 0, 0, 0, 0, 0, 0, 'I', 'N', 'I', 'T'}, make([]byte, 32)...),
	// NBNS registration of WORKGROUP<00> with an NB additional record.
	append(append([]byte{0xa7, 0x85, 0x29, 0x10, 0, 1, 0, 0, 0, 0, 0, 1, 32},
		[]byte("FHEPFCELEHFCEPFFFACACACACACACAAA")...),
		0, 0, 32, 0, 1, 0xc0, 12, 0, 32, 0, 1, 0, 4, 0x93, 0xe0, 0, 6, 0x80, 0, 192, 168, 199, 133),
	[]byte("SSH-2.0-OpenSSH_7.8\r\n"),
	sshKexInitSeed(),
	quicInitialSeed(),
	// STP configuration BPDU (the fuzz target wraps it in UDP, so it only
	// checks the getters on a non-STP frame; the decode fuzz targets reach
	// LLC).
	{0, 0, 0, 0, 0, 0x80, 0, 0x52, 0x54, 0, 0x2f, 0x9f, 0x43, 0, 0, 0, 0, 0x80, 0, 0x52, 0x54, 0, 0x2f, 0x9f, 0x43,
		0x80, 0x0a, 0, 0, 0x14, 0, 2, 0, 0x0f, 0},
	// LLDPDU: chassis MAC, port name, TTL, system name, End.
	{2, 7, 4, 8, 0, 0x27, 0x1f, 8, 0x22, 4, 10, 5, 'E', 't', 'h', 'e', 'r', 'n', 'e', 't', '1', 6, 2, 0, 120,
		10, 3, 'r', 't', 'r', 0, 0},
	// CDP: version, TTL, checksum, device ID, port ID.
	{2, 180, 0x12, 0x34, 0, 1, 0, 6, 'S', '1', 0, 3, 0, 8, 'F', 'a', '0', '1'},
	smb2Seed(),
	[]byte("250-mail.example.com Hello\r\n250-CHUNKING\r\n250 OK\r\n"),
	[]byte("BDAT 6 LAST\r\nDATA\r\n"),
	// FTP, IMAP, POP, IRC, SSDP, syslog, MQTT.
	[]byte("227 Entering Passive Mode (192,168,0,10,39,16).\r\n"),
	[]byte("PORT 192,168,0,13,234,10\r\n"),
	[]byte("229 Entering Extended Passive Mode (|||6446|)\r\n"),
	[]byte("257 \"/home/x\"\"y\" is current directory.\r\n"),
	[]byte("a0003 UID COPY 1:4 \"INBOX.old\"\r\n* 3 EXISTS\r\na0003 OK [READ-WRITE] SELECT completed.\r\n"),
	[]byte("+OK 2 messages\r\n1 120\r\n2 200\r\n.\r\n"),
	[]byte(":irc.example.net 001 nick :Welcome\r\nPRIVMSG #chan :hi\r\n"),
	[]byte("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 3\r\n\r\n"),
	[]byte("<166>Oct 21 06:56:18 rtr01 Rib: %OSPF-4-ADJCHG: up\n"),
	{0x10, 0x10, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 4, 'p', 'a', 'h', 'o', 0x82, 9, 0, 1, 0, 4, 't', 'o', 'p', 'c', 0},
	{0x32, 9, 0, 3, 'a', '/', 'b', 0, 7, 'h', 'i', 0xc0, 0},
	// PostgreSQL: an SSL request, then a simple query.
	{0, 0, 0, 8, 4, 0xd2, 0x16, 0x2f, 'Q', 0, 0, 0, 13, 's', 'e', 'l', 'e', 'c', 't', ' ', '1', 0},
	// IGMPv3 report joining 224.0.0.251 (also read as ICMPv6 by the UDP
	// wrapping: no; MLD is reached through the decode fuzz targets).
	{0x22, 0, 0xf9, 0x04, 0, 0, 0, 1, 4, 0, 0, 0, 224, 0, 0, 251},
	// DHCPv6 Solicit: client ID (DUID-LLT), ORO, elapsed time, IA_NA
	// holding an IA address, client FQDN.
	{1, 0x6a, 0xeb, 0xe6, 0, 1, 0, 14, 0, 1, 0, 1, 0x29, 0xd0, 0x81, 0x93, 0, 0, 1, 1, 0, 0,
		0, 6, 0, 4, 0, 23, 0, 24, 0, 8, 0, 2, 0x02, 0xbf,
		0, 3, 0, 40, 1, 1, 0, 0, 0, 0, 0x0e, 0x10, 0, 0, 0x15, 0x18,
		0, 5, 0, 24, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0x0e, 0x10, 0, 0, 0x15, 0x18,
		0, 39, 0, 6, 1, 3, 'p', 'c', '1', 0},
}

// sshKexInitSeed is an SSH binary packet holding a KEXINIT.
func sshKexInitSeed() []byte {
	msg := append([]byte{20}, make([]byte, 16)...)
	for _, l := range []string{"curve25519-sha256", "ssh-ed25519", "chacha20-poly1305@openssh.com", "aes128-ctr",
		"hmac-sha2-256", "hmac-sha2-256", "none", "none", "", ""} {
		msg = append(msg, 0, 0, byte(len(l)>>8), byte(len(l)))
		msg = append(msg, l...)
	}
	msg = append(msg, 0, 0, 0, 0, 0)
	pad := 8 - (len(msg)+5)%8 + 4
	n := len(msg) + 1 + pad
	b := []byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n), byte(pad)}
	b = append(b, msg...)
	return append(b, make([]byte, pad)...)
}

func dhcpSeed() []byte {
	b := make([]byte, 236)
	b[0], b[1], b[2] = 1, 1, 6
	copy(b[4:], []byte{0x3d, 0x1d, 0, 1})
	copy(b[28:], []byte{0, 0x0b, 0x82, 1, 0xfc, 0x42})
	b = append(b, 0x63, 0x82, 0x53, 0x63, 53, 1, 1, 61, 7, 1, 0, 0x0b, 0x82, 1, 0xfc, 0x42, 50, 4, 0, 0, 0, 0,
		55, 4, 1, 3, 6, 42, 12, 3, 'W', 'i', 'i', 255, 0, 0)
	return b
}

// quicInitialSeed is a client Initial header (version 1, 8-byte DCID) with a
// protected payload: the decryption fails, the parse must not.
func quicInitialSeed() []byte {
	b := []byte{0xc3, 0, 0, 0, 1, 8, 0x84, 0xac, 0xac, 0x06, 0xb4, 0x2e, 0xd8, 0x63, 0, 0, 0x40, 60}
	for i := 0; i < 60; i++ {
		b = append(b, byte(i*7))
	}
	return b
}

// smb2Seed is an NBSS message holding an SMB2 Create request for "a.txt".
func smb2Seed() []byte {
	h := make([]byte, 64+56)
	copy(h, "\xfeSMB")
	h[4], h[12], h[24] = 64, 5, 7
	name := []byte{'a', 0, '.', 0, 't', 0, 'x', 0, 't', 0}
	h[64] = 57
	h[64+44], h[64+46] = 120, byte(len(name))
	h = append(h, name...)
	return append([]byte{0, 0, byte(len(h) >> 8), byte(len(h))}, h...)
}

// fieldsWithPrefix lists the registered fields whose names start with p.
func fieldsWithPrefix(p string) []string {
	var out []string
	for _, fl := range field.Std().All() {
		if strings.HasPrefix(fl.Name, p) {
			out = append(out, fl.Name)
		}
	}
	return out
}
