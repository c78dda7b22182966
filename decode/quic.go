package decode

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"strconv"
)

// QUIC (RFC 9000) on UDP port 443, or any port when a datagram starts with
// a long header of a known version (Wireshark's heuristic). Initial
// packets are protected with keys every observer can derive from the
// client's Destination Connection ID (RFC 9001 section 5.2), so, as
// Wireshark does, they are decrypted here: the CRYPTO frames then give the
// TLS ClientHello or ServerHello (SNI, ALPN, cipher suites) to the TLS
// fields. Other packets stay protected without a key log. The Decoder keeps
// a small table of connections (quicTable): the client's original DCID, its
// Initial keys, and the connection IDs that name short-header packets.

// QUIC is the QUIC content of a datagram: its packets (coalesced packets
// are several).
type QUIC struct {
	Pkts []QUICPacket
}

// QUICPacket is one QUIC packet.
type QUICPacket struct {
	Long      bool
	First     byte // first byte, header protection removed when Decrypted
	Type      uint8
	Version   uint32
	DCID      []byte
	SCID      []byte
	HasSCID   bool
	TokenLen  uint64
	Length    uint64 // long header Length field
	HasLength bool
	PN        uint64
	PNLen     int
	// Unprotected: header protection removed (PN known); Decrypted: the
	// payload too.
	Unprotected bool
	Decrypted   bool
	hdrLen      int    // header length up to the packet number
	Payload     []byte // plaintext frames when Decrypted
	Protected   []byte // the protected rest when not decrypted
	Len         int    // bytes of the datagram this packet takes
	Server      bool
}

// QUIC long packet types (version 1 numbering).
const (
	QUICInitial    = 0
	QUIC0RTT       = 1
	QUICHandshake  = 2
	QUICRetry      = 3
	QUICVersionNeg = 4 // version 0
)

// quicDraftVersion is Wireshark's quic_draft_version: the IETF draft a
// version follows (34 for v1, 100 for v2, 29 for greased 0x?a?a?a?a
// versions, 22/27 for Facebook mvfst and gQUIC Q050/T050/T051), 0 unknown.
func quicDraftVersion(v uint32) int {
	switch {
	case v>>8 == 0xff0000:
		return int(v & 0xff)
	case v == 0xfaceb001:
		return 22
	case v == 0xfaceb002, v == 0xfaceb00e, v == 0x51303530, v == 0x54303530, v == 0x54303531:
		return 27
	case v&0x0f0f0f0f == 0x0a0a0a0a:
		return 29
	case v == 1:
		return 34
	case v == 0x709a50c4, v == 0x6b3343cf:
		return 100
	}
	return 0
}

// QUICLooksLong reports whether p starts with a QUIC long header of a
// version Wireshark's UDP heuristic accepts (draft 11 or later).
func QUICLooksLong(p []byte) bool {
	return len(p) >= 13 && p[0]&0x80 != 0 && quicDraftVersion(be32(p[1:])) >= 11
}

const quicConns = 32

type quicConn struct {
	used       bool
	key        [2]uint64
	last       uint64
	cliHash    uint64 // hash of the client's address and port
	odcid      [20]byte
	odcidLen   int
	retried    bool     // a Retry came: the client's next Initial sets new keys
	cliCID     [20]byte // client's SCID: the DCID of server→client short packets
	cliCIDLen  int
	srvCID     [20]byte // server's SCID: the DCID of client→server short packets
	srvCIDLen  int
	version    uint32
	keysFor    [20]byte // DCID the keys were derived from
	keysForLen int
	keyVer     uint32
	aead       [2]cipher.AEAD // client, server
	hp         [2]cipher.Block
	iv         [2][12]byte
	crypto     [2]cryptoStream // the Initial CRYPTO stream of each side
}

// cryptoStream rebuilds the start of a side's Initial CRYPTO stream from
// frames that may arrive in any order and in several packets, until its
// first handshake message is complete.
type cryptoStream struct {
	buf   []byte
	spans [16][2]int
	n     int
	done  bool
}

const cryptoMax = 16 << 10

// add stores data at offset off; it returns the stream's first handshake
// message(s) once they are complete for the first time, else nil.
func (s *cryptoStream) add(off uint64, data []byte) []byte {
	if s.done || off >= cryptoMax || len(data) == 0 {
		return nil
	}
	end := int(off) + len(data)
	if end > cryptoMax {
		end = cryptoMax
	}
	if len(s.buf) < end {
		if cap(s.buf) < end {
			nb := make([]byte, end, cryptoMax)
			copy(nb, s.buf)
			s.buf = nb
		}
		s.buf = s.buf[:end]
	}
	copy(s.buf[off:end], data)
	lo, hi := int(off), end
	// Merge [lo,hi) into the sorted spans.
	out := 0
	var merged [17][2]int
	placed := false
	for i := 0; i < s.n; i++ {
		sp := s.spans[i]
		switch {
		case sp[1] < lo:
			merged[out] = sp
			out++
		case sp[0] > hi:
			if !placed {
				merged[out] = [2]int{lo, hi}
				out++
				placed = true
			}
			merged[out] = sp
			out++
		default:
			lo, hi = min(lo, sp[0]), max(hi, sp[1])
		}
	}
	if !placed {
		merged[out] = [2]int{lo, hi}
		out++
	}
	if out > len(s.spans) {
		s.done = true
		return nil
	}
	s.n = copy(s.spans[:], merged[:out])
	if s.spans[0][0] != 0 {
		return nil
	}
	have := s.buf[:s.spans[0][1]]
	if len(have) < 4 {
		return nil
	}
	ml := int(have[1])<<16 | int(have[2])<<8 | int(have[3])
	if 4+ml > len(have) {
		return nil
	}
	s.done = true
	return have
}

type quicTable struct {
	conns  []quicConn
	buf    []byte // decrypted payloads of the current datagram
	hdrBuf []byte // a header with its protection removed (the AEAD's additional data)
}

func (t *quicTable) get(f *Frame, create bool) *quicConn {
	if t.conns == nil {
		if !create {
			return nil
		}
		t.conns = make([]quicConn, quicConns)
	}
	a, b := udpEndHash(f, true), udpEndHash(f, false)
	k := [2]uint64{min(a, b), max(a, b)}
	old := 0
	for i := range t.conns {
		c := &t.conns[i]
		if c.used && c.key == k {
			c.last = f.Number
			return c
		}
		if !c.used || (t.conns[old].used && c.last < t.conns[old].last) {
			old = i
		}
	}
	if !create {
		return nil
	}
	c := &t.conns[old]
	*c = quicConn{used: true, key: k, last: f.Number, cliHash: a}
	return c
}

// decodeQUIC parses the QUIC packets of datagram p into f.QUIC.
func (d *Decoder) decodeQUIC(f *Frame, p []byte) bool {
	if len(p) == 0 {
		return false
	}
	q := &f.QUIC
	q.Pkts = q.Pkts[:0]
	t := &d.quic
	t.buf = t.buf[:0]
	var c *quicConn
	if p[0]&0x80 != 0 {
		c = t.get(f, true)
	} else {
		c = t.get(f, false)
	}
	server := c != nil && c.cliHash != udpEndHash(f, true)
	var hello []byte // a side's first handshake messages, complete with this datagram
	off := 0
	for off < len(p) && len(q.Pkts) < 4 {
		b := p[off:]
		var pk QUICPacket
		pk.Server = server
		if b[0]&0x80 == 0 {
			d.quicShort(&pk, b, c, server)
			pk.Len = len(b)
			q.Pkts = append(q.Pkts, pk)
			break
		}
		if !quicLong(&pk, b) {
			break
		}
		if c != nil && pk.Type == QUICInitial {
			if !server {
				if c.odcidLen == 0 || c.retried {
					// Initial keys come from the first DCID the client
					// chose, or the one a Retry gave it.
					c.odcidLen = copy(c.odcid[:], pk.DCID)
					c.retried = false
				}
				c.cliCIDLen = copy(c.cliCID[:], pk.SCID)
				c.version = pk.Version
			} else if pk.HasSCID {
				c.srvCIDLen = copy(c.srvCID[:], pk.SCID)
			}
			if d.quicUnprotect(&pk, b, c, server) {
				side := 0
				if server {
					side = 1
				}
				EachQUICFrame(pk.Payload, func(fr QUICFrame) bool {
					if fr.Type == 6 {
						if h := c.crypto[side].add(fr.Offset, fr.Data); h != nil {
							hello = h
						}
					}
					return true
				})
			}
		} else if c != nil && pk.Type == QUICHandshake && server && pk.HasSCID {
			c.srvCIDLen = copy(c.srvCID[:], pk.SCID)
		} else if c != nil && pk.Type == QUICRetry && server {
			c.retried = true
		}
		q.Pkts = append(q.Pkts, pk)
		if pk.Len <= 0 {
			break
		}
		off += pk.Len
	}
	if rep := int(f.UDP.Length) - 8; len(q.Pkts) > 0 && rep > len(p) {
		// The capture cut the datagram: the last packet runs to its
		// reported end.
		if last := &q.Pkts[len(q.Pkts)-1]; !last.Long || !last.HasLength {
			last.Len += rep - len(p)
		}
	}
	if len(q.Pkts) == 0 {
		return false
	}
	for i := range q.Pkts {
		if pk := &q.Pkts[i]; pk.Decrypted {
			// the decoder's buffer is the next datagram's: the frame
			// keeps its own copy (its columns may be formatted later)
			pk.Payload = f.keep(pk.Payload)
		}
	}
	f.Present.Add(ProtoQUIC)
	f.addAppLayer(ProtoQUIC, p)
	if len(hello) > 0 {
		quicTLS(f, hello, server)
	}
	return true
}

// quicLong parses a long header packet at b (protected fields left alone).
func quicLong(pk *QUICPacket, b []byte) bool {
	if len(b) < 7 {
		return false
	}
	pk.Long, pk.First = true, b[0]
	pk.Version = be32(b[1:])
	o := 5
	n := int(b[o])
	o++
	if o+n > len(b) || n > 20 {
		return false
	}
	pk.DCID = b[o : o+n]
	o += n
	if o >= len(b) {
		return false
	}
	n = int(b[o])
	o++
	if o+n > len(b) || n > 20 {
		return false
	}
	pk.SCID, pk.HasSCID = b[o:o+n], true
	o += n
	if pk.Version == 0 {
		pk.Type = QUICVersionNeg
		pk.Len = len(b)
		return true
	}
	pk.Type = b[0] >> 4 & 3
	if pk.Version == 0x6b3343cf { // QUIC v2 renumbers the types
		pk.Type = [4]uint8{QUICRetry, QUICInitial, QUIC0RTT, QUICHandshake}[pk.Type]
	}
	if pk.Type == QUICRetry {
		pk.Len = len(b)
		return true
	}
	if pk.Type == QUICInitial {
		v, k := quicVarint(b[o:])
		if k == 0 {
			return false
		}
		pk.TokenLen = v
		o += k
		if v > uint64(len(b)-o) {
			return false
		}
		o += int(v)
	}
	v, k := quicVarint(b[o:])
	if k == 0 {
		return false
	}
	pk.Length, pk.HasLength = v, true
	o += k
	pk.hdrLen = o
	end := o + int(min(v, uint64(len(b))))
	if end > len(b) {
		end = len(b)
	}
	pk.Protected = b[o:end]
	pk.Len = o + int(min(v, 1<<20)) // on the wire, whatever the capture kept
	return true
}

// quicShort parses a short header packet: its DCID is the connection ID
// the peer chose, known from the connection's long packets.
func (d *Decoder) quicShort(pk *QUICPacket, b []byte, c *quicConn, server bool) {
	pk.First = b[0]
	n := 0
	if c != nil {
		if server {
			n = c.cliCIDLen
		} else {
			n = c.srvCIDLen
		}
	}
	if n < 8 {
		// tshark 4.0 does not match a short header packet to its
		// connection by a connection ID shorter than 8 bytes (seen on
		// quic-go's 4-byte IDs): it shows no DCID, and neither does this.
		n = 0
	}
	if 1+n > len(b) {
		n = len(b) - 1
	}
	pk.DCID = b[1 : 1+n]
	pk.Protected = b[1+n:]
}

// quicVarint reads a QUIC variable-length integer; n is 0 when b is short.
func quicVarint(b []byte) (v uint64, n int) {
	if len(b) == 0 {
		return 0, 0
	}
	n = 1 << (b[0] >> 6)
	if len(b) < n {
		return 0, 0
	}
	v = uint64(b[0] & 0x3f)
	for _, c := range b[1:n] {
		v = v<<8 | uint64(c)
	}
	return v, n
}

var (
	quicSaltV1      = []byte{0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a}
	quicSaltV2      = []byte{0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93, 0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9}
	quicSaltDraft23 = []byte{0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7, 0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02}
	quicSaltDraft22 = []byte{0x7f, 0xbc, 0xdb, 0x0e, 0x7c, 0x66, 0xbb, 0xe9, 0x19, 0x3a, 0x96, 0xcd, 0x21, 0x51, 0x9e, 0xbd, 0x7a, 0x02, 0x64, 0x4a}
	quicSaltDraft   = []byte{0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97, 0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99}
)

// hkdfExpandLabel is TLS 1.3's HKDF-Expand-Label with an empty context.
func hkdfExpandLabel(secret []byte, label string, n int) []byte {
	info := make([]byte, 0, 4+6+len(label))
	info = append(info, byte(n>>8), byte(n), byte(6+len(label)))
	info = append(info, "tls13 "...)
	info = append(info, label...)
	info = append(info, 0)
	out, _ := hkdf.Expand(sha256.New, secret, string(info), n)
	return out
}

// quicKeys derives the Initial keys of both sides from dcid (allocating:
// once per connection and DCID).
func (c *quicConn) quicKeys(dcid []byte, version uint32) bool {
	if c.aead[0] != nil && c.keyVer == version && string(c.keysFor[:c.keysForLen]) == string(dcid) {
		return true
	}
	// the salt of the draft the version follows, as Wireshark picks it
	salt, pfx := quicSaltV1, "quic "
	switch d := quicDraftVersion(version); {
	case version == 0x6b3343cf:
		salt, pfx = quicSaltV2, "quicv2 "
	case d >= 33:
	case d >= 29:
		salt = quicSaltDraft
	case d >= 23:
		salt = quicSaltDraft23
	default:
		salt = quicSaltDraft22
	}
	initial, err := hkdf.Extract(sha256.New, dcid, salt)
	if err != nil {
		return false
	}
	for i, label := range [2]string{"client in", "server in"} {
		secret := hkdfExpandLabel(initial, label, 32)
		blk, err := aes.NewCipher(hkdfExpandLabel(secret, pfx+"key", 16))
		if err != nil {
			return false
		}
		g, err := cipher.NewGCM(blk)
		if err != nil {
			return false
		}
		hp, err := aes.NewCipher(hkdfExpandLabel(secret, pfx+"hp", 16))
		if err != nil {
			return false
		}
		c.aead[i], c.hp[i] = g, hp
		copy(c.iv[i][:], hkdfExpandLabel(secret, pfx+"iv", 12))
	}
	c.keysForLen = copy(c.keysFor[:], dcid)
	c.keyVer = version
	return true
}

// quicUnprotect removes header protection from the Initial packet pk (at
// b) and decrypts its payload into the table's buffer.
func (d *Decoder) quicUnprotect(pk *QUICPacket, b []byte, c *quicConn, server bool) bool {
	if c.odcidLen == 0 || !c.quicKeys(c.odcid[:c.odcidLen], pk.Version) {
		return false
	}
	side := 0
	if server {
		side = 1
	}
	pnOff := pk.hdrLen
	if pnOff+4+16 > len(b) || pk.Length < 20 {
		return false
	}
	var mask [16]byte
	c.hp[side].Encrypt(mask[:], b[pnOff+4:pnOff+20])
	first := b[0] ^ mask[0]&0x0f
	pnLen := int(first&3) + 1
	header := d.quic.hdr(b[:pnOff+pnLen])
	header[0] = first
	var pn uint64
	for i := 0; i < pnLen; i++ {
		header[pnOff+i] ^= mask[1+i]
		pn = pn<<8 | uint64(header[pnOff+i])
	}
	var nonce [12]byte
	nonce = c.iv[side]
	for i := 0; i < 8; i++ {
		nonce[11-i] ^= byte(pn >> (8 * i))
	}
	pk.First, pk.PN, pk.PNLen, pk.Unprotected = first, pn, pnLen, true
	pk.Protected = nil
	if pnOff+int(pk.Length) > len(b) {
		return false // cut by the capture: the header is all there is
	}
	ct := b[pnOff+pnLen : pnOff+int(pk.Length)]
	if len(ct) < 16 {
		return false
	}
	start := len(d.quic.buf)
	out, err := c.aead[side].Open(d.quic.buf, nonce[:], ct, header)
	if err != nil {
		return false
	}
	d.quic.buf = out
	pk.Decrypted = true
	pk.Payload = out[start:len(out):len(out)]
	return true
}

// hdr copies a packet header into the table's header buffer (the AAD with
// header protection removed).
func (t *quicTable) hdr(b []byte) []byte {
	t.hdrBuf = append(t.hdrBuf[:0], b...)
	return t.hdrBuf
}

// QUICFrame is one frame of a decrypted QUIC payload.
type QUICFrame struct {
	Type   uint64
	Len    int    // bytes the frame takes (PADDING: the run of zero bytes)
	Offset uint64 // CRYPTO, STREAM
	Data   []byte // CRYPTO data
	Stream uint64
}

// EachQUICFrame calls fn for each frame of payload; ok is false when a
// frame could not be parsed (the walk stops there).
func EachQUICFrame(payload []byte, fn func(fr QUICFrame) bool) (n int, ok bool) {
	b := payload
	for len(b) > 0 {
		t, k := quicVarint(b)
		if k == 0 {
			return n, false
		}
		fr := QUICFrame{Type: t}
		o := k
		switch {
		case t == 0:
			for o < len(b) && b[o] == 0 {
				o++
			}
		case t == 1 || t == 0x1e:
		case t == 2 || t == 3:
			var cnt uint64
			for i := 0; i < 4; i++ { // largest, delay, range count, first range
				v, k := quicVarint(b[o:])
				if k == 0 {
					return n, false
				}
				if i == 2 {
					cnt = v
				}
				o += k
			}
			for i := uint64(0); i < 2*cnt; i++ {
				_, k := quicVarint(b[o:])
				if k == 0 {
					return n, false
				}
				o += k
			}
			if t == 3 {
				for i := 0; i < 3; i++ {
					_, k := quicVarint(b[o:])
					if k == 0 {
						return n, false
					}
					o += k
				}
			}
		case t == 6:
			off, k := quicVarint(b[o:])
			if k == 0 {
				return n, false
			}
			o += k
			l, k := quicVarint(b[o:])
			if k == 0 || l > uint64(len(b)-o-k) {
				return n, false
			}
			o += k
			fr.Offset, fr.Data = off, b[o:o+int(l)]
			o += int(l)
		case t == 0x1c || t == 0x1d:
			for i := 0; i < 2; i++ {
				_, k := quicVarint(b[o:])
				if k == 0 {
					return n, false
				}
				o += k
			}
			if t == 0x1c {
				_, k := quicVarint(b[o:])
				if k == 0 {
					return n, false
				}
				o += k
			}
			l, k := quicVarint(b[o:])
			if k == 0 || l > uint64(len(b)-o-k) {
				return n, false
			}
			o += k + int(l)
		default:
			return n, false
		}
		fr.Len = o
		n++
		if !fn(fr) {
			return n, true
		}
		b = b[o:]
	}
	return n, true
}

// quicTLS decodes the TLS handshake messages of an Initial's CRYPTO data
// (a ClientHello or ServerHello) into f.TLS, as Wireshark shows them
// under QUIC.
func quicTLS(f *Frame, hs []byte, server bool) {
	if len(hs) < 4 {
		return
	}
	t := &f.TLS
	resetTLS(t, TLSHandshake, 0)
	alpn, msgs := t.ALPN, t.Msgs
	any := false
	for len(hs) >= 4 {
		ht := hs[0]
		ml := int(hs[1])<<16 | int(hs[2])<<8 | int(hs[3])
		if 4+ml > len(hs) || tlsHandshakeName(ht) == "" {
			break
		}
		msg := hs[4 : 4+ml]
		hs = hs[4+ml:]
		if t.HandshakeType == 0 {
			t.HandshakeType = ht
		}
		switch ht {
		case TLSClientHello, TLSServerHello:
			if t.HelloVersion == 0 {
				alpn = t.parseHello(msg, ht == TLSServerHello, alpn)
			}
		}
		msgs = appendTLSMsg(msgs, TLSMsg{Content: TLSHandshake, Handshake: ht})
		any = true
	}
	t.ALPN, t.Msgs = alpn, msgs
	if any {
		f.Present.Add(ProtoTLS)
		f.Layers = append(f.Layers, Layer{Proto: ProtoTLS})
	}
}

var quicTypeNames = [...]string{"Initial", "0-RTT", "Handshake", "Retry", "Version Negotiation"}

// appendQUICInfo writes Wireshark's Info text: "Initial, DCID=..., SCID=...,
// PKN: 0, CRYPTO, PADDING"; "Protected Payload (KP0), DCID=..." for short
// headers.
func appendQUICInfo(dst []byte, q *QUIC) []byte {
	// Each packet of a datagram rewrites the column: the last one shows.
	for i := len(q.Pkts) - 1; i < len(q.Pkts); i++ {
		pk := &q.Pkts[i]
		if !pk.Long {
			kp := 0 // the key phase bit is under header protection
			if pk.Decrypted {
				kp = int(pk.First >> 2 & 1)
			}
			dst = append(dst, "Protected Payload (KP"...)
			dst = strconv.AppendUint(dst, uint64(kp), 10)
			dst = append(dst, ')')
		} else {
			dst = append(dst, quicTypeNames[pk.Type]...)
		}
		if len(pk.DCID) > 0 {
			dst = append(dst, ", DCID="...)
			dst = appendHexBytes(dst, pk.DCID)
		}
		if len(pk.SCID) > 0 {
			dst = append(dst, ", SCID="...)
			dst = appendHexBytes(dst, pk.SCID)
		}
		if !pk.Unprotected {
			continue
		}
		dst = append(dst, ", PKN: "...)
		dst = strconv.AppendUint(dst, pk.PN, 10)
		if !pk.Decrypted {
			continue
		}
		EachQUICFrame(pk.Payload, func(fr QUICFrame) bool {
			dst = append(dst, ", "...)
			dst = appendQUICFrameName(dst, fr)
			return true
		})
	}
	return dst
}

func appendQUICFrameName(dst []byte, fr QUICFrame) []byte {
	switch fr.Type {
	case 0:
		return append(dst, "PADDING"...)
	case 1:
		return append(dst, "PING"...)
	case 2:
		return append(dst, "ACK"...)
	case 3:
		return append(dst, "ACK_ECN"...)
	case 6:
		return append(dst, "CRYPTO"...)
	case 0x1c, 0x1d:
		return append(dst, "CC"...)
	case 0x1e:
		return append(dst, "DONE"...)
	}
	dst = append(dst, "Unknown("...)
	dst = strconv.AppendUint(dst, fr.Type, 10)
	return append(dst, ')')
}
