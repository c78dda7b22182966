package decode

import "bytes"

// TELNET (TCP 23), IRC (TCP 6667) and syslog (UDP 514): Wireshark's
// summaries of them.

func decodeTelnet(f *Frame, p []byte, port uint16) bool {
	f.Text.Request = f.TCP.DstPort == port
	f.addText(ProtoTelnet, p)
	return true
}

// decodeIRC: Wireshark 4.0's IRC has no STARTTLS, so the TLS records that
// follow one are split into IRC lines too.
func decodeIRC(f *Frame, p []byte, port uint16) bool {
	f.Text.Request = f.TCP.DstPort == port
	f.addText(ProtoIRC, p)
	return true
}

// IRCCommand splits an IRC line into its prefix (after ':') and command and
// what follows; ok is false when the line has no command.
func IRCCommand(l []byte) (prefix, cmd, rest []byte, ok bool) {
	if len(l) > 0 && l[0] == ':' {
		i := bytes.IndexByte(l, ' ')
		if i < 0 {
			return l[1:], nil, nil, false
		}
		prefix, l = l[1:i], l[i+1:]
	}
	for len(l) > 0 && l[0] == ' ' {
		l = l[1:]
	}
	if len(l) == 0 {
		return prefix, nil, nil, false
	}
	cmd, rest = Token(l)
	return prefix, cmd, rest, true
}

// appendIRCInfo is "Request (CMD) (CMD)…" or "Response (CMD)…", one
// command per line.
func appendIRCInfo(dst []byte, req bool, b []byte) []byte {
	dst = appendReqResp(dst, req, "Request", "Response")
	EachLine(b, func(l []byte) {
		if len(l) == 0 {
			return
		}
		if _, cmd, _, ok := IRCCommand(l); ok {
			if i := bytes.IndexByte(cmd, 0); i >= 0 {
				cmd = cmd[:i] // a C string in Wireshark's column
			}
			dst = append(append(append(dst, " ("...), cmd...), ')')
		}
	})
	return dst
}

func decodeSyslog(f *Frame, p []byte) bool {
	f.addText(ProtoSyslog, p)
	return true
}

// SyslogPRI parses the "<PRI>" a syslog message starts with: the priority
// and the offset of the message after it; pri is -1 without one.
func SyslogPRI(b []byte) (pri, off int) {
	if len(b) == 0 || b[0] != '<' {
		return -1, 0
	}
	off, pri = 1, 0
	for off < len(b) && off <= 3 && isDigit(b[off]) {
		pri = pri*10 + int(b[off]-'0')
		off++
	}
	if off < len(b) && b[off] == '>' {
		off++
	}
	return pri, off
}

var syslogFacilities = [...]string{"KERN", "USER", "MAIL", "DAEMON", "AUTH", "SYSLOG", "LPR", "NEWS", "UUCP",
	"CRON", "AUTHPRIV", "FTP", "NTP", "AUDIT", "ALERT", "CRON2",
	"LOCAL0", "LOCAL1", "LOCAL2", "LOCAL3", "LOCAL4", "LOCAL5", "LOCAL6", "LOCAL7"}

var syslogLevels = [...]string{"EMERG", "ALERT", "CRIT", "ERR", "WARNING", "NOTICE", "INFO", "DEBUG"}

// appendSyslogInfo is "FACILITY.LEVEL: message".
func appendSyslogInfo(dst []byte, b []byte) []byte {
	pri, off := SyslogPRI(b)
	if pri >= 0 {
		fac, lev := (pri&0x03f8)>>3, pri&7
		if fac < len(syslogFacilities) {
			dst = append(dst, syslogFacilities[fac]...)
		} else {
			dst = append(dst, "UNKNOWN"...)
		}
		dst = append(append(dst, '.'), syslogLevels[lev]...)
		dst = append(dst, ": "...)
	}
	return append(dst, b[off:]...)
}

// SyslogRFC3164 returns the "Mmm dd hh:mm:ss" timestamp and hostname a
// BSD syslog message (after its PRI) starts with.
func SyslogRFC3164(m []byte) (ts, host []byte, ok bool) {
	if len(m) < 16 || m[3] != ' ' || m[6] != ' ' || m[9] != ':' || m[12] != ':' || m[15] != ' ' {
		return nil, nil, false
	}
	months := "JanFebMarAprMayJunJulAugSepOctNovDec"
	found := false
	for i := 0; i < len(months); i += 3 {
		if string(m[:3]) == months[i:i+3] {
			found = true
		}
	}
	if !found {
		return nil, nil, false
	}
	ts = m[:15]
	host, _ = Token(m[16:])
	return ts, host, true
}
