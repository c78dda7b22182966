package analyze

import (
	"fmt"
	"net/netip"
	"time"
)

// Category names a root cause. The values are the stable strings of the JSON
// report (docs/diagnose-json.md).
type Category string

// Root-cause categories.
const (
	CatBlockedDependency Category = "blocked-on-unreachable-dependency"
	CatDNSTimeout        Category = "dns-server-timeout"
	CatDNSSlow           Category = "dns-slow-response"
	CatDNSError          Category = "dns-error"
	CatPacketLoss        Category = "packet-loss"
	CatServerThink       Category = "server-think-time"
	CatClientDelay       Category = "client-delay"
	CatRefused           Category = "connection-refused"
	CatConnTimeout       Category = "connection-timeout"
	CatSYNRetrans        Category = "syn-retransmission"
	CatMiddleboxReset    Category = "middlebox-reset"
	CatPeerReset         Category = "connection-reset"
	CatPMTUBlackhole     Category = "pmtu-blackhole"
	CatZeroWindow        Category = "zero-window"
	CatHTTPError         Category = "http-error"
	CatTLSAlert          Category = "tls-alert"
	CatARPUnanswered     Category = "arp-unanswered"
	CatICMPUnreachable   Category = "icmp-unreachable"
	CatPortScan          Category = "port-scan"
	CatHighLatency       Category = "high-latency"

	// catLatent marks a request on an idle connection that followed a failed
	// attempt; it becomes a stall only if the consistency check correlates it.
	catLatent Category = ""
)

// Severity ranks findings: Critical hurts users now, Warning is a real
// problem of smaller reach, Info is worth knowing.
type Severity uint8

// Severities, least severe first.
const (
	Info Severity = iota
	Warning
	Critical
)

var sevNames = [...]string{"info", "warning", "critical"}

func (s Severity) String() string {
	if int(s) < len(sevNames) {
		return sevNames[s]
	}
	return "severity?"
}

// ParseSeverity parses "info", "warning" or "critical".
func ParseSeverity(s string) (Severity, error) {
	for i, n := range sevNames {
		if n == s {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want info, warning or critical)", s)
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Endpoint is an address and port. String writes IPv6 as [addr]:port.
type Endpoint struct {
	Addr netip.Addr
	Port uint16
}

func (e Endpoint) String() string {
	if !e.Addr.IsValid() {
		return "?"
	}
	return netip.AddrPortFrom(e.Addr, e.Port).String()
}

// Waiting names who a stall waited on.
type Waiting string

// Who a stall waited on.
const (
	WaitClient   Waiting = "client"
	WaitServer   Waiting = "server"
	WaitNetwork  Waiting = "network"
	WaitReceiver Waiting = "receiver"
)

// Attempt is one thing a host tried that failed or hung: a TCP connection
// whose SYNs went unanswered or were refused, a DNS query without answer, UDP
// datagrams without reply, ARP requests without reply.
type Attempt struct {
	Kind    string // "tcp-connect", "dns", "udp", "arp"
	Proto   string // "tcp", "udp", "arp"
	Client  Endpoint
	Server  Endpoint
	Frames  []uint64 // the attempt's packets (first few)
	Times   []int64  // their timestamps, ns
	Start   int64    // first packet, ns since epoch
	Last    int64    // last packet
	Outcome string   // "unanswered", "refused", "icmp-error", "answered-late"
	Name    string   // DNS name, when Kind is dns
}

// Stall is one exchange that waited or failed.
type Stall struct {
	Proto      string // "tcp" or "udp"
	Client     Endpoint
	Server     Endpoint
	Stream     int64 // tcp.stream / udp.stream when known, else -1
	StartFrame uint64
	EndFrame   uint64 // 0 when still open at the end of the capture
	Start, End int64  // ns since epoch
	WaitingOn  Waiting
	What       string // what was awaited, e.g. "first request after handshake", "GET /x"
	Open       bool   // still waiting when the capture ended
	// Attempt is the culprit attempt inside the gap, when the stall was correlated with one.
	Attempt *Attempt
}

// Duration of the stall.
func (s *Stall) Duration() time.Duration { return time.Duration(s.End - s.Start) }

// Culprit is the host (and port) that caused a finding.
type Culprit struct {
	Host     netip.Addr
	Port     uint16
	Proto    string   // "tcp", "udp" or "" when not a transport endpoint
	TimeoutS float64  // the timeout the victims waited for; 0 when none applies
	Role     string   // plain words: "unreachable TCP server", "DNS server", ...
	Names    []string // names the capture gives Host (DNS answers, TLS SNI, HTTP Host)
	Device   netip.Addr
}

// Finding is one diagnosed root cause with its evidence.
type Finding struct {
	Category    Category
	Severity    Severity
	Title       string
	Explanation string
	Affected    []netip.Addr // every address of every affected machine
	Unaffected  []netip.Addr // every address of every unaffected machine
	// AffectedMachines and UnaffectedMachines group those addresses by
	// machine (the MAC they use on the captured segment).
	AffectedMachines   []Machine
	UnaffectedMachines []Machine
	Culprit            *Culprit
	Stalls             []Stall // every exchange that waited or failed (capped by Config.MaxStalls)
	StallCount         int     // number of stalls, including any not listed
	TimeLost           time.Duration
	Evidence           []uint64 // frame numbers, ascending
	DisplayFilter      string
	// Confidence (0–1) is how sure the diagnosis is: how unlikely the
	// evidence is by chance (see rule.confidence).
	Confidence float64
	// Basis says in one sentence what evidence the finding rests on.
	Basis string
	// Score ranks findings by user impact: time lost, machines affected,
	// weighted by confidence (see score). Higher is more important.
	Score float64
	// Names maps the addresses of the finding (culprit, the servers of its
	// first stalls and their culprit attempts) to the first name the
	// capture gives them (DNS answer, TLS SNI, HTTP Host).
	Names map[netip.Addr]string
	// Key identifies the finding across calls (category + culprit), for Ready.
	Key string
	// LastTS is the time of the latest evidence, ns.
	LastTS int64
}
