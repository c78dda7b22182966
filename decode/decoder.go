package decode

import "github.com/wirewatch/wirewatch/capture"

// Options configures a Decoder.
type Options struct {
	// ReassembleIP reassembles IPv4/IPv6 fragments for the upper layers (default true via NewDecoder).
	ReassembleIP bool
}

// Decoder turns packets into Frames. It holds cross-packet state (IP fragment
// reassembly), so use one Decoder per packet stream. Not safe for concurrent use.
type Decoder struct {
	opts Options
}

// NewDecoder returns a Decoder with opts.
func NewDecoder(opts Options) *Decoder { return &Decoder{opts: opts} }

// Decode resets f and fills it from p. f.Number must be set by the caller.
func (d *Decoder) Decode(f *Frame, p capture.Packet) {
	n := f.Number
	f.reset()
	f.Number = n
	f.TS = p.TS
	f.Len = p.Len
	f.CapLen = p.CapLen
	f.LinkType = p.LinkType
	f.Interface = p.Interface
	f.Comments = p.Comments
	f.Data = p.Data
	f.Present = 1 << ProtoFrame
	// TODO(decode owner): dissect link layer and up.
}

func (f *Frame) reset() {
	f.Present = 0
	f.Layers = f.Layers[:0]
	f.VLANs = f.VLANs[:0]
	f.Payload = nil
	f.Reassembled = nil
	f.Anomalies = f.Anomalies[:0]
	f.scratch = f.scratch[:0]
	f.Analysis = Analysis{Stream: -1, WindowSize: -1, WinScale: -1, AckRTT: -1, InitialRTT: -1, BytesInFlight: -1, DNSTime: -1, HTTPTime: -1}
}
