package decode

// PPP control protocols (RFC 1661 LCP, RFC 1332 IPCP, RFC 5072 IPV6CP,
// RFC 1962 CCP, RFC 1334 PAP, RFC 1994 CHAP) and PPPoE discovery (RFC 2516,
// EtherType 0x8863). Like the dissectors of dissect.go they keep only their
// Layer; field/ppp.go parses the fields from its bytes. Hand-written:
// gopacket decodes PPP and PPPoE headers but none of the control protocols
// nor the discovery tags.

// EtherTypePPPoED is the PPPoE discovery stage.
const EtherTypePPPoED uint16 = 0x8863

// PPP protocol numbers of the control protocols.
const (
	PPPProtoLCP    uint16 = 0xc021
	PPPProtoIPCP   uint16 = 0x8021
	PPPProtoIPV6CP uint16 = 0x8057
	PPPProtoCCP    uint16 = 0x80fd
	PPPProtoPAP    uint16 = 0xc023
	PPPProtoCHAP   uint16 = 0xc223
)

// pppProtos are this file's protocols.
var pppProtos = Protos(ProtoPPPoED, ProtoLCP, ProtoIPCP, ProtoIPV6CP, ProtoCCP, ProtoPAP, ProtoCHAP)

// pppControlProto maps a PPP protocol number to its control protocol.
func pppControlProto(p uint16) (Proto, bool) {
	switch p {
	case PPPProtoLCP:
		return ProtoLCP, true
	case PPPProtoIPCP:
		return ProtoIPCP, true
	case PPPProtoIPV6CP:
		return ProtoIPV6CP, true
	case PPPProtoCCP:
		return ProtoCCP, true
	case PPPProtoPAP:
		return ProtoPAP, true
	case PPPProtoCHAP:
		return ProtoCHAP, true
	}
	return 0, false
}

// decodePPPoED dissects a PPPoE discovery packet: the 6-byte header (in
// f.PPPoE, as the session header) and its tags, cut to the payload length.
func (d *Decoder) decodePPPoED(f *Frame, b []byte, off int) {
	h := b[off:]
	if len(h) < 6 {
		f.anomaly(ProtoPPPoED, off, "PPPoE header truncated")
		f.data(off, len(h), false)
		return
	}
	p := f.PPPoE.read(h)
	end := off + 6 + int(p.Length)
	if end > len(b) {
		end = len(b)
		f.anomaly(ProtoPPPoED, off, "PPPoE payload truncated")
	}
	f.addLayer(ProtoPPPoED, off, end-off, false)
}

// decodePPPControl records a control protocol layer at b[off:] (code,
// identifier, length, data) cut to its length field; an LCP Protocol-Reject
// carries the rejected packet, dissected as its protocol when it is one of
// these.
func decodePPPControl(f *Frame, p Proto, b []byte, off int) {
	h := b[off:]
	if len(h) < 4 {
		f.anomaly(p, off, "PPP control packet truncated")
		f.addLayer(p, off, len(h), false)
		return
	}
	n := int(be16(h[2:]))
	switch {
	case n < 4:
		f.anomaly(p, off, "PPP control packet length too small")
		n = len(h)
	case n > len(h):
		f.anomaly(p, off, "PPP control packet truncated")
		n = len(h)
	}
	f.addLayer(p, off, n, false)
	if p == ProtoLCP && h[0] == 8 && n >= 6 {
		if q, ok := pppControlProto(be16(h[4:])); ok && q != ProtoLCP {
			decodePPPControl(f, q, b[:off+n], off+6)
		}
	}
}

// pppLayer returns the first of this file's layers in f and its bytes.
func (f *Frame) pppLayer() (Proto, []byte, bool) {
	if !f.Present.Any(pppProtos) {
		return 0, nil, false
	}
	for _, l := range f.Layers {
		if pppProtos.Has(l.Proto) {
			return l.Proto, f.LayerBytes(l), true
		}
	}
	return 0, nil, false
}

// pppColumn returns the Protocol column of a frame whose highest protocol
// is one of this file's, "" otherwise.
func (f *Frame) pppColumn() string {
	p, _, ok := f.pppLayer()
	if !ok {
		return ""
	}
	switch p {
	case ProtoPPPoED:
		return "PPPoED"
	case ProtoLCP:
		return "PPP LCP"
	case ProtoIPCP:
		return "PPP IPCP"
	case ProtoIPV6CP:
		return "PPP IPV6CP"
	case ProtoCCP:
		return "PPP CCP"
	case ProtoPAP:
		return "PPP PAP"
	}
	return "PPP CHAP"
}

// PPPoECodeName is the name of a PPPoE code as Wireshark's Info shows it.
func PPPoECodeName(c uint8) string {
	switch c {
	case 0x00:
		return "Session Data"
	case 0x07:
		return "Active Discovery Offer (PADO)"
	case 0x09:
		return "Active Discovery Initiation (PADI)"
	case 0x19:
		return "Active Discovery Request (PADR)"
	case 0x65:
		return "Active Discovery Session-confirmation (PADS)"
	case 0xa7:
		return "Active Discovery Terminate (PADT)"
	case 0x0a:
		return "Active Discovery Session-Grant (PADG)"
	case 0x0b:
		return "Active Discovery Session-Credit Response (PADC)"
	case 0x0c:
		return "Active Discovery Quality (PADQ)"
	case 0xd3:
		return "Active Discovery Network (PADN)"
	case 0xd4:
		return "Active Discovery Modify (PADM)"
	}
	return "Unknown"
}

// PPPCodeName names a control protocol code (LCP's list is the longest;
// CCP adds Reset-Request/Ack).
func PPPCodeName(p Proto, c uint8) string {
	switch {
	case p == ProtoPAP:
		switch c {
		case 1:
			return "Authenticate-Request"
		case 2:
			return "Authenticate-Ack"
		case 3:
			return "Authenticate-Nak"
		}
		return "Unknown"
	case p == ProtoCHAP:
		switch c {
		case 1:
			return "Challenge"
		case 2:
			return "Response"
		case 3:
			return "Success"
		case 4:
			return "Failure"
		}
		return "Unknown"
	}
	switch c {
	case 1:
		return "Configuration Request"
	case 2:
		return "Configuration Ack"
	case 3:
		return "Configuration Nak"
	case 4:
		return "Configuration Reject"
	case 5:
		return "Termination Request"
	case 6:
		return "Termination Ack"
	case 7:
		return "Code Reject"
	}
	if p == ProtoLCP {
		switch c {
		case 8:
			return "Protocol Reject"
		case 9:
			return "Echo Request"
		case 10:
			return "Echo Reply"
		case 11:
			return "Discard Request"
		case 12:
			return "Identification"
		case 13:
			return "Time Remaining"
		}
	}
	if p == ProtoCCP {
		switch c {
		case 14:
			return "Reset Request"
		case 15:
			return "Reset Ack"
		}
	}
	return "Unknown"
}

// EachPPPoETag calls fn with each tag of a PPPoE discovery layer b (header
// included) in order; it stops at the end of the payload or a tag that
// overruns it.
func EachPPPoETag(b []byte, fn func(typ uint16, v []byte)) {
	for off := 6; off+4 <= len(b); {
		t, n := be16(b[off:]), int(be16(b[off+2:]))
		if off+4+n > len(b) {
			return
		}
		fn(t, b[off+4:off+4+n])
		off += 4 + n
	}
}

// PAPFields splits a PAP packet b: for an Authenticate-Request the peer id
// and password, else the message (in a). ok false when truncated.
func PAPFields(b []byte) (a, pw []byte, ok bool) {
	if len(b) < 5 {
		return nil, nil, false
	}
	n := int(b[4])
	if 5+n > len(b) {
		return nil, nil, false
	}
	a = b[5 : 5+n]
	if b[0] != 1 {
		return a, nil, true
	}
	o := 5 + n
	if o >= len(b) || o+1+int(b[o]) > len(b) {
		return a, nil, false
	}
	return a, b[o+1 : o+1+int(b[o])], true
}

// CHAPFields splits a CHAP Challenge or Response b into value and name;
// for Success and Failure name is the message. ok false when truncated.
func CHAPFields(b []byte) (value, name []byte, ok bool) {
	if len(b) < 4 {
		return nil, nil, false
	}
	if b[0] != 1 && b[0] != 2 {
		return nil, b[4:], true
	}
	if len(b) < 5 || 5+int(b[4]) > len(b) {
		return nil, nil, false
	}
	return b[5 : 5+int(b[4])], b[5+int(b[4]):], true
}

// appendPPPInfo appends the Info column of a frame whose highest protocol
// is one of this file's; ok false otherwise.
func appendPPPInfo(dst []byte, f *Frame) ([]byte, bool) {
	p, b, ok := f.pppLayer()
	if !ok {
		return dst, false
	}
	if p == ProtoPPPoED {
		if len(b) < 6 {
			return dst, true
		}
		dst = append(dst, PPPoECodeName(b[1])...)
		EachPPPoETag(b, func(t uint16, v []byte) {
			if t == 0x0102 {
				dst = append(dst, " AC-Name='"...)
				dst = AppendDisplayText(dst, v)
				dst = append(dst, '\'')
			}
		})
		return dst, true
	}
	if len(b) < 1 {
		return dst, true
	}
	dst = append(dst, PPPCodeName(p, b[0])...)
	switch p {
	case ProtoPAP:
		a, pw, ok := PAPFields(b)
		if !ok {
			break
		}
		if b[0] == 1 {
			dst = append(dst, " (Peer-ID='"...)
			dst = AppendDisplayText(dst, a)
			dst = append(dst, "', Password='"...)
			dst = AppendDisplayText(dst, pw)
			dst = append(dst, "')"...)
		} else {
			dst = append(dst, " (Message='"...)
			dst = AppendDisplayText(dst, a)
			dst = append(dst, "')"...)
		}
	case ProtoCHAP:
		v, name, ok := CHAPFields(b)
		if !ok {
			break
		}
		if b[0] == 1 || b[0] == 2 {
			dst = append(dst, " (NAME='"...)
			dst = AppendDisplayText(dst, name)
			dst = append(dst, "', VALUE=0x"...)
			for _, c := range v {
				dst = append(dst, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
			}
			dst = append(dst, ')')
		} else {
			dst = append(dst, " (MESSAGE='"...)
			dst = AppendDisplayText(dst, name)
			dst = append(dst, "')"...)
		}
	}
	return dst, true
}
