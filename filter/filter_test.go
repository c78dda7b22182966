package filter

import (
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

// A small registry built in the test, so these tests do not depend on the
// decoders: each Get reads the Frame struct the way package field does.
func testRegistry() *field.Registry {
	u := func(name string, t field.Type, p decode.Proto, get func(f *decode.Frame) [2]int) field.Field {
		return field.Field{Name: name, Type: t, Proto: p, Get: func(f *decode.Frame, dst []field.Value) []field.Value {
			if !f.Has(p) {
				return dst
			}
			v := get(f)
			dst = append(dst, field.Value{U: uint64(v[0])})
			if v[1] >= 0 {
				dst = append(dst, field.Value{U: uint64(v[1])})
			}
			return dst
		}}
	}
	addr := func(name string, get func(f *decode.Frame, dst []field.Value) []field.Value) field.Field {
		return field.Field{Name: name, Type: field.FTIPv4, Proto: decode.ProtoIP, Get: func(f *decode.Frame, dst []field.Value) []field.Value {
			if !f.Has(decode.ProtoIP) {
				return dst
			}
			return get(f, dst)
		}}
	}
	return field.New([]field.Field{
		{Name: "frame.number", Type: field.FTFrameNum, Proto: decode.ProtoFrame, Get: func(f *decode.Frame, dst []field.Value) []field.Value {
			return append(dst, field.Value{U: f.Number})
		}},
		{Name: "frame.len", Type: field.FTUint32, Proto: decode.ProtoFrame, Get: func(f *decode.Frame, dst []field.Value) []field.Value {
			return append(dst, field.Value{U: uint64(f.Len)})
		}},
		{Name: "frame.cap_len", Type: field.FTUint32, Proto: decode.ProtoFrame, Get: func(f *decode.Frame, dst []field.Value) []field.Value {
			return append(dst, field.Value{U: uint64(f.CapLen)})
		}},
		{Name: "frame.time", Type: field.FTAbsTime, Proto: decode.ProtoFrame, Get: func(f *decode.Frame, dst []field.Value) []field.Value {
			return append(dst, field.Value{I: f.TS})
		}},
		{Name: "frame.time_relative", Type: field.FTRelTime, Proto: decode.ProtoFrame, Get: func(f *decode.Frame, dst []field.Value) []field.Value {
			return append(dst, field.Value{I: f.TS - f.FirstTS})
		}},
		{Name: "frame.comment", Type: field.FTString, Proto: decode.ProtoFrame, Get: func(f *decode.Frame, dst []field.Value) []field.Value {
			for _, c := range f.Comments {
				dst = append(dst, field.Value{B: []byte(c)})
			}
			return dst
		}},
		{Name: "eth.src", Type: field.FTEther, Proto: decode.ProtoEth, Get: func(f *decode.Frame, dst []field.Value) []field.Value {
			if !f.Has(decode.ProtoEth) {
				return dst
			}
			return append(dst, field.Value{B: f.Eth.Src[:]})
		}},
		addr("ip.src", func(f *decode.Frame, dst []field.Value) []field.Value { return append(dst, field.Value{A: f.IP.Src}) }),
		addr("ip.dst", func(f *decode.Frame, dst []field.Value) []field.Value { return append(dst, field.Value{A: f.IP.Dst}) }),
		addr("ip.addr", func(f *decode.Frame, dst []field.Value) []field.Value {
			return append(dst, field.Value{A: f.IP.Src}, field.Value{A: f.IP.Dst})
		}),
		u("ip.ttl", field.FTUint8, decode.ProtoIP, func(f *decode.Frame) [2]int { return [2]int{int(f.IP.TTL), -1} }),
		u("tcp.srcport", field.FTUint16, decode.ProtoTCP, func(f *decode.Frame) [2]int { return [2]int{int(f.TCP.SrcPort), -1} }),
		u("tcp.dstport", field.FTUint16, decode.ProtoTCP, func(f *decode.Frame) [2]int { return [2]int{int(f.TCP.DstPort), -1} }),
		u("tcp.port", field.FTUint16, decode.ProtoTCP, func(f *decode.Frame) [2]int {
			return [2]int{int(f.TCP.SrcPort), int(f.TCP.DstPort)}
		}),
		u("tcp.flags", field.FTUint16, decode.ProtoTCP, func(f *decode.Frame) [2]int { return [2]int{int(f.TCP.Flags), -1} }),
		u("tcp.flags.syn", field.FTBoolean, decode.ProtoTCP, func(f *decode.Frame) [2]int {
			return [2]int{int(f.TCP.Flags>>1) & 1, -1}
		}),
		u("tcp.len", field.FTUint32, decode.ProtoTCP, func(f *decode.Frame) [2]int { return [2]int{int(f.TCP.PayloadLen), -1} }),
		{Name: "tcp.window_size_scalefactor", Type: field.FTInt32, Proto: decode.ProtoTCP, Get: func(f *decode.Frame, dst []field.Value) []field.Value {
			if !f.Has(decode.ProtoTCP) {
				return dst
			}
			return append(dst, field.Value{I: int64(f.Analysis.WinScale)})
		}},
		{Name: "tcp.analysis.ack_rtt", Type: field.FTRelTime, Proto: decode.ProtoTCP, Get: func(f *decode.Frame, dst []field.Value) []field.Value {
			if f.Analysis.AckRTT < 0 {
				return dst
			}
			return append(dst, field.Value{I: f.Analysis.AckRTT})
		}},
		{Name: "tcp.analysis.retransmission", Type: field.FTNone, Proto: decode.ProtoTCP, Get: func(f *decode.Frame, dst []field.Value) []field.Value {
			if f.Analysis.Flags&decode.AnRetransmission == 0 {
				return dst
			}
			return append(dst, field.Value{})
		}},
		{Name: "tcp.payload", Type: field.FTBytes, Proto: decode.ProtoTCP, Get: func(f *decode.Frame, dst []field.Value) []field.Value {
			if !f.Has(decode.ProtoTCP) || len(f.Payload) == 0 {
				return dst
			}
			return append(dst, field.Value{B: f.Payload})
		}},
		{Name: "http.host", Type: field.FTString, Proto: decode.ProtoHTTP, Get: func(f *decode.Frame, dst []field.Value) []field.Value {
			if !f.Has(decode.ProtoHTTP) || f.HTTP.Host == nil {
				return dst
			}
			return append(dst, field.Value{B: f.HTTP.Host})
		}},
		{Name: "http.request.uri", Type: field.FTString, Proto: decode.ProtoHTTP, Get: func(f *decode.Frame, dst []field.Value) []field.Value {
			if !f.Has(decode.ProtoHTTP) || f.HTTP.URI == nil {
				return dst
			}
			return append(dst, field.Value{B: f.HTTP.URI})
		}},
		{Name: "tcp.checksum.status", Type: field.FTUint8, Proto: decode.ProtoTCP, Get: func(f *decode.Frame, dst []field.Value) []field.Value {
			if !f.Has(decode.ProtoTCP) {
				return dst
			}
			return append(dst, field.Value{U: 2})
		}},
	})
}

// testFrames builds a few frames by hand: an HTTP GET, a SYN-ACK, an ARP-like
// frame without IP.
func testFrames() []*decode.Frame {
	data := []byte("\xc8\xbc\xc8\xa5\x00\x01\x00\x16\x47\x00\x00\x01\x08\x00" + // eth
		"\x45\x00\x00\x40\x00\x01\x40\x00\x40\x06\x00\x00\x8d\x8e\xe4\x05\xc0\x96\xbb\x2b" + // ip
		"\xc3\x50\x00\x50\x00\x00\x00\x01\x00\x00\x00\x01\x50\x18\xff\xff\x00\x00\x00\x00" + // tcp
		"GET /download/CHANGES.bro-aux.txt HTTP/1.1\r\nHost: bro.org\r\n\r\n")
	const t0 = 1362692526000000000 // 2013-03-07 21:42:06 UTC
	get := &decode.Frame{Number: 1, TS: t0, FirstTS: t0, Len: len(data), CapLen: len(data), Data: data,
		Present: decode.Protos(decode.ProtoFrame, decode.ProtoEth, decode.ProtoIP, decode.ProtoTCP, decode.ProtoHTTP),
		Layers: []decode.Layer{{Proto: decode.ProtoEth, Off: 0, Len: len(data)}, {Proto: decode.ProtoIP, Off: 14, Len: len(data) - 14},
			{Proto: decode.ProtoTCP, Off: 34, Len: len(data) - 34}, {Proto: decode.ProtoHTTP, Off: 54, Len: len(data) - 54}},
		Comments: []string{"Packet #10"},
	}
	copy(get.Eth.Src[:], data[6:12])
	get.IP.Src, get.IP.Dst, get.IP.TTL = netip.MustParseAddr("141.142.228.5"), netip.MustParseAddr("192.150.187.43"), 64
	get.TCP.SrcPort, get.TCP.DstPort, get.TCP.Flags, get.TCP.PayloadLen = 50000, 80, 0x18, len(data)-54
	get.Payload = data[54:]
	get.HTTP.Request, get.HTTP.Host, get.HTTP.URI = true, []byte("bro.org"), []byte("/download/CHANGES.bro-aux.txt")
	get.Analysis = decode.Analysis{Stream: 0, AckRTT: -1, WinScale: 7, Flags: decode.AnRetransmission}

	sdata := append([]byte(nil), data[:54]...)
	sdata[47] = 0x12
	synack := &decode.Frame{Number: 2, TS: t0 + 2e9, FirstTS: t0, Len: 74, CapLen: 60, Data: sdata,
		Present: decode.Protos(decode.ProtoFrame, decode.ProtoEth, decode.ProtoIP, decode.ProtoTCP),
		Layers:  []decode.Layer{{Proto: decode.ProtoEth, Off: 0, Len: 54}, {Proto: decode.ProtoIP, Off: 14, Len: 40}, {Proto: decode.ProtoTCP, Off: 34, Len: 20}},
	}
	synack.IP.Src, synack.IP.Dst, synack.IP.TTL = netip.MustParseAddr("192.150.187.43"), netip.MustParseAddr("141.142.228.5"), 1
	synack.TCP.SrcPort, synack.TCP.DstPort, synack.TCP.Flags = 80, 50000, 0x12
	synack.Analysis = decode.Analysis{Stream: 0, AckRTT: 60e6, WinScale: -1}

	arp := &decode.Frame{Number: 3, TS: t0 + 3e9, FirstTS: t0, Len: 42, CapLen: 42, Data: data[:42],
		Present: decode.Protos(decode.ProtoFrame, decode.ProtoEth, decode.ProtoARP),
		Layers:  []decode.Layer{{Proto: decode.ProtoEth, Off: 0, Len: 42}, {Proto: decode.ProtoARP, Off: 14, Len: 28}},
	}
	arp.Analysis = decode.Analysis{Stream: -1, AckRTT: -1}
	synack.Eth, arp.Eth = get.Eth, get.Eth
	return []*decode.Frame{get, synack, arp}
}

func matching(t *testing.T, expr string) string {
	t.Helper()
	fl, err := Compile(expr, testRegistry())
	if err != nil {
		t.Fatalf("Compile(%q): %v", expr, err)
	}
	var got []string
	for _, f := range testFrames() {
		if fl.Match(f) {
			got = append(got, fmt.Sprint(f.Number))
		}
	}
	return strings.Join(got, ",")
}

func TestEval(t *testing.T) {
	for _, tc := range []struct{ expr, want string }{
		{"tcp", "1,2"},
		{".tcp", "1,2"},
		{"arp", "3"},
		{"!(arp or http)", "2"},
		{"ip.addr == 141.142.228.5", "1,2"},
		{"ip.addr != 141.142.228.5", ""}, // 4.0: "all not equal"
		{"ip.addr ~= 141.142.228.5", "1,2"},
		{"ip.addr !== 141.142.228.5", "1,2"},
		{"ip.addr === 141.142.228.5", ""},
		{"ip.src != 141.142.228.5", "2"},
		{"not ip.src == 141.142.228.5", "2,3"},
		{"ip.src == 141.142.0.0/16", "1"},
		{"ip.addr in {192.150.187.0/24}", "1,2"},
		{"ip.addr in {141.142.228.4 .. 141.142.228.6}", "1,2"},
		{"tcp.port in {80, 443}", "1,2"},
		{"tcp.port in {1..79, 81..100}", ""},
		{"tcp.srcport not in {80}", "1,3"},
		{"all tcp.port in {80}", ""},
		{"all tcp.port in {80, 50000}", "1,2"},
		{"any tcp.port in {80}", "1,2"},
		{"tcp.srcport < tcp.dstport < 60000", "2"},
		{"tcp.dstport < tcp.srcport < 60000", "1"},
		{"tcp.dstport < tcp.srcport < 100", ""},
		{"all tcp.port > 79", "1,2"},
		{"all tcp.port == 80", ""},
		{"any tcp.port != 80", "1,2"},
		{"tcp.flags & 0x12 == 0x12", "2"},
		{"tcp.flags bitand 0x02", "2"},
		{"tcp.flags.syn == 1", "2"},
		{"tcp.flags.syn == True", "2"},
		{"tcp.flags.syn == False", "1"},
		{"tcp.flags.syn", "1,2"},
		{"tcp.srcport == 0xc350", "1"},
		{"tcp.srcport == 0b1010000", "2"},
		{"tcp.srcport == 0120", "2"},
		{"tcp.srcport == 'P'", "2"},
		{"tcp.srcport > tcp.dstport", "1"},
		{"tcp.srcport eq 80 or tcp.srcport eq 81 and tcp", "2"},
		{"{tcp.srcport + 1} == 81", "2"},
		{"tcp.srcport - 1 == 79", "2"},
		{"frame.len - frame.cap_len > 10", "2"},
		{"frame.len * 2 > 200", "1"},
		{"frame.len % 2 == 0", "2,3"},
		{"-frame.len == -74", "2"},
		{"tcp.window_size_scalefactor == -1", "2"},
		{"tcp.window_size_scalefactor < 0", "2"},
		{"tcp.analysis.retransmission", "1"},
		{"!tcp.analysis.retransmission", "2,3"},
		{"tcp.analysis.ack_rtt > 0.05", "2"},
		{"tcp.analysis.ack_rtt > 0.1", ""},
		{"frame.time_relative >= 2", "2,3"},
		{"frame.time_relative in {0 .. 2.5}", "1,2"},
		{`frame.time >= "2013-03-07 21:42:07 UTC"`, "2,3"},
		{`frame.time >= "2013-03-07T21:42:08Z"`, "2,3"},
		{`frame.time < "Mar  7, 2013 21:42:07 UTC"`, "1"},
		{`http.host == "bro.org"`, "1"},
		{`http.host == bro.org`, "1"},
		{`http.host contains "bro"`, "1"},
		{`http.host contains "BRO"`, ""},
		{`http.host matches "BRO"`, "1"},
		{`http.host ~ "(?-i)BRO"`, ""},
		{`http.request.uri matches r"\.txt$"`, "1"},
		{`http.request.uri matches "\\.txt$"`, "1"},
		{`http.request.uri == "\x2fdownload/CHANGES.bro-aux.txt"`, "1"},
		{`http.request.uri[0:9] == "/download"`, "1"},
		{`http.request.uri[-3:] == "txt"`, "1"},
		{`http.request.uri[1-3] == "dow"`, "1"},
		{`http.request.uri[:2] == "/d"`, "1"},
		{`http.request.uri[0,2] == "/o"`, "1"},
		{`lower(http.host) == "bro.org"`, "1"},
		{`upper(http.host) == "BRO.ORG"`, "1"},
		{`len(http.request.uri) > 20`, "1"},
		{`frame[ 1 : 2 ] == bc:c8`, "1,2,3"},
		{`frame[-3--1] == bc:c8:a5`, ""},
		{`tcp.port == 1 + 79`, "1,2"},
		{`{tcp.srcport} == 80`, "2"},
		{`tcp.flags & tcp.flags`, "1,2"},
		{`ip.src & 255.255.0.0 == 141.142.0.0`, "1"},
		{`eth.src & ff:ff:ff:00:00:00 == 00:16:47:00:00:00`, "1,2,3"},
		{`eth.src contains 47`, "1,2,3"},
		{`eth.src matches "\x47"`, "1,2,3"},
		{`frame.time_relative - 1 > 0`, "2,3"},
		{`tcp.srcport == 1 + 79`, "2"},
		{`http.host == "\142ro\x2eorg"`, "1"},
		{`http.host == "\u00e9" || http.host == "\U0001F600"`, ""},
		{`len(tcp.port) == 2`, "1,2"},
		{`len(ip.src) == 4`, "1,2"},
		{`count(ip.addr) == 2`, "1,2"},
		{`count(tcp.port) > 2`, ""},
		{`string(frame.number) matches "^[12]$"`, "1,2"},
		{`string(ip.src) == "141.142.228.5"`, "1"},
		{`string(eth.src) == "00:16:47:00:00:01"`, "1,2,3"},
		{`max(tcp.srcport, tcp.dstport) == 80`, ""},
		{`min(tcp.srcport, tcp.dstport) == 80`, "1,2"},
		{`max(tcp.srcport, 60000) == 60000`, "1,2,3"},
		{`abs(tcp.window_size_scalefactor) == 1`, "2"},
		{`tcp.payload[0:4] == "GET "`, "1"},
		{`tcp.payload contains 48:54:54:50`, "1"},
		{`frame contains "GET"`, "1"},
		{`frame[12:2] == 08:00`, "1,2,3"},
		{`frame[12:2] == 0800`, "1,2,3"},
		{`frame[0] == 0xc8`, "1,2,3"},
		{`eth[0:3] == c8:bc:c8`, "1,2,3"},
		{`eth.src[0:3] == 00-16-47`, "1,2,3"},
		{`eth.src[0:3] == 0016.47`, "1,2,3"},
		{`eth.src == 00:16:47:00:00:01`, "1,2,3"},
		{`eth.src == 0016.4700.0001`, "1,2,3"},
		{`eth.src[0] & 1`, ""},
		{`eth.src[-1] & 1`, "1,2,3"},
		{`ip.src[0] == 8d`, "1"},
		{`ip.src[0] == 141`, ""},
		{`ip.src[-1:1] == 05`, "1"},
		{`tcp[13] == 0x12`, "2"},
		{`tcp[13] & 2`, "2"},
		{`ip.ttl == 1 && tcp.flags.syn == 1`, "2"},
		{`frame.number in {1..2, 3}`, "1,2,3"},
		{`frame.comment matches "^Packet #1[0-9]$"`, "1"},
		{`frame.comment`, "1"},
		{`tcp.checksum.status == "Unverified"`, "1,2"},
		{`tcp.checksum.status == bad`, ""},
		{`tcp.srcport == -1`, ""},
		{`(tcp.flags & 0x10)`, "1,2"}, {`tcp.flags & 0x02`, "2"},
	} {
		if got := matching(t, tc.expr); got != tc.want {
			t.Errorf("%s: frames %q, want %q", tc.expr, got, tc.want)
		}
	}
}

// Errors as tshark 4.0.17 words them, with the byte range it underlines.
func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		expr, msg string
		pos, end  int
	}{
		{`tcp.port in {80 443}`, `"443" was unexpected in this context.`, 16, 19},
		{`http.request.method in {"GET" "HEAD"}`, `""HEAD"" was unexpected in this context.`, 30, 36},
		{`ip.addr == `, `Unexpected end of filter expression.`, 11, 11},
		{`tcp.port == 80 &&`, `Unexpected end of filter expression.`, 17, 17},
		{`http.host = "GET"`, `"=" was unexpected in this context.`, 10, 11},
		{`foo.bar == 1`, `Left side of "==" expression must be a field or function, not foo.bar.`, 0, 7},
		{`1 eq foo`, `Left side of "eq" expression must be a field or function, not 1.`, 0, 1},
		{`foo.bar`, `foo.bar is neither a field nor a protocol name.`, 0, 7},
		{`TCP`, `TCP is neither a field nor a protocol name.`, 0, 3},
		{`"abc"`, `"abc" is neither a field nor a protocol name.`, 0, 5},
		{`.foo`, `"foo" is not a valid protocol or protocol field.`, 0, 4},
		{`ip.src == 999.1.1.1`, `"999.1.1.1" is not a valid hostname or IPv4 address.`, 10, 19},
		{`ip.src == 1.2.3`, `"1.2.3" is not a valid hostname or IPv4 address.`, 10, 15},
		{`ip.src == 1.2.3.4/33`, `Netmask bits in a CIDR IPv4 address should be <= 32, not 33`, 10, 20},
		{`eth.src[0:3] == zz:11:22`, `":11:22" was unexpected in this context.`, 18, 24},
		{`eth.src == zz`, `"zz" is not a valid Ethernet address.`, 11, 13},
		{`eth.src == 1.2.3.4`, `"1.2.3.4" contains too few bytes to be a valid Ethernet address.`, 11, 18},
		{`http.host matches "("`, `Regex compilation error: missing closing parenthesis.`, 18, 21},
		{`tcp xor http`, `"xor" was unexpected in this context.`, 4, 7},
		{`tcp AND http`, `"AND" was unexpected in this context.`, 4, 7},
		{`(tcp.flags & 0x12) == 0x12`, `"==" was unexpected in this context.`, 19, 21},
		{`tcp.srcport * tcp.window_size_scalefactor > 100000`, `"100000" too big for this field, maximum 65535.`, 44, 50},
		{`tcp.srcport == "http"`, `Unsigned integer (2 bytes) cannot be converted from a string ("http").`, 15, 21},
		{`tcp.srcport == http`, `tcp.srcport and http are not of compatible types.`, 15, 19},
		{`tcp.srcport in {"80"}`, `Unsigned integer (2 bytes) cannot be converted from a string ("80").`, 16, 20},
		{`tcp.srcport in {}`, `"}" was unexpected in this context.`, 16, 17},
		{`tcp.port in {80, 443,}`, `"}" was unexpected in this context.`, 21, 22},
		{`tcp.port contains 80`, `tcp.port (type=Unsigned integer (2 bytes)) cannot participate in contains comparison.`, 0, 8},
		{`ip.src ~ "141"`, `ip.src (type=IPv4 address) cannot participate in ~ comparison.`, 0, 6},
		{`tcp.analysis.retransmission == 1`, `tcp.analysis.retransmission (type=Label) cannot participate in == comparison.`, 0, 27},
		{`lower(tcp.port) == 80`, `Only string type fields can be used as parameter for lower()`, 6, 14},
		{`vals(tcp.port) == 80`, `Function 'vals' does not exist`, 0, 4},
		{`string(tcp.payload) == "x"`, `String conversion for field "tcp.payload" is not supported`, 7, 18},
		{`tcp.srcport[0:1] == 00`, `"tcp.srcport" is a Unsigned integer (2 bytes) and cannot be sliced into a sequence of bytes.`, 0, 11},
		{`frame[0:0] == 00`, `Range 0:0 isn't valid because length 0 isn't positive`, 6, 9},
		{`tcp.flags.syn == true`, `"true" cannot be found among the possible values for tcp.flags.syn.`, 17, 21},
		{`frame.len == 1.5`, `"1.5" is not a valid number.`, 13, 16},
		{`frame.len == abc`, `"abc" is not a valid number.`, 13, 16},
		{`frame.time_relative > 1s`, `"1s" is not a valid time.`, 22, 24},
		{`frame.time_relative >= 1e-1`, `"1e-1" is not a valid time.`, 23, 27},
		{`frame.time_relative > "1"`, `Time offset cannot be converted from a string ("1").`, 22, 25},
		{`frame.time > 5`, `"5" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"`, 13, 14},
		{`frame.len > ip.src`, `frame.len and ip.src are not of compatible types.`, 12, 18},
		{`tcp[0:2] == 0x0050`, `"0x0050" is not a valid byte string.`, 12, 18},
		{`tcp.srcport < 80 < 100`, `Left side of "<" expression must be a field or function, not 80.`, 14, 16},
		{`ip.src $ 3`, `"$" was unexpected in this context.`, 7, 8},
		{`ip.src# == 1.2.3.4`, `Expected digit or "[", not " "`, 7, 8},
		{`"a"#2 == 1`, `"#" was unexpected in this context.`, 3, 4},
		{`ip.src#2x == 1.2.3.4`, `"x" was unexpected in this context.`, 8, 9},
		{`http.host == <GET>`, `"<" was unexpected in this context.`, 13, 14},
		{`all tcp.port`, `Unexpected end of filter expression.`, 12, 12},
		{`any (tcp)`, `"(" was unexpected in this context.`, 4, 5},
		{`tcp.port in {80, {443}}`, `"{" was unexpected in this context.`, 17, 18},
		{`tcp.port == 80 == 80`, `Left side of "==" expression must be a field or function, not 80.`, 12, 14},
		{`"unterminated`, `The final quote was missing from a quoted string.`, 13, 14},
		{`http.host matches r"\"`, `The final quote was missing from a quoted string.`, 22, 23},
		{`tcp.srcport == 'a`, `The final quote was missing from a character constant.`, 17, 18},
		{`frame[0`, `The right bracket was missing from a slice.`, 7, 8},
		{`frame[0] == 1]`, `"]" was unexpected in this context.`, 13, 14},
		{`frame[a] == 1`, `"a" is not a valid number.`, 6, 7},
		{`frame[1:2:3] == 1`, `"1:2:3" is not a valid range.`, 6, 11},
		{`frame[] == 1`, `"]" was unexpected in this context.`, 6, 7},
		{`frame[0-0] == c8`, `Range 0-0 isn't valid because 0 is greater or equal than 0`, 6, 9},
		{`frame[3-1] == c8`, `Range 3-1 isn't valid because 3 is greater or equal than 1`, 6, 9},
		{`tcp.port in {80, 443`, `Unexpected end of filter expression.`, 20, 20},
		{`tcp.port in 80`, `"80" was unexpected in this context.`, 12, 14},
		{`len()`, `You cannot test whether a function is present.`, 0, 3},
		{`len(tcp.port, 1) == 1`, `Function len can only accept 1 arguments.`, 0, 3},
		{`max() == 1`, `Function max needs at least 1 arguments.`, 0, 3},
		{`count(len(tcp.port)) == 1`, `Only fields can be used as parameter for count()`, 6, 9},
		{`len(lower(http.host)) == 7`, `Only fields can be used as parameter for len()`, 4, 9},
		{`lower(lower(http.host)) == "x"`, `Only string type fields can be used as parameter for lower()`, 6, 11},
		{`len("abc") == 3`, `Only fields can be used as parameter for len()`, 4, 9},
		{`string(1) == "1"`, `Only fields can be used as parameter for string()`, 7, 8},
		{`abs(-1) == 1`, `Constant arithmetic expression on the LHS is invalid.`, 5, 6},
		{`max(1,2) == 2`, `Argument '1' is not valid for max()`, 4, 5},
		{`max(tcp.srcport, ip.src) == 1`, `Arguments to 'max' must have the same type (expected FT_UINT16, got FT_IPv4)`, 17, 23},
		{`min(tcp.srcport, frame.len) == 80`, `Arguments to 'min' must have the same type (expected FT_UINT16, got FT_UINT32)`, 17, 26},
		{`abs(http.host) == 1`, `'http.host' is not a valid argument to 'abs'()`, 4, 13},
		{`string(http.host) == "x"`, `String conversion for field "http.host" is not supported`, 7, 16},
		{`http.host & 1`, `FT_STRING cannot &.`, 0, 9},
		{`ip.src + 1 == 1`, `FT_IPv4 cannot +.`, 0, 6},
		{`ip.src == 1.2.3.4/x`, `FT_IPv4 cannot /.`, 10, 17},
		{`frame.time_relative * 2 > 1`, `FT_RELATIVE_TIME cannot *.`, 0, 19},
		{`tcp.flags.syn & 1`, `FT_BOOLEAN cannot &.`, 0, 13},
		{`frame & 00`, `FT_PROTOCOL cannot &.`, 0, 5},
		{`-http.host == 1`, `FT_STRING cannot -.`, 1, 10},
		{`frame.len * 2.5 > 1`, `"2.5" is not a valid number.`, 12, 15},
		{`ip.src == "1.2.3.4"`, `IPv4 address cannot be converted from a string ("1.2.3.4").`, 10, 19},
		{`eth.src == "00:11:22:33:44:55"`, `Ethernet or other MAC address cannot be converted from a string ("00:11:22:33:44:55").`, 11, 30},
		{`tcp.flags.syn == "1"`, `"1" cannot be found among the possible values for tcp.flags.syn.`, 17, 20},
		{`frame.number == 08`, `"08" is not a valid number.`, 16, 18},
		{`()`, `")" was unexpected in this context.`, 1, 2},
		{`== 80`, `"==" was unexpected in this context.`, 0, 2},
		{`tcp &&& udp`, `"&" was unexpected in this context.`, 6, 7},
		{`!`, `Unexpected end of filter expression.`, 1, 1},
		{`tcp.port in {80..}`, `"}" was unexpected in this context.`, 17, 18},
		{`tcp.port in {..80}`, `".." was unexpected in this context.`, 13, 15},
		{`{tcp.port == 80}`, `"==" was unexpected in this context.`, 10, 12},
		{`1 + 1 == 2`, `Constant arithmetic expression on the LHS is invalid.`, 0, 1},
		{`http.host == "\?"`, `\? is not a valid character escape sequence`, 14, 16},
		{`http.host == "\x"`, `\x is not a valid character escape sequence`, 14, 16},
		{`http.host == "\777"`, `\777 is larger than 255.`, 14, 18},
		{`http.host == "\u0041"`, `\u0041 is not a valid universal character name`, 14, 20},
		{`http.host == "\ud800"`, `\ud800 is not a valid universal character name`, 14, 20},
		{`tcp.srcport == '\q'`, `'\q' isn't a valid character constant.`, 15, 19},
		{`tcp.srcport == ''`, `Empty character constant.`, 15, 17},
		{`tcp.srcport == 'ab'`, `'ab' is too long to be a valid character constant.`, 15, 19},
	} {
		_, err := Compile(tc.expr, testRegistry())
		el, ok := err.(*ErrorList)
		if !ok || len(el.Errors) == 0 {
			t.Errorf("%s: err = %v, want %q", tc.expr, err, tc.msg)
			continue
		}
		e := el.First()
		if e.Msg != tc.msg || e.Pos != tc.pos || e.End != tc.end {
			t.Errorf("%s:\n got %q [%d,%d)\nwant %q [%d,%d)", tc.expr, e.Msg, e.Pos, e.End, tc.msg, tc.pos, tc.end)
		}
	}
}

func TestErrorCaret(t *testing.T) {
	_, err := Compile("tcp.port in {80 443}", testRegistry())
	want := "\"443\" was unexpected in this context.\n    tcp.port in {80 443}\n                    ^~~"
	if err == nil || err.Error() != want {
		t.Fatalf("error text\n%v\nwant\n%s", err, want)
	}
}

// dump prints a tree without positions or spellings, to compare trees.
func dump(x Expr) string {
	var b strings.Builder
	var walk func(x Expr)
	walk = func(x Expr) {
		switch x := x.(type) {
		case nil:
			b.WriteString("nil")
		case *Word:
			fmt.Fprintf(&b, "W(%v,%s)", x.Dot, x.Name)
		case *String:
			fmt.Fprintf(&b, "S(%q)", x.Value)
		case *Char:
			fmt.Fprintf(&b, "C(%d)", x.Value)
		case *Call:
			fmt.Fprintf(&b, "Call(%s", x.Fun.Name)
			for _, a := range x.Args {
				b.WriteByte(' ')
				walk(a)
			}
			b.WriteByte(')')
		case *Slice:
			b.WriteString("Slice(")
			walk(x.X)
			for _, r := range x.Ranges {
				fmt.Fprintf(&b, " %d/%d/%d", r.Kind, r.Start, r.N)
			}
			b.WriteByte(')')
		case *Brace:
			b.WriteString("Brace(")
			walk(x.X)
			b.WriteByte(')')
		case *Paren:
			b.WriteString("Paren(")
			walk(x.X)
			b.WriteByte(')')
		case *Unary:
			fmt.Fprintf(&b, "U%s(", x.Op)
			walk(x.X)
			b.WriteByte(')')
		case *Binary:
			fmt.Fprintf(&b, "B%s(", x.Op)
			walk(x.X)
			b.WriteByte(' ')
			walk(x.Y)
			b.WriteByte(')')
		case *Compare:
			fmt.Fprintf(&b, "Cmp%s%s(", x.Quant, x.Op)
			walk(x.X)
			b.WriteByte(' ')
			walk(x.Y)
			b.WriteByte(')')
		case *In:
			fmt.Fprintf(&b, "In%s%v(", x.Quant, x.Not)
			walk(x.X)
			for _, e := range x.Elems {
				b.WriteByte(' ')
				walk(e.Lo)
				if e.Hi != nil {
					b.WriteString("..")
					walk(e.Hi)
				}
			}
			b.WriteByte(')')
		case *Bad:
			b.WriteString("Bad")
		default:
			fmt.Fprintf(&b, "%T", x)
		}
	}
	walk(x)
	return b.String()
}

var printerCases = []string{
	`tcp`, `.tcp`, `!(arp or dns)`, `not tcp and udp or !icmp`, `a and (b or c)`,
	`ip.addr eq 10.0.0.1 and tcp.port in {80,443,8000..8080}`,
	`tcp.port not in {1 .. 3, 5}`, `all tcp.port > 1024`, `any ip.addr != 1.2.3.4`,
	`ip.addr === 1.2.3.4 || ip.addr !== 1.2.3.4 || ip.addr ~= 1.2.3.4`,
	`tcp.flags & 0x12 == 0x12`, `eth.dst[0] bitand 1`, `{frame.len - frame.cap_len} * 2 > -10`,
	`- -frame.len == +74`, `frame.len % 3 / 2 >= 1`,
	`http.host matches "\\.org$"`, `http.request.uri matches r"\.txt$"`, `http.host ~ "a\"b\n\x01"`,
	`tcp.srcport == 'P'`, `tcp.srcport == '\x50'`,
	`frame[12:2] == 08:00`, `frame[-2:] == 0a0d`, `ip.src[1,3-4,:2,5:] contains 01`, `http.host[0] == 62`,
	`len(http.host) > 3 && count(ip.addr) == 2 && max(tcp.srcport, tcp.dstport, 1) < 100`,
	`lower(upper(http.host)) == "x"`, `string(frame.number) matches "^1"`,
	`ipv6.addr == 2001:618:400::/48 && eth.addr == ff:ff:ff:ff:ff:ff`, `ip.src == 10.0.0.0/8`,
	`frame.time >= "2013-04-03 01:42:00"`, `frame.time_relative in {0 .. 0.1}`,
	`http.request.method in {"GET", "HEAD"}`, `x contains ":11:22"`,
	`all tcp.port not in {80}`, `a < b <= c == d`, `!a == b == c || x`,
}

// String (Format) must print source that parses back to the same tree.
func TestPrinterRoundTrip(t *testing.T) {
	for _, src := range printerCases {
		tree, err := Parse(src)
		if err != nil {
			t.Errorf("Parse(%q): %v", src, err)
			continue
		}
		out := Format(tree)
		tree2, err := Parse(out)
		if err != nil {
			t.Errorf("Parse(Format(%q)) = Parse(%q): %v", src, out, err)
			continue
		}
		if d1, d2 := dump(tree), dump(tree2); d1 != d2 {
			t.Errorf("%q printed as %q:\n %s\n %s", src, out, d1, d2)
		}
		if out2 := Format(tree2); out2 != out {
			t.Errorf("Format not idempotent: %q then %q", out, out2)
		}
	}
}

// Parse returns a partial tree with a Bad node where it stopped.
func TestPartialTree(t *testing.T) {
	tree, err := Parse("tcp && ip.addr == ")
	if err == nil {
		t.Fatal("no error")
	}
	b, ok := tree.(*Binary)
	if !ok || b.Op != AND {
		t.Fatalf("tree %s, want an && node", dump(tree))
	}
	if c, ok := b.Y.(*Compare); !ok || !reflect.DeepEqual(c.Y, &Bad{From: 18, To: 18}) {
		t.Fatalf("tree %s, want a comparison with a Bad right side", dump(tree))
	}
}

func TestScanner(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`ip.src==10.0.0.0/8`, `WORD:ip.src == WORD:10.0.0.0/8`},
		{`{1..3, 7}`, `{ WORD:1 .. WORD:3 , WORD:7 }`},
		{`{0.5..10.5}`, `{ WORD:0.5 .. WORD:10.5 }`},
		{`ipv6.addr==2001:db8::/32`, `WORD:ipv6.addr == WORD:2001:db8::/32`},
		{`eth.src==ff:ff:ff:ff:ff:ff`, `WORD:eth.src == WORD:ff:ff:ff:ff:ff:ff`},
		{`zz:11:22`, `WORD:zz WORD::11:22`},
		{`8d:`, `WORD:8d ILLEGAL::`},
		{`frame[1:2]&&!x`, `WORD:frame RANGE:1:2 && ! WORD:x`},
		{`a===b!==c~=d~e`, `WORD:a === WORD:b !== WORD:c !== WORD:d matches WORD:e`},
		{`r"a\"b" "c"`, `STRING:r"a\"b" STRING:"c"`},
		{`'a' '\''`, `CHAR:'a' CHAR:'\''`},
		{`frame.len - frame.cap_len`, `WORD:frame.len - WORD:frame.cap_len`},
		{`frame.len-frame.cap_len`, `WORD:frame.len-frame.cap_len`},
	} {
		s := scanner{src: tc.src}
		var got []string
		for {
			_, tok, lit := s.scan()
			if tok == EOF {
				break
			}
			switch tok {
			case WORD, STRING, CHAR, RANGE, ILLEGAL:
				got = append(got, tok.String()+":"+lit)
			default:
				got = append(got, tok.String())
			}
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("%s: %s, want %s", tc.src, g, tc.want)
		}
	}
}

// Match must not allocate, whatever the filter does.
func TestMatchAllocs(t *testing.T) {
	frames := testFrames()
	for _, expr := range []string{
		"ip.addr == 141.142.228.5 && tcp.port in {80, 443} && !tcp.analysis.retransmission",
		`http.host matches "bro" || lower(http.host) contains "x"`,
		`string(ip.src) == "1.2.3.4" or string(eth.src) contains "00"`,
		`frame[12:2] == 08:00 and ip.src[1,3-4] == 01:02:03 and eth[0:3] == c8:bc:c8`,
		`{tcp.srcport + tcp.dstport} * 2 > 100 and tcp.payload & ff:ff != 00:00`,
		`max(tcp.srcport, tcp.dstport) > 80 and len(http.host) > 1 and count(ip.addr) == 2`,
	} {
		fl, err := Compile(expr, testRegistry())
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range frames { // grow the scratch buffers
			fl.Match(f)
		}
		if n := testing.AllocsPerRun(200, func() {
			for _, f := range frames {
				fl.Match(f)
			}
		}); n != 0 {
			t.Errorf("%s: %v allocations per run, want 0", expr, n)
		}
	}
}

func BenchmarkFilterSmallRegistry(b *testing.B) {
	fl, err := Compile("ip.addr == 10.0.0.1 && tcp.port in {80, 443} && !tcp.analysis.retransmission", testRegistry())
	if err != nil {
		b.Fatal(err)
	}
	frames := testFrames()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fl.Match(frames[i%len(frames)])
	}
}
