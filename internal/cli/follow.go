package cli

import (
	"errors"
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
	err = runFile(env, path, po, fs.Frame)
	if _, usage := err.(*UsageError); usage || errors.Is(err, errInterrupted) {
		return err
	}
	if derr := fs.Done(); derr != nil {
		if err != nil {
			return err
		}
		return fmt.Errorf("follow: %s in %s", strings.TrimPrefix(derr.Error(), report.ErrNoConversation.Error()+": "), path)
	}
	// As tshark: the data read is printed, then a capture error (exit 1).
	if werr := fs.F.WriteText(env.Stdout); err == nil {
		err = werr
	}
	return err
}
