package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/wirewatch/wirewatch/capture/live"
	"github.com/wirewatch/wirewatch/internal/opt"
)

func init() {
	register("completion", func(env *Env, s *opt.Set) error {
		if len(s.Args) != 1 {
			return usagef("completion: name the shell: wirewatch completion bash|zsh|fish")
		}
		if err := opt.WriteCompletion(env.Stdout, s.Args[0]); err != nil {
			return &UsageError{Msg: err.Error()}
		}
		return nil
	})
	register("man", func(env *Env, s *opt.Set) error {
		opt.WriteMan(env.Stdout, version())
		return nil
	})
	register("version", func(env *Env, s *opt.Set) error {
		fmt.Fprintf(env.Stdout, "wirewatch %s\n", version())
		if bi, ok := debug.ReadBuildInfo(); ok {
			rev, modified, when := "unknown (not recorded: built outside a git checkout or with -buildvcs=false)", "", ""
			for _, kv := range bi.Settings {
				switch kv.Key {
				case "vcs.revision":
					rev = kv.Value
				case "vcs.modified":
					if kv.Value == "true" {
						modified = " (modified)"
					}
				case "vcs.time":
					when = ", " + kv.Value
				}
			}
			fmt.Fprintf(env.Stdout, "commit %s%s%s\n", rev, modified, when)
		}
		fmt.Fprintf(env.Stdout, "%s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
		if v, err := live.LibpcapVersion(); err != nil {
			fmt.Fprintf(env.Stdout, "libpcap: not found (capture filters -f need it; all else works): %v\n", err)
		} else {
			fmt.Fprintf(env.Stdout, "libpcap: %s (used for capture filters)\n", v)
		}
		return nil
	})
}

// version is the module version the binary was built from ("(devel)" for
// a build inside the repository).
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
