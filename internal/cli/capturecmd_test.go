//go:build linux

package cli

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/internal/netns"
	"github.com/wirewatch/wirewatch/internal/testenv"
)

// TestCaptureHelperProcess is not a test: the capture tests run the test
// binary as `wirewatch` inside a namespace, and this is its main.
func TestCaptureHelperProcess(t *testing.T) {
	if os.Getenv("WIREWATCH_CAPTURE_HELPER") != "1" {
		return
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// wirewatch starts `wirewatch args...` in namespace ns and waits until it
// listens.
func wirewatch(t *testing.T, p *netns.Pair, ns string, args ...string) *netns.Proc {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	full := append([]string{"WIREWATCH_CAPTURE_HELPER=1", exe, "-test.run=^TestCaptureHelperProcess$", "--"}, args...)
	return p.Start(ns, "listening on", "env", full...)
}

func tcpdump(t *testing.T, p *netns.Pair, file string, filter ...string) *netns.Proc {
	t.Helper()
	args := append([]string{"--immediate-mode", "-B", "32768", "--time-stamp-precision=nano", "-n", "-i", p.IfA, "-w", file}, filter...)
	return p.Start(p.A, "listening on", "tcpdump", args...)
}

type rec struct {
	ts   int64
	data string
}

// readAll reads a capture with capture.Open, failing on any damage.
func readAll(t *testing.T, path string) ([]rec, capture.Reader) {
	t.Helper()
	r, err := capture.Open(path)
	if err != nil {
		t.Fatalf("capture.Open(%s): %v", path, err)
	}
	defer r.Close()
	var out []rec
	for {
		p, err := r.Next()
		if err == io.EOF {
			return out, r
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, rec{p.TS, string(p.Data)})
	}
}

// tsharkCount is how many packets tshark reads from path; tshark fails on a
// damaged file.
func tsharkCount(t *testing.T, path string) int {
	t.Helper()
	out, err := exec.Command("tshark", "-n", "-r", path, "-T", "fields", "-e", "frame.number").Output()
	if err != nil {
		t.Fatalf("tshark -r %s: %v", path, err)
	}
	return strings.Count(string(out), "\n")
}

// tsharkAgrees compares tshark's timestamp (ns), length and captured length
// of every packet with what capture.Open read.
func tsharkAgrees(t *testing.T, path string, got []rec) string {
	t.Helper()
	out, err := exec.Command("tshark", "-n", "-r", path, "-T", "fields", "-e", "frame.time_epoch", "-e", "frame.cap_len").Output()
	if err != nil {
		t.Fatalf("tshark -r %s: %v", path, err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(got) {
		return fmt.Sprintf("tshark reads %d packets, capture.Open %d", len(lines), len(got))
	}
	var d strings.Builder
	for i, l := range lines {
		f := strings.Fields(l)
		if len(f) != 2 {
			fmt.Fprintf(&d, "packet %d: tshark printed %q\n", i+1, l)
			continue
		}
		sec, frac, _ := strings.Cut(f[0], ".")
		frac = (frac + "000000000")[:9]
		ts := strings.TrimLeft(sec+frac, "0") + " " + f[1]
		if ww := fmt.Sprintf("%d %d", got[i].ts, len(got[i].data)); ww != ts {
			fmt.Fprintf(&d, "packet %d (ns, caplen): capture.Open %s, tshark %s\n", i+1, ww, ts)
		}
	}
	return d.String()
}

func capinfos(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("capinfos", "-c", "-t", "-E", "-I", "-F", path).CombinedOutput()
	if err != nil {
		t.Fatalf("capinfos %s: %v\n%s", path, err, out)
	}
	return string(out)
}

// sameData reports the packets in one list and not the other (by bytes).
func sameData(a, b []rec) string {
	ka := make([]string, len(a))
	for i, r := range a {
		ka[i] = r.data
	}
	kb := make([]string, len(b))
	for i, r := range b {
		kb[i] = r.data
	}
	sort.Strings(ka)
	sort.Strings(kb)
	var d strings.Builder
	i, j := 0, 0
	for i < len(ka) || j < len(kb) {
		switch {
		case j == len(kb) || (i < len(ka) && ka[i] < kb[j]):
			fmt.Fprintf(&d, "-wirewatch %.50x\n", ka[i])
			i++
		case i == len(ka) || kb[j] < ka[i]:
			fmt.Fprintf(&d, "+tcpdump   %.50x\n", kb[j])
			j++
		default:
			i++
			j++
		}
	}
	return d.String()
}

var statsRE = regexp.MustCompile(`(\d+) packets? captured\n(\d+) packets? received by filter\n(\d+) packets? dropped by kernel`)

// counts parses tcpdump-style counts from stderr.
func counts(t *testing.T, stderr string) (captured, received, dropped int) {
	t.Helper()
	m := statsRE.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no packet counts in stderr:\n%s", stderr)
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	c, _ := strconv.Atoi(m[3])
	return a, b, c
}

// isbs returns, per pcapng ISB, the interface and its isb_ifrecv/isb_ifdrop.
func isbs(t *testing.T, path string) [][3]uint64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out [][3]uint64
	for off := 0; off+12 <= len(b); {
		typ, n := binary.LittleEndian.Uint32(b[off:]), int(binary.LittleEndian.Uint32(b[off+4:]))
		if n < 12 || off+n > len(b) {
			t.Fatalf("%s: bad block at %d", path, off)
		}
		if typ == 5 {
			blk := b[off+8 : off+n-4]
			v := [3]uint64{uint64(binary.LittleEndian.Uint32(blk)), ^uint64(0), ^uint64(0)}
			for o := 12; o+4 <= len(blk); {
				code, l := binary.LittleEndian.Uint16(blk[o:]), int(binary.LittleEndian.Uint16(blk[o+2:]))
				if code == 0 {
					break
				}
				if (code == 4 || code == 5) && l == 8 && o+12 <= len(blk) {
					v[code-3] = binary.LittleEndian.Uint64(blk[o+4:])
				}
				o += 4 + (l+3)&^3
			}
			out = append(out, v)
		}
		off += n
	}
	return out
}

func TestCaptureWritesLikeTcpdump(t *testing.T) {
	for _, name := range []string{"out.pcapng", "out.pcap"} {
		t.Run(name, func(t *testing.T) {
			p := netns.NewPair(t)
			dir := t.TempDir()
			wwFile, tdFile := filepath.Join(dir, name), filepath.Join(dir, "td.pcap")
			filter := "not ip6 multicast and not ether multicast" // the kernel's own chatter races with the starts
			td := tcpdump(t, p, tdFile, filter)
			ww := wirewatch(t, p, p.A, "capture", "-i", p.IfA, "-w", wwFile, filter)
			sent, err := p.SendMix(true)
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(200 * time.Millisecond)
			stderr, err := ww.Stop(os.Interrupt)
			if err != nil {
				t.Fatalf("wirewatch capture: %v\n%s", err, stderr)
			}
			if _, err := td.Stop(os.Interrupt); err != nil {
				t.Fatal(err)
			}
			got, r := readAll(t, wwFile)
			want, _ := readAll(t, tdFile)
			if d := sameData(got, want); d != "" {
				t.Errorf("wirewatch -w and tcpdump -w differ:\n%s", d)
			}
			if d := tsharkAgrees(t, wwFile, got); d != "" {
				t.Errorf("tshark and capture.Open read %s differently:\n%s", name, d)
			}
			ci := capinfos(t, wwFile)
			if !strings.Contains(ci, fmt.Sprintf("Number of packets:   %d", len(got))) || !strings.Contains(ci, "nanoseconds") {
				t.Errorf("capinfos disagrees:\n%s", ci)
			}
			captured, received, dropped := counts(t, stderr)
			if captured != len(got) || received != captured || dropped != 0 {
				t.Errorf("counts: %d captured, %d received, %d dropped; file has %d packets", captured, received, dropped, len(got))
			}
			if min := sent.UDPFromA + sent.UDPFromB + sent.EchoV4*2 + sent.TCPConns*5; len(got) < min {
				t.Errorf("%d packets captured, sent at least %d (%+v)", len(got), min, sent)
			}
			ifs := r.Interfaces()
			if name == "out.pcapng" {
				if len(ifs) != 1 || ifs[0].Name != p.IfA || ifs[0].TSResol != 9 || ifs[0].LinkType != capture.LinkEthernet {
					t.Errorf("interfaces %+v, want one IDB named %s with if_tsresol 9", ifs, p.IfA)
				}
				if !strings.Contains(ci, "wirewatch") {
					t.Errorf("capinfos shows no application wirewatch:\n%s", ci)
				}
				st := isbs(t, wwFile)
				if len(st) != 1 || st[0][0] != 0 || st[0][1] != uint64(received) || st[0][2] != 0 {
					t.Errorf("ISBs (iface, ifrecv, ifdrop) = %v, want [[0 %d 0]]", st, received)
				}
			}
			t.Logf("%d packets, same as tcpdump; tshark and capinfos agree", len(got))
		})
	}
}

var ringName = regexp.MustCompile(`^ring_(\d{5})_(\d{14})\.pcapng$`)

func TestCaptureRingBuffer(t *testing.T) {
	t.Run("filesize+files", func(t *testing.T) {
		p := netns.NewPair(t)
		dir := t.TempDir()
		ww := wirewatch(t, p, p.A, "capture", "-i", p.IfA, "-w", filepath.Join(dir, "ring.pcapng"), "-b", "filesize:20", "-b", "files:3", "udp")
		sent, err := p.Blast(300, 400, 9000) // ~130 kB: about 7 files of 20 kB
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		stderr, err := ww.Stop(os.Interrupt)
		if err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		files, total := checkRing(t, dir)
		if len(files) != 3 {
			t.Fatalf("ring kept %d files, want 3: %v", len(files), files)
		}
		if m := ringName.FindStringSubmatch(files[0]); m == nil || m[1] == "00001" {
			t.Errorf("oldest kept file is %s: the oldest files should have been removed", files[0])
		}
		for _, f := range files[:2] {
			if fi, _ := os.Stat(filepath.Join(dir, f)); fi.Size() > 20000 || fi.Size() < 15000 {
				t.Errorf("%s has %d bytes, want just under 20 kB", f, fi.Size())
			}
		}
		captured, _, _ := counts(t, stderr)
		if captured != sent {
			t.Errorf("captured %d of %d datagrams", captured, sent)
		}
		t.Logf("%d datagrams; the last 3 files hold %d: %v", sent, total, files)
	})
	t.Run("duration+SIGTERM", func(t *testing.T) {
		p := netns.NewPair(t)
		dir := t.TempDir()
		ww := wirewatch(t, p, p.A, "capture", "-i", p.IfA, "-w", filepath.Join(dir, "ring.pcapng"), "-b", "duration:1", "udp")
		sent := 0
		for i := 0; i < 5; i++ {
			n, err := p.Blast(10, 100, 9000)
			if err != nil {
				t.Fatal(err)
			}
			sent += n
			time.Sleep(500 * time.Millisecond)
		}
		stderr, err := ww.Stop(syscall.SIGTERM)
		if err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		files, total := checkRing(t, dir)
		if len(files) < 2 || len(files) > 4 || total != sent {
			t.Errorf("2.5 s with -b duration:1 gave %d files holding %d of %d datagrams: %v", len(files), total, sent, files)
		}
	})
}

// checkRing checks every ring file's name and validity; it returns the names
// in order and the packets they hold.
func checkRing(t *testing.T, dir string) ([]string, int) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	total := 0
	for _, e := range ents {
		if ringName.FindStringSubmatch(e.Name()) == nil {
			t.Errorf("unexpected file %s", e.Name())
			continue
		}
		names = append(names, e.Name())
		path := filepath.Join(dir, e.Name())
		got, _ := readAll(t, path)
		if len(names) == 1 { // tshark takes half a second: check one file
			if n := tsharkCount(t, path); n != len(got) {
				t.Errorf("%s: tshark reads %d packets, capture.Open %d", e.Name(), n, len(got))
			}
		}
		if len(isbs(t, path)) != 1 {
			t.Errorf("%s: no ISB", e.Name())
		}
		total += len(got)
	}
	sort.Strings(names)
	return names, total
}

func TestCaptureWithoutCapNetRaw(t *testing.T) {
	netns.Require(t)
	setpriv := testenv.Tool(t, "setpriv")
	exe, _ := os.Executable()
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
		exe, "-test.run=^TestCaptureHelperProcess$", "--", "capture", "-i", "lo", "-c", "1")
	cmd.Env = append(os.Environ(), "WIREWATCH_CAPTURE_HELPER=1")
	out, err := cmd.CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != ExitBadInput || !strings.Contains(string(out), "CAP_NET_RAW") {
		t.Fatalf("as nobody: %v, output:\n%s\nwant exit %d and a message naming CAP_NET_RAW", err, out, ExitBadInput)
	}
	t.Logf("%s", out)
}

func TestCaptureDiskFull(t *testing.T) {
	p := netns.NewPair(t)
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=200k", "wirewatch-test", mnt).CombinedOutput(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("mount tmpfs: %v: %s", err, out)
		}
		t.Skipf("SKIP: cannot mount a tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	file := filepath.Join(mnt, "full.pcapng")
	ww := wirewatch(t, p, p.A, "capture", "-i", p.IfA, "-w", file, "udp")
	if _, err := p.Blast(400, 1000, 9000); err != nil { // ~420 kB > 200 kB
		t.Fatal(err)
	}
	stderr, err := ww.Wait(10 * time.Second)
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != ExitBadInput || !strings.Contains(stderr, "no space left on device") {
		t.Fatalf("wirewatch on a full disk: %v, stderr:\n%s\nwant exit %d and 'no space left on device'", err, stderr, ExitBadInput)
	}
	got, _ := readAll(t, file)
	if n := tsharkCount(t, file); n != len(got) || len(got) < 100 {
		t.Errorf("after the disk filled: capture.Open reads %d packets, tshark %d", len(got), n)
	}
	if !strings.Contains(stderr, fmt.Sprintf("with the first %d packets", len(got))) {
		t.Errorf("the message does not say how many packets the file holds (%d):\n%s", len(got), stderr)
	}
	t.Logf("%d packets kept; stderr:\n%s", len(got), stderr)
}

func TestCaptureDiagnoseStall(t *testing.T) {
	p := netns.NewPair(t)
	stop, err := netns.ServeHTTP(p.A, 8080)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	ww := wirewatch(t, p, p.A, "capture", "-i", p.IfA, "--diagnose", "--settle", "1s", "-q")
	if err := p.Stall(2, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	// The finding is final 1 s after its last evidence: it must be printed
	// while the capture still runs.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(ww.Stdout(), "[diagnosis]") && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	// (Which finding comes first depends on timing: on a loaded machine the
	// held request may leave late enough to look like plain client delay.)
	if early := ww.Stdout(); !strings.Contains(early, "[diagnosis]") {
		t.Errorf("no finding printed during the capture:\n%s", early)
	}
	stderr, err := ww.Stop(os.Interrupt)
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	out := ww.Stdout()
	if !strings.Contains(out, "10.200.5.10") {
		t.Fatalf("--diagnose did not name the unreachable server 10.200.5.10:\n%s\nstderr:\n%s", out, stderr)
	}
	t.Logf("%s", out)
}

func TestCaptureOptions(t *testing.T) {
	t.Run("count", func(t *testing.T) {
		p := netns.NewPair(t)
		file := filepath.Join(t.TempDir(), "c.pcapng")
		ww := wirewatch(t, p, p.A, "capture", "-i", p.IfA, "-w", file, "-c", "5", "udp")
		if _, err := p.Blast(20, 100, 9000); err != nil {
			t.Fatal(err)
		}
		if stderr, err := ww.Wait(5 * time.Second); err != nil {
			t.Fatalf("-c 5 did not end the capture: %v\n%s", err, stderr)
		}
		if got, _ := readAll(t, file); len(got) != 5 {
			t.Errorf("-c 5 wrote %d packets", len(got))
		}
	})
	t.Run("autostop packets and duration", func(t *testing.T) {
		p := netns.NewPair(t)
		dir := t.TempDir()
		byPkts := wirewatch(t, p, p.A, "capture", "-i", p.IfA, "-w", filepath.Join(dir, "p.pcapng"), "-a", "packets:7", "udp")
		start := time.Now()
		byDur := wirewatch(t, p, p.A, "capture", "-i", p.IfA, "-w", filepath.Join(dir, "d.pcapng"), "-a", "duration:1", "udp")
		if _, err := p.Blast(20, 100, 9000); err != nil {
			t.Fatal(err)
		}
		if stderr, err := byPkts.Wait(5 * time.Second); err != nil {
			t.Fatalf("-a packets:7: %v\n%s", err, stderr)
		}
		if got, _ := readAll(t, filepath.Join(dir, "p.pcapng")); len(got) != 7 {
			t.Errorf("-a packets:7 wrote %d packets", len(got))
		}
		if stderr, err := byDur.Wait(5 * time.Second); err != nil {
			t.Fatalf("-a duration:1: %v\n%s", err, stderr)
		}
		if el := time.Since(start); el < 900*time.Millisecond || el > 6*time.Second { // includes its start-up
			t.Errorf("-a duration:1 ran %v", el)
		}
		if got, _ := readAll(t, filepath.Join(dir, "d.pcapng")); len(got) != 20 {
			t.Errorf("-a duration:1 wrote %d of 20 packets", len(got))
		}
	})
	t.Run("any snaplen pcap", func(t *testing.T) {
		p := netns.NewPair(t)
		file := filepath.Join(t.TempDir(), "any.pcap")
		ww := wirewatch(t, p, p.A, "capture", "-i", "any", "-s", "100", "-w", file, "udp port 9000")
		if _, err := p.Blast(10, 500, 9000); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		if stderr, err := ww.Stop(os.Interrupt); err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		got, r := readAll(t, file)
		if len(got) != 10 || r.Interfaces()[0].LinkType != capture.LinkLinuxSLL2 || r.Format() != "pcap-ns" {
			t.Fatalf("%d packets, interfaces %+v, format %s; want 10, SLL2, pcap-ns", len(got), r.Interfaces(), r.Format())
		}
		for _, g := range got {
			if len(g.data) != 100 {
				t.Errorf("caplen %d with -s 100", len(g.data))
			}
		}
		ci := capinfos(t, file)
		if !strings.Contains(ci, "Linux cooked-mode capture v2") {
			t.Errorf("capinfos:\n%s", ci)
		}
	})
	t.Run("two interfaces", func(t *testing.T) {
		p := netns.NewPair(t)
		file := filepath.Join(t.TempDir(), "two.pcapng")
		ww := wirewatch(t, p, p.A, "capture", "-i", p.IfA, "-i", "lo", "-w", file, "udp port 9000")
		if _, err := p.Blast(3, 100, 9000); err != nil {
			t.Fatal(err)
		}
		sendLoopback(t, p)
		time.Sleep(200 * time.Millisecond)
		if stderr, err := ww.Stop(os.Interrupt); err != nil {
			t.Fatalf("%v\n%s", err, stderr)
		}
		r, err := capture.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		per := map[int]int{}
		for {
			pk, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			per[pk.Interface]++
		}
		ifs := r.Interfaces()
		if len(ifs) != 2 || ifs[0].Name != p.IfA || ifs[1].Name != "lo" || per[0] != 3 || per[1] != 2 {
			t.Errorf("interfaces %+v, packets per interface %v; want veth-a: 3, lo: 2", ifs, per)
		}
		// On lo the kernel hands each packet over twice (outgoing, incoming);
		// the outgoing copy is skipped, as libpcap does, but counted.
		if st := isbs(t, file); len(st) != 2 || st[0][1] != 3 || st[1][1] != 4 {
			t.Errorf("ISBs %v", st)
		}
	})
	t.Run("interface name filter", func(t *testing.T) {
		// capture -Y 'frame.interface_name == "…"' keeps what read -Y keeps
		// from the file of the same capture.
		p := netns.NewPair(t)
		dir := t.TempDir()
		all := filepath.Join(dir, "all.pcapng")
		procs := []*netns.Proc{wirewatch(t, p, p.A, "capture", "-i", p.IfA, "-i", "lo", "-w", all, "udp port 9000")}
		names := []string{p.IfA, "lo"}
		for _, n := range names {
			procs = append(procs, wirewatch(t, p, p.A, "capture", "-i", p.IfA, "-i", "lo", "-Y", `frame.interface_name == "`+n+`"`, "-w", filepath.Join(dir, n+".pcapng"), "udp port 9000"))
		}
		if _, err := p.Blast(3, 100, 9000); err != nil {
			t.Fatal(err)
		}
		sendLoopback(t, p)
		time.Sleep(200 * time.Millisecond)
		for _, pr := range procs {
			if stderr, err := pr.Stop(os.Interrupt); err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
		}
		for i, n := range names {
			live, _ := readAll(t, filepath.Join(dir, n+".pcapng"))
			var out, errb strings.Builder
			if code := Main(context.Background(), []string{"read", "-Y", `frame.interface_name == "` + n + `"`, all}, nil, &out, &errb); code != 0 {
				t.Fatalf("read: exit %d: %s", code, errb.String())
			}
			fromFile := strings.Count(out.String(), "\n")
			if want := []int{3, 2}[i]; len(live) != want || fromFile != want {
				t.Errorf("frame.interface_name == %q: capture -Y kept %d packets, read -Y of the full capture %d; want %d", n, len(live), fromFile, want)
			}
		}
	})
	t.Run("packet list and display filter", func(t *testing.T) {
		p := netns.NewPair(t)
		file := filepath.Join(t.TempDir(), "list.pcapng")
		all := wirewatch(t, p, p.A, "capture", "-i", p.IfA, "udp")
		some := wirewatch(t, p, p.A, "capture", "-i", p.IfA, "-Y", "udp.dstport == 5003 || icmp")
		toFile := wirewatch(t, p, p.A, "capture", "-i", p.IfA, "-w", file, "udp")
		if _, err := p.SendMix(false); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		for _, pr := range []*netns.Proc{all, some, toFile} {
			if stderr, err := pr.Stop(os.Interrupt); err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
		}
		lines := strings.Split(strings.TrimSpace(all.Stdout()), "\n")
		if len(lines) < 12 || !strings.Contains(all.Stdout(), "10.77.0.2 → 10.77.0.1") {
			t.Errorf("packet list:\n%s", all.Stdout())
		}
		// The live list is 'wirewatch read' of the same packets (each socket
		// stamps incoming packets itself, so the Time column may differ).
		var readOut, readErr strings.Builder
		if code := Main(context.Background(), []string{"read", file}, nil, &readOut, &readErr); code != 0 {
			t.Fatalf("read %s: exit %d: %s", file, code, readErr.String())
		}
		rl := strings.Split(strings.TrimSpace(readOut.String()), "\n")
		noTime := func(l string) string {
			f := strings.Fields(l)
			if len(f) > 2 {
				f = append(f[:1], f[2:]...)
			}
			return strings.Join(f, " ")
		}
		if len(rl) != len(lines) {
			t.Errorf("live list has %d lines, read of the same traffic %d", len(lines), len(rl))
		}
		for i := 0; i < len(rl) && i < len(lines); i++ {
			if noTime(lines[i]) != noTime(rl[i]) {
				t.Errorf("line %d:\nlive: %s\nread: %s", i+1, lines[i], rl[i])
			}
		}
		sl := strings.Split(strings.TrimSpace(some.Stdout()), "\n")
		udp, icmp := 0, 0
		for _, l := range sl {
			switch {
			case strings.Contains(l, "5003"):
				udp++
			case strings.Contains(l, "ICMP"):
				icmp++
			default:
				t.Errorf("-Y let through %q", l)
			}
		}
		if udp != 1 || icmp < 4 {
			t.Errorf("-Y 'udp.dstport == 5003 || icmp' listed %d UDP and %d ICMP lines:\n%s", udp, icmp, some.Stdout())
		}
	})
}

// sendLoopback sends 2 UDP datagrams to port 9000 on A's loopback.
func sendLoopback(t *testing.T, p *netns.Pair) {
	t.Helper()
	if err := netns.Do(p.A, func() error {
		c, err := net.ListenUDP("udp4", nil)
		if err != nil {
			return err
		}
		defer c.Close()
		dst := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9000}
		c.WriteTo([]byte("one"), dst)
		_, err = c.WriteTo([]byte("two"), dst)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
