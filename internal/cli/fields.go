package cli

import (
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/internal/opt"
)

func init() { register("fields", runFields) }

func runFields(env *Env, s *opt.Set) error {
	if len(s.Args) > 1 {
		return usagef("fields: at most one PREFIX, got %q", s.Args)
	}
	prefix := ""
	if len(s.Args) == 1 {
		prefix = s.Args[0]
	}
	list := field.Std().WithPrefix(prefix)
	if len(list) == 0 {
		return usagef("fields: no field starts with %q; run 'wirewatch fields' for all", prefix)
	}
	return field.WriteGlossary(env.Stdout, list)
}
