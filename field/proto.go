package field

import "github.com/wirewatch/wirewatch/decode"

// protoField is a protocol-valued field (FT_PROTOCOL): present when the
// protocol is, with one occurrence per layer; its value is the layer's bytes,
// so filters can test "tcp" or slice "tcp[0:2]".
func protoField(name string, p decode.Proto) Field {
	return Field{Name: name, Type: FTProtocol, Proto: p,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !f.Has(p) {
				return dst
			}
			for _, l := range f.Layers {
				if l.Proto == p {
					dst = append(dst, Value{B: f.LayerBytes(l)})
				}
			}
			return dst
		}}
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
	protoField("dns", decode.ProtoDNS),
	protoField("http", decode.ProtoHTTP),
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
