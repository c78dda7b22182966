package export

import (
	"context"
	"net/netip"

	"github.com/wirewatch/wirewatch/analyze"
)

// batchBytes is the RowBinary size at which a table's rows are sent.
const batchBytes = 4 << 20

type table struct {
	name string
	cols []string
	buf  rowBuf
}

// Inserter sends one batch of RowBinary rows: a Client directly, or a Spool.
type Inserter interface {
	Insert(ctx context.Context, table string, cols []string, rows []byte, n int) error
}

// ClickHouse is a Sink inserting rows into the tables of schema.go, each
// tagged with the sensor and capture names.
type ClickHouse struct {
	ctx             context.Context
	c               Inserter
	sensor, capture string
	conns, dns      table
	http, tls       table
	stalls, finds   table
	// Rows counts the rows written per table.
	Rows map[string]int
}

// NewClickHouse returns a sink for one capture. Call Client.Migrate first.
func NewClickHouse(ctx context.Context, c Inserter, sensor, capture string) *ClickHouse {
	return &ClickHouse{ctx: ctx, c: c, sensor: sensor, capture: capture, Rows: map[string]int{},
		conns: table{name: "connections", cols: []string{"sensor", "capture", "proto", "stream", "start", "start_ns", "end_ns", "duration",
			"orig_h", "orig_p", "resp_h", "resp_p", "orig_pkts", "resp_pkts", "orig_bytes", "resp_bytes", "orig_ip_bytes", "resp_ip_bytes",
			"handshake_rtt", "conn_state", "history", "retransmissions"}},
		dns:  table{name: "dns", cols: []string{"sensor", "capture", "ts", "ts_ns", "frame", "stream", "client", "server", "query", "qtype", "rcode", "answers", "rtt"}},
		http: table{name: "http", cols: []string{"sensor", "capture", "ts", "ts_ns", "frame", "stream", "client", "server", "method", "host", "uri", "status", "rtt"}},
		tls:  table{name: "tls", cols: []string{"sensor", "capture", "ts", "ts_ns", "frame", "stream", "client", "server", "sni", "version", "cipher", "alpn"}},
		stalls: table{name: "stalls", cols: []string{"sensor", "capture", "finding", "category", "severity", "start", "start_ns", "end_ns", "duration",
			"proto", "stream", "client", "server", "waiting_on", "what", "open", "start_frame", "end_frame", "culprit"}},
		finds: table{name: "findings", cols: []string{"sensor", "capture", "finding", "category", "severity", "title", "start", "start_ns", "last_ns",
			"culprit_host", "culprit_port", "culprit_role", "culprit_names", "affected", "stall_count", "time_lost", "confidence", "score",
			"display_filter", "explanation"}},
	}
}

func (k *ClickHouse) row(t *table) *rowBuf {
	t.buf.str(k.sensor)
	t.buf.str(k.capture)
	t.buf.rows++
	return &t.buf
}

func (k *ClickHouse) done(t *table) error {
	if len(t.buf.b) < batchBytes {
		return nil
	}
	return k.flush(t)
}

func (k *ClickHouse) flush(t *table) error {
	if t.buf.rows == 0 {
		return nil
	}
	err := k.c.Insert(k.ctx, t.name, t.cols, t.buf.b, t.buf.rows)
	if err == nil {
		k.Rows[t.name] += t.buf.rows
	}
	t.buf.b, t.buf.rows = t.buf.b[:0], 0
	return err
}

func secs(ns int64) float64 {
	if ns < 0 {
		return -1
	}
	return float64(ns) / 1e9
}

func addr(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

func protoName(tcp bool) string {
	if tcp {
		return "tcp"
	}
	return "udp"
}

// Conn implements Sink.
func (k *ClickHouse) Conn(r *ConnRow) error {
	b := k.row(&k.conns)
	b.str(connProto(r))
	b.i64(r.Stream)
	b.dateTime(r.First)
	b.i64(r.First)
	b.i64(r.Last)
	b.f64(secs(r.Last - r.First))
	b.str(addr(r.Orig.Addr()))
	b.u16(r.Orig.Port())
	b.str(addr(r.Resp.Addr()))
	b.u16(r.Resp.Port())
	b.u64(r.OrigPkts)
	b.u64(r.RespPkts)
	b.u64(r.OrigBytes)
	b.u64(r.RespBytes)
	b.u64(r.OrigIPBytes)
	b.u64(r.RespIPBytes)
	b.f64(secs(r.HandshakeRTT))
	b.str(r.State)
	b.str(r.History)
	b.u64(r.Retransmissions)
	return k.done(&k.conns)
}

// txn writes the columns every transaction table (dns, http, tls) starts
// with: day, time, frame, stream, client and server.
func (b *rowBuf) txn(ts int64, frame uint64, stream int64, cli, srv netip.AddrPort) {
	b.dateTime(ts)
	b.i64(ts)
	b.u64(frame)
	b.i64(stream)
	b.str(cli.String())
	b.str(srv.String())
}

// DNS implements Sink.
func (k *ClickHouse) DNS(r *DNSRow) error {
	b := k.row(&k.dns)
	b.txn(r.TS, r.Frame, r.Stream, r.Client, r.Server)
	b.str(r.Query)
	b.u16(r.QType)
	b.u8(r.Rcode)
	b.u16(uint16(min(len(r.Answers), 65535)))
	b.f64(secs(r.RTT))
	return k.done(&k.dns)
}

// HTTP implements Sink.
func (k *ClickHouse) HTTP(r *HTTPRow) error {
	b := k.row(&k.http)
	b.txn(r.TS, r.Frame, r.Stream, r.Client, r.Server)
	b.str(r.Method)
	b.str(r.Host)
	b.str(r.URI)
	b.u16(r.Status)
	b.f64(secs(r.RTT))
	return k.done(&k.http)
}

// TLS implements Sink.
func (k *ClickHouse) TLS(r *TLSRow) error {
	b := k.row(&k.tls)
	b.txn(r.TS, r.Frame, r.Stream, r.Client, r.Server)
	b.str(r.SNI)
	b.u16(r.Version)
	b.u16(r.Cipher)
	b.str(r.ALPN)
	return k.done(&k.tls)
}

// Finding implements Sink: one findings row and one stalls row per listed stall.
func (k *ClickHouse) Finding(f *analyze.Finding) error {
	start := f.LastTS
	for i := range f.Stalls {
		if s := &f.Stalls[i]; s.Start < start || i == 0 {
			start = s.Start
		}
	}
	culprit := ""
	b := k.row(&k.finds)
	b.str(f.Key)
	b.str(string(f.Category))
	b.str(f.Severity.String())
	b.str(f.Title)
	b.dateTime(start)
	b.i64(start)
	b.i64(f.LastTS)
	if c := f.Culprit; c != nil {
		culprit = addr(c.Host)
		b.str(culprit)
		b.u16(c.Port)
		b.str(c.Role)
		b.strs(c.Names)
	} else {
		b.str("")
		b.u16(0)
		b.str("")
		b.strs(nil)
	}
	aff := make([]string, len(f.Affected))
	for i, a := range f.Affected {
		aff[i] = a.String()
	}
	b.strs(aff)
	b.u32(uint32(f.StallCount))
	b.f64(f.TimeLost.Seconds())
	b.f64(f.Confidence)
	b.f64(f.Score)
	b.str(f.DisplayFilter)
	b.str(f.Explanation)
	if err := k.done(&k.finds); err != nil {
		return err
	}
	for i := range f.Stalls {
		s := &f.Stalls[i]
		b := k.row(&k.stalls)
		b.str(f.Key)
		b.str(string(f.Category))
		b.str(f.Severity.String())
		b.dateTime(s.Start)
		b.i64(s.Start)
		b.i64(s.End)
		b.f64(secs(s.End - s.Start))
		b.str(s.Proto)
		b.i64(s.Stream)
		b.str(s.Client.String())
		b.str(s.Server.String())
		b.str(string(s.WaitingOn))
		b.str(s.What)
		b.boolean(s.Open)
		b.u64(s.StartFrame)
		b.u64(s.EndFrame)
		b.str(culprit)
		if err := k.done(&k.stalls); err != nil {
			return err
		}
	}
	return nil
}

// Flush sends every pending batch (a live sensor calls it now and then).
func (k *ClickHouse) Flush() error { return k.Close() }

// Close implements Sink: sends every pending batch.
func (k *ClickHouse) Close() error {
	var err error
	for _, t := range []*table{&k.conns, &k.dns, &k.http, &k.tls, &k.finds, &k.stalls} {
		if e := k.flush(t); err == nil {
			err = e
		}
	}
	return err
}
