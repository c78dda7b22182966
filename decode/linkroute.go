package decode

// IS-IS (ISO 10589) over 802.2 LLC SAP 0xfe, LACP (IEEE 802.1AX) over the
// slow protocols EtherType 0x8809, and Cisco's HSRP (RFC 2281 and version
// 2) over UDP ports 1985 and 2029.

// routingLink tries this file's link-layer dissectors on b[off:], the
// payload after f's last layer (an LLC header or an EtherType).
func (d *Decoder) routingLink(f *Frame, b []byte, off int) bool {
	switch f.Layers[len(f.Layers)-1].Proto {
	case ProtoLLC:
		if !f.Eth.HasSNAP && f.Eth.DSAP == 0xfe && f.Eth.SSAP == 0xfe && b[off] == 0x83 {
			return decodeISIS(f, b, off)
		}
	case ProtoEth, ProtoVLAN, ProtoIEEE8021AD, ProtoSLL:
		if lastEtherType(f) == 0x8809 && b[off] == 1 {
			f.addLayer(ProtoLACP, off, len(b)-off, false)
			if len(b)-off < 2+20+20 && f.CapLen >= f.Len {
				f.anomaly(ProtoLACP, off, "LACPDU truncated")
			}
			return true
		}
	}
	return false
}

// decodeISIS records the IS-IS PDU at b[off:].
func decodeISIS(f *Frame, b []byte, off int) bool {
	h := b[off:]
	f.addLayer(ProtoISIS, off, len(h), false)
	if len(h) < 8 && f.CapLen >= f.Len {
		f.anomaly(ProtoISIS, off, "IS-IS header truncated")
	}
	return true
}

// ISISPDUType returns the PDU type of IS-IS PDU b (15 L1 LAN hello, 16 L2
// LAN hello, 17 point-to-point hello, 18/20 L1/L2 LSP, 24/25 CSNP, 26/27
// PSNP; 0 unknown).
func ISISPDUType(b []byte) uint8 {
	if len(b) < 5 {
		return 0
	}
	return b[4] & 0x1f
}

// isisPDUName is the protocol name Wireshark gives the PDU in frame.protocols.
func isisPDUName(b []byte) string {
	switch ISISPDUType(b) {
	case 15, 16, 17:
		return "isis.hello"
	case 18, 20:
		return "isis.lsp"
	case 24, 25:
		return "isis.csnp"
	case 26, 27:
		return "isis.psnp"
	}
	return ""
}

func isisColumn(b []byte) string {
	switch isisPDUName(b) {
	case "isis.hello":
		return "ISIS HELLO"
	case "isis.lsp":
		return "ISIS LSP"
	case "isis.csnp":
		return "ISIS CSNP"
	case "isis.psnp":
		return "ISIS PSNP"
	}
	return "ISIS"
}

// isisLevel returns "L1 ", "L2 " or "P2P " for PDU type t.
func isisLevel(t uint8) string {
	switch t {
	case 15, 18, 24, 26:
		return "L1 "
	case 17:
		return "P2P "
	}
	return "L2 "
}

// appendSystemID appends an IS-IS system ID (6 bytes) as 0000.0000.0002,
// then, for 7 or 8 bytes, ".00" (pseudonode) and "-00" (fragment).
func appendSystemID(dst, id []byte) []byte {
	const hx = "0123456789abcdef"
	for i, c := range id {
		switch {
		case i == 2 || i == 4 || i == 6:
			dst = append(dst, '.')
		case i == 7:
			dst = append(dst, '-')
		}
		dst = append(dst, hx[c>>4], hx[c&0xf])
	}
	return dst
}

// appendISISInfo writes Wireshark's Info text: "L2 HELLO, System-ID:
// 0000.0000.0002", "L2 CSNP, Source-ID: …, Start LSP-ID: …, End LSP-ID: …",
// "L2 LSP, LSP-ID: …, Sequence: 0x00000497, Lifetime:  1200s".
func appendISISInfo(dst []byte, b []byte) []byte {
	t := ISISPDUType(b)
	if len(b) < 8 {
		return dst
	}
	switch isisPDUName(b) {
	case "isis.hello":
		dst = append(dst, isisLevel(t)...)
		dst = append(dst, "HELLO"...)
		if len(b) >= 15 {
			dst = append(dst, ", System-ID: "...)
			dst = appendSystemID(dst, b[9:15])
		}
	case "isis.csnp":
		dst = append(dst, isisLevel(t)...)
		dst = append(dst, "CSNP"...)
		if len(b) >= 33 {
			dst = append(dst, ", Source-ID: "...)
			dst = appendSystemID(dst, b[10:17])
			dst = append(dst, ", Start LSP-ID: "...)
			dst = appendSystemID(dst, b[17:25])
			dst = append(dst, ", End LSP-ID: "...)
			dst = appendSystemID(dst, b[25:33])
		}
	case "isis.psnp":
		dst = append(dst, isisLevel(t)...)
		dst = append(dst, "PSNP"...)
		if len(b) >= 17 {
			dst = append(dst, ", Source-ID: "...)
			dst = appendSystemID(dst, b[10:17])
		}
	case "isis.lsp":
		dst = append(dst, isisLevel(t)...)
		dst = append(dst, "LSP"...)
		if len(b) >= 24 {
			dst = append(dst, ", LSP-ID: "...)
			dst = appendSystemID(dst, b[12:20])
			dst = append(dst, ", Sequence: 0x"...)
			dst = appendHexPad(dst, uint64(be32(b[20:])), 8)
			dst = append(dst, ", Lifetime: "...)
			lt := be16(b[10:])
			for w := uint16(10000); w > 1 && lt < w; w /= 10 {
				dst = append(dst, ' ') // %5us
			}
			dst = appendUint(dst, uint64(lt))
			dst = append(dst, 's')
		}
	default:
		dst = append(dst, "Unknown IS-IS PDU Type 0x"...)
		dst = appendHexPad(dst, uint64(t), 2)
	}
	return dst
}

// appendLACPInfo writes Wireshark's Info text: "v1 ACTOR 00:13:c4:12:0f:00
// P: 22 K: 13 *FDCSG*A PARTNER 00:00:00:00:00:00 P: 0 K: 0 ********".
func appendLACPInfo(dst []byte, b []byte) []byte {
	if len(b) < 2 {
		return dst
	}
	dst = append(dst, 'v')
	dst = appendUint(dst, uint64(b[1]))
	party := func(dst []byte, name string, t []byte) []byte {
		// t: TLV type, length, system priority, system, key, port priority, port, state
		if len(t) < 18 {
			return dst
		}
		dst = append(dst, name...)
		dst = AppendMAC(dst, t[4:10])
		dst = append(dst, " P: "...)
		dst = appendUint(dst, uint64(be16(t[14:])))
		dst = append(dst, " K: "...)
		dst = appendUint(dst, uint64(be16(t[10:])))
		dst = append(dst, ' ')
		return appendLACPState(dst, t[16])
	}
	if len(b) >= 22 {
		dst = party(dst, " ACTOR ", b[2:22])
	}
	if len(b) >= 42 {
		dst = party(dst, " PARTNER ", b[22:42])
	}
	return dst
}

// appendLACPState appends the 8 state flags as Wireshark's "EFDCSGSA" with
// '*' for each clear bit.
func appendLACPState(dst []byte, s uint8) []byte {
	const letters = "EFDCSGSA" // S twice: synchronization, short timeout
	for i := 0; i < 8; i++ {
		if s&(0x80>>i) != 0 {
			dst = append(dst, letters[i])
		} else {
			dst = append(dst, '*')
		}
	}
	return dst
}

// decodeHSRP records an HSRP message.
func decodeHSRP(f *Frame, p []byte) bool {
	if len(p) < 2 {
		return false
	}
	f.setProto(ProtoHSRP)
	f.addAppLayer(ProtoHSRP, p)
	if hsrpVersion(p) == 1 && len(p) < 20 && f.CapLen >= f.Len {
		f.anomaly(ProtoHSRP, f.appOff(p), "HSRP message truncated")
	}
	return true
}

// hsrpVersion tells HSRP version 1 (a version byte of 0) from version 2
// (TLVs) as Wireshark does.
func hsrpVersion(b []byte) int {
	if len(b) > 0 && b[0] != 0 {
		return 2
	}
	return 1
}

// HSRP opcodes and states.
var (
	hsrpOpcodes  = [...]string{"Hello", "Coup", "Resign", "Advertise"}
	hsrp2States  = [...]string{"Disabled", "Init", "Learn", "Listen", "Speak", "Standby", "Active"}
	hsrpV1States = map[uint8]string{0: "Initial", 1: "Learn", 2: "Listen", 4: "Speak", 8: "Standby", 16: "Active"}
)

// HSRPStateName returns the name of HSRP state s of version v.
func HSRPStateName(v int, s uint8) string {
	if v == 2 {
		if int(s) < len(hsrp2States) {
			return hsrp2States[s]
		}
		return "Unknown"
	}
	if n, ok := hsrpV1States[s]; ok {
		return n
	}
	return "Unknown"
}

// HSRPOpcodeName returns the name of HSRP opcode o.
func HSRPOpcodeName(o uint8) string {
	if int(o) < len(hsrpOpcodes) {
		return hsrpOpcodes[o]
	}
	return "Unknown"
}

// HSRPTLVs calls fn for each TLV of HSRPv2 message b (type, value).
func HSRPTLVs(b []byte, fn func(t uint8, v []byte, off int)) {
	for off := 0; off+2 <= len(b); {
		t, n := b[off], int(b[off+1])
		end := off + 2 + n
		if end > len(b) {
			end = len(b)
		}
		fn(t, b[off+2:end], off+2)
		if n == 0 {
			return
		}
		off += 2 + n
	}
}

// appendHSRPInfo writes Wireshark's Info text: "Hello (state Active)",
// "Interface State TLV (Act=0 Pass=1)".
func appendHSRPInfo(dst []byte, b []byte) []byte {
	if hsrpVersion(b) == 1 {
		if len(b) < 3 {
			return dst
		}
		dst = append(dst, HSRPOpcodeName(b[1])...)
		if b[1] < 3 {
			dst = append(dst, " (state "...)
			dst = append(dst, HSRPStateName(1, b[2])...)
			dst = append(dst, ')')
		}
		return dst
	}
	done := false
	HSRPTLVs(b, func(t uint8, v []byte, _ int) {
		if done {
			return
		}
		switch t {
		case 1:
			if len(v) >= 3 {
				dst = append(dst, HSRPOpcodeName(v[1])...)
				dst = append(dst, " (state "...)
				dst = append(dst, HSRPStateName(2, v[2])...)
				dst = append(dst, ')')
				done = true
			}
		case 2:
			if len(v) >= 4 {
				dst = append(dst, "Interface State TLV (Act="...)
				dst = appendUint(dst, uint64(be16(v)))
				dst = append(dst, " Pass="...)
				dst = appendUint(dst, uint64(be16(v[2:])))
				dst = append(dst, ')')
				done = true
			}
		}
	})
	return dst
}
