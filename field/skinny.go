package field

import (
	"encoding/binary"

	"github.com/wirewatch/wirewatch/decode"
)

// Skinny (SCCP) fields (Wireshark 4.0 "skinny.*"): the header of every
// message of a segment, one occurrence each.

// skinnyHdr is a header word of each Skinny message (at off: 0 data
// length, 4 header version, 8 message ID).
func skinnyHdr(name string, base Base, off int) Field {
	return Field{Name: name, Type: FTUint32, Base: base, Proto: decode.ProtoSkinny,
		Get: func(f *decode.Frame, dst []Value) []Value {
			b, ok := layerBytes(f, decode.ProtoSkinny)
			if !ok {
				return dst
			}
			decode.SkinnyMessages(b, func(m []byte) bool {
				dst = append(dst, Value{U: uint64(binary.LittleEndian.Uint32(m[off:]))})
				return true
			})
			return dst
		}}
}

var skinnyFields = []Field{
	protoField("skinny", decode.ProtoSkinny),
	skinnyHdr("skinny.data_length", BaseDec, 0),
	skinnyHdr("skinny.hdr_version", BaseHex, 4),
	skinnyHdr("skinny.messageId", BaseDec, 8),
}
