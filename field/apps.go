package field

// appsFields are the fields of the apps dissectors: IMF (imf.go), TPKT,
// COTP and RDP (tpkt.go), SOCKS (socks.go), MySQL (mysql.go), TDS (tds.go).
func appsFields() []Field {
	var out []Field
	for _, t := range [][]Field{imfFields, tpktFields, socksFields} {
		out = append(out, t...)
	}
	return out
}
