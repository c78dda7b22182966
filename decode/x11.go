package decode

import "encoding/binary"

// X11 on TCP ports 6000-6063, cut into messages as Wireshark's X11
// dissector does, so that read -V shows one X11 tree per request, reply,
// event or error and the Info column lists them: a segment to the server
// port holds requests, one from it replies, events and errors. Like
// Wireshark it keeps per connection the byte order (from the initial
// connection request, or guessed from request lengths that fit the core
// opcodes' sizes), the request sequence numbers and which requests expect
// a reply. A message cut by the snapshot length ends the segment's
// messages with "[Packet size limited during capture]". Wireshark would
// reassemble a message cut by the segment's end; here the segment's
// messages end there. Hand-written: no Go library parses X11's wire
// format, and this needs only the message framing.

// X11 message kinds.
const (
	X11Request uint8 = iota + 1
	X11InitialRequest
	X11Bogus // a request length of 0: Wireshark gives up on the segment
	X11Reply
	X11InitialReply
	X11Event
	X11Error
)

// X11Msg is one X11 message of a segment.
type X11Msg struct {
	Kind    uint8
	Code    uint8 // request opcode, event code or error code
	Off     int   // offset in the layer
	Len     int   // bytes of the message in the segment
	ReplyOp int32 // a reply's request opcode (0 unknown; > 0xff: extension opcode | minor<<8)
}

// X11 is the X11 content of a segment.
type X11 struct {
	Msgs  []X11Msg // reused
	Short bool     // the snapshot length cut the messages
	Info  []byte   // the Info column ("Requests: CreatePixmap, ..."); empty: TCP's
	BE    bool     // big-endian connection
}

const (
	x11NothingSeen = -3
	x11InitialConn = -1
	x11Conns       = 32
	x11MaxSeqs     = 4096
)

type x11Conn struct {
	slot[[2]uint64]
	order      int8 // 0 unknown, 1 little-endian, 2 big-endian
	seq        int32
	seqs       map[int32]int32 // request sequence number -> opcode expecting a reply
	iconnFrame uint64
	iconnReply uint64
	resync     bool
}

type x11Table struct{ conns []x11Conn }

func (t *x11Table) get(f *Frame) *x11Conn {
	if t.conns == nil {
		t.conns = make([]x11Conn, x11Conns)
	}
	k := connKey(f)
	c, ok := lookupSlot[[2]uint64, x11Conn](t.conns, k, f.Number)
	if !ok {
		seqs := c.seqs
		clear(seqs)
		*c = x11Conn{slot: newSlot(k, f.Number), seqs: seqs}
	}
	return c
}

func (c *x11Conn) lookup(seq int32) int32 {
	if seq == 0 && c.iconnFrame == 0 {
		if v, ok := c.seqs[0]; ok {
			return v
		}
		return x11NothingSeen
	}
	return c.seqs[seq]
}

func (c *x11Conn) set(seq, op int32) {
	if c.seqs == nil {
		c.seqs = make(map[int32]int32)
	}
	if len(c.seqs) >= x11MaxSeqs {
		clear(c.seqs)
	}
	c.seqs[seq] = op
}

func x11Port(p uint16) bool { return p >= 6000 && p <= 6063 }

// decodeX11 decodes the X11 messages of p, the captured payload of a
// segment to or from X11 port port.
func (d *Decoder) decodeX11(f *Frame, p []byte, port uint16) bool {
	reported := f.TCP.PayloadLen
	if reported <= 0 || len(p) > reported {
		return false
	}
	c := d.x11.get(f)
	x := &f.X11
	x.Msgs, x.Info, x.Short = x.Msgs[:0], x.Info[:0], false
	// Wireshark reassembles only segments captured whole.
	whole := len(p) == reported
	if f.TCP.SrcPort == port {
		x11Replies(f, c, p, reported, whole)
	} else {
		x11Requests(f, c, p, reported, whole)
	}
	x.BE = c.order == 2
	f.Present.Add(ProtoX11)
	if len(p) > 0 {
		f.addAppLayer(ProtoX11, p)
	} else {
		f.addLayer(ProtoX11, len(f.Data), 0, false)
	}
	return true
}

type x11Order bool // true: big-endian

func (o x11Order) u16(b []byte) int {
	if o {
		return int(binary.BigEndian.Uint16(b))
	}
	return int(binary.LittleEndian.Uint16(b))
}

func (o x11Order) u32(b []byte) uint32 {
	if o {
		return binary.BigEndian.Uint32(b)
	}
	return binary.LittleEndian.Uint32(b)
}

func x11Requests(f *Frame, c *x11Conn, p []byte, reported int, whole bool) {
	x := &f.X11
	be := x11Order(c.order == 2)
	if c.order == 0 {
		be = x11GuessBE(p, c)
	}
	sep := ""
	for off := 0; off < reported; {
		rem := reported - off
		if whole && rem < 4 {
			return
		}
		if off+4 > len(p) {
			x.Short = true
			return
		}
		op0 := p[0] // Wireshark reads the segment's first byte here
		plen := be.u16(p[off+2:])
		big := plen == 0
		if big {
			// BIG-REQUESTS: the length is the next 32-bit word
			if off+8 > len(p) {
				x.Short = true
				return
			}
			plen = int(int32(be.u32(p[off+4:])))
		}
		if plen <= 0 {
			x.Msgs = append(x.Msgs, X11Msg{Kind: X11Bogus, Off: off, Len: len(p) - off, ReplyOp: int32(plen)})
			return
		}
		initial := false
		if c.iconnFrame == f.Number || (c.lookup(c.seq) == x11NothingSeen && (op0 == 'B' || op0 == 'l') && (plen == 11 || plen == 2816)) {
			initial = true
			if c.order == 0 {
				if op0 == 'B' {
					c.order = 2
				} else {
					c.order = 1
				}
				be = c.order == 2
			}
			if whole && rem < 10 {
				return
			}
			if off+10 > len(p) {
				x.Short = true
				return
			}
			plen = 12 + round4(be.u16(p[off+6:])) + round4(be.u16(p[off+8:]))
		} else {
			plen = int(int32(plen * 4))
			if plen <= 0 {
				return // overflows as in Wireshark's int arithmetic
			}
		}
		if whole && rem < plen {
			return
		}
		n := min(rem, plen)
		if off+n > len(p) {
			x.Short = true
			return
		}
		m := X11Msg{Off: off, Len: n, Code: p[off]}
		if big && !initial {
			// Wireshark's request dissector refuses the 16-bit length 0:
			// no tree and no sequence number for this message.
			if sep == "" {
				x.Info = append(x.Info[:0], "Requests"...)
			}
			off += plen
			sep = ","
			continue
		}
		if initial {
			m.Kind = X11InitialRequest
			c.iconnFrame, c.seq = f.Number, 0
			c.set(0, x11InitialConn)
			x.Info = append(x.Info[:0], "Initial connection request"...)
		} else {
			m.Kind = X11Request
			c.seq++
			switch op := int32(p[off]); {
			case x11ExpectsReply(p[off]):
				c.set(c.seq, op)
			case op >= 128 && n > 1:
				c.set(c.seq, op|int32(p[off+1])<<8)
			}
			if sep == "" {
				x.Info = append(x.Info[:0], "Requests"...)
				sep = ":"
			}
			x.Info = append(append(append(x.Info, sep...), ' '), x11OpName(p[off])...)
		}
		x.Msgs = append(x.Msgs, m)
		if n < plen {
			x.Short = true // the rest of the message is not in the segment
			return
		}
		off += plen
		sep = ","
	}
}

func x11Replies(f *Frame, c *x11Conn, p []byte, reported int, whole bool) {
	x := &f.X11
	be := x11Order(c.order == 2) // replies are little-endian until the order is known
	sep := ""
	for off := 0; off < reported; {
		rem := reported - off
		if whole && rem < 8 {
			return
		}
		var m X11Msg
		var plen int
		var str string
		switch {
		case c.lookup(c.seq) == x11InitialConn || c.iconnReply == f.Number:
			if off+8 > len(p) {
				x.Short = true
				return
			}
			m.Kind, str = X11InitialReply, "Initial connection reply"
			plen = 8 + be.u16(p[off+6:])*4
		case off >= len(p):
			x.Short = true
			return
		case p[off] == 0:
			m.Kind, str, plen = X11Error, "Error", 32
		case p[off] == 1:
			if off+8 > len(p) {
				x.Short = true
				return
			}
			l := 32 + int64(be.u32(p[off+4:]))*4
			if l > 1<<31-1 {
				return // Wireshark: the reply length overflows (malformed)
			}
			m.Kind, str, plen = X11Reply, "Reply", int(l)
		default:
			m.Kind, str, plen = X11Event, "Event", 32
		}
		if whole && rem < plen {
			return
		}
		n := min(rem, plen)
		if off+n > len(p) {
			x.Short = true
			return
		}
		m.Off, m.Len = off, n
		if sep == "" {
			x.Info = append(x.Info[:0], str...)
			sep = ":"
		}
		switch m.Kind {
		case X11InitialReply:
			c.iconnReply = f.Number
		case X11Error:
			if n > 1 {
				m.Code = p[off+1]
			}
			x.Info = append(append(append(x.Info, sep...), ' '), x11ErrorName(m.Code)...)
		case X11Reply:
			if n >= 4 {
				seq := int32(be.u16(p[off+2:]))
				m.ReplyOp = c.lookup(seq)
				if c.iconnFrame == 0 && !c.resync {
					c.seq, c.resync = seq, true
				}
			}
			if m.ReplyOp == 0 {
				x.Info = append(append(x.Info, sep...), " to unknown request"...)
			} else {
				x.Info = append(append(append(x.Info, sep...), ' '), x11OpName(uint8(m.ReplyOp))...)
			}
		case X11Event:
			m.Code = p[off]
			x.Info = append(append(x.Info, sep...), ' ')
			if m.Code&0x80 != 0 {
				x.Info = append(x.Info, "Sent-"...)
			}
			x.Info = append(x.Info, x11EventName(m.Code&0x7f)...)
		}
		x.Msgs = append(x.Msgs, m)
		if n < plen {
			x.Short = true
			return
		}
		off += plen
		sep = ","
	}
}

func round4(n int) int { return (n + 3) &^ 3 }

// x11GuessBE is Wireshark's guess of a connection's byte order from a
// segment of requests: the order in which every request's length fits its
// opcode; when only one order fits, the connection keeps it.
func x11GuessBE(p []byte, c *x11Conn) x11Order {
	le := x11EndianMatch(p, false)
	be := x11EndianMatch(p, true)
	var dec x11Order
	switch {
	case le == be:
		if len(p) >= 4 && binary.LittleEndian.Uint16(p[2:]) > binary.BigEndian.Uint16(p[2:]) {
			dec = true
		}
	case le < be:
		dec = true
	}
	if le < 0 && be > 0 || le > 0 && be < 0 {
		c.order = 1
		if dec {
			c.order = 2
		}
	}
	return dec
}

// x11EndianMatch: -1 the order does not fit, 1 it fits, 0 no request to tell.
func x11EndianMatch(p []byte, be x11Order) int {
	one := 0
	for off := 0; off+4 <= len(p); {
		n := be.u16(p[off+2:])
		if n == 0 {
			return -1
		}
		if !x11Consistent(n, p, off, be) {
			return -1
		}
		one = 1
		off += n * 4
	}
	return one
}

// x11Consistent is Wireshark's consistentWithOrder: whether a request of
// length words at off fits its opcode in byte order be. Like Wireshark it
// reads a few bytes at fixed offsets of the segment, not of the request.
func x11Consistent(length int, p []byte, off int, be x11Order) bool {
	has := func(n int) bool { return off+n <= len(p) }
	bits := func(at, n int) int {
		s := 0
		for i := 0; i < n; i++ {
			s += popcount8(p[at+i])
		}
		return s
	}
	r4 := func(n int) int { return (n + 3) / 4 }
	switch p[off] {
	case 1: // CreateWindow
		return !has(32) || length == 8+bits(off+28, 4)
	case 2, 56: // ChangeWindowAttributes, ChangeGC
		return !has(12) || length == 3+bits(off+8, 4)
	case 3, 4, 5, 6, 8, 9, 10, 11, 13, 14, 15, 17, 21, 23, 27, 32, 35, 38, 46, 47, 54, 60, 79, 81, 82, 83, 95, 101, 113:
		return length == 2
	case 7, 22, 30, 31, 33, 39, 40, 53, 57, 61, 78, 84, 87:
		return length == 4
	case 12: // ConfigureWindow
		return !has(10) || length == 3+bits(off+8, 2)
	case 16, 98: // InternAtom, QueryExtension
		return !has(6) || length == 2+r4(be.u16(p[off+4:]))
	case 18: // ChangeProperty
		if !has(17) {
			return true
		}
		t := p[16]
		if t != 8 && t != 16 && t != 32 {
			return false
		}
		mul := uint32(t / 8)
		if !has(24) {
			return true
		}
		return length == 6+r4(int(be.u32(p[off+20:])*mul))
	case 19, 29, 34, 42, 80, 86, 97, 105, 107:
		return length == 3
	case 20, 24, 26, 28, 41:
		return length == 6
	case 25:
		return length == 11
	case 36, 37, 43, 44, 52, 99, 103, 104, 106, 108, 110, 111, 112, 115, 117, 119:
		return length == 1
	case 45, 85, 92: // OpenFont, AllocNamedColor, LookupColor
		return !has(10) || length == 3+r4(be.u16(p[off+8:]))
	case 48, 91:
		return length >= 2
	case 49, 50, 109: // ListFonts, ListFontsWithInfo, ChangeHosts
		return !has(8) || length == 2+r4(be.u16(p[off+6:]))
	case 51: // SetFontPath
		if length < 2 {
			return false
		}
		if !has(8) {
			return true
		}
		return x11StringsFit(p, off+8, (length-2)*4, be.u16(p[off+4:]))
	case 55: // CreateGC
		return !has(16) || length == 4+bits(off+12, 4)
	case 58: // SetDashes
		return !has(12) || length == 3+r4(be.u16(p[off+10:]))
	case 59, 66, 67, 70:
		return length >= 3 && (length-3)%2 == 0
	case 62:
		return length == 7
	case 63, 93, 94:
		return length == 8
	case 64, 65, 88:
		return length >= 3
	case 68, 71:
		return length >= 3 && (length-3)%3 == 0
	case 69, 76, 74, 75, 77:
		return length >= 4
	case 72:
		return length >= 6
	case 73, 96:
		return length == 5
	case 89:
		return length > 2 && (length-2)%3 == 0
	case 90: // StoreNamedColor
		return !has(14) || length == 4+r4(be.u16(p[off+12:]))
	case 100: // ChangeKeyboardMapping
		return !has(6) || length == 2+int(p[1])*int(p[5])
	case 102: // ChangeKeyboardControl
		return !has(6) || length == 2+bits(off+4, 2)
	case 114: // RotateProperties
		return !has(10) || length == 3+be.u16(p[off+8:])
	case 116: // SetPointerMapping
		return length == 1+r4(int(p[1]))
	case 118: // SetModifierMapping
		return length == 1+int(p[1])*2
	case 127:
		return length >= 1
	}
	return true
}

func x11StringsFit(p []byte, off, length, n int) bool {
	if n > length {
		return false
	}
	for ; n > 0; n-- {
		if off >= len(p) {
			return true
		}
		l := int(p[off])
		if l == 0 {
			break
		}
		l++
		if l > length {
			return false
		}
		if off+l > len(p) {
			return true
		}
		off += l
		length -= l
	}
	return length <= 3
}

func popcount8(b byte) int {
	n := 0
	for ; b != 0; b &= b - 1 {
		n++
	}
	return n
}

// x11ExpectsReply: the core requests a reply answers.
func x11ExpectsReply(op uint8) bool {
	switch op {
	case 98, 84, 86, 87, 85, 17, 52, 14, 73, 43, 103, 101, 119, 39, 106, 117, 20, 108, 23, 3, 31, 26, 16, 99, 49, 50, 110,
		83, 21, 92, 97, 91, 47, 44, 38, 48, 15, 118, 116, 40:
		return true
	}
	return false
}

var x11Opcodes = [...]string{1: "CreateWindow", "ChangeWindowAttributes", "GetWindowAttributes", "DestroyWindow",
	"DestroySubwindows", "ChangeSaveSet", "ReparentWindow", "MapWindow", "MapSubwindows", "UnmapWindow",
	"UnmapSubwindows", "ConfigureWindow", "CirculateWindow", "GetGeometry", "QueryTree", "InternAtom", "GetAtomName",
	"ChangeProperty", "DeleteProperty", "GetProperty", "ListProperties", "SetSelectionOwner", "GetSelectionOwner",
	"ConvertSelection", "SendEvent", "GrabPointer", "UngrabPointer", "GrabButton", "UngrabButton",
	"ChangeActivePointerGrab", "GrabKeyboard", "UngrabKeyboard", "GrabKey", "UngrabKey", "AllowEvents", "GrabServer",
	"UngrabServer", "QueryPointer", "GetMotionEvents", "TranslateCoordinates", "WarpPointer", "SetInputFocus",
	"GetInputFocus", "QueryKeymap", "OpenFont", "CloseFont", "QueryFont", "QueryTextExtents", "ListFonts",
	"ListFontsWithInfo", "SetFontPath", "GetFontPath", "CreatePixmap", "FreePixmap", "CreateGC", "ChangeGC", "CopyGC",
	"SetDashes", "SetClipRectangles", "FreeGC", "ClearArea", "CopyArea", "CopyPlane", "PolyPoint", "PolyLine",
	"PolySegment", "PolyRectangle", "PolyArc", "FillPoly", "PolyFillRectangle", "PolyFillArc", "PutImage", "GetImage",
	"PolyText8", "PolyText16", "ImageText8", "ImageText16", "CreateColormap", "FreeColormap", "CopyColormapAndFree",
	"InstallColormap", "UninstallColormap", "ListInstalledColormaps", "AllocColor", "AllocNamedColor",
	"AllocColorCells", "AllocColorPlanes", "FreeColors", "StoreColors", "StoreNamedColor", "QueryColors",
	"LookupColor", "CreateCursor", "CreateGlyphCursor", "FreeCursor", "RecolorCursor", "QueryBestSize",
	"QueryExtension", "ListExtensions", "ChangeKeyboardMapping", "GetKeyboardMapping", "ChangeKeyboardControl",
	"GetKeyboardControl", "Bell", "ChangePointerControl", "GetPointerControl", "SetScreenSaver", "GetScreenSaver",
	"ChangeHosts", "ListHosts", "SetAccessControl", "SetCloseDownMode", "KillClient", "RotateProperties",
	"ForceScreenSaver", "SetPointerMapping", "GetPointerMapping", "SetModifierMapping", "GetModifierMapping",
	127: "NoOperation"}

var x11Events = [...]string{2: "KeyPress", "KeyRelease", "ButtonPress", "ButtonRelease", "MotionNotify", "EnterNotify",
	"LeaveNotify", "FocusIn", "FocusOut", "KeymapNotify", "Expose", "GraphicsExpose", "NoExpose", "VisibilityNotify",
	"CreateNotify", "DestroyNotify", "UnmapNotify", "MapNotify", "MapRequest", "ReparentNotify", "ConfigureNotify",
	"ConfigureRequest", "GravityNotify", "ResizeRequest", "CirculateNotify", "CirculateRequest", "PropertyNotify",
	"SelectionClear", "SelectionRequest", "SelectionNotify", "ColormapNotify", "ClientMessage", "MappingNotify",
	"GenericEvent"}

var x11Errors = [...]string{"Success", "BadRequest", "BadValue", "BadWindow", "BadPixmap", "BadAtom", "BadCursor",
	"BadFont", "BadMatch", "BadDrawable", "BadAccess", "BadAlloc", "BadColormap", "BadGC", "BadIDChoice", "BadName",
	"BadLength", "BadImplementation"}

// X11OpName is a request opcode's name as Wireshark writes it.
func X11OpName(op uint8) string { return x11OpName(op) }

func x11OpName(op uint8) string {
	if int(op) < len(x11Opcodes) && x11Opcodes[op] != "" {
		return x11Opcodes[op]
	}
	return "<Unknown opcode " + itoa(int(op)) + ">"
}

// X11EventName is an event code's name (without the sent bit).
func X11EventName(c uint8) string { return x11EventName(c) }

func x11EventName(c uint8) string {
	if int(c) < len(x11Events) && x11Events[c] != "" {
		return x11Events[c]
	}
	return "<Unknown eventcode " + itoa(int(c)) + ">"
}

// X11ErrorName is an error code's name.
func X11ErrorName(c uint8) string { return x11ErrorName(c) }

func x11ErrorName(c uint8) string {
	if int(c) < len(x11Errors) {
		return x11Errors[c]
	}
	return "<Unknown errorcode " + itoa(int(c)) + ">"
}

func itoa(n int) string {
	var b [12]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
