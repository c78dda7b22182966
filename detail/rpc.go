package detail

import (
	"strconv"

	"github.com/wirewatch/wirewatch/decode"
)

func init() {
	Register(decode.ProtoRPC, buildRPC)
	Register(decode.ProtoPortmap, buildPortmap)
}

var rpcFlavors = map[uint32]string{0: "AUTH_NULL", 1: "AUTH_UNIX", 2: "AUTH_SHORT", 3: "AUTH_DES", 6: "RPCSEC_GSS"}

// buildRPC writes tshark's "Remote Procedure Call" tree of one message
// (with its TCP record mark).
func buildRPC(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	d = d[:n]
	off := 0
	if b.Frame.Has(decode.ProtoTCP) {
		off = 4
	}
	if n < off+8 {
		b.Add("rpc", 0, n, "Remote Procedure Call")
		return
	}
	m := d[off:]
	xid, typ := be32(m), be32(m[4:])
	typName := "Call"
	if typ == 1 {
		typName = "Reply"
	}
	b.Openf("rpc", 0, n, "Remote Procedure Call, Type:%s XID:0x%08x", typName, xid)
	defer b.Close()
	if off == 4 {
		mark := uint64(be32(d))
		last := "Last fragment"
		lastYes := "Yes"
		if mark&0x80000000 == 0 {
			last, lastYes = "Not last fragment", "No"
		}
		b.Openf("rpc.fraghdr", 0, 4, "Fragment header: %s, %d bytes", last, mark&0x7fffffff)
		b.Add("rpc.lastfrag", 0, 4, BitLine(32, 0x80000000, mark, "Last Fragment: "+lastYes))
		b.Add("rpc.fraglen", 0, 4, BitLine(32, 0x7fffffff, mark, "Fragment Length: "+strconv.FormatUint(mark&0x7fffffff, 10)))
		b.Close()
	}
	b.Addf("rpc.xid", off, 4, "XID: 0x%08x (%d)", xid, xid)
	b.Addf("rpc.msgtyp", off+4, 4, "Message Type: %s (%d)", typName, typ)
	if typ != 0 || len(m) < 24 {
		return
	}
	prog, vers, proc := be32(m[12:]), be32(m[16:]), be32(m[20:])
	b.Addf("rpc.version", off+8, 4, "RPC Version: %d", be32(m[8:]))
	if name := decode.RPCProgramName(prog); name != "" {
		b.Addf("rpc.program", off+12, 4, "Program: %s (%d)", name, prog)
	} else {
		b.Addf("rpc.program", off+12, 4, "Program: Unknown (%d)", prog)
	}
	b.Addf("rpc.programversion", off+16, 4, "Program Version: %d", vers)
	if name := decode.RPCProcName(prog, vers, proc); name != "" {
		b.Addf("rpc.procedure", off+20, 4, "Procedure: %s (%d)", name, proc)
	} else {
		b.Addf("rpc.procedure", off+20, 4, "Procedure: %d", proc)
	}
	p := 24
	for _, what := range [2]string{"Credentials", "Verifier"} {
		if p+8 > len(m) {
			return
		}
		fl, ln := be32(m[p:]), be32(m[p+4:])
		name, ok := rpcFlavors[fl]
		if !ok {
			name = "Unknown"
		}
		pad := int(ln+3) &^ 3
		field := "rpc.cred"
		if what == "Verifier" {
			field = "rpc.verf"
		}
		b.Open(field, off+p, min(8+pad, len(m)-p), what)
		b.Addf("rpc.auth.flavor", off+p, 4, "Flavor: %s (%d)", name, fl)
		b.Addf("rpc.auth.length", off+p+4, 4, "Length: %d", ln)
		b.Close()
		p += 8 + pad
	}
}

// buildPortmap writes the Portmap tree of a call's arguments: the
// generated version and procedure lines (tshark's; the arguments of SET,
// UNSET, GETPORT and CALLIT are not shown yet).
func buildPortmap(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	b.Open("portmap", 0, n, "Portmap")
	defer b.Close()
	// The RPC layer before this one holds the call header.
	f := b.Frame
	for i := b.layer - 1; i >= 0; i-- {
		if f.Layers[i].Proto != decode.ProtoRPC {
			continue
		}
		m := f.RPCMessage(f.Layers[i])
		if len(m) < 24 {
			return
		}
		vers, proc := be32(m[16:]), be32(m[20:])
		b.Gen("rpc.programversion", "Program Version: %d", vers)
		if name := decode.PortmapProcName(vers, proc); name != "" {
			b.Gen("portmap.procedure_v"+strconv.FormatUint(uint64(vers), 10), "V%d Procedure: %s (%d)", vers, name, proc)
		}
		return
	}
}
