package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/internal/corpus"
)

// zeekLog is a log read back by readZeekTSV or readZeekJSON: its field
// names and records (name -> value; unset fields absent; sets and vectors
// joined with ",").
type zeekLog struct {
	path    string
	fields  []string
	types   []string
	records []map[string]string
}

// readZeekTSV reads a Zeek ASCII log as Zeek's documentation describes it
// (https://docs.zeek.org/en/master/logs/index.html, "Zeek TSV format"):
// '#'-lines first: "#separator" followed by a space and the separator
// written as \xHH, then "#set_separator", "#empty_field", "#unset_field",
// "#path", "#open", "#fields", "#types" separated by that separator; data
// lines with one value per field, unset_field for unset, empty_field for an
// empty string or set, \xHH escapes; "#close" at the end.
func readZeekTSV(t *testing.T, file string) *zeekLog {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "#separator ") {
		t.Fatalf("%s: first line %q is not #separator", file, lines[0])
	}
	sep := unescapeZeek(t, strings.TrimPrefix(lines[0], "#separator "))
	if len(sep) != 1 {
		t.Fatalf("%s: separator %q", file, sep)
	}
	meta := map[string][]string{}
	l := &zeekLog{}
	closed := false
	for i, line := range lines[1:] {
		if strings.HasPrefix(line, "#") {
			p := strings.Split(line, sep)
			meta[p[0]] = p[1:]
			if p[0] == "#close" {
				closed = true
				if i != len(lines)-2 {
					t.Errorf("%s: #close is not the last line", file)
				}
			}
			continue
		}
		if l.fields == nil {
			for _, k := range []string{"#set_separator", "#empty_field", "#unset_field", "#path", "#open", "#fields", "#types"} {
				if len(meta[k]) == 0 {
					t.Fatalf("%s: header %s missing before the first record", file, k)
				}
			}
			l.path, l.fields, l.types = meta["#path"][0], meta["#fields"], meta["#types"]
			if len(l.fields) != len(l.types) {
				t.Fatalf("%s: %d #fields, %d #types", file, len(l.fields), len(l.types))
			}
		}
		vals := strings.Split(line, sep)
		if len(vals) != len(l.fields) {
			t.Fatalf("%s: line %d has %d values for %d fields: %q", file, i+2, len(vals), len(l.fields), line)
		}
		rec := map[string]string{}
		for j, v := range vals {
			if v == meta["#unset_field"][0] {
				continue
			}
			if v == meta["#empty_field"][0] {
				v = ""
			}
			if strings.HasPrefix(l.types[j], "set[") || strings.HasPrefix(l.types[j], "vector[") {
				items := strings.Split(v, meta["#set_separator"][0])
				for k := range items {
					items[k] = unescapeZeek(t, items[k])
				}
				v = strings.Join(items, ",")
			} else {
				v = unescapeZeek(t, v)
			}
			checkZeekType(t, file, l.fields[j], l.types[j], v)
			rec[l.fields[j]] = v
		}
		l.records = append(l.records, rec)
	}
	if l.fields == nil && len(meta["#fields"]) > 0 {
		l.path, l.fields, l.types = meta["#path"][0], meta["#fields"], meta["#types"]
	}
	if !closed {
		t.Errorf("%s: no #close line", file)
	}
	return l
}

func unescapeZeek(t *testing.T, s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] == 'x' {
			v, err := strconv.ParseUint(s[i+2:i+4], 16, 8)
			if err != nil {
				t.Fatalf("bad escape in %q", s)
			}
			b.WriteByte(byte(v))
			i += 3
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// checkZeekType checks a value against its Zeek type.
func checkZeekType(t *testing.T, file, field, typ, v string) {
	var err error
	switch typ {
	case "time", "interval":
		_, err = strconv.ParseFloat(v, 64)
	case "count", "port":
		_, err = strconv.ParseUint(v, 10, 64)
	case "addr":
		_, err = netip.ParseAddr(v)
	case "bool":
		if v != "T" && v != "F" && v != "true" && v != "false" {
			err = fmt.Errorf("not a bool")
		}
	case "enum":
		if v == "" {
			err = fmt.Errorf("empty enum")
		}
	}
	if err != nil {
		t.Errorf("%s: field %s (%s) = %q: %v", file, field, typ, v, err)
	}
}

// readZeekJSON reads a Zeek JSON log: one object per line, field names as
// keys, unset fields absent, time as epoch seconds.
func readZeekJSON(t *testing.T, file string, types map[string]string) *zeekLog {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l := &zeekLog{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%s: %v: %s", file, err, sc.Text())
		}
		rec := map[string]string{}
		for k, v := range m {
			typ, ok := types[k]
			if !ok {
				t.Errorf("%s: field %q is not in the TSV log's #fields", file, k)
			}
			var s string
			switch x := v.(type) {
			case string:
				s = x
			case float64:
				s = strconv.FormatFloat(x, 'f', -1, 64)
			case bool:
				s = strconv.FormatBool(x)
			case []any:
				var items []string
				for _, it := range x {
					items = append(items, fmt.Sprint(it))
				}
				s = strings.Join(items, ",")
			default:
				t.Errorf("%s: field %s: unexpected JSON %T", file, k, v)
			}
			if !strings.HasPrefix(typ, "set[") && !strings.HasPrefix(typ, "vector[") {
				checkZeekType(t, file, k, typ, s)
			}
			rec[k] = s
		}
		l.records = append(l.records, rec)
	}
	return l
}

// convKey is a connection as both stats conv and conn.log show it: the
// protocol, the two endpoints in a fixed order, conn_state and history.
func convKey(proto, a, b, state, hist string) string {
	if a > b {
		a, b = b, a
	}
	return proto + " " + a + " " + b + " " + state + " " + hist
}

// TestZeekLogs writes Zeek logs (TSV and JSON) for the corpus captures and
// the examples, reads them back with the readers above and checks that
// conn.log holds exactly the connections of stats conv tcp+udp --format
// json with the same conn_state and history.
func TestZeekLogs(t *testing.T) {
	var files []string
	cdir := corpus.Dir(t)
	var real []string
	for _, n := range corpus.OracleOK(t, cdir) { // the captures tshark reads whole
		if p := filepath.Join(cdir, "real", n); fileExists(p) {
			real = append(real, p)
		}
	}
	ex, _ := filepath.Glob("../../examples/*.pcapng")
	files = append(append(files, real...), ex...)
	want := map[string]int{}
	nwant := 0
	for _, f := range files {
		for _, kind := range []string{"tcp", "udp"} {
			for _, c := range statsConv(t, kind, f).Conversations {
				want[convKey(kind, c.A, c.B, c.ConnState, c.History)]++
				nwant++
			}
		}
	}
	dir := t.TempDir()
	tsv, js := filepath.Join(dir, "tsv"), filepath.Join(dir, "json")
	runAllowFail(t, append([]string{"export", "--zeek-logs", tsv, "--sensor", "t"}, files...)...)
	runAllowFail(t, append([]string{"export", "--zeek-logs", js, "--zeek-format", "json", "--sensor", "t"}, files...)...)
	for _, name := range []string{"conn", "dns", "http", "ssl"} {
		lt := readZeekTSV(t, filepath.Join(tsv, name+".log"))
		if lt.path != name {
			t.Errorf("%s.log: #path %q", name, lt.path)
		}
		types := map[string]string{}
		for i, f := range lt.fields {
			types[f] = lt.types[i]
		}
		lj := readZeekJSON(t, filepath.Join(js, name+".log"), types)
		if len(lt.records) != len(lj.records) {
			t.Errorf("%s.log: %d TSV records, %d JSON records", name, len(lt.records), len(lj.records))
		}
		for i := 0; i < len(lt.records) && i < len(lj.records); i++ {
			for k, v := range lt.records[i] {
				if jv := lj.records[i][k]; jv != v && !(types[k] == "time" || types[k] == "interval" || types[k] == "bool") {
					t.Errorf("%s.log record %d field %s: TSV %q, JSON %q", name, i, k, v, jv)
					break
				}
			}
		}
		t.Logf("%s.log: %d records, TSV and JSON", name, len(lt.records))
		if name != "conn" {
			continue
		}
		for _, lg := range []*zeekLog{lt, lj} {
			got := map[string]int{}
			for _, r := range lg.records {
				a := netip.AddrPortFrom(netip.MustParseAddr(r["id.orig_h"]), uint16(atoiT(t, r["id.orig_p"])))
				b := netip.AddrPortFrom(netip.MustParseAddr(r["id.resp_h"]), uint16(atoiT(t, r["id.resp_p"])))
				got[convKey(r["proto"], convAddr(a), convAddr(b), r["conn_state"], r["history"])]++
			}
			agree := 0
			var diff []string
			for k, n := range want {
				agree += min(n, got[k])
				if got[k] != n {
					diff = append(diff, fmt.Sprintf("stats conv %d × %s, conn.log %d", n, k, got[k]))
				}
			}
			for k, n := range got {
				if want[k] == 0 {
					diff = append(diff, fmt.Sprintf("conn.log only: %d × %s", n, k))
				}
			}
			sort.Strings(diff)
			t.Logf("conn.log: %d/%d connections of %d captures agree with stats conv --format json (conn_state, history)", agree, nwant, len(files))
			if len(diff) > 0 {
				t.Errorf("conn.log and stats conv differ:\n%s", strings.Join(diff[:min(len(diff), 20)], "\n"))
			}
		}
	}
}

// convAddr writes an endpoint as stats conv does (tshark: IPv6 without brackets).
func convAddr(a netip.AddrPort) string {
	return a.Addr().String() + ":" + strconv.Itoa(int(a.Port()))
}

func atoiT(t *testing.T, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return n
}

// runAllowFail runs wirewatch and accepts exit 1 (damaged captures in the
// corpus are exported up to the damage).
func runAllowFail(t *testing.T, args ...string) {
	t.Helper()
	code, _, errs := runMain(t, args...)
	if code != ExitOK && code != 1 {
		t.Fatalf("wirewatch %v: exit %d: %s", args[:4], code, errs)
	}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// TestDiagnoseZeekLogs: diagnose --zeek-logs writes the same records as
// export --zeek-logs.
func TestDiagnoseZeekLogs(t *testing.T) {
	dir := t.TempDir()
	f := "../../examples/office-mix.pcapng"
	run(t, "export", "--zeek-logs", filepath.Join(dir, "e"), "--sensor", "x", f)
	run(t, "diagnose", "--zeek-logs", filepath.Join(dir, "d"), f)
	for _, name := range []string{"conn", "dns", "http", "ssl"} {
		e := readZeekTSV(t, filepath.Join(dir, "e", name+".log"))
		d := readZeekTSV(t, filepath.Join(dir, "d", name+".log"))
		if len(e.records) != len(d.records) {
			t.Errorf("%s.log: diagnose wrote %d records, export %d", name, len(d.records), len(e.records))
			continue
		}
		for i := range e.records {
			for k, v := range e.records[i] {
				if k != "uid" && d.records[i][k] != v {
					t.Errorf("%s.log record %d: %s %q, export %q", name, i, k, d.records[i][k], v)
				}
			}
		}
	}
}
