package decode

import "bytes"

// httpMaxHeaders bounds the headers kept per message; more are parsed for the
// fields of interest but not stored in HTTP.Headers.
const httpMaxHeaders = 128

// httpMethods are the request methods Wireshark's HTTP dissector recognises
// at the start of a TCP payload (RFC 7231, WebDAV, and common extensions).
var httpMethods = [...]string{
	"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH",
	"PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH",
	"REPORT", "CHECKOUT", "CHECKIN", "UNCHECKOUT", "MKACTIVITY", "MERGE", "LABEL",
	"UPDATE", "VERSION-CONTROL", "BASELINE-CONTROL", "MKWORKSPACE", "MKCALENDAR",
	"ACL", "BIND", "UNBIND", "REBIND", "ORDERPATCH", "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE",
	"M-SEARCH", "POLL", "BCOPY", "BDELETE", "BMOVE", "BPROPFIND", "BPROPPATCH",
}

// decodeHTTP dissects an HTTP/1.x request or response head from b. It
// succeeds only when b starts with a request or status line and holds the
// whole head (up to the blank line); a head split over segments is left to
// package flow, which reassembles it and calls DecodeStream.
func (d *Decoder) decodeHTTP(f *Frame, b []byte) bool {
	// tshark dissects what a frame cut by the snapshot length holds.
	snapped := len(b) > 0 && f.CapLen < f.Len && len(f.Data) > 0 && &b[len(b)-1] == &f.Data[len(f.Data)-1]
	if !parseHTTPHead(&f.HTTP, b, snapped || d.httpOversized) {
		return false
	}
	if d.httpOversized {
		// The start of a head longer than the AppStream keeps: whole in the
		// capture, so not "limited during capture", but marked.
		f.HTTP.Truncated, f.HTTP.Oversized = false, true
	}
	f.Present.Add(ProtoHTTP)
	f.addAppLayer(ProtoHTTP, b)
	if wsUpgrade(&f.HTTP) {
		d.ws.mark(f)
	}
	return true
}

// HTTPStart reports whether b begins with an HTTP/1.x request or status line
// (possibly incomplete: only the first token is checked). Package flow uses
// it to decide whether to reassemble a head that does not fit one segment.
func HTTPStart(b []byte) bool {
	if bytes.HasPrefix(b, []byte("HTTP/1.")) {
		return true
	}
	// The longest method is 16 bytes: look no further for its space.
	sp := bytes.IndexByte(b[:min(len(b), 20)], ' ')
	if sp <= 0 {
		return false
	}
	return isHTTPMethod(b[:sp])
}

// HTTPHeadLen returns the length of the HTTP head at the start of b
// (including the blank line), or 0 when b does not yet hold a whole head.
func HTTPHeadLen(b []byte) int {
	n := 0
	for {
		i := bytes.IndexByte(b[n:], '\n')
		if i < 0 {
			return 0
		}
		line := b[n : n+i]
		n += i + 1
		if len(line) == 0 || (len(line) == 1 && line[0] == '\r') {
			if n <= 2 { // empty start line
				return 0
			}
			return n
		}
	}
}

func isHTTPMethod(m []byte) bool {
	for _, s := range httpMethods {
		if string(m) == s {
			return true
		}
	}
	return false
}

// parseHTTP fills h from the head at the start of b; it reports false when b
// does not start with a complete HTTP/1.x head.
func parseHTTP(h *HTTP, b []byte) bool { return parseHTTPHead(h, b, false) }

// parseHTTPHead is parseHTTP; with truncated set it also accepts a head cut
// short by the snapshot length, as long as its start line is whole.
func parseHTTPHead(h *HTTP, b []byte, truncated bool) bool {
	if !HTTPStart(b) {
		return false
	}
	headLen := HTTPHeadLen(b)
	cut := false
	if headLen == 0 {
		if !truncated || bytes.IndexByte(b, '\n') < 0 {
			return false
		}
		headLen, cut = len(b), true
	}
	hdrs := h.Headers[:0]
	*h = HTTP{ContentLength: -1, HeadLen: headLen, BodyLen: len(b) - headLen, Truncated: cut}
	nl := bytes.IndexByte(b, '\n')
	line := trimCR(b[:nl])
	h.Line = line
	if bytes.HasPrefix(line, []byte("HTTP/")) {
		// Status line: HTTP-version SP status-code SP reason-phrase.
		sp := bytes.IndexByte(line, ' ')
		if sp < 0 {
			return false
		}
		h.Version = line[:sp]
		rest := line[sp+1:]
		if len(rest) < 3 || !isDigit(rest[0]) || !isDigit(rest[1]) || !isDigit(rest[2]) ||
			(len(rest) > 3 && rest[3] != ' ') {
			return false
		}
		h.StatusCode = uint16(rest[0]-'0')*100 + uint16(rest[1]-'0')*10 + uint16(rest[2]-'0')
		if len(rest) > 4 {
			h.Phrase = rest[4:]
		}
		h.Response = true
	} else {
		// Request line: method SP request-target SP HTTP-version.
		sp := bytes.IndexByte(line, ' ')
		h.Method = line[:sp]
		rest := line[sp+1:]
		sp2 := bytes.LastIndexByte(rest, ' ')
		if sp2 < 0 || !bytes.HasPrefix(rest[sp2+1:], []byte("HTTP/")) {
			return false
		}
		h.URI = rest[:sp2]
		h.Version = rest[sp2+1:]
		h.Request = true
	}
	// Header fields, one per line (obsolete line folding is kept as its own line).
	for off := nl + 1; off < headLen; {
		i := bytes.IndexByte(b[off:headLen], '\n')
		if i < 0 {
			break
		}
		raw := b[off : off+i+1]
		off += i + 1
		line := trimCR(raw[:len(raw)-1])
		if len(line) == 0 {
			break
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			continue
		}
		name := line[:colon]
		val := bytes.TrimSpace(line[colon+1:])
		if len(hdrs) < httpMaxHeaders {
			hdrs = append(hdrs, [2][]byte{name, val})
		}
		h.header(name, val)
	}
	h.Headers = hdrs
	return true
}

// header records the value of a header of interest.
func (h *HTTP) header(name, val []byte) {
	switch len(name) {
	case 4:
		if bytes.EqualFold(name, []byte("Host")) {
			h.Host = val
		}
	case 6:
		if bytes.EqualFold(name, []byte("Server")) {
			h.Server = val
		}
	case 7:
		if bytes.EqualFold(name, []byte("Referer")) {
			h.Referer = val
		}
	case 8:
		if bytes.EqualFold(name, []byte("Location")) {
			h.Location = val
		}
	case 10:
		if bytes.EqualFold(name, []byte("User-Agent")) {
			h.UserAgent = val
		} else if bytes.EqualFold(name, []byte("Connection")) {
			h.Connection = val
		}
	case 12:
		if bytes.EqualFold(name, []byte("Content-Type")) {
			h.ContentType = val
		}
	case 14:
		if bytes.EqualFold(name, []byte("Content-Length")) {
			h.CLHeader = val
			h.ContentLength = parseContentLength(val)
		}
	case 17:
		if bytes.EqualFold(name, []byte("Transfer-Encoding")) {
			h.TransferEnc = val
			h.Chunked = containsFold(val, []byte("chunked"))
		}
	}
}

// parseContentLength parses a decimal Content-Length; -1 when invalid.
func parseContentLength(v []byte) int64 {
	if len(v) == 0 || len(v) > 18 {
		return -1
	}
	var n int64
	for _, c := range v {
		if !isDigit(c) {
			return -1
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

func containsFold(s, sub []byte) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if bytes.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

func trimCR(b []byte) []byte {
	if len(b) > 0 && b[len(b)-1] == '\r' {
		return b[:len(b)-1]
	}
	return b
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// HeaderLine returns header i's whole line including its line ending, as
// tshark's http.request.line and http.response.line present it.
func (h *HTTP) HeaderLine(i int) []byte {
	if i < 0 || i >= len(h.Headers) {
		return nil
	}
	name := h.Headers[i][0]
	full := name[:cap(name)]
	e := len(name)
	for e < len(full) && full[e] != '\n' {
		e++
	}
	if e < len(full) {
		e++
	}
	return full[:e]
}

// httpMessageLen is HTTPMessageLen parsing into h (reused to avoid allocating).
func httpMessageLen(h *HTTP, b []byte, noBody bool) (n int, need bool) {
	if !parseHTTP(h, b) {
		return 0, true
	}
	if h.Response && (h.StatusCode/100 == 1 || h.StatusCode == 204 || h.StatusCode == 304) {
		noBody = true
	}
	switch {
	case noBody:
		return h.HeadLen, true
	case h.Chunked:
		body := chunkedLen(b[h.HeadLen:])
		if body == 0 {
			return 0, true
		}
		return h.HeadLen + body, true
	case h.ContentLength >= 0:
		return h.HeadLen + int(h.ContentLength), true
	case h.Request:
		return h.HeadLen, true
	}
	return 0, false
}

// chunkedLen returns the length of the chunked body at the start of b
// (through the last chunk and its trailer), or 0 when b ends before it does.
// A chunk size that is not a number ends the body at the end of b (see
// chunkParser).
func chunkedLen(b []byte) int {
	var c chunkParser
	if n := c.feed(b); n > 0 {
		return n
	}
	return 0
}

// Notification reports a GENA request (NOTIFY, SUBSCRIBE, UNSUBSCRIBE),
// which Wireshark's HTTP dissector calls a notification: not an
// http.request, and no response is matched to it.
func (h *HTTP) Notification() bool {
	if !h.Request {
		return false
	}
	switch string(h.Method) {
	case "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE":
		return true
	}
	return false
}
