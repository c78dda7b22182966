package decode

import (
	"strings"
	"testing"
)

func decodeHTTPBytes(f *Frame, b []byte) bool {
	f.reset()
	f.Data = b
	return NewDecoder(Options{}).decodeHTTP(f, b)
}

func TestHTTPSeeds(t *testing.T) {
	seeds := seedFiles(t, "FuzzHTTP")
	var f Frame
	tests := []struct {
		seed, info, method, uri, host string
		code                          uint16
		clen                          int64
		chunked                       bool
	}{
		{seed: "get", info: "GET /index.html?q=1 HTTP/1.1 ", method: "GET", uri: "/index.html?q=1", host: "www.example.com", clen: -1},
		{seed: "post", info: "POST /post HTTP/1.1  (application/x-www-form-urlencoded)", method: "POST", uri: "/post", host: "api.example.com", clen: 7},
		{seed: "response_200", info: "HTTP/1.1 200 OK  (text/html)", code: 200, clen: 13},
		{seed: "response_302_chunked", info: "HTTP/1.1 302 Found ", code: 302, clen: -1, chunked: true},
	}
	for _, tt := range tests {
		t.Run(tt.seed, func(t *testing.T) {
			b := seeds[tt.seed]
			if !decodeHTTPBytes(&f, b) {
				t.Fatal("not decoded as HTTP")
			}
			h := &f.HTTP
			if string(h.Method) != tt.method || string(h.URI) != tt.uri || string(h.Host) != tt.host || h.StatusCode != tt.code {
				t.Errorf("got %q %q host %q code %d, want %q %q %q %d", h.Method, h.URI, h.Host, h.StatusCode, tt.method, tt.uri, tt.host, tt.code)
			}
			if h.ContentLength != tt.clen || h.Chunked != tt.chunked {
				t.Errorf("content length %d chunked %v, want %d %v", h.ContentLength, h.Chunked, tt.clen, tt.chunked)
			}
			if h.HeadLen+h.BodyLen != len(b) || h.HeadLen != HTTPHeadLen(b) {
				t.Errorf("head %d + body %d != %d bytes", h.HeadLen, h.BodyLen, len(b))
			}
			info, _ := appendAppInfo(nil, &f)
			if string(info) != tt.info {
				t.Errorf("Info:\n got %q\nwant %q", info, tt.info)
			}
		})
	}
}

// TestHTTPMarkupVerbatim checks that header values with markup are kept
// byte for byte: escaping is the output's job, not the decoder's.
func TestHTTPMarkupVerbatim(t *testing.T) {
	b := seedFiles(t, "FuzzHTTP")["get"]
	var f Frame
	if !decodeHTTPBytes(&f, b) {
		t.Fatal("not decoded")
	}
	const want = "http://example.com/<script>alert(1)</script>"
	if string(f.HTTP.Referer) != want {
		t.Errorf("Referer = %q, want %q", f.HTTP.Referer, want)
	}
	found := false
	for i := range f.HTTP.Headers {
		if line := string(f.HTTP.HeaderLine(i)); line == "Referer: "+want+"\r\n" {
			found = true
		}
	}
	if !found {
		t.Error("no header line holds the Referer verbatim with its CRLF")
	}
}

func TestHTTPHostile(t *testing.T) {
	tests := []struct {
		name string
		b    string
		ok   bool
	}{
		{"empty", "", false},
		{"incomplete head", "GET / HTTP/1.1\r\nHost: a\r\n", false},
		{"not a method", "FOO / HTTP/1.1\r\n\r\n", false},
		{"no version", "GET /\r\n\r\n", false},
		{"bad status", "HTTP/1.1 2x0 OK\r\n\r\n", false},
		{"status without phrase", "HTTP/1.1 204\r\n\r\n", true},
		{"bare LF", "GET / HTTP/1.0\nHost: x\n\n", true},
		{"header without colon", "GET / HTTP/1.1\r\nnonsense\r\nHost: h\r\n\r\n", true},
		{"huge content length", "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n", true},
		{"only CRLF", "\r\n\r\n", false},
		{"many headers", "GET / HTTP/1.1\r\n" + strings.Repeat("X: y\r\n", 1000) + "\r\n", true},
	}
	var f Frame
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ok := decodeHTTPBytes(&f, []byte(tt.b)); ok != tt.ok {
				t.Fatalf("decoded = %v, want %v", ok, tt.ok)
			}
			if tt.ok {
				if len(f.HTTP.Headers) > httpMaxHeaders {
					t.Errorf("%d headers kept", len(f.HTTP.Headers))
				}
				if strings.Contains(tt.b, "9999") && f.HTTP.ContentLength != -1 {
					t.Errorf("ContentLength = %d for an overflowing value, want -1", f.HTTP.ContentLength)
				}
				if tt.name == "header without colon" && string(f.HTTP.Host) != "h" {
					t.Errorf("Host = %q", f.HTTP.Host)
				}
				appendAppInfo(nil, &f)
			}
		})
	}
}

func TestHTTPAllocs(t *testing.T) {
	var f Frame
	d := NewDecoder(Options{})
	info := make([]byte, 0, 1024)
	for name, b := range seedFiles(t, "FuzzHTTP") {
		run := func() {
			f.reset()
			f.Data = b
			d.decodeHTTP(&f, b)
			info, _ = appendAppInfo(info[:0], &f)
		}
		run()
		if n := testing.AllocsPerRun(100, run); n != 0 {
			t.Errorf("%s: %v allocations per message, want 0", name, n)
		}
	}
}

func FuzzHTTP(f *testing.F) {
	for _, b := range corpusPayloads(f, ProtoHTTP, 200) {
		f.Add(b)
	}
	d := NewDecoder(Options{})
	var fr Frame
	var st AppStream
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzStream(t, d, &fr, &st, 80, b)
		fr.reset()
		fr.Data = b
		if !d.decodeHTTP(&fr, b) {
			return
		}
		h := &fr.HTTP
		if h.HeadLen <= 0 || h.HeadLen > len(b) || h.HeadLen+h.BodyLen != len(b) {
			t.Fatalf("head %d body %d of %d bytes", h.HeadLen, h.BodyLen, len(b))
		}
		if h.Request == h.Response {
			t.Fatal("message is both or neither request and response")
		}
		for i := range h.Headers {
			h.HeaderLine(i)
		}
		appendAppInfo(nil, &fr)
	})
}

func BenchmarkHTTP(b *testing.B) {
	msg := seedFiles(b, "FuzzHTTP")["get"]
	d := NewDecoder(Options{})
	var f Frame
	info := make([]byte, 0, 512)
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for i := 0; i < b.N; i++ {
		f.reset()
		f.Data = msg
		d.decodeHTTP(&f, msg)
		info, _ = appendAppInfo(info[:0], &f)
	}
}

// TestHTTPSnapped checks that a head cut by the snapshot length is shown as
// far as it goes, as tshark does, and only then.
func TestHTTPSnapped(t *testing.T) {
	b := []byte("HTTP/1.1 200 OK\r\nServer: x\r\nContent-Le")
	var f Frame
	f.reset()
	f.Data = b
	f.CapLen, f.Len = len(b), len(b)
	if NewDecoder(Options{}).decodeHTTP(&f, b) {
		t.Fatal("incomplete head decoded in a frame that was not cut short")
	}
	f.Len = len(b) + 1000
	if !NewDecoder(Options{}).decodeHTTP(&f, b) {
		t.Fatal("head cut by the snapshot length not decoded")
	}
	if !f.HTTP.Truncated || string(f.HTTP.Server) != "x" || f.HTTP.StatusCode != 200 {
		t.Errorf("truncated %v server %q code %d", f.HTTP.Truncated, f.HTTP.Server, f.HTTP.StatusCode)
	}
	if info, _ := appendAppInfo(nil, &f); string(info) != "HTTP/1.1 200 OK [Packet size limited during capture]" {
		t.Errorf("Info %q", info)
	}
	f.reset()
	f.Data, f.CapLen, f.Len = nil, 0, 10
	if NewDecoder(Options{}).decodeHTTP(&f, nil) {
		t.Error("empty payload decoded")
	}
}
