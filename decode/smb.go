package decode

import "strconv"

// SMB (version 1) messages in NBSS session messages (TCP 139/445): the
// header, the command's name and the common Info details, and the DCE/RPC
// PDUs that named-pipe transactions, AndX writes and reads carry.

var smbCmdNames = map[byte]string{0x00: "Create Directory", 0x01: "Delete Directory", 0x02: "Open", 0x03: "Create",
	0x04: "Close", 0x05: "Flush", 0x06: "Delete", 0x07: "Rename", 0x08: "Query Information", 0x09: "Set Information",
	0x0a: "Read", 0x0b: "Write", 0x0c: "Lock Byte Range", 0x0d: "Unlock Byte Range", 0x0e: "Create Temp",
	0x0f: "Create New", 0x10: "Check Directory", 0x11: "Process Exit", 0x12: "Seek", 0x13: "Lock And Read",
	0x14: "Write And Unlock", 0x1a: "Read Raw", 0x1b: "Read MPX", 0x1c: "Read MPX Secondary", 0x1d: "Write Raw",
	0x1e: "Write MPX", 0x1f: "Write MPX Secondary", 0x20: "Write Complete", 0x21: "Query Server",
	0x22: "Set Information2", 0x23: "Query Information2", 0x24: "Locking AndX", 0x25: "Trans",
	0x26: "Trans Secondary", 0x27: "IOCTL", 0x28: "IOCTL Secondary", 0x29: "Copy", 0x2a: "Move", 0x2b: "Echo",
	0x2c: "Write And Close", 0x2d: "Open AndX", 0x2e: "Read AndX", 0x2f: "Write AndX", 0x30: "New File Size",
	0x31: "Close And Tree Disconnect", 0x32: "Trans2", 0x33: "Trans2 Secondary", 0x34: "Find Close2",
	0x35: "Find Notify Close", 0x70: "Tree Connect", 0x71: "Tree Disconnect", 0x72: "Negotiate Protocol",
	0x73: "Session Setup AndX", 0x74: "Logoff AndX", 0x75: "Tree Connect AndX", 0x80: "Query Information Disk",
	0x81: "Search", 0x82: "Find", 0x83: "Find Unique", 0x84: "Find Close", 0xa0: "NT Trans",
	0xa1: "NT Trans Secondary", 0xa2: "NT Create AndX", 0xa4: "NT Cancel", 0xa5: "NT Rename",
	0xc0: "Open Print File", 0xc1: "Write Print File", 0xc2: "Close Print File", 0xc3: "Get Print Queue",
	0xd8: "Read Bulk", 0xd9: "Write Bulk", 0xda: "Write Bulk Data"}

// windowsTCPProtos are the TCP protocols of the Windows family; init adds
// them to dissect.go's sets (one place to list them, away from the lines
// every dissector edits).
var windowsTCPProtos = Protos(ProtoNBSS, ProtoSMB2, ProtoSMB, ProtoDCERPC)

// securityProtos are the layers of session setups' security blobs
// (ntlmssp.go): dropped with their TCP carrier, never the Info's source.
var securityProtos = Protos(ProtoGSSAPI, ProtoSPNEGO, ProtoNTLMSSP)

func init() {
	udp := Protos(ProtoNBDGM, ProtoBrowser)
	for i := range otherProtos {
		otherProtos[i] |= windowsTCPProtos[i] | udp[i]
		otherTCPProtos[i] |= windowsTCPProtos[i] | securityProtos[i]
	}
}

// decodeSMB decodes an SMB (version 1) message.
func (d *Decoder) decodeSMB(f *Frame, msg []byte, track bool) {
	f.Present.Add(ProtoSMB)
	f.addAppLayer(ProtoSMB, msg)
	f.addSecurityBlob(smbSecurityBlob(msg))
	if p := smbPipeData(msg); DCERPCLen(p) > 0 {
		d.decodeDCERPC(f, p, tcpConnHash(f), track)
	}
}

// smbWord returns the 16-bit parameter word at byte offset o of the words.
func smbWord(b []byte, o int) (int, bool) {
	if len(b) < 33 || 33+o+2 > 33+2*int(b[32]) || 33+o+2 > len(b) {
		return 0, false
	}
	return int(le16(b[33+o:])), true
}

// smbPipeData returns the data of a Trans request or response, a Write
// AndX request or a Read AndX response.
func smbPipeData(b []byte) []byte {
	if len(b) < 33 {
		return nil
	}
	resp := b[9]&0x80 != 0
	var cnt, off int
	var ok1, ok2 bool
	switch {
	case b[4] == 0x25 && !resp:
		cnt, ok1 = smbWord(b, 22)
		off, ok2 = smbWord(b, 24)
	case b[4] == 0x25 && resp:
		cnt, ok1 = smbWord(b, 12)
		off, ok2 = smbWord(b, 14)
	case b[4] == 0x2f && !resp:
		cnt, ok1 = smbWord(b, 20)
		off, ok2 = smbWord(b, 22)
	case b[4] == 0x2e && resp:
		cnt, ok1 = smbWord(b, 10)
		off, ok2 = smbWord(b, 12)
	}
	if !ok1 || !ok2 || off < 32 || off+cnt > len(b) {
		return nil
	}
	return b[off : off+cnt]
}

// appendSMBInfo appends Wireshark's Info text for an SMB message.
func appendSMBInfo(dst, b []byte) []byte {
	if len(b) < 33 {
		return dst
	}
	cmd, resp := b[4], b[9]&0x80 != 0
	if n := smbCmdNames[cmd]; n != "" {
		dst = append(dst, n...)
	} else {
		dst = append(dst, "Unknown (0x"...)
		dst = appendHexPad(dst, uint64(cmd), 2)
		dst = append(dst, ')')
	}
	if resp {
		dst = append(dst, " Response"...)
	} else {
		dst = append(dst, " Request"...)
	}
	unicode := le16(b[10:])&0x8000 != 0
	str := func(dst []byte, o int) []byte { // a string in the bytes at o
		if unicode {
			if o%2 == 1 {
				o++
			}
			if o < len(b) {
				return appendUTF16Z(dst, b[o:])
			}
			return dst
		}
		for ; o < len(b) && b[o] != 0; o++ {
			dst = append(dst, b[o])
		}
		return dst
	}
	bytesOff := 33 + 2*int(b[32]) + 2
	switch {
	case cmd == 0xa2 && !resp:
		dst = str(append(dst, ", Path: "...), bytesOff)
	case cmd == 0xa2 && resp:
		if fid, ok := smbWord(b, 5); ok {
			dst = append(dst, ", FID: 0x"...)
			dst = appendHexPad(dst, uint64(fid), 4)
		}
	case cmd == 0x75 && !resp:
		if pl, ok := smbWord(b, 6); ok {
			o := bytesOff + pl
			if unicode && o%2 == 1 {
				o++
			}
			dst = str(append(dst, ", Path: "...), o)
		}
	case cmd == 0x04 && !resp:
		if fid, ok := smbWord(b, 0); ok {
			dst = append(dst, ", FID: 0x"...)
			dst = appendHexPad(dst, uint64(fid), 4)
		}
	case cmd == 0x2e && !resp:
		dst = appendSMBTransfer(dst, b, 4, 10, 6)
	case cmd == 0x73:
		dst = appendNTLMSSPInfo(dst, b[32:])
	default:
		dst = appendSMBCoreInfo(dst, b, cmd, resp, bytesOff, str)
	}
	if st := le32(b[5:]); st != 0 && le16(b[10:])&0x4000 == 0 && b[5] == 1 {
		if n := smbDOSErrors[le16(b[7:])]; n != "" { // DOS error class ERRDOS
			dst = append(append(dst, ", Error: "...), n...)
		}
	}
	if st := le32(b[5:]); st != 0 && le16(b[10:])&0x4000 != 0 {
		dst = append(dst, ", Error: "...)
		if n := ntStatusNames[st]; n != "" {
			dst = append(dst, n...)
		} else {
			dst = append(dst, "Unknown (0x"...)
			dst = appendHexPad(dst, uint64(st), 8)
			dst = append(dst, ')')
		}
	}
	return dst
}

var nbssTypeNames = map[byte]string{0: "Session message", 0x81: "Session request", 0x82: "Positive session response",
	0x83: "Negative session response", 0x84: "Retarget session response", 0x85: "Session keep-alive"}

// appendNBSSInfo appends the Info text of an NBSS message that carries no
// SMB: "Session request, to SCV<20> from DESKTOP<00>".
func appendNBSSInfo(dst, b []byte) []byte {
	if len(b) < 4 {
		return dst
	}
	if n := nbssTypeNames[b[0]]; n != "" {
		dst = append(dst, n...)
	} else {
		dst = append(dst, "Unknown NBSS message type"...)
	}
	if b[0] == 0x81 {
		if _, next := appendNBName(nil, b, 4); next > 0 {
			dst, _ = appendNBName(append(dst, ", to "...), b, 4)
			if _, n2 := appendNBName(nil, b, next); n2 > 0 {
				dst, _ = appendNBName(append(dst, " from "...), b, next)
			}
		}
	}
	return dst
}

// appendNBName appends the first-level encoded NetBIOS name at b[off:]
// ("NAME<xx>"); next is the offset after it, -1 when there is none.
func appendNBName(dst, b []byte, off int) ([]byte, int) {
	if off >= len(b) || b[off] != 32 || off+34 > len(b) {
		return dst, -1
	}
	enc := b[off+1 : off+33]
	var nb [16]byte
	for i := range nb {
		hi, lo := enc[2*i]-'A', enc[2*i+1]-'A'
		nb[i] = hi<<4 | lo&0xf
	}
	dst = appendNB16(dst, nb[:])
	next := off + 33
	for next < len(b) && b[next] != 0 { // scope labels
		next += 1 + int(b[next])
	}
	return dst, next + 1
}

// SMBAndX reports whether SMB command cmd is an AndX command (its first
// parameter word names a chained command).
func SMBAndX(cmd byte) bool {
	switch cmd {
	case 0x24, 0x2d, 0x2e, 0x2f, 0x73, 0x74, 0x75, 0xa2:
		return true
	}
	return false
}

// smbDOSErrors names the ERRDOS error codes of SMB's DOS error class
// (responses whose Flags2 do not select NT status codes).
var smbDOSErrors = map[uint16]string{2: "File not found", 3: "Directory not found", 5: "Access denied",
	18: "No more files found in file search"}

// appendSMBCoreInfo appends the Info details of the core (DOS-era) SMB
// commands: the path or directory of a request, Open AndX's FID, a
// Write's FID, count and offset.
func appendSMBCoreInfo(dst, b []byte, cmd byte, resp bool, bytesOff int, str func([]byte, int) []byte) []byte {
	switch {
	case resp && cmd == 0x2d: // Open AndX
		if fid, ok := smbWord(b, 4); ok {
			dst = append(dst, ", FID: 0x"...)
			dst = appendHexPad(dst, uint64(fid), 4)
		}
	case resp && cmd == 0x0b: // Write
		if n, ok := smbWord(b, 0); ok {
			dst = append(dst, ", "...)
			dst = strconv.AppendUint(dst, uint64(n), 10)
			dst = append(dst, " bytes"...)
		}
	case resp:
	case cmd == 0x2d:
		dst = str(append(dst, ", Path: "...), bytesOff)
	case cmd == 0x0b:
		dst = appendSMBTransfer(dst, b, 0, 2, 4)
	case cmd == 0x81 || cmd == 0x82 || cmd == 0x83 || cmd == 0x84: // Search, Find, Find Unique, Find Close
		if bytesOff < len(b) && b[bytesOff] == 4 {
			dst = str(append(dst, ", File: "...), bytesOff+1)
		}
	case cmd == 0x00 || cmd == 0x01 || cmd == 0x10: // Create, Delete, Check Directory
		if bytesOff < len(b) && b[bytesOff] == 4 {
			dst = str(append(dst, ", Directory: "...), bytesOff+1)
		}
	case cmd == 0x06 || cmd == 0x08 || cmd == 0x02 || cmd == 0x03: // Delete, Query Information, Open, Create
		if bytesOff < len(b) && b[bytesOff] == 4 {
			dst = str(append(dst, ", Path: "...), bytesOff+1)
		}
	}
	return dst
}

// appendSMBTransfer appends Wireshark's ", FID: 0x0000, N bytes at offset O"
// of a read or write request whose parameter words hold the FID, the count
// and the 32-bit offset (low word first) at the given byte offsets; nothing
// when the words are missing.
func appendSMBTransfer(dst, b []byte, fidAt, countAt, offAt int) []byte {
	fid, ok1 := smbWord(b, fidAt)
	n, ok2 := smbWord(b, countAt)
	lo, ok3 := smbWord(b, offAt)
	hi, _ := smbWord(b, offAt+2)
	if !ok1 || !ok2 || !ok3 {
		return dst
	}
	dst = append(dst, ", FID: 0x"...)
	dst = appendHexPad(dst, uint64(fid), 4)
	dst = append(dst, ", "...)
	dst = strconv.AppendUint(dst, uint64(n), 10)
	dst = append(dst, " bytes at offset "...)
	return strconv.AppendUint(dst, uint64(lo|hi<<16), 10)
}
