package capture_test

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/capture"
)

// TestLinkTypeNames checks the link-type names against capinfos, for every
// link type the table knows, and the fallbacks for one it does not.
func TestLinkTypeNames(t *testing.T) {
	if _, err := exec.LookPath("capinfos"); err != nil {
		t.Skip("capinfos not installed")
	}
	dir := t.TempDir()
	for _, lt := range []capture.LinkType{capture.LinkNull, capture.LinkEthernet, capture.LinkRaw, capture.LinkLoop,
		capture.LinkLinuxSLL, capture.LinkIPv4, capture.LinkIPv6, capture.LinkLinuxSLL2, 9, 50, 104, 105, 127, 192, 195, 201, 220, 252, 253} {
		b := binary.LittleEndian.AppendUint32(nil, 0xa1b2c3d4)
		b = binary.LittleEndian.AppendUint16(b, 2)
		b = binary.LittleEndian.AppendUint16(b, 4)
		b = append(b, make([]byte, 8)...)
		b = binary.LittleEndian.AppendUint32(b, 65535)
		b = binary.LittleEndian.AppendUint32(b, uint32(lt))
		path := filepath.Join(dir, lt.String()+".pcap")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("capinfos", "-E", path).CombinedOutput()
		if err != nil {
			t.Fatalf("capinfos: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), ": "+lt.Description()+"\n") && !strings.HasSuffix(strings.TrimSpace(string(out)), " "+lt.Description()) {
			t.Errorf("link type %d: Description %q, capinfos says\n%s", lt, lt.Description(), out)
		}
		if lt.Name() == "" || strings.Contains(lt.Tcpdump(), "(") == false {
			t.Errorf("link type %d: Name %q Tcpdump %q", lt, lt.Name(), lt.Tcpdump())
		}
	}
	if lt := capture.LinkType(150); lt.Name() != "USER" || lt.String() != "USER" || capture.LinkType(999).String() != "LINKTYPE_999" ||
		capture.LinkType(999).Description() != "linktype 999" || capture.LinkEthernet.Tcpdump() != "EN10MB (Ethernet)" {
		t.Errorf("fallbacks: %q %q %q", lt.Name(), capture.LinkType(999).String(), capture.LinkType(999).Description())
	}
}
