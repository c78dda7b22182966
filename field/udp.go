package field

import "github.com/wirewatch/wirewatch/decode"

func hasUDP(f *decode.Frame) bool { return f.Has(decode.ProtoUDP) }

// eachUDP calls fn with every UDP header of f in frame order (a UDP tunnel
// has several: decode.Frame.Repeated) and the index of its layer (-1 for
// the one header of an ordinary frame).
func eachUDP(f *decode.Frame, fn func(u *decode.UDP, layer int)) {
	if !hasUDP(f) {
		return
	}
	if !f.Repeated.Has(decode.ProtoUDP) {
		fn(&f.UDP, -1)
		return
	}
	for i, l := range f.Layers {
		if l.Proto == decode.ProtoUDP {
			if u, ok := decode.ParseUDP(f.LayerBytes(l)); ok {
				fn(&u, i)
			}
		}
	}
}

// udpField lists a value of every UDP header with a length (a header cut
// short by the capture has only its ports).
func udpField(name string, base Base, get func(f *decode.Frame, u *decode.UDP, layer int) uint64) Field {
	return Field{Name: name, Type: FTUint16, Base: base, Proto: decode.ProtoUDP,
		Get: func(f *decode.Frame, out []Value) []Value {
			eachUDP(f, func(u *decode.UDP, layer int) {
				if u.Length != 0 {
					out = append(out, Value{U: get(f, u, layer)})
				}
			})
			return out
		}}
}

// withType sets fl's type.
func withType(t Type, fl Field) Field {
	fl.Type = t
	return fl
}

// udpOverIPv4 reports whether the UDP header at layer (-1: the frame's only
// one) is carried by IPv4.
func udpOverIPv4(f *decode.Frame, layer int) bool {
	if layer < 0 {
		return f.Has(decode.ProtoIP)
	}
	for i := layer - 1; i >= 0; i-- {
		switch f.Layers[i].Proto {
		case decode.ProtoIP:
			return true
		case decode.ProtoIPv6:
			return false
		}
	}
	return false
}

// udp.*: the UDP header (stream numbers live in tcp_analysis.go).
var udpFields = []Field{
	portField("udp.srcport", decode.ProtoUDP, decode.IPProtoUDP, true, false),
	portField("udp.dstport", decode.ProtoUDP, decode.IPProtoUDP, false, true),
	portField("udp.port", decode.ProtoUDP, decode.IPProtoUDP, true, true),
	udpField("udp.length", BaseDec, func(_ *decode.Frame, u *decode.UDP, _ int) uint64 { return uint64(u.Length) }),
	udpField("udp.checksum", BaseHex, func(_ *decode.Frame, u *decode.UDP, _ int) uint64 { return uint64(u.Checksum) }),
	{Name: "udp.payload", Type: FTBytes, Proto: decode.ProtoUDP,
		Get: func(f *decode.Frame, out []Value) []Value {
			if !hasUDP(f) {
				return out
			}
			if !f.Repeated.Has(decode.ProtoUDP) && !f.Tunnelled() {
				if len(f.Payload) > 0 {
					out = append(out, Value{B: f.Payload})
				}
				return out
			}
			for _, l := range f.Layers {
				if b := f.LayerBytes(l); l.Proto == decode.ProtoUDP && len(b) > 8 {
					out = append(out, Value{B: b[8:]})
				}
			}
			return out
		}},
}
