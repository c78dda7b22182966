package field

import "github.com/wirewatch/wirewatch/decode"

// protoField is a protocol-valued field (FT_PROTOCOL): present when the
// protocol is, with one occurrence per layer; its value is the layer's bytes,
// so filters can test "tcp" or slice "tcp[0:2]". A TCP or UDP header quoted
// in an ICMP error is one more occurrence, as in Wireshark.
func protoField(name string, p decode.Proto) Field {
	return Field{Name: name, Type: FTProtocol, Proto: p,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if f.Has(p) {
				for _, l := range f.Layers {
					if l.Proto == p {
						dst = append(dst, Value{B: f.LayerBytes(l)})
					}
				}
			}
			if f.Quotes(p) {
				var b []byte
				if f.Has(decode.ProtoICMP) {
					b = f.ICMP.InnerL4
				}
				dst = append(dst, Value{B: b})
			}
			return dst
		}}
}

// dnsFamily is the protocol field of one of the DNS-format protocols
// (dns, mdns, llmnr): Wireshark names each after its port, so "dns" is
// absent from mDNS and LLMNR frames.
func dnsFamily(name string, is func(*decode.Frame) bool) Field {
	pf := protoField(name, decode.ProtoDNS)
	get := pf.Get
	pf.Get = func(f *decode.Frame, dst []Value) []Value {
		if !is(f) {
			return dst
		}
		return get(f, dst)
	}
	return pf
}

// protoFields lists the protocols this package decodes (dns, http and tls
// included: their field tables live in dns.go, http.go and tls.go).
var protoFields = []Field{
	{Name: "frame", Type: FTProtocol, Proto: decode.ProtoFrame,
		Get: func(f *decode.Frame, dst []Value) []Value { return append(dst, Value{B: f.Data}) }},
	protoField("eth", decode.ProtoEth),
	protoField("vlan", decode.ProtoVLAN),
	protoField("sll", decode.ProtoSLL),
	protoField("null", decode.ProtoNull),
	protoField("raw", decode.ProtoRaw),
	protoField("llc", decode.ProtoLLC),
	protoField("ieee8021ad", decode.ProtoIEEE8021AD),
	protoField("pppoes", decode.ProtoPPPoE),
	protoField("ppp", decode.ProtoPPP),
	protoField("arp", decode.ProtoARP),
	protoField("ip", decode.ProtoIP),
	protoField("ipv6", decode.ProtoIPv6),
	protoField("icmp", decode.ProtoICMP),
	protoField("icmpv6", decode.ProtoICMPv6),
	protoField("tcp", decode.ProtoTCP),
	protoField("udp", decode.ProtoUDP),
	dnsFamily("dns", (*decode.Frame).IsPlainDNS),
	dnsFamily("mdns", (*decode.Frame).IsMDNS),
	dnsFamily("llmnr", (*decode.Frame).IsLLMNR),
	httpProto(),
	protoField("tls", decode.ProtoTLS),
	protoField("data", decode.ProtoData),
	bytesField("data.data", FTBytes, decode.ProtoData, func(f *decode.Frame) ([]byte, bool) {
		if l, ok := f.Layer(decode.ProtoData); ok {
			return f.LayerBytes(l), true
		}
		return nil, false
	}),
	{Name: "data.len", Type: FTInt32, Base: BaseDec, Proto: decode.ProtoData,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if l, ok := f.Layer(decode.ProtoData); ok {
				dst = append(dst, Value{I: int64(len(f.LayerBytes(l)))})
			}
			return dst
		}},
}

func colField(name, desc string, c decode.Column) Field {
	fl := bytesField(name, FTString, decode.ProtoFrame, func(f *decode.Frame) ([]byte, bool) { return f.ColumnText(c), true })
	fl.Desc = desc
	return fl
}

// wsColFields are tshark's column pseudo-fields (-e _ws.col.Info).
var wsColFields = []Field{
	colField("_ws.col.Protocol", "Protocol column", decode.ColProtocol),
	colField("_ws.col.Info", "Info column", decode.ColInfo),
	colField("_ws.col.Source", "Source column", decode.ColSource),
	colField("_ws.col.Destination", "Destination column", decode.ColDestination),
	{Name: "_ws.col.Length", Desc: "Length column", Type: FTUint32, Base: BaseDec, Proto: decode.ProtoFrame,
		Get: func(f *decode.Frame, dst []Value) []Value { return append(dst, Value{U: uint64(f.Len)}) }},
}

// checksumStatus is the *.checksum.status of a header whose checksum
// Wireshark does not verify by default: 2, "Unverified".
func checksumStatus(name string, p decode.Proto, ok func(f *decode.Frame) bool) Field {
	return Field{Name: name, Type: FTUint8, Base: BaseNone, Proto: p,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if ok(f) {
				dst = append(dst, Value{U: 2})
			}
			return dst
		}}
}

// udpChecksumStatus is udp.checksum.status as Wireshark 4.0 sets it without
// verifying checksums: a zero checksum is "not present" (3) over IPv4 and
// "illegal" (4) over IPv6, where RFC 8200 requires one; otherwise 2.
func udpChecksumStatus(f *decode.Frame, u *decode.UDP, layer int) uint64 {
	switch {
	case u.Checksum != 0:
		return 2
	case udpOverIPv4(f, layer):
		return 3
	}
	return 4
}

// statusFields: checksum statuses and the _ws.malformed marker.
var statusFields = []Field{
	ipUint("ip.checksum.status", FTUint8, BaseNone, 0, func(*decode.IPv4) uint64 { return 2 }),
	checksumStatus("tcp.checksum.status", decode.ProtoTCP, func(f *decode.Frame) bool { return tcpAvail(f, 18) }),
	withType(FTUint8, udpField("udp.checksum.status", BaseNone, udpChecksumStatus)),
	{Name: "icmp.checksum.status", Type: FTUint8, Base: BaseNone, Proto: decode.ProtoICMP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !hasICMP(f) {
				return dst
			}
			dst = append(dst, Value{U: icmpChecksumStatus(f, decode.ProtoICMP)})
			if innerICMP(f) != nil { // a quoted ICMP header is never verified
				dst = append(dst, Value{U: 2})
			}
			return dst
		}},
	uintField("icmpv6.checksum.status", FTUint8, BaseNone, decode.ProtoICMPv6, func(f *decode.Frame) (uint64, bool) {
		return icmpChecksumStatus(f, decode.ProtoICMPv6), hasICMP6(f)
	}),
	{Name: "_ws.malformed", Type: FTProtocol, Proto: decode.ProtoFrame,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if f.Malformed() {
				dst = append(dst, Value{})
			}
			return dst
		}},
}

// icmpChecksumStatus verifies an ICMP or ICMPv6 checksum as Wireshark does by
// default: 1 good, 0 bad, 2 unverified (message not fully captured).
func icmpChecksumStatus(f *decode.Frame, p decode.Proto) uint64 {
	l, ok := f.Layer(p)
	if !ok || f.CapLen < f.Len {
		return 2
	}
	b := f.LayerBytes(l)
	var sum uint32
	if p == decode.ProtoICMPv6 {
		if !f.Has(decode.ProtoIPv6) {
			return 2
		}
		src, dst := f.IPv6.Src.As16(), f.IPv6FinalDst().As16()
		for i := 0; i < 16; i += 2 {
			sum += uint32(src[i])<<8 | uint32(src[i+1])
			sum += uint32(dst[i])<<8 | uint32(dst[i+1])
		}
		sum += uint32(len(b)>>16) + uint32(len(b)&0xffff) + 58
	}
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	if sum == 0xffff {
		return 1
	}
	return 0
}

// httpProto is the "http" protocol field: HTTP/1.x, and HTTP/2 over
// cleartext on an HTTP port, which Wireshark dissects through its HTTP
// dissector (the value is then empty).
func httpProto() Field {
	pf := protoField("http", decode.ProtoHTTP)
	get := pf.Get
	pf.Get = func(f *decode.Frame, dst []Value) []Value {
		if !f.Has(decode.ProtoHTTP) && f.Has(decode.ProtoHTTP2) && f.HTTP2.ViaHTTP {
			return append(dst, Value{})
		}
		return get(f, dst)
	}
	return pf
}
