package report

import (
	"io"
	"time"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/pipeline"
)

// StatsTable is what every stats report is.
type StatsTable interface {
	Add(f *decode.Frame)
	WriteText(w io.Writer) error
	WriteJSON(w io.Writer) error
}

// StatsConfig is what 'wirewatch stats' fills from its flags for NewStats.
type StatsConfig struct {
	Report   string        // conv, endpoints, expert, io, hierarchy or summary
	Kind     ConvKind      // conv and endpoints: the layer
	Filter   string        // -Y
	All      bool          // expert --all
	MaxTexts int           // expert --max-texts
	Interval time.Duration // io
	// Summary's capture facts.
	Path, Format string
	Size         int64
	// FullDecode turns off the application-layer skipping (tests compare both).
	FullDecode bool
}

// NewStats returns the table of the report c names (nil: unknown report,
// the *ExpertTable when it is expert) and sets the pipeline options it
// needs in po.
func NewStats(c StatsConfig, po *pipeline.Config) (StatsTable, *ExpertTable) {
	var t StatsTable
	var expert *ExpertTable
	switch c.Report {
	case "conv":
		ct := NewConvTable(c.Kind, c.Filter)
		po.Flow.OnEnd = ct.SetConn
		t = ct
	case "endpoints":
		t = NewEndpointTable(c.Kind, c.Filter)
	case "expert":
		et := NewExpertTable(c.Filter)
		et.PerPacketOnly = !c.All && c.Filter == ""
		et.MaxTexts = c.MaxTexts
		t, expert = et, et
	case "io":
		t = NewIOTable(c.Interval, c.Filter)
	case "hierarchy":
		t = NewTreeHierarchy(c.Filter)
	case "summary":
		t = NewSummary(c.Path, c.Format, c.Size)
	default:
		return nil, nil
	}
	// Only the protocol hierarchy, expert --all (HTTP start lines appear on
	// the frame that completes a message) and filters (which may name HTTP,
	// DNS or TLS fields) need messages spanning segments reassembled, and
	// only expert --all (DNS retransmissions) and filters need transactions.
	rep := c.Report
	all := rep == "expert" && c.All
	po.Flow.NoDesegment = po.Flow.NoDesegment || rep != "hierarchy" && !all && c.Filter == ""
	po.Flow.NoTransactions = c.Filter == "" && !all
	if c.Filter == "" && !c.FullDecode {
		switch {
		case rep == "conv", rep == "endpoints", rep == "io", rep == "summary":
			// Only link, network and transport facts are counted.
			po.SkipApp = decode.AppDNS | decode.AppHTTP | decode.AppTLS | decode.AppOther
		case all:
			// Every dissector: HTTP start lines, DNS retransmissions,
			// DCE/RPC binds, SSDP... (a skipped protocol would also take
			// the heuristics after it along).
			po.SkipApp = 0
		case rep == "expert":
			// TCP analysis, IPv4, trailers, comments, and the malformed
			// check, which reads DNS.
			po.SkipApp = decode.AppHTTP | decode.AppTLS
		}
	}
	return t, expert
}
