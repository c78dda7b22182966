package cli

import (
	"strconv"
	"strings"
	"time"
)

// zReports are the tshark -z statistics read accepts, for the message.
const zReports = "conv,TYPE endpoints,TYPE expert io,stat,INTERVAL io,phs follow,tcp|udp,ascii|hex|raw,STREAM (TYPE: tcp, udp, ip, eth)"

// readStats is read with -z: the packets (unless -q), then each statistic,
// as tshark prints them.
func readStats(env *Env, o *readOptions) error {
	var runs []func() error
	for _, z := range o.stats {
		so := &statsOpts{format: "text", filter: o.filter, interval: time.Second, singleCore: o.singleCore, prefs: o.prefs}
		f := strings.Split(z, ",")
		zfilter := func(rest []string) {
			if len(rest) > 0 && rest[0] != "" { // tshark's per-statistic filter
				extra := strings.Join(rest, ",")
				if so.filter != "" {
					so.filter = "(" + so.filter + ") && (" + extra + ")"
				} else {
					so.filter = extra
				}
			}
		}
		switch {
		case (f[0] == "conv" || f[0] == "endpoints") && len(f) >= 2:
			so.pos = []string{f[0], f[1], o.file}
			zfilter(f[2:])
		case f[0] == "expert":
			so.pos, so.all = []string{"expert", o.file}, true
			zfilter(f[1:])
		case len(f) >= 3 && f[0] == "io" && f[1] == "stat":
			secs, err := strconv.ParseFloat(f[2], 64)
			if err != nil || secs <= 0 {
				return usagef("read: -z %s: the interval is in seconds, e.g. -z io,stat,1 or io,stat,0.1", z)
			}
			so.interval, so.pos, so.tshark = time.Duration(secs*float64(time.Second)), []string{"io", o.file}, true
			zfilter(f[3:])
		case len(f) >= 2 && f[0] == "io" && f[1] == "phs":
			so.pos = []string{"hierarchy", o.file}
			zfilter(f[2:])
		case f[0] == "follow" && len(f) == 4:
			so.format, so.pos, so.filter = f[2], []string{f[1], f[3], o.file}, ""
			runs = append(runs, func() error { return follow(env, so) })
			continue
		default:
			return usagef("read: -z %s: unknown statistic; wirewatch has %s", z, zReports)
		}
		runs = append(runs, func() error { return stats(env, so) })
	}
	if o.file == "-" && (!o.quiet || len(runs) > 1) {
		return usagef("read: -z on standard input needs -q and one -z (the capture is read once per report)")
	}
	if !o.quiet {
		q := *o
		q.stats = nil
		if err := runReadOpts(env, &q); err != nil {
			return err
		}
	}
	for _, run := range runs {
		if err := run(); err != nil {
			return err
		}
	}
	return nil
}
