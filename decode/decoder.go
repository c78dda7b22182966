package decode

import "github.com/wirewatch/wirewatch/capture"

// Options configures a Decoder.
type Options struct {
	// ReassembleIP reassembles IPv4/IPv6 fragments for the upper layers (default true via NewDecoder).
	ReassembleIP bool
	// FragTimeout drops incomplete fragment sets older than this many
	// nanoseconds of packet time (0: 60 s).
	FragTimeout int64
	// MaxFragSets bounds the fragment sets kept at once (0: 64); the oldest is
	// dropped when a new one would exceed it. Each set holds at most 64 KiB.
	MaxFragSets int
	// SkipApp names application-layer dissectors not to run (AppDNS, AppHTTP,
	// AppTLS, or'ed): their payload is left undissected (no layer, no fields,
	// no "data" layer either). For reports that read only link, network and
	// transport facts; 0 dissects everything.
	SkipApp AppSet
	// KeyLog, when set, decrypts TLS sessions whose secrets it holds
	// (tlsdecrypt.go); package flow does the per-connection work.
	KeyLog *KeyLog
}

// AppSet is a set of application-layer dissectors (Options.SkipApp).
type AppSet uint8

// Application-layer dissectors that Options.SkipApp can leave out.
const (
	AppDNS   AppSet = 1 << iota // DNS, mDNS, LLMNR (UDP and TCP)
	AppHTTP                     // HTTP/1.x
	AppTLS                      // TLS records and handshakes
	AppOther                    // the dissectors of dissect.go (DHCP, NTP, SSH, QUIC, SMB2...)
)

// Decoder turns packets into Frames. It holds cross-packet state (IP fragment
// reassembly), so use one Decoder per packet stream. Not safe for concurrent use.
type Decoder struct {
	opts Options
	frag fragTable
	echo echoTable
	// httpHdr is the scratch AppStreams parse HTTP heads into: one per
	// Decoder rather than one per connection direction (416 bytes each).
	httpHdr HTTP
	// httpOversized tells decodeHTTP that the head it gets is the kept
	// start of one that outgrew the AppStream buffer.
	httpOversized bool
	// ssh is the SSH connection state (ssh.go).
	ssh sshTable
	// quic is the QUIC connection state (quic.go).
	quic quicTable
	// smb2 matches SMB2 requests and responses (smb2.go).
	smb2 smb2Table
	// smb2f names the files of SMB2 file IDs (smb2file.go).
	smb2f smb2FileTable
	// dce names DCE/RPC interfaces and operations (dcerpc.go).
	dce dceTable
	// smtp keeps which SMTP connections are sending message data (smtp.go).
	smtp smtpTable
	// x11 keeps each X11 connection's byte order and sequence numbers (x11.go).
	x11 x11Table
	// voip keeps SIP transactions, SDP offers and the media they set up (voip.go).
	voip voipTable
	// gquic remembers gQUIC conversations (gquic.go).
	gquic gquicTable
	// rpc keeps recent RPC calls and the ports GETPORT replies announced (rpcconv.go).
	rpc rpcState
	// ws keeps the connections upgraded to WebSocket (websocket.go).
	ws wsTable
	// routing is the state of the dissectors of routing.go (TFTP, SCTP).
	routing routingState
	// ftp and imap keep FTP and IMAP conversation state (ftp.go, imap.go).
	ftp  ftpTable
	imap imapTable
	// starttls follows STARTTLS/STLS/AUTH TLS of IMAP, POP and FTP (textproto.go).
	starttls startTLSTable
	// pop follows POP RETR/TOP replies (pop.go); app the connections of
	// apps' dissectors (SOCKS tunnels, TDS, MySQL: socks.go).
	pop   popTable
	socks socksTable
	// crypto is the state of udpcrypto's dissectors (DTLS sessions: udpcrypto.go).
	crypto cryptoState
}

// KeyLog returns the key log TLS sessions are decrypted with (nil: none).
func (d *Decoder) KeyLog() *KeyLog { return d.opts.KeyLog }

// NewDecoder returns a Decoder with opts.
func NewDecoder(opts Options) *Decoder {
	if opts.FragTimeout <= 0 {
		opts.FragTimeout = 60e9
	}
	if opts.MaxFragSets <= 0 {
		opts.MaxFragSets = 64
	}
	d := &Decoder{opts: opts}
	d.frag.max = opts.MaxFragSets
	d.frag.timeout = opts.FragTimeout
	return d
}

// maxVLANDepth bounds stacked 802.1Q/802.1ad tags (Wireshark's vlan.too_many_tags).
const maxVLANDepth = 20

// PPP link types: LINKTYPE_PPP and LINKTYPE_PPP_HDLC (both "ppp" in Wireshark).
const (
	linkPPP     capture.LinkType = 9
	linkPPPHDLC capture.LinkType = 50
	linkNFLOG   capture.LinkType = 239 // Linux netfilter log messages
)

// Decode resets f and fills it from p. f.Number must be set by the caller.
func (d *Decoder) Decode(f *Frame, p capture.Packet) {
	n := f.Number
	f.reset()
	f.Number = n
	f.TS = p.TS
	f.Len = p.Len
	f.CapLen = p.CapLen
	f.LinkType = p.LinkType
	f.Interface = p.Interface
	f.Comments = p.Comments
	f.NoTS = p.NoTS
	f.CustomType, f.CustomPEN = p.CustomType, p.CustomPEN
	f.Data = p.Data
	f.Present.Add(ProtoFrame)
	b := p.Data
	switch p.LinkType {
	case capture.LinkEthernet:
		d.decodeEthernet(f, b, 0)
	case capture.LinkLinuxSLL:
		d.decodeSLL(f, b)
	case capture.LinkLinuxSLL2:
		d.decodeSLL2(f, b)
	case capture.LinkRaw, 12, 14: // 12 and 14: raw IP as written by OpenBSD and BSD/OS (tshark maps both to raw IP)
		f.addLayer(ProtoRaw, 0, len(b), false)
		if len(b) == 0 {
			f.anomaly(ProtoRaw, 0, "raw IP packet is empty")
			return
		}
		switch b[0] >> 4 {
		case 4:
			d.decodeIPv4(f, b, 0, false)
		case 6:
			d.decodeIPv6(f, b, 0, false)
		default:
			f.anomaly(ProtoRaw, 0, "raw packet is neither IPv4 nor IPv6")
			f.data(0, len(b), false)
		}
	case capture.LinkIPv4:
		f.addLayer(ProtoRaw, 0, len(b), false)
		d.decodeIPv4(f, b, 0, false)
	case capture.LinkIPv6:
		f.addLayer(ProtoRaw, 0, len(b), false)
		d.decodeIPv6(f, b, 0, false)
	case capture.LinkNull, capture.LinkLoop:
		d.decodeNull(f, b, p.LinkType == capture.LinkLoop)
	case linkPPP, linkPPPHDLC:
		d.decodePPP(f, b)
	case linkNFLOG:
		d.decodeNFLOG(f, b)
	default:
		if !d.decodeWANLink(f, b, p.LinkType) {
			f.data(0, len(b), false)
		}
	}
}

func (f *Frame) reset() {
	f.Present, f.Repeated = ProtoSet{}, ProtoSet{}
	f.Layers = f.Layers[:0]
	f.VLANs = f.VLANs[:0]
	f.Payload = nil
	f.MediaConv, f.SDPTrace = 0, nil
	f.Reassembled = nil
	f.Decrypted = f.Decrypted[:0]
	f.RPCMatch = f.RPCMatch[:0]
	f.Anomalies = f.Anomalies[:0]
	f.scratch = f.scratch[:0]
	f.Fragment = false
	f.IMAPPDUStart = false
	f.PDUSegment, f.TLSPDUStart, f.H2PDUStart, f.NBSSPDUStart, f.spnegoKrb5 = false, false, false, false, false
	f.ASN1PDUStart = false
	f.ClearedPDUStart = false
	f.FragFrames = nil
	f.TCP.Short, f.TCP.BadHdrLen = false, false
	f.IP.Reassembled, f.IPv6.Reassembled = false, false
	f.Analysis = Analysis{Stream: -1, WindowSize: -1, WinScale: -1, AckRTT: -1, InitialRTT: -1, BytesInFlight: -1, DNSTime: -1, HTTPTime: -1}
}

// addLayer records a protocol's byte range and sets its Present bit.
func (f *Frame) addLayer(p Proto, off, n int, reasm bool) {
	if f.Present.Has(p) {
		f.Repeated.Add(p)
	}
	f.Present.Add(p)
	f.Layers = append(f.Layers, Layer{Proto: p, Off: off, Len: n, Reasm: reasm})
}

// anomaly notes a decode problem; msg must be a constant string.
func (f *Frame) anomaly(p Proto, off int, msg string) {
	f.Anomalies = append(f.Anomalies, Anomaly{Proto: p, Off: off, Msg: msg})
}

// data marks bytes that no decoder claimed.
func (f *Frame) data(off, n int, reasm bool) {
	if n > 0 {
		f.addLayer(ProtoData, off, n, reasm)
	}
}

// LayerBytes returns the bytes of layer l (aliasing Data or Reassembled).
func (f *Frame) LayerBytes(l Layer) []byte {
	src := f.Data
	if l.Reasm {
		src = f.Reassembled
	}
	if l.Dec {
		src = f.Decrypted
	}
	if l.Off < 0 || l.Off > len(src) {
		return nil
	}
	end := l.Off + l.Len
	if end > len(src) {
		end = len(src)
	}
	return src[l.Off:end]
}

// Layer returns the first layer of protocol p, if present.
func (f *Frame) Layer(p Proto) (Layer, bool) {
	if !f.Has(p) {
		return Layer{}, false
	}
	for _, l := range f.Layers {
		if l.Proto == p {
			return l, true
		}
	}
	return Layer{}, false
}

func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }
func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}
