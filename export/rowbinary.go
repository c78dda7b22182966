package export

import (
	"encoding/binary"
	"math"
)

// rowBuf encodes rows in ClickHouse's RowBinary format: each row is its
// columns in table order, little-endian fixed-width numbers, strings as a
// LEB128 length followed by the bytes, DateTime as UInt32 seconds, arrays as
// a LEB128 count followed by the elements.
//
// It is hand-written (about fifty lines) because the Go client,
// clickhouse-go v2, does not work against the ClickHouse that Debian 12
// ships (18.16: its native batch insert fails with "expected 0 arguments",
// its HTTP mode at connect with "Unknown setting client_protocol_version"),
// while RowBinary over the plain HTTP interface is understood unchanged by
// 18.16 and by every current release.
type rowBuf struct {
	b    []byte
	rows int
}

func (r *rowBuf) u8(v uint8)   { r.b = append(r.b, v) }
func (r *rowBuf) u16(v uint16) { r.b = binary.LittleEndian.AppendUint16(r.b, v) }
func (r *rowBuf) u32(v uint32) { r.b = binary.LittleEndian.AppendUint32(r.b, v) }
func (r *rowBuf) u64(v uint64) { r.b = binary.LittleEndian.AppendUint64(r.b, v) }
func (r *rowBuf) i64(v int64)  { r.u64(uint64(v)) }
func (r *rowBuf) f64(v float64) {
	r.u64(math.Float64bits(v))
}

// dateTime writes a DateTime from ns since the epoch (whole seconds, UTC).
func (r *rowBuf) dateTime(ns int64) {
	s := ns / 1e9
	if s < 0 {
		s = 0
	} else if s > math.MaxUint32 {
		s = math.MaxUint32
	}
	r.u32(uint32(s))
}

func (r *rowBuf) uvarint(n uint64) { r.b = binary.AppendUvarint(r.b, n) }

func (r *rowBuf) str(s string) {
	r.uvarint(uint64(len(s)))
	r.b = append(r.b, s...)
}

func (r *rowBuf) bytes(s []byte) {
	r.uvarint(uint64(len(s)))
	r.b = append(r.b, s...)
}

func (r *rowBuf) strs(v []string) {
	r.uvarint(uint64(len(v)))
	for _, s := range v {
		r.str(s)
	}
}

func (r *rowBuf) boolean(v bool) {
	if v {
		r.u8(1)
	} else {
		r.u8(0)
	}
}
