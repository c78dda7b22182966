//go:build linux

package netns

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os/exec"
	"time"

	"golang.org/x/sys/unix"
)

// Sent summarises what SendMix sent, for checks against a capture.
type Sent struct {
	UDPFromB   int // UDP datagrams B sent to A over IPv4 (untagged)
	UDPFromA   int // UDP datagrams A sent to B over IPv4
	UDP6FromB  int // UDP datagrams B sent to A over IPv6
	VLANFromB  int // UDP datagrams B sent to A on VLAN 10
	EchoV4     int // ICMP echo requests B sent to A
	EchoV6     int // ICMPv6 echo requests B sent to A
	TCPConns   int // completed TCP connections B → A:8080 (v4 + v6)
	TCPRefused int // connection attempts to a closed port (answered by RST)
}

// SendMix sends a deterministic mix of traffic between the namespaces: UDP
// (IPv4 both ways, IPv6, and, when vlan is set, frames tagged with VLAN 10
// injected raw from B, since not every kernel has 802.1Q), ICMP and ICMPv6
// echo, TCP connections carrying an HTTP exchange over IPv4 and IPv6, a
// refused connection, small and large packets, and one ARP request. Payloads
// carry sequence numbers, so every packet is distinct.
func (p *Pair) SendMix(vlan bool) (Sent, error) {
	var s Sent
	// A listens for TCP on 8080 (v4 and v6) and answers one HTTP request per connection.
	stop, err := ServeHTTP(p.A, 8080)
	if err != nil {
		return s, err
	}
	defer stop()
	seq := 0
	payload := func(n int) []byte {
		seq++
		b := make([]byte, n)
		binary.BigEndian.PutUint32(b, 0x77770000|uint32(seq))
		for i := 4; i < n; i++ {
			b[i] = byte(i)
		}
		return b
	}
	udp := func(ns string, dst netip.AddrPort, n int) error {
		return Do(ns, func() error {
			c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(dst))
			if err != nil {
				return err
			}
			defer c.Close()
			_, err = c.Write(payload(n))
			return err
		})
	}
	a4 := func(port uint16) netip.AddrPort { return netip.AddrPortFrom(p.A4, port) }
	for _, port := range []uint16{53, 5000, 5003, 5005, 5006, 7000, 9999} {
		if err := udp(p.B, a4(port), 40); err != nil {
			return s, err
		}
		s.UDPFromB++
	}
	if err := udp(p.B, a4(5001), 1200); err != nil { // large
		return s, err
	}
	s.UDPFromB++
	for _, port := range []uint16{53, 6000} {
		if err := udp(p.A, netip.AddrPortFrom(p.B4, port), 60); err != nil {
			return s, err
		}
		s.UDPFromA++
	}
	for _, port := range []uint16{53, 5353} {
		if err := udp(p.B, netip.AddrPortFrom(p.A6, port), 48); err != nil {
			return s, err
		}
		s.UDP6FromB++
	}
	if vlan {
		for _, port := range []uint16{53, 7000} {
			if err := p.sendTagged(10, port, payload(44)); err != nil {
				return s, err
			}
			s.VLANFromB++
		}
	}
	for i := 0; i < 2; i++ {
		if err := echo(p.B, p.A4, uint16(i+1)); err != nil {
			return s, err
		}
		s.EchoV4++
		if err := echo(p.B, p.A6, uint16(i+1)); err != nil {
			return s, err
		}
		s.EchoV6++
	}
	for _, dst := range []string{net.JoinHostPort(p.A4.String(), "8080"), net.JoinHostPort(p.A6.String(), "8080")} {
		if err := httpGet(p.B, dst); err != nil {
			return s, err
		}
		s.TCPConns++
	}
	if err := Do(p.B, func() error {
		c, err := net.DialTimeout("tcp", net.JoinHostPort(p.A4.String(), "8081"), time.Second)
		if err == nil {
			c.Close()
			return fmt.Errorf("connection to closed port 8081 succeeded")
		}
		return nil
	}); err != nil {
		return s, err
	}
	s.TCPRefused++
	// One ARP request: 10.77.0.3 has no static neighbour (and no owner).
	if err := udp(p.B, netip.MustParseAddrPort("10.77.0.3:9"), 20); err != nil {
		return s, err
	}
	time.Sleep(50 * time.Millisecond)
	return s, nil
}

// httpGet opens a TCP connection from ns to dst, sends a GET and reads the reply.
func httpGet(ns, dst string) error {
	var c net.Conn
	if err := Do(ns, func() (err error) { c, err = net.DialTimeout("tcp", dst, 2*time.Second); return err }); err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: lab\r\n\r\n"); err != nil {
		return err
	}
	_, err := io.ReadAll(c)
	return err
}

// echo sends one ICMP (or ICMPv6) echo request from ns to dst through a raw
// socket; the kernel at dst answers it.
func echo(ns string, dst netip.Addr, seq uint16) error {
	return Do(ns, func() error {
		fam, proto, typ := unix.AF_INET, unix.IPPROTO_ICMP, byte(8)
		if dst.Is6() {
			fam, proto, typ = unix.AF_INET6, unix.IPPROTO_ICMPV6, 128
		}
		fd, err := unix.Socket(fam, unix.SOCK_RAW|unix.SOCK_CLOEXEC, proto)
		if err != nil {
			return fmt.Errorf("raw ICMP socket: %w", err)
		}
		defer unix.Close(fd)
		msg := make([]byte, 8+32)
		msg[0] = typ
		binary.BigEndian.PutUint16(msg[4:], 0x7777)
		binary.BigEndian.PutUint16(msg[6:], seq)
		for i := 8; i < len(msg); i++ {
			msg[i] = byte(i)
		}
		var sa unix.Sockaddr
		if dst.Is6() {
			sa = &unix.SockaddrInet6{Addr: dst.As16()} // the kernel fills the ICMPv6 checksum
		} else {
			binary.BigEndian.PutUint16(msg[2:], inetChecksum(msg))
			sa = &unix.SockaddrInet4{Addr: dst.As4()}
		}
		return unix.Sendto(fd, msg, 0, sa)
	})
}

func inetChecksum(b []byte) uint16 {
	var sum uint32
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

// sendTagged injects from B an Ethernet frame tagged with VLAN vid carrying a
// UDP datagram 10.78.0.2:40000 → 10.78.0.1:port.
func (p *Pair) sendTagged(vid, port uint16, payload []byte) error {
	dst, err := net.ParseMAC(p.MACA)
	if err != nil {
		return err
	}
	src, _ := net.ParseMAC(p.MACB)
	f := make([]byte, 0, 64+len(payload))
	f = append(f, dst...)
	f = append(f, src...)
	f = binary.BigEndian.AppendUint16(f, 0x8100)
	f = binary.BigEndian.AppendUint16(f, vid)
	f = binary.BigEndian.AppendUint16(f, 0x0800)
	ip := len(f)
	f = append(f, 0x45, 0)
	f = binary.BigEndian.AppendUint16(f, uint16(20+8+len(payload)))
	f = append(f, 0, 1, 0x40, 0, 64, 17, 0, 0, 10, 78, 0, 2, 10, 78, 0, 1)
	binary.BigEndian.PutUint16(f[ip+10:], inetChecksum(f[ip:ip+20]))
	f = binary.BigEndian.AppendUint16(f, 40000)
	f = binary.BigEndian.AppendUint16(f, port)
	f = binary.BigEndian.AppendUint16(f, uint16(8+len(payload)))
	f = append(f, 0, 0) // no UDP checksum
	f = append(f, payload...)
	return Do(p.B, func() error {
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		ifc, err := net.InterfaceByName(p.IfB)
		if err != nil {
			return err
		}
		return unix.Sendto(fd, f, 0, &unix.SockaddrLinklayer{Ifindex: ifc.Index, Halen: 6})
	})
}

// Blast sends n UDP datagrams of size bytes from B to A:port as fast as one
// socket can, and returns how many were sent.
func (p *Pair) Blast(n, size int, port uint16) (int, error) {
	sent := 0
	err := Do(p.B, func() error {
		// Unconnected, so A's ICMP port-unreachable errors do not fail writes.
		c, err := net.ListenUDP("udp4", nil)
		if err != nil {
			return err
		}
		defer c.Close()
		dst := net.UDPAddrFromAddrPort(netip.AddrPortFrom(p.A4, port))
		b := make([]byte, size)
		for i := 0; i < n; i++ {
			binary.BigEndian.PutUint32(b, uint32(i))
			if _, err := c.WriteTo(b, dst); err != nil {
				return err
			}
			sent++
		}
		return nil
	})
	return sent, err
}

// Stall reproduces a client blocked on an unreachable dependency: B opens a
// TCP connection to A:8080 (an HTTP server), then, before sending its GET,
// tries to connect to 10.200.5.10:5274 — routed via A, which does not forward
// and drops it silently — for wait, then sends the GET. It does this rounds
// times. A must be serving HTTP on 8080 (ServeHTTP).
func (p *Pair) Stall(rounds int, wait time.Duration) error {
	if out, err := exec.Command("ip", "-n", p.B, "route", "replace", "10.200.0.0/16", "via", p.A4.String()).CombinedOutput(); err != nil {
		return fmt.Errorf("route: %v: %s", err, out)
	}
	for i := 0; i < rounds; i++ {
		var c net.Conn
		if err := Do(p.B, func() (err error) {
			c, err = net.DialTimeout("tcp", net.JoinHostPort(p.A4.String(), "8080"), 2*time.Second)
			return err
		}); err != nil {
			return err
		}
		Do(p.B, func() error {
			d, err := net.DialTimeout("tcp", "10.200.5.10:5274", wait)
			if err == nil {
				d.Close()
			}
			return nil
		})
		c.SetDeadline(time.Now().Add(2 * time.Second))
		io.WriteString(c, "GET /index.html HTTP/1.1\r\nHost: lab\r\n\r\n")
		_, err := io.ReadAll(c)
		c.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// ServeHTTP serves a minimal HTTP/1.1 response on port in namespace ns until
// the returned function is called.
func ServeHTTP(ns string, port int) (stop func(), err error) {
	var ln net.Listener
	if err := Do(ns, func() (err error) { ln, err = net.Listen("tcp", fmt.Sprintf(":%d", port)); return err }); err != nil {
		return nil, err
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				buf := make([]byte, 1024)
				if _, err := c.Read(buf); err != nil {
					return
				}
				io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
			}()
		}
	}()
	return func() { ln.Close() }, nil
}
