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
			i := -1
			for _, l := range f.Layers {
				if l.Proto != decode.ProtoRPC {
					continue
				}
				i++
				m := f.RPCMessage(l)
				if len(m) < 8 {
					continue
				}
				var v Value
				switch {
				case m[4]|m[5]|m[6]|m[7] == 0 || !calls:
					if off+4 > len(m) || (calls && m[4]|m[5]|m[6]|m[7] != 0) {
						continue
					}
					v = Value{U: uint64(m[off])<<24 | uint64(m[off+1])<<16 | uint64(m[off+2])<<8 | uint64(m[off+3])}
				case off >= 12 && i < len(f.RPCMatch) && f.RPCMatch[i].Frame != 0:
					// A reply shows its call's program, version and procedure.
					c := f.RPCMatch[i]
					v = Value{U: uint64([3]uint32{c.Prog, c.Vers, c.Proc}[(off-12)/4])}
				default:
					continue
				}
				dst = append(dst, v)
				if name == "rpc.programversion" && i < len(f.RPCMatch) && decode.RPCProgramName(f.RPCMatch[i].Prog) != "" {
					// A program Wireshark dissects repeats it as a generated field.
					dst = append(dst, v)
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
