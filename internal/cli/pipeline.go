package cli

import (
	"errors"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/pipeline"
)

// runFile runs the capture at path ("-": standard input) through the
// pipeline: damage the reader recovers from is reported on stderr as it is
// met, a bad display filter is a usage error, Ctrl-C is errInterrupted.
func runFile(env *Env, path string, cfg pipeline.Config, fn pipeline.Consumer) error {
	if cfg.Warn == nil {
		cfg.Warn = pipeline.WarnTo(env.Stderr)
	}
	if path != "-" {
		// TLS secrets embedded in the pcapng (Decryption Secrets Blocks) are
		// used as tshark uses them, with any key log given
		if sec := capture.EmbeddedTLSKeys(path); len(sec) > 0 {
			if cfg.KeyLog == nil {
				cfg.KeyLog = new(decode.KeyLog)
			}
			cfg.KeyLog.Add(sec)
		}
	}
	p, err := pipeline.New(cfg)
	if err != nil {
		return &UsageError{Msg: err.Error()}
	}
	var r capture.Reader
	if path == "-" {
		r, err = capture.NewReader(env.Stdin, "-")
	} else {
		r, err = capture.Open(path)
	}
	if err != nil {
		return err
	}
	defer r.Close()
	err = p.Run(env.Ctx, r, fn)
	if errors.Is(err, pipeline.ErrInterrupted) {
		return errInterrupted
	}
	return err
}
