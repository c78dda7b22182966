// Command tlslab is the HTTPS half of the lab (docs/lab.md, "TLS with key
// logs"): an HTTPS server that speaks HTTP/1.1 and HTTP/2, with a per-URI
// think time, and a client, both on Go's crypto/tls and net/http. The server
// writes every session's secrets in the SSLKEYLOGFILE format
// (tls.Config.KeyLogWriter), so a capture of any client talking to it can be
// decrypted. lab/tls.sh runs them in network namespaces and captures with
// tcpdump.
//
//	tlslab serve -addr 10.77.0.2:443 -keylog keys.txt [-max 1.2] [-suite NAME]
//	tlslab get [-h2] [-parallel] URL...
package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: tlslab serve|get [flags]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		serve(os.Args[2:])
	case "get":
		get(os.Args[2:])
	default:
		fmt.Fprintln(os.Stderr, "usage: tlslab serve|get [flags]")
		os.Exit(2)
	}
}

// selfSigned makes a certificate for host with key k.
func selfSigned(host string, k any, pub any) tls.Certificate {
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: host, Organization: []string{"wirewatch lab"}},
		DNSNames:     []string{host},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, k)
	if err != nil {
		log.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: k}
}

var suites = map[string]uint16{
	"ECDHE-RSA-AES128-GCM-SHA256":   tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	"ECDHE-RSA-AES256-GCM-SHA384":   tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	"ECDHE-RSA-CHACHA20-POLY1305":   tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	"ECDHE-ECDSA-AES128-GCM-SHA256": tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	"ECDHE-ECDSA-AES256-GCM-SHA384": tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	"ECDHE-ECDSA-CHACHA20-POLY1305": tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	"ECDHE-RSA-AES128-SHA":          tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
	"ECDHE-ECDSA-AES256-SHA":        tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
	"ECDHE-RSA-AES128-SHA256":       tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
}

// body returns n bytes of readable text, so a decrypted capture is easy to eyeball.
func body(n int) []byte {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "line %05d of the wirewatch TLS lab response body\n", i)
	}
	return []byte(b.String()[:n])
}

// pngImage is a small real PNG (a gradient), so that image dissectors see a valid file.
func pngImage() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 24, 24))
	for y := 0; y < 24; y++ {
		for x := 0; x < 24; x++ {
			img.Set(x, y, color.RGBA{uint8(x * 10), uint8(y * 10), 128, 255})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}

func serve(args []string) {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	addr := fs.String("addr", "127.0.0.1:8443", "listen address")
	keylog := fs.String("keylog", "", "append session secrets to this file (SSLKEYLOGFILE format)")
	host := fs.String("host", "shop.tls-lab.example", "certificate name")
	maxv := fs.String("max", "1.3", "highest TLS version: 1.2 or 1.3")
	suite := fs.String("suite", "", "TLS 1.2 cipher suite (OpenSSL name); the certificate type follows it")
	think := fs.String("think", "/api/report=2s", "URI=DURATION pairs, comma separated: the server waits that long before answering")
	fs.Parse(args)

	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cfg := &tls.Config{
		Certificates: []tls.Certificate{
			selfSigned(*host, rsaKey, &rsaKey.PublicKey),
			selfSigned(*host, ecKey, &ecKey.PublicKey),
		},
		MinVersion: tls.VersionTLS12,
		MaxVersion: tls.VersionTLS13,
		NextProtos: []string{"h2", "http/1.1"},
	}
	if *maxv == "1.2" {
		cfg.MaxVersion = tls.VersionTLS12
	}
	if *suite != "" {
		id, ok := suites[*suite]
		if !ok {
			log.Fatalf("unknown suite %s", *suite)
		}
		// HTTP/2 requires an AES-128-GCM suite on the list (RFC 7540 9.2.2):
		// it is there too, and the client picks the suite under test by
		// offering only it (tlslab get -suite, curl --ciphers).
		cfg.CipherSuites = []uint16{id, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256}
		if strings.Contains(*suite, "ECDSA") {
			cfg.CipherSuites[1] = tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
			cfg.Certificates = cfg.Certificates[1:]
		} else {
			cfg.Certificates = cfg.Certificates[:1]
		}
	}
	if *keylog != "" {
		f, err := os.OpenFile(*keylog, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			log.Fatal(err)
		}
		cfg.KeyLogWriter = f
	}
	delays := map[string]time.Duration{}
	for _, kv := range strings.Split(*think, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			d, err := time.ParseDuration(v)
			if err != nil {
				log.Fatal(err)
			}
			delays[k] = d
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if d := delays[r.URL.Path]; d > 0 {
			time.Sleep(d)
		}
		n := 1200
		ct := "text/html; charset=utf-8"
		switch {
		case strings.HasSuffix(r.URL.Path, ".js"):
			n, ct = 9000, "application/javascript"
		case strings.HasSuffix(r.URL.Path, ".css"):
			n, ct = 3000, "text/css"
		case strings.HasPrefix(r.URL.Path, "/api/"):
			n, ct = 600, "application/json"
		case strings.HasSuffix(r.URL.Path, ".png"):
			n, ct = 2000, "image/png"
		case strings.HasPrefix(r.URL.Path, "/big"):
			n, ct = 40000, "application/octet-stream"
		}
		if v := r.URL.Query().Get("n"); v != "" {
			n, _ = strconv.Atoi(v)
		}
		b := body(n)
		if r.URL.Path == "/page.html" {
			// a page whose sub-resources a browser fetches on the same connection
			b = []byte(`<!doctype html><html><head><title>wirewatch TLS lab</title>` +
				`<link rel="stylesheet" href="/static/site.css"><script src="/static/app.js"></script></head>` +
				`<body><h1>shop</h1><img src="/static/logo.png"><script>fetch("/api/report").then(r => r.text())` +
				`.then(t => { document.title = "done " + t.length })</script></body></html>`)
		}
		if ct == "image/png" {
			b = pngImage()
		}
		if ct == "application/json" {
			b = []byte(`{"rows":[` + strings.Repeat(`{"id":1,"v":"x"},`, n/18) + `{"id":0}]}`)
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Header().Set("Cache-Control", "no-store")
		if r.URL.Path == "/missing" {
			w.WriteHeader(http.StatusNotFound)
		}
		w.Write(b)
	})
	srv := &http.Server{Handler: mux, TLSConfig: cfg, ErrorLog: log.New(io.Discard, "", 0)}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Fatal(srv.Serve(tls.NewListener(ln, cfg)))
}

func get(args []string) {
	fs := flag.NewFlagSet("get", flag.ExitOnError)
	h2 := fs.Bool("h2", false, "HTTP/2 (else HTTP/1.1)")
	connect := fs.String("connect", "", "dial this address instead of the URL's host")
	parallel := fs.Bool("parallel", false, "fetch the URLs at once (HTTP/2: concurrent streams on one connection)")
	pause := fs.Duration("pause", 50*time.Millisecond, "pause between sequential requests")
	keylog := fs.String("keylog", "", "append session secrets to this file")
	suite := fs.String("suite", "", "offer only this TLS 1.2 cipher suite (OpenSSL name) and at most TLS 1.2")
	fs.Parse(args)
	cfg := &tls.Config{InsecureSkipVerify: true}
	if *suite != "" {
		id, ok := suites[*suite]
		if !ok {
			log.Fatalf("unknown suite %s", *suite)
		}
		cfg.CipherSuites, cfg.MaxVersion = []uint16{id}, tls.VersionTLS12
	}
	if *keylog != "" {
		f, err := os.OpenFile(*keylog, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			log.Fatal(err)
		}
		cfg.KeyLogWriter = f
	}
	dial := func(network, addr string) (net.Conn, error) {
		if *connect != "" {
			addr = *connect
		}
		return net.Dial(network, addr)
	}
	tr := &http.Transport{
		TLSClientConfig:     cfg,
		MaxConnsPerHost:     1,
		ForceAttemptHTTP2:   *h2,
		DialContext:         nil,
		Dial:                dial,
		DisableCompression:  true,
		MaxIdleConnsPerHost: 1,
	}
	if !*h2 {
		tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
		cfg.NextProtos = []string{"http/1.1"}
	}
	c := &http.Client{Transport: tr}
	fetch := func(u string) {
		t0 := time.Now()
		resp, err := c.Get(u)
		if err != nil {
			log.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		fmt.Printf(`{"url":%q,"proto":%q,"status":%d,"bytes":%d,"seconds":%.3f}`+"\n", u, resp.Proto, resp.StatusCode, n, time.Since(t0).Seconds())
	}
	urls := fs.Args()
	if *parallel {
		fetch(urls[0]) // open the connection first
		var wg sync.WaitGroup
		for _, u := range urls[1:] {
			wg.Add(1)
			go func() { defer wg.Done(); fetch(u) }()
		}
		wg.Wait()
	} else {
		for i, u := range urls {
			if i > 0 {
				time.Sleep(*pause)
			}
			fetch(u)
		}
	}
	tr.CloseIdleConnections()
}
