package serve_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
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

// TestIOGraph: the I/O graph's intervals add up to the capture's frames,
// bytes and retransmissions (read -Y tcp.analysis.retransmission), over
// the whole capture and over a zoomed span.
func TestIOGraph(t *testing.T) {
	const path = "../examples/fail-open.pcapng"
	ts := startServer(t, path)
	rel := readFields(t, path, "", "frame.time_relative")
	lens := readFields(t, path, "", "frame.len")
	retrans := readFrames(t, path, "tcp.analysis.retransmission")
	type bucket struct{ Frames, Bytes, Retrans, First int }
	var g struct {
		Interval, From float64
		Buckets        []bucket
	}
	check := func(q string, from, to float64) {
		t.Helper()
		getJSON(t, ts.URL+"/api/iograph?"+q, &g)
		var frames, bytes, re int
		for _, b := range g.Buckets {
			frames += b.Frames
			bytes += b.Bytes
			re += b.Retrans
		}
		var wf, wb, wr int
		for n, v := range rel {
			s, _ := strconv.ParseFloat(v, 64)
			if s >= from && s < to {
				wf++
				l, _ := strconv.Atoi(lens[n])
				wb += l
				if slices.Contains(retrans, n) {
					wr++
				}
			}
		}
		if frames != wf || bytes != wb || re != wr || len(g.Buckets) == 0 {
			t.Errorf("%s: %d intervals of %g s: %d frames %d bytes %d retransmissions, want %d %d %d", q, len(g.Buckets), g.Interval, frames, bytes, re, wf, wb, wr)
		}
	}
	check("", 0, 1e9)
	if len(g.Buckets) < 20 || len(g.Buckets) > 2000 {
		t.Errorf("%d intervals", len(g.Buckets))
	}
	whole := g.Interval
	// zoomed: the span [2, 3) s with a finer interval
	check("from=2&to=2.999999", 2, 3)
	if g.Interval >= whole || g.From != 2 {
		t.Errorf("zoomed interval %g from %g (whole %g)", g.Interval, g.From, whole)
	}
	t.Logf("io graph: %d retransmissions of read -Y; whole capture %g s intervals, zoomed %g s", len(retrans), whole, g.Interval)
}
