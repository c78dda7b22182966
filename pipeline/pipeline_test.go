package pipeline_test

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/pipeline"
	"github.com/wirewatch/wirewatch/report"
)

// frameLine renders what a consumer sees of a frame: the framing facts
// and fields from every stage (decode, flow, desegmentation, transactions,
// columns).
func frameLine(f *decode.Frame, fields []*field.Field) string {
	s := fmt.Sprintf("%d %d %d %d %d %d %q", f.Number, f.TS, f.FirstTS, f.PrevTS, f.PrevDisplayedTS, f.Interface, f.InterfaceName)
	var vals []field.Value
	for _, fl := range fields {
		vals = fl.Get(f, vals[:0])
		var b []byte
		for _, v := range vals {
			b = append(report.AppendValue(b, fl, v), ',')
		}
		s += "\t" + string(b)
	}
	return s
}

// TestPushPullParallelIdentical runs every corpus capture through the pull
// form on one and on two cores and through the push form (Feed), with and
// without a display filter, and wants the same frames with the same facts.
func TestPushPullParallelIdentical(t *testing.T) {
	dir := corpus.Dir(t)
	reg := field.Std()
	var fields []*field.Field
	for _, n := range []string{"frame.time_delta_displayed", "frame.interface_name", "tcp.stream", "tcp.analysis.flags",
		"tcp.seq", "udp.stream", "http.request.uri", "http.time", "dns.time", "_ws.col.Info", "frame.protocols"} {
		fl := reg.Lookup(n)
		if fl == nil {
			t.Fatalf("no field %s", n)
		}
		fields = append(fields, fl)
	}
	compared := 0
	for _, name := range corpus.OracleOK(t, dir) {
		path := filepath.Join(dir, "real", name)
		for _, flt := range []string{"", "tcp.len > 0 || dns", "eth"} {
			collect := func(parallel bool) []string {
				var out []string
				err := pipeline.RunFile(context.Background(), path, pipeline.Config{Filter: flt, Parallel: parallel}, func(f *decode.Frame) error {
					out = append(out, frameLine(f, fields))
					return nil
				})
				if err != nil {
					out = append(out, "error: "+err.Error())
				}
				return out
			}
			one, two := collect(false), collect(true)
			var pushed []string
			p, err := pipeline.New(pipeline.Config{Filter: flt})
			if err != nil {
				t.Fatal(err)
			}
			r, err := capture.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			feed := p.Feed(r, func(f *decode.Frame) error { pushed = append(pushed, frameLine(f, fields)); return nil })
			for {
				pk, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					if fe, ok := err.(*capture.FormatError); ok && fe.Resumable {
						continue
					}
					pushed = append(pushed, "error: "+err.Error())
					break
				}
				if _, err := feed.Push(pk); err != nil {
					t.Fatal(err)
				}
			}
			feed.Close()
			r.Close()
			for i, other := range [][]string{two, pushed} {
				if fmt.Sprint(one) != fmt.Sprint(other) {
					t.Errorf("%s -Y %q: %s differs from one-core Run (%d vs %d frames)", name, flt, []string{"two-core Run", "Feed"}[i], len(one), len(other))
				}
			}
			compared += len(one)
		}
	}
	if compared == 0 {
		t.Fatal("nothing compared")
	}
	t.Logf("%d frames identical through Run on one and two cores and through Feed", compared)
}

// TestCountAndStop checks Count, ErrStop and a bad filter.
func TestCountAndStop(t *testing.T) {
	path := filepath.Join(corpus.Dir(t), "real", "chrissanders__http_espn.pcapng")
	for _, parallel := range []bool{false, true} {
		n := 0
		err := pipeline.RunFile(context.Background(), path, pipeline.Config{Count: 5, Parallel: parallel}, func(*decode.Frame) error { n++; return nil })
		if err != nil || n != 5 {
			t.Errorf("parallel=%v Count 5: %d frames, %v", parallel, n, err)
		}
		n = 0
		err = pipeline.RunFile(context.Background(), path, pipeline.Config{Parallel: parallel}, func(*decode.Frame) error {
			n++
			if n == 3 {
				return pipeline.ErrStop
			}
			return nil
		})
		if err != nil || n != 3 {
			t.Errorf("parallel=%v ErrStop at 3: %d frames, %v", parallel, n, err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := pipeline.RunFile(ctx, path, pipeline.Config{Parallel: parallel}, func(*decode.Frame) error { return nil }); err != pipeline.ErrInterrupted {
			t.Errorf("parallel=%v cancelled: %v, want ErrInterrupted", parallel, err)
		}
	}
	if _, err := pipeline.New(pipeline.Config{Filter: "tcp.port =="}); err == nil {
		t.Error("a broken filter compiled")
	} else if _, ok := err.(*pipeline.FilterError); !ok {
		t.Errorf("broken filter: %T, want *FilterError", err)
	}
}
