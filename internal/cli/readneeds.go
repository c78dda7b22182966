package cli

import (
	"strings"

	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/flow"
	"github.com/wirewatch/wirewatch/report"
)

// lowerLayerFields are the field prefixes whose values never depend on
// application-PDU desegmentation or on DNS/HTTP request↔response matching:
// the link, network and transport layers of the frame itself.
var lowerLayerFields = []string{"frame.", "eth.", "vlan.", "ip.", "ipv6.", "tcp.", "udp.", "arp.", "icmp.", "icmpv6.", "sll.", "null."}

// readFlowConfig turns off the flow work that `read -T fields` output cannot
// show: with no display filter and only lower-layer fields (frame.protocols
// excepted, it names the application layers desegmentation places), neither
// the application-PDU streams nor the transaction tables are needed, and
// without them the tracker keeps only the per-connection TCP state.
func readFlowConfig(filter string, format report.PacketFormat, fields []*field.Field) flow.Config {
	var c flow.Config
	if filter != "" || format != report.FormatFields || len(fields) == 0 {
		return c
	}
	for _, fl := range fields {
		if !lowerLayerField(fl.Name) {
			return c
		}
	}
	c.NoDesegment, c.NoTransactions = true, true
	return c
}

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
