package cli

import (
	"os"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/export"
	"github.com/wirewatch/wirewatch/internal/opt"
)

const defaultSpool = "/var/spool/wirewatch"

// newLiveExport is capture --export URL (export.Live; nil without the flag).
func newLiveExport(env *Env, s *opt.Set, ifaces []string) (*export.Live, error) {
	url := s.Str("export", "")
	if url == "" {
		return nil, nil
	}
	c, err := export.NewClient(url, s.Str("database", ""))
	if err != nil {
		return nil, usagef("capture: %v", err)
	}
	maxMB, err := s.Int("spool-max", 1024)
	if err != nil || maxMB <= 0 {
		return nil, usagef("capture: --spool-max: want a positive number of MiB")
	}
	sensor := s.Str("sensor", "")
	if sensor == "" {
		sensor, _ = os.Hostname()
	}
	capName := "live-" + strings.Join(ifaces, "+") + "-" + time.Now().UTC().Format("20060102T150405.000000000Z")
	return export.StartLive(env.Ctx, export.LiveConfig{Client: c, Spool: s.Str("spool", defaultSpool), MaxBytes: int64(maxMB) << 20,
		Sensor: sensor, Capture: capName, Log: env.Stderr})
}
