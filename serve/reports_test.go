package serve_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/cli"
	"github.com/wirewatch/wirewatch/serve"
)

// TestLazyReports: the conversation and endpoint kinds built on request
// are what `wirewatch stats conv|endpoints KIND -T json` prints.
func TestLazyReports(t *testing.T) {
	const path = "../examples/fail-open.pcapng"
	s, err := serve.New(serve.Options{Files: []string{path}, CacheDir: "-"})
	if err != nil {
		t.Fatal(err)
	}
	s.Start(context.Background())
	s.Wait()
	for _, name := range []string{"conv_eth", "conv_ip", "conv_udp", "endpoints_eth", "endpoints_tcp", "endpoints_udp"} {
		rep, kind, _ := strings.Cut(name, "_")
		var out, errb bytes.Buffer
		if rc := cli.Main(context.Background(), []string{"stats", rep, kind, "-T", "json", path}, nil, &out, &errb); rc != 0 {
			t.Fatalf("stats %s %s: %s", rep, kind, errb.String())
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "http://127.0.0.1/api/report?name="+name, nil))
		var got, want any
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatalf("%s: %v: %s", name, err, rec.Body)
		}
		json.Unmarshal(out.Bytes(), &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the report differs from stats %s %s -T json:\n%.300s\nwant\n%.300s", name, rep, kind, rec.Body, out.String())
		}
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "http://127.0.0.1/api/report?name=nope", nil))
	if rec.Code != 404 {
		t.Errorf("unknown report: status %d", rec.Code)
	}
}
