package decode

import (
	"encoding/hex"
	"testing"
)

// windowsSeeds are NBSS/SMB/SMB2/DCE-RPC payloads: an SMB2 Create request
// with a DCE/RPC Bind in a chained Write, an SMB1 Trans carrying a Request,
// a DCE/RPC Bind_ack, an NBSS session request and keep-alive.
var windowsSeeds = []string{
	"05000b0310000000480000000200000000100010000000000100000000000100786" +
		"7bb3681984f35ad3298f03800100302000000045d888aeb1cc9119fe808002b10486002000000",
	"05000c03100000003c00000002000000b810b8100000000004003133350000000100000000000000045d888aeb1cc9119fe808002b10486002000000",
	"810000442045454542454d454345424543454c454d45434143414341434143414341414100204545454745464548454245454341434143414341434143414341434141410",
	"85000000",
	"00000060ff534d4225000000000807c80000000000000000000000000100fffe000000000e00000000000000000000000000000000000000000018004c00180030000000260002000000",
}

// FuzzWindows feeds NBSS messages and DCE/RPC PDUs to their decoders and
// Info writers, with tracking on (bind and call tables).
func FuzzWindows(f *testing.F) {
	for _, s := range windowsSeeds {
		b, _ := hex.DecodeString(s)
		f.Add(b)
	}
	d := NewDecoder(Options{})
	f.Fuzz(func(t *testing.T, b []byte) {
		var fr Frame
		fr.Data = b
		fr.Present.Add(ProtoTCP)
		if d.decodeNBSS(&fr, b, true) || d.decodeDCERPCTCP(&fr, b, true) {
			d.TrackWindows(&fr)
			var dst []byte
			dst, _ = appendOtherInfo(dst, &fr)
			_ = fr.otherProtoColumn()
			for _, l := range fr.Layers {
				if l.Proto == ProtoNBSS {
					dst = appendNBSSInfo(dst, fr.LayerBytes(l))
				}
			}
			_ = dst
		}
		if len(b) >= 33 {
			_ = appendSMBInfo(nil, b)
			_ = smbPipeData(b)
		}
	})
}
