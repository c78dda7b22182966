package decode

import (
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
)

// rpcCall is a portmapper V2 call (procedure proc, AUTH_NULL) with its TCP
// record mark.
func rpcCall(xid uint32, proc uint32) []byte {
	w := []uint32{0x80000028, xid, 0, 2, RPCPortmapProgram, 2, proc, 0, 0, 0, 0}
	var b []byte
	for _, v := range w {
		b = append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
	}
	return b
}

// rpcSegments decodes the TCP payloads ps (client to port 111) through one
// Decoder and AppStream, as package flow does, and returns the Info
// column and frame.protocols of each.
func rpcSegments(t testing.TB, ps ...[]byte) (info, protos []string) {
	d := NewDecoder(Options{})
	var s AppStream
	var f Frame
	for i, p := range ps {
		b := cat(ethHdr(0x0800), ipv4Hdr(6, 20+len(p), 1, 0, 0), tcpHdr(40000, RPCPort, 0x18, nil), p)
		f.Number = uint64(i + 1)
		d.Decode(&f, capture.Packet{Info: capture.Info{LinkType: capture.LinkEthernet, Len: len(b), CapLen: len(b)}, Data: b})
		s.Segment(d, &f, f.Payload)
		for _, l := range f.Layers {
			src := f.Data
			if l.Reasm {
				src = f.Reassembled
			}
			if l.Off < 0 || l.Len < 0 || l.Off+l.Len > len(src) {
				t.Fatalf("layer %v out of bounds: %+v (buffer %d)", l.Proto, l, len(src))
			}
		}
		info = append(info, string(f.AppendInfo(nil)))
		protos = append(protos, string(f.AppendProtocols(nil)))
	}
	return info, protos
}

// TestRPCRecords: records whole in a segment are one rpc+portmap layer
// each; one cut over two segments is decoded in the second, first, as
// Wireshark shows them.
func TestRPCRecords(t *testing.T) {
	a := cat(rpcCall(1, 0), rpcCall(2, 3), rpcCall(3, 0)[:12])
	b := cat(rpcCall(3, 0)[12:], rpcCall(4, 4))
	info, protos := rpcSegments(t, a, b)
	want := []string{"V2 NULL Call  ; V2 GETPORT Call", "V2 NULL CallV2 DUMP Call"}
	wantP := []string{"eth:ethertype:ip:tcp:rpc", "eth:ethertype:ip:tcp:rpc:rpc"}
	for i := range want {
		if info[i] != want[i] || protos[i] != wantP[i] {
			t.Errorf("segment %d: Info %q, protocols %q; want %q, %q", i+1, info[i], protos[i], want[i], wantP[i])
		}
	}
}

// FuzzRPC feeds port-111 TCP segments (the input cut in three) and a UDP
// datagram to the RPC decoder: no panic, layers in bounds.
func FuzzRPC(f *testing.F) {
	f.Add(cat(rpcCall(1, 0), rpcCall(2, 3)))
	f.Add(cat(rpcCall(1, 0), rpcCall(2, 3), rpcCall(3, 1)[:30]))
	f.Add([]byte{0x80, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0, 1})
	// An NFSv3 WRITE call (AUTH_NULL) and a GETPORT call with its arguments.
	f.Add([]byte{0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0x86, 0xa3, 0, 0, 0, 3, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 0x20, 0, 0, 0, 0, 0})
	f.Add(cat(rpcCall(7, 3), []byte{0, 1, 0x86, 0xa3, 0, 0, 0, 3, 0, 0, 0, 6, 0, 0, 0, 0}))
	f.Fuzz(func(t *testing.T, data []byte) {
		n := len(data) / 3
		rpcSegments(t, data[:n], data[n:2*n], data[2*n:])
		d := NewDecoder(Options{})
		b := cat(ethHdr(0x0800), ipv4Hdr(17, 8+len(data), 1, 0, 0), udpHdr(700, RPCPort, len(data)), data)
		fr := decodeOne(d, capture.LinkEthernet, b)
		if s := string(fr.AppendInfo(nil)); fr.Has(ProtoRPC) && !strings.Contains(s, "Call") && !strings.Contains(s, "Reply") {
			t.Fatalf("RPC Info %q", s)
		}
	})
}
