package serve

import (
	"bytes"
	"context"
	"io"
	"sync"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/flow"
	"github.com/wirewatch/wirewatch/pipeline"
	"github.com/wirewatch/wirewatch/report"
)

// The statistics tabs' other kinds (Wireshark's Conversations and
// Endpoints dialogs: Ethernet, IPv4/6, TCP, UDP) are built on first
// request by one pipeline pass of link, network and transport facts only
// (as `stats conv|endpoints`: no application dissectors, no
// desegmentation), not by the index pass, which they would slow down for
// every capture.
var lazyReports = map[string]func() (add func(*decode.Frame), onEnd func(*flow.ConnSummary), write func(io.Writer) error){
	"conv_eth":      convReport(report.ConvEth),
	"conv_ip":       convReport(report.ConvIP),
	"conv_udp":      convReport(report.ConvUDP),
	"endpoints_eth": endpointReport(report.ConvEth),
	"endpoints_tcp": endpointReport(report.ConvTCP),
	"endpoints_udp": endpointReport(report.ConvUDP),
}

func convReport(k report.ConvKind) func() (func(*decode.Frame), func(*flow.ConnSummary), func(io.Writer) error) {
	return func() (func(*decode.Frame), func(*flow.ConnSummary), func(io.Writer) error) {
		t := report.NewConvTable(k, "")
		return t.Add, t.SetConn, t.WriteJSON
	}
}

func endpointReport(k report.ConvKind) func() (func(*decode.Frame), func(*flow.ConnSummary), func(io.Writer) error) {
	return func() (func(*decode.Frame), func(*flow.ConnSummary), func(io.Writer) error) {
		t := report.NewEndpointTable(k, "")
		return t.Add, nil, t.WriteJSON
	}
}

// lazyReport is one report built on first request.
type lazyReport struct {
	once sync.Once
	done chan struct{}
	data []byte
	err  error
}

// lazy returns report name, building it the first time (ok false: no such
// report). It blocks until the report is built.
func (c *Capture) lazy(ctx context.Context, name string) (data []byte, ok bool, err error) {
	mk, ok := lazyReports[name]
	if !ok {
		return nil, false, nil
	}
	c.fmu.Lock()
	if c.lazies == nil {
		c.lazies = map[string]*lazyReport{}
	}
	lr := c.lazies[name]
	if lr == nil {
		lr = &lazyReport{done: make(chan struct{})}
		c.lazies[name] = lr
	}
	c.fmu.Unlock()
	lr.once.Do(func() {
		defer close(lr.done)
		add, onEnd, write := mk()
		cfg := pipeline.Config{Parallel: true, Warn: func(error) {}, Stages: field.StageFlow,
			SkipApp: decode.AppDNS | decode.AppHTTP | decode.AppTLS | decode.AppOther}
		cfg.Flow.OnEnd = onEnd
		err := c.runAll(context.WithoutCancel(ctx), cfg, func(f *decode.Frame) error { add(f); return nil })
		var b bytes.Buffer
		if werr := write(&b); werr != nil && err == nil {
			err = werr
		}
		lr.data, lr.err = b.Bytes(), err
	})
	<-lr.done
	return lr.data, true, lr.err
}
