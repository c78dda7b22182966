package export

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Spool is a bounded on-disk queue of insert batches in front of a Client,
// for sensors that must keep capturing while ClickHouse is down. Each batch
// is one file (a JSON header line, then the gzip RowBinary body), written to
// a temporary name and renamed, so a crash leaves whole batches only; a
// restarted wirewatch drains what an earlier one left. A drainer goroutine
// sends the files oldest first and deletes each once ClickHouse accepted it;
// a batch sent twice (the answer lost, or a crash between insert and
// delete) is collapsed by the tables' ReplacingMergeTree keys. When the
// spool holds MaxBytes, new batches are dropped and counted, never silently.
type Spool struct {
	dir      string
	c        *Client
	MaxBytes int64
	// Prepare, when set, runs (until it succeeds) before batches are sent:
	// a sensor started while ClickHouse was down creates the schema then.
	Prepare  func(ctx context.Context) error
	prepared bool

	mu      sync.Mutex
	bytes   int64
	seq     uint64
	wake    chan struct{}
	stop    chan struct{}
	done    chan struct{}
	stats   SpoolStats
	lastErr error
}

// SpoolStats counts what the spool did.
type SpoolStats struct {
	Queued, Sent, Dropped uint64 // batches
	DroppedRows, SentRows uint64
	Pending               int   // batch files on disk
	PendingBytes          int64 //
	SendErrors            uint64
}

type spoolHeader struct {
	Table string   `json:"table"`
	Cols  []string `json:"cols"`
	Rows  int      `json:"rows"`
}

// OpenSpool opens (creates) the spool in dir and starts draining it.
func OpenSpool(dir string, c *Client, maxBytes int64) (*Spool, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s := &Spool{dir: dir, c: c, MaxBytes: maxBytes, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	files, err := s.list()
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			s.bytes += st.Size()
		}
	}
	s.seq = uint64(time.Now().UnixNano())
	go s.drain()
	return s, nil
}

func (s *Spool) list() ([]string, error) {
	files, err := filepath.Glob(filepath.Join(s.dir, "*.batch"))
	sort.Strings(files)
	return files, err
}

// Insert queues one batch (RowBinary rows of table); it never blocks on
// ClickHouse.
func (s *Spool) Insert(_ context.Context, table string, cols []string, rows []byte, n int) error {
	var z bytes.Buffer
	h, _ := json.Marshal(spoolHeader{table, cols, n})
	z.Write(h)
	z.WriteByte('\n')
	w, _ := gzip.NewWriterLevel(&z, gzip.BestSpeed)
	w.Write(rows)
	w.Close()
	s.mu.Lock()
	if s.MaxBytes > 0 && s.bytes+int64(z.Len()) > s.MaxBytes {
		s.stats.Dropped++
		s.stats.DroppedRows += uint64(n)
		s.mu.Unlock()
		return nil
	}
	s.seq++
	name := filepath.Join(s.dir, fmt.Sprintf("%020d-%s.batch", s.seq, table))
	s.bytes += int64(z.Len())
	s.stats.Queued++
	s.mu.Unlock()
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, z.Bytes(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		return err
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return nil
}

func (s *Spool) drain() {
	defer close(s.done)
	backoff := 200 * time.Millisecond
	for {
		sent, err := s.sendAll()
		if err != nil {
			s.mu.Lock()
			s.lastErr = err
			s.stats.SendErrors++
			s.mu.Unlock()
		}
		wait := 2 * time.Second
		if err != nil {
			wait = backoff
			backoff = min(backoff*2, 5*time.Second)
		} else if sent > 0 {
			backoff = 200 * time.Millisecond
		}
		select {
		case <-s.stop:
			return
		case <-s.wake:
		case <-time.After(wait):
		}
	}
}

// sendAll sends the spooled batches oldest first until one fails.
func (s *Spool) sendAll() (int, error) {
	files, err := s.list()
	if err != nil || len(files) == 0 {
		return 0, err
	}
	if s.Prepare != nil && !s.prepared {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := s.Prepare(ctx)
		cancel()
		if err != nil {
			return 0, err
		}
		s.prepared = true
	}
	sent := 0
	for _, f := range files {
		select {
		case <-s.stop:
			return sent, nil
		default:
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return sent, err
		}
		i := bytes.IndexByte(b, '\n')
		var h spoolHeader
		if i < 0 || json.Unmarshal(b[:i], &h) != nil || !identOK(h.Table) {
			os.Rename(f, f+".bad") // never retried, kept for inspection
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		q := "INSERT INTO " + s.c.Database + "." + h.Table + " (" + strings.Join(h.Cols, ", ") + ") FORMAT RowBinary"
		_, err = s.c.once(ctx, q, b[i+1:], true)
		cancel()
		if err != nil {
			var se *ServerError
			if errors.As(err, &se) && strings.Contains(se.Text, "Cannot parse") {
				os.Rename(f, f+".bad")
				continue
			}
			return sent, err
		}
		os.Remove(f)
		s.mu.Lock()
		s.bytes -= int64(len(b))
		s.stats.Sent++
		s.stats.SentRows += uint64(h.Rows)
		s.mu.Unlock()
		sent++
	}
	return sent, nil
}

// Stats returns the counters and what is pending on disk.
func (s *Spool) Stats() SpoolStats {
	s.mu.Lock()
	st := s.stats
	st.PendingBytes = s.bytes
	s.mu.Unlock()
	files, _ := s.list()
	st.Pending = len(files)
	return st
}

// LastError is the drainer's latest failure (nil once it sent again).
func (s *Spool) LastError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastErr
}

// Close tries to drain for up to wait, then stops; what is left stays on
// disk for the next run.
func (s *Spool) Close(wait time.Duration) SpoolStats {
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		if st := s.Stats(); st.Pending == 0 {
			break
		}
		select {
		case s.wake <- struct{}{}:
		default:
		}
		time.Sleep(100 * time.Millisecond)
	}
	close(s.stop)
	<-s.done
	return s.Stats()
}
