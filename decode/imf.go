package decode

import "bytes"

// Internet Message Format (RFC 5322), as Wireshark's IMF dissector reads a
// message that POP (a RETR/TOP reply), IMAP (a FETCH literal) or SMTP (DATA)
// hands it: header fields up to the blank line, each "name: value" with
// folded continuation lines, then the body. Wireshark's rules are kept where
// they differ from the RFC, because its fields and Info column follow them:
// a field's name is everything before the next colon (line breaks included),
// a segment without the blank line has no body of its own (its text is shown
// from the start), and the Content-Type names a media type only when a ';'
// follows the type.

// IMFField is one header field of a message.
type IMFField struct {
	Name  []byte // as written, before the colon
	Key   string // Wireshark's field name (imf.from, ...), "" for an unknown one
	Value []byte // without leading white space and the final CR LF
	Raw   []byte // the field from its name to before the final CR LF (unknown ones)
}

// imfKeys maps a lower-case header name to its field (packet-imf.c's
// imf_fields table of Wireshark 4.0).
var imfKeys = map[string]string{
	"date": "imf.date", "from": "imf.from", "sender": "imf.sender", "reply-to": "imf.reply_to",
	"to": "imf.to", "cc": "imf.cc", "bcc": "imf.bcc", "message-id": "imf.message_id",
	"in-reply-to": "imf.in_reply_to", "references": "imf.references", "subject": "imf.subject",
	"comments": "imf.comments", "user-agent": "imf.user_agent", "keywords": "imf.keywords",
	"resent-date": "imf.resent.date", "resent-from": "imf.resent.from", "resent-sender": "imf.resent.sender",
	"resent-to": "imf.resent.to", "resent-cc": "imf.resent.cc", "resent-bcc": "imf.resent.bcc",
	"resent-message-id": "imf.resent.message_id", "return-path": "imf.return_path", "received": "imf.received",
	"content-type": "imf.content.type", "content-id": "imf.content.id",
	"content-description": "imf.content.description", "content-transfer-encoding": "imf.content.transfer_encoding",
	"mime-version": "imf.mime_version", "autoforwarded": "imf.autoforwarded", "autosubmitted": "imf.autosubmitted",
	"x400-content-identifier": "imf.x400_content_identifier", "content-language": "imf.content_language",
	"conversion": "imf.conversion", "conversion-with-loss": "imf.conversion_with_loss",
	"delivery-date": "imf.delivery_date", "discarded-x400-ipms-extensions": "imf.discarded_x400_ipms_extensions",
	"discarded-x400-mts-extensions": "imf.discarded_x400_mts_extensions", "dl-expansion-history": "imf.dl_expansion_history",
	"deferred-delivery": "imf.deferred_delivery", "expires": "imf.expires", "importance": "imf.importance",
	"incomplete-copy": "imf.incomplete_copy", "latest-delivery-time": "imf.latest_delivery_time",
	"message-type": "imf.message_type", "original-encoded-information-types": "imf.original_encoded_information_types",
	"originator-return-address": "imf.originator_return_address", "priority": "imf.priority",
	"reply-by": "imf.reply_by", "sensitivity": "imf.sensitivity", "supersedes": "imf.supersedes",
	"x400-content-type": "imf.x400_content_type", "x400-mts-identifier": "imf.x400_mts_identifier",
	"x400-originator": "imf.x400_originator", "x400-received": "imf.x400_received",
	"x400-recipients": "imf.x400_recipients", "delivered-to": "imf.delivered_to",
	"x-mailer": "imf.ext.mailer", "thread-index": "imf.thread-index", "x-mimeole": "imf.ext.mimeole",
	"expiry-date": "imf.ext.expiry-date", "x-ms-tnef-correlator": "imf.ext.tnef-correlator",
	"x-uidl": "imf.ext.uidl", "x-authentication-warning": "imf.ext.authentication_warning",
	"x-virus-scanned": "imf.ext.virus_scanned", "x-original-to": "imf.ext.original-to",
	"lines": "imf.lines", "precedence": "imf.precedence",
}

// IMFKey returns the field a header name is shown as ("" unknown).
func IMFKey(name []byte) string {
	var low [40]byte
	if len(name) > len(low) {
		return ""
	}
	return imfKeys[string(appendLower(low[:0], name))]
}

// imfFieldEnd is Wireshark's imf_find_field_end: from off (after a colon),
// the offset after the CR LF that ends the field (folded lines continue
// it), and whether a blank line follows; -1 when no CR LF ends it.
func imfFieldEnd(b []byte, off int) (end int, last bool) {
	for off < len(b) {
		i := bytes.IndexByte(b[off:], '\r')
		if i < 0 {
			return -1, false
		}
		off += i + 1
		if off < len(b) && b[off] == '\n' {
			off++
			if off >= len(b) {
				return off - 2, true
			}
			switch b[off] {
			case '\r':
				return off, off+1 < len(b) && b[off+1] == '\n'
			case ' ', '\t':
			default:
				return off, false
			}
		}
	}
	return -1, false
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// EachIMFField calls fn for each header field of message b and returns
// the offset of the body (0 when the header has no end in b).
func EachIMFField(b []byte, fn func(h *IMFField)) (body int) {
	var h IMFField
	start, end, last := 0, 0, false
	for !last {
		c := bytes.IndexByte(b[start:], ':')
		if c < 0 {
			end = -1 // Wireshark's end_offset holds the failed search
			break
		}
		c += start
		name := b[start:c]
		nameOff := start
		start = c + 1
		end, last = imfFieldEnd(b, start)
		if end < 0 {
			break
		}
		v := start
		for v < end && isSpace(b[v]) {
			v++
		}
		if v == end {
			v = start
		}
		ve := max(v, end-2)
		h = IMFField{Name: name, Key: IMFKey(name), Value: b[v:ve], Raw: b[nameOff:max(nameOff, end-2)]}
		if fn != nil {
			fn(&h)
		}
		start = end
	}
	if last {
		end += 2
	}
	if end < 0 || end > len(b) {
		end = 0
	}
	return end
}

// IMFContentType splits a Content-Type value as Wireshark does: the type
// before the first ';' and the parameters after it up to the field's end;
// ok is false without a ';' (no media type is then dissected).
func IMFContentType(v []byte) (typ, params []byte, ok bool) {
	for len(v) > 0 && isSpace(v[0]) {
		v = v[1:]
	}
	i := bytes.IndexByte(v, ';')
	if i < 0 {
		return nil, nil, false
	}
	return v[:i], v[i+1:], true
}

// IMFMessage is what a message's header says about its body.
type IMFMessage struct {
	Body      int    // offset of the body
	MediaType []byte // Content-Type's type when one is dissected, else nil
	Base64    bool   // Content-Transfer-Encoding: base64
}

// ParseIMF reads message b's header.
func ParseIMF(b []byte) IMFMessage {
	var m IMFMessage
	m.Body = EachIMFField(b, func(h *IMFField) {
		switch h.Key {
		case "imf.content.type":
			if t, _, ok := IMFContentType(h.Value); ok {
				m.MediaType = t
			}
		case "imf.content.transfer_encoding":
			m.Base64 = len(h.Value) >= 6 && bytes.EqualFold(h.Value[:6], []byte("base64"))
		}
	})
	return m
}

// imfMedia is the protocol Wireshark's media_type table gives type t:
// "data-text-lines" for text, "mime_multipart", "" for types IMF hands to
// no dissector.
func imfMedia(t []byte) string {
	var low [64]byte
	if len(t) > len(low) {
		return ""
	}
	switch m := string(appendLower(low[:0], t)); {
	case m == "text/plain" || m == "text/html" || m == "text/css" || m == "text/richtext" ||
		m == "text/enriched" || m == "text/calendar" || m == "text/vcard" || m == "text/x-vcard" ||
		m == "text/javascript" || m == "text/parameters":
		return "data-text-lines"
	case len(m) > 10 && m[:10] == "multipart/":
		return "mime_multipart"
	}
	return ""
}

// appendIMFInfo appends the Info text of message b: "from: X, subject: Y, "
// then " (text/plain)" for a text body, or the body's lines (each with its
// line end shown as spaces) separated by ", ".
func appendIMFInfo(dst, b []byte, start int) []byte {
	m := IMFMessage{}
	m.Body = EachIMFField(b, func(h *IMFField) {
		switch h.Key {
		case "imf.from", "imf.subject":
			dst = append(dst, h.Key[4:]...)
			dst = append(dst, ": "...)
			dst = AppendDisplayText(dst, h.Value)
			dst = append(dst, ", "...)
		case "imf.content.type":
			if t, _, ok := IMFContentType(h.Value); ok {
				m.MediaType = t
			}
		}
	})
	if m.MediaType != nil {
		if imfMedia(m.MediaType) == "data-text-lines" {
			if len(dst) > start {
				dst = append(dst, ' ')
			}
			dst = append(dst, '(')
			dst = AppendDisplayText(dst, m.MediaType)
			dst = append(dst, ')')
		}
		return dst
	}
	for off := m.Body; off < len(b); {
		_, next := lineEnd(b[off:])
		if len(dst) > start {
			dst = append(dst, ", "...)
		}
		dst = appendWSPText(dst, b[off:off+next])
		off += next
	}
	return dst
}

// appendWSPText is Wireshark's format_text_wsp: format_text with white
// space (CR, LF, tab) shown as spaces.
func appendWSPText(dst, s []byte) []byte {
	for len(s) > 0 {
		i := bytes.IndexAny(s, "\r\n\t\v\f")
		if i < 0 {
			return AppendDisplayText(dst, s)
		}
		dst = AppendDisplayText(dst, s[:i])
		dst = append(dst, ' ')
		s = s[i+1:]
	}
	return dst
}

// imfColumn is the Protocol column of a frame whose last layers are IMF:
// the carrier's name, then "/IMF" for each message (Wireshark's IMF
// appends to the column).
func (f *Frame) imfColumn() string {
	n := 0
	var carrier Proto
	for _, l := range f.Layers {
		switch l.Proto {
		case ProtoIMF:
			n++
		case ProtoPOP, ProtoIMAP, ProtoSMTP:
			carrier = l.Proto
		}
	}
	s := "IMF"
	switch carrier {
	case ProtoPOP:
		s = "POP/IMF"
	case ProtoIMAP:
		s = "IMAP/IMF"
	case ProtoSMTP:
		s = "SMTP/IMF"
	}
	for ; n > 1; n-- {
		s += "/IMF"
	}
	return s
}

// appendIMFInfos appends the Info column of a frame with IMF layers. Each
// IMF clears the column back to the fence the one before it set: a message
// with a dissected media type leaves its "from: …, subject: …, " part (the
// fence is set before the media dissector adds its text), one without
// leaves nothing.
func (f *Frame) appendIMFInfos(dst []byte) []byte {
	last, start := -1, len(dst)
	for i, l := range f.Layers {
		if l.Proto == ProtoIMF {
			last = i
		}
	}
	for i, l := range f.Layers {
		if l.Proto != ProtoIMF {
			continue
		}
		b := f.LayerBytes(l)
		if i == last {
			return appendIMFInfo(dst, b, start)
		}
		if ParseIMF(b).MediaType == nil {
			continue
		}
		EachIMFField(b, func(h *IMFField) {
			if h.Key == "imf.from" || h.Key == "imf.subject" {
				dst = append(dst, h.Key[4:]...)
				dst = append(dst, ": "...)
				dst = AppendDisplayText(dst, h.Value)
				dst = append(dst, ", "...)
			}
		})
	}
	return dst
}

// IMFMediaLayer is the protocol after an IMF layer of message b in
// frame.protocols ("" none).
func IMFMediaLayer(b []byte) string {
	m := ParseIMF(b)
	if m.MediaType == nil || m.Body >= len(b) {
		return "" // an empty body adds no layer
	}
	return imfMedia(m.MediaType)
}
