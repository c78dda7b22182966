package cli

import (
	"fmt"
	"strings"

	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/filter"
	"github.com/wirewatch/wirewatch/internal/opt"
)

func init() { register("filter", runFilter) }

func runFilter(env *Env, s *opt.Set) error {
	args := s.Args
	if len(args) == 0 {
		return usagef("filter: missing subcommand check; run 'wirewatch help filter'")
	}
	switch args[0] {
	case "check":
		expr := strings.Join(args[1:], " ")
		if strings.TrimSpace(expr) == "" {
			return usagef("filter check: missing filter expression")
		}
		flt, err := filter.Compile(expr, field.Std())
		if err != nil {
			return &UsageError{Msg: err.Error()}
		}
		fmt.Fprintln(env.Stdout, flt.String())
		return nil
	}
	return usagef("filter: unknown subcommand %q (want check; 'wirewatch fields' lists fields)", args[0])
}
