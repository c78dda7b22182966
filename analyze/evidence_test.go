package analyze

import (
	"testing"
	"time"
)

// TestChance: seven of seven waits lining up when each had a one-in-ten
// chance is no accident; three of three when each had nine in ten is.
func TestChance(t *testing.T) {
	p := func(x float64, n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = x
		}
		return v
	}
	if c := chanceAlignment(p(0.1, 7), 7); c > 1e-5 {
		t.Errorf("7 of 7 at 0.1: chance %g, want tiny", c)
	}
	if c := chanceAlignment(p(0.9, 3), 3); c < 0.3 {
		t.Errorf("3 of 3 at 0.9: chance %g, want large", c)
	}
	// more trials that did not line up make the same alignments likelier
	if a, b := chanceAlignment(p(0.1, 3), 3), chanceAlignment(p(0.1, 30), 3); b <= a {
		t.Errorf("3 aligned of 30 trials (%g) should be likelier than of 3 (%g)", b, a)
	}
	if w := alignWindow(0.5); w != 0 {
		t.Errorf("alignWindow(0.5) = %g: no timeout that short is accepted", w)
	}
	for _, d := range []float64{2, 7, 30} {
		if w := alignWindow(d); w <= 0 || w > 1 {
			t.Errorf("alignWindow(%g) = %g", d, w)
		}
	}
}

// TestAlignChanceParallel: parallel attempts started together share their
// give-up windows, so they do not multiply the chance.
func TestAlignChanceParallel(t *testing.T) {
	s := stallRec{}
	s.Start, s.End = 0, int64(2*time.Second)
	one := &attempt{start: int64(10 * time.Millisecond)}
	s.cands = []*attempt{one}
	p1 := alignChance(&s)
	s.cands = []*attempt{one, {start: int64(11 * time.Millisecond)}, {start: int64(12 * time.Millisecond)}}
	p3 := alignChance(&s)
	if p3 > p1*1.2 {
		t.Errorf("three attempts started together: chance %g, one attempt %g", p3, p1)
	}
}

// TestHealth: a server that answered most attempts is intermittent, one
// that answered none around the stalls is not.
func TestHealth(t *testing.T) {
	e := New(Config{})
	srv := Endpoint{Port: 53}
	for i := 0; i < 95; i++ {
		e.noteOutcome(srv, int64(i)*int64(time.Second), true)
	}
	for i := 0; i < 5; i++ {
		e.noteOutcome(srv, int64(i)*int64(time.Second), false)
	}
	all := e.healthOf(srv)
	if all.answered != 95 || all.failed != 5 {
		t.Fatalf("health %+v", all)
	}
	if !intermittent(all, e.healthAround(srv, 0, int64(10*time.Second))) {
		t.Error("95 of 100 answered: want intermittent")
	}
	dead := Endpoint{Port: 54}
	for i := 0; i < 4; i++ {
		e.noteOutcome(dead, int64(i)*int64(time.Second), false)
	}
	if intermittent(e.healthOf(dead), e.healthAround(dead, 0, int64(4*time.Second))) {
		t.Error("0 of 4 answered: want an outage")
	}
}
