package export

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Client speaks ClickHouse's HTTP interface with net/http: queries are POST
// bodies, inserts are "INSERT INTO t (cols) FORMAT RowBinary" in the query
// parameter and gzip-compressed rows in the body (Content-Encoding: gzip,
// which 18.16 and current releases decompress). See rowBuf for why no
// ClickHouse client library is used.
type Client struct {
	base     *url.URL
	Database string
	HTTP     *http.Client
	// Retries is how many times a failed request is repeated (with
	// back-off) before the error is returned. Inserts are idempotent: every
	// table is a ReplacingMergeTree keyed by the row identity.
	Retries int
	// Stats
	Requests, RetriedRequests, RowsSent, BytesSent uint64
}

// NewClient parses a URL such as http://host:8123/ (user and password in
// the URL are sent as ClickHouse's X-ClickHouse-User/-Key headers).
func NewClient(rawURL, database string) (*Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("export: ClickHouse URL %q: want http://host:8123/", rawURL)
	}
	if database == "" {
		database = "wirewatch"
	}
	if !identOK(database) {
		return nil, fmt.Errorf("export: database %q: want letters, digits and _", database)
	}
	return &Client{base: u, Database: database, HTTP: &http.Client{Timeout: 60 * time.Second}, Retries: 3}, nil
}

func identOK(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// do sends one request: query in the URL parameter "query" when body is
// not nil (an insert), else the query is the body.
func (c *Client) do(ctx context.Context, query string, body []byte, gz bool) ([]byte, error) {
	var err error
	for try := 0; ; try++ {
		var out []byte
		out, err = c.once(ctx, query, body, gz)
		if err == nil {
			return out, nil
		}
		if _, fatal := err.(*ServerError); fatal || try >= c.Retries || ctx.Err() != nil {
			return nil, err
		}
		c.RetriedRequests++
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(100<<try) * time.Millisecond):
		}
	}
}

// ServerError is an answer of ClickHouse refusing the request (HTTP 4xx/5xx
// with its exception text); it is not retried.
type ServerError struct {
	Status int
	Text   string
}

func (e *ServerError) Error() string {
	return fmt.Sprintf("clickhouse: HTTP %d: %s", e.Status, strings.TrimSpace(e.Text))
}

func (c *Client) once(ctx context.Context, query string, body []byte, gz bool) ([]byte, error) {
	u := *c.base
	q := u.Query()
	q.Del("user")
	q.Del("password")
	var rd io.Reader
	if body != nil {
		q.Set("query", query)
		rd = bytes.NewReader(body)
	} else {
		rd = strings.NewReader(query)
	}
	u.RawQuery = q.Encode()
	u.User = nil
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), rd)
	if err != nil {
		return nil, err
	}
	if gz {
		req.Header.Set("Content-Encoding", "gzip")
	}
	if ui := c.base.User; ui != nil {
		req.Header.Set("X-ClickHouse-User", ui.Username())
		if p, ok := ui.Password(); ok {
			req.Header.Set("X-ClickHouse-Key", p)
		}
	}
	c.Requests++
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		if resp.StatusCode >= 500 && resp.StatusCode != 500 {
			return nil, fmt.Errorf("clickhouse: HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(out)))
		}
		return nil, &ServerError{resp.StatusCode, string(out)}
	}
	return out, nil
}

// Exec runs a statement (DDL, SELECT) and returns the answer's body.
func (c *Client) Exec(ctx context.Context, sql string) (string, error) {
	b, err := c.do(ctx, sql, nil, false)
	return string(b), err
}

// Insert sends rows (RowBinary) to table with columns cols, gzip-compressed.
func (c *Client) Insert(ctx context.Context, table string, cols []string, rows []byte, n int) error {
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestSpeed)
	w.Write(rows)
	w.Close()
	q := "INSERT INTO " + c.Database + "." + table + " (" + strings.Join(cols, ", ") + ") FORMAT RowBinary"
	if _, err := c.do(ctx, q, z.Bytes(), true); err != nil {
		return fmt.Errorf("export: insert into %s: %w", table, err)
	}
	c.RowsSent += uint64(n)
	c.BytesSent += uint64(z.Len())
	return nil
}

// Version returns the server's major and minor version.
func (c *Client) Version(ctx context.Context) (major, minor int, err error) {
	s, err := c.Exec(ctx, "SELECT version()")
	if err != nil {
		return 0, 0, err
	}
	parts := strings.Split(strings.TrimSpace(s), ".")
	if len(parts) < 2 {
		return 0, 0, fmt.Errorf("clickhouse: version %q", s)
	}
	major, _ = strconv.Atoi(parts[0])
	minor, _ = strconv.Atoi(parts[1])
	return major, minor, nil
}
