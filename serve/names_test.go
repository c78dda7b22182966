package serve_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/serve"
)

// TestEndpointNames: the endpoints report names the addresses the
// capture's DNS answers name, as tshark -N dn names them.
func TestEndpointNames(t *testing.T) {
	const path = "../examples/dns-slow.pcapng"
	s, err := serve.New(serve.Options{Files: []string{path}, CacheDir: "-"})
	if err != nil {
		t.Fatal(err)
	}
	s.Start(context.Background())
	s.Wait()
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "http://127.0.0.1/api/report?name=endpoints", nil))
	var doc struct {
		Endpoints []struct {
			Address string
			Name    string
			Frames  int64
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("%v: %s", err, rec.Body)
	}
	named := 0
	for _, e := range doc.Endpoints {
		if e.Name == "" {
			continue
		}
		named++
		out, err := exec.Command("tshark", "-r", path, "-N", "dn", "-Y", "ip.src == "+e.Address).Output()
		if err != nil {
			t.Fatalf("tshark: %v", err)
		}
		// tshark names an address once the DNS answer was seen: its last frame
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if last := lines[len(lines)-1]; !strings.Contains(last, " "+e.Name+" ") {
			t.Errorf("%s named %q, tshark -N dn lists %q", e.Address, e.Name, last)
		}
	}
	t.Logf("%d of %d endpoints named", named, len(doc.Endpoints))
	if named == 0 || doc.Endpoints[0].Frames == 0 {
		t.Fatalf("no endpoint named: %s", rec.Body)
	}
}
