package field

import (
	"bytes"

	"github.com/wirewatch/wirewatch/decode"
)

// Fields of IMF (decode/imf.go), Wireshark 4.0 names: one field per known
// header (imf.from, imf.subject, ...; every IMF layer of the frame in
// order), the parts of Content-Type, unknown headers as imf.extension, and
// the mailboxes and addresses of the address headers as Wireshark splits
// them (at every comma, the last item keeping the field's CR LF).

// eachIMF calls fn with every header field of every IMF layer of f.
func eachIMF(f *decode.Frame, fn func(h *decode.IMFField)) {
	if !f.Has(decode.ProtoIMF) {
		return
	}
	for _, l := range f.Layers {
		if l.Proto == decode.ProtoIMF {
			decode.EachIMFField(f.LayerBytes(l), fn)
		}
	}
}

// imfHeader is the field of the header Wireshark shows as key.
func imfHeader(key string) Field {
	return Field{Name: key, Type: FTString, Base: BaseNone, Proto: decode.ProtoIMF,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachIMF(f, func(h *decode.IMFField) {
				if h.Key == key {
					dst = append(dst, Value{B: h.Value})
				}
			})
			return dst
		}}
}

func imfFunc(name string, get func(h *decode.IMFField, dst []Value) []Value) Field {
	return Field{Name: name, Type: FTString, Base: BaseNone, Proto: decode.ProtoIMF,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachIMF(f, func(h *decode.IMFField) { dst = get(h, dst) })
			return dst
		}}
}

// imfValueItems is the value as the address subdissectors read it: from
// its first non-space byte through the field's CR LF.
func imfValueItems(h *decode.IMFField) []byte {
	v := h.Value
	if n := len(v); cap(v) >= n+2 && v[:n+2][n] == '\r' {
		v = v[:n+2]
	}
	return v
}

// imfKind is how Wireshark parses a header's value: 1 mailbox, 2 mailbox
// list, 3 address list, 0 no parse.
func imfKind(key string) int {
	switch key {
	case "imf.sender", "imf.resent.sender", "imf.delivered_to":
		return 1
	case "imf.from", "imf.resent.from":
		return 2
	case "imf.reply_to", "imf.to", "imf.cc", "imf.bcc", "imf.resent.to", "imf.resent.cc", "imf.resent.bcc":
		return 3
	}
	return 0
}

// imfParts calls item for each list item and mbox for each display name
// (name true) or address of h's value, in tree order.
func imfParts(h *decode.IMFField, item func(list int, b []byte), part func(name bool, b []byte)) {
	k := imfKind(h.Key)
	if k == 0 {
		return
	}
	v := imfValueItems(h)
	if k == 1 {
		imfMailbox(v, part)
		return
	}
	imfList(v, k, item, part)
}

func imfList(v []byte, k int, item func(list int, b []byte), part func(name bool, b []byte)) {
	for {
		i := bytes.IndexByte(v, ',')
		it := v
		if i >= 0 {
			it = v[:i]
		}
		if item != nil {
			item(k, it)
		}
		if k == 3 {
			imfAddress(it, item, part)
		} else {
			imfMailbox(it, part)
		}
		if i < 0 {
			return
		}
		v = v[i+1:]
	}
}

// imfAddress is dissect_imf_address: a group ("name: mailboxes;") or a mailbox.
func imfAddress(v []byte, item func(list int, b []byte), part func(name bool, b []byte)) {
	c := bytes.IndexByte(v, ':')
	if c < 0 {
		imfMailbox(v, part)
		return
	}
	part(true, v[:max(0, c-1)])
	p := c + 1
	for p < len(v) && isSpaceByte(v[p]) {
		p++
	}
	if p < len(v) && v[p] != ';' {
		imfList(v[p:], 2, item, part)
	}
}

// imfMailbox is dissect_imf_mailbox: the address between angle brackets
// and the display name before them (its last byte, normally a space, cut
// off), or the whole item as the address.
func imfMailbox(v []byte, part func(name bool, b []byte)) {
	a := bytes.IndexByte(v, '<')
	if a < 0 {
		part(false, v)
		return
	}
	o := 0
	for o < a && isSpaceByte(v[o]) {
		o++
	}
	if o != a {
		part(true, v[o:max(o, a-1)])
	}
	if e := bytes.IndexByte(v[a+1:], '>'); e >= 0 {
		part(false, v[a+1:a+1+e])
	}
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

var imfFields = func() []Field {
	fs := []Field{protoField("imf", decode.ProtoIMF)}
	for _, k := range []string{"imf.date", "imf.from", "imf.sender", "imf.reply_to", "imf.to", "imf.cc", "imf.bcc",
		"imf.message_id", "imf.in_reply_to", "imf.references", "imf.subject", "imf.comments", "imf.user_agent",
		"imf.keywords", "imf.resent.date", "imf.resent.from", "imf.resent.sender", "imf.resent.to", "imf.resent.cc",
		"imf.resent.bcc", "imf.resent.message_id", "imf.return_path", "imf.received", "imf.content.type",
		"imf.content.id", "imf.content.description", "imf.content.transfer_encoding", "imf.mime_version",
		"imf.content_language", "imf.delivery_date", "imf.importance", "imf.priority", "imf.sensitivity",
		"imf.delivered_to", "imf.ext.mailer", "imf.thread-index", "imf.ext.mimeole", "imf.ext.uidl",
		"imf.ext.virus_scanned", "imf.ext.original-to", "imf.lines", "imf.precedence", "imf.expires",
		"imf.ext.authentication_warning", "imf.ext.expiry-date", "imf.ext.tnef-correlator", "imf.autosubmitted"} {
		fs = append(fs, imfHeader(k))
	}
	return append(fs,
		imfFunc("imf.content.type.type", func(h *decode.IMFField, dst []Value) []Value {
			if h.Key == "imf.content.type" {
				if t, _, ok := decode.IMFContentType(h.Value); ok {
					dst = append(dst, Value{B: t})
				}
			}
			return dst
		}),
		imfFunc("imf.content.type.parameters", func(h *decode.IMFField, dst []Value) []Value {
			if h.Key == "imf.content.type" {
				if _, p, ok := decode.IMFContentType(h.Value); ok {
					dst = append(dst, Value{B: p})
				}
			}
			return dst
		}),
		imfFunc("imf.extension", func(h *decode.IMFField, dst []Value) []Value {
			if h.Key == "" {
				dst = append(dst, Value{B: h.Raw})
			}
			return dst
		}),
		imfFunc("imf.extension.type", func(h *decode.IMFField, dst []Value) []Value {
			if h.Key == "" {
				dst = append(dst, Value{B: h.Name})
			}
			return dst
		}),
		imfFunc("imf.extension.value", func(h *decode.IMFField, dst []Value) []Value {
			if h.Key == "" {
				dst = append(dst, Value{B: h.Value})
			}
			return dst
		}),
		imfFunc("imf.mailbox_list.item", func(h *decode.IMFField, dst []Value) []Value {
			imfParts(h, func(k int, b []byte) {
				if k == 2 {
					dst = append(dst, Value{B: b})
				}
			}, func(bool, []byte) {})
			return dst
		}),
		imfFunc("imf.address_list.item", func(h *decode.IMFField, dst []Value) []Value {
			imfParts(h, func(k int, b []byte) {
				if k == 3 {
					dst = append(dst, Value{B: b})
				}
			}, func(bool, []byte) {})
			return dst
		}),
		imfFunc("imf.address", func(h *decode.IMFField, dst []Value) []Value {
			imfParts(h, nil, func(name bool, b []byte) {
				if !name {
					dst = append(dst, Value{B: b})
				}
			})
			return dst
		}),
		imfFunc("imf.display_name", func(h *decode.IMFField, dst []Value) []Value {
			imfParts(h, nil, func(name bool, b []byte) {
				if name {
					dst = append(dst, Value{B: b})
				}
			})
			return dst
		}),
	)
}()
