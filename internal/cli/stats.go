package cli

import (
	"errors"
	"os"
	"strconv"
	"time"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/internal/opt"
	"github.com/wirewatch/wirewatch/report"
)

func init() { register("stats", runStats) }

type statsOpts struct {
	format     string
	filter     string
	interval   time.Duration
	singleCore bool
	all        bool
	prefs      prefs
	maxTexts   int  // --max-texts: stats expert's budget of distinct texts
	tshark     bool // -z io,stat: tshark's table layout
	pos        []string
}

// parseStatsArgs reads the options stats and follow share.
func parseStatsArgs(cmd string, s *opt.Set) (*statsOpts, error) {
	o := &statsOpts{format: s.Str("format", s.Str("T", "text")), filter: s.Str("display-filter", ""), interval: time.Second,
		singleCore: s.Has("single-core"), all: s.Has("all"), pos: s.Args}
	if v := s.Str("max-texts", ""); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, usagef("%s: --max-texts %q: want a positive number", cmd, v)
		}
		o.maxTexts = n
	}
	if v := s.Str("interval", ""); v != "" {
		var err error
		if o.interval, err = time.ParseDuration(v); err != nil || o.interval <= 0 {
			return nil, usagef("%s: --interval %q: give a positive duration such as 1s or 100ms", cmd, v)
		}
	}
	return o, o.prefs.parse(cmd, s)
}

func runStats(env *Env, s *opt.Set) error {
	o, err := parseStatsArgs("stats", s)
	if err != nil {
		return err
	}
	return stats(env, o)
}

// stats runs the report o.pos names (REPORT [ARGS] FILE).
func stats(env *Env, o *statsOpts) error {
	if o.format != "text" && o.format != "json" {
		return usagef("stats: --format %q: use text or json", o.format)
	}
	if len(o.pos) == 0 {
		return usagef("stats: which report? conv, endpoints, expert, io, hierarchy or summary (see 'wirewatch help stats')")
	}
	rep, rest := o.pos[0], o.pos[1:]
	if o.all && rep != "expert" {
		return usagef("stats %s: --all applies to stats expert only", rep)
	}
	var kind report.ConvKind
	if rep == "conv" || rep == "endpoints" {
		if len(rest) == 0 {
			return usagef("stats %s: which layer? tcp, udp, ip or eth", rep)
		}
		var ok bool
		if kind, ok = report.ParseConvKind(rest[0]); !ok {
			return usagef("stats %s: unknown layer %q: use tcp, udp, ip or eth", rep, rest[0])
		}
		rest = rest[1:]
	}
	if len(rest) != 1 {
		return usagef("stats %s: give exactly one capture file (got %d)", rep, len(rest))
	}
	path := rest[0]
	po, err := o.prefs.config()
	if err != nil {
		return err
	}
	po.Filter, po.Parallel = o.filter, !o.singleCore
	sc := report.StatsConfig{Report: rep, Kind: kind, Filter: o.filter, All: o.all, MaxTexts: o.maxTexts, Interval: o.interval,
		Path: path, FullDecode: fullDecode}
	if rep == "summary" {
		if path != "-" {
			if st, err := os.Stat(path); err == nil {
				sc.Size = st.Size()
			}
			if r, err := capture.Open(path); err == nil {
				sc.Format = r.Format()
				r.Close()
			}
		}
		if o.prefs.maxFlows == 0 && o.filter == "" {
			// Only the stream counts need the tracker: a small live table
			// numbers streams as tshark does (tombs carry the rest).
			o.prefs.maxFlows, po.Flow.MaxConns = summaryMaxFlows, summaryMaxFlows
		}
	}
	t, expert := report.NewStats(sc, &po)
	if t == nil {
		return usagef("stats: unknown report %q: use conv, endpoints, expert, io, hierarchy or summary", rep)
	}
	err = runFile(env, path, po, func(f *decode.Frame) error { t.Add(f); return nil })
	if _, usage := err.(*UsageError); usage || errors.Is(err, errInterrupted) {
		return err
	}
	// As tshark: what was read is reported, then the error (a truncated or
	// damaged capture) and its exit status.
	if ev := &o.prefs.evictions; expert != nil && ev.Total() > 0 {
		expert.AddNote("Sequence", "TCP/UDP", ev.Summary(o.prefs.maxFlows), uint64(ev.Total()))
	} else {
		noteEvictions(env.Stderr, ev, o.prefs.maxFlows)
	}
	if it, ok := t.(*report.IOTable); ok && o.tshark {
		it.Tshark = true
	}
	var werr error
	if o.format == "json" {
		werr = t.WriteJSON(env.Stdout)
	} else {
		werr = t.WriteText(report.SafeText(env.Stdout))
	}
	if err == nil {
		err = werr
	}
	return err
}

// summaryMaxFlows is the live conversations per protocol that stats
// summary keeps by default (without -Y): exact tcp.stream/udp.stream counts
// need to know which conversations were seen (a later packet continues its
// stream, a SYN after a close starts a new one), so it keeps the flow
// tracker, but with a small live table; ended conversations leave their
// small tombs (flow.Config.MaxTombs). The counts equal those of the full
// budget on all 798 corpus captures (64 already does); under a flood RSS
// halves (bench/flood.sh).
const summaryMaxFlows = 4096

// fullDecode turns off the application-layer skipping of stats reports
// (tests compare both).
var fullDecode bool
