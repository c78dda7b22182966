//go:build linux && !nolibpcap

// Capture filters compiled by libpcap, loaded at run time with purego. Build
// with -tags nolibpcap for a binary that does not load libc (fully static);
// it then compiles filters with tcpdump (bpf_tcpdump_linux.go).

package live

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
	"golang.org/x/sys/unix"

	"github.com/wirewatch/wirewatch/capture"
)

// libpcap is the part of libpcap's API wirewatch calls, bound at run time with
// purego (no cgo).
type libpcap struct {
	openDead      func(linktype, snaplen int32) uintptr
	create        func(source string, errbuf *byte) uintptr
	setSnaplen    func(p uintptr, snaplen int32) int32
	setBufferSize func(p uintptr, size int32) int32
	activate      func(p uintptr) int32
	setDatalink   func(p uintptr, dlt int32) int32
	compile       func(p uintptr, prog *bpfProgram, expr string, optimize int32, netmask uint32) int32
	freecode      func(prog *bpfProgram)
	geterr        func(p uintptr) string
	close         func(p uintptr)
	lookupnet     func(dev string, net, mask *uint32, errbuf *byte) int32
}

// bpfProgram is struct bpf_program; Insns points to C memory.
type bpfProgram struct {
	Len   uint32
	_     uint32
	Insns *unix.SockFilter // C memory; the GC ignores pointers outside its heap
}

const netmaskUnknown = 0xffffffff // PCAP_NETMASK_UNKNOWN

var (
	pcapOnce sync.Once
	pcapLib  *libpcap
	pcapErr  error
	pcapMu   sync.Mutex // pcap_compile is not reentrant in older libpcaps
)

// libpcapNames are the sonames tried, Debian's first.
var libpcapNames = []string{"libpcap.so.0.8", "libpcap.so.1", "libpcap.so"}

// loadLibpcap dlopens libpcap once.
func loadLibpcap() (*libpcap, error) {
	pcapOnce.Do(func() { pcapLib, pcapErr = openLibpcap(libpcapNames) })
	return pcapLib, pcapErr
}

// openLibpcap dlopens the first of names that loads and binds the functions.
func openLibpcap(names []string) (*libpcap, error) {
	var h uintptr
	var err error
	for _, name := range names {
		if h, err = purego.Dlopen(name, purego.RTLD_NOW|purego.RTLD_GLOBAL); err == nil {
			break
		}
	}
	if h == 0 {
		return nil, fmt.Errorf("%w (dlopen: %v)", ErrNoLibpcap, err)
	}
	l := &libpcap{}
	for _, s := range []struct {
		fn   any
		name string
	}{
		{&l.openDead, "pcap_open_dead"},
		{&l.create, "pcap_create"},
		{&l.setSnaplen, "pcap_set_snaplen"},
		{&l.setBufferSize, "pcap_set_buffer_size"},
		{&l.activate, "pcap_activate"},
		{&l.setDatalink, "pcap_set_datalink"},
		{&l.compile, "pcap_compile"},
		{&l.freecode, "pcap_freecode"},
		{&l.geterr, "pcap_geterr"},
		{&l.close, "pcap_close"},
		{&l.lookupnet, "pcap_lookupnet"},
	} {
		if _, err := purego.Dlsym(h, s.name); err != nil {
			return nil, fmt.Errorf("%w (the installed libpcap lacks %s)", ErrNoLibpcap, s.name)
		}
		purego.RegisterLibFunc(s.fn, h, s.name)
	}
	return l, nil
}

// CompileFilter compiles a capture filter in tcpdump/libpcap syntax into
// classic BPF for packets of link type lt captured with snaplen, exactly as
// libpcap does for a capture file (pcap_open_dead + pcap_compile, optimised).
// It needs libpcap at run time; without it the error wraps ErrNoLibpcap.
func CompileFilter(expr string, lt capture.LinkType, snaplen int) ([]unix.SockFilter, error) {
	l, err := loadLibpcap()
	if err != nil {
		return nil, err
	}
	pcapMu.Lock()
	defer pcapMu.Unlock()
	p := l.openDead(int32(lt), int32(snaplen))
	if p == 0 {
		return nil, fmt.Errorf("libpcap: pcap_open_dead(%d) failed", lt)
	}
	defer l.close(p)
	return compileOn(l, p, expr, netmaskUnknown)
}

// compileLive compiles expr the way tcpdump does for a live capture on iface:
// on an activated libpcap handle, so that Linux-specific code generation
// (VLAN tags kept by the kernel outside the packet, SKF_AD_* loads) is used.
// When the handle cannot be activated it falls back to CompileFilter.
func compileLive(iface, expr string, lt capture.LinkType, snaplen int) ([]unix.SockFilter, error) {
	l, err := loadLibpcap()
	if err != nil {
		return nil, err
	}
	pcapMu.Lock()
	var errbuf [512]byte
	mask := uint32(netmaskUnknown)
	var netaddr uint32
	if iface != "any" && l.lookupnet(iface, &netaddr, &mask, &errbuf[0]) < 0 {
		mask = netmaskUnknown
	}
	p := l.create(iface, &errbuf[0])
	if p != 0 {
		l.setSnaplen(p, int32(snaplen))
		l.setBufferSize(p, 1<<16)
		if l.activate(p) >= 0 && (iface != "any" || l.setDatalink(p, int32(lt)) == 0) {
			prog, err := compileOn(l, p, expr, mask)
			l.close(p)
			pcapMu.Unlock()
			return prog, err
		}
		l.close(p)
	}
	pcapMu.Unlock()
	return CompileFilter(expr, lt, snaplen)
}

func compileOn(l *libpcap, p uintptr, expr string, mask uint32) ([]unix.SockFilter, error) {
	var prog bpfProgram
	if l.compile(p, &prog, expr, 1, mask) < 0 {
		return nil, &FilterError{Expr: expr, Msg: l.geterr(p)}
	}
	defer l.freecode(&prog)
	if prog.Len == 0 || prog.Insns == nil {
		return nil, &FilterError{Expr: expr, Msg: "libpcap returned an empty program"}
	}
	// struct bpf_insn and struct sock_filter have the same layout.
	src := unsafe.Slice(prog.Insns, prog.Len)
	return append([]unix.SockFilter(nil), src...), nil
}

// LibpcapVersion loads libpcap (as a capture filter would) and returns its
// version string (pcap_lib_version), or an error wrapping ErrNoLibpcap.
func LibpcapVersion() (string, error) {
	if _, err := loadLibpcap(); err != nil {
		return "", err
	}
	for _, name := range libpcapNames {
		h, err := purego.Dlopen(name, purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			continue
		}
		if _, err := purego.Dlsym(h, "pcap_lib_version"); err != nil {
			return name, nil
		}
		var version func() string
		purego.RegisterLibFunc(&version, h, "pcap_lib_version")
		return version(), nil
	}
	return "", ErrNoLibpcap
}
