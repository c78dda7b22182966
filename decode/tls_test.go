package decode

import (
	"testing"
)

func decodeTLSBytes(f *Frame, b []byte) bool {
	f.reset()
	f.Data = b
	return NewDecoder(Options{}).decodeTLS(f, b)
}

func TestTLSSeeds(t *testing.T) {
	seeds := seedFiles(t, "FuzzTLS")
	var f Frame
	tests := []struct {
		seed, info string
		hs         uint8
		sni        string
		alpn       int
		suppVer    uint16
		alert      bool
	}{
		{seed: "tls13_client_hello", info: "Client Hello", hs: 1, sni: "www.example.com", alpn: 2, suppVer: 0x0304},
		{seed: "tls13_server_flight", info: "Server Hello, Change Cipher Spec, Application Data, Application Data, Application Data, Application Data, Application Data", hs: 2, suppVer: 0x0304},
		{seed: "tls12_server_hello_done", info: "Server Hello, Certificate, Server Key Exchange, Server Hello Done", hs: 2, alpn: 1},
		{seed: "tls12_client_key_exchange", info: "Client Key Exchange, Change Cipher Spec, Encrypted Handshake Message", hs: 16},
		{seed: "tls12_alert_bad_certificate", info: "Alert (Level: Fatal, Description: Bad Certificate)", alert: true},
	}
	for _, tt := range tests {
		t.Run(tt.seed, func(t *testing.T) {
			b, ok := seeds[tt.seed]
			if !ok {
				t.Fatalf("seed %s missing", tt.seed)
			}
			if !decodeTLSBytes(&f, b) {
				t.Fatal("not decoded as TLS")
			}
			s := &f.TLS
			if s.HandshakeType != tt.hs || string(s.SNI) != tt.sni || len(s.ALPN) != tt.alpn ||
				s.SupportedVersion != tt.suppVer || s.HasAlert != tt.alert {
				t.Errorf("handshake %d sni %q alpn %q supported %#x alert %v", s.HandshakeType, s.SNI, s.ALPN, s.SupportedVersion, s.HasAlert)
			}
			info, _ := appendAppInfo(nil, &f)
			if string(info) != tt.info {
				t.Errorf("Info:\n got %q\nwant %q", info, tt.info)
			}
		})
	}
	decodeTLSBytes(&f, seeds["tls13_client_hello"])
	if f.TLS.HelloVersion != 0x0303 || len(f.TLS.CipherSuites) < 2 || string(f.TLS.ALPN[0]) != "h2" {
		t.Errorf("ClientHello version %#x suites %d alpn %q", f.TLS.HelloVersion, len(f.TLS.CipherSuites)/2, f.TLS.ALPN)
	}
}

func TestTLSHostile(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
		ok   bool
		info string
	}{
		{name: "short", b: []byte{22, 3, 1, 0}},
		{name: "record past end", b: []byte{22, 3, 1, 0, 10, 1, 0, 0}},
		{name: "bad version", b: []byte{22, 2, 0, 0, 1, 0}},
		{name: "zero length", b: []byte{23, 3, 3, 0, 0}},
		{name: "hello with lengths past end", b: []byte{22, 3, 1, 0, 8, 1, 0, 0, 4, 3, 3, 0xff, 0xff}, ok: true, info: "Client Hello"},
		{name: "handshake message past record", b: []byte{22, 3, 3, 0, 6, 11, 0, 1, 0, 0, 0}, ok: true, info: "[TLS segment of a reassembled PDU]"},
		{name: "encrypted alert", b: []byte{21, 3, 3, 0, 3, 1, 2, 3}, ok: true, info: "Encrypted Alert"},
		{name: "second record cut", b: []byte{20, 3, 3, 0, 1, 1, 23, 3, 3, 0, 10, 1}, ok: true, info: "Change Cipher Spec"},
		{name: "trailing garbage", b: []byte{23, 3, 3, 0, 1, 9, 0, 0}, ok: true, info: "Application Data"},
	}
	// A ClientHello whose extension block claims more than it holds.
	ch := []byte{22, 3, 1, 0, 0, 1, 0, 0, 0, 3, 3}
	ch = append(ch, make([]byte, 32)...)
	ch = append(ch, 0, 0, 2, 0x13, 0x01, 1, 0, 0xff, 0xff, 0, 0, 0, 9, 0, 7, 0, 0, 200, 'a')
	ch[3], ch[4] = 0, byte(len(ch)-5)
	ch[8] = byte(len(ch) - 9)
	tests = append(tests, struct {
		name string
		b    []byte
		ok   bool
		info string
	}{name: "bad extensions", b: ch, ok: true, info: "Client Hello"})
	var f Frame
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ok := decodeTLSBytes(&f, tt.b); ok != tt.ok {
				t.Fatalf("decoded = %v, want %v", ok, tt.ok)
			}
			if !tt.ok {
				return
			}
			info, _ := appendAppInfo(nil, &f)
			if string(info) != tt.info {
				t.Errorf("Info = %q, want %q", info, tt.info)
			}
			if f.TLS.SNI != nil {
				t.Errorf("SNI %q from a broken extension", f.TLS.SNI)
			}
		})
	}
}

func TestTLSAllocs(t *testing.T) {
	var f Frame
	d := NewDecoder(Options{})
	info := make([]byte, 0, 1024)
	for name, b := range seedFiles(t, "FuzzTLS") {
		run := func() {
			f.reset()
			f.Data = b
			d.decodeTLS(&f, b)
			info, _ = appendAppInfo(info[:0], &f)
		}
		run()
		if n := testing.AllocsPerRun(100, run); n != 0 {
			t.Errorf("%s: %v allocations per message, want 0", name, n)
		}
	}
}

func FuzzTLS(f *testing.F) {
	for _, b := range corpusPayloads(f, ProtoTLS, 200) {
		f.Add(b)
	}
	d := NewDecoder(Options{})
	var fr Frame
	var st AppStream
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzStream(t, d, &fr, &st, 443, b)
		fr.reset()
		fr.Data = b
		if !d.decodeTLS(&fr, b) {
			return
		}
		s := &fr.TLS
		if s.Records == 0 || len(s.Msgs) > tlsMaxMsgs || len(s.ALPN) > tlsMaxALPN {
			t.Fatalf("records %d msgs %d alpn %d", s.Records, len(s.Msgs), len(s.ALPN))
		}
		if n := TLSRecordsLen(b); n < fr.Layers[0].Len {
			t.Fatalf("TLSRecordsLen %d < decoded %d", n, fr.Layers[0].Len)
		}
		appendAppInfo(nil, &fr)
	})
}

func BenchmarkTLS(b *testing.B) {
	msg := seedFiles(b, "FuzzTLS")["tls13_client_hello"]
	d := NewDecoder(Options{})
	var f Frame
	info := make([]byte, 0, 512)
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for i := 0; i < b.N; i++ {
		f.reset()
		f.Data = msg
		d.decodeTLS(&f, msg)
		info, _ = appendAppInfo(info[:0], &f)
	}
}
