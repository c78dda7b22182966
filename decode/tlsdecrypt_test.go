package decode

import (
	"bytes"
	"encoding/binary"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
)

// The lab's HTTPS captures (lab/tls.sh) and their key logs seed these tests
// and the fuzz targets: real TLS 1.2 and 1.3 sessions from Go and curl.
const tlsLab = "../testdata/tls"

// tlsSession returns the TCP payloads of a lab capture in capture order,
// each tagged with its direction (0 client → server, 1 back), and its key log.
func tlsSession(t testing.TB, name string) ([][]byte, []int, *KeyLog) {
	segs, dirs, _, kl := tlsSessions(t, name)
	return segs, dirs, kl
}

// tlsSessions is tlsSession with each payload's client port (its connection).
func tlsSessions(t testing.TB, name string) ([][]byte, []int, []uint16, *KeyLog) {
	t.Helper()
	kl, err := LoadKeyLog(filepath.Join(tlsLab, name+".keys"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := capture.Open(filepath.Join(tlsLab, name+".pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	d := NewDecoder(Options{})
	var f Frame
	var segs [][]byte
	var dirs []int
	var conns []uint16
	for {
		p, err := r.Next()
		if err != nil {
			break
		}
		f.Number++
		d.Decode(&f, p)
		if !f.Has(ProtoTCP) || len(f.Payload) == 0 {
			continue
		}
		dir, port := 0, f.TCP.SrcPort
		if f.TCP.SrcPort == 443 {
			dir, port = 1, f.TCP.DstPort
		}
		segs = append(segs, append([]byte(nil), f.Payload...))
		dirs = append(dirs, dir)
		conns = append(conns, port)
	}
	return segs, dirs, conns, kl
}

// TestTLSDecryptLab decrypts every lab session directly (no package flow)
// and checks that HTTP came out of each and nothing failed to decrypt.
func TestTLSDecryptLab(t *testing.T) {
	names, _ := filepath.Glob(filepath.Join(tlsLab, "*.pcapng"))
	if len(names) == 0 {
		t.Fatal("no lab captures in " + tlsLab)
	}
	for _, p := range names {
		name := strings.TrimSuffix(filepath.Base(p), ".pcapng")
		segs, dirs, conns, kl := tlsSessions(t, name)
		d := NewDecoder(Options{KeyLog: kl})
		sess := map[uint16]*TLSDecrypt{}
		var f Frame
		h1, h2 := 0, 0
		for i, b := range segs {
			f.Number++
			f.reset()
			f.TS = int64(i)
			s := sess[conns[i]]
			if s == nil {
				s = d.NewTLSDecrypt()
				sess[conns[i]] = s
			}
			d.TLSSegment(s, dirs[i], &f, b)
			if f.Has(ProtoHTTP) {
				h1++
			}
			if f.Has(ProtoHTTP2) {
				h2++
			}
		}
		for port, s := range sess {
			if s.dirs[0].failed || s.dirs[1].failed {
				t.Errorf("%s port %d: decryption failed (client %v, server %v)", name, port, s.dirs[0].failed, s.dirs[1].failed)
			}
			if s.suite == nil {
				t.Errorf("%s port %d: no cipher suite", name, port)
				continue
			}
			t.Logf("%s port %d: suite %#04x version %#04x, encrypt-then-MAC %v", name, port, s.suite.id, s.version, s.etm)
		}
		if h1+h2 == 0 {
			t.Errorf("%s: no HTTP decrypted", name)
		}
		t.Logf("%s: %d connections, %d HTTP/1.x, %d HTTP/2 frames", name, len(sess), h1, h2)
	}
}

// TestTLSDecryptWrongKey: a key log with other secrets decrypts nothing and stops cleanly.
func TestTLSDecryptWrongKey(t *testing.T) {
	segs, dirs, kl := tlsSession(t, "tls13-chacha20-h2")
	bad := &KeyLog{secrets: map[keyLogKey][]byte{}}
	for k, v := range kl.secrets {
		w := bytes.Clone(v)
		w[0] ^= 1
		bad.secrets[k] = w
	}
	d := NewDecoder(Options{KeyLog: bad})
	s := d.NewTLSDecrypt()
	var f Frame
	for i, b := range segs {
		f.reset()
		d.TLSSegment(s, dirs[i], &f, b)
		if f.Has(ProtoHTTP) || f.Has(ProtoHTTP2) {
			t.Fatal("decoded HTTP with the wrong key")
		}
	}
	if !s.dirs[0].failed || !s.dirs[1].failed {
		t.Error("a wrong key did not stop decryption")
	}
}

func TestParseKeyLog(t *testing.T) {
	in := "# comment\n\nCLIENT_RANDOM " + strings.Repeat("ab", 32) + " " + strings.Repeat("01", 48) + "\n" +
		"CLIENT_TRAFFIC_SECRET_0 " + strings.Repeat("cd", 32) + " " + strings.Repeat("02", 32) + "\n" +
		"EXPORTER_SECRET " + strings.Repeat("cd", 32) + " " + strings.Repeat("02", 32) + "\n" +
		"CLIENT_RANDOM zz 00\n" + "garbage\n"
	k, err := ParseKeyLog(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if k.Len() != 2 || k.Skipped() != 2 {
		t.Errorf("Len %d Skipped %d, want 2 and 2", k.Len(), k.Skipped())
	}
}

// fuzzChunks splits fuzz input into (direction, bytes) chunks: a byte whose
// low bit is the direction, a byte of length, the bytes.
func fuzzChunks(data []byte, fn func(dir int, b []byte)) {
	for len(data) >= 2 {
		dir, n := int(data[0]&1), int(data[1])+1
		data = data[2:]
		n = min(n, len(data))
		fn(dir, data[:n])
		data = data[n:]
	}
}

// chunked encodes segments as fuzzChunks reads them.
func chunked(segs [][]byte, dirs []int, max int) []byte {
	var out []byte
	for i, b := range segs {
		for len(b) > 0 && len(out) < max {
			n := min(len(b), 256)
			out = append(out, byte(dirs[i]), byte(n-1))
			out = append(out, b[:n]...)
			b = b[n:]
		}
	}
	return out
}

// FuzzTLSDecrypt feeds the record layer and the decryption arbitrary byte
// streams in both directions, with the key log of a lab session so that the
// seeds (real sessions, TLS 1.2 and 1.3) reach the decrypted protocols.
// Inputs are large: fuzz with -fuzzminimizetime 2s, or minimizing one
// interesting input takes minutes.
func FuzzTLSDecrypt(f *testing.F) {
	var kls []*KeyLog
	for _, name := range []string{"tls13-chacha20-h2", "tls12-rsa-aes128gcm-h1", "tls13-aes256gcm-h1", "tls12-ecdsa-aes256gcm-h2"} {
		segs, dirs, kl := tlsSession(f, name)
		kls = append(kls, kl)
		f.Add(uint8(len(kls)-1), chunked(segs, dirs, 12<<10))
	}
	f.Add(uint8(0), []byte{0, 4, 22, 3, 1, 0, 1})
	f.Fuzz(func(t *testing.T, k uint8, data []byte) {
		d := NewDecoder(Options{KeyLog: kls[int(k)%len(kls)]})
		s := d.NewTLSDecrypt()
		var fr Frame
		fuzzChunks(data, func(dir int, b []byte) {
			fr.reset()
			fr.Number++
			d.TLSSegment(s, dir, &fr, b)
			_ = fr.AppendInfo(nil)
		})
	})
}

// FuzzHTTP2 feeds the HTTP/2 frame parser and HPACK arbitrary decrypted
// bytes in both directions of a connection.
func FuzzHTTP2(f *testing.F) {
	frame := func(typ, flags uint8, stream uint32, p []byte) []byte {
		b := []byte{byte(len(p) >> 16), byte(len(p) >> 8), byte(len(p)), typ, flags, 0, 0, 0, 0}
		binary.BigEndian.PutUint32(b[5:], stream)
		return append(b, p...)
	}
	cli := append([]byte(h2Preface), frame(H2Settings, 0, 0, []byte{0, 1, 0, 0, 0x10, 0})...)
	cli = append(cli, frame(H2Headers, 0x5, 1, []byte{0x82, 0x87, 0x84, 0x41, 0x8a, 0x08, 0x9d, 0x5c, 0x0b, 0x81, 0x70, 0xdc, 0x78, 0x0f, 0x03})...)
	srv := frame(H2Headers, 0x4, 1, []byte{0x3f, 0xe1, 0x1f, 0x88, 0x5f, 0x87, 0x49, 0x7c, 0xa5, 0x8a, 0xe8, 0x19, 0xaa})
	srv = append(srv, frame(H2Data, 0x9, 1, []byte{2, 'h', 'i', 0, 0})...)
	srv = append(srv, frame(H2Headers, 0x0, 3, []byte{0x88})...)
	srv = append(srv, frame(H2Continuation, 0x4, 3, []byte{0x88})...)
	f.Add(chunked([][]byte{cli, srv}, []int{0, 1}, 1<<20))
	f.Fuzz(func(t *testing.T, data []byte) {
		d := NewDecoder(Options{})
		s := &TLSDecrypt{client: 0, alpn: alpnH2}
		var fr Frame
		fuzzChunks(data, func(dir int, b []byte) {
			fr.reset()
			fr.Number++
			d.appData(s, dir, &fr, b)
			_ = fr.AppendInfo(nil)
			for i := range fr.HTTP2.Frames {
				_ = fr.HTTP2.FrameHeaders(i)
			}
		})
	})
}

// FuzzKeyLog parses arbitrary key log text.
func FuzzKeyLog(f *testing.F) {
	f.Add("CLIENT_RANDOM " + strings.Repeat("ab", 32) + " " + strings.Repeat("01", 48) + "\n")
	f.Add("SERVER_HANDSHAKE_TRAFFIC_SECRET " + strings.Repeat("ab", 32) + " " + strings.Repeat("01", 32) + "\n# x\n")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKeyLog(strings.NewReader(s))
		if err == nil && k.Len() < 0 {
			t.Fatal("negative")
		}
	})
}
