package export

import (
	"bufio"
	"crypto/sha256"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/analyze"
	"github.com/wirewatch/wirewatch/decode"
)

// Zeek writes conn.log, dns.log, http.log and ssl.log in Zeek's ASCII
// format: tab-separated with the #separator, #set_separator, #empty_field,
// #unset_field, #path, #open, #fields, #types header and a #close line
// (https://docs.zeek.org/en/master/logs/ and the ASCII writer's escaping:
// \xHH for the separator, non-printable bytes and a leading '#'), or in
// Zeek's JSON format (one object a line, unset fields left out, ts as
// epoch seconds). Rows of one connection share its uid, derived from the
// sensor, capture and stream so that the same capture gives the same uids.
type Zeek struct {
	dir     string
	json    bool
	sensor  string
	capture string
	logs    map[string]*zlog
	open    time.Time
	err     error
}

type zlog struct {
	f      *os.File
	w      *bufio.Writer
	fields []string
	rec    []zval
}

// zval is one field value of a record; set false means unset ("-").
type zval struct {
	set   bool
	kind  byte // 's' string, 'n' number text (JSON number), 'b' bool, 'v' vector of strings
	text  string
	items []string
}

// zeekSchemas: the fields and types of each log, as Zeek names them.
var zeekSchemas = map[string][2][]string{
	"conn": {
		{"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "service", "duration", "orig_bytes", "resp_bytes",
			"conn_state", "local_orig", "local_resp", "missed_bytes", "history", "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes", "tunnel_parents"},
		{"time", "string", "addr", "port", "addr", "port", "enum", "string", "interval", "count", "count",
			"string", "bool", "bool", "count", "string", "count", "count", "count", "count", "set[string]"},
	},
	"dns": {
		{"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "trans_id", "rtt", "query", "qclass", "qclass_name",
			"qtype", "qtype_name", "rcode", "rcode_name", "answers"},
		{"time", "string", "addr", "port", "addr", "port", "enum", "count", "interval", "string", "count", "string",
			"count", "string", "count", "string", "vector[string]"},
	},
	"http": {
		{"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "trans_depth", "method", "host", "uri", "version",
			"user_agent", "status_code", "status_msg"},
		{"time", "string", "addr", "port", "addr", "port", "count", "string", "string", "string", "string",
			"string", "count", "string"},
	},
	"ssl": {
		{"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "version", "cipher", "server_name", "established", "next_protocol"},
		{"time", "string", "addr", "port", "addr", "port", "string", "string", "string", "bool", "string"},
	},
}

// NewZeek opens (creates or truncates) the four logs in dir.
func NewZeek(dir string, asJSON bool, sensor string) (*Zeek, error) {
	z := &Zeek{dir: dir, json: asJSON, sensor: sensor, logs: map[string]*zlog{}, open: time.Now().UTC()}
	for _, name := range []string{"conn", "dns", "http", "ssl"} {
		f, err := os.Create(filepath.Join(dir, name+".log"))
		if err != nil {
			z.closeFiles()
			return nil, err
		}
		l := &zlog{f: f, w: bufio.NewWriterSize(f, 64<<10), fields: zeekSchemas[name][0]}
		l.rec = make([]zval, len(l.fields))
		z.logs[name] = l
		if !asJSON {
			fmt.Fprintf(l.w, "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\t%s\n#open\t%s\n#fields\t%s\n#types\t%s\n",
				name, z.open.Format("2006-01-02-15-04-05"), strings.Join(l.fields, "\t"), strings.Join(zeekSchemas[name][1], "\t"))
		}
	}
	return z, nil
}

// For returns the Sink of one capture; its Close flushes, the Zeek's Close
// ends the logs.
func (z *Zeek) For(capture string) Sink { return &zeekCapture{Zeek: z, capture: capture} }

type zeekCapture struct {
	*Zeek
	capture string
}

// Close flushes the capture's records.
func (c *zeekCapture) Close() error { return c.flush() }

// Conn implements Sink: nothing yet, a connection the tracker ended may
// continue (ConnRow.Update) and conn.log has one record per connection.
func (c *zeekCapture) Conn(*ConnRow) error { return nil }

// ConnDone implements ConnDoner: the Exporter hands over a connection's
// final row when it forgets it (its stream can no longer continue) or at
// the end, so conn.log records are written as connections are removed, in
// that order, as Zeek writes them, and nothing is held here.
func (c *zeekCapture) ConnDone(r *ConnRow) error { return c.conn(r) }

func (c *zeekCapture) conn(r *ConnRow) error {
	l := c.logs["conn"]
	c.ids(l, r.First, c.uid(r.Proto == decode.ProtoTCP, r.Stream), r.Orig, r.Resp)
	l.rec[6] = zs(protoName(r.Proto == decode.ProtoTCP))
	l.rec[8] = znum(interval(r.Last - r.First))
	l.rec[9], l.rec[10] = zu(r.OrigBytes), zu(r.RespBytes)
	l.rec[11] = zs(r.State)
	l.rec[14] = zu(0)
	l.rec[15] = zs(r.History)
	l.rec[16], l.rec[17], l.rec[18], l.rec[19] = zu(r.OrigPkts), zu(r.OrigIPBytes), zu(r.RespPkts), zu(r.RespIPBytes)
	return c.write("conn", l)
}

// DNS implements Sink.
func (c *zeekCapture) DNS(r *DNSRow) error {
	l := c.logs["dns"]
	c.ids(l, r.TS, c.uid(r.Proto == "tcp", r.Stream), r.Client, r.Server)
	l.rec[6] = zs(r.Proto)
	l.rec[7] = zu(uint64(r.TransID))
	if r.RTT >= 0 {
		l.rec[8] = znum(interval(r.RTT))
	}
	if r.Query != "" {
		l.rec[9] = zs(r.Query)
		l.rec[10], l.rec[11] = zu(1), zs("C_INTERNET")
		l.rec[12], l.rec[13] = zu(uint64(r.QType)), zs(decode.DNSTypeName(r.QType))
	}
	l.rec[14], l.rec[15] = zu(uint64(r.Rcode)), zs(zeekRcode(r.Rcode))
	if len(r.Answers) > 0 {
		l.rec[16] = zval{set: true, kind: 'v', items: r.Answers}
	}
	return c.write("dns", l)
}

// HTTP implements Sink.
func (c *zeekCapture) HTTP(r *HTTPRow) error {
	l := c.logs["http"]
	c.ids(l, r.TS, c.uid(true, r.Stream), r.Client, r.Server)
	l.rec[6] = zu(1)
	l.rec[7], l.rec[8], l.rec[9] = zopt(r.Method), zopt(r.Host), zopt(r.URI)
	l.rec[10] = zopt(strings.TrimPrefix(r.Version, "HTTP/"))
	l.rec[11] = zopt(r.UA)
	if r.Status != 0 {
		l.rec[12], l.rec[13] = zu(uint64(r.Status)), zs(r.Phrase)
	}
	return c.write("http", l)
}

// TLS implements Sink.
func (c *zeekCapture) TLS(r *TLSRow) error {
	l := c.logs["ssl"]
	c.ids(l, r.TS, c.uid(true, r.Stream), r.Client, r.Server)
	if v := zeekTLSVersion(r.Version); v != "" {
		l.rec[6] = zs(v)
	}
	if r.Cipher != 0 {
		l.rec[7] = zs(tls.CipherSuiteName(r.Cipher))
	}
	l.rec[8] = zopt(r.SNI)
	l.rec[9] = zval{set: true, kind: 'b', text: strconv.FormatBool(r.Established)}
	l.rec[10] = zopt(r.ALPN)
	return c.write("ssl", l)
}

// Finding implements Sink: Zeek has no log for findings (see notice.log);
// diagnose --format json gives them.
func (c *zeekCapture) Finding(*analyze.Finding) error { return nil }

func zeekTLSVersion(v uint16) string {
	switch v {
	case 0x0300:
		return "SSLv3"
	case 0x0301:
		return "TLSv10"
	case 0x0302:
		return "TLSv11"
	case 0x0303:
		return "TLSv12"
	case 0x0304:
		return "TLSv13"
	}
	return ""
}

func zeekRcode(rc uint8) string {
	names := []string{"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"}
	if int(rc) < len(names) {
		return names[rc]
	}
	return "unknown-" + strconv.Itoa(int(rc))
}

func zs(s string) zval { return zval{set: true, kind: 's', text: s} }
func zopt(s string) zval {
	if s == "" {
		return zval{}
	}
	return zs(s)
}
func zu(v uint64) zval   { return zval{set: true, kind: 'n', text: strconv.FormatUint(v, 10)} }
func znum(s string) zval { return zval{set: true, kind: 'n', text: s} }
func interval(ns int64) string {
	return strconv.FormatFloat(float64(ns)/1e9, 'f', 6, 64)
}

// uid is Zeek's connection id: 'C' and 17 base62 characters, here from a
// hash of sensor, capture, protocol and stream (Zeek draws them at random).
func (c *zeekCapture) uid(tcp bool, stream int64) string {
	h := sha256.Sum256([]byte(c.sensor + "\x00" + c.capture + "\x00" + protoName(tcp) + "\x00" + strconv.FormatInt(stream, 10)))
	const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := []byte{'C'}
	for i := 0; i < 17; i++ {
		b = append(b, digits[h[i]%62])
	}
	return string(b)
}

func (c *zeekCapture) ids(l *zlog, ts int64, uid string, o, r netip.AddrPort) {
	for i := range l.rec {
		l.rec[i] = zval{}
	}
	l.rec[0] = znum(strconv.FormatFloat(float64(ts)/1e9, 'f', 6, 64))
	l.rec[1] = zs(uid)
	if o.Addr().IsValid() {
		l.rec[2], l.rec[3] = zs(o.Addr().String()), zu(uint64(o.Port()))
	}
	if r.Addr().IsValid() {
		l.rec[4], l.rec[5] = zs(r.Addr().String()), zu(uint64(r.Port()))
	}
}

func (z *Zeek) write(name string, l *zlog) error {
	if z.err != nil {
		return z.err
	}
	var b []byte
	if z.json {
		b = append(b, '{')
		n := 0
		for i, v := range l.rec {
			if !v.set {
				continue
			}
			if n > 0 {
				b = append(b, ',')
			}
			n++
			kb, _ := json.Marshal(l.fields[i])
			b = append(b, kb...)
			b = append(b, ':')
			switch v.kind {
			case 'n', 'b':
				b = append(b, v.text...)
			case 'v':
				vb, _ := json.Marshal(v.items)
				b = append(b, vb...)
			default:
				vb, _ := json.Marshal(v.text)
				b = append(b, vb...)
			}
		}
		b = append(b, '}', '\n')
	} else {
		for i, v := range l.rec {
			if i > 0 {
				b = append(b, '\t')
			}
			switch {
			case !v.set:
				b = append(b, '-')
			case v.kind == 'v':
				if len(v.items) == 0 {
					b = append(b, "(empty)"...)
				}
				for j, it := range v.items {
					if j > 0 {
						b = append(b, ',')
					}
					b = zeekEscape(b, it, true)
				}
			case v.kind == 'b':
				if v.text == "true" {
					b = append(b, 'T')
				} else {
					b = append(b, 'F')
				}
			case v.text == "":
				b = append(b, "(empty)"...)
			case v.text == "-":
				b = append(b, `\x2d`...)
			default:
				b = zeekEscape(b, v.text, false)
			}
		}
		b = append(b, '\n')
	}
	_, err := l.w.Write(b)
	if err != nil {
		z.err = err
	}
	return err
}

// zeekEscape appends s as Zeek's ASCII writer does: \xHH for bytes that are
// not printable ASCII, the tab separator, a backslash, and in sets the set
// separator.
func zeekEscape(b []byte, s string, inSet bool) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '\\' || (inSet && c == ',') || (i == 0 && c == '#') {
			b = append(b, fmt.Sprintf(`\x%02x`, c)...)
			continue
		}
		b = append(b, c)
	}
	return b
}

func (z *Zeek) flush() error {
	for _, l := range z.logs {
		if err := l.w.Flush(); err != nil && z.err == nil {
			z.err = err
		}
	}
	return z.err
}

func (z *Zeek) closeFiles() {
	for _, l := range z.logs {
		l.f.Close()
	}
}

// Close writes the #close lines and closes the logs.
func (z *Zeek) Close() error {
	for _, l := range z.logs {
		if !z.json {
			fmt.Fprintf(l.w, "#close\t%s\n", time.Now().UTC().Format("2006-01-02-15-04-05"))
		}
		if err := l.w.Flush(); err != nil && z.err == nil {
			z.err = err
		}
		if err := l.f.Close(); err != nil && z.err == nil {
			z.err = err
		}
	}
	return z.err
}
