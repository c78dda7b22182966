// Package analyze interprets conversations: transactions (TCP connect, DNS,
// HTTP, TLS handshakes), stalls inside connections, and the correlation of each
// stall with what the waiting host did meanwhile, producing diagnosis findings.
//
// An Engine consumes decode.Frames in capture order (after flow.Tracker has
// filled their Analysis) through Add, copying what it keeps, so frames may be
// reused. Findings returns the diagnosis so far; Ready returns the findings
// that became certain since the last call, for live captures; Flush ends the
// capture and reports transactions still open.
//
// How it reasons: every TCP connection is followed through its phases
// (handshake, request, response, transfer). A gap larger than both 200 ms and
// ten handshake round trips while one side owes the other the next packet is a
// stall, attributed to who owed it: the network for a SYN without SYN/ACK,
// the client between handshake and request, the server between request and
// first response byte, the network or the receiver's window during a
// transfer. Each host's recent attempts (TCP connects, DNS queries, ARP
// requests) are remembered; a stall that ends right when one of the waiting
// host's unanswered attempts gives up (round-number timeouts, SYN backoffs)
// is blamed on that attempt's target. Stalls with the same culprit are grouped
// into one finding, with the hosts that did the same traffic unharmed.
// Hosts are grouped into machines: the addresses one MAC sends from with an
// untouched TTL / hop limit (SYNs, resets, DNS queries, UDP, ARP, neighbour
// discovery, DHCP acknowledgements), so a dual-stack PC is one machine whose
// stalls on one address are correlated with the attempts of the other.
// Before a server is blamed its answers and failures are counted over the
// capture and around the stalls (mostly answering is intermittent loss, not
// an outage), and a causal alignment is weighed against the chance that the
// machine's failed attempts line up with its waits by accident; attempts
// still inside their timeout at the end of the capture are unknown.
//
// Each root-cause category is one rule (rule.go) in its own rules_*.go
// file, registered from init: optional per-packet and per-connection hooks
// that detect, an optional build-time detect pass that may reclassify
// stalls, a confidence (score) and an explain step that words the finding.
// Findings are ranked by severity, then by score (time lost, machines
// affected, confidence).
// Packet loss counts only retransmissions that cost time: the first tail loss
// probe of a connection (its newest segment sent again sooner than a stall or
// a probe's 2 RTT + 200 ms) is no loss event.
//
// Cost: one map lookup per TCP packet (the connection), one per DNS message,
// a few per SYN/RST/ARP/ICMP; no allocation per ordinary packet, and ended
// connections' state is reused for new ones. Connections end in capture
// order, so the report is the same on every run. State is per
// live connection and pending query, expired by packet time; stalls are kept
// up to Config.MaxStalls, hosts up to Config.MaxHosts.
package analyze
