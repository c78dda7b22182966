package field

import "github.com/wirewatch/wirewatch/decode"

// STP fields (Wireshark 4.0 "stp.*") of a BPDU.

func stpBPDU(f *decode.Frame) ([]byte, bool) { return layerBytes(f, decode.ProtoSTP) }

// stpConf is a field of configuration and RST BPDUs (not TCNs).
func stpConf(name string, t Type, base Base, off, n int, mask uint64) Field {
	fl := layerUint(name, t, base, decode.ProtoSTP, off, n, mask)
	get := fl.Get
	fl.Get = func(f *decode.Frame, dst []Value) []Value {
		if b, ok := stpBPDU(f); !ok || len(b) < 4 || b[3] == 0x80 {
			return dst
		}
		return get(f, dst)
	}
	return fl
}

// stpTime is a timer field in 1/256 s, shown in seconds.
func stpTime(name string, off int) Field {
	return Field{Name: name, Type: FTDouble, Proto: decode.ProtoSTP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := stpBPDU(f)
			if !ok || b[3] == 0x80 {
				return dst
			}
			if v, ok := beUint(b, off, 2); ok {
				dst = append(dst, Value{F: float64(v) / 256})
			}
			return dst
		}}
}

// stpHW is the MAC of a bridge ID at off.
func stpHW(name string, off int) Field {
	return bytesField(name, FTEther, decode.ProtoSTP, func(f *decode.Frame) ([]byte, bool) {
		b, ok := stpBPDU(f)
		if !ok || b[3] == 0x80 || off+8 > len(b) {
			return nil, false
		}
		return b[off+2 : off+8], true
	})
}

var stpFields = []Field{
	protoField("stp", decode.ProtoSTP),
	layerUint("stp.protocol", FTUint16, BaseHex, decode.ProtoSTP, 0, 2, 0),
	layerUint("stp.version", FTUint8, BaseDec, decode.ProtoSTP, 2, 1, 0),
	layerUint("stp.type", FTUint8, BaseHex, decode.ProtoSTP, 3, 1, 0),
	stpConf("stp.flags", FTUint8, BaseHex, 4, 1, 0),
	stpConf("stp.flags.tcack", FTBoolean, BaseNone, 4, 1, 0x80),
	stpConf("stp.flags.tc", FTBoolean, BaseNone, 4, 1, 0x01),
	stpPrio("stp.root.prio", 5),
	stpConf("stp.root.ext", FTUint16, BaseDec, 5, 2, 0x0fff),
	stpHW("stp.root.hw", 5),
	stpConf("stp.root.cost", FTUint32, BaseDec, 13, 4, 0),
	stpPrio("stp.bridge.prio", 17),
	stpConf("stp.bridge.ext", FTUint16, BaseDec, 17, 2, 0x0fff),
	stpHW("stp.bridge.hw", 17),
	stpConf("stp.port", FTUint16, BaseHex, 25, 2, 0),
	stpTime("stp.msg_age", 27),
	stpTime("stp.max_age", 29),
	stpTime("stp.hello", 31),
	stpTime("stp.forward", 33),
}

// stpPrio is the priority of a bridge ID at off: its top four bits, in
// place (32768, not 8), as Wireshark shows it.
func stpPrio(name string, off int) Field {
	return uintField(name, FTUint16, BaseDec, decode.ProtoSTP, func(f *decode.Frame) (uint64, bool) {
		b, ok := stpBPDU(f)
		if !ok || b[3] == 0x80 {
			return 0, false
		}
		v, ok := beUint(b, off, 2)
		return v & 0xf000, ok
	})
}
