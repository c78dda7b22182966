package decode

import (
	"encoding/binary"
	"strconv"

	"golang.org/x/net/http2/hpack"
)

// HTTP/2 (RFC 9113) from decrypted TLS application data: frames rebuilt
// across records, HPACK header blocks decoded with golang.org/x/net's hpack
// (per direction, dynamic table included), streams matched for http2.time.
// Names follow Wireshark's http2 dissector.

const h2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

// HTTP/2 frame types.
const (
	H2Data         uint8 = 0
	H2Headers      uint8 = 1
	H2Priority     uint8 = 2
	H2RstStream    uint8 = 3
	H2Settings     uint8 = 4
	H2PushPromise  uint8 = 5
	H2Ping         uint8 = 6
	H2GoAway       uint8 = 7
	H2WindowUpdate uint8 = 8
	H2Continuation uint8 = 9
)

const (
	h2MaxFrames  = 64      // frames kept per packet
	h2MaxHeaders = 256     // header fields kept per packet
	h2MaxStreams = 1024    // open streams remembered per connection
	h2MaxString  = 1 << 16 // longest HPACK string accepted
)

// HTTP2 is what a packet's decrypted bytes carried of HTTP/2: the connection
// preface and the frames completed in it, with their decoded header fields.
type HTTP2 struct {
	Magic bool
	// ViaHTTP: h2c on an HTTP port, which Wireshark dissects through its
	// HTTP dissector ("http:http2" in frame.protocols, and "http" matches).
	ViaHTTP bool
	Frames  []H2Frame  // reused
	Headers []H2Header // header fields of all HEADERS/PUSH_PROMISE/CONTINUATION frames, in order; reused
	// DoHFrame is 1 + the index in Frames of the DATA frame that ended a
	// body of type application/dns-message, dissected as DNS (f.DNS); 0 none.
	DoHFrame int
	text     []byte // owner of header names and values
}

// H2Frame is one HTTP/2 frame.
type H2Frame struct {
	Length   uint32
	Type     uint8
	Flags    uint8
	StreamID uint32
	// Headers[HdrFirst:HdrEnd] are the fields decoded from this frame's
	// header block (the whole block on the frame that ends it).
	HdrFirst, HdrEnd int
	// SizeUpdates counts the dynamic table size updates at the start of
	// the header block (Wireshark counts each as a header).
	SizeUpdates int
	Increment   uint32 // WINDOW_UPDATE window_size_increment
	ErrorCode   uint32 // RST_STREAM / GOAWAY error code
	LastStream  uint32 // GOAWAY last_stream_id
	Promised    uint32 // PUSH_PROMISE promised_stream_id
	Settings    [8][2]uint32
	NSettings   int
	DataLen     int // DATA: data bytes without padding
	// Media is set on the DATA frame that ends a response body: the
	// response's Content-Type (aliasing Headers' text).
	Media []byte
	// Response HEADERS: the request's HEADERS frame and the time since
	// (http2.request_in, http2.time); 0 and -1 when unknown.
	RequestIn uint64
	Time      int64
	// FullURI is scheme://authority/path of a request (http2.request.full_uri).
	FullURI []byte
	// ReqMethod and ReqPath: on a response HEADERS frame, the :method and
	// :path of the request it answers (aliasing HTTP2's text); nil unknown.
	ReqMethod, ReqPath []byte
}

// H2Header is one decoded header field; Name and Value alias HTTP2's text.
type H2Header struct {
	Name, Value []byte
}

func (h *HTTP2) reset() {
	h.Magic, h.ViaHTTP = false, false
	h.DoHFrame = 0
	h.Frames = h.Frames[:0]
	h.Headers = h.Headers[:0]
	h.text = h.text[:0]
}

// FrameHeaders returns the header fields decoded from frame i.
func (h *HTTP2) FrameHeaders(i int) []H2Header {
	fr := &h.Frames[i]
	if fr.HdrFirst < 0 || fr.HdrEnd > len(h.Headers) || fr.HdrFirst > fr.HdrEnd {
		return nil
	}
	return h.Headers[fr.HdrFirst:fr.HdrEnd]
}

// Header returns the value of the first header field named name in frame i.
func (h *HTTP2) Header(i int, name string) ([]byte, bool) {
	return headerIn(h.FrameHeaders(i), name)
}

func headerIn(hs []H2Header, name string) ([]byte, bool) {
	for _, hf := range hs {
		if string(hf.Name) == name {
			return hf.Value, true
		}
	}
	return nil, false
}

// h2Conn is the HTTP/2 state of a connection.
type h2Conn struct {
	dec     [2]*hpack.Decoder // by sending direction
	cur     *Frame            // frame the decoders emit into
	streams map[uint32]*h2Stream
	free    []*h2Stream
	// a header block continued by CONTINUATION frames, per direction
	contStream [2]uint32
	cont       [2]bool
	contFirst  [2]int
}

type h2Stream struct {
	reqFrame     uint64
	reqTS        int64
	media        []byte // response Content-Type
	body         int
	reqDoH       bool      // the request's Content-Type is application/dns-message
	doh          [2][]byte // DNS message bodies being reassembled, by direction (client 0)
	method, path []byte    // the request's, for naming what a response answers
}

func (c *h2Conn) emit(hf hpack.HeaderField) {
	f := c.cur
	if f == nil || len(f.HTTP2.Headers) >= h2MaxHeaders {
		return
	}
	h := &f.HTTP2
	n := len(h.text)
	h.text = append(h.text, hf.Name...)
	h.text = append(h.text, hf.Value...)
	name := h.text[n : n+len(hf.Name) : n+len(hf.Name)]
	val := h.text[n+len(hf.Name) : len(h.text) : len(h.text)]
	h.Headers = append(h.Headers, H2Header{Name: name, Value: val})
}

// h2Data decodes the HTTP/2 frames complete at the start of b (sent in
// direction dir) into f and returns how many bytes they used.
func (d *Decoder) h2Data(s *TLSDecrypt, dir int, f *Frame, b []byte) int {
	c := s.h2
	if c == nil {
		c = &h2Conn{streams: map[uint32]*h2Stream{}}
		for i := range c.dec {
			c.dec[i] = hpack.NewDecoder(4096, c.emit)
			c.dec[i].SetMaxStringLength(h2MaxString)
		}
		s.h2 = c
	}
	c.cur = f
	defer func() { c.cur = nil }()
	used := 0
	fromClient := dir == s.dirOf(true)
	if fromClient && len(b) >= len(h2Preface) && string(b[:len(h2Preface)]) == h2Preface {
		d.h2Mark(f)
		f.HTTP2.Magic = true
		used = len(h2Preface)
	}
	for len(b)-used >= 9 {
		m := b[used:]
		n := int(m[0])<<16 | int(m[1])<<8 | int(m[2])
		if 9+n > len(m) {
			break
		}
		d.h2Mark(f)
		h := &f.HTTP2
		fr := H2Frame{Length: uint32(n), Type: m[3], Flags: m[4], StreamID: binary.BigEndian.Uint32(m[5:]) & 0x7fffffff, Time: -1}
		fr.HdrFirst, fr.HdrEnd = len(h.Headers), len(h.Headers)
		c.frame(s, dir&1, f, &fr, m[9:9+n], fromClient)
		if len(h.Frames) < h2MaxFrames {
			h.Frames = append(h.Frames, fr)
		}
		used += 9 + n
	}
	return used
}

// h2Mark makes f an HTTP/2 frame (once).
func (d *Decoder) h2Mark(f *Frame) {
	if f.Has(ProtoHTTP2) {
		return
	}
	f.HTTP2.reset()
	f.Present.Add(ProtoHTTP2)
	f.Layers = append(f.Layers, Layer{Proto: ProtoHTTP2, Off: len(f.Decrypted), Dec: true})
}

// frame fills fr from payload p and updates the connection.
func (c *h2Conn) frame(s *TLSDecrypt, dir int, f *Frame, fr *H2Frame, p []byte, fromClient bool) {
	h := &f.HTTP2
	switch fr.Type {
	case H2Data, H2Headers, H2PushPromise:
		if fr.Flags&0x8 != 0 && len(p) > 0 { // PADDED
			pad := int(p[0])
			p = p[1:]
			if pad > len(p) {
				return
			}
			p = p[:len(p)-pad]
		}
	}
	switch fr.Type {
	case H2Data:
		fr.DataLen = len(p)
		if st := c.streams[fr.StreamID]; st != nil {
			c.dohData(f, st, fr, p, fromClient)
		}
		if st := c.streams[fr.StreamID]; st != nil && !fromClient {
			st.body += len(p)
			if fr.Flags&0x1 != 0 && st.body > 0 && st.media != nil {
				fr.Media = c.media(f, st.media)
			}
		}
		if fr.Flags&0x1 != 0 && !fromClient {
			c.done(fr.StreamID)
		}
	case H2Headers, H2PushPromise, H2Continuation:
		if fr.Type == H2Headers && fr.Flags&0x20 != 0 { // PRIORITY
			if len(p) < 5 {
				return
			}
			p = p[5:]
		}
		if fr.Type == H2PushPromise {
			if len(p) < 4 {
				return
			}
			fr.Promised = binary.BigEndian.Uint32(p) & 0x7fffffff
			p = p[4:]
		}
		if fr.Type != H2Continuation {
			c.cont[dir], c.contStream[dir], c.contFirst[dir] = true, fr.StreamID, len(h.Headers)
		} else if !c.cont[dir] {
			return
		}
		first := len(h.Headers)
		if fr.Type != H2Continuation {
			fr.SizeUpdates = hpackSizeUpdates(p)
		}
		if _, err := c.dec[dir].Write(p); err != nil {
			c.cont[dir] = false
			return
		}
		if fr.Flags&0x4 == 0 { // no END_HEADERS: CONTINUATION follows
			fr.HdrFirst, fr.HdrEnd = first, len(h.Headers)
			return
		}
		c.dec[dir].Close()
		c.cont[dir] = false
		fr.HdrFirst, fr.HdrEnd = first, len(h.Headers)
		if c.contFirst[dir] <= first {
			fr.HdrFirst = c.contFirst[dir]
		}
		if fr.HdrFirst > len(h.Headers) {
			fr.HdrFirst = first
		}
		if fr.Type == H2PushPromise {
			return
		}
		c.headers(f, fr, fromClient)
	case H2RstStream:
		if len(p) >= 4 {
			fr.ErrorCode = binary.BigEndian.Uint32(p)
		}
		c.done(fr.StreamID)
	case H2Settings:
		for ; len(p) >= 6 && fr.NSettings < len(fr.Settings); p = p[6:] {
			id, v := uint32(binary.BigEndian.Uint16(p)), binary.BigEndian.Uint32(p[2:])
			fr.Settings[fr.NSettings] = [2]uint32{id, v}
			fr.NSettings++
			if id == 1 { // SETTINGS_HEADER_TABLE_SIZE: what the peer's encoder may use
				c.dec[dir^1].SetAllowedMaxDynamicTableSize(min(v, 1<<20))
			}
		}
	case H2GoAway:
		if len(p) >= 8 {
			fr.LastStream = binary.BigEndian.Uint32(p) & 0x7fffffff
			fr.ErrorCode = binary.BigEndian.Uint32(p[4:])
		}
	case H2WindowUpdate:
		if len(p) >= 4 {
			fr.Increment = binary.BigEndian.Uint32(p) & 0x7fffffff
		}
	}
}

// hpackSizeUpdates counts the dynamic table size updates (001xxxxx, an
// integer with a 5-bit prefix) that begin header block b (RFC 7541 4.2).
func hpackSizeUpdates(b []byte) int {
	n := 0
	for len(b) > 0 && b[0]&0xe0 == 0x20 {
		n++
		i := 1
		if b[0]&0x1f == 0x1f {
			for i < len(b) && b[i]&0x80 != 0 {
				i++
			}
			i++
		}
		if i > len(b) {
			break
		}
		b = b[i:]
	}
	return n
}

// media copies a stream's Content-Type into f's text.
func (c *h2Conn) media(f *Frame, m []byte) []byte {
	h := &f.HTTP2
	n := len(h.text)
	h.text = append(h.text, m...)
	return h.text[n:len(h.text):len(h.text)]
}

// headers matches a complete header block with its stream.
func (c *h2Conn) headers(f *Frame, fr *H2Frame, fromClient bool) {
	h := &f.HTTP2
	hs := h.Headers[fr.HdrFirst:fr.HdrEnd]
	if fromClient {
		if len(c.streams) >= h2MaxStreams {
			for k, st := range c.streams {
				delete(c.streams, k)
				c.free = append(c.free, st)
			}
		}
		st := c.streams[fr.StreamID]
		if st == nil {
			if n := len(c.free); n > 0 {
				st = c.free[n-1]
				c.free = c.free[:n-1]
			} else {
				st = new(h2Stream)
			}
			c.streams[fr.StreamID] = st
		}
		*st = h2Stream{reqFrame: f.Number, reqTS: f.TS, media: st.media[:0], method: st.method[:0], path: st.path[:0], doh: [2][]byte{st.doh[0][:0], st.doh[1][:0]}}
		if ct, ok := headerIn(hs, "content-type"); ok && isDNSMessage(ct) {
			st.reqDoH = true
		}
		if m, ok := headerIn(hs, ":method"); ok {
			st.method = append(st.method, m...)
		}
		if p, ok := headerIn(hs, ":path"); ok {
			st.path = append(st.path, p...)
		}
		path, ok := headerIn(hs, ":path")
		scheme, ok2 := headerIn(hs, ":scheme")
		auth, ok3 := headerIn(hs, ":authority")
		if ok && ok2 && ok3 {
			n := len(h.text)
			h.text = append(append(append(append(h.text, scheme...), "://"...), auth...), path...)
			fr.FullURI = h.text[n:len(h.text):len(h.text)]
		}
		return
	}
	st := c.streams[fr.StreamID]
	if st == nil {
		// a response without a request seen (the h2c upgrade's stream 1,
		// or a capture that starts mid-connection): track its body only
		if len(c.streams) >= h2MaxStreams {
			return
		}
		if n := len(c.free); n > 0 {
			st = c.free[n-1]
			c.free = c.free[:n-1]
		} else {
			st = new(h2Stream)
		}
		*st = h2Stream{media: st.media[:0], method: st.method[:0], path: st.path[:0], doh: [2][]byte{st.doh[0][:0], st.doh[1][:0]}}
		c.streams[fr.StreamID] = st
	}
	status := false
	for _, hf := range hs {
		switch string(hf.Name) {
		case ":status":
			status = true
		case "content-type":
			st.media = append(st.media[:0], hf.Value...)
		}
	}
	if status && len(st.method) > 0 {
		n := len(h.text)
		h.text = append(append(h.text, st.method...), st.path...)
		fr.ReqMethod = h.text[n : n+len(st.method) : n+len(st.method)]
		fr.ReqPath = h.text[n+len(st.method) : len(h.text) : len(h.text)]
	}
	if status && st.reqFrame != 0 {
		fr.RequestIn = st.reqFrame
		fr.Time = f.TS - st.reqTS
		st.reqFrame = 0 // an interim (1xx) response and the final one: the first gets the time
	}
	if fr.Flags&0x1 != 0 {
		c.done(fr.StreamID)
	}
}

func (c *h2Conn) done(id uint32) {
	if st := c.streams[id]; st != nil {
		delete(c.streams, id)
		c.free = append(c.free, st)
	}
}

// h2TypeName returns Wireshark's name of an HTTP/2 frame type.
func h2TypeName(t uint8) string {
	switch t {
	case H2Data:
		return "DATA"
	case H2Headers:
		return "HEADERS"
	case H2Priority:
		return "PRIORITY"
	case H2RstStream:
		return "RST_STREAM"
	case H2Settings:
		return "SETTINGS"
	case H2PushPromise:
		return "PUSH_PROMISE"
	case H2Ping:
		return "PING"
	case H2GoAway:
		return "GOAWAY"
	case H2WindowUpdate:
		return "WINDOW_UPDATE"
	case H2Continuation:
		return "CONTINUATION"
	case 10:
		return "ALTSVC"
	case 12:
		return "ORIGIN"
	case 16:
		return "PRIORITY_UPDATE"
	}
	return ""
}

// appendHTTP2Info writes tshark's Info for HTTP/2, for example
// "Magic, SETTINGS[0], WINDOW_UPDATE[0]" or "HEADERS[1]: GET /".
func appendHTTP2Info(dst []byte, h *HTTP2) []byte {
	sep := false
	if h.Magic {
		dst = append(dst, "Magic"...)
		sep = true
	}
	for i := range h.Frames {
		if sep {
			dst = append(dst, ", "...)
		}
		sep = true
		dst = appendH2FrameInfo(dst, h, i)
	}
	return dst
}

// appendH2FrameInfo appends the Info of frame i of h ("HEADERS[1]: 200 OK").
func appendH2FrameInfo(dst []byte, h *HTTP2, i int) []byte {
	fr := &h.Frames[i]
	if s := h2TypeName(fr.Type); s != "" {
		dst = append(dst, s...)
	} else {
		dst = append(dst, "Unknown type ("...)
		dst = strconv.AppendUint(dst, uint64(fr.Type), 10)
		dst = append(dst, ')')
	}
	dst = append(dst, '[')
	dst = strconv.AppendUint(dst, uint64(fr.StreamID), 10)
	dst = append(dst, ']')
	switch fr.Type {
	case H2Headers, H2PushPromise:
		// the fields decoded so far, even when CONTINUATION frames
		// finish the block
		if st, ok := h.Header(i, ":status"); ok {
			dst = append(dst, ": "...)
			dst = append(dst, st...)
			if code, err := strconv.Atoi(string(st)); err == nil {
				if txt := HTTPStatusText(code); txt != "" {
					dst = append(dst, ' ')
					dst = append(dst, txt...)
				}
			}
		} else if m, ok := h.Header(i, ":method"); ok {
			dst = append(dst, ": "...)
			dst = append(dst, m...)
			if p, ok := h.Header(i, ":path"); ok {
				dst = append(dst, ' ')
				dst = append(dst, p...)
			}
		}
	case H2Data:
		if fr.Media != nil {
			dst = appendMediaInfo(dst, fr.Media)
		}
	}
	return dst
}

// appendMediaInfo appends what the media dissector Wireshark hands an HTTP/2
// body to adds to the Info column.
func appendMediaInfo(dst, ct []byte) []byte {
	mt := mediaTypeBytes(ct)
	switch mediaType(ct) {
	case "image/png":
		return append(dst, " (PNG)"...)
	case "image/gif":
		return append(dst, " (GIF89a)"...)
	case "image/jpeg":
		return append(dst, " (JPEG JFIF image)"...)
	case "application/json":
		return append(dst, ", JavaScript Object Notation (application/json)"...)
	}
	if len(mt) > 5 && string(appendLower(nil, mt[:5])) == "text/" {
		dst = append(dst, " ("...)
		dst = appendLower(dst, mt)
		return append(dst, ')')
	}
	return dst
}

// HTTPStatusText returns Wireshark's reason phrase for an HTTP status code ("" unknown).
func HTTPStatusText(code int) string {
	switch code {
	case 100:
		return "Continue"
	case 101:
		return "Switching Protocols"
	case 102:
		return "Processing"
	case 103:
		return "Early Hints"
	case 200:
		return "OK"
	case 201:
		return "Created"
	case 202:
		return "Accepted"
	case 203:
		return "Non-authoritative Information"
	case 204:
		return "No Content"
	case 205:
		return "Reset Content"
	case 206:
		return "Partial Content"
	case 207:
		return "Multi-Status"
	case 208:
		return "Already Reported"
	case 226:
		return "IM Used"
	case 300:
		return "Multiple Choices"
	case 301:
		return "Moved Permanently"
	case 302:
		return "Found"
	case 303:
		return "See Other"
	case 304:
		return "Not Modified"
	case 305:
		return "Use Proxy"
	case 307:
		return "Temporary Redirect"
	case 308:
		return "Permanent Redirect"
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 402:
		return "Payment Required"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 405:
		return "Method Not Allowed"
	case 406:
		return "Not Acceptable"
	case 407:
		return "Proxy Authentication Required"
	case 408:
		return "Request Time-out"
	case 409:
		return "Conflict"
	case 410:
		return "Gone"
	case 411:
		return "Length Required"
	case 412:
		return "Precondition Failed"
	case 413:
		return "Request Entity Too Large"
	case 414:
		return "Request-URI Too Long"
	case 415:
		return "Unsupported Media Type"
	case 416:
		return "Requested Range Not Satisfiable"
	case 417:
		return "Expectation Failed"
	case 418:
		return "I'm a teapot"
	case 421:
		return "Misdirected Request"
	case 422:
		return "Unprocessable Entity"
	case 423:
		return "Locked"
	case 424:
		return "Failed Dependency"
	case 425:
		return "Too Early"
	case 426:
		return "Upgrade Required"
	case 428:
		return "Precondition Required"
	case 429:
		return "Too Many Requests"
	case 431:
		return "Request Header Fields Too Large"
	case 451:
		return "Unavailable For Legal Reasons"
	case 500:
		return "Internal Server Error"
	case 501:
		return "Not Implemented"
	case 502:
		return "Bad Gateway"
	case 503:
		return "Service Unavailable"
	case 504:
		return "Gateway Time-out"
	case 505:
		return "HTTP Version not supported"
	case 506:
		return "Variant Also Negotiates"
	case 507:
		return "Insufficient Storage"
	case 508:
		return "Loop Detected"
	case 510:
		return "Not Extended"
	case 511:
		return "Network Authentication Required"
	}
	return ""
}

// HTTPRequest returns the method, URI and host of the request this frame
// carries: the HTTP/1.x request head, else the first HTTP/2 request HEADERS
// frame (:method, :path, :authority). For analyses that time requests
// whatever the HTTP version.
func (f *Frame) HTTPRequest() (method, uri, host []byte, ok bool) {
	if f.Has(ProtoHTTP) && f.HTTP.Request {
		return f.HTTP.Method, f.HTTP.URI, f.HTTP.Host, true
	}
	if !f.Has(ProtoHTTP2) {
		return nil, nil, nil, false
	}
	h := &f.HTTP2
	for i := range h.Frames {
		if h.Frames[i].Type != H2Headers {
			continue
		}
		if m, ok := h.Header(i, ":method"); ok {
			p, _ := h.Header(i, ":path")
			a, _ := h.Header(i, ":authority")
			return m, p, a, true
		}
	}
	return nil, nil, nil, false
}

// HTTPAnswered returns the method and URI of the request that the first
// HTTP/2 response in this frame answers (its stream's request HEADERS), for
// naming a wait by what the server was asked when streams are multiplexed.
func (f *Frame) HTTPAnswered() (method, uri []byte, ok bool) {
	if !f.Has(ProtoHTTP2) {
		return nil, nil, false
	}
	for i := range f.HTTP2.Frames {
		if fr := &f.HTTP2.Frames[i]; fr.Type == H2Headers && fr.ReqMethod != nil {
			return fr.ReqMethod, fr.ReqPath, true
		}
	}
	return nil, nil, false
}

// AppendHTTPStatuses appends the status code of each HTTP response this
// frame carries (HTTP/1.x, or the :status of HTTP/2 HEADERS frames) to dst.
func (f *Frame) AppendHTTPStatuses(dst []int) []int {
	if f.Has(ProtoHTTP) && f.HTTP.Response {
		dst = append(dst, int(f.HTTP.StatusCode))
	}
	if !f.Has(ProtoHTTP2) {
		return dst
	}
	h := &f.HTTP2
	for i := range h.Frames {
		if h.Frames[i].Type != H2Headers {
			continue
		}
		if s, ok := h.Header(i, ":status"); ok {
			code := 0
			for _, c := range s {
				if c < '0' || c > '9' || code > 999 {
					code = -1
					break
				}
				code = code*10 + int(c-'0')
			}
			if code >= 0 {
				dst = append(dst, code)
			}
		}
	}
	return dst
}

// MediaLayer returns the protocol Wireshark hands an HTTP body of media type
// ct to, as frame.protocols names it after "http" (h2 false) or "http2":
// "data-text-lines" for text, "json", "xml", images, "data" for
// octet-stream, and for HTTP/1.x "media" for the rest (HTTP/2 shows nothing
// for types no dissector registers); "" for none.
func MediaLayer(ct []byte, h2 bool) string {
	mt := mediaTypeBytes(ct)
	var low [64]byte
	if len(mt) == 0 || len(mt) > len(low) {
		return ""
	}
	m := string(appendLower(low[:0], mt))
	switch m {
	case "text/html", "text/plain", "text/css":
		return "data-text-lines"
	case "application/json":
		return "json"
	case "text/xml", "application/xml":
		return "xml"
	case "image/png":
		return "png"
	case "image/gif":
		return "image-gif"
	case "image/jpeg":
		return "image-jfif"
	case "application/octet-stream":
		return "data"
	case "application/x-www-form-urlencoded":
		return "urlencoded-form"
	}
	if h2 {
		return ""
	}
	return "media"
}

// mediaLayer is the media protocol after the frame's HTTP or HTTP/2 layer, "" none.
func (f *Frame) mediaLayer() string {
	switch {
	case f.Has(ProtoHTTP2):
		for i := range f.HTTP2.Frames {
			if m := f.HTTP2.Frames[i].Media; m != nil {
				return MediaLayer(m, true)
			}
		}
	case f.Has(ProtoHTTP):
		h := &f.HTTP
		if h.BodyLen > 0 && !h.Truncated && len(h.ContentType) > 0 && !emptyGzip(h) {
			return MediaLayer(h.ContentType, false)
		}
	}
	return ""
}
