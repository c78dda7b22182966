package decode

// Expert information: the per-frame items Wireshark's expert system reports
// (tshark -z expert, _ws.expert.*), derived from the TCP analysis in
// Frame.Analysis and from decode anomalies. One classification serves the
// expert statistics, the _ws.expert fields and display filters.

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
	NumExpertKinds
)

// ExpertDef describes an expert kind as Wireshark prints it.
type ExpertDef struct {
	Severity ExpertSeverity
	Group    string // Wireshark's group name ("Sequence", "Protocol", "Malformed")
	GroupPI  uint32 // PI_* group value (_ws.expert.group)
	Summary  string // may contain one %d, replaced by Expert.Arg
}

const (
	piSequence  = 0x02000000
	piProtocol  = 0x09000000
	piMalformed = 0x07000000
)

// ExpertDefs is indexed by ExpertKind.
var ExpertDefs = [NumExpertKinds]ExpertDef{
	ExSyn:          {SevChat, "Sequence", piSequence, "Connection establish request (SYN): server port %d"},
	ExSynAck:       {SevChat, "Sequence", piSequence, "Connection establish acknowledge (SYN+ACK): server port %d"},
	ExFin:          {SevChat, "Sequence", piSequence, "Connection finish (FIN)"},
	ExFinActive:    {SevNote, "Sequence", piSequence, "This frame initiates the connection closing"},
	ExFinPassive:   {SevNote, "Sequence", piSequence, "This frame undergoes the connection closing"},
	ExRst:          {SevWarn, "Sequence", piSequence, "Connection reset (RST)"},
	ExRetrans:      {SevNote, "Sequence", piSequence, "This frame is a (suspected) retransmission"},
	ExFastRetrans:  {SevNote, "Sequence", piSequence, "This frame is a (suspected) fast retransmission"},
	ExSpurious:     {SevNote, "Sequence", piSequence, "This frame is a (suspected) spurious retransmission"},
	ExOOO:          {SevWarn, "Sequence", piSequence, "This frame is a (suspected) out-of-order segment"},
	ExReused:       {SevNote, "Sequence", piSequence, "A new tcp session is started with the same ports as an earlier session in this trace"},
	ExLost:         {SevWarn, "Sequence", piSequence, "Previous segment(s) not captured (common at capture start)"},
	ExAckLost:      {SevWarn, "Sequence", piSequence, "ACKed segment that wasn't captured (common at capture start)"},
	ExWinUpdate:    {SevChat, "Sequence", piSequence, "TCP window update"},
	ExWinFull:      {SevWarn, "Sequence", piSequence, "TCP window specified by the receiver is now completely full"},
	ExKeepAlive:    {SevNote, "Sequence", piSequence, "TCP keep-alive segment"},
	ExKeepAliveAck: {SevNote, "Sequence", piSequence, "ACK to a TCP keep-alive segment"},
	ExDupAck:       {SevNote, "Sequence", piSequence, "Duplicate ACK (#%d)"},
	ExZWP:          {SevNote, "Sequence", piSequence, "TCP Zero Window Probe"},
	ExZW:           {SevWarn, "Sequence", piSequence, "TCP Zero Window segment"},
	ExZWPAck:       {SevNote, "Sequence", piSequence, "ACK to a TCP Zero Window Probe"},
	ExAckNonzero:   {SevNote, "Protocol", piProtocol, "The acknowledgment number field is nonzero while the ACK flag is not set"},
	ExUrgNonzero:   {SevNote, "Protocol", piProtocol, "The urgent pointer field is nonzero while the URG flag is not set"},
	ExMalformed:    {SevError, "Malformed", piMalformed, "Malformed Packet (Exception occurred)"},
}

// Expert is one expert item of a frame.
type Expert struct {
	Kind ExpertKind
	Arg  uint32 // the %d of the summary (port, dup-ACK number), else 0
}

// AppendExpert appends f's expert items to dst in the order Wireshark adds
// them: TCP header notes, connection items, sequence analysis, then a
// malformed-packet error. It allocates only when dst must grow.
func (f *Frame) AppendExpert(dst []Expert) []Expert {
	dst = f.appendTCPExpert(dst)
	if f.Malformed() {
		dst = append(dst, Expert{Kind: ExMalformed})
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
	if fl&TCPAck == 0 && th.Ack != 0 {
		dst = append(dst, Expert{Kind: ExAckNonzero})
	}
	if fl&TCPUrg == 0 && th.Urgent != 0 {
		dst = append(dst, Expert{Kind: ExUrgNonzero})
	}
	if !a.HasTCP {
		return dst // a header Wireshark gave up on: no connection or sequence items
	}
	if fl&TCPSyn != 0 {
		if fl&TCPAck != 0 {
			dst = append(dst, Expert{ExSynAck, uint32(th.SrcPort)})
		} else {
			dst = append(dst, Expert{ExSyn, uint32(th.DstPort)})
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
				dst = append(dst, Expert{ExDupAck, a.DupAckNum})
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
	{AnRetransmission, ExRetrans, false},
	{AnFastRetransmission, ExFastRetrans, true},
	{AnSpuriousRetransmission, ExSpurious, true},
	{AnOutOfOrder, ExOOO, false},
	{AnReusedPorts, ExReused, false},
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
