//go:build linux

package live

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/wirewatch/wirewatch/capture"
)

func TestMissingLibpcapSaysWhatToInstall(t *testing.T) {
	_, err := openLibpcap([]string{"libpcap-not-installed.so.0.8"})
	if !errors.Is(err, ErrNoLibpcap) || !strings.Contains(err.Error(), "apt-get install libpcap0.8") {
		t.Fatalf("error %v: want ErrNoLibpcap naming the package to install", err)
	}
}

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
