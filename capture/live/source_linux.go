//go:build linux

package live

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/wirewatch/wirewatch/capture"
)

// Cooked header lengths (pcap-linktype.h).
const (
	sllHdrLen  = 16
	sll2HdrLen = 20
)

// tpacket3_hdr field offsets (linux/if_packet.h); the sockaddr_ll that follows
// starts at TPACKET_ALIGN(sizeof(struct tpacket3_hdr)) = 48.
const (
	tpNextOffset = 0
	tpSec        = 4
	tpNsec       = 8
	tpSnaplen    = 12
	tpLen        = 16
	tpStatus     = 20
	tpMac        = 24
	tpNet        = 26
	tpVlanTCI    = 32
	tpVlanTPID   = 36
	tpSll        = 48
	tpHdrEnd     = tpSll + 20 // first byte after the sockaddr_ll
)

// tpacket_block_desc offsets.
const (
	bdStatus   = 8
	bdNumPkts  = 12
	bdFirstPkt = 16
)

const (
	arphrdEther    = 1
	arphrdLoopback = 772
	arphrdNone     = 0xfffe
	ethPAll        = 0x0003
)

// ring is one AF_PACKET socket with its TPACKET_V3 receive ring.
type ring struct {
	fd        int
	mem       []byte
	blockSize int
	nblocks   int
	cur       int  // block being read (or next to wait for)
	inBlock   bool // block cur belongs to us and must be released
	left      int  // packets left in block cur
	off       int  // offset in block cur of the next packet
	iface     int  // index in Source.ifaces
	lt        capture.LinkType
	cooked    bool
	loIndex   int32 // ifindex of the loopback device (outgoing copies skipped)
	name      string
	stats     Stats
	ifindex   int
	snaplen   int
}

// Source captures packets from one or more interfaces. It is not safe for
// concurrent use.
type Source struct {
	rings  []*ring
	ifaces []capture.Interface
	// Waiting goes through the Go runtime's poller: an epoll set of the
	// rings' sockets, itself pollable, so a blocked Next parks its goroutine
	// instead of blocking a thread in a system call (which would make the
	// runtime hand the thread's P over, and cost a second thread wake-up
	// when packets arrive). Deadlines on it implement cancellation and idle
	// timeouts.
	epfd    int
	poll    *os.File
	rc      syscall.RawConn
	evs     []unix.EpollEvent
	perr    error
	next    int
	ctx     context.Context
	nextCtx context.Context // Next's, from SetContext
	stopFn  func() bool
	idle    time.Duration // 0: none
}

// Open opens packet sockets on the configured interfaces, attaches the capture
// filter in the kernel and maps the receive rings. Packets are queued from the
// moment Open returns.
func Open(cfg Config) (*Source, error) {
	if cfg.SnapLen <= 0 || cfg.SnapLen > DefaultSnapLen {
		cfg.SnapLen = DefaultSnapLen
	}
	if cfg.BufferSize <= 0 {
		cfg.BufferSize = 32 << 20
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 100e6
	}
	names := cfg.Interfaces
	if len(names) == 0 {
		n, err := defaultInterface()
		if err != nil {
			return nil, err
		}
		names = []string{n}
	}
	s := &Source{epfd: -1}
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll_create: %w", err)
	}
	s.epfd = epfd
	for i, name := range names {
		r, err := openRing(name, i, cfg)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.rings = append(s.rings, r)
		s.ifaces = append(s.ifaces, capture.Interface{LinkType: r.lt, SnapLen: cfg.SnapLen, Name: name, TSResol: 9, FCSLen: -1, ID: len(s.ifaces)})
		ev := unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLERR | unix.EPOLLET, Fd: int32(i)}
		if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, r.fd, &ev); err != nil {
			s.Close()
			return nil, fmt.Errorf("epoll_ctl: %w", err)
		}
	}
	s.evs = make([]unix.EpollEvent, len(s.rings))
	if err := unix.SetNonblock(epfd, true); err != nil {
		s.Close()
		return nil, err
	}
	s.poll = os.NewFile(uintptr(epfd), "capture-poll") // pollable: non-blocking
	s.epfd = -1                                        // owned by s.poll now
	if s.rc, err = s.poll.SyscallConn(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// defaultInterface is what tcpdump picks without -i: the first interface that
// is up and not loopback.
func defaultInterface() (string, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return "", fmt.Errorf("listing interfaces: %w", err)
	}
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagUp != 0 && ifc.Flags&net.FlagLoopback == 0 {
			return ifc.Name, nil
		}
	}
	return "", errors.New("no interface is up; name one with -i (see `ip link`)")
}

func sockErr(op, name string, err error) error {
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
		return fmt.Errorf("%s on %s: %w", op, name, ErrPermission)
	}
	return fmt.Errorf("%s on %s: %w", op, name, err)
}

func openRing(name string, idx int, cfg Config) (*ring, error) {
	r := &ring{fd: -1, iface: idx, name: name, snaplen: cfg.SnapLen}
	ok := false
	defer func() {
		if !ok {
			r.close()
		}
	}()
	sockType := unix.SOCK_RAW
	if name == "any" {
		sockType = unix.SOCK_DGRAM
		r.lt, r.cooked = capture.LinkLinuxSLL2, true
	}
	fd, err := unix.Socket(unix.AF_PACKET, sockType|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, sockErr("opening a packet socket", name, err)
	}
	r.fd = fd
	if lo, err := ifIndex(fd, "lo"); err == nil {
		r.loIndex = int32(lo)
	}
	if name != "any" {
		if r.ifindex, err = ifIndex(fd, name); err != nil {
			return nil, fmt.Errorf("no interface named %q (list them with `ip link`): %w", name, err)
		}
		ifr, err := unix.NewIfreq(name)
		if err != nil {
			return nil, err
		}
		if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err == nil && ifr.Uint16()&unix.IFF_UP == 0 {
			return nil, fmt.Errorf("interface %s is down: bring it up with `ip link set %s up`", name, name)
		}
		if err := unix.IoctlIfreq(fd, unix.SIOCGIFHWADDR, ifr); err != nil {
			return nil, fmt.Errorf("interface %s: reading its hardware type: %w", name, err)
		}
		switch ifr.Uint16() {
		case arphrdEther, arphrdLoopback:
			r.lt = capture.LinkEthernet
		case arphrdNone:
			r.lt = capture.LinkRaw
		default: // anything else is captured cooked, as libpcap does
			unix.Close(fd)
			r.fd = -1
			if fd, err = unix.Socket(unix.AF_PACKET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0); err != nil {
				return nil, sockErr("opening a packet socket", name, err)
			}
			r.fd = fd
			r.lt, r.cooked = capture.LinkLinuxSLL, true
		}
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_VERSION, unix.TPACKET_V3); err != nil {
		return nil, fmt.Errorf("interface %s: TPACKET_V3 not supported by this kernel: %w", name, err)
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_RESERVE, 4); err != nil {
		return nil, fmt.Errorf("interface %s: PACKET_RESERVE: %w", name, err)
	}
	if err := r.attachFilter(cfg.Filter); err != nil {
		return nil, err
	}
	if err := r.mapRing(cfg); err != nil {
		return nil, err
	}
	sa := &unix.SockaddrLinklayer{Protocol: htons(ethPAll), Ifindex: r.ifindex}
	if err := unix.Bind(fd, sa); err != nil {
		return nil, sockErr("binding the packet socket", name, err)
	}
	if !cfg.NoPromisc && name != "any" {
		mreq := &unix.PacketMreq{Ifindex: int32(r.ifindex), Type: unix.PACKET_MR_PROMISC}
		if err := unix.SetsockoptPacketMreq(fd, unix.SOL_PACKET, unix.PACKET_ADD_MEMBERSHIP, mreq); err != nil {
			return nil, sockErr("entering promiscuous mode", name, err)
		}
	}
	ok = true
	return r, nil
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

func ifIndex(fd int, name string) (int, error) {
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		return 0, err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFINDEX, ifr); err != nil {
		return 0, err
	}
	return int(ifr.Uint32()), nil
}

func (r *ring) cookedLen() int {
	switch r.lt {
	case capture.LinkLinuxSLL2:
		return sll2HdrLen
	case capture.LinkLinuxSLL:
		return sllHdrLen
	}
	return 0
}

func (r *ring) attachFilter(expr string) error {
	var prog []unix.SockFilter
	if expr != "" {
		var err error
		if prog, err = compileLive(r.name, expr, r.lt, r.snaplen); err != nil {
			return err
		}
		if r.cooked && !fixCooked(prog, r.lt) {
			return &FilterError{Expr: expr, Msg: "it reads link-layer header fields the kernel cannot provide on " + r.name + "; capture on a named interface instead"}
		}
	} else if r.snaplen < DefaultSnapLen {
		// Let the kernel truncate, so it copies only what is kept.
		k := r.snaplen - r.cookedLen()
		if k < 1 {
			k = 1
		}
		prog = []unix.SockFilter{{Code: unix.BPF_RET | unix.BPF_K, K: uint32(k)}}
	}
	if prog == nil {
		return nil
	}
	if len(prog) > 0xffff {
		return &FilterError{Expr: expr, Msg: "the compiled program is too long for the kernel"}
	}
	fp := &unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	if err := unix.SetsockoptSockFprog(r.fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, fp); err != nil {
		return fmt.Errorf("attaching capture filter %q on %s: %w", expr, r.name, err)
	}
	return nil
}

func (r *ring) mapRing(cfg Config) error {
	const frameSize = 1 << 11
	r.blockSize = 1 << 20
	for r.blockSize > 1<<16 && cfg.BufferSize/r.blockSize < 8 {
		r.blockSize >>= 1
	}
	r.nblocks = max(cfg.BufferSize/r.blockSize, 2)
	tov := uint32(cfg.Timeout.Milliseconds())
	if tov == 0 {
		tov = 1
	}
	req := &unix.TpacketReq3{
		Block_size:     uint32(r.blockSize),
		Block_nr:       uint32(r.nblocks),
		Frame_size:     frameSize,
		Frame_nr:       uint32(r.blockSize / frameSize * r.nblocks),
		Retire_blk_tov: tov,
	}
	if err := unix.SetsockoptTpacketReq3(r.fd, unix.SOL_PACKET, unix.PACKET_RX_RING, req); err != nil {
		return fmt.Errorf("interface %s: allocating a %d-byte capture ring: %w (try a smaller buffer)", r.name, r.blockSize*r.nblocks, err)
	}
	mem, err := unix.Mmap(r.fd, 0, r.blockSize*r.nblocks, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return fmt.Errorf("interface %s: mapping the capture ring: %w", r.name, err)
	}
	r.mem = mem
	return nil
}

func (r *ring) close() {
	if r.mem != nil {
		unix.Munmap(r.mem)
		r.mem = nil
	}
	if r.fd >= 0 {
		unix.Close(r.fd)
		r.fd = -1
	}
}

func (r *ring) u32(off int) uint32 { return binary.NativeEndian.Uint32(r.mem[off:]) }
func (r *ring) u16(off int) uint16 { return binary.NativeEndian.Uint16(r.mem[off:]) }

func (r *ring) statusPtr(block int) *uint32 {
	return (*uint32)(unsafe.Pointer(&r.mem[block*r.blockSize+bdStatus]))
}

// next returns the next packet in the ring, if the kernel has handed over a
// block. The packet's memory stays ours until the following call.
func (r *ring) next(p *capture.Packet) bool {
	for {
		if r.left == 0 {
			if r.inBlock {
				atomic.StoreUint32(r.statusPtr(r.cur), unix.TP_STATUS_KERNEL)
				r.inBlock = false
				r.cur++
				if r.cur == r.nblocks {
					r.cur = 0
				}
			}
			if atomic.LoadUint32(r.statusPtr(r.cur))&unix.TP_STATUS_USER == 0 {
				return false
			}
			base := r.cur * r.blockSize
			r.inBlock = true
			r.left = int(r.u32(base + bdNumPkts))
			r.off = int(r.u32(base + bdFirstPkt))
			continue
		}
		base := r.cur*r.blockSize + r.off
		if base+tpHdrEnd > (r.cur+1)*r.blockSize {
			r.left = 0 // corrupt block: give it back
			continue
		}
		r.left--
		r.off += int(r.u32(base + tpNextOffset))
		if r.fill(base, p) {
			return true
		}
	}
}

// fill makes p describe the packet whose tpacket3_hdr is at base, building
// cooked headers and reinserting VLAN tags the kernel stripped, as libpcap does.
// It reports false for packets libpcap would skip.
func (r *ring) fill(base int, p *capture.Packet) bool {
	h := r.mem[base : base+tpHdrEnd] // one bounds check for the header reads
	ne := binary.NativeEndian
	mac := int(ne.Uint16(h[tpMac:]))
	snap := int(ne.Uint32(h[tpSnaplen:]))
	wire := int(ne.Uint32(h[tpLen:]))
	status := ne.Uint32(h[tpStatus:])
	pktType := h[tpSll+10]
	ifindex := int32(ne.Uint32(h[tpSll+4:]))
	tci := ne.Uint32(h[tpVlanTCI:])
	ts := int64(ne.Uint32(h[tpSec:]))*1e9 + int64(ne.Uint32(h[tpNsec:]))
	sll := base + tpSll
	end := (r.cur + 1) * r.blockSize
	if base+mac+snap > end || mac < tpHdrEnd {
		return false
	}
	if pktType == unix.PACKET_OUTGOING && ifindex == r.loIndex && r.loIndex != 0 {
		return false // seen again as incoming
	}
	start := base + mac
	if (tci != 0 || status&unix.TP_STATUS_VLAN_VALID != 0) && (r.lt == capture.LinkEthernet || r.lt == capture.LinkLinuxSLL) {
		tpid := uint16(0x8100)
		if status&unix.TP_STATUS_VLAN_TPID_VALID != 0 {
			tpid = r.u16(base + tpVlanTPID)
		}
		voff := 12 // after the Ethernet addresses
		if r.lt == capture.LinkLinuxSLL {
			voff = -2 // the cooked header's protocol field becomes the TPID
		}
		if voff > 0 && snap >= voff && mac-4 >= tpHdrEnd {
			copy(r.mem[start-4:], r.mem[start:start+voff])
			start -= 4
			binary.BigEndian.PutUint16(r.mem[start+voff:], tpid)
			binary.BigEndian.PutUint16(r.mem[start+voff+2:], uint16(tci))
			snap += 4
			wire += 4
		} else if voff < 0 && mac-4-sllHdrLen >= tpHdrEnd {
			// Cooked v1: insert TCI + original protocol before the payload;
			// the header (built below) carries the TPID as its protocol.
			start -= 4
			binary.BigEndian.PutUint16(r.mem[start:], uint16(tci))
			copy(r.mem[start+2:start+4], r.mem[sll+2:sll+4]) // sll_protocol, network order
			binary.BigEndian.PutUint16(r.mem[sll+2:], tpid)
			snap += 4
			wire += 4
		}
	}
	if r.cooked {
		hl := r.cookedLen()
		if start-hl < base+tpHdrEnd {
			return false
		}
		start -= hl
		ch := r.mem[start : start+hl]
		clear(ch)
		halen := min(int(r.mem[sll+11]), 8)
		if r.lt == capture.LinkLinuxSLL2 {
			copy(ch[0:2], r.mem[sll+2:sll+4]) // protocol, network order
			binary.BigEndian.PutUint32(ch[4:], uint32(ifindex))
			binary.BigEndian.PutUint16(ch[8:], r.u16(sll+8)) // hatype
			ch[10] = pktType
			ch[11] = byte(halen)
			copy(ch[12:12+halen], r.mem[sll+12:])
		} else {
			binary.BigEndian.PutUint16(ch[0:], uint16(pktType))
			binary.BigEndian.PutUint16(ch[2:], r.u16(sll+8))
			binary.BigEndian.PutUint16(ch[4:], uint16(halen))
			copy(ch[6:6+halen], r.mem[sll+12:])
			copy(ch[14:16], r.mem[sll+2:sll+4])
		}
		snap += hl
		wire += hl
	}
	if snap > r.snaplen {
		snap = r.snaplen
	}
	p.Data = r.mem[start : start+snap : start+snap]
	p.TS = ts
	p.CapLen = snap
	p.Len = wire
	p.LinkType = r.lt
	p.Interface = r.iface
	p.Comments = nil
	p.Offset = 0
	return true
}

// NextContext returns the next captured packet. Its Data points into the kernel ring
// and is valid until the next call to Next or Close. Next blocks until a packet
// arrives, an interface fails, or ctx is done (then it returns ctx.Err()).
func (s *Source) NextContext(ctx context.Context) (capture.Packet, error) {
	var p capture.Packet
	err := s.ReadPacket(ctx, &p)
	return p, err
}

// Next is NextContext with the context given to SetContext (Background if
// none), so that a live capture is a capture.Source like a file: it
// returns the context's error once it is done.
func (s *Source) Next() (capture.Packet, error) {
	ctx := s.nextCtx
	if ctx == nil {
		ctx = context.Background()
	}
	return s.NextContext(ctx)
}

// SetContext sets the context Next waits with.
func (s *Source) SetContext(ctx context.Context) { s.nextCtx = ctx }

var _ capture.Source = (*Source)(nil)

// ReadPacket is Next filling *p, which saves copying the Packet at high rates.
func (s *Source) ReadPacket(ctx context.Context, p *capture.Packet) error {
	for {
		for i := range s.rings {
			k := s.next + i
			if k >= len(s.rings) {
				k -= len(s.rings)
			}
			if s.rings[k].next(p) {
				s.next = k
				return nil
			}
		}
		if ctx != s.ctx { // only when about to wait: not per packet
			if s.stopFn != nil {
				s.stopFn()
			}
			s.ctx = ctx
			s.stopFn = context.AfterFunc(ctx, s.wake)
		}
		if err := s.wait(ctx); err != nil {
			return err
		}
	}
}

// wait parks until a ring has a block for us, ctx is done, the idle timeout
// passes or a socket reports an error.
func (s *Source) wait(ctx context.Context) error {
	var dl time.Time
	if s.idle > 0 {
		dl = time.Now().Add(s.idle)
	}
	s.poll.SetReadDeadline(dl)
	// Checked after setting the deadline: a cancellation from now on sets a
	// past deadline that ours cannot overwrite.
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.rc.Read(func(fd uintptr) bool {
		// Harvest the set's events (for socket errors); readiness itself is
		// read from the rings' block headers.
		n, _ := unix.EpollWait(int(fd), s.evs, 0)
		for _, ev := range s.evs[:max(n, 0)] {
			if ev.Events&unix.EPOLLERR != 0 && s.perr == nil {
				r := s.rings[ev.Fd]
				serr, _ := unix.GetsockoptInt(r.fd, unix.SOL_SOCKET, unix.SO_ERROR)
				if serr != 0 {
					s.perr = fmt.Errorf("capturing on %s: %w", r.name, unix.Errno(serr))
				}
			}
		}
		return s.perr != nil || s.ready()
	})
	if s.perr != nil {
		return s.perr
	}
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return ErrIdle
		}
		return fmt.Errorf("waiting for packets: %w", err)
	}
	return nil
}

// ready reports whether some ring's next block belongs to user space.
func (s *Source) ready() bool {
	for _, r := range s.rings {
		if r.left > 0 || atomic.LoadUint32(r.statusPtr(r.cur))&unix.TP_STATUS_USER != 0 {
			return true
		}
	}
	return false
}

// SetIdleTimeout makes Next return ErrIdle when no packet arrived for d; 0
// or less waits forever. A live consumer uses it
// to act on time (rotate files, report findings) while the link is quiet.
func (s *Source) SetIdleTimeout(d time.Duration) {
	s.idle = max(d, 0)
}

// wake interrupts a blocked Next; safe from any goroutine.
func (s *Source) wake() {
	s.poll.SetReadDeadline(time.Unix(1, 0))
}

// Stats returns the kernel's counters summed over all interfaces since Open.
func (s *Source) Stats() (Stats, error) {
	var t Stats
	for i := range s.rings {
		st, err := s.InterfaceStats(i)
		if err != nil {
			return t, err
		}
		t.Received += st.Received
		t.Dropped += st.Dropped
	}
	return t, nil
}

// InterfaceStats returns the kernel's counters for interface i since Open.
func (s *Source) InterfaceStats(i int) (Stats, error) {
	r := s.rings[i]
	if r.fd >= 0 {
		st, err := unix.GetsockoptTpacketStatsV3(r.fd, unix.SOL_PACKET, unix.PACKET_STATISTICS)
		if err != nil {
			return r.stats, fmt.Errorf("reading kernel statistics on %s: %w", r.name, err)
		}
		// Reading resets the kernel's counters; tp_packets includes tp_drops.
		r.stats.Received += uint64(st.Packets)
		r.stats.Dropped += uint64(st.Drops)
	}
	return r.stats, nil
}

// Close releases the sockets and rings; Data from Next is invalid afterwards.
func (s *Source) Close() error {
	if s.stopFn != nil {
		s.stopFn()
		s.stopFn = nil
	}
	for _, r := range s.rings {
		r.close()
	}
	s.rings = nil
	if s.poll != nil {
		s.poll.Close()
		s.poll = nil
	}
	if s.epfd >= 0 {
		unix.Close(s.epfd)
		s.epfd = -1
	}
	return nil
}
