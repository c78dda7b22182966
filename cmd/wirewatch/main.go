// Command wirewatch is a packet-capture analyzer: it reads and captures
// packets, decodes them as Wireshark does, and diagnoses why the network is slow.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/wirewatch/wirewatch/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	tuneGC()
	mp := startMemProfile()
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	mp.finish(os.Stderr)
	os.Exit(code)
}
