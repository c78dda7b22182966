// Package cli implements wirewatch's subcommands: flag parsing, output
// selection and exit codes. The work itself lives in the library packages.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Exit codes scripts can rely on.
const (
	ExitOK       = 0
	ExitBadInput = 1 // unreadable, truncated or corrupt capture; I/O failure
	ExitUsage    = 2 // bad flags, bad filter, unknown subcommand
	// ExitInterrupted: reading a file stopped on SIGINT or SIGTERM (128+2,
	// as a shell reports a command killed by Ctrl-C).
	ExitInterrupted = 130
)

// errInterrupted stops a pipeline when the context is cancelled (Ctrl-C).
var errInterrupted = interruptedError{}

type interruptedError struct{}

func (interruptedError) Error() string { return "interrupted (SIGINT or SIGTERM)" }
func (interruptedError) ExitCode() int { return ExitInterrupted }

// silentExit ends a command with a status whose reason was already printed.
type silentExit int

func (silentExit) Error() string   { return "" }
func (e silentExit) ExitCode() int { return int(e) }

// Env is what a subcommand gets: its streams and context.
type Env struct {
	Ctx    context.Context
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// UsageError marks errors that exit with ExitUsage.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// usagef builds a UsageError.
func usagef(format string, a ...any) error { return &UsageError{Msg: fmt.Sprintf(format, a...)} }

// command is one subcommand.
type command struct {
	summary string
	run     func(env *Env, args []string) error
}

// commands is the subcommand table; each lives in its own file.
var commands = map[string]command{}

// register adds a subcommand; called from init in each command's file.
func register(name, summary string, run func(env *Env, args []string) error) {
	commands[name] = command{summary: summary, run: run}
}

// Main runs wirewatch with args and returns the exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &Env{Ctx: ctx, Stdin: stdin, Stdout: stdout, Stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	if args[0] == "-r" { // tshark habit: wirewatch -r FILE means read
		args = append([]string{"read"}, args...)
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "wirewatch: unknown command %q; run 'wirewatch help' for the list\n", args[0])
		return ExitUsage
	}
	stopCPU := startCPUProfile(stderr)
	err := cmd.run(env, args[1:])
	stopCPU()
	return exitCode(err, stderr)
}

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return ExitOK
	}
	var ue *UsageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "wirewatch: %s\n", ue.Msg)
		return ExitUsage
	}
	if errors.Is(err, errHelp) {
		return ExitOK
	}
	var ec interface{ ExitCode() int } // a subcommand's own status (diagnose --fail-on)
	if errors.As(err, &ec) {
		if msg := err.Error(); msg != "" {
			fmt.Fprintf(stderr, "wirewatch: %s\n", msg)
		}
		return ec.ExitCode()
	}
	fmt.Fprintf(stderr, "wirewatch: %s\n", err)
	return ExitBadInput
}

var errHelp = errors.New("help shown")

func usage(w io.Writer) {
	fmt.Fprintln(w, "wirewatch: packet-capture analyzer that finds why the network is slow\n\nUsage: wirewatch COMMAND [flags] [args]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'wirewatch COMMAND --help' for a command's flags and examples.")
	_ = strings.TrimSpace
}
