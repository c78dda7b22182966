// Package live captures packets from network interfaces with Linux AF_PACKET
// sockets (pure Go, no cgo): one TPACKET_V3 memory-mapped ring per interface,
// promiscuous by default, with the capture filter compiled from tcpdump syntax
// by libpcap (loaded at run time with purego when a filter is used) and run in
// the kernel as classic BPF.
//
// Cost: per interface, one socket and a kernel ring (32 MiB by default) that
// the process maps; packets are read in place from the ring, so Next allocates
// nothing and copies nothing except the few bytes of a cooked header or a
// reinserted VLAN tag. Packet Data is valid until the next call to Next.
package live
