package report

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/netip"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/pipeline"
)

//go:embed templates/diagnose.html.tmpl
var diagTemplates embed.FS

var diagHTML = template.Must(template.New("diagnose.html.tmpl").Funcs(template.FuncMap{
	"inc": func(i int) int { return i + 1 },
}).ParseFS(diagTemplates, "templates/diagnose.html.tmpl"))

// Limits that keep the page a summary on a big capture: a reader takes in a
// few findings with a few machines each, not a wall of bars.
const (
	htmlMaxDetails   = 12  // findings shown in full (every finding has a line in the summary table)
	htmlMaxTimelines = 8   // findings with a timeline
	htmlMaxMachines  = 3   // affected machines drawn per timeline
	htmlMaxLanes     = 5   // connections drawn per machine; the rest share one lane
	htmlMaxStallRows = 30  // rows of a finding's stall table
	htmlMaxMarks     = 300 // attempt marks per lane
	htmlMaxListed    = 40  // evidence frames listed inline
	htmlMaxMachList  = 12  // machines listed inline
	htmlMaxSumRows   = 40  // rows of the summary table
)

// The view model: every string from the capture reaches the page only
// through html/template, which escapes it for its context (text, attribute,
// SVG); nothing is marked as trusted HTML.
type htmlDiag struct {
	File, Duration, Start string
	Frames                uint64
	Findings              []htmlFinding // in full
	Rows                  []htmlSumRow  // one per finding
	More                  int           // findings only in the summary table
	NotListed             int           // findings in neither (JSON has them)
	Summary               string
	AxisNote              string
}

type htmlSumRow struct {
	Anchor, Severity, Category, Title, Lost, Machines, Confidence string
	Detailed                                                      bool
}

type htmlFinding struct {
	Anchor                                 string
	Severity, Category, Title, Explanation string
	Culprit                                string
	Affected, Unaffected                   []string
	AffectedMore, UnaffectedMore           int
	TimeLost, Confidence, Basis            string
	StallCount                             int
	Evidence                               []string
	EvidenceMore                           int
	Filter                                 string
	Stalls                                 []htmlStall
	StallsMore                             int
	Timeline                               *htmlTimeline
}

type htmlStall struct {
	Client, Server, Frames, Duration, WaitingOn, What, Culprit string
	Gap                                                        *htmlGap
}

// htmlGap is a stall drawn on its own scale: the gap is the bar, the
// culprit's packets the marks inside it.
type htmlGap struct {
	Marks  []htmlMark
	GiveUp bool
	Title  string
}

type htmlMark struct {
	X     float64 // percent of the gap
	Title string
}

// htmlTimeline is one finding's SVG. X positions and widths are percentages
// of the one time axis the whole report shares, so the drawing follows the
// page width without scaling its text.
type htmlTimeline struct {
	Height int
	Rows   []htmlRow
	Ticks  []htmlTick
	Note   string
}

type htmlRow struct {
	Class     string // "machine", "lane", "culprit", "activity", "unaffected"
	Y, TextY  int
	BarY      int
	H         int
	Label     string
	Title     string
	Bars      []htmlBar
	Marks     []htmlLine
	BandY     int
	BandH     int
	DrawLabel bool
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
	X      float64
	Label  string
	Anchor string // text-anchor
}

// axis maps packet time to a percentage of the drawing width.
type axis struct {
	a0, a1, first int64
}

func (ax axis) x(t int64) float64 {
	if ax.a1 <= ax.a0 {
		return 0
	}
	v := float64(t-ax.a0) / float64(ax.a1-ax.a0) * 100
	return math.Round(math.Min(100, math.Max(0, v))*100) / 100
}

// WriteDiagnosisHTML writes one self-contained HTML page (no scripts, no
// external resources): a summary table of the findings, then the most
// important ones in full, each with a timeline on the report's one time axis
// (affected machines, their connections with the stalls shaded and the
// culprit's attempts inside each gap, and an unaffected machine for
// comparison) and its stall table. When d.File is a capture file it is read
// a second time for the traffic of the machines drawn (the engine keeps no
// per-host history).
func WriteDiagnosisHTML(w io.Writer, d *Diagnosis) error { return WriteDiagnosisHTMLFrom(w, d, d.File) }

// WriteDiagnosisHTMLFrom is WriteDiagnosisHTML with the capture read for
// the machines' traffic at path ("" for none) rather than d.File, for a
// report whose File names the capture as the user typed it elsewhere.
func WriteDiagnosisHTMLFrom(w io.Writer, d *Diagnosis, path string) error {
	v := htmlDiag{File: d.File, Frames: d.Frames, Duration: fmtDur(time.Duration(d.Last - d.First)),
		Start: time.Unix(0, d.First).UTC().Format("2006-01-02 15:04:05.000 UTC")}
	ax := reportAxis(d)
	drawn := map[int]bool{}
	for i := range d.Findings {
		if len(drawn) < htmlMaxTimelines && i < htmlMaxDetails && (d.Findings[i].Severity >= analyze.Warning || i < 3) && len(d.Findings[i].Stalls) > 0 {
			drawn[i] = true
		}
	}
	act := collectActivity(d, path, drawn, ax)
	for i := range d.Findings {
		f := &d.Findings[i]
		anchor := fmt.Sprintf("finding-%d", i+1)
		machines := len(f.AffectedMachines)
		if machines == 0 {
			machines = len(f.Affected)
		}
		if i >= htmlMaxSumRows {
			v.NotListed++
			continue
		}
		v.Rows = append(v.Rows, htmlSumRow{Anchor: anchor, Severity: f.Severity.String(), Category: string(f.Category), Title: f.Title,
			Lost: lostWords(f), Machines: strconv.Itoa(machines), Confidence: confWords(f.Confidence), Detailed: i < htmlMaxDetails})
		if i >= htmlMaxDetails {
			if i < htmlMaxSumRows {
				v.More++
			}
			continue
		}
		hf := htmlFinding{Anchor: anchor, Severity: f.Severity.String(), Category: string(f.Category), Title: f.Title,
			Explanation: f.Explanation, TimeLost: fmtDur(f.TimeLost), StallCount: f.StallCount, Filter: f.DisplayFilter,
			Confidence: confWords(f.Confidence), Basis: f.Basis}
		hf.Affected, hf.AffectedMore = htmlMachines(f.AffectedMachines, f.Affected)
		hf.Unaffected, hf.UnaffectedMore = htmlMachines(f.UnaffectedMachines, f.Unaffected)
		for j, n := range f.Evidence {
			if j == htmlMaxListed {
				hf.EvidenceMore = len(f.Evidence) - j
				break
			}
			hf.Evidence = append(hf.Evidence, strconv.FormatUint(n, 10))
		}
		hf.Culprit = culpritWords(f.Culprit)
		for j := range f.Stalls {
			if j == htmlMaxStallRows {
				hf.StallsMore = len(f.Stalls) - j
				break
			}
			hf.Stalls = append(hf.Stalls, stallRow(&f.Stalls[j]))
		}
		if f.StallCount > len(f.Stalls) {
			hf.StallsMore += f.StallCount - len(f.Stalls)
		}
		if drawn[i] {
			hf.Timeline = timeline(f, ax, act)
		}
		v.Findings = append(v.Findings, hf)
	}
	s := d.Summary
	v.Summary = fmt.Sprintf("Transactions: TCP %d connections (%d established, %d refused, %d unanswered, %d reset, %d open at end); DNS %d queries (%d answered, %d unanswered, %d retried, %d errors); HTTP %d requests, %d responses; TLS %d ClientHello, %d alerts.",
		s.TCPConnections, s.TCPEstablished, s.TCPRefused, s.TCPUnanswered, s.TCPReset, s.TCPOpenAtEnd, s.DNSQueries, s.DNSAnswered,
		s.DNSUnanswered, s.DNSRetried, s.DNSErrors, s.HTTPRequests, s.HTTPResponses, s.TLSHandshakes, s.TLSAlerts)
	if len(drawn) > 0 {
		v.AxisNote = fmt.Sprintf("Every timeline shares one time axis: %s to %s after the first frame.",
			tickLabel(ax.a0-ax.first, 0), tickLabel(ax.a1-ax.first, 0))
	}
	return diagHTML.Execute(w, v)
}

func lostWords(f *analyze.Finding) string {
	if f.StallCount == 0 {
		return "–"
	}
	return fmtDur(f.TimeLost)
}

func confWords(c float64) string {
	if c <= 0 {
		return "–"
	}
	return strconv.Itoa(int(math.Round(c*100))) + "%"
}

// machineWords: one item per machine (its addresses, names and MAC), or per
// address when the engine grouped none.
func htmlMachines(ms []analyze.Machine, addrs []netip.Addr) ([]string, int) {
	var out []string
	if len(ms) > 0 {
		for i := range ms {
			if i == htmlMaxMachList {
				return out, len(ms) - i
			}
			out = append(out, ms[i].String())
		}
		return out, 0
	}
	for i, a := range addrs {
		if i == htmlMaxMachList {
			return out, len(addrs) - i
		}
		out = append(out, a.String())
	}
	return out, 0
}

func culpritWords(c *analyze.Culprit) string {
	if c == nil {
		return ""
	}
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
	return s
}

func stallRow(s *analyze.Stall) htmlStall {
	st := htmlStall{Client: s.Client.String(), Server: s.Server.String(), Duration: fmtDur(s.Duration()),
		WaitingOn: string(s.WaitingOn), What: s.What, Frames: stallFrames(s)}
	if a := s.Attempt; a != nil {
		st.Culprit = fmt.Sprintf("%s → %s %s", a.Kind, a.Server, a.Outcome)
		g := &htmlGap{Title: fmt.Sprintf("%s of waiting; %s from %s to %s: %s", fmtDur(s.Duration()), a.Kind, a.Client, a.Server, a.Outcome)}
		span := float64(s.End - s.Start)
		pos := func(t int64) float64 {
			if span <= 0 {
				return 0
			}
			return math.Round(math.Min(100, math.Max(0, float64(t-s.Start)/span*100))*10) / 10
		}
		for j, t := range a.Times {
			if j < len(a.Frames) {
				g.Marks = append(g.Marks, htmlMark{X: pos(t), Title: fmt.Sprintf("frame %d: %s %s → %s", a.Frames[j], a.Kind, a.Client, a.Server)})
			}
		}
		g.GiveUp = a.Start >= s.Start && len(g.Marks) > 0
		st.Gap = g
	}
	return st
}

func stallFrames(s *analyze.Stall) string {
	end := "open"
	if s.EndFrame != 0 {
		end = fmt.Sprint(s.EndFrame)
	}
	return fmt.Sprintf("%d→%s", s.StartFrame, end)
}

// reportAxis is the one time axis of the report: the whole capture when it
// is short, else the span of the stalls drawn (a wait of seconds must stay
// visible on an hour-long capture).
func reportAxis(d *Diagnosis) axis {
	ax := axis{a0: d.First, a1: d.Last, first: d.First}
	if d.Last-d.First > int64(2*time.Minute) {
		lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
		for i := range d.Findings {
			if i >= htmlMaxDetails {
				break
			}
			for _, s := range d.Findings[i].Stalls {
				st := s.Start
				if s.Attempt != nil && s.Attempt.Start < st {
					st = s.Attempt.Start
				}
				lo, hi = min(lo, st), max(hi, s.End)
			}
		}
		if lo < hi {
			pad := (hi - lo) / 20
			ax.a0, ax.a1 = max(d.First, lo-pad), min(d.Last, hi+pad)
		}
	}
	if ax.a1 <= ax.a0 {
		ax.a1 = ax.a0 + int64(time.Second)
	}
	return ax
}

// activity is the traffic of the machines drawn: per address, the spans in
// which it sent or received packets (gaps shorter than half a percent of
// the axis merged).
type activity map[netip.Addr][][2]int64

// collectActivity reads the capture at path again for the addresses of the machines the
// timelines draw (affected and the first unaffected ones). A live capture or
// a file that cannot be read gives none: the timelines then show the stalls
// only.
func collectActivity(d *Diagnosis, path string, drawn map[int]bool, ax axis) activity {
	want := map[netip.Addr]bool{}
	for i := range drawn {
		f := &d.Findings[i]
		for _, m := range firstMachines(f.AffectedMachines, f.Affected, htmlMaxMachines) {
			for _, a := range m {
				want[a] = true
			}
		}
		for _, m := range firstMachines(f.UnaffectedMachines, f.Unaffected, 1) {
			for _, a := range m {
				want[a] = true
			}
		}
	}
	if len(want) == 0 || path == "" || path == "-" {
		return nil
	}
	if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
		return nil
	}
	merge := (ax.a1 - ax.a0) / 200
	act := activity{}
	note := func(a netip.Addr, t int64) {
		if !want[a] || t < ax.a0 || t > ax.a1 {
			return
		}
		v := act[a]
		if n := len(v); n > 0 && t-v[n-1][1] <= merge {
			if t > v[n-1][1] {
				v[n-1][1] = t
			}
			return
		}
		if len(v) < 400 {
			act[a] = append(v, [2]int64{t, t})
		}
	}
	err := pipeline.RunFile(context.Background(), path, pipeline.Config{SkipApp: decode.AppDNS | decode.AppHTTP | decode.AppTLS | decode.AppOther}, func(f *decode.Frame) error {
		switch {
		case f.Has(decode.ProtoIP):
			note(f.IP.Src, f.TS)
			note(f.IP.Dst, f.TS)
		case f.Has(decode.ProtoIPv6):
			note(f.IPv6.Src, f.TS)
			note(f.IPv6.Dst, f.TS)
		}
		return nil
	})
	if err != nil {
		return nil
	}
	return act
}

// firstMachines returns the addresses of the first n machines (or single
// addresses when there are no machines).
func firstMachines(ms []analyze.Machine, addrs []netip.Addr, n int) [][]netip.Addr {
	var out [][]netip.Addr
	if len(ms) > 0 {
		for i := range ms {
			if i == n {
				break
			}
			out = append(out, ms[i].Addrs)
		}
		return out
	}
	for i, a := range addrs {
		if i == n {
			break
		}
		out = append(out, []netip.Addr{a})
	}
	return out
}

// Row geometry (px): a label line, then the bar.
const (
	rowLabelH = 13
	rowBarH   = 12
	rowGap    = 5
	rowH      = rowLabelH + rowBarH + rowGap
	headH     = 20
	axisH     = 18
)

// timeline draws one finding: per affected machine (up to
// htmlMaxMachines) its traffic, its connections with stalls (the
// culprit's packets marked inside each gap, a dashed line from the attempt to
// the moment the wait ended), then the culprit's attempts in a lane of their
// own, and an unaffected machine's traffic for comparison.
func timeline(f *analyze.Finding, ax axis, act activity) *htmlTimeline {
	tl := &htmlTimeline{}
	y := axisH
	machines := firstMachines(f.AffectedMachines, f.Affected, 1<<30)
	labels, _ := htmlMachines(f.AffectedMachines, f.Affected)
	// stalls by machine (index into machines), in capture order
	owner := map[netip.Addr]int{}
	for i, m := range machines {
		for _, a := range m {
			owner[a] = i
		}
	}
	byMachine := map[int][]*analyze.Stall{}
	for i := range f.Stalls {
		s := &f.Stalls[i]
		m, ok := owner[s.Client.Addr]
		if !ok {
			m, ok = owner[s.Server.Addr]
		}
		if !ok {
			m = -1
		}
		byMachine[m] = append(byMachine[m], s)
	}
	order := make([]int, 0, len(byMachine))
	for m := range byMachine {
		order = append(order, m)
	}
	sort.Ints(order)
	if len(order) > 0 && order[0] == -1 {
		order = append(order[1:], -1)
	}
	drawnM := 0
	for _, m := range order {
		if drawnM == htmlMaxMachines {
			break
		}
		drawnM++
		label := "other hosts"
		var addrs []netip.Addr
		if m >= 0 {
			label = labels[min(m, len(labels)-1)]
			addrs = machines[m]
		}
		tl.Rows = append(tl.Rows, htmlRow{Class: "machine", Y: y, TextY: y + 14, H: headH, Label: label + " — affected", DrawLabel: true})
		y += headH
		if row, ok := activityRow(addrs, act, ax, y, "activity", "all its traffic"); ok {
			tl.Rows = append(tl.Rows, row)
			y += rowH
		}
		y = stallLanes(tl, byMachine[m], ax, y)
	}
	if n := len(order) - drawnM; n > 0 {
		tl.Note = fmt.Sprintf("%s with stalls not drawn (see the table).", plural(n, "more machine", "more machines"))
	}
	// the culprit's attempts, in a lane of their own
	if row, ok := culpritRow(f, ax, y); ok {
		tl.Rows = append(tl.Rows, row)
		y += rowH
	}
	// an unaffected machine for comparison
	um := firstMachines(f.UnaffectedMachines, f.Unaffected, 1)
	ul, _ := htmlMachines(f.UnaffectedMachines, f.Unaffected)
	if len(um) > 0 {
		tl.Rows = append(tl.Rows, htmlRow{Class: "machine ok", Y: y, TextY: y + 14, H: headH, Label: ul[0] + " — unaffected, for comparison", DrawLabel: true})
		y += headH
		if row, ok := activityRow(um[0], act, ax, y, "unaffected", "its traffic: no stall"); ok {
			tl.Rows = append(tl.Rows, row)
			y += rowH
		} else {
			tl.Rows = append(tl.Rows, htmlRow{Class: "lane", Y: y, TextY: y + 11, H: rowH, Label: "no stall (its traffic is not in a file this report can read)", DrawLabel: true})
			y += rowH
		}
	}
	tl.Ticks = ticks(ax)
	tl.Height = y + 2
	return tl
}

// stallLanes adds a lane per connection with stalls (htmlMaxLanes, the
// rest merged into one) and returns the next y.
func stallLanes(tl *htmlTimeline, stalls []*analyze.Stall, ax axis, y int) int {
	type lk struct{ a, b string }
	var keys []lk
	lanes := map[lk][]*analyze.Stall{}
	for _, s := range stalls {
		k := lk{s.Client.String(), s.Server.String()}
		if _, ok := lanes[k]; !ok {
			keys = append(keys, k)
		}
		lanes[k] = append(lanes[k], s)
	}
	var rest []*analyze.Stall
	if len(keys) > htmlMaxLanes {
		for _, k := range keys[htmlMaxLanes-1:] {
			rest = append(rest, lanes[k]...)
		}
		keys = keys[:htmlMaxLanes-1]
	}
	add := func(label, title string, ss []*analyze.Stall) {
		row := htmlRow{Class: "lane", Y: y, TextY: y + 11, BarY: y + rowLabelH, H: rowH, Label: label, Title: title, DrawLabel: true,
			BandY: y + rowLabelH, BandH: rowBarH}
		for _, s := range ss {
			x0, x1 := ax.x(s.Start), ax.x(s.End)
			row.Bars = append(row.Bars, htmlBar{X: x0, W: math.Max(0.3, math.Round((x1-x0)*100)/100), Y: y + rowLabelH, H: rowBarH,
				Class: "stall " + string(s.WaitingOn),
				Title: fmt.Sprintf("frames %s: %s waiting on %s — %s", stallFrames(s), fmtDur(s.Duration()), s.WaitingOn, s.What)})
			if a := s.Attempt; a != nil && len(row.Marks) < htmlMaxMarks {
				for j, t := range a.Times {
					if j < len(a.Frames) {
						row.Marks = append(row.Marks, htmlLine{X1: ax.x(t), X2: ax.x(t), Y1: y + rowLabelH - 2, Y2: y + rowLabelH + rowBarH + 2, Class: "attempt",
							Title: fmt.Sprintf("frame %d: %s %s → %s (%s)", a.Frames[j], a.Kind, a.Client, a.Server, a.Outcome)})
					}
				}
				if a.Start < s.End {
					row.Marks = append(row.Marks, htmlLine{X1: ax.x(a.Start), X2: ax.x(s.End), Y1: y + rowLabelH + rowBarH/2, Y2: y + rowLabelH + rowBarH/2,
						Class: "giveup", Title: fmt.Sprintf("%s to %s: %s until the wait ended (frame %d)", a.Kind, a.Server, fmtDur(time.Duration(s.End-a.Start)), s.EndFrame)})
				}
			}
		}
		row.Bars = mergeBars(row.Bars)
		tl.Rows = append(tl.Rows, row)
		y += rowH
	}
	for _, k := range keys {
		ss := lanes[k]
		add(fmt.Sprintf("%s → %s (%s)", k.a, k.b, plural(len(ss), "stall", "stalls")), "connection "+k.a+" → "+k.b, ss)
	}
	if len(rest) > 0 {
		add(fmt.Sprintf("%s more connections (%s)", strconv.Itoa(len(lanes)-len(keys)), plural(len(rest), "stall", "stalls")),
			"the other connections of this machine", rest)
	}
	return y
}

// mergeBars joins bars that touch at the drawing's resolution, so a
// thousand stalls make a few bars, not a wall.
func mergeBars(bs []htmlBar) []htmlBar {
	if len(bs) < 2 {
		return bs
	}
	sort.SliceStable(bs, func(i, j int) bool { return bs[i].X < bs[j].X })
	out := bs[:1]
	for _, b := range bs[1:] {
		last := &out[len(out)-1]
		if b.X <= last.X+last.W+0.2 && b.Class == last.Class {
			end := math.Max(last.X+last.W, b.X+b.W)
			last.W = math.Round((end-last.X)*100) / 100
			if !strings.HasPrefix(last.Title, "merged: ") {
				last.Title = "merged: " + last.Title
			}
			continue
		}
		out = append(out, b)
	}
	return out
}

func activityRow(addrs []netip.Addr, act activity, ax axis, y int, class, what string) (htmlRow, bool) {
	if act == nil || len(addrs) == 0 {
		return htmlRow{}, false
	}
	row := htmlRow{Class: class, Y: y, TextY: y + 11, H: rowH, Label: what, DrawLabel: true, BandY: y + rowLabelH, BandH: rowBarH}
	for _, a := range addrs {
		for _, sp := range act[a] {
			x0, x1 := ax.x(sp[0]), ax.x(sp[1])
			row.Bars = append(row.Bars, htmlBar{X: x0, W: math.Max(0.25, math.Round((x1-x0)*100)/100), Y: y + rowLabelH + 3, H: rowBarH - 6,
				Class: "traffic", Title: fmt.Sprintf("%s: packets from %s to %s", a, tickLabel(sp[0]-ax.first, 0), tickLabel(sp[1]-ax.first, 0))})
		}
	}
	if len(row.Bars) == 0 {
		return htmlRow{}, false
	}
	row.Bars = mergeBars(row.Bars)
	return row, true
}

func culpritRow(f *analyze.Finding, ax axis, y int) (htmlRow, bool) {
	if f.Culprit == nil {
		return htmlRow{}, false
	}
	row := htmlRow{Class: "culprit", Y: y, TextY: y + 11, H: rowH, DrawLabel: true, BandY: y + rowLabelH, BandH: rowBarH}
	seen := map[uint64]bool{}
	n := 0
	for i := range f.Stalls {
		a := f.Stalls[i].Attempt
		if a == nil || len(a.Frames) == 0 || seen[a.Frames[0]] {
			continue
		}
		seen[a.Frames[0]] = true
		n++
		for j, t := range a.Times {
			if j < len(a.Frames) && len(row.Marks) < htmlMaxMarks {
				row.Marks = append(row.Marks, htmlLine{X1: ax.x(t), X2: ax.x(t), Y1: y + rowLabelH, Y2: y + rowLabelH + rowBarH, Class: "attempt",
					Title: fmt.Sprintf("frame %d: %s %s → %s (%s)", a.Frames[j], a.Kind, a.Client, a.Server, a.Outcome)})
			}
		}
	}
	if n == 0 {
		return htmlRow{}, false
	}
	ep := analyze.Endpoint{Addr: f.Culprit.Host, Port: f.Culprit.Port}
	row.Label = fmt.Sprintf("culprit %s: %s", ep, plural(n, "attempt", "attempts"))
	return row, true
}

// ticks: round steps (1, 2, 5 × 10ⁿ ms, then minutes) counted from the first
// frame, about six across the axis.
func ticks(ax axis) []htmlTick {
	span := ax.a1 - ax.a0
	step := niceStep(float64(span) / 6)
	st := int64(step)
	first := ax.a0 - ax.first
	k := first / st
	if k*st < first {
		k++
	}
	var out []htmlTick
	for off := k * st; off <= ax.a1-ax.first && len(out) < 12; off += st {
		x := ax.x(ax.first + off)
		anchor := "middle"
		switch {
		case x < 4:
			anchor = "start"
		case x > 96:
			anchor = "end"
		}
		out = append(out, htmlTick{X: x, Label: tickLabel(off, st), Anchor: anchor})
	}
	return out
}

// tickLabel writes an offset from the first frame with as many decimals as
// the step needs: "+0.25 s", "+4 s", "+1 min 30 s".
func tickLabel(off, step int64) string {
	if off >= int64(time.Minute) && (step == 0 || step%int64(time.Second) == 0) {
		m, s := off/int64(time.Minute), (off%int64(time.Minute))/int64(time.Second)
		if s == 0 {
			return fmt.Sprintf("+%d min", m)
		}
		return fmt.Sprintf("+%d min %d s", m, s)
	}
	dec := 0
	for p := int64(time.Second); step > 0 && step%p != 0 && dec < 6; p /= 10 {
		dec++
	}
	if step == 0 {
		dec = 3
	}
	return "+" + strconv.FormatFloat(float64(off)/1e9, 'f', dec, 64) + " s"
}

func niceStep(ns float64) float64 {
	for _, s := range []float64{1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8, 2e8, 5e8, 1e9, 2e9, 5e9, 1e10, 2e10, 3e10, 6e10, 1.2e11, 3e11, 6e11, 1.2e12, 1.8e12, 3.6e12} {
		if s >= ns {
			return s
		}
	}
	return 3.6e12
}
