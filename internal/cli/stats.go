package cli

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/pipeline"
	"github.com/wirewatch/wirewatch/report"
)

func init() {
	register("stats", "conversations, endpoints, expert info, IO, protocol hierarchy, capture summary", runStats)
}

const statsUsage = `Usage: wirewatch stats REPORT [ARGS] FILE [--format text|json] [-Y FILTER]

Reports (tshark equivalents in brackets):
  conv tcp|udp|ip|eth       conversations: frames and bytes each way, relative start, duration
                            (-z conv,tcp); json adds Zeek conn_state and history for tcp/udp
  endpoints tcp|udp|ip|eth  per-endpoint frames and bytes sent and received (-z endpoints,tcp)
  expert [--all]            expert info counted by severity, group, protocol and summary (-z expert):
                            TCP analysis, IPv4, Ethernet trailer, comments, malformed packets;
                            --all adds HTTP request/response lines and DNS retransmissions
                            (as tshark does; slower, memory grows with distinct request lines)
  io [--interval 1s]        frames, bytes, retransmissions, lost segments, dup ACKs per interval (-z io,stat)
  hierarchy                 protocol hierarchy (-z io,phs)
  summary                   capinfos-like summary of the capture

Flags (anywhere after REPORT):
  --format text|json   output format (default text)
  -Y FILTER            count only frames matching the display filter
  --interval DURATION  interval for io (default 1s)
  --single-core        analyse on one core (default: decode and analysis run on two)
  -o tls.keylog_file:FILE, --tls-keylog FILE
                       decrypt TLS with this key log (SSLKEYLOGFILE format)
  --all                expert: also the items that need HTTP message reassembly and DNS
                       transaction matching (implied by -Y, which decodes everything)

Examples:
  wirewatch stats conv tcp trace.pcap
  wirewatch stats expert -Y 'ip.addr == 10.0.0.1' trace.pcapng
  wirewatch stats io --interval 100ms trace.pcap --format json
`

type statsOpts struct {
	format     string
	filter     string
	interval   time.Duration
	singleCore bool
	all        bool
	keylog     string // -o tls.keylog_file:FILE, --tls-keylog FILE
	pos        []string
}

// parseStatsArgs accepts flags before, between and after positional arguments.
func parseStatsArgs(cmd string, args []string) (*statsOpts, error) {
	o := &statsOpts{format: "text", interval: time.Second}
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || a == "-" {
			o.pos = append(o.pos, a)
			continue
		}
		need := func() (string, error) {
			if hasVal {
				return val, nil
			}
			if i+1 >= len(args) {
				return "", usagef("%s: flag %s needs a value", cmd, a)
			}
			i++
			return args[i], nil
		}
		var err error
		switch name {
		case "h", "help":
			return nil, errHelp
		case "format", "T":
			o.format, err = need()
		case "Y", "filter":
			o.filter, err = need()
		case "interval":
			var v string
			if v, err = need(); err == nil {
				if o.interval, err = time.ParseDuration(v); err != nil || o.interval <= 0 {
					return nil, usagef("%s: --interval %q: give a positive duration such as 1s or 100ms", cmd, v)
				}
			}
		case "single-core":
			o.singleCore = true
		case "all":
			o.all = true
		case "tls-keylog":
			o.keylog, err = need()
		case "o":
			var v string
			if v, err = need(); err == nil {
				var isPref bool
				if o.keylog, isPref, err = keyLogPref(cmd, v); err == nil && !isPref {
					err = usagef("%s: -o %s: want a preference NAME:VALUE such as %s:FILE", cmd, v, keyLogPrefName)
				}
			}
		default:
			return nil, usagef("%s: unknown flag %s (see 'wirewatch %s --help')", cmd, a, cmd)
		}
		if err != nil {
			return nil, err
		}
	}
	return o, nil
}

func runStats(env *Env, args []string) error {
	o, err := parseStatsArgs("stats", args)
	if err == errHelp {
		fmt.Fprint(env.Stdout, statsUsage)
		return errHelp
	}
	if err != nil {
		return err
	}
	if o.format != "text" && o.format != "json" {
		return usagef("stats: --format %q: use text or json", o.format)
	}
	if len(o.pos) == 0 {
		return usagef("stats: which report? conv, endpoints, expert, io, hierarchy or summary (see 'wirewatch stats --help')")
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
	kl, err := loadKeyLog(o.keylog)
	if err != nil {
		return err
	}
	po := pipeline.Config{Filter: o.filter, Parallel: !o.singleCore, KeyLog: kl}
	var add func(f *decode.Frame)
	var write func() error
	text := o.format == "text"
	out := env.Stdout
	if text {
		out = report.SafeText(out)
	}
	switch rep {
	case "conv":
		t := report.NewConvTable(kind, o.filter)
		add = t.Add
		po.Flow.OnEnd = t.SetConn
		write = func() error {
			if text {
				return t.WriteText(out)
			}
			return t.WriteJSON(out)
		}
	case "endpoints":
		t := report.NewEndpointTable(kind, o.filter)
		add = t.Add
		write = func() error {
			if text {
				return t.WriteText(out)
			}
			return t.WriteJSON(out)
		}
	case "expert":
		t := report.NewExpertTable(o.filter)
		t.PerPacketOnly = !o.all && o.filter == ""
		add = t.Add
		write = func() error {
			if text {
				return t.WriteText(out)
			}
			return t.WriteJSON(out)
		}
	case "io":
		t := report.NewIOTable(o.interval, o.filter)
		add = t.Add
		write = func() error {
			if text {
				return t.WriteText(out)
			}
			return t.WriteJSON(out)
		}
	case "hierarchy":
		t := report.NewHierarchy(o.filter)
		add = t.Add
		write = func() error {
			if text {
				return t.WriteText(out)
			}
			return t.WriteJSON(out)
		}
	case "summary":
		format, size := "", int64(0)
		if path != "-" {
			if st, err := os.Stat(path); err == nil {
				size = st.Size()
			}
			if r, err := capture.Open(path); err == nil {
				format = r.Format()
				r.Close()
			}
		}
		t := report.NewSummary(path, format, size)
		add = t.Add
		write = func() error {
			if text {
				return t.WriteText(out)
			}
			return t.WriteJSON(out)
		}
	default:
		return usagef("stats: unknown report %q: use conv, endpoints, expert, io, hierarchy or summary", rep)
	}
	// Only the protocol hierarchy, expert --all (HTTP start lines appear on
	// the frame that completes a message) and filters (which may name HTTP,
	// DNS or TLS fields) need messages spanning segments reassembled, and
	// only expert --all (DNS retransmissions) and filters need transactions.
	all := rep == "expert" && o.all
	po.Flow.NoDesegment = rep != "hierarchy" && !all && o.filter == ""
	po.Flow.NoTransactions = o.filter == "" && !all
	if o.filter == "" && !fullDecode {
		switch {
		case rep == "conv", rep == "endpoints", rep == "io", rep == "summary":
			// Only link, network and transport facts are counted.
			po.SkipApp = decode.AppDNS | decode.AppHTTP | decode.AppTLS | decode.AppOther
		case all:
			// HTTP start lines and DNS retransmissions; nothing from TLS.
			po.SkipApp = decode.AppTLS
		case rep == "expert":
			// TCP analysis, IPv4, trailers, comments, and the malformed
			// check, which reads DNS.
			po.SkipApp = decode.AppHTTP | decode.AppTLS
		}
	}
	if err := runFile(env, path, po, func(f *decode.Frame) error { add(f); return nil }); err != nil {
		return err
	}
	return write()
}

// fullDecode turns off the application-layer skipping of stats reports
// (tests compare both).
var fullDecode bool
