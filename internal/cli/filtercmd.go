package cli

import (
	"flag"
	"fmt"
	"strings"

	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/filter"
)

func init() {
	register("filter", "check a display filter (Wireshark syntax) and print it normalised", runFilter)
}

const filterUsage = `Usage:
  wirewatch filter check EXPR...     validate a display filter and print it normalised

Display filters use Wireshark 4.0's syntax (wireshark-filter(4)); the same
filters work with -Y on read and the other subcommands; 'wirewatch fields'
lists the field names. A bad filter exits with status 2 and a message
pointing at the offending token, as tshark does.

Examples:
  wirewatch filter check 'ip.addr == 10.0.0.1 && tcp.port in {80, 443}'
  wirewatch filter check 'http.host matches "\\.org$"'
`

func runFilter(env *Env, args []string) error {
	fs := flag.NewFlagSet("filter", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprint(env.Stderr, filterUsage) }
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			fmt.Fprint(env.Stdout, filterUsage)
			return errHelp
		}
		return &UsageError{Msg: err.Error()}
	}
	args = fs.Args()
	if len(args) == 0 {
		return usagef("filter: missing subcommand check; run 'wirewatch filter --help'")
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
