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

// wiresharkReads lists the link types Wireshark 4.0 reads from pcap and
// pcapng files (its pcap-to-encapsulation map). It was measured by running
// tshark 4.0.17 on a one-packet capture of every link type from 0 to 329:
// tshark refuses the others ("contains record data that TShark doesn't
// support"), and so does wirewatch.
var wiresharkReads = func() (m [330]bool) {
	for _, lt := range []uint16{
		0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 18, 19, 32, 50, 51, 99, 100, 101, 104, 105, 106, 107, 108,
		109, 112, 113, 114, 117, 118, 119, 121, 122, 123, 127, 128, 129, 130, 131, 133, 135, 136, 137, 138, 139,
		140, 141, 142, 143, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160, 161, 162, 163,
		165, 167, 169, 170, 171, 172, 173, 178, 179, 180, 181, 183, 184, 186, 187, 188, 189, 190, 192, 195, 196,
		197, 199, 200, 201, 202, 203, 204, 209, 210, 211, 212, 213, 214, 215, 220, 224, 225, 226, 227, 228, 229,
		230, 231, 235, 236, 237, 239, 240, 241, 242, 243, 245, 248, 249, 250, 251, 252, 253, 254, 255, 256, 258,
		259, 260, 264, 266, 268, 270, 271, 272, 273, 274, 275, 276, 279, 280, 283, 287, 288, 290, 292, 293, 294,
		295,
	} {
		m[lt] = true
	}
	return m
}()

// Readable reports whether Wireshark reads packets of this link type.
func (lt LinkType) Readable() bool {
	return lt == LinkCustomBlock || int(lt) < len(wiresharkReads) && wiresharkReads[lt]
}

// unsupported is the message for a packet whose link type is not Readable.
func unsupported(lt LinkType) string {
	return "the file contains record data that wirewatch (like Wireshark) does not support: link type " + strconv.Itoa(int(lt))
}
