package export

import (
	"context"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/flow"
	"github.com/wirewatch/wirewatch/internal/chserver"
)

func connRows(n int) []*ConnRow {
	out := make([]*ConnRow, n)
	for i := range out {
		out[i] = &ConnRow{ConnSummary: flow.ConnSummary{Proto: decode.ProtoTCP, Stream: int64(i),
			Orig: netip.MustParseAddrPort("10.0.0.1:40000"), Resp: netip.MustParseAddrPort("10.0.0.2:443"),
			First: 1.7e18 + int64(i)*1e6, Last: 1.7e18 + int64(i)*1e6 + 5e8, OrigPkts: 3, RespPkts: 2, State: "SF", History: "ShADadFf"}, HandshakeRTT: -1}
	}
	return out
}

func count(t *testing.T, s *chserver.Server, sql string) int {
	t.Helper()
	out, err := s.Query(sql)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(out))
	if err != nil {
		t.Fatalf("%s: %q", sql, out)
	}
	return n
}

// TestSpoolSurvivesOutageAndRestart writes rows while ClickHouse is down:
// they stay in the spool, a new Spool on the same directory (a restarted
// wirewatch) sends them once the server is back, and the tables hold each
// row exactly once, also when a batch is sent twice.
func TestSpoolSurvivesOutageAndRestart(t *testing.T) {
	srv := chserver.Start(t)
	ctx := context.Background()
	c, err := NewClient(srv.URL, "spooltest")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	const n = 5000
	rows := connRows(n)

	srv.Stop()
	c.Retries = 0
	sp, err := OpenSpool(dir, c, 64<<20)
	if err != nil {
		t.Fatal(err)
	}
	sink := NewClickHouse(ctx, sp, "sensor-1", "live-1")
	for i, r := range rows {
		if err := sink.Conn(r); err != nil {
			t.Fatal(err)
		}
		if i%1000 == 999 {
			sink.Flush()
		}
	}
	sink.Close()
	st := sp.Close(500 * time.Millisecond)
	if st.Sent != 0 || st.Pending != 5 || st.Queued != 5 {
		t.Fatalf("with the server down: %+v, want 5 batches pending, none sent", st)
	}
	t.Logf("server down: %d batches (%d bytes) spooled, none sent, %d send errors", st.Pending, st.PendingBytes, st.SendErrors)

	srv.Restart()
	sp2, err := OpenSpool(dir, c, 64<<20) // a restarted wirewatch
	if err != nil {
		t.Fatal(err)
	}
	// A batch sent twice (its answer lost): queue the first 1000 rows again.
	sink2 := NewClickHouse(ctx, sp2, "sensor-1", "live-1")
	for _, r := range rows[:1000] {
		sink2.Conn(r)
	}
	sink2.Close()
	st = sp2.Close(30 * time.Second)
	if st.Pending != 0 || st.Sent != 6 || st.SentRows != n+1000 {
		t.Fatalf("after the restart: %+v, want 6 batches, %d rows sent, none pending", st, n+1000)
	}
	if got := count(t, srv, "SELECT count() FROM spooltest.connections FINAL WHERE sensor = 'sensor-1'"); got != n {
		t.Errorf("%d rows with FINAL, want %d", got, n)
	}
	if got, err := srv.Optimize("spooltest.connections", n); err != nil || got != n {
		t.Errorf("%d rows after the merge, want %d (%v)", got, n, err)
	}
	if got := count(t, srv, "SELECT uniqExact(stream) FROM spooltest.connections"); got != n {
		t.Errorf("%d distinct streams, want %d: rows lost", got, n)
	}
	t.Logf("after the restart: %d batches (%d rows) sent, %d rows in ClickHouse: none lost, none doubled", st.Sent, st.SentRows, n)

	// Bounded: a full spool drops and counts.
	srv.Stop()
	sp3, _ := OpenSpool(t.TempDir(), c, 1024)
	sink3 := NewClickHouse(ctx, sp3, "sensor-1", "live-2")
	for _, r := range rows {
		sink3.Conn(r)
	}
	sink3.Close()
	st = sp3.Close(100 * time.Millisecond)
	if st.Dropped != 1 || st.DroppedRows != n {
		t.Errorf("full spool: %+v, want 1 batch of %d rows dropped and counted", st, n)
	}
}
