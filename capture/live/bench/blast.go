//go:build ignore

// blast sends minimum-size UDP frames out of an interface as fast as it can
// (raw AF_PACKET, bypassing the qdisc), for the capture benchmark. Run it in
// the sending namespace:
//
//	ip netns exec B go run blast.go -i veth-b -dst-mac 02:.. -src 10.0.0.2 -dst 10.0.0.1 -t 5s
//
// It prints "sent N packets in S s: P packets/s".
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

func main() {
	iface := flag.String("i", "", "interface to send on")
	dstMAC := flag.String("dst-mac", "", "destination MAC (another host's: the receiver drops the frames right after the capture taps, so the kernel's per-packet cost is mostly the captures')")
	src := flag.String("src", "", "source IPv4")
	dst := flag.String("dst", "", "destination IPv4")
	dur := flag.Duration("t", 5*time.Second, "how long to send")
	size := flag.Int("size", 64, "frame size in bytes (>= 60)")
	workers := flag.Int("w", runtime.NumCPU(), "sending goroutines")
	flag.Parse()
	ifc, err := net.InterfaceByName(*iface)
	check(err)
	dmac, err := net.ParseMAC(*dstMAC)
	check(err)
	s4, d4 := netip.MustParseAddr(*src).As4(), netip.MustParseAddr(*dst).As4()
	var sent atomic.Uint64
	var wg sync.WaitGroup
	deadline := time.Now().Add(*dur)
	start := time.Now()
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			runtime.LockOSThread()
			fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW, 0)
			check(err)
			unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_QDISC_BYPASS, 1)
			unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUF, 4<<20)
			check(unix.Bind(fd, &unix.SockaddrLinklayer{Ifindex: ifc.Index}))
			// sendmmsg batches of distinct frames (payload = sequence number).
			const batch = 64
			frames := make([][]byte, batch)
			iovs := make([]unix.Iovec, batch)
			msgs := make([]mmsghdr, batch)
			for i := range frames {
				frames[i] = frame(dmac, ifc.HardwareAddr, s4, d4, uint16(10000+w), *size)
				iovs[i].Base = &frames[i][0]
				iovs[i].SetLen(len(frames[i]))
				msgs[i].hdr.Iov = &iovs[i]
				msgs[i].hdr.SetIovlen(1)
			}
			var n uint64
			seq := uint32(w) << 28
			for !time.Now().After(deadline) {
				for i := range frames {
					binary.BigEndian.PutUint32(frames[i][42:], seq)
					seq++
				}
				r, _, errno := unix.Syscall6(unix.SYS_SENDMMSG, uintptr(fd), uintptr(unsafe.Pointer(&msgs[0])), batch, 0, 0, 0)
				if errno != 0 {
					if errno == unix.ENOBUFS || errno == unix.EAGAIN {
						continue
					}
					check(errno)
				}
				n += uint64(r)
			}
			sent.Add(n)
		}(w)
	}
	wg.Wait()
	el := time.Since(start).Seconds()
	fmt.Printf("sent %d packets in %.2f s: %.0f packets/s\n", sent.Load(), el, float64(sent.Load())/el)
}

type mmsghdr struct {
	hdr unix.Msghdr
	len uint32
	_   [4]byte
}

func frame(dmac, smac net.HardwareAddr, src, dst [4]byte, sport uint16, size int) []byte {
	size = max(size, 60)
	f := make([]byte, size)
	copy(f, dmac)
	copy(f[6:], smac)
	binary.BigEndian.PutUint16(f[12:], 0x0800)
	ip := f[14:34]
	ip[0], ip[8], ip[9] = 0x45, 64, 17
	binary.BigEndian.PutUint16(ip[2:], uint16(size-14))
	copy(ip[12:], src[:])
	copy(ip[16:], dst[:])
	var sum uint32
	for i := 0; i < 20; i += 2 {
		sum += uint32(ip[i])<<8 | uint32(ip[i+1])
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	binary.BigEndian.PutUint16(ip[10:], ^uint16(sum))
	binary.BigEndian.PutUint16(f[34:], sport)
	binary.BigEndian.PutUint16(f[36:], 9)
	binary.BigEndian.PutUint16(f[38:], uint16(size-34))
	return f
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "blast:", err)
		os.Exit(1)
	}
}
