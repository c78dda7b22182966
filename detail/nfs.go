package detail

import (
	"strconv"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
)

func init() {
	Register(decode.ProtoNFS, buildRPCProgram("Network File System"))
	Register(decode.ProtoMOUNT, buildRPCProgram("Mount Service"))
}

// buildRPCProgram writes the tree of an RPC program's arguments or
// results (NFS, MOUNT): tshark's title with the procedure and the Info
// details, and the generated version and procedure lines (the arguments
// themselves are not shown).
func buildRPCProgram(title string) BuildFunc {
	return func(b *Builder, l decode.Layer, d []byte) {
		f := b.Frame
		n := min(l.Len, len(d))
		// The RPC layer before this one, and its call.
		ri := -1
		for i := 0; i < b.layer; i++ {
			if f.Layers[i].Proto == decode.ProtoRPC {
				ri++
			}
		}
		if ri < 0 || ri >= len(f.RPCMatch) {
			b.Add(l.Proto.String(), 0, n, title)
			return
		}
		c := f.RPCMatch[ri]
		name := decode.RPCProcName(c.Prog, c.Vers, c.Proc)
		kind := " Call"
		if c.Frame != 0 {
			kind = " Reply"
		}
		info := string(f.AppendInfo(nil))
		detail := ""
		if i := strings.Index(info, name+kind); i >= 0 {
			detail = info[i+len(name+kind):]
			if j := strings.Index(detail, "  ; "); j >= 0 {
				detail = detail[:j]
			}
			if strings.HasPrefix(detail, " (Call In ") {
				if j := strings.IndexByte(detail, ')'); j >= 0 {
					detail = detail[j+1:]
				}
			}
			detail = strings.TrimPrefix(detail, ",")
		}
		b.Openf(l.Proto.String(), 0, n, "%s, %s%s%s", title, name, kind, detail)
		b.Gen("rpc.programversion", "Program Version: %d", c.Vers)
		b.Gen(l.Proto.String()+".procedure_v"+strconv.FormatUint(uint64(c.Vers), 10), "V%d Procedure: %s (%d)", c.Vers, name, c.Proc)
		b.Close()
	}
}
