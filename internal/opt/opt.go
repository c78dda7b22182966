// Package opt is wirewatch's command-line parser: one getopt-style parser
// for every subcommand, driven by the flag definitions in spec.go, from
// which the help texts, the shell completions (bash, zsh, fish) and the man
// page are generated too.
//
// It accepts what tshark and tcpdump users type: combined and attached
// short options (-nn, -c1, -tad, -Yhttp, -Vx), long options (--count 5,
// --count=5), options before and after the positional arguments, "--" to
// end options, and a single-dash long option (-single-core) as Go's flag
// package did. The standard library's flag package does none of the
// first, and the maintained getopt libraries (pflag, go-getopt) know
// neither per-command alternatives for refused options nor man pages and
// completions from the same table, so this is hand-written and small.
package opt

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Flag is one option of a command.
type Flag struct {
	Short byte   // the one-letter form, 0 if none
	Long  string // the long form without "--", "" if none
	Arg   string // the value's name in help ("FILE"); "" for a switch
	Help  string // what it does; may span lines
	// Values are the values the flag accepts, for completion (and shown by
	// the help when Help does not list them).
	Values []string
	// Complete names what completes the value: "file", "field", "iface".
	Complete string
	// Hidden flags are accepted but not documented (aliases).
	Hidden bool
}

// Key is the name the parsed value is stored under: the long form, else
// the short letter.
func (f *Flag) Key() string {
	if f.Long != "" {
		return f.Long
	}
	return string(f.Short)
}

// Names is the flag as help shows it: "-c, --count N".
func (f *Flag) Names() string {
	var b strings.Builder
	if f.Short != 0 {
		b.WriteString("-" + string(f.Short))
	}
	if f.Long != "" {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString("--" + f.Long)
	}
	if f.Arg != "" {
		b.WriteString(" " + f.Arg)
	}
	return b.String()
}

// Command is one subcommand's definition.
type Command struct {
	Name     string
	Summary  string // one line, for 'wirewatch help'
	Synopsis string // after "wirewatch NAME ", e.g. "[options] FILE [FILTER]"
	Intro    string // paragraphs after the synopsis
	Flags    []Flag
	// Args completes the positional arguments: "file", "iface", or words
	// separated by spaces (stats' reports).
	Args string
	// Refused maps options other tools have and this command has not to a
	// one-line message naming what to use instead.
	Refused map[string]string
	Footer  string // exit status, examples
}

// Error is a command-line mistake: one line saying what is wrong and what
// to use instead.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

func errorf(format string, a ...any) error { return &Error{Msg: fmt.Sprintf(format, a...)} }

// Set is a parsed command line.
type Set struct {
	cmd  *Command
	vals map[string][]string
	// Args are the positional arguments, in order.
	Args []string
	// Help is set when -h or --help was given (nothing else is checked).
	Help bool
}

// Has reports whether the flag with this key was given.
func (s *Set) Has(key string) bool { _, ok := s.vals[key]; return ok }

// Str is the flag's last value, or def when it was not given.
func (s *Set) Str(key, def string) string {
	if v := s.vals[key]; len(v) > 0 {
		return v[len(v)-1]
	}
	return def
}

// List is every value the flag was given, in order.
func (s *Set) List(key string) []string { return s.vals[key] }

// Int is the flag's last value as a number, def when not given.
func (s *Set) Int(key string, def int) (int, error) {
	v := s.Str(key, "")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, errorf("%s: -%s %s: not a number", s.cmd.Name, s.flagName(key), v)
	}
	return n, nil
}

func (s *Set) flagName(key string) string {
	if len(key) == 1 {
		return key
	}
	return "-" + key
}

func (c *Command) short(ch byte) *Flag {
	for i := range c.Flags {
		if c.Flags[i].Short == ch {
			return &c.Flags[i]
		}
	}
	return nil
}

func (c *Command) long(name string) *Flag {
	for i := range c.Flags {
		if c.Flags[i].Long == name {
			return &c.Flags[i]
		}
	}
	return nil
}

// refused returns the error for an option the command does not have.
func (c *Command) refused(opt string) error {
	if strings.ContainsFunc(opt, func(r rune) bool { return !unicode.IsPrint(r) }) {
		opt = strconv.Quote(opt)
	}
	if alt, ok := c.Refused[opt]; ok {
		return errorf("%s: %s is not supported: %s", c.Name, opt, alt)
	}
	if alt, ok := commonRefused[opt]; ok {
		return errorf("%s: %s is not supported: %s", c.Name, opt, alt)
	}
	return errorf("%s: unknown option %s (see 'wirewatch help %s')", c.Name, opt, c.Name)
}

// Parse parses args (the words after the command name) against c.
func Parse(c *Command, args []string) (*Set, error) {
	s := &Set{cmd: c, vals: map[string][]string{}}
	set := func(f *Flag, v string) { s.vals[f.Key()] = append(s.vals[f.Key()], v) }
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			s.Args = append(s.Args, args[i+1:]...)
			return s, nil
		case a == "-h" || a == "--help" || a == "-help":
			s.Help = true
			return s, nil
		case a == "-" || !strings.HasPrefix(a, "-"):
			s.Args = append(s.Args, a)
			continue
		}
		// --long, --long=value, and -long as Go's flag package accepted it.
		name, val, hasVal := strings.Cut(strings.TrimPrefix(a, "-"), "=")
		long := strings.HasPrefix(a, "--")
		if long {
			name = name[1:]
		}
		if f := c.long(name); f != nil && (long || len(name) > 1) {
			if f.Arg == "" {
				if hasVal {
					return nil, errorf("%s: --%s takes no value", c.Name, strconv.Quote(name)[1:len(strconv.Quote(name))-1])
				}
				set(f, "")
				continue
			}
			if !hasVal {
				if i+1 >= len(args) {
					return nil, errorf("%s: --%s needs a value (%s)", c.Name, name, f.Arg)
				}
				i++
				val = args[i]
			}
			set(f, val)
			continue
		}
		if long {
			return nil, c.refused("--" + name)
		}
		// Short options, combined (-nn, -Vx) and with attached values (-c1, -Yhttp).
		for j := 1; j < len(a); j++ {
			f := c.short(a[j])
			if f == nil {
				if j == 1 {
					if _, ok := c.Refused[a]; ok { // a refused multi-letter option such as -nr
						return nil, c.refused(a)
					}
				}
				return nil, c.refused("-" + string(a[j]))
			}
			if f.Arg == "" {
				set(f, "")
				continue
			}
			v := a[j+1:]
			if v == "" {
				if i+1 >= len(args) {
					return nil, errorf("%s: -%c needs a value (%s)", c.Name, a[j], f.Arg)
				}
				i++
				v = args[i]
			}
			set(f, v)
			break
		}
	}
	return s, nil
}

// commonRefused are options of tshark, tcpdump and dumpcap that no
// wirewatch command has, with what to use instead.
var commonRefused = map[string]string{
	"-G":  "use 'wirewatch fields' to list the fields",
	"-X":  "Lua extensions are not supported",
	"-K":  "Kerberos keytabs are not supported",
	"-H":  "hosts files: use 'wirewatch read -N n --hosts FILE'",
	"-l":  "output is flushed per packet when reading a pipe; nothing to turn on",
	"-U":  "output is not buffered by packet count; nothing to turn on",
	"-S":  "use -V to see each packet's details",
	"-P":  "use -V for details; the summary line is the default output",
	"-L":  "use 'wirewatch capture -D' to list interfaces; link types are chosen per interface",
	"-A":  "use 'wirewatch read -x' for the hex and ASCII of each packet",
	"-X2": "use 'wirewatch read -x'",
	"-j":  "use -O PROTO to limit the details to some protocols",
	"-J":  "use -O PROTO to limit the details to some protocols",
	"-M":  "use -b files:N with -w for a ring buffer",
	"-g":  "files are written with mode 0644",
	"-u":  "use -t e for seconds since the epoch",
}

// TakesValue reports whether the short option ch of c takes a value.
func (c *Command) TakesValue(ch byte) bool {
	f := c.short(ch)
	return f != nil && f.Arg != ""
}
