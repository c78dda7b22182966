package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"net/netip"
	"sort"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
)

//go:embed templates/diagnose.html.tmpl
var diagTemplates embed.FS

var diagHTML = template.Must(template.ParseFS(diagTemplates, "templates/diagnose.html.tmpl"))

// The view model: every string from the capture reaches the page only
// through html/template, which escapes it for its context (text, attribute,
// SVG); nothing is marked as trusted HTML.
type htmlDiag struct {
	File, Duration, Start string
	Frames                uint64
	Findings              []htmlFinding
	Summary               string
}

type htmlFinding struct {
	Severity, Category, Title, Explanation string
	Culprit, Affected, Unaffected          string
	TimeLost                               string
	StallCount                             int
	Evidence                               string
	Filter                                 string
	Stalls                                 []htmlStall
	Timelines                              []htmlTimeline
}

type htmlStall struct {
	Proto, Client, Server, Stream, Frames, Duration, WaitingOn, What string
}

type htmlTimeline struct {
	Host          string
	Width, Height int
	Lanes         []htmlLane
	Ticks         []htmlTick
}

type htmlLane struct {
	Label, Title string
	Y, H, TextY  int
	Alt, Culprit bool
	Bars         []htmlBar
	Lines        []htmlLine
}

type htmlBar struct {
	X, W  float64
	Y, H  int
	Class string
	Title string
}

type htmlLine struct {
	X1, X2 float64
	Y1, Y2 int
	Class  string
	Title  string
}

type htmlTick struct {
	X        float64
	Y, TextY int
	Label    string
}

// WriteDiagnosisHTML writes one self-contained HTML page (no scripts, no
// external resources) with the findings and an SVG timeline per affected host.
func WriteDiagnosisHTML(w io.Writer, d *Diagnosis) error {
	v := htmlDiag{File: d.File, Frames: d.Frames, Duration: fmtDur(time.Duration(d.Last - d.First)),
		Start: time.Unix(0, d.First).UTC().Format("2006-01-02 15:04:05.000 UTC")}
	for i := range d.Findings {
		f := &d.Findings[i]
		hf := htmlFinding{Severity: f.Severity.String(), Category: string(f.Category), Title: f.Title, Explanation: f.Explanation,
			Affected: strings.Join(addrStrings(f.Affected), ", "), Unaffected: strings.Join(addrStrings(f.Unaffected), ", "),
			TimeLost: fmtDur(f.TimeLost), StallCount: f.StallCount, Evidence: joinUMax(f.Evidence, 60), Filter: f.DisplayFilter}
		if c := f.Culprit; c != nil {
			s := c.Host.String()
			if c.Port != 0 {
				s += fmt.Sprintf(" port %d/%s", c.Port, c.Proto)
			}
			if c.TimeoutS > 0 {
				s += fmt.Sprintf(", timeout %.3f s", c.TimeoutS)
			}
			if c.Role != "" {
				s += " — " + c.Role
			}
			if c.Device.IsValid() {
				s += ", device " + c.Device.String()
			}
			hf.Culprit = s
		}
		for j, s := range f.Stalls {
			if j == 200 {
				break
			}
			st := htmlStall{Proto: s.Proto, Client: s.Client.String(), Server: s.Server.String(), Duration: fmtDur(s.Duration()),
				WaitingOn: string(s.WaitingOn), What: s.What, Frames: stallFrames(&s)}
			if s.Stream >= 0 {
				st.Stream = fmt.Sprint(s.Stream)
			}
			hf.Stalls = append(hf.Stalls, st)
		}
		if f.Severity >= analyze.Warning || i < 3 {
			hf.Timelines = timelines(f)
		}
		v.Findings = append(v.Findings, hf)
	}
	s := d.Summary
	v.Summary = fmt.Sprintf("Transactions: TCP %d connections (%d established, %d refused, %d unanswered, %d reset, %d open at end); DNS %d queries (%d answered, %d unanswered, %d retried, %d errors); HTTP %d requests, %d responses; TLS %d ClientHello, %d alerts.",
		s.TCPConnections, s.TCPEstablished, s.TCPRefused, s.TCPUnanswered, s.TCPReset, s.TCPOpenAtEnd, s.DNSQueries, s.DNSAnswered,
		s.DNSUnanswered, s.DNSRetried, s.DNSErrors, s.HTTPRequests, s.HTTPResponses, s.TLSHandshakes, s.TLSAlerts)
	return diagHTML.Execute(w, v)
}

func stallFrames(s *analyze.Stall) string {
	end := "open"
	if s.EndFrame != 0 {
		end = fmt.Sprint(s.EndFrame)
	}
	return fmt.Sprintf("%d→%s", s.StartFrame, end)
}

const (
	tlWidth  = 1040
	tlLabelW = 300
	tlLaneH  = 22
	tlTop    = 4
)

// timelines draws one SVG per affected host: each connection (client,
// server) of the finding's stalls is a lane, stalls are shaded, and the
// culprit's attempts are drawn inside the gap, with their own lane.
func timelines(f *analyze.Finding) []htmlTimeline {
	byHost := map[netip.Addr][]*analyze.Stall{}
	var hosts []netip.Addr
	for i := range f.Stalls {
		s := &f.Stalls[i]
		h := s.Client.Addr
		if _, ok := byHost[h]; !ok {
			hosts = append(hosts, h)
		}
		byHost[h] = append(byHost[h], s)
	}
	sort.Slice(hosts, func(i, j int) bool { return hosts[i].Less(hosts[j]) })
	if len(hosts) > 8 {
		hosts = hosts[:8]
	}
	var out []htmlTimeline
	for _, h := range hosts {
		out = append(out, timeline(h, byHost[h]))
	}
	return out
}

func timeline(host netip.Addr, stalls []*analyze.Stall) htmlTimeline {
	t0, t1 := stalls[0].Start, stalls[0].End
	type laneKey struct{ a, b string }
	var keys []laneKey
	lanes := map[laneKey][]*analyze.Stall{}
	attempts := map[laneKey][]*analyze.Attempt{}
	var akeys []laneKey
	for _, s := range stalls {
		t0, t1 = min(t0, s.Start), max(t1, s.End)
		k := laneKey{s.Client.String(), s.Server.String()}
		if _, ok := lanes[k]; !ok {
			keys = append(keys, k)
		}
		lanes[k] = append(lanes[k], s)
		if a := s.Attempt; a != nil {
			t0 = min(t0, a.Start)
			ak := laneKey{a.Client.Addr.String(), a.Server.String()} // one lane per culprit
			if _, ok := attempts[ak]; !ok {
				akeys = append(akeys, ak)
			}
			attempts[ak] = append(attempts[ak], a)
		}
	}
	if len(keys) > 40 {
		keys = keys[:40]
	}
	if len(akeys) > 20 {
		akeys = akeys[:20]
	}
	span := float64(t1 - t0)
	if span <= 0 {
		span = 1e9
	}
	pad := span * 0.03
	scale := float64(tlWidth-tlLabelW-10) / (span + 2*pad)
	x := func(t int64) float64 {
		v := float64(tlLabelW) + (float64(t-t0)+pad)*scale
		return float64(int(v*10)) / 10
	}
	tl := htmlTimeline{Host: host.String(), Width: tlWidth}
	y := tlTop
	for i, k := range keys {
		ln := htmlLane{Label: k.a + " → " + k.b, Title: "connection " + k.a + " → " + k.b, Y: y, H: tlLaneH, TextY: y + 15, Alt: i%2 == 1}
		for _, s := range lanes[k] {
			cls := "stall " + string(s.WaitingOn)
			w := x(s.End) - x(s.Start)
			if w < 2 {
				w = 2
			}
			ln.Bars = append(ln.Bars, htmlBar{X: x(s.Start), W: w, Y: y + 3, H: tlLaneH - 6, Class: cls,
				Title: fmt.Sprintf("frames %s: %s waiting on %s — %s", stallFrames(s), fmtDur(s.Duration()), s.WaitingOn, s.What)})
			if a := s.Attempt; a != nil {
				for j, t := range a.Times {
					ln.Lines = append(ln.Lines, htmlLine{X1: x(t), X2: x(t), Y1: y + 2, Y2: y + tlLaneH - 2, Class: "attempt",
						Title: fmt.Sprintf("frame %d: %s %s → %s (%s)", a.Frames[j], a.Kind, a.Client, a.Server, a.Outcome)})
				}
				ln.Lines = append(ln.Lines, htmlLine{X1: x(a.Start), X2: x(s.End), Y1: y + tlLaneH/2, Y2: y + tlLaneH/2, Class: "giveup",
					Title: fmt.Sprintf("%s to %s gave up after %s; the request left in frame %d", a.Kind, a.Server, fmtDur(time.Duration(s.End-a.Start)), s.EndFrame)})
			}
		}
		tl.Lanes = append(tl.Lanes, ln)
		y += tlLaneH
	}
	for _, k := range akeys {
		ln := htmlLane{Label: fmt.Sprintf("culprit → %s (%d attempts)", k.b, len(attempts[k])), Title: "attempts from " + k.a + " to " + k.b, Y: y, H: tlLaneH, TextY: y + 15, Culprit: true}
		for _, a := range attempts[k] {
			for j, t := range a.Times {
				ln.Lines = append(ln.Lines, htmlLine{X1: x(t), X2: x(t), Y1: y + 2, Y2: y + tlLaneH - 2, Class: "attempt",
					Title: fmt.Sprintf("frame %d: %s %s → %s (%s)", a.Frames[j], a.Kind, a.Client, a.Server, a.Outcome)})
			}
		}
		tl.Lanes = append(tl.Lanes, ln)
		y += tlLaneH
	}
	// time axis
	step := niceStep(span / 8)
	first := (int64(float64(t0)/step) + 1) * int64(step)
	for t := first; t <= t1; t += int64(step) {
		tl.Ticks = append(tl.Ticks, htmlTick{X: x(t), Y: y, TextY: y + 14, Label: fmt.Sprintf("+%.3gs", float64(t-t0)/1e9)})
		if len(tl.Ticks) > 20 {
			break
		}
	}
	tl.Height = y + 20
	return tl
}

func niceStep(ns float64) float64 {
	for _, s := range []float64{1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8, 2e8, 5e8, 1e9, 2e9, 5e9, 1e10, 2e10, 5e10, 1e11, 3e11, 6e11, 3.6e12} {
		if s >= ns {
			return s
		}
	}
	return 3.6e12
}
