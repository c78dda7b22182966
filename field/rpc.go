package field

import "github.com/wirewatch/wirewatch/decode"

// ONC-RPC fields (Wireshark 4.0 "rpc.*"), one value per RPC message of the
// frame, and the portmapper's protocol.

// rpcWord is the 32-bit word at off of each RPC message (without the TCP
// record mark) that ok accepts (msgtype and length known to hold it).
func rpcWord(name string, base Base, off int, calls bool) Field {
	return Field{Name: name, Type: FTUint32, Base: base, Proto: decode.ProtoRPC,
		Get: func(f *decode.Frame, dst []Value) []Value {
			if !f.Has(decode.ProtoRPC) {
				return dst
			}
			for _, l := range f.Layers {
				if l.Proto != decode.ProtoRPC {
					continue
				}
				m := f.RPCMessage(l)
				if off+4 > len(m) || len(m) < 8 || (calls && m[4]|m[5]|m[6]|m[7] != 0) {
					continue
				}
				v := Value{U: uint64(m[off])<<24 | uint64(m[off+1])<<16 | uint64(m[off+2])<<8 | uint64(m[off+3])}
				dst = append(dst, v)
				if name == "rpc.programversion" && m[12] == 0 && m[13] == 1 && m[14] == 0x86 && m[15] == 0xa0 {
					// The Portmap tree repeats it as a generated field.
					if _, ok := decode.RPCCallBody(m); ok {
						dst = append(dst, v)
					}
				}
			}
			return dst
		}}
}

var rpcFields = []Field{
	protoField("rpc", decode.ProtoRPC),
	protoField("portmap", decode.ProtoPortmap),
	rpcWord("rpc.xid", BaseHex, 0, false),
	rpcWord("rpc.msgtyp", BaseDec, 4, false),
	rpcWord("rpc.version", BaseDec, 8, true),
	rpcWord("rpc.program", BaseDec, 12, true),
	rpcWord("rpc.programversion", BaseDec, 16, true),
	rpcWord("rpc.procedure", BaseDec, 20, true),
}
