// Package tshark runs tshark live for differential tests and caches what it
// printed, so a test can compare wirewatch with tshark on captures that have
// no stored oracle (../shared/corpus/wide) without paying for tshark on every
// run.
//
// The cache is keyed by the SHA-256 of the capture's bytes and tshark's
// version line, never by a file name: a changed capture or another tshark is a
// cache miss. Field values are cached per field (one JSON file per capture
// holds a column per field), so asking for a field not seen before runs tshark
// once for the missing fields only. The cache lives in $WIREWATCH_TSHARK_CACHE,
// or in the user cache directory (~/.cache/wirewatch/tshark), or in the
// temporary directory; deleting it is always safe.
package tshark

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// Batch is the most -e arguments one tshark run is given.
const Batch = 400

var (
	verOnce sync.Once
	ver     string
	verErr  error

	knownOnce sync.Once
	known     map[string]bool
	knownErr  error

	fileMu sync.Mutex // serialises cache reads and writes within this process
)

// Version returns tshark's first --version line ("TShark (Wireshark) 4.0.17 ...").
func Version() (string, error) {
	verOnce.Do(func() {
		out, err := command("--version").Output()
		if err != nil {
			verErr = fmt.Errorf("tshark --version: %v", err)
			return
		}
		ver, _, _ = strings.Cut(string(out), "\n")
		ver = strings.TrimSpace(ver)
	})
	return ver, verErr
}

// Known reports whether tshark knows a field name (a -G fields F row or a
// _ws.col.* column), so -e NAME is accepted.
func Known(name string) (bool, error) {
	knownOnce.Do(func() {
		v, err := Version()
		if err != nil {
			knownErr = err
			return
		}
		path := filepath.Join(Dir(), "fields-"+hashString(v)+".txt")
		b, err := os.ReadFile(path)
		if err != nil {
			out, err := command("-G", "fields").Output()
			if err != nil {
				knownErr = fmt.Errorf("tshark -G fields: %v", err)
				return
			}
			var names []string
			for _, l := range strings.Split(string(out), "\n") {
				c := strings.Split(l, "\t")
				if len(c) > 2 && (c[0] == "F" || c[0] == "P") {
					names = append(names, c[2])
				}
			}
			b = []byte(strings.Join(names, "\n"))
			writeAtomic(path, b)
		}
		known = map[string]bool{}
		for _, n := range strings.Split(string(b), "\n") {
			known[n] = true
		}
	})
	if knownErr != nil {
		return false, knownErr
	}
	return known[name] || strings.HasPrefix(name, "_ws.col."), nil
}

// Dir returns the cache directory, creating it.
func Dir() string {
	d := os.Getenv("WIREWATCH_TSHARK_CACHE")
	if d == "" {
		if u, err := os.UserCacheDir(); err == nil {
			d = filepath.Join(u, "wirewatch", "tshark")
		} else {
			d = filepath.Join(os.TempDir(), "wirewatch-tshark")
		}
	}
	_ = os.MkdirAll(d, 0o755)
	return d
}

func command(args ...string) *exec.Cmd {
	cmd := exec.Command("tshark", args...)
	// No user preferences; times in UTC as the shared oracle.
	cmd.Env = append(os.Environ(), "TZ=UTC", "WIRESHARK_CONFIG_DIR="+emptyConfig())
	return cmd
}

var (
	cfgOnce sync.Once
	cfgDir  string
)

func emptyConfig() string {
	cfgOnce.Do(func() {
		cfgDir = filepath.Join(os.TempDir(), "wirewatch-tshark-empty-config")
		_ = os.MkdirAll(cfgDir, 0o755)
	})
	return cfgDir
}

// Result is what tshark printed for one capture.
type Result struct {
	Exit   int    // tshark's exit status
	Stderr string // its standard error, without the "Running as user root" warning
	Frames int    // rows printed (-T fields) or lines printed (packet list)
	// Cols maps a field name to its value per row, as -T fields -E occurrence=a prints it.
	Cols map[string][]string `json:",omitempty"`
	// Lines are the packet-list lines of tshark -n -r.
	Lines []string `json:",omitempty"`
}

type cacheFile struct {
	Version string
	List    *Result            `json:",omitempty"`
	Fields  *Result            `json:",omitempty"`
	Filters map[string]*Result `json:",omitempty"` // by display filter
}

// key returns the cache file of a capture.
func key(path string) (string, error) {
	v, err := Version()
	if err != nil {
		return "", err
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	io.WriteString(h, "\x00"+v)
	return filepath.Join(Dir(), hex.EncodeToString(h.Sum(nil))[:32]+".json"), nil
}

func load(file string) cacheFile {
	fileMu.Lock()
	defer fileMu.Unlock()
	var c cacheFile
	if b, err := os.ReadFile(file); err == nil {
		_ = json.Unmarshal(b, &c)
	}
	return c
}

// update re-reads the cache file and applies fn under the lock, so two
// goroutines adding fields to the same capture do not lose each other's.
func update(file string, fn func(*cacheFile)) {
	fileMu.Lock()
	defer fileMu.Unlock()
	var c cacheFile
	if b, err := os.ReadFile(file); err == nil {
		_ = json.Unmarshal(b, &c)
	}
	fn(&c)
	if b, err := json.Marshal(&c); err == nil {
		writeAtomic(file, b)
	}
}

func writeAtomic(path string, b []byte) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return
	}
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil && cerr == nil {
		_ = os.Rename(tmp.Name(), path)
		return
	}
	os.Remove(tmp.Name())
}

func cleanStderr(b []byte) string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l == "" || strings.HasPrefix(l, "Running as user ") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// List returns the packet list tshark -n -r prints for a capture.
func List(path string) (*Result, error) {
	file, err := key(path)
	if err != nil {
		return nil, err
	}
	if c := load(file); c.List != nil {
		return c.List, nil
	}
	cmd := command("-n", "-r", path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	r := &Result{Exit: exitCode(err), Stderr: cleanStderr(stderr.Bytes())}
	if r.Exit < 0 {
		return nil, err
	}
	r.Lines = splitLines(out)
	r.Frames = len(r.Lines)
	update(file, func(c *cacheFile) { c.Version = ver; c.List = r })
	return r, nil
}

// Select returns the frame numbers tshark -n -r PATH -Y FILTER displays (in
// Lines), or its exit status and message when it rejects the filter.
func Select(path, filter string) (*Result, error) {
	file, err := key(path)
	if err != nil {
		return nil, err
	}
	file = strings.TrimSuffix(file, ".json") + "-filters.json" // apart from the big field columns
	if c := load(file); c.Filters[filter] != nil {
		return c.Filters[filter], nil
	}
	cmd := command("-n", "-r", path, "-Y", filter, "-T", "fields", "-e", "frame.number")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	r := &Result{Exit: exitCode(err), Stderr: cleanStderr(stderr.Bytes())}
	if r.Exit < 0 {
		return nil, err
	}
	r.Lines = splitLines(out)
	r.Frames = len(r.Lines)
	update(file, func(c *cacheFile) {
		c.Version = ver
		if c.Filters == nil {
			c.Filters = map[string]*Result{}
		}
		c.Filters[filter] = r
	})
	return r, nil
}

func splitLines(b []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<16), 64<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// Fields returns tshark's -T fields -E occurrence=a values of names for a
// capture, one row per frame. Names tshark does not know must be left out
// (see Known): tshark refuses the whole run for one unknown -e.
func Fields(path string, names []string) (*Result, error) {
	file, err := key(path)
	if err != nil {
		return nil, err
	}
	c := load(file)
	var missing []string
	for _, n := range names {
		if c.Fields == nil || c.Fields.Cols[n] == nil {
			missing = append(missing, n)
		}
	}
	for len(missing) > 0 {
		batch := missing[:min(len(missing), Batch)]
		missing = missing[len(batch):]
		args := []string{"-n", "-r", path, "-T", "fields", "-E", "occurrence=a"}
		for _, n := range batch {
			args = append(args, "-e", n)
		}
		cmd := command(args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		code := exitCode(err)
		if code < 0 {
			return nil, err
		}
		rows := splitLines(out)
		cols := make(map[string][]string, len(batch))
		for _, n := range batch {
			cols[n] = make([]string, len(rows))
		}
		for r, row := range rows {
			cells := strings.Split(row, "\t")
			if len(cells) != len(batch) {
				return nil, fmt.Errorf("tshark -T fields on %s: row %d has %d columns, want %d", path, r+1, len(cells), len(batch))
			}
			for i, n := range batch {
				cols[n][r] = cells[i]
			}
		}
		res := Result{Exit: code, Stderr: cleanStderr(stderr.Bytes()), Frames: len(rows)}
		update(file, func(cf *cacheFile) {
			cf.Version = ver
			if cf.Fields == nil || cf.Fields.Frames != res.Frames {
				cf.Fields = &Result{Exit: res.Exit, Stderr: res.Stderr, Frames: res.Frames, Cols: map[string][]string{}}
			}
			for n, v := range cols {
				cf.Fields.Cols[n] = v
			}
			c = *cf
		})
	}
	if c.Fields == nil {
		return &Result{Cols: map[string][]string{}}, nil
	}
	return c.Fields, nil
}

func hashString(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}
