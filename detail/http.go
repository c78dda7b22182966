package detail

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
	"strconv"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
)

func init() { Register(decode.ProtoHTTP, buildHTTP) }

// httpHeaderFields maps lower-case header names to the Wireshark field that shows them.
var httpHeaderFields = map[string]string{
	"authorization": "http.authorization", "proxy-authenticate": "http.proxy_authenticate", "proxy-authorization": "http.proxy_authorization",
	"www-authenticate": "http.www_authenticate", "content-type": "http.content_type", "content-length": "http.content_length_header",
	"content-encoding": "http.content_encoding", "transfer-encoding": "http.transfer_encoding", "upgrade": "http.upgrade",
	"user-agent": "http.user_agent", "host": "http.host", "connection": "http.connection", "cookie": "http.cookie",
	"accept": "http.accept", "referer": "http.referer", "accept-language": "http.accept_language", "accept-encoding": "http.accept_encoding",
	"date": "http.date", "cache-control": "http.cache_control", "server": "http.server", "location": "http.location",
	"sec-websocket-accept": "http.sec_websocket_accept", "sec-websocket-extensions": "http.sec_websocket_extensions",
	"sec-websocket-key": "http.sec_websocket_key", "sec-websocket-protocol": "http.sec_websocket_protocol",
	"sec-websocket-version": "http.sec_websocket_version", "set-cookie": "http.set_cookie", "last-modified": "http.last_modified",
	"x-forwarded-for": "http.x_forwarded_for", "http2-settings": "http.http2_settings",
}

var httpStatus = map[int]string{100: "Continue", 101: "Switching Protocols", 200: "OK", 201: "Created", 202: "Accepted",
	203: "Non-authoritative Information", 204: "No Content", 205: "Reset Content", 206: "Partial Content", 300: "Multiple Choices",
	301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified", 305: "Use Proxy", 307: "Temporary Redirect",
	308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
	405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required", 408: "Request Time-out", 409: "Conflict",
	410: "Gone", 411: "Length Required", 412: "Precondition Failed", 413: "Request Entity Too Large", 414: "Request-URI Too Long",
	415: "Unsupported Media Type", 416: "Requested Range Not Satisfiable", 417: "Expectation Failed", 418: "I'm a teapot",
	421: "Misdirected Request", 422: "Unprocessable Entity", 423: "Locked", 424: "Failed Dependency", 426: "Upgrade Required",
	428: "Precondition Required", 429: "Too Many Requests", 431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
	500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Time-out",
	505: "HTTP Version not supported", 511: "Network Authentication Required"}

// httpState numbers requests and responses per TCP stream and remembers
// what responses show about their request.
type httpState struct {
	conv map[int64]*httpConv
	uri  map[uint64]string // request frame → full request URI
}

type httpConv struct {
	reqs, resps       int
	lastReq, lastResp uint64
}

func (b *Builder) httpConv() *httpConv {
	if b.Opts.State == nil {
		return &httpConv{}
	}
	st := &b.Opts.State.http
	if st.conv == nil || len(st.conv) > 1<<16 {
		st.conv = map[int64]*httpConv{}
		st.uri = map[uint64]string{}
	}
	c := st.conv[b.Frame.Analysis.Stream]
	if c == nil {
		c = &httpConv{}
		st.conv[b.Frame.Analysis.Stream] = c
	}
	return c
}

// label truncation as Wireshark's (ITEM_LABEL_LENGTH): labels longer than
// 239 bytes get " [truncated]" at namePos and are cut to 239 bytes.
func truncLabel(s string, namePos int) string {
	if len(s) <= 239 {
		return s
	}
	s = s[:namePos] + " [truncated]" + s[namePos:]
	s = s[:239]
	for len(s) > 0 && s[len(s)-1]&0xc0 == 0x80 { // do not end inside a UTF-8 sequence
		s = s[:len(s)-1]
	}
	if len(s) > 0 && s[len(s)-1] >= 0xc0 {
		s = s[:len(s)-1]
	}
	return s
}

// AddKV adds "name: value", truncated the way Wireshark truncates a field's label.
func (b *Builder) AddKV(field string, off, n int, name, value string) {
	b.Add(field, off, n, truncLabel(name+": "+value, len(name)))
}

// GenKV is a generated "[name: value]".
func (b *Builder) GenKV(field, name, value string) {
	b.Add(field, -1, 0, "["+truncLabel(name+": "+value, len(name))+"]")
}

func buildHTTP(b *Builder, l decode.Layer, d []byte) {
	f := b.Frame
	n := min(l.Len, len(d))
	// The body may lie beyond the layer (which covers the head): d keeps
	// the rest of the bytes, bounded below by Content-Length.
	b.Open("http", 0, n, "Hypertext Transfer Protocol")
	// Start line.
	eol := bytes.IndexByte(d, '\n')
	if eol < 0 {
		b.Close()
		return
	}
	first := bytes.TrimSuffix(d[:eol], []byte("\r"))
	line := Esc(first) + `\r\n`
	h := &f.HTTP
	b.Open("", 0, eol+1, truncLabel(line, 0))
	b.Open("_ws.expert", -1, 0, "["+truncLabel("Expert Info (Chat/Sequence): "+line, 0)+"]")
	b.Gen("http.chat", "%s", truncLabel(line, 0))
	b.Gen("_ws.expert.severity", "Severity level: Chat")
	b.Gen("_ws.expert.group", "Group: Sequence")
	b.Close()
	parts := bytes.SplitN(first, []byte(" "), 3)
	var host, uri string
	if h.Request && len(parts) >= 2 {
		b.AddKV("http.request.method", 0, len(parts[0]), "Request Method", Esc(parts[0]))
		uri = Esc(parts[1])
		if q := strings.IndexByte(uri, '?'); q >= 0 {
			b.Open("http.request.uri", len(parts[0])+1, len(parts[1]), truncLabel("Request URI: "+uri, len("Request URI")))
			b.AddKV("http.request.uri.path", len(parts[0])+1, q, "Request URI Path", uri[:q])
			query := uri[q+1:]
			b.Open("http.request.uri.query", len(parts[0])+2+q, len(query), truncLabel("Request URI Query: "+query, len("Request URI Query")))
			for _, p := range strings.Split(query, "&") {
				b.AddKV("http.request.uri.query.parameter", -1, 0, "Request URI Query Parameter", p)
			}
			b.Close()
			b.Close()
		} else {
			b.AddKV("http.request.uri", len(parts[0])+1, len(parts[1]), "Request URI", uri)
		}
		if len(parts) == 3 {
			b.AddKV("http.request.version", -1, 0, "Request Version", Esc(parts[2]))
		}
	} else if h.Response && len(parts) >= 2 {
		b.AddKV("http.response.version", 0, len(parts[0]), "Response Version", Esc(parts[0]))
		code, _ := strconv.Atoi(string(parts[1]))
		b.Addf("http.response.code", len(parts[0])+1, 3, "Status Code: %d", code)
		b.Gen("http.response.code.desc", "Status Code Description: %s", mapName(httpStatus, code, "Unknown"))
		if len(parts) == 3 {
			b.AddKV("http.response.phrase", -1, 0, "Response Phrase", Esc(parts[2]))
		}
	}
	b.Close()
	// Headers.
	p := eol + 1
	var ctype string
	clen := int64(-1)
	for p < len(d) {
		e := bytes.IndexByte(d[p:], '\n')
		if e < 0 {
			break
		}
		hl := bytes.TrimSuffix(d[p:p+e], []byte("\r"))
		if len(hl) == 0 {
			b.Add("", p, e+1, `\r\n`)
			p += e + 1
			break
		}
		label := truncLabel(Esc(hl)+`\r\n`, 0)
		name, value, _ := bytes.Cut(hl, []byte(":"))
		value = bytes.TrimSpace(value)
		lname := strings.ToLower(string(name))
		fieldName, known := httpHeaderFields[lname]
		if !known {
			fieldName = "http.response.line"
			if h.Request {
				fieldName = "http.request.line"
			}
		}
		switch lname {
		case "content-length":
			b.Open(fieldName, p, e+1, label)
			if v, err := strconv.ParseInt(string(value), 10, 64); err == nil {
				clen = v
				b.Gen("http.content_length", "Content length: %d", v)
			}
			b.Close()
		case "cookie":
			b.Open(fieldName, p, e+1, label)
			for _, c := range strings.Split(string(value), ";") {
				if c = strings.TrimSpace(c); c != "" {
					b.AddKV("http.cookie_pair", -1, 0, "Cookie pair", Esc([]byte(c)))
				}
			}
			b.Close()
		default:
			b.Add(fieldName, p, e+1, label)
		}
		switch lname {
		case "host":
			host = Esc(value)
		case "content-type":
			ctype = strings.ToLower(strings.TrimSpace(strings.SplitN(string(value), ";", 2)[0]))
		}
		p += e + 1
	}
	c := b.httpConv()
	st := b.Opts.State
	if h.Request {
		full := ""
		if host != "" {
			full = "http://" + host + uri
			if strings.HasPrefix(uri, "http://") || strings.HasPrefix(uri, "https://") {
				full = uri
			}
			b.GenKV("http.request.full_uri", "Full request URI", full)
		}
		c.reqs++
		b.Gen("http.request_number", "HTTP request %d/%d", c.reqs, c.reqs)
		if c.lastReq != 0 {
			b.Gen("http.prev_request_in", "Prev request in frame: %d", c.lastReq)
		}
		c.lastReq = f.Number
		if st != nil {
			st.http.uri[f.Number] = full
		}
	} else if h.Response {
		c.resps++
		b.Gen("http.response_number", "HTTP response %d/%d", c.resps, c.resps)
		if c.lastResp != 0 {
			b.Gen("http.prev_response_in", "Prev response in frame: %d", c.lastResp)
		}
		c.lastResp = f.Number
		a := &f.Analysis
		if a.HTTPReqIn != 0 {
			if a.HTTPTime >= 0 {
				b.Gen("http.time", "Time since request: %s", RelTime(a.HTTPTime))
			}
			b.Gen("http.request_in", "Request in frame: %d", a.HTTPReqIn)
			if st != nil && st.http.uri[a.HTTPReqIn] != "" {
				b.GenKV("http.response_for.uri", "Request URI", st.http.uri[a.HTTPReqIn])
			}
		}
	}
	body := d[min(p, len(d)):]
	if clen >= 0 && int64(len(body)) > clen && !h.Chunked {
		body = body[:clen]
	}
	data := body
	if h.Chunked && len(body) > 0 {
		var ok bool
		if data, ok = b.httpChunks(p, body); ok {
			b.AddSource("De-chunked entity body", data)
		} else {
			data = nil
		}
	}
	if enc := strings.ToLower(headerValue(h, "content-encoding")); (enc == "gzip" || enc == "deflate" || enc == "x-gzip") && len(data) > 0 {
		if out, err := inflate(enc, data); err == nil {
			b.Addf("", -1, 0, "Content-encoded entity body (%s): %d bytes -> %d bytes", enc, len(data), len(out))
			b.AddSource("Uncompressed entity body", out)
			data = out
		}
	}
	if len(data) > 0 {
		b.Addf("http.file_data", -1, 0, "File Data: %s", Plural(len(data), "byte"))
	}
	b.Close()
	if len(data) == 0 {
		return
	}
	switch media := decode.MediaLayer([]byte(ctype), false); {
	case textMedia[ctype]:
		b.lineBasedText(-1, data, ctype)
	case media == "media":
		b.depth = 0
		b.Open("media", -1, 0, "Media Type")
		b.Addf("media.type", -1, 0, "Media type: %s (%s)", ctype, Plural(len(data), "byte"))
		b.Close()
	case media == "urlencoded-form":
		b.urlencodedForm(data, ctype)
	case media == "json":
		b.depth = 0
		b.Add("json", -1, 0, "JavaScript Object Notation: "+ctype)
	case media == "xml":
		b.depth = 0
		b.Add("xml", -1, 0, "eXtensible Markup Language")
	case media == "png":
		b.depth = 0
		b.Add("png", -1, 0, "Portable Network Graphics")
	case media == "image-gif":
		b.depth = 0
		b.Add("image-gif", -1, 0, "Compuserve GIF")
	case media == "image-jfif":
		b.depth = 0
		b.Add("image-jfif", -1, 0, "JPEG File Interchange Format")
	}
}

// httpChunks adds the "HTTP chunked response" subtree and returns the
// de-chunked body (ok false when the chunks are incomplete).
func (b *Builder) httpChunks(off int, body []byte) ([]byte, bool) {
	kind := "response"
	if b.Frame.HTTP.Request {
		kind = "request"
	}
	b.Open("", off, len(body), "HTTP chunked "+kind)
	var out []byte
	p := 0
	ok := false
	for p < len(body) {
		e := bytes.Index(body[p:], []byte("\r\n"))
		if e < 0 {
			break
		}
		sizeText := strings.TrimSpace(strings.SplitN(string(body[p:p+e]), ";", 2)[0])
		n, err := strconv.ParseUint(sizeText, 16, 31)
		if err != nil {
			break
		}
		if n == 0 {
			b.Open("", off+p, e+2, "End of chunked encoding")
			b.Add("http.chunk_size", off+p, e+2, "Chunk size: 0 octets")
			b.Close()
			p += e + 2
			if bytes.HasPrefix(body[p:], []byte("\r\n")) {
				b.Add("", off+p, 2, `\r\n`)
			}
			ok = true
			break
		}
		start := p + e + 2
		end := start + int(n)
		if end+2 > len(body) {
			break
		}
		b.Openf("", off+p, end+2-p, "Data chunk (%d octets)", n)
		b.Addf("http.chunk_size", off+p, e+2, "Chunk size: %d octets", n)
		b.Add("http.chunk_data", off+start, int(n), "Chunk data: "+BytesLabel(body[start:end]))
		b.Add("http.chunk_boundary", off+end, 2, "Chunk boundary: "+HexBytes(body[end:end+2]))
		b.Close()
		out = append(out, body[start:end]...)
		p = end + 2
	}
	b.Close()
	return out, ok
}

// inflate decompresses a gzip or deflate body (at most 64 MiB out).
func inflate(enc string, data []byte) ([]byte, error) {
	var r io.Reader
	if enc == "deflate" {
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			r = flate.NewReader(bytes.NewReader(data))
		} else {
			r = zr
		}
	} else {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		r = zr
	}
	return io.ReadAll(io.LimitReader(r, 64<<20))
}

func headerValue(h *decode.HTTP, name string) string {
	for _, kv := range h.Headers {
		if strings.EqualFold(string(kv[0]), name) {
			return strings.TrimSpace(string(kv[1]))
		}
	}
	return ""
}

func hasHeader(h *decode.HTTP, name string) bool {
	for _, kv := range h.Headers {
		if strings.EqualFold(string(kv[0]), name) {
			return true
		}
	}
	return false
}

// textMedia are the media types tshark shows as "Line-based text data".
var textMedia = map[string]bool{"text/html": true, "text/plain": true, "text/css": true, "text/javascript": true,
	"application/javascript": true, "application/x-javascript": true, "text/xml": false, "application/x-www-form-urlencoded": false}

// lineBasedText adds Wireshark's data-text-lines protocol: one node per line.
func (b *Builder) lineBasedText(off int, body []byte, ctype string) {
	lines := 0
	for rest := body; len(rest) > 0; lines++ {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			lines++
			break
		}
		rest = rest[i+1:]
	}
	b.depth = 0
	b.Openf("data-text-lines", off, len(body), "Line-based text data: %s (%d lines)", ctype, lines)
	for p := 0; p < len(body); {
		i := bytes.IndexByte(body[p:], '\n')
		end := len(body)
		if i >= 0 {
			end = p + i + 1
		}
		o := off
		if off >= 0 {
			o = off + p
		}
		b.Add("", o, end-p, truncLabel(Esc(body[p:end]), 0))
		p = end
	}
	b.Close()
	b.addProtocol("data-text-lines")
}

// addProtocol appends a protocol the tree shows but the decoder does not
// know to the frame's "[Protocols in frame: ...]" line.
func (b *Builder) addProtocol(p string) {
	for i := range b.t.Nodes {
		n := &b.t.Nodes[i]
		if n.Field == "frame.protocols" && strings.HasSuffix(n.Label, "]") && !strings.Contains(n.Label, ":"+p) {
			n.Label = n.Label[:len(n.Label)-1] + ":" + p + "]"
			return
		}
	}
}
