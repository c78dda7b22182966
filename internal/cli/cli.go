// Package cli implements wirewatch's subcommands: flag parsing, output
// selection and exit codes. The work itself lives in the library packages.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/wirewatch/wirewatch/internal/opt"
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

// commands maps each subcommand to its implementation; the definitions
// (options, help) are in internal/opt.
var commands = map[string]func(env *Env, s *opt.Set) error{}

// register adds a subcommand; called from init in each command's file.
func register(name string, run func(env *Env, s *opt.Set) error) { commands[name] = run }

// Main runs wirewatch with args and returns the exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &Env{Ctx: ctx, Stdin: stdin, Stdout: stdout, Stderr: stderr}
	if len(args) == 0 {
		opt.WriteOverview(stderr)
		return ExitUsage
	}
	switch args[0] {
	case "-h", "--help", "-help":
		opt.WriteOverview(stdout)
		return ExitOK
	case "help":
		if len(args) > 1 {
			c := opt.Lookup(args[1])
			if c == nil {
				fmt.Fprintf(stderr, "wirewatch: help: unknown command %q; the commands are %s\n", args[1], opt.CommandList())
				return ExitUsage
			}
			opt.WriteHelp(stdout, c)
			return ExitOK
		}
		opt.WriteOverview(stdout)
		return ExitOK
	case "--version", "-v":
		args = []string{"version"}
	}
	if strings.HasPrefix(args[0], "-") { // tshark and tcpdump habits: wirewatch -n -r FILE, wirewatch -D, wirewatch -i eth0
		args = append([]string{opt.ImpliedCommand(args)}, args...)
	}
	c := opt.Lookup(args[0])
	run := commands[args[0]]
	if c == nil || run == nil {
		fmt.Fprintf(stderr, "wirewatch: unknown command %q; the commands are %s (or -r FILE to read)\n", args[0], opt.CommandList())
		return ExitUsage
	}
	s, err := opt.Parse(c, args[1:])
	if err != nil {
		return exitCode(&UsageError{Msg: err.Error()}, stderr)
	}
	if s.Help {
		opt.WriteHelp(stdout, c)
		return ExitOK
	}
	stopCPU := startCPUProfile(stderr)
	err = run(env, s)
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
