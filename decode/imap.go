package decode

// IMAP (RFC 3501) on TCP port 143: tagged request and response lines,
// untagged ("*") lines, and the request a tagged response answers (by tag
// within the connection, as Wireshark's imap.response_to and imap.time).
// The message literals of FETCH responses are IMF layers (imapfetch.go).

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

// note remembers a request's tag.
func (it *imapTable) note(k [2]uint64, h uint64, f *Frame) {
	if it.reqs == nil {
		it.reqs = make([]imapReq, imapReqs)
	}
	last := &it.reqs[(it.next-1+len(it.reqs))%len(it.reqs)]
	if last.conn == k && last.tag == h && last.frame == f.Number {
		return // noted already (the frame decoded again)
	}
	it.reqs[it.next] = imapReq{conn: k, tag: h, frame: f.Number, ts: f.TS}
	it.next = (it.next + 1) % len(it.reqs)
}

// trackIMAP notes the requests of an IMAP frame in the Decoder that
// package flow drives (TrackWindows), whose reassembled responses look
// them up.
func (d *Decoder) trackIMAP(f *Frame) {
	l, ok := f.Layer(ProtoIMAP)
	if !ok || !f.Text.Request {
		return
	}
	k := connKey(f)
	EachIMAPText(f.LayerBytes(l), func(line []byte, untag bool, _ []byte) {
		if tag, _ := Token(line); !untag && len(tag) > 0 {
			d.imap.note(k, imapTagHash(tag), f)
		}
	})
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
	nlit := 0
	EachIMAPText(p, func(l []byte, untag bool, lit []byte) {
		if lit != nil {
			nlit++
		}
		if untag {
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
			it.note(k, h, f)
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
	if nlit > 0 {
		EachIMAPText(p, func(_ []byte, _ bool, lit []byte) {
			if lit != nil {
				f.Present.Add(ProtoIMF)
				f.addAppLayer(ProtoIMF, lit)
			}
		})
		if nlit > 1 {
			f.Repeated.Add(ProtoIMF)
		}
	}
	return true
}

// EachIMAPText calls fn for each line of IMAP bytes b as Wireshark reads
// them: untagged or not, with the IMF literal a FETCH line carries (whose
// bytes are not lines); lines after what IMAPWalk finds complete (a
// segment decoded alone) follow as plain lines.
func EachIMAPText(b []byte, fn func(l []byte, untag bool, lit []byte)) {
	done, _ := IMAPWalk(b, func(p *IMAPPart) { fn(p.Line, p.Untag, p.Literal) })
	EachLine(b[done:], func(l []byte) { fn(l, len(l) > 0 && l[0] == '*', nil) })
}

// appendIMAPInfo is Wireshark's IMAP Info: the first line that is not
// untagged, else the segment's start as long as its last line.
func appendIMAPInfo(dst []byte, t *TextProto, b []byte) []byte {
	dst = appendReqResp(dst, t.Request, "Request: ", "Response: ")
	var first, last []byte
	EachIMAPText(b, func(l []byte, untag bool, _ []byte) {
		if first == nil && (len(l) == 0 || !untag) {
			first = l
		}
		last = l
	})
	if first != nil {
		return append(dst, first...)
	}
	return append(dst, b[:len(last)]...)
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
	EachIMAPText(b, func(l []byte, untag bool, _ []byte) {
		if untag {
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
