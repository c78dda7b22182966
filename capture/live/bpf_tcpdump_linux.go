//go:build linux && nolibpcap

// Capture filters compiled by tcpdump (`tcpdump -ddd`), for binaries built
// with -tags nolibpcap, which do not load libpcap or libc and so run on any
// Linux. tcpdump uses libpcap's compiler, so the programs are the same.

package live

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/wirewatch/wirewatch/capture"
)

// CompileFilter compiles a capture filter in tcpdump/libpcap syntax into
// classic BPF for packets of link type lt captured with snaplen, by running
// `tcpdump -ddd` on an empty capture file of that link type.
func CompileFilter(expr string, lt capture.LinkType, snaplen int) ([]unix.SockFilter, error) {
	f, err := os.CreateTemp("", "wirewatch-linktype-*.pcap")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	hdr := []byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, byte(lt), byte(lt >> 8), 0, 0}
	_, err = f.Write(hdr)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return tcpdumpCompile(expr, "-r", f.Name(), "-s", strconv.Itoa(snaplen))
}

// compileLive compiles expr as tcpdump does for a live capture on iface.
func compileLive(iface, expr string, lt capture.LinkType, snaplen int) ([]unix.SockFilter, error) {
	args := []string{"-i", iface, "-s", strconv.Itoa(snaplen)}
	if lt == capture.LinkLinuxSLL2 {
		args = append(args, "-y", "LINUX_SLL2")
	}
	return tcpdumpCompile(expr, args...)
}

func tcpdumpCompile(expr string, args ...string) ([]unix.SockFilter, error) {
	path, err := exec.LookPath("tcpdump")
	if err != nil {
		return nil, fmt.Errorf("%w (this wirewatch was built with -tags nolibpcap and compiles capture filters with tcpdump, which is not installed either: `apt-get install tcpdump`)", ErrNoLibpcap)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(path, append(append([]string{"-ddd"}, args...), "--", expr)...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		msg = strings.TrimPrefix(msg, "tcpdump: ")
		return nil, &FilterError{Expr: expr, Msg: msg}
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	n, err := strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil || n != len(lines)-1 {
		return nil, &FilterError{Expr: expr, Msg: "unexpected tcpdump -ddd output"}
	}
	prog := make([]unix.SockFilter, n)
	for i, l := range lines[1:] {
		var code, jt, jf, k uint64
		if _, err := fmt.Sscan(l, &code, &jt, &jf, &k); err != nil {
			return nil, &FilterError{Expr: expr, Msg: "unexpected tcpdump -ddd output: " + l}
		}
		prog[i] = unix.SockFilter{Code: uint16(code), Jt: uint8(jt), Jf: uint8(jf), K: uint32(k)}
	}
	return prog, nil
}

// LibpcapVersion: this build (nolibpcap) compiles capture filters with the
// tcpdump program instead of loading libpcap.
func LibpcapVersion() (string, error) {
	out, err := exec.Command("tcpdump", "--version").Output()
	if err != nil {
		return "", fmt.Errorf("%w (built with nolibpcap; tcpdump not found)", ErrNoLibpcap)
	}
	return "via tcpdump: " + strings.SplitN(string(out), "\n", 2)[0], nil
}
