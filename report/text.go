package report

import (
	"io"

	"github.com/wirewatch/wirewatch/decode"
)

// SafeText wraps w, the destination of a human-facing text report (stats,
// diagnose), so that no control byte other than TAB and LF reaches the
// terminal whatever a capture smuggled into the texts the report quotes:
// each other C0 control and DEL is written as tshark's format_text writes
// it (\033, \a, \r…). The texts themselves are escaped where they are made
// (decode.AppendDisplayText); this is the net under them.
func SafeText(w io.Writer) io.Writer { return &safeText{w: w} }

type safeText struct {
	w   io.Writer
	buf []byte
}

func (s *safeText) Write(p []byte) (int, error) {
	clean := true
	for _, c := range p {
		if (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s.w.Write(p)
	}
	s.buf = s.buf[:0]
	for i := 0; i < len(p); i++ {
		c := p[i]
		if (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f {
			s.buf = decode.AppendDisplayText(s.buf, p[i:i+1])
		} else {
			s.buf = append(s.buf, c)
		}
	}
	if _, err := s.w.Write(s.buf); err != nil {
		return 0, err
	}
	return len(p), nil
}
