package export

import (
	"os"
)

// ZeekLogs are the Zeek logs of one capture in a directory (diagnose
// --zeek-logs DIR), as export --zeek-logs writes them.
type ZeekLogs struct {
	z *Zeek
	*Exporter
}

// OpenZeekLogs creates dir and the logs of the capture named name in it.
func OpenZeekLogs(dir string, json bool, sensor, name string) (*ZeekLogs, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	z, err := NewZeek(dir, json, sensor)
	if err != nil {
		return nil, err
	}
	return &ZeekLogs{z: z, Exporter: New(z.For(name))}, nil
}

// Close writes the rest and closes the logs.
func (o *ZeekLogs) Close() error {
	err := o.Exporter.Close()
	if zerr := o.z.Close(); err == nil {
		err = zerr
	}
	return err
}
