//go:build linux

// Package netns builds throw-away Linux network namespace labs for tests: two
// namespaces joined by a veth pair, with IPv4 and IPv6 addresses, removed when
// the test ends. Tests skip with a visible message when they cannot be built
// (not root, no iproute2, no namespace support) and fail instead under CI=true.
//
// Cost: creating a pair runs about ten `ip` commands (tens of milliseconds).
package netns

import (
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wirewatch/wirewatch/internal/testenv"
)

// Pair is two namespaces, A and B, joined by veth IfA (in A) ↔ IfB (in B).
type Pair struct {
	A, B         string     // namespace names
	IfA, IfB     string     // interface names inside A and B
	A4, B4       netip.Addr // IPv4 addresses (/24)
	A6, B6       netip.Addr // IPv6 addresses (/64)
	MACA, MACB   string     // hardware addresses
	t            testing.TB
	created, del []string
}

var seq atomic.Int32

// Available reports why namespaces cannot be used here ("" when they can).
func Available() string {
	if os.Geteuid() != 0 {
		return "network namespace tests need root"
	}
	if _, err := exec.LookPath("ip"); err != nil {
		if testenv.Install("ip") != nil {
			return "network namespace tests need iproute2 (`apt-get install iproute2`)"
		}
	}
	if _, err := os.Stat("/proc/self/ns/net"); err != nil {
		return "this kernel has no network namespaces"
	}
	return ""
}

// Require skips t (fails it under CI=true) when namespaces are unavailable.
func Require(t testing.TB) {
	t.Helper()
	if why := Available(); why != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s (required under CI=true)", why)
		}
		t.Skipf("SKIP: %s", why)
	}
}

// NewPair creates a namespace pair with unique names; t.Cleanup removes it.
func NewPair(t testing.TB) *Pair {
	t.Helper()
	Require(t)
	n := seq.Add(1)
	id := fmt.Sprintf("%d%d", os.Getpid()%100000, n)
	p := &Pair{
		A: "wwa" + id, B: "wwb" + id,
		IfA: "veth-a", IfB: "veth-b",
		A4: netip.MustParseAddr("10.77.0.1"), B4: netip.MustParseAddr("10.77.0.2"),
		A6: netip.MustParseAddr("fd77::1"), B6: netip.MustParseAddr("fd77::2"),
		MACA: "02:77:00:00:00:01", MACB: "02:77:00:00:00:02",
		t: t,
	}
	tmpA, tmpB := "wwA"+id, "wwB"+id
	t.Cleanup(p.destroy)
	steps := [][]string{
		{"netns", "add", p.A},
		{"netns", "add", p.B},
		{"link", "add", tmpA, "type", "veth", "peer", "name", tmpB},
		{"link", "set", tmpA, "netns", p.A},
		{"link", "set", tmpB, "netns", p.B},
		{"-n", p.A, "link", "set", tmpA, "name", p.IfA, "address", p.MACA},
		{"-n", p.B, "link", "set", tmpB, "name", p.IfB, "address", p.MACB},
		{"-n", p.A, "addr", "add", p.A4.String() + "/24", "dev", p.IfA},
		{"-n", p.B, "addr", "add", p.B4.String() + "/24", "dev", p.IfB},
		{"-n", p.A, "addr", "add", p.A6.String() + "/64", "dev", p.IfA, "nodad"},
		{"-n", p.B, "addr", "add", p.B6.String() + "/64", "dev", p.IfB, "nodad"},
		{"-n", p.A, "link", "set", p.IfA, "up"},
		{"-n", p.B, "link", "set", p.IfB, "up"},
		{"-n", p.A, "link", "set", "lo", "up"},
		{"-n", p.B, "link", "set", "lo", "up"},
	}
	for _, s := range steps {
		if s[0] == "netns" {
			p.created = append(p.created, s[2])
		}
		if out, err := exec.Command("ip", s...).CombinedOutput(); err != nil {
			msg := fmt.Sprintf("ip %s: %v: %s", strings.Join(s, " "), err, out)
			if os.Getenv("CI") == "true" || s[0] != "netns" {
				t.Fatal(msg)
			}
			t.Skipf("SKIP: network namespaces unavailable: %s", msg)
		}
	}
	// Static neighbours: no ARP/ND chatter in captures unless a test wants it.
	p.MustIP("-n", p.A, "neigh", "replace", p.B4.String(), "lladdr", p.MACB, "dev", p.IfA, "nud", "permanent")
	p.MustIP("-n", p.B, "neigh", "replace", p.A4.String(), "lladdr", p.MACA, "dev", p.IfB, "nud", "permanent")
	p.MustIP("-n", p.A, "neigh", "replace", p.B6.String(), "lladdr", p.MACB, "dev", p.IfA, "nud", "permanent")
	p.MustIP("-n", p.B, "neigh", "replace", p.A6.String(), "lladdr", p.MACA, "dev", p.IfB, "nud", "permanent")
	return p
}

// MustIP runs `ip args...` and fails the test on error.
func (p *Pair) MustIP(args ...string) {
	p.t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		p.t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

func (p *Pair) destroy() {
	for _, ns := range p.created {
		exec.Command("ip", "netns", "del", ns).Run()
	}
}

// Command returns a command that runs name args... inside namespace ns.
func (p *Pair) Command(ns, name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", ns, name}, args...)...)
}

// Do runs fn on an OS thread switched into namespace ns. Sockets fn opens
// belong to ns for their whole life, whichever thread uses them later.
func Do(ns string, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		// The thread is not unlocked if switching back fails: it then dies
		// with this goroutine instead of running other goroutines in ns.
		orig, err := unix.Open("/proc/thread-self/ns/net", unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- err
			return
		}
		defer unix.Close(orig)
		target, err := unix.Open("/run/netns/"+ns, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- err
			return
		}
		err = unix.Setns(target, unix.CLONE_NEWNET)
		unix.Close(target)
		if err != nil {
			errc <- fmt.Errorf("setns %s: %w", ns, err)
			return
		}
		ferr := fn()
		if err := unix.Setns(orig, unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns back: %w", err)
			return
		}
		runtime.UnlockOSThread()
		errc <- ferr
	}()
	return <-errc
}

// Proc is a process running in a namespace whose stderr is watched.
type Proc struct {
	Cmd    *exec.Cmd
	stdout *lineBuf
	stderr *lineBuf
	done   chan error
}

// Start starts name args... in namespace ns and waits until its stderr has
// a line containing ready (when ready is not ""), for at most 10 s.
func (p *Pair) Start(ns, ready, name string, args ...string) *Proc {
	p.t.Helper()
	if !strings.Contains(name, "/") {
		testenv.Tool(p.t, name) // tcpdump and friends: installed when missing
	}
	cmd := p.Command(ns, name, args...)
	lb := &lineBuf{ready: ready, ch: make(chan struct{})}
	cmd.Stderr = lb
	out := &lineBuf{closed: true}
	cmd.Stdout = out
	if ready == "" {
		close(lb.ch)
		lb.closed = true
	}
	if err := cmd.Start(); err != nil {
		p.t.Fatalf("starting %s: %v", name, err)
	}
	pr := &Proc{Cmd: cmd, stdout: out, stderr: lb, done: make(chan error, 1)}
	go func() { pr.done <- cmd.Wait() }()
	p.t.Cleanup(func() { cmd.Process.Kill() })
	select {
	case <-lb.ch:
	case err := <-pr.done:
		pr.done <- err
		p.t.Fatalf("%s %s exited before it was ready: %v\n%s", name, strings.Join(args, " "), err, lb.String())
	case <-time.After(10 * time.Second):
		p.t.Fatalf("%s %s: not ready after 10 s:\n%s", name, strings.Join(args, " "), lb.String())
	}
	return pr
}

// Stop sends sig (SIGINT when 0), waits for the exit and returns the error
// from Wait and everything the process wrote to stderr.
func (pr *Proc) Stop(sig os.Signal) (string, error) {
	if sig == nil {
		sig = os.Interrupt
	}
	pr.Cmd.Process.Signal(sig)
	return pr.Wait(10 * time.Second)
}

// Wait waits at most d for the process to exit.
func (pr *Proc) Wait(d time.Duration) (string, error) {
	select {
	case err := <-pr.done:
		pr.done <- err
		return pr.stderr.String(), err
	case <-time.After(d):
		pr.Cmd.Process.Kill()
		return pr.stderr.String(), fmt.Errorf("still running after %v; killed", d)
	}
}

// Stdout is what the process wrote to stdout so far.
func (pr *Proc) Stdout() string { return pr.stdout.String() }

type lineBuf struct {
	mu     sync.Mutex
	b      []byte
	ready  string
	ch     chan struct{}
	closed bool
}

func (l *lineBuf) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b = append(l.b, b...)
	if !l.closed && strings.Contains(string(l.b), l.ready) {
		l.closed = true
		close(l.ch)
	}
	return len(b), nil
}

func (l *lineBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.b)
}
