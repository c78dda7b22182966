package pipeline

import (
	"strings"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/filter"
)

// Stages is what a run needs beyond decoding, derived from the fields the
// display filter and the consumer read.
type Stages struct {
	// EarlyFilter: every field the filter names is set by the decoder
	// alone, so its verdict is the same before the tracker runs and the
	// two-core variant filters while decoding, off the tracker's core.
	EarlyFilter bool
	// NoDesegment, NoTransactions: no field read needs application-PDU
	// reassembly, or DNS/HTTP request↔response matching.
	NoDesegment, NoTransactions bool
}

// Plan decides the stages for a filter (nil: none) and the consumer's
// fields (nil: the consumer may read anything).
func Plan(flt *filter.Filter, fields []*field.Field) Stages {
	var s Stages
	if flt != nil {
		s.EarlyFilter = true
		reg := field.Std()
		for _, name := range flt.Fields() {
			if !decodeOnly(name, reg.Lookup(name)) {
				s.EarlyFilter = false
				break
			}
		}
	}
	if flt == nil && len(fields) > 0 {
		s.NoDesegment, s.NoTransactions = true, true
		for _, fl := range fields {
			if !lowerLayerField(fl.Name) {
				s.NoDesegment, s.NoTransactions = false, false
				break
			}
		}
	}
	return s
}

// decodeOnlyProtos are the protocols whose fields the decoder alone sets:
// nothing the tracker does (stream numbers, sequence analysis, PDU
// reassembly, transactions) changes them.
var decodeOnlyProtos = [decode.NumProtos]bool{decode.ProtoEth: true, decode.ProtoVLAN: true, decode.ProtoSLL: true,
	decode.ProtoNull: true, decode.ProtoARP: true, decode.ProtoIP: true, decode.ProtoIPv6: true, decode.ProtoICMP: true,
	decode.ProtoICMPv6: true, decode.ProtoLLC: true, decode.ProtoRaw: true, decode.ProtoIEEE8021AD: true,
	decode.ProtoPPPoE: true, decode.ProtoPPP: true, decode.ProtoFrame: true}

// decodeOnlyNames are the TCP and UDP header fields and the protocols
// themselves: decoded, never computed by the tracker. frame fields are
// decode-only except the two listed as not; _ws fields (columns, expert
// info, malformed) never are.
var (
	decodeOnlyNames = map[string]bool{"tcp": true, "udp": true, "tcp.srcport": true, "tcp.dstport": true,
		"tcp.port": true, "tcp.hdr_len": true, "tcp.len": true, "tcp.window_size_value": true, "tcp.urgent_pointer": true,
		"tcp.checksum": true, "tcp.seq_raw": true, "tcp.ack_raw": true, "udp.srcport": true, "udp.dstport": true,
		"udp.port": true, "udp.length": true, "udp.checksum": true}
	notDecodeOnly = map[string]bool{"frame.time_delta_displayed": true, "frame.protocols": true}
)

func decodeOnly(name string, fl *field.Field) bool {
	if notDecodeOnly[name] || strings.HasPrefix(name, "_ws.") { // columns, expert info: after analysis
		return false
	}
	if decodeOnlyNames[name] || strings.HasPrefix(name, "tcp.flags") {
		return true
	}
	return fl != nil && int(fl.Proto) < len(decodeOnlyProtos) && decodeOnlyProtos[fl.Proto]
}

// lowerLayerFields are the field prefixes whose values never depend on
// application-PDU desegmentation or on DNS/HTTP request↔response matching:
// the link, network and transport layers of the frame itself.
var lowerLayerFields = []string{"frame.", "eth.", "vlan.", "ip.", "ipv6.", "tcp.", "udp.", "arp.", "icmp.", "icmpv6.", "sll.", "null."}

func lowerLayerField(name string) bool {
	if name == "frame.protocols" {
		return false
	}
	for _, p := range lowerLayerFields {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
