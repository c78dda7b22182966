//go:build linux

package live_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/capture/live"
	"github.com/wirewatch/wirewatch/internal/netns"
)

// pkt is a captured packet kept for comparison.
type pkt struct {
	ts   int64
	wire int
	data string
}

// liveCapture reads from a Source opened in namespace ns until stop is closed
// and the ring is drained.
type liveCapture struct {
	src  *live.Source
	pkts []pkt
	err  error
	done chan struct{}
}

func startLive(t *testing.T, ns string, cfg live.Config) *liveCapture {
	t.Helper()
	var src *live.Source
	if err := netns.Do(ns, func() (err error) { src, err = live.Open(cfg); return err }); err != nil {
		t.Fatalf("live.Open(%+v): %v", cfg, err)
	}
	return &liveCapture{src: src, done: make(chan struct{})}
}

func (lc *liveCapture) run(ctx context.Context) {
	defer close(lc.done)
	for {
		p, err := lc.src.NextContext(ctx)
		if err != nil {
			if !errors.Is(err, context.Canceled) {
				lc.err = err
			}
			return
		}
		if len(p.Data) != p.CapLen {
			lc.err = fmt.Errorf("packet %d: CapLen %d, len(Data) %d", len(lc.pkts), p.CapLen, len(p.Data))
			return
		}
		lc.pkts = append(lc.pkts, pkt{p.TS, p.Len, string(p.Data)})
	}
}

func readFile(t *testing.T, path string) []pkt {
	t.Helper()
	r, err := capture.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer r.Close()
	var out []pkt
	for {
		p, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		out = append(out, pkt{p.TS, p.Len, string(p.Data)})
	}
}

// diffPkts compares two captures of the same traffic: same packets, same
// bytes, timestamps within 50 ms (each packet socket stamps packets that
// arrive without a timestamp itself, so they differ by microseconds).
func diffPkts(got, want []pkt) string {
	sortPkts := func(ps []pkt) []pkt {
		ps = append([]pkt(nil), ps...)
		sort.Slice(ps, func(i, j int) bool {
			if ps[i].data != ps[j].data {
				return ps[i].data < ps[j].data
			}
			return ps[i].ts < ps[j].ts
		})
		return ps
	}
	g, w := sortPkts(got), sortPkts(want)
	var b strings.Builder
	line := func(tag string, p pkt) { fmt.Fprintf(&b, "%s %d %d %.60x\n", tag, p.ts, p.wire, p.data) }
	i, j := 0, 0
	for i < len(g) || j < len(w) {
		switch {
		case j == len(w) || (i < len(g) && g[i].data < w[j].data):
			line("-got ", g[i])
			i++
		case i == len(g) || w[j].data < g[i].data:
			line("+want", w[j])
			j++
		default:
			if d := g[i].ts - w[j].ts; d > 50e6 || d < -50e6 || g[i].wire != w[j].wire {
				line("-got ", g[i])
				line("+want", w[j])
			}
			i++
			j++
		}
	}
	return b.String()
}

// since keeps the packets from ts on, leaving out the kernel's IPv6 multicast
// chatter after an interface comes up (DAD, MLD), whose timing races with
// tcpdump's start: on "any" (SLL2) both the multicast packets received and
// the ones this host sends (PACKET_OUTGOING to an ff00::/8 destination, such
// as a DAD neighbour solicitation).
func since(ps []pkt, ts int64) []pkt {
	var out []pkt
	for _, p := range ps {
		eth6mcast := strings.HasPrefix(p.data, "\x33\x33")
		sll2mcast := len(p.data) > 20 && p.data[:2] == "\x86\xdd" &&
			(p.data[10] == 2 || // PACKET_MULTICAST
				len(p.data) > 44 && p.data[44] == 0xff) // IPv6 destination ff00::/8 (20-byte SLL2 + 24)
		if p.ts >= ts && !eth6mcast && !sll2mcast {
			out = append(out, p)
		}
	}
	return out
}

// count counts Ethernet frames carrying the lab's UDP payload marker and its
// ICMP echo identifier.
func count(pkts []pkt) (udp, echoReq, echoRep int) {
	for _, p := range pkts {
		d := []byte(p.data)
		if len(d) < 14 {
			continue
		}
		et, off := binary.BigEndian.Uint16(d[12:]), 14
		if et == 0x8100 && len(d) >= 18 {
			et, off = binary.BigEndian.Uint16(d[16:]), 18
		}
		var proto byte
		var l4 []byte
		switch {
		case et == 0x0800 && len(d) >= off+20:
			ihl := int(d[off]&0xf) * 4
			proto, l4 = d[off+9], d[min(off+ihl, len(d)):]
		case et == 0x86dd && len(d) >= off+40:
			proto, l4 = d[off+6], d[off+40:]
		default:
			continue
		}
		switch {
		case proto == 17 && len(l4) >= 12 && binary.BigEndian.Uint16(l4[8:]) == 0x7777:
			udp++
		case (proto == 1 || proto == 58) && len(l4) >= 8 && binary.BigEndian.Uint16(l4[4:]) == 0x7777:
			if l4[0] == 8 || l4[0] == 128 {
				echoReq++
			} else if l4[0] == 0 || l4[0] == 129 {
				echoRep++
			}
		}
	}
	return
}

func TestCaptureMatchesSentAndTcpdump(t *testing.T) {
	for _, c := range []struct{ iface, filter string }{{"veth-a", ""}, {"any", ""}, {"any", "udp or icmp or icmp6"}} {
		t.Run(c.iface+"/"+c.filter, func(t *testing.T) { testCaptureMatches(t, c.iface, c.filter) })
	}
}

func testCaptureMatches(t *testing.T, iface, filter string) {
	p := netns.NewPair(t)
	dir := t.TempDir()
	tdFile := filepath.Join(dir, "tcpdump.pcap")
	args := []string{"--immediate-mode", "-B", "32768", "--time-stamp-precision=nano", "-n", "-i", iface, "-w", tdFile}
	if filter != "" {
		args = append(args, filter)
	}
	td := p.Start(p.A, "listening on", "tcpdump", args...)
	lc := startLive(t, p.A, live.Config{Interfaces: []string{iface}, Filter: filter, BufferSize: 1 << 20})
	defer lc.src.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go lc.run(ctx)
	start := time.Now().UnixNano()
	sent, err := p.SendMix(true)
	if err != nil {
		t.Fatalf("sending traffic: %v", err)
	}
	time.Sleep(300 * time.Millisecond) // > the ring's block timeout
	tdOut, err := td.Stop(nil)
	if err != nil {
		t.Fatalf("tcpdump: %v\n%s", err, tdOut)
	}
	t.Logf("tcpdump: %s", tdOut)
	cancel()
	<-lc.done
	if lc.err != nil {
		t.Fatal(lc.err)
	}
	st, err := lc.src.Stats()
	if err != nil {
		t.Fatal(err)
	}
	// Compare from the start of the traffic: the kernel's own chatter (IPv6
	// MLD reports) may reach one capture before the other has started.
	want := since(readFile(t, tdFile), start)
	if d := diffPkts(since(lc.pkts, start), want); d != "" {
		t.Errorf("wirewatch (-got) and tcpdump (+want) captured different packets:\n%s", d)
	}
	if iface == "any" {
		return // count reads Ethernet headers
	}
	udp, req, rep := count(lc.pkts)
	wantUDP := sent.UDPFromA + sent.UDPFromB + sent.UDP6FromB + sent.VLANFromB
	if udp != wantUDP || req != sent.EchoV4+sent.EchoV6 || rep != req {
		t.Errorf("captured %d lab UDP datagrams, %d echo requests, %d replies; sent %d, %d (%+v)", udp, req, rep, wantUDP, sent.EchoV4+sent.EchoV6, sent)
	}
	if st.Received < uint64(len(lc.pkts)) || st.Dropped != 0 {
		t.Errorf("stats %+v for %d packets read", st, len(lc.pkts))
	}
	t.Logf("%d packets, identical to tcpdump's; stats %+v", len(lc.pkts), st)
}

// filterExprs are capture filters whose results must equal tcpdump's.
var filterExprs = []string{
	"host 10.77.0.1",
	"src host 10.77.0.2",
	"dst host 10.77.0.1",
	"net 10.77.0.0/24",
	"dst net 10.77.0.0 mask 255.255.255.0",
	"port 8080",
	"src port 8080",
	"dst port 53",
	"portrange 5000-5005",
	"udp dst portrange 5003-5010",
	"udp",
	"tcp",
	"icmp",
	"ip6",
	"icmp6",
	"arp",
	"vlan",
	"vlan 10",
	"vlan and udp port 7000",
	"not vlan",
	"vlan and net 10.78.0.0/24",
	"tcp[tcpflags] & tcp-syn != 0",
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn",
	"tcp[tcpflags] & tcp-rst != 0",
	"udp and not port 53",
	"(tcp or udp) and host 10.77.0.2",
	"host 10.77.0.1 and (port 8080 or port 53)",
	"ether host 02:77:00:00:00:02",
	"ether broadcast",
	"ip6 and tcp",
	"greater 500",
	"less 100",
	"udp[8:2] = 0x7777",
	"ip proto 17",
	"not tcp and not udp",
	"ip6 host fd77::1 or host 10.77.0.2",
	"tcp port 8081 or icmp[icmptype] = icmp-echoreply",
}

func TestCaptureFilterMatchesTcpdump(t *testing.T) {
	p := netns.NewPair(t)
	dir := t.TempDir()
	type run struct {
		expr string
		file string
		td   *netns.Proc
		lc   *liveCapture
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runs := make([]*run, len(filterExprs))
	var wg sync.WaitGroup
	for i, expr := range filterExprs {
		r := &run{expr: expr, file: filepath.Join(dir, fmt.Sprintf("f%02d.pcap", i))}
		runs[i] = r
		wg.Add(1)
		go func() { // tcpdump takes a moment to start; start them together
			defer wg.Done()
			r.td = p.Start(p.A, "listening on", "tcpdump", "--immediate-mode", "--time-stamp-precision=nano", "-n", "-i", p.IfA, "-w", r.file, expr)
		}()
		r.lc = startLive(t, p.A, live.Config{Interfaces: []string{p.IfA}, Filter: expr, BufferSize: 256 << 10})
		defer r.lc.src.Close()
		go r.lc.run(ctx)
	}
	wg.Wait()
	start := time.Now().UnixNano()
	if _, err := p.SendMix(true); err != nil {
		t.Fatalf("sending traffic: %v", err)
	}
	time.Sleep(300 * time.Millisecond)
	for _, r := range runs {
		r.td.Cmd.Process.Signal(syscallSIGINT)
	}
	cancel()
	equal, nonEmpty := 0, 0
	for _, r := range runs {
		if out, err := r.td.Wait(10 * time.Second); err != nil {
			t.Fatalf("tcpdump %q: %v\n%s", r.expr, err, out)
		}
		<-r.lc.done
		if r.lc.err != nil {
			t.Errorf("%q: %v", r.expr, r.lc.err)
			continue
		}
		want := since(readFile(t, r.file), start)
		if d := diffPkts(since(r.lc.pkts, start), want); d != "" {
			t.Errorf("filter %q: wirewatch (-got, %d packets) and tcpdump (+want, %d packets) differ:\n%s", r.expr, len(r.lc.pkts), len(want), d)
			continue
		}
		equal++
		if len(want) > 0 {
			nonEmpty++
		}
		t.Logf("%-45q %3d packets, same as tcpdump", r.expr, len(want))
	}
	t.Logf("%d of %d capture filters give tcpdump's packets (%d select at least one)", equal, len(runs), nonEmpty)
	if nonEmpty < 20 {
		t.Errorf("only %d filters selected packets; the traffic mix no longer exercises them", nonEmpty)
	}
}

func TestCompileFilterErrors(t *testing.T) {
	_, err := live.CompileFilter("port nonsense-words", capture.LinkEthernet, 262144)
	var fe *live.FilterError
	if errors.Is(err, live.ErrNoLibpcap) {
		t.Skipf("SKIP: %v", err)
	}
	if !errors.As(err, &fe) || !strings.Contains(fe.Msg, "nonsense") {
		t.Fatalf("CompileFilter(bad) = %v, want a FilterError naming the bad word", err)
	}
	prog, err := live.CompileFilter("tcp port 80", capture.LinkEthernet, 262144)
	if err != nil || len(prog) < 10 {
		t.Fatalf("CompileFilter(tcp port 80) = %d instructions, %v", len(prog), err)
	}
}

func TestNextAllocatesNothing(t *testing.T) {
	p := netns.NewPair(t)
	lc := startLive(t, p.A, live.Config{Interfaces: []string{p.IfA}, Filter: "udp", BufferSize: 1 << 20, Timeout: 20 * time.Millisecond})
	defer lc.src.Close()
	if _, err := p.Blast(300, 100, 9000); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // blocks retire
	ctx := context.Background()
	if _, err := lc.src.NextContext(ctx); err != nil { // first call registers ctx
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(200, func() {
		if _, err := lc.src.NextContext(ctx); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Next allocates %.1f times per packet", allocs)
	}
}

func TestPromiscuous(t *testing.T) {
	p := netns.NewPair(t)
	promiscuity := func() string {
		out, err := p.Command(p.A, "ip", "-d", "link", "show", p.IfA).Output()
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(string(out))
		for i := range f[:len(f)-1] {
			if f[i] == "promiscuity" {
				return f[i+1]
			}
		}
		t.Fatalf("no promiscuity in %s", out)
		return ""
	}
	lc := startLive(t, p.A, live.Config{Interfaces: []string{p.IfA}, BufferSize: 1 << 20})
	if got := promiscuity(); got != "1" {
		t.Errorf("promiscuity %s while capturing, want 1", got)
	}
	lc.src.Close()
	if got := promiscuity(); got != "0" {
		t.Errorf("promiscuity %s after Close, want 0", got)
	}
	lc = startLive(t, p.A, live.Config{Interfaces: []string{p.IfA}, BufferSize: 1 << 20, NoPromisc: true})
	if got := promiscuity(); got != "0" {
		t.Errorf("promiscuity %s with NoPromisc, want 0", got)
	}
	lc.src.Close()
}

func TestInterfaceDownIsAnError(t *testing.T) {
	p := netns.NewPair(t)
	p.MustIP("-n", p.A, "link", "set", p.IfA, "down")
	err := netns.Do(p.A, func() error {
		src, err := live.Open(live.Config{Interfaces: []string{p.IfA}, BufferSize: 1 << 20})
		if err == nil {
			src.Close()
		}
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "is down") {
		t.Fatalf("Open on a down interface: %v, want an error saying it is down", err)
	}
}

func TestInterfaceGoneIsAnError(t *testing.T) {
	p := netns.NewPair(t)
	lc := startLive(t, p.A, live.Config{Interfaces: []string{p.IfA}, BufferSize: 1 << 20})
	defer lc.src.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go lc.run(ctx)
	time.Sleep(100 * time.Millisecond)
	p.MustIP("-n", p.A, "link", "set", p.IfA, "down")
	select {
	case <-lc.done:
	case <-ctx.Done():
	}
	if lc.err == nil || !strings.Contains(lc.err.Error(), "network is down") {
		t.Fatalf("after the interface went down: %v, want an error saying the network is down", lc.err)
	}
}
