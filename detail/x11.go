package detail

import (
	"fmt"

	"github.com/wirewatch/wirewatch/decode"
)

func init() { Register(decode.ProtoX11, buildX11) }

// buildX11 shows one X11 tree per message of the segment, as tshark -V
// does (their protocol lines; the message fields are not decoded), then
// "[Packet size limited during capture]" when the snapshot length cut them.
func buildX11(b *Builder, l decode.Layer, d []byte) {
	x := &b.Frame.X11
	for _, m := range x.Msgs {
		n := min(m.Len, max(len(d)-m.Off, 0))
		switch m.Kind {
		case decode.X11Bogus:
			b.Open("x11", m.Off, n, "X11")
			b.expert("x11.request-length.invalid", "Warning", "Protocol", fmt.Sprintf("Bogus request length (%d)", m.ReplyOp))
		case decode.X11Request:
			b.Open("x11", m.Off, n, fmt.Sprintf("X11, Request, opcode: %d (%s)", m.Code, decode.X11OpName(m.Code)))
		case decode.X11InitialRequest:
			b.Open("x11", m.Off, n, "X11, Request, Initial connection request")
		case decode.X11InitialReply:
			b.Open("x11", m.Off, n, "X11, Reply, Initial connection reply")
		case decode.X11Reply:
			op := m.ReplyOp
			switch {
			case op == 0:
				b.Open("x11", m.Off, n, "X11, Reply to unknown request")
			case op > 0xff:
				b.Open("x11", m.Off, n, fmt.Sprintf("X11, Reply, opcode: %d.%d (%s)", op&0xff, op>>8, decode.X11OpName(uint8(op))))
			case op < 0:
				b.Open("x11", m.Off, n, fmt.Sprintf("X11, Reply, opcode: %d (<Unknown opcode %d>)", op, op))
			default:
				b.Open("x11", m.Off, n, fmt.Sprintf("X11, Reply, opcode: %d (%s)", op, decode.X11OpName(uint8(op))))
			}
		case decode.X11Event:
			sent := ""
			if m.Code&0x80 != 0 {
				sent = "Sent-"
			}
			b.Open("x11", m.Off, n, fmt.Sprintf("X11, Event, eventcode: %d (%s%s)", m.Code, sent, decode.X11EventName(m.Code&0x7f)))
		case decode.X11Error:
			b.Open("x11", m.Off, n, fmt.Sprintf("X11, Error, errorcode: %d (%s)", m.Code, decode.X11ErrorName(m.Code)))
		default:
			continue
		}
		b.Close()
		b.depth = 0
	}
	if x.Short {
		b.depth = 0
		b.Add("_ws.short", -1, 0, "[Packet size limited during capture: X11 truncated]")
	}
}
