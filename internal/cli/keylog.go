package cli

import (
	"fmt"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
)

// TLS key logs: `-o tls.keylog_file:FILE` (tshark's preference) and
// `--tls-keylog FILE` give read, stats and diagnose a key log in the
// SSLKEYLOGFILE format; TLS sessions whose secrets it holds are decrypted
// and HTTP/1.x and HTTP/2 inside them decoded (decode/tlsdecrypt.go).
// Without one, nothing of this runs.

// keyLogPrefName is the tshark preference that names the key log.
const keyLogPrefName = "tls.keylog_file"

// keyLogPref reads a `-o NAME:VALUE` preference: the key log path when it is
// tls.keylog_file (ok true), an error for other preferences wirewatch does not
// know. isPref is false when v does not look like a preference at all.
func keyLogPref(cmd, v string) (path string, isPref bool, err error) {
	name, val, found := strings.Cut(v, ":")
	if !found || strings.ContainsAny(name, "/\\ ") || !strings.Contains(name, ".") {
		return "", false, nil
	}
	if name != keyLogPrefName && name != "ssl.keylog_file" {
		return "", true, usagef("%s: -o %s: unknown preference (wirewatch knows %s)", cmd, name, keyLogPrefName)
	}
	val = strings.TrimSpace(val)
	if val == "" {
		return "", true, usagef("%s: -o %s: no file name", cmd, name)
	}
	return val, true, nil
}

// loadKeyLog reads the key log at path ("" gives nil).
func loadKeyLog(path string) (*decode.KeyLog, error) {
	if path == "" {
		return nil, nil
	}
	k, err := decode.LoadKeyLog(path)
	if err != nil {
		return nil, fmt.Errorf("TLS key log: %w", err)
	}
	return k, nil
}
