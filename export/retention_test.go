package export_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/export"
	"github.com/wirewatch/wirewatch/flow"
	"github.com/wirewatch/wirewatch/internal/chserver"
	"github.com/wirewatch/wirewatch/internal/hostile"
	"github.com/wirewatch/wirewatch/pipeline"
)

// manyConns generates a sensor's day in miniature: n UDP conversations
// (query and answer) 10 ms apart, each of which comes back once with two
// more datagrams `back` conversations later (after the tracker ended it, so
// its stream continues from the tomb when the tomb is still there), and a
// TCP connection every 10th, opened, used and left idle, which sends again
// `back` connections later.
func manyConns(n, back int) []hostile.Packet {
	var out []hostile.Packet
	emit := func(p hostile.Packet) { out = append(out, p) }
	base := int64(1_700_000_000) * 1e9
	cl := func(i int) [4]byte { return [4]byte{10, byte(1 + i>>16), byte(i >> 8), byte(i)} }
	srv := [4]byte{10, 0, 0, 53}
	web := [4]byte{10, 0, 0, 80}
	tcp := map[int]*hostile.Conn{}
	for i := 0; i < n+back; i++ {
		ts := base + int64(i)*10e6
		if i < n {
			emit(hostile.Packet{TS: ts, Data: hostile.UDPPacket(cl(i), srv, 40000, 53, []byte("query"))})
			emit(hostile.Packet{TS: ts + 1e6, Data: hostile.UDPPacket(srv, cl(i), 53, 40000, []byte("answer"))})
			if i%10 == 0 {
				c := hostile.NewConn(cl(i), web, 50000, 80, ts+2e6, emit)
				c.Open()
				c.Send(true, []byte("GET / HTTP/1.1\r\n\r\n"))
				tcp[i] = c
			}
		}
		if j := i - back; j >= 0 {
			emit(hostile.Packet{TS: ts + 3e6, Data: hostile.UDPPacket(cl(j), srv, 40000, 53, []byte("again"))})
			emit(hostile.Packet{TS: ts + 4e6, Data: hostile.UDPPacket(srv, cl(j), 53, 40000, []byte("again!"))})
			if c := tcp[j]; c != nil {
				emit(hostile.Packet{TS: ts + 5e6, Data: hostile.TCPPacket(c.Client, c.Server, c.CPort, c.SPort, 1000+1+18, 5000+1, hostile.PSH|hostile.ACK, []byte("more"))})
				emit(hostile.Packet{TS: ts + 6e6, Data: hostile.TCPPacket(c.Server, c.Client, c.SPort, c.CPort, 5000+1, 1000+1+18+4, hostile.ACK, nil)})
			}
		}
	}
	return out
}

// countSink keeps, per connection, the last row the exporter wrote and
// the final row it handed over (ConnDone).
type countSink struct {
	last, done map[[2]int64]export.ConnRow
	updates    int
	dup        int
}

func key(r *export.ConnRow) [2]int64 {
	p := int64(0)
	if r.Proto == decode.ProtoTCP {
		p = 1
	}
	return [2]int64{p, r.Stream}
}

func (s *countSink) Conn(r *export.ConnRow) error {
	s.last[key(r)] = *r
	if r.Update {
		s.updates++
	}
	return nil
}
func (s *countSink) ConnDone(r *export.ConnRow) error {
	if _, ok := s.done[key(r)]; ok {
		s.dup++
	}
	s.done[key(r)] = *r
	return nil
}
func (s *countSink) DNS(*export.DNSRow) error       { return nil }
func (s *countSink) HTTP(*export.HTTPRow) error     { return nil }
func (s *countSink) TLS(*export.TLSRow) error       { return nil }
func (s *countSink) Finding(*analyze.Finding) error { return nil }
func (s *countSink) Close() error                   { return nil }

// runExport pushes pkts through the pipeline with an Exporter over sinks;
// it returns the frames counted per connection (what stats conv adds up)
// and the most rows the exporter held at once, checked after every frame.
func runExport(t *testing.T, pkts []hostile.Packet, cfg flow.Config, ret export.Retention, sinks ...export.Sink) (frames map[[2]int64]uint64, x *export.Exporter, maxHeld int) {
	t.Helper()
	x = export.New(sinks...)
	x.SetRetention(ret)
	cfg.OnEnd = func(c *flow.ConnSummary) { x.Conn(c) }
	pl, err := pipeline.New(pipeline.Config{Flow: cfg})
	if err != nil {
		t.Fatal(err)
	}
	frames = map[[2]int64]uint64{}
	feed := pl.Feed(pipeline.Interfaces{{LinkType: capture.LinkEthernet, SnapLen: 65535}}, func(f *decode.Frame) error {
		an := &f.Analysis
		if an.Stream >= 0 {
			if f.Has(decode.ProtoTCP) && !an.IsUDP {
				frames[[2]int64{1, an.Stream}]++
			} else if f.Has(decode.ProtoUDP) && an.IsUDP {
				frames[[2]int64{0, an.Stream}]++
			}
		}
		x.Frame(f)
		maxHeld = max(maxHeld, x.Retained().Held)
		return nil
	})
	for _, p := range pkts {
		pk := capture.Packet{Info: capture.Info{TS: p.TS, CapLen: len(p.Data), Len: len(p.Data), LinkType: capture.LinkEthernet}, Data: p.Data}
		if _, err := feed.Push(pk); err != nil {
			t.Fatal(err)
		}
	}
	feed.Close()
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	return frames, x, maxHeld
}

// TestRetentionBounded: an exporter holding at most 300 rows per protocol
// (and a tracker remembering as many ended connections, as the defaults
// pair them) over 6,000 UDP conversations and 600 TCP connections, each
// continued once after the tracker ended it: the rows held never exceed the
// budget, every connection ends as one row whose packets are all of its
// frames (the continuation added to what came before), nothing is split,
// and with a budget below the tracker's the splits are counted.
func TestRetentionBounded(t *testing.T) {
	const n, back, budget = 6000, 150, 300
	pkts := manyConns(n, back)
	cfg := flow.Config{MaxTombs: budget, IdleTimeout: time.Second}
	s := &countSink{last: map[[2]int64]export.ConnRow{}, done: map[[2]int64]export.ConnRow{}}
	start := time.Now()
	frames, x, maxHeld := runExport(t, pkts, cfg, export.Retention{Max: budget}, s)
	st := x.Retained()
	t.Logf("%d packets, %d connections in %v: held at most %d rows (budget %d per protocol), forgotten %d (by budget %d), continued rows %d, split %d",
		len(pkts), len(frames), time.Since(start).Round(time.Millisecond), maxHeld, budget, st.Total(), st.ByBudget[0]+st.ByBudget[1], s.updates, st.Split)
	if maxHeld > 2*budget || st.Peak > 2*budget {
		t.Errorf("held %d rows (peak %d), budget %d per protocol", maxHeld, st.Peak, budget)
	}
	if st.Total() < int64(len(frames)-2*budget) {
		t.Errorf("forgot %d rows of %d connections", st.Total(), len(frames))
	}
	if st.Split != [2]int64{} {
		t.Errorf("split %v with the tracker's budget", st.Split)
	}
	if s.updates < n/2 {
		t.Errorf("only %d continued rows: the capture does not exercise continuation", s.updates)
	}
	if len(s.done) != len(frames) || len(s.last) != len(frames) || s.dup != 0 {
		t.Errorf("%d final rows (%d twice), %d rows written, stats conv would list %d connections", len(s.done), s.dup, len(s.last), len(frames))
	}
	bad := 0
	for k, nf := range frames {
		d := s.done[k]
		if d.OrigPkts+d.RespPkts != nf || s.last[k] != d {
			if bad++; bad < 5 {
				t.Errorf("conn %v: final row %d packets (last written %d), %d frames", k, d.OrigPkts+d.RespPkts, s.last[k].OrigPkts+s.last[k].RespPkts, nf)
			}
		}
	}

	// A budget below the tracker's: continuations of forgotten rows are
	// counted, not silent.
	s2 := &countSink{last: map[[2]int64]export.ConnRow{}, done: map[[2]int64]export.ConnRow{}}
	_, x2, maxHeld2 := runExport(t, pkts, cfg, export.Retention{Max: 50}, s2)
	st2 := x2.Retained()
	t.Logf("budget 50 under a tracker keeping %d: held at most %d, split %v", budget, maxHeld2, st2.Split)
	if st2.Split[0] == 0 || maxHeld2 > 100 {
		t.Errorf("budget 50: split %v, held %d", st2.Split, maxHeld2)
	}
	note := st2.Note(x2.Retention())
	t.Logf("note: %s", note)
	if !strings.Contains(note, "continued after their row was forgotten (udp 2999, tcp 0)") {
		t.Errorf("note %q", note)
	}
	if n := st.Note(x.Retention()); !strings.Contains(n, "forgotten because 300 per protocol were held") || strings.Contains(n, "continued") {
		t.Errorf("note with the tracker's budget: %q", n)
	}
}

// TestRetentionIdle: rows are forgotten after the idle time of packet time.
func TestRetentionIdle(t *testing.T) {
	pkts := manyConns(200, 1)
	// Two datagrams an hour and two hours later: the connections the
	// tracker ends on the first one end at its time, and are forgotten an
	// idle time after it.
	last := pkts[len(pkts)-1]
	for h := 1; h <= 2; h++ {
		pkts = append(pkts, hostile.Packet{TS: last.TS + int64(h)*int64(time.Hour), Data: hostile.UDPPacket([4]byte{10, 9, 9, byte(h)}, [4]byte{10, 0, 0, 53}, 1, 53, []byte("late"))})
	}
	s := &countSink{last: map[[2]int64]export.ConnRow{}, done: map[[2]int64]export.ConnRow{}}
	var heldBeforeLast int
	x := export.New(s)
	x.SetRetention(export.Retention{Idle: time.Minute})
	pl, _ := pipeline.New(pipeline.Config{Flow: flow.Config{OnEnd: func(c *flow.ConnSummary) { x.Conn(c) }}})
	feed := pl.Feed(pipeline.Interfaces{{LinkType: capture.LinkEthernet, SnapLen: 65535}}, func(f *decode.Frame) error {
		if f.TS == pkts[len(pkts)-1].TS {
			heldBeforeLast = x.Retained().Held
		}
		x.Frame(f)
		return nil
	})
	for _, p := range pkts {
		feed.Push(capture.Packet{Info: capture.Info{TS: p.TS, CapLen: len(p.Data), Len: len(p.Data), LinkType: capture.LinkEthernet}, Data: p.Data})
	}
	st := x.Retained()
	t.Logf("held %d before the last datagram, %d after; forgotten %d", heldBeforeLast, st.Held, st.Total())
	if heldBeforeLast < 100 || st.Held > 2 || st.Total() < 220 || len(s.done) < 220 {
		t.Errorf("idle: held %d then %d, forgotten %d, final rows %d", heldBeforeLast, st.Held, st.Total(), len(s.done))
	}
	feed.Close()
	x.Close()
}

// TestContinuedConnectionClickHouse: a real server. Connections the tracker
// ended (idle) and that continued later are written twice, the second row
// with the totals; after FINAL each is one row whose packets and bytes are
// those of all its frames.
func TestContinuedConnectionClickHouse(t *testing.T) {
	srv := chserver.Start(t)
	c, err := export.NewClient(srv.URL, "ww_ret")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	pkts := manyConns(400, 150)
	ch := export.NewClickHouse(ctx, c, "site-r", "ret.pcap")
	dir := t.TempDir()
	z, err := export.NewZeek(dir, false, "site-r")
	if err != nil {
		t.Fatal(err)
	}
	frames, x, _ := runExport(t, pkts, flow.Config{IdleTimeout: time.Second}, export.Retention{}, ch, z.For("ret.pcap"))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := srv.Query("SELECT proto, stream, orig_pkts + resp_pkts FROM ww_ret.connections FINAL WHERE sensor = 'site-r' FORMAT TabSeparated")
	if err != nil {
		t.Fatal(err)
	}
	rows, agree := 0, 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			continue
		}
		rows++
		p := int64(0)
		if f[0] == "tcp" {
			p = 1
		}
		st, _ := strconv.ParseInt(f[1], 10, 64)
		np, _ := strconv.ParseUint(f[2], 10, 64)
		if frames[[2]int64{p, st}] == np {
			agree++
		}
	}
	written := ch.Rows["connections"]
	t.Logf("%d connection rows written (%d continued), %d after FINAL, %d connections; packets agree on %d/%d", written, written-len(frames), rows, len(frames), agree, rows)
	if written <= len(frames) || rows != len(frames) || agree != rows {
		t.Errorf("written %d, after FINAL %d rows, %d connections, %d agree", written, rows, len(frames), agree)
	}
	b, err := os.ReadFile(filepath.Join(dir, "conn.log"))
	if err != nil {
		t.Fatal(err)
	}
	recs := 0
	for _, l := range strings.Split(string(b), "\n") {
		if l != "" && l[0] != '#' {
			recs++
		}
	}
	if recs != len(frames) {
		t.Errorf("conn.log: %d records, %d connections", recs, len(frames))
	}
	_ = x
}
