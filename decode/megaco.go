package decode

import "bytes"

// MEGACO/H.248 text encoding (RFC 3525) on UDP port 2944: the message
// header ("MEGACO/1" or "!/1" and the sender's MID), then transactions
// (T= requests, P= replies) of contexts (C=) of commands (Add, Modify,
// AuditValue...) on terminations. The Info column lists them as Wireshark
// does; the SDP of each Local/Remote descriptor is an sdp layer and sets
// its media up (sdp.go).

// megacoText reports whether p starts a text MEGACO message.
func megacoText(p []byte) bool {
	p = bytes.TrimLeft(p, " \t\r\n")
	return bytes.HasPrefix(p, []byte("MEGACO/")) || bytes.HasPrefix(p, []byte("!/"))
}

// decodeMEGACO records p as a text MEGACO message with its SDP layers.
func (d *Decoder) decodeMEGACO(f *Frame, p []byte) bool {
	if !megacoText(p) {
		return false
	}
	f.voipLayer(ProtoMEGACO, p)
	d.megacoSDP(f, p)
	return true
}

// megacoCommands maps command tokens (short and long form) to Wireshark's names.
var megacoCommands = [...][3]string{
	{"a", "add", "Add"}, {"mv", "move", "Move"}, {"mf", "modify", "Modify"}, {"s", "subtract", "Subtract"},
	{"av", "auditvalue", "AuditValue"}, {"ac", "auditcapability", "AuditCapability"}, {"n", "notify", "Notify"},
	{"sc", "servicechange", "ServiceChange"},
}

func megacoCommand(tok []byte) string {
	for _, c := range megacoCommands {
		if bytes.EqualFold(tok, []byte(c[0])) || bytes.EqualFold(tok, []byte(c[1])) {
			return c[2]
		}
	}
	return ""
}

// megacoScanner walks the text of a MEGACO message.
type megacoScanner struct {
	b []byte
	i int
}

func (s *megacoScanner) skipSpace() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// token reads a name (letters, digits, '/', '_', '-', '$', '*', '.').
func (s *megacoScanner) token() []byte {
	s.skipSpace()
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		if c == '=' || c == '{' || c == '}' || c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			break
		}
		s.i++
	}
	return s.b[start:s.i]
}

// expect consumes byte c after spaces.
func (s *megacoScanner) expect(c byte) bool {
	s.skipSpace()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// block returns the text up to the '}' matching an already consumed '{'.
func (s *megacoScanner) block() []byte {
	start, depth := s.i, 1
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				s.i++
				return s.b[start : s.i-1]
			}
		}
		s.i++
	}
	return s.b[start:]
}

// appendMEGACOInfo writes Wireshark's Info text for a text MEGACO message.
func appendMEGACOInfo(dst []byte, b []byte) []byte {
	s := megacoScanner{b: b}
	s.token() // version
	s.token() // MID
	for s.i < len(s.b) {
		name := s.token()
		if len(name) == 0 || !s.expect('=') {
			return dst
		}
		id := s.token()
		kind := ""
		switch {
		case bytes.EqualFold(name, []byte("T")) || bytes.EqualFold(name, []byte("Transaction")):
			kind = " Request"
		case bytes.EqualFold(name, []byte("P")) || bytes.EqualFold(name, []byte("Reply")):
			kind = " Reply  "
		}
		if kind != "" {
			dst = append(dst, id...)
			dst = append(dst, kind...)
		}
		if !s.expect('{') {
			return dst
		}
		body := megacoScanner{b: s.block()}
		if kind != "" {
			dst = appendMEGACOContexts(dst, &body)
		}
		s.expect(',')
	}
	return dst
}

func appendMEGACOContexts(dst []byte, s *megacoScanner) []byte {
	for s.i < len(s.b) {
		name := s.token()
		if len(name) == 0 {
			return dst
		}
		if !bytes.EqualFold(name, []byte("C")) && !bytes.EqualFold(name, []byte("Context")) || !s.expect('=') {
			return dst
		}
		ctx := s.token()
		dst = append(dst, " |="...)
		switch string(ctx) {
		case "-":
			dst = append(dst, "NULL"...)
		case "*":
			dst = append(dst, "All"...)
		case "$":
			dst = append(dst, "Choose one"...)
		default:
			dst = append(dst, ctx...)
		}
		if !s.expect('{') {
			return dst
		}
		cmds := megacoScanner{b: s.block()}
		for cmds.i < len(cmds.b) {
			tok := cmds.token()
			if len(tok) == 0 {
				break
			}
			cmd := megacoCommand(tok)
			var term, desc []byte
			if cmds.expect('=') {
				term = cmds.token()
			}
			if cmds.expect('{') {
				desc = cmds.block()
			}
			if cmd != "" {
				dst = append(dst, ' ')
				dst = append(dst, cmd...)
				dst = append(dst, '=')
				dst = append(dst, term...)
				dst = appendMEGACODescriptors(dst, desc)
			}
			cmds.expect(',')
		}
		s.expect(',')
	}
	return dst
}

// appendMEGACODescriptors adds the mode and signal a command's descriptors set.
func appendMEGACODescriptors(dst []byte, desc []byte) []byte {
	s := megacoScanner{b: desc}
	mode, signal := false, false
	for s.i < len(s.b) {
		tok := s.token()
		if len(tok) == 0 {
			s.i++
			continue
		}
		switch {
		case !mode && (bytes.EqualFold(tok, []byte("MO")) || bytes.EqualFold(tok, []byte("Mode"))) && s.expect('='):
			mode = true
			dst = append(dst, " (Mode:"...)
			dst = append(dst, s.token()...)
			dst = append(dst, ')')
		case !signal && (bytes.EqualFold(tok, []byte("SG")) || bytes.EqualFold(tok, []byte("Signals"))):
			s.skipSpace()
			if s.i < len(s.b) && s.b[s.i] == '{' {
				signal = true
				dst = append(dst, " (Signal:{)"...)
			}
		}
	}
	return dst
}
