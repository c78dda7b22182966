package serve

// The APIs of the web app's views beyond the packet list: filter-bar
// completion, user columns, "apply as filter" values and the zoomable IO
// graph.

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
	"github.com/wirewatch/wirewatch/report"
)

func (s *Server) uiRoutes(m *http.ServeMux) {
	m.HandleFunc("/api/fields", s.apiFields)
	m.HandleFunc("/api/columns", s.apiColumns)
	m.HandleFunc("/api/fieldfilter", s.apiFieldFilter)
	m.HandleFunc("/api/iograph", s.apiIOGraph)
}

// apiFields completes a field or protocol name: the names starting with
// prefix (protocols first), at most 40.
func (s *Server) apiFields(w http.ResponseWriter, r *http.Request) {
	prefix := r.URL.Query().Get("prefix")
	type fieldInfo struct {
		Name  string `json:"name"`
		Desc  string `json:"desc"`
		Proto bool   `json:"proto,omitempty"`
	}
	out := []fieldInfo{}
	if prefix != "" {
		fs := field.Std().WithPrefix(prefix)
		slices.SortStableFunc(fs, func(a, b *field.Field) int {
			// protocols, then the names one level below the prefix
			pa, pb := a.Type == field.FTProtocol, b.Type == field.FTProtocol
			if pa != pb {
				if pa {
					return -1
				}
				return 1
			}
			return strings.Count(a.Name, ".") - strings.Count(b.Name, ".")
		})
		for _, f := range fs {
			if len(out) == 40 {
				break
			}
			out = append(out, fieldInfo{f.Name, f.Desc, f.Type == field.FTProtocol})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

const maxUserCols = 16

// userFields parses a comma-separated list of field names.
func userFields(list string) ([]*field.Field, string) {
	var fs []*field.Field
	for _, n := range strings.Split(list, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		f := field.Std().Lookup(n)
		if f == nil {
			return nil, "no field " + strconv.Quote(n)
		}
		fs = append(fs, f)
		if len(fs) > maxUserCols {
			return nil, "too many columns"
		}
	}
	return fs, ""
}

// frameList parses a comma-separated list of frame numbers (at most 1000).
func frameList(list string) []uint64 {
	var ns []uint64
	for _, v := range strings.Split(list, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		if err != nil || n == 0 || len(ns) == 1000 {
			continue
		}
		ns = append(ns, n)
	}
	return ns
}

// apiColumns returns the values of user columns (cols=a,b) for frames
// (frames=1,2,3): {"1": ["v1,v2", "w"], ...}, occurrences joined by
// commas as the packet list shows them.
func (s *Server) apiColumns(w http.ResponseWriter, r *http.Request) {
	c := s.capture(w, r)
	if c == nil {
		return
	}
	q := r.URL.Query()
	fs, bad := userFields(q.Get("cols"))
	if bad != "" {
		writeJSON(w, http.StatusBadRequest, apiError{Error: bad})
		return
	}
	ns := frameList(q.Get("frames"))
	out := map[string][]string{}
	var vals []field.Value
	var b []byte
	err := c.decodeFrames(r.Context(), ns, func(f *decode.Frame) {
		row := make([]string, len(fs))
		for i, fl := range fs {
			vals = fl.Get(f, vals[:0])
			b = b[:0]
			for k, v := range vals {
				if k > 0 {
					b = append(b, ',')
				}
				b = report.AppendValue(b, fl, v)
			}
			row[i] = string(decode.AppendDisplayText(nil, b))
		}
		out[strconv.FormatUint(f.Number, 10)] = row
	})
	if err != nil && len(out) == 0 {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// apiFieldFilter returns the display filter selecting frame n's
// occurrence occ of field name (name == value), as Wireshark's "Apply as
// Filter" builds it; a field without a value gives its name alone.
func (s *Server) apiFieldFilter(w http.ResponseWriter, r *http.Request) {
	c := s.capture(w, r)
	if c == nil {
		return
	}
	q := r.URL.Query()
	fl := field.Std().Lookup(q.Get("field"))
	n, _ := strconv.ParseUint(q.Get("n"), 10, 64)
	occ, _ := strconv.Atoi(q.Get("occ"))
	if fl == nil || n == 0 {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "want field and n"})
		return
	}
	expr := fl.Name
	c.decodeFrames(r.Context(), []uint64{n}, func(f *decode.Frame) {
		vals := fl.Get(f, nil)
		if len(vals) == 0 || displayDependent[fl.Name] {
			return
		}
		v := vals[min(max(occ, 0), len(vals)-1)]
		// the first candidate that compiles and selects the frame itself
		// (an epoch time compared as a double may not)
		for _, e := range filterCandidates(fl, v) {
			if flt, el, _ := checkFilter(e); el == nil && flt.Match(f) {
				expr = e
				return
			}
		}
	})
	writeJSON(w, http.StatusOK, map[string]string{"filter": expr})
}

// displayDependent are the fields whose value depends on which frames
// the filter displays: "== value" would not select the frame again.
var displayDependent = map[string]bool{"frame.time_delta_displayed": true}

// filterCandidates are the filters selecting v, best first: name == v,
// then for times the microsecond around v.
func filterCandidates(fl *field.Field, v field.Value) []string {
	lit := filterLiteral(fl, v)
	if lit == "" {
		return nil
	}
	out := []string{fl.Name + " == " + lit}
	if fl.Type == field.FTRelTime {
		lo := v.I - v.I%1000
		out = append(out, fl.Name+" >= "+string(report.AppendRelTime(nil, lo, 6))+" && "+fl.Name+" < "+string(report.AppendRelTime(nil, lo+1000, 6)))
	}
	return out
}

// filterLiteral writes v in display-filter syntax ("" = none: the field's
// presence is the filter).
func filterLiteral(fl *field.Field, v field.Value) string {
	switch fl.Type {
	case field.FTNone, field.FTProtocol:
		return ""
	case field.FTString:
		var b strings.Builder
		b.WriteByte('"')
		for _, c := range v.B {
			switch {
			case c == '"' || c == '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case c < 0x20 || c >= 0x7f:
				b.WriteString(`\x`)
				b.WriteString(strconv.FormatUint(uint64(c)|0x100, 16)[1:])
			default:
				b.WriteByte(c)
			}
		}
		b.WriteByte('"')
		return b.String()
	case field.FTBytes:
		if len(v.B) == 0 {
			return ""
		}
		return string(decode.AppendMAC(nil, v.B))
	case field.FTAbsTime:
		return strconv.Quote(string(report.AppendAbsTime(nil, v.I)))
	}
	return string(report.AppendValue(nil, fl, v))
}
