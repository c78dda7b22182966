package decode

import "bytes"

// IMAP message literals, as Wireshark 4.0's IMAP dissector reads them: an
// untagged line with a FETCH among its first three tokens is complete only
// when its literal ("{N}" after the '(', then N bytes and a ')') has
// arrived, and the N bytes after the line are an IMF message. A line
// without its end, or a FETCH still missing bytes, asks TCP for more
// (package flow gathers the segments: AppStream). The rules are
// Wireshark's, quirks included: the '{' is looked for anywhere after the
// '(' in what has arrived, and the literal counts from the end of the
// FETCH line.

// IMAPPart is one piece of an IMAP PDU.
type IMAPPart struct {
	Line    []byte // a line without its line end
	Untag   bool   // the line starts with '*'
	Literal []byte // the IMF message a FETCH line carries, nil none
}

// imapLineEnd is tvb_find_line_end with desegmentation: no line end, or a
// CR at the very end (a CR LF may be cut), gives ok false.
func imapLineEnd(b []byte) (n, next int, ok bool) {
	for i, c := range b {
		switch c {
		case '\n':
			return i, i + 1, true
		case '\r':
			if i+1 >= len(b) {
				return 0, 0, false
			}
			if b[i+1] == '\n' {
				return i, i + 2, true
			}
			return i, i + 1, true
		}
	}
	return 0, 0, false
}

func imapSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// imapFetchToken reports whether one of the first three tokens after the
// '*' of line l (with its line end) is a case-insensitive prefix of FETCH,
// and where that token ends.
func imapFetchToken(l []byte) (end int, ok bool) {
	type tok struct{ s, e int }
	var toks [3]tok
	n := 0
	for next := 0; n < len(toks); {
		start := next + 1
		if start > len(l) {
			break
		}
		i := -1
		for j := start; j < len(l); j++ {
			if imapSpace(l[j]) {
				i = j
				break
			}
		}
		if i > start {
			toks[n] = tok{start, i}
			n++
		}
		if i < 0 {
			break
		}
		next = i
	}
	if n < 2 {
		return 0, false
	}
	for _, t := range toks[:n] {
		if tl := t.e - t.s; tl <= 5 && bytes.EqualFold(l[t.s:t.e], []byte("FETCH")[:tl]) {
			return t.e, true
		}
	}
	return 0, false
}

// imapFetch is dissect_imap_fetch for the FETCH line at off whose token
// ends at tokEnd (offsets in b); next is the offset after the line. It
// returns the offset after what the line takes, its literal, and whether
// more bytes are needed.
func imapFetch(b []byte, tokEnd, next int) (end int, lit []byte, more bool) {
	p := bytes.IndexByte(b[tokEnd:], '(')
	if p < 0 {
		return 0, nil, true
	}
	p += tokEnd
	rem := len(b) - (p + 1)
	if rem <= 0 {
		return 0, nil, true
	}
	s := bytes.IndexByte(b[p:p+rem], '{')
	if s < 0 {
		_, nx, ok := imapLineEnd(b[p:])
		if !ok {
			return 0, nil, true
		}
		return p + nx, nil, false
	}
	s += p
	e := bytes.IndexByte(b[s+1:], '}')
	if e <= 0 {
		return 0, nil, true
	}
	e += s + 1
	size, ok := imapSize(b[s+1 : e])
	if !ok || e+size >= len(b) {
		return 0, nil, true
	}
	if bytes.IndexByte(b[e+size:], ')') < 0 {
		return 0, nil, true
	}
	lit = b[min(next, len(b)):min(next+size, len(b))]
	return min(next+size, len(b)), lit, false
}

// imapSize is ws_strtou32: decimal digits only, at most 2^32-1.
func imapSize(b []byte) (int, bool) {
	if len(b) == 0 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
		if n > 1<<32-1 {
			return 0, false
		}
	}
	return n, true
}

// IMAPWalk calls fn for each part of IMAP bytes b in order and returns how
// many bytes form complete parts; more is set when the rest needs the next
// segment (Wireshark's DESEGMENT_ONE_MORE_SEGMENT at that offset).
func IMAPWalk(b []byte, fn func(p *IMAPPart)) (done int, more bool) {
	var part IMAPPart
	off := 0
	for off < len(b) {
		n, next, ok := imapLineEnd(b[off:])
		if !ok {
			return off, true
		}
		next += off
		part = IMAPPart{Line: b[off : off+n]}
		if b[off] == '*' {
			part.Untag = true
			if te, ok := imapFetchToken(b[off:next]); ok {
				end, lit, m := imapFetch(b, off+te, next)
				if m {
					return off, true
				}
				part.Literal = lit
				next = end
			}
		}
		if fn != nil {
			fn(&part)
		}
		off = next
	}
	return off, false
}

// IMAPComplete is IMAPWalk without the parts.
func IMAPComplete(b []byte) (done int, more bool) { return IMAPWalk(b, nil) }

// imapServerPort is the IMAP server's port of f's connection (143 on
// either side, else the destination).
func imapServerPort(f *Frame) uint16 {
	if f.TCP.SrcPort == 143 {
		return 143
	}
	return f.TCP.DstPort
}
