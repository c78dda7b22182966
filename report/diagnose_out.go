package report

import (
	"bufio"
	"io"

	"github.com/wirewatch/wirewatch/analyze"
)

// WriteDiagnosis writes d in format (text, json or html) to w, buffered.
func WriteDiagnosis(w io.Writer, format string, d *Diagnosis) error {
	bw := bufio.NewWriter(w)
	var err error
	switch format {
	case "json":
		err = WriteDiagnosisJSON(bw, d)
	case "html":
		err = WriteDiagnosisHTML(bw, d)
	default:
		err = WriteDiagnosisText(SafeText(bw), d)
	}
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return err
}

// AtLeast counts the findings of d at or above sev.
func (d *Diagnosis) AtLeast(sev analyze.Severity) int {
	n := 0
	for _, f := range d.Findings {
		if f.Severity >= sev {
			n++
		}
	}
	return n
}
