package field

import (
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// SNMP fields (Wireshark 4.0 "snmp.*"), read by walking the frame's SNMP
// message with decode.WalkSNMP. OBJECT IDENTIFIERs (FT_OID) are strings in
// dotted form, as tshark prints them.

// snmpField is a field with one occurrence per item it of the message.
func snmpField(name string, t Type, base Base, it decode.SNMPItem, conv func(f *decode.Frame, e decode.BER) (Value, bool)) Field {
	return Field{Name: name, Type: t, Base: base, Proto: decode.ProtoSNMP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !f.Has(decode.ProtoSNMP) {
				return dst
			}
			eachLayer(f, decode.ProtoSNMP, func(b []byte) {
				decode.WalkSNMP(b, func(i decode.SNMPItem, e decode.BER) {
					if i == it {
						if v, ok := conv(f, e); ok {
							dst = append(dst, v)
						}
					}
				})
			})
			return dst
		}}
}

func snmpInt(_ *decode.Frame, e decode.BER) (Value, bool)  { return krbInt(e) }
func snmpUint(_ *decode.Frame, e decode.BER) (Value, bool) { return krbUint(e) }
func snmpStr(_ *decode.Frame, e decode.BER) (Value, bool)  { return Value{B: e.Val}, true }
func snmpOID(f *decode.Frame, e decode.BER) (Value, bool) {
	b := f.OIDText(e.Val)
	return Value{B: b}, b != nil
}

// snmpValue is a variable binding's value of the given BER class and tag.
func snmpValue(name string, t Type, class uint8, tag uint32, conv func(f *decode.Frame, e decode.BER) (Value, bool)) Field {
	return snmpField(name, t, BaseDec, decode.SNMPValue, func(f *decode.Frame, e decode.BER) (Value, bool) {
		if !e.Is(class, tag) {
			return Value{}, false
		}
		return conv(f, e)
	})
}

// snmpFlag is a bit of msgFlags.
func snmpFlag(name string, mask uint8) Field {
	fl := snmpField(name, FTBoolean, BaseNone, decode.SNMPMsgFlags, func(_ *decode.Frame, e decode.BER) (Value, bool) {
		if len(e.Val) < 1 {
			return Value{}, false
		}
		return Value{U: b2u(e.Val[0]&mask != 0)}, true
	})
	fl.Bitmask = uint64(mask)
	return fl
}

var snmpFields = []Field{
	protoField("snmp", decode.ProtoSNMP),
	snmpField("snmp.version", FTInt32, BaseDec, decode.SNMPVersion, snmpInt),
	snmpField("snmp.community", FTString, BaseNone, decode.SNMPCommunity, snmpStr),
	snmpField("snmp.data", FTUint32, BaseDec, decode.SNMPData, func(_ *decode.Frame, e decode.BER) (Value, bool) {
		return Value{U: uint64(e.Tag)}, true
	}),
	snmpField("snmp.request_id", FTInt32, BaseDec, decode.SNMPRequestID, snmpInt),
	snmpField("snmp.error_status", FTInt32, BaseDec, decode.SNMPErrorStatus, snmpInt),
	snmpField("snmp.error_index", FTInt32, BaseDec, decode.SNMPErrorIndex, snmpInt),
	snmpField("snmp.non_repeaters", FTUint32, BaseDec, decode.SNMPNonRepeaters, snmpUint),
	snmpField("snmp.max_repetitions", FTUint32, BaseDec, decode.SNMPMaxRepetitions, snmpUint),
	snmpField("snmp.name", FTString, BaseNone, decode.SNMPName, snmpOID),
	snmpValue("snmp.value.int", FTInt64, decode.BERUniversal, decode.BERTagInteger, snmpInt),
	snmpValue("snmp.value.octets", FTBytes, decode.BERUniversal, decode.BERTagOctetString, snmpStr),
	snmpValue("snmp.value.oid", FTString, decode.BERUniversal, decode.BERTagOID, snmpOID),
	snmpValue("snmp.value.ipv4", FTIPv4, decode.BERApplication, 0, func(_ *decode.Frame, e decode.BER) (Value, bool) {
		if len(e.Val) != 4 {
			return Value{}, false
		}
		return Value{A: netip.AddrFrom4([4]byte(e.Val))}, true
	}),
	snmpValue("snmp.value.counter", FTUint64, decode.BERApplication, 1, snmpUint),
	snmpValue("snmp.value.timeticks", FTUint64, decode.BERApplication, 3, snmpUint),
	snmpField("snmp.msgVersion", FTInt32, BaseDec, decode.SNMPMsgVersion, snmpInt),
	snmpField("snmp.msgID", FTUint32, BaseDec, decode.SNMPMsgID, snmpUint),
	snmpField("snmp.msgMaxSize", FTUint32, BaseDec, decode.SNMPMsgMaxSize, snmpUint),
	snmpField("snmp.msgFlags", FTBytes, BaseNone, decode.SNMPMsgFlags, snmpStr),
	snmpFlag("snmp.v3.flags.auth", 0x01),
	snmpFlag("snmp.v3.flags.crypt", 0x02),
	snmpFlag("snmp.v3.flags.report", 0x04),
	snmpField("snmp.msgSecurityModel", FTUint32, BaseDec, decode.SNMPMsgSecurityModel, snmpUint),
	snmpField("snmp.msgAuthoritativeEngineID", FTBytes, BaseNone, decode.SNMPEngineID, snmpStr),
	snmpField("snmp.msgAuthoritativeEngineBoots", FTUint32, BaseDec, decode.SNMPEngineBoots, snmpUint),
	snmpField("snmp.msgAuthoritativeEngineTime", FTUint32, BaseDec, decode.SNMPEngineTime, snmpUint),
	snmpField("snmp.msgUserName", FTString, BaseNone, decode.SNMPUserName, snmpStr),
	snmpField("snmp.msgAuthenticationParameters", FTBytes, BaseNone, decode.SNMPAuthParams, snmpStr),
	snmpField("snmp.msgPrivacyParameters", FTBytes, BaseNone, decode.SNMPPrivParams, snmpStr),
	snmpField("snmp.contextEngineID", FTBytes, BaseNone, decode.SNMPContextEngineID, snmpStr),
	snmpField("snmp.contextName", FTString, BaseNone, decode.SNMPContextName, snmpStr),
	snmpField("snmp.encryptedPDU", FTBytes, BaseNone, decode.SNMPEncryptedPDU, snmpStr),
	snmpField("snmp.enterprise", FTString, BaseNone, decode.SNMPEnterprise, snmpOID),
	snmpField("snmp.generic_trap", FTInt32, BaseDec, decode.SNMPGenericTrap, snmpInt),
	snmpField("snmp.specific_trap", FTInt32, BaseDec, decode.SNMPSpecificTrap, snmpInt),
	snmpField("snmp.time_stamp", FTUint32, BaseDec, decode.SNMPTimeStamp, snmpUint),
}
