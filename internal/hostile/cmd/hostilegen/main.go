// Command hostilegen writes the crafted hostile-input captures of package
// hostile: the small ones kept in internal/hostile/testdata (-dir), and on
// request the big ones the tests and benchmarks generate (-syn N, -udp N,
// -headers N, -line BYTES write one pcap to -o).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/wirewatch/wirewatch/internal/hostile"
)

func main() {
	dir := flag.String("dir", "", "write the kept captures into `DIR`")
	out := flag.String("o", "", "output `FILE` for -syn, -udp, -headers or -line")
	syn := flag.Int("syn", 0, "write `N` half-open TCP connections")
	udp := flag.Int("udp", 0, "write `N` one-packet UDP flows")
	headers := flag.Int("headers", 0, "write an HTTP request with `N` header lines")
	line := flag.Int("line", 0, "write an HTTP request with a header line of `BYTES`")
	flag.Parse()
	if err := run(*dir, *out, *syn, *udp, *headers, *line); err != nil {
		fmt.Fprintln(os.Stderr, "hostilegen:", err)
		os.Exit(1)
	}
}

func run(dir, out string, syn, udp, headers, line int) error {
	if dir != "" {
		for name, gen := range hostile.Files {
			if err := os.WriteFile(filepath.Join(dir, name), gen(), 0o644); err != nil {
				return err
			}
		}
	}
	var gen func(io.Writer) error
	switch {
	case syn > 0:
		gen = func(w io.Writer) error { return hostile.SYNFlood(w, syn) }
	case udp > 0:
		gen = func(w io.Writer) error { return hostile.UDPFlood(w, udp) }
	case headers > 0:
		gen = func(w io.Writer) error { return hostile.ManyHeaders(w, headers) }
	case line > 0:
		gen = func(w io.Writer) error { return hostile.LongHeaderLine(w, line) }
	default:
		return nil
	}
	if out == "" {
		return fmt.Errorf("-o FILE is required")
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := gen(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
