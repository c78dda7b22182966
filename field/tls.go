package field

import (
	"encoding/binary"

	"github.com/wirewatch/wirewatch/decode"
)

// TLS fields (Wireshark 4.0 names, types and display names) from the
// complete records of a segment: record-layer fields once per record,
// handshake fields once per plaintext handshake message, hello fields from
// the first ClientHello or ServerHello.

func tlsOf(f *decode.Frame) *decode.TLS {
	if !f.Has(decode.ProtoTLS) {
		return nil
	}
	return &f.TLS
}

// tlsMsgs is a field with one occurrence per summary entry that get accepts.
func tlsMsgs(name, desc string, t Type, base Base, get func(m *decode.TLSMsg) (uint64, bool)) Field {
	return Field{Name: name, Desc: desc, Type: t, Base: base, Proto: decode.ProtoTLS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if s := tlsOf(f); s != nil {
				for i := range s.Msgs {
					if v, ok := get(&s.Msgs[i]); ok {
						dst = append(dst, Value{U: v})
					}
				}
			}
			return dst
		}}
}

// tlsHello is a hello field present once when ok.
func tlsHello(name, desc string, t Type, base Base, get func(s *decode.TLS) (uint64, bool)) Field {
	return Field{Name: name, Desc: desc, Type: t, Base: base, Proto: decode.ProtoTLS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if s := tlsOf(f); s != nil {
				if v, ok := get(s); ok {
					dst = append(dst, Value{U: v})
				}
			}
			return dst
		}}
}

// tlsList16 is a field with one occurrence per 2-byte entry of a raw list.
func tlsList16(name, desc string, get func(s *decode.TLS) []byte) Field {
	return Field{Name: name, Desc: desc, Type: FTUint16, Base: BaseHex, Proto: decode.ProtoTLS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if s := tlsOf(f); s != nil {
				for l := get(s); len(l) >= 2; l = l[2:] {
					dst = append(dst, Value{U: uint64(binary.BigEndian.Uint16(l))})
				}
			}
			return dst
		}}
}

func tlsHandshakeMsg(m *decode.TLSMsg) bool {
	return m.Content == decode.TLSHandshake && !m.Encrypted && !m.Partial
}

func tlsHasHello(s *decode.TLS) bool {
	return s.HelloVersion != 0
}

var tlsFields = []Field{
	{Name: "tls.record.content_type", Desc: "Content Type", Type: FTUint8, Base: BaseDec, Proto: decode.ProtoTLS,
		Get: func(f *decode.Frame, dst []Value) []Value { return tlsContentType(f, dst, false) }},
	{Name: "tls.record.opaque_type", Desc: "Opaque Type", Type: FTUint8, Base: BaseDec, Proto: decode.ProtoTLS,
		Get: func(f *decode.Frame, dst []Value) []Value { return tlsContentType(f, dst, true) }},
	tlsMsgs("tls.record.version", "Version", FTUint16, BaseHex, func(m *decode.TLSMsg) (uint64, bool) {
		return uint64(m.Version), m.RecordStart
	}),
	tlsMsgs("tls.record.length", "Length", FTUint16, BaseDec, func(m *decode.TLSMsg) (uint64, bool) {
		return uint64(m.Length), m.RecordStart
	}),
	tlsMsgs("tls.handshake.type", "Handshake Message Type", FTUint8, BaseDec, func(m *decode.TLSMsg) (uint64, bool) {
		return uint64(m.Handshake), tlsHandshakeMsg(m)
	}),
	tlsHello("tls.handshake.version", "Version", FTUint16, BaseHex, func(s *decode.TLS) (uint64, bool) {
		return uint64(s.HelloVersion), tlsHasHello(s)
	}),
	tlsList16("tls.handshake.ciphersuite", "Cipher Suite", func(s *decode.TLS) []byte { return s.CipherSuites }),
	{Name: "tls.handshake.extensions_server_name", Desc: "Server Name", Type: FTString, Proto: decode.ProtoTLS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if s := tlsOf(f); s != nil && s.SNI != nil {
				dst = append(dst, Value{B: s.SNI})
			}
			return dst
		}},
	{Name: "tls.handshake.extensions_alpn_str", Desc: "ALPN Next Protocol", Type: FTString, Proto: decode.ProtoTLS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if s := tlsOf(f); s != nil {
				for _, p := range s.ALPN {
					dst = append(dst, Value{B: p})
				}
			}
			return dst
		}},
	tlsList16("tls.handshake.extensions.supported_version", "Supported Version", func(s *decode.TLS) []byte { return s.SupportedVers }),
	{Name: "tls.alert_message", Desc: "Alert Message", Type: FTNone, Proto: decode.ProtoTLS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if s := tlsOf(f); s != nil && s.HasAlert {
				dst = append(dst, Value{})
			}
			return dst
		}},
	tlsHello("tls.alert_message.level", "Level", FTUint8, BaseDec, func(s *decode.TLS) (uint64, bool) {
		return uint64(s.AlertLevel), s.HasAlert
	}),
	tlsHello("tls.alert_message.desc", "Description", FTUint8, BaseDec, func(s *decode.TLS) (uint64, bool) {
		return uint64(s.AlertDesc), s.HasAlert
	}),
}

// tlsContentType appends each record's content type. In a TLS 1.3
// connection an application-data record is encrypted and its type field is
// tshark's tls.record.opaque_type (opaque true), not tls.record.content_type.
func tlsContentType(f *decode.Frame, dst []Value, opaque bool) []Value {
	s := tlsOf(f)
	if s == nil {
		return dst
	}
	tls13 := s.SessionVersion == 0x0304
	for i := range s.Msgs {
		m := &s.Msgs[i]
		if !m.RecordStart {
			continue
		}
		if m.Decrypted && tls13 {
			// inner content type; every decrypted TLS 1.3 record is opaque 23
			v := uint64(m.Content)
			if opaque {
				v = uint64(decode.TLSApplicationData)
			}
			dst = append(dst, Value{U: v})
			continue
		}
		if (tls13 && m.Content == decode.TLSApplicationData) == opaque {
			dst = append(dst, Value{U: uint64(m.Content)})
		}
	}
	return dst
}
