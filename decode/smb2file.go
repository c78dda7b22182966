package decode

import "strconv"

// SMB2 file IDs: Wireshark names the file a request works on ("Read
// Request Len:1024 Off:0 File: svcctl") from the name its Create request
// gave, learnt when the Create response returned the file ID. The Decoder
// keeps the last smb2Files such IDs per session in a ring (a session may
// span several connections) (no allocation
// after the first SMB2 message).

const smb2Files = 256

type smb2File struct {
	conn  uint64
	fid   [16]byte
	name  [128]byte // UTF-16LE, cut
	nameN int
	used  bool
}

// smb2FileTable maps (session ID, file ID) to the file's name.
type smb2FileTable struct {
	files []smb2File
	next  int
}

func (t *smb2FileTable) add(conn uint64, fid []byte, name []byte) {
	if t.files == nil {
		t.files = make([]smb2File, smb2Files)
	}
	for i := range t.files {
		if e := &t.files[i]; e.used && e.conn == conn && string(e.fid[:]) == string(fid) {
			e.nameN = copy(e.name[:], name)
			return
		}
	}
	e := &t.files[t.next]
	e.conn, e.used = conn, true
	copy(e.fid[:], fid)
	e.nameN = copy(e.name[:], name)
	t.next = (t.next + 1) % len(t.files)
}

func (t *smb2FileTable) lookup(conn uint64, fid []byte) ([]byte, bool) {
	for i := range t.files {
		if e := &t.files[i]; e.used && e.conn == conn && string(e.fid[:]) == string(fid) {
			return e.name[:e.nameN], true
		}
	}
	return nil, false
}

// smb2FIDOff returns the offset of the file ID in the body of a message
// (request, or response when resp) of command cmd, 0 when it has none.
func smb2FIDOff(cmd uint16, resp bool) int {
	if resp {
		if cmd == 11 { // Ioctl
			return 8
		}
		return 0
	}
	switch cmd {
	case 6, 7, 10, 11, 14, 15: // Close, Flush, Lock, Ioctl, Find, Notify
		return 8
	case 8, 9, 17: // Read, Write, SetInfo
		return 16
	case 16: // GetInfo
		return 24
	}
	return 0
}

// smb2FID returns the message's file ID, nil when it has none.
func smb2FID(m *SMB2Msg) []byte {
	o := smb2FIDOff(m.Cmd, m.Flags&1 != 0)
	if o == 0 || len(m.B) < 64+o+16 {
		return nil
	}
	return m.B[64+o : 64+o+16]
}

// smb2Files learns file IDs from Create responses and names the file of
// the other messages.
func (d *Decoder) smb2Files(session uint64, m *SMB2Msg) {
	resp := m.Flags&1 != 0
	if m.Cmd == 5 {
		if resp && m.Status == 0 && m.ResponseTo != 0 && len(m.B) >= 64+80 {
			d.smb2f.add(session, m.B[64+64:64+80], m.Name)
		}
		return
	}
	if fid := smb2FID(m); fid != nil {
		m.File, m.FileKnown = d.smb2f.lookup(session, fid)
	}
}

var smb2InfoClasses = [...]string{"", "FILE_INFO", "FS_INFO", "SEC_INFO", "QUOTA_INFO"}

var smb2FileInfoLevels = map[uint8]string{4: "SMB2_FILE_BASIC_INFO", 5: "SMB2_FILE_STANDARD_INFO", 6: "SMB2_FILE_INTERNAL_INFO",
	7: "SMB2_FILE_EA_INFO", 8: "SMB2_FILE_ACCESS_INFO", 10: "SMB2_FILE_RENAME_INFO", 13: "SMB2_FILE_DISPOSITION_INFO",
	14: "SMB2_FILE_POSITION_INFO", 15: "SMB2_FILE_FULL_EA_INFO", 16: "SMB2_FILE_MODE_INFO", 17: "SMB2_FILE_ALIGNMENT_INFO",
	18: "SMB2_FILE_ALL_INFO", 19: "SMB2_FILE_ALLOCATION_INFO", 20: "SMB2_FILE_ENDOFFILE_INFO",
	21: "SMB2_FILE_ALTERNATE_NAME_INFO", 22: "SMB2_FILE_STREAM_INFO", 23: "SMB2_FILE_PIPE_INFO",
	28: "SMB2_FILE_COMPRESSION_INFO", 34: "SMB2_FILE_NETWORK_OPEN_INFO", 35: "SMB2_FILE_ATTRIBUTE_TAG_INFO",
	48: "SMB2_FILE_NORMALIZED_NAME_INFO", 100: "SMB2_FILE_POSIX_INFO"}

var smb2FSInfoLevels = [...]string{"", "FileFsVolumeInformation", "FileFsLabelInformation", "FileFsSizeInformation",
	"FileFsDeviceInformation", "FileFsAttributeInformation", "FileFsControlInformation", "FileFsFullSizeInformation",
	"FileFsObjectIdInformation", "FileFsDriverPathInformation", "FileFsVolumeFlagsInformation", "FileFsSectorSizeInformation"}

var smb2FindLevels = map[uint8]string{1: "SMB2_FIND_DIRECTORY_INFO", 2: "SMB2_FIND_FULL_DIRECTORY_INFO",
	3: "SMB2_FIND_BOTH_DIRECTORY_INFO", 4: "SMB2_FIND_INDEX_SPECIFIED", 12: "SMB2_FIND_NAME_INFO",
	37: "SMB2_FIND_ID_BOTH_DIRECTORY_INFO", 38: "SMB2_FIND_ID_FULL_DIRECTORY_INFO", 100: "SMB2_FIND_POSIX_INFO"}

var smb2Ioctls = map[uint32]string{0x00060194: "FSCTL_DFS_GET_REFERRALS", 0x000601b0: "FSCTL_DFS_GET_REFERRALS_EX",
	0x0011c017: "FSCTL_PIPE_TRANSCEIVE", 0x00110018: "FSCTL_PIPE_WAIT", 0x0011400c: "FSCTL_PIPE_PEEK",
	0x00140078: "FSCTL_SRV_REQUEST_RESUME_KEY", 0x001401d4: "FSCTL_LMR_REQUEST_RESILIENCY",
	0x001401fc: "FSCTL_QUERY_NETWORK_INTERFACE_INFO", 0x00140200: "FSCTL_VALIDATE_NEGOTIATE_INFO_224",
	0x00140204: "FSCTL_VALIDATE_NEGOTIATE_INFO", 0x00144064: "FSCTL_SRV_ENUMERATE_SNAPSHOTS",
	0x001440f2: "FSCTL_SRV_COPYCHUNK", 0x001441bb: "FSCTL_SRV_READ_HASH", 0x001480f2: "FSCTL_SRV_COPYCHUNK_WRITE",
	0x000900a4: "FSCTL_SET_REPARSE_POINT", 0x000900a8: "FSCTL_GET_REPARSE_POINT", 0x000900c0: "FSCTL_CREATE_OR_GET_OBJECT_ID",
	0x000900c4: "FSCTL_SET_SPARSE", 0x0009009c: "FSCTL_GET_OBJECT_ID", 0x000980c8: "FSCTL_SET_ZERO_DATA",
	0x000940cf: "FSCTL_QUERY_ALLOCATED_RANGES", 0x0009003c: "FSCTL_GET_COMPRESSION", 0x0009c040: "FSCTL_SET_COMPRESSION",
	0x0009027c: "FSCTL_GET_INTEGRITY_INFORMATION", 0x0009c280: "FSCTL_SET_INTEGRITY_INFORMATION",
	0x00090284: "FSCTL_QUERY_FILE_REGIONS", 0x00094264: "FSCTL_OFFLOAD_READ", 0x00098268: "FSCTL_OFFLOAD_WRITE",
	0x00090300: "FSCTL_QUERY_SHARED_VIRTUAL_DISK_SUPPORT", 0x00090304: "FSCTL_SVHDX_SYNC_TUNNEL_REQUEST",
	0x00098208: "FSCTL_FILE_LEVEL_TRIM"}

func appendLevel(dst []byte, name string, v uint64) []byte {
	if name != "" {
		return append(dst, name...)
	}
	dst = append(dst, "Unknown (0x"...)
	dst = appendHexPad(dst, v, 2)
	return append(dst, ')')
}

// appendSMB2Body appends what Wireshark's SMB2 command dissectors add to
// Info after the header's text: offsets, lengths, info levels, the
// file's name.
func appendSMB2Body(dst []byte, m *SMB2Msg) []byte {
	b := m.B
	resp := m.Flags&1 != 0
	body := func(o, n int) bool { return len(b) >= 64+o+n }
	file := func(dst []byte) []byte {
		if m.FileKnown {
			dst = append(dst, " File: "...)
			dst = appendUTF16LE(dst, m.File)
		}
		return dst
	}
	if resp {
		switch m.Cmd {
		case 11:
			if m.Status == 0 && body(8, 0) {
				dst = append(dst, ' ')
				dst = appendIoctlName(dst, le32(b[64+4:]))
				dst = file(dst)
			}
		case 14:
			if m.FindLevel != 0 {
				dst = append(dst, ' ')
				dst = appendLevel(dst, smb2FindLevels[m.FindLevel], uint64(m.FindLevel))
				dst = append(dst, " Pattern: "...)
				dst = appendUTF16LE(dst, m.Pattern)
			}
		}
		return dst
	}
	switch m.Cmd {
	case 8, 9: // Read, Write
		if body(16, 0) {
			dst = append(dst, " Len:"...)
			dst = strconv.AppendUint(dst, uint64(le32(b[64+4:])), 10)
			dst = append(dst, " Off:"...)
			dst = strconv.AppendUint(dst, le64(b[64+8:]), 10)
		}
		dst = file(dst)
	case 16, 17: // GetInfo, SetInfo
		if body(4, 0) {
			class, level := b[64+2], b[64+3]
			dst = append(dst, ' ')
			if int(class) < len(smb2InfoClasses) && class != 0 {
				dst = append(dst, smb2InfoClasses[class]...)
			} else {
				dst = appendLevel(dst, "", uint64(class))
			}
			dst = append(dst, '/')
			switch class {
			case 1:
				dst = appendLevel(dst, smb2FileInfoLevels[level], uint64(level))
			case 2:
				name := ""
				if int(level) < len(smb2FSInfoLevels) {
					name = smb2FSInfoLevels[level]
				}
				dst = appendLevel(dst, name, uint64(level))
			case 3:
				dst = appendLevel(dst, "SMB2_SEC_INFO_00", uint64(level))
			default:
				dst = appendLevel(dst, "", uint64(level))
			}
		}
		dst = file(dst)
	case 11: // Ioctl
		if !body(8, 0) {
			break
		}
		code := le32(b[64+4:])
		dst = append(dst, ' ')
		dst = appendIoctlName(dst, code)
		dst = file(dst)
		if body(24, 8) {
			in := smb2Buf(b, int(le32(b[64+24:])), int(le32(b[64+28:])))
			switch code {
			case 0x00110018: // FSCTL_PIPE_WAIT: the pipe's name
				if len(in) >= 14 {
					n := int(le32(in[8:]))
					if 14+n <= len(in) {
						dst = append(dst, " Pipe: "...)
						dst = appendUTF16LE(dst, in[14:14+n])
					}
				}
			case 0x00060194, 0x000601b0: // DFS referral: the path asked for
				if len(in) >= 2 {
					dst = append(dst, ", File: "...)
					dst = appendUTF16Z(dst, in[2:])
				}
			}
		}
	case 14: // Find
		dst = file(dst)
		if body(4, 0) {
			dst = append(dst, ' ')
			dst = appendLevel(dst, smb2FindLevels[b[64+2]], uint64(b[64+2]))
			dst = append(dst, " Pattern: "...)
			dst = appendUTF16LE(dst, smb2FindPattern(b))
		}
	default:
		if smb2FIDOff(m.Cmd, false) != 0 {
			dst = file(dst)
		}
	}
	return dst
}

func appendIoctlName(dst []byte, code uint32) []byte {
	if n := smb2Ioctls[code]; n != "" {
		return append(dst, n...)
	}
	dst = append(dst, "Unknown (0x"...)
	dst = appendHexPad(dst, uint64(code), 8)
	return append(dst, ')')
}

// smb2Buf returns the n bytes at offset off (from the header's start) of
// message b, nil when they are not all there.
func smb2Buf(b []byte, off, n int) []byte {
	if off < 64 || n < 0 || off > len(b) || n > len(b)-off {
		return nil
	}
	return b[off : off+n]
}

// smb2FindPattern returns a Find request's search pattern (UTF-16LE).
func smb2FindPattern(b []byte) []byte {
	if len(b) < 64+28 {
		return nil
	}
	return smb2Buf(b, int(le16(b[64+24:])), int(le16(b[64+26:])))
}

// appendUTF16Z appends the UTF-16LE string at the start of b up to its NUL.
func appendUTF16Z(dst, b []byte) []byte {
	for i := 0; i+1 < len(b); i += 2 {
		if b[i] == 0 && b[i+1] == 0 {
			return appendUTF16LE(dst, b[:i])
		}
	}
	return appendUTF16LE(dst, b)
}

// SMB2FileName returns the file name of a Create request as UTF-8 (in
// the frame's memory, valid until the next Decode), ok false for other
// messages.
func (f *Frame) SMB2FileName(m *SMB2Msg) ([]byte, bool) {
	if m.Cmd != 5 || m.Flags&1 != 0 || len(m.B) < 64+48 {
		return nil, false
	}
	start := len(f.scratch)
	f.scratch = appendUTF16LE(f.scratch, smb2CreateName(m.B))
	return f.scratch[start:len(f.scratch):len(f.scratch)], true
}

// DCERPCUint returns the n-byte (1, 2 or 4) integer at off in a PDU, in
// its data representation; ok false when the PDU is shorter.
func DCERPCUint(b []byte, off, n int) (uint64, bool) {
	if off+n > len(b) || len(b) < 16 {
		return 0, false
	}
	switch n {
	case 1:
		return uint64(b[off]), true
	case 2:
		return uint64(dce16(b, off)), true
	}
	return uint64(dce32(b, off)), true
}
