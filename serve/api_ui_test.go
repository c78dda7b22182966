package serve_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func getJSON(t *testing.T, u string, v any) int {
	t.Helper()
	r, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", u, err)
	}
	return r.StatusCode
}

// TestUserColumns: the user-column values of every frame are what
// read -T fields -e prints.
func TestUserColumns(t *testing.T) {
	const path = "../examples/fail-open.pcapng"
	ts := startServer(t, path)
	names := []string{"ip.ttl", "tcp.window_size", "dns.qry.name", "http.request.uri", "tcp.analysis.ack_rtt", "eth.src", "frame.len"}
	n := len(readFrames(t, path, "frame"))
	var frames []string
	for i := 1; i <= n; i++ {
		frames = append(frames, strconv.Itoa(i))
	}
	var got map[string][]string
	q := url.Values{"cols": {strings.Join(names, ",")}, "frames": {strings.Join(frames, ",")}}
	if st := getJSON(t, ts.URL+"/api/columns?"+q.Encode(), &got); st != 200 || len(got) != n {
		t.Fatalf("/api/columns: %d, %d frames", st, len(got))
	}
	same, cells := 0, 0
	for k, name := range names {
		want := readFields(t, path, "", name)
		for i := 1; i <= n; i++ {
			cells++
			if g := got[strconv.Itoa(i)][k]; g == want[i] {
				same++
			} else if cells-same <= 5 {
				t.Errorf("frame %d %s: %q, read -T fields %q", i, name, g, want[i])
			}
		}
	}
	t.Logf("user columns: %d/%d cells as read -T fields", same, cells)
	var bad struct{ Error string }
	if st := getJSON(t, ts.URL+"/api/columns?cols=nosuch.field&frames=1", &bad); st != 400 || bad.Error == "" {
		t.Errorf("an unknown field: %d %q", st, bad.Error)
	}
}

// TestApplyAsFilter: "Apply as filter" on every line of a frame's details
// tree gives a filter that compiles and selects that frame.
func TestApplyAsFilter(t *testing.T) {
	const path = "../examples/fail-open.pcapng"
	ts := startServer(t, path)
	var frames []int
	for _, expr := range []string{"http.request", "dns.flags.response == 1", "tcp.analysis.retransmission"} {
		frames = append(frames, readFrames(t, path, expr)[0])
	}
	ok, total, valued := 0, 0, 0
	for _, n := range frames {
		var fr struct {
			Tree []struct {
				F string `json:"f"`
			} `json:"tree"`
		}
		getJSON(t, ts.URL+"/api/frame?n="+strconv.Itoa(n), &fr)
		occ := map[string]int{}
		seen := map[string]bool{}
		for _, nd := range fr.Tree {
			if nd.F == "" {
				continue
			}
			o := occ[nd.F]
			occ[nd.F]++
			var res struct{ Filter string }
			q := url.Values{"n": {strconv.Itoa(n)}, "field": {nd.F}, "occ": {strconv.Itoa(o)}}
			getJSON(t, ts.URL+"/api/fieldfilter?"+q.Encode(), &res)
			if seen[res.Filter] {
				continue
			}
			seen[res.Filter] = true
			total++
			if strings.Contains(res.Filter, " == ") {
				valued++
			}
			var pk struct {
				Rows []struct {
					N int `json:"n"`
				} `json:"rows"`
				Error string `json:"error"`
			}
			q = url.Values{"filter": {res.Filter}, "frame": {strconv.Itoa(n)}, "count": {"1"}}
			getJSON(t, ts.URL+"/api/packets?"+q.Encode(), &pk)
			if len(pk.Rows) == 1 && pk.Rows[0].N == n {
				ok++
			} else {
				t.Errorf("frame %d %s occurrence %d: %q does not select it (%s)", n, nd.F, o, res.Filter, pk.Error)
			}
		}
	}
	t.Logf("apply as filter: %d/%d filters (%d with a value) select their frame", ok, total, valued)
	if valued < total/2 {
		t.Errorf("only %d of %d filters carry a value", valued, total)
	}
}
