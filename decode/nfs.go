package decode

import (
	"hash/crc32"
	"strconv"
)

// NFS (RFC 1813, RFC 7530) and MOUNT on top of ONC-RPC, on whatever port
// RPC is found (rpcconv.go): the program's layer holds a call's arguments
// or a reply's results (none for procedure NULL, as Wireshark), and the Info
// column names the procedure with Wireshark's details for the common NFSv3
// calls (file handle hash, directory handle and name, offsets).

// RPCMountProgram is the MOUNT program number.
const RPCMountProgram = 100005

var nfs2Procs = [...]string{"NULL", "GETATTR", "SETATTR", "ROOT", "LOOKUP", "READLINK", "READ", "WRITECACHE", "WRITE",
	"CREATE", "REMOVE", "RENAME", "LINK", "SYMLINK", "MKDIR", "RMDIR", "READDIR", "STATFS"}
var nfs3Procs = [...]string{"NULL", "GETATTR", "SETATTR", "LOOKUP", "ACCESS", "READLINK", "READ", "WRITE", "CREATE",
	"MKDIR", "SYMLINK", "MKNOD", "REMOVE", "RMDIR", "RENAME", "LINK", "READDIR", "READDIRPLUS", "FSSTAT", "FSINFO",
	"PATHCONF", "COMMIT"}
var mountProcs = [...]string{"NULL", "MNT", "DUMP", "UMNT", "UMNTALL", "EXPORT", "EXPORTALL", "PATHCONF"}

// RPCProcName returns the name of procedure proc of program prog version
// vers as Wireshark prints it, "" when unknown.
func RPCProcName(prog, vers, proc uint32) string {
	var names []string
	switch {
	case prog == RPCPortmapProgram:
		return PortmapProcName(vers, proc)
	case prog == RPCNFSProgram && vers == 2:
		names = nfs2Procs[:]
	case prog == RPCNFSProgram && vers == 3:
		names = nfs3Procs[:]
	case prog == RPCNFSProgram && vers == 4:
		names = []string{"NULL", "COMPOUND"}
	case prog == RPCMountProgram:
		names = mountProcs[:]
	}
	if int64(proc) < int64(len(names)) {
		return names[proc]
	}
	if proc == 0 && RPCProgramName(prog) != "" {
		return "NULL"
	}
	return ""
}

// rpcProgProto is the protocol layer Wireshark puts after the RPC layer of
// program prog (0: none decoded here).
func rpcProgProto(prog uint32) Proto {
	switch prog {
	case RPCPortmapProgram:
		return ProtoPortmap
	case RPCNFSProgram:
		return ProtoNFS
	case RPCMountProgram:
		return ProtoMOUNT
	}
	return 0
}

// NFSHash is Wireshark's file handle hash (CRC-32 of its bytes).
func NFSHash(fh []byte) uint32 { return crc32.ChecksumIEEE(fh) }

// xdrOpaque reads a variable-length XDR opaque at off: its bytes and the
// offset after its padding; ok false when b is too short.
func xdrOpaque(b []byte, off int) (v []byte, next int, ok bool) {
	if off+4 > len(b) {
		return nil, 0, false
	}
	n := int(be32(b[off:]))
	if n < 0 || n > 1024 || off+4+n > len(b) {
		return nil, 0, false
	}
	return b[off+4 : off+4+n], off + 4 + (n+3)&^3, true
}

var nfs3Stable = [...]string{"UNSTABLE", "DATA_SYNC", "FILE_SYNC"}

// appendNFS3CallInfo appends Wireshark's details of an NFSv3 call's
// arguments a (", FH: 0x89686ab3 Offset: 73728 Len: 8192 UNSTABLE").
func appendNFS3CallInfo(dst []byte, proc uint32, a []byte) []byte {
	fh, off, ok := xdrOpaque(a, 0)
	if !ok {
		return dst
	}
	hex8 := func(v uint32) []byte {
		s := strconv.FormatUint(uint64(v), 16)
		for len(s) < 8 {
			s = "0" + s
		}
		return []byte(s)
	}
	switch proc {
	case 3, 8, 9, 10, 11, 12, 13: // LOOKUP CREATE MKDIR SYMLINK MKNOD REMOVE RMDIR: directory handle and name
		name, next, ok := xdrOpaque(a, off)
		if !ok {
			return dst
		}
		dst = append(dst, ", DH: 0x"...)
		dst = append(dst, hex8(NFSHash(fh))...)
		dst = append(dst, '/')
		dst = AppendDisplayText(dst, name)
		if proc == 8 && next+4 <= len(a) {
			if m := be32(a[next:]); m < 3 {
				dst = append(dst, " Mode: "...)
				dst = append(dst, [...]string{"UNCHECKED", "GUARDED", "EXCLUSIVE"}[m]...)
			}
		}
		return dst
	case 1, 2, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21:
		dst = append(dst, ", FH: 0x"...)
		dst = append(dst, hex8(NFSHash(fh))...)
	default:
		return dst
	}
	if proc == 4 && off+4 <= len(a) {
		dst = append(dst, ", [Check:"...)
		dst = appendNFSAccess(dst, be32(a[off:]))
		return append(dst, ']')
	}
	switch proc {
	case 6, 7, 21: // READ, WRITE, COMMIT: offset and count
		if off+12 > len(a) {
			return dst
		}
		dst = append(dst, " Offset: "...)
		dst = strconv.AppendUint(dst, uint64(be32(a[off:]))<<32|uint64(be32(a[off+4:])), 10)
		dst = append(dst, " Len: "...)
		dst = strconv.AppendUint(dst, uint64(be32(a[off+8:])), 10)
		if proc == 7 && off+16 <= len(a) {
			if s := be32(a[off+12:]); s < 3 {
				dst = append(dst, ' ')
				dst = append(dst, nfs3Stable[s]...)
			}
		}
	}
	return dst
}

// appendGetportInfo appends a portmapper GETPORT call's arguments as
// Wireshark writes them (" NFS(100003) V:3 TCP").
func appendGetportInfo(dst, a []byte) []byte {
	if len(a) < 16 {
		return dst
	}
	prog, vers, prot := be32(a), be32(a[4:]), be32(a[8:])
	dst = append(dst, ' ')
	if n := RPCProgramName(prog); n != "" {
		dst = append(dst, n...)
	} else {
		dst = append(dst, "Unknown"...)
	}
	dst = append(dst, '(')
	dst = strconv.AppendUint(dst, uint64(prog), 10)
	dst = append(dst, ") V:"...)
	dst = strconv.AppendUint(dst, uint64(vers), 10)
	switch prot {
	case 6:
		dst = append(dst, " TCP"...)
	case 17:
		dst = append(dst, " UDP"...)
	}
	return dst
}

var nfsAccessNames = [...]string{"RD", "LU", "MD", "XT", "DL", "XE"}

func appendNFSAccess(dst []byte, m uint32) []byte {
	for i, n := range nfsAccessNames {
		if m&(1<<i) != 0 {
			dst = append(dst, ' ')
			dst = append(dst, n...)
		}
	}
	return dst
}

var nfs3Types = [...]string{"", "Regular File", "Directory", "Block Device", "Character Device", "Symbolic Link",
	"Socket", "Named Pipe"}

var nfs3Errors = map[uint32]string{1: "NFS3ERR_PERM", 2: "NFS3ERR_NOENT", 5: "NFS3ERR_IO", 6: "NFS3ERR_NXIO",
	13: "NFS3ERR_ACCES", 17: "NFS3ERR_EXIST", 18: "NFS3ERR_XDEV", 19: "NFS3ERR_NODEV", 20: "NFS3ERR_NOTDIR",
	21: "NFS3ERR_ISDIR", 22: "NFS3ERR_INVAL", 27: "NFS3ERR_FBIG", 28: "NFS3ERR_NOSPC", 30: "NFS3ERR_ROFS",
	31: "NFS3ERR_MLINK", 63: "NFS3ERR_NAMETOOLONG", 66: "NFS3ERR_NOTEMPTY", 69: "NFS3ERR_DQUOT", 70: "NFS3ERR_STALE",
	71: "NFS3ERR_REMOTE", 10001: "NFS3ERR_BADHANDLE", 10002: "NFS3ERR_NOT_SYNC", 10003: "NFS3ERR_BAD_COOKIE",
	10004: "NFS3ERR_NOTSUPP", 10005: "NFS3ERR_TOOSMALL", 10006: "NFS3ERR_SERVERFAULT", 10007: "NFS3ERR_BADTYPE",
	10008: "NFS3ERR_JUKEBOX"}

// NFS3ErrorName is nfs.nfsstat3's name, "" unknown.
func NFS3ErrorName(s uint32) string { return nfs3Errors[s] }

// appendNFS3ReplyInfo appends Wireshark's details of an NFSv3 reply's
// results r: the error, GETATTR's type, mode and owner, ACCESS's rights,
// WRITE's count and commitment.
func appendNFS3ReplyInfo(dst []byte, c RPCCallInfo, r []byte) []byte {
	if len(r) < 4 {
		return dst
	}
	if s := be32(r); s != 0 {
		dst = append(dst, " Error: "...)
		if n := nfs3Errors[s]; n != "" {
			return append(dst, n...)
		}
		return strconv.AppendUint(dst, uint64(s), 10)
	}
	switch c.Proc {
	case 1: // GETATTR: fattr3
		if len(r) < 4+20 {
			return dst
		}
		a := r[4:]
		dst = append(dst, "  "...)
		if t := be32(a); t < uint32(len(nfs3Types)) && t > 0 {
			dst = append(dst, nfs3Types[t]...)
		} else {
			dst = append(dst, "Unknown"...)
		}
		dst = append(dst, " mode: "...)
		mode := strconv.FormatUint(uint64(be32(a[4:])&07777), 8)
		for len(mode) < 4 {
			mode = "0" + mode
		}
		dst = append(dst, mode...)
		dst = append(dst, " uid: "...)
		dst = strconv.AppendUint(dst, uint64(be32(a[12:])), 10)
		dst = append(dst, " gid: "...)
		dst = strconv.AppendUint(dst, uint64(be32(a[16:])), 10)
	case 4: // ACCESS: post_op_attr, then the rights
		off := 4
		if len(r) < off+4 {
			return dst
		}
		if be32(r[off:]) != 0 {
			off += 84
		}
		off += 4
		if len(r) < off+4 {
			return dst
		}
		allowed := be32(r[off:])
		if denied := c.Arg &^ allowed; denied != 0 {
			dst = append(dst, ", [Access Denied:"...)
			dst = appendNFSAccess(dst, denied)
			dst = append(dst, ']')
		}
		dst = append(dst, ", [Allowed:"...)
		dst = appendNFSAccess(dst, allowed)
		dst = append(dst, ']')
	case 7: // WRITE: wcc_data, count, committed
		off := 4
		for _, n := range [2]int{24, 84} { // pre_op_attr, post_op_attr
			if len(r) < off+4 {
				return dst
			}
			if be32(r[off:]) != 0 {
				off += n
			}
			off += 4
		}
		if len(r) < off+8 {
			return dst
		}
		dst = append(dst, " Len: "...)
		dst = strconv.AppendUint(dst, uint64(be32(r[off:])), 10)
		if s := be32(r[off+4:]); s < 3 {
			dst = append(dst, ' ')
			dst = append(dst, nfs3Stable[s]...)
		}
	}
	return dst
}
