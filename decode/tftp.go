package decode

import "strconv"

// TFTP (RFC 1350, options RFC 2347-2349) on UDP port 69. As in Wireshark,
// a read or write request opens a conversation between the client's
// address and port and the server's address: the server answers from a
// port of its own, and every later datagram between the two is TFTP too.

// TFTPPort is TFTP's well-known UDP port.
const TFTPPort = 69

// TFTP opcodes.
const (
	TFTPRead  = 1
	TFTPWrite = 2
	TFTPData  = 3
	TFTPAck   = 4
	TFTPError = 5
	TFTPOAck  = 6
)

// TFTP is what a datagram of a TFTP conversation knows from the request that
// opened it (Wireshark's generated tftp.destination_file and
// tftp.request_frame) and the block size that tells the last data block.
type TFTP struct {
	ReqFrame uint64 // frame of the read/write request; 0 unknown (no request seen)
	File     []byte // the request's file name (Frame scratch)
	BlkSize  int    // negotiated block size (512 by default)
	Write    bool   // the request was a write request
}

// tftpConvs bounds the conversations remembered (oldest reused first).
const tftpConvs = 64

type tftpConv struct {
	used       bool
	client     uint64 // hash of the client's address and port
	server     uint64 // hash of the server's address
	reqFrame   uint64
	last       uint64
	blkSize    int
	file       []byte // owned, reused
	pendingBlk int    // block size asked for by the request, until an OACK confirms it
	write      bool
}

type tftpTable struct{ convs []tftpConv }

// find returns the conversation f belongs to, either direction.
func (t *tftpTable) find(f *Frame) *tftpConv {
	if t.convs == nil {
		return nil
	}
	sc, dc := ipEndHash(f, true, f.UDP.SrcPort), ipEndHash(f, false, f.UDP.DstPort)
	ss, ds := ipEndHash(f, true, 0), ipEndHash(f, false, 0)
	for i := range t.convs {
		c := &t.convs[i]
		if c.used && (c.client == sc && c.server == ds || c.client == dc && c.server == ss) {
			c.last = f.Number
			return c
		}
	}
	return nil
}

// open starts (or restarts) the conversation of request f.
func (t *tftpTable) open(f *Frame) *tftpConv {
	if t.convs == nil {
		t.convs = make([]tftpConv, tftpConvs)
	}
	client, server := ipEndHash(f, true, f.UDP.SrcPort), ipEndHash(f, false, 0)
	old := 0
	for i := range t.convs {
		c := &t.convs[i]
		if c.used && c.client == client && c.server == server {
			old = i
			break
		}
		if !c.used || (t.convs[old].used && c.last < t.convs[old].last) {
			old = i
		}
	}
	c := &t.convs[old]
	*c = tftpConv{used: true, client: client, server: server, reqFrame: f.Number, last: f.Number, blkSize: 512, file: c.file[:0]}
	return c
}

// tftpConv decodes p as TFTP when f belongs to a conversation a request opened.
func (d *Decoder) tftpConv(f *Frame, p []byte) bool {
	c := d.routing.tftp.find(f)
	if c == nil || len(p) < 2 {
		return false
	}
	return d.decodeTFTP(f, p, c)
}

// decodeTFTP records p as a TFTP message; c is its conversation (nil: none
// known yet, a request opens one).
func (d *Decoder) decodeTFTP(f *Frame, p []byte, c *tftpConv) bool {
	if len(p) < 2 {
		return false
	}
	op := be16(p)
	if c == nil && (op == TFTPRead || op == TFTPWrite) {
		c = d.routing.tftp.open(f)
	}
	f.TFTP = TFTP{BlkSize: 512}
	if c != nil {
		if op == TFTPRead || op == TFTPWrite {
			name := p[2:]
			name = name[:cstrLen(name)]
			c.file = append(c.file[:0], name...)
			c.write = op == TFTPWrite
			if n := tftpBlkSize(p); n > 0 {
				c.pendingBlk = n
			}
		} else {
			if op == TFTPOAck {
				if n := tftpBlkSize(p); n > 0 {
					c.blkSize = n
				}
			}
			start := len(f.scratch)
			f.scratch = append(f.scratch, c.file...)
			f.TFTP.File = f.scratchFrom(start)
			f.TFTP.ReqFrame = c.reqFrame
			f.TFTP.Write = c.write
		}
		if c.pendingBlk > 0 && op != TFTPRead && op != TFTPWrite && op != TFTPOAck {
			c.blkSize = c.pendingBlk // Wireshark takes the request's blksize option as it is
		}
		f.TFTP.BlkSize = c.blkSize
	}
	f.setProto(ProtoTFTP)
	switch op {
	case TFTPData:
		n := 4
		if len(p) < n {
			n = len(p)
		}
		f.addAppLayer(ProtoTFTP, p[:n])
		if len(p) > 4 {
			off := f.appOff(p[4:])
			_, reasm := f.locate(p)
			f.data(off, len(p)-4, reasm)
		}
	default:
		f.addAppLayer(ProtoTFTP, p)
	}
	if len(p) < 4 && op >= TFTPData && op <= TFTPError && f.CapLen >= f.Len {
		f.anomaly(ProtoTFTP, f.appOff(p), "TFTP message truncated")
	}
	return true
}

// tftpBlkSize returns the blksize option of request or OACK p (0 none).
func tftpBlkSize(p []byte) int {
	n := 0
	tftpOptions(p, func(name, value []byte) {
		if len(name) == 7 && (string(name) == "blksize" || string(name) == "BLKSIZE") {
			if v, err := strconv.Atoi(string(value)); err == nil && v > 0 && v <= 65464 {
				n = v
			}
		}
	})
	return n
}

// cstrLen returns the length of b up to its first NUL (all of b without one).
func cstrLen(b []byte) int {
	for i, c := range b {
		if c == 0 {
			return i
		}
	}
	return len(b)
}

// tftpStrings splits b into NUL-terminated strings (the last may lack its
// NUL) and calls fn for each; fn returns false to stop.
func tftpStrings(b []byte, fn func(s []byte) bool) {
	for len(b) > 0 {
		n := cstrLen(b)
		if !fn(b[:n]) {
			return
		}
		if n == len(b) {
			return
		}
		b = b[n+1:]
	}
}

// tftpOptions calls fn for each option name and value of a request (after
// its file name and mode) or an OACK.
func tftpOptions(p []byte, fn func(name, value []byte)) {
	if len(p) < 2 {
		return
	}
	skip := 0
	switch be16(p) {
	case TFTPRead, TFTPWrite:
		skip = 2
	case TFTPOAck:
	default:
		return
	}
	var name []byte
	i := 0
	tftpStrings(p[2:], func(s []byte) bool {
		if i >= skip {
			if (i-skip)%2 == 0 {
				name = s
			} else {
				fn(name, s)
			}
		}
		i++
		return true
	})
}

// TFTPOptions calls fn for each option name and value of TFTP message p.
func TFTPOptions(p []byte, fn func(name, value []byte)) { tftpOptions(p, fn) }

// TFTPRequestStrings returns a request's file name and mode (ok false for other messages).
func TFTPRequestStrings(p []byte) (file, mode []byte, ok bool) {
	if len(p) < 2 || be16(p) != TFTPRead && be16(p) != TFTPWrite {
		return nil, nil, false
	}
	i := 0
	tftpStrings(p[2:], func(s []byte) bool {
		if i == 0 {
			file = s
		} else {
			mode = s
		}
		i++
		return i < 2
	})
	return file, mode, true
}

var tftpErrors = [...]string{"Not defined", "File not found", "Access violation", "Disk full or allocation exceeded",
	"Illegal TFTP Operation", "Unknown transfer ID", "File already exists", "No such user", "Option negotiation failed"}

// TFTPErrorName returns the name of TFTP error code c.
func TFTPErrorName(c uint16) string {
	if int(c) < len(tftpErrors) {
		return tftpErrors[c]
	}
	return "Unknown"
}

// appendTFTPInfo writes Wireshark's Info text: "Read Request, File: f,
// Transfer type: octet", "Data Packet, Block: 3 (last)", "Acknowledgement,
// Block: 1", "Error Code, Code: File not found, Message: m", "Option
// Acknowledgement, blksize=1468".
func appendTFTPInfo(dst []byte, f *Frame, b []byte) []byte {
	if len(b) < 2 {
		return dst
	}
	op := be16(b)
	appendOpts := func(dst []byte) []byte {
		tftpOptions(b, func(name, value []byte) {
			dst = append(dst, ", "...)
			dst = AppendDisplayText(dst, name)
			dst = append(dst, '=')
			dst = AppendDisplayText(dst, value)
		})
		return dst
	}
	switch op {
	case TFTPRead, TFTPWrite:
		if op == TFTPRead {
			dst = append(dst, "Read Request"...)
		} else {
			dst = append(dst, "Write Request"...)
		}
		file, mode, _ := TFTPRequestStrings(b)
		dst = append(dst, ", File: "...)
		dst = AppendDisplayText(dst, file)
		dst = append(dst, ", Transfer type: "...)
		dst = AppendDisplayText(dst, mode)
		return appendOpts(dst)
	case TFTPData, TFTPAck:
		if op == TFTPData {
			dst = append(dst, "Data Packet"...)
		} else {
			dst = append(dst, "Acknowledgement"...)
		}
		if len(b) < 4 {
			return dst
		}
		dst = append(dst, ", Block: "...)
		dst = appendUint(dst, uint64(be16(b[2:])))
		if op == TFTPData {
			n := len(f.Payload) - 4
			if f.TFTP.BlkSize > 0 && n < f.TFTP.BlkSize {
				dst = append(dst, " (last)"...)
			}
		}
		return dst
	case TFTPError:
		dst = append(dst, "Error Code"...)
		if len(b) < 4 {
			return dst
		}
		dst = append(dst, ", Code: "...)
		dst = append(dst, TFTPErrorName(be16(b[2:]))...)
		dst = append(dst, ", Message: "...)
		msg := b[4:]
		return AppendDisplayText(dst, msg[:cstrLen(msg)])
	case TFTPOAck:
		dst = append(dst, "Option Acknowledgement"...)
		return appendOpts(dst)
	}
	dst = append(dst, "Unknown (0x"...)
	dst = appendHexPad(dst, uint64(op), 4)
	return append(dst, ')')
}
