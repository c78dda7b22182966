package analyze

import (
	"fmt"
	"math"
	"time"
)

// Server health: how often each server (a DNS server, a TCP endpoint)
// answered over the whole capture and in 10-second buckets, so that a rule
// can tell an outage (nothing answered around the stalls) from intermittent
// loss (most attempts answered) before it blames the server.

const healthBucket = int64(10 * time.Second)

type healthKey struct {
	ep     Endpoint
	bucket int64
}

// health is one server's outcome counts.
type health struct {
	answered, failed int
}

func (h health) total() int { return h.answered + h.failed }

// rate is the share of attempts answered (1 when there were none).
func (h health) rate() float64 {
	if h.total() == 0 {
		return 1
	}
	return float64(h.answered) / float64(h.total())
}

const maxHealthBuckets = 1 << 17

// noteOutcome counts one attempt to ep at ts: answered (a DNS answer, a
// SYN/ACK or a reset: the server is reachable) or failed (no answer within
// the attempt's timeout). Attempts still in progress at the end of the
// capture are not counted: their outcome is unknown.
func (e *Engine) noteOutcome(ep Endpoint, ts int64, answered bool) {
	h := e.healthAll[ep]
	if answered {
		h.answered++
	} else {
		h.failed++
	}
	if len(e.healthAll) < maxHealthBuckets || e.healthAll[ep] != (health{}) {
		e.healthAll[ep] = h
	}
	k := healthKey{ep, ts / healthBucket}
	b, ok := e.healthBkt[k]
	if !ok && len(e.healthBkt) >= maxHealthBuckets {
		return
	}
	if answered {
		b.answered++
	} else {
		b.failed++
	}
	e.healthBkt[k] = b
}

// healthAround sums ep's outcomes in the buckets that overlap [from, to]
// widened by one bucket on each side.
func (e *Engine) healthAround(ep Endpoint, from, to int64) health {
	var out health
	for b := from/healthBucket - 1; b <= to/healthBucket+1; b++ {
		h := e.healthBkt[healthKey{ep, b}]
		out.answered += h.answered
		out.failed += h.failed
		if b-from/healthBucket > 1<<12 {
			break // a capture spanning days: enough
		}
	}
	return out
}

// healthOf is ep's outcome over the whole capture.
func (e *Engine) healthOf(ep Endpoint) health { return e.healthAll[ep] }

// span is the time range of a group's stalls.
func (st *gstats) span(g *group) (from, to int64) {
	for i, s := range g.stalls {
		if i == 0 || s.Start < from {
			from = s.Start
		}
		if s.End > to {
			to = s.End
		}
	}
	return from, to
}

// intermittent says whether a server that missed some attempts mostly
// answered, over the capture and around the stalls: then it is losing
// some packets, not down.
func intermittent(all, around health) bool {
	return all.answered >= 3 && all.rate() >= 0.5 && (around.total() == 0 || around.answered >= around.failed)
}

func pct(h health) string {
	return fmt.Sprintf("%.1f%%", 100*(1-h.rate()))
}

// chanceAlignment is the probability that k or more of the trials line up
// with a give-up time by chance, each with its own probability p[i]
// (Poisson approximation of the Poisson binomial tail).
func chanceAlignment(p []float64, k int) float64 {
	lambda := 0.0
	for _, x := range p {
		lambda += x
	}
	if k <= 0 {
		return 1
	}
	// P(X >= k) = 1 - sum_{j<k} e^-λ λ^j / j!
	term := math.Exp(-lambda)
	cdf := 0.0
	for j := 0; j < k; j++ {
		cdf += term
		term *= lambda / float64(j+1)
	}
	return math.Max(0, math.Min(1, 1-cdf))
}

// alignWindow is the chance that one attempt, begun at a random moment of a
// gap of d seconds, gives up (at any of the round timeouts correlate
// accepts) within tolerance of the gap's end.
func alignWindow(d float64) float64 {
	if d <= 0 {
		return 1
	}
	w := 0.0
	for _, r := range roundTimeouts {
		if r > d+0.1 {
			break
		}
		tol := math.Max(0.02*r, 0.03)
		w += 2*tol + 0.05
	}
	return math.Min(1, w/d)
}
