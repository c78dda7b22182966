package cli

import (
	"fmt"
	"strings"

	"github.com/wirewatch/wirewatch/internal/opt"
	"github.com/wirewatch/wirewatch/report"
)

func init() { register("follow", runFollow) }

func runFollow(env *Env, s *opt.Set) error {
	o, err := parseStatsArgs("follow", s)
	if err != nil {
		return err
	}
	return follow(env, o)
}

// follow prints the conversation o.pos names (tcp|udp STREAM FILE).
func follow(env *Env, o *statsOpts) error {
	if o.format == "text" {
		o.format = "ascii"
	}
	if len(o.pos) != 3 {
		return usagef("follow: expected tcp|udp STREAM FILE (see 'wirewatch help follow')")
	}
	proto, sel, path := o.pos[0], o.pos[1], o.pos[2]
	fmtv, ok := report.ParseFollowFormat(o.format)
	if !ok {
		return usagef("follow: --format %q: use ascii, hex or raw", o.format)
	}
	fs, err := report.NewFollowSelector(proto, sel, fmtv)
	if err != nil {
		return usagef("follow: %v", err)
	}
	po, err := o.prefs.config()
	if err != nil {
		return err
	}
	po.Flow.OnData = fs.OnData()
	if err := runFile(env, path, po, fs.Frame); err != nil {
		return err
	}
	if err := fs.Done(); err != nil {
		return fmt.Errorf("follow: %s in %s", strings.TrimPrefix(err.Error(), report.ErrNoConversation.Error()+": "), path)
	}
	return fs.F.WriteText(env.Stdout)
}
