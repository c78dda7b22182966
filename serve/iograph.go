package serve

import (
	"net/http"
	"sort"
	"strconv"
	"time"
)

// maxBuckets bounds the IO graph: a finer interval over a wide span is
// coarsened to this many intervals.
const maxBuckets = 2000

type ioBucket struct {
	Frames  int   `json:"frames"`
	Bytes   int64 `json:"bytes"`
	Retrans int   `json:"retrans"`
	First   int   `json:"first"` // the first frame in the interval (0 none)
}

// apiIOGraph counts frames, bytes and TCP retransmissions per interval
// (interval=seconds) between from and to (seconds since the first frame;
// default the whole capture), from the index; retransmissions come from
// the cached tcp.analysis.retransmission filter pass. Zooming in asks again
// with a narrower span and a finer interval.
func (s *Server) apiIOGraph(w http.ResponseWriter, r *http.Request) {
	c := s.capture(w, r)
	if c == nil {
		return
	}
	<-c.ready
	q := r.URL.Query()
	retrans, err := c.filtered(r.Context(), "tcp.analysis.retransmission")
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: err.Error()})
		return
	}
	ix := c.ix
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if len(ix.rows) == 0 {
		writeJSON(w, http.StatusOK, map[string]any{"interval": 1.0, "from": 0.0, "buckets": []ioBucket{}})
		return
	}
	var last int64
	for i := range ix.rows {
		last = max(last, ix.rows[i].TS-ix.first)
	}
	seconds := func(k string, def float64) float64 {
		if v, err := strconv.ParseFloat(q.Get(k), 64); err == nil && v >= 0 && v < 1e10 {
			return v
		}
		return def
	}
	from := int64(seconds("from", 0) * 1e9)
	to := int64(seconds("to", float64(last)/1e9) * 1e9)
	if to <= from {
		to = from + 1
	}
	iv := int64(seconds("interval", 0) * 1e9)
	if iv <= 0 {
		iv = niceInterval((to - from) / 100)
	}
	if (to-from)/iv >= maxBuckets {
		iv = niceInterval((to - from) / (maxBuckets - 1))
	}
	from -= from % iv
	nb := int((to-from)/iv) + 1
	b := make([]ioBucket, nb)
	at := func(k int) int { // bucket of row k, -1 outside
		t := ix.rows[k].TS - ix.first - from
		if t < 0 || t/iv >= int64(nb) {
			return -1
		}
		return int(t / iv)
	}
	for k := range ix.rows {
		if i := at(k); i >= 0 {
			if b[i].First == 0 {
				b[i].First = k + 1
			}
			b[i].Frames++
			b[i].Bytes += int64(ix.rows[k].Len)
		}
	}
	for _, n := range retrans {
		if k := int(n) - 1; k < len(ix.rows) {
			if i := at(k); i >= 0 {
				b[i].Retrans++
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"interval": float64(iv) / 1e9, "from": float64(from) / 1e9,
		"span": float64(last) / 1e9, "buckets": b})
}

// niceInterval rounds d up to 1, 2 or 5 times a power of ten (at least 1 µs).
func niceInterval(d int64) int64 {
	steps := []int64{}
	for p := int64(time.Microsecond); p <= int64(1e6*time.Second); p *= 10 {
		steps = append(steps, p, 2*p, 5*p)
	}
	i := sort.Search(len(steps), func(i int) bool { return steps[i] >= d })
	if i == len(steps) {
		return steps[len(steps)-1]
	}
	return steps[i]
}
