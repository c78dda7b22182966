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
	"unicode/utf8"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/decode"
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
	// All makes the text report show every finding in full (--all)
	// instead of a summary within about 100 lines.
	All bool
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
	Host     string   `json:"host"`
	Port     uint16   `json:"port"`
	Proto    string   `json:"proto"`
	TimeoutS float64  `json:"timeout_s"`
	Role     string   `json:"role,omitempty"`
	Names    []string `json:"names,omitempty"`
	Device   string   `json:"device,omitempty"`
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
	Category       string            `json:"category"`
	Severity       string            `json:"severity"`
	Title          string            `json:"title"`
	Explanation    string            `json:"explanation"`
	AffectedHosts  []string          `json:"affected_hosts"`
	UnaffectedHost []string          `json:"unaffected_hosts"`
	Culprit        *jsonCulprit      `json:"culprit"`
	Stalls         []jsonStall       `json:"stalls"`
	StallCount     int               `json:"stall_count"`
	TimeLostS      float64           `json:"time_lost_s"`
	EvidenceFrames []uint64          `json:"evidence_frames"`
	DisplayFilter  string            `json:"display_filter"`
	AffectedMach   []jsonMachine     `json:"affected_machines"`
	UnaffectedMach []jsonMachine     `json:"unaffected_machines"`
	Confidence     float64           `json:"confidence"`
	Score          float64           `json:"score"`
	Basis          string            `json:"basis"`
	Names          map[string]string `json:"names,omitempty"`
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
		jm := jsonMachine{MAC: m.MACString(), Addresses: addrStrings(m.Addrs), Names: validTexts(m.Names)}
		if jm.Names == nil {
			jm.Names = []string{}
		}
		out = append(out, jm)
	}
	return out
}

func namesJSON(m map[netip.Addr]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for a, n := range m {
		out[a.String()] = decode.ValidText(n)
	}
	return out
}

// validTexts is v through decode.ValidText, v itself when all are valid.
func validTexts(v []string) []string {
	for i, s := range v {
		if w := decode.ValidText(s); w != s {
			c := append([]string(nil), v...)
			for j := i; j < len(c); j++ {
				c[j] = decode.ValidText(c[j])
			}
			return c
		}
	}
	return v
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
	// Every string that can hold capture text goes through decode.ValidText:
	// encoding/json would turn bytes that are not UTF-8 into U+FFFD.
	vt := decode.ValidText
	out := jsonDiag{Version: 1, Capture: jsonCapture{File: vt(d.File), Frames: d.Frames, FirstEpoch: epoch(d.First), LastEpoch: epoch(d.Last)},
		Findings: make([]jsonFinding, 0, len(d.Findings)), Summary: d.Summary}
	copied := false
	for i, o := range d.Summary.OpenAtEnd {
		if w := vt(o.What); w != o.What {
			if !copied { // d is not changed
				out.Summary.OpenAtEnd, copied = append([]analyze.OpenTxn(nil), d.Summary.OpenAtEnd...), true
			}
			out.Summary.OpenAtEnd[i].What = w
		}
	}
	for i := range d.Findings {
		f := &d.Findings[i]
		jf := jsonFinding{Category: string(f.Category), Severity: f.Severity.String(), Title: vt(f.Title), Explanation: vt(f.Explanation),
			AffectedHosts: addrStrings(f.Affected), UnaffectedHost: addrStrings(f.Unaffected), StallCount: f.StallCount,
			TimeLostS: round6(f.TimeLost.Seconds()), EvidenceFrames: f.Evidence, DisplayFilter: vt(f.DisplayFilter),
			Confidence: f.Confidence, Score: f.Score, Basis: vt(f.Basis),
			Names:        namesJSON(f.Names),
			AffectedMach: machinesJSON(f.AffectedMachines), UnaffectedMach: machinesJSON(f.UnaffectedMachines),
			Stalls: make([]jsonStall, 0, len(f.Stalls))}
		if jf.EvidenceFrames == nil {
			jf.EvidenceFrames = []uint64{}
		}
		if c := f.Culprit; c != nil {
			jc := &jsonCulprit{Host: c.Host.String(), Port: c.Port, Proto: c.Proto, TimeoutS: c.TimeoutS, Role: c.Role, Names: validTexts(c.Names)}
			if c.Device.IsValid() {
				jc.Device = c.Device.String()
			}
			jf.Culprit = jc
		}
		for j := range f.Stalls {
			s := &f.Stalls[j]
			js := jsonStall{Proto: s.Proto, Client: s.Client.String(), Server: s.Server.String(), StartFrame: s.StartFrame,
				DurationS: round6(s.Duration().Seconds()), WaitingOn: string(s.WaitingOn), What: vt(s.What), Open: s.Open,
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

// textBudget is the most lines the default text report prints on any
// capture: a summary table, the details of the most important findings, the
// transaction counts. --all (Diagnosis.All) lifts it.
const textBudget = 100

// WriteDiagnosisText writes the diagnosis for a terminal: a summary table
// (one line per finding, most important first), then the details of the
// most important findings (explanation, machines, culprit, confidence and
// its basis, stalls, evidence, display filter), then the transaction
// counts. By default it stays within about 100 lines whatever the capture;
// with d.All it shows every finding in full.
func WriteDiagnosisText(w io.Writer, d *Diagnosis) error {
	var b strings.Builder
	lines := func() int { return strings.Count(b.String(), "\n") }
	dur := time.Duration(d.Last - d.First)
	fmt.Fprintf(&b, "wirewatch diagnose: %s — %d frames, %s\n", d.File, d.Frames, fmtDur(dur))
	if len(d.Findings) == 0 {
		b.WriteString("\nNo problems found: no stalls, failed connections, DNS timeouts or loss worth reporting.\n")
	} else {
		c := map[analyze.Severity]int{}
		for _, f := range d.Findings {
			c[f.Severity]++
		}
		fmt.Fprintf(&b, "%s: %d critical, %d warning, %d info\n", plural(len(d.Findings), "finding", "findings"), c[analyze.Critical], c[analyze.Warning], c[analyze.Info])
		// the summary table
		rows := len(d.Findings)
		if !d.All && rows > 25 {
			rows = 20
		}
		fmt.Fprintf(&b, "\n  # %-8s %4s %9s %8s  %s\n", "severity", "conf", "lost", "machines", "finding")
		for i := 0; i < rows; i++ {
			f := &d.Findings[i]
			lost := "-"
			if f.TimeLost >= time.Millisecond {
				lost = fmtDur(f.TimeLost)
			}
			fmt.Fprintf(&b, "%3d %-8s %4.2f %9s %8d  %s\n", i+1, strings.ToUpper(f.Severity.String()), f.Confidence, lost,
				machineCount(f), oneLine(f.Title, 160))
		}
		if rows < len(d.Findings) {
			c := map[analyze.Severity]int{}
			for _, f := range d.Findings[rows:] {
				c[f.Severity]++
			}
			fmt.Fprintf(&b, "  … and %d more (%d critical, %d warning, %d info): --all lists them, --format json has every one\n",
				len(d.Findings)-rows, c[analyze.Critical], c[analyze.Warning], c[analyze.Info])
		}
	}
	// details, most important first, within the budget
	var tail strings.Builder
	writeSummary(&tail, d)
	tailLines := strings.Count(tail.String(), "\n")
	shown := 0
	for i := range d.Findings {
		f := &d.Findings[i]
		var fb strings.Builder
		writeFindingText(&fb, i+1, f, d.All)
		if !d.All {
			if shown > 0 && f.Severity == analyze.Info && d.Findings[0].Severity > analyze.Info {
				break // details of info findings only when nothing is worse
			}
			if lines()+strings.Count(fb.String(), "\n")+tailLines+2 > textBudget {
				break
			}
		}
		b.WriteString(fb.String())
		shown++
	}
	if !d.All && shown < len(d.Findings) {
		fmt.Fprintf(&b, "\nDetails of %d more finding(s) not shown: run with --all, or --format json.\n", len(d.Findings)-shown)
	}
	b.WriteString(tail.String())
	_, err := io.WriteString(w, b.String())
	return err
}

// withName writes an endpoint with the name the capture gives its address.
func withName(f *analyze.Finding, ep analyze.Endpoint) string {
	if n, ok := f.Names[ep.Addr]; ok {
		return ep.String() + " (" + oneLine(n, 60) + ")"
	}
	return ep.String()
}

func machineCount(f *analyze.Finding) int {
	if len(f.AffectedMachines) > 0 {
		return len(f.AffectedMachines)
	}
	return len(f.Affected)
}

// machineWords lists machines with their addresses, names and MAC, at most
// max ("and 203 more").
func machineWords(ms []analyze.Machine, max int) string {
	var parts []string
	for i := range ms {
		if i == max {
			parts = append(parts, fmt.Sprintf("and %d more", len(ms)-max))
			break
		}
		m := &ms[i]
		s := strings.Join(addrStrings(m.Addrs), " ")
		var extra []string
		if len(m.Names) > 0 {
			extra = append(extra, strings.Join(m.Names, " "))
		}
		if mac := m.MACString(); mac != "" {
			extra = append(extra, mac)
		}
		if len(extra) > 0 {
			s += " (" + strings.Join(extra, ", ") + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func addrsCapped(v []netip.Addr, max int) string {
	s := addrStrings(v)
	if len(s) > max {
		return strings.Join(s[:max], ", ") + fmt.Sprintf(" and %d more", len(s)-max)
	}
	return strings.Join(s, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func writeFindingText(b *strings.Builder, n int, f *analyze.Finding, all bool) {
	maxHosts, maxStalls := 8, 5
	if all {
		maxHosts, maxStalls = 1<<30, 8
	}
	fmt.Fprintf(b, "\n%d. [%s] %s\n", n, strings.ToUpper(f.Severity.String()), f.Title)
	fmt.Fprintf(b, "   category:   %s; confidence %.2f, score %.1f\n", f.Category, f.Confidence, f.Score)
	wrap(b, f.Explanation, "   ", 100)
	if f.Basis != "" {
		wrap(b, "Evidence: "+f.Basis, "   ", 100)
	}
	if len(f.AffectedMachines) > 0 {
		fmt.Fprintf(b, "   affected:   %s\n", oneLine(machineWords(f.AffectedMachines, maxHosts), 600))
	} else if len(f.Affected) > 0 {
		fmt.Fprintf(b, "   affected:   %s\n", addrsCapped(f.Affected, maxHosts))
	}
	if len(f.UnaffectedMachines) > 0 {
		fmt.Fprintf(b, "   unaffected: %s\n", oneLine(machineWords(f.UnaffectedMachines, maxHosts), 600))
	} else if len(f.Unaffected) > 0 {
		fmt.Fprintf(b, "   unaffected: %s\n", addrsCapped(f.Unaffected, maxHosts))
	}
	if c := f.Culprit; c != nil {
		fmt.Fprintf(b, "   culprit:    %s", c.Host)
		if len(c.Names) > 0 {
			fmt.Fprintf(b, " (%s)", oneLine(strings.Join(c.Names, " "), 120))
		}
		if c.Port != 0 {
			fmt.Fprintf(b, " port %d/%s", c.Port, c.Proto)
		}
		if c.TimeoutS > 0 {
			fmt.Fprintf(b, ", timeout %s s", strconv.FormatFloat(c.TimeoutS, 'f', 3, 64))
		}
		if c.Role != "" {
			fmt.Fprintf(b, " (%s)", c.Role)
		}
		if c.Device.IsValid() {
			fmt.Fprintf(b, ", device %s", c.Device)
		}
		b.WriteString("\n")
	}
	if f.StallCount > 0 {
		if f.TimeLost >= time.Millisecond {
			fmt.Fprintf(b, "   time lost:  %s over %s\n", fmtDur(f.TimeLost), plural(f.StallCount, "stall", "stalls"))
		} else {
			fmt.Fprintf(b, "   stalls:     %d, each shorter than 1 ms\n", f.StallCount)
		}
		for j, s := range f.Stalls {
			if j == maxStalls {
				fmt.Fprintf(b, "     … %d more (see --format json)\n", f.StallCount-j)
				break
			}
			end := "open"
			if s.EndFrame != 0 {
				end = strconv.FormatUint(s.EndFrame, 10)
			}
			fmt.Fprintf(b, "     %s %s → %s  frames %d→%s  %s waiting on %s: %s\n", s.Proto, s.Client, withName(f, s.Server),
				s.StartFrame, end, fmtDur(s.Duration()), s.WaitingOn, oneLine(s.What, 70))
			if a := s.Attempt; a != nil {
				fmt.Fprintf(b, "       meanwhile: %s %s → %s %s, frames %s\n", a.Kind, a.Client, withName(f, a.Server), a.Outcome, joinU(a.Frames))
			}
		}
	}
	if len(f.Evidence) > 0 {
		fmt.Fprintf(b, "   evidence:   frames %s\n", joinUMax(f.Evidence, 24))
	}
	if f.DisplayFilter != "" {
		fmt.Fprintf(b, "   filter:     %s\n", oneLine(f.DisplayFilter, 400))
	}
}

func writeSummary(b *strings.Builder, d *Diagnosis) {
	s := d.Summary
	fmt.Fprintf(b, "\nTransactions: TCP %d connections (%d established, %d refused, %d unanswered, %d with SYN retransmissions, %d reset, %d open at end); "+
		"DNS %d queries (%d answered, %d unanswered, %d retried, %d errors); HTTP %d requests, %d responses (%d errors); TLS %d ClientHello, %d ServerHello, %d alerts\n",
		s.TCPConnections, s.TCPEstablished, s.TCPRefused, s.TCPUnanswered, s.TCPSYNRetrans, s.TCPReset, s.TCPOpenAtEnd,
		s.DNSQueries, s.DNSAnswered, s.DNSUnanswered, s.DNSRetried, s.DNSErrors, s.HTTPRequests, s.HTTPResponses, s.HTTPErrors,
		s.TLSHandshakes, s.TLSServerHellos, s.TLSAlerts)
	if s.FlowEvicted > 0 || s.ConnsEvicted > 0 || s.HostsEvicted > 0 {
		// A flood filled a memory budget: say what was not followed to the end.
		fmt.Fprintf(b, "Budgets full (a flood or scan?): %d conversations ended early by the flow table (--max-flows), "+
			"%d TCP connections closed early by the diagnosis, %d least recently active hosts forgotten by the host table (--max-flows); findings may miss what they held\n",
			s.FlowEvicted, s.ConnsEvicted, s.HostsEvicted)
	}
	if n := len(s.OpenAtEnd); n > 0 {
		fmt.Fprintf(b, "Open at the end of the capture (%d):", n)
		for i, o := range s.OpenAtEnd {
			if i == 5 {
				fmt.Fprintf(b, " …")
				break
			}
			fmt.Fprintf(b, " %s %s → %s frame %d (%.3f s)", o.Kind, o.Client, o.Server, o.Frame, o.WaitS)
			if o.What != "" {
				fmt.Fprintf(b, " %s", oneLine(o.What, 40))
			}
			b.WriteString(";")
		}
		b.WriteString("\n")
	}
}

func oneLine(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '.'
		}
		return r
	}, s)
	if len(s) > max {
		// cut on a character boundary: never half of a UTF-8 sequence
		i := max
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i] + "…"
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
