package cli

import (
	"context"
	"errors"
	"os"
	"runtime/debug"

	"github.com/wirewatch/wirewatch/internal/opt"
	"github.com/wirewatch/wirewatch/serve"
)

func init() { register("serve", runServe) }

func runServe(env *Env, s *opt.Set) error {
	if len(s.Args) == 0 {
		return usagef("serve: give one or more capture files (see 'wirewatch help serve')")
	}
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		// The index is the live heap; indexing churns short-lived garbage
		// (decoding, analysis): collect so the process stays near 300 MiB.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(240 << 20))
	}
	ctx := env.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	err := serve.ListenAndServe(ctx, s.Str("listen", "127.0.0.1:8080"), serve.Options{Files: s.Args, CacheDir: s.Str("cache-dir", "")}, env.Stderr)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
