package field

import (
	"encoding/binary"
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// Multipath TCP options (RFC 8684, kind 30) as Wireshark 4.0 shows them:
// the "mptcp" protocol (one layer per option, decode marks it) and the
// tcp.options.mptcp.* fields read from the option bytes. One value per
// option that has the field, in header order. The mptcp.* connection
// analysis (data sequence mapping across subflows) is not built.

// MPTCP option subtypes.
const (
	mpCapable   = 0
	mpJoin      = 1
	mpDSS       = 2
	mpAddAddr   = 3
	mpRemove    = 4
	mpPrio      = 5
	mpFail      = 6
	mpFastClose = 7
	mpTCPRST    = 8
)

// eachMPTCP calls fn with each MPTCP option of f's TCP header (kind and
// length bytes included, at least 3 bytes).
func eachMPTCP(f *decode.Frame, fn func(o []byte)) {
	if !f.Has(decode.ProtoMPTCP) || !hasTCP(f) {
		return
	}
	tcpOpts(f.TCP.Options, func(k byte, o []byte) {
		if k == 30 && len(o) >= 3 {
			fn(o)
		}
	})
}

// mptcpUint is an unsigned tcp.options.mptcp field; get reports the value
// of one option, ok false when that option has none.
func mptcpUint(name string, t Type, base Base, mask uint64, get func(o []byte) (uint64, bool)) Field {
	return Field{Name: name, Type: t, Base: base, Bitmask: mask, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachMPTCP(f, func(o []byte) {
				if v, ok := get(o); ok {
					dst = append(dst, Value{U: v})
				}
			})
			return dst
		}}
}

func mpSubtype(o []byte) int { return int(o[2] >> 4) }

// mpU reads an n-byte big-endian integer at off when the option holds it.
func mpU(o []byte, off, n int) (uint64, bool) {
	if off+n > len(o) {
		return 0, false
	}
	var v uint64
	for _, c := range o[off : off+n] {
		v = v<<8 | uint64(c)
	}
	return v, true
}

// mpFlags is the flags byte of MP_CAPABLE and DSS (byte 3) and MP_TCPRST
// (byte 2, with the subtype bits, as Wireshark shows it).
func mpFlags(o []byte) (uint64, bool) {
	switch mpSubtype(o) {
	case mpCapable, mpDSS:
		return mpU(o, 3, 1)
	case mpTCPRST:
		return uint64(o[2]), true
	}
	return 0, false
}

// mpFlagBit is a flag of the subtypes listed.
func mpFlagBit(name string, mask uint8, subtypes ...int) Field {
	shift := 0
	for mask>>shift&1 == 0 {
		shift++
	}
	return mptcpUint(name, FTUint8, BaseDec, uint64(mask), func(o []byte) (uint64, bool) {
		st := mpSubtype(o)
		for _, s := range subtypes {
			if s == st {
				fl, ok := mpFlags(o)
				return (fl & uint64(mask)) >> shift, ok
			}
		}
		return 0, false
	})
}

// mpCapableVersion is an MP_CAPABLE option's version (0: RFC 6824, 1: RFC 8684).
func mpCapableVersion(o []byte) int { return int(o[2] & 0x0f) }

// mpDSSOffsets returns where a DSS option's data ACK and mapping start
// (-1 when absent) and their widths.
func mpDSSOffsets(o []byte) (ack, ackLen, dsn, dsnLen int) {
	ack, dsn = -1, -1
	if len(o) < 4 {
		return
	}
	fl, off := o[3], 4
	if fl&0x01 != 0 {
		ack, ackLen = off, 4
		if fl&0x02 != 0 {
			ackLen = 8
		}
		off += ackLen
	}
	if fl&0x04 != 0 {
		dsn, dsnLen = off, 4
		if fl&0x08 != 0 {
			dsnLen = 8
		}
	}
	return
}

// mpAddAddrLayout returns an ADD_ADDR option's address length (4 or 16) and
// whether it carries a port and a truncated HMAC, from its length.
func mpAddAddrLayout(o []byte) (alen int, port, hmac bool) {
	switch len(o) {
	case 8, 10, 16, 18:
		alen = 4
	case 20, 22, 28, 30:
		alen = 16
	default:
		return 0, false, false
	}
	rest := len(o) - 4 - alen
	return alen, rest == 2 || rest == 10, rest >= 8
}

var mptcpFields = []Field{
	protoField("mptcp", decode.ProtoMPTCP),
	mptcpUint("tcp.options.mptcp.subtype", FTUint8, BaseDec, 0xf0, func(o []byte) (uint64, bool) {
		return uint64(mpSubtype(o)), true
	}),
	mptcpUint("tcp.options.mptcp.version", FTUint8, BaseDec, 0x0f, func(o []byte) (uint64, bool) {
		return uint64(mpCapableVersion(o)), mpSubtype(o) == mpCapable
	}),
	mptcpUint("tcp.options.mptcp.flags", FTUint8, BaseHex, 0, mpFlags),
	mpFlagBit("tcp.options.mptcp.checksumreq.flags", 0x80, mpCapable),
	mpFlagBit("tcp.options.mptcp.extensibility.flag", 0x40, mpCapable),
	mptcpUint("tcp.options.mptcp.nomoresubflows.flag", FTUint8, BaseDec, 0x20, func(o []byte) (uint64, bool) {
		if mpSubtype(o) != mpCapable || mpCapableVersion(o) < 1 || len(o) < 4 {
			return 0, false
		}
		return uint64(o[3]>>5) & 1, true
	}),
	mptcpUint("tcp.options.mptcp.sha256.flag", FTUint8, BaseDec, 0x01, func(o []byte) (uint64, bool) {
		if mpSubtype(o) != mpCapable || mpCapableVersion(o) < 1 || len(o) < 4 {
			return 0, false
		}
		return uint64(o[3]) & 1, true
	}),
	mptcpUint("tcp.options.mptcp.sha1.flag", FTUint8, BaseDec, 0x01, func(o []byte) (uint64, bool) {
		if mpSubtype(o) != mpCapable || mpCapableVersion(o) != 0 || len(o) < 4 {
			return 0, false
		}
		return uint64(o[3]) & 1, true
	}),
	mpFlagBit("tcp.options.mptcp.datafin.flag", 0x10, mpDSS),
	mpFlagBit("tcp.options.mptcp.dseqn8.flag", 0x08, mpDSS),
	mpFlagBit("tcp.options.mptcp.dseqnpresent.flag", 0x04, mpDSS),
	mpFlagBit("tcp.options.mptcp.dataack8.flag", 0x02, mpDSS),
	mpFlagBit("tcp.options.mptcp.dataackpresent.flag", 0x01, mpDSS),
	mptcpUint("tcp.options.mptcp.sendkey", FTUint64, BaseDec, 0, func(o []byte) (uint64, bool) {
		if mpSubtype(o) != mpCapable || len(o) < 12 {
			return 0, false
		}
		return mpU(o, 4, 8)
	}),
	mptcpUint("tcp.options.mptcp.recvkey", FTUint64, BaseDec, 0, func(o []byte) (uint64, bool) {
		switch {
		case mpSubtype(o) == mpCapable && len(o) >= 20:
			return mpU(o, 12, 8)
		case mpSubtype(o) == mpFastClose:
			return mpU(o, 4, 8)
		}
		return 0, false
	}),
	mptcpUint("tcp.options.mptcp.datalvllen", FTUint16, BaseDec, 0, func(o []byte) (uint64, bool) {
		switch mpSubtype(o) {
		case mpCapable:
			if len(o) >= 22 {
				return mpU(o, 20, 2)
			}
		case mpDSS:
			if _, _, d, n := mpDSSOffsets(o); d >= 0 {
				return mpU(o, d+n+4, 2)
			}
		}
		return 0, false
	}),
	mptcpUint("tcp.options.mptcp.rawdataack", FTUint64, BaseDec, 0, func(o []byte) (uint64, bool) {
		if a, n, _, _ := mpDSSOffsets(o); mpSubtype(o) == mpDSS && a >= 0 {
			return mpU(o, a, n)
		}
		return 0, false
	}),
	mptcpUint("tcp.options.mptcp.rawdataseqno", FTUint64, BaseDec, 0, func(o []byte) (uint64, bool) {
		switch mpSubtype(o) {
		case mpDSS:
			if _, _, d, n := mpDSSOffsets(o); d >= 0 {
				return mpU(o, d, n)
			}
		case mpFail:
			return mpU(o, 4, 8)
		}
		return 0, false
	}),
	mptcpUint("tcp.options.mptcp.subflowseqno", FTUint32, BaseDec, 0, func(o []byte) (uint64, bool) {
		if _, _, d, n := mpDSSOffsets(o); mpSubtype(o) == mpDSS && d >= 0 {
			return mpU(o, d+n, 4)
		}
		return 0, false
	}),
	{Name: "tcp.options.mptcp.addrid", Type: FTUint8, Base: BaseDec, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachMPTCP(f, func(o []byte) {
				switch mpSubtype(o) {
				case mpJoin, mpAddAddr, mpPrio:
					if len(o) >= 4 {
						dst = append(dst, Value{U: uint64(o[3])})
					}
				case mpRemove: // every address ID removed
					for _, c := range o[3:] {
						dst = append(dst, Value{U: uint64(c)})
					}
				}
			})
			return dst
		}},
	mptcpUint("tcp.options.mptcp.echo", FTUint8, BaseDec, 0x01, func(o []byte) (uint64, bool) {
		return uint64(o[2] & 1), mpSubtype(o) == mpAddAddr
	}),
	{Name: "tcp.options.mptcp.ipv4", Type: FTIPv4, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachMPTCP(f, func(o []byte) {
				if n, _, _ := mpAddAddrLayout(o); mpSubtype(o) == mpAddAddr && n == 4 {
					dst = append(dst, Value{A: netip.AddrFrom4([4]byte(o[4:8]))})
				}
			})
			return dst
		}},
	{Name: "tcp.options.mptcp.ipv6", Type: FTIPv6, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachMPTCP(f, func(o []byte) {
				if n, _, _ := mpAddAddrLayout(o); mpSubtype(o) == mpAddAddr && n == 16 {
					dst = append(dst, Value{A: netip.AddrFrom16([16]byte(o[4:20]))})
				}
			})
			return dst
		}},
	mptcpUint("tcp.options.mptcp.port", FTUint16, BaseDec, 0, func(o []byte) (uint64, bool) {
		if n, port, _ := mpAddAddrLayout(o); mpSubtype(o) == mpAddAddr && port {
			return mpU(o, 4+n, 2)
		}
		return 0, false
	}),
	mptcpUint("tcp.options.mptcp.addaddrtrunchmac", FTUint64, BaseDec, 0, func(o []byte) (uint64, bool) {
		if _, _, hmac := mpAddAddrLayout(o); mpSubtype(o) == mpAddAddr && hmac && o[2]&1 == 0 {
			return binary.BigEndian.Uint64(o[len(o)-8:]), true
		}
		return 0, false
	}),
	mptcpUint("tcp.options.mptcp.backup.flag", FTUint8, BaseDec, 0x01, func(o []byte) (uint64, bool) {
		st := mpSubtype(o)
		return uint64(o[2] & 1), st == mpPrio || st == mpJoin && len(o) != 24
	}),
	mptcpUint("tcp.options.mptcp.recvtok", FTUint32, BaseDec, 0, func(o []byte) (uint64, bool) {
		if mpSubtype(o) == mpJoin && len(o) == 12 {
			return mpU(o, 4, 4)
		}
		return 0, false
	}),
	mptcpUint("tcp.options.mptcp.sendrand", FTUint32, BaseDec, 0, func(o []byte) (uint64, bool) {
		switch {
		case mpSubtype(o) == mpJoin && len(o) == 12:
			return mpU(o, 8, 4)
		case mpSubtype(o) == mpJoin && len(o) == 16:
			return mpU(o, 12, 4)
		}
		return 0, false
	}),
	mptcpUint("tcp.options.mptcp.sendtrunchmac", FTUint64, BaseDec, 0, func(o []byte) (uint64, bool) {
		if mpSubtype(o) == mpJoin && len(o) == 16 {
			return mpU(o, 4, 8)
		}
		return 0, false
	}),
	{Name: "tcp.options.mptcp.sendhmac", Type: FTBytes, Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachMPTCP(f, func(o []byte) {
				if mpSubtype(o) == mpJoin && len(o) == 24 {
					dst = append(dst, Value{B: o[4:24]})
				}
			})
			return dst
		}},
	mptcpUint("tcp.options.mptcp.rst_reason", FTUint8, BaseHex, 0, func(o []byte) (uint64, bool) {
		if mpSubtype(o) == mpTCPRST {
			return mpU(o, 3, 1)
		}
		return 0, false
	}),
	mpRSTFlag("tcp.options.mptcp.flag_U.flag", 0x08),
	mpRSTFlag("tcp.options.mptcp.flag_V.flag", 0x04),
	mpRSTFlag("tcp.options.mptcp.flag_W.flag", 0x02),
	mpRSTFlag("tcp.options.mptcp.flag_T.flag", 0x01),
}

// mpRSTFlag is one of MP_TCPRST's boolean flags.
func mpRSTFlag(name string, mask uint8) Field {
	return Field{Name: name, Type: FTBoolean, Bitmask: uint64(mask), Proto: decode.ProtoTCP,
		Get: func(f *decode.Frame, dst []Value) []Value {
			eachMPTCP(f, func(o []byte) {
				if mpSubtype(o) == mpTCPRST {
					dst = append(dst, Value{U: b2u(o[2]&mask != 0)})
				}
			})
			return dst
		}}
}
