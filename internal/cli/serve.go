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
		// The index is most of the live heap (140 MiB for 1.18 M frames)
		// and the pass tracking connections scans well; collect rarely
		// (400%) but before the process grows past 300 MiB.
		defer debug.SetGCPercent(debug.SetGCPercent(400))
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(250 << 20))
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
