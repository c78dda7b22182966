package hostile

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
)

var (
	client  = [4]byte{10, 0, 0, 1}
	server  = [4]byte{10, 0, 0, 2}
	dnsSrv  = [4]byte{10, 0, 0, 53}
	escSeqs = "\x1b[2J\x1b]0;pwned\x07\xc2\x9b31m\\" // clear screen, set window title, C1 CSI, a backslash
)

// Controls is every C0 control character except NUL, LF and CR (which end
// lines or strings in the dissectors before any output sees them), and DEL.
const Controls = "\x01\x02\x03\x04\x05\x06\x07\x08\t\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f"

// Invalid UTF-8: a UTF-16 surrogate (U+D800), a code point past U+10FFFF and
// an overlong '/'; plus a lone continuation byte and a cut sequence.
const (
	Surrogate  = "\xed\xa0\x80"
	OutOfRange = "\xf4\x90\x80\x80"
	Overlong   = "\xc0\xaf"
	BadUTF8    = Surrogate + "-" + OutOfRange + "-" + Overlong + "-\x80-\xe2\x82"
)

// dnsName encodes a name from raw labels (no escaping, no checks).
func dnsName(labels ...string) []byte {
	var b []byte
	for _, l := range labels {
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	return append(b, 0)
}

// dnsMessage builds a DNS message: one question, and when answers is
// non-empty a response with those resource records (type, rdata).
func dnsMessage(id uint16, qname []byte, qtype uint16, answers [][2][]byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, id)
	flags := uint16(0x0100)
	if answers != nil {
		flags = 0x8180
	}
	b = binary.BigEndian.AppendUint16(b, flags)
	b = binary.BigEndian.AppendUint16(b, 1)
	b = binary.BigEndian.AppendUint16(b, uint16(len(answers)))
	b = binary.BigEndian.AppendUint16(b, 0)
	b = binary.BigEndian.AppendUint16(b, 0)
	b = append(b, qname...)
	b = binary.BigEndian.AppendUint16(b, qtype)
	b = binary.BigEndian.AppendUint16(b, 1)
	for _, a := range answers {
		b = append(b, 0xc0, 12) // the question's name
		b = append(b, a[0]...)  // type
		b = binary.BigEndian.AppendUint16(b, 1)
		b = binary.BigEndian.AppendUint32(b, 60)
		b = binary.BigEndian.AppendUint16(b, uint16(len(a[1])))
		b = append(b, a[1]...)
	}
	return b
}

func u16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }

// clientHello builds a TLS 1.2 ClientHello record with the given SNI and ALPN.
func clientHello(sni, alpn string) []byte {
	var ext []byte
	// server_name
	sn := append([]byte{0}, u16(uint16(len(sni)))...)
	sn = append(sn, sni...)
	sn = append(u16(uint16(len(sn))), sn...)
	ext = append(ext, u16(0)...)
	ext = append(ext, u16(uint16(len(sn)))...)
	ext = append(ext, sn...)
	// ALPN
	al := append([]byte{byte(len(alpn))}, alpn...)
	al = append(u16(uint16(len(al))), al...)
	ext = append(ext, u16(16)...)
	ext = append(ext, u16(uint16(len(al)))...)
	ext = append(ext, al...)

	body := []byte{0x03, 0x03}
	body = append(body, make([]byte, 32)...) // random
	body = append(body, 0)                   // session id
	body = append(body, 0, 2, 0xc0, 0x2f)    // one cipher suite
	body = append(body, 1, 0)                // null compression
	body = append(body, u16(uint16(len(ext)))...)
	body = append(body, ext...)
	hs := []byte{1, byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body))}
	hs = append(hs, body...)
	rec := []byte{0x16, 0x03, 0x01}
	rec = append(rec, u16(uint16(len(hs)))...)
	return append(rec, hs...)
}

// textCapture builds a capture whose every text field carries bad: HTTP
// request and status lines and headers, DNS names (query, CNAME, PTR, TXT),
// TLS SNI and ALPN, the interface name and description and packet comments.
// nul adds a packet whose strings hold NUL, BS and DEL past printable text
// (where tshark stops a string).
func textCapture(bad string, nul bool) []byte {
	p := NewPcapng("eth0"+bad, "desc"+bad)
	emit := p.Packet
	ts := baseTS
	// DNS over UDP: query and response, the name's labels hold the bytes.
	qname := dnsName("a"+bad, "b"+bad, "example")
	emit(Packet{TS: ts, Data: UDPPacket(client, dnsSrv, 40000, 53, dnsMessage(0x1234, qname, 1, nil)), Comment: "comment" + bad})
	ts += 1e6
	cname := dnsName("c"+bad, "example")
	txt := append([]byte{byte(len("txt" + bad))}, "txt"+bad...)
	emit(Packet{TS: ts, Data: UDPPacket(dnsSrv, client, 53, 40000, dnsMessage(0x1234, qname, 1, [][2][]byte{
		{u16(5), cname}, {u16(16), txt}, {u16(1), []byte{192, 0, 2, 1}},
	}))})
	ts += 1e6
	ptrq := dnsName("1", "2", "0", "192", "in-addr", "arpa")
	emit(Packet{TS: ts, Data: UDPPacket(client, dnsSrv, 40001, 53, dnsMessage(0x4321, ptrq, 12, nil))})
	ts += 1e6
	emit(Packet{TS: ts, Data: UDPPacket(dnsSrv, client, 53, 40001, dnsMessage(0x4321, ptrq, 12, [][2][]byte{
		{u16(12), dnsName("ptr"+bad, "example")},
	}))})
	ts += 1e6

	// HTTP: every field of the request and response heads.
	c := NewConn(client, server, 40100, 80, ts, emit)
	c.Open()
	req := "GET /" + bad + "/index.html?q=" + bad + " HTTP/1.1\r\n" +
		"Host: host" + bad + "\r\n" +
		"User-Agent: agent" + bad + "\r\n" +
		"Referer: http://ref" + bad + "/\r\n" +
		"Accept: */*" + bad + "\r\n" +
		"X-Custom" + bad + ": value" + bad + "\r\n\r\n"
	c.Send(true, []byte(req))
	body := "body" + bad + "\n"
	resp := "HTTP/1.1 200 OK" + bad + "\r\n" +
		"Server: server" + bad + "\r\n" +
		"Content-Type: text/html" + bad + "\r\n" +
		"Location: http://loc" + bad + "/\r\n" +
		fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body)) + body
	c.Send(false, []byte(resp))
	// A second request on the connection: a POST whose method line is odd.
	req2 := "POST /upload" + bad + " HTTP/1.1\r\nHost: h" + bad + "\r\nContent-Length: 0\r\n\r\n"
	c.Send(true, []byte(req2))
	c.Send(false, []byte("HTTP/1.1 404 Not"+bad+"Found\r\nContent-Length: 0\r\n\r\n"))
	c.Close()
	ts = c.Time() + 1e6

	// TLS ClientHello with a hostile SNI and ALPN.
	t := NewConn(client, server, 40200, 443, ts, emit)
	t.Open()
	t.Send(true, clientHello("sni"+bad+".example", "h2"+bad))
	t.Close()
	ts = t.Time() + 1e6

	if nul {
		// NUL, BS and DEL inside strings, where tshark's -T fields stops.
		n := NewConn(client, server, 40300, 80, ts, emit)
		n.Open()
		n.Send(true, []byte("GET /nul\x00after\x08bs\x7fdel HTTP/1.1\r\nHost: nul\x00host\r\nUser-Agent: bs\x08\x08\x7f\r\n\r\n"))
		n.Send(false, []byte("HTTP/1.1 204 No\x00Content\r\n\r\n"))
		n.Close()
		ts = n.Time() + 1e6
		emit(Packet{TS: ts, Data: UDPPacket(client, dnsSrv, 40002, 53, dnsMessage(0x5555, dnsName("nul\x00x", "bs\x08\x7f", "example"), 1, nil))})
	}
	return p.Bytes()
}

// ControlChars is a pcapng capture with terminal escape sequences (clear
// screen, set window title) and every other control character in every
// text field wirewatch decodes (see textCapture).
func ControlChars() []byte { return textCapture(escSeqs+Controls, true) }

// InvalidUTF8 is the same capture with invalid UTF-8 (surrogate, out of
// range, overlong, lone continuation, cut sequence) in every text field.
func InvalidUTF8() []byte { return textCapture(BadUTF8, false) }

// BogusChunks is a pcap of HTTP connections whose chunked responses carry
// chunk sizes that are not plain hexadecimal ("0x5", "zz", a negative and
// an enormous one, trailing junk) and a few good ones, sent in one segment
// with the head, in a segment of their own, or split, each followed by another request and a normal response on
// the same connection, so what follows a chunk error is still seen.
func BogusChunks() []byte {
	var buf bytes.Buffer
	w := NewPcapWriter(&buf)
	ts := baseTS
	sizes := []string{"0x5", "zz", "-5", "fffffffffffffffff", "5;ext=\x1b", "5 ", "5", " 5", "0x", "1g"}
	for i, size := range sizes {
		c := NewConn(client, server, uint16(41000+i), 80, ts, w.Write)
		c.Open()
		c.Send(true, []byte(fmt.Sprintf("GET /chunk%d HTTP/1.1\r\nHost: example\r\n\r\n", i)))
		head := "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		body := size + "\r\nhello\r\n0\r\n\r\n"
		switch i % 3 {
		case 0: // head and body in one segment
			c.Send(false, []byte(head+body))
		case 1: // the body in its own segment
			c.Send(false, []byte(head))
			c.Send(false, []byte(body))
		case 2: // the body split inside the chunk data
			c.Send(false, []byte(head+body[:len(size)+4]))
			c.Send(false, []byte(body[len(size)+4:]))
		}
		c.Send(true, []byte(fmt.Sprintf("GET /after%d HTTP/1.1\r\nHost: example\r\n\r\n", i)))
		c.Send(false, []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
		c.Close()
		ts = c.Time() + 10e6
	}
	w.Close()
	return buf.Bytes()
}

// CustomBlocks is a pcapng file with custom blocks (copyable and not),
// an unknown block type and a Name Resolution Block between packets.
func CustomBlocks() []byte {
	p := NewPcapng("eth0", "")
	ts := baseTS
	dns := func(id uint16) Packet {
		ts += 1e6
		return Packet{TS: ts, Data: UDPPacket(client, dnsSrv, 40000+id, 53, dnsMessage(id, dnsName("x", "example"), 1, nil))}
	}
	p.Packet(dns(1))
	p.Custom(32473, []byte("copyable custom data"), false)
	p.Packet(dns(2))
	p.Custom(32473, []byte("custom data not to be copied"), true)
	p.Packet(dns(3))
	p.Block(0x00000B0B, []byte("unknown block type")) // reserved, unknown to everyone
	p.Packet(dns(4))
	p.Custom(0xffffffff, nil, false)
	p.Packet(dns(5))
	return p.Bytes()
}

// ManyHeaders writes a pcap with one HTTP request carrying n header lines,
// its response, and a normal request after it on the same connection.
func ManyHeaders(w io.Writer, n int) error {
	var head bytes.Buffer
	head.WriteString("GET /many-headers HTTP/1.1\r\nHost: example\r\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&head, "X-H%d: v\r\n", i)
	}
	head.WriteString("\r\n")
	return oneRequest(w, head.Bytes())
}

// LongHeaderLine writes a pcap with one HTTP request whose header line is
// size bytes long, its response and a normal request after it.
func LongHeaderLine(w io.Writer, size int) error {
	var head bytes.Buffer
	head.WriteString("GET /long-line HTTP/1.1\r\nHost: example\r\nX-Long: ")
	head.Write(bytes.Repeat([]byte("a"), size))
	head.WriteString("\r\n\r\n")
	return oneRequest(w, head.Bytes())
}

func oneRequest(w io.Writer, req []byte) error {
	pw := NewPcapWriter(w)
	c := NewConn(client, server, 42000, 80, baseTS, pw.Write)
	c.Open()
	c.Send(true, req)
	c.Send(false, []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
	c.Send(true, []byte("GET /next HTTP/1.1\r\nHost: example\r\n\r\n"))
	c.Send(false, []byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
	c.Close()
	return pw.Close()
}

// SYNFlood writes a pcap of n half-open TCP connections: a SYN from a
// distinct address and port each, answered by SYN-ACK, never completed
// (one every 10 µs).
func SYNFlood(w io.Writer, n int) error {
	pw := NewPcapWriter(w)
	ts := baseTS
	for i := 0; i < n; i++ {
		src := [4]byte{10, byte(1 + i>>16), byte(i >> 8), byte(i)}
		sport := uint16(1024 + i%60000)
		pw.Write(Packet{TS: ts, Data: TCPPacket(src, server, sport, 80, uint32(i)*7919, 0, SYN, nil)})
		ts += 5e3
		pw.Write(Packet{TS: ts, Data: TCPPacket(server, src, 80, sport, 1, uint32(i)*7919+1, SYN|ACK, nil)})
		ts += 5e3
	}
	return pw.Close()
}

// UDPFlood writes a pcap of n one-packet UDP flows (a DNS-sized datagram from
// a distinct address and port each, one every 1 µs).
func UDPFlood(w io.Writer, n int) error {
	pw := NewPcapWriter(w)
	ts := baseTS
	payload := make([]byte, 32)
	for i := 0; i < n; i++ {
		src := [4]byte{10, byte(1 + i>>16), byte(i >> 8), byte(i)}
		pw.Write(Packet{TS: ts, Data: UDPPacket(src, server, uint16(1024+i%60000), 9999, payload)})
		ts += 1e3
	}
	return pw.Close()
}

// Files lists the captures kept in testdata, by file name.
var Files = map[string]func() []byte{
	"control-chars.pcapng": ControlChars,
	"invalid-utf8.pcapng":  InvalidUTF8,
	"bogus-chunks.pcap":    BogusChunks,
	"custom-blocks.pcapng": CustomBlocks,
	"many-headers.pcap": func() []byte {
		var b bytes.Buffer
		ManyHeaders(&b, 300) // small enough to keep; the tests make 100,000
		return b.Bytes()
	},
}

// Markup is the payload of MarkupCapture: HTML that runs script if a page
// ever parses it (each part sets window.__pwned), short enough for a DNS label.
const Markup = `<img src=x onerror=__pwned=1><script>__pwned=2</script>`

// MarkupCapture is a pcapng capture carrying Markup in every text field
// wirewatch decodes (see textCapture): DNS names, HTTP fields, TLS SNI and
// ALPN, interface name and description, packet comments. A web page that
// shows it must run nothing.
func MarkupCapture() []byte { return textCapture(Markup, false) }
