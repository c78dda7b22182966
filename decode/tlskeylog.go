package decode

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
)

// KeyLog holds TLS session secrets read from a key log file in the
// SSLKEYLOGFILE format that browsers, curl, OpenSSL (SSL_CTX_set_keylog_callback),
// Go (tls.Config.KeyLogWriter) and Python (ssl keylog_filename) write: one
// "LABEL <client random hex> <secret hex>" per line, '#' comments. With a
// KeyLog in Options, TLS 1.2 (CLIENT_RANDOM: the master secret) and TLS 1.3
// (CLIENT_/SERVER_HANDSHAKE_TRAFFIC_SECRET, CLIENT_/SERVER_TRAFFIC_SECRET_0)
// sessions are decrypted (tlsdecrypt.go). Lines with other labels (early
// traffic, exporter secrets) or that do not parse are skipped, as Wireshark
// does. A KeyLog is read-only once loaded and may be shared by Decoders.
type KeyLog struct {
	secrets map[keyLogKey][]byte
	lines   int // secrets kept
	skipped int // lines not understood
}

type keyLogKey struct {
	label keyLabel
	cr    [32]byte
}

type keyLabel uint8

const (
	klMaster keyLabel = iota + 1 // CLIENT_RANDOM
	klClientHS
	klServerHS
	klClientApp
	klServerApp
)

var keyLabels = map[string]keyLabel{
	"CLIENT_RANDOM":                   klMaster,
	"CLIENT_HANDSHAKE_TRAFFIC_SECRET": klClientHS,
	"SERVER_HANDSHAKE_TRAFFIC_SECRET": klServerHS,
	"CLIENT_TRAFFIC_SECRET_0":         klClientApp,
	"SERVER_TRAFFIC_SECRET_0":         klServerApp,
}

// LoadKeyLog reads the key log file at path.
func LoadKeyLog(path string) (*KeyLog, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	k, err := ParseKeyLog(fh)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// ParseKeyLog reads a key log. It fails only when r fails; lines it does not
// understand are counted (Skipped) and ignored.
func ParseKeyLog(r io.Reader) (*KeyLog, error) {
	k := &KeyLog{secrets: map[keyLogKey][]byte{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 4096), 1<<20)
	for sc.Scan() {
		k.addLine(sc.Text())
	}
	return k, sc.Err()
}

func (k *KeyLog) addLine(line string) {
	line = strings.TrimSpace(line)
	if line == "" || line[0] == '#' {
		return
	}
	f := strings.Fields(line)
	if len(f) != 3 {
		k.skipped++
		return
	}
	l, ok := keyLabels[f[0]]
	if !ok {
		if !strings.HasSuffix(f[0], "_SECRET") && !strings.HasPrefix(f[0], "RSA") {
			k.skipped++
		}
		return
	}
	cr, err1 := hex.DecodeString(f[1])
	sec, err2 := hex.DecodeString(f[2])
	if err1 != nil || err2 != nil || len(cr) != 32 || len(sec) == 0 || len(sec) > 64 {
		k.skipped++
		return
	}
	key := keyLogKey{label: l, cr: [32]byte(cr)}
	if _, dup := k.secrets[key]; !dup {
		k.lines++
	}
	k.secrets[key] = sec
}

// Add reads more key log lines from b into k (secrets embedded in a
// capture, added to those of a file). Call it before decoding starts: a
// KeyLog in use is read-only.
func (k *KeyLog) Add(b []byte) error {
	if k.secrets == nil {
		k.secrets = map[keyLogKey][]byte{}
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 4096), 1<<20)
	for sc.Scan() {
		k.addLine(sc.Text())
	}
	return sc.Err()
}

// Len returns the number of secrets held.
func (k *KeyLog) Len() int {
	if k == nil {
		return 0
	}
	return k.lines
}

// Skipped returns the number of lines that were not understood.
func (k *KeyLog) Skipped() int {
	if k == nil {
		return 0
	}
	return k.skipped
}

func (k *KeyLog) get(l keyLabel, cr *[32]byte) []byte {
	if k == nil {
		return nil
	}
	return k.secrets[keyLogKey{label: l, cr: *cr}]
}
