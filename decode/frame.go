package decode

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/capture"
)

// Proto identifies a protocol layer present in a Frame (Wireshark's protocol
// filter names: "eth", "vlan", "ip", ...).
type Proto uint8

// Protocols. Add new ones at the end; String gives Wireshark's filter name.
const (
	ProtoFrame Proto = iota
	ProtoEth
	ProtoVLAN
	ProtoSLL
	ProtoNull
	ProtoARP
	ProtoIP
	ProtoIPv6
	ProtoICMP
	ProtoICMPv6
	ProtoTCP
	ProtoUDP
	ProtoDNS
	ProtoHTTP
	ProtoTLS
	ProtoLLC
	ProtoData
	ProtoRaw        // raw IP link layer (LINKTYPE_RAW, IPV4, IPV6)
	ProtoIEEE8021AD // 802.1ad service tag (its tag is in VLANs with TPID 0x88a8)
	ProtoPPPoE      // PPPoE session header (Wireshark's "pppoes")
	ProtoPPP        // PPP inside PPPoE
	// Dissectors of dissect.go (one file each): their fields parse the
	// layer's bytes on demand.
	ProtoDHCP
	ProtoDHCPv6
	ProtoNTP
	ProtoNBNS
	ProtoSSH
	ProtoQUIC
	ProtoIGMP
	ProtoNBSS
	ProtoSMB2
	ProtoSMTP
	ProtoWebSocket
	ProtoLLDP
	ProtoCDP
	ProtoSTP
	ProtoHTTP2   // HTTP/2 from decrypted TLS
	ProtoNFLOG   // Linux NFLOG link-layer header (LINKTYPE_NFLOG)
	ProtoRPC     // ONC-RPC, one layer per message (rpc.go)
	ProtoPortmap // portmapper call arguments after their RPC layer
	// Tunnels (tunnel.go).
	ProtoGRE
	ProtoVXLAN
	ProtoGeneve
	ProtoMPLS
	ProtoERSPAN
	ProtoTeredo
	ProtoPWEthCW // MPLS pseudowire Ethernet control word
	ProtoX11     // X11 on TCP 6000-6063 (x11.go)
	// Routing, infrastructure and transport protocols (routing.go).
	ProtoTFTP
	ProtoPIM
	ProtoSCTP
	ProtoOSPF
	ProtoISIS // IS-IS over OSI (LLC SAP 0xfe): frame.protocols osi:isis:isis.<pdu>
	ProtoHSRP
	ProtoVRRP
	ProtoEIGRP
	ProtoBGP
	ProtoRADIUS
	ProtoLACP // slow protocols subtype 1: frame.protocols slow:lacp
	// Windows family (dcerpc.go, smb.go, ntlmssp.go, nbdgm.go).
	ProtoDCERPC
	ProtoSMB
	ProtoNTLMSSP
	ProtoGSSAPI
	ProtoSPNEGO
	ProtoNBDGM
	ProtoMailslot
	ProtoBrowser
	// VoIP (voip.go).
	ProtoSIP
	ProtoSDP
	ProtoRTP
	ProtoRTCP
	ProtoSTUN
	ProtoClassicSTUN
	ProtoMEGACO // text MEGACO/H.248 on UDP 2944 (megaco.go)
	ProtoRTPEvent
	ProtoRIP  // RIP on UDP 520 (udpmisc.go)
	ProtoBJNP // Canon BJNP on UDP 8611-8614
	ProtoDBLSPDisc
	ProtoGQUIC // Google QUIC (gquic.go)
	// Line-based application protocols (textproto.go).
	ProtoFTP
	ProtoFTPData
	ProtoIMAP
	ProtoPOP
	ProtoSSDP
	ProtoTelnet
	ProtoSyslog
	ProtoIRC
	ProtoMQTT
	ProtoDataTextLines // text lines of an FTP-DATA payload
	// More of routing.go: VPN key exchange and tunnels (vpn.go).
	ProtoISAKMP
	ProtoUDPEncap // RFC 3948 non-ESP marker before ISAKMP on UDP 4500
	ProtoWG       // WireGuard
	ProtoNFS      // NFS arguments or results after their RPC layer (nfs.go)
	ProtoMOUNT    // MOUNT arguments or results after their RPC layer
	// WAN link types and IPsec (wan.go).
	ProtoCHDLC
	ProtoSLARP
	ProtoFR
	ProtoIPNet
	ProtoIPoIB
	ProtoESP
	ProtoAH
	ProtoCMD   // Cisco MetaData (encap.go)
	ProtoLoop  // Ethernet configuration test protocol, EtherType 0x9000
	ProtoPBB   // 802.1ah provider backbone bridging I-TAG (Wireshark's "ieee8021ah")
	ProtoDCCP  // DCCP, IP protocol 33 (routing.go, dccp.go)
	ProtoPGSQL // PostgreSQL (pgsql.go)
	// Application protocols of apps (imf.go, tpkt.go, mysql.go, tds.go, socks.go).
	ProtoIMF    // Internet Message Format inside POP, IMAP, SMTP
	ProtoMySQL  // MySQL on TCP 3306
	ProtoTDS    // Tabular Data Stream (MS SQL, Sybase) on TCP 1433
	ProtoTPKT   // ISO transport over TCP (RFC 1006), TCP 3389 / 102
	ProtoCOTP   // ISO 8073 connection-oriented transport inside TPKT
	ProtoRDP    // Remote Desktop Protocol negotiation inside COTP
	ProtoSOCKS  // SOCKS 4/5 on TCP 1080
	ProtoSkinny // Cisco SCCP on TCP 2000 (skinny.go)
	ProtoT38    // T.38 fax over UDPTL, on conversations SDP set up (t38.go)
	// PPP control protocols and PPPoE discovery (ppp.go).
	ProtoPPPoED
	ProtoLCP
	ProtoIPCP
	ProtoIPV6CP
	ProtoCCP
	ProtoPAP
	ProtoCHAP
	// Datagram security and timing protocols of udpcrypto (dtls.go, openvpn.go, ptp.go, bfd.go).
	ProtoDTLS    // DTLS 1.0/1.2 records (UDP ports and heuristic)
	ProtoOpenVPN // OpenVPN on UDP/TCP 1194
	ProtoPTP     // Precision Time Protocol (UDP 319/320, EtherType 0x88f7)
	ProtoBFD     // Bidirectional Forwarding Detection (UDP 3784/4784)
	// BER/ASN.1 protocols (asn1.go).
	ProtoKerberos
	ProtoLDAP
	ProtoCLDAP
	ProtoSNMP
	ProtoMojito   // Mojito DHT, UDP heuristic (p2p.go, mojito.go)
	ProtoGnutella // Gnutella on TCP 6346 (gnutella.go)
	// NetBEUI and IPX (netbios.go).
	ProtoNetBIOS
	ProtoIPX
	ProtoNBIPX
	ProtoNMPI
	ProtoIPXRIP
	ProtoIPXSAP
	ProtoPortControl // Port Control Protocol and NAT-PMP on UDP 5350-5351 (natpmp.go)
	ProtoMPTCP       // Multipath TCP: one layer per MPTCP option (kind 30) of a TCP header
	ProtoBitTorrent  // BitTorrent peer wire protocol, TCP 6881-6889 and handshake heuristic (bittorrent.go)
	NumProtos
)

// Frame.Present and the other protocol sets are ProtoSets (protoset.go):
// room for every Proto value, 256.

var protoNames = [...]string{"frame", "eth", "vlan", "sll", "null", "arp", "ip", "ipv6", "icmp", "icmpv6",
	"tcp", "udp", "dns", "http", "tls", "llc", "data", "raw", "ieee8021ad", "pppoes", "ppp",
	"dhcp", "dhcpv6", "ntp", "nbns", "ssh", "quic", "igmp", "nbss", "smb2", "smtp", "websocket", "lldp", "cdp", "stp",
	"http2", "nflog", "rpc", "portmap", "gre", "vxlan", "geneve", "mpls", "erspan", "teredo", "pwethcw", "x11",
	"tftp", "pim", "sctp", "ospf", "isis", "hsrp", "vrrp", "eigrp", "bgp", "radius", "lacp",
	"dcerpc", "smb", "ntlmssp", "gss-api", "spnego", "nbdgm", "mailslot", "browser",
	"sip", "sdp", "rtp", "rtcp", "stun", "classicstun", "megaco", "rtpevent", "rip", "bjnp", "db-lsp-disc", "gquic",
	"ftp", "ftp-data", "imap", "pop", "ssdp", "telnet", "syslog", "irc", "mqtt", "data-text-lines",
	"isakmp", "udpencap", "wg", "nfs", "mount",

	"chdlc", "slarp", "fr", "ipnet", "ipoib", "esp", "ah", "cmd", "loop", "ieee8021ah", "dccp", "pgsql",
	"imf", "mysql", "tds", "tpkt", "cotp", "rdp", "socks", "skinny", "t38",
	"pppoed", "lcp", "ipcp", "ipv6cp", "ccp", "pap", "chap",
	"dtls", "openvpn", "ptp", "bfd",
	"kerberos", "ldap", "cldap", "snmp",
	"mojito", "gnutella",
	"netbios", "ipx", "nbipx", "nmpi", "ipxrip", "ipxsap",
	"portcontrol", "mptcp", "bittorrent"}

func (p Proto) String() string {
	if int(p) < len(protoNames) {
		return protoNames[p]
	}
	return "proto?"
}

// Layer records where a protocol's bytes sit in Frame.Data, for protocol-valued
// filters and slices such as tcp[0:2].
type Layer struct {
	Proto Proto
	Off   int // offset into Frame.Data (or into Frame.Reassembled when Reasm is set)
	Len   int // header+payload length belonging to this protocol
	Reasm bool
	Dec   bool // Off is into Frame.Decrypted (decrypted TLS application data)
}

// Frame is everything known about one packet. Decode resets and fills it;
// the flow package fills the Analysis part. Present tells which layers exist;
// a struct of an absent layer holds stale data and must not be read.
type Frame struct {
	// Filled by the caller from the capture record.
	Number    uint64 // 1-based frame number, as in Wireshark
	TS        int64  // ns since epoch
	Len       int    // frame.len
	CapLen    int    // frame.cap_len
	LinkType  capture.LinkType
	Interface int
	NoTS      bool // the record has no timestamp (pcapng SPB, custom block): frame.time* absent
	Comments  []string
	// CustomType and CustomPEN: a pcapng custom block's type and Private
	// Enterprise Number (LinkType capture.LinkCustomBlock), for -w.
	CustomType, CustomPEN uint32
	Data                  []byte // captured bytes (aliased; owned by the reader)
	// Reference times set by the pipeline for frame.time_relative,
	// frame.time_delta and frame.time_delta_displayed.
	FirstTS, PrevTS, PrevDisplayedTS int64

	Present ProtoSet // the protocols present (Present.Has(p))
	// Repeated holds the protocols with more than one layer in Layers
	// (tunnels); their fields read each occurrence from its bytes (layers.go).
	Repeated ProtoSet
	Layers   []Layer // in decode order; reused between Decodes

	Eth   Ethernet
	SLL   SLL    // Linux cooked header (v1 or v2)
	Null  uint32 // BSD loopback address family
	VLANs []VLAN // outermost first; reused
	PPPoE PPPoE  // PPPoE session and PPP protocol
	ARP   ARP
	IP    IPv4 // first (outer) IPv4 header
	IPv6  IPv6 // first (outer) IPv6 header
	ICMP  ICMP
	ICMP6 ICMPv6
	TCP   TCP
	UDP   UDP
	DNS   DNS
	NBNS  NBNS
	SSH   SSH
	HTTP  HTTP
	TLS   TLS
	HTTP2 HTTP2
	// DHCPv6 text values (dhcpv6.go).
	DHCPv6 DHCPv6
	QUIC   QUIC
	SMB2   SMB2
	DCERPC DCERPC
	SMTP   SMTP
	X11    X11
	TFTP   TFTP // routing.go: the request of the datagram's TFTP conversation
	SCTP   SCTP // routing.go: the TSN bases of the packet's SCTP association
	DCCP   DCCP // routing.go: the sequence bases of the packet's DCCP connection
	// RADIUSDupOf is the frame a RADIUS request repeats (same client, server,
	// identifier and authenticator): Wireshark's radius.req.dup; 0 none.
	RADIUSDupOf uint64
	// DTLSVersion is the DTLS conversation's version after this packet's
	// records (dtls.go; the Protocol column), 0 unknown.
	DTLSVersion uint16
	bfdEchoPort bool // bfd.go: the BFD layer is an echo packet (UDP 3785)
	SIP         SIP
	RTP         RTP
	// MediaConv identifies the wildcard conversation (an SDP or Skinny
	// media registration, one per setup frame) Wireshark's UDP dissector
	// finds for this datagram, source endpoint first; 0 none. The tracker
	// numbers udp.stream by it when no exact 5-tuple conversation exists.
	MediaConv uint64
	// SDPTrace is what each SDP layer shows as sip.call_id_generated: the
	// Call-IDs of the last RTP set up from the frame's signalling
	// conversation (a snapshot of decoder state).
	SDPTrace [][]byte
	GQUIC    GQUIC
	// Text is the cross-packet state of the line-based protocols (textproto.go).
	Text TextProto
	// SOCKS is what a SOCKS segment is in its connection (socks.go).
	SOCKS SOCKS
	// RPCMatch has one entry per RPC layer: the call's program, version
	// and procedure (for a reply, its call's, and the call's frame; zero
	// when no call was seen).
	RPCMatch []RPCCallInfo

	// Payload is the transport payload (TCP/UDP data, possibly reassembled IP fragments).
	Payload []byte
	// Reassembled holds bytes from IP-fragment or TCP reassembly when the
	// upper layers were decoded from them; nil otherwise.
	Reassembled []byte
	// Decrypted holds the TLS-decrypted bytes the application layers of
	// this frame were decoded from (a key log was given); empty otherwise.
	// Owned by the frame, reused.
	Decrypted []byte

	Anomalies []Anomaly // malformed-packet notes (Wireshark's _ws.malformed / expert)

	// Fragment is set on an IP fragment whose datagram is not complete with
	// this packet: the upper layers are absent (as in Wireshark with reassembly on).
	Fragment bool
	// InterfaceName is frame.interface_name (set by the caller; "" unknown).
	InterfaceName string
	// Prefix is text the pipeline's decoding stage wrote for this frame
	// (pipeline.Config.Prefix: the packet list's columns that depend on
	// the frame alone), for the consumer to copy; reused between frames.
	Prefix []byte
	// PDUSegment is set (by package flow) when this frame's TCP payload only
	// starts or continues an application message completed in a later frame:
	// Wireshark's "[TCP segment of a reassembled PDU]".
	PDUSegment bool
	// TLSPDUStart is set with PDUSegment when the segment starts a TLS
	// record that continues in later segments.
	TLSPDUStart bool
	// IMAPPDUStart is set with PDUSegment when IMAP read the segment's
	// first lines and asked for more (a FETCH literal): Wireshark's IMAP
	// layer is there, with no line of its own.
	IMAPPDUStart bool
	// NBSSPDUStart is set when the segment starts an NBSS session message
	// that continues in later segments (Wireshark's Info says "Session
	// message").
	NBSSPDUStart bool
	// spnegoKrb5 is set when a SPNEGO layer holds a Kerberos token
	// (frame.protocols "spnego-krb5" after "spnego").
	spnegoKrb5 bool
	// H2PDUStart is set with PDUSegment when the segment starts an HTTP/2
	// frame (h2c) that continues in later segments.
	H2PDUStart bool
	// ASN1PDUStart is set with PDUSegment when the segment starts a
	// Kerberos record or LDAP message that continues in later segments.
	ASN1PDUStart bool
	// ClearedPDUStart is set with PDUSegment when the dissector that asked
	// TCP for more bytes had cleared the Info column (Gnutella): Info is
	// only "[TCP segment of a reassembled PDU]".
	ClearedPDUStart bool
	// FragFrames lists the frame numbers of the IP fragments reassembled into
	// this frame (ip.fragment / ipv6.fragment); owned by the Decoder, valid
	// until the next reassembly completes.
	FragFrames []uint64

	Analysis Analysis // filled by package flow

	scratch []byte // owner of decoded strings (DNS names etc.); reused
	// Owners of an IP reassembly's bytes and fragment frame numbers (ownReassembly).
	reasmBuf []byte
	fragBuf  []uint64
	text     []byte // owner of computed text (frame.protocols); reused
	col      []byte // owner of column text (_ws.col.*); reused
}

// Has reports whether protocol p is present in the frame.
func (f *Frame) Has(p Proto) bool { return f.Present.Has(p) }

// Anomaly is a decode problem: which protocol, where, and what.
type Anomaly struct {
	Proto Proto
	Off   int
	Msg   string // constant strings only (no per-packet allocation)
}

// Ethernet II / 802.3 header.
type Ethernet struct {
	Dst, Src [6]byte
	Type     uint16 // EtherType, or length for 802.3
	// 802.2 LLC header when Type is a length (ProtoLLC present).
	DSAP, SSAP uint8
	Control    uint16 // 2 bytes (little-endian, as Wireshark reads them) for I and S frames
	SNAPOUI    uint32 // SNAP OUI when DSAP/SSAP are 0xAA
	SNAPType   uint16 // SNAP protocol id (an EtherType when OUI is 0)
	HasSNAP    bool
}

// SLL is a Linux cooked capture header, v1 (LINKTYPE_LINUX_SLL) or v2 (LINKTYPE_LINUX_SLL2).
type SLL struct {
	Version  uint8  // 1 or 2
	PktType  uint16 // 0 to us, 4 outgoing, ...
	HAType   uint16 // ARPHRD_ type
	AddrLen  uint16
	Addr     [8]byte // link-layer source address (first AddrLen bytes, max 8)
	Protocol uint16  // EtherType (or a Linux pseudo-protocol)
	IfIndex  uint32  // v2 only
}

// PPPoE is a PPPoE session header and the PPP protocol field it carries.
type PPPoE struct {
	Version, Type uint8
	Code          uint8
	Session       uint16
	Length        uint16
	PPPProto      uint16
}

// VLAN is one 802.1Q / 802.1ad tag.
type VLAN struct {
	TPID     uint16
	Priority uint8
	DEI      bool
	ID       uint16
	Type     uint16 // next EtherType
}

// ARP for Ethernet/IPv4.
type ARP struct {
	HWType, ProtoType uint16
	HWSize, ProtoSize uint8
	Opcode            uint16
	SenderMAC         [6]byte
	SenderIP          netip.Addr
	TargetMAC         [6]byte
	TargetIP          netip.Addr
}

// IPv4 header.
type IPv4 struct {
	Version, IHL uint8
	TOS          uint8
	TotalLen     uint16
	ID           uint16
	Flags        uint8  // 3 bits: reserved, DF, MF
	FragOffset   uint16 // in 8-byte units
	TTL          uint8
	Protocol     IPProto
	Checksum     uint16
	Src, Dst     netip.Addr
	Options      []byte // aliases Data
	Reassembled  bool   // the upper layers were decoded from reassembled fragments
	// Bogus is set when the header length is under 20 bytes: only Version and
	// IHL are valid (Wireshark shows ip.version and ip.hdr_len, nothing else).
	Bogus bool
}

// IPv6 header (extension headers summarised).
type IPv6 struct {
	TrafficClass uint8
	FlowLabel    uint32
	PayloadLen   uint16
	NextHeader   IPProto // first next header
	HopLimit     uint8
	Src, Dst     netip.Addr
	Proto        IPProto // upper-layer protocol after extension headers
	FragID       uint32
	FragOffset   uint16
	MoreFrags    bool
	HasFrag      bool
	Reassembled  bool // the upper layers were decoded from reassembled fragments
	// Ext lists the extension header types in order (0 hop-by-hop, 43
	// routing, 44 fragment, 60 destination options, 51 AH...), the first NExt of them.
	Ext  [8]uint8
	NExt uint8
	RH0  bool // a type-0 routing header (deprecated, RFC 5095)
	// UnknownOpts counts, for each extension header of Ext that is a
	// hop-by-hop or destination option header, its options whose type
	// Wireshark does not know (its "Unknown Data (not interpreted)" note).
	UnknownOpts [8]uint8
	// HomeAddrBad: a Home Address option whose length byte (HomeAddrLen)
	// is not 16 ("Home Address: Invalid length (n bytes)").
	HomeAddrBad bool
	HomeAddrLen uint8
}

// ICMP (IPv4).
type ICMP struct {
	Type, Code uint8
	Checksum   uint16
	ID, Seq    uint16
	// Inner is the quoted packet of an error message (dest unreachable, time
	// exceeded...): its addresses and ports, when present.
	HasInner               bool
	InnerProto             IPProto
	InnerSrc, InnerDst     netip.Addr
	InnerSport, InnerDport uint16
	RequestIn              uint64 // echo reply: frame number of the matching request (0 unknown)
	// InnerIP is the quoted IPv4 header in full and InnerL4 the quoted bytes
	// after it (aliasing the frame), for the second occurrences of ip.* and
	// icmp.* fields as Wireshark shows them.
	InnerIP IPv4
	InnerL4 []byte
}

// ICMPv6, including neighbour discovery.
type ICMPv6 struct {
	Type, Code             uint8
	Checksum               uint16
	ID, Seq                uint16
	RequestIn              uint64     // echo reply: frame number of the matching request (0 unknown)
	NDTarget               netip.Addr // NS/NA target address (also Redirect)
	NDFlags                uint32     // NA flags (R, S, O in the top bits) / RA flags
	LinkAddr               [6]byte    // source or target link-layer address option
	HasLinkAddr            bool
	LinkAddrSrc            bool // the option was a source (1) rather than target (2) link-layer address
	HopLimit               uint8
	RouterLifetime         uint16
	MTU                    uint32
	HasInner               bool
	InnerProto             IPProto
	InnerSrc, InnerDst     netip.Addr
	InnerSport, InnerDport uint16
}

// TCP flag bits as in the header (tcp.flags).
const (
	TCPFin uint16 = 1 << iota
	TCPSyn
	TCPRst
	TCPPsh
	TCPAck
	TCPUrg
	TCPEce
	TCPCwr
	TCPAE // accurate ECN / former NS
)

// TCP header and options. Seq/Ack are absolute; relative values live in Analysis.
type TCP struct {
	SrcPort, DstPort uint16
	Seq, Ack         uint32
	HdrLen           uint8 // bytes
	Flags            uint16
	Window           uint16 // raw window field
	Checksum         uint16
	Urgent           uint16
	PayloadLen       int // tcp.len

	// Options.
	MSS          uint16
	HasMSS       bool
	WScale       uint8
	HasWScale    bool
	SACKPerm     bool
	SACK         [4][2]uint32 // left,right edges (absolute)
	NSACK        int
	TSVal, TSEcr uint32
	HasTS        bool
	Options      []byte // raw options, aliases Data
	// OptNote is the first option problem Wireshark notes (an expert
	// item): OptTooShort, OptPastEnd or OptBadLen for option kind OptKind
	// with length byte OptLen (OptWant: the length the kind must have).
	OptNote         uint8
	OptKind, OptLen uint8
	OptWant         uint8
	// NOP4 is Wireshark's "4 NOP in a row" note (NOPs: its running
	// count); NOP4First: it came before the option problem of OptNote.
	NOPs            uint8
	NOP4, NOP4First bool
	// Short is set when fewer than 20 header bytes were captured: only the
	// ports (and whatever else fits in HdrAvail bytes) are valid.
	Short    bool
	HdrAvail int // header bytes captured (20.. when not Short)
	// BadHdrLen is set when the data offset is < 5 words or runs past the
	// segment: tcp.len and the payload are then absent (Wireshark's [Malformed Packet]).
	BadHdrLen bool
}

// UDP header.
type UDP struct {
	SrcPort, DstPort uint16
	Length           uint16
	Checksum         uint16
}

// DNS message (over UDP or TCP). Names are dotted without the trailing dot,
// "<Root>" for the root, as tshark prints them; they live in Frame scratch
// storage. RData aliases the message bytes.
type DNS struct {
	ID                                 uint16
	Flags                              uint16 // raw flags word
	Response                           bool   // dns.flags.response
	Opcode                             uint8
	Rcode                              uint8 // header rcode (4 bits); EDNS extended bits in EDNSExtRcode
	QDCount, ANCount, NSCount, ARCount uint16
	Questions                          []DNSQuestion // reused
	Answers                            []DNSRR       // answers, authority and additional, in order; Section tells which
	EDNS                               bool
	EDNSUDPSize                        uint16
	EDNSExtRcode                       uint8
	EDNSVersion                        uint8
	EDNSDO                             bool
	TCP                                bool // carried over TCP (2-byte length prefix)
	DoH                                bool // the body of an HTTP/2 message (DNS over HTTPS)
	Cut                                bool // the capture cut the message short (not malformed: "[Packet size limited during capture]")
	Len                                int  // message length (without the TCP length prefix)
	Malformed                          bool // counts promise more than the message holds, or a bad name
}

// DNSQuestion is one question; Name aliases Frame scratch storage.
type DNSQuestion struct {
	Name  []byte // dotted, without trailing dot ("<Root>" for the root as tshark prints)
	Type  uint16
	Class uint16 // including the mDNS unicast-response bit (0x8000)
}

// DNSRR is one resource record; Name and Target alias Frame scratch storage.
type DNSRR struct {
	Section uint8 // 1 answer, 2 authority, 3 additional
	Name    []byte
	Type    uint16
	Class   uint16     // including the mDNS cache-flush bit (0x8000); for OPT the UDP payload size
	TTL     uint32     // for OPT: extended rcode, version and flags
	Addr    netip.Addr // A / AAAA
	Target  []byte     // CNAME/NS/PTR/MX/SRV target, SOA mname, NSEC next name
	Target2 []byte     // SOA rname
	Pref    uint16     // MX preference
	RData   []byte     // raw record data (aliases the message): TXT strings, SRV/SOA numbers
}

// HTTP/1.x request or response start line and headers of interest. The byte
// slices alias the decoded bytes (Frame.Data or Frame.Reassembled).
type HTTP struct {
	Request       bool
	Response      bool
	Line          []byte // request or response line without CRLF
	Method        []byte
	URI           []byte
	Version       []byte
	StatusCode    uint16
	Phrase        []byte
	Host          []byte
	UserAgent     []byte
	ContentType   []byte
	ContentLength int64  // -1 when absent
	CLHeader      []byte // Content-Length header value as sent
	Chunked       bool   // Transfer-Encoding: chunked
	TransferEnc   []byte
	Connection    []byte
	Location      []byte
	Server        []byte
	Referer       []byte
	Headers       [][2][]byte // all headers in order (name, value), reused
	HeadLen       int         // bytes of start line + headers + blank line
	Truncated     bool        // the head is cut short by the snapshot length (HeadLen is then what was captured)
	Oversized     bool        // the head outgrew the reassembly buffer (256 KiB): only its start is decoded
	Malformed     bool        // a chunk size Wireshark refuses (negative, over 2^31): [Malformed Packet]
	BodyLen       int         // body bytes present after the head in the decoded bytes
}

// TLSMsg is one entry of a TLS segment's summary: a record content type and,
// for plaintext handshake records, the handshake message type.
type TLSMsg struct {
	RecordStart bool   // first entry of its record (one entry per record unless a record holds several handshake messages)
	Version     uint16 // record version
	Length      uint16 // record length
	Content     uint8  // record content type
	Handshake   uint8  // handshake message type when Content is 22 and not encrypted
	Encrypted   bool   // handshake/alert record whose body is encrypted
	HRR         bool   // ServerHello that is a HelloRetryRequest
	Partial     bool   // record (or handshake message) continues beyond these bytes
	// Decrypted: the record was decrypted with a key log; Content is then
	// the content type inside (TLS 1.3's inner type, opaque type 23).
	Decrypted bool
	// Continuation: bytes of a TLS connection that start no record and
	// continue none known (after a gap, or a capture that starts
	// mid-connection): Wireshark's "Continuation Data".
	Continuation bool
}

// TLS record layer with the parts of ClientHello / ServerHello that matter.
// Slices alias the decoded bytes.
type TLS struct {
	RecordType       uint8 // first record's content type (22 handshake, 21 alert, 23 app data...)
	RecordVersion    uint16
	HandshakeType    uint8 // first handshake message type (1 ClientHello, 2 ServerHello), 0 none
	HelloVersion     uint16
	SupportedVersion uint16 // selected/offered supported_versions (first)
	SessionVersion   uint16 // version the connection negotiated, learnt by AppStream from its ServerHello; 0 unknown
	SupportedVers    []byte // raw supported_versions list (2 bytes each)
	SNI              []byte
	ALPN             [][]byte // reused
	CipherSuite      uint16   // ServerHello's selected suite, or ClientHello's first offered
	CipherSuites     []byte   // raw cipher suite list (2 bytes each)
	AlertLevel       uint8
	AlertDesc        uint8
	HasAlert         bool
	Records          int      // records in this segment
	Msgs             []TLSMsg // record/handshake summary for the Info column, reused
	// CountedTail is the length of the first TLS layer when it only ends a
	// record whose start came in earlier segments and was not kept
	// (application data is counted, not buffered): its bytes are not a
	// record header.
	CountedTail int
}

// Analysis is what the flow package adds to a frame (Wireshark's tcp.stream,
// relative numbers and tcp.analysis.* conditions; udp.stream).
type Analysis struct {
	HasTCP       bool   // TCP analysis done for this frame
	IsUDP        bool   // Stream is a udp.stream
	Stream       int64  // tcp.stream or udp.stream; -1 none
	RelSeq       uint32 // tcp.seq (relative)
	RelAck       uint32 // tcp.ack (relative)
	NextSeq      uint32 // tcp.nxtseq (relative)
	WindowSize   int64  // tcp.window_size (scaled), -1 unknown
	WinScale     int    // tcp.window_size_scalefactor, -1 unknown, -2 no scaling
	TimeRelative int64  // tcp.time_relative ns since first frame of stream
	TimeDelta    int64  // tcp.time_delta ns since previous frame of stream
	Completeness uint8
	// OuterUDP holds the udp.stream of the UDP layers before the one in
	// Stream (a UDP tunnel: VXLAN, Geneve, Teredo), in frame order; the
	// first NOuterUDP are set.
	OuterUDP  [3]int32
	NOuterUDP uint8

	Flags         uint32 // AnalysisFlag bits
	DupAckNum     uint32 // tcp.analysis.duplicate_ack_num
	DupAckFrame   uint64 // tcp.analysis.duplicate_ack_frame
	AckRTT        int64  // tcp.analysis.ack_rtt ns; -1 none
	AckedFrame    uint64 // tcp.analysis.acks_frame
	InitialRTT    int64  // tcp.analysis.initial_rtt ns; -1 none
	BytesInFlight int64  // tcp.analysis.bytes_in_flight; -1 none
	Closing       uint8  // FIN expert info: 1 initiates the connection closing, 2 undergoes it
	// LostBytes is the size of the gap tcp.analysis.lost_segment found: the
	// bytes from the sender's expected next sequence number up to this
	// segment's, which never reached the capture point (0 without the flag).
	LostBytes uint32

	// Request/response latency filled by transaction matching.
	DNSTime    int64  // dns.time ns on responses; -1 none
	DNSRespTo  uint64 // dns.response_to
	DNSRespIn  uint64 // dns.response_in
	HTTPTime   int64  // http.time ns on responses; -1 none
	HTTPReqIn  uint64 // http.request_in
	HTTPRespIn uint64 // http.response_in

	// dns.retransmit_request_in / dns.retransmit_response_in: this DNS
	// message repeats the query / response in that frame (dns.retransmission)
	DNSRetransReqIn  uint64
	DNSRetransRespIn uint64
}

// Analysis flag bits (tcp.analysis.*).
const (
	AnRetransmission uint32 = 1 << iota
	AnFastRetransmission
	AnSpuriousRetransmission
	AnDuplicateAck
	AnOutOfOrder
	AnLostSegment
	AnAckLostSegment
	AnZeroWindow
	AnZeroWindowProbe
	AnZeroWindowProbeAck
	AnWindowFull
	AnWindowUpdate
	AnKeepAlive
	AnKeepAliveAck
	AnReusedPorts
)

// Every Proto has its name (a Proto inserted mid-list shifts the names).
var _ = [1]struct{}{}[len(protoNames)-int(NumProtos)]
