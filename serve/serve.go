// Package serve is `wirewatch serve`: a read-only web workbench over one or
// more capture files (packet list, display filters, details and bytes,
// follow, statistics, diagnose), served with its web app embedded in the
// binary.
//
// Each capture is indexed once by one pass of the pipeline (package
// pipeline): the packet-list columns, stream numbers, colouring, the
// statistics tables and the diagnosis. The index is kept in a cache
// directory and reused while the file's path, size and modification time
// are unchanged. Display filters run as pipeline passes whose matching
// frame numbers are kept (a few filters per capture), so paging through a
// filtered list reads only the index.
//
// Everything from a capture is untrusted: the API returns JSON, the app
// renders it with textContent only, and every page carries a
// Content-Security-Policy without inline script or any other origin.
package serve

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

//go:embed web
var webFS embed.FS

// Options configure a Server.
type Options struct {
	// Files are the capture files (or directories of them) served, merged
	// by time into one list of frames, as mergecap would (the command
	// line's FILE|DIR... arguments).
	Files []string
	// Captures are more captures served side by side (?c=1, ?c=2...),
	// each its files merged by time.
	Captures [][]string
	// CacheDir keeps the indexes ("" = the user cache directory's
	// wirewatch/serve; "-" = no cache).
	CacheDir string
	// Token, when set, must be presented by every request (?token= once,
	// then a cookie). ListenAndServe generates one for non-loopback addresses.
	Token string
	// Log receives progress lines (index building); nil = none.
	Log io.Writer
}

// Server serves the captures of Options.
type Server struct {
	opts Options
	caps []*Capture
	mux  *http.ServeMux
}

// Capture is the capture served: one file, or several merged by time
// (frame numbers count over the merged frames), and its index.
type Capture struct {
	Files  []string
	Name   string
	Size   int64
	ix     *index
	ready  chan struct{}
	fmu    sync.Mutex
	filts  map[string]*filterResult
	forder []string
	lazies map[string]*lazyReport
}

// New checks that every file can be opened and returns a server; Start
// builds (or loads) the index.
func New(o Options) (*Server, error) {
	groups := o.Captures
	if len(o.Files) > 0 {
		groups = append([][]string{o.Files}, groups...)
	}
	if len(groups) == 0 {
		return nil, errors.New("serve: no capture file given")
	}
	if o.CacheDir == "" {
		if d, err := os.UserCacheDir(); err == nil {
			o.CacheDir = filepath.Join(d, "wirewatch", "serve")
		} else {
			o.CacheDir = "-"
		}
	}
	s := &Server{opts: o}
	for _, g := range groups {
		c, err := newCapture(g)
		if err != nil {
			return nil, err
		}
		s.caps = append(s.caps, c)
	}
	s.routes()
	return s, nil
}

func newCapture(args []string) (*Capture, error) {
	files, err := expandArgs(args)
	if err != nil {
		return nil, err
	}
	c := &Capture{Files: files, Name: filepath.Base(files[0]), ix: &index{}, ready: make(chan struct{}), filts: map[string]*filterResult{}}
	if len(files) > 1 {
		c.Name = fmt.Sprintf("%s + %d files", c.Name, len(files)-1)
	}
	for _, p := range files {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("serve: %w", err)
		}
		c.Size += st.Size()
	}
	return c, nil
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Log != nil {
		fmt.Fprintf(s.opts.Log, format+"\n", args...)
	}
}

// Start loads the index from the cache or builds it in the background;
// the API answers meanwhile with what is indexed so far.
func (s *Server) Start(ctx context.Context) {
	go func() {
		for _, c := range s.caps {
			s.index(ctx, c)
		}
	}()
}

// Wait blocks until every index is ready (tests, benchmarks).
func (s *Server) Wait() {
	for _, c := range s.caps {
		<-c.ready
	}
}

func (s *Server) index(ctx context.Context, c *Capture) {
	var once sync.Once
	ready := func() { once.Do(func() { close(c.ready) }) }
	defer ready()
	var file string
	if s.opts.CacheDir != "-" {
		if k, err := cacheKey(c.Files); err == nil {
			file = filepath.Join(s.opts.CacheDir, k)
			t0 := time.Now()
			if err := c.ix.load(file); err == nil {
				s.logf("wirewatch serve: %s: index loaded from the cache in %.2f s (%d frames)", c.Name, time.Since(t0).Seconds(), c.ix.n())
				return
			}
		}
	}
	s.logf("wirewatch serve: %s: indexing %d MB...", c.Name, c.Size/1e6)
	stop := make(chan struct{})
	go func() { // progress on stderr while it builds
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				s.logf("wirewatch serve: %s: indexed %d frames (%d%%)", c.Name, c.ix.count.Load(), c.ix.percent())
			}
		}
	}()
	err := c.ix.build(ctx, c.Files)
	close(stop)
	if err != nil {
		s.logf("wirewatch serve: %s: %v (serving the %d frames read before it)", c.Name, err, c.ix.n())
		return // a damaged capture is not cached: the next start tries again
	}
	s.logf("wirewatch serve: %s: indexed %d frames in %.2f s", c.Name, c.ix.n(), c.ix.built.Seconds())
	ready() // the index serves while it is saved
	if file != "" {
		if err := c.ix.save(file); err != nil {
			s.logf("wirewatch serve: cache: %v", err)
		}
	}
}

// Handler returns the HTTP handler: the app, the API and the security
// headers and checks around them.
func (s *Server) Handler() http.Handler { return s }

const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "read-only", http.StatusMethodNotAllowed)
		return
	}
	if s.opts.Token != "" {
		ok := false
		if q := r.URL.Query().Get("token"); q != "" && subtle.ConstantTimeCompare([]byte(q), []byte(s.opts.Token)) == 1 {
			http.SetCookie(w, &http.Cookie{Name: "wirewatch_token", Value: s.opts.Token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
			ok = true
		} else if c, err := r.Cookie("wirewatch_token"); err == nil && subtle.ConstantTimeCompare([]byte(c.Value), []byte(s.opts.Token)) == 1 {
			ok = true
		}
		if !ok {
			http.Error(w, "wirewatch serve: open the URL with the token printed at start", http.StatusForbidden)
			return
		}
	} else if !loopbackHost(r.Host) {
		// DNS rebinding: a page of another site resolving its name to
		// 127.0.0.1 must not read the captures.
		http.Error(w, "wirewatch serve: bad Host", http.StatusForbidden)
		return
	}
	s.mux.ServeHTTP(w, r)
}

func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (s *Server) routes() {
	m := http.NewServeMux()
	sub, _ := fs.Sub(webFS, "web")
	files := http.FileServer(http.FS(sub))
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			b, _ := webFS.ReadFile("web/index.html")
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			w.Write(b)
			return
		}
		files.ServeHTTP(w, r)
	})
	m.HandleFunc("/api/captures", s.apiCaptures)
	m.HandleFunc("/api/check", s.apiCheck)
	m.HandleFunc("/api/packets", s.apiPackets)
	m.HandleFunc("/api/frame", s.apiFrame)
	m.HandleFunc("/api/follow", s.apiFollow)
	m.HandleFunc("/api/report", s.apiReport)
	m.HandleFunc("/api/colours", s.apiColours)
	m.HandleFunc("/colours.css", s.apiColoursCSS)
	s.uiRoutes(m)
	s.mux = m
}

// NewToken returns a random token for non-loopback listening.
func NewToken() string {
	var b [24]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// IsLoopback reports whether addr (host:port) listens on loopback only.
func IsLoopback(addr string) bool {
	h, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// ListenAndServe serves s on addr until ctx is done, printing the URL to
// out (with the token when addr is not loopback).
func ListenAndServe(ctx context.Context, addr string, o Options, out io.Writer) error {
	if !IsLoopback(addr) && o.Token == "" {
		o.Token = NewToken()
	}
	if o.Log == nil {
		o.Log = out
	}
	s, err := New(o)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	url := "http://" + ln.Addr().String() + "/"
	if o.Token != "" {
		url += "?token=" + o.Token
	}
	fmt.Fprintf(out, "wirewatch serve: %s\n", url)
	s.Start(ctx)
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
