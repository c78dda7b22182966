// Package live captures packets from network interfaces with Linux AF_PACKET
// sockets (pure Go, no cgo): one TPACKET_V3 memory-mapped ring per interface,
// promiscuous by default, "any" with Linux cooked v2 headers, VLAN tags the
// kernel stripped put back, as libpcap does. Capture filters in tcpdump syntax
// are compiled by libpcap itself, loaded at run time with purego (or, built
// with -tags nolibpcap, by `tcpdump -ddd`), and run in the kernel as classic
// BPF, so they select exactly what tcpdump selects.
//
// Cost: per interface, one socket and a kernel ring (32 MiB by default) that
// the process maps. Packets are read in place from the ring: ReadPacket and
// Next allocate nothing and copy nothing except the few bytes of a cooked
// header or a reinserted VLAN tag, and a packet's Data is valid until the next
// call. Waiting parks the goroutine in the Go runtime's poller (an epoll set
// of the sockets), so cancellation and idle timeouts are deadlines, not
// threads blocked in system calls.
package live
