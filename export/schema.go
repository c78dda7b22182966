package export

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// A migration is one numbered step of the schema. Migrations only ever get
// appended: a database records the versions applied in
// wirewatch_migrations and each run applies the missing ones in order.
type migration struct {
	version int
	what    string
	// minMajor/minMinor: the server version the statements need; an older
	// server records the migration as skipped (TTL needs 19.6).
	minMajor, minMinor int
	sql                []string
}

// Every table is a ReplacingMergeTree whose ORDER BY is the row's identity
// (sensor, capture, then what makes the row unique inside the capture):
// exporting a capture again, or retrying an insert whose answer was lost,
// writes rows with the same key that merges collapse (read with FINAL for
// exact counts before merges). PARTITION BY month keeps the part count low
// on 18.16 and lets old data be dropped by partition. Only types and syntax
// that 18.16 accepts are used: DateTime (seconds) plus an Int64 of
// nanoseconds instead of DateTime64, String addresses instead of IPv6.
var migrations = []migration{
	{version: 1, what: "tables", sql: []string{
		`CREATE TABLE IF NOT EXISTS {db}.connections (
	sensor String, capture String, proto String, stream Int64,
	start DateTime, start_ns Int64, end_ns Int64, duration Float64,
	orig_h String, orig_p UInt16, resp_h String, resp_p UInt16,
	orig_pkts UInt64, resp_pkts UInt64, orig_bytes UInt64, resp_bytes UInt64,
	orig_ip_bytes UInt64, resp_ip_bytes UInt64,
	handshake_rtt Float64, conn_state String, history String, retransmissions UInt64
) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(start) ORDER BY (sensor, capture, proto, stream)`,
		`CREATE TABLE IF NOT EXISTS {db}.dns (
	sensor String, capture String, ts DateTime, ts_ns Int64, frame UInt64, stream Int64,
	client String, server String, query String, qtype UInt16, rcode UInt8, answers UInt16, rtt Float64
) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(ts) ORDER BY (sensor, capture, frame)`,
		`CREATE TABLE IF NOT EXISTS {db}.http (
	sensor String, capture String, ts DateTime, ts_ns Int64, frame UInt64, stream Int64,
	client String, server String, method String, host String, uri String, status UInt16, rtt Float64
) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(ts) ORDER BY (sensor, capture, frame)`,
		`CREATE TABLE IF NOT EXISTS {db}.tls (
	sensor String, capture String, ts DateTime, ts_ns Int64, frame UInt64, stream Int64,
	client String, server String, sni String, version UInt16, cipher UInt16, alpn String
) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(ts) ORDER BY (sensor, capture, frame)`,
		`CREATE TABLE IF NOT EXISTS {db}.stalls (
	sensor String, capture String, finding String, category String, severity String,
	start DateTime, start_ns Int64, end_ns Int64, duration Float64,
	proto String, stream Int64, client String, server String, waiting_on String, what String, open UInt8,
	start_frame UInt64, end_frame UInt64, culprit String
) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(start) ORDER BY (sensor, capture, finding, start_frame, client, server)`,
		`CREATE TABLE IF NOT EXISTS {db}.findings (
	sensor String, capture String, finding String, category String, severity String, title String,
	start DateTime, start_ns Int64, last_ns Int64,
	culprit_host String, culprit_port UInt16, culprit_role String, culprit_names Array(String),
	affected Array(String), stall_count UInt32, time_lost Float64, confidence Float64, score Float64,
	display_filter String, explanation String
) ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(start) ORDER BY (sensor, capture, finding)`,
	}},
	{version: 2, what: "retention: 90 days", minMajor: 19, minMinor: 6, sql: []string{
		`ALTER TABLE {db}.connections MODIFY TTL start + INTERVAL 90 DAY`,
		`ALTER TABLE {db}.dns MODIFY TTL ts + INTERVAL 90 DAY`,
		`ALTER TABLE {db}.http MODIFY TTL ts + INTERVAL 90 DAY`,
		`ALTER TABLE {db}.tls MODIFY TTL ts + INTERVAL 90 DAY`,
		`ALTER TABLE {db}.stalls MODIFY TTL start + INTERVAL 365 DAY`,
		`ALTER TABLE {db}.findings MODIFY TTL start + INTERVAL 365 DAY`,
	}},
}

// SchemaVersion is the newest migration.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

// Migrate creates the database and brings its schema to SchemaVersion. It
// returns the migrations it applied or skipped, as text.
func (c *Client) Migrate(ctx context.Context) ([]string, error) {
	db := c.Database
	if _, err := c.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+db); err != nil {
		return nil, err
	}
	if _, err := c.Exec(ctx, "CREATE TABLE IF NOT EXISTS "+db+`.wirewatch_migrations (
	version UInt32, what String, skipped UInt8, applied DateTime DEFAULT now()
) ENGINE = ReplacingMergeTree() ORDER BY version`); err != nil {
		return nil, err
	}
	s, err := c.Exec(ctx, "SELECT version FROM "+db+".wirewatch_migrations FINAL FORMAT TabSeparated")
	if err != nil {
		return nil, err
	}
	have := map[int]bool{}
	for _, l := range strings.Fields(s) {
		if v, err := strconv.Atoi(l); err == nil {
			have[v] = true
		}
	}
	major, minor, err := c.Version(ctx)
	if err != nil {
		return nil, err
	}
	var done []string
	for _, m := range migrations {
		if have[m.version] {
			continue
		}
		skipped := major < m.minMajor || major == m.minMajor && minor < m.minMinor
		if !skipped {
			for _, q := range m.sql {
				if _, err := c.Exec(ctx, strings.ReplaceAll(q, "{db}", db)); err != nil {
					return done, fmt.Errorf("export: migration %d (%s): %w", m.version, m.what, err)
				}
			}
		}
		sk := 0
		note := fmt.Sprintf("migration %d applied: %s", m.version, m.what)
		if skipped {
			sk = 1
			note = fmt.Sprintf("migration %d skipped (needs ClickHouse %d.%d, server is %d.%d): %s", m.version, m.minMajor, m.minMinor, major, minor, m.what)
		}
		if _, err := c.Exec(ctx, fmt.Sprintf("INSERT INTO %s.wirewatch_migrations (version, what, skipped) VALUES (%d, '%s', %d)", db, m.version, m.what, sk)); err != nil {
			return done, err
		}
		done = append(done, note)
	}
	return done, nil
}
