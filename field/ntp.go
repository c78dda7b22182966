package field

import "github.com/wirewatch/wirewatch/decode"

// NTP fields (Wireshark 4.0 "ntp.*") of the packet header.

func ntpMsg(f *decode.Frame) ([]byte, bool) { return layerBytes(f, decode.ProtoNTP) }

// ntpTime is an NTP timestamp of the header at offset off.
func ntpTime(name string, off int) Field {
	return timeField(name, FTAbsTime, decode.ProtoNTP, func(f *decode.Frame) (int64, bool) {
		b, ok := ntpMsg(f)
		if !ok || off+8 > len(b) {
			return 0, false
		}
		ns, zero := decode.NTPTime(b[off:])
		if zero {
			return NullTime, true
		}
		return ns, true
	})
}

var ntpFields = []Field{
	protoField("ntp", decode.ProtoNTP),
	layerUint("ntp.flags", FTUint8, BaseHex, decode.ProtoNTP, 0, 1, 0),
	layerUint("ntp.flags.li", FTUint8, BaseDec, decode.ProtoNTP, 0, 1, 0xc0),
	layerUint("ntp.flags.vn", FTUint8, BaseDec, decode.ProtoNTP, 0, 1, 0x38),
	layerUint("ntp.flags.mode", FTUint8, BaseDec, decode.ProtoNTP, 0, 1, 0x07),
	layerUint("ntp.stratum", FTUint8, BaseDec, decode.ProtoNTP, 1, 1, 0),
	layerUint("ntp.ppoll", FTUint8, BaseDec, decode.ProtoNTP, 2, 1, 0),
	layerUint("ntp.precision", FTUint8, BaseDec, decode.ProtoNTP, 3, 1, 0),
	layerUint("ntp.rootdelay", FTUint32, BaseDec, decode.ProtoNTP, 4, 4, 0),
	layerUint("ntp.rootdispersion", FTUint32, BaseDec, decode.ProtoNTP, 8, 4, 0),
	bytesField("ntp.refid", FTBytes, decode.ProtoNTP, func(f *decode.Frame) ([]byte, bool) {
		b, ok := ntpMsg(f)
		if !ok || len(b) < 16 {
			return nil, false
		}
		return b[12:16], true
	}),
	ntpTime("ntp.reftime", 16),
	ntpTime("ntp.org", 24),
	ntpTime("ntp.rec", 32),
	ntpTime("ntp.xmt", 40),
}
