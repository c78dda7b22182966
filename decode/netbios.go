package decode

// Non-IP LAN stacks carried by 802.2 LLC: the NetBIOS Frames protocol
// (NetBEUI, SAP 0xF0) and IPX (SAP 0xE0, or Novell's raw 802.3 frames that
// start with checksum 0xFFFF) with what IPX sockets carry: NetBIOS over
// IPX (socket 0x0455), the NWLink name/mailslot protocol (NMPI, 0x0551 and
// 0x0553), SMB (0x0550, 0x0552), IPX RIP (0x0453) and SAP (0x0452). SMB
// and the Browser over them reuse smb.go and nbdgm.go. As Wireshark 4.0
// lists them, nbipx, nmpi, ipxrip, ipxsap and SMB straight on an IPX socket
// are protocols a filter sees but frame.protocols does not. Hand-written:
// gopacket has an LLC layer but neither NetBEUI nor IPX.

// nonIPProtos are this file's protocols.
var nonIPProtos = Protos(ProtoNetBIOS, ProtoIPX, ProtoNBIPX, ProtoNMPI, ProtoIPXRIP, ProtoIPXSAP)

// hiddenProtos are layers Wireshark 4.0 leaves out of frame.protocols.
var hiddenProtos = Protos(ProtoNBIPX, ProtoNMPI, ProtoIPXRIP, ProtoIPXSAP)

// IPX sockets of this file.
const (
	ipxSocketSAP       = 0x0452
	ipxSocketRIP       = 0x0453
	ipxSocketNetBIOS   = 0x0455
	ipxSocketSMBServer = 0x0550
	ipxSocketNMPI      = 0x0551
	ipxSocketSMBRedir  = 0x0552
	ipxSocketMailslot  = 0x0553
)

// nonIPLLC dissects the payload of an LLC header (SAPs dsap and ssap) at
// b[off:] when it is NetBEUI or IPX; false otherwise.
func (d *Decoder) nonIPLLC(f *Frame, b []byte, off int, dsap, ssap uint8) bool {
	switch {
	case dsap == 0xf0 && ssap&0xfe == 0xf0:
		if f.Eth.Control&3 == 1 { // supervisory frames carry nothing
			return false
		}
		d.decodeNetBIOS(f, b, off)
		return true
	case dsap == 0xe0 && ssap&0xfe == 0xe0:
		d.decodeIPX(f, b, off)
		return true
	}
	return false
}

// decodeNetBIOS dissects a NetBIOS Frames protocol header at b[off:] and the
// SMB message of a datagram or data frame.
func (d *Decoder) decodeNetBIOS(f *Frame, b []byte, off int) {
	h := b[off:]
	if len(h) < 5 || le16(h[2:]) != 0xefff {
		f.data(off, len(h), false)
		return
	}
	n := int(le16(h))
	if n < 5 || n > len(h) {
		f.anomaly(ProtoNetBIOS, off, "NetBIOS header truncated")
		f.addLayer(ProtoNetBIOS, off, len(h), false)
		return
	}
	f.addLayer(ProtoNetBIOS, off, n, false)
	switch h[4] {
	case 0x08, 0x09, 0x15, 0x16: // datagrams, data first/middle and only/last
		d.smbOver(f, h[n:], true)
	default:
		f.data(off+n, len(h)-n, false)
	}
}

// smbOver decodes an SMB message p carried by NetBEUI or IPX (with the
// Browser when it is a mailslot datagram); other bytes are data.
func (d *Decoder) smbOver(f *Frame, p []byte, browser bool) {
	if len(p) < 33 || string(p[:4]) != "\xffSMB" {
		if len(p) > 0 {
			f.addAppLayer(ProtoData, p)
			f.Present.Add(ProtoData)
		}
		return
	}
	f.Present.Add(ProtoSMB)
	f.addAppLayer(ProtoSMB, p)
	if !browser {
		return
	}
	if bd := browserData(p); len(bd) > 0 {
		f.Present.Add(ProtoBrowser)
		f.addAppLayer(ProtoBrowser, bd)
	}
}

// decodeIPX dissects an IPX header at b[off:], cut to its length field,
// and the socket protocol it carries.
func (d *Decoder) decodeIPX(f *Frame, b []byte, off int) {
	h := b[off:]
	if len(h) < 30 {
		f.anomaly(ProtoIPX, off, "IPX header truncated")
		f.data(off, len(h), false)
		return
	}
	n := int(be16(h[2:]))
	if n < 30 || n > len(h) {
		n = len(h)
	}
	h = h[:n]
	f.addLayer(ProtoIPX, off, 30, false)
	p := h[30:]
	src, dst := be16(h[28:]), be16(h[16:])
	lo, hi := min(src, dst), max(src, dst)
	for _, s := range [2]uint16{lo, hi} {
		if d.ipxSocket(f, h[5], s, p) {
			return
		}
	}
	f.data(off+30, len(p), false)
}

// ipxSocket dissects payload p of an IPX packet of type typ to socket s;
// false when this file knows no protocol for s.
func (d *Decoder) ipxSocket(f *Frame, typ uint8, s uint16, p []byte) bool {
	switch s {
	case ipxSocketSAP, ipxSocketRIP:
		proto := ProtoIPXSAP
		if s == ipxSocketRIP {
			proto = ProtoIPXRIP
		}
		if len(p) < 2 {
			return false
		}
		f.Present.Add(proto)
		f.addAppLayer(proto, p)
	case ipxSocketNetBIOS:
		if typ == 0x14 { // broadcast propagated: 32 bytes of network numbers first
			if len(p) < 34 {
				return false
			}
		} else if len(p) < 2 {
			return false
		}
		f.Present.Add(ProtoNBIPX)
		f.addAppLayer(ProtoNBIPX, p)
		if typ != 0x14 && p[1] == 0x0b && len(p) >= 34 { // directed datagram: two names
			d.smbOver(f, p[34:], true)
		}
	case ipxSocketNMPI, ipxSocketMailslot:
		if len(p) < 36 {
			return false
		}
		f.Present.Add(ProtoNMPI)
		f.addAppLayer(ProtoNMPI, p)
		if p[32] == 0xfc && len(p) > 68 { // mailslot write: requested and source names, then SMB
			d.smbOver(f, p[68:], true)
		}
	case ipxSocketSMBServer, ipxSocketSMBRedir:
		d.smbOver(f, p, false)
	default:
		return false
	}
	return true
}

// IPXAddr appends an IPX address ("net.node", as Wireshark's
// 00000000.000c29d479b2) of the IPX header h: the source when src.
func IPXAddr(dst, h []byte, src bool) []byte {
	o := 6
	if src {
		o = 18
	}
	if len(h) < o+10 {
		return dst
	}
	const hx = "0123456789abcdef"
	for i, c := range h[o : o+10] {
		if i == 4 {
			dst = append(dst, '.')
		}
		dst = append(dst, hx[c>>4], hx[c&15])
	}
	return dst
}

// nonIPTop returns the highest of this file's layers in f and its bytes,
// unless a protocol of another file (SMB, the Browser) is above it.
func (f *Frame) nonIPTop() (Proto, []byte, bool) {
	if !f.Present.Any(nonIPProtos) {
		return 0, nil, false
	}
	var p Proto
	var b []byte
	ok := false
	for _, l := range f.Layers {
		switch {
		case nonIPProtos.Has(l.Proto):
			p, b, ok = l.Proto, f.LayerBytes(l), true
		case l.Proto != ProtoData && ok:
			return 0, nil, false
		}
	}
	return p, b, ok
}

// nonIPColumn returns the Protocol column of a frame whose highest
// protocol is one of this file's, "" otherwise.
func (f *Frame) nonIPColumn() string {
	p, _, ok := f.nonIPTop()
	if !ok {
		return ""
	}
	switch p {
	case ProtoNetBIOS:
		return "NetBIOS"
	case ProtoNBIPX:
		return "NBIPX"
	case ProtoNMPI:
		return "NMPI"
	case ProtoIPXRIP:
		return "IPX RIP"
	case ProtoIPXSAP:
		return "IPX SAP"
	}
	return "IPX"
}

var netbiosCmdNames = map[byte]string{0x00: "Add Group Name Query", 0x01: "Add Name Query", 0x02: "Name In Conflict",
	0x03: "Status Query", 0x07: "Terminate Trace", 0x08: "Datagram", 0x09: "Broadcast Datagram",
	0x0a: "Name Query", 0x0d: "Add Name Response", 0x0e: "Name Recognized", 0x0f: "Status Response",
	0x13: "Terminate Trace", 0x14: "Data Ack", 0x15: "Data First Middle", 0x16: "Data Only Last",
	0x17: "Session Confirm", 0x18: "Session End", 0x19: "Session Initialize", 0x1a: "No Receive",
	0x1b: "Receive Outstanding", 0x1c: "Receive Continue", 0x1f: "Session Alive"}

var nbipxTypeNames = map[byte]string{1: "Find name", 2: "Name recognized", 3: "Check name", 4: "Name in use",
	5: "Deregister name", 6: "Session data", 7: "Session end", 8: "Session end ack", 9: "Status query",
	10: "Status response", 11: "Directed datagram"}

var nmpiOpNames = map[byte]string{0xf1: "Claim name", 0xf2: "Delete name", 0xf3: "Query name", 0xf4: "Name found",
	0xf5: "Messenger hangup", 0xfc: "Mailslot write", 0xfd: "Find mailslot name", 0xfe: "Mailslot name found"}

// appendNB16 appends a 16-byte NetBIOS name ("NAME<xx>": trailing spaces
// dropped, other bytes outside printable ASCII as <xx>, then the type).
func appendNB16(dst, nb []byte) []byte {
	if len(nb) < 16 {
		return dst
	}
	end := 15
	for end > 0 && nb[end-1] == ' ' {
		end--
	}
	for _, c := range nb[:end] {
		if c >= 0x20 && c < 0x7f {
			dst = append(dst, c)
		} else {
			dst = appendNBHex(dst, c)
		}
	}
	return appendNBHex(dst, nb[15])
}

// appendNonIPInfo appends the Info column of a frame whose highest protocol
// is one of this file's; ok false otherwise.
func appendNonIPInfo(dst []byte, f *Frame) ([]byte, bool) {
	p, b, ok := f.nonIPTop()
	if !ok {
		return dst, false
	}
	switch p {
	case ProtoNetBIOS:
		if len(b) < 5 {
			return dst, true
		}
		name := netbiosCmdNames[b[4]]
		switch b[4] {
		case 0x00, 0x01, 0x0e:
			if len(b) >= 44 {
				dst = append(append(dst, name...), " - "...)
				return appendNB16(dst, b[28:44]), true
			}
		case 0x0a:
			if len(b) >= 28 {
				dst = append(append(dst, name...), " for "...)
				return appendNB16(dst, b[12:28]), true
			}
		}
		if name == "" {
			dst = append(dst, "Unknown"...)
		}
		return append(dst, name...), true
	case ProtoNBIPX:
		o := 0
		if ipxType(f) == 0x14 {
			o = 32
		}
		if len(b) < o+2 {
			return dst, true
		}
		t := b[o+1]
		dst = append(dst, nbipxTypeNames[t]...)
		if t >= 1 && t <= 5 && len(b) >= o+18 {
			dst = appendNB16(append(dst, ' '), b[o+2:o+18])
		}
		return dst, true
	case ProtoNMPI:
		if len(b) < 36 {
			return dst, true
		}
		dst = append(dst, nmpiOpNames[b[32]]...)
		if len(b) >= 52 {
			dst = appendNB16(append(dst, ' '), b[36:52])
		}
		return dst, true
	case ProtoIPXRIP:
		switch be16(b) {
		case 1:
			return append(dst, "Request"...), true
		case 2:
			return append(dst, "Response"...), true
		}
		return append(dst, "Unknown Packet Type"...), true
	case ProtoIPXSAP:
		switch be16(b) {
		case 1:
			return append(dst, "General Query"...), true
		case 2:
			return append(dst, "General Response"...), true
		case 3:
			return append(dst, "Nearest Query"...), true
		case 4:
			return append(dst, "Nearest Response"...), true
		}
		return append(dst, "Unknown Packet Type"...), true
	}
	// IPX with a payload nothing decodes.
	l, _ := f.Layer(ProtoIPX)
	h := f.LayerBytes(l)
	if len(h) < 30 {
		return dst, true
	}
	dst = append(dst, "Unknown (0x"...)
	return append(appendHexPad(dst, uint64(be16(h[16:])), 4), ')'), true
}

// ipxType returns the packet type of f's IPX header.
func ipxType(f *Frame) uint8 {
	l, ok := f.Layer(ProtoIPX)
	if !ok || l.Len < 30 {
		return 0
	}
	return f.LayerBytes(l)[5]
}

// sapName is Wireshark's name of an LLC SAP (the low bit masked).
func sapName(s uint8) string {
	switch s &^ 1 {
	case 0x00:
		return "NULL LSAP"
	case 0x02:
		return "LLC Sub-Layer Management Individual"
	case 0x06:
		return "TCP/IP"
	case 0x42:
		return "Spanning Tree BPDU"
	case 0x7e:
		return "ISO 8208 (X.25 over 802.2)"
	case 0x80:
		return "XNS"
	case 0xaa:
		return "SNAP"
	case 0xe0:
		return "NetWare"
	case 0xf0:
		return "NetBIOS"
	case 0xf4:
		return "IBM Net Management"
	case 0xf8:
		return "Remote Program Load"
	case 0xfe:
		return "ISO Network Layer"
	}
	return ""
}

// appendLLCInfo appends the Info column of a frame that ends in its LLC
// header: the control field as Wireshark's xdlc ("S P, func=RR, N(R)=0")
// and the SAPs.
func appendLLCInfo(dst []byte, f *Frame) []byte {
	e := &f.Eth
	resp := e.SSAP&1 != 0
	pf := func(set bool) {
		switch {
		case !set:
		case resp:
			dst = append(dst, " F"...)
		default:
			dst = append(dst, " P"...)
		}
	}
	c := e.Control
	switch {
	case c&1 == 0: // I frame, extended control
		dst = append(dst, 'I')
		pf(c&0x100 != 0)
		dst = append(dst, ", N(R)="...)
		dst = appendUint(dst, uint64(c>>9))
		dst = append(dst, ", N(S)="...)
		dst = appendUint(dst, uint64(c>>1&0x7f))
	case c&3 == 1: // S frame, extended control
		dst = append(dst, 'S')
		pf(c&0x100 != 0)
		dst = append(dst, ", func="...)
		dst = append(dst, [4]string{"RR", "RNR", "REJ", "SREJ"}[c>>2&3]...)
		dst = append(dst, ", N(R)="...)
		dst = appendUint(dst, uint64(c>>9))
	default: // U frame
		dst = append(dst, 'U')
		pf(c&0x10 != 0)
		dst = append(dst, ", func="...)
		dst = append(dst, uFuncName(uint8(c)&^0x10, resp)...)
	}
	dst = append(dst, "; DSAP "...)
	dst = appendSAP(dst, e.DSAP)
	if e.DSAP&1 != 0 {
		dst = append(dst, " Group"...)
	} else {
		dst = append(dst, " Individual"...)
	}
	dst = append(dst, ", SSAP "...)
	dst = appendSAP(dst, e.SSAP)
	if resp {
		return append(dst, " Response"...)
	}
	return append(dst, " Command"...)
}

func appendSAP(dst []byte, s uint8) []byte {
	if n := sapName(s); n != "" {
		return append(dst, n...)
	}
	dst = append(dst, "0x"...)
	return appendHexPad(dst, uint64(s&^1), 2)
}

// uFuncName names an unnumbered frame's modifier bits (P/F bit cleared).
func uFuncName(m uint8, resp bool) string {
	switch m {
	case 0x03:
		return "UI"
	case 0x63:
		return "UA"
	case 0x6f:
		return "SABME"
	case 0x2f:
		return "SABM"
	case 0x43:
		if resp {
			return "RD"
		}
		return "DISC"
	case 0x0f:
		if resp {
			return "DM"
		}
		return "SARM"
	case 0x87:
		return "FRMR"
	case 0xaf:
		return "XID"
	case 0xe3:
		return "TEST"
	case 0x83:
		return "SNRM"
	case 0xcf:
		return "SNRME"
	case 0x07:
		if resp {
			return "RIM"
		}
		return "SIM"
	case 0x23:
		return "UP"
	case 0x8f:
		return "RSET"
	}
	return "Unknown"
}

// IPXAddrText returns the IPX source (src) or destination address of f
// ("net.node", in the frame's memory), ok false without an IPX header.
func (f *Frame) IPXAddrText(src bool) ([]byte, bool) {
	l, ok := f.Layer(ProtoIPX)
	if !ok || l.Len < 30 {
		return nil, false
	}
	start := len(f.scratch)
	f.scratch = IPXAddr(f.scratch, f.LayerBytes(l), src)
	return f.scratch[start:len(f.scratch):len(f.scratch)], true
}

// EachNetBIOSName calls fn with every 16-byte NetBIOS name of f's NetBEUI,
// NetBIOS-over-IPX and NMPI layers, in Wireshark's order.
func (f *Frame) EachNetBIOSName(fn func(nb []byte)) {
	if !f.Present.Any(nonIPProtos) {
		return
	}
	for _, l := range f.Layers {
		b := f.LayerBytes(l)
		switch l.Proto {
		case ProtoNetBIOS:
			if len(b) < 44 || b[4] > 0x0f {
				continue
			}
			if b[4] == 0x02 || b[4] == 0x08 || b[4] == 0x0a || b[4] == 0x0d || b[4] == 0x0e {
				fn(b[12:28])
			}
			fn(b[28:44])
		case ProtoNBIPX:
			switch {
			case ipxType(f) == 0x14:
				if len(b) >= 50 && b[33] >= 1 && b[33] <= 5 {
					fn(b[34:50])
				}
			case len(b) >= 34 && b[1] == 0x0b:
				fn(b[2:18])
				fn(b[18:34])
			}
		case ProtoNMPI:
			if len(b) >= 68 {
				fn(b[36:52])
				fn(b[52:68])
			}
		}
	}
}

// NetBIOSNameText returns the 15-character part of NetBIOS name nb as
// Wireshark shows netbios.nb_name (trailing spaces dropped, other bytes
// outside printable ASCII as <xx>), in the frame's memory.
func (f *Frame) NetBIOSNameText(nb []byte) []byte {
	start := len(f.scratch)
	s := appendNB16(f.scratch, nb)
	s = s[:len(s)-4] // the type suffix
	f.scratch = s
	return s[start:len(s):len(s)]
}
