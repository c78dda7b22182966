package decode

import "testing"

func TestProtoSet(t *testing.T) {
	var s ProtoSet
	if !s.Empty() || s.Has(ProtoFrame) {
		t.Fatal("zero set not empty")
	}
	// Every Proto value fits, the last ones included.
	for p := 0; p < 256; p++ {
		s.Add(Proto(p))
		if !s.Has(Proto(p)) {
			t.Fatalf("Add(%d) then Has false", p)
		}
		for q := 0; q < 256; q++ {
			if q != p && s.Has(Proto(q)) {
				t.Fatalf("Add(%d) also set %d", p, q)
			}
		}
		if !s.Any(Protos(Proto(p))) || s.Any(Protos(Proto(p^1), Proto(p^64))) {
			t.Fatalf("Any wrong for %d", p)
		}
		s.Del(Proto(p))
		if !s.Empty() {
			t.Fatalf("Del(%d) left %v", p, s)
		}
	}
	s = Protos(ProtoFrame, ProtoEth, ProtoIP, Proto(200))
	if got := s.String(); got != "frame eth ip proto?" {
		t.Errorf("String = %q", got)
	}
	var f Frame
	if n := testing.AllocsPerRun(100, func() {
		f.Present = ProtoSet{}
		f.Present.Add(ProtoTCP)
		f.Present.Add(Proto(130))
		if !f.Has(Proto(130)) || f.Present.Any(tunnelProtos) {
			t.Fatal("set ops wrong")
		}
	}); n != 0 {
		t.Errorf("ProtoSet ops allocate %v times", n)
	}
}
