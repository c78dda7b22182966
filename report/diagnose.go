package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
)

// Diagnosis is what the diagnose renderers print: the capture, the findings
// (most important first) and the transaction summary.
type Diagnosis struct {
	File     string
	Frames   uint64
	First    int64 // ns since epoch of the first frame
	Last     int64
	Findings []analyze.Finding
	Summary  analyze.Summary
}

// NewDiagnosis collects an engine's results (call after Flush).
func NewDiagnosis(file string, e *analyze.Engine) *Diagnosis {
	n, first, last := e.Frames()
	return &Diagnosis{File: file, Frames: n, First: first, Last: last, Findings: e.Findings(), Summary: e.Summary()}
}

// ---- JSON (docs/diagnose-json.md) ----

type jsonDiag struct {
	Version  int             `json:"version"`
	Capture  jsonCapture     `json:"capture"`
	Findings []jsonFinding   `json:"findings"`
	Summary  analyze.Summary `json:"summary"`
}

type jsonCapture struct {
	File       string  `json:"file"`
	Frames     uint64  `json:"frames"`
	FirstEpoch float64 `json:"first_epoch"`
	LastEpoch  float64 `json:"last_epoch"`
}

type jsonCulprit struct {
	Host     string  `json:"host"`
	Port     uint16  `json:"port"`
	Proto    string  `json:"proto"`
	TimeoutS float64 `json:"timeout_s"`
	Role     string  `json:"role,omitempty"`
	Device   string  `json:"device,omitempty"`
}

type jsonAttempt struct {
	Kind    string   `json:"kind"`
	Proto   string   `json:"proto"`
	Client  string   `json:"client"`
	Server  string   `json:"server"`
	Frames  []uint64 `json:"frames"`
	StartS  float64  `json:"start_epoch"`
	Outcome string   `json:"outcome"`
}

type jsonStall struct {
	Proto      string       `json:"proto"`
	Client     string       `json:"client"`
	Server     string       `json:"server"`
	Stream     *int64       `json:"stream"`
	StartFrame uint64       `json:"start_frame"`
	EndFrame   *uint64      `json:"end_frame"`
	DurationS  float64      `json:"duration_s"`
	WaitingOn  string       `json:"waiting_on"`
	What       string       `json:"what,omitempty"`
	Open       bool         `json:"open,omitempty"`
	StartEpoch float64      `json:"start_epoch"`
	Attempt    *jsonAttempt `json:"culprit_attempt,omitempty"`
}

type jsonFinding struct {
	Category       string        `json:"category"`
	Severity       string        `json:"severity"`
	Title          string        `json:"title"`
	Explanation    string        `json:"explanation"`
	AffectedHosts  []string      `json:"affected_hosts"`
	UnaffectedHost []string      `json:"unaffected_hosts"`
	Culprit        *jsonCulprit  `json:"culprit"`
	Stalls         []jsonStall   `json:"stalls"`
	StallCount     int           `json:"stall_count"`
	TimeLostS      float64       `json:"time_lost_s"`
	EvidenceFrames []uint64      `json:"evidence_frames"`
	DisplayFilter  string        `json:"display_filter"`
	AffectedMach   []jsonMachine `json:"affected_machines"`
	UnaffectedMach []jsonMachine `json:"unaffected_machines"`
	Confidence     float64       `json:"confidence"`
	Score          float64       `json:"score"`
	Basis          string        `json:"basis"`
}

type jsonMachine struct {
	MAC       string   `json:"mac"`
	Addresses []string `json:"addresses"`
	Names     []string `json:"names"`
}

func machinesJSON(ms []analyze.Machine) []jsonMachine {
	out := make([]jsonMachine, 0, len(ms))
	for i := range ms {
		m := &ms[i]
		jm := jsonMachine{MAC: m.MACString(), Addresses: addrStrings(m.Addrs), Names: m.Names}
		if jm.Names == nil {
			jm.Names = []string{}
		}
		out = append(out, jm)
	}
	return out
}

func epoch(ns int64) float64 { return math.Round(float64(ns)/1e3) / 1e6 }

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

func addrStrings(v []netip.Addr) []string {
	out := make([]string, 0, len(v))
	for _, a := range v {
		out = append(out, a.String())
	}
	return out
}

// WriteDiagnosisJSON writes the diagnosis in the stable JSON schema, version 1.
func WriteDiagnosisJSON(w io.Writer, d *Diagnosis) error {
	out := jsonDiag{Version: 1, Capture: jsonCapture{File: d.File, Frames: d.Frames, FirstEpoch: epoch(d.First), LastEpoch: epoch(d.Last)},
		Findings: make([]jsonFinding, 0, len(d.Findings)), Summary: d.Summary}
	for i := range d.Findings {
		f := &d.Findings[i]
		jf := jsonFinding{Category: string(f.Category), Severity: f.Severity.String(), Title: f.Title, Explanation: f.Explanation,
			AffectedHosts: addrStrings(f.Affected), UnaffectedHost: addrStrings(f.Unaffected), StallCount: f.StallCount,
			TimeLostS: round6(f.TimeLost.Seconds()), EvidenceFrames: f.Evidence, DisplayFilter: f.DisplayFilter,
			Confidence: f.Confidence, Score: f.Score, Basis: f.Basis,
			AffectedMach: machinesJSON(f.AffectedMachines), UnaffectedMach: machinesJSON(f.UnaffectedMachines),
			Stalls: make([]jsonStall, 0, len(f.Stalls))}
		if jf.EvidenceFrames == nil {
			jf.EvidenceFrames = []uint64{}
		}
		if c := f.Culprit; c != nil {
			jc := &jsonCulprit{Host: c.Host.String(), Port: c.Port, Proto: c.Proto, TimeoutS: c.TimeoutS, Role: c.Role}
			if c.Device.IsValid() {
				jc.Device = c.Device.String()
			}
			jf.Culprit = jc
		}
		for j := range f.Stalls {
			s := &f.Stalls[j]
			js := jsonStall{Proto: s.Proto, Client: s.Client.String(), Server: s.Server.String(), StartFrame: s.StartFrame,
				DurationS: round6(s.Duration().Seconds()), WaitingOn: string(s.WaitingOn), What: s.What, Open: s.Open,
				StartEpoch: epoch(s.Start)}
			if s.Stream >= 0 {
				v := s.Stream
				js.Stream = &v
			}
			if s.EndFrame != 0 {
				v := s.EndFrame
				js.EndFrame = &v
			}
			if a := s.Attempt; a != nil {
				js.Attempt = &jsonAttempt{Kind: a.Kind, Proto: a.Proto, Client: a.Client.String(), Server: a.Server.String(),
					Frames: a.Frames, StartS: epoch(a.Start), Outcome: a.Outcome}
			}
			jf.Stalls = append(jf.Stalls, js)
		}
		out.Findings = append(out.Findings, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(out)
}

// ---- text ----

// WriteDiagnosisText writes the diagnosis for a terminal: most important
// finding first, each with its explanation, hosts, culprit, stalls, evidence
// and a display filter.
func WriteDiagnosisText(w io.Writer, d *Diagnosis) error {
	var b strings.Builder
	dur := time.Duration(d.Last - d.First)
	fmt.Fprintf(&b, "wirewatch diagnose: %s — %d frames, %s\n", d.File, d.Frames, fmtDur(dur))
	if len(d.Findings) == 0 {
		b.WriteString("\nNo problems found: no stalls, failed connections, DNS timeouts or loss worth reporting.\n")
	} else {
		c := map[analyze.Severity]int{}
		for _, f := range d.Findings {
			c[f.Severity]++
		}
		fmt.Fprintf(&b, "%d finding(s): %d critical, %d warning, %d info\n", len(d.Findings), c[analyze.Critical], c[analyze.Warning], c[analyze.Info])
	}
	for i := range d.Findings {
		f := &d.Findings[i]
		fmt.Fprintf(&b, "\n%d. [%s] %s\n", i+1, strings.ToUpper(f.Severity.String()), f.Title)
		fmt.Fprintf(&b, "   category:   %s\n", f.Category)
		wrap(&b, f.Explanation, "   ", 100)
		if len(f.Affected) > 0 {
			fmt.Fprintf(&b, "   affected:   %s\n", strings.Join(addrStrings(f.Affected), ", "))
		}
		if len(f.Unaffected) > 0 {
			fmt.Fprintf(&b, "   unaffected: %s\n", strings.Join(addrStrings(f.Unaffected), ", "))
		}
		if c := f.Culprit; c != nil {
			fmt.Fprintf(&b, "   culprit:    %s", c.Host)
			if c.Port != 0 {
				fmt.Fprintf(&b, " port %d/%s", c.Port, c.Proto)
			}
			if c.TimeoutS > 0 {
				fmt.Fprintf(&b, ", timeout %s s", strconv.FormatFloat(c.TimeoutS, 'f', 3, 64))
			}
			if c.Role != "" {
				fmt.Fprintf(&b, " (%s)", c.Role)
			}
			if c.Device.IsValid() {
				fmt.Fprintf(&b, ", device %s", c.Device)
			}
			b.WriteString("\n")
		}
		if f.StallCount > 0 {
			fmt.Fprintf(&b, "   time lost:  %s over %d stall(s)\n", fmtDur(f.TimeLost), f.StallCount)
			for j, s := range f.Stalls {
				if j == 8 {
					fmt.Fprintf(&b, "     … %d more (see --format json)\n", len(f.Stalls)-j)
					break
				}
				end := "open"
				if s.EndFrame != 0 {
					end = strconv.FormatUint(s.EndFrame, 10)
				}
				fmt.Fprintf(&b, "     %s %s → %s  frames %d→%s  %s waiting on %s: %s\n", s.Proto, s.Client, s.Server,
					s.StartFrame, end, fmtDur(s.Duration()), s.WaitingOn, oneLine(s.What, 70))
				if a := s.Attempt; a != nil {
					fmt.Fprintf(&b, "       meanwhile: %s %s → %s %s, frames %s\n", a.Kind, a.Client, a.Server, a.Outcome, joinU(a.Frames))
				}
			}
		}
		if len(f.Evidence) > 0 {
			fmt.Fprintf(&b, "   evidence:   frames %s\n", joinUMax(f.Evidence, 24))
		}
		if f.DisplayFilter != "" {
			fmt.Fprintf(&b, "   filter:     %s\n", oneLine(f.DisplayFilter, 400))
		}
	}
	s := d.Summary
	fmt.Fprintf(&b, "\nTransactions: TCP %d connections (%d established, %d refused, %d unanswered, %d with SYN retransmissions, %d reset, %d open at end); "+
		"DNS %d queries (%d answered, %d unanswered, %d retried, %d errors); HTTP %d requests, %d responses (%d errors); TLS %d ClientHello, %d ServerHello, %d alerts\n",
		s.TCPConnections, s.TCPEstablished, s.TCPRefused, s.TCPUnanswered, s.TCPSYNRetrans, s.TCPReset, s.TCPOpenAtEnd,
		s.DNSQueries, s.DNSAnswered, s.DNSUnanswered, s.DNSRetried, s.DNSErrors, s.HTTPRequests, s.HTTPResponses, s.HTTPErrors,
		s.TLSHandshakes, s.TLSServerHellos, s.TLSAlerts)
	if n := len(s.OpenAtEnd); n > 0 {
		fmt.Fprintf(&b, "Open at the end of the capture (%d):", n)
		for i, o := range s.OpenAtEnd {
			if i == 5 {
				fmt.Fprintf(&b, " …")
				break
			}
			fmt.Fprintf(&b, " %s %s → %s frame %d (%.3f s)", o.Kind, o.Client, o.Server, o.Frame, o.WaitS)
			if o.What != "" {
				fmt.Fprintf(&b, " %s", oneLine(o.What, 40))
			}
			b.WriteString(";")
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func oneLine(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '.'
		}
		return r
	}, s)
	if len(s) > max {
		s = s[:max] + "…"
	}
	return s
}

func joinU(v []uint64) string {
	p := make([]string, len(v))
	for i, n := range v {
		p[i] = strconv.FormatUint(n, 10)
	}
	return strings.Join(p, ",")
}

func joinUMax(v []uint64, max int) string {
	if len(v) <= max {
		return joinU(v)
	}
	return joinU(v[:max]) + fmt.Sprintf(" … (%d in all)", len(v))
}

func fmtDur(d time.Duration) string {
	s := d.Seconds()
	switch {
	case s >= 1:
		return strconv.FormatFloat(s, 'f', 3, 64) + " s"
	default:
		return strconv.FormatFloat(s*1000, 'f', 1, 64) + " ms"
	}
}

func wrap(b *strings.Builder, text, indent string, width int) {
	text = oneLine(text, 1<<20)
	line := indent
	for _, w := range strings.Fields(text) {
		if len(line)+len(w)+1 > width && len(line) > len(indent) {
			b.WriteString(line + "\n")
			line = indent
		}
		if len(line) > len(indent) {
			line += " "
		}
		line += w
	}
	if len(line) > len(indent) {
		b.WriteString(line + "\n")
	}
}
