package detail

import (
	"fmt"

	"github.com/wirewatch/wirewatch/capture"
)

// encapNames are Wireshark's encapsulation types (WTAP_ENCAP_*) of the link types wirewatch reads.
var encapNames = map[capture.LinkType]string{
	capture.LinkNull:      "NULL/Loopback (15)",
	capture.LinkEthernet:  "Ethernet (1)",
	capture.LinkRaw:       "Raw IP (7)",
	12:                    "Raw IP (7)",
	14:                    "Raw IP (7)",
	capture.LinkLoop:      "OpenBSD loopback (46)",
	capture.LinkLinuxSLL:  "Linux cooked-mode capture v1 (25)",
	capture.LinkIPv4:      "Raw IPv4 (129)",
	capture.LinkIPv6:      "Raw IPv6 (130)",
	capture.LinkLinuxSLL2: "Linux cooked-mode capture v2 (210)",
}

func bitsOf(n int) string { return fmt.Sprintf("%d bytes (%d bits)", n, n*8) }

// buildFrame adds the frame metadata tree (Wireshark's "frame" protocol).
func buildFrame(b *Builder) {
	f := b.Frame
	if len(f.Comments) > 0 {
		b.Open("pkt_comment", -1, 0, "Packet comments")
		for _, c := range f.Comments {
			b.Open("frame.comment", -1, 0, Esc([]byte(c)))
			b.expert("frame.comment.expert", "Comment", "Comment", Esc([]byte(c)))
			b.Close()
		}
		b.Close()
	}
	ifname := f.InterfaceName
	if ifname == "" {
		ifname = "unknown"
	}
	title := fmt.Sprintf("Frame %d: %d bytes on wire (%d bits), %d bytes captured (%d bits)", f.Number, f.Len, f.Len*8, f.CapLen, f.CapLen*8)
	id, sec := f.Interface, 1
	if ifs := b.Opts.Interfaces; f.Interface >= 0 && f.Interface < len(ifs) {
		id, sec = ifs[f.Interface].ID, ifs[f.Interface].Section+1
	}
	if b.Opts.PcapNG {
		title += fmt.Sprintf(" on interface %s, id %d", Esc([]byte(ifname)), id)
	}
	b.Open("frame", 0, len(f.Data), title)
	if b.Opts.PcapNG {
		b.Addf("frame.section_number", -1, 0, "Section number: %d", sec)
		b.Openf("frame.interface_id", -1, 0, "Interface id: %d (%s)", id, Esc([]byte(ifname)))
		b.Addf("frame.interface_name", -1, 0, "Interface name: %s", Esc([]byte(ifname)))
		b.Close()
	}
	enc, ok := encapNames[f.LinkType]
	if !ok {
		enc = fmt.Sprintf("Unknown (%d)", f.LinkType)
	}
	b.Add("frame.encap_type", -1, 0, "Encapsulation type: "+enc)
	if !f.NoTS {
		b.Add("frame.time", -1, 0, "Arrival Time: "+AbsTime(f.TS))
		b.Gen("frame.offset_shift", "Time shift for this packet: 0.000000000 seconds")
		b.Add("frame.time_epoch", -1, 0, "Epoch Time: "+Secs(f.TS)+" seconds")
		b.Gen("frame.time_delta", "Time delta from previous captured frame: %s", RelTime(f.TS-f.PrevTS))
		b.Gen("frame.time_delta_displayed", "Time delta from previous displayed frame: %s", RelTime(f.TS-f.PrevDisplayedTS))
		b.Gen("frame.time_relative", "Time since reference or first frame: %s", RelTime(f.TS-f.FirstTS))
	}
	b.Addf("frame.number", -1, 0, "Frame Number: %d", f.Number)
	b.Add("frame.len", -1, 0, "Frame Length: "+bitsOf(f.Len))
	b.Add("frame.cap_len", -1, 0, "Capture Length: "+bitsOf(f.CapLen))
	b.Gen("frame.marked", "Frame is marked: False")
	b.Gen("frame.ignored", "Frame is ignored: False")
	b.Gen("frame.protocols", "Protocols in frame: %s", Esc(f.Protocols()))
	b.Close()
}
