package decode

// Small UDP protocols Wireshark dissects by port and that corpus captures
// carry: RIP (520), Canon BJNP (8611-8614) and Dropbox LAN sync discovery
// (17500, a JSON object). Each keeps only its layer; Info, Protocol column
// and the -V tree read the layer's bytes.

const (
	ripPort   = 520
	dbLSPPort = 17500
)

func bjnpPort(p uint16) bool { return p >= 8611 && p <= 8614 }

// decodeRIP records p as a RIP message (command and version, then 20-byte
// route entries).
func decodeRIP(f *Frame, p []byte) bool {
	if len(p) < 4 {
		return false
	}
	f.Present.Add(ProtoRIP)
	f.addAppLayer(ProtoRIP, p)
	return true
}

// RIPCommandName is rip.command's value name.
func RIPCommandName(c uint8) string {
	switch c {
	case 1:
		return "Request"
	case 2:
		return "Response"
	case 3:
		return "Traceon"
	case 4:
		return "Traceoff"
	case 5:
		return "Vendor specific (Sun)"
	}
	return "Unknown command (" + itoa(int(c)) + ")"
}

func appendRIPInfo(dst, b []byte) []byte { return append(dst, RIPCommandName(b[0])...) }

// decodeBJNP records p as a Canon BJNP message: a 16-byte header starting
// with a 4-character id.
func decodeBJNP(f *Frame, p []byte) bool {
	if len(p) < 16 {
		return false
	}
	f.Present.Add(ProtoBJNP)
	f.addAppLayer(ProtoBJNP, p)
	return true
}

// BJNPTypeName and BJNPCodeName are bjnp.type's and bjnp.code's value names.
func BJNPTypeName(t uint8) string {
	switch t {
	case 1:
		return "Printer Command"
	case 2:
		return "Scanner Command"
	case 0x81:
		return "Printer Response"
	case 0x82:
		return "Scanner Response"
	}
	return "Unknown (" + itoa(int(t)) + ")"
}

func BJNPCodeName(c uint8) string {
	switch c {
	case 0x01:
		return "Discover"
	case 0x10:
		return "Print Job Details"
	case 0x11:
		return "Request Closure"
	case 0x20:
		return "Get Printer Status"
	case 0x21:
		return "Print"
	case 0x30:
		return "Get Printer Identity"
	case 0x32:
		return "Scan Job Details"
	}
	return "Unknown (" + itoa(int(c)) + ")"
}

func appendBJNPInfo(dst, b []byte) []byte {
	dst = append(dst, BJNPTypeName(b[4])...)
	dst = append(dst, ": "...)
	return append(dst, BJNPCodeName(b[5])...)
}

// decodeDBLSP records p as a Dropbox LAN sync discovery message, which is
// a JSON object.
func decodeDBLSP(f *Frame, p []byte) bool {
	if len(p) == 0 {
		return false
	}
	f.Present.Add(ProtoDBLSPDisc)
	f.addAppLayer(ProtoDBLSPDisc, p)
	return true
}
