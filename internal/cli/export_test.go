package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/chserver"
)

// convJSON is stats conv --format json.
type convJSON struct {
	Conversations []struct {
		A, B      string
		Stream    int64
		ConnState string `json:"conn_state"`
		History   string
	}
}

func statsConv(t *testing.T, kind, path string) convJSON {
	var c convJSON
	if err := json.Unmarshal([]byte(run(t, "stats", "conv", kind, "--format", "json", path)), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

type diagJSON struct {
	Findings []struct {
		Category string
		Stalls   []json.RawMessage
	}
}

func chQuery(t *testing.T, s *chserver.Server, sql string) string {
	t.Helper()
	out, err := s.Query(sql)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(out)
}

func chCount(t *testing.T, s *chserver.Server, sql string) int {
	n, err := strconv.Atoi(chQuery(t, s, sql))
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// TestExportClickHouse exports every example capture into a real
// clickhouse-server and checks, per capture, that the connections table
// holds the rows of stats conv tcp+udp --format json (same stream, conn_state
// and history) and the findings and stalls tables those of diagnose
// --format json; then exports everything again and checks nothing doubled.
func TestExportClickHouse(t *testing.T) {
	srv := chserver.Start(t)
	files, _ := filepath.Glob("../../examples/*.pcapng")
	if len(files) == 0 {
		t.Fatal("no example captures")
	}
	args := append([]string{"export", "--clickhouse", srv.URL, "--database", "ww_test", "--sensor", "site-a"}, files...)
	run(t, args...)
	tables := []string{"connections", "dns", "http", "tls", "stalls", "findings"}
	first := map[string]int{}
	for _, tb := range tables {
		first[tb] = chCount(t, srv, "SELECT count() FROM ww_test."+tb+" FINAL")
	}
	t.Logf("rows after one export of %d captures: %v", len(files), first)
	agree, total := 0, 0
	for _, f := range files {
		capName := filepath.Base(f)
		want := map[string]string{}
		for _, kind := range []string{"tcp", "udp"} {
			for _, c := range statsConv(t, kind, f).Conversations {
				want[fmt.Sprintf("%s\t%d", kind, c.Stream)] = c.ConnState + "\t" + c.History
			}
		}
		got := map[string]string{}
		rows := chQuery(t, srv, "SELECT proto, stream, conn_state, history FROM ww_test.connections FINAL WHERE sensor = 'site-a' AND capture = '"+capName+"' FORMAT TabSeparated")
		for _, l := range strings.Split(rows, "\n") {
			if p := strings.Split(l, "\t"); len(p) == 4 {
				got[p[0]+"\t"+p[1]] = p[2] + "\t" + p[3]
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d connection rows, stats conv tcp+udp has %d", capName, len(got), len(want))
		}
		for k, w := range want {
			total++
			if got[k] == w {
				agree++
			} else {
				t.Errorf("%s: %s: conn_state/history %q, stats conv says %q", capName, k, got[k], w)
			}
		}
		var d diagJSON
		if err := json.Unmarshal([]byte(run(t, "diagnose", "--format", "json", f)), &d); err != nil {
			t.Fatal(err)
		}
		stalls := 0
		for _, fd := range d.Findings {
			stalls += len(fd.Stalls)
		}
		where := " FINAL WHERE sensor = 'site-a' AND capture = '" + capName + "'"
		if n := chCount(t, srv, "SELECT count() FROM ww_test.findings"+where); n != len(d.Findings) {
			t.Errorf("%s: %d findings rows, diagnose --format json has %d", capName, n, len(d.Findings))
		}
		if n := chCount(t, srv, "SELECT count() FROM ww_test.stalls"+where); n != stalls {
			t.Errorf("%s: %d stalls rows, diagnose --format json lists %d", capName, n, stalls)
		}
	}
	t.Logf("connections: conn_state+history agree with stats conv on %d/%d", agree, total)

	// Again: the same rows, merged away by the ReplacingMergeTree key.
	run(t, args...)
	for _, tb := range tables {
		if n := chCount(t, srv, "SELECT count() FROM ww_test."+tb+" FINAL"); n != first[tb] {
			t.Errorf("%s: %d rows with FINAL after a second export, %d after the first", tb, n, first[tb])
		}
		if n, err := srv.Optimize("ww_test."+tb, first[tb]); err != nil || n != first[tb] {
			t.Errorf("%s: %d rows after the merge, %d after the first export (%v)", tb, n, first[tb], err)
		}
	}
	// The schema is migrated once: a second run applies nothing.
	if v := chQuery(t, srv, "SELECT groupArray(version) FROM (SELECT version FROM ww_test.wirewatch_migrations FINAL ORDER BY version)"); v != "[1,2]" {
		t.Errorf("migrations recorded %s, want [1,2]", v)
	}
}
