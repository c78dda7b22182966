package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
)

// Severity is an expert-info severity, as in Wireshark.
type Severity uint8

// Severities, most severe first (the order tshark prints them).
const (
	SevError Severity = iota
	SevWarn
	SevNote
	SevChat
	SevComment
	numSev
)

var sevNames = [...]string{"Errors", "Warns", "Notes", "Chats", "Comments"}
var sevJSON = [...]string{"error", "warning", "note", "chat", "comment"}

func (s Severity) String() string { return sevJSON[s] }

// expert kinds wirewatch derives from TCP analysis.
type expKind uint8

const (
	exSyn expKind = iota
	exSynAck
	exFin
	exFinActive
	exFinPassive
	exRst
	exRetrans
	exFastRetrans
	exSpurious
	exOOO
	exReused
	exLost
	exAckLost
	exWinUpdate
	exWinFull
	exKeepAlive
	exKeepAliveAck
	exDupAck
	exZWP
	exZW
	exZWPAck
	exAckNonzero
	exUrgNonzero
)

type expDef struct {
	sev     Severity
	group   string
	summary string // may contain one %d
}

var expDefs = [...]expDef{
	exSyn:          {SevChat, "Sequence", "Connection establish request (SYN): server port %d"},
	exSynAck:       {SevChat, "Sequence", "Connection establish acknowledge (SYN+ACK): server port %d"},
	exFin:          {SevChat, "Sequence", "Connection finish (FIN)"},
	exFinActive:    {SevNote, "Sequence", "This frame initiates the connection closing"},
	exFinPassive:   {SevNote, "Sequence", "This frame undergoes the connection closing"},
	exRst:          {SevWarn, "Sequence", "Connection reset (RST)"},
	exRetrans:      {SevNote, "Sequence", "This frame is a (suspected) retransmission"},
	exFastRetrans:  {SevNote, "Sequence", "This frame is a (suspected) fast retransmission"},
	exSpurious:     {SevNote, "Sequence", "This frame is a (suspected) spurious retransmission"},
	exOOO:          {SevWarn, "Sequence", "This frame is a (suspected) out-of-order segment"},
	exReused:       {SevNote, "Sequence", "A new tcp session is started with the same ports as an earlier session in this trace"},
	exLost:         {SevWarn, "Sequence", "Previous segment(s) not captured (common at capture start)"},
	exAckLost:      {SevWarn, "Sequence", "ACKed segment that wasn't captured (common at capture start)"},
	exWinUpdate:    {SevChat, "Sequence", "TCP window update"},
	exWinFull:      {SevWarn, "Sequence", "TCP window specified by the receiver is now completely full"},
	exKeepAlive:    {SevNote, "Sequence", "TCP keep-alive segment"},
	exKeepAliveAck: {SevNote, "Sequence", "ACK to a TCP keep-alive segment"},
	exDupAck:       {SevNote, "Sequence", "Duplicate ACK (#%d)"},
	exZWP:          {SevNote, "Sequence", "TCP Zero Window Probe"},
	exZW:           {SevWarn, "Sequence", "TCP Zero Window segment"},
	exZWPAck:       {SevNote, "Sequence", "ACK to a TCP Zero Window Probe"},
	exAckNonzero:   {SevNote, "Protocol", "The acknowledgment number field is nonzero while the ACK flag is not set"},
	exUrgNonzero:   {SevNote, "Protocol", "The urgent pointer field is nonzero while the URG flag is not set"},
}

type expKey struct {
	kind expKind
	arg  uint32
}

// ExpertItem is one line of the expert summary.
type ExpertItem struct {
	Severity Severity `json:"-"`
	Sev      string   `json:"severity"`
	Group    string   `json:"group"`
	Protocol string   `json:"protocol"`
	Summary  string   `json:"summary"`
	Count    uint64   `json:"count"`
	key      expKey
}

// ExpertTable counts expert items (tshark -z expert) from frames.
type ExpertTable struct {
	Filter string
	items  []*ExpertItem
	idx    map[expKey]int32
}

// NewExpertTable returns an empty expert table.
func NewExpertTable(filter string) *ExpertTable {
	return &ExpertTable{Filter: filter, idx: map[expKey]int32{}}
}

func (t *ExpertTable) add(k expKind, arg uint32) {
	key := expKey{k, arg}
	i := t.idx[key]
	if i == 0 {
		d := expDefs[k]
		s := d.summary
		if strings.Contains(s, "%d") {
			s = fmt.Sprintf(s, arg)
		}
		t.items = append(t.items, &ExpertItem{Severity: d.sev, Sev: sevJSON[d.sev], Group: d.group, Protocol: "TCP", Summary: s, key: key})
		i = int32(len(t.items))
		t.idx[key] = i
	}
	t.items[i-1].Count++
}

// Add counts the expert items of frame f (TCP connection and sequence
// analysis items, in the order Wireshark adds them).
func (t *ExpertTable) Add(f *decode.Frame) {
	th := &f.TCP
	if !f.Has(decode.ProtoTCP) || th.HdrAvail < 20 {
		return
	}
	a := &f.Analysis
	fl := th.Flags
	if fl&decode.TCPAck == 0 && th.Ack != 0 {
		t.add(exAckNonzero, 0)
	}
	if fl&decode.TCPUrg == 0 && th.Urgent != 0 {
		t.add(exUrgNonzero, 0)
	}
	if !a.HasTCP {
		return // a header Wireshark gave up on: no connection or sequence items
	}
	if fl&decode.TCPSyn != 0 {
		if fl&decode.TCPAck != 0 {
			t.add(exSynAck, uint32(th.SrcPort))
		} else {
			t.add(exSyn, uint32(th.DstPort))
		}
	}
	if fl&decode.TCPFin != 0 {
		t.add(exFin, 0)
		switch a.Closing {
		case 1:
			t.add(exFinActive, 0)
		case 2:
			t.add(exFinPassive, 0)
		}
	}
	if fl&decode.TCPRst != 0 {
		t.add(exRst, 0)
	}
	x := a.Flags
	if x == 0 {
		return
	}
	if x&decode.AnRetransmission != 0 {
		t.add(exRetrans, 0)
	}
	if x&decode.AnFastRetransmission != 0 {
		t.add(exFastRetrans, 0)
		t.add(exRetrans, 0)
	}
	if x&decode.AnSpuriousRetransmission != 0 {
		t.add(exSpurious, 0)
		t.add(exRetrans, 0)
	}
	if x&decode.AnOutOfOrder != 0 {
		t.add(exOOO, 0)
	}
	if x&decode.AnReusedPorts != 0 {
		t.add(exReused, 0)
	}
	if x&decode.AnLostSegment != 0 {
		t.add(exLost, 0)
	}
	if x&decode.AnAckLostSegment != 0 {
		t.add(exAckLost, 0)
	}
	if x&decode.AnWindowUpdate != 0 {
		t.add(exWinUpdate, 0)
	}
	if x&decode.AnWindowFull != 0 {
		t.add(exWinFull, 0)
	}
	if x&decode.AnKeepAlive != 0 {
		t.add(exKeepAlive, 0)
	}
	if x&decode.AnKeepAliveAck != 0 {
		t.add(exKeepAliveAck, 0)
	}
	if x&decode.AnDuplicateAck != 0 && a.DupAckNum != 0 {
		t.add(exDupAck, a.DupAckNum)
	}
	if x&decode.AnZeroWindowProbe != 0 {
		t.add(exZWP, 0)
	}
	if x&decode.AnZeroWindow != 0 {
		t.add(exZW, 0)
	}
	if x&decode.AnZeroWindowProbeAck != 0 {
		t.add(exZWPAck, 0)
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

// Count returns how many times the item with this severity and summary was seen.
func (t *ExpertTable) Count(sev Severity, summary string) uint64 {
	for _, it := range t.items {
		if it.Severity == sev && it.Summary == summary {
			return it.Count
		}
	}
	return 0
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
	e := json.NewEncoder(w)
	e.SetIndent("", "  ")
	return e.Encode(struct {
		Filter string        `json:"filter,omitempty"`
		Items  []*ExpertItem `json:"items"`
	}{t.Filter, items})
}
