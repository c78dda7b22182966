package decode

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Expert information: the per-frame items Wireshark's expert system reports
// (tshark -z expert, _ws.expert.*), derived from the decoded headers, the
// TCP analysis and DNS transaction matching in Frame.Analysis, and decode
// anomalies. One classification serves the expert statistics, the
// _ws.expert fields and display filters.

// ExpertSeverity is a Wireshark expert severity (PI_ERROR ... PI_COMMENT).
type ExpertSeverity uint8

// Severities, most severe first (the order tshark prints them).
const (
	SevError ExpertSeverity = iota
	SevWarn
	SevNote
	SevChat
	SevComment
	NumSeverities
)

// PI returns Wireshark's numeric severity value (epan/proto.h PI_*), the
// value of _ws.expert.severity.
func (s ExpertSeverity) PI() uint32 {
	return [...]uint32{0x00800000, 0x00600000, 0x00400000, 0x00200000, 0x00100000}[s]
}

// ExpertKind names one kind of expert item.
type ExpertKind uint8

// Expert kinds wirewatch derives.
const (
	ExSyn ExpertKind = iota
	ExSynAck
	ExFin
	ExFinActive
	ExFinPassive
	ExRst
	ExRetrans
	ExFastRetrans
	ExSpurious
	ExOOO
	ExReused
	ExLost
	ExAckLost
	ExWinUpdate
	ExWinFull
	ExKeepAlive
	ExKeepAliveAck
	ExDupAck
	ExZWP
	ExZW
	ExZWPAck
	ExAckNonzero
	ExUrgNonzero
	ExMalformed
	ExComment         // a packet comment (pcapng opt_comment)
	ExIPLenExceeds    // IPv4 total length beyond the frame
	ExTTL             // IPv4 unicast TTL under 5
	ExDSACK           // first SACK block is a D-SACK (RFC 2883)
	ExDNSQueryRetrans // DNS/mDNS/LLMNR query repeated
	ExDNSRespRetrans  // DNS/mDNS/LLMNR response repeated
	ExHTTPChat        // an HTTP request or status line
	ExEthTrailer      // non-zero bytes where a minimum-size Ethernet frame has padding
	ExShortSegment    // TCP header length beyond the segment
	ExIPBogusHdrLen   // IPv4 header length under 20
	ExTCPOption       // a TCP option with a bad length (TCP.OptNote)
	ExTFOAck          // SYN-ACK acknowledging SYN data
	ExMSSAbsent       // SYN with options but no MSS
	ExRH0             // IPv6 type-0 routing header
	ExHTTPOversized   // an HTTP head longer than the reassembly buffer (wirewatch's own)
	ExEthTrailer8023  // ExEthTrailer after an 802.3 length field (Ethernet's, not Ethertype's)
	ExEthSrcGroup     // an Ethernet II source address with the group bit set
	ExTTLLNCB         // IPv4 TTL other than the one a 224.0.0.0/24 destination wants
	ExDCERPCNoBind    // a DCE/RPC call whose context's Bind was not seen
	ExTCPNOP4         // a fourth NOP in a TCP header's options
	ExIPv6OptHop      // an IPv6 hop-by-hop option of a type Wireshark does not know
	ExIPv6OptDst      // an IPv6 destination option of a type Wireshark does not know
	ExIPv6HomeAddrLen // a Home Address destination option whose length is not 16
	ExStrayChars      // an ASCII string field with characters after a NUL (p2p.go)
	ExMojitoSockAddr  // Mojito socket address of an unsupported type
	ExMojitoBigInt    // Mojito BigInteger of an unsupported length
	ExPERUndecoded    // a PER construct Wireshark's PER decoder gives up on (T.38, t38.go)
	ExPERTooBig       // a PER constrained value above its upper bound
	ExRTCPXRBlock     // an RTCP extended report block longer than its packet
	ExSRTCPEncrypted  // SRTCP whose packets after the first are encrypted
	NumExpertKinds
)

// ExpertDef describes an expert kind as Wireshark prints it.
type ExpertDef struct {
	Severity ExpertSeverity
	Group    string // Wireshark's group name ("Sequence", "Protocol", "Malformed")
	GroupPI  uint32 // PI_* group value (_ws.expert.group)
	Summary  string // may contain one %d, replaced by Expert.Arg, or one %s, replaced by Expert.Text
	// Protocol is the protocol tshark names for the item; empty when it
	// depends on the frame (Frame.ExpertProtocol).
	Protocol string
}

const (
	piSequence   = 0x02000000
	piUndecoded  = 0x05000000
	piProtocol   = 0x09000000
	piMalformed  = 0x07000000
	piComments   = 0x0b000000
	piDeprecated = 0x0e000000
)

// ExpertDefs is indexed by ExpertKind.
var ExpertDefs = [NumExpertKinds]ExpertDef{
	ExSyn:             {SevChat, "Sequence", piSequence, "Connection establish request (SYN): server port %d", "TCP"},
	ExSynAck:          {SevChat, "Sequence", piSequence, "Connection establish acknowledge (SYN+ACK): server port %d", "TCP"},
	ExFin:             {SevChat, "Sequence", piSequence, "Connection finish (FIN)", "TCP"},
	ExFinActive:       {SevNote, "Sequence", piSequence, "This frame initiates the connection closing", "TCP"},
	ExFinPassive:      {SevNote, "Sequence", piSequence, "This frame undergoes the connection closing", "TCP"},
	ExRst:             {SevWarn, "Sequence", piSequence, "Connection reset (RST)", "TCP"},
	ExRetrans:         {SevNote, "Sequence", piSequence, "This frame is a (suspected) retransmission", "TCP"},
	ExFastRetrans:     {SevNote, "Sequence", piSequence, "This frame is a (suspected) fast retransmission", "TCP"},
	ExSpurious:        {SevNote, "Sequence", piSequence, "This frame is a (suspected) spurious retransmission", "TCP"},
	ExOOO:             {SevWarn, "Sequence", piSequence, "This frame is a (suspected) out-of-order segment", "TCP"},
	ExReused:          {SevNote, "Sequence", piSequence, "A new tcp session is started with the same ports as an earlier session in this trace", "TCP"},
	ExLost:            {SevWarn, "Sequence", piSequence, "Previous segment(s) not captured (common at capture start)", "TCP"},
	ExAckLost:         {SevWarn, "Sequence", piSequence, "ACKed segment that wasn't captured (common at capture start)", "TCP"},
	ExWinUpdate:       {SevChat, "Sequence", piSequence, "TCP window update", "TCP"},
	ExWinFull:         {SevWarn, "Sequence", piSequence, "TCP window specified by the receiver is now completely full", "TCP"},
	ExKeepAlive:       {SevNote, "Sequence", piSequence, "TCP keep-alive segment", "TCP"},
	ExKeepAliveAck:    {SevNote, "Sequence", piSequence, "ACK to a TCP keep-alive segment", "TCP"},
	ExDupAck:          {SevNote, "Sequence", piSequence, "Duplicate ACK (#%d)", "TCP"},
	ExZWP:             {SevNote, "Sequence", piSequence, "TCP Zero Window Probe", "TCP"},
	ExZW:              {SevWarn, "Sequence", piSequence, "TCP Zero Window segment", "TCP"},
	ExZWPAck:          {SevNote, "Sequence", piSequence, "ACK to a TCP Zero Window Probe", "TCP"},
	ExAckNonzero:      {SevNote, "Protocol", piProtocol, "The acknowledgment number field is nonzero while the ACK flag is not set", "TCP"},
	ExUrgNonzero:      {SevNote, "Protocol", piProtocol, "The urgent pointer field is nonzero while the URG flag is not set", "TCP"},
	ExMalformed:       {SevError, "Malformed", piMalformed, "Malformed Packet (Exception occurred)", ""},
	ExComment:         {SevComment, "Comment", piComments, "%s", "Frame"},
	ExIPLenExceeds:    {SevError, "Protocol", piProtocol, "IPv4 total length exceeds packet length (%d bytes)", "IPv4"},
	ExTTL:             {SevNote, "Sequence", piSequence, "\"Time To Live\" only %d", "IPv4"},
	ExDSACK:           {SevWarn, "Sequence", piSequence, "D-SACK Sequence", "TCP"},
	ExDNSQueryRetrans: {SevWarn, "Protocol", piProtocol, "DNS query retransmission. Original request in frame %d", ""},
	ExDNSRespRetrans:  {SevWarn, "Protocol", piProtocol, "DNS response retransmission. Original response in frame %d", ""},
	ExHTTPChat:        {SevChat, "Sequence", piSequence, "%s", ""}, // HTTP or SSDP
	ExEthTrailer: {SevNote, "Protocol", piProtocol,
		"Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.", "Ethertype"},
	ExEthTrailer8023: {SevNote, "Protocol", piProtocol,
		"Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.", "Ethernet"},
	ExEthSrcGroup:     {SevWarn, "Protocol", piProtocol, "Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)", "Ethernet"},
	ExTTLLNCB:         {SevNote, "Sequence", piSequence, "\"Time To Live\" != %d for a packet sent to the Local Network Control Block (see RFC 3171)", "IPv4"},
	ExDCERPCNoBind:    {SevNote, "Undecoded", piUndecoded, "No bind info for interface Context ID %d - capture start too late?", "DCERPC"},
	ExTCPNOP4:         {SevWarn, "Protocol", piProtocol, "4 NOP in a row - a router may have removed some options", "TCP"},
	ExIPv6OptHop:      {SevNote, "Undecoded", piUndecoded, "Unknown Data (not interpreted)", "IPv6 Hop-by-Hop"},
	ExIPv6OptDst:      {SevNote, "Undecoded", piUndecoded, "Unknown Data (not interpreted)", "IPv6 Destination"},
	ExIPv6HomeAddrLen: {SevError, "Malformed", piMalformed, "Home Address: Invalid length (%d bytes)", "IPv6 Destination"},
	ExShortSegment: {SevWarn, "Malformed", piMalformed,
		"Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)", "TCP"},
	ExIPBogusHdrLen: {SevError, "Protocol", piProtocol, "Bogus IP header length (%d, must be at least 20)", "IPv4"},
	ExTCPOption:     {SevNote, "Sequence", piSequence, "%s", "TCP"},
	ExTFOAck:        {SevNote, "Sequence", piSequence, "TCP SYN-ACK accepting TFO data", "TCP"},
	ExMSSAbsent:     {SevNote, "Protocol", piProtocol, "The SYN packet does not contain a MSS option", "TCP"},
	ExRH0:           {SevNote, "Deprecated", piDeprecated, "Routing header type is deprecated", "IPv6 Routing"},
	// Not Wireshark's: it reassembles any head; wirewatch keeps 256 KiB of
	// one and shows the message all the same, marked by this item.
	ExHTTPOversized:  {SevWarn, "Malformed", piMalformed, "HTTP head longer than 262144 bytes: only its start is decoded (truncated)", ""},
	ExStrayChars:     {SevWarn, "Undecoded", piUndecoded, "Trailing stray characters", ""},
	ExMojitoSockAddr: {SevError, "Protocol", piProtocol, "Unsupported Socket Address Type", "Mojito"},
	ExMojitoBigInt:   {SevError, "Protocol", piProtocol, "Unsupported BigInt length", "Mojito"},
	ExPERUndecoded:   {SevWarn, "Undecoded", piUndecoded, "something unknown here [%s]", "T.38"},
	ExPERTooBig:      {SevWarn, "Protocol", piProtocol, "Size constraint: value too big", "T.38"},
	ExRTCPXRBlock:    {SevWarn, "Protocol", piProtocol, "Block length is greater than packet length", "RTCP"},
	ExSRTCPEncrypted: {SevWarn, "Undecoded", piUndecoded, "Encrypted RTCP Payload - not dissected", "RTCP"},
}

// Expert is one expert item of a frame.
type Expert struct {
	Kind ExpertKind
	Arg  uint32 // the %d of the summary (port, dup-ACK number, frame), else 0
	// Text is the %s of the summary (a comment, an HTTP start line), raw
	// bytes aliasing the frame; ExpertSummary escapes it as tshark prints it.
	Text []byte
	// Comment is the comment of an ExComment item (Text is then nil).
	Comment string
}

// AppendExpert appends f's expert items to dst in the order Wireshark adds
// them: packet comments, IPv4 notes, TCP header notes, connection items,
// sequence analysis, DNS and HTTP items, the Ethernet trailer note, then a
// malformed-packet error. It allocates only when dst must grow.
func (f *Frame) AppendExpert(dst []Expert) []Expert {
	for _, c := range f.Comments {
		dst = append(dst, Expert{Kind: ExComment, Comment: c})
	}
	if f.Has(ProtoEth) && f.Eth.Type > 1500 && f.Eth.Src[0]&1 != 0 {
		dst = append(dst, Expert{Kind: ExEthSrcGroup})
	}
	dst = f.appendIPExpert(dst)
	dst = f.appendTCPExpert(dst)
	if f.Has(ProtoDCERPC) {
		for i := range f.DCERPC.PDUs {
			if p := &f.DCERPC.PDUs[i]; p.NoBind {
				dst = append(dst, Expert{Kind: ExDCERPCNoBind, Arg: uint32(dce16(p.B, 20))})
			}
		}
	}
	if a := &f.Analysis; f.Has(ProtoDNS) {
		if a.DNSRetransReqIn != 0 {
			dst = append(dst, Expert{Kind: ExDNSQueryRetrans, Arg: uint32(a.DNSRetransReqIn)})
		}
		if a.DNSRetransRespIn != 0 {
			dst = append(dst, Expert{Kind: ExDNSRespRetrans, Arg: uint32(a.DNSRetransRespIn)})
		}
	}
	if (f.Has(ProtoHTTP) || f.Has(ProtoSSDP)) && (f.HTTP.Request || f.HTTP.Response) && len(f.HTTP.Line) > 0 {
		dst = append(dst, Expert{Kind: ExHTTPChat, Text: f.HTTP.Line})
		if f.HTTP.Oversized {
			dst = append(dst, Expert{Kind: ExHTTPOversized})
		}
	}
	dst = f.appendP2PExpert(dst)
	if f.Has(ProtoRTCP) {
		for _, l := range f.Layers {
			if l.Proto != ProtoRTCP {
				continue
			}
			if b := f.LayerBytes(l); RTCPXRBlockTooLong(b) {
				dst = append(dst, Expert{Kind: ExRTCPXRBlock})
			} else if f.RTP.SRTP && SRTCPEncrypted(b, int(f.RTP.SRTPTag)) {
				dst = append(dst, Expert{Kind: ExSRTCPEncrypted})
			}
		}
	}
	if f.Has(ProtoT38) {
		for _, l := range f.Layers {
			if l.Proto == ProtoT38 {
				reason, big := T38Undecoded(f.LayerBytes(l))
				for ; big > 0; big-- {
					dst = append(dst, Expert{Kind: ExPERTooBig})
				}
				if reason != nil {
					dst = append(dst, Expert{Kind: ExPERUndecoded, Text: reason})
				}
			}
		}
	}
	if bad, lenField := f.ethBadPadding(); bad {
		k := ExEthTrailer
		if lenField {
			k = ExEthTrailer8023
		}
		dst = append(dst, Expert{Kind: k})
	}
	if f.Has(ProtoTCP) && f.TCP.BadHdrLen {
		dst = append(dst, Expert{Kind: ExShortSegment})
	}
	if f.Malformed() {
		dst = append(dst, Expert{Kind: ExMalformed})
	}
	return dst
}

// ExpertNeedsMessages reports whether kind k comes from application
// messages rebuilt across segments or matched into transactions (HTTP start
// lines, DNS retransmissions, DCE/RPC calls matched to binds) rather than
// from the packet alone.
func ExpertNeedsMessages(k ExpertKind) bool {
	return k == ExHTTPChat || k == ExHTTPOversized || k == ExDNSQueryRetrans || k == ExDNSRespRetrans || k == ExDCERPCNoBind
}

// ExpertTreeOnly reports whether Wireshark raises kind k only while it
// builds the protocol tree (tshark -V, -T fields, filters), so that
// tshark -z expert alone does not count it: the "4 NOP in a row" note.
func ExpertTreeOnly(k ExpertKind) bool { return k == ExTCPNOP4 }

// ExpertProtocol is the protocol tshark names for item e of f.
func (f *Frame) ExpertProtocol(e Expert) string {
	if p := ExpertDefs[e.Kind].Protocol; p != "" {
		return p
	}
	switch e.Kind {
	case ExHTTPChat, ExHTTPOversized:
		if f.Has(ProtoSSDP) {
			return "SSDP"
		}
		return "HTTP"
	case ExDNSQueryRetrans, ExDNSRespRetrans:
		switch {
		case f.IsMDNS():
			return "mDNS"
		case f.IsLLMNR():
			return "LLMNR"
		}
		return "DNS"
	}
	return string(f.ColumnText(ColProtocol))
}

// ExpertSummary is item e's summary as tshark prints it: the %d or %s
// filled in, with a start line's CR LF and unprintable bytes escaped.
func ExpertSummary(e Expert) string {
	s := ExpertDefs[e.Kind].Summary
	switch {
	case e.Kind == ExComment:
		if !DisplaySafe([]byte(e.Comment)) {
			return escapeExpertText([]byte(e.Comment))
		}
		return e.Comment
	case e.Kind == ExHTTPChat:
		return truncateLabel(escapeExpertText(e.Text) + `\r\n`)
	case e.Kind == ExTCPOption:
		return tcpOptionSummary(e.Arg)
	case strings.Contains(s, "%d"):
		return strings.Replace(s, "%d", strconv.FormatUint(uint64(e.Arg), 10), 1)
	}
	return s
}

// ExpertSummaryJSON is ExpertSummary for JSON: the same text, but each
// byte of the capture that is not valid UTF-8 written as \xHH (ValidText)
// instead of U+FFFD, so that none is lost.
func ExpertSummaryJSON(e Expert) string {
	switch e.Kind {
	case ExComment:
		e.Comment = ValidText(e.Comment)
	case ExHTTPChat:
		if !utf8.Valid(e.Text) {
			e.Text = []byte(ValidText(string(e.Text)))
		}
	}
	return ValidText(ExpertSummary(e))
}

// tcpOptionSummary words an ExTCPOption item as Wireshark does.
func tcpOptionSummary(arg uint32) string {
	note, kind, n, want := uint8(arg>>24), byte(arg>>16), int(uint8(arg>>8)), int(uint8(arg))
	bytes := "bytes"
	if n == 1 {
		bytes = "byte"
	}
	switch note {
	case OptTooShort:
		return fmt.Sprintf("%s (with too-short option length = %d %s)", tcpOptionName(kind), n, bytes)
	case OptPastEnd:
		return fmt.Sprintf("%s (option length = %d %s says option goes past end of options)", tcpOptionName(kind), n, bytes)
	}
	return fmt.Sprintf("option length should be %d", want)
}

// truncateLabel cuts s to the 239 bytes Wireshark's item labels hold
// (ITEM_LABEL_LENGTH with its terminating NUL).
func truncateLabel(s string) string {
	if len(s) > 239 {
		return s[:239]
	}
	return s
}

// escapeExpertText escapes b as Wireshark's format_text does for display.
func escapeExpertText(b []byte) string {
	return string(AppendDisplayText(nil, b))
}

// appendIPExpert adds the outer IP header's items: an IPv6 type-0 routing
// header (deprecated); for IPv4 a bogus header length or a total length
// beyond the frame (errors), and a TTL under 5 on a unicast packet that is
// not PIM or OSPF (Wireshark's "\"Time To Live\" only N").
func (f *Frame) appendIPExpert(dst []Expert) []Expert {
	if ip := &f.IPv6; f.Has(ProtoIPv6) {
		// In the order of the extension headers.
		for i, t := range ip.Ext[:ip.NExt] {
			k := ExIPv6OptDst
			switch t {
			case 43:
				if ip.RH0 {
					dst = append(dst, Expert{Kind: ExRH0})
				}
				continue
			case 0:
				k = ExIPv6OptHop
			}
			for j := uint8(0); j < ip.UnknownOpts[i]; j++ {
				dst = append(dst, Expert{Kind: k})
			}
			if t == 60 && ip.HomeAddrBad {
				dst = append(dst, Expert{Kind: ExIPv6HomeAddrLen, Arg: uint32(ip.HomeAddrLen)})
			}
		}
	}
	if !f.Has(ProtoIP) {
		return dst
	}
	if f.IP.Bogus {
		return append(dst, Expert{Kind: ExIPBogusHdrLen, Arg: uint32(f.IP.IHL) * 4})
	}
	ip := &f.IP
	for i := range f.Layers {
		l := &f.Layers[i]
		if l.Proto != ProtoIP {
			continue
		}
		if !l.Reasm && ip.TotalLen != 0 && f.Len >= l.Off && int(ip.TotalLen) > f.Len-l.Off {
			dst = append(dst, Expert{Kind: ExIPLenExceeds, Arg: uint32(f.Len - l.Off)})
		}
		break
	}
	if d := ip.Dst.As4(); ip.Dst.Is4() && d[0] == 224 && d[1] == 0 && d[2] == 0 {
		// RFC 3171's Local Network Control Block is never routed: TTL 1,
		// except VRRP, GLBP and mDNS (255) and LLMNR (any), as Wireshark;
		// IGMP always wants 1.
		want := uint8(1)
		switch {
		case ip.Protocol == 2:
		case d[3] == 18 || d[3] == 102 || d[3] == 251:
			want = 255
		case d[3] == 252:
			return dst
		}
		if ip.TTL != want {
			dst = append(dst, Expert{Kind: ExTTLLNCB, Arg: uint32(want)})
		}
	} else if ip.TTL < 5 && !ip.Dst.IsMulticast() && ip.Protocol != 103 && ip.Protocol != 89 {
		dst = append(dst, Expert{Kind: ExTTL, Arg: uint32(ip.TTL)})
	}
	return dst
}

func (f *Frame) appendTCPExpert(dst []Expert) []Expert {
	th := &f.TCP
	if !f.Has(ProtoTCP) || th.HdrAvail < 20 {
		return dst
	}
	a := &f.Analysis
	fl := th.Flags
	switch {
	case fl&TCPAck == 0 && th.Ack != 0:
		dst = append(dst, Expert{Kind: ExAckNonzero})
	case fl&(TCPSyn|TCPAck) == TCPSyn|TCPAck && a.HasTCP && a.RelAck > 1:
		// The SYN-ACK acknowledges more than the SYN: TCP Fast Open data.
		dst = append(dst, Expert{Kind: ExTFOAck})
	}
	urg := fl&TCPUrg == 0 && th.Urgent != 0
	if !a.HasTCP {
		if urg {
			dst = append(dst, Expert{Kind: ExUrgNonzero})
		}
		return dst // a header Wireshark gave up on: no connection or sequence items
	}
	if fl&TCPSyn != 0 {
		if fl&TCPAck != 0 {
			dst = append(dst, Expert{Kind: ExSynAck, Arg: uint32(th.SrcPort)})
		} else {
			dst = append(dst, Expert{Kind: ExSyn, Arg: uint32(th.DstPort)})
		}
	}
	if fl&TCPFin != 0 {
		dst = append(dst, Expert{Kind: ExFin})
		switch a.Closing {
		case 1:
			dst = append(dst, Expert{Kind: ExFinActive})
		case 2:
			dst = append(dst, Expert{Kind: ExFinPassive})
		}
	}
	if fl&TCPRst != 0 {
		dst = append(dst, Expert{Kind: ExRst})
	}
	if urg {
		dst = append(dst, Expert{Kind: ExUrgNonzero})
	}
	nop4 := th.NOP4
	if nop4 && th.NOP4First {
		dst = append(dst, Expert{Kind: ExTCPNOP4})
	}
	if th.OptNote != 0 {
		dst = append(dst, Expert{Kind: ExTCPOption,
			Arg: uint32(th.OptNote)<<24 | uint32(th.OptKind)<<16 | uint32(th.OptLen)<<8 | uint32(th.OptWant)})
	}
	if nop4 && !th.NOP4First {
		dst = append(dst, Expert{Kind: ExTCPNOP4})
	}
	if th.NSACK > 0 && fl&TCPAck != 0 {
		// RFC 2883: the first block reports duplicate data when it lies
		// below the cumulative ACK or inside the second block.
		l, r := th.SACK[0][0], th.SACK[0][1]
		if int32(l-th.Ack) < 0 || (th.NSACK > 1 && int32(l-th.SACK[1][0]) >= 0 && int32(th.SACK[1][1]-r) >= 0) {
			dst = append(dst, Expert{Kind: ExDSACK})
		}
	}
	if fl&TCPSyn != 0 && len(th.Options) > 0 && !th.HasMSS && th.OptNote == 0 {
		dst = append(dst, Expert{Kind: ExMSSAbsent})
	}
	x := a.Flags
	if x == 0 {
		return dst
	}
	for _, m := range analysisExperts {
		if x&m.flag == 0 {
			continue
		}
		if m.kind == ExDupAck {
			if a.DupAckNum != 0 {
				dst = append(dst, Expert{Kind: ExDupAck, Arg: a.DupAckNum})
			}
			continue
		}
		dst = append(dst, Expert{Kind: m.kind})
		if m.alsoRetrans {
			dst = append(dst, Expert{Kind: ExRetrans})
		}
	}
	return dst
}

// analysisExperts maps tcp.analysis flags to expert kinds, in Wireshark's order.
var analysisExperts = [...]struct {
	flag        uint32
	kind        ExpertKind
	alsoRetrans bool // Wireshark also adds the generic retransmission note
}{
	{AnReusedPorts, ExReused, false},
	{AnRetransmission, ExRetrans, false},
	{AnFastRetransmission, ExFastRetrans, true},
	{AnSpuriousRetransmission, ExSpurious, true},
	{AnOutOfOrder, ExOOO, false},
	{AnLostSegment, ExLost, false},
	{AnAckLostSegment, ExAckLost, false},
	{AnWindowUpdate, ExWinUpdate, false},
	{AnWindowFull, ExWinFull, false},
	{AnKeepAlive, ExKeepAlive, false},
	{AnKeepAliveAck, ExKeepAliveAck, false},
	{AnDuplicateAck, ExDupAck, false},
	{AnZeroWindowProbe, ExZWP, false},
	{AnZeroWindow, ExZW, false},
	{AnZeroWindowProbeAck, ExZWPAck, false},
}
