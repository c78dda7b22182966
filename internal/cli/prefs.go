package cli

import (
	"fmt"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/flow"
	"github.com/wirewatch/wirewatch/internal/opt"
	"github.com/wirewatch/wirewatch/pipeline"
)

// prefs are the tshark preferences (-o NAME:VALUE) wirewatch honours, and
// --tls-keylog. TLS sessions whose secrets the key log (SSLKEYLOGFILE
// format) holds are decrypted and HTTP/1.x and HTTP/2 inside them decoded
// (decode/tlsdecrypt.go).
type prefs struct {
	keylog      string // tls.keylog_file
	noDesegment bool   // tcp.desegment_tcp_streams:FALSE
	// maxFlows is --max-flows, the flow tracker's memory budget (0: its
	// default); evictions counts what a full budget ended early (budget.go).
	maxFlows  int
	evictions flow.Evictions
}

// prefNames are the preferences -o accepts, for the error message.
const prefNames = "tls.keylog_file, tcp.desegment_tcp_streams, tcp.relative_sequence_numbers"

// parse reads -o and --tls-keylog from s.
func (p *prefs) parse(cmd string, s *opt.Set) error {
	for _, v := range s.List("o") {
		if _, err := p.set(cmd, v); err != nil {
			return err
		}
	}
	if k := s.Str("tls-keylog", ""); k != "" {
		p.keylog = k
	}
	if v := s.Str("max-flows", ""); v != "" {
		n, err := flowBudget(cmd, v)
		if err != nil {
			return err
		}
		p.maxFlows = n
	}
	return nil
}

// set applies one -o NAME:VALUE; isPref is false when v is not of that form
// (diagnose's -o FILE).
func (p *prefs) set(cmd, v string) (isPref bool, err error) {
	name, val, found := strings.Cut(v, ":")
	if !found || strings.ContainsAny(name, "/\\ ") || !strings.Contains(name, ".") {
		if cmd == "diagnose" {
			return false, nil
		}
		return false, usagef("%s: -o %s: want a preference NAME:VALUE such as tls.keylog_file:FILE", cmd, v)
	}
	val = strings.TrimSpace(val)
	boolean := func() (bool, error) {
		switch strings.ToUpper(val) {
		case "TRUE":
			return true, nil
		case "FALSE":
			return false, nil
		}
		return false, usagef("%s: -o %s: want TRUE or FALSE", cmd, v)
	}
	switch name {
	case "tls.keylog_file", "ssl.keylog_file":
		if val == "" {
			return true, usagef("%s: -o %s: no file name", cmd, name)
		}
		p.keylog = val
	case "tcp.desegment_tcp_streams":
		on, err := boolean()
		p.noDesegment = !on
		return true, err
	case "tcp.relative_sequence_numbers":
		on, err := boolean()
		if err == nil && !on {
			err = usagef("%s: -o tcp.relative_sequence_numbers:FALSE is not supported: print the absolute numbers with -e tcp.seq_raw -e tcp.ack_raw", cmd)
		}
		return true, err
	default:
		return true, usagef("%s: -o %s: unknown preference; wirewatch knows %s", cmd, name, prefNames)
	}
	return true, nil
}

// config is the pipeline configuration the preferences ask for (the key
// log loaded).
func (p *prefs) config() (pipeline.Config, error) {
	var c pipeline.Config
	c.Flow.NoDesegment = p.noDesegment
	c.Flow.MaxConns, c.Flow.Evictions = p.maxFlows, &p.evictions
	if p.keylog != "" {
		k, err := decode.LoadKeyLog(p.keylog)
		if err != nil {
			return c, fmt.Errorf("TLS key log: %w", err)
		}
		c.KeyLog = k
	}
	return c, nil
}
