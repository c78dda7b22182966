package field_test

import (
	"encoding/binary"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/internal/testenv"
	"github.com/wirewatch/wirewatch/internal/tshark"
)

// TestNATPMPMapFieldsMatchTshark checks the port mapping fields, whose
// offsets differ between request and response, on messages laid out as
// RFC 6886 has them (no capture in the corpora holds a mapping): a request,
// a response and a response cut short before its lifetime.
func TestNATPMPMapFieldsMatchTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: runs tshark (-short)")
	}
	testenv.Tool(t, "tshark")
	be := binary.BigEndian
	req := be.AppendUint32(be.AppendUint16(be.AppendUint16([]byte{0, 1, 0, 0}, 1234), 5678), 3600)
	resp := be.AppendUint16(be.AppendUint16(be.AppendUint32(be.AppendUint16([]byte{0, 129}, 0), 99), 1234), 5678)
	pkts := [][]byte{
		appPacket(17, 5351, req),
		reversed(appPacket(17, 5351, be.AppendUint32(append([]byte(nil), resp...), 3600))),
		reversed(appPacket(17, 5351, append([]byte{0, 130}, resp[2:]...))),
	}
	path := filepath.Join(t.TempDir(), "natpmp.pcap")
	writePcap(t, path, pkts)
	names := []string{"nat-pmp.internal_port", "nat-pmp.external_port", "nat-pmp.pml"}
	want, err := tshark.Fields(path, names)
	if err != nil || want.Exit != 0 || want.Frames != len(pkts) {
		t.Fatalf("tshark: %v %+v", err, want)
	}
	dec := decode.NewDecoder(decode.Options{})
	var fr decode.Frame
	cells := 0
	for i, p := range pkts {
		dec.Decode(&fr, capture.Packet{Info: capture.Info{CapLen: len(p), Len: len(p), LinkType: capture.LinkRaw}, Data: p})
		for _, n := range names {
			var got []string
			for _, v := range field.Std().Lookup(n).Get(&fr, nil) {
				got = append(got, strconv.FormatUint(v.U, 10))
			}
			if w := want.Cols[n][i]; strings.Join(got, ",") != w {
				t.Errorf("frame %d %s: wirewatch %q, tshark %q", i+1, n, strings.Join(got, ","), w)
			} else if w != "" {
				cells++
			}
		}
	}
	if cells != 8 {
		t.Errorf("%d non-empty cells compared, want 8 (3 fields x 3 frames, the cut response without its lifetime)", cells)
	}
}
