package decode

// IMAP (RFC 3501) on TCP port 143: tagged request and response lines,
// untagged ("*") lines, and the request a tagged response answers (by tag
// within the connection, as Wireshark's imap.response_to and imap.time).
// Message literals of FETCH responses (Wireshark's IMF layer, which needs
// reassembly) are not decoded.

type imapReq struct {
	conn  [2]uint64
	tag   uint64 // hash of the lower-cased tag
	frame uint64
	ts    int64
}

const imapReqs = 128

type imapTable struct {
	reqs []imapReq
	next int
}

func imapTagHash(tag []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range tag {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}

func (d *Decoder) decodeIMAP(f *Frame, p []byte, port uint16) bool {
	st := d.starttls.get(f)
	if st.on || TLSRecordStart(p) {
		return d.afterStartTLS(f, p, st.on)
	}
	t := &f.Text
	t.Request = f.TCP.DstPort == port
	t.ReqFrame, t.ReqTS = 0, 0
	k := connKey(f)
	it := &d.imap
	EachLine(p, func(l []byte) {
		if len(l) > 0 && l[0] == '*' {
			return
		}
		tag, _ := Token(l)
		if len(tag) == 0 {
			return
		}
		h := imapTagHash(tag)
		if _, rest := Token(l); t.Request {
			if cmd, _ := Token(rest); len(cmd) > 0 && imapPrefix(cmd, "starttls") {
				st.asked = true
			}
		} else if status, _ := Token(rest); len(status) > 0 {
			st.reply(imapPrefix(status, "ok"))
		}
		if t.Request {
			if it.reqs == nil {
				it.reqs = make([]imapReq, imapReqs)
			}
			it.reqs[it.next] = imapReq{conn: k, tag: h, frame: f.Number, ts: f.TS}
			it.next = (it.next + 1) % len(it.reqs)
			return
		}
		for i := range it.reqs {
			r := &it.reqs[(it.next-1-i+2*len(it.reqs))%len(it.reqs)]
			if r.frame != 0 && r.conn == k && r.tag == h && r.frame <= f.Number {
				t.ReqFrame, t.ReqTS = r.frame, r.ts
				break
			}
		}
	})
	f.addText(ProtoIMAP, p)
	return true
}

// appendIMAPInfo is Wireshark's IMAP Info: the first line that is not
// untagged, else the segment's start as long as its last line.
func appendIMAPInfo(dst []byte, t *TextProto, b []byte) []byte {
	dst = appendReqResp(dst, t.Request, "Request: ", "Response: ")
	last := 0
	for rest := b; len(rest) > 0; {
		n, next := lineEnd(rest)
		if n == 0 || rest[0] != '*' {
			return append(dst, rest[:n]...)
		}
		last = n
		rest = rest[next:]
	}
	return append(dst, b[:last]...)
}

// IMAPLine is one line of an IMAP segment split as Wireshark does.
type IMAPLine struct {
	Line    []byte // the line (without its line end)
	Tag     []byte
	Command []byte // request command (after UID) or response command
	Cmd     []byte // imap.command: the request's first word (UID too), the response command
	Status  []byte // response status
	UID     bool
	Folder  []byte
}

// EachIMAPLine calls fn for each line of an IMAP segment that is not
// untagged.
func EachIMAPLine(b []byte, request bool, fn func(l *IMAPLine)) {
	var x IMAPLine
	EachLine(b, func(l []byte) {
		if len(l) > 0 && l[0] == '*' {
			return
		}
		x = IMAPLine{Line: l}
		tag, rest := Token(l)
		if len(tag) == 0 {
			fn(&x)
			return
		}
		x.Tag = tag
		tok, rest := Token(rest)
		if len(tok) == 0 {
			fn(&x)
			return
		}
		if !request {
			x.Status = tok
			x.Command, _ = Token(rest)
			x.Cmd = x.Command
			fn(&x)
			return
		}
		x.Cmd = tok
		// Wireshark compares the token's length of each name, so a
		// prefix ("U", "SEL") matches too.
		if imapPrefix(tok, "uid") {
			x.UID = true
			tok, rest = Token(rest)
		}
		x.Command = tok
		folder, rest := Token(rest)
		if len(tok) > 0 {
			switch {
			case imapPrefix(tok, "select"), imapPrefix(tok, "examine"), imapPrefix(tok, "create"),
				imapPrefix(tok, "delete"), imapPrefix(tok, "rename"), imapPrefix(tok, "subscribe"),
				imapPrefix(tok, "unsubscribe"), imapPrefix(tok, "status"), imapPrefix(tok, "append"),
				imapPrefix(tok, "search"):
				x.Folder = folder
			case imapPrefix(tok, "copy") && len(rest) > 0:
				x.Folder, _ = Token(rest)
			}
		}
		fn(&x)
	})
}

// imapPrefix reports whether tok, lower-cased, starts name (Wireshark's
// strncmp(token, name, len(token))).
func imapPrefix(tok []byte, name string) bool {
	if len(tok) > len(name) {
		return false
	}
	for i, c := range tok {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != name[i] {
			return false
		}
	}
	return true
}
