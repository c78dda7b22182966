package decode

// PostgreSQL's frontend/backend protocol on TCP port 5432: typed messages
// (a type byte and a 4-byte length that counts itself) and, from the
// frontend, the untyped startup, SSL, GSSAPI and cancel requests (a length
// and a request code). Messages continued in later segments are read as
// far as they go.

// PgsqlMsg is one message of a segment.
type PgsqlMsg struct {
	Type   byte // 0 for an untyped frontend request
	Length uint32
	Off    int
	Body   []byte // after the length (the request code for untyped ones)
}

// EachPgsql calls fn for each message of b, sent by the frontend or not.
func EachPgsql(b []byte, frontend bool, fn func(m *PgsqlMsg)) {
	var m PgsqlMsg
	for off := 0; off+4 <= len(b); {
		if frontend && b[off] == 0 {
			n := be32(b[off:])
			if n < 8 {
				return
			}
			m = PgsqlMsg{Length: n, Off: off}
			end := off + int(min(uint64(n), uint64(len(b)-off)))
			m.Body = b[off+4 : end]
			fn(&m)
			off = end
			continue
		}
		if off+5 > len(b) {
			return
		}
		n := be32(b[off+1:])
		if n < 4 {
			return
		}
		m = PgsqlMsg{Type: b[off], Length: n, Off: off}
		end := off + 1 + int(min(uint64(n), uint64(len(b)-off-1)))
		m.Body = b[off+5 : end]
		fn(&m)
		off = end
	}
}

// Name is Wireshark's name of the message type.
func (m *PgsqlMsg) Name(frontend bool) string {
	if m.Type == 0 {
		if len(m.Body) >= 4 {
			switch be32(m.Body) {
			case 80877103:
				return "SSL request"
			case 80877102:
				return "Cancel request"
			case 80877104:
				return "GSS encrypt request"
			case 196608:
				return "Startup message"
			}
		}
		return "Unknown"
	}
	if frontend {
		switch m.Type {
		case 'Q':
			return "Simple query"
		case 'p':
			return "Password message"
		case 'X':
			return "Termination"
		case 'P':
			return "Parse"
		case 'B':
			return "Bind"
		case 'E':
			return "Execute"
		case 'D':
			return "Describe"
		case 'C':
			return "Close"
		case 'S':
			return "Sync"
		case 'H':
			return "Flush"
		case 'F':
			return "Function call"
		case 'd':
			return "Copy data"
		case 'c':
			return "Copy completion"
		case 'f':
			return "Copy failure"
		}
		return "Unknown"
	}
	switch m.Type {
	case 'R':
		return "Authentication request"
	case 'K':
		return "Backend key data"
	case 'S':
		return "Parameter status"
	case 'Z':
		return "Ready for query"
	case 'T':
		return "Row description"
	case 'D':
		return "Data row"
	case 'C':
		return "Command completion"
	case 'E':
		return "Error"
	case 'N':
		return "Notice"
	case '1':
		return "Parse completion"
	case '2':
		return "Bind completion"
	case '3':
		return "Close completion"
	case 'n':
		return "No data"
	case 'I':
		return "Empty query"
	case 's':
		return "Portal suspended"
	case 't':
		return "Parameter description"
	case 'A':
		return "Notification response"
	case 'G':
		return "Copy in response"
	case 'H':
		return "Copy out response"
	case 'W':
		return "Copy both response"
	case 'd':
		return "Copy data"
	case 'c':
		return "Copy completion"
	case 'V':
		return "Function call response"
	case 'v':
		return "Negotiate protocol version"
	}
	return "Unknown"
}

func decodePgsql(f *Frame, p []byte, port uint16) bool {
	if len(p) < 5 {
		return false // a lone SSL answer ('S'/'N') is no message
	}
	f.Text.Request = f.TCP.DstPort == port
	f.addText(ProtoPGSQL, p)
	return true
}

// appendPgsqlInfo is ">" or "<" and the message types joined by "/".
func appendPgsqlInfo(dst []byte, fe bool, b []byte) []byte {
	dst = appendReqResp(dst, fe, ">", "<")
	n := 0
	EachPgsql(b, fe, func(m *PgsqlMsg) {
		if n > 0 {
			dst = append(dst, '/')
		}
		n++
		if m.Type != 0 {
			dst = append(dst, m.Type)
		}
	})
	return dst
}
