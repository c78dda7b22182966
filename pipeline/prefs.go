package pipeline

import (
	"fmt"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
)

// Preferences are the tshark preferences (tshark -o NAME:VALUE) that make
// sense for wirewatch's pipeline.
type Preferences struct {
	KeyLogFile  string // tls.keylog_file: decrypt TLS with this SSLKEYLOGFILE-format key log
	NoDesegment bool   // tcp.desegment_tcp_streams:FALSE
}

// PreferenceNames lists the preferences Set knows.
const PreferenceNames = "tls.keylog_file, tcp.desegment_tcp_streams, tcp.relative_sequence_numbers"

// Set applies one preference; the error says what to use instead.
func (p *Preferences) Set(name, value string) error {
	value = strings.TrimSpace(value)
	boolean := func() (bool, error) {
		switch strings.ToUpper(value) {
		case "TRUE":
			return true, nil
		case "FALSE":
			return false, nil
		}
		return false, fmt.Errorf("%s:%s: want TRUE or FALSE", name, value)
	}
	switch name {
	case "tls.keylog_file", "ssl.keylog_file":
		if value == "" {
			return fmt.Errorf("%s: no file name", name)
		}
		p.KeyLogFile = value
	case "tcp.desegment_tcp_streams":
		on, err := boolean()
		p.NoDesegment = !on
		return err
	case "tcp.relative_sequence_numbers":
		on, err := boolean()
		if err == nil && !on {
			err = fmt.Errorf("tcp.relative_sequence_numbers:FALSE is not supported: print the absolute numbers with -e tcp.seq_raw -e tcp.ack_raw")
		}
		return err
	default:
		return fmt.Errorf("%s: unknown preference; wirewatch knows %s", name, PreferenceNames)
	}
	return nil
}

// Apply sets c from the preferences, loading the key log.
func (p *Preferences) Apply(c *Config) error {
	c.Flow.NoDesegment = c.Flow.NoDesegment || p.NoDesegment
	if p.KeyLogFile != "" {
		k, err := decode.LoadKeyLog(p.KeyLogFile)
		if err != nil {
			return fmt.Errorf("TLS key log: %w", err)
		}
		c.KeyLog = k
	}
	return nil
}
