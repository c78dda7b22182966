package field

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// Fields of SOCKS (decode/socks.go), Wireshark 4.0 names. Which message a
// segment is comes from the connection (decode.SOCKS.Kind); the tunnelled
// segments carry the command's values as generated fields.

func socksMsg(f *decode.Frame) (*decode.SOCKS, []byte, bool) {
	b, ok := layerBytes(f, decode.ProtoSOCKS)
	if !ok {
		return nil, nil, false
	}
	return &f.SOCKS, b, true
}

// socksV5 reads a byte of a v5 message of kind k.
func socksByte(name string, off int, kinds ...uint8) Field {
	return uintField(name, FTUint8, BaseDec, decode.ProtoSOCKS, func(f *decode.Frame) (uint64, bool) {
		s, b, ok := socksMsg(f)
		if !ok || s.Version != 5 || off >= len(b) {
			return 0, false
		}
		for _, k := range kinds {
			if s.Kind == k {
				return uint64(b[off]), true
			}
		}
		return 0, false
	})
}

// socksAddr is the address of a v5 command or reply, or the command's on
// tunnelled segments.
func socksAddr(f *decode.Frame, v6 bool) (netip.Addr, bool) {
	s, b, ok := socksMsg(f)
	if !ok {
		return netip.Addr{}, false
	}
	switch s.Kind {
	case decode.SOCKSCommand, decode.SOCKSCommandResp:
		if s.Version != 5 {
			return netip.Addr{}, false
		}
		at, a, _, ok := decode.SOCKSAddr(b)
		if !ok {
			return netip.Addr{}, false
		}
		if at == 1 && !v6 {
			return netip.AddrFrom4([4]byte(a)), true
		}
		if at == 4 && v6 {
			return netip.AddrFrom16([16]byte(a)), true
		}
	case decode.SOCKSData:
		if s.AddrType == 1 && !v6 {
			return netip.AddrFrom4([4]byte(s.Addr[:4])), true
		}
		if s.AddrType == 4 && v6 {
			return netip.AddrFrom16(s.Addr), true
		}
	}
	return netip.Addr{}, false
}

var socksFields = []Field{
	protoField("socks", decode.ProtoSOCKS),
	uintField("socks.version", FTUint8, BaseDec, decode.ProtoSOCKS, func(f *decode.Frame) (uint64, bool) {
		s, _, ok := socksMsg(f)
		if !ok || s.Kind == decode.SOCKSAuth || s.Kind == decode.SOCKSAuthReply || s.Kind == 0 {
			return 0, false
		}
		return uint64(s.Version), true
	}),
	socksByte("socks.auth_method_count", 1, decode.SOCKSGreeting),
	Field{Name: "socks.auth_method", Type: FTUint8, Base: BaseDec, Proto: decode.ProtoSOCKS,
		Get: func(f *decode.Frame, dst []Value) []Value {
			s, b, ok := socksMsg(f)
			if !ok || s.Version != 5 || s.Kind != decode.SOCKSGreeting || len(b) < 2 {
				return dst
			}
			for _, m := range b[2:min(len(b), 2+int(b[1]))] {
				dst = append(dst, Value{U: uint64(m)})
			}
			return dst
		}},
	socksByte("socks.auth_accepted_method", 1, decode.SOCKSMethod),
	socksByte("socks.reserved", 2, decode.SOCKSCommand, decode.SOCKSCommandResp),
	socksByte("socks.address_type", 3, decode.SOCKSCommand, decode.SOCKSCommandResp),
	socksByte("socks.results", 1, decode.SOCKSCommandResp),
	uintField("socks.command", FTUint8, BaseDec, decode.ProtoSOCKS, func(f *decode.Frame) (uint64, bool) {
		s, b, ok := socksMsg(f)
		switch {
		case !ok:
		case s.Kind == decode.SOCKSCommand && len(b) > 1:
			return uint64(b[1]), true
		case s.Kind == decode.SOCKSData:
			return uint64(s.Cmd), true
		}
		return 0, false
	}),
	uintField("socks.port", FTUint16, BaseDec, decode.ProtoSOCKS, func(f *decode.Frame) (uint64, bool) {
		s, b, ok := socksMsg(f)
		if !ok || s.Version != 5 || s.Kind != decode.SOCKSCommand && s.Kind != decode.SOCKSCommandResp {
			return 0, false
		}
		_, _, port, ok := decode.SOCKSAddr(b)
		return uint64(port), ok
	}),
	uintField("socks.dstport", FTUint16, BaseDec, decode.ProtoSOCKS, func(f *decode.Frame) (uint64, bool) {
		s, _, ok := socksMsg(f)
		if !ok || s.Kind != decode.SOCKSData {
			return 0, false
		}
		return uint64(s.Port), true
	}),
	bytesField("socks.remote_name", FTString, decode.ProtoSOCKS, func(f *decode.Frame) ([]byte, bool) {
		s, b, ok := socksMsg(f)
		if !ok || s.Version != 5 || s.Kind != decode.SOCKSCommand && s.Kind != decode.SOCKSCommandResp {
			return nil, false
		}
		at, a, _, ok := decode.SOCKSAddr(b)
		return a, ok && at == 3
	}),
	addrField("socks.dst", FTIPv4, decode.ProtoSOCKS, func(f *decode.Frame) (netip.Addr, bool) { return socksAddr(f, false) }),
	addrField("socks.dstV6", FTIPv6, decode.ProtoSOCKS, func(f *decode.Frame) (netip.Addr, bool) { return socksAddr(f, true) }),
}
