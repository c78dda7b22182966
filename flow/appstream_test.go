package flow_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/internal/corpus"
)

// TestAppReassemblyOracle runs capture → decode → flow with application
// desegmentation (Config.Decoder, decode.AppStream) over the corpus and compares the HTTP fields and the Info text of HTTP,
// DNS and TLS rows with tshark's, which shows a message with the segment
// that completes it.
func TestAppReassemblyOracle(t *testing.T) {
	dir := corpus.Dir(t)
	type count struct{ same, total int }
	counts := map[string]*count{}
	tally := func(k, got, want string) {
		if got == "" && want == "" {
			return
		}
		c := counts[k]
		if c == nil {
			c = &count{}
			counts[k] = c
		}
		c.total++
		if got == want {
			c.same++
		} else if testing.Verbose() && c.total-c.same <= 3 {
			t.Logf("%s: got %q want %q", k, got, want)
		}
	}
	var info []byte
	for _, name := range corpus.OracleOK(t, dir) {
		if name == "gopacket__pcapgo-le-test301.pcapng" {
			continue // tshark decrypts its TLS with the keys the file holds
		}
		o := readOracle(t, filepath.Join(dir, "oracle", name+".frames.tsv"))
		analyse(t, filepath.Join(dir, "real", name), func(f *decode.Frame) {
			n := int(f.Number)
			if n > len(o.rows) {
				return
			}
			row := o.rows[n-1]
			var method, code string
			if f.Has(decode.ProtoHTTP) {
				if f.HTTP.Request {
					method = string(f.HTTP.Method)
				} else if f.HTTP.Response {
					code = strconv.Itoa(int(f.HTTP.StatusCode))
				}
			}
			tally("http.request.method", method, row[o.idx["http.request.method"]])
			tally("http.response.code", code, row[o.idx["http.response.code"]])
			proto := row[o.idx["_ws.col.Protocol"]]
			if strings.HasPrefix(proto, "HTTP") || strings.HasPrefix(proto, "TLS") || proto == "DNS" {
				info = f.AppendInfo(info[:0])
				tally("Info ("+proto[:3]+" rows)", string(info), row[o.idx["_ws.col.Info"]])
			}
		})
	}
	var b strings.Builder
	for _, k := range []string{"http.request.method", "http.response.code", "Info (HTT rows)", "Info (DNS rows)", "Info (TLS rows)"} {
		c := counts[k]
		if c == nil {
			continue
		}
		pc := 100 * float64(c.same) / float64(c.total)
		b.WriteString(k + ": " + strconv.Itoa(c.same) + "/" + strconv.Itoa(c.total) + " " + strconv.FormatFloat(pc, 'f', 2, 64) + "%\n")
		if pc < 98 {
			t.Errorf("%s: %.2f%% equal to tshark, want at least 98%%", k, pc)
		}
	}
	t.Logf("with flow desegmentation:\n%s", b.String())
}
