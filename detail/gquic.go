package detail

import (
	"github.com/wirewatch/wirewatch/decode"
)

func init() { Register(decode.ProtoGQUIC, buildGQUIC) }

// buildGQUIC is tshark's gQUIC public header tree; the payload after it is
// shown as bytes (cleartext handshake frames are not decoded).
func buildGQUIC(b *Builder, l decode.Layer, d []byte) {
	g := &b.Frame.GQUIC
	d = d[:min(l.Len, len(d))]
	b.Open("gquic", 0, len(d), "GQUIC (Google Quick UDP Internet Connections)")
	fl := uint64(g.Flags)
	b.Openf("gquic.puflags", 0, 1, "Public Flags: 0x%02x", fl)
	b.Add("gquic.puflags.vrsn", 0, 1, BitLine(8, 0x01, fl, "Version: "+YesNo(fl&0x01 != 0)))
	b.Add("gquic.puflags.rst", 0, 1, BitLine(8, 0x02, fl, "Reset: "+YesNo(fl&0x02 != 0)))
	cid := [4]string{"0 Byte (0x0)", "1 Byte (0x1)", "4 Bytes (0x2)", "8 Bytes (0x3)"}[fl>>2&3]
	b.Add("gquic.puflags.cid", 0, 1, BitLine(8, 0x0c, fl, "CID Length: "+cid))
	pkn := [4]string{"1 Byte (0x0)", "2 Bytes (0x1)", "4 Bytes (0x2)", "6 Bytes (0x3)"}[fl>>4&3]
	b.Add("gquic.puflags.pkn", 0, 1, BitLine(8, 0x30, fl, "Packet Number Length: "+pkn))
	b.Add("gquic.puflags.mpth", 0, 1, BitLine(8, 0x40, fl, "Multipath: "+YesNo(fl&0x40 != 0)))
	b.Add("gquic.puflags.rsv", 0, 1, BitLine(8, 0x80, fl, "Reserved: 0x"+hexDigit(fl>>7)))
	b.Close()
	off := 1
	if g.HasCID {
		b.Addf("gquic.cid", off, 8, "CID: %d", g.CID)
		off += 8
	}
	if g.Flags&0x01 != 0 && off+4 <= len(d) {
		b.Add("gquic.version", off, 4, "Version: "+Esc(d[off:off+4]))
		off += 4
	}
	if off+g.PKNLen <= len(d) {
		b.Addf("gquic.packet_number", off, g.PKNLen, "Packet Number: %d", g.PKN)
	}
	if g.Tag != 0 {
		off := g.HdrLen
		if g.Conv < 37 && off+12 <= len(d) {
			b.Add("gquic.message_authentication_hash", off, 12, "Message Authentication Hash: "+HexBytes(d[off:off+12]))
			off += 12
		}
		if g.Conv < 34 && off < len(d) {
			b.Addf("gquic.prflags", off, 1, "Private Flags: 0x%02x", d[off])
		}
	}
	if g.Tag == 0 && g.HdrLen < len(d) {
		b.Add("gquic.payload", g.HdrLen, len(d)-g.HdrLen, "Payload: "+BytesLabel(d[g.HdrLen:]))
	}
	b.Close()
}

func hexDigit(v uint64) string { return string("0123456789abcdef"[v&15]) }

// YesNo is Wireshark's "Yes"/"No" for a boolean flag.
func YesNo(v bool) string {
	if v {
		return "Yes"
	}
	return "No"
}
