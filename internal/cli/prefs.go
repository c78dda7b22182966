package cli

import (
	"strings"

	"github.com/wirewatch/wirewatch/flow"
	"github.com/wirewatch/wirewatch/internal/opt"
	"github.com/wirewatch/wirewatch/pipeline"
)

// prefs are the tshark preferences (-o NAME:VALUE) wirewatch honours, and
// --tls-keylog. TLS sessions whose secrets the key log (SSLKEYLOGFILE
// format) holds are decrypted and HTTP/1.x and HTTP/2 inside them decoded
// (decode/tlsdecrypt.go).
type prefs struct {
	pipeline.Preferences
	// maxFlows is --max-flows, the flow tracker's memory budget (0: its
	// default); evictions counts what a full budget ended early (budget.go).
	maxFlows  int
	evictions flow.Evictions
}

// parse reads -o and --tls-keylog from s.
func (p *prefs) parse(cmd string, s *opt.Set) error {
	for _, v := range s.List("o") {
		if _, err := p.set(cmd, v); err != nil {
			return err
		}
	}
	if k := s.Str("tls-keylog", ""); k != "" {
		p.KeyLogFile = k
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
	if err := p.Set(name, val); err != nil {
		return true, usagef("%s: -o %v", cmd, err)
	}
	return true, nil
}

// config is the pipeline configuration the preferences ask for (the key
// log loaded).
func (p *prefs) config() (pipeline.Config, error) {
	var c pipeline.Config
	c.Flow.MaxConns, c.Flow.Evictions = p.maxFlows, &p.evictions
	return c, p.Apply(&c)
}
