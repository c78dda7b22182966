package analyze

import (
	"fmt"
	"math"
	"sort"
)

// causal weighs a group of stalls blamed on the attempts of the waiting
// machines (blocked-on-unreachable-dependency, DNS timeouts that held a
// request): how unlikely is it that the stall ends line up with the
// attempts' give-up times by chance, given how many failed attempts the
// machines had in each gap and how many of their other waits did not line
// up; and how many of the machines' failed attempts to the culprit held
// nothing at all.
type causal struct {
	aligned   int     // stalls that line up with a give-up time
	trials    int     // the machines' waits that had a failed attempt in the gap
	chance    float64 // probability of aligned or more by chance
	idle      int     // failed attempts to the culprit that held no stall
	correlate bool    // the group is made of correlated stalls
}

func (e *Engine) causalEvidence(x *explainCtx) causal {
	var c causal
	victims := map[machineKey]bool{}
	for i := range x.machines {
		for _, a := range x.machines[i].Addrs {
			victims[e.machineKeyOf(a)] = true
		}
	}
	inGroup := map[*stallRec]bool{}
	var p []float64
	for _, s := range x.g.stalls {
		if s.Attempt == nil {
			continue
		}
		c.correlate = true
		inGroup[s] = true
		c.aligned++
		p = append(p, alignChance(s))
	}
	if !c.correlate {
		return c
	}
	// the same machines' other waits with failed attempts inside that did
	// not line up: trials that failed
	for i := range e.stalls {
		s := &e.stalls[i]
		if inGroup[s] || len(s.cands) == 0 || !victims[e.machineKeyOf(s.victim)] {
			continue
		}
		if s.WaitingOn != WaitClient && s.WaitingOn != WaitServer {
			continue
		}
		p = append(p, alignChance(s))
	}
	c.trials = len(p)
	c.chance = chanceAlignment(p, c.aligned)
	// failed attempts of the machines to the culprit that held nothing
	seen := map[*attempt]bool{}
	for i := range x.machines {
		for _, a := range x.machines[i].Addrs {
			h := e.hosts[a]
			if h == nil {
				continue
			}
			for _, at := range h.attempts {
				if seen[at] || at.peer.Addr != x.k.host || (x.k.port != 0 && at.peer.Port != x.k.port && at.kind != "arp") {
					continue
				}
				seen[at] = true
				if at.answerTS == 0 && at.used == 0 && at.done {
					c.idle++
				}
			}
		}
	}
	return c
}

// alignChance is the probability that a wait of s's length ends at the
// give-up time of one of the failed attempts in its gap by chance.
func alignChance(s *stallRec) float64 {
	from := s.from
	if from == 0 || from > s.Start {
		from = s.Start
	}
	d := float64(s.End-from) / 1e9
	if len(s.cands) == 0 || d <= 0 {
		return alignWindow(d)
	}
	// the end times that would line up with one of the attempts in the gap
	// (a union: parallel attempts started together share their windows),
	// as a share of the gap
	type iv struct{ a, b float64 }
	var ivs []iv
	for _, a := range s.cands {
		off := float64(a.start-from) / 1e9
		for _, r := range roundTimeouts {
			if off+r > d+0.2 {
				break
			}
			tol := math.Max(0.02*r, 0.03)
			ivs = append(ivs, iv{math.Max(0, off+r-tol), math.Min(d, off+r+tol+0.05)})
		}
	}
	sort.Slice(ivs, func(i, j int) bool { return ivs[i].a < ivs[j].a })
	covered, curA, curB := 0.0, -1.0, -1.0
	for _, v := range ivs {
		if v.b <= v.a {
			continue
		}
		if v.a > curB {
			if curB > curA {
				covered += curB - curA
			}
			curA, curB = v.a, v.b
		} else if v.b > curB {
			curB = v.b
		}
	}
	if curB > curA {
		covered += curB - curA
	}
	return math.Min(1, math.Max(covered/d, 0.01))
}

// confidence of a causal group: the alignment must beat chance, the culprit
// must mostly fail (else it is reachable and the alignment is luck), and
// the machines' failed attempts to it must mostly hold a wait.
func (c causal) confidence(h health) (float64, string) {
	conf := 1 - c.chance
	basis := fmt.Sprintf("%d of %d waits with a failed attempt in the gap end when the attempt gives up (%s by chance)",
		c.aligned, c.trials, chanceWords(c.chance))
	if h.answered > 0 {
		r := h.rate()
		if r >= 0.5 {
			conf *= 0.3
		} else {
			conf *= 1 - r
		}
		basis += fmt.Sprintf("; the culprit answered %d of %d attempts in the capture", h.answered, h.total())
	} else if h.failed > 0 {
		basis += fmt.Sprintf("; the culprit answered none of %d attempts", h.failed)
	}
	if c.idle > 0 {
		held := float64(c.aligned) / float64(c.aligned+c.idle)
		conf *= math.Min(1, 0.5+held)
		basis += fmt.Sprintf("; %d failed attempts to it held nothing", c.idle)
	}
	return conf, basis + "."
}

func chanceWords(p float64) string {
	switch {
	case p < 1e-6:
		return "less than one in a million"
	case p < 0.001:
		return fmt.Sprintf("about 1 in %s", itoa(int(math.Round(1/p/1000))*1000))
	case p < 0.1:
		return fmt.Sprintf("about 1 in %d", int(math.Round(1/p)))
	}
	return fmt.Sprintf("%.0f%%", 100*p)
}

// confHealth is the confidence of a finding that blames a server for
// failed attempts: high when it failed most attempts around the stalls,
// low when it mostly answered (intermittent loss, not an outage).
func confHealth(x *explainCtx) (float64, string) {
	all := x.e.healthOf(x.ep)
	from, to := x.st.span(x.g)
	around := x.e.healthAround(x.ep, from, to)
	n := x.st.n
	base := 1 - 0.4/float64(n+1)
	if all.total() == 0 {
		return base, "Measured directly on " + plural(n, "exchange", "exchanges") + "."
	}
	basis := fmt.Sprintf("%s answered %d of %d attempts in the capture (%d of %d around the stalls).",
		x.ep.String(), all.answered, all.total(), around.answered, around.total())
	if intermittent(all, around) {
		return base * 0.35, basis
	}
	return base * (1 - all.rate()/2), basis
}

// causalConfidence is the rule hook for groups of correlated stalls.
func causalConfidence(x *explainCtx) (float64, string) {
	c := x.e.causalEvidence(x)
	if !c.correlate {
		return confHealth(x)
	}
	return c.confidence(x.e.healthOf(x.ep))
}

// intermittent reports whether the group's culprit mostly answered, over the
// capture and around the stalls, with its counts.
func (x *explainCtx) intermittent() (bool, health, health) {
	all := x.e.healthOf(x.ep)
	from, to := x.st.span(x.g)
	around := x.e.healthAround(x.ep, from, to)
	return intermittent(all, around), all, around
}

// lossWords words a server's intermittent failures: "738 of 17,610 (4.2%)".
func lossWords(h health) string {
	return fmt.Sprintf("%s of %s (%s)", commas(h.failed), commas(h.total()), pct(h))
}

// intermittentSeverity: a server that misses a fifth or more of its
// attempts is a warning, fewer is worth knowing.
func intermittentSeverity(h health) Severity {
	if h.rate() <= 0.8 {
		return Warning
	}
	return Info
}

func commas(n int) string {
	s := itoa(n)
	if n < 10000 {
		return s
	}
	var b []byte
	for i, c := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, c)
	}
	return string(b)
}
