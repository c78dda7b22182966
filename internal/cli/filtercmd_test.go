package cli

import (
	"bytes"
	"context"
	"testing"
)

func TestFilterCheck(t *testing.T) {
	for _, tc := range []struct {
		args         []string
		code         int
		stdout, errs string
	}{
		{[]string{"filter", "check", "tcp.port in {80,443} and not ip.addr eq 10.0.0.0/8"}, ExitOK,
			"tcp.port in {80, 443} && !ip.addr == 10.0.0.0/8\n", ""},
		{[]string{"filter", "check", "http.host", "matches", `"\\.org$"`}, ExitOK, "http.host matches \"\\\\.org$\"\n", ""},
		{[]string{"filter", "check", "tcp.port in {80 443}"}, ExitUsage, "",
			"wirewatch: \"443\" was unexpected in this context.\n    tcp.port in {80 443}\n                    ^~~\n"},
		{[]string{"filter", "check", "tcp.prot == 1"}, ExitUsage, "",
			"wirewatch: Left side of \"==\" expression must be a field or function, not tcp.prot.\n    tcp.prot == 1\n    ^~~~~~~~\n"},
		{[]string{"filter", "check", "tcp.prot"}, ExitUsage, "",
			"wirewatch: tcp.prot is neither a field nor a protocol name.\n    tcp.prot\n    ^~~~~~~~\n"},
		{[]string{"filter", "check"}, ExitUsage, "", "wirewatch: filter check: missing filter expression\n"},
		{[]string{"filter", "nope"}, ExitUsage, "", "wirewatch: filter: unknown subcommand \"nope\" (want check; 'wirewatch fields' lists fields)\n"},
	} {
		var stdout, stderr bytes.Buffer
		code := Main(context.Background(), tc.args, nil, &stdout, &stderr)
		if code != tc.code || stdout.String() != tc.stdout || stderr.String() != tc.errs {
			t.Errorf("%q: exit %d, stdout %q, stderr %q\nwant exit %d, stdout %q, stderr %q",
				tc.args, code, stdout.String(), stderr.String(), tc.code, tc.stdout, tc.errs)
		}
	}
}
