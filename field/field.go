package field

import (
	"net/netip"
	"sort"
	"strings"
	"sync"

	"github.com/wirewatch/wirewatch/decode"
)

// Type is a Wireshark field type (ftenum).
type Type uint8

// Field types, named after Wireshark's FT_ constants.
const (
	FTNone     Type = iota // FT_NONE: presence only (e.g. tcp.analysis.retransmission)
	FTProtocol             // FT_PROTOCOL: a protocol name (eth, ip, tcp); value is its bytes
	FTBoolean              // FT_BOOLEAN: flag bits; value U is 0 or 1
	FTUint8
	FTUint16
	FTUint24
	FTUint32
	FTUint64
	FTInt32
	FTInt64
	FTDouble
	FTString
	FTBytes
	FTEther
	FTIPv4
	FTIPv6
	FTAbsTime  // value I: ns since epoch
	FTRelTime  // value I: ns
	FTFrameNum // value U: frame number
)

var typeNames = [...]string{"FT_NONE", "FT_PROTOCOL", "FT_BOOLEAN", "FT_UINT8", "FT_UINT16", "FT_UINT24",
	"FT_UINT32", "FT_UINT64", "FT_INT32", "FT_INT64", "FT_DOUBLE", "FT_STRING", "FT_BYTES", "FT_ETHER",
	"FT_IPv4", "FT_IPv6", "FT_ABSOLUTE_TIME", "FT_RELATIVE_TIME", "FT_FRAMENUM"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "FT_?"
}

// Base is how an integer field prints (Wireshark's field display base).
type Base uint8

// Display bases.
const (
	BaseNone Base = iota
	BaseDec
	BaseHex
	BaseDecHex
	BaseHexDec
	BaseOct
	BaseSepColon // FT_BYTES printed with ':' between bytes (e.g. icmpv6.opt.linkaddr)
)

// Value is one occurrence of a field. Which members are meaningful depends on
// the field's Type: U for unsigned/boolean/framenum, I for signed and times, F
// for doubles, B for strings/bytes/ether/protocol bytes, A for addresses.
// B aliases frame data or frame scratch space: valid until the next Decode.
type Value struct {
	U uint64
	I int64
	F float64
	B []byte
	A netip.Addr
}

// NullTime is the FT_ABSOLUTE_TIME value (Value.I) of a timestamp that is
// all zero on the wire where Wireshark prints it as "NULL" (NTP).
const NullTime = -1 << 63

// Field describes one filterable field.
type Field struct {
	Name    string
	Desc    string // short name, as Wireshark's (e.g. "Source Port")
	Blurb   string // longer description; "" when Wireshark has none
	Type    Type
	Base    Base
	Bitmask uint64 // for flag fields within a larger word, informational
	// Proto is the protocol this field belongs to.
	Proto decode.Proto
	// Get appends every occurrence of the field in f to dst and returns it.
	// Must not allocate beyond growing dst.
	Get func(f *decode.Frame, dst []Value) []Value
	// Stage is the pipeline stage the value depends on; normally left zero
	// here and filled from the generated zstage.go (see Stage).
	Stage Stage
	// Values are Wireshark's names for numeric values, filled from the
	// generated zvalues.go (tshark -G values) and extraValues.
	Values []ValueString
}

// Registry maps names to fields. It is immutable after construction.
type Registry struct {
	byName map[string]*Field
	list   []*Field // sorted by name
}

// Lookup returns the field called name, or nil.
func (r *Registry) Lookup(name string) *Field { return r.byName[name] }

// All returns every field sorted by name. Do not modify.
func (r *Registry) All() []*Field { return r.list }

// WithPrefix returns the fields whose name starts with prefix, sorted.
func (r *Registry) WithPrefix(prefix string) []*Field {
	i := sort.Search(len(r.list), func(i int) bool { return r.list[i].Name >= prefix })
	var out []*Field
	for ; i < len(r.list) && strings.HasPrefix(r.list[i].Name, prefix); i++ {
		out = append(out, r.list[i])
	}
	return out
}

// tables lists every protocol's field table. Each protocol file in this
// package contributes one table.
func tables() [][]Field {
	return [][]Field{
		frameFields, protoFields, wsColFields, fragmentFields, statusFields, ipv6ExtFields,
		ethFields, llcFields, sllFields, vlanFields, ieee8021adFields, pppoeFields, arpFields, ipFields, ipv6Fields, icmpFields, icmpv6Fields,
		tcpFields, tcpAnalysisFields, mptcpFields, udpFields,
		dnsFields, httpFields, tlsFields, txnFields, expertFields,
		dhcpFields, ntpFields, nbnsFields, sshFields, dhcpv6Fields, quicFields, igmpFields, stpFields, lldpFields, cdpFields, nbssFields, smb2Fields, smtpFields, websocketFields, dnsOptFields, mldFields, rpcFields, tunnelFields, wanFields, encapFields, ethTrailerFields,
		tftpFields, pimFields, sctpFields, ospfFields, vrrpFields, eigrpFields, isisFields, hsrpFields, lacpFields, bgpFields, radiusFields, isakmpFields, wgFields, radiusAttrFields, dccpFields,
		dcerpcFields, smbFields, smb2MoreFields, nbdgmFields, ntlmsspFields, // Windows family (windows.go)
		http2Fields,                                                                                                                       // decrypted TLS (http2.go)
		rtpFields, rtcpFields, sipFields, sdpFields, stunFields, classicSTUNFields, megacoFields, rtpEventFields, skinnyFields, t38Fields, // VoIP (rtp.go, sip.go, stun.go, skinny.go)
		ftpFields, imapFields, popFields, miscTextFields, mqttFields, pgsqlFields,
		appsFields(),                                       // apps (apps.go)
		pppFields,                                          // PPP control protocols, PPPoE discovery (ppp.go)
		kerberosFields, ldapFields, snmpFields, x509Fields, // BER/ASN.1 family (kerberos.go, ldap.go, snmp.go)
		mojitoFields, gnutellaFields, portControlFields, bittorrentFields, // peer-to-peer (p2p.go)
		dtlsFields, bfdFields, ptpFields, openvpnFields, dnssecFields, // udpcrypto.go, dnssec.go
		netbiosFields, nflogFields, // NetBEUI, IPX (netbios.go); NFLOG (nflog.go)
	}
}

var (
	stdOnce sync.Once
	std     *Registry
)

// Std returns the standard registry with every field wirewatch knows.
func Std() *Registry {
	stdOnce.Do(func() { std = New(tables()...) })
	return std
}

// New builds a registry from field tables. Later duplicates panic (a programming error).
func New(tabs ...[]Field) *Registry {
	r := &Registry{byName: map[string]*Field{}}
	for _, t := range tabs {
		for i := range t {
			f := &t[i]
			if m, ok := wsMeta[f.Name]; ok {
				if f.Desc == "" {
					f.Desc = m.desc
				}
				if f.Blurb == "" {
					f.Blurb = m.blurb
				}
			}
			if f.Stage == StageUnknown {
				f.Stage = fieldStages[f.Name]
			}
			if f.Values == nil {
				f.Values = valueStrings(f.Name)
			}
			if _, dup := r.byName[f.Name]; dup {
				panic("field: duplicate field " + f.Name)
			}
			r.byName[f.Name] = f
			r.list = append(r.list, f)
		}
	}
	sort.Slice(r.list, func(i, j int) bool { return r.list[i].Name < r.list[j].Name })
	return r
}
