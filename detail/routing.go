package detail

import (
	"fmt"
	"net/netip"

	"github.com/wirewatch/wirewatch/decode"
)

// -V trees of the routing dissectors (decode/routing.go): TFTP, PIM, LACP,
// HSRP and VRRP in full, the others with their title line.

func init() {
	Register(decode.ProtoTFTP, buildTFTP)
	Register(decode.ProtoPIM, buildPIM)
	Register(decode.ProtoLACP, buildLACP)
	Register(decode.ProtoHSRP, buildHSRP)
	Register(decode.ProtoVRRP, buildVRRP)
	Register(decode.ProtoSCTP, func(b *Builder, l decode.Layer, d []byte) {
		n := min(l.Len, len(d))
		if n < 4 {
			b.Add("sctp", 0, n, "Stream Control Transmission Protocol")
			return
		}
		label := func(port uint16) string {
			if s := b.Names.Port(decode.ProtoSCTP, port); s != "" {
				return fmt.Sprintf("%s (%d)", s, port)
			}
			return fmt.Sprintf("%d (%d)", port, port)
		}
		b.Addf("sctp", 0, n, "Stream Control Transmission Protocol, Src Port: %s, Dst Port: %s", label(be16(d)), label(be16(d[2:])))
	})
	Register(decode.ProtoISIS, func(b *Builder, l decode.Layer, d []byte) {
		n := min(l.Len, len(d))
		b.Add("isis", 0, n, "ISO 10589 ISIS InTRA Domain Routeing Information Exchange Protocol")
		if n < 8 {
			return
		}
		switch decode.ISISPDUType(d) {
		case 15, 16, 17:
			b.Add("isis.hello", 8, n-8, "ISIS HELLO")
		case 18, 20:
			b.Add("isis.lsp", 8, n-8, "ISO 10589 ISIS Link State Protocol Data Unit")
		case 24, 25:
			b.Add("isis.csnp", 8, n-8, "ISO 10589 ISIS Complete Sequence Numbers Protocol Data Unit")
		case 26, 27:
			b.Add("isis.psnp", 8, n-8, "ISO 10589 ISIS Partial Sequence Numbers Protocol Data Unit")
		}
	})
	Register(decode.ProtoBGP, func(b *Builder, l decode.Layer, d []byte) {
		off := 0
		decode.BGPMessages(d[:min(l.Len, len(d))], func(m []byte) {
			name := "Unknown Message"
			if i := int(m[18]); i >= 1 && i < len(bgpTypeNames) {
				name = bgpTypeNames[i]
			}
			b.Add("bgp", off, len(m), "Border Gateway Protocol - "+name)
			off += len(m)
		})
	})
	for p, title := range map[decode.Proto]string{
		decode.ProtoOSPF:   "Open Shortest Path First",
		decode.ProtoEIGRP:  "Cisco EIGRP",
		decode.ProtoRADIUS: "RADIUS Protocol",
		decode.ProtoISAKMP: "Internet Security Association and Key Management Protocol",
		decode.ProtoWG:     "WireGuard Protocol",
	} {
		p, title := p, title
		Register(p, func(b *Builder, l decode.Layer, d []byte) {
			b.Add(p.String(), 0, min(l.Len, len(d)), title)
		})
	}
}

var bgpTypeNames = [...]string{"", "OPEN Message", "UPDATE Message", "NOTIFICATION Message", "KEEPALIVE Message",
	"ROUTE-REFRESH Message", "CAPABILITY Message"}

var tftpOps = [...]string{"", "Read Request", "Write Request", "Data Packet", "Acknowledgement", "Error Code", "Option Acknowledgement"}

func buildTFTP(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	d = d[:n]
	b.Open("tftp", 0, n, "Trivial File Transfer Protocol")
	defer b.Close()
	if n < 2 {
		return
	}
	op := be16(d)
	name := "Unknown"
	if int(op) < len(tftpOps) && op > 0 {
		name = tftpOps[op]
	}
	b.Addf("tftp.opcode", 0, 2, "Opcode: %s (%d)", name, op)
	if f := b.Frame; f != nil && f.TFTP.ReqFrame != 0 && op != decode.TFTPRead && op != decode.TFTPWrite {
		b.Gen("tftp.destination_file", "Destination File: %s", Esc(f.TFTP.File))
		req := "Read Request"
		if f.TFTP.Write {
			req = "Write Request"
		}
		b.Gen("tftp.request_frame", "%s in frame %d", req, f.TFTP.ReqFrame)
	}
	switch op {
	case decode.TFTPRead, decode.TFTPWrite:
		file, mode, _ := decode.TFTPRequestStrings(d)
		if op == decode.TFTPRead {
			b.Add("tftp.source_file", 2, len(file)+1, "Source File: "+Esc(file))
		} else {
			b.Add("tftp.destination_file", 2, len(file)+1, "Destination File: "+Esc(file))
		}
		b.Add("tftp.type", 3+len(file), len(mode)+1, "Type: "+Esc(mode))
		b.tftpOptions(d)
	case decode.TFTPData, decode.TFTPAck:
		if n >= 4 {
			b.Addf("tftp.block", 2, 2, "Block: %d", be16(d[2:]))
			if b.Frame != nil && b.Frame.TFTP.ReqFrame != 0 {
				b.Gen("tftp.block.full", "Full Block Number: %d", be16(d[2:]))
			}
		}
	case decode.TFTPError:
		if n >= 4 {
			c := be16(d[2:])
			b.Addf("tftp.error.code", 2, 2, "Error code: %s (%d)", decode.TFTPErrorName(c), c)
			msg := d[4:]
			for i, c := range msg {
				if c == 0 {
					msg = msg[:i]
					break
				}
			}
			b.Add("tftp.error.message", 4, len(msg)+1, "Error message: "+Esc(msg))
		}
	case decode.TFTPOAck:
		b.tftpOptions(d)
	}
}

func (b *Builder) tftpOptions(d []byte) {
	decode.TFTPOptions(d, func(name, value []byte) {
		b.Openf("tftp.option", 0, 0, "Option: %s = %s", Esc(name), Esc(value))
		b.Add("tftp.option.name", 0, 0, "Option name: "+Esc(name))
		b.Add("tftp.option.value", 0, 0, "Option value: "+Esc(value))
		b.Close()
	})
}

var pimTypeNames = [...]string{"Hello", "Register", "Register-stop", "Join/Prune", "Bootstrap", "Assert", "Graft",
	"Graft-Ack", "Candidate-RP-Advertisement", "State-Refresh", "DF election", "ECMP redirect", "PFM"}

func buildPIM(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	d = d[:n]
	b.Open("pim", 0, n, "Protocol Independent Multicast")
	defer b.Close()
	if n < 4 {
		return
	}
	t := d[0] & 0xf
	tn := "Unknown"
	if int(t) < len(pimTypeNames) {
		tn = pimTypeNames[t]
	}
	b.Add("pim.version", 0, 1, BitLine(8, 0xf0, uint64(d[0]), fmt.Sprintf("Version: %d", d[0]>>4)))
	b.Add("pim.type", 0, 1, BitLine(8, 0x0f, uint64(d[0]), fmt.Sprintf("Type: %s (%d)", tn, t)))
	b.Addf("pim.res_bytes", 1, 1, "Reserved byte(s): %02x", d[1])
	if b.Frame != nil && b.Frame.Has(decode.ProtoIP) && !b.Frame.Tunnelled() {
		if foldSum(inetSum(d, 0)) == 0 {
			b.Addf("pim.cksum", 2, 2, "Checksum: 0x%04x [correct]", be16(d[2:]))
			b.Gen("pim.cksum.status", "Checksum Status: Good")
		} else {
			b.Addf("pim.cksum", 2, 2, "Checksum: 0x%04x [incorrect]", be16(d[2:]))
			b.Gen("pim.cksum.status", "Checksum Status: Bad")
		}
	} else {
		b.Addf("pim.cksum", 2, 2, "Checksum: 0x%04x", be16(d[2:]))
	}
	if t != 0 {
		return
	}
	count := 0
	for off := 4; off+4 <= n; {
		ol := int(be16(d[off+2:]))
		if off+4+ol > n {
			break
		}
		count++
		off += 4 + ol
	}
	b.Openf("pim.options", 4, n-4, "PIM Options: %d", count)
	defer b.Close()
	for off := 4; off+4 <= n; {
		ot, ol := be16(d[off:]), int(be16(d[off+2:]))
		if off+4+ol > n {
			break
		}
		v := d[off+4 : off+4+ol]
		head := func(title string) {
			b.Openf("pim.option", off, 4+ol, "Option %d: %s", ot, title)
			b.Addf("pim.optiontype", off, 2, "Type: %d", ot)
			b.Addf("pim.optionlength", off+2, 2, "Length: %d", ol)
		}
		switch {
		case ot == 1 && ol == 2:
			head(fmt.Sprintf("Hold Time: %d", be16(v)))
			b.Addf("pim.holdtime", off+4, 2, "Holdtime: %d", be16(v))
		case ot == 2 && ol == 4:
			tb := v[0] >> 7
			pd, oi := be16(v)&0x7fff, be16(v[2:])
			head(fmt.Sprintf("LAN Prune Delay: T = %d, Propagation Delay = %dms, Override Interval = %dms", tb, pd, oi))
			b.Add("pim.t", off+4, 1, BitLine(8, 0x80, uint64(v[0]), "T: "+map[bool]string{true: "True", false: "False"}[tb == 1]))
			b.Add("pim.propagation_delay", off+4, 2, BitLine(16, 0x7fff, uint64(be16(v)), fmt.Sprintf("Propagation Delay: %d", pd)))
			b.Addf("pim.override_interval", off+6, 2, "Override Interval: %d", oi)
		case ot == 19 && ol == 4:
			head(fmt.Sprintf("DR Priority: %d", be32(v)))
			b.Addf("pim.dr_priority", off+4, 4, "DR Priority: %d", be32(v))
		case ot == 20 && ol == 4:
			head(fmt.Sprintf("Generation ID: %d", be32(v)))
			b.Addf("pim.generation_id", off+4, 4, "Generation ID: %d", be32(v))
		default:
			head("Unknown: " + fmt.Sprint(ot))
			if ol > 0 {
				b.Add("pim.optionvalue", off+4, ol, "Unknown: "+HexBytes(v))
			}
		}
		b.Close()
		off += 4 + ol
	}
}

var lacpStateBits = []struct {
	mask     uint8
	name     string
	off, on  string
	flagName string
}{
	{0x01, "LACP Activity", "Passive", "Active", "LACP Activity"},
	{0x02, "LACP Timeout", "Long Timeout", "Short Timeout", "LACP Timeout"},
	{0x04, "Aggregation", "Individual", "Aggregatable", "Aggregation"},
	{0x08, "Synchronization", "Out of Sync", "In Sync", "Synchronization"},
	{0x10, "Collecting", "Disabled", "Enabled", "Collecting"},
	{0x20, "Distributing", "Disabled", "Enabled", "Distributing"},
	{0x40, "Defaulted", "No", "Yes", "Defaulted"},
	{0x80, "Expired", "No", "Yes", "Expired"},
}

func lacpStateStr(s uint8) string {
	const letters = "EFDCSGSA"
	out := make([]byte, 8)
	for i := 0; i < 8; i++ {
		out[i] = '*'
		if s&(0x80>>i) != 0 {
			out[i] = letters[i]
		}
	}
	return string(out)
}

func buildLACP(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	d = d[:n]
	if n < 1 {
		return
	}
	b.Open("slow", 0, 1, "Slow Protocols")
	b.Addf("slow.subtype", 0, 1, "Slow Protocols subtype: LACP (0x%02x)", d[0])
	b.Close()
	b.Open("lacp", 1, n-1, "Link Aggregation Control Protocol")
	defer b.Close()
	if n < 2 {
		return
	}
	b.Addf("lacp.version", 1, 1, "LACP Version: 0x%02x", d[1])
	party := func(off int, who, Who, sys string, typ uint8, typName string) {
		if off+20 > n {
			return
		}
		t := d[off:]
		b.Addf("lacp.tlv_type", off, 1, "TLV Type: %s (0x%02x)", typName, typ)
		b.Addf("lacp.tlv_length", off+1, 1, "TLV Length: 0x%02x", t[1])
		b.Addf("lacp."+who+".sys_priority", off+2, 2, "%s System Priority: %d", Who, be16(t[2:]))
		b.Addf("lacp."+who+".sysid", off+4, 6, "%s: %s", sys, MAC(t[4:10]))
		b.Addf("lacp."+who+".key", off+10, 2, "%s Key: %d", Who, be16(t[10:]))
		b.Addf("lacp."+who+".port_priority", off+12, 2, "%s Port Priority: %d", Who, be16(t[12:]))
		b.Addf("lacp."+who+".port", off+14, 2, "%s Port: %d", Who, be16(t[14:]))
		s := t[16]
		label := fmt.Sprintf("%s State: 0x%02x", Who, s)
		sep := ", "
		for _, bit := range lacpStateBits {
			if s&bit.mask != 0 {
				label += sep + bit.flagName
			}
		}
		b.Open("lacp."+who+".state", off+16, 1, label)
		for _, bit := range lacpStateBits {
			v := bit.off
			if s&bit.mask != 0 {
				v = bit.on
			}
			b.Add("lacp."+who+".state."+map[string]string{"LACP Activity": "activity", "LACP Timeout": "timeout"}[bit.name], off+16, 1,
				BitLine(8, uint64(bit.mask), uint64(s), bit.name+": "+v))
		}
		b.Close()
		b.Gen("lacp."+who+".state_str", "%s State Flags: %s", Who, lacpStateStr(s))
		b.Add("lacp."+who+".reserved", off+17, 3, "Reserved: "+HexBytes(t[17:20]))
	}
	party(2, "actor", "Actor", "Actor System ID", 1, "Actor Information")
	party(22, "partner", "Partner", "Partner System", 2, "Partner Information")
	if n >= 58 && d[42] == 3 {
		b.Addf("lacp.tlv_type", 42, 1, "TLV Type: Collector Information (0x%02x)", d[42])
		b.Addf("lacp.tlv_length", 43, 1, "TLV Length: 0x%02x", d[43])
		b.Addf("lacp.coll_max_delay", 44, 2, "Collector Max Delay: %d", be16(d[44:]))
		b.Add("lacp.coll_reserved", 46, 12, "Reserved: "+HexBytes(d[46:58]))
		if n >= 60 {
			b.Addf("lacp.tlv_type", 58, 1, "TLV Type: Terminator (0x%02x)", d[58])
			b.Addf("lacp.tlv_length", 59, 1, "TLV Length: 0x%02x", d[59])
			if n > 60 {
				pad := HexBytes(d[60:])
				if len(pad) > 72 {
					pad = pad[:72] + "…"
				}
				b.Add("lacp.pad", 60, n-60, "Pad: "+pad)
			}
		}
	}
}

func buildHSRP(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	d = d[:n]
	b.Open("hsrp", 0, n, "Cisco Hot Standby Router Protocol")
	defer b.Close()
	if n > 0 && d[0] != 0 {
		b.hsrp2(d)
		return
	}
	if n < 20 {
		return
	}
	b.Addf("hsrp.version", 0, 1, "Version: %d", d[0])
	b.Addf("hsrp.opcode", 1, 1, "Op Code: %s (%d)", decode.HSRPOpcodeName(d[1]), d[1])
	b.Addf("hsrp.state", 2, 1, "State: %s (%d)", decode.HSRPStateName(1, d[2]), d[2])
	def := func(v, want uint8) string {
		if v == want {
			return "Default"
		}
		return "Non-Default"
	}
	b.Addf("hsrp.hellotime", 3, 1, "Hellotime: %s (%d)", def(d[3], 3), d[3])
	b.Addf("hsrp.holdtime", 4, 1, "Holdtime: %s (%d)", def(d[4], 10), d[4])
	b.Addf("hsrp.priority", 5, 1, "Priority: %d", d[5])
	b.Addf("hsrp.group", 6, 1, "Group: %d", d[6])
	b.Addf("hsrp.reserved", 7, 1, "Reserved: %d", d[7])
	auth := d[8:16]
	for i, c := range auth {
		if c == 0 {
			auth = auth[:i]
			break
		}
	}
	if string(auth) == "cisco" {
		b.Add("hsrp.auth_data", 8, 8, "Authentication Data: Default (cisco)")
	} else {
		b.Add("hsrp.auth_data", 8, 8, "Authentication Data: Non-Default ("+Esc(auth)+")")
	}
	b.Add("hsrp.virt_ip", 16, 4, "Virtual IP Address: "+netip.AddrFrom4([4]byte(d[16:20])).String())
}

// hsrp2 adds the TLVs of an HSRPv2 message.
func (b *Builder) hsrp2(d []byte) {
	def := func(v, want uint32) string {
		if v == want {
			return "Default"
		}
		return "Non-Default"
	}
	decode.HSRPTLVs(d, func(t uint8, v []byte, off int) {
		switch {
		case t == 1 && len(v) >= 40:
			b.Openf("hsrp2.group_state_tlv", off-2, len(v)+2, "Group State TLV: Type=%d Len=%d", t, len(v))
			b.Addf("hsrp2.version", off, 1, "Version: %d", v[0])
			b.Addf("hsrp2.opcode", off+1, 1, "Op Code: %s (%d)", decode.HSRPOpcodeName(v[1]), v[1])
			b.Addf("hsrp2.state", off+2, 1, "State: %s (%d)", decode.HSRPStateName(2, v[2]), v[2])
			ipv := map[uint8]string{4: "IPv4", 6: "IPv6"}[v[3]]
			b.Addf("hsrp2.ipversion", off+3, 1, "IP Ver.: %s (%d)", ipv, v[3])
			b.Addf("hsrp2.group", off+4, 2, "Group: %d", be16(v[4:]))
			b.Add("hsrp2.identifier", off+6, 6, "Identifier: "+MAC(v[6:12]))
			b.Addf("hsrp2.priority", off+12, 4, "Priority: %d", be32(v[12:]))
			b.Addf("hsrp2.hellotime", off+16, 4, "Hellotime: %s (%d)", def(be32(v[16:]), 3000), be32(v[16:]))
			b.Addf("hsrp2.holdtime", off+20, 4, "Holdtime: %s (%d)", def(be32(v[20:]), 10000), be32(v[20:]))
			if v[3] == 6 {
				b.Add("hsrp2.virt_ip_v6", off+24, 16, "Virtual IPv6 Address: "+netip.AddrFrom16([16]byte(v[24:40])).String())
			} else {
				b.Add("hsrp2.virt_ip", off+24, 4, "Virtual IP Address: "+netip.AddrFrom4([4]byte(v[24:28])).String())
			}
			b.Close()
		case t == 2 && len(v) >= 4:
			b.Openf("hsrp2.interface_state_tlv", off-2, len(v)+2, "Interface State TLV: Type=%d Len=%d", t, len(v))
			b.Addf("hsrp2.active_groups", off, 2, "Active Groups: %d", be16(v))
			b.Addf("hsrp2.passive_groups", off+2, 2, "Passive Groups: %d", be16(v[2:]))
			b.Close()
		case t == 3 && len(v) >= 8:
			b.Openf("hsrp2.text_auth_tlv", off-2, len(v)+2, "Text Authentication TLV: Type=%d Len=%d", t, len(v))
			auth := v[:8]
			for i, c := range auth {
				if c == 0 {
					auth = auth[:i]
					break
				}
			}
			if string(auth) == "cisco" {
				b.Add("hsrp2.auth_data", off, 8, "Authentication Data: Default (cisco)")
			} else {
				b.Add("hsrp2.auth_data", off, 8, "Authentication Data: Non-Default ("+Esc(auth)+")")
			}
			b.Close()
		case t == 4 && len(v) >= 28:
			b.Openf("hsrp2.md5_auth_tlv", off-2, len(v)+2, "MD5 Authentication TLV: Type=%d Len=%d", t, len(v))
			b.Addf("hsrp2.md5_algorithm", off, 1, "MD5 Algorithm: MD5 (%d)", v[0])
			b.Addf("hsrp2.md5_padding", off+1, 1, "Padding: 0x%02x", v[1])
			b.Addf("hsrp2.md5_flags", off+2, 2, "MD5 Flags: %d", be16(v[2:]))
			b.Add("hsrp.md5_ip_address", off+4, 4, "Sender's IP Address: "+netip.AddrFrom4([4]byte(v[4:8])).String())
			b.Addf("hsrp2.md5_key_id", off+8, 4, "MD5 Key ID: %d", be32(v[8:]))
			b.Add("hsrp2.md5_auth_data", off+12, 16, "MD5 Authentication Data: "+HexBytes(v[12:28]))
			b.Close()
		}
	})
}

func buildVRRP(b *Builder, l decode.Layer, d []byte) {
	n := min(l.Len, len(d))
	d = d[:n]
	b.Open("vrrp", 0, n, "Virtual Router Redundancy Protocol")
	defer b.Close()
	if n < 8 {
		return
	}
	v, t := d[0]>>4, d[0]&0xf
	tn := "Unknown"
	if t == 1 {
		tn = "Advertisement"
	}
	b.Openf("vrrp.typever", 0, 1, "Version %d, Packet type %d (%s)", v, t, tn)
	b.Add("vrrp.version", 0, 1, BitLine(8, 0xf0, uint64(d[0]), fmt.Sprintf("VRRP protocol version: %d", v)))
	b.Add("vrrp.type", 0, 1, BitLine(8, 0x0f, uint64(d[0]), fmt.Sprintf("VRRP packet type: %s (%d)", tn, t)))
	b.Close()
	b.Addf("vrrp.virt_rtr_id", 1, 1, "Virtual Rtr ID: %d", d[1])
	prio := ""
	switch d[2] {
	case 0:
		prio = " (Current Master has stopped participating in VRRP)"
	case 100:
		prio = " (Default priority for a backup VRRP router)"
	case 255:
		prio = " (This VRRP router owns the virtual router's IP address(es))"
	default:
		prio = " (Non-default backup priority)"
	}
	b.Addf("vrrp.prio", 2, 1, "Priority: %d%s", d[2], prio)
	b.Addf("vrrp.addr_count", 3, 1, "Addr Count: %d", d[3])
	if v == 3 {
		b.Add("vrrp.reserved_mbz", 4, 1, BitLine(8, 0xf0, uint64(d[4]), fmt.Sprintf("Reserved: %d", d[4]>>4)))
		b.Add("vrrp.short_adver_int", 4, 2, BitLine(16, 0x0fff, uint64(be16(d[4:])), fmt.Sprintf("Adver Int: %d", be16(d[4:])&0xfff)))
	} else {
		b.Addf("vrrp.auth_type", 4, 1, "Auth Type: %d", d[4])
		b.Addf("vrrp.adver_int", 5, 1, "Adver Int: %d", d[5])
	}
	b.Addf("vrrp.checksum", 6, 2, "Checksum: 0x%04x", be16(d[6:]))
	six := b.Frame != nil && b.Frame.Has(decode.ProtoIPv6) && !b.Frame.Has(decode.ProtoIP)
	for i, off := 0, 8; i < int(d[3]); i++ {
		if six && off+16 <= n {
			b.Add("vrrp.ipv6_addr", off, 16, "IPv6 Address: "+netip.AddrFrom16([16]byte(d[off:off+16])).String())
			off += 16
		} else if !six && off+4 <= n {
			b.Add("vrrp.ip_addr", off, 4, "IP Address: "+netip.AddrFrom4([4]byte(d[off:off+4])).String())
			off += 4
		}
	}
}
