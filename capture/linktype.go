package capture

import "strconv"

// linkInfo is what is known about a link type: its LINKTYPE_ name, its
// DLT_ name and description as tcpdump prints them ("link-type EN10MB
// (Ethernet)"), and Wireshark's encapsulation name (capinfos, stats summary).
type linkInfo struct{ name, dlt, tcpdump, wireshark string }

// linkInfos is the one table of link-type names.
var linkInfos = map[LinkType]linkInfo{
	LinkNull:      {"NULL", "NULL", "BSD loopback", "NULL/Loopback"},
	LinkEthernet:  {"ETHERNET", "EN10MB", "Ethernet", "Ethernet"},
	LinkRaw:       {"RAW", "RAW", "Raw IP", "Raw IP"},
	LinkLoop:      {"LOOP", "LOOP", "OpenBSD loopback", "OpenBSD loopback"},
	LinkLinuxSLL:  {"LINUX_SLL", "LINUX_SLL", "Linux cooked v1", "Linux cooked-mode capture v1"},
	LinkIPv4:      {"IPV4", "IPV4", "Raw IPv4", "Raw IPv4"},
	LinkIPv6:      {"IPV6", "IPV6", "Raw IPv6", "Raw IPv6"},
	LinkLinuxSLL2: {"LINUX_SLL2", "LINUX_SLL2", "Linux cooked v2", "Linux cooked-mode capture v2"},
	9:             {"PPP", "PPP", "PPP", "PPP"},
	50:            {"PPP_HDLC", "PPP_SERIAL", "PPP over serial", "PPP"},
	104:           {"C_HDLC", "C_HDLC", "Cisco HDLC", "Cisco HDLC"},
	105:           {"IEEE802_11", "IEEE802_11", "802.11", "IEEE 802.11 Wireless LAN"},
	127:           {"IEEE802_11_RADIOTAP", "IEEE802_11_RADIO", "802.11 plus radiotap header", "IEEE 802.11 plus radiotap radio header"},
	192:           {"PPI", "PPI", "Per-Packet Information", "Per-Packet Information header"},
	195:           {"IEEE802_15_4", "IEEE802_15_4", "IEEE 802.15.4", "IEEE 802.15.4 Wireless PAN"},
	201:           {"BLUETOOTH_HCI_H4_WITH_PHDR", "BLUETOOTH_HCI_H4_WITH_PHDR", "Bluetooth HCI UART transport layer plus pseudo-header", "Bluetooth H4 with linux header"},
	220:           {"USB_LINUX_MMAPPED", "USB_LINUX_MMAPPED", "USB with padded Linux header", "USB packets with Linux header and padding"},
	252:           {"WIRESHARK_UPPER_PDU", "WIRESHARK_UPPER_PDU", "Wireshark Upper PDU export", "Wireshark Upper PDU export"},
	253:           {"NETLINK", "NETLINK", "Linux netlink", "Linux Netlink"},
}

// Name is the LINKTYPE_ name without its prefix ("ETHERNET"; "USER" for
// LINKTYPE_USER0..15), or "" when unknown.
func (lt LinkType) Name() string {
	if i, ok := linkInfos[lt]; ok {
		return i.name
	}
	if lt >= 147 && lt <= 162 {
		return "USER"
	}
	return ""
}

// String is the LINKTYPE_ name, or "LINKTYPE_<n>" when unknown.
func (lt LinkType) String() string {
	if n := lt.Name(); n != "" {
		return n
	}
	return "LINKTYPE_" + strconv.Itoa(int(lt))
}

// Tcpdump is the link type as tcpdump announces it: "EN10MB (Ethernet)",
// or the number when unknown.
func (lt LinkType) Tcpdump() string {
	if i, ok := linkInfos[lt]; ok {
		return i.dlt + " (" + i.tcpdump + ")"
	}
	return strconv.Itoa(int(lt))
}

// Description is Wireshark's name for the encapsulation ("Ethernet",
// "Linux cooked-mode capture v2"), or "linktype <n>" when unknown.
func (lt LinkType) Description() string {
	if i, ok := linkInfos[lt]; ok {
		return i.wireshark
	}
	return "linktype " + strconv.Itoa(int(lt))
}
