package decode

// SNMP v1, v2c (RFC 1157, 3416) and v3 (RFC 3412, USM RFC 3414) on UDP
// ports 161 and 162: one Message SEQUENCE per datagram. Decoding checks the
// version and the message's shape; WalkSNMP reads its items on demand.

// decodeSNMP records p as an SNMP message.
func decodeSNMP(f *Frame, p []byte) bool {
	e, _, ok := ReadBER(p)
	if !ok || !e.Is(BERUniversal, BERTagSequence) || !e.Constructed {
		return false
	}
	v, _, ok := ReadBER(e.Val)
	if !ok || !v.Is(BERUniversal, BERTagInteger) {
		return false
	}
	if ver, ok := BERInt(v.Val); !ok || ver < 0 || ver > 3 {
		return false
	}
	f.setProto(ProtoSNMP)
	f.addAppLayer(ProtoSNMP, p)
	return true
}

// SNMPItem names the SNMP items WalkSNMP reports.
type SNMPItem uint8

// SNMP items (Wireshark's snmp.* field each reports).
const (
	SNMPVersion          SNMPItem = iota // INTEGER (v1/v2c; v3 is SNMPMsgVersion)
	SNMPCommunity                        // string
	SNMPData                             // the PDU element (its tag)
	SNMPRequestID                        // INTEGER
	SNMPErrorStatus                      // INTEGER
	SNMPErrorIndex                       // INTEGER
	SNMPNonRepeaters                     // INTEGER
	SNMPMaxRepetitions                   // INTEGER
	SNMPName                             // OBJECT IDENTIFIER of a variable binding
	SNMPValue                            // the value element of a variable binding
	SNMPMsgVersion                       // INTEGER
	SNMPMsgID                            // INTEGER
	SNMPMsgMaxSize                       // INTEGER
	SNMPMsgFlags                         // OCTET STRING
	SNMPMsgSecurityModel                 // INTEGER
	SNMPEngineID                         // OCTET STRING
	SNMPEngineBoots                      // INTEGER
	SNMPEngineTime                       // INTEGER
	SNMPUserName                         // string
	SNMPAuthParams                       // bytes
	SNMPPrivParams                       // bytes
	SNMPContextEngineID                  // bytes
	SNMPContextName                      // string
	SNMPEncryptedPDU                     // bytes
	SNMPEnterprise                       // v1 trap enterprise OID
	SNMPAgentAddr                        // v1 trap agent address
	SNMPGenericTrap                      // INTEGER
	SNMPSpecificTrap                     // INTEGER
	SNMPTimeStamp                        // TimeTicks
)

// WalkSNMP calls fn with the items of the SNMP message b in Wireshark's
// order. Like Wireshark it reads an element whose length overruns its
// container up to the container's end; malformed reports that one did.
func WalkSNMP(b []byte, fn func(it SNMPItem, e BER)) (malformed bool) {
	w := snmpWalker{base: b}
	w.walk(b, fn)
	return w.trunc
}

// snmpWalker reads as Wireshark's BER dissector: an element overrunning its
// container is read up to the container's end, and the exception that
// follows ends the dissection there (nothing at or after that end).
type snmpWalker struct {
	trunc bool
	base  []byte
	stop  int // offset in base where dissection stopped; 0 none
}

func (w *snmpWalker) read(b []byte) (BER, []byte, bool) {
	off, ok := subOffset(w.base, b)
	if w.stop > 0 && (!ok || off >= w.stop) {
		return BER{}, nil, false
	}
	e, rest, ok, trunc := readBERLax(b)
	if trunc {
		w.trunc = true
		if end := off + len(b); w.stop == 0 || end < w.stop {
			w.stop = end
		}
	}
	return e, rest, ok
}

// each calls fn with each element of v (the last one possibly cut short).
func (w *snmpWalker) each(v []byte, fn func(e BER)) {
	for len(v) > 0 {
		e, rest, ok := w.read(v)
		if !ok {
			return
		}
		fn(e)
		v = rest
	}
}

func (w *snmpWalker) walk(b []byte, fn func(it SNMPItem, e BER)) {
	msg, _, ok := w.read(b)
	if !ok || !msg.Constructed {
		return
	}
	v, rest, ok := w.read(msg.Val)
	if !ok {
		return
	}
	ver, _ := BERInt(v.Val)
	if ver != 3 {
		fn(SNMPVersion, v)
		c, rest, ok := w.read(rest)
		if !ok {
			return
		}
		fn(SNMPCommunity, c)
		if pdu, _, ok := w.read(rest); ok {
			w.pdu(pdu, fn)
		}
		return
	}
	fn(SNMPMsgVersion, v)
	g, rest, ok := w.read(rest)
	if !ok {
		return
	}
	i := 0
	w.each(g.Val, func(e BER) {
		switch i {
		case 0:
			fn(SNMPMsgID, e)
		case 1:
			fn(SNMPMsgMaxSize, e)
		case 2:
			fn(SNMPMsgFlags, e)
		case 3:
			fn(SNMPMsgSecurityModel, e)
		}
		i++
	})
	sp, rest, ok := w.read(rest)
	if !ok {
		return
	}
	if usm, _, ok := w.read(sp.Val); ok && usm.Constructed {
		i = 0
		w.each(usm.Val, func(e BER) {
			switch i {
			case 0:
				fn(SNMPEngineID, e)
			case 1:
				fn(SNMPEngineBoots, e)
			case 2:
				fn(SNMPEngineTime, e)
			case 3:
				fn(SNMPUserName, e)
			case 4:
				fn(SNMPAuthParams, e)
			case 5:
				fn(SNMPPrivParams, e)
			}
			i++
		})
	}
	data, _, ok := w.read(rest)
	if !ok {
		return
	}
	if data.Is(BERUniversal, BERTagOctetString) {
		fn(SNMPEncryptedPDU, data)
		return
	}
	i = 0
	w.each(data.Val, func(e BER) {
		switch i {
		case 0:
			fn(SNMPContextEngineID, e)
		case 1:
			fn(SNMPContextName, e)
		case 2:
			w.pdu(e, fn)
		}
		i++
	})
}

func (w *snmpWalker) pdu(pdu BER, fn func(SNMPItem, BER)) {
	if pdu.Class != BERContext {
		return
	}
	fn(SNMPData, pdu)
	i := 0
	if pdu.Tag == 4 { // v1 Trap-PDU
		w.each(pdu.Val, func(e BER) {
			switch i {
			case 0:
				fn(SNMPEnterprise, e)
			case 1:
				fn(SNMPAgentAddr, e)
			case 2:
				fn(SNMPGenericTrap, e)
			case 3:
				fn(SNMPSpecificTrap, e)
			case 4:
				fn(SNMPTimeStamp, e)
			case 5:
				w.varBinds(e, fn)
			}
			i++
		})
		return
	}
	w.each(pdu.Val, func(e BER) {
		switch i {
		case 0:
			fn(SNMPRequestID, e)
		case 1:
			if pdu.Tag == 5 {
				fn(SNMPNonRepeaters, e)
			} else {
				fn(SNMPErrorStatus, e)
			}
		case 2:
			if pdu.Tag == 5 {
				fn(SNMPMaxRepetitions, e)
			} else {
				fn(SNMPErrorIndex, e)
			}
		case 3:
			w.varBinds(e, fn)
		}
		i++
	})
}

func (w *snmpWalker) varBinds(list BER, fn func(SNMPItem, BER)) {
	w.each(list.Val, func(vb BER) {
		name, rest, ok := w.read(vb.Val)
		if !ok {
			return
		}
		fn(SNMPName, name)
		if v, _, ok := w.read(rest); ok {
			fn(SNMPValue, v)
		}
	})
}

var snmpPDUNames = [...]string{"get-request", "get-next-request", "get-response", "set-request", "trap",
	"getBulkRequest", "informRequest", "snmpV2-trap", "report"}

// SNMPPDUName returns the name of PDU tag t.
func SNMPPDUName(t uint32) string {
	if t < uint32(len(snmpPDUNames)) {
		return snmpPDUNames[t]
	}
	return ""
}

// appendSNMPInfo writes Wireshark's Info text: the PDU type and the
// variable bindings' names, "get-request 1.3.6.1.2.1.1.5.0".
func appendSNMPInfo(dst []byte, b []byte) []byte {
	start := len(dst)
	v3 := false
	bad := WalkSNMP(b, func(it SNMPItem, e BER) {
		switch it {
		case SNMPData:
			dst = append(dst, SNMPPDUName(e.Tag)...)
		case SNMPName:
			dst = append(dst, ' ')
			dst, _ = AppendOID(dst, e.Val)
		case SNMPEncryptedPDU:
			dst = append(dst, "encryptedPDU: privKey Unknown"...)
		case SNMPMsgVersion:
			v3 = true
		}
	})
	if bad {
		// Wireshark's dissector stops at the error, before the column
		// holds anything of SNMP's.
		dst = dst[:start]
		if v3 {
			return dst
		}
		return append(dst, "[Malformed Packet]"...)
	}
	return dst
}

// SNMPMalformed reports whether the SNMP message b has an element whose
// length overruns its container.
func SNMPMalformed(b []byte) bool { return WalkSNMP(b, func(SNMPItem, BER) {}) }
