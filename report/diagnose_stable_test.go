package report_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/wirewatch/wirewatch/internal/corpus"
	"github.com/wirewatch/wirewatch/report"
)

// TestDiagnoseStable diagnoses captures with many transactions still pending
// when the capture ends (unanswered DNS queries, ARP requests) several times:
// Go's maps iterate in random order, and the report must not. Before the
// engine finished pending queries oldest first, the wide capture below swapped
// two findings in about one run of four.
func TestDiagnoseStable(t *testing.T) {
	caps := []string{
		filepath.Join("..", "examples", "dns-server-timeout.pcapng"),
		filepath.Join("..", "examples", "office-mix.pcapng"),
		filepath.Join(corpus.Dir(t), "wide", "OISF__suricata-verify__tests_smb2-ntlmssp-negotiateflags_input.pcap"),
	}
	for _, c := range caps {
		var first []byte
		for run := 0; run < 8; run++ {
			var b bytes.Buffer
			if err := report.WriteDiagnosisJSON(&b, diagnose(t, c)); err != nil {
				t.Fatal(err)
			}
			if run == 0 {
				first = b.Bytes()
			} else if !bytes.Equal(first, b.Bytes()) {
				t.Fatalf("%s: run %d differs from run 0:\n%s", filepath.Base(c), run, firstDiff(string(first), b.String()))
			}
		}
	}
}
