// Package chserver starts a private clickhouse-server for tests: its own
// config, free ports and data directory in a temporary directory, stopped
// when the test ends. The Debian package clickhouse-server is installed when
// missing (testenv); without it the test is skipped, or fails under CI=true.
package chserver

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/internal/netns"
	"github.com/wirewatch/wirewatch/internal/testenv"
)

// Server is a running clickhouse-server.
type Server struct {
	URL string // http://127.0.0.1:PORT/
	dir string
	bin string
	cmd *exec.Cmd
	t   testing.TB
	// HTTPPort is the port of URL.
	HTTPPort int
	netns    string
	http     *http.Client
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Start starts a server and waits until it answers (about 4 s for 18.16).
func Start(t testing.TB) *Server { return StartIn(t, "") }

// StartIn starts the server inside network namespace ns (its 127.0.0.1);
// Query then connects from inside ns too.
func StartIn(t testing.TB, ns string) *Server {
	t.Helper()
	bin := "/usr/sbin/clickhouse-server" // Debian's, also when /usr/sbin is not on PATH
	if _, err := os.Stat(bin); err != nil {
		bin = testenv.Tool(t, "clickhouse-server")
	}
	dir := t.TempDir()
	s := &Server{dir: dir, bin: bin, t: t, HTTPPort: freePort(t), netns: ns}
	tr := &http.Transport{}
	if ns != "" {
		tr.DialContext = func(ctx context.Context, network, addr string) (c net.Conn, err error) {
			err = netns.Do(ns, func() (err error) {
				c, err = (&net.Dialer{}).DialContext(ctx, network, addr)
				return err
			})
			return c, err
		}
	}
	s.http = &http.Client{Timeout: 30 * time.Second, Transport: tr}
	tcp, inter := freePort(t), freePort(t)
	s.URL = fmt.Sprintf("http://127.0.0.1:%d/", s.HTTPPort)
	cfg := fmt.Sprintf(`<yandex>
  <logger><level>warning</level><log>%[1]s/server.log</log><errorlog>%[1]s/server.err.log</errorlog></logger>
  <http_port>%[2]d</http_port>
  <tcp_port>%[3]d</tcp_port>
  <interserver_http_port>%[4]d</interserver_http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>%[1]s/data/</path>
  <tmp_path>%[1]s/tmp/</tmp_path>
  <user_files_path>%[1]s/user_files/</user_files_path>
  <format_schema_path>%[1]s/format_schemas/</format_schema_path>
  <users_config>%[1]s/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>67108864</mark_cache_size>
</yandex>
`, dir, s.HTTPPort, tcp, inter)
	users := `<yandex><profiles><default></default></profiles><users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users><quotas><default></default></quotas></yandex>
`
	if err := os.WriteFile(filepath.Join(dir, "config.xml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "users.xml"), []byte(users), 0o644); err != nil {
		t.Fatal(err)
	}
	s.start()
	t.Cleanup(s.Stop)
	return s
}

func (s *Server) start() {
	s.t.Helper()
	cmd := exec.Command(s.bin, "--config-file="+filepath.Join(s.dir, "config.xml"))
	if s.netns != "" {
		cmd = exec.Command("ip", "netns", "exec", s.netns, s.bin, "--config-file="+filepath.Join(s.dir, "config.xml"))
	}
	cmd.Dir = s.dir
	out, _ := os.Create(filepath.Join(s.dir, "stdout.log"))
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("clickhouse-server: %v", err)
	}
	s.cmd = cmd
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if v, err := s.Query("SELECT version()"); err == nil {
			s.t.Logf("clickhouse-server %s on %s", strings.TrimSpace(v), s.URL)
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(s.dir, "server.err.log"))
	s.Stop()
	s.t.Fatalf("clickhouse-server did not answer within 60 s: %s", log)
}

// Stop kills the server, as an outage would (inserts ClickHouse answered
// are on disk; data stay for Restart). SIGKILL: a clean shutdown of 18.16
// takes seconds.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGKILL)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
	s.cmd = nil
}

// Restart starts a stopped server again on the same ports and data.
func (s *Server) Restart() { s.start() }

// Query runs sql and returns the answer's body.
func (s *Server) Query(sql string) (string, error) {
	resp, err := s.http.Post(s.URL, "text/plain", strings.NewReader(sql))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != 200 {
		return "", fmt.Errorf("clickhouse: %s: HTTP %d: %s", sql, resp.StatusCode, b)
	}
	return string(b), nil
}

// Optimize merges table's parts (OPTIMIZE TABLE ... FINAL) until its row
// count without FINAL equals want or ten attempts passed (18.16 may skip an
// OPTIMIZE while a background merge runs), and returns the last count.
func (s *Server) Optimize(table string, want int) (int, error) {
	n := -1
	for i := 0; i < 10; i++ {
		if _, err := s.Query("OPTIMIZE TABLE " + table + " FINAL"); err != nil {
			return n, err
		}
		out, err := s.Query("SELECT count() FROM " + table)
		if err != nil {
			return n, err
		}
		fmt.Sscan(out, &n)
		if n == want {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	return n, nil
}
