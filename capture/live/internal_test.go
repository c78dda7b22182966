//go:build linux

package live

import (
	"encoding/binary"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/wirewatch/wirewatch/capture"
)

// TestFixCooked checks the rewrite of cooked-header loads into the kernel's
// ancillary loads, as libpcap's fix_offset does.
func TestFixCooked(t *testing.T) {
	ld := func(k uint32) unix.SockFilter {
		return unix.SockFilter{Code: unix.BPF_LD | unix.BPF_H | unix.BPF_ABS, K: k}
	}
	prog := []unix.SockFilter{ld(0), ld(14), ld(16 + 9), {Code: unix.BPF_RET | unix.BPF_K, K: 262144}}
	if !fixCooked(prog, capture.LinkLinuxSLL) {
		t.Fatal("fixCooked(SLL) refused a fixable program")
	}
	want := []uint32{uint32(0xfffff000 + skfAdPktType), uint32(0xfffff000 + skfAdProtocol), 9, 262144}
	for i, w := range want {
		if prog[i].K != w {
			t.Errorf("SLL insn %d: k=%#x, want %#x", i, prog[i].K, w)
		}
	}
	prog2 := []unix.SockFilter{ld(0), ld(4), ld(10), ld(20 + 12)}
	if !fixCooked(prog2, capture.LinkLinuxSLL2) {
		t.Fatal("fixCooked(SLL2) refused a fixable program")
	}
	want2 := []uint32{uint32(0xfffff000 + skfAdProtocol), uint32(0xfffff000 + skfAdIfIndex), uint32(0xfffff000 + skfAdPktType), 12}
	for i, w := range want2 {
		if prog2[i].K != w {
			t.Errorf("SLL2 insn %d: k=%#x, want %#x", i, prog2[i].K, w)
		}
	}
	if fixCooked([]unix.SockFilter{ld(6)}, capture.LinkLinuxSLL) {
		t.Error("a load of the link-layer address (offset 6) cannot run in the kernel, but fixCooked accepted it")
	}
}

// fakeRing builds a ring of nblocks blocks, each holding n packets of size
// bytes, as the kernel lays them out, all handed to user space.
func fakeRing(nblocks, n, size int) *ring {
	const bs = 1 << 20
	r := &ring{fd: -1, mem: make([]byte, bs*nblocks), blockSize: bs, nblocks: nblocks, lt: capture.LinkEthernet, snaplen: DefaultSnapLen}
	le := binary.NativeEndian
	for b := 0; b < nblocks; b++ {
		base := b * bs
		le.PutUint32(r.mem[base+bdStatus:], unix.TP_STATUS_USER)
		le.PutUint32(r.mem[base+bdNumPkts:], uint32(n))
		le.PutUint32(r.mem[base+bdFirstPkt:], 48)
		off := 48
		step := (82 + size + 15) &^ 15
		for i := 0; i < n; i++ {
			h := base + off
			le.PutUint32(r.mem[h+tpNextOffset:], uint32(step))
			le.PutUint32(r.mem[h+tpSec:], 1)
			le.PutUint32(r.mem[h+tpSnaplen:], uint32(size))
			le.PutUint32(r.mem[h+tpLen:], uint32(size))
			le.PutUint16(r.mem[h+tpMac:], 82)
			le.PutUint16(r.mem[h+tpNet:], 96)
			off += step
		}
	}
	return r
}

func BenchmarkRingNext(b *testing.B) {
	r := fakeRing(4, 4096, 64)
	var p capture.Packet
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !r.next(&p) {
			for k := 0; k < r.nblocks; k++ { // hand every block back to "user space"
				binary.NativeEndian.PutUint32(r.mem[k*r.blockSize+bdStatus:], unix.TP_STATUS_USER)
			}
			r.next(&p)
		}
	}
}
