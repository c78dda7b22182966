package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
)

// Severity is an expert-info severity, as in Wireshark.
type Severity = decode.ExpertSeverity

// numSev is the number of severities.
const numSev = decode.NumSeverities

var sevNames = [...]string{"Errors", "Warns", "Notes", "Chats", "Comments"}
var sevJSON = [...]string{"error", "warning", "note", "chat", "comment"}

type expKey struct {
	kind  decode.ExpertKind
	arg   uint32
	proto string // only for kinds whose protocol varies (malformed packets, DNS variants)
}

// ExpertItem is one line of the expert summary.
type ExpertItem struct {
	Severity Severity `json:"-"`
	Sev      string   `json:"severity"`
	Group    string   `json:"group"`
	Protocol string   `json:"protocol"`
	Summary  string   `json:"summary"`
	Count    uint64   `json:"count"`
	json     string   // Summary for JSON when it differs (capture bytes that are not UTF-8 as \xHH)
}

// ExpertTable counts expert items (tshark -z expert) from frames; the
// classification of a frame's items is decode's (Frame.AppendExpert).
type ExpertTable struct {
	Filter string
	// PerPacketOnly leaves out the kinds that need HTTP message reassembly or
	// DNS transaction matching (HTTP start lines, DNS retransmissions), for
	// a pipeline that runs neither.
	PerPacketOnly bool
	// MaxTexts is the budget of distinct texts (HTTP start lines, packet
	// comments) listed one item each (0: DefaultMaxExpertTexts): a capture
	// with a million distinct request lines would otherwise grow the table
	// without bound. Beyond it, each kind's further texts are counted in one
	// item that says so.
	MaxTexts int
	over     [2]int32 // the overflow item of each text kind, index+1
	items    []*ExpertItem
	idx      map[expKey]int32
	text     [2]map[string]int32 // HTTP start lines, comments: looked up without allocating
	scratch  []decode.Expert
}

// DefaultMaxExpertTexts is the default ExpertTable.MaxTexts.
const DefaultMaxExpertTexts = 100000

// NewExpertTable returns an empty expert table.
func NewExpertTable(filter string) *ExpertTable {
	return &ExpertTable{Filter: filter, idx: map[expKey]int32{}, text: [2]map[string]int32{{}, {}}}
}

// index finds the item of e, creating it on first sight.
func (t *ExpertTable) index(f *decode.Frame, e decode.Expert) int32 {
	newItem := func() int32 {
		d := decode.ExpertDefs[e.Kind]
		it := &ExpertItem{Severity: d.Severity, Sev: sevJSON[d.Severity], Group: d.Group,
			Protocol: f.ExpertProtocol(e), Summary: decode.ExpertSummary(e)}
		if js := decode.ExpertSummaryJSON(e); js != it.Summary {
			it.json = js
		}
		t.items = append(t.items, it)
		return int32(len(t.items))
	}
	max := t.MaxTexts
	if max <= 0 {
		max = DefaultMaxExpertTexts
	}
	overflow := func(k int) int32 {
		if t.over[k] == 0 {
			d := decode.ExpertDefs[e.Kind]
			t.items = append(t.items, &ExpertItem{Severity: d.Severity, Sev: sevJSON[d.Severity], Group: d.Group,
				Protocol: f.ExpertProtocol(e), Summary: fmt.Sprintf("[further distinct texts not listed: the budget of %d distinct texts is full]", max)})
			t.over[k] = int32(len(t.items))
		}
		return t.over[k]
	}
	switch e.Kind {
	case decode.ExHTTPChat:
		i := t.text[0][string(e.Text)] // no allocation for a line seen before
		if i == 0 {
			if len(t.text[0])+len(t.text[1]) >= max {
				return overflow(0)
			}
			i = newItem()
			t.text[0][string(e.Text)] = i
		}
		return i
	case decode.ExComment:
		i := t.text[1][e.Comment]
		if i == 0 {
			if len(t.text[0])+len(t.text[1]) >= max {
				return overflow(1)
			}
			i = newItem()
			t.text[1][e.Comment] = i
		}
		return i
	}
	key := expKey{kind: e.Kind, arg: e.Arg}
	if decode.ExpertDefs[e.Kind].Protocol == "" {
		key.proto = f.ExpertProtocol(e)
	}
	i := t.idx[key]
	if i == 0 {
		i = newItem()
		t.idx[key] = i
	}
	return i
}

// AddNote adds an item that no frame carries (a note about the analysis
// itself, such as a memory budget that was full), counted count times.
func (t *ExpertTable) AddNote(group, protocol, summary string, count uint64) {
	t.items = append(t.items, &ExpertItem{Severity: decode.SevNote, Sev: sevJSON[decode.SevNote], Group: group,
		Protocol: protocol, Summary: summary, Count: count})
}

// Add counts the expert items of frame f.
func (t *ExpertTable) Add(f *decode.Frame) {
	t.scratch = f.AppendExpert(t.scratch[:0])
	for _, e := range t.scratch {
		if t.PerPacketOnly && decode.ExpertNeedsMessages(e.Kind) || decode.ExpertTreeOnly(e.Kind) {
			continue // as tshark -z expert, which builds no tree
		}
		t.items[t.index(f, e)-1].Count++
	}
}

// Items returns the items grouped by severity (most severe first), each
// group in order of first occurrence.
func (t *ExpertTable) Items() []*ExpertItem {
	var out []*ExpertItem
	for s := Severity(0); s < numSev; s++ {
		for _, it := range t.items {
			if it.Severity == s {
				out = append(out, it)
			}
		}
	}
	return out
}

// WriteText prints the summary in tshark's -z expert layout.
func (t *ExpertTable) WriteText(w io.Writer) error {
	var b strings.Builder
	items := t.Items()
	for s := Severity(0); s < numSev; s++ {
		var n uint64
		for _, it := range items {
			if it.Severity == s {
				n += it.Count
			}
		}
		if n == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s (%d)\n=============\n   Frequency      Group           Protocol  Summary\n", sevNames[s], n)
		for _, it := range items {
			if it.Severity == s {
				fmt.Fprintf(&b, "%12d %10s %18s  %s\n", it.Count, it.Group, it.Protocol, it.Summary)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON prints the items as JSON.
func (t *ExpertTable) WriteJSON(w io.Writer) error {
	items := t.Items()
	if items == nil {
		items = []*ExpertItem{}
	}
	for i, it := range items {
		if it.json != "" {
			c := *it
			c.Summary = it.json
			items[i] = &c
		}
	}
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(struct {
		Filter string        `json:"filter,omitempty"`
		Items  []*ExpertItem `json:"items"`
	}{t.Filter, items})
}
