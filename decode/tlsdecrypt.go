package decode

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/binary"
	"hash"

	"golang.org/x/crypto/chacha20poly1305"
)

// TLS decryption with a key log (Options.KeyLog), the way Wireshark's TLS
// dissector does it with tls.keylog_file: package flow feeds each direction's
// in-order TCP bytes of a connection to TLSDecrypt.Segment; records are
// rebuilt across segments, the hellos give the client random, the cipher
// suite and the version, and the key log the secrets. Decrypted application
// data goes to HTTP/1.x (decodeHTTP) or HTTP/2 (http2.go), chosen by ALPN
// (from the ServerHello, or in TLS 1.3 the decrypted EncryptedExtensions),
// and messages are rebuilt across records: each shows on the frame whose
// record completes it, as tshark shows it.
//
// Supported: TLS 1.2 AEAD suites (AES-128/256-GCM and ChaCha20-Poly1305 with
// ECDHE, DHE or RSA key exchange), AES-CBC suites with SHA-1/SHA-256/SHA-384
// MACs in TLS 1.0-1.2 (MAC-then-encrypt, or encrypt-then-MAC when the
// ServerHello agrees to it; the MAC is checked), and TLS 1.3 (AES-128-GCM,
// AES-256-GCM, ChaCha20-Poly1305) with key updates. SSL 3, RC4/3DES,
// 0-RTT data and DTLS are left encrypted. The key schedule is hand-written
// (the TLS 1.2 PRF and HKDF-Expand-Label, a few lines each on crypto/hmac and
// crypto/hkdf): crypto/tls does not expose it for someone else's session.
//
// Cost: nothing without a key log (flow allocates no TLSDecrypt). With one,
// a connection keeps its partial record and undelivered plaintext; record
// decryption allocates nothing per record once buffers have grown, HPACK
// allocates its header strings.

// tlsSuite describes an AEAD cipher suite.
type tlsSuite struct {
	id      uint16
	keyLen  int
	ivLen   int  // TLS 1.2 fixed IV bytes from the key block (4 for GCM, 12 for ChaCha20)
	chacha  bool // ChaCha20-Poly1305, else AES-GCM
	sha384  bool // the PRF / HKDF hash
	tls13   bool
	explict bool // TLS 1.2 GCM: 8-byte explicit nonce in each record
	// CBC suites (MAC-then-encrypt, or encrypt-then-MAC when negotiated):
	// macLen is the HMAC size (SHA-1 20, SHA-256 32, SHA-384 48).
	cbc    bool
	macLen int
}

var tlsSuites = []tlsSuite{
	{id: 0x1301, keyLen: 16, ivLen: 12, tls13: true},
	{id: 0x1302, keyLen: 32, ivLen: 12, tls13: true, sha384: true},
	{id: 0x1303, keyLen: 32, ivLen: 12, tls13: true, chacha: true},
	{id: 0xc02f, keyLen: 16, ivLen: 4, explict: true},               // ECDHE_RSA_WITH_AES_128_GCM_SHA256
	{id: 0xc030, keyLen: 32, ivLen: 4, explict: true, sha384: true}, // ECDHE_RSA_WITH_AES_256_GCM_SHA384
	{id: 0xc02b, keyLen: 16, ivLen: 4, explict: true},               // ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
	{id: 0xc02c, keyLen: 32, ivLen: 4, explict: true, sha384: true}, // ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
	{id: 0x009c, keyLen: 16, ivLen: 4, explict: true},               // RSA_WITH_AES_128_GCM_SHA256
	{id: 0x009d, keyLen: 32, ivLen: 4, explict: true, sha384: true}, // RSA_WITH_AES_256_GCM_SHA384
	{id: 0x009e, keyLen: 16, ivLen: 4, explict: true},               // DHE_RSA_WITH_AES_128_GCM_SHA256
	{id: 0x009f, keyLen: 32, ivLen: 4, explict: true, sha384: true}, // DHE_RSA_WITH_AES_256_GCM_SHA384
	{id: 0xc013, keyLen: 16, cbc: true, macLen: 20},                 // ECDHE_RSA_WITH_AES_128_CBC_SHA
	{id: 0xc014, keyLen: 32, cbc: true, macLen: 20},                 // ECDHE_RSA_WITH_AES_256_CBC_SHA
	{id: 0xc009, keyLen: 16, cbc: true, macLen: 20},                 // ECDHE_ECDSA_WITH_AES_128_CBC_SHA
	{id: 0xc00a, keyLen: 32, cbc: true, macLen: 20},                 // ECDHE_ECDSA_WITH_AES_256_CBC_SHA
	{id: 0xc027, keyLen: 16, cbc: true, macLen: 32},                 // ECDHE_RSA_WITH_AES_128_CBC_SHA256
	{id: 0xc028, keyLen: 32, cbc: true, macLen: 48, sha384: true},   // ECDHE_RSA_WITH_AES_256_CBC_SHA384
	{id: 0xc023, keyLen: 16, cbc: true, macLen: 32},                 // ECDHE_ECDSA_WITH_AES_128_CBC_SHA256
	{id: 0xc024, keyLen: 32, cbc: true, macLen: 48, sha384: true},   // ECDHE_ECDSA_WITH_AES_256_CBC_SHA384
	{id: 0x002f, keyLen: 16, cbc: true, macLen: 20},                 // RSA_WITH_AES_128_CBC_SHA
	{id: 0x0035, keyLen: 32, cbc: true, macLen: 20},                 // RSA_WITH_AES_256_CBC_SHA
	{id: 0x003c, keyLen: 16, cbc: true, macLen: 32},                 // RSA_WITH_AES_128_CBC_SHA256
	{id: 0x003d, keyLen: 32, cbc: true, macLen: 32},                 // RSA_WITH_AES_256_CBC_SHA256
	{id: 0x0033, keyLen: 16, cbc: true, macLen: 20},                 // DHE_RSA_WITH_AES_128_CBC_SHA
	{id: 0x0039, keyLen: 32, cbc: true, macLen: 20},                 // DHE_RSA_WITH_AES_256_CBC_SHA
	{id: 0x0067, keyLen: 16, cbc: true, macLen: 32},                 // DHE_RSA_WITH_AES_128_CBC_SHA256
	{id: 0x006b, keyLen: 32, cbc: true, macLen: 32},                 // DHE_RSA_WITH_AES_256_CBC_SHA256
	{id: 0xcca8, keyLen: 32, ivLen: 12, chacha: true},               // ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256
	{id: 0xcca9, keyLen: 32, ivLen: 12, chacha: true},               // ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
	{id: 0xccaa, keyLen: 32, ivLen: 12, chacha: true},               // DHE_RSA_WITH_CHACHA20_POLY1305_SHA256
}

func findSuite(id uint16) *tlsSuite {
	for i := range tlsSuites {
		if tlsSuites[i].id == id {
			return &tlsSuites[i]
		}
	}
	return nil
}

func (s *tlsSuite) hash() func() hash.Hash {
	if s.sha384 {
		return sha512.New384
	}
	return sha256.New
}

// macHash is the record MAC's hash of a CBC suite.
func (s *tlsSuite) macHash() func() hash.Hash {
	switch s.macLen {
	case 20:
		return sha1.New
	case 48:
		return sha512.New384
	}
	return sha256.New
}

func (s *tlsSuite) aead(key []byte) cipher.AEAD {
	if s.chacha {
		a, err := chacha20poly1305.New(key)
		if err != nil {
			return nil
		}
		return a
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil
	}
	a, err := cipher.NewGCM(b)
	if err != nil {
		return nil
	}
	return a
}

// prf12 is the TLS 1.2 PRF (RFC 5246 section 5): P_hash(secret, label+seed).
func prf12(h func() hash.Hash, secret []byte, label string, seed []byte, n int) []byte {
	ls := append([]byte(label), seed...)
	out := make([]byte, 0, n+64)
	mac := hmac.New(h, secret)
	mac.Write(ls)
	a := mac.Sum(nil)
	for len(out) < n {
		mac.Reset()
		mac.Write(a)
		mac.Write(ls)
		out = mac.Sum(out)
		mac.Reset()
		mac.Write(a)
		a = mac.Sum(a[:0])
	}
	return out[:n]
}

// expandLabel is TLS 1.3's HKDF-Expand-Label (RFC 8446 section 7.1) with an empty context.
func expandLabel(h func() hash.Hash, secret []byte, label string, n int) []byte {
	info := make([]byte, 0, 4+6+len(label))
	info = binary.BigEndian.AppendUint16(info, uint16(n))
	info = append(info, byte(6+len(label)))
	info = append(info, "tls13 "...)
	info = append(info, label...)
	info = append(info, 0)
	out, err := hkdf.Expand(h, secret, string(info), n)
	if err != nil {
		return nil
	}
	return out
}

// TLSDecrypt is the decryption state of one TCP connection (both
// directions, indexed as package flow indexes them). The zero value is not
// ready: use Decoder.NewTLSDecrypt.
type TLSDecrypt struct {
	kl      *KeyLog
	client  int8 // direction that sent the ClientHello; -1 unknown
	cr, sr  [32]byte
	haveCR  bool
	version uint16
	suite   *tlsSuite
	alpn    uint8 // 0 unknown, alpnH1, alpnH2
	etm     bool  // encrypt_then_mac negotiated (CBC suites)
	dirs    [2]tlsDecDir
	heads   int // HTTP/1.x HEAD requests not answered yet
	h2      *h2Conn
	plain   bool // HTTP/2 over cleartext TCP (h2c): no records
	// what the records decrypted for the current frame held, for its TLS summary
	recs [16]decRec
	nrec int
	tmp  []TLSMsg
}

// decRec summarises one decrypted record for the frame's TLS Info.
type decRec struct {
	inner       uint8
	hs          [8]uint8 // handshake message types starting in the record
	nhs         uint8
	level, desc uint8 // alert
	partial     bool  // application data that completed no HTTP message
}

const (
	alpnH1 = 1
	alpnH2 = 2
)

// tlsDecDir is one direction of a TLSDecrypt.
type tlsDecDir struct {
	rec  []byte // bytes of a record cut off by the end of a segment
	aead cipher.AEAD
	// CBC suites: the block cipher, the MAC key and (TLS 1.0) the chained IV
	block  cipher.Block
	macKey []byte
	cbcIV  [16]byte
	iv     [12]byte
	seq    uint64
	secret []byte // TLS 1.3: the current traffic secret (key updates derive the next)
	app    bool   // TLS 1.3: application traffic keys are in use
	failed bool   // a record did not decrypt or the stream lost its place: stop
	plain  []byte // decryption scratch
	hs     []byte // TLS 1.3: decrypted handshake bytes not yet a whole message
	data   []byte // decrypted application data not yet a whole message
}

// NewTLSDecrypt returns decryption state for a connection, or nil when the
// Decoder has no key log (package flow then does no TLS work).
func (d *Decoder) NewTLSDecrypt() *TLSDecrypt {
	if d.opts.KeyLog == nil {
		return nil
	}
	return &TLSDecrypt{kl: d.opts.KeyLog, client: -1}
}

// Reset forgets direction dir's partial record and message after a gap in
// the stream; the direction cannot be decrypted again (its record sequence
// number is lost).
func (s *TLSDecrypt) Reset(dir int) {
	x := &s.dirs[dir&1]
	x.rec, x.data, x.hs = x.rec[:0], x.data[:0], x.hs[:0]
	if x.aead != nil {
		x.failed = true
	}
	// h2c carries on: the next segment after the gap is read as starting a frame
}

// NewH2C returns the state of an HTTP/2 connection over cleartext TCP
// (h2c, RFC 9113 3.3 prior knowledge or an HTTP/1.1 Upgrade) whose client
// sends in direction client. Package flow feeds it with H2CSegment.
func (d *Decoder) NewH2C(client int) *TLSDecrypt {
	return &TLSDecrypt{client: int8(client & 1), alpn: alpnH2, plain: true}
}

// Cleartext reports whether s is an h2c connection (NewH2C).
func (s *TLSDecrypt) Cleartext() bool { return s.plain }

// H2CSegment takes the next in-order bytes p of direction dir of an h2c
// connection, carried by frame f, and decodes the HTTP/2 frames they complete.
func (d *Decoder) H2CSegment(s *TLSDecrypt, dir int, f *Frame, p []byte) {
	x := &s.dirs[dir&1]
	if x.failed || len(p) == 0 {
		return
	}
	pending := len(x.data) > 0
	d.appData(s, dir, f, p)
	if f.Has(ProtoHTTP2) {
		// Wireshark reaches HTTP/2 on an HTTP port through the HTTP dissector
		f.HTTP2.ViaHTTP = f.Has(ProtoTCP) && (httpPort(f.TCP.SrcPort) || httpPort(f.TCP.DstPort))
		return
	}
	if len(x.data) > 0 {
		// bytes of a frame that later segments complete
		f.PDUSegment = true
		f.H2PDUStart = !pending
	}
}

// H2Preface reports whether b starts with the HTTP/2 connection preface.
func H2Preface(b []byte) bool {
	return len(b) >= len(h2Preface) && b[0] == 'P' && string(b[:len(h2Preface)]) == h2Preface
}

// H2CUpgradeRequest reports whether f holds an HTTP/1.1 request asking to
// upgrade to h2c (Upgrade: h2c), after which a 101 response switches the
// connection to HTTP/2 (Wireshark switches only when it saw the request).
func H2CUpgradeRequest(f *Frame) bool {
	if !f.Has(ProtoHTTP) || !f.HTTP.Request {
		return false
	}
	for _, hv := range f.HTTP.Headers {
		if len(hv[0]) == 7 && string(appendLower(nil, hv[0])) == "upgrade" && containsFold(hv[1], []byte("h2c")) {
			return true
		}
	}
	return false
}

// H2CUpgrade reports whether f holds, at the start of its payload p, an
// HTTP/1.1 "101 Switching Protocols" response upgrading to h2c, and returns
// the bytes after its head (HTTP/2 frames from the server).
func H2CUpgrade(f *Frame, p []byte) ([]byte, bool) {
	if !f.Has(ProtoHTTP) || !f.HTTP.Response || f.HTTP.StatusCode != 101 {
		return nil, false
	}
	h := &f.HTTP
	up := false
	for _, hv := range h.Headers {
		if len(hv[0]) == 7 && string(appendLower(nil, hv[0])) == "upgrade" && containsFold(hv[1], []byte("h2c")) {
			up = true
		}
	}
	if !up || h.HeadLen > len(p) || !HTTPStart(p) {
		return nil, up
	}
	return p[h.HeadLen:], true
}

// tlsDecMax bounds what a direction holds: a record, or a message being rebuilt.
const tlsDecMax = 1 << 20

// Segment takes p, the next in-order payload bytes of direction dir carried
// by frame f (after AppStream has decoded them), decrypts the records it
// completes and decodes what they carry into f.
func (d *Decoder) TLSSegment(s *TLSDecrypt, dir int, f *Frame, p []byte) {
	x := &s.dirs[dir&1]
	if x.failed || len(p) == 0 {
		return
	}
	s.nrec = 0
	defer s.summarise(f)
	if len(x.rec) > 0 {
		need := tlsRecordHeader
		if len(x.rec) >= tlsRecordHeader {
			need += int(binary.BigEndian.Uint16(x.rec[3:]))
		}
		if len(x.rec) < tlsRecordHeader {
			n := min(need-len(x.rec), len(p))
			x.rec = append(x.rec, p[:n]...)
			p = p[n:]
			if len(x.rec) < tlsRecordHeader {
				return
			}
			need += int(binary.BigEndian.Uint16(x.rec[3:]))
		}
		n := min(need-len(x.rec), len(p))
		x.rec = append(x.rec, p[:n]...)
		p = p[n:]
		if len(x.rec) < need {
			return
		}
		if !d.tlsRecord(s, dir, f, x.rec) {
			return
		}
		x.rec = x.rec[:0]
	}
	for len(p) > 0 {
		if len(p) < tlsRecordHeader {
			x.rec = append(x.rec[:0], p...)
			return
		}
		if !TLSRecordStart(p) {
			x.failed = true // lost the record boundaries
			return
		}
		n := tlsRecordHeader + int(binary.BigEndian.Uint16(p[3:]))
		if n > len(p) {
			x.rec = append(x.rec[:0], p...)
			return
		}
		if !d.tlsRecord(s, dir, f, p[:n]) {
			return
		}
		p = p[n:]
	}
}

// tlsRecord handles one complete record; false stops the direction.
func (d *Decoder) tlsRecord(s *TLSDecrypt, dir int, f *Frame, rec []byte) bool {
	x := &s.dirs[dir&1]
	typ := rec[0]
	body := rec[tlsRecordHeader:]
	if x.aead == nil {
		switch typ {
		case TLSHandshake:
			s.plainHandshake(dir, body)
		case TLSChangeCipherSpec:
			if s.version != 0 && s.version < 0x0304 {
				s.keys12(dir)
			}
		}
		return true
	}
	if typ == TLSChangeCipherSpec && s.version == 0x0304 {
		return true // TLS 1.3 middlebox compatibility: never encrypted
	}
	pt, inner, ok := s.open(x, rec)
	if !ok {
		x.failed = true
		return false
	}
	var r decRec
	r.inner = inner
	switch inner {
	case TLSHandshake:
		for b := pt; len(b) >= 4 && int(r.nhs) < len(r.hs); {
			r.hs[r.nhs] = b[0]
			r.nhs++
			n := 4 + (int(b[1])<<16 | int(b[2])<<8 | int(b[3]))
			if n > len(b) {
				break
			}
			b = b[n:]
		}
		if s.version == 0x0304 {
			s.handshake13(dir, pt)
		}
	case TLSAlert:
		if len(pt) >= 2 {
			r.level, r.desc = pt[0], pt[1]
		}
	case TLSApplicationData:
		h1, h2 := f.Has(ProtoHTTP), len(f.HTTP2.Frames)
		if !f.Has(ProtoHTTP2) {
			h2 = 0
		}
		d.appData(s, dir, f, pt)
		done := f.Has(ProtoHTTP) != h1 || (f.Has(ProtoHTTP2) && len(f.HTTP2.Frames) != h2) || (f.Has(ProtoHTTP2) && h2 == 0 && f.HTTP2.Magic)
		r.partial = s.alpn != 0 && !done && len(x.data) > 0
	}
	if s.nrec < len(s.recs) {
		s.recs[s.nrec] = r
		s.nrec++
	}
	return true
}

// summarise rewrites f's TLS summary (TLS.Msgs, built by the record decoder
// from the ciphertext) with what the records decrypted in f held: handshake
// message names, alerts, and "[TLS segment of a reassembled PDU]" for
// application data that only continues an HTTP message, as tshark does with
// a key log. The n-th encrypted record entry of f is the n-th record
// decrypted for f: both walk the same complete records in order.
func (s *TLSDecrypt) summarise(f *Frame) {
	if s.nrec == 0 || !f.Has(ProtoTLS) {
		return
	}
	t := &f.TLS
	s.tmp = append(s.tmp[:0], t.Msgs...)
	t.Msgs = t.Msgs[:0]
	j := 0
	for _, m := range s.tmp {
		if !m.RecordStart || !(m.Encrypted || m.Content == TLSApplicationData) || j >= s.nrec {
			t.Msgs = appendTLSMsg(t.Msgs, m)
			continue
		}
		r := &s.recs[j]
		j++
		m.Decrypted, m.Encrypted, m.Content = true, false, r.inner
		switch r.inner {
		case TLSHandshake:
			for k := 0; k < int(r.nhs); k++ {
				e := m
				e.RecordStart = k == 0
				e.Handshake = r.hs[k]
				t.Msgs = appendTLSMsg(t.Msgs, e)
				if t.HandshakeType == 0 {
					t.HandshakeType = r.hs[k]
				}
			}
			if r.nhs == 0 {
				t.Msgs = appendTLSMsg(t.Msgs, m)
			}
		case TLSAlert:
			if !t.HasAlert {
				t.HasAlert, t.AlertLevel, t.AlertDesc = true, r.level, r.desc
			}
			t.Msgs = appendTLSMsg(t.Msgs, m)
		default:
			m.Partial = r.partial
			t.Msgs = appendTLSMsg(t.Msgs, m)
		}
	}
}

// open decrypts rec in x's scratch buffer and returns the plaintext and its content type.
func (s *TLSDecrypt) open(x *tlsDecDir, rec []byte) ([]byte, uint8, bool) {
	typ := rec[0]
	body := rec[tlsRecordHeader:]
	if x.block != nil {
		pt, ok := s.openCBC(x, rec)
		return pt, typ, ok
	}
	var nonce [12]byte
	var aad [13]byte
	var adata []byte
	tag := x.aead.Overhead()
	if s.version == 0x0304 {
		nonce = x.iv
		for i := 0; i < 8; i++ {
			nonce[4+i] ^= byte(x.seq >> (56 - 8*i))
		}
		adata = rec[:tlsRecordHeader]
	} else {
		if s.suite.explict {
			if len(body) < 8+tag {
				return nil, 0, false
			}
			copy(nonce[:4], x.iv[:4])
			copy(nonce[4:], body[:8])
			body = body[8:]
		} else {
			nonce = x.iv
			for i := 0; i < 8; i++ {
				nonce[4+i] ^= byte(x.seq >> (56 - 8*i))
			}
		}
		if len(body) < tag {
			return nil, 0, false
		}
		binary.BigEndian.PutUint64(aad[:], x.seq)
		aad[8] = typ
		aad[9], aad[10] = rec[1], rec[2]
		binary.BigEndian.PutUint16(aad[11:], uint16(len(body)-tag))
		adata = aad[:]
	}
	pt, err := x.aead.Open(x.plain[:0], nonce[:], body, adata)
	if err != nil {
		return nil, 0, false
	}
	x.plain = pt[:0]
	x.seq++
	if s.version != 0x0304 {
		return pt, typ, true
	}
	// TLSInnerPlaintext: content, the real type, zero padding.
	i := len(pt) - 1
	for i >= 0 && pt[i] == 0 {
		i--
	}
	if i < 0 {
		return nil, 0, false
	}
	return pt[:i], pt[i], true
}

// plainHandshake reads the hellos from a plaintext handshake record.
func (s *TLSDecrypt) plainHandshake(dir int, b []byte) {
	for len(b) >= 4 {
		ht := b[0]
		n := int(b[1])<<16 | int(b[2])<<8 | int(b[3])
		if 4+n > len(b) {
			return
		}
		m := b[4 : 4+n]
		b = b[4+n:]
		switch ht {
		case TLSClientHello:
			if len(m) >= 34 {
				s.client = int8(dir & 1)
				s.cr = [32]byte(m[2:34])
				s.haveCR = true
				s.version, s.suite = 0, nil
			}
		case TLSServerHello:
			var t TLS
			var alpn [1][]byte
			if len(m) < 34 || [32]byte(m[2:34]) == tlsHRRRandom {
				continue
			}
			s.sr = [32]byte(m[2:34])
			got := t.parseHello(m, true, alpn[:0])
			s.version = t.HelloVersion
			if t.SupportedVersion != 0 {
				s.version = t.SupportedVersion
			}
			s.suite = findSuite(t.CipherSuite)
			s.etm = helloHasExt(m, 22)
			if len(got) > 0 {
				s.setALPN(got[0])
			}
			if s.version == 0x0304 {
				s.keys13(false)
			}
		}
	}
}

// helloHasExt reports whether a ServerHello body carries extension typ.
func helloHasExt(m []byte, typ uint16) bool {
	if len(m) < 35 {
		return false
	}
	p := 35 + int(m[34]) + 3 // session id, cipher suite, compression
	if p+2 > len(m) {
		return false
	}
	end := min(p+2+int(binary.BigEndian.Uint16(m[p:])), len(m))
	for p += 2; p+4 <= end; {
		if binary.BigEndian.Uint16(m[p:]) == typ {
			return true
		}
		p += 4 + int(binary.BigEndian.Uint16(m[p+2:]))
	}
	return false
}

func (s *TLSDecrypt) setALPN(p []byte) {
	switch string(p) {
	case "h2":
		s.alpn = alpnH2
	case "http/1.1", "http/1.0":
		s.alpn = alpnH1
	}
}

// dirOf returns the direction index of the client (client true) or server.
func (s *TLSDecrypt) dirOf(client bool) int {
	c := int(s.client)
	if client {
		return c
	}
	return c ^ 1
}

// keys12 switches direction dir to the TLS 1.2 record keys (after its ChangeCipherSpec).
func (s *TLSDecrypt) keys12(dir int) {
	x := &s.dirs[dir&1]
	if s.suite == nil || s.suite.tls13 || !s.haveCR || s.client < 0 {
		x.failed = true
		return
	}
	ms := s.kl.get(klMaster, &s.cr)
	if len(ms) != 48 {
		x.failed = true
		return
	}
	seed := append(append(make([]byte, 0, 64), s.sr[:]...), s.cr[:]...)
	if s.suite.cbc {
		s.keysCBC(dir, ms, seed)
		return
	}
	kl, il := s.suite.keyLen, s.suite.ivLen
	kb := prf12(s.suite.hash(), ms, "key expansion", seed, 2*kl+2*il)
	key, iv := kb[:kl], kb[2*kl:2*kl+il]
	if dir != s.dirOf(true) {
		key, iv = kb[kl:2*kl], kb[2*kl+il:2*kl+2*il]
	}
	x.aead = s.suite.aead(key)
	copy(x.iv[:], iv)
	x.seq = 0
	if x.aead == nil {
		x.failed = true
	}
}

// keysCBC sets direction dir's keys for a CBC suite: the key block is
// client MAC key, server MAC key, client key, server key, and for TLS 1.0
// the client and server IVs (later versions send an IV in each record).
func (s *TLSDecrypt) keysCBC(dir int, ms, seed []byte) {
	x := &s.dirs[dir&1]
	ml, kl := s.suite.macLen, s.suite.keyLen
	var kb []byte
	if s.version >= 0x0303 {
		kb = prf12(s.suite.hash(), ms, "key expansion", seed, 2*ml+2*kl+32)
	} else {
		kb = prf10(ms, "key expansion", seed, 2*ml+2*kl+32)
	}
	mac, key, iv := kb[:ml], kb[2*ml:2*ml+kl], kb[2*ml+2*kl:2*ml+2*kl+16]
	if dir != s.dirOf(true) {
		mac, key, iv = kb[ml:2*ml], kb[2*ml+kl:2*ml+2*kl], kb[2*ml+2*kl+16:]
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		x.failed = true
		return
	}
	x.block, x.macKey, x.seq = b, mac, 0
	copy(x.cbcIV[:], iv)
	x.aead = cbcMarker{} // records are now encrypted
}

// cbcMarker stands in x.aead for a CBC suite, so that "encrypted" stays one test.
type cbcMarker struct{ cipher.AEAD }

// prf10 is the TLS 1.0/1.1 PRF: P_MD5 xor P_SHA1 over the two halves of the secret.
func prf10(secret []byte, label string, seed []byte, n int) []byte {
	h := (len(secret) + 1) / 2
	a := prf12(md5.New, secret[:h], label, seed, n)
	b := prf12(sha1.New, secret[len(secret)-h:], label, seed, n)
	for i := range a {
		a[i] ^= b[i]
	}
	return a
}

// openCBC decrypts a CBC record and checks its MAC.
func (s *TLSDecrypt) openCBC(x *tlsDecDir, rec []byte) ([]byte, bool) {
	typ := rec[0]
	body := rec[tlsRecordHeader:]
	ml := s.suite.macLen
	var mac []byte
	if s.etm {
		if len(body) < ml {
			return nil, false
		}
		mac, body = body[len(body)-ml:], body[:len(body)-ml]
		if !s.checkMAC(x, typ, rec[1], rec[2], body, mac) {
			return nil, false
		}
	}
	iv := x.cbcIV[:]
	if s.version >= 0x0302 {
		if len(body) < 16 {
			return nil, false
		}
		iv, body = body[:16], body[16:]
	}
	if len(body) == 0 || len(body)%16 != 0 {
		return nil, false
	}
	pt := append(x.plain[:0], body...)
	x.plain = pt[:0]
	next := [16]byte(body[len(body)-16:])
	cipher.NewCBCDecrypter(x.block, iv).CryptBlocks(pt, pt)
	if s.version < 0x0302 {
		x.cbcIV = next
	}
	pad := int(pt[len(pt)-1]) + 1
	if pad > len(pt) {
		return nil, false
	}
	pt = pt[:len(pt)-pad]
	if !s.etm {
		if len(pt) < ml {
			return nil, false
		}
		mac, pt = pt[len(pt)-ml:], pt[:len(pt)-ml]
		if !s.checkMAC(x, typ, rec[1], rec[2], pt, mac) {
			return nil, false
		}
	}
	x.seq++
	return pt, true
}

// checkMAC verifies a record MAC: HMAC(seq, type, version, length, data).
func (s *TLSDecrypt) checkMAC(x *tlsDecDir, typ, v0, v1 byte, data, mac []byte) bool {
	var hdr [13]byte
	binary.BigEndian.PutUint64(hdr[:], x.seq)
	hdr[8], hdr[9], hdr[10] = typ, v0, v1
	binary.BigEndian.PutUint16(hdr[11:], uint16(len(data)))
	m := hmac.New(s.suite.macHash(), x.macKey)
	m.Write(hdr[:])
	m.Write(data)
	var sum [64]byte
	return hmac.Equal(m.Sum(sum[:0]), mac)
}

// keys13 installs TLS 1.3 handshake (app false) or application traffic keys
// in both directions (handshake) or in one (see finished).
func (s *TLSDecrypt) keys13(app bool) {
	if s.suite == nil || !s.suite.tls13 || !s.haveCR || s.client < 0 {
		s.dirs[0].failed, s.dirs[1].failed = true, true
		return
	}
	s.install(s.dirOf(true), klClientHS)
	s.install(s.dirOf(false), klServerHS)
}

// install sets direction dir's TLS 1.3 keys from the key log secret l.
func (s *TLSDecrypt) install(dir int, l keyLabel) {
	x := &s.dirs[dir&1]
	sec := s.kl.get(l, &s.cr)
	if sec == nil {
		x.failed = true
		return
	}
	s.setSecret(x, sec)
	x.app = l == klClientApp || l == klServerApp
}

func (s *TLSDecrypt) setSecret(x *tlsDecDir, sec []byte) {
	h := s.suite.hash()
	x.secret = sec
	key := expandLabel(h, sec, "key", s.suite.keyLen)
	iv := expandLabel(h, sec, "iv", 12)
	x.aead = nil
	if key != nil && iv != nil {
		x.aead = s.suite.aead(key)
		copy(x.iv[:], iv)
	}
	x.seq = 0
	if x.aead == nil {
		x.failed = true
	}
}

// handshake13 reads decrypted TLS 1.3 handshake messages of direction dir:
// EncryptedExtensions (ALPN), Finished (switch to application keys),
// KeyUpdate (next generation of keys).
func (s *TLSDecrypt) handshake13(dir int, b []byte) {
	x := &s.dirs[dir&1]
	if len(x.hs) > 0 {
		x.hs = append(x.hs, b...)
		b = x.hs
	}
	for len(b) >= 4 {
		ht := b[0]
		n := int(b[1])<<16 | int(b[2])<<8 | int(b[3])
		if 4+n > len(b) {
			break
		}
		m := b[4 : 4+n]
		b = b[4+n:]
		switch ht {
		case 8: // EncryptedExtensions
			s.encryptedExtensions(m)
		case 20: // Finished
			if !x.app {
				l := klServerApp
				if dir == s.dirOf(true) {
					l = klClientApp
				}
				s.install(dir, l)
			}
		case 24: // KeyUpdate
			if x.app && x.secret != nil {
				s.setSecret(x, expandLabel(s.suite.hash(), x.secret, "traffic upd", len(x.secret)))
			}
		}
	}
	if len(b) > 0 && len(b) < tlsDecMax {
		x.hs = append(x.hs[:0], b...)
	} else {
		x.hs = x.hs[:0]
	}
}

func (s *TLSDecrypt) encryptedExtensions(m []byte) {
	if len(m) < 2 {
		return
	}
	end := min(2+int(binary.BigEndian.Uint16(m)), len(m))
	for p := 2; p+4 <= end; {
		typ := binary.BigEndian.Uint16(m[p:])
		n := int(binary.BigEndian.Uint16(m[p+2:]))
		p += 4
		if p+n > end {
			return
		}
		ext := m[p : p+n]
		p += n
		if typ == 16 && len(ext) >= 3 && 3+int(ext[2]) <= len(ext) {
			s.setALPN(ext[3 : 3+int(ext[2])])
		}
	}
}

// appData hands decrypted application data of direction dir to HTTP/1.x or
// HTTP/2, which decode the messages it completes into f.
func (d *Decoder) appData(s *TLSDecrypt, dir int, f *Frame, pt []byte) {
	x := &s.dirs[dir&1]
	if s.alpn == 0 {
		switch {
		case len(x.data) == 0 && len(pt) >= len(h2Preface) && string(pt[:len(h2Preface)]) == h2Preface:
			s.alpn = alpnH2
		case len(x.data) == 0 && HTTPStart(pt):
			s.alpn = alpnH1
		default:
			return // not HTTP: Wireshark leaves it as application data
		}
	}
	if len(x.data)+len(pt) > tlsDecMax {
		x.data = x.data[:0]
		return
	}
	x.data = append(x.data, pt...)
	var used int
	if s.alpn == alpnH2 {
		used = d.h2Data(s, dir, f, x.data)
	} else {
		used = d.h1Data(s, dir, f, x.data)
	}
	n := copy(x.data, x.data[used:])
	x.data = x.data[:n]
}

// keep copies b into the frame's decrypted-bytes buffer and returns the copy
// (aliasing f.Decrypted, valid until the next Decode into f). Room is made
// before any slice of the buffer is handed out (see reserveDecrypted).
func (f *Frame) keep(b []byte) []byte {
	n := len(f.Decrypted)
	if n+len(b) > cap(f.Decrypted) {
		// Earlier slices keep pointing into the old array, which stays
		// valid; only offsets of new layers are taken from the new one.
		nb := make([]byte, n, max(2*cap(f.Decrypted), n+len(b), 4096))
		copy(nb, f.Decrypted)
		f.Decrypted = nb
	}
	f.Decrypted = append(f.Decrypted, b...)
	return f.Decrypted[n:len(f.Decrypted):len(f.Decrypted)]
}

// h1Data decodes the HTTP/1.x messages complete at the start of b into f and
// returns how many bytes they used.
func (d *Decoder) h1Data(s *TLSDecrypt, dir int, f *Frame, b []byte) int {
	used := 0
	for used < len(b) {
		m := b[used:]
		if !HTTPStart(m) {
			return len(b) // not a message start (a body of unknown length): drop it
		}
		h := &d.httpHdr
		noBody := dir != s.dirOf(true) && s.heads > 0
		n, _ := httpMessageLen(h, m, noBody)
		if n == 0 {
			// the head is incomplete, or the body runs to the close, which
			// tshark's TLS desegmentation never sees the end of
			return used
		}
		if n > len(m) {
			return used
		}
		if f.Has(ProtoHTTP) {
			return used // one message per frame; the next waits for the next record
		}
		msg := f.keep(m[:n])
		if d.decodeHTTP(f, msg) {
			f.HTTP.BodyLen = n - f.HTTP.HeadLen
			if f.HTTP.Request && string(f.HTTP.Method) == "HEAD" {
				s.heads++
			} else if f.HTTP.Response && f.HTTP.StatusCode >= 200 && s.heads > 0 && noBody {
				s.heads--
			}
		}
		used += n
	}
	return used
}
