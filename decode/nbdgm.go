package decode

import "strings"

// NetBIOS datagram service (NBDGM, UDP 138, RFC 1002) and what its direct
// and broadcast datagrams carry: an SMB Trans request to a mailslot, whose
// \MAILSLOT\BROWSE and \MAILSLOT\LANMAN data is the Browser protocol
// ("Host Announcement NAME, Workstation, Server, ..."). Wireshark lists no
// "mailslot" in frame.protocols: nbdgm:smb:browser.

// decodeNBDGM decodes a datagram-service message.
func decodeNBDGM(f *Frame, p []byte) bool {
	if len(p) < 10 || p[0] < 0x10 || p[0] > 0x16 {
		return false
	}
	f.Present.Add(ProtoNBDGM)
	f.addAppLayer(ProtoNBDGM, p)
	if p[0] > 0x12 || len(p) < 14 {
		return true
	}
	// Direct unique/group and broadcast datagrams: two names, then data.
	off := 14
	for range 2 {
		_, next := appendNBName(nil, p, off)
		if next < 0 {
			return true
		}
		off = next
	}
	if msg := p[off:]; len(msg) >= 33 && string(msg[:4]) == "\xffSMB" {
		f.Present.Add(ProtoSMB)
		f.addAppLayer(ProtoSMB, msg)
		if b := browserData(msg); len(b) > 0 {
			f.Present.Add(ProtoBrowser)
			f.addAppLayer(ProtoBrowser, b)
		}
	}
	return true
}

// browserData returns the data of an SMB Trans request to the browser's
// mailslots.
func browserData(msg []byte) []byte {
	if msg[4] != 0x25 || msg[9]&0x80 != 0 || int(msg[32]) < 14 {
		return nil
	}
	name := 33 + 2*int(msg[32]) + 2
	if name >= len(msg) {
		return nil
	}
	s := msg[name:]
	if i := strings.IndexByte(string(s), 0); i >= 0 {
		s = s[:i]
	}
	if !strings.EqualFold(string(s), `\MAILSLOT\BROWSE`) && !strings.EqualFold(string(s), `\MAILSLOT\LANMAN`) {
		return nil
	}
	return smbPipeData(msg)
}

var browserCmdNames = map[byte]string{1: "Host Announcement", 2: "Request Announcement", 8: "Browser Election Request",
	9: "Get Backup List Request", 10: "Get Backup List Response", 11: "Become Backup Browser",
	12: "Domain/Workgroup Announcement", 13: "Master Announcement", 14: "Reset Browser State Announcement",
	15: "Local Master Announcement"}

var serverTypeNames = [32]string{"Workstation", "Server", "SQL Server", "Domain Controller", "Backup Controller",
	"Time Source", "Apple Server", "Novell Server", "Domain Member Server", "Print Queue Server", "Dialin Server",
	"Xenix Server", "NT Workstation", "Windows for Workgroups", "", "NT Server", "Potential Browser",
	"Backup Browser", "Master Browser", "Domain Master Browser", "OSF", "VMS", "Windows 95 or above", "DFS server",
	"", "", "", "", "", "", "Local List Only", "Domain Enum"}

// appendBrowserInfo appends the Info text of a Browser message.
func appendBrowserInfo(dst, b []byte) []byte {
	if len(b) == 0 {
		return dst
	}
	if n := browserCmdNames[b[0]]; n != "" {
		dst = append(dst, n...)
	} else {
		dst = append(dst, "Unknown command: 0x"...)
		dst = appendHexPad(dst, uint64(b[0]), 2)
	}
	switch b[0] {
	case 1, 12, 15: // announcements: the name and the server type
		if len(b) < 28 {
			return dst
		}
		name := b[6:22]
		if i := strings.IndexByte(string(name), 0); i >= 0 {
			name = name[:i]
		}
		dst = append(append(dst, ' '), name...)
		t := le32(b[24:])
		for i, s := range serverTypeNames {
			if t&(1<<i) != 0 && s != "" {
				dst = append(append(dst, ", "...), s...)
			}
		}
	case 2: // Request Announcement: the name to answer
		if len(b) > 2 {
			s := b[2:]
			if i := strings.IndexByte(string(s), 0); i >= 0 {
				s = s[:i]
			}
			dst = append(append(dst, ' '), s...)
		}
	}
	return dst
}

var nbdgmTypeNames = map[byte]string{0x10: "Direct_unique datagram", 0x11: "Direct_group datagram",
	0x12: "Broadcast datagram", 0x13: "Datagram error", 0x14: "Datagram query request",
	0x15: "Datagram positive query response", 0x16: "Datagram negative query response"}

// appendNBDGMInfo appends the Info text of a datagram without SMB.
func appendNBDGMInfo(dst, b []byte) []byte {
	if len(b) == 0 {
		return dst
	}
	return append(dst, nbdgmTypeNames[b[0]]...)
}

// NBDGMName returns a datagram's source (i 0) or destination (i 1) name
// ("NAME<xx>", in the frame's memory), ok false when it has none.
func (f *Frame) NBDGMName(b []byte, i int) ([]byte, bool) {
	if len(b) < 14 || b[0] > 0x12 {
		return nil, false
	}
	off := 14
	for k := 0; ; k++ {
		start := len(f.scratch)
		s, next := appendNBName(f.scratch, b, off)
		if next < 0 {
			f.scratch = s[:start]
			return nil, false
		}
		if k == i {
			f.scratch = s
			return s[start:len(s):len(s)], true
		}
		off = next
		f.scratch = s[:start]
	}
}
