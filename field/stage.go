package field

import (
	"sort"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
)

// Stage is the last step of the pipeline a field's value depends on. The
// pipeline runs only the stages the fields it must show and filter need
// (pipeline.Plan): a display filter whose fields are all StageDecode runs
// before the tracker, read -T fields with no field past StageFlow skips
// application-PDU reassembly and transaction matching, and so on.
//
// A field declares its stage either in its table (Field.Stage, for the
// few whose stage no capture can reveal, such as frame.time_delta_displayed)
// or, normally, in the generated zstage.go: `go test ./field -run
// TestFieldStages -update` runs the corpus through every stage and records
// the lowest one after which each field's values equal those of the full
// pipeline. A field with neither is planned as StageColumns (everything
// runs: never wrong, only slower) and TestFieldStages fails until the
// table is regenerated.
type Stage uint8

// Stages in pipeline order; each includes the ones before it.
const (
	StageUnknown      Stage = iota // not declared: planned as StageColumns
	StageDecode                    // the decoder and framing alone (link, IP, TCP/UDP headers, frame facts)
	StageFlow                      // the connection tracker: stream numbers, relative sequence numbers, tcp.analysis.*
	StageDesegment                 // application PDUs reassembled across TCP segments (HTTP, DNS over TCP, TLS records)
	StageTransactions              // request↔response matching (dns.time, http.time, response links)
	StageColumns                   // everything, and what is displayed before (frame.time_delta_displayed, columns)
)

var stageNames = [...]string{"unknown", "decode", "flow", "desegment", "transactions", "columns"}

func (s Stage) String() string {
	if int(s) < len(stageNames) {
		return stageNames[s]
	}
	return "Stage(" + string(rune('0'+s)) + ")"
}

// Need is the stage the pipeline must run for this field: its declared
// stage, or StageColumns when it declares none.
//
// A field of a protocol that a TCP retransmission loses (its bytes were
// dissected before, and Wireshark does not dissect them again) needs at
// least StageDesegment, where the retransmission is recognised and the
// layer dropped, whatever the corpus measured: a capture without such a
// retransmission cannot show the difference.
func (f *Field) Need() Stage {
	if f.Stage == StageUnknown {
		return StageColumns
	}
	if f.Stage < StageDesegment && decode.DroppedOnRetransmission(f.Proto) {
		return StageDesegment
	}
	return f.Stage
}

// ValueString is one of the names Wireshark gives a field's numeric
// values ("TCP" for ip.proto 6): filters accept it in place of the number.
type ValueString struct {
	V uint64
	S string
}

// LookupValue returns the value a name stands for, ignoring case, as
// Wireshark's filter compiler does.
func (f *Field) LookupValue(s string) (uint64, bool) {
	for _, vs := range f.Values {
		if strings.EqualFold(vs.S, s) {
			return vs.V, true
		}
	}
	return 0, false
}

// valueStrings joins the generated value strings of a field (tshark -G
// values) with the aliases wirewatch accepts besides (extraValues).
func valueStrings(name string) []ValueString {
	gen, extra := wsValues[name], extraValues[name]
	if len(extra) == 0 {
		return gen
	}
	out := append([]ValueString(nil), gen...)
	for s, v := range extra {
		out = append(out, ValueString{V: v, S: s})
	}
	sort.SliceStable(out[len(gen):], func(i, j int) bool { return out[len(gen)+i].S < out[len(gen)+j].S })
	return out
}

// extraValues are names filters accept that tshark -G values does not list
// for the field (older spellings, PI_* severity names, protocol names).
var extraValues = map[string]map[string]uint64{
	"ip.proto":            ipProtoAliases,
	"ipv6.nxt":            ipProtoAliases,
	"_ws.expert.severity": {"comment": 0x00100000, "chat": 0x00200000, "note": 0x00400000, "warning": 0x00600000, "warn": 0x00600000, "error": 0x00800000},
	"_ws.expert.group": {"checksum": 0x01000000, "sequence": 0x02000000, "response code": 0x03000000,
		"request code": 0x04000000, "undecoded": 0x05000000, "reassemble": 0x06000000, "malformed": 0x07000000,
		"debug": 0x08000000, "protocol": 0x09000000, "security": 0x0a000000, "comment": 0x0b000000,
		"decryption": 0x0c000000, "assumption": 0x0d000000, "deprecated": 0x0e000000},
	"eth.type": etherTypeAliases, "vlan.etype": etherTypeAliases, "sll.etype": etherTypeAliases,
	"sll.pkttype": {"unicast to us": 0, "broadcast": 1, "multicast": 2, "unicast to another host": 3, "sent by us": 4},
}

var ipProtoAliases = map[string]uint64{"ipv6 routing": 43, "ipv6 fragment": 44, "ipv6 no next header": 59, "ipv6 destination options": 60}

var etherTypeAliases = map[string]uint64{"ipv4": 0x0800, "arp": 0x0806, "ipv6": 0x86dd, "802.1q virtual lan": 0x8100,
	"802.1ad provider bridge (q-in-q)": 0x88a8, "mpls label switched packet": 0x8847, "pppoe discovery": 0x8863,
	"pppoe session": 0x8864, "lldp": 0x88cc, "rarp": 0x8035, "eapol": 0x888e}

// withStage declares a field's stage in its table.
func withStage(s Stage, f Field) Field {
	f.Stage = s
	return f
}

// GeneratedStage reports whether the field's stage comes from the
// generated table (for its generator).
func GeneratedStage(name string) bool {
	_, ok := fieldStages[name]
	return ok
}
