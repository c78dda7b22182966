//go:build linux

package live

import (
	"golang.org/x/sys/unix"

	"github.com/wirewatch/wirewatch/capture"
)

// Ancillary-data offsets of the Linux socket filter (linux/filter.h).
const (
	skfAdOff      = -0x1000
	skfAdProtocol = 0
	skfAdPktType  = 4
	skfAdIfIndex  = 8
)

// fixCooked rewrites a program compiled for a cooked (SLL or SLL2) link type so
// the kernel can run it on a SOCK_DGRAM packet socket, whose packets start at
// the network header: as libpcap's fix_program/fix_offset. It reports false
// when the program reads a header field the kernel cannot provide (the filter
// then runs in user space).
func fixCooked(prog []unix.SockFilter, lt capture.LinkType) bool {
	for i := range prog {
		p := &prog[i]
		switch p.Code & 0x07 { // BPF_CLASS
		case unix.BPF_LD, unix.BPF_LDX:
			switch p.Code & 0xe0 { // BPF_MODE
			case unix.BPF_ABS, unix.BPF_IND, unix.BPF_MSH:
				if !fixOffset(p, lt) {
					return false
				}
			}
		}
	}
	return true
}

func fixOffset(p *unix.SockFilter, lt capture.LinkType) bool {
	if int32(p.K) < 0 && int32(p.K) >= skfAdOff { // already an ancillary load
		return true
	}
	ad := func(off int32) uint32 { return uint32(skfAdOff + off) }
	if lt == capture.LinkLinuxSLL2 {
		switch {
		case p.K >= sll2HdrLen:
			p.K -= sll2HdrLen
		case p.K == 0:
			p.K = ad(skfAdProtocol)
		case p.K == 4:
			p.K = ad(skfAdIfIndex)
		case p.K == 10:
			p.K = ad(skfAdPktType)
		case int32(p.K) > 0:
			return false
		}
		return true
	}
	switch {
	case p.K >= sllHdrLen:
		p.K -= sllHdrLen
	case p.K == 0:
		p.K = ad(skfAdPktType)
	case p.K == 14:
		p.K = ad(skfAdProtocol)
	case int32(p.K) > 0:
		return false
	}
	return true
}
