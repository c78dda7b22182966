package detail

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"

	"github.com/wirewatch/wirewatch/decode"
)

func init() { Register(decode.ProtoDHCP, buildDHCP) }

var dhcpMsgTypes = map[uint8]string{1: "Discover", 2: "Offer", 3: "Request", 4: "Decline", 5: "ACK", 6: "NAK", 7: "Release", 8: "Inform",
	9: "Force Renew", 10: "Lease query", 11: "Lease Unassigned", 12: "Lease Unknown", 13: "Lease Active"}

// dhcpOptNames are Wireshark's DHCP option names (its bootp_opt table).
var dhcpOptNames = map[uint8]string{0: "Padding", 1: "Subnet Mask", 2: "Time Offset", 3: "Router", 4: "Time Server", 5: "Name Server",
	6: "Domain Name Server", 7: "Log Server", 8: "Quotes Server", 9: "LPR Server", 10: "Impress Server", 11: "Resource Location Server",
	12: "Host Name", 13: "Boot File Size", 14: "Merit Dump File", 15: "Domain Name", 16: "Swap Server", 17: "Root Path",
	18: "Extensions Path", 19: "IP Forwarding", 20: "Non-Local Source Routing", 21: "Policy Filter", 22: "Maximum Datagram Reassembly Size",
	23: "Default IP Time-to-Live", 24: "Path MTU Aging Timeout", 25: "Path MTU Plateau Table", 26: "Interface MTU",
	27: "All Subnets are Local", 28: "Broadcast Address", 29: "Perform Mask Discovery", 30: "Mask Supplier",
	31: "Perform Router Discover", 32: "Router Solicitation Address", 33: "Static Route", 34: "Trailer Encapsulation",
	35: "ARP Cache Timeout", 36: "Ethernet Encapsulation", 37: "TCP Default TTL", 38: "TCP Keepalive Interval",
	39: "TCP Keepalive Garbage", 40: "Network Information Service Domain", 41: "Network Information Service Servers",
	42: "Network Time Protocol Servers", 43: "Vendor-Specific Information", 44: "NetBIOS over TCP/IP Name Server",
	45: "NetBIOS over TCP/IP Datagram Distribution Name Server", 46: "NetBIOS over TCP/IP Node Type", 47: "NetBIOS over TCP/IP Scope",
	48: "X Window System Font Server", 49: "X Window System Display Manager", 50: "Requested IP Address", 51: "IP Address Lease Time",
	52: "Option Overload", 53: "DHCP Message Type", 54: "DHCP Server Identifier", 55: "Parameter Request List", 56: "Message",
	57: "Maximum DHCP Message Size", 58: "Renewal Time Value", 59: "Rebinding Time Value", 60: "Vendor class identifier",
	61: "Client identifier", 66: "TFTP Server Name", 67: "Bootfile name", 69: "SMTP Server", 77: "User Class Information",
	81: "Client Fully Qualified Domain Name", 82: "Agent Information Option", 116: "DHCP Auto-Configuration", 119: "Domain Search",
	121: "Classless Static Route", 249: "Private/Classless Static Route (Microsoft)", 252: "Private/Proxy autodiscovery", 255: "End"}

// dhcpOptName is Wireshark's name of a DHCP option.
func dhcpOptName(code uint8) string { return mapName(dhcpOptNames, code, "Unknown") }

func buildDHCP(b *Builder, l decode.Layer, d []byte) {
	f := b.Frame
	n := min(l.Len, len(d))
	d = d[:n]
	if len(d) < 1 {
		return
	}
	title := "Dynamic Host Configuration Protocol"
	start, cookie := decode.DHCPOptionsStart(d)
	msgType := uint8(0)
	if cookie {
		for i := start; ; {
			o, next, ok := decode.NextDHCPOption(d, i)
			if !ok || o.Code == 255 {
				break
			}
			if o.Code == 53 && len(o.Value) == 1 {
				msgType = o.Value[0]
				title += " (" + mapName(dhcpMsgTypes, msgType, "Unknown") + ")"
				break
			}
			i = next
		}
	}
	b.Open("dhcp", 0, n, title)
	defer b.Close()
	if len(d) < 236 || f.CapLen < f.Len && l.Off+l.Len >= len(f.Data) && !cookie {
		b.dhcpHeader(d)
		b.Close()
		b.depth = 0
		b.Add("_ws.short", -1, 0, "[Packet size limited during capture: DHCP/BOOTP truncated]")
		b.depth = 1
		return
	}
	b.dhcpHeader(d)
	if !cookie {
		return
	}
	b.Add("dhcp.cookie", 236, 4, "Magic cookie: DHCP")
	i := start
	for {
		o, next, ok := decode.NextDHCPOption(d, i)
		if !ok {
			break
		}
		b.dhcpOption(d, o)
		if o.Code == 255 {
			if next := o.Off + 1; next < len(d) {
				b.Add("dhcp.option.padding", next, len(d)-next, "Padding: "+BytesLabel(d[next:]))
			}
			break
		}
		i = next
	}
	_ = f
}

func (b *Builder) dhcpHeader(d []byte) {
	get := func(n int) bool { return len(d) >= n }
	if !get(1) {
		return
	}
	b.Addf("dhcp.type", 0, 1, "Message type: %s (%d)", map[uint8]string{1: "Boot Request", 2: "Boot Reply"}[d[0]], d[0])
	if !get(4) {
		return
	}
	b.Addf("dhcp.hw.type", 1, 1, "Hardware type: %s (0x%02x)", mapName(arpHW, uint16(d[1]), "Unknown"), d[1])
	b.Addf("dhcp.hw.len", 2, 1, "Hardware address length: %d", d[2])
	b.Addf("dhcp.hops", 3, 1, "Hops: %d", d[3])
	if !get(12) {
		return
	}
	b.Addf("dhcp.id", 4, 4, "Transaction ID: 0x%08x", be32(d[4:]))
	b.Addf("dhcp.secs", 8, 2, "Seconds elapsed: %d", be16(d[8:]))
	fl := uint64(be16(d[10:]))
	bc := "Unicast"
	if fl&0x8000 != 0 {
		bc = "Broadcast"
	}
	b.Openf("dhcp.flags", 10, 2, "Bootp flags: 0x%04x (%s)", fl, bc)
	b.Add("dhcp.flags.bc", 10, 2, BitLine(16, 0x8000, fl, "Broadcast flag: "+bc))
	b.Add("dhcp.flags.reserved", 10, 2, BitLine(16, 0x7fff, fl, fmt.Sprintf("Reserved flags: 0x%04x", fl&0x7fff)))
	b.Close()
	for i, w := range [][2]string{{"dhcp.ip.client", "Client IP address"}, {"dhcp.ip.your", "Your (client) IP address"}, {"dhcp.ip.server", "Next server IP address"}, {"dhcp.ip.relay", "Relay agent IP address"}} {
		o := 12 + 4*i
		if !get(o + 4) {
			return
		}
		b.Add(w[0], o, 4, w[1]+": "+b.AddrLabel(netip.AddrFrom4([4]byte(d[o:o+4]))))
	}
	if !get(44) {
		return
	}
	if d[1] == 1 && d[2] == 6 {
		b.Add("dhcp.hw.mac_addr", 28, 6, "Client MAC address: "+b.MACLabel(d[28:34]))
		b.Add("dhcp.hw.addr_padding", 34, 10, "Client hardware address padding: "+HexBytes(d[34:44]))
	} else {
		b.Add("dhcp.hw.addr", 28, 16, "Client hardware address: "+HexBytes(d[28:44]))
	}
	if !get(236) {
		return
	}
	for _, x := range []struct {
		off, n      int
		field, name string
	}{{44, 64, "dhcp.server", "Server host name"}, {108, 128, "dhcp.file", "Boot file name"}} {
		v := d[x.off : x.off+x.n]
		if v[0] == 0 {
			b.Add(x.field, x.off, x.n, x.name+" not given")
			continue
		}
		if i := bytes.IndexByte(v, 0); i >= 0 {
			v = v[:i]
		}
		b.Add(x.field, x.off, x.n, x.name+": "+Esc(v))
	}
}

func (b *Builder) dhcpOption(d []byte, o decode.DHCPOption) {
	name := dhcpOptName(o.Code)
	v := o.Value
	ln := 2 + o.Len
	if o.Code == 255 || o.Code == 0 {
		ln = 1
	}
	title := fmt.Sprintf("Option: (%d) %s", o.Code, name)
	addr := func() (netip.Addr, bool) {
		if len(v) == 4 && o.Len == 4 {
			return netip.AddrFrom4([4]byte(v)), true
		}
		return netip.Addr{}, false
	}
	switch o.Code {
	case 53:
		if len(v) == 1 {
			title += " (" + mapName(dhcpMsgTypes, v[0], "Unknown") + ")"
		}
	case 1, 50, 54, 28:
		if a, ok := addr(); ok {
			title += " (" + a.String() + ")"
		}
	}
	b.Open("dhcp.option.type", o.Off, min(ln, len(d)-o.Off), title)
	defer b.Close()
	if o.Code == 255 {
		b.Add("dhcp.option.end", o.Off, 1, "Option End: 255")
		return
	}
	if o.Code == 0 {
		return
	}
	b.Addf("dhcp.option.length", o.Off+1, 1, "Length: %d", o.Len)
	vo := o.Off + 2
	switch o.Code {
	case 53:
		if len(v) == 1 {
			b.Addf("dhcp.option.dhcp", vo, 1, "DHCP: %s (%d)", mapName(dhcpMsgTypes, v[0], "Unknown"), v[0])
		}
	case 1, 50, 54, 28:
		if a, ok := addr(); ok {
			field := map[uint8]string{1: "dhcp.option.subnet_mask", 50: "dhcp.option.requested_ip_address", 54: "dhcp.option.dhcp_server_id", 28: "dhcp.option.broadcast_address"}[o.Code]
			b.Add(field, vo, 4, name+": "+a.String())
		}
	case 3, 6, 42, 44:
		field := map[uint8]string{3: "dhcp.option.router", 6: "dhcp.option.domain_name_server", 42: "dhcp.option.ntp_server", 44: "dhcp.option.netbios_over_tcpip_name_server"}[o.Code]
		label := map[uint8]string{3: "Router", 6: "Domain Name Server", 42: "Network Time Protocol Server", 44: "NetBIOS over TCP/IP Name Server"}[o.Code]
		for i := 0; i+4 <= len(v); i += 4 {
			b.Add(field, vo+i, 4, label+": "+netip.AddrFrom4([4]byte(v[i:i+4])).String())
		}
	case 51, 58, 59:
		if len(v) == 4 {
			s := be32(v)
			field := map[uint8]string{51: "dhcp.option.ip_address_lease_time", 58: "dhcp.option.renewal_time_value", 59: "dhcp.option.rebinding_time_value"}[o.Code]
			val := fmt.Sprintf("(%ds) %s", s, TimeSecs(s))
			if s == 0xffffffff {
				val = "(4294967295s) infinity"
			}
			b.Add(field, vo, 4, name+": "+val)
		}
	case 12, 15, 60:
		field := map[uint8]string{12: "dhcp.option.hostname", 15: "dhcp.option.domain_name", 60: "dhcp.option.vendor_class_id"}[o.Code]
		s := v
		if i := bytes.IndexByte(s, 0); i >= 0 {
			s = s[:i]
		}
		b.Add(field, vo, len(v), name+": "+Esc(s))
	case 55:
		for i, c := range v {
			b.Addf("dhcp.option.request_list_item", vo+i, 1, "Parameter Request List Item: (%d) %s", c, dhcpOptName(c))
		}
	case 57:
		if len(v) == 2 {
			b.Addf("dhcp.option.dhcp_max_message_size", vo, 2, "Maximum DHCP Message Size: %d", be16(v))
		}
	case 26:
		if len(v) == 2 {
			b.Addf("dhcp.option.interface_mtu", vo, 2, "Interface MTU: %d", be16(v))
		}
	case 61:
		if len(v) == 7 && v[0] == 1 {
			b.Add("dhcp.hw.type", vo, 1, "Hardware type: Ethernet (0x01)")
			b.Add("dhcp.hw.mac_addr", vo+1, 6, "Client MAC address: "+b.MACLabel(v[1:7]))
		} else if len(v) > 0 {
			b.Add("dhcp.option.value", vo, len(v), "Client Identifier: "+HexBytes(v))
		}
	case 56:
		b.Add("dhcp.option.message", vo, len(v), "Message: "+Esc(v))
	default:
		if len(v) > 0 {
			b.Add("dhcp.option.value", vo, len(v), "Value: "+strings.TrimSpace(BytesLabel(v)))
		}
	}
}
