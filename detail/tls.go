package detail

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wirewatch/wirewatch/decode"
	"github.com/wirewatch/wirewatch/field"
)

func init() { Register(decode.ProtoTLS, buildTLS) }

var tlsVersions = map[uint16][2]string{0x0300: {"SSL 3.0", "SSLv3"}, 0x0301: {"TLS 1.0", "TLSv1"}, 0x0302: {"TLS 1.1", "TLSv1.1"},
	0x0303: {"TLS 1.2", "TLSv1.2"}, 0x0304: {"TLS 1.3", "TLSv1.3"}}
var tlsContent = map[uint8][2]string{20: {"Change Cipher Spec", "Change Cipher Spec Protocol"}, 21: {"Alert", "Alert Protocol"},
	22: {"Handshake", "Handshake Protocol"}, 23: {"Application Data", "Application Data Protocol"}, 24: {"Heartbeat", "Heartbeat Protocol"}}
var tlsHandshakes = map[uint8]string{0: "Hello Request", 1: "Client Hello", 2: "Server Hello", 4: "New Session Ticket", 5: "End of Early Data",
	8: "Encrypted Extensions", 11: "Certificate", 12: "Server Key Exchange", 13: "Certificate Request", 14: "Server Hello Done",
	15: "Certificate Verify", 16: "Client Key Exchange", 20: "Finished", 24: "Key Update", 254: "Message Hash"}
var tlsExtensions = map[uint16]string{0: "server_name", 1: "max_fragment_length", 5: "status_request", 10: "supported_groups",
	11: "ec_point_formats", 13: "signature_algorithms", 14: "use_srtp", 15: "heartbeat", 16: "application_layer_protocol_negotiation",
	18: "signed_certificate_timestamp", 21: "padding", 22: "encrypt_then_mac", 23: "extended_master_secret", 27: "compress_certificate",
	28: "record_size_limit", 35: "session_ticket", 41: "pre_shared_key", 42: "early_data", 43: "supported_versions", 44: "cookie",
	45: "psk_key_exchange_modes", 47: "certificate_authorities", 49: "post_handshake_auth", 50: "signature_algorithms_cert",
	51: "key_share", 13172: "next_protocol_negotiation", 17513: "application_settings", 65281: "renegotiation_info", 30032: "channel_id"}

func tlsVersion(v uint16) string {
	if n, ok := tlsVersions[v]; ok {
		return fmt.Sprintf("%s (0x%04x)", n[0], v)
	}
	if v&0x0f0f == 0x0a0a {
		return fmt.Sprintf("Reserved (GREASE) (0x%04x)", v)
	}
	return fmt.Sprintf("Unknown (0x%04x)", v)
}

func grease(v uint16) bool { return v&0x0f0f == 0x0a0a && v>>8 == v&0xff }

// valueName is a registered field's name for v (generated from tshark -G values).
func valueName(fieldName string, v uint64, def string) string {
	if fl := field.Std().Lookup(fieldName); fl != nil {
		for _, vs := range fl.Values {
			if vs.V == v {
				return vs.S
			}
		}
	}
	return def
}

func buildTLS(b *Builder, l decode.Layer, d []byte) {
	f := b.Frame
	n := min(l.Len, len(d))
	d = d[:n]
	b.Open("tls", 0, n, "Transport Layer Security")
	if f.TLS.CountedTail > 0 && l.Len == f.TLS.CountedTail && b.firstOf(decode.ProtoTLS) {
		// the end of a record whose start (its header) is in earlier segments
		d = d[:0]
	}
	sess := f.TLS.SessionVersion
	for p := 0; p+5 <= len(d); {
		ct, ver, rl := d[p], be16(d[p+1:]), int(be16(d[p+3:]))
		c, ok := tlsContent[ct]
		if !ok {
			break
		}
		end := min(p+5+rl, len(d))
		body := d[p+5 : end]
		lv := ver
		if sess != 0 {
			lv = sess
		}
		short := "SSL"
		if v, ok := tlsVersions[lv]; ok {
			short = v[1]
		}
		summary := c[1]
		encrypted := false
		switch ct {
		case 22:
			if len(body) >= 4 {
				ht := body[0]
				hl := int(body[1])<<16 | int(body[2])<<8 | int(body[3])
				if name, ok := tlsHandshakes[ht]; ok && hl+4 <= len(body) || ok && len(body) < rl {
					summary += ": " + name
				} else {
					summary += ": Encrypted Handshake Message"
					encrypted = true
				}
			}
		case 23:
			summary += ": " + tlsAppProto(f)
		case 21:
			if len(body) != 2 || body[0] > 2 {
				summary = "Encrypted Alert"
				encrypted = true
			} else {
				summary += ": " + alertLevel(body[0]) + " " + valueName("tls.alert_message.desc", uint64(body[1]), "Unknown")
			}
		case 20:
			summary += ": Change Cipher Spec"
		}
		b.Openf("tls.record", p, end-p, "%s Record Layer: %s", short, summary)
		b.Addf("tls.record.content_type", p, 1, "Content Type: %s (%d)", c[0], ct)
		b.Add("tls.record.version", p+1, 2, "Version: "+tlsVersion(ver))
		b.Addf("tls.record.length", p+3, 2, "Length: %d", rl)
		switch {
		case ct == 20:
			b.Add("tls.change_cipher_spec", p+5, len(body), "Change Cipher Spec Message")
		case ct == 21 && !encrypted && len(body) == 2:
			b.Openf("tls.alert_message", p+5, 2, "Alert Message")
			b.Addf("tls.alert_message.level", p+5, 1, "Level: %s (%d)", alertLevel(body[0]), body[0])
			b.Addf("tls.alert_message.desc", p+6, 1, "Description: %s (%d)", valueName("tls.alert_message.desc", uint64(body[1]), "Unknown"), body[1])
			b.Close()
		case ct == 21:
			b.Add("tls.alert_message", p+5, len(body), "Alert Message: Encrypted Alert")
		case ct == 23:
			b.Add("tls.app_data", p+5, len(body), "Encrypted Application Data: "+BytesLabel(body))
			b.GenKV("tls.app_data_proto", "Application Data Protocol", tlsAppProto(f))
		case ct == 22 && encrypted:
			b.Add("tls.handshake", p+5, len(body), "Handshake Protocol: Encrypted Handshake Message")
		case ct == 22:
			b.tlsHandshakes(p+5, body)
		}
		b.Close()
		p = end
	}
	b.Close()
}

func alertLevel(l uint8) string {
	switch l {
	case 1:
		return "Warning"
	case 2:
		return "Fatal"
	}
	return "Unknown"
}

// tlsAppProto is the protocol tshark names for application data (by port).
func tlsAppProto(f *decode.Frame) string {
	for _, p := range []uint16{f.TCP.SrcPort, f.TCP.DstPort} {
		switch p {
		case 443:
			return "Hypertext Transfer Protocol"
		case 993:
			return "Internet Message Access Protocol"
		case 465, 587:
			return "Simple Mail Transfer Protocol"
		case 995:
			return "Post Office Protocol"
		}
	}
	return "Application Data"
}

func (b *Builder) tlsHandshakes(off int, body []byte) {
	for q := 0; q+4 <= len(body); {
		ht := body[q]
		hl := int(body[q+1])<<16 | int(body[q+2])<<8 | int(body[q+3])
		name := mapName(tlsHandshakes, ht, "Unknown")
		end := min(q+4+hl, len(body))
		b.Openf("tls.handshake", off+q, end-q, "Handshake Protocol: %s", name)
		b.Addf("tls.handshake.type", off+q, 1, "Handshake Type: %s (%d)", name, ht)
		b.Addf("tls.handshake.length", off+q+1, 3, "Length: %d", hl)
		m := body[q+4 : end]
		switch ht {
		case 1, 2:
			b.tlsHello(off+q+4, m, ht == 1)
		}
		b.Close()
		q = end
	}
}

func (b *Builder) tlsHello(off int, m []byte, client bool) {
	if len(m) < 35 {
		return
	}
	ver := be16(m)
	b.Add("tls.handshake.version", off, 2, "Version: "+tlsVersion(ver))
	b.Open("tls.handshake.random", off+2, 32, "Random: "+HexBytes(m[2:34]))
	gmt := int64(be32(m[2:]))
	b.Add("tls.handshake.random_time", off+2, 4, "GMT Unix Time: "+AbsTime(gmt*int64(time.Second)))
	b.Add("tls.handshake.random_bytes", off+6, 28, "Random Bytes: "+HexBytes(m[6:34]))
	b.Close()
	p := 34
	sl := int(m[p])
	b.Addf("tls.handshake.session_id_length", off+p, 1, "Session ID Length: %d", sl)
	p++
	if p+sl > len(m) {
		return
	}
	if sl > 0 {
		b.Add("tls.handshake.session_id", off+p, sl, "Session ID: "+HexBytes(m[p:p+sl]))
	}
	p += sl
	var ja3 []string
	ja3 = append(ja3, strconv.Itoa(int(ver)))
	var ciphers, exts, groups, formats []string
	if client {
		if p+2 > len(m) {
			return
		}
		cl := int(be16(m[p:]))
		b.Addf("tls.handshake.cipher_suites_length", off+p, 2, "Cipher Suites Length: %d", cl)
		p += 2
		if p+cl > len(m) {
			return
		}
		b.Openf("tls.handshake.ciphersuites", off+p, cl, "Cipher Suites (%d suites)", cl/2)
		for i := 0; i+2 <= cl; i += 2 {
			cs := be16(m[p+i:])
			b.Addf("tls.handshake.ciphersuite", off+p+i, 2, "Cipher Suite: %s (0x%04x)", valueName("tls.handshake.ciphersuite", uint64(cs), "Unknown"), cs)
			if !grease(cs) {
				ciphers = append(ciphers, strconv.Itoa(int(cs)))
			}
		}
		b.Close()
		p += cl
		if p >= len(m) {
			return
		}
		ml := int(m[p])
		b.Addf("tls.handshake.comp_methods_length", off+p, 1, "Compression Methods Length: %d", ml)
		p++
		if p+ml > len(m) {
			return
		}
		b.Openf("tls.handshake.comp_methods", off+p, ml, "Compression Methods (%s)", Plural(ml, "method"))
		for i := 0; i < ml; i++ {
			b.Addf("tls.handshake.comp_method", off+p+i, 1, "Compression Method: %s (%d)", compName(m[p+i]), m[p+i])
		}
		b.Close()
		p += ml
	} else {
		if p+3 > len(m) {
			return
		}
		cs := be16(m[p:])
		b.Addf("tls.handshake.ciphersuite", off+p, 2, "Cipher Suite: %s (0x%04x)", valueName("tls.handshake.ciphersuite", uint64(cs), "Unknown"), cs)
		ciphers = append(ciphers, strconv.Itoa(int(cs)))
		b.Addf("tls.handshake.comp_method", off+p+2, 1, "Compression Method: %s (%d)", compName(m[p+2]), m[p+2])
		p += 3
	}
	if p+2 <= len(m) {
		el := int(be16(m[p:]))
		b.Addf("tls.handshake.extensions_length", off+p, 2, "Extensions Length: %d", el)
		p += 2
		end := min(p+el, len(m))
		for p+4 <= end {
			et, xl := be16(m[p:]), int(be16(m[p+2:]))
			if p+4+xl > end {
				break
			}
			v := m[p+4 : p+4+xl]
			name := mapName(tlsExtensions, et, "Unknown type "+strconv.Itoa(int(et)))
			if grease(et) {
				name = "Reserved (GREASE)"
			} else {
				exts = append(exts, strconv.Itoa(int(et)))
			}
			b.Openf("tls.handshake.extension", off+p, 4+xl, "Extension: %s (len=%d)", name, xl)
			b.Addf("tls.handshake.extension.type", off+p, 2, "Type: %s (%d)", name, et)
			b.Addf("tls.handshake.extension.len", off+p+2, 2, "Length: %d", xl)
			o := off + p + 4
			switch et {
			case 0:
				if len(v) >= 5 {
					sn := int(be16(v[3:]))
					if 5+sn <= len(v) {
						b.Open("", o, xl, "Server Name Indication extension")
						b.Addf("tls.handshake.extensions_server_name_list_len", o, 2, "Server Name list length: %d", be16(v))
						b.Addf("tls.handshake.extensions_server_name_type", o+2, 1, "Server Name Type: host_name (%d)", v[2])
						b.Addf("tls.handshake.extensions_server_name_len", o+3, 2, "Server Name length: %d", sn)
						b.Add("tls.handshake.extensions_server_name", o+5, sn, "Server Name: "+Esc(v[5:5+sn]))
						b.Close()
					}
				}
			case 16:
				if len(v) >= 2 {
					b.Addf("tls.handshake.extensions_alpn_len", o, 2, "ALPN Extension Length: %d", be16(v))
					b.Open("tls.handshake.extensions_alpn_list", o+2, len(v)-2, "ALPN Protocol")
					for i := 2; i < len(v); {
						sl := int(v[i])
						if i+1+sl > len(v) {
							break
						}
						b.Addf("tls.handshake.extensions_alpn_str_len", o+i, 1, "ALPN string length: %d", sl)
						b.Add("tls.handshake.extensions_alpn_str", o+i+1, sl, "ALPN Next Protocol: "+Esc(v[i+1:i+1+sl]))
						i += 1 + sl
					}
					b.Close()
				}
			case 43:
				if client && len(v) >= 1 {
					b.Addf("tls.handshake.extensions.supported_versions_len", o, 1, "Supported Versions length: %d", v[0])
					for i := 1; i+2 <= len(v); i += 2 {
						b.Add("tls.handshake.extensions.supported_version", o+i, 2, "Supported Version: "+tlsVersion(be16(v[i:])))
					}
				} else if len(v) == 2 {
					b.Add("tls.handshake.extensions.supported_version", o, 2, "Supported Version: "+tlsVersion(be16(v)))
				}
			case 10:
				for i := 2; i+2 <= len(v); i += 2 {
					if g := be16(v[i:]); !grease(g) {
						groups = append(groups, strconv.Itoa(int(g)))
					}
				}
			case 11:
				for i := 1; i < len(v); i++ {
					formats = append(formats, strconv.Itoa(int(v[i])))
				}
			case 35:
				if xl == 0 {
					b.Add("tls.handshake.extension.data", o, 0, "Data (0 bytes)")
				}
			}
			b.Close()
			p += 4 + xl
		}
	}
	if client {
		full := strings.Join(append(ja3, strings.Join(ciphers, "-"), strings.Join(exts, "-"), strings.Join(groups, "-"), strings.Join(formats, "-")), ",")
		sum := md5.Sum([]byte(full))
		b.GenKV("tls.handshake.ja3_full", "JA3 Fullstring", full)
		b.Gen("tls.handshake.ja3", "JA3: %s", hex.EncodeToString(sum[:]))
	} else {
		full := strings.Join(append(ja3, strings.Join(ciphers, "-"), strings.Join(exts, "-")), ",")
		sum := md5.Sum([]byte(full))
		b.GenKV("tls.handshake.ja3s_full", "JA3S Fullstring", full)
		b.Gen("tls.handshake.ja3s", "JA3S: %s", hex.EncodeToString(sum[:]))
	}
}

func compName(c uint8) string {
	switch c {
	case 0:
		return "null"
	case 1:
		return "DEFLATE"
	case 64:
		return "LZS"
	}
	return "Unknown"
}
