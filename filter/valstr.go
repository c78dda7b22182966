package filter

import "github.com/wirewatch/wirewatch/field"

// Value strings: the names Wireshark accepts instead of numbers for some
// fields ("_ws.expert.severity == error", tcp.checksum.status == "Bad").
// Each field carries its own (field.Field.Values, generated from tshark -G
// values); matching ignores case, as Wireshark's does.

func hasValueStrings(fname string) bool {
	fl := field.Std().Lookup(fname)
	return fl != nil && len(fl.Values) > 0
}

func lookupValueString(fname, s string) (uint64, bool) {
	fl := field.Std().Lookup(fname)
	if fl == nil {
		return 0, false
	}
	return fl.LookupValue(s)
}
